//! The page's Policy packs view: the heading here, the rest drawn by the second module
//! (`www/batch`, `packs/view.rs`), loaded when the view first opens.

use butie::Lang;
use yew::prelude::*;

use crate::{data, i18n, lazy, packs};

#[derive(Properties, PartialEq)]
pub struct PackPanelProps {
    pub lang: Lang,
}

/// The policy-pack view.
#[function_component(PackPanel)]
pub fn pack_panel(props: &PackPanelProps) -> Html {
    let lang = props.lang;
    let body = use_node_ref();
    {
        let body = body.clone();
        use_effect_with(lang, move |lang| {
            let lang = *lang;
            wasm_bindgen_futures::spawn_local(async move {
                let Some(root) = body.cast::<web_sys::Element>() else {
                    return;
                };
                let drawn = match lazy::module().await {
                    Ok(exports) => {
                        let args = js_sys::Array::of4(
                            &root,
                            &i18n::html_lang(lang).into(),
                            &js_sys::Uint8Array::from(data::builtin_bundle()),
                            &packs::on_change(),
                        );
                        lazy::call(&exports, "packs_view", &args)
                            .map(drop)
                            .map_err(|e| lazy::error_text(&e))
                    }
                    Err(why) => Err(why),
                };
                if let Err(why) = drawn {
                    root.set_text_content(Some(why.get(lang)));
                }
            });
        });
    }
    html! {
        <section class="batch packs" aria-labelledby="butie-packs-title" data-testid="packs">
            <h2 id="butie-packs-title">{ i18n::VIEW_PACKS.get(lang) }</h2>
            <div ref={body}></div>
        </section>
    }
}
