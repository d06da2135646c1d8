//! One item of a list (a project, a game): its visible fields and a remove button.

use std::rc::Rc;

use butie::Lang;
use yew::prelude::*;

use super::FormEvents;
use super::field::Field;
use crate::asked::Asked;
use crate::data;
use crate::draft::{Draft, FieldRef, Parsed};
use crate::i18n;

#[derive(Properties, PartialEq)]
pub struct ItemProps {
    pub list: u16,
    pub index: usize,
    pub draft: Rc<Draft>,
    pub parsed: Rc<Parsed>,
    pub lang: Lang,
    pub compact: bool,
    /// Only the fields these stakes name (and any with a value or an error); `None`: all.
    pub only: Option<Rc<Asked>>,
    pub events: FormEvents,
}

/// A list item.
#[function_component(Item)]
pub fn item(props: &ItemProps) -> Html {
    let lang = props.lang;
    let Some(def) = data::list_def(props.list) else {
        return Html::default();
    };
    let remove = {
        let (list, index) = (props.list, props.index);
        props.events.remove.reform(move |_| (list, index))
    };
    let name = i18n::item_name(def.item_label.get(lang), props.index, lang);
    let fields = def.fields.iter().enumerate().filter_map(|(f, _)| {
        let at = FieldRef::Field {
            list: props.list,
            item: props.index,
            field: f as u16,
        };
        let raw = props.draft.raw(at);
        let error = props.parsed.error(at).cloned();
        let wanted = props.only.as_ref().is_none_or(|a| {
            a.reads_field(props.list, f as u16) || !raw.is_empty() || error.is_some()
        });
        (wanted && props.parsed.visible(at)).then(|| {
            html! {
                <Field
                    key={f}
                    target={at}
                    raw={raw.to_string()}
                    error={error}
                    lang={lang}
                    unit={props.draft.unit}
                    compact={props.compact}
                    on_set={props.events.set.clone()}
                />
            }
        })
    });
    html! {
        <fieldset class="item" data-testid={format!("{}-{}", def.id, props.index)}>
            <legend>{ name.clone() }</legend>
            { for fields }
            <button type="button" class="link danger" onclick={remove}
                aria-label={format!("{} {name}", i18n::REMOVE_ITEM.get(lang))}>
                { i18n::REMOVE_ITEM.get(lang) }
            </button>
        </fieldset>
    }
}
