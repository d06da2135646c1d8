//! WebAssembly entry point of the butie browser front end.
//!
//! `start` runs as soon as the wasm-bindgen glue has instantiated the
//! module: it finds `<div id="app">`, removes whatever it holds (a page
//! saved from the browser already contains rendered markup) and mounts
//! the Yew [`App`] into it.

mod app;

pub use app::App;
use wasm_bindgen::prelude::*;

/// Id of the element the app mounts into; `index.html` must contain it.
pub const MOUNT_ID: &str = "app";

/// Mounts the app into `#app`, replacing any existing children.
///
/// Errors (no document, no mount element) are reported to the caller,
/// which for the `start` hook means the JS console.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("butie: no document to mount into"))?;
    let root = document
        .get_element_by_id(MOUNT_ID)
        .ok_or_else(|| JsValue::from_str("butie: no element with id \"app\" in the page"))?;
    while let Some(child) = root.first_child() {
        root.remove_child(&child)?;
    }
    yew::Renderer::<App>::with_root(root).render();
    Ok(())
}
