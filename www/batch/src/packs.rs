//! Policy packs for the page and the widget, all in the module loaded on first use, so that a
//! page without packs never carries their code: reading a pack (its fields, canonical JSON, the
//! SHA-256 of its content, the compiled section), adding packs to the built-in set (symbol
//! check, relocation, catalogue additions, relation and overlap checks), the list of packs in
//! use (added by this site, by you, or by the page hosting the widget), the user's packs kept in
//! this browser's localStorage (page only), and the page's Policy packs view (`view.rs`).
//!
//! What goes back to the first module is what it already reads: the set as a compiled bundle
//! (or `null` for the built-in one), each pack summarised as JSON (`butie::pack::describe`), or
//! the problems as JSON. Every change builds the set anew from the built-in one: a pack that
//! does not load changes nothing — not the built-in documents, not the other packs, not the
//! user's inputs.

use std::cell::RefCell;

use butie::PolicySet;
use butie::Text;
use butie::pack::describe::{PackRelation, PackSummary, summary};
use butie::pack::{Pack, PackError};
use butie::policy::DocStatus;
use sha2::Digest as _;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

// The localStorage key of the user's packs (page only), defined once in the core.
use butie::pack::STORAGE_KEY as KEY;

/// Who added a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Shipped inside the page by the site (`<script type="application/json" data-butie-pack>`).
    Site,
    /// Imported by the user (kept in this browser).
    User,
    /// Loaded by the page hosting the widget (its `pack` attribute, `butie.loadPolicies`).
    Host,
}

impl Origin {
    fn parse(s: &str) -> Origin {
        match s {
            "site" => Origin::Site,
            "user" => Origin::User,
            _ => Origin::Host,
        }
    }
}

/// One of a loaded pack's documents, as the view lists it.
#[derive(Debug, Clone)]
pub struct PackDoc {
    pub district_name: Text,
    pub doc_no: String,
    pub title: Text,
    pub status: DocStatus,
    pub relation: PackRelation,
    /// The document it succeeds, amends or replaces.
    pub of: String,
}

/// A loaded pack: its summary as JSON (the JS API's answer) and what the view shows of it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub json: String,
    pub name: String,
    pub author: String,
    pub created: String,
    pub hash: String,
    pub documents: Vec<PackDoc>,
}

impl Loaded {
    fn new(s: &PackSummary) -> Result<Loaded, Vec<PackError>> {
        Ok(Loaded {
            json: serde_json::to_string(s).map_err(|e| data_problem(&e))?,
            name: s.name.into(),
            author: s.author.into(),
            created: s.created.into(),
            hash: s.hash.into(),
            documents: s
                .documents
                .iter()
                .map(|d| PackDoc {
                    district_name: d.district_name.clone(),
                    doc_no: d.doc_no.unwrap_or_default().into(),
                    title: d.title.clone(),
                    status: d.status,
                    relation: d.relation,
                    of: d.of.unwrap_or_default().into(),
                })
                .collect(),
        })
    }
}

/// A pack in use, or one that did not load (`errors`).
#[derive(Debug, Clone)]
pub struct Entry {
    /// Where it came from (file name, URL, storage slot).
    pub label: String,
    pub origin: Origin,
    /// The pack in use.
    pub summary: Option<Loaded>,
    /// Why it is not in use (a stored or shipped pack that did not load).
    pub errors: Vec<PackError>,
    /// The file's text (a user's pack is stored as it was).
    text: String,
}

thread_local! {
    static ENTRIES: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// The packs in use and the ones that did not load, in load order.
pub fn entries() -> Vec<Entry> {
    ENTRIES.with(|l| l.borrow().clone())
}

/// Problems as the JSON text thrown to the page.
fn problems(errors: &[PackError]) -> JsValue {
    JsValue::from_str(&serde_json::to_string(errors).unwrap_or_default())
}

/// A pack file's text read and its hash checked.
fn read(label: &str, text: &str) -> Result<Pack, Vec<PackError>> {
    let (pack, canonical) = Pack::parse(label, text)?;
    pack.verify(&sha2::Sha256::digest(canonical.as_bytes()))
}

fn data_problem(e: &impl ToString) -> Vec<PackError> {
    let e = e.to_string();
    vec![PackError {
        file: "(page)".into(),
        path: "(data)".into(),
        message: butie::Text::new(e.clone(), e),
    }]
}

/// The built-in set with the packs of `list` that have no errors: the new set's bundle
/// (`None`: no pack, the built-in set) with each used pack's summary filled in.
fn build(builtin: &[u8], list: &mut [Entry]) -> Result<Bundle, Vec<PackError>> {
    let using: Vec<usize> = (0..list.len())
        .filter(|&i| list[i].errors.is_empty())
        .collect();
    if using.is_empty() {
        return Ok(None);
    }
    let mut packs = Vec::with_capacity(using.len());
    for &i in &using {
        packs.push(read(&list[i].label, &list[i].text)?);
    }
    let base = PolicySet::from_bytes(builtin).map_err(|e| data_problem(&e))?;
    let again = PolicySet::from_bytes(builtin).map_err(|e| data_problem(&e))?;
    let refs: Vec<&Pack> = packs.iter().collect();
    let set = again.with_packs(&refs)?;
    for (&i, pack) in using.iter().zip(&packs) {
        list[i].summary = Some(Loaded::new(&summary(&set, &base, pack))?);
    }
    Ok(Some(set.to_bytes()))
}

/// Uses `list` if its packs load; the list in use changes only then. The new set's bundle.
fn commit(builtin: &[u8], mut list: Vec<Entry>) -> Result<Bundle, Vec<PackError>> {
    let bundle = build(builtin, &mut list)?;
    ENTRIES.with(|l| *l.borrow_mut() = list);
    save();
    Ok(bundle)
}

/// What a change answers the first module: the new set's bundle, or `null` for the built-in.
fn bundle_value(bundle: Bundle) -> JsValue {
    match bundle {
        Some(b) => js_sys::Uint8Array::from(b.as_slice()).into(),
        None => JsValue::NULL,
    }
}

/// A set's compiled bundle; `None`: the built-in set.
type Bundle = Option<Vec<u8>>;

/// Adds a pack file's text: the new set's bundle and the pack's summary. The same pack (same
/// hash) again changes nothing (no bundle); a user's newer pack of the same name replaces the
/// older one.
fn add(
    builtin: &[u8],
    label: &str,
    text: &str,
    origin: Origin,
) -> Result<(Option<Bundle>, Loaded), Vec<PackError>> {
    let pack = read(label, text)?;
    let mut list = entries();
    if let Some(same) = list
        .iter()
        .filter_map(|e| e.summary.as_ref())
        .find(|s| s.hash == pack.hash)
    {
        return Ok((None, same.clone()));
    }
    if origin == Origin::User {
        list.retain(|e| {
            !(e.origin == Origin::User && e.summary.as_ref().is_some_and(|s| s.name == pack.name))
        });
    }
    list.push(Entry {
        label: label.to_string(),
        origin,
        summary: None,
        errors: Vec::new(),
        text: text.to_string(),
    });
    let bundle = commit(builtin, list)?;
    let summary = ENTRIES.with(|l| l.borrow().last().and_then(|e| e.summary.clone()));
    Ok((
        Some(bundle),
        summary.ok_or_else(|| data_problem(&"the pack was not kept"))?,
    ))
}

/// Adds a pack (`origin`: `site`, `user` or `host`) to the set built on `builtin` (the page's
/// built-in bundle): `[bundle, summary JSON text]` — the bundle of the new set, `null` for the
/// built-in one, `undefined` when nothing changed (the same pack again) — or throws every
/// problem as JSON text of `[{file, path, message: {zh, en}}]` (nothing is half-applied).
#[wasm_bindgen]
pub fn packs_load(
    builtin: &[u8],
    label: &str,
    text: &str,
    origin: &str,
) -> Result<js_sys::Array, JsValue> {
    let (bundle, summary) =
        add(builtin, label, text, Origin::parse(origin)).map_err(|e| problems(&e))?;
    Ok(js_sys::Array::of2(
        &bundle.map_or(JsValue::UNDEFINED, bundle_value),
        &JsValue::from_str(&summary.json),
    ))
}

/// Removes a pack (or a listing of one that did not load) by its label: the new set's bundle
/// (`null`: the built-in one), or throws the problems.
fn remove(builtin: &[u8], label: &str) -> Result<JsValue, Vec<PackError>> {
    let mut list = entries();
    list.retain(|e| e.label != label);
    commit(builtin, list).map(bundle_value)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Writes the user's packs, including the ones that did not load (never lost silently).
fn save() {
    let Some(storage) = storage() else { return };
    let stored: Vec<String> = ENTRIES.with(|l| {
        l.borrow()
            .iter()
            .filter(|e| e.origin == Origin::User)
            .map(|e| e.text.clone())
            .collect()
    });
    let result = if stored.is_empty() {
        storage.remove_item(KEY)
    } else {
        storage.set_item(KEY, &serde_json::to_string(&stored).unwrap_or_default())
    };
    if result.is_err() {
        web_sys::console::warn_1(&"butie: could not keep the policy packs".into());
    }
}

/// The page's start: the packs shipped in the page, then the user's stored ones, added to the
/// set built on `builtin`. Answers the bundle of the set with the packs that load (`null`
/// when none does); the others are listed with their problems and stay in storage until the
/// user removes them.
#[wasm_bindgen]
pub fn packs_start(builtin: &[u8]) -> JsValue {
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
    if let Some(text) = storage().and_then(|s| s.get_item(KEY).ok().flatten()) {
        match serde_json::from_str::<Vec<String>>(&text) {
            Ok(stored) => {
                for (i, text) in stored.into_iter().enumerate() {
                    found.push((format!("{KEY}[{i}]"), text, Origin::User));
                }
            }
            Err(e) => web_sys::console::warn_1(
                &format!("butie: saved policy packs unreadable: {e}").into(),
            ),
        }
    }
    let mut bundle = None;
    for (label, text, origin) in found {
        match add(builtin, &label, &text, origin) {
            Ok((Some(b), _)) => bundle = b,
            Ok((None, _)) => {}
            // Listed with the reasons, and kept in storage until the user removes it.
            Err(errors) => ENTRIES.with(|l| {
                l.borrow_mut().push(Entry {
                    label,
                    origin,
                    summary: None,
                    errors,
                    text,
                })
            }),
        }
    }
    bundle_value(bundle)
}

mod view;
