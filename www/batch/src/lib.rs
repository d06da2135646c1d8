//! The page's second WebAssembly module, inside the single file and instantiated on first use,
//! so that what only some users need costs nothing on the way to the first results: reading
//! client lists (CSV, JSONL, Excel), the batch driver and the workbook writer (when the batch
//! view opens), and policy packs (`packs.rs`: reading and adding them, the list in use, the
//! user's stored packs and the page's Policy packs view; when a pack is there or the view opens).
//!
//! The page hands it the policy bundle it already holds and the bytes of a list; a [`Job`]
//! evaluates the list a slice at a time (the page yields between slices to paint its progress)
//! with `butie::batch`, exactly as `butie batch` does, and gives back the table (postcard
//! bytes of [`butie::batch::table::Table`]), the results CSV and the results workbook, and
//! any row's profile again (JSON) for the single view.

use std::cell::RefCell;
use std::io::Cursor;
use std::rc::Rc;

use butie::batch::table::Table;
use butie::batch::xlsx::{ResultsWriter, SheetRows, csv_workbook};
use butie::batch::{
    Batch, ChunkReader, ClientResult, Encoding, FileError, InputFormat, Reader, Sink, guess_format,
};
use butie::profile::ProfileTextError;
use butie::{EvalOptions, Lang, PolicySet, Text};
use wasm_bindgen::prelude::*;

mod packs;

/// CSV or JSONL bytes per slice: a few hundred clients, a few tens of milliseconds.
const SLICE_BYTES: usize = 48 * 1024;
/// Worksheet rows per slice.
const SLICE_ROWS: usize = 250;

thread_local! {
    /// The policy set last handed over (its bundle, decoded once); kept for the page's
    /// lifetime, as jobs borrow it. A new bundle (packs added or removed) is decoded again.
    static SET: RefCell<Option<(Vec<u8>, &'static PolicySet)>> = const { RefCell::new(None) };
}

/// An error for the page: `{zh, en}` as JSON text.
fn js_error(t: &Text) -> JsValue {
    let json = format!(
        "{{\"zh\":{},\"en\":{}}}",
        json_string(&t.zh),
        json_string(&t.en)
    );
    JsValue::from_str(&json)
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn file_error(e: &FileError) -> JsValue {
    js_error(&e.text())
}

fn policy_set(bundle: &[u8]) -> Result<&'static PolicySet, JsValue> {
    SET.with(|cell| {
        let mut cell = cell.borrow_mut();
        if let Some((bytes, set)) = cell.as_ref()
            && bytes.as_slice() == bundle
        {
            return Ok(*set);
        }
        let set = PolicySet::from_bytes(bundle).map_err(|e| {
            let t = e.to_string();
            js_error(&Text::new(t.clone(), t))
        })?;
        let set: &'static PolicySet = Box::leak(Box::new(set));
        *cell = Some((bundle.to_vec(), set));
        Ok(set)
    })
}

/// GB18030 (GBK) through the browser's `TextDecoder` (fatal: bad bytes are a bad row).
#[cfg(target_arch = "wasm32")]
fn gb18030(bytes: &[u8]) -> Option<String> {
    thread_local! {
        static DECODER: Option<web_sys::TextDecoder> = {
            let options = web_sys::TextDecoderOptions::new();
            options.set_fatal(true);
            web_sys::TextDecoder::new_with_label_and_options("gb18030", &options).ok()
        };
    }
    DECODER.with(|d| d.as_ref()?.decode_with_u8_array(bytes).ok())
}

/// Natively (tests) there is no `TextDecoder`.
#[cfg(not(target_arch = "wasm32"))]
fn gb18030(_bytes: &[u8]) -> Option<String> {
    None
}

/// Milliseconds of a monotonic-enough clock.
#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    std::time::UNIX_EPOCH
        .elapsed()
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default()
}

/// Where the rows come from.
enum Source {
    Text {
        chunks: ChunkReader<Cursor<Rc<[u8]>>>,
        reader: Reader<'static>,
        header: usize,
        next: Option<butie::batch::Chunk>,
    },
    Rows {
        reader: Reader<'static>,
        rows: std::vec::IntoIter<(usize, Vec<String>)>,
    },
}

/// One list being evaluated.
#[wasm_bindgen]
pub struct Job {
    batch: Batch<'static>,
    /// The list as given (a row's profile is read again from it).
    bytes: Rc<[u8]>,
    source: Source,
    format: InputFormat,
    encoding: Encoding,
    /// Lines or rows in the input (for the progress bar).
    total: u32,
    seq: usize,
    done: bool,
    results: Vec<ClientResult<'static>>,
    csv: String,
    table: Table,
    bad_rows: u32,
}

#[wasm_bindgen]
impl Job {
    /// Opens a list: `bundle` is the page's policy bundle, `as_of` `YYYY-MM-DD`. Throws
    /// `{zh, en}` (JSON text) when the file as a whole cannot be used.
    #[wasm_bindgen(constructor)]
    pub fn new(
        bundle: &[u8],
        file_name: &str,
        bytes: Vec<u8>,
        as_of: &str,
        compare_all: bool,
        application_period: &str,
    ) -> Result<Job, JsValue> {
        let set = policy_set(bundle)?;
        let date = butie::date::parse_date(as_of)
            .ok_or_else(|| js_error(&Text::new("日期无效", "not a date")))?;
        let application_period = match application_period {
            "" => None,
            typed => Some(butie::date::Period::parse(typed).map_err(|e| js_error(&e.text()))?),
        };
        let opts = EvalOptions {
            compare_all,
            application_period,
            ..EvalOptions::new(date)
        };
        let batch = Batch::new(set, &opts).map_err(|e| {
            let t = e.to_string();
            js_error(&Text::new(t.clone(), t))
        })?;
        let format = guess_format(Some(file_name), &bytes);
        let bytes: Rc<[u8]> = Rc::from(bytes);
        let mut csv = String::new();
        butie::batch::write::csv_header(&mut csv, true);
        let (source, encoding, total) = if format == InputFormat::Xlsx {
            let mut sheet = SheetRows::open(&bytes).map_err(|e| file_error(&e))?;
            let reader = sheet.reader(&set.catalogue).map_err(|e| file_error(&e))?;
            let mut rows = Vec::new();
            loop {
                let more = sheet.next_rows(4096).map_err(|e| file_error(&e))?;
                if more.is_empty() {
                    break;
                }
                rows.extend(more);
            }
            let total = rows.len() as u32;
            let source = Source::Rows {
                reader,
                rows: rows.into_iter(),
            };
            (source, Encoding::Utf8, total)
        } else {
            let total = butie::batch::Lines::new(&bytes, 1).count() as u32;
            let mut chunks = ChunkReader::new(Cursor::new(bytes.clone()), SLICE_BYTES);
            let first = chunks.next_chunk().ok().flatten().unwrap_or_default();
            let (reader, header) = Reader::open(&set.catalogue, format, &first, Some(gb18030))
                .map_err(|e| file_error(&e))?;
            let encoding = reader.encoding();
            let source = Source::Text {
                chunks,
                reader,
                header,
                next: Some(first),
            };
            (source, encoding, total.saturating_sub(1).max(1))
        };
        Ok(Job {
            batch,
            bytes,
            source,
            format,
            encoding,
            total,
            seq: 0,
            done: false,
            results: Vec::new(),
            csv,
            table: Table::default(),
            bad_rows: 0,
        })
    }

    /// Evaluates the next slices until `budget_ms` have passed; returns the clients done.
    pub fn step(&mut self, budget_ms: f64) -> u32 {
        let started = now_ms();
        while !self.done && now_ms() - started < budget_ms {
            let out = match &mut self.source {
                Source::Text {
                    chunks,
                    reader,
                    header,
                    next,
                } => match next.take() {
                    Some(chunk) => {
                        *next = chunks.next_chunk().ok().flatten();
                        self.batch.lines(reader, &chunk, *header, Sink::Keep)
                    }
                    None => {
                        self.done = true;
                        break;
                    }
                },
                Source::Rows { reader, rows } => {
                    let slice: Vec<_> = rows.by_ref().take(SLICE_ROWS).collect();
                    if slice.is_empty() {
                        self.done = true;
                        break;
                    }
                    self.batch.rows(reader, self.seq, slice, Sink::Keep)
                }
            };
            self.seq += 1;
            self.bad_rows += out.tally.bad_rows as u32;
            for c in out.kept {
                butie::batch::write::csv_client(&mut self.csv, &self.batch, &c);
                self.table.add(self.batch.set, &c, self.batch.mode());
                self.results.push(c);
            }
        }
        self.results.len() as u32
    }

    /// Whether every client has been evaluated.
    pub fn done(&self) -> bool {
        self.done
    }

    /// Lines (or rows) in the list: the progress bar's end, an estimate (blank lines count).
    pub fn total(&self) -> u32 {
        self.total
    }

    /// Clients that could not be read or evaluated.
    pub fn bad_rows(&self) -> u32 {
        self.bad_rows
    }

    /// `CSV`, `JSONL` or `Excel (.xlsx)`.
    pub fn format(&self) -> String {
        self.format.name().to_string()
    }

    /// Whether the list was GB18030 (GBK) text.
    pub fn gb18030(&self) -> bool {
        self.encoding == Encoding::Gb18030
    }

    /// The table (postcard bytes of `butie::batch::table::Table`).
    pub fn table(&self) -> Vec<u8> {
        self.table.to_bytes()
    }

    /// The results CSV, byte for byte what `butie batch FILE --out results.csv` writes.
    pub fn csv(&self) -> Vec<u8> {
        self.csv.as_bytes().to_vec()
    }

    /// The profile on line (or worksheet row) `row`, as profile JSON text, read again from the
    /// list (the batch keeps no profiles). Throws `{zh, en}` when the row holds no client.
    pub fn profile(&self, row: usize) -> Result<String, JsValue> {
        let found = match &self.source {
            Source::Text { reader, .. } => butie::batch::Lines::new(&self.bytes, 1)
                .find(|(n, _)| *n == row)
                .and_then(|(n, line)| reader.line(n, line)),
            Source::Rows { reader, .. } => {
                let mut sheet = SheetRows::open(&self.bytes).map_err(|e| file_error(&e))?;
                sheet
                    .reader(&self.batch.set.catalogue)
                    .map_err(|e| file_error(&e))?;
                let mut found = None;
                while found.is_none() {
                    let more = sheet.next_rows(4096).map_err(|e| file_error(&e))?;
                    if more.is_empty() {
                        break;
                    }
                    found = more.into_iter().find(|(n, _)| *n == row);
                }
                found.and_then(|(n, cells)| reader.row_cells(n, cells.iter().map(String::as_str)))
            }
        };
        match found {
            Some(Ok(client)) => Ok(client
                .profile
                .to_json(&self.batch.set.catalogue)
                .to_string()),
            _ => Err(js_error(&Text::new(
                format!("第 {row} 行没有可读取的客户"),
                format!("row {row} holds no client that can be read"),
            ))),
        }
    }

    /// The results workbook, row for row what `butie batch FILE --out results.xlsx` writes.
    pub fn xlsx(&self) -> Result<Vec<u8>, JsValue> {
        let fail = |e: std::io::Error| {
            let t = e.to_string();
            js_error(&Text::new(t.clone(), t))
        };
        let mut w = ResultsWriter::new(Vec::new()).map_err(fail)?;
        for c in &self.results {
            w.client(&self.batch, c).map_err(fail)?;
        }
        w.finish().map_err(fail)
    }
}

/// A CSV client list as a workbook (the example list offered as `.xlsx`).
#[wasm_bindgen]
pub fn csv_to_xlsx(csv: &str) -> Result<Vec<u8>, JsValue> {
    csv_workbook("clients", csv).map_err(|e| {
        let t = e.to_string();
        js_error(&Text::new(t.clone(), t))
    })
}

/// The policy calendar for `as_of` (`YYYY-MM-DD`) in `lang` (`zh` or `en`), `stamp` Unix seconds:
/// the file `butie calendar --as-of DATE` writes. Made here, on the first click, so that the
/// page's first module does not carry the calendar writer. Throws `{zh, en}` JSON text.
#[wasm_bindgen]
pub fn calendar_ics(bundle: &[u8], as_of: &str, stamp: f64, lang: &str) -> Result<String, JsValue> {
    let set = policy_set(bundle)?;
    let as_of = butie::date::parse_as_of(as_of).map_err(|e| js_error(&e.text()))?;
    let lang = if lang == "en" { Lang::En } else { Lang::Zh };
    butie::calendar::ics(set, as_of, stamp as i64, lang).map_err(|e| js_error(&e.text()))
}

/// The results of one profile as the CLI writes them, made here on the first click so that the
/// page's first module carries neither the result JSON writer nor the CSV writer: `format`
/// `csv` (`butie evaluate --csv`, with a BOM for spreadsheets) or `json` (the result contract,
/// pretty). `profile` is profile JSON; the options are the page's evaluation options as they
/// are (`as_of` `YYYY-MM-DD`, `districts` none for all, an empty list for none). Throws
/// `{zh, en}` JSON text.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn results_file(
    bundle: &[u8],
    profile: &str,
    as_of: &str,
    districts: Option<Vec<String>>,
    compare_all: bool,
    application_period: &str,
    hints: bool,
    format: &str,
) -> Result<String, JsValue> {
    let set = policy_set(bundle)?;
    let fail = |why: String| js_error(&Text::new(why.clone(), why));
    let profile = butie::Profile::from_json_str(&set.catalogue, profile).map_err(|e| match e {
        ProfileTextError::Syntax(e) => fail(e.to_string()),
        ProfileTextError::Fields(fields) => fail(
            fields
                .iter()
                .map(|f| format!("{}: {}", f.path, f.error.text().en))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    })?;
    let as_of = butie::date::parse_as_of(as_of).map_err(|e| js_error(&e.text()))?;
    let application_period = match application_period {
        "" => None,
        typed => Some(butie::date::Period::parse(typed).map_err(|e| js_error(&e.text()))?),
    };
    let opts = EvalOptions {
        districts,
        compare_all,
        application_period,
        hints,
        ..EvalOptions::new(as_of)
    };
    let report = butie::evaluate(set, &profile, &opts).map_err(|e| fail(e.to_string()))?;
    match format {
        "csv" => Ok(butie::batch::clauses_csv(set, &report, true)),
        _ => serde_json::to_string_pretty(&report).map_err(|e| fail(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_json() {
        assert_eq!(json_string("a\"b\\c\n上"), "\"a\\\"b\\\\c\\u000a上\"");
    }
}
