//! The toolbar: language, amount format, print, share link, profile export/import, results
//! export, the policy calendar (.ics, written by the core like `butie calendar`) and reset.

use std::cell::RefCell;
use std::rc::Rc;

use butie::{Lang, Text};
use gloo::file::callbacks::FileReader;
use wasm_bindgen::closure::Closure;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::calc::Outcome;
use crate::draft::{Draft, Parsed};
use crate::i18n::{self, Tr};
use crate::state::{Action, AppState, Notice};
use crate::{data, export, share};

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub lang: Lang,
    pub full_yuan: bool,
    pub embedded: bool,
    /// Only the language and amount-format switches (the batch and embed views).
    pub minimal: bool,
    pub parsed: Rc<Parsed>,
    pub outcome: Rc<Outcome>,
    pub share_link: Option<String>,
    pub today: String,
    pub dispatch: UseReducerDispatcher<AppState>,
}

fn failed(dispatch: &UseReducerDispatcher<AppState>, what: Tr, reason: String) {
    gloo::console::error!(format!("butie: {}{reason}", what.1));
    dispatch.dispatch(Action::Notify(Some(Notice::error(
        what,
        Text::new(reason.clone(), reason),
    ))));
}

/// The toolbar.
#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let lang = props.lang;
    let dispatch = props.dispatch.clone();
    // Keeps a file being read alive until its callback has run.
    let reader: Rc<RefCell<Option<FileReader>>> = use_mut_ref(|| None);
    let copied = use_state(|| None::<bool>);

    let switch_lang = {
        let dispatch = dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::SetLang(i18n::other(lang))))
    };
    let toggle_full = {
        let dispatch = dispatch.clone();
        let full = props.full_yuan;
        Callback::from(move |_| dispatch.dispatch(Action::SetFullYuan(!full)))
    };
    let print = Callback::from(|e: MouseEvent| {
        // A widget prints itself alone: its element handles (cancels) this event.
        if e.target()
            .is_some_and(|target| !dispatch_cancelable(&target, PRINT_EVENT))
        {
            return;
        }
        if let Some(w) = web_sys::window()
            && let Err(e) = w.print()
        {
            gloo::console::error!(format!("butie: print: {}", export::js_error(&e)));
        }
    });
    let make_share = {
        let dispatch = dispatch.clone();
        let parsed = props.parsed.clone();
        let outcome = props.outcome.clone();
        let today = props.today.clone();
        let copied = copied.clone();
        Callback::from(move |_| {
            let Ok(set) = data::policy_set() else { return };
            let as_of = butie::date::fmt_date(outcome.query.as_of);
            let fragment = share::encode(
                &set.catalogue,
                &parsed.profile,
                (as_of != today).then_some(as_of.as_str()),
                outcome.query.application_period,
                outcome.query.compare_all,
            );
            let base = web_sys::window()
                .and_then(|w| w.location().href().ok())
                .map(|href| href.split('#').next().unwrap_or_default().to_string())
                .unwrap_or_default();
            copied.set(None);
            dispatch.dispatch(Action::ShareLink(Some(format!("{base}#{fragment}"))));
        })
    };
    let copy_link = {
        let link = props.share_link.clone().unwrap_or_default();
        let copied = copied.clone();
        Callback::from(move |_| {
            let copied = copied.clone();
            copy_text(&link, Callback::from(move |ok| copied.set(Some(ok))));
        })
    };
    let export_profile = {
        let dispatch = dispatch.clone();
        let parsed = props.parsed.clone();
        let as_of = props.outcome.query.as_of;
        Callback::from(move |_| {
            let Ok(set) = data::policy_set() else { return };
            let json = parsed.profile.to_json(&set.catalogue);
            let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string());
            offer(
                &dispatch,
                ("profile", "json", "application/json"),
                as_of,
                text,
            );
        })
    };
    let export_csv = {
        let dispatch = dispatch.clone();
        let parsed = props.parsed.clone();
        let outcome = props.outcome.clone();
        Callback::from(move |_| {
            let Ok(set) = data::policy_set() else { return };
            let csv = crate::calc::results_csv(set, &parsed.profile, &outcome.query);
            let what = ("results", "csv", "text/csv;charset=utf-8");
            offer(&dispatch, what, outcome.query.as_of, csv);
        })
    };
    let export_json = {
        let dispatch = dispatch.clone();
        let parsed = props.parsed.clone();
        let outcome = props.outcome.clone();
        Callback::from(move |_| {
            let Ok(set) = data::policy_set() else { return };
            let json = crate::calc::report_json(set, &parsed.profile, &outcome.query, true);
            offer(
                &dispatch,
                ("results", "json", "application/json"),
                outcome.query.as_of,
                json,
            );
        })
    };
    // The same file as `butie calendar --as-of DATE`.
    let export_ics = {
        let dispatch = dispatch.clone();
        let as_of = props.outcome.query.as_of;
        Callback::from(move |_| {
            let Ok(set) = data::policy_set() else { return };
            let ics = butie::calendar::ics(set, as_of, crate::dates::now_unix(), lang)
                .map_err(|e| e.text().get(lang).to_string());
            offer(
                &dispatch,
                ("calendar", "ics", "text/calendar;charset=utf-8"),
                as_of,
                ics,
            );
        })
    };
    let import = {
        let dispatch = dispatch.clone();
        let reader = reader.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            let file = gloo::file::File::from(file);
            let dispatch = dispatch.clone();
            let slot = reader.clone();
            let task = gloo::file::callbacks::read_as_text(&file, move |result| {
                import_text(&dispatch, result.map_err(|e| e.to_string()));
                slot.borrow_mut().take();
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let reset = {
        let dispatch = dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::Reset))
    };
    let has_results = props.outcome.view.is_ok();
    let has_dates = data::policy_set()
        .is_ok_and(|set| butie::calendar::has_events(set, props.outcome.query.as_of));

    html! {
        <nav class="toolbar no-print" aria-label={i18n::TOOLBAR.get(lang)}>
            <div class="tools">
                <button type="button" lang={i18n::html_lang(i18n::other(lang))} title={i18n::SWITCH_LANG_LABEL.get(lang)} onclick={switch_lang} data-testid="lang">
                    { i18n::SWITCH_LANG.get(lang) }
                </button>
                <button type="button" aria-pressed={props.full_yuan.to_string()} onclick={toggle_full} data-testid="full-yuan">
                    { i18n::AMOUNTS_IN_FULL.get(lang) }
                </button>
                if !props.minimal {
                    <button type="button" onclick={print} data-testid="print">{ i18n::PRINT.get(lang) }</button>
                    if !props.embedded {
                        <button type="button" onclick={make_share} data-testid="share">{ i18n::SHARE.get(lang) }</button>
                    }
                    <button type="button" onclick={export_profile} data-testid="export-profile">{ i18n::EXPORT_PROFILE.get(lang) }</button>
                    <input type="file" id="butie-import" class="visually-hidden" accept=".json,application/json" onchange={import} data-testid="import" />
                    <label for="butie-import" class="button">{ i18n::IMPORT_PROFILE.get(lang) }</label>
                    <button type="button" onclick={export_csv} disabled={!has_results} data-testid="export-csv">{ i18n::EXPORT_CSV.get(lang) }</button>
                    <button type="button" onclick={export_json} disabled={!has_results} data-testid="export-json">{ i18n::EXPORT_JSON.get(lang) }</button>
                    <button type="button" onclick={export_ics} disabled={!has_dates} data-testid="export-ics">{ i18n::EXPORT_ICS.get(lang) }</button>
                    <button type="button" class="danger" onclick={reset} data-testid="reset">{ i18n::RESET.get(lang) }</button>
                }
            </div>
            if let (Some(link), false) = (&props.share_link, props.minimal) {
                <div class="share">
                    <label for="butie-share-link">{ i18n::SHARE_LINK_LABEL.get(lang) }</label>
                    <div class="share-row">
                        <input id="butie-share-link" type="text" readonly=true value={link.clone()} data-testid="share-link" />
                        <button type="button" onclick={copy_link}>{ i18n::COPY.get(lang) }</button>
                    </div>
                    if let Some(ok) = *copied {
                        <p class="help" role="status">{ if ok { i18n::COPIED.get(lang) } else { i18n::COPY_FAILED.get(lang) } }</p>
                    }
                </div>
            }
            if !props.embedded && !props.minimal {
                <p class="help saved-note">{ i18n::SAVED_NOTE.get(lang) }</p>
            }
        </nav>
    }
}

/// The event the print button sends first (bubbling, cancelable, not leaving a shadow root):
/// the widget's element cancels it and prints only itself (`www/widget/widget.js`).
const PRINT_EVENT: &str = "butie-print";

/// Dispatches a bubbling, cancelable event `name` at `target`; false if a listener cancelled it.
fn dispatch_cancelable(target: &web_sys::EventTarget, name: &str) -> bool {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    web_sys::Event::new_with_event_init_dict(name, &init)
        .and_then(|event| target.dispatch_event(&event))
        .unwrap_or(true)
}

/// Offers `content` as the file `butie-<what>-<as_of>.<ext>` (`file`: what, extension, MIME
/// type), or says why it could not be made.
fn offer(
    dispatch: &UseReducerDispatcher<AppState>,
    file: (&str, &str, &str),
    as_of: butie::date::Date,
    content: Result<String, String>,
) {
    let (what, ext, mime) = file;
    let result = content.and_then(|text| {
        let name = export::file_name(what, &butie::date::fmt_date(as_of), ext);
        export::download(&name, mime, text.as_bytes()).map_err(|e| export::js_error(&e))
    });
    if let Err(e) = result {
        failed(dispatch, i18n::EXPORT_FAILED, e);
    }
}

/// Loads an imported profile JSON text.
fn import_text(dispatch: &UseReducerDispatcher<AppState>, result: Result<String, String>) {
    let Ok(set) = data::policy_set() else { return };
    let cat = &set.catalogue;
    let text = match result {
        Ok(text) => text,
        Err(e) => return failed(dispatch, i18n::IMPORT_FAILED, e),
    };
    match share::profile_from_text(cat, &text) {
        Ok((profile, dropped)) => {
            let notice = if dropped.is_empty() {
                Notice::info(i18n::IMPORT_DONE)
            } else {
                let mut n = Notice::info(i18n::IMPORT_PARTIAL);
                n.error = true;
                n.details = dropped;
                n
            };
            let draft = Draft::from_profile(cat, &profile, crate::draft::MoneyUnit::Wan);
            dispatch.dispatch(Action::Load(Box::new(draft), Some(notice)));
        }
        Err(e) => {
            let t = e.text();
            dispatch.dispatch(Action::Notify(Some(Notice::error(i18n::IMPORT_FAILED, t))));
        }
    }
}

/// Copies text with the asynchronous clipboard API and reports the outcome to `done`; a
/// refusal (no permission, file:// pages) is reported, not thrown.
pub fn copy_text(text: &str, done: Callback<bool>) {
    let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
        done.emit(false);
        return;
    };
    let promise = clipboard.write_text(text);
    let ok = {
        let done = done.clone();
        Closure::once(move |_: wasm_bindgen::JsValue| done.emit(true))
    };
    let err = Closure::once(move |_: wasm_bindgen::JsValue| done.emit(false));
    let _ = promise.then2(&ok, &err);
    // Each runs at most once; the promise settles once, so leaking the pair is bounded by clicks.
    ok.forget();
    err.forget();
}
