//! A list of conditions, each met / not met / unknown / on review, with the inputs it read.

use butie::Lang;
use yew::prelude::*;

use crate::i18n;
use crate::view::CondView;

#[derive(Properties, PartialEq)]
pub struct ConditionsProps {
    pub title: &'static str,
    pub conditions: Vec<CondView>,
    pub lang: Lang,
}

/// Conditions with their state and inputs.
#[function_component(Conditions)]
pub fn conditions(props: &ConditionsProps) -> Html {
    let lang = props.lang;
    html! {
        <div class="conditions">
            <h4>{ props.title }</h4>
            <ul>
                { for props.conditions.iter().map(|c| {
                    let inputs: Vec<String> = c.inputs.iter().map(|i| {
                        let value = i.value.as_ref().map_or_else(
                            || i18n::NOT_GIVEN.get(lang).to_string(),
                            |v| v.get(lang).to_string(),
                        );
                        let item = i.item.map(|n| format!(" #{}", n + 1)).unwrap_or_default();
                        let sep = i18n::colon(lang);
                        // "信用记录良好（是）" rather than "信用记录良好（信用记录良好：是）".
                        if i.label == c.label && i.item.is_none() {
                            value
                        } else {
                            format!("{}{item}{sep}{value}", i.label.get(lang))
                        }
                    }).collect();
                    html! {
                        <li class={classes!("condition", i18n::cond_class(c.state))}>
                            <span class="icon" aria-hidden="true">{ i18n::cond_icon(c.state) }</span>
                            <span class="state">{ i18n::cond_state(c.state, lang) }</span>
                            <span class="what">
                                <span class="label">{ c.label.get(lang) }</span>
                                if !inputs.is_empty() {
                                    <span class="inputs">{ i18n::paren(&inputs.join(i18n::semi(lang)), lang) }</span>
                                }
                            </span>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
