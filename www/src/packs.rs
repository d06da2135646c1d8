//! Policy packs loaded into this page: the ones the site ships inside the page
//! (`<script type="application/json" data-butie-pack>`), the ones the user imported (kept in
//! this browser's localStorage, page only), and the ones a host page loads into the widget
//! (its `pack` attribute, `butie.loadPolicies`). Every change builds the set anew from the
//! built-in one (`PolicySet::with_packs`): a pack that does not load changes nothing — not the
//! built-in documents, not the other packs, not the user's inputs. Hashes are checked with the
//! browser's WebCrypto (measured against a Rust SHA-256 in docs/packs.md).

use std::cell::RefCell;
use std::rc::Rc;

use butie::pack::{Pack, PackError};
use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

use crate::data;

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
    pub pack: Option<Rc<Pack>>,
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

/// The SHA-256 of `text`, by the browser (WebCrypto: a secure context — https, localhost or a
/// local file — is needed).
async fn sha256(text: &str) -> Result<Vec<u8>, String> {
    let subtle = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.subtle())
        .filter(|s| !s.is_undefined())
        .ok_or("this page is not a secure context (https, localhost or a local file)")?;
    let digest = subtle
        .digest_with_str_and_u8_array("SHA-256", text.as_bytes())
        .map_err(|e| crate::export::js_error(&e))?;
    let digest = wasm_bindgen_futures::JsFuture::from(digest)
        .await
        .map_err(|e| crate::export::js_error(&e))?;
    Ok(js_sys::Uint8Array::new(&digest).to_vec())
}

/// Reads and verifies a pack file's text.
async fn read(text: &str, label: &str) -> Result<Pack, Vec<PackError>> {
    let (pack, canonical) = Pack::parse(label, text)?;
    let digest = sha256(&canonical).await.map_err(|why| {
        vec![PackError {
            file: label.to_string(),
            path: "hash".into(),
            message: butie::Text::new(
                ["无法核对政策包的哈希：", &why].concat(),
                ["the pack's hash cannot be checked: ", why.as_str()].concat(),
            ),
        }]
    })?;
    pack.verify(&digest)
}

/// Uses `list` if its packs load; the set in use changes only then.
fn commit(list: Vec<Entry>) -> Result<(), Vec<PackError>> {
    let packs: Vec<&Pack> = list.iter().filter_map(|e| e.pack.as_deref()).collect();
    let set = if packs.is_empty() {
        None
    } else {
        let base = data::fresh_builtin().map_err(|e| {
            vec![PackError {
                file: "(page)".into(),
                path: "(data)".into(),
                message: butie::Text::new(e.clone(), e),
            }]
        })?;
        Some(base.with_packs(&packs)?)
    };
    ENTRIES.with(|l| *l.borrow_mut() = list);
    data::replace(set);
    save();
    Ok(())
}

/// Adds a pack file's text. The same pack (same hash) again is a no-op; a user's newer pack
/// of the same name replaces the older one.
pub async fn add(text: &str, label: &str, origin: Origin) -> Result<Rc<Pack>, Vec<PackError>> {
    let pack = Rc::new(read(text, label).await?);
    let mut list = entries();
    if let Some(same) = list
        .iter()
        .filter_map(|e| e.pack.as_ref())
        .find(|p| p.hash == pack.hash)
    {
        return Ok(same.clone());
    }
    if origin == Origin::User {
        list.retain(|e| {
            !(e.origin == Origin::User && e.pack.as_ref().is_some_and(|p| p.name == pack.name))
        });
    }
    list.push(Entry {
        label: label.to_string(),
        origin,
        pack: Some(pack.clone()),
        errors: Vec::new(),
        text: Rc::from(text),
    });
    commit(list)?;
    Ok(pack)
}

/// Removes a pack (or a listing of one that did not load) by its label.
pub fn remove(label: &str) -> Result<(), Vec<PackError>> {
    let mut list = entries();
    list.retain(|e| e.label != label);
    commit(list)
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
/// the first results are on screen (the browser checks their hashes asynchronously; inputs
/// kept for their fields come back then).
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
                        pack: None,
                        errors,
                        text: Rc::from(text),
                    })
                });
            }
        }
    });
}
