//! One item of a list (a project, a game): its visible fields and a remove button.

use std::rc::Rc;

use butie::Lang;
use yew::prelude::*;

use super::field::Field;
use crate::data;
use crate::draft::{Draft, FieldRef, Parsed};
use crate::i18n;
use crate::state::{Action, AppState};

#[derive(Properties, PartialEq)]
pub struct ItemProps {
    pub list: u16,
    pub index: usize,
    pub draft: Rc<Draft>,
    pub parsed: Rc<Parsed>,
    pub lang: Lang,
    pub compact: bool,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// A list item.
#[function_component(Item)]
pub fn item(props: &ItemProps) -> Html {
    let lang = props.lang;
    let Some(def) = data::list_def(props.list) else {
        return Html::default();
    };
    let remove = {
        let dispatch = props.dispatch.clone();
        let (list, index) = (props.list, props.index);
        Callback::from(move |_| dispatch.dispatch(Action::RemoveItem(list, index)))
    };
    let name = i18n::item_name(def.item_label.get(lang), props.index, lang);
    let fields = def.fields.iter().enumerate().filter_map(|(f, _)| {
        let at = FieldRef::Field {
            list: props.list,
            item: props.index,
            field: f as u16,
        };
        props.parsed.visible(at).then(|| {
            html! {
                <Field
                    key={f}
                    target={at}
                    raw={props.draft.raw(at).to_string()}
                    error={props.parsed.error(at).cloned()}
                    lang={lang}
                    unit={props.draft.unit}
                    compact={props.compact}
                    dispatch={props.dispatch.clone()}
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
