//! Policy packs for the page and the widget: reading a pack (its fields, canonical JSON, the
//! SHA-256 of its content, the compiled section) and adding packs to the built-in set (symbol
//! check, relocation, catalogue additions, relation and overlap checks) happen here, in the
//! module loaded on first use, so that a page without packs never carries that code. What goes
//! back is what the first module already reads: the set as a compiled bundle, each pack
//! summarised as JSON (`butie::pack::describe`), or the problems as JSON.

use butie::PolicySet;
use butie::pack::describe::summary;
use butie::pack::{Pack, PackError};
use sha2::Digest as _;
use wasm_bindgen::prelude::*;

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

/// Reads one pack: `{"name", "hash"}` as JSON text, or throws its problems (JSON text of
/// `[{file, path, message: {zh, en}}]`).
#[wasm_bindgen]
pub fn pack_read(label: &str, text: &str) -> Result<String, JsValue> {
    let pack = read(label, text).map_err(|e| problems(&e))?;
    Ok(serde_json::json!({ "name": pack.name, "hash": pack.hash }).to_string())
}

/// Adds the packs in `packs` (JSON text of `[[label, text], …]`, in load order) to the set in
/// `bundle` (the page's built-in one): `[bundle of the new set, JSON text of one
/// `PackSummary` per pack]`, or throws every problem (nothing is half-applied).
#[wasm_bindgen]
pub fn packs_add(bundle: &[u8], packs: &str) -> Result<js_sys::Array, JsValue> {
    let inputs: Vec<(String, String)> =
        serde_json::from_str(packs).map_err(|e| problems(&data_problem(&e)))?;
    let mut read_packs = Vec::with_capacity(inputs.len());
    for (label, text) in &inputs {
        read_packs.push(read(label, text).map_err(|e| problems(&e))?);
    }
    let base = PolicySet::from_bytes(bundle).map_err(|e| problems(&data_problem(&e)))?;
    let again = PolicySet::from_bytes(bundle).map_err(|e| problems(&data_problem(&e)))?;
    let refs: Vec<&Pack> = read_packs.iter().collect();
    let set = again.with_packs(&refs).map_err(|e| problems(&e))?;
    let summaries: Vec<_> = read_packs.iter().map(|p| summary(&set, &base, p)).collect();
    let summaries = serde_json::to_string(&summaries).map_err(|e| problems(&data_problem(&e)))?;
    Ok(js_sys::Array::of2(
        &js_sys::Uint8Array::from(set.to_bytes().as_slice()),
        &JsValue::from_str(&summaries),
    ))
}
