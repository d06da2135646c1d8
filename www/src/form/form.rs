//! The form: the registered district, then what that district's clauses read (most money
//! first, each with its stake, and how many are still unanswered), the other fields behind one
//! switch, the report's name and money unit, and the evaluation settings last.

use std::rc::Rc;

use butie::Lang;
use butie::eval::Stake;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::FormEvents;
use super::field::Field;
use super::list::List;
use super::settings::Settings;
use crate::asked::{self, Asked, Entry};
use crate::data;
use crate::draft::{Draft, FieldRef, MoneyUnit, Parsed};
use crate::i18n;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct FormProps {
    pub draft: Rc<Draft>,
    pub parsed: Rc<Parsed>,
    /// What the chosen district(s) read, most money first.
    pub asked: Rc<Asked>,
    /// How many of those are shown and still unanswered.
    pub remaining: usize,
    pub lang: Lang,
    /// The fields no clause of the chosen district reads are shown.
    pub others_open: bool,
    pub as_of: String,
    pub as_of_error: Option<butie::date::AsOfError>,
    pub application_period: String,
    /// Why the typed application period cannot be read, if it cannot.
    pub application_period_error: Option<butie::Text>,
    pub today: String,
    pub compare_all: bool,
    pub compact: bool,
    pub events: FormEvents,
}

/// What depends on an input, in words: "最高 300万元", "每一条的前提", "金额未定".
fn stake_text(s: &Stake, lang: Lang) -> String {
    match (s.gate, s.up_to) {
        (true, _) => i18n::STAKE_GATE.get(lang).to_string(),
        (false, Some(v)) => format!(
            "{} {}",
            i18n::UP_TO.get(lang),
            i18n::money_in(v, lang, false)
        ),
        (false, None) => i18n::STAKE_NONE.get(lang).to_string(),
    }
}

/// The whole form.
#[function_component(Form)]
pub fn form(props: &FormProps) -> Html {
    let lang = props.lang;
    let Ok(set) = data::policy_set() else {
        return Html::default();
    };
    let cat = &set.catalogue;
    let district = asked::district_fact(set);
    let asked = &props.asked;
    let events = &props.events;
    let field = |f: u16, stake: Option<String>| {
        let at = FieldRef::Fact(f);
        html! {
            <Field key={format!("f{f}")} target={at} raw={props.draft.raw(at).to_string()}
                error={props.parsed.error(at).cloned()} lang={lang} unit={props.draft.unit}
                compact={props.compact} stake={stake} on_set={events.set.clone()} />
        }
    };
    let list = |l: u16, only: Option<Rc<Asked>>, stake: Option<String>| {
        html! {
            <List key={format!("l{l}")} list={l} draft={props.draft.clone()} parsed={props.parsed.clone()}
                lang={lang} compact={props.compact} only={only} stake={stake} events={events.clone()} />
        }
    };
    let ranked = !asked.districts.is_empty();

    // The fields the district reads, in the order asked.
    let asked_part = ranked.then(|| {
        let names: Vec<&str> = asked
            .districts
            .iter()
            .filter_map(|d| set.policies.iter().find(|p| &p.meta.district == d))
            .map(|p| p.meta.district_name.get(lang))
            .collect();
        let entries = asked.entries(district).into_iter().filter_map(|e| match e {
            Entry::Fact(f, s) => props
                .parsed
                .visible(FieldRef::Fact(f))
                .then(|| field(f, Some(stake_text(&s, lang)))),
            // All of an item's fields once the other fields are open.
            Entry::List(l, s) => Some(list(
                l,
                (!props.others_open).then(|| asked.clone()),
                Some(stake_text(&s, lang)),
            )),
        });
        html! {
            <section class="asked" aria-labelledby="butie-asked-title" data-testid="asked">
                <h3 id="butie-asked-title">{ i18n::ranked_title(&names.join(i18n::list_sep(lang)), lang) }</h3>
                <p class="remaining" role="status" data-testid="remaining">{ i18n::remaining(props.remaining, lang) }</p>
                { for entries }
            </section>
        }
    });

    // Everything else, by catalogue group: shown when open (fields with an error always).
    let mut others = 0usize;
    let groups = cat.groups.iter().map(|g| {
        let facts: Vec<Html> = cat
            .facts_in_group(&g.id)
            .filter(|(f, _)| Some(*f) != district && !(ranked && asked.reads_fact(*f)))
            .filter(|(f, _)| props.parsed.visible(FieldRef::Fact(*f)))
            .filter_map(|(f, _)| {
                others += 1;
                let shown = props.others_open || props.parsed.error(FieldRef::Fact(f)).is_some();
                shown.then(|| field(f, None))
            })
            .collect();
        let lists: Vec<Html> = cat
            .lists
            .iter()
            .enumerate()
            .filter(|(l, def)| {
                def.group == g.id
                    && !(ranked
                        && asked
                            .entries(None)
                            .iter()
                            .any(|e| matches!(e, Entry::List(x, _) if usize::from(*x) == *l)))
            })
            .filter_map(|(l, _)| {
                others += 1;
                props.others_open.then(|| list(l as u16, None, None))
            })
            .collect();
        (!facts.is_empty() || !lists.is_empty()).then(|| {
            html! {
                <fieldset class="group" key={g.id.clone()} data-group={g.id.clone()}>
                    <legend>{ g.label.get(lang) }</legend>
                    if let (Some(help), false) = (&g.help, props.compact) {
                        <p class="help group-help">{ help.get(lang) }</p>
                    }
                    { for facts }
                    { for lists }
                </fieldset>
            }
        })
    });
    let groups: Vec<Html> = groups.flatten().collect();
    let names: Vec<&str> = asked
        .districts
        .iter()
        .filter_map(|d| set.policies.iter().find(|p| &p.meta.district == d))
        .map(|p| p.meta.district_name.get(lang))
        .collect();
    let toggle_others = events.action.reform(|_| Action::ToggleOthers);

    let on_name = events.action.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Action::SetName(input.value())
    });
    let unit_radio = |unit: MoneyUnit, label: i18n::Tr, id: &'static str| {
        let onchange = events.action.reform(move |_: Event| Action::SetUnit(unit));
        html! {
            <label class="radio" for={id}>
                <input type="radio" id={id} name="butie-unit" checked={props.draft.unit == unit} {onchange} />
                { label.get(lang) }
            </label>
        }
    };
    let chosen = district
        .map(|f| !props.draft.raw(FieldRef::Fact(f)).is_empty())
        .unwrap_or(false);
    html! {
        <section class="form" aria-labelledby="butie-form-title">
            <h2 id="butie-form-title">{ i18n::FORM.get(lang) }</h2>
            if props.parsed.error_count > 0 {
                <p class="error-summary" role="status" data-testid="error-summary">
                    { i18n::error_count(props.parsed.error_count, lang) }
                </p>
            }
            if let Some(d) = district {
                { field(d, None) }
            }
            if let Some(part) = asked_part {
                { part }
            } else {
                <p class="help ask-district" data-testid="ask-district">
                    { if chosen && !props.compare_all { i18n::NOT_ENCODED_FORM.get(lang) } else { i18n::ASK_DISTRICT_FIRST.get(lang) } }
                </p>
            }
            if others > 0 {
                <button type="button" class="link more" aria-expanded={props.others_open.to_string()}
                    aria-controls="butie-others" onclick={toggle_others} data-testid="others-toggle">
                    { i18n::other_fields(others, ranked.then(|| names.join(i18n::list_sep(lang))).as_deref(), lang) }
                </button>
            }
            <div class="others" id="butie-others">{ for groups }</div>
            <fieldset class="report-info">
                <legend>{ i18n::REPORT_INFO.get(lang) }</legend>
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
            </fieldset>
            <Settings
                lang={lang}
                as_of={props.as_of.clone()}
                as_of_error={props.as_of_error}
                application_period={props.application_period.clone()}
                application_period_error={props.application_period_error.clone()}
                today={props.today.clone()}
                compare_all={props.compare_all}
                on_action={events.action.clone()}
            />
        </section>
    }
}
