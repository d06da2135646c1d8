//! WebAssembly entry point of the butie browser front end.
//!
//! `start` runs as soon as the wasm-bindgen glue has instantiated the
//! module: it finds `<div id="app">`, removes whatever it holds (a page
//! saved from the browser already contains rendered markup) and mounts
//! the Yew [`App`] into it with the page defaults.

mod app;
mod bench;
mod calc;
mod data;
mod dates;
mod draft;
mod export;
mod form;
mod i18n;
mod results;
mod share;
mod state;
mod storage;
mod summary_bar;
mod toolbar;
mod view;

pub use app::{App, AppConfig};
pub use bench::bench_evaluate;
use wasm_bindgen::prelude::*;

/// Id of the element the app mounts into; `index.html` must contain it.
pub const MOUNT_ID: &str = "app";

/// Shows a message in place of the app when Rust panics (a panic stops the wasm app), and
/// logs it to the console.
fn panic_hook(info: &std::panic::PanicHookInfo<'_>) {
    let message = format!("butie: internal error: {info}");
    gloo::console::error!(message.clone());
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(MOUNT_ID))
    {
        root.set_text_content(Some(
            "出错了，请刷新页面重试。 Something went wrong; please reload the page.",
        ));
    }
}

/// Sets a Performance API mark (ignored when the API is missing).
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Mounts the app into `#app`, replacing any existing children.
///
/// Errors (no document, no mount element) are reported to the caller,
/// which for the `start` hook means the JS console.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    yew::set_custom_panic_hook(Box::new(panic_hook));
    // Phases of the start-up, for `cargo xtask measure` (the app marks `butie:first-results`).
    mark("butie:wasm-start");
    // Parse the policies now (once per page), so the phase shows on its own.
    let _ = data::policy_set();
    mark("butie:policies-loaded");
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("butie: no document to mount into"))?;
    let root = document
        .get_element_by_id(MOUNT_ID)
        .ok_or_else(|| JsValue::from_str("butie: no element with id \"app\" in the page"))?;
    while let Some(child) = root.first_child() {
        root.remove_child(&child)?;
    }
    yew::Renderer::<App>::with_root_and_props(root, AppConfig::default()).render();
    Ok(())
}
