//! Running a client list in the browser: the page's batch module (a second wasm inside the
//! single file, loaded when the batch view first opens: `globalThis.butieBatch()`) reads the
//! list and evaluates it with `butie::batch`, the CLI's code, a slice at a time; between
//! slices this side yields to the event loop so the progress bar repaints and input stays
//! responsive. Nothing leaves the browser.

use std::cell::Cell;
use std::rc::Rc;

use butie::batch::table::Table;
use butie::date::fmt_date;
use butie::{EvalOptions, Text};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::lazy::{self, error_text, module};

/// Work done before yielding to the event loop (ms).
const BUDGET_MS: f64 = 40.0;

#[wasm_bindgen]
extern "C" {
    /// A list being evaluated by the batch module (`www/batch`'s `Job`).
    pub type BatchJob;
    #[wasm_bindgen(method)]
    fn step(this: &BatchJob, budget_ms: f64) -> u32;
    #[wasm_bindgen(method)]
    fn done(this: &BatchJob) -> bool;
    #[wasm_bindgen(method)]
    fn total(this: &BatchJob) -> u32;
    #[wasm_bindgen(method)]
    fn bad_rows(this: &BatchJob) -> u32;
    #[wasm_bindgen(method)]
    fn gb18030(this: &BatchJob) -> bool;
    #[wasm_bindgen(method)]
    fn table(this: &BatchJob) -> Vec<u8>;
    #[wasm_bindgen(method)]
    fn csv(this: &BatchJob) -> Vec<u8>;
    #[wasm_bindgen(method, catch)]
    fn xlsx(this: &BatchJob) -> Result<Vec<u8>, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn profile(this: &BatchJob, row: usize) -> Result<String, JsValue>;
    #[wasm_bindgen(method)]
    fn free(this: &BatchJob);
}

/// A processed client list.
pub struct BatchOutput {
    pub file_name: String,
    /// The list was GB18030 (GBK) text (Excel's plain “CSV” on Chinese Windows).
    pub gb18030: bool,
    pub as_of: String,
    pub table: Table,
    /// Clients whose row could not be read or evaluated.
    pub bad_rows: usize,
    /// Reading, parsing and evaluating (ms).
    pub millis: f64,
    /// The job, for the downloads.
    job: BatchJob,
}

impl PartialEq for BatchOutput {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl std::fmt::Debug for BatchOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchOutput")
            .field("file_name", &self.file_name)
            .field("lines", &self.table.lines.len())
            .finish()
    }
}

impl Drop for BatchOutput {
    fn drop(&mut self) {
        self.job.free();
    }
}

impl BatchOutput {
    /// The results CSV, byte for byte what `butie batch FILE --out results.csv` writes.
    pub fn csv(&self) -> Vec<u8> {
        self.job.csv()
    }

    /// The profile JSON of line (or worksheet row) `row`, read again from the list.
    pub fn profile(&self, row: usize) -> Result<String, Text> {
        self.job.profile(row).map_err(|e| error_text(&e))
    }

    /// The results workbook, what `butie batch FILE --out results.xlsx` writes.
    pub fn xlsx(&self) -> Result<Vec<u8>, Text> {
        self.job.xlsx().map_err(|e| error_text(&e))
    }
}

/// What the runner reports while it works.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Idle,
    Reading,
    Evaluating { done: usize, total: usize },
    Done(Rc<BatchOutput>),
    Failed(Text),
}

/// Where the list comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    File(web_sys::File),
    Text { name: String, text: Rc<str> },
}

impl Source {
    pub fn name(&self) -> String {
        match self {
            Source::File(f) => f.name(),
            Source::Text { name, .. } => name.clone(),
        }
    }
}

async fn read(source: &Source) -> Result<Vec<u8>, Text> {
    match source {
        Source::Text { text, .. } => Ok(text.as_bytes().to_vec()),
        Source::File(file) => {
            let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
                .await
                .map_err(|e| {
                    let reason = crate::export::js_error(&e);
                    Text::new(
                        format!("无法读取文件：{reason}"),
                        format!("cannot read the file: {reason}"),
                    )
                })?;
            Ok(js_sys::Uint8Array::new(&buffer).to_vec())
        }
    }
}

/// The example list as a workbook, made by the batch module.
pub async fn example_xlsx(csv: &str) -> Result<Vec<u8>, Text> {
    let exports = module().await?;
    let bytes = lazy::call(
        &exports,
        "csv_to_xlsx",
        &js_sys::Array::of1(&JsValue::from_str(csv)),
    )
    .map_err(|e| error_text(&e))?;
    Ok(js_sys::Uint8Array::new(&bytes).to_vec())
}

/// The policy calendar for `as_of` in `lang` (the file `butie calendar` writes), made by the
/// batch module: the calendar writer stays out of the first module.
pub async fn calendar_ics(as_of: butie::date::Date, lang: butie::Lang) -> Result<String, Text> {
    let exports = module().await?;
    let f: js_sys::Function = js_sys::Reflect::get(&exports, &"calendar_ics".into())
        .map_err(|e| error_text(&e))?
        .dyn_into()
        .map_err(|e| error_text(&e))?;
    let args = js_sys::Array::of4(
        &js_sys::Uint8Array::from(crate::data::bundle()),
        &JsValue::from_str(&fmt_date(as_of)),
        &JsValue::from_f64(crate::dates::now_unix() as f64),
        &JsValue::from_str(crate::i18n::html_lang(lang)),
    );
    let ics = f.apply(&JsValue::NULL, &args).map_err(|e| error_text(&e))?;
    ics.as_string()
        .ok_or_else(|| Text::new("日历文件无效", "the calendar file is not text"))
}

/// The results file (`format` `csv` or `json`) of `profile` under `opts`, made by the batch
/// module (`results_file`): the result JSON and CSV writers stay out of the first module.
pub async fn results_file(
    profile: &butie::Profile,
    opts: &EvalOptions,
    format: &str,
) -> Result<String, Text> {
    let set = crate::data::policy_set().map_err(|e| Text::new(e, e))?;
    let profile = profile.to_json(&set.catalogue).to_string();
    let exports = module().await?;
    let districts = match &opts.districts {
        Some(list) => list
            .iter()
            .map(|d| JsValue::from_str(d))
            .collect::<js_sys::Array>()
            .into(),
        None => JsValue::UNDEFINED,
    };
    let period = opts
        .application_period
        .map(|p| p.to_string())
        .unwrap_or_default();
    let args: js_sys::Array = [
        js_sys::Uint8Array::from(crate::data::bundle()).into(),
        JsValue::from_str(&profile),
        JsValue::from_str(&fmt_date(opts.as_of)),
        districts,
        JsValue::from_bool(opts.compare_all),
        JsValue::from_str(&period),
        JsValue::from_bool(opts.hints),
        JsValue::from_str(format),
    ]
    .into_iter()
    .collect();
    let text = lazy::call(&exports, "results_file", &args).map_err(|e| error_text(&e))?;
    text.as_string()
        .ok_or_else(|| Text::new("导出的文件无效", "the exported file is not text"))
}

/// Lets the browser handle input and paint (a task boundary).
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve: js_sys::Function, _reject| {
        let scheduled = web_sys::window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), 0)
                .is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Reads and evaluates `source`, reporting each phase; gives up silently when `generation`
/// moves on from `mine` (a newer run started).
pub async fn run(
    source: Source,
    opts: EvalOptions,
    generation: Rc<Cell<u32>>,
    mine: u32,
    report: impl Fn(Phase),
) {
    let current = || generation.get() == mine;
    let started = crate::bench::now_ms();
    report(Phase::Reading);
    let bytes = match read(&source).await {
        Ok(b) => b,
        Err(e) => return report(Phase::Failed(e)),
    };
    let exports = match module().await {
        Ok(m) => m,
        Err(e) => return report(Phase::Failed(e)),
    };
    if !current() {
        return;
    }
    let name = source.name();
    let as_of = fmt_date(opts.as_of);
    let job = js_sys::Reflect::get(&exports, &"Job".into()).and_then(|class| {
        let period = opts
            .application_period
            .map(|p| p.to_string())
            .unwrap_or_default();
        let args = js_sys::Array::new();
        for a in [
            js_sys::Uint8Array::from(crate::data::bundle()).into(),
            JsValue::from_str(&name),
            js_sys::Uint8Array::from(bytes.as_slice()).into(),
            JsValue::from_str(&as_of),
            JsValue::from_bool(opts.compare_all),
            JsValue::from_str(&period),
        ] {
            args.push(&a);
        }
        js_sys::Reflect::construct(class.unchecked_ref::<js_sys::Function>(), &args)
    });
    drop(bytes);
    let job: BatchJob = match job {
        Ok(j) => j.unchecked_into(),
        Err(e) => return report(Phase::Failed(error_text(&e))),
    };
    let total = job.total() as usize;
    let mut done = 0;
    while !job.done() {
        report(Phase::Evaluating { done, total });
        yield_now().await;
        if !current() {
            job.free();
            return;
        }
        done = job.step(BUDGET_MS) as usize;
    }
    let table = match Table::from_bytes(&job.table()) {
        Ok(t) => t,
        Err(e) => return report(Phase::Failed(Text::new(e.clone(), e))),
    };
    let out = BatchOutput {
        file_name: name,
        gb18030: job.gb18030(),
        as_of,
        bad_rows: job.bad_rows() as usize,
        table,
        millis: crate::bench::now_ms() - started,
        job,
    };
    report(Phase::Done(Rc::new(out)));
}
