//! One clause: status, amount and, expanded, its conditions, per-item results, arithmetic,
//! schedule, the verbatim quote with 文号 and article, the reading, notes and hints.

use std::rc::Rc;

use butie::Lang;
use butie::format::rate;
use butie::report::{AmountKind, Status};
use butie::words::Word;
use yew::prelude::*;

use super::conditions::Conditions;
use super::hints::Hints;
use crate::i18n;
use crate::view::Reveal;
use crate::view::{AmountView, ClauseView, InstallmentView, ItemView, ReadingView};

#[derive(Properties, PartialEq)]
pub struct ClauseProps {
    pub clause: Rc<ClauseView>,
    pub payable_now: bool,
    /// What amounts would be when not payable ("施行后", "若仍有效", "若正式施行").
    pub hypothetical: Word,
    pub lang: Lang,
    pub full_yuan: bool,
    /// Render the details even while closed (hidden on screen, printed).
    pub details: bool,
    pub on_reveal: Callback<Reveal>,
}

/// The amount, prefixed with what it would be when it does not count today.
fn amount_text(a: &AmountView, hypothetical: Option<Word>, lang: Lang, full: bool) -> String {
    let text = i18n::amount(a.kind, a.value, lang, full);
    let has_money = matches!(a.kind, AmountKind::Definite | AmountKind::UpTo);
    match hypothetical {
        Some(h) if has_money => format!("{} {text}", h.get(lang)),
        _ => text,
    }
}

fn steps(list: &[butie::Text], lang: Lang) -> Html {
    html! {
        <ol class="steps">{ for list.iter().map(|s| html! { <li>{ s.get(lang) }</li> }) }</ol>
    }
}

/// A schedule: each payment in its calendar year, those after the document's end marked; a
/// split the text does not state is said once, not once a year.
fn schedule(list: &[InstallmentView], kind: AmountKind, lang: Lang, full: bool) -> Html {
    let unsplit = list.iter().all(|i| i.share.is_none() && i.amount.is_none());
    html! {
        <>
        if unsplit {
            <p class="schedule-split">{ butie::words::schedule_unsplit(list.len()).get(lang) }</p>
        }
        <ul class="schedule" data-testid="schedule">
            { for list.iter().map(|i| {
                let amount = i.amount.map(|a| i18n::amount(kind, Some(a), lang, full));
                let what = match (i.share.map(rate), amount) {
                    (Some(s), Some(a)) => format!("{}{s} · {a}", i18n::colon(lang)),
                    (Some(x), None) | (None, Some(x)) => format!("{}{x}", i18n::colon(lang)),
                    (None, None) if unsplit => String::new(),
                    (None, None) => format!("{}{}", i18n::colon(lang), i18n::SCHEDULE_UNSPLIT.get(lang)),
                };
                html! {
                    <li class={classes!(i.past_end.then_some("past-end"))}>
                        { format!("{}{what}", i.label.get(lang)) }
                    </li>
                }
            }) }
        </ul>
        </>
    }
}

/// Other readings of the text with what each would pay, and the sentence each rests on.
pub fn readings(list: &[ReadingView], lang: Lang) -> Html {
    html! {
        <aside class="readings" data-testid="readings">
            <h4>{ i18n::READINGS.get(lang) }</h4>
            <ul>
                { for list.iter().map(|r| html! {
                    <li>
                        <p class="reading-text">{ r.text.get(lang) }</p>
                        if let Some(n) = &r.note {
                            <p class="help">{ n.get(lang) }</p>
                        }
                        <blockquote lang="zh-CN">{ r.quote.clone() }</blockquote>
                    </li>
                }) }
            </ul>
        </aside>
    }
}

fn item(it: &ItemView, hypothetical: Option<Word>, lang: Lang, full: bool) -> Html {
    let mut name = i18n::item_name(it.item_label.get(lang), it.index, lang);
    if let Some(n) = &it.name {
        name.push_str(i18n::colon(lang));
        name.push_str(n);
    }
    html! {
        <li class={classes!("item-result", i18n::status_class(it.status), (!it.counted).then_some("uncounted"))}>
            <p class="item-head">
                <span class="item-name">{ name }</span>
                <span class={classes!("badge", i18n::status_class(it.status))}>{ i18n::status(it.status, lang) }</span>
                <span class="amount">{ amount_text(&it.amount, hypothetical, lang, full) }</span>
            </p>
            if let Some(by) = &it.superseded_by {
                <p class="help">{ format!("{} {by}", i18n::SUPERSEDED_BY.get(lang)) }</p>
            }
            if !it.conditions.is_empty() {
                <Conditions title={i18n::CONDITIONS.get(lang)} conditions={it.conditions.clone()} lang={lang} />
            }
            if !it.steps.is_empty() {
                { steps(&it.steps, lang) }
            }
            if !it.schedule.is_empty() {
                { schedule(&it.schedule, it.amount.kind, lang, full) }
            }
        </li>
    }
}

/// A clause.
#[function_component(Clause)]
pub fn clause(props: &ClauseProps) -> Html {
    let lang = props.lang;
    let full = props.full_yuan;
    let c = &props.clause;
    let hypothetical = (!props.payable_now).then_some(props.hypothetical);
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let body_id = format!("butie-c-{}", c.id.replace('.', "-"));
    let basis = c.basis.word();
    let cite = &c.citation;
    let caption = format!(
        "{} {} 《{}》",
        cite.doc_no
            .clone()
            .unwrap_or_else(|| i18n::DRAFT_NO_DOC_NO.get(lang).to_string()),
        cite.article,
        cite.title.get(lang)
    );
    html! {
        <li class={classes!("clause", i18n::status_class(c.status))} data-clause={c.id.clone()}
            data-testid={format!("clause-{}", c.id)} data-status={i18n::status_id(c.status)}
            data-status-if-in-force={i18n::status_id(c.status_if_in_force)}
            data-amount-yuan={c.amount.value.map(butie::money::to_fixed2)} data-counted={c.counted.to_string()}>
            <button type="button" class="clause-head" aria-expanded={open.to_string()}
                aria-controls={(*open || props.details).then(|| body_id.clone())}
                onclick={toggle}>
                <span class={classes!("badge", i18n::status_class(c.status))} data-testid="status">{ i18n::status(c.status, lang) }</span>
                <span class="clause-title">
                    <span class="article">{ c.article.clone() }</span>{ " " }{ c.title.get(lang) }
                </span>
                <span class={classes!("amount", (!c.counted).then_some("uncounted"))} data-testid="amount">
                    { amount_text(&c.amount, hypothetical, lang, full) }
                </span>
            </button>
            if let (Some(note), Some(_)) = (&c.amount_note, c.amount.value) {
                <p class="amount-note" data-testid="amount-note">{ note.get(lang) }</p>
            }
            { for c.readings.iter().filter(|r| r.differs).map(|r| html! {
                <p class="reading-line" data-testid="reading-line">{ r.text.get(lang) }</p>
            }) }
            if c.status == Status::PolicyNotInForce {
                <p class="if-in-force-status">
                    { format!("{}{}", props.hypothetical.get(lang), i18n::colon(lang)) }
                    <span class={classes!("badge", i18n::status_class(c.status_if_in_force))}>{ i18n::status(c.status_if_in_force, lang) }</span>
                </p>
            }
            if let Some(n) = &c.schedule_notice {
                <p class="past-end-note" data-testid="past-end">{ n.get(lang) }</p>
            }
            if !c.missing.is_empty() {
                <Hints hints={Vec::new()} missing={c.missing.clone()} lang={lang} on_reveal={props.on_reveal.clone()} />
            }
            if *open || props.details {
            <div class={classes!("clause-body", (!*open).then_some("collapsed"))} id={body_id}>
                <p class="basis">{ basis.get(lang) }</p>
                if !c.interpretation.is_empty() {
                    <aside class="reading">
                        <h4>{ i18n::INTERPRETATION.get(lang) }</h4>
                        <ul>{ for c.interpretation.iter().map(|t| html! { <li>{ t.get(lang) }</li> }) }</ul>
                    </aside>
                }
                if !c.readings.is_empty() {
                    { readings(&c.readings, lang) }
                }
                if c.conditions.is_empty() {
                    <p class="help">{ i18n::NO_CONDITIONS.get(lang) }</p>
                } else {
                    <Conditions title={i18n::CONDITIONS.get(lang)} conditions={c.conditions.clone()} lang={lang} />
                }
                if !c.items.is_empty() {
                    <h4>{ i18n::ITEMS.get(lang) }</h4>
                    <ul class="items">{ for c.items.iter().map(|it| item(it, hypothetical, lang, full)) }</ul>
                }
                if !c.steps.is_empty() {
                    <h4>{ i18n::ARITHMETIC.get(lang) }</h4>
                    { steps(&c.steps, lang) }
                }
                if !c.schedule.is_empty() {
                    <h4>{ i18n::SCHEDULE.get(lang) }</h4>
                    { schedule(&c.schedule, c.amount.kind, lang, full) }
                }
                <figure class="citation">
                    <figcaption>{ format!("{}{}{caption}", i18n::CITATION.get(lang), i18n::colon(lang)) }</figcaption>
                    <blockquote lang="zh-CN" data-testid="quote">{ cite.quote.clone() }</blockquote>
                    { for cite.extra_quotes.iter().map(|q| html! { <blockquote lang="zh-CN">{ q.clone() }</blockquote> }) }
                </figure>
                if !c.notes.is_empty() {
                    <h4>{ i18n::NOTES.get(lang) }</h4>
                    <ul class="notes">{ for c.notes.iter().map(|t| html! { <li>{ t.get(lang) }</li> }) }</ul>
                }
                if !c.hints.is_empty() {
                    <Hints hints={c.hints.clone()} missing={Vec::new()} lang={lang}
                        hypothetical={hypothetical} on_reveal={props.on_reveal.clone()} />
                }
            </div>
            }
        </li>
    }
}
