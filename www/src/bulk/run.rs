//! Running a client list through the rule core in the browser: `butie::batch` as it is (the
//! CLI's reader, evaluator and CSV writer), in chunks that yield to the event loop so the
//! page stays responsive and shows its progress. Nothing leaves the browser.

use std::cell::Cell;
use std::rc::Rc;

use butie::batch::{
    BatchResult, ClientProfile, InputFormat, Outcome, RowError, evaluate_batch, guess_format,
    parse_clients, to_csv,
};
use butie::date::{Date, fmt_date};
use butie::report::{Mode, PolicyState};
use butie::{EvalOptions, PolicySet, Text};
use rust_decimal::Decimal;
use wasm_bindgen::{JsCast, JsValue};

/// Clients evaluated between two checks of the clock.
const SLICE: usize = 200;
/// Work done before yielding to the event loop (ms).
const BUDGET_MS: f64 = 40.0;

/// A client as read (name and id; its figures are in the rows).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientView {
    pub id: Option<String>,
    pub name: Option<String>,
}

/// A row that could not be read or evaluated, with every problem (path, message).
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorView {
    pub row: usize,
    pub client: usize,
    pub problems: Vec<(String, Text)>,
}

/// One line of the table: a client × district, or a client's error.
#[derive(Debug, Clone, PartialEq)]
pub struct RowView {
    /// The input row (CSV data row or JSONL line).
    pub row: usize,
    /// Index into [`BatchOutput::clients`].
    pub client: usize,
    pub figures: Figures,
}

/// What a table line says.
#[derive(Debug, Clone, PartialEq)]
pub enum Figures {
    District {
        /// Index into the policy set's policies.
        policy: usize,
        state: PolicyState,
        definite: Decimal,
        up_to: Decimal,
        if_in_force_up_to: Decimal,
    },
    /// Index into [`BatchOutput::errors`].
    Error(usize),
}

/// A processed client list.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchOutput {
    pub file_name: String,
    pub format: InputFormat,
    pub as_of: String,
    pub compare_all: bool,
    pub clients: Vec<ClientView>,
    pub rows: Vec<RowView>,
    pub errors: Vec<ErrorView>,
    /// Clients whose row could not be read or evaluated.
    pub bad_rows: usize,
    /// The results CSV, byte for byte what `butie batch FILE --out results.csv` writes.
    pub csv: String,
    /// Reading, parsing and evaluating (ms).
    pub millis: f64,
}

/// Collects the chunks' rows, table lines and CSV.
pub struct Accumulator {
    out: BatchOutput,
    mode: Mode,
    as_of: Date,
    body: String,
    last_row: Option<usize>,
}

fn problems(e: &RowError) -> Vec<(String, Text)> {
    e.problems
        .iter()
        .map(|p| (p.path().to_string(), p.text()))
        .collect()
}

impl Accumulator {
    /// An empty result for `opts`.
    pub fn new(file_name: &str, format: InputFormat, opts: &EvalOptions) -> Accumulator {
        Accumulator {
            out: BatchOutput {
                file_name: file_name.to_string(),
                format,
                as_of: fmt_date(opts.as_of),
                compare_all: opts.compare_all,
                clients: Vec::new(),
                rows: Vec::new(),
                errors: Vec::new(),
                bad_rows: 0,
                csv: String::new(),
                millis: 0.0,
            },
            mode: if opts.compare_all {
                Mode::CompareAll
            } else {
                Mode::Registered
            },
            as_of: opts.as_of,
            body: String::new(),
            last_row: None,
        }
    }

    /// Evaluates the next clients (in input order).
    pub fn add(
        &mut self,
        set: &PolicySet,
        rows: &[Result<ClientProfile, RowError>],
        opts: &EvalOptions,
    ) -> Result<(), String> {
        let result = evaluate_batch(set, rows, opts).map_err(|e| e.to_string())?;
        let csv = to_csv(&result, false);
        // Every chunk's CSV starts with the header; the file has it once.
        if let Some((_, body)) = csv.split_once('\n') {
            self.body.push_str(body);
        }
        self.out.bad_rows += result.bad_rows;
        for r in &result.rows {
            if self.last_row != Some(r.row) {
                self.last_row = Some(r.row);
                self.out.clients.push(ClientView {
                    id: r.id.map(str::to_string),
                    name: r.name.map(str::to_string),
                });
            }
            let client = self.out.clients.len().saturating_sub(1);
            let figures = match &r.outcome {
                Outcome::District(d) => Figures::District {
                    policy: set
                        .policies
                        .iter()
                        .position(|p| p.meta.district == d.district)
                        .unwrap_or(usize::MAX),
                    state: d.state,
                    definite: d.totals.definite.0,
                    up_to: d.totals.up_to.0,
                    if_in_force_up_to: d.if_in_force.up_to.0,
                },
                Outcome::Invalid(e) => self.error(r.row, client, problems(e)),
                Outcome::Failed(e) => self.error(
                    r.row,
                    client,
                    vec![(
                        "(row)".to_string(),
                        Text::new(
                            format!("无法计算：{e}"),
                            format!("the evaluation failed: {e}"),
                        ),
                    )],
                ),
            };
            self.out.rows.push(RowView {
                row: r.row,
                client,
                figures,
            });
        }
        Ok(())
    }

    fn error(&mut self, row: usize, client: usize, problems: Vec<(String, Text)>) -> Figures {
        self.out.errors.push(ErrorView {
            row,
            client,
            problems,
        });
        Figures::Error(self.out.errors.len() - 1)
    }

    /// The finished output: the CSV gets its BOM and header.
    pub fn finish(mut self, millis: f64) -> BatchOutput {
        let empty = BatchResult {
            as_of: self.as_of,
            mode: self.mode,
            clients: 0,
            bad_rows: 0,
            rows: Vec::new(),
        };
        let mut csv = to_csv(&empty, true);
        csv.push_str(&self.body);
        self.out.csv = csv;
        self.out.millis = millis;
        self.out
    }
}

/// A file problem (nothing evaluated), in both languages.
fn file_problem(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(zh, en)
}

/// Reads the bytes of an uploaded list as UTF-8 (Excel's plain "CSV" is GBK: say so).
pub fn decode(bytes: Vec<u8>) -> Result<String, Text> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        file_problem(
            format!("文件不是 UTF-8 文本（第 {at} 字节）；在 Excel 中请另存为“CSV UTF-8”"),
            format!("the file is not UTF-8 text (byte {at}); in Excel save as “CSV UTF-8”"),
        )
    })
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

async fn read(source: &Source) -> Result<String, Text> {
    match source {
        Source::Text { text, .. } => Ok(text.to_string()),
        Source::File(file) => {
            let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
                .await
                .map_err(|e| {
                    let reason = crate::export::js_error(&e);
                    file_problem(
                        format!("无法读取文件：{reason}"),
                        format!("cannot read the file: {reason}"),
                    )
                })?;
            decode(js_sys::Uint8Array::new(&buffer).to_vec())
        }
    }
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

/// Reads, parses and evaluates `source`, reporting each phase; gives up silently when
/// `generation` moves on from `mine` (a newer run started).
pub async fn run(
    set: &'static PolicySet,
    source: Source,
    opts: EvalOptions,
    generation: Rc<Cell<u32>>,
    mine: u32,
    report: impl Fn(Phase),
) {
    let current = || generation.get() == mine;
    let started = crate::bench::now_ms();
    report(Phase::Reading);
    let text = match read(&source).await {
        Ok(t) => t,
        Err(e) => return report(Phase::Failed(e)),
    };
    yield_now().await;
    if !current() {
        return;
    }
    let name = source.name();
    let format = guess_format(Some(&name), &text);
    let rows = match parse_clients(&set.catalogue, &text, format) {
        Ok(rows) => rows,
        Err(e) => return report(Phase::Failed(e.text())),
    };
    drop(text);
    let total = rows.len();
    let mut acc = Accumulator::new(&name, format, &opts);
    let mut done = 0;
    while done < total {
        report(Phase::Evaluating { done, total });
        yield_now().await;
        if !current() {
            return;
        }
        let slice_start = crate::bench::now_ms();
        while done < total && crate::bench::now_ms() - slice_start < BUDGET_MS {
            let end = (done + SLICE).min(total);
            let chunk = rows.get(done..end).unwrap_or_default();
            if let Err(e) = acc.add(set, chunk, &opts) {
                return report(Phase::Failed(Text::new(e.clone(), e)));
            }
            done = end;
        }
    }
    let millis = crate::bench::now_ms() - started;
    report(Phase::Done(Rc::new(acc.finish(millis))));
}

#[cfg(test)]
mod tests {
    use super::*;
    use butie::batch::{evaluate_batch, parse_clients, to_csv};

    const CLIENTS: &str = include_str!("../../../docs/examples/clients.csv");

    #[test]
    fn chunks_give_the_cli_csv() {
        let set = crate::data::policy_set().unwrap();
        let opts = EvalOptions::new(butie::date::parse_date("2026-11-21").unwrap());
        let rows = parse_clients(&set.catalogue, CLIENTS, InputFormat::Csv).unwrap();
        let whole = to_csv(&evaluate_batch(set, &rows, &opts).unwrap(), true);
        for size in [1, 2, 4, 100] {
            let mut acc = Accumulator::new("clients.csv", InputFormat::Csv, &opts);
            for chunk in rows.chunks(size) {
                acc.add(set, chunk, &opts).unwrap();
            }
            let out = acc.finish(1.0);
            assert_eq!(out.csv, whole, "chunks of {size}");
            assert_eq!(out.clients.len(), 6);
            assert_eq!(out.bad_rows, 1);
            assert_eq!(out.errors.len(), 1);
            assert_eq!(out.errors[0].row, 5);
            assert_eq!(out.rows.len(), 5 * set.policies.len() + 1);
            let paths: Vec<&str> = out.errors[0]
                .problems
                .iter()
                .map(|p| p.0.as_str())
                .collect();
            assert_eq!(paths, ["annual_revenue", "cmmi_level", "cmmi_issued_on"]);
        }
        let empty = Accumulator::new("x.csv", InputFormat::Csv, &opts).finish(0.0);
        assert!(empty.csv.starts_with("\u{feff}row,id,name,"));
        assert_eq!(empty.csv.lines().count(), 1);
    }

    #[test]
    fn refuses_non_utf8() {
        assert_eq!(decode(b"name\n".to_vec()).unwrap(), "name\n");
        let e = decode(vec![b'a', 0xb2, 0xe2]).unwrap_err();
        assert!(e.en.contains("byte 1"), "{}", e.en);
    }
}
