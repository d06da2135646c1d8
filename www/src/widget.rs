//! The Rust side of the `<butie-calculator>` element (`www/widget/widget.js` defines the
//! element): [`mount_widget`] mounts the app into a container inside the element's shadow
//! root, embedded (no localStorage, no URL fragment, no document title), and returns a
//! [`WidgetHandle`] whose `update` applies changed attributes and whose `destroy` unmounts.
//! [`widget_css`] is the stylesheet the element adopts into its shadow root.
//!
//! Options come as JSON text with the attribute values as written: `{"lang": "en",
//! "districts": "putuo,jiading", "as-of": "2026-11-21", "application-period":
//! "2026-03-01..2026-04-30", "compact": true, "consultant": …, "contact": …}`. Values that cannot be used are ignored with a console warning naming the
//! attribute (a typo must not stop the widget).

use std::cell::RefCell;
use std::rc::Rc;

use butie::{Lang, PolicySet};
use serde_json::Value as Json;
use wasm_bindgen::prelude::*;
use yew::{AppHandle, Callback};

use crate::app::{App, AppConfig, STYLE};
use crate::data;

/// Rules only the widget needs (`www/widget/widget.css`, compacted by build.rs): the host reset,
/// the container queries (after the app's).
const WIDGET_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.css"));

/// The longest consultant line kept (characters).
const MAX_LINE_CHARS: usize = 120;

thread_local! {
    /// The containers of the mounted widgets, so a panic can say so in each of them.
    static ROOTS: RefCell<Vec<web_sys::Element>> = const { RefCell::new(Vec::new()) };
}

/// The mounted widgets' containers (for the panic hook).
pub fn mounted_roots() -> Vec<web_sys::Element> {
    ROOTS.with(|r| r.borrow().clone())
}

/// The element's attributes, read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WidgetOptions {
    pub lang: Lang,
    pub districts: Option<Vec<String>>,
    pub as_of: Option<String>,
    /// The application period (申报期), as written (`2026-03-01..2026-04-30`).
    pub application_period: Option<String>,
    pub compact: bool,
    pub consultant: Option<String>,
    pub contact: Option<String>,
}

fn text_attr(value: Option<&Json>) -> Option<String> {
    let s = value?.as_str()?.trim();
    (!s.is_empty()).then(|| s.chars().take(MAX_LINE_CHARS).collect())
}

/// Reads the options; the second value lists what was ignored and why.
pub fn parse_options(set: &PolicySet, text: &str) -> (WidgetOptions, Vec<String>) {
    let json: Json = serde_json::from_str(text).unwrap_or(Json::Null);
    let mut warnings = Vec::new();
    let mut o = WidgetOptions::default();
    match json.get("lang").and_then(Json::as_str).map(str::trim) {
        None | Some("") => {}
        Some(l) if l.eq_ignore_ascii_case("en") || l.to_ascii_lowercase().starts_with("en-") => {
            o.lang = Lang::En
        }
        Some(l) if l.eq_ignore_ascii_case("zh") || l.to_ascii_lowercase().starts_with("zh-") => {
            o.lang = Lang::Zh
        }
        Some(l) => warnings.push(format!("lang=\"{l}\" is not zh or en; using zh")),
    }
    if let Some(list) = json.get("districts").and_then(Json::as_str) {
        let wanted: Vec<String> = list
            .split(',')
            .map(|d| d.trim().to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        if !wanted.is_empty() {
            let (known, unknown): (Vec<String>, Vec<String>) =
                wanted.into_iter().partition(|d| set.has_district(d));
            if !unknown.is_empty() {
                let ids: Vec<&str> = set
                    .policies
                    .iter()
                    .map(|p| p.meta.district.as_str())
                    .collect();
                warnings.push(format!(
                    "districts=\"{list}\": {} not encoded (known: {}); ignored",
                    unknown.join(", "),
                    ids.join(", ")
                ));
            }
            // Only unknown ids: show every district rather than none.
            if !known.is_empty() {
                o.districts = Some(known);
            }
        }
    }
    if let Some(d) = json.get("as-of").and_then(Json::as_str).map(str::trim)
        && !d.is_empty()
    {
        match butie::date::parse_as_of(d) {
            Ok(_) => o.as_of = Some(d.to_string()),
            Err(e) => warnings.push(format!("as-of=\"{d}\": {e}; using today")),
        }
    }
    if let Some(p) = json
        .get("application-period")
        .and_then(Json::as_str)
        .map(str::trim)
        && !p.is_empty()
    {
        match butie::date::Period::parse(p) {
            Ok(_) => o.application_period = Some(p.to_string()),
            Err(e) => warnings.push(format!(
                "application-period=\"{p}\": {}; not set",
                e.text().en
            )),
        }
    }
    o.compact = json.get("compact").and_then(Json::as_bool).unwrap_or(false);
    o.consultant = text_attr(json.get("consultant"));
    o.contact = text_attr(json.get("contact"));
    (o, warnings)
}

/// The app's configuration for the options.
fn config(o: WidgetOptions, on_result: &Callback<Rc<str>>) -> AppConfig {
    AppConfig {
        lang: o.lang,
        districts: o.districts,
        as_of: o.as_of,
        application_period: o.application_period,
        compact: o.compact,
        embedded: true,
        external_style: true,
        consultant: o.consultant,
        contact: o.contact,
        on_result: Some(on_result.clone()),
    }
}

fn read_options(text: &str) -> WidgetOptions {
    let Ok(set) = data::policy_set() else {
        return WidgetOptions::default();
    };
    let (options, warnings) = parse_options(set, text);
    for w in warnings {
        gloo::console::warn!(format!("butie-calculator: {w}"));
    }
    options
}

/// A mounted widget.
#[wasm_bindgen]
pub struct WidgetHandle {
    app: RefCell<Option<AppHandle<App>>>,
    on_result: Callback<Rc<str>>,
    root: web_sys::Element,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Applies changed options (the same JSON as [`mount_widget`]).
    pub fn update(&self, options_json: &str) {
        let props = config(read_options(options_json), &self.on_result);
        match self.app.try_borrow_mut() {
            Ok(mut app) => {
                if let Some(app) = app.as_mut() {
                    app.update(props);
                }
            }
            Err(_) => gloo::console::warn!("butie-calculator: update while busy; ignored"),
        }
    }

    /// Unmounts the app (the element was removed from the page).
    pub fn destroy(&self) {
        if let Ok(mut app) = self.app.try_borrow_mut()
            && let Some(app) = app.take()
        {
            app.destroy();
        }
        ROOTS.with(|roots| roots.borrow_mut().retain(|r| r != &self.root));
    }
}

/// Mounts the calculator into `root` (an empty element in the widget's shadow root).
/// `on_result` is called with the result JSON text whenever the result changes.
#[wasm_bindgen]
pub fn mount_widget(
    root: web_sys::Element,
    options_json: &str,
    on_result: js_sys::Function,
) -> WidgetHandle {
    crate::install_panic_hook();
    let last: RefCell<Option<Rc<str>>> = RefCell::new(None);
    let on_result = Callback::from(move |json: Rc<str>| {
        if let Ok(mut last) = last.try_borrow_mut() {
            if last.as_deref() == Some(&*json) {
                return;
            }
            *last = Some(json.clone());
        }
        if let Err(e) = on_result.call1(&JsValue::NULL, &JsValue::from_str(&json)) {
            gloo::console::error!(format!(
                "butie-calculator: result callback: {}",
                crate::export::js_error(&e)
            ));
        }
    });
    let props = config(read_options(options_json), &on_result);
    ROOTS.with(|roots| roots.borrow_mut().push(root.clone()));
    let app = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    WidgetHandle {
        app: RefCell::new(Some(app)),
        on_result,
        root,
    }
}

/// The widget's stylesheet: the app's stylesheet, then the host reset and the container
/// queries, with `rem` lengths made independent of the host page's root font size.
#[wasm_bindgen]
pub fn widget_css() -> String {
    // After the app's rules, so the container queries override its viewport layout.
    let mut css = fixed_rem(STYLE);
    css.push('\n');
    css.push_str(&fixed_rem(WIDGET_CSS));
    css
}

/// Rewrites `1.5rem` as `calc(1.5 * var(--butie-rem, 16px))` outside media queries: inside a
/// shadow root `rem` still means the host page's root font size, which pages often change.
pub fn fixed_rem(css: &str) -> String {
    let mut out = String::with_capacity(css.len() + css.len() / 3);
    for line in css.split_inclusive('\n') {
        if line.trim_start().starts_with('@') {
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("rem") {
            let (before, after) = rest.split_at(at);
            let after = after.get(3..).unwrap_or("");
            let unit_ends = !after
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            let number_len = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .count();
            let (head, number) = before.split_at(before.len() - number_len);
            let starts_token = !head
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
            if number_len == 0 || !unit_ends || !starts_token {
                out.push_str(before);
                out.push_str("rem");
                rest = after;
                continue;
            }
            let (head, sign) = match head.strip_suffix('-') {
                Some(h) => (h, "-"),
                None => (head, ""),
            };
            out.push_str(head);
            out.push_str("calc(");
            out.push_str(sign);
            out.push_str(number);
            out.push_str(" * var(--butie-rem, 16px))");
            rest = after;
        }
        out.push_str(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rem_lengths_are_rewritten() {
        assert_eq!(
            fixed_rem("  padding: 0.75rem 1rem 2rem;\n"),
            "  padding: calc(0.75 * var(--butie-rem, 16px)) calc(1 * var(--butie-rem, 16px)) calc(2 * var(--butie-rem, 16px));\n"
        );
        assert_eq!(
            fixed_rem("margin: 1rem -0.25rem 0;"),
            "margin: calc(1 * var(--butie-rem, 16px)) calc(-0.25 * var(--butie-rem, 16px)) 0;"
        );
        assert_eq!(
            fixed_rem("grid: minmax(min(100%, 21rem), 1fr);"),
            "grid: minmax(min(100%, calc(21 * var(--butie-rem, 16px))), 1fr);"
        );
        let kept = "@media (max-width: 62rem) {\n.remove { x: y }\n.a2rem { b: 0 }\n";
        assert_eq!(fixed_rem(kept), kept);
        // The whole stylesheet: no rem length left outside @-rules.
        let css = fixed_rem(STYLE);
        for line in css.lines().filter(|l| !l.trim_start().starts_with('@')) {
            assert!(
                !line.contains("rem;") && !line.contains("rem ") && !line.contains("rem)"),
                "{line}"
            );
        }
    }

    #[test]
    fn options_are_read_leniently() {
        let set = data::policy_set().unwrap();
        let (o, w) = parse_options(
            set,
            r#"{"lang":"en","districts":"putuo, Jiading ,nowhere","as-of":"2026-11-21","compact":true,"consultant":"  张顾问 ","contact":""}"#,
        );
        assert_eq!(o.lang, Lang::En);
        assert_eq!(o.districts, Some(vec!["putuo".into(), "jiading".into()]));
        assert_eq!(o.as_of.as_deref(), Some("2026-11-21"));
        assert!(o.compact);
        assert_eq!(o.consultant.as_deref(), Some("张顾问"));
        assert_eq!(o.contact, None);
        assert_eq!(w.len(), 1, "{w:?}");
        let (o, w) = parse_options(set, r#"{"lang":"fr","districts":"x","as-of":"2026-02-30"}"#);
        assert_eq!(o, WidgetOptions::default());
        assert_eq!(w.len(), 3, "{w:?}");
        let (o, w) = parse_options(set, r#"{"as-of":"2101-01-01"}"#);
        assert_eq!(o.as_of, None);
        assert_eq!(
            w,
            ["as-of=\"2101-01-01\": outside the years 1900–2100; using today"]
        );
        assert_eq!(parse_options(set, "not json").0, WidgetOptions::default());
        let (o, w) = parse_options(set, r#"{"application-period":" 2026-03-01..2026-04-30 "}"#);
        assert_eq!(
            o.application_period.as_deref(),
            Some("2026-03-01..2026-04-30")
        );
        assert!(w.is_empty(), "{w:?}");
        let (o, w) = parse_options(set, r#"{"application-period":"2026-03-01"}"#);
        assert_eq!(o.application_period, None);
        assert!(
            w[0].starts_with("application-period=\"2026-03-01\""),
            "{w:?}"
        );
    }
}
