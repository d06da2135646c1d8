//! The root component, in the shape of Yew's function_todomvc: the reducer (`state.rs`) owns
//! the state, views included; this component derives the evaluation from it (once per
//! change), runs the effects at the edge (storage, the document's title, focus, the host's
//! result callback, file reads and downloads) and hands each part of the page the props and
//! callbacks it needs. Configured by [`AppConfig`], the same app runs as the page (with the
//! batch and "embed on your site" views) or embedded by the widget (no storage, no URL
//! fragment; attributes changed after load are applied).

use std::cell::RefCell;
use std::rc::Rc;

use butie::Lang;
use gloo::file::callbacks::FileReader;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::asked::{self, Asked};
use crate::calc::{self, Outcome, Query, ResultsFile};
use crate::draft::{Draft, FieldRef, MoneyUnit, Parsed};
use crate::form::{Form, FormEvents};
use crate::i18n::{self, html_lang};
use crate::results::Results;
use crate::state::{Action, AppState, Inputs, Notice, Offer, Preview, SetRef, Share, View};
use crate::toolbar::Toolbar;
use crate::view::Reveal;
use crate::{data, draft, export, share, storage};

/// The app's stylesheet (`www/style.css`, compacted by build.rs), rendered inside the app root
/// (so it also works in a shadow root).
pub const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));

/// The id of the results' heading (the skip link moves focus there).
pub const RESULTS_HEADING: &str = "butie-results-title";

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
    /// A profile (JSON) to start from instead of a blank form (the authoring page's preview).
    #[prop_or_default]
    pub initial_profile: Option<Rc<str>>,
}

/// What the page's buttons ask for that reaches outside the state: files, the clipboard,
/// the print dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Share,
    ExportProfile,
    /// The results as CSV or as the result JSON (written by the page's second module).
    ExportResults(ResultsFile),
    /// The policy calendar: the same file as `butie calendar --as-of DATE`.
    ExportIcs,
    Import(web_sys::File),
    ExportClients,
    ImportClients(web_sys::File),
    /// What a notice offers.
    Offer(Offer),
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

/// The first state: nothing entered; the page then takes what this browser kept and a share
/// link in the address (shown as a preview when it would replace inputs of the user's own).
fn initial(config: &AppConfig) -> AppState {
    let mut s = restored(config);
    if let Ok(set) = data::policy_set() {
        s.with_profile(set, config.initial_profile.as_deref());
    }
    s
}

/// The first state before [`AppConfig::initial_profile`]: what this browser kept, a share link.
fn restored(config: &AppConfig) -> AppState {
    let mut s = AppState::init(
        config.lang,
        config.as_of.as_deref(),
        config.application_period.as_deref(),
        config.embedded,
        config.districts.clone(),
    );
    let (false, Ok(set)) = (config.embedded, data::policy_set()) else {
        return s;
    };
    let cat = &set.catalogue;
    let loaded = storage::load(cat, &s.today);
    let notice = (!loaded.problems.is_empty()).then(|| Notice {
        error: true,
        details: loaded.problems,
        ..Notice::info(i18n::STORAGE_PARTIAL)
    });
    s.restore(loaded.stored, loaded.clients, notice);
    if let Some(fragment) = location_fragment()
        && share::is_share_fragment(&fragment)
    {
        match share::decode(cat, &fragment) {
            Ok(shared) => {
                let inputs = Inputs {
                    draft: Rc::new(Draft::from_profile(cat, &shared.profile, MoneyUnit::Wan)),
                    as_of: shared.as_of.unwrap_or_else(|| s.today.clone()),
                    application_period: shared.application_period.unwrap_or_default(),
                    compare_all: shared.compare_all,
                };
                if s.inputs.is_blank(&s.today) {
                    // Nothing of the user's own to replace: the link's profile is loaded.
                    s.inputs = inputs;
                    s.dirty = true;
                    s.notice = Some(Notice::partial(
                        i18n::SHARE_LOADED,
                        i18n::SHARE_PARTIAL,
                        shared.dropped,
                    ));
                } else {
                    s.preview = Some(Rc::new(Preview {
                        inputs,
                        dropped: shared.dropped,
                    }));
                }
            }
            Err(e) => s.notice = Some(Notice::error(i18n::SHARE_CORRUPT, e.text())),
        }
    }
    s
}

/// The latest state and evaluation, for the commands (their callbacks stay the same).
#[derive(Default)]
struct Latest {
    state: Option<Rc<AppState>>,
    parsed: Rc<Parsed>,
    outcome: Option<Rc<Outcome>>,
}

/// The callbacks every part of the page gets (created once: props compare equal).
#[derive(Clone, PartialEq)]
struct Callbacks {
    action: Callback<Action>,
    command: Callback<Command>,
    reveal: Callback<Reveal>,
    form: FormEvents,
}

/// The calculator once the policy data has loaded.
#[function_component(Calculator)]
fn calculator(config: &AppConfig) -> Html {
    // `App` only renders this when the data loaded.
    let set = data::policy_set().ok();
    let state = {
        let config = config.clone();
        use_reducer(move || initial(&config))
    };
    let root = use_node_ref();
    let lang = state.lang;
    let (as_of, as_of_error) = state.as_of_date();
    let inputs = &state.inputs;
    // The set in use (policy packs change it): every derived value follows it.
    let set_id = set.map(SetRef);

    // ------------------------------------------------------------ derived, once per change
    let parsed = use_memo(
        (inputs.draft.clone(), as_of, set_id),
        move |(d, as_of, _)| match set {
            Some(set) => draft::parse(set, d, *as_of),
            None => Parsed::default(),
        },
    );
    // The application period: empty is "not given"; what cannot be read says why.
    let (application_period, application_period_error) = match inputs.application_period.trim() {
        "" => (None, None),
        typed => match butie::date::Period::parse(typed) {
            Ok(p) => (Some(p), None),
            Err(e) => (None, Some(e.text())),
        },
    };
    let query = Query {
        as_of,
        application_period,
        compare_all: inputs.compare_all,
        allowed: config.districts.clone(),
    };
    let want_json = config.on_result.is_some();
    let outcome = use_memo(
        (parsed.clone(), query, set_id),
        move |(parsed, query, _)| match set {
            Some(set) => calc::run(set, &parsed.profile, query, want_json),
            None => Outcome::empty(query.clone()),
        },
    );
    let asked: Rc<Asked> = {
        let district = set.and_then(|set| asked::registered(set, &inputs.draft));
        let allowed = config.districts.clone();
        let compare = inputs.compare_all;
        let draft = inputs.draft.clone();
        use_memo(
            (district, as_of, compare, allowed, set_id),
            move |(_, as_of, compare, allowed, _)| {
                set.map(|set| asked::asked(set, &draft, *as_of, *compare, allowed.as_deref()))
                    .unwrap_or_default()
            },
        )
    };
    let remaining = asked::unanswered(&asked, &inputs.draft, &parsed);

    // ------------------------------------------------------------ callbacks
    let latest = use_mut_ref(Latest::default);
    {
        let mut l = latest.borrow_mut();
        l.state = Some(Rc::new((*state).clone()));
        l.parsed = parsed.clone();
        l.outcome = Some(outcome.clone());
    }
    let reader: Rc<RefCell<Option<FileReader>>> = use_mut_ref(|| None);
    let callbacks = {
        let dispatch = state.dispatcher();
        let latest = latest.clone();
        let reader = reader.clone();
        use_memo((), move |_| {
            let action = {
                let d = dispatch.clone();
                Callback::from(move |a: Action| d.dispatch(a))
            };
            let command = {
                let d = dispatch.clone();
                Callback::from(move |c: Command| run_command(c, &latest.borrow(), &d, &reader))
            };
            let reveal = action.reform(|r: Reveal| match r {
                Reveal::Field(at) => Action::Reveal(at),
                Reveal::Setting(id) => Action::FocusSetting(id),
                Reveal::List(l) => Action::RevealList(l),
            });
            Callbacks {
                form: FormEvents {
                    set: action.reform(|(at, raw): (FieldRef, String)| Action::Set(at, raw)),
                    add: action.reform(Action::AddItem),
                    remove: action.reform(|(l, i): (u16, usize)| Action::RemoveItem(l, i)),
                    action: action.clone(),
                },
                action,
                command,
                reveal,
            }
        })
    };

    // ------------------------------------------------------------ effects at the edge
    // Attributes changed after load (widget): the language, the dates follow them.
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
        let stale = set_id != state.set;
        use_effect_with(stale, move |stale| {
            if *stale {
                dispatch.dispatch(Action::PoliciesChanged);
            }
        });
    }
    // Keep the inputs (page mode), once the user has changed something.
    {
        let default_lang = config.lang;
        use_effect_with(state.clone(), move |state| {
            if state.dirty
                && !state.embedded
                && let Some(set) = set
            {
                storage::save(
                    &set.catalogue,
                    state.stored(default_lang).as_ref(),
                    &state.clients,
                );
            }
        });
    }
    // The page's language and title follow the chosen language.
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
    // A share link stays in the address until the user has decided about it.
    {
        let embedded = config.embedded;
        use_effect_with(state.preview.is_some(), move |previewing| {
            if !embedded && !*previewing {
                clear_share_fragment();
            }
        });
    }
    // Hand the result JSON to the host, if it asked (made by the same evaluation).
    {
        let on_result = config.on_result.clone();
        use_effect_with(outcome.clone(), move |outcome| {
            if let (Some(callback), Some(json)) = (on_result, &outcome.json) {
                callback.emit(json.clone());
            }
        });
    }
    // Focus a control asked for (a "please add" link, the skip link).
    {
        let root = root.clone();
        use_effect_with(state.focus.clone(), move |focus| {
            if let Some((id, _)) = focus {
                focus_field(&root, id);
            }
        });
    }

    // ------------------------------------------------------------ the page
    let embedded = config.embedded;
    let current = if embedded {
        View::Calculator
    } else {
        state.view
    };
    let skip = callbacks.action.reform(|e: MouseEvent| {
        // In a shadow root the fragment would not find the results (and would change the
        // host page's URL): focus them directly.
        e.prevent_default();
        Action::Focus(RESULTS_HEADING)
    });
    let tab = |which: View, label: i18n::Tr, id: &'static str| {
        let onclick = callbacks.action.reform(move |_| Action::Show(which));
        html! {
            <button type="button" class="view-tab" aria-pressed={(current == which).to_string()}
                {onclick} data-testid={id}>{ label.get(lang) }</button>
        }
    };
    let on_first_results = callbacks.action.reform(|()| Action::Settled);
    let on_compare = callbacks.action.reform(|()| Action::SetCompareAll(true));
    html! {
        <div class={classes!("butie", config.compact.then_some("compact"), embedded.then_some("embedded"))} lang={html_lang(lang)} ref={root}>
            if !config.external_style {
                <style>{ STYLE }</style>
            }
            if current == View::Calculator {
                <a class="skip" href={format!("#{RESULTS_HEADING}")} onclick={skip}>{ i18n::SKIP_TO_RESULTS.get(lang) }</a>
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
                    has_results={outcome.view.is_ok()}
                    has_dates={set.is_some_and(|set| butie::calendar::has_events(set, as_of))}
                    share={state.share.clone()}
                    clients={state.clients.clone()}
                    on_action={callbacks.action.clone()}
                    on_command={callbacks.command.clone()}
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
            { tool_panels(current, lang, &state, callbacks.action.clone()) }
            if current == View::Calculator {
                if let Some(preview) = &state.preview {
                    <PreviewBar preview={preview.clone()} lang={lang} full_yuan={state.full_yuan}
                        allowed={config.districts.clone()} on_action={callbacks.action.clone()} />
                }
                if let Some(notice) = &state.notice {
                    <NoticeBar notice={notice.clone()} lang={lang} on_action={callbacks.action.clone()}
                        on_command={callbacks.command.clone()} />
                }
                <div class="layout">
                    <Form
                        draft={inputs.draft.clone()}
                        parsed={parsed.clone()}
                        asked={asked.clone()}
                        remaining={remaining}
                        lang={lang}
                        others_open={state.others_open}
                        as_of={inputs.as_of.clone()}
                        as_of_error={as_of_error}
                        application_period={inputs.application_period.clone()}
                        application_period_error={application_period_error.clone()}
                        today={state.today.clone()}
                        compare_all={inputs.compare_all}
                        compact={config.compact}
                        events={callbacks.form.clone()}
                    />
                    <Results
                        outcome={outcome.clone()}
                        parsed={parsed.clone()}
                        lang={lang}
                        full_yuan={state.full_yuan}
                        details={state.settled}
                        on_first_results={on_first_results}
                        on_compare={on_compare}
                        on_reveal={callbacks.reveal.clone()}
                    />
                </div>
                if !config.compact {
                    <crate::summary_bar::SummaryBar outcome={outcome.clone()} lang={lang}
                        full_yuan={state.full_yuan} remaining={remaining}
                        on_action={callbacks.action.clone()} />
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

/// Runs a command against the latest state (downloads, file reads, the print dialog).
fn run_command(
    command: Command,
    latest: &Latest,
    dispatch: &UseReducerDispatcher<AppState>,
    reader: &Rc<RefCell<Option<FileReader>>>,
) {
    let (Ok(set), Some(state), Some(outcome)) =
        (data::policy_set(), &latest.state, &latest.outcome)
    else {
        return;
    };
    let cat = &set.catalogue;
    let parsed = &latest.parsed;
    let failed = |what: i18n::Tr, reason: String| {
        gloo::console::error!(format!("butie: {}{reason}", what.1));
        dispatch.dispatch(Action::Notify(Some(Notice::error(
            what,
            butie::Text::new(reason.clone(), reason),
        ))));
    };
    let as_of = butie::date::fmt_date(outcome.query.as_of);
    let named = |what: &str, ext: &str| {
        export::file_name(what, parsed.profile.name.as_deref(), &as_of, ext)
    };
    let download = |name: String, mime: &str, text: &str| {
        if let Err(e) = export::download(&name, mime, text.as_bytes()) {
            failed(i18n::EXPORT_FAILED, export::js_error(&e));
        }
    };
    // Reads a chosen file, then hands its text to `done` (the reader lives until then).
    let read = |file: web_sys::File, done: Box<dyn FnOnce(Result<String, String>)>| {
        let slot = reader.clone();
        let task = gloo::file::callbacks::read_as_text(&gloo::file::File::from(file), move |r| {
            done(r.map_err(|e| e.to_string()));
            slot.borrow_mut().take();
        });
        *reader.borrow_mut() = Some(task);
    };
    match command {
        Command::Share => {
            let href = web_sys::window()
                .and_then(|w| w.location().href().ok())
                .unwrap_or_default();
            let share = if href.starts_with("file:") {
                Share::LocalFile
            } else {
                let fragment = share::encode(
                    cat,
                    &parsed.profile,
                    (as_of != state.today).then_some(as_of.as_str()),
                    outcome.query.application_period,
                    outcome.query.compare_all,
                );
                let base = href.split('#').next().unwrap_or_default();
                Share::Link(format!("{base}#{fragment}"))
            };
            dispatch.dispatch(Action::Share(Some(share)));
        }
        Command::ExportProfile => {
            let json = parsed.profile.to_json(cat);
            let text = serde_json::to_string_pretty(&json).unwrap_or_default();
            download(named("profile", "json"), "application/json", &text);
        }
        Command::ExportResults(file) => {
            let dispatch = dispatch.clone();
            let (profile, query) = (parsed.profile.clone(), outcome.query.clone());
            let name = named("results", file.ext());
            let mime = match file {
                ResultsFile::Csv => "text/csv;charset=utf-8",
                ResultsFile::Json => "application/json",
            };
            wasm_bindgen_futures::spawn_local(async move {
                let saved = calc::results_file(set, &profile, &query, file)
                    .await
                    .and_then(|text| saved(export::download(&name, mime, text.as_bytes())));
                if let Err(reason) = saved {
                    export_failed(&dispatch, reason);
                }
            });
        }
        Command::ExportIcs => {
            let dispatch = dispatch.clone();
            let (date, lang) = (outcome.query.as_of, state.lang);
            let name = export::file_name("calendar", None, &as_of, "ics");
            wasm_bindgen_futures::spawn_local(async move {
                let saved = calendar_ics(date, lang).await.and_then(|ics| {
                    let mime = "text/calendar;charset=utf-8";
                    saved(export::download(&name, mime, ics.as_bytes()))
                });
                if let Err(reason) = saved {
                    export_failed(&dispatch, reason);
                }
            });
        }
        Command::Import(file) => {
            let dispatch = dispatch.clone();
            let inputs = state.inputs.clone();
            read(
                file,
                Box::new(move |text| {
                    let result = text.map_err(|e| {
                        Notice::error(i18n::IMPORT_FAILED, butie::Text::new(e.clone(), e))
                    });
                    let action = result
                        .and_then(|text| {
                            share::profile_from_text(cat, &text)
                                .map_err(|e| Notice::error(i18n::IMPORT_FAILED, e.text()))
                        })
                        .map(|(profile, dropped)| {
                            let draft = Draft::from_profile(cat, &profile, MoneyUnit::Wan);
                            let notice =
                                Notice::partial(i18n::IMPORT_DONE, i18n::IMPORT_PARTIAL, dropped);
                            Action::Load(
                                Box::new(Inputs {
                                    draft: Rc::new(draft),
                                    ..inputs
                                }),
                                notice,
                            )
                        });
                    dispatch.dispatch(match action {
                        Ok(a) => a,
                        Err(notice) => Action::Notify(Some(notice)),
                    });
                }),
            );
        }
        Command::ExportClients => {
            let text = export::clients_jsonl(set, &state.clients.list);
            let name = export::file_name("clients", None, &state.today, "jsonl");
            download(name, "application/x-ndjson", &text);
        }
        Command::ImportClients(file) => {
            let dispatch = dispatch.clone();
            let today = state.today.clone();
            read(
                file,
                Box::new(move |text| match text {
                    Ok(text) => {
                        let (clients, problems) = share::clients_from_text(cat, &text, &today);
                        let notice = Notice::partial(
                            i18n::CLIENTS_IMPORTED,
                            i18n::CLIENTS_IMPORT_PARTIAL,
                            problems,
                        );
                        dispatch.dispatch(Action::AddClients(clients, notice));
                    }
                    Err(e) => dispatch.dispatch(Action::Notify(Some(Notice::error(
                        i18n::IMPORT_FAILED,
                        butie::Text::new(e.clone(), e),
                    )))),
                }),
            );
        }
        Command::Offer(Offer::Undo) => dispatch.dispatch(Action::Undo),
    }
}

/// A download's outcome with the browser's reason, as text.
fn saved(result: Result<(), wasm_bindgen::JsValue>) -> Result<(), butie::Text> {
    result.map_err(|e| {
        let reason = export::js_error(&e);
        butie::Text::new(reason.clone(), reason)
    })
}

/// Logs and shows why an export failed.
fn export_failed(dispatch: &UseReducerDispatcher<AppState>, reason: butie::Text) {
    gloo::console::error!(format!("butie: {}{}", i18n::EXPORT_FAILED.1, reason.en));
    dispatch.dispatch(Action::Notify(Some(Notice::error(
        i18n::EXPORT_FAILED,
        reason,
    ))));
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

/// The URL fragment without `#`, if any.
fn location_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    (!fragment.is_empty()).then(|| fragment.to_string())
}

/// Removes a share link's fragment from the address bar (decided: loaded, kept, saved).
fn clear_share_fragment() {
    if !location_fragment().is_some_and(|f| share::is_share_fragment(&f)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
}

#[derive(Properties, PartialEq)]
struct NoticeProps {
    notice: Notice,
    lang: Lang,
    on_action: Callback<Action>,
    on_command: Callback<Command>,
}

/// A dismissible message (share link loaded or damaged, import, reset), with what it offers.
#[function_component(NoticeBar)]
fn notice_bar(props: &NoticeProps) -> Html {
    let lang = props.lang;
    let dismiss = props.on_action.reform(|_| Action::Notify(None));
    let n = &props.notice;
    let offer = n.offer.map(|offer| {
        let label = match offer {
            Offer::Undo => i18n::UNDO,
        };
        let onclick = props.on_command.reform(move |_| Command::Offer(offer));
        html! { <button type="button" {onclick} data-testid="notice-offer">{ label.get(lang) }</button> }
    });
    html! {
        <div class={classes!("notice", n.error.then_some("error"))} role={if n.error { "alert" } else { "status" }} data-testid="notice">
            <p>{ n.text.get(lang) }</p>
            if !n.details.is_empty() {
                <ul>{ for n.details.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
            }
            { offer.unwrap_or_default() }
            <button type="button" class="link" onclick={dismiss}>{ i18n::DISMISS.get(lang) }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PreviewProps {
    preview: Rc<Preview>,
    lang: Lang,
    full_yuan: bool,
    allowed: Option<Vec<String>>,
    on_action: Callback<Action>,
}

/// A share link's profile, shown (name, district, what it would get) beside the user's own
/// inputs, which stay until the user chooses.
#[function_component(PreviewBar)]
fn preview_bar(props: &PreviewProps) -> Html {
    let lang = props.lang;
    let p = &props.preview;
    let Ok(set) = data::policy_set() else {
        return Html::default();
    };
    let summary = {
        let as_of =
            crate::dates::parse_typed_as_of(&p.inputs.as_of).unwrap_or(butie::date::Date::MIN);
        let parsed = draft::parse(set, &p.inputs.draft, as_of);
        let query = Query {
            as_of,
            application_period: butie::date::Period::parse(&p.inputs.application_period).ok(),
            compare_all: p.inputs.compare_all,
            allowed: props.allowed.clone(),
        };
        let district = asked::registered(set, &p.inputs.draft)
            .and_then(|d| {
                let def = asked::district_fact(set)
                    .and_then(|f| set.catalogue.facts.get(usize::from(f)))?;
                def.values
                    .iter()
                    .find(|v| v.id == d)
                    .map(|v| v.get(lang).to_string())
            })
            .unwrap_or_default();
        let up_to = calc::run(set, &parsed.profile, &query, false)
            .view
            .map(|v| i18n::money_in(v.available_now.up_to, lang, props.full_yuan))
            .unwrap_or_default();
        let name = p.inputs.draft.name.trim();
        i18n::preview_summary(name, &district, parsed.answered(), &up_to, lang)
    };
    let load = props.on_action.reform(|_| Action::PreviewLoad);
    let keep = props.on_action.reform(|_| Action::Preview(None));
    let save = props.on_action.reform(|_| Action::PreviewSaveAs);
    html! {
        <section class="notice preview" aria-labelledby="butie-preview-title" data-testid="preview">
            <h2 id="butie-preview-title">{ i18n::PREVIEW_TITLE.get(lang) }</h2>
            <p>{ i18n::PREVIEW_TEXT.get(lang) }</p>
            <p class="preview-summary" data-testid="preview-summary">{ summary }</p>
            if !p.dropped.is_empty() {
                <ul>{ for p.dropped.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
            }
            <div class="preview-actions">
                <button type="button" class="primary" onclick={load} data-testid="preview-load">{ i18n::PREVIEW_LOAD.get(lang) }</button>
                <button type="button" onclick={keep} data-testid="preview-keep">{ i18n::PREVIEW_KEEP.get(lang) }</button>
                <button type="button" onclick={save} data-testid="preview-save">{ i18n::PREVIEW_SAVE_AS.get(lang) }</button>
            </div>
        </section>
    }
}

/// The consultant tools' views: the batch view once opened (kept, hidden while another view
/// shows, so that its list outlives a visit to the calculator), the embed panel and the packs.
#[cfg(feature = "consultant-tools")]
fn tool_panels(view: View, lang: Lang, state: &AppState, on_action: Callback<Action>) -> Html {
    html! {
        <>
        if state.batch_opened {
            <div hidden={view != View::Batch}>
                <crate::bulk::BatchPanel lang={lang} as_of={state.inputs.as_of.clone()}
                    application_period={state.inputs.application_period.clone()} today={state.today.clone()}
                    full_yuan={state.full_yuan} on_action={on_action} />
            </div>
        }
        if view == View::Embed {
            <crate::embed::EmbedPanel lang={lang} today={state.today.clone()} />
        }
        if view == View::Packs {
            <crate::pack_panel::PackPanel lang={lang} />
        }
        </>
    }
}

/// Built without the consultant tools (the widget): only the calculator.
#[cfg(not(feature = "consultant-tools"))]
fn tool_panels(_: View, _: Lang, _: &AppState, _: Callback<Action>) -> Html {
    Html::default()
}

/// The policy calendar (`butie calendar`): the page's second module writes it, on the first
/// click, so that the calendar writer is not on the way to the first results.
#[cfg(feature = "consultant-tools")]
use crate::bulk::calendar_ics;

/// The widget's build has no second module: the core writes the calendar.
#[cfg(not(feature = "consultant-tools"))]
async fn calendar_ics(as_of: butie::date::Date, lang: Lang) -> Result<String, butie::Text> {
    let set = data::policy_set().map_err(|e| butie::Text::new(e, e))?;
    butie::calendar::ics(set, as_of, crate::dates::now_unix(), lang).map_err(|e| e.text())
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
