//! WebAssembly entry point of the butie browser front end.
//!
//! `start` runs as soon as the wasm-bindgen glue of the pages has instantiated the
//! module: it finds `<div id="app">`, removes whatever it holds (a page saved from the
//! browser already contains rendered markup) and mounts the Yew [`App`] into it with the
//! page defaults. On a page without `#app` it does nothing. The widget script
//! (`dist/butie-widget.js`) is built without the start hook and mounts through
//! [`widget::mount_widget`] instead; its JS API calls the functions in [`api`].

// Builds without the consultant tools or the JS API (the page's and the widget's wasm) leave
// some shared strings and helpers unused.
#![cfg_attr(
    not(all(feature = "consultant-tools", feature = "js-api")),
    allow(dead_code, unused_imports)
)]

#[cfg(feature = "js-api")]
mod api;
mod app;
mod asked;
mod bench;
#[cfg(feature = "consultant-tools")]
mod bulk;
mod calc;
mod data;
mod dates;
mod draft;
#[cfg(feature = "consultant-tools")]
mod embed;
mod export;
mod form;
mod i18n;
mod lazy;
#[cfg(feature = "consultant-tools")]
mod pack_panel;
mod packs;
mod results;
mod share;
mod state;
mod storage;
#[cfg(feature = "studio")]
mod studio;
mod summary_bar;
mod toolbar;
mod view;
#[cfg(feature = "js-api")]
mod widget;

#[cfg(feature = "js-api")]
pub use api::{api_evaluate, api_load_pack, api_policies, api_schema, api_version};
pub use app::{App, AppConfig};
#[cfg(feature = "bench")]
pub use bench::bench_evaluate;
use wasm_bindgen::prelude::*;
#[cfg(feature = "js-api")]
pub use widget::{WidgetHandle, mount_widget, widget_css};

/// Id of the element the app mounts into; `index.html` must contain it.
pub const MOUNT_ID: &str = "app";

/// Shows a message in place of the app (the page's and every widget's) when Rust panics (a
/// panic stops the wasm), and logs it to the console.
fn panic_hook(info: &std::panic::PanicHookInfo<'_>) {
    let message = format!("butie: internal error: {info}");
    gloo::console::error!(message.clone());
    let page = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(MOUNT_ID));
    let roots = page.into_iter();
    #[cfg(feature = "js-api")]
    let roots = roots.chain(widget::mounted_roots());
    for root in roots {
        root.set_text_content(Some(
            "出错了，请刷新页面重试。 Something went wrong; please reload the page.",
        ));
    }
}

thread_local! {
    static HOOKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs [`panic_hook`] once.
pub(crate) fn install_panic_hook() {
    if !HOOKED.with(|h| h.replace(true)) {
        yew::set_custom_panic_hook(Box::new(panic_hook));
    }
}

/// Sets a Performance API mark (ignored when the API is missing).
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Mounts the app into `#app`, replacing any existing children; on a page without `#app`
/// (or without a document) does nothing at all.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(MOUNT_ID))
    else {
        return Ok(());
    };
    install_panic_hook();
    // Phases of the start-up, for `cargo xtask measure` (the app marks `butie:first-results`).
    mark("butie:wasm-start");
    // Parse the policies now (once per page), so the phase shows on its own, with the policy
    // packs the page ships and the ones the user added (before the saved inputs are read).
    let _ = data::policy_set();
    #[cfg(not(feature = "studio"))]
    packs::init_page();
    mark("butie:policies-loaded");
    while let Some(child) = root.first_child() {
        root.remove_child(&child)?;
    }
    // The authoring page mounts the studio (its preview is the app).
    #[cfg(feature = "studio")]
    studio::mount(root);
    #[cfg(not(feature = "studio"))]
    {
        // `butie.html#embed&…`: the page in a consultant's iframe (the embed panel's "this page
        // file"), configured by the fragment as the widget's iframe page is.
        #[cfg(feature = "consultant-tools")]
        let config = match web_sys::window().and_then(|w| w.location().hash().ok()) {
            Some(hash) => match embed::frame_options(hash.trim_start_matches('#')) {
                Some((config, theme)) => {
                    if let Some(el) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&root) {
                        for (name, value) in theme {
                            el.style().set_property(name, &value)?;
                        }
                    }
                    embed::report_height(&root);
                    config
                }
                None => AppConfig::default(),
            },
            None => AppConfig::default(),
        };
        #[cfg(not(feature = "consultant-tools"))]
        let config = AppConfig::default();
        yew::Renderer::<App>::with_root_and_props(root, config).render();
    }
    Ok(())
}
