//! The root component: holds the state, parses the form, evaluates on every change and lays
//! out toolbar, form and results. Configured by [`AppConfig`] so the same app runs as the
//! page (with the batch and "embed on your site" views) or embedded in a host page by the
//! widget (no storage, no URL fragment; attributes changed after load are applied).

use std::rc::Rc;

use butie::Lang;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::calc::{self, Query};
use crate::form::Form;
use crate::i18n::{self, html_lang};
use crate::results::Results;
use crate::state::{Action, AppState};
use crate::toolbar::Toolbar;
use crate::{data, dates, draft};

/// The app's stylesheet (`www/style.css`, compacted by build.rs), rendered inside the app root
/// (so it also works in a shadow root).
pub const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));

/// Options of the app; the defaults are the stand-alone page.
#[derive(Properties, Clone, PartialEq, Default)]
pub struct AppConfig {
    /// Initial language (a saved choice wins in page mode).
    #[prop_or_default]
    pub lang: Lang,
    /// Only these districts (ids such as `putuo`); `None`: all.
    #[prop_or_default]
    pub districts: Option<Vec<String>>,
    /// A fixed initial as-of date (`YYYY-MM-DD`); default today in Shanghai.
    #[prop_or_default]
    pub as_of: Option<String>,
    /// An initial application period (申报期, `2026-03-01..2026-04-30`); default none.
    #[prop_or_default]
    pub application_period: Option<String>,
    /// Narrow layout without help texts.
    #[prop_or_default]
    pub compact: bool,
    /// Embedded in a host page: no localStorage, no URL fragment, no document title, no
    /// batch or embed views; the title is a second-level heading.
    #[prop_or_default]
    pub embedded: bool,
    /// The host provides the stylesheet ([`STYLE`], e.g. adopted into a shadow root, which a
    /// strict `style-src` allows): no `<style>` element is rendered.
    #[prop_or_default]
    pub external_style: bool,
    /// A consultant's name, shown under the title ("provided by").
    #[prop_or_default]
    pub consultant: Option<String>,
    /// A consultant's contact (e-mail, phone or https link), shown with the name.
    #[prop_or_default]
    pub contact: Option<String>,
    /// Called with the result JSON (the contract) after every evaluation.
    #[prop_or_default]
    pub on_result: Option<Callback<Rc<str>>>,
    /// A profile (JSON) to start from instead of the defaults (the authoring page's preview).
    #[prop_or_default]
    pub initial_profile: Option<Rc<str>>,
}

/// What the page shows below the masthead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// One enterprise: the form and the results.
    Calculator,
    /// A client list (CSV or JSONL).
    Batch,
    /// The snippet generator for consultants' sites.
    Embed,
    /// Policy packs: load, list, remove.
    Packs,
}

/// The calculator.
#[function_component(App)]
pub fn app(config: &AppConfig) -> Html {
    match data::policy_set() {
        Ok(_) => html! { <Calculator ..config.clone() /> },
        Err(error) => {
            gloo::console::error!(format!("butie: policy data: {error}"));
            html! {
                <div class="butie">
                    if !config.external_style {
                        <style>{ STYLE }</style>
                    }
                    <p class="notice error" role="alert">
                        { i18n::ERROR_POLICIES.get(config.lang) }{ " " }{ error }
                    </p>
                </div>
            }
        }
    }
}

/// The calculator once the policy data has loaded.
#[function_component(Calculator)]
fn calculator(config: &AppConfig) -> Html {
    // `App` only renders this when the data loaded; an empty set keeps hooks unconditional.
    let set = data::policy_set().ok();
    let state = {
        let (lang, as_of, embedded) = (config.lang, config.as_of.clone(), config.embedded);
        let period = config.application_period.clone();
        let profile = config.initial_profile.clone();
        use_reducer(move || match set {
            Some(set) => AppState::init(set, lang, as_of.as_deref(), period.as_deref(), embedded)
                .with_profile(set, profile.as_deref()),
            None => AppState::init_empty(lang),
        })
    };
    let root = use_node_ref();
    let lang = state.lang;
    // The clauses' details are rendered once the first results are on screen (Results
    // reports it): the first screen comes sooner, and print still gets every detail.
    let settled = use_state(|| false);
    let on_first_results = {
        let settled = settled.clone();
        Callback::from(move |()| settled.set(true))
    };

    let as_of_date = dates::parse_typed_as_of(&state.as_of);
    let as_of_error = as_of_date.err();
    let as_of_date = as_of_date
        .ok()
        .or_else(|| butie::date::parse_date(&state.today))
        .unwrap_or(butie::date::Date::MIN);

    let set_id = set.map(crate::state::SetRef);
    let parsed = use_memo(
        (state.draft.clone(), as_of_date, set_id),
        move |(d, as_of, _)| match set {
            Some(set) => draft::parse(set, d, *as_of),
            None => draft::Parsed::default(),
        },
    );
    // The application period: empty is "not given"; what cannot be read says why.
    let (application_period, application_period_error) = match state.application_period.trim() {
        "" => (None, None),
        typed => match butie::date::Period::parse(typed) {
            Ok(p) => (Some(p), None),
            Err(e) => (None, Some(e.text())),
        },
    };
    let query = Query {
        as_of: as_of_date,
        application_period,
        compare_all: state.compare_all,
        allowed: config.districts.clone(),
    };
    let outcome = use_memo(
        (parsed.clone(), query, set_id),
        move |(parsed, query, _)| match set {
            Some(set) => calc::run(set, &parsed.profile, query),
            None => calc::Outcome::empty(query.clone()),
        },
    );

    // Attributes changed after load (widget): the language and the as-of date follow them.
    {
        let dispatch = state.dispatcher();
        let today = state.today.clone();
        let attrs = (
            config.lang,
            config.as_of.clone(),
            config.application_period.clone(),
        );
        let seen = use_mut_ref(|| attrs.clone());
        use_effect_with(attrs, move |(lang, as_of, period)| {
            let mut seen = seen.borrow_mut();
            if seen.0 != *lang {
                dispatch.dispatch(Action::SetLang(*lang));
            }
            if seen.1 != *as_of {
                // Read by the core's options reader (`widget::parse_options`): a valid date.
                let date = as_of.clone().unwrap_or(today);
                dispatch.dispatch(Action::SetAsOf(date));
            }
            if seen.2 != *period {
                dispatch.dispatch(Action::SetApplicationPeriod(
                    period.clone().unwrap_or_default(),
                ));
            }
            *seen = (*lang, as_of.clone(), period.clone());
        });
    }
    // A policy pack added or removed: carry the inputs over to the new catalogue (told by the
    // data, and checked on every render in case the change came before this app listened).
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |()| {
            let listener = data::on_change(move |_| dispatch.dispatch(Action::PoliciesChanged));
            move || drop(listener)
        });
    }
    {
        let dispatch = state.dispatcher();
        let stale = set.map(crate::state::SetRef) != state.set;
        use_effect_with(stale, move |stale| {
            if *stale {
                dispatch.dispatch(Action::PoliciesChanged);
            }
        });
    }
    let view = use_state(|| View::Calculator);
    // Keep the inputs across reloads (page mode only).
    {
        let embedded = config.embedded;
        let default_lang = config.lang;
        use_effect_with(state.clone(), move |state| {
            if !embedded && let Some(set) = set {
                match state.stored(&set.catalogue, default_lang) {
                    Some(stored) => crate::storage::save(&stored),
                    None => crate::storage::clear(),
                }
            }
        });
    }
    // Page language and title follow the chosen language.
    {
        let embedded = config.embedded;
        use_effect_with(lang, move |lang| {
            if !embedded && let Some(document) = web_sys::window().and_then(|w| w.document()) {
                if let Some(html) = document.document_element() {
                    let _ = html.set_attribute("lang", html_lang(*lang));
                }
                document.set_title(i18n::TITLE.get(*lang));
            }
        });
    }
    // Hand the result JSON to the host, if it asked.
    {
        let on_result = config.on_result.clone();
        let parsed = parsed.clone();
        use_effect_with(outcome.clone(), move |outcome| {
            if let (Some(callback), Some(set)) = (on_result, set) {
                match calc::report_json(set, &parsed.profile, &outcome.query, false) {
                    Ok(json) => callback.emit(Rc::from(json)),
                    Err(e) => gloo::console::error!(format!("butie: result JSON: {e}")),
                }
            }
        });
    }
    // Focus a field asked for by a "please add" link.
    {
        let root = root.clone();
        use_effect_with(state.focus.clone(), move |focus| {
            if let Some((id, _)) = focus {
                focus_field(&root, id);
            }
        });
    }

    let dispatch = state.dispatcher();
    let embedded = config.embedded;
    let current = if embedded { View::Calculator } else { *view };
    let skip = {
        let root = root.clone();
        Callback::from(move |e: MouseEvent| {
            // In a shadow root the fragment would not find the results (and would change
            // the host page's URL): scroll there directly.
            e.prevent_default();
            if let Some(results) = root
                .cast::<web_sys::Element>()
                .and_then(|r| r.query_selector("#butie-results").ok().flatten())
            {
                results.scroll_into_view();
            }
        })
    };
    let tab = |which: View, label: i18n::Tr, id: &'static str| {
        let view = view.clone();
        let onclick = Callback::from(move |_| view.set(which));
        html! {
            <button type="button" class="view-tab" aria-pressed={(current == which).to_string()}
                {onclick} data-testid={id}>{ label.get(lang) }</button>
        }
    };
    html! {
        <div class={classes!("butie", config.compact.then_some("compact"), embedded.then_some("embedded"))} lang={html_lang(lang)} ref={root}>
            if !config.external_style {
                <style>{ STYLE }</style>
            }
            if current == View::Calculator {
                <a class="skip" href="#butie-results" onclick={skip}>{ i18n::SKIP_TO_RESULTS.get(lang) }</a>
            }
            <header class="masthead">
                <div class="brand">
                    if embedded {
                        <h2 class="title">{ i18n::TITLE.get(lang) }</h2>
                    } else {
                        <h1>{ i18n::TITLE.get(lang) }</h1>
                    }
                    <p class="tagline">{ i18n::TAGLINE.get(lang) }</p>
                    { consultant_line(config.consultant.as_deref(), config.contact.as_deref(), lang) }
                </div>
                <Toolbar
                    lang={lang}
                    full_yuan={state.full_yuan}
                    embedded={embedded}
                    minimal={current != View::Calculator}
                    parsed={parsed.clone()}
                    outcome={outcome.clone()}
                    share_link={state.share_link.clone()}
                    today={state.today.clone()}
                    dispatch={dispatch.clone()}
                />
            </header>
            if !embedded && cfg!(feature = "consultant-tools") {
                <nav class="views no-print" aria-label={i18n::VIEWS.get(lang)}>
                    { tab(View::Calculator, i18n::VIEW_CALCULATOR, "view-calculator") }
                    { tab(View::Batch, i18n::VIEW_BATCH, "view-batch") }
                    { tab(View::Embed, i18n::VIEW_EMBED, "view-embed") }
                    { tab(View::Packs, i18n::VIEW_PACKS, "view-packs") }
                </nav>
            }
            // The page's main landmark; a widget leaves that to its host page.
            <@{if embedded { "div" } else { "main" }} class="main">
            if let Some(panel) = tool_panel(current, lang, &state) {
                { panel }
            } else {
                if let Some(notice) = &state.notice {
                    <NoticeBar notice={notice.clone()} lang={lang} dispatch={dispatch.clone()} />
                }
                <div class="layout">
                    <Form
                        draft={state.draft.clone()}
                        parsed={parsed.clone()}
                        lang={lang}
                        expanded={state.expanded}
                        as_of={state.as_of.clone()}
                        as_of_error={as_of_error}
                        application_period={state.application_period.clone()}
                        application_period_error={application_period_error.clone()}
                        today={state.today.clone()}
                        compare_all={state.compare_all}
                        compact={config.compact}
                        embedded={embedded}
                        dispatch={dispatch.clone()}
                    />
                    <Results
                        outcome={outcome.clone()}
                        parsed={parsed.clone()}
                        lang={lang}
                        full_yuan={state.full_yuan}
                        details={*settled}
                        on_first_results={on_first_results}
                        dispatch={dispatch.clone()}
                    />
                </div>
                if !embedded && !config.compact {
                    <crate::summary_bar::SummaryBar outcome={outcome.clone()} lang={lang} full_yuan={state.full_yuan} />
                }
            }
            </@>
            <footer class="footer">
                <p>{ i18n::FOOTER.get(lang) }</p>
                <p class="version" data-testid="version">{ format!("butie {}", butie::VERSION) }</p>
            </footer>
        </div>
    }
}

/// Where a contact can link: `mailto:` for an e-mail address, `tel:` for a phone number,
/// the address itself for an `https://` link; `None` for anything else (shown as text).
pub fn contact_href(contact: &str) -> Option<String> {
    let c = contact.trim();
    if c.starts_with("https://") && !c.contains(char::is_whitespace) {
        return Some(c.to_string());
    }
    let email = c.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty()
            && host.contains('.')
            && !c.contains(|ch: char| ch.is_whitespace() || "<>\"'()[],;:".contains(ch))
    });
    if email {
        return Some(format!("mailto:{c}"));
    }
    let digits = c.chars().filter(char::is_ascii_digit).count();
    let phone_chars = c
        .chars()
        .all(|ch| ch.is_ascii_digit() || " +-()".contains(ch));
    if phone_chars && (5..=20).contains(&digits) {
        let number: String = c
            .chars()
            .filter(|ch| ch.is_ascii_digit() || *ch == '+')
            .collect();
        return Some(format!("tel:{number}"));
    }
    None
}

/// "由 张顾问 提供 · 联系方式：…" under the title, when the host configured it.
fn consultant_line(name: Option<&str>, contact: Option<&str>, lang: Lang) -> Html {
    if name.is_none() && contact.is_none() {
        return Html::default();
    }
    let contact = contact.map(|c| match contact_href(c) {
        Some(href) if href.starts_with("https://") => html! {
            <a href={href} target="_blank" rel="noopener noreferrer">{ c }</a>
        },
        Some(href) => html! { <a href={href}>{ c }</a> },
        None => html! { <span>{ c }</span> },
    });
    html! {
        <p class="consultant" data-testid="consultant">
            if let Some(name) = name {
                <span class="consultant-name">{ i18n::provided_by(name, lang) }</span>
            }
            if name.is_some() && contact.is_some() {
                <span class="sep" aria-hidden="true">{ " · " }</span>
            }
            if let Some(contact) = contact {
                <span class="consultant-contact">{ i18n::CONTACT.get(lang) }{ i18n::colon(lang) }{ contact }</span>
            }
        </p>
    }
}

/// Runs `f` after the next frame has been painted (an animation frame, then a task).
pub fn after_paint(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return f();
    };
    let frame = wasm_bindgen::closure::Closure::once_into_js(move || match web_sys::window() {
        Some(w) => {
            let task = wasm_bindgen::closure::Closure::once_into_js(f);
            if let Err(e) =
                w.set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), 0)
            {
                gloo::console::error!(format!(
                    "butie: setTimeout: {}",
                    crate::export::js_error(&e)
                ));
            }
        }
        None => f(),
    });
    if let Err(e) = window.request_animation_frame(frame.unchecked_ref()) {
        gloo::console::error!(format!(
            "butie: requestAnimationFrame: {}",
            crate::export::js_error(&e)
        ));
    }
}

/// Focuses the control with `id` inside the app root and scrolls it into view.
fn focus_field(root: &NodeRef, id: &str) {
    let Some(root) = root.cast::<web_sys::Element>() else {
        return;
    };
    let Ok(Some(element)) = root.query_selector(&format!("#{id}")) else {
        return;
    };
    if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        element.scroll_into_view_with_scroll_into_view_options(&options);
        let _ = element.focus();
    }
}

#[derive(Properties, PartialEq)]
struct NoticeProps {
    notice: crate::state::Notice,
    lang: Lang,
    dispatch: UseReducerDispatcher<AppState>,
}

/// A dismissible message (share link loaded or damaged, import, reset).
#[function_component(NoticeBar)]
fn notice_bar(props: &NoticeProps) -> Html {
    let onclick = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(crate::state::Action::Notify(None)))
    };
    let n = &props.notice;
    html! {
        <div class={classes!("notice", n.error.then_some("error"))} role={if n.error { "alert" } else { "status" }} data-testid="notice">
            <p>{ n.text.get(props.lang) }</p>
            if !n.details.is_empty() {
                <ul>{ for n.details.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
            }
            <button type="button" class="link" {onclick}>{ i18n::DISMISS.get(props.lang) }</button>
        </div>
    }
}

/// The consultant tools' views (batch, embed panel); `None` for the calculator.
#[cfg(feature = "consultant-tools")]
fn tool_panel(view: View, lang: Lang, state: &crate::state::AppState) -> Option<Html> {
    match view {
        View::Batch => Some(html! {
            <crate::bulk::BatchPanel lang={lang} as_of={state.as_of.clone()}
                application_period={state.application_period.clone()} today={state.today.clone()} full_yuan={state.full_yuan} />
        }),
        View::Embed => {
            Some(html! { <crate::embed::EmbedPanel lang={lang} today={state.today.clone()} /> })
        }
        View::Packs => Some(html! { <crate::pack_panel::PackPanel lang={lang} /> }),
        View::Calculator => None,
    }
}

/// Built without the consultant tools (the widget): only the calculator.
#[cfg(not(feature = "consultant-tools"))]
fn tool_panel(_: View, _: Lang, _: &crate::state::AppState) -> Option<Html> {
    None
}

#[cfg(test)]
mod tests {
    use super::contact_href;

    #[test]
    fn contacts_link_only_when_clear() {
        assert_eq!(
            contact_href("zhang@example.com").as_deref(),
            Some("mailto:zhang@example.com")
        );
        assert_eq!(
            contact_href("+86 138-0000-0000").as_deref(),
            Some("tel:+8613800000000")
        );
        assert_eq!(
            contact_href("https://example.com/zhang").as_deref(),
            Some("https://example.com/zhang")
        );
        assert_eq!(contact_href("javascript:alert(1)"), None);
        assert_eq!(contact_href("http://example.com"), None);
        assert_eq!(contact_href("微信 zhang_gw"), None);
        assert_eq!(contact_href("a@b"), None);
        assert_eq!(contact_href("x\"@y.com"), None);
    }
}
