//! The toolbar: language and amount format, one menu of file actions (print, share link,
//! profile export/import, results export, the policy calendar (.ics, written by the core like
//! `butie calendar`), start over) and the client profiles.

use std::rc::Rc;

use butie::Lang;
use wasm_bindgen::closure::Closure;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::Command;
use crate::calc::ResultsFile;
use crate::export;
use crate::i18n;
use crate::state::{Action, Clients, Share};

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub lang: Lang,
    pub full_yuan: bool,
    pub embedded: bool,
    /// Only the language and amount-format switches (the batch and embed views).
    pub minimal: bool,
    pub has_results: bool,
    /// Some document has a date ahead to put in a calendar.
    pub has_dates: bool,
    /// The share link made (or why there is none).
    pub share: Option<Share>,
    pub clients: Rc<Clients>,
    pub on_action: Callback<Action>,
    pub on_command: Callback<Command>,
}

/// A file chosen in an `<input type="file">`, as a command (the input is cleared so the same
/// file can be chosen again).
fn on_file(on_command: &Callback<Command>, make: fn(web_sys::File) -> Command) -> Callback<Event> {
    let on_command = on_command.clone();
    Callback::from(move |event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            input.set_value("");
            on_command.emit(make(file));
        }
    })
}

/// The toolbar: the language and amount switches, then the file actions folded into one menu
/// (print, share, profile export and import, results export, start over) and, on the page, the
/// client profiles.
#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let lang = props.lang;
    let copied = use_state(|| None::<bool>);
    let switch_lang = props
        .on_action
        .reform(move |_| Action::SetLang(i18n::other(lang)));
    let toggle_full = {
        let full = props.full_yuan;
        props.on_action.reform(move |_| Action::SetFullYuan(!full))
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
    let command = |c: Command| props.on_command.reform(move |_: MouseEvent| c.clone());
    let make_share = {
        let copied = copied.clone();
        let on_command = props.on_command.clone();
        Callback::from(move |_| {
            copied.set(None);
            on_command.emit(Command::Share);
        })
    };
    let copy_link = {
        let link = match &props.share {
            Some(Share::Link(link)) => link.clone(),
            _ => String::new(),
        };
        let copied = copied.clone();
        Callback::from(move |_| {
            let copied = copied.clone();
            copy_text(&link, Callback::from(move |ok| copied.set(Some(ok))));
        })
    };
    let import = on_file(&props.on_command, Command::Import);
    let reset = props.on_action.reform(|_| Action::Reset);
    let has_results = props.has_results;
    let share = match (&props.share, props.minimal) {
        (Some(Share::Link(link)), false) => html! {
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
        },
        (Some(Share::LocalFile), false) => html! {
            <div class="share" role="status" data-testid="share-local">
                <p>{ i18n::SHARE_LOCAL_FILE.get(lang) }</p>
                <button type="button" onclick={command(Command::ExportProfile)}>{ i18n::EXPORT_PROFILE.get(lang) }</button>
            </div>
        },
        _ => Html::default(),
    };

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
                    <details class="menu" data-testid="file-menu">
                        <summary>{ i18n::FILE_MENU.get(lang) }</summary>
                        <div class="menu-items">
                            <button type="button" onclick={print} data-testid="print">{ i18n::PRINT.get(lang) }</button>
                            if !props.embedded {
                                <button type="button" onclick={make_share} data-testid="share">{ i18n::SHARE.get(lang) }</button>
                            }
                            <button type="button" onclick={command(Command::ExportProfile)} data-testid="export-profile">{ i18n::EXPORT_PROFILE.get(lang) }</button>
                            <input type="file" id="butie-import" class="visually-hidden" accept=".json,application/json" onchange={import} data-testid="import" />
                            <label for="butie-import" class="button">{ i18n::IMPORT_PROFILE.get(lang) }</label>
                            <button type="button" onclick={command(Command::ExportResults(ResultsFile::Csv))} disabled={!has_results} data-testid="export-csv">{ i18n::EXPORT_CSV.get(lang) }</button>
                            <button type="button" onclick={command(Command::ExportResults(ResultsFile::Json))} disabled={!has_results} data-testid="export-json">{ i18n::EXPORT_JSON.get(lang) }</button>
                            <button type="button" onclick={command(Command::ExportIcs)} disabled={!props.has_dates} data-testid="export-ics">{ i18n::EXPORT_ICS.get(lang) }</button>
                            <button type="button" class="danger" onclick={reset} data-testid="reset">{ i18n::RESET.get(lang) }</button>
                        </div>
                    </details>
                    if !props.embedded && cfg!(feature = "consultant-tools") {
                        <ClientsMenu lang={lang} clients={props.clients.clone()}
                            on_action={props.on_action.clone()} on_command={props.on_command.clone()} />
                    }
                }
            </div>
            { share }
            if !props.embedded && !props.minimal {
                <p class="help saved-note">{ i18n::SAVED_NOTE.get(lang) }</p>
            }
        </nav>
    }
}

#[derive(Properties, PartialEq)]
struct ClientsMenuProps {
    lang: Lang,
    clients: Rc<Clients>,
    on_action: Callback<Action>,
    on_command: Callback<Command>,
}

/// A consultant's client profiles kept in this browser: switch, save, rename, delete (with a
/// confirmation; the form keeps the inputs), export all, import.
#[function_component(ClientsMenu)]
fn clients_menu(props: &ClientsMenuProps) -> Html {
    let lang = props.lang;
    let c = &props.clients;
    let name = use_state(String::new);
    let confirming = use_state(|| false);
    // The select follows the active profile (its `selected` attributes stop applying once used).
    let select_ref = use_node_ref();
    {
        let select_ref = select_ref.clone();
        let active = c.active.map(|i| i.to_string()).unwrap_or_default();
        use_effect_with(active, move |active| {
            if let Some(select) = select_ref.cast::<HtmlSelectElement>() {
                select.set_value(active);
            }
        });
    }
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            name.set(input.value());
        })
    };
    let switch = props.on_action.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        match select.value().parse::<usize>() {
            Ok(i) => Action::SwitchClient(i),
            Err(_) => Action::Notify(None),
        }
    });
    let save = {
        let name = name.clone();
        props
            .on_action
            .reform(move |_| Action::SaveClient((*name).clone()))
    };
    let rename = {
        let name = name.clone();
        props
            .on_action
            .reform(move |_| Action::RenameClient((*name).clone()))
    };
    let ask_delete = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(true))
    };
    let delete = {
        let confirming = confirming.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |_| {
            confirming.set(false);
            on_action.emit(Action::DeleteClient);
        })
    };
    let export_all = props.on_command.reform(|_| Command::ExportClients);
    let import = on_file(&props.on_command, Command::ImportClients);
    html! {
        <details class="menu clients" data-testid="clients-menu">
            <summary>{ i18n::CLIENTS_MENU.get(lang) }{ format!(" ({})", c.list.len()) }</summary>
            <div class="menu-items">
                <label for="butie-client">{ i18n::CLIENT_CURRENT.get(lang) }</label>
                <select id="butie-client" ref={select_ref} onchange={switch} data-testid="client-select">
                    if c.active.is_none() {
                        <option value="" selected=true>{ i18n::CLIENT_UNSAVED.get(lang) }</option>
                    }
                    { for c.list.iter().enumerate().map(|(i, client)| html! {
                        <option value={i.to_string()} selected={c.active == Some(i)}>{ client.name.clone() }</option>
                    }) }
                </select>
                <label for="butie-client-name">{ i18n::CLIENT_NAME.get(lang) }</label>
                <input id="butie-client-name" type="text" maxlength="200" value={(*name).clone()} oninput={on_name}
                    data-testid="client-name" />
                <button type="button" onclick={save} data-testid="client-save">{ i18n::CLIENT_SAVE.get(lang) }</button>
                if c.active.is_some() {
                    <button type="button" onclick={rename} data-testid="client-rename">{ i18n::CLIENT_RENAME.get(lang) }</button>
                    if *confirming {
                        <button type="button" class="danger" onclick={delete} data-testid="client-delete-confirm">{ i18n::CLIENT_DELETE_CONFIRM.get(lang) }</button>
                    } else {
                        <button type="button" class="danger" onclick={ask_delete} data-testid="client-delete">{ i18n::CLIENT_DELETE.get(lang) }</button>
                    }
                }
                <button type="button" onclick={export_all} disabled={c.list.is_empty()} data-testid="clients-export">{ i18n::CLIENTS_EXPORT.get(lang) }</button>
                <input type="file" id="butie-clients-import" class="visually-hidden" accept=".jsonl,.json,application/json" onchange={import} data-testid="clients-import" />
                <label for="butie-clients-import" class="button">{ i18n::CLIENTS_IMPORT.get(lang) }</label>
                <p class="help">{ i18n::CLIENTS_NOTE.get(lang) }</p>
            </div>
        </details>
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
