//! "Embed on your site": a consultant chooses districts, language, colours and a contact
//! line, sees a live preview, and copies the generated snippet — the one-line widget
//! (`<script src=".../butie-widget.js">` + `<butie-calculator …>`) or the iframe for
//! CMSs that strip scripts (`embed.html#…` + the resize helper `butie-embed-host.js`), or,
//! for a consultant who has only the single file, that file itself in an iframe
//! (`butie.html#embed&…`, read by [`frame_options`] when the page starts).
//! The snippet is built by [`snippet`] (pure, tested).

use butie::Lang;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::{App, AppConfig};
use crate::{data, dates, i18n};

/// The widget's default colours (style.css): a choice equal to these is left out.
pub const DEFAULT_ACCENT: &str = "#1f5fae";
pub const DEFAULT_BACKGROUND: &str = "#ffffff";
pub const DEFAULT_TEXT: &str = "#1d232b";
/// The iframe's height before the helper script resizes it (px).
const FRAME_HEIGHT: u32 = 900;

/// The host page's side of the page file in an iframe: gives each `iframe[data-butie-embed]`
/// the height its page reports (what `butie-embed-host.js` does for `embed.html`).
const HEIGHT_LISTENER: &str = "<script>addEventListener(\"message\",function(e){var d=e.data,\
f=document.querySelectorAll(\"iframe[data-butie-embed]\");for(var i=0;i<f.length;i++)\
if(f[i].contentWindow===e.source&&d&&d.type===\"butie:height\"&&isFinite(d.height))\
f[i].style.height=Math.max(80,Math.ceil(d.height))+\"px\"})</script>\n";

/// In a consultant's iframe (`butie.html#embed&…`): posts the app's height to the parent
/// whenever it changes (`{type: "butie:height", height}`, as the widget's iframe page does), so
/// the frame never scrolls inside the host page.
pub fn report_height(root: &web_sys::Element) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if js_sys::Object::is(&parent, &window) {
        return;
    }
    let app = root.clone();
    let last = std::cell::Cell::new(-1.0);
    let report = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        let height = app.get_bounding_client_rect().bottom().ceil();
        if last.replace(height) == height {
            return;
        }
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"butie:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        let _ = parent.post_message(&message, "*");
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()) {
        observer.observe(root);
    }
    // Observes for the page's lifetime.
    report.forget();
}

/// Script tag and element, or iframe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Script,
    Iframe,
    /// The single file (`butie.html`) in an iframe.
    Page,
}

/// What the consultant chose.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub kind: Kind,
    /// Where the files are hosted, e.g. `https://example.com/butie/` (empty: the page's folder).
    pub base: String,
    pub lang: Lang,
    /// The districts shown; all of them (or none) leaves the attribute out.
    pub districts: Vec<String>,
    /// A fixed evaluation date (`YYYY-MM-DD`); empty: today, as the visitor opens the page.
    pub as_of: String,
    pub compact: bool,
    pub accent: String,
    pub background: String,
    pub text: String,
    pub consultant: String,
    pub contact: String,
}

impl Choice {
    fn new(all: &[String], kind: Kind) -> Choice {
        Choice {
            kind,
            base: String::new(),
            lang: Lang::Zh,
            districts: all.to_vec(),
            as_of: String::new(),
            compact: false,
            accent: DEFAULT_ACCENT.into(),
            background: DEFAULT_BACKGROUND.into(),
            text: DEFAULT_TEXT.into(),
            consultant: String::new(),
            contact: String::new(),
        }
    }
}

/// Escapes text for a double-quoted HTML attribute.
pub fn attr_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a fragment value (UTF-8), keeping `,` readable.
pub fn fragment_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~,".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The base URL as typed, with a trailing `/`; `Err` when it cannot go in an attribute.
pub fn normalize_base(base: &str) -> Result<String, ()> {
    let b = base.trim();
    if b.contains(|c: char| c.is_whitespace() || "\"'<>`\\".contains(c))
        || b.to_ascii_lowercase().starts_with("javascript:")
    {
        return Err(());
    }
    if b.is_empty() || b.ends_with('/') {
        Ok(b.to_string())
    } else {
        Ok(format!("{b}/"))
    }
}

/// The options as (attribute or fragment key, value), in a fixed order; values as typed.
fn options(c: &Choice, all: &[String]) -> Vec<(&'static str, String)> {
    let mut out = vec![(
        "lang",
        match c.lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
        .to_string(),
    )];
    let chosen: Vec<&str> = all
        .iter()
        .filter(|d| c.districts.contains(d))
        .map(String::as_str)
        .collect();
    if !chosen.is_empty() && chosen.len() < all.len() {
        out.push(("districts", chosen.join(",")));
    }
    if !c.as_of.trim().is_empty() {
        out.push(("as-of", c.as_of.trim().to_string()));
    }
    if c.compact {
        out.push(("compact", String::new()));
    }
    for (key, value) in [("consultant", &c.consultant), ("contact", &c.contact)] {
        if !value.trim().is_empty() {
            out.push((key, value.trim().to_string()));
        }
    }
    for (key, value, default) in [
        ("accent", &c.accent, DEFAULT_ACCENT),
        ("background", &c.background, DEFAULT_BACKGROUND),
        ("text-color", &c.text, DEFAULT_TEXT),
    ] {
        if !value.eq_ignore_ascii_case(default) && !value.is_empty() {
            out.push((key, value.clone()));
        }
    }
    out
}

/// The snippet to paste into the consultant's page; `all` lists every district id.
pub fn snippet(c: &Choice, all: &[String], base: &str) -> String {
    let opts = options(c, all);
    let title = attr_escape(match c.lang {
        Lang::Zh => i18n::TITLE.0,
        Lang::En => i18n::TITLE.1,
    });
    match c.kind {
        Kind::Script => {
            let attrs: String = opts
                .iter()
                .map(|(k, v)| {
                    if *k == "compact" {
                        " compact".to_string()
                    } else {
                        format!(" {k}=\"{}\"", attr_escape(v))
                    }
                })
                .collect();
            format!(
                "<script src=\"{base}butie-widget.js\" defer></script>\n\
                 <butie-calculator{attrs}></butie-calculator>\n"
            )
        }
        Kind::Iframe | Kind::Page => {
            let fragment: Vec<String> = opts
                .iter()
                .map(|(k, v)| {
                    if *k == "compact" {
                        "compact=1".to_string()
                    } else {
                        format!("{k}={}", fragment_escape(v))
                    }
                })
                .collect();
            let iframe = |src: String| {
                format!(
                    "<iframe src=\"{}\" title=\"{title}\" width=\"100%\" height=\"{FRAME_HEIGHT}\" \
                     frameborder=\"0\" loading=\"lazy\" data-butie-embed></iframe>\n",
                    attr_escape(&src)
                )
            };
            if c.kind == Kind::Page {
                let mut parts = vec!["embed".to_string()];
                parts.extend(fragment);
                // No helper file beside the single file: the listener comes inline.
                return format!(
                    "{}{HEIGHT_LISTENER}",
                    iframe(format!("{base}butie.html#{}", parts.join("&")))
                );
            }
            format!(
                "{}<script src=\"{base}butie-embed-host.js\" defer></script>\n",
                iframe(format!("{base}embed.html#{}", fragment.join("&")))
            )
        }
    }
}

/// Decodes `%XX` escapes (UTF-8; anything malformed is kept as it is).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The page as an iframe: the options of a `#embed&lang=en&districts=putuo&…` fragment (the
/// "this page file" snippet; the keys of the widget's iframe page), and the theme's custom
/// properties to set on the page's root; `None` for any other fragment.
pub fn frame_options(fragment: &str) -> Option<(AppConfig, Vec<(&'static str, String)>)> {
    let rest = fragment.strip_prefix("embed")?;
    if !(rest.is_empty() || rest.starts_with('&')) {
        return None;
    }
    let mut c = AppConfig {
        embedded: true,
        ..AppConfig::default()
    };
    let mut theme = Vec::new();
    let given = |v: String| Some(v).filter(|v| !v.trim().is_empty());
    for pair in rest.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(value);
        match key {
            "lang" if v.starts_with("en") => c.lang = Lang::En,
            "districts" => {
                c.districts = Some(v.split(',').map(|d| d.trim().to_string()).collect());
            }
            "as-of" => c.as_of = given(v),
            "compact" => c.compact = v != "0" && v != "false",
            "consultant" => c.consultant = given(v),
            "contact" => c.contact = given(v),
            "accent" => theme.push(("--butie-accent", v)),
            "background" => theme.push(("--butie-bg", v)),
            "text-color" => theme.push(("--butie-text", v)),
            _ => {}
        }
    }
    Some((c, theme))
}

#[derive(Properties, PartialEq)]
pub struct EmbedPanelProps {
    pub lang: Lang,
    pub today: String,
}

/// A checkbox, radio or text input's value from an event.
fn input_of(e: &Event) -> HtmlInputElement {
    e.target_unchecked_into()
}

/// The panel.
#[function_component(EmbedPanel)]
pub fn embed_panel(props: &EmbedPanelProps) -> Html {
    let lang = props.lang;
    let policies: Vec<(String, butie::Text)> = data::policy_set()
        .map(|set| {
            set.policies
                .iter()
                .map(|p| (p.meta.district.clone(), p.meta.district_name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let all: Vec<String> = policies.iter().map(|(id, _)| id.clone()).collect();
    let choice = {
        let all = all.clone();
        // A page opened from a file: the consultant may have only this file.
        let local = web_sys::window()
            .and_then(|w| w.location().protocol().ok())
            .is_some_and(|p| p == "file:");
        let kind = if local { Kind::Page } else { Kind::Script };
        use_state(move || Choice::new(&all, kind))
    };
    let copied = use_state(|| None::<bool>);
    let area = use_node_ref();
    let preview = use_node_ref();

    let base = normalize_base(&choice.base);
    let as_of_ok =
        choice.as_of.trim().is_empty() || dates::parse_typed_date(&choice.as_of).is_some();
    let code = snippet(&choice, &all, base.as_deref().unwrap_or(""));

    // The preview's colours: custom properties set through the CSSOM (no style attribute
    // in the markup, so a strict style-src is fine).
    {
        let preview = preview.clone();
        let colours = (
            choice.accent.clone(),
            choice.background.clone(),
            choice.text.clone(),
        );
        use_effect_with(colours, move |(accent, background, text)| {
            if let Some(el) = preview.cast::<web_sys::HtmlElement>() {
                let style = el.style();
                for (name, value) in [
                    ("--butie-accent", accent),
                    ("--butie-bg", background),
                    ("--butie-text", text),
                ] {
                    let _ = style.set_property(name, value);
                }
            }
        });
    }

    let update = |f: fn(&mut Choice, &HtmlInputElement)| {
        let choice = choice.clone();
        let copied = copied.clone();
        Callback::from(move |e: Event| {
            let mut c = (*choice).clone();
            f(&mut c, &input_of(&e));
            copied.set(None);
            choice.set(c);
        })
    };
    let on_text = |f: fn(&mut Choice, String)| {
        let choice = choice.clone();
        let copied = copied.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut c = (*choice).clone();
            f(&mut c, input.value());
            copied.set(None);
            choice.set(c);
        })
    };
    let copy = {
        let code = code.clone();
        let copied = copied.clone();
        let area = area.clone();
        Callback::from(move |_| {
            let copied = copied.clone();
            let area = area.clone();
            crate::toolbar::copy_text(
                &code,
                Callback::from(move |ok: bool| {
                    if !ok && let Some(t) = area.cast::<HtmlTextAreaElement>() {
                        // Fallback: select it all for Ctrl+C / ⌘C.
                        let _ = t.focus();
                        t.select();
                    }
                    copied.set(Some(ok));
                }),
            );
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        let t: HtmlTextAreaElement = e.target_unchecked_into();
        t.select();
    });

    let kind_radio = |kind: Kind, label: i18n::Tr, id: &'static str| {
        let handle = choice.clone();
        let copied = copied.clone();
        let onchange = Callback::from(move |_: Event| {
            let mut c = (*handle).clone();
            c.kind = kind;
            copied.set(None);
            handle.set(c);
        });
        html! {
            <label class="radio" for={id}>
                <input type="radio" id={id} name="butie-embed-kind" checked={choice.kind == kind} {onchange} data-testid={id} />
                { label.get(lang) }
            </label>
        }
    };
    let lang_radio = |l: Lang, label: &'static str, id: &'static str| {
        let handle = choice.clone();
        let onchange = Callback::from(move |_: Event| {
            let mut c = (*handle).clone();
            c.lang = l;
            handle.set(c);
        });
        html! {
            <label class="radio" for={id}>
                <input type="radio" id={id} name="butie-embed-lang" checked={choice.lang == l} {onchange} data-testid={id} />
                { label }
            </label>
        }
    };
    let district_box = |(id, name): &(String, butie::Text)| {
        let handle = choice.clone();
        let district = id.clone();
        let onchange = Callback::from(move |e: Event| {
            let on = input_of(&e).checked();
            let mut c = (*handle).clone();
            c.districts.retain(|d| d != &district);
            if on {
                c.districts.push(district.clone());
            }
            handle.set(c);
        });
        let dom_id = format!("butie-embed-d-{id}");
        html! {
            <label class="radio" for={dom_id.clone()}>
                <input type="checkbox" id={dom_id} checked={choice.districts.contains(id)} {onchange}
                    data-testid={format!("embed-district-{id}")} />
                { name.get(lang) }
            </label>
        }
    };
    let colour = |label: i18n::Tr, id: &'static str, value: &str, f: fn(&mut Choice, String)| {
        let handle = choice.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut c = (*handle).clone();
            f(&mut c, input.value());
            handle.set(c);
        });
        html! {
            <label class="colour" for={id}>
                <input type="color" id={id} value={value.to_string()} {oninput} data-testid={id} />
                { label.get(lang) }
            </label>
        }
    };
    let reset_colours = {
        let choice = choice.clone();
        Callback::from(move |_| {
            let mut c = (*choice).clone();
            c.accent = DEFAULT_ACCENT.into();
            c.background = DEFAULT_BACKGROUND.into();
            c.text = DEFAULT_TEXT.into();
            choice.set(c);
        })
    };
    let preview_config = AppConfig {
        lang: choice.lang,
        districts: Some(choice.districts.clone()).filter(|d| !d.is_empty() && d.len() < all.len()),
        as_of: Some(choice.as_of.trim().to_string())
            .filter(|d| butie::date::parse_date(d).is_some()),
        application_period: None,
        compact: choice.compact,
        embedded: true,
        external_style: true,
        consultant: Some(choice.consultant.trim().to_string()).filter(|s| !s.is_empty()),
        contact: Some(choice.contact.trim().to_string()).filter(|s| !s.is_empty()),
        on_result: None,
        initial_profile: None,
    };

    html! {
        <section class="embed" aria-labelledby="butie-embed-title" data-testid="embed">
            <h2 id="butie-embed-title">{ i18n::EMBED_TITLE.get(lang) }</h2>
            <p class="note">{ i18n::EMBED_INTRO.get(lang) }</p>
            <div class="embed-layout">
                <div class="embed-options">
                    <fieldset>
                        <legend>{ i18n::EMBED_KIND.get(lang) }</legend>
                        { kind_radio(Kind::Script, i18n::EMBED_SCRIPT, "embed-kind-script") }
                        { kind_radio(Kind::Iframe, i18n::EMBED_IFRAME, "embed-kind-iframe") }
                        { kind_radio(Kind::Page, i18n::EMBED_PAGE, "embed-kind-page") }
                        <p class="help">{ match choice.kind {
                            Kind::Script => i18n::EMBED_SCRIPT_HELP.get(lang),
                            Kind::Iframe => i18n::EMBED_IFRAME_HELP.get(lang),
                            Kind::Page => i18n::EMBED_PAGE_HELP.get(lang),
                        } }</p>
                    </fieldset>
                    <fieldset>
                        <legend>{ i18n::EMBED_DISTRICTS.get(lang) }</legend>
                        { for policies.iter().map(district_box) }
                        if choice.districts.is_empty() {
                            <p class="help">{ i18n::EMBED_NO_DISTRICT.get(lang) }</p>
                        }
                    </fieldset>
                    <fieldset>
                        <legend>{ i18n::EMBED_LANG.get(lang) }</legend>
                        { lang_radio(Lang::Zh, "中文", "embed-lang-zh") }
                        { lang_radio(Lang::En, "English", "embed-lang-en") }
                        <label class="radio" for="butie-embed-compact">
                            <input type="checkbox" id="butie-embed-compact" checked={choice.compact}
                                onchange={update(|c, i| c.compact = i.checked())} data-testid="embed-compact" />
                            { i18n::EMBED_COMPACT.get(lang) }
                        </label>
                    </fieldset>
                    <fieldset>
                        <legend>{ i18n::EMBED_COLOURS.get(lang) }</legend>
                        { colour(i18n::EMBED_ACCENT, "embed-accent", &choice.accent, |c, v| c.accent = v) }
                        { colour(i18n::EMBED_BACKGROUND, "embed-background", &choice.background, |c, v| c.background = v) }
                        { colour(i18n::EMBED_TEXT, "embed-text", &choice.text, |c, v| c.text = v) }
                        <button type="button" class="link" onclick={reset_colours}>{ i18n::EMBED_DEFAULT_COLOURS.get(lang) }</button>
                    </fieldset>
                    <div class="field">
                        <label for="butie-embed-consultant">{ i18n::EMBED_CONSULTANT.get(lang) }</label>
                        <input id="butie-embed-consultant" type="text" maxlength="120" value={choice.consultant.clone()}
                            oninput={on_text(|c, v| c.consultant = v)} data-testid="embed-consultant" />
                    </div>
                    <div class="field">
                        <label for="butie-embed-contact">{ i18n::EMBED_CONTACT.get(lang) }</label>
                        <input id="butie-embed-contact" type="text" maxlength="120" value={choice.contact.clone()}
                            oninput={on_text(|c, v| c.contact = v)} data-testid="embed-contact" />
                        <p class="help">{ i18n::EMBED_CONTACT_HELP.get(lang) }</p>
                    </div>
                    <div class={classes!("field", (!as_of_ok).then_some("invalid"))}>
                        <label for="butie-embed-as-of">{ i18n::EMBED_AS_OF.get(lang) }</label>
                        <input id="butie-embed-as-of" type="text" inputmode="numeric" placeholder={i18n::DATE_PLACEHOLDER}
                            value={choice.as_of.clone()} oninput={on_text(|c, v| c.as_of = v)} data-testid="embed-as-of" />
                        if as_of_ok {
                            <p class="help">{ i18n::EMBED_AS_OF_HELP.get(lang) }</p>
                        } else {
                            <p class="error">{ i18n::ERR_BATCH_AS_OF.get(lang) }</p>
                        }
                    </div>
                    <div class={classes!("field", base.is_err().then_some("invalid"))}>
                        <label for="butie-embed-base">{ i18n::EMBED_BASE.get(lang) }</label>
                        <input id="butie-embed-base" type="text" inputmode="url" placeholder="https://example.com/butie/"
                            value={choice.base.clone()} oninput={on_text(|c, v| c.base = v)} data-testid="embed-base" />
                        if base.is_err() {
                            <p class="error">{ i18n::EMBED_BAD_BASE.get(lang) }</p>
                        } else {
                            <p class="help">{ i18n::EMBED_BASE_HELP.get(lang) }</p>
                        }
                    </div>
                </div>
                <div class="embed-output">
                    <label for="butie-embed-code" class="code-label">{ i18n::EMBED_SNIPPET.get(lang) }</label>
                    <textarea id="butie-embed-code" class="code" readonly=true rows="6" spellcheck="false"
                        ref={area} value={code} onfocus={select_all} data-testid="embed-snippet" />
                    <div class="copy-row">
                        <button type="button" class="primary" onclick={copy} data-testid="embed-copy">{ i18n::COPY.get(lang) }</button>
                        if let Some(ok) = *copied {
                            <span class="help" role="status" data-testid="embed-copied">
                                { if ok { i18n::COPIED.get(lang) } else { i18n::EMBED_COPY_FALLBACK.get(lang) } }
                            </span>
                        }
                    </div>
                    <p class="help">{ i18n::EMBED_FILES.get(lang) }</p>
                    <h3>{ i18n::EMBED_PREVIEW.get(lang) }</h3>
                    <div class="embed-preview" ref={preview} data-testid="embed-preview">
                        <App ..preview_config />
                    </div>
                </div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<String> {
        ["jiading", "jinshan", "putuo", "songjiang"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn script_snippet() {
        let mut c = Choice::new(&all(), Kind::Script);
        assert_eq!(
            snippet(&c, &all(), ""),
            "<script src=\"butie-widget.js\" defer></script>\n<butie-calculator lang=\"zh\"></butie-calculator>\n"
        );
        c.districts = vec!["putuo".into(), "jiading".into()];
        c.compact = true;
        c.consultant = " 张顾问 \"A&B\" ".into();
        c.contact = "zhang@example.com".into();
        c.accent = "#c0392b".into();
        c.as_of = "2026-11-21".into();
        assert_eq!(
            snippet(&c, &all(), "https://example.com/b/"),
            "<script src=\"https://example.com/b/butie-widget.js\" defer></script>\n\
             <butie-calculator lang=\"zh\" districts=\"jiading,putuo\" as-of=\"2026-11-21\" compact \
             consultant=\"张顾问 &quot;A&amp;B&quot;\" contact=\"zhang@example.com\" accent=\"#c0392b\"></butie-calculator>\n"
        );
    }

    #[test]
    fn iframe_snippet() {
        let mut c = Choice::new(&all(), Kind::Script);
        c.kind = Kind::Iframe;
        c.lang = Lang::En;
        c.districts = vec!["putuo".into()];
        c.consultant = "张 & co".into();
        c.background = "#000000".into();
        c.compact = true;
        assert_eq!(
            snippet(&c, &all(), ""),
            "<iframe src=\"embed.html#lang=en&amp;districts=putuo&amp;compact=1&amp;consultant=%E5%BC%A0%20%26%20co&amp;background=%23000000\" \
             title=\"butie subsidy calculator\" width=\"100%\" height=\"900\" frameborder=\"0\" loading=\"lazy\" data-butie-embed></iframe>\n\
             <script src=\"butie-embed-host.js\" defer></script>\n"
        );
    }

    #[test]
    fn bases_and_escapes() {
        assert_eq!(normalize_base(""), Ok(String::new()));
        assert_eq!(
            normalize_base(" https://a.b/c "),
            Ok("https://a.b/c/".into())
        );
        assert_eq!(normalize_base("/butie/"), Ok("/butie/".into()));
        assert!(normalize_base("x\" onload=\"y").is_err());
        assert!(normalize_base("javascript:alert(1)").is_err());
        assert_eq!(fragment_escape("a,b c#d"), "a,b%20c%23d");
        assert_eq!(
            attr_escape("<a href=\"x\">&"),
            "&lt;a href=&quot;x&quot;&gt;&amp;"
        );
    }

    #[test]
    fn the_page_file_in_an_iframe() {
        let mut c = Choice::new(&all(), Kind::Page);
        c.lang = Lang::En;
        c.districts = vec!["putuo".into()];
        c.consultant = "张 & co".into();
        c.accent = "#c0392b".into();
        let code = snippet(&c, &all(), "https://example.com/b/");
        assert_eq!(
            code,
            format!(
                "<iframe src=\"https://example.com/b/butie.html#embed&amp;lang=en&amp;districts=putuo&amp;consultant=%E5%BC%A0%20%26%20co&amp;accent=%23c0392b\" \
             title=\"butie subsidy calculator\" width=\"100%\" height=\"900\" frameborder=\"0\" loading=\"lazy\" data-butie-embed></iframe>\n{HEIGHT_LISTENER}"
            )
        );
        // The page reads back what the snippet wrote.
        let fragment = "embed&lang=en&districts=putuo&compact=1&consultant=%E5%BC%A0%20%26%20co&accent=%23c0392b";
        let (config, theme) = frame_options(fragment).unwrap();
        assert!(config.embedded && config.compact);
        assert_eq!(config.lang, Lang::En);
        assert_eq!(config.districts, Some(vec!["putuo".to_string()]));
        assert_eq!(config.consultant.as_deref(), Some("张 & co"));
        assert_eq!(theme, vec![("--butie-accent", "#c0392b".to_string())]);
        assert!(frame_options("profile=abc").is_none());
        assert!(frame_options("embedded").is_none());
        assert_eq!(percent_decode("%E4%B8%8A%2x%"), "上%2x%");
    }
}
