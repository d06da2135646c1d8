//! Policy packs in the first module: only the hooks. Reading packs, checking their hashes,
//! adding them to the built-in set, the list of packs in use, the user's stored packs and the
//! page's Policy packs view all live in the second module (`www/batch`, `packs.rs`), which is
//! instantiated only when a pack is there: one the page ships
//! (`<script type="application/json" data-butie-pack>`), one the user stored, a file chosen in
//! the view, or one a host page loads into the widget (its `pack` attribute,
//! `butie.loadPolicies`). This side only switches to the set the second module hands back.

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

use crate::{data, lazy};

/// Uses the set the second module answered: a bundle, `null` for the built-in set, anything
/// else (`undefined`) for no change.
fn apply(bundle: &JsValue) -> Result<(), String> {
    if bundle.is_null() {
        data::use_bundle(None)
    } else if bundle.is_object() {
        data::use_bundle(Some(js_sys::Uint8Array::new(bundle).to_vec()))
    } else {
        Ok(())
    }
}

/// The callback the second module calls with the new set after a change in the view.
pub fn on_change() -> JsValue {
    Closure::<dyn Fn(JsValue)>::new(|bundle: JsValue| {
        if let Err(e) = apply(&bundle) {
            gloo::console::error!(format!("butie: policy packs: {e}"));
        }
    })
    .into_js_value()
}

/// At start-up (page): when the page ships packs or the user stored some, the second module is
/// loaded and adds them (inputs kept for their fields come back then); otherwise nothing.
pub fn init_page() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let shipped = window
        .document()
        .and_then(|d| d.query_selector("script[data-butie-pack]").ok().flatten())
        .is_some();
    let stored = matches!(
        window
            .local_storage()
            .ok()
            .flatten()
            .map(|s| s.get_item(butie::pack::STORAGE_KEY)),
        Some(Ok(Some(_)))
    );
    if !shipped && !stored {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        let started = match lazy::module().await {
            Ok(exports) => lazy::call(
                &exports,
                "packs_start",
                &js_sys::Array::of1(&js_sys::Uint8Array::from(data::builtin_bundle())),
            )
            .map_err(|e| lazy::error_text(&e).en)
            .and_then(|bundle| apply(&bundle)),
            Err(why) => Err(why.en),
        };
        if let Err(e) = started {
            gloo::console::error!(format!("butie: policy packs: {e}"));
        }
    });
}

/// A host page's pack (the widget's `pack` attribute, `butie.loadPolicies`), added by the
/// second module: the pack's summary as JSON text, or the problems as JSON text of
/// `[{file, path, message: {zh, en}}]`.
#[cfg(feature = "js-api")]
pub async fn add_host(text: &str, label: &str) -> Result<String, String> {
    let problem = |why: &butie::Text| {
        serde_json::json!([{ "file": label, "path": "(page)", "message": why }]).to_string()
    };
    let exports = lazy::module().await.map_err(|why| problem(&why))?;
    let args = js_sys::Array::of4(
        &js_sys::Uint8Array::from(data::builtin_bundle()),
        &label.into(),
        &text.into(),
        &"host".into(),
    );
    let out = lazy::call(&exports, "packs_load", &args).map_err(|e| {
        e.as_string()
            .filter(|t| t.starts_with('['))
            .unwrap_or_else(|| problem(&lazy::error_text(&e)))
    })?;
    let out: js_sys::Array = out.into();
    apply(&out.get(0)).map_err(|e| problem(&butie::Text::new(e.clone(), e)))?;
    Ok(out.get(1).as_string().unwrap_or_default())
}
