//! The page's policy-pack view: load a pack file (chosen or dropped); every pack in use —
//! added by this site or by you — with its documents, what each does to the built-in ones and
//! the pack's hash; remove your own. A pack that does not load is refused with every problem
//! named; nothing else changes.

use butie::Lang;
use butie::pack::PackError;
use butie::pack::describe::PackRelation;
use serde_json::Value as Json;
use yew::prelude::*;

use crate::packs::{self, Origin};
use crate::{data, i18n};

#[derive(Properties, PartialEq)]
pub struct PackPanelProps {
    pub lang: Lang,
}

fn problems(errors: &[PackError], lang: Lang) -> Html {
    html! {
        <ul>{ for errors.iter().map(|e| html! {
            <li>{ format!("{}: {}: {}", e.file, e.path, e.message.get(lang)) }</li>
        }) }</ul>
    }
}

/// A string of a pack's summary (`""` when absent).
fn text(v: &Json) -> &str {
    v.as_str().unwrap_or_default()
}

/// One of a pack's documents, in `lang`: district, number, title, relation.
fn document(d: &Json, lang: Lang) -> String {
    let key = match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    };
    let relation = serde_json::from_value::<PackRelation>(d["relation"].clone())
        .map(|r| r.word().get(lang))
        .unwrap_or_default();
    format!(
        "{} {}《{}》 · {relation} {}",
        text(&d["district_name"][key]),
        text(&d["doc_no"]),
        text(&d["title"][key]),
        text(&d["of"])
    )
}

/// The policy-pack view.
#[function_component(PackPanel)]
pub fn pack_panel(props: &PackPanelProps) -> Html {
    let lang = props.lang;
    // What the last load said: `Ok(name)` or the problems.
    let said = use_state(|| None::<Result<String, Vec<PackError>>>);
    // Re-rendered after each change (the list lives in `packs`).
    let changed = use_state(|| 0u32);
    let load = {
        let (said, changed) = (said.clone(), changed.clone());
        move |file: Option<web_sys::File>| {
            let Some(file) = file else { return };
            let (said, changed) = (said.clone(), changed.clone());
            let size = file.size() as usize;
            if size > butie::pack::MAX_PACK_BYTES {
                said.set(Some(Err(vec![butie::pack::too_large(&file.name(), size)])));
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                let content = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                let content = content.ok().and_then(|t| t.as_string()).unwrap_or_default();
                let added = packs::add(&content, &file.name(), Origin::User).await;
                said.set(Some(added.map(|p| text(&p["name"]).to_string())));
                changed.set(*changed + 1);
            });
        }
    };
    let on_file = {
        let load = load.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            load(input.files().and_then(|f| f.get(0)));
            input.set_value("");
        })
    };
    let on_drag = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        load(
            e.data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0)),
        );
    });
    let Ok(base) = data::builtin_set() else {
        return Html::default();
    };
    let entry = |e: packs::Entry| {
        let by = match e.origin {
            Origin::Site => i18n::PACKS_BY_SITE,
            Origin::User => i18n::PACKS_BY_YOU,
            Origin::Host => i18n::PACKS_BY_HOST,
        };
        let remove = {
            let (label, said, changed) = (e.label.clone(), said.clone(), changed.clone());
            Callback::from(move |_| {
                let (label, said, changed) = (label.clone(), said.clone(), changed.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(errors) = packs::remove(&label).await {
                        said.set(Some(Err(errors)));
                    }
                    changed.set(*changed + 1);
                });
            })
        };
        let body = match &e.summary {
            Some(p) => html! { <>
                <strong>{ text(&p["name"]) }</strong>
                { format!(" · {} · {} · {} ", by.get(lang), text(&p["author"]), text(&p["created"])) }
                <code data-testid="pack-hash">{ text(&p["hash"]) }</code>
                <ul>{ for p["documents"].as_array().into_iter().flatten().map(|d| html! {
                    <li>{ document(d, lang) }</li>
                }) }</ul>
            </> },
            None => html! { <>
                <strong>{ &e.label }</strong>{ format!(" · {} · {}", by.get(lang), i18n::PACKS_NOT_LOADED.get(lang)) }
                { problems(&e.errors, lang) }
            </> },
        };
        html! {
            <li class="pack" data-testid="pack" data-pack={e.summary.as_ref().map(|p| text(&p["name"]).to_string())}>
                { body }
                if e.origin == Origin::User {
                    <button type="button" onclick={remove} data-testid="pack-remove">{ i18n::PACKS_REMOVE.get(lang) }</button>
                }
            </li>
        }
    };
    html! {
        <section class="batch packs" aria-labelledby="butie-packs-title" data-testid="packs"
            ondragover={on_drag} ondrop={on_drop}>
            <h2 id="butie-packs-title">{ i18n::VIEW_PACKS.get(lang) }</h2>
            <p class="note">{ i18n::PACKS_INTRO.get(lang) }</p>
            <div class="upload">
                <input type="file" id="butie-pack-file" class="visually-hidden"
                    accept=".json,application/json" onchange={on_file} data-testid="pack-file" />
                <label for="butie-pack-file" class="button primary">{ i18n::PACKS_CHOOSE.get(lang) }</label>
                <span class="help">{ i18n::BATCH_DROP.get(lang) }</span>
            </div>
            { match &*said {
                Some(Ok(name)) => html! {
                    <p class="notice" role="status" data-testid="pack-added">{ i18n::PACKS_ADDED.get(lang) }{ " " }{ name }</p>
                },
                Some(Err(e)) => html! {
                    <div class="notice error" role="alert" data-testid="pack-refused">
                        <p>{ i18n::PACKS_REFUSED.get(lang) }</p>{ problems(e, lang) }
                    </div>
                },
                None => Html::default(),
            } }
            <ul class="pack-list">{ for packs::entries().into_iter().map(entry) }</ul>
            <p class="help">{ i18n::PACKS_BUILTIN.get(lang) }{ i18n::colon(lang) }
                { base.policies.iter().map(|p| p.meta.id.as_str()).collect::<Vec<_>>().join(" · ") }</p>
        </section>
    }
}
