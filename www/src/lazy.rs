//! The second module (`www/batch`): client lists and policy packs, instantiated on first use
//! by `globalThis.butieBatch()` — defined by the page's loader script (embedded in the single
//! file) or, in the widget, loaded from the file beside it (`cargo xtask dist`). The first
//! results never wait for it.

use butie::Text;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Loads the module once (later calls return the same promise); resolves to its exports.
    #[wasm_bindgen(catch, js_namespace = globalThis, js_name = butieBatch)]
    fn load() -> Result<js_sys::Promise, JsValue>;
}

/// An error the module threw (`{zh, en}` as JSON text), or a JavaScript error. Read as a JSON
/// value, not as a `Text`: a typed reader's error messages would bring core's float printer
/// (serde's `Unexpected::Float`) into the page.
pub fn error_text(e: &JsValue) -> Text {
    let reason = crate::export::js_error(e);
    let json = serde_json::from_str::<serde_json::Value>(&reason).unwrap_or_default();
    match (json["zh"].as_str(), json["en"].as_str()) {
        (Some(zh), Some(en)) => Text::new(zh, en),
        _ => Text::new(reason.clone(), reason),
    }
}

/// The module's exports.
pub async fn module() -> Result<JsValue, Text> {
    let promise = load().map_err(|e| error_text(&e))?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| error_text(&e))
}

/// Calls the module's function `name` with `args`.
pub fn call(exports: &JsValue, name: &str, args: &js_sys::Array) -> Result<JsValue, JsValue> {
    let f: js_sys::Function = js_sys::Reflect::get(exports, &name.into())?.dyn_into()?;
    f.apply(&JsValue::NULL, args)
}
