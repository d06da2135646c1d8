//! Near-miss hints ("CMMI 3级 → 4级，可再增 30万元") and the inputs still missing, each a
//! link that opens and focuses its field.

use butie::{Lang, Text};
use yew::prelude::*;

use crate::i18n;
use crate::view::{MissingView, Reveal};

#[derive(Properties, PartialEq)]
pub struct HintsProps {
    pub hints: Vec<Text>,
    pub missing: Vec<MissingView>,
    pub lang: Lang,
    /// The policy is not in force: what the hints unlock is hypothetical ("施行后", "若仍有效"…).
    #[prop_or_default]
    pub hypothetical: Option<butie::words::Word>,
    pub on_reveal: Callback<Reveal>,
}

/// Hints and missing inputs.
#[function_component(Hints)]
pub fn hints(props: &HintsProps) -> Html {
    let lang = props.lang;
    let missing = props.missing.iter().enumerate().map(|(i, m)| {
        let mut label = m.label.get(lang).to_string();
        if let Some(item) = m.item {
            label = format!("{label} (#{})", item + 1);
        }
        let sep = if i == 0 { "" } else { i18n::list_sep(lang) };
        let link = match m.reveal() {
            Some(to) => {
                let onclick = props.on_reveal.reform(move |_| to);
                html! { <button type="button" class="link" {onclick}>{ label }</button> }
            }
            None => html! { <span>{ label }</span> },
        };
        html! { <>{ sep }{ link }</> }
    });
    html! {
        <>
            if !props.missing.is_empty() {
                <p class="missing no-print-links" data-testid="missing">
                    <span class="label">{ i18n::MISSING.get(lang) }</span>
                    { for missing }
                </p>
            }
            if !props.hints.is_empty() {
                <div class="hints" data-testid="hints">
                    <h4>{ match props.hypothetical {
                        Some(h) => format!("{}{}", h.get(lang), i18n::HINTS_IF.get(lang)),
                        None => i18n::HINTS.get(lang).to_string(),
                    } }</h4>
                    <ul>{ for props.hints.iter().map(|h| html! { <li>{ h.get(lang) }</li> }) }</ul>
                </div>
            }
        </>
    }
}
