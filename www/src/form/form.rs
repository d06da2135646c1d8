//! The form: settings, the enterprise name, the money unit, then one group per catalogue group.

use std::rc::Rc;

use butie::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::group::Group;
use super::settings::Settings;
use crate::data;
use crate::draft::{Draft, MoneyUnit, Parsed};
use crate::i18n;
use crate::state::{Action, AppState};

#[derive(Properties, PartialEq)]
pub struct FormProps {
    pub draft: Rc<Draft>,
    pub parsed: Rc<Parsed>,
    pub lang: Lang,
    pub expanded: u64,
    pub as_of: String,
    pub as_of_error: Option<butie::date::AsOfError>,
    pub application_period: String,
    /// Why the typed application period cannot be read, if it cannot.
    pub application_period_error: Option<butie::Text>,
    pub today: String,
    pub compare_all: bool,
    pub compact: bool,
    pub embedded: bool,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The whole form.
#[function_component(Form)]
pub fn form(props: &FormProps) -> Html {
    let lang = props.lang;
    let Ok(set) = data::policy_set() else {
        return Html::default();
    };
    let on_name = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            dispatch.dispatch(Action::SetName(input.value()));
        })
    };
    let unit_radio = |unit: MoneyUnit, label: i18n::Tr, id: &'static str| {
        let dispatch = props.dispatch.clone();
        let onchange = Callback::from(move |_: Event| dispatch.dispatch(Action::SetUnit(unit)));
        html! {
            <label class="radio" for={id}>
                <input type="radio" id={id} name="butie-unit" checked={props.draft.unit == unit} {onchange} />
                { label.get(lang) }
            </label>
        }
    };
    html! {
        <section class="form" aria-labelledby="butie-form-title">
            <h2 id="butie-form-title">{ i18n::FORM.get(lang) }</h2>
            <Settings
                lang={lang}
                as_of={props.as_of.clone()}
                as_of_error={props.as_of_error}
                application_period={props.application_period.clone()}
                application_period_error={props.application_period_error.clone()}
                today={props.today.clone()}
                compare_all={props.compare_all}
                dispatch={props.dispatch.clone()}
            />
            <div class="field">
                <label for="butie-name">{ i18n::PROFILE_NAME.get(lang) }</label>
                <input id="butie-name" type="text" autocomplete="organization" maxlength="200"
                    value={props.draft.name.clone()} oninput={on_name} />
            </div>
            <fieldset class="unit-switch">
                <legend>{ i18n::MONEY_UNIT.get(lang) }</legend>
                { unit_radio(MoneyUnit::Wan, i18n::MONEY_UNIT_WAN, "butie-unit-wan") }
                { unit_radio(MoneyUnit::Yuan, i18n::MONEY_UNIT_YUAN, "butie-unit-yuan") }
            </fieldset>
            if props.parsed.error_count > 0 {
                <p class="error-summary" role="status" data-testid="error-summary">
                    { i18n::error_count(props.parsed.error_count, lang) }
                </p>
            }
            { for set.catalogue.groups.iter().enumerate().map(|(g, _)| {
                let g = g as u16;
                html! {
                    <Group
                        key={g}
                        group={g}
                        draft={props.draft.clone()}
                        parsed={props.parsed.clone()}
                        lang={lang}
                        expanded={crate::state::group_open(props.expanded, g)}
                        compact={props.compact}
                        dispatch={props.dispatch.clone()}
                    />
                }
            }) }
        </section>
    }
}
