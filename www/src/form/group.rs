//! One form group (企业基本情况, 资质认证, …): basic fields first, the rest behind
//! "更多字段 / more fields", fields hidden by their `show_if`, then the group's lists.

use std::rc::Rc;

use butie::Lang;
use yew::prelude::*;

use super::field::Field;
use super::list::List;
use crate::data;
use crate::draft::{Draft, FieldRef, Parsed, default_raw};
use crate::i18n;
use crate::state::{Action, AppState};

#[derive(Properties, PartialEq)]
pub struct GroupProps {
    pub group: u16,
    pub draft: Rc<Draft>,
    pub parsed: Rc<Parsed>,
    pub lang: Lang,
    pub expanded: bool,
    pub compact: bool,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// A group of fields.
#[function_component(Group)]
pub fn group(props: &GroupProps) -> Html {
    let lang = props.lang;
    let Ok(set) = data::policy_set() else {
        return Html::default();
    };
    let cat = &set.catalogue;
    let Some(def) = cat.groups.get(usize::from(props.group)) else {
        return Html::default();
    };
    let mut fields = Vec::new();
    let mut more = 0;
    for (id, fact) in cat.facts_in_group(&def.id) {
        let at = FieldRef::Fact(id);
        if !props.parsed.visible(at) {
            continue;
        }
        let raw = props.draft.raw(at);
        let error = props.parsed.error(at).cloned();
        if !fact.basic {
            more += 1;
        }
        let changed = raw != default_raw(cat, fact, props.draft.unit);
        if fact.basic || props.expanded || changed || error.is_some() {
            fields.push(html! {
                <Field
                    key={id}
                    target={at}
                    raw={raw.to_string()}
                    error={error}
                    lang={lang}
                    unit={props.draft.unit}
                    compact={props.compact}
                    dispatch={props.dispatch.clone()}
                />
            });
        }
    }
    let toggle = {
        let dispatch = props.dispatch.clone();
        let g = props.group;
        Callback::from(move |_| dispatch.dispatch(Action::ToggleMore(g)))
    };
    let more_id = format!("butie-g{}-fields", props.group);
    let lists = cat
        .lists
        .iter()
        .enumerate()
        .filter(|(_, l)| l.group == def.id)
        .map(|(l, _)| {
            html! {
                <List
                    key={l}
                    list={l as u16}
                    draft={props.draft.clone()}
                    parsed={props.parsed.clone()}
                    lang={lang}
                    compact={props.compact}
                    dispatch={props.dispatch.clone()}
                />
            }
        });
    html! {
        <fieldset class="group" data-group={def.id.clone()}>
            <legend>{ def.label.get(lang) }</legend>
            if let (Some(help), false) = (&def.help, props.compact) {
                <p class="help group-help">{ help.get(lang) }</p>
            }
            <div class="fields" id={more_id.clone()}>{ for fields }</div>
            if more > 0 {
                <button type="button" class="link more" aria-expanded={props.expanded.to_string()}
                    aria-controls={more_id} onclick={toggle}>
                    if props.expanded {
                        { i18n::FEWER_FIELDS.get(lang) }
                    } else {
                        { i18n::more_fields(more, lang) }
                    }
                </button>
            }
            { for lists }
        </fieldset>
    }
}
