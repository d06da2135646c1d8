//! The batch view: evaluation settings, the upload (file picker, drop zone, example list),
//! the progress while a long list runs, the bad rows, the sortable table and the downloads
//! (CSV, Excel). Opening the view starts loading the batch module.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use butie::{EvalOptions, Lang};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::run::{self, BatchOutput, Phase, Source};
use super::table::{BatchTable, Shared};
use crate::draft::{Draft, MoneyUnit};
use crate::state::{Action, Inputs, Notice, Preview};
use crate::{app, dates, export, i18n};

/// docs/examples/clients.csv: six clients, one typed as people type (`1,200万`, `三级`), those
/// without projects or games saying so (`无`).
const EXAMPLE: &str = include_str!("../../../docs/examples/clients.csv");
/// The bad rows listed above the table (the CSV has them all).
const MAX_LISTED: usize = 50;
/// Performance API marks: a run started, its results on screen (`cargo xtask measure`
/// times from the file input's change event to the second).
pub const START_MARK: &str = "butie:batch-start";
pub const DONE_MARK: &str = "butie:batch-done";

#[derive(Properties, PartialEq)]
pub struct BatchPanelProps {
    pub lang: Lang,
    /// The calculator's as-of date (the starting value here).
    pub as_of: String,
    /// The calculator's application period as typed (the starting value here).
    pub application_period: String,
    pub today: String,
    pub full_yuan: bool,
    /// Opens a client of the list in the calculator ([`Action::Open`]).
    pub on_action: Callback<Action>,
}

fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// The batch view.
#[function_component(BatchPanel)]
pub fn batch_panel(props: &BatchPanelProps) -> Html {
    let lang = props.lang;
    let as_of = use_state(|| {
        if dates::parse_typed_date(&props.as_of).is_some() {
            props.as_of.clone()
        } else {
            props.today.clone()
        }
    });
    let period = use_state(|| props.application_period.clone());
    let compare = use_state(|| false);
    let phase = use_state(|| Phase::Idle);
    let source: Rc<RefCell<Option<Source>>> = use_mut_ref(|| None);
    let generation: Rc<Cell<u32>> = use_memo((), |()| Cell::new(0));
    // Bumped to (re)start a run; the effect below starts it after the render.
    let request = use_state(|| 0u32);
    let dragging = use_state(|| false);

    let date = dates::parse_typed_date(&as_of);
    // The application period: empty is "not given"; an unreadable one stops the run.
    let parsed_period = match period.trim() {
        "" => Ok(None),
        typed => butie::date::Period::parse(typed).map(Some),
    };
    let period_error = parsed_period.as_ref().err().map(|e| e.text());
    let application_period = parsed_period.ok();
    // The batch module (reading, Excel, evaluation of lists) loads as the view opens, so it is
    // ready by the time a file is chosen; the first results never wait for it.
    use_effect_with((), |()| {
        wasm_bindgen_futures::spawn_local(async {
            if let Err(e) = crate::lazy::module().await {
                gloo::console::error!(format!("butie: batch module: {}", e.en));
            }
        });
    });
    // Leaving the view stops a run in progress.
    {
        let generation = generation.clone();
        use_effect_with((), move |()| {
            move || generation.set(generation.get().wrapping_add(1))
        });
    }
    {
        let phase = phase.clone();
        let source = source.clone();
        let generation = generation.clone();
        use_effect_with(
            (*request, date, application_period, *compare),
            move |(_, date, period, compare)| {
                let (Some(date), Some(period), Some(src)) =
                    (*date, *period, source.borrow().clone())
                else {
                    return;
                };
                let mine = generation.get().wrapping_add(1);
                generation.set(mine);
                mark(START_MARK);
                phase.set(Phase::Reading);
                let opts = EvalOptions {
                    compare_all: *compare,
                    application_period: period,
                    ..EvalOptions::new(date)
                };
                let report = move |p: Phase| phase.set(p);
                wasm_bindgen_futures::spawn_local(run::run(src, opts, generation, mine, report));
            },
        );
    }
    // Results on screen (painted): the measured end of a run.
    {
        let done = matches!(*phase, Phase::Done(_));
        use_effect_with(done, move |done| {
            if *done {
                app::after_paint(|| {
                    mark(DONE_MARK);
                    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                        let _ = p.measure_with_start_mark_and_end_mark(
                            "butie:batch",
                            START_MARK,
                            DONE_MARK,
                        );
                    }
                });
            }
        });
    }

    let start = {
        let source = source.clone();
        let request = request.clone();
        Callback::from(move |src: Source| {
            *source.borrow_mut() = Some(src);
            request.set(request.wrapping_add(1));
        })
    };
    let on_file = {
        let start = start.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                start.emit(Source::File(file));
            }
            input.set_value("");
        })
    };
    let on_example = {
        let start = start.clone();
        Callback::from(move |_| {
            start.emit(Source::Text {
                name: "clients.csv".into(),
                text: Rc::from(EXAMPLE),
            })
        })
    };
    let download_example = Callback::from(|_| {
        if let Err(e) = export::download(
            "butie-clients-example.csv",
            "text/csv;charset=utf-8",
            EXAMPLE.as_bytes(),
        ) {
            gloo::console::error!(format!("butie: download: {}", export::js_error(&e)));
        }
    });
    let download_example_xlsx = Callback::from(|_| {
        wasm_bindgen_futures::spawn_local(async {
            let result = run::example_xlsx(EXAMPLE)
                .await
                .map_err(|e| e.en)
                .and_then(|bytes| {
                    export::download("butie-clients-example.xlsx", export::XLSX_MIME, &bytes)
                        .map_err(|e| export::js_error(&e))
                });
            if let Err(e) = result {
                gloo::console::error!(format!("butie: download: {e}"));
            }
        });
    });
    let on_drag = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(e.type_() != "dragleave");
        })
    };
    let on_drop = {
        let start = start.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                start.emit(Source::File(file));
            }
        })
    };
    let on_as_of = {
        let as_of = as_of.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            as_of.set(input.value());
        })
    };
    let on_period = {
        let period = period.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            period.set(input.value());
        })
    };
    // A line's client in the calculator: its profile read again from the list, as of the
    // batch's date, period and mode.
    let open = {
        let on_action = props.on_action.clone();
        let settings = ((*as_of).clone(), (*period).clone(), *compare);
        Callback::from(move |(out, row): (Rc<BatchOutput>, usize)| {
            let Ok(set) = crate::data::policy_set() else {
                return;
            };
            let cat = &set.catalogue;
            let read = out
                .profile(row)
                .and_then(|text| crate::share::profile_from_text(cat, &text).map_err(|e| e.text()));
            on_action.emit(match read {
                Ok((profile, dropped)) => {
                    let (as_of, application_period, compare_all) = settings.clone();
                    let draft = Draft::from_profile(cat, &profile, MoneyUnit::Wan);
                    Action::Open(Rc::new(Preview {
                        inputs: Inputs {
                            draft: Rc::new(draft),
                            as_of,
                            application_period,
                            compare_all,
                        },
                        dropped,
                    }))
                }
                Err(e) => Action::Notify(Some(Notice::error(i18n::IMPORT_FAILED, e))),
            });
        })
    };
    let mode = |value: bool, label: i18n::Tr, id: &'static str| {
        let handle = compare.clone();
        let onchange = Callback::from(move |_: Event| handle.set(value));
        html! {
            <label class="radio" for={id}>
                <input type="radio" id={id} name="butie-batch-mode" checked={*compare == value} {onchange} data-testid={id} />
                { label.get(lang) }
            </label>
        }
    };

    html! {
        <section class="batch" aria-labelledby="butie-batch-title" data-testid="batch"
            ondragover={on_drag.clone()} ondragenter={on_drag.clone()} ondragleave={on_drag} ondrop={on_drop}>
            <h2 id="butie-batch-title">{ i18n::BATCH_TITLE.get(lang) }</h2>
            <p class="note">{ i18n::BATCH_INTRO.get(lang) }</p>
            <fieldset class="settings batch-settings">
                <legend>{ i18n::SETTINGS.get(lang) }</legend>
                <div class={classes!("field", date.is_none().then_some("invalid"))}>
                    <label for="butie-batch-as-of">{ i18n::AS_OF.get(lang) }</label>
                    <input id="butie-batch-as-of" type="text" inputmode="numeric" autocomplete="off"
                        placeholder={i18n::DATE_PLACEHOLDER} value={(*as_of).clone()} oninput={on_as_of}
                        aria-invalid={date.is_none().to_string()} data-testid="batch-as-of" />
                    if date.is_none() {
                        <p class="error">{ i18n::ERR_BATCH_AS_OF.get(lang) }</p>
                    }
                </div>
                <div class={classes!("field", period_error.is_some().then_some("invalid"))}>
                    <label for="butie-batch-period">{ i18n::APPLICATION_PERIOD.get(lang) }</label>
                    <input id="butie-batch-period" type="text" autocomplete="off"
                        placeholder={i18n::PERIOD_PLACEHOLDER} value={(*period).clone()} oninput={on_period}
                        aria-invalid={period_error.is_some().to_string()} data-testid="batch-application-period" />
                    if let Some(e) = &period_error {
                        <p class="error">{ e.get(lang) }</p>
                    }
                </div>
                <fieldset class="mode">
                    <legend>{ i18n::MODE.get(lang) }</legend>
                    { mode(false, i18n::MODE_REGISTERED, "butie-batch-registered") }
                    { mode(true, i18n::MODE_COMPARE, "butie-batch-compare") }
                </fieldset>
            </fieldset>
            <div class={classes!("upload", dragging.then_some("dragging"))}>
                <input type="file" id="butie-batch-file" class="visually-hidden"
                    accept=".csv,.jsonl,.ndjson,.json,.xlsx,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    onchange={on_file} data-testid="batch-file" />
                <label for="butie-batch-file" class="button primary">{ i18n::BATCH_CHOOSE.get(lang) }</label>
                <span class="help">{ i18n::BATCH_DROP.get(lang) }</span>
                <button type="button" onclick={on_example} data-testid="batch-example">{ i18n::BATCH_EXAMPLE.get(lang) }</button>
                <button type="button" class="link" onclick={download_example}>{ i18n::BATCH_EXAMPLE_DOWNLOAD.get(lang) }</button>
                <button type="button" class="link" onclick={download_example_xlsx} data-testid="batch-example-xlsx">{ i18n::BATCH_EXAMPLE_DOWNLOAD_XLSX.get(lang) }</button>
            </div>
            <details class="format-help">
                <summary>{ i18n::BATCH_FORMAT.get(lang) }</summary>
                <ul>
                    <li>{ i18n::BATCH_FORMAT_CSV.get(lang) }</li>
                    <li>{ i18n::BATCH_FORMAT_XLSX.get(lang) }</li>
                    <li>{ i18n::BATCH_FORMAT_CELLS.get(lang) }</li>
                    <li>{ i18n::BATCH_FORMAT_JSONL.get(lang) }</li>
                </ul>
            </details>
            { status(&phase, lang, props.full_yuan, &open) }
        </section>
    }
}

/// The progress, the failure, or the results.
fn status(
    phase: &Phase,
    lang: Lang,
    full_yuan: bool,
    open: &Callback<(Rc<BatchOutput>, usize)>,
) -> Html {
    match phase {
        Phase::Idle => Html::default(),
        Phase::Reading => html! {
            <div class="progress" role="status" data-testid="batch-progress">
                <progress aria-label={i18n::BATCH_READING.get(lang)}></progress>
                <span>{ i18n::BATCH_READING.get(lang) }</span>
            </div>
        },
        Phase::Evaluating { done, total } => html! {
            <div class="progress" role="status" data-testid="batch-progress">
                <progress max={total.to_string()} value={done.to_string()}
                    aria-label={i18n::batch_progress(*done, *total, lang)}></progress>
                <span>{ i18n::batch_progress(*done, *total, lang) }</span>
            </div>
        },
        Phase::Failed(reason) => html! {
            <p class="notice error" role="alert" data-testid="batch-failed">
                { i18n::BATCH_FAILED.get(lang) }{ reason.get(lang) }
            </p>
        },
        Phase::Done(out) => done(out, lang, full_yuan, open),
    }
}

/// A finished list: summary, download, bad rows, table.
fn done(
    out: &Rc<BatchOutput>,
    lang: Lang,
    full_yuan: bool,
    open: &Callback<(Rc<BatchOutput>, usize)>,
) -> Html {
    let download = {
        let out = out.clone();
        Callback::from(move |_| {
            let name = export::file_name("batch", None, &out.as_of, "csv");
            if let Err(e) = export::download(&name, "text/csv;charset=utf-8", &out.csv()) {
                gloo::console::error!(format!("butie: download: {}", export::js_error(&e)));
            }
        })
    };
    let download_xlsx = {
        let out = out.clone();
        Callback::from(move |_| {
            let name = export::file_name("batch", None, &out.as_of, "xlsx");
            let result = out.xlsx().map_err(|e| e.en).and_then(|bytes| {
                export::download(&name, export::XLSX_MIME, &bytes).map_err(|e| export::js_error(&e))
            });
            if let Err(e) = result {
                gloo::console::error!(format!("butie: download: {e}"));
            }
        })
    };
    let table = &out.table;
    let listed = table.errors.iter().take(MAX_LISTED).map(|e| {
        let client = table.clients.get(e.client);
        let who = client
            .and_then(|c| c.name.as_deref().or(c.id.as_deref()))
            .map(|n| i18n::paren(n, lang))
            .unwrap_or_default();
        html! {
            <li data-row={e.row.to_string()}>
                <strong>{ i18n::row_number(e.row, lang) }{ who }</strong>{ i18n::colon(lang) }
                { i18n::row_problems(&e.problems, lang) }
            </li>
        }
    });
    html! {
        <div class="batch-done" data-testid="batch-done">
            <p class="batch-summary" role="status" data-testid="batch-summary">
                { i18n::batch_summary(table.clients.len(), out.bad_rows, table.lines.len(), out.millis, &out.file_name, lang) }
            </p>
            if out.gb18030 {
                <p class="note" data-testid="batch-encoding">{ i18n::BATCH_GB18030.get(lang) }</p>
            }
            <p class="batch-downloads">
                <button type="button" class="primary" onclick={download} data-testid="batch-download">
                    { i18n::BATCH_DOWNLOAD.get(lang) }
                </button>
                <button type="button" onclick={download_xlsx} data-testid="batch-download-xlsx">
                    { i18n::BATCH_DOWNLOAD_XLSX.get(lang) }
                </button>
            </p>
            if !table.errors.is_empty() {
                <section class="batch-errors notice error" data-testid="batch-errors" aria-labelledby="butie-batch-errors">
                    <h3 id="butie-batch-errors">{ i18n::batch_errors_title(out.bad_rows, lang) }</h3>
                    <ul>{ for listed }</ul>
                    if table.errors.len() > MAX_LISTED {
                        <p>{ i18n::batch_more_errors(table.errors.len() - MAX_LISTED, lang) }</p>
                    }
                </section>
            }
            <BatchTable output={Shared(out.clone())} lang={lang} full_yuan={full_yuan}
                on_open={open.reform({ let out = out.clone(); move |row| (out.clone(), row) })} />
        </div>
    }
}
