//! Evaluation settings: the as-of date, the application period (申报期) and the mode (by
//! registered district or compare all).

use butie::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub lang: Lang,
    pub as_of: String,
    /// Why the typed date cannot be used (today is used meanwhile).
    pub as_of_error: Option<butie::date::AsOfError>,
    pub application_period: String,
    pub application_period_error: Option<butie::Text>,
    pub today: String,
    pub compare_all: bool,
    pub on_action: Callback<Action>,
}

/// The settings fieldset.
#[function_component(Settings)]
pub fn settings(props: &SettingsProps) -> Html {
    let lang = props.lang;
    let on_as_of = {
        props.on_action.reform(|e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Action::SetAsOf(input.value())
        })
    };
    let on_period = {
        props.on_action.reform(|e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Action::SetApplicationPeriod(input.value())
        })
    };
    let period_error = props.application_period_error.as_ref();
    let period_described = if period_error.is_some() {
        "butie-period-help butie-period-error"
    } else {
        "butie-period-help"
    };
    let on_today = {
        let today = props.today.clone();
        props
            .on_action
            .reform(move |_| Action::SetAsOf(today.clone()))
    };
    let mode = |compare: bool, label: i18n::Tr, id: &'static str| {
        let onchange = props
            .on_action
            .reform(move |_: Event| Action::SetCompareAll(compare));
        html! {
            <label class="radio" for={id}>
                <input type="radio" id={id} name="butie-mode" checked={props.compare_all == compare}
                    {onchange} data-testid={id} />
                { label.get(lang) }
            </label>
        }
    };
    let described = if props.as_of_error.is_some() {
        "butie-as-of-help butie-as-of-error"
    } else {
        "butie-as-of-help"
    };
    html! {
        <fieldset class="settings" id="butie-settings">
            <legend>{ i18n::SETTINGS.get(lang) }</legend>
            <div class={classes!("field", props.as_of_error.map(|_| "invalid"))}>
                <label for="butie-as-of">{ i18n::AS_OF.get(lang) }</label>
                <div class="control">
                    <input id="butie-as-of" type="text" inputmode="numeric" autocomplete="off"
                        placeholder={i18n::DATE_PLACEHOLDER} value={props.as_of.clone()} oninput={on_as_of}
                        aria-invalid={props.as_of_error.is_some().to_string()} aria-describedby={described}
                        data-testid="as-of" />
                    <button type="button" onclick={on_today}
                        disabled={props.as_of == props.today}>{ i18n::TODAY.get(lang) }</button>
                </div>
                <p class="help" id="butie-as-of-help">{ i18n::AS_OF_HELP.get(lang) }</p>
                if let Some(e) = props.as_of_error {
                    <p class="error" id="butie-as-of-error" data-testid="as-of-error">
                        { e.text().get(lang) }{ i18n::semi(lang) }{ i18n::TODAY_MEANWHILE.get(lang) }
                    </p>
                }
            </div>
            <div class={classes!("field", period_error.map(|_| "invalid"))}>
                <label for={crate::draft::APPLICATION_PERIOD_ID}>{ i18n::APPLICATION_PERIOD.get(lang) }</label>
                <input id={crate::draft::APPLICATION_PERIOD_ID} type="text" autocomplete="off"
                    placeholder={i18n::PERIOD_PLACEHOLDER} value={props.application_period.clone()} oninput={on_period}
                    aria-invalid={period_error.is_some().to_string()} aria-describedby={period_described}
                    data-testid="application-period" />
                <p class="help" id="butie-period-help">{ i18n::APPLICATION_PERIOD_HELP.get(lang) }</p>
                if let Some(e) = period_error {
                    <p class="error" id="butie-period-error">{ e.get(lang) }</p>
                }
            </div>
            <fieldset class="mode">
                <legend>{ i18n::MODE.get(lang) }</legend>
                { mode(false, i18n::MODE_REGISTERED, "butie-mode-registered") }
                { mode(true, i18n::MODE_COMPARE, "butie-mode-compare") }
                <p class="help">{ i18n::MODE_COMPARE_HELP.get(lang) }</p>
            </fieldset>
        </fieldset>
    }
}
