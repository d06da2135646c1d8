//! A list of items (projects, game products): its items, an "add" button and, while it has no
//! items, the answer "none" ("没有项目"): a list with neither is not answered (unknown).

use std::rc::Rc;

use butie::Lang;
use yew::prelude::*;

use super::FormEvents;
use super::item::Item;
use crate::asked::Asked;
use crate::data;
use crate::draft::{Draft, Parsed};
use crate::i18n;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ListProps {
    pub list: u16,
    pub draft: Rc<Draft>,
    pub parsed: Rc<Parsed>,
    pub lang: Lang,
    pub compact: bool,
    /// Only the fields these stakes name in each item (and any with a value); `None`: all.
    #[prop_or_default]
    pub only: Option<Rc<Asked>>,
    /// What depends on the list ("最高 500万元"), shown next to its title.
    #[prop_or_default]
    pub stake: Option<String>,
    pub events: FormEvents,
}

/// The DOM id of a list's "none" answer (where a "please add" for the list takes the user).
pub fn none_dom_id(list: u16) -> String {
    format!("butie-none{list}")
}

/// A list.
#[function_component(List)]
pub fn list(props: &ListProps) -> Html {
    let lang = props.lang;
    let Some(def) = data::list_def(props.list) else {
        return Html::default();
    };
    let count = props
        .draft
        .lists
        .get(usize::from(props.list))
        .map_or(0, Vec::len);
    let full = count >= def.max_items as usize;
    let add = {
        let list = props.list;
        props.events.add.reform(move |_| list)
    };
    let title_id = format!("butie-list{}", props.list);
    let none = props.draft.is_none(props.list);
    let on_none = {
        let list = props.list;
        props.events.action.reform(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            Action::SetNone(list, input.checked())
        })
    };
    let none_id = none_dom_id(props.list);
    html! {
        <section class="list" aria-labelledby={title_id.clone()} data-list={def.id.clone()}>
            <h3 id={title_id}>{ def.label.get(lang) }</h3>
            if let Some(stake) = &props.stake {
                <span class="stake" data-testid="stake">{ stake }</span>
            }
            if let (Some(help), false) = (&def.help, props.compact) {
                <p class="help">{ help.get(lang) }</p>
            }
            if count == 0 {
                <label class="radio none-answer" for={none_id.clone()}>
                    <input type="checkbox" id={none_id} checked={none} onchange={on_none}
                        data-testid={format!("none-{}", def.id)} />
                    { butie::words::list_none(&def.item_label, lang) }
                </label>
            }
            { for (0..count).map(|index| html! {
                <Item
                    key={index}
                    list={props.list}
                    index={index}
                    draft={props.draft.clone()}
                    parsed={props.parsed.clone()}
                    lang={lang}
                    compact={props.compact}
                    only={props.only.clone()}
                    events={props.events.clone()}
                />
            }) }
            <button type="button" class="add" onclick={add} disabled={full} data-testid={format!("add-{}", def.id)}>
                { format!("+ {} {}", i18n::ADD_ITEM.get(lang), def.item_label.get(lang)) }
                if full {
                    { i18n::paren(i18n::MAX_ITEMS.get(lang), lang) }
                }
            </button>
        </section>
    }
}
