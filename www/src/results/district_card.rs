//! One district's card: policy, state badge, the window notice (a banner when the document ends
//! within 60 days), the date the data was checked against its source, the district's other
//! documents, totals, applicant conditions, clauses, and what to do next (who to apply to and
//! the procedure sentences, quoted).

use std::rc::Rc;

use butie::date::fmt_date;
use butie::report::Status;
use butie::{Lang, words};
use yew::prelude::*;

use super::clause::Clause;
use super::conditions::Conditions;
use crate::view::Reveal;
use crate::view::{DistrictView, TotalsView};
use crate::{data, i18n};

#[derive(Properties, PartialEq)]
pub struct DistrictCardProps {
    pub district: Rc<DistrictView>,
    pub lang: Lang,
    pub full_yuan: bool,
    pub details: bool,
    /// Show only the summary until asked (the registered district is not given yet, so
    /// every clause would only say "needs information").
    pub summary: bool,
    pub on_reveal: Callback<Reveal>,
}

fn totals_line(t: &TotalsView, lang: Lang, full: bool) -> Html {
    html! {
        <>
            <span class="definite" data-testid="definite">{ format!("{} {}", i18n::DEFINITE.get(lang), i18n::money_in(t.definite, lang, full)) }</span>
            <span class="sep" aria-hidden="true">{ " · " }</span>
            <strong class="up-to" data-testid="up-to">{ format!("{} {}", i18n::UP_TO.get(lang), i18n::money_in(t.up_to, lang, full)) }</strong>
        </>
    }
}

/// A district card.
#[function_component(DistrictCard)]
pub fn district_card(props: &DistrictCardProps) -> Html {
    let lang = props.lang;
    let full = props.full_yuan;
    let d = &props.district;
    let show_no = use_state(|| false);
    let show_all = use_state(|| false);
    let all_id = format!("butie-d-{}-all", d.district);
    let title_id = format!("butie-d-{}", d.district);
    let no_id = format!("butie-d-{}-no", d.district);
    let window = match (&d.effective_from, &d.effective_to) {
        (Some(from), Some(to)) => format!(
            "{} {}",
            i18n::WINDOW.get(lang),
            i18n::window(from, to, lang)
        ),
        (Some(from), None) => format!("{} {from} –", i18n::WINDOW.get(lang)),
        _ => i18n::NO_WINDOW.get(lang).to_string(),
    };
    let state_class = i18n::policy_state_class(d.state);
    let (met, no): (Vec<_>, Vec<_>) = d
        .clauses
        .iter()
        .partition(|c| c.status_if_in_force != Status::NotEligible);
    let clause = |c: &Rc<crate::view::ClauseView>| {
        html! {
            <Clause key={c.id.clone()} clause={c.clone()} payable_now={d.payable_now} hypothetical={d.hypothetical}
                lang={lang} full_yuan={full} details={props.details} on_reveal={props.on_reveal.clone()} />
        }
    };
    let meta = data::policy_set()
        .ok()
        .and_then(|set| set.document(&d.policy_id))
        .map(|p| &p.meta);
    let toggle_no = {
        let show_no = show_no.clone();
        Callback::from(move |_| show_no.set(!*show_no))
    };
    let toggle_all = {
        let show_all = show_all.clone();
        Callback::from(move |_| show_all.set(!*show_all))
    };
    let open = !props.summary || *show_all;
    let counts = if d.payable_now {
        &d.totals
    } else {
        &d.if_in_force
    };
    html! {
        <article class={classes!("card", state_class)} aria-labelledby={title_id.clone()}
            data-district={d.district.clone()} data-testid={format!("district-{}", d.district)}
            data-state={i18n::policy_state_id(d.state)}>
            <header class="card-head">
                <h3 id={title_id}>
                    { d.name.get(lang) }
                    <span class={classes!("badge", "state", state_class)} data-testid="policy-state">
                        { d.badge.get(lang) }
                    </span>
                </h3>
                <p class="doc">
                    { d.doc_no.clone().unwrap_or_else(|| i18n::DRAFT_NO_DOC_NO.get(lang).to_string()) }
                    { format!(" 《{}》", d.title.get(lang)) }
                </p>
                <p class="window">
                    { window }
                    if let Some(m) = meta {
                        { format!(" · {}", words::verified_on(m.verified_on).get(lang)) }
                    }
                </p>
                // A banner when the document ends within 60 days.
                <p class={classes!("lifecycle", d.ending_soon.then_some("banner"))} data-testid="lifecycle"
                    role={d.ending_soon.then_some("status")}>{ d.notice.get(lang) }</p>
                if let Some(c) = &d.coverage {
                    <p class="coverage" data-testid="coverage">{ c.get(lang) }</p>
                }
                if !d.history.is_empty() {
                    <div class="history" data-testid="history">
                        <h4>{ words::HISTORY.get(lang) }</h4>
                        <ul>{ for d.history.iter().map(|h| html! { <li>{ h.get(lang) }</li> }) }</ul>
                    </div>
                }
                { for d.window_notes.iter().map(|n| html! { <p class="help">{ n.get(lang) }</p> }) }
                if let Some((pack, replaced)) = &d.pack {
                    <p class="help pack-note" data-testid="pack-note">
                        { format!("{} “{pack}”", i18n::PACKS_FROM.get(lang)) }
                        if *replaced { { format!("{}{}", i18n::list_sep(lang), i18n::PACKS_REPLACED.get(lang)) } }
                    </p>
                }
            </header>
            <div class={classes!("totals", (!d.payable_now).then_some("off"))} data-testid="totals"
                data-definite-yuan={butie::money::to_fixed2(d.totals.definite)} data-up-to-yuan={butie::money::to_fixed2(d.totals.up_to)}
                data-if-in-force-up-to-yuan={butie::money::to_fixed2(d.if_in_force.up_to)}>
                if d.payable_now {
                    { totals_line(&d.totals, lang, full) }
                } else {
                    <span class="if-in-force">{ format!("{}{}", d.hypothetical.get(lang), i18n::colon(lang)) }</span>
                    { totals_line(&d.if_in_force, lang, full) }
                    <span class="not-counted">{ i18n::paren(i18n::NOT_COUNTED.get(lang), lang) }</span>
                }
            </div>
            <p class="counts">{ counts.counts(lang) }</p>
            if props.summary {
                <button type="button" class="link show-all" aria-expanded={show_all.to_string()}
                    aria-controls={all_id.clone()} onclick={toggle_all}>
                    { format!("{} ({}) · {}", i18n::ALL_CLAUSES.get(lang), d.clauses.len(),
                        if *show_all { i18n::HIDE.get(lang) } else { i18n::SHOW.get(lang) }) }
                </button>
            }
            if open || props.details {
            <div class={classes!("card-body", (!open).then_some("collapsed"))} id={all_id}>
            if !d.applicant.is_empty() {
                <div class="applicant">
                    <Conditions title={i18n::APPLICANT.get(lang)} conditions={d.applicant.to_vec()} lang={lang} />
                    if d.readings.iter().any(|r| r.differs) {
                        { super::clause::readings(&d.readings, lang) }
                    }
                </div>
            }
            <ol class="clauses">{ for met.into_iter().map(clause) }</ol>
            if !no.is_empty() {
                <div class="not-met">
                    <button type="button" class="link" aria-expanded={show_no.to_string()} aria-controls={no_id.clone()}
                        onclick={toggle_no}>
                        { format!("{} ({}) · {}", i18n::NOT_ELIGIBLE_CLAUSES.get(lang), no.len(),
                            if *show_no { i18n::HIDE.get(lang) } else { i18n::SHOW.get(lang) }) }
                    </button>
                    if *show_no || props.details {
                        <ol class={classes!("clauses", (!*show_no).then_some("collapsed"))} id={no_id}>
                            { for no.into_iter().map(clause) }
                        </ol>
                    }
                </div>
            }
            if let Some(m) = meta {
                <div class="next" data-testid="next-steps">
                    <h4>{ words::NEXT_STEPS.get(lang) }</h4>
                    <p>{ format!("{}{}{}", words::ISSUERS.get(lang), i18n::colon(lang), m.issuers.join(i18n::list_sep(lang))) }</p>
                    <ol>
                        { for m.procedure.iter().map(|st| html! {
                            <li>{ format!("{} {}{}“{}”", st.article, st.title.get(lang), i18n::colon(lang), st.quote) }</li>
                        }) }
                        { for m.dates.iter().map(|st| html! {
                            <li>{ format!("{} {} {}{}“{}”", fmt_date(st.on), st.article, st.title.get(lang), i18n::colon(lang), st.quote) }</li>
                        }) }
                    </ol>
                </div>
            }
            </div>
            }
        </article>
    }
}
