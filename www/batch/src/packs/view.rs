//! The page's Policy packs view, drawn by this module into the element the page gives it: load
//! a pack file (chosen or dropped); every pack in use — added by this site or by you — with its
//! documents, what each does to the built-in ones and the pack's hash; remove your own. A pack
//! that does not load is refused with every problem named; nothing else changes. After each
//! change the page's callback gets the new set's bundle (`null`: the built-in set).

use std::cell::RefCell;

use butie::pack::PackError;
use butie::{Lang, PolicySet};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use super::{Origin, PackDoc, entries};

/// A fixed string of the view in both languages.
#[derive(Clone, Copy)]
struct Tr(&'static str, &'static str);

impl Tr {
    fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.0,
            Lang::En => self.1,
        }
    }
}

const INTRO: Tr = Tr(
    "政策包（.butie.json）为本页新增或更新政策文件（新的区、接替或修订的文件），无需新版本。文件只在本浏览器中保存，不会上传。请只载入您信任的来源提供的政策包，并核对其哈希值。",
    "A policy pack (.butie.json) adds or updates policy documents (a new district, a successor or an amendment) without a new version of this page. It is kept in this browser only and never uploaded. Load packs only from people you trust, and compare their hash.",
);
const CHOOSE: Tr = Tr("载入政策包…", "Load a policy pack…");
const DROP: Tr = Tr("或把文件拖到此处", "or drop it here");
const BUILTIN: Tr = Tr("本站内置政策文件：", "Built-in policy documents: ");
const BY_SITE: Tr = Tr("由本网站提供", "Added by this site");
const BY_YOU: Tr = Tr("由您添加", "Added by you");
const BY_HOST: Tr = Tr("由所在网页载入", "Loaded by the host page");
const REMOVE: Tr = Tr("移除", "Remove");
const ADDED: Tr = Tr("已载入政策包：", "Policy pack loaded:");
const REFUSED: Tr = Tr(
    "政策包未载入（内置政策和您填写的信息均未改变）：",
    "The policy pack was not loaded (the built-in policies and your inputs are unchanged):",
);
const NOT_LOADED: Tr = Tr("未能载入", "Could not be loaded");

/// What the view shows, kept between draws.
struct View {
    root: Element,
    lang: Lang,
    builtin: Vec<u8>,
    /// Called with the new set's bundle after each change.
    on_change: js_sys::Function,
    /// What the last load said: `Ok(name)` or the problems.
    said: Option<Result<String, Vec<PackError>>>,
}

thread_local! {
    static VIEW: RefCell<Option<View>> = const { RefCell::new(None) };
}

/// Draws the view into `root` in `lang` (`zh`/`en`), for the set built on `builtin`;
/// `on_change(bundle)` is called after each change. Called again when the language changes.
#[wasm_bindgen]
pub fn packs_view(root: Element, lang: &str, builtin: &[u8], on_change: js_sys::Function) {
    let lang = if lang == "en" { Lang::En } else { Lang::Zh };
    VIEW.with(|v| {
        let mut v = v.borrow_mut();
        let said = v.take().and_then(|old| old.said);
        *v = Some(View {
            root,
            lang,
            builtin: builtin.to_vec(),
            on_change,
            said,
        });
    });
    draw();
}

/// Records what a change said, hands the new set to the page and draws again.
fn changed(said: Option<Result<String, Vec<PackError>>>, bundle: Option<JsValue>) {
    let on_change = VIEW.with(|v| {
        let mut v = v.borrow_mut();
        let v = v.as_mut()?;
        if said.is_some() {
            v.said = said;
        }
        Some(v.on_change.clone())
    });
    if let (Some(f), Some(bundle)) = (on_change, bundle) {
        let _ = f.call1(&JsValue::NULL, &bundle);
    }
    draw();
}

fn builtin_bundle() -> Vec<u8> {
    VIEW.with(|v| v.borrow().as_ref().map(|v| v.builtin.clone()))
        .unwrap_or_default()
}

/// Reads a chosen or dropped file and adds it as the user's pack.
fn load(file: Option<web_sys::File>) {
    let Some(file) = file else { return };
    let size = file.size() as usize;
    if size > butie::pack::MAX_PACK_BYTES {
        changed(
            Some(Err(vec![butie::pack::too_large(&file.name(), size)])),
            None,
        );
        return;
    }
    let name = file.name();
    // A one-shot function: freed once it has run (once per file chosen).
    let read = Closure::once_into_js(move |content: JsValue| {
        let content = content.as_string().unwrap_or_default();
        match super::add(&builtin_bundle(), &name, &content, Origin::User) {
            Ok((bundle, summary)) => {
                changed(Some(Ok(summary.name)), bundle.map(super::bundle_value))
            }
            Err(errors) => changed(Some(Err(errors)), None),
        }
    });
    let text = file.text();
    let then = js_sys::Reflect::get(&text, &"then".into());
    if let Ok(then) = then.and_then(|f| f.dyn_into::<js_sys::Function>()) {
        let _ = then.call1(&text, &read);
    }
}

/// An event handler kept alive by the element it is set on.
fn handler(f: impl FnMut(web_sys::Event) + 'static) -> js_sys::Function {
    Closure::<dyn FnMut(web_sys::Event)>::new(f)
        .into_js_value()
        .unchecked_into()
}

fn el(doc: &Document, parent: &Element, tag: &str, attrs: &[(&str, &str)], text: &str) -> Element {
    let e = doc.create_element(tag).unwrap_throw();
    for (name, value) in attrs {
        let _ = e.set_attribute(name, value);
    }
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    let _ = parent.append_child(&e);
    e
}

fn problems(doc: &Document, parent: &Element, errors: &[PackError], lang: Lang) {
    let ul = el(doc, parent, "ul", &[], "");
    for e in errors {
        let line = format!("{}: {}: {}", e.file, e.path, e.message.get(lang));
        el(doc, &ul, "li", &[], &line);
    }
}

/// One of a pack's documents, in `lang`: district, number, title, status (the core's words),
/// relation.
fn document(d: &PackDoc, lang: Lang) -> String {
    format!(
        "{} {}《{}》 · {} · {} {}",
        d.district_name.get(lang),
        d.doc_no,
        d.title.get(lang),
        d.status.word().get(lang),
        d.relation.word().get(lang),
        d.of
    )
}

/// Draws the whole view anew (packs change rarely; the list is short).
fn draw() {
    let Some((root, lang, said, builtin)) = VIEW.with(|v| {
        v.borrow()
            .as_ref()
            .map(|v| (v.root.clone(), v.lang, v.said.clone(), v.builtin.clone()))
    }) else {
        return;
    };
    let Some(doc) = root.owner_document() else {
        return;
    };
    root.set_text_content(None);
    // Dropping anywhere on the view's section loads the file.
    if let Some(section) = root
        .parent_element()
        .and_then(|p| p.dyn_into::<HtmlElement>().ok())
    {
        section.set_ondragover(Some(&handler(|e| e.prevent_default())));
        section.set_ondrop(Some(&handler(|e| {
            e.prevent_default();
            let file = e
                .dyn_ref::<web_sys::DragEvent>()
                .and_then(web_sys::DragEvent::data_transfer)
                .and_then(|d| d.files())
                .and_then(|f| f.get(0));
            load(file);
        })));
    }
    el(&doc, &root, "p", &[("class", "note")], INTRO.get(lang));
    let upload = el(&doc, &root, "div", &[("class", "upload")], "");
    let input = el(
        &doc,
        &upload,
        "input",
        &[
            ("type", "file"),
            ("id", "butie-pack-file"),
            ("class", "visually-hidden"),
            ("accept", ".json,application/json"),
            ("data-testid", "pack-file"),
        ],
        "",
    );
    if let Some(input) = input.dyn_ref::<HtmlInputElement>() {
        let target = input.clone();
        input.set_onchange(Some(&handler(move |_| {
            load(target.files().and_then(|f| f.get(0)));
            target.set_value("");
        })));
    }
    el(
        &doc,
        &upload,
        "label",
        &[("for", "butie-pack-file"), ("class", "button primary")],
        CHOOSE.get(lang),
    );
    el(&doc, &upload, "span", &[("class", "help")], DROP.get(lang));
    match &said {
        Some(Ok(name)) => {
            let line = format!("{} {name}", ADDED.get(lang));
            let attrs = [
                ("class", "notice"),
                ("role", "status"),
                ("data-testid", "pack-added"),
            ];
            el(&doc, &root, "p", &attrs, &line);
        }
        Some(Err(errors)) => {
            let attrs = [
                ("class", "notice error"),
                ("role", "alert"),
                ("data-testid", "pack-refused"),
            ];
            let div = el(&doc, &root, "div", &attrs, "");
            el(&doc, &div, "p", &[], REFUSED.get(lang));
            problems(&doc, &div, errors, lang);
        }
        None => {}
    }
    let list = el(&doc, &root, "ul", &[("class", "pack-list")], "");
    for e in entries() {
        let by = match e.origin {
            Origin::Site => BY_SITE,
            Origin::User => BY_YOU,
            Origin::Host => BY_HOST,
        };
        let li = el(
            &doc,
            &list,
            "li",
            &[("class", "pack"), ("data-testid", "pack")],
            "",
        );
        match &e.summary {
            Some(p) => {
                let _ = li.set_attribute("data-pack", &p.name);
                el(&doc, &li, "strong", &[], &p.name);
                let line = format!(" · {} · {} · {} ", by.get(lang), p.author, p.created);
                let _ = li.append_with_str_1(&line);
                el(&doc, &li, "code", &[("data-testid", "pack-hash")], &p.hash);
                let ul = el(&doc, &li, "ul", &[], "");
                for d in &p.documents {
                    el(&doc, &ul, "li", &[], &document(d, lang));
                }
            }
            None => {
                el(&doc, &li, "strong", &[], &e.label);
                let line = format!(" · {} · {}", by.get(lang), NOT_LOADED.get(lang));
                let _ = li.append_with_str_1(&line);
                problems(&doc, &li, &e.errors, lang);
            }
        }
        if e.origin == Origin::User {
            let button = el(
                &doc,
                &li,
                "button",
                &[("type", "button"), ("data-testid", "pack-remove")],
                REMOVE.get(lang),
            );
            if let Some(button) = button.dyn_ref::<HtmlElement>() {
                let label = e.label.clone();
                button.set_onclick(Some(&handler(move |_| {
                    match super::remove(&builtin_bundle(), &label) {
                        Ok(bundle) => changed(None, Some(bundle)),
                        Err(errors) => changed(Some(Err(errors)), None),
                    }
                })));
            }
        }
    }
    let ids = PolicySet::from_bytes(&builtin)
        .map(|set| {
            set.policies
                .iter()
                .map(|p| p.meta.id.clone())
                .collect::<Vec<_>>()
                .join(" · ")
        })
        .unwrap_or_default();
    el(
        &doc,
        &root,
        "p",
        &[("class", "help")],
        &format!("{}{ids}", BUILTIN.get(lang)),
    );
}
