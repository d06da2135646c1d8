//! One field: a labelled control chosen by the fact's type, its unit, help and the field's
//! own validation message (zh/en).

use butie::Lang;
use butie::catalogue::{FactDef, FactKind};
use butie::format::money_full;
use butie::{Text, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::data;
use crate::draft::{self, DATES_NONE, DATES_PREFIX, FieldRef, MoneyUnit};
use crate::i18n;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub target: FieldRef,
    pub raw: String,
    pub error: Option<Text>,
    pub lang: Lang,
    pub unit: MoneyUnit,
    pub compact: bool,
    /// What depends on the field ("最高 300万元"), shown next to its label.
    #[prop_or_default]
    pub stake: Option<String>,
    /// The raw text changed.
    pub on_set: Callback<(FieldRef, String)>,
}

fn def_of(target: FieldRef) -> Option<&'static FactDef> {
    match target {
        FieldRef::Fact(f) => data::fact_def(f),
        FieldRef::Field { list, field, .. } => data::field_def(list, field),
    }
}

/// A select's options: "not given" first, then `(value, label)`.
fn options(raw: &str, lang: Lang, values: &[(&str, &str)]) -> Html {
    html! {
        <>
            <option value="" selected={raw.is_empty()}>{ format!("— {} —", i18n::NOT_GIVEN.get(lang)) }</option>
            { for values.iter().map(|(value, label)| html! {
                <option value={value.to_string()} selected={raw == *value}>{ *label }</option>
            }) }
        </>
    }
}

/// What a dates field's mode select shows for its raw text: not given, none, some dates.
fn dates_mode(raw: &str) -> &str {
    match raw {
        "" => "",
        DATES_NONE => DATES_NONE,
        _ => "some",
    }
}

/// A form field.
#[function_component(Field)]
pub fn field(props: &FieldProps) -> Html {
    // A select's `selected` attributes stop applying once the user has picked an option: the
    // value is set on the element after each change from elsewhere (undo, a loaded profile).
    let select_ref = use_node_ref();
    {
        let select_ref = select_ref.clone();
        let dates = def_of(props.target).is_some_and(|d| d.kind == FactKind::Dates);
        use_effect_with(props.raw.clone(), move |raw| {
            let want = if dates { dates_mode(raw) } else { raw.as_str() };
            if let Some(select) = select_ref.cast::<HtmlSelectElement>()
                && select.value() != want
            {
                select.set_value(want);
            }
        });
    }
    let Some(def) = def_of(props.target) else {
        return Html::default();
    };
    let lang = props.lang;
    let id = props.target.dom_id();
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let raw = props.raw.as_str();
    let invalid = props.error.is_some();
    let show_help = def.help.is_some() && !props.compact;
    let described: Vec<&str> = [
        show_help.then_some(help_id.as_str()),
        invalid.then_some(error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let described = (!described.is_empty()).then(|| described.join(" "));

    let set_raw = {
        let on_set = props.on_set.clone();
        let target = props.target;
        move |raw: String| on_set.emit((target, raw))
    };
    let on_input = {
        let set_raw = set_raw.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            set_raw(input.value());
        })
    };
    let on_select = {
        let set_raw = set_raw.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            set_raw(select.value());
        })
    };
    let text_input = |inputmode: &'static str, placeholder: Option<&'static str>| {
        html! {
            <input id={id.clone()} type="text" inputmode={inputmode} autocomplete="off"
                placeholder={placeholder} value={raw.to_string()} oninput={on_input.clone()}
                aria-invalid={invalid.to_string()} aria-describedby={described.clone()} />
        }
    };
    let select = |inner: Html| {
        html! {
            <select id={id.clone()} ref={select_ref.clone()} onchange={on_select.clone()}
                aria-invalid={invalid.to_string()} aria-describedby={described.clone()}>
                { inner }
            </select>
        }
    };

    let mut suffix: Option<String> = None;
    let mut below: Option<Html> = None;
    let control = match def.kind {
        FactKind::Bool => select(options(
            raw,
            lang,
            &[("true", i18n::YES.get(lang)), ("false", i18n::NO.get(lang))],
        )),
        FactKind::Enum => {
            let values: Vec<(&str, &str)> = def
                .values
                .iter()
                .map(|v| (v.id.as_str(), v.get(lang)))
                .collect();
            select(options(raw, lang, &values))
        }
        FactKind::Money => {
            suffix = Some(
                match props.unit {
                    MoneyUnit::Wan => i18n::UNIT_WAN,
                    MoneyUnit::Yuan => i18n::UNIT_YUAN,
                }
                .get(lang)
                .to_string(),
            );
            if props.unit == MoneyUnit::Wan
                && let Ok(Some(Value::Money(yuan))) = draft::parse_raw(def, raw, props.unit)
            {
                below = Some(html! {
                    <p class="converted" data-testid="converted">{ format!("= {}", money_full(yuan, lang)) }</p>
                });
            }
            text_input("decimal", None)
        }
        FactKind::Integer => {
            suffix = def.unit_label.as_ref().map(|u| u.get(lang).to_string());
            text_input("numeric", None)
        }
        FactKind::Date => text_input("numeric", Some(i18n::DATE_PLACEHOLDER)),
        FactKind::Text => text_input("text", None),
        FactKind::Dates => {
            let mode = dates_mode(raw);
            let on_mode = {
                let set_raw = set_raw.clone();
                Callback::from(move |e: Event| {
                    let select: HtmlSelectElement = e.target_unchecked_into();
                    set_raw(match select.value().as_str() {
                        "" => String::new(),
                        "some" => DATES_PREFIX.to_string(),
                        _ => DATES_NONE.to_string(),
                    });
                })
            };
            if mode == "some" {
                let list = raw.strip_prefix(DATES_PREFIX).unwrap_or(raw).to_string();
                let on_list = {
                    let set_raw = set_raw.clone();
                    Callback::from(move |e: InputEvent| {
                        let input: HtmlInputElement = e.target_unchecked_into();
                        set_raw(format!("{DATES_PREFIX}{}", input.value()));
                    })
                };
                let list_id = format!("{id}-list");
                below = Some(html! {
                    <div class="dates-list">
                        <label for={list_id.clone()}>{ i18n::DATES_LIST.get(lang) }</label>
                        <input id={list_id} type="text" autocomplete="off" placeholder="YYYY-MM-DD; YYYY-MM-DD"
                            value={list} oninput={on_list} aria-invalid={invalid.to_string()}
                            aria-describedby={described.clone()} />
                    </div>
                });
            }
            html! {
                <select id={id.clone()} ref={select_ref.clone()} onchange={on_mode} aria-describedby={described.clone()}>
                    <option value="" selected={mode.is_empty()}>{ format!("— {} —", i18n::NOT_GIVEN.get(lang)) }</option>
                    <option value={DATES_NONE} selected={mode == DATES_NONE}>{ i18n::DATES_NONE.get(lang) }</option>
                    <option value="some" selected={mode == "some"}>{ i18n::DATES_SOME.get(lang) }</option>
                </select>
            }
        }
    };
    let required = matches!(props.target, FieldRef::Field { .. }) && def.required;
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))} data-field={def.id.clone()}>
            <label for={id.clone()}>
                { def.label.get(lang) }
                if let Some(unit) = &suffix {
                    <span class="visually-hidden">{ format!(" ({unit})") }</span>
                }
                if required {
                    <span class="required">{ format!(" ({})", i18n::REQUIRED.get(lang)) }</span>
                }
            </label>
            if let Some(stake) = &props.stake {
                <span class="stake" data-testid="stake">{ stake }</span>
            }
            <div class="control">
                { control }
                if let Some(unit) = &suffix {
                    <span class="unit" aria-hidden="true">{ unit }</span>
                }
            </div>
            { below.unwrap_or_default() }
            if let (Some(help), true) = (&def.help, show_help) {
                <p class="help" id={help_id}>{ help.get(lang) }</p>
            }
            if let Some(error) = &props.error {
                <p class="error" id={error_id} data-testid="field-error">{ error.get(lang) }</p>
            }
        </div>
    }
}
