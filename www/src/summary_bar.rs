//! The results come after (phones) or beside (desktop) a long form: a bar stuck to the bottom
//! of the screen keeps what is available now and how many answers still change it in sight,
//! and moves focus to the results.

use std::rc::Rc;

use butie::Lang;
use yew::prelude::*;

use crate::calc::Outcome;
use crate::i18n;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct SummaryBarProps {
    pub outcome: Rc<Outcome>,
    pub lang: Lang,
    pub full_yuan: bool,
    /// Unanswered inputs that affect the amounts.
    pub remaining: usize,
    pub on_action: Callback<Action>,
}

/// The sticky summary.
#[function_component(SummaryBar)]
pub fn summary_bar(props: &SummaryBarProps) -> Html {
    let lang = props.lang;
    let Ok(view) = &props.outcome.view else {
        return Html::default();
    };
    let jump = props
        .on_action
        .reform(|_| Action::Focus(crate::app::RESULTS_HEADING));
    let now = view.available_now;
    html! {
        <div class="summary-bar no-print" data-testid="summary-bar">
            <span class="summary-total">{ format!("{} {}", i18n::UP_TO.get(lang), i18n::money_in(now.up_to, lang, props.full_yuan)) }</span>
            if props.remaining > 0 {
                <span class="summary-remaining">{ i18n::remaining(props.remaining, lang) }</span>
            }
            <button type="button" onclick={jump}>{ i18n::SEE_RESULTS.get(lang) }</button>
        </div>
    }
}
