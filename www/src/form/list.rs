//! A list of items (projects, game products): its items and an "add" button.

use std::rc::Rc;

use butie::Lang;
use yew::prelude::*;

use super::FormEvents;
use super::item::Item;
use crate::asked::Asked;
use crate::data;
use crate::draft::{Draft, Parsed};
use crate::i18n;

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
                <p class="empty">{ i18n::NO_ITEMS.get(lang) }</p>
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
