//! The results column: mode and date, what is available now (with a banner when a document it
//! counts ends within 60 days), and one card per district.

use std::cell::Cell;
use std::rc::Rc;

use butie::Lang;
use yew::prelude::*;

use super::district_card::DistrictCard;
use super::print_header::PrintHeader;
use crate::calc::{Outcome, Registered};
use crate::data;
use crate::draft::Parsed;
use crate::i18n;
use crate::view::{ReportView, Reveal};

/// The Performance API mark set once the first results are in the page.
pub const FIRST_RESULTS_MARK: &str = "butie:first-results";

thread_local! {
    static MARKED: Cell<bool> = const { Cell::new(false) };
}

/// Marks [`FIRST_RESULTS_MARK`] once per page.
fn mark_first_results() {
    if MARKED.with(|m| m.replace(true)) {
        return;
    }
    if let Some(performance) = web_sys::window().and_then(|w| w.performance())
        && let Err(e) = performance.mark(FIRST_RESULTS_MARK)
    {
        gloo::console::warn!(format!(
            "butie: performance.mark: {}",
            crate::export::js_error(&e)
        ));
    }
}

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub outcome: Rc<Outcome>,
    pub parsed: Rc<Parsed>,
    pub lang: Lang,
    pub full_yuan: bool,
    /// Render every clause's details (hidden until opened; printed).
    pub details: bool,
    /// Called once the first results are on screen.
    pub on_first_results: Callback<()>,
    /// Compare every district (from the "other districts" note).
    pub on_compare: Callback<()>,
    /// Show and focus a field ("please add", a question).
    pub on_reveal: Callback<Reveal>,
}

/// The results.
#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let lang = props.lang;
    let full = props.full_yuan;
    let has_view = props.outcome.view.is_ok();
    {
        let done = props.on_first_results.clone();
        use_effect_with(has_view, move |has_view| {
            if *has_view {
                mark_first_results();
                crate::app::after_paint(move || done.emit(()));
            }
        });
    }
    let compare = props.on_compare.reform(|_: MouseEvent| ());
    let view = match &props.outcome.view {
        Ok(view) => view.clone(),
        Err(e) => {
            return html! {
                <section class="results" id="butie-results">
                    <p class="notice error" role="alert">{ i18n::ERROR_EVALUATE.get(lang) }{ " " }{ e }</p>
                </section>
            };
        }
    };
    let encoded: Vec<&butie::Text> = data::policy_set()
        .map(|set| set.policies.iter().map(|p| &p.meta.district_name).collect())
        .unwrap_or_default();
    let names = |list: &[&butie::Text]| {
        list.iter()
            .map(|t| t.get(lang))
            .collect::<Vec<_>>()
            .join(i18n::list_sep(lang))
    };
    let registered_note = match &props.outcome.registered {
        Registered::Fine if !view.compare_all => {
            let shown: Vec<&str> = view.districts.iter().map(|d| d.district.as_str()).collect();
            let others: Vec<&butie::Text> = data::policy_set()
                .map(|set| {
                    set.policies
                        .iter()
                        .filter(|p| !shown.contains(&p.meta.district.as_str()))
                        .map(|p| &p.meta.district_name)
                        .collect()
                })
                .unwrap_or_default();
            (!others.is_empty()).then(|| html! {
                <p class="note no-print">
                    { i18n::OTHER_DISTRICTS.get(lang) }{ i18n::colon(lang) }{ names(&others) }{ " " }
                    <button type="button" class="link" onclick={compare.clone()}>{ i18n::SHOW_COMPARE.get(lang) }</button>
                </p>
            })
        }
        Registered::Fine => None,
        Registered::Unknown => Some(html! {
            <p class="notice" role="status" data-testid="pick-district">{ i18n::PICK_DISTRICT.get(lang) }</p>
        }),
        Registered::NotEncoded(name) => Some(html! {
            <p class="notice" role="status" data-testid="not-encoded">
                { format!("{}{}", name.get(lang), i18n::colon(lang)) }{ i18n::NO_POLICY_FOR.get(lang) }{ names(&encoded) }{ " " }
                <button type="button" class="link" onclick={compare.clone()}>{ i18n::SHOW_COMPARE.get(lang) }</button>
            </p>
        }),
    };
    let now = view.available_now;
    // Documents counted in the total that end within 60 days; with none in force, why the
    // total is nothing (each district's coverage line), never a bare 0.
    let none_in_force = !view.districts.iter().any(|d| d.payable_now);
    let mut ending: Vec<Html> = Vec::new();
    let mut coverage: Vec<Html> = Vec::new();
    for d in view.districts.iter() {
        if let (true, Some(c)) = (none_in_force, &d.coverage) {
            let name = format!("{}{}", d.name.get(lang), i18n::colon(lang));
            coverage.push(html! { <p>{ name }{ c.get(lang) }</p> });
        }
        if d.payable_now && d.ending_soon {
            let name = format!(
                "{} {} · ",
                d.name.get(lang),
                d.doc_no.as_deref().unwrap_or_default()
            );
            ending.push(html! { <p>{ name }{ d.notice.get(lang) }</p> });
        }
    }
    html! {
        <section class="results" id="butie-results" aria-labelledby="butie-results-title">
            <PrintHeader view={view.clone()} parsed={props.parsed.clone()} lang={lang} />
            <h2 id="butie-results-title" tabindex="-1">{ i18n::RESULTS.get(lang) }</h2>
            <p class="meta">
                { format!("{} {} · ", i18n::AS_OF_LINE.get(lang), view.as_of) }
                { if view.compare_all { i18n::MODE_LINE_COMPARE.get(lang) } else { i18n::MODE_LINE_REGISTERED.get(lang) } }
            </p>
            { registered_note.unwrap_or_default() }
            <div class="available" data-testid="available-now" role="status">
                <span class="label">{ i18n::AVAILABLE_NOW.get(lang) }</span>
                <span class="figures">
                    <span class="definite">{ format!("{} {}", i18n::DEFINITE.get(lang), i18n::money_in(now.definite, lang, full)) }</span>
                    <span class="sep" aria-hidden="true">{ " · " }</span>
                    <strong class="up-to" data-testid="available-up-to">{ format!("{} {}", i18n::UP_TO.get(lang), i18n::money_in(now.up_to, lang, full)) }</strong>
                </span>
                if !now.discretionary.is_zero() {
                    <span class="split" data-testid="available-split">
                        { format!("{} {} {} · {} {}", i18n::OF_WHICH.get(lang),
                            i18n::FORMULA_BASED.get(lang), i18n::money_in(now.formula_based(), lang, full),
                            i18n::DISCRETIONARY.get(lang), i18n::money_in(now.discretionary, lang, full)) }
                    </span>
                }
            </div>
            if !ending.is_empty() {
                <div class="banner" data-testid="ending-soon-total">{ ending }</div>
            }
            if !coverage.is_empty() {
                <div class="coverage" data-testid="coverage-total">{ coverage }</div>
            }
            { legend(lang) }
            { questions(&view, lang, &props.on_reveal) }
            <div class="cards">
                { for view.districts.iter().map(|d| html! {
                    <DistrictCard
                        key={d.district.clone()}
                        district={d.clone()}
                        lang={lang}
                        full_yuan={full}
                        details={props.details}
                        summary={props.outcome.registered == Registered::Unknown}
                        on_reveal={props.on_reveal.clone()}
                    />
                }) }
            </div>
        </section>
    }
}

/// "金额怎么读": the money words of the core, explained.
fn legend(lang: Lang) -> Html {
    html! {
        <details class="legend no-print" data-testid="legend">
            <summary>{ i18n::LEGEND.get(lang) }</summary>
            <dl>
                { for butie::words::LEGEND.iter().map(|(term, meaning)| html! {
                    <>
                        <dt>{ term.get(lang) }</dt>
                        <dd>{ meaning.get(lang) }</dd>
                    </>
                }) }
            </dl>
        </details>
    }
}

/// "可能还能申请": the largest unknowns as questions, each a link to where to answer.
fn questions(view: &ReportView, lang: Lang, on_reveal: &Callback<Reveal>) -> Html {
    if view.questions.is_empty() {
        return Html::default();
    }
    html! {
        <section class="questions no-print" aria-labelledby="butie-questions-title" data-testid="questions">
            <h3 id="butie-questions-title">{ i18n::QUESTIONS.get(lang) }</h3>
            <p class="help">{ i18n::QUESTIONS_HELP.get(lang) }</p>
            <ul>
                { for view.questions.iter().map(|q| {
                    let text = q.text.get(lang).to_string();
                    match q.ask.as_ref().and_then(|m| m.reveal()) {
                        Some(to) => {
                            let onclick = on_reveal.reform(move |_| to);
                            html! { <li><button type="button" class="link" {onclick}>{ text }</button></li> }
                        }
                        None => html! { <li>{ text }</li> },
                    }
                }) }
            </ul>
        </section>
    }
}
