//! Policy packs loaded into this page: the ones the site ships inside the page
//! (`<script type="application/json" data-butie-pack>`), the ones the user imported (kept in
//! this browser's localStorage, page only), and the ones a host page loads into the widget
//! (its `pack` attribute, `butie.loadPolicies`). Reading packs, checking their hashes and
//! adding them to the built-in set happen in the second module (`www/batch`, loaded only when
//! a pack is there); this side keeps the list and switches to the set it gets back. Every
//! change builds the set anew from the built-in one: a pack that does not load changes
//! nothing — not the built-in documents, not the other packs, not the user's inputs.

use std::cell::RefCell;
use std::rc::Rc;

use butie::pack::PackError;
use gloo::storage::{LocalStorage, Storage};
use serde_json::Value as Json;
use wasm_bindgen::{JsCast, JsValue};

use crate::{data, lazy};

/// Who added a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Shipped inside the page by the site.
    Site,
    /// Imported by the user (kept in this browser).
    User,
    /// Loaded by the page hosting the widget.
    Host,
}

/// A pack in use, or one that did not load (`errors`).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Where it came from (file name, URL, storage slot).
    pub label: String,
    pub origin: Origin,
    /// The pack in use, summarised (`butie::pack::describe::PackSummary` as JSON: name,
    /// author, created, hash, documents and their relation, facts added, overrides).
    pub summary: Option<Rc<Json>>,
    /// Why it is not in use (a stored or shipped pack that did not load).
    pub errors: Vec<PackError>,
    /// The file's text (a user's pack is stored as it was).
    text: Rc<str>,
}

/// The localStorage key of the user's packs (page only): a list of the pack files' texts.
pub const KEY: &str = "butie:packs:v1";

thread_local! {
    static ENTRIES: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// The packs in use and the ones that did not load, in load order.
pub fn entries() -> Vec<Entry> {
    ENTRIES.with(|l| l.borrow().clone())
}

/// One problem not about a pack's content (the second module did not load, …).
fn problem(label: &str, why: &butie::Text) -> Vec<PackError> {
    vec![PackError {
        file: label.to_string(),
        path: "(page)".into(),
        message: why.clone(),
    }]
}

/// The problems the second module threw (JSON text), or the JavaScript error.
fn thrown(label: &str, e: &JsValue) -> Vec<PackError> {
    e.as_string()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| problem(label, &lazy::error_text(e)))
}

async fn module(label: &str) -> Result<JsValue, Vec<PackError>> {
    lazy::module().await.map_err(|why| problem(label, &why))
}

/// Uses `list` if its packs load; the set in use changes only then.
fn commit(exports: &JsValue, mut list: Vec<Entry>) -> Result<(), Vec<PackError>> {
    let using: Vec<usize> = (0..list.len())
        .filter(|&i| list[i].errors.is_empty())
        .collect();
    let bundle = if using.is_empty() {
        None
    } else {
        let inputs: Vec<(&str, &str)> = using
            .iter()
            .map(|&i| (list[i].label.as_str(), &*list[i].text))
            .collect();
        let inputs = serde_json::to_string(&inputs).unwrap_or_default();
        let out = lazy::call(
            exports,
            "packs_add",
            &js_sys::Array::of2(
                &js_sys::Uint8Array::from(data::builtin_bundle()),
                &inputs.into(),
            ),
        )
        .map_err(|e| thrown("(packs)", &e))?
        .unchecked_into::<js_sys::Array>();
        let summaries: Vec<Json> =
            serde_json::from_str(&out.get(1).as_string().unwrap_or_default()).unwrap_or_default();
        for (&i, summary) in using.iter().zip(summaries) {
            list[i].summary = Some(Rc::new(summary));
        }
        Some(js_sys::Uint8Array::new(&out.get(0)).to_vec())
    };
    data::use_bundle(bundle).map_err(|e| problem("(page)", &butie::Text::new(e.clone(), e)))?;
    ENTRIES.with(|l| *l.borrow_mut() = list);
    save();
    Ok(())
}

/// Adds a pack file's text. The same pack (same hash) again is a no-op; a user's newer pack
/// of the same name replaces the older one. Answers the pack's summary.
pub async fn add(text: &str, label: &str, origin: Origin) -> Result<Rc<Json>, Vec<PackError>> {
    let exports = module(label).await?;
    let read = lazy::call(
        &exports,
        "pack_read",
        &js_sys::Array::of2(&label.into(), &text.into()),
    )
    .map_err(|e| thrown(label, &e))?;
    let read: Json = read
        .as_string()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let mut list = entries();
    if let Some(same) = list
        .iter()
        .filter_map(|e| e.summary.as_ref())
        .find(|s| s["hash"] == read["hash"])
    {
        return Ok(same.clone());
    }
    if origin == Origin::User {
        list.retain(|e| {
            !(e.origin == Origin::User
                && e.summary
                    .as_ref()
                    .is_some_and(|s| s["name"] == read["name"]))
        });
    }
    list.push(Entry {
        label: label.to_string(),
        origin,
        summary: None,
        errors: Vec::new(),
        text: Rc::from(text),
    });
    commit(&exports, list)?;
    Ok(ENTRIES
        .with(|l| l.borrow().last().and_then(|e| e.summary.clone()))
        .unwrap_or_default())
}

/// Removes a pack (or a listing of one that did not load) by its label.
pub async fn remove(label: &str) -> Result<(), Vec<PackError>> {
    let exports = module(label).await?;
    let mut list = entries();
    list.retain(|e| e.label != label);
    commit(&exports, list)
}

fn storage() -> bool {
    web_sys::window().is_some_and(|w| matches!(w.local_storage(), Ok(Some(_))))
}

/// Writes the user's packs, including the ones that did not load (never lost silently).
fn save() {
    if !storage() {
        return;
    }
    let stored: Vec<String> = ENTRIES.with(|l| {
        l.borrow()
            .iter()
            .filter(|e| e.origin == Origin::User)
            .map(|e| e.text.to_string())
            .collect()
    });
    let result = if stored.is_empty() {
        LocalStorage::delete(KEY);
        Ok(())
    } else {
        LocalStorage::set(KEY, &stored)
    };
    if let Err(e) = result {
        gloo::console::warn!(format!("butie: could not keep the policy packs: {e}"));
    }
}

/// At start-up (page): the packs shipped in the page, then the user's stored ones, loaded once
/// the first results are on screen (by the second module, instantiated only when there is a
/// pack; inputs kept for their fields come back then).
pub fn init_page() {
    let mut found: Vec<(String, String, Origin)> = Vec::new();
    if let Some(document) = web_sys::window().and_then(|w| w.document())
        && let Ok(nodes) =
            document.query_selector_all("script[type=\"application/json\"][data-butie-pack]")
    {
        for i in 0..nodes.length() {
            if let Some(el) = nodes
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let label = el.get_attribute("data-butie-pack").unwrap_or_default();
                let label = if label.is_empty() {
                    format!("script[data-butie-pack] {}", i + 1)
                } else {
                    label
                };
                found.push((label, el.text_content().unwrap_or_default(), Origin::Site));
            }
        }
    }
    if storage() {
        match LocalStorage::get::<Vec<String>>(KEY) {
            Ok(stored) => {
                for (i, text) in stored.into_iter().enumerate() {
                    found.push((format!("{KEY}[{i}]"), text, Origin::User));
                }
            }
            Err(gloo::storage::errors::StorageError::KeyNotFound(_)) => {}
            Err(e) => gloo::console::warn!(format!("butie: saved policy packs unreadable: {e}")),
        }
    }
    if found.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        for (label, text, origin) in found {
            if let Err(errors) = add(&text, &label, origin).await {
                // Listed with the reasons, and kept in storage until the user removes it.
                ENTRIES.with(|l| {
                    l.borrow_mut().push(Entry {
                        label,
                        origin,
                        summary: None,
                        errors,
                        text: Rc::from(text),
                    })
                });
            }
        }
    });
}
