//! On narrow screens the results come after a long form: a bar stuck to the bottom shows
//! what is available now and jumps to the results.

use std::rc::Rc;

use butie::Lang;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::calc::Outcome;
use crate::i18n;

#[derive(Properties, PartialEq)]
pub struct SummaryBarProps {
    pub outcome: Rc<Outcome>,
    pub lang: Lang,
    pub full_yuan: bool,
}

/// The sticky summary (shown by the stylesheet on narrow screens only).
#[function_component(SummaryBar)]
pub fn summary_bar(props: &SummaryBarProps) -> Html {
    let lang = props.lang;
    let Ok(view) = &props.outcome.view else {
        return Html::default();
    };
    let jump = Callback::from(|e: MouseEvent| {
        let target = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest(".butie").ok().flatten())
            .and_then(|root| root.query_selector("#butie-results").ok().flatten());
        if let Some(results) = target {
            results.scroll_into_view();
        }
    });
    let now = view.available_now;
    html! {
        <div class="summary-bar no-print" data-testid="summary-bar">
            <span>{ format!("{} {}", i18n::UP_TO.get(lang), i18n::money_in(now.up_to, lang, props.full_yuan)) }</span>
            <button type="button" onclick={jump}>{ i18n::SEE_RESULTS.get(lang) }</button>
        </div>
    }
}
