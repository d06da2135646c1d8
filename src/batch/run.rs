//! The evaluation driver: each client through the totals path, chunk by chunk, in input order;
//! per chunk the output (CSV text, or the results kept for a workbook or a table) and a tally.
//! A caller may evaluate chunks on several threads and write them back by [`ChunkOut::seq`].

use super::lines::{Chunk, ChunkReader, DecodeFn, InputFormat, guess_format};
use super::read::{Reader, RowResult};
use super::write::{csv_client, csv_header, policy_cells};
use super::{Encoding, FileError, RowError, RowProblem};
use crate::date::Date;
use crate::eval::{DistrictTotals, EvalError, EvalOptions, TotalsPlan};
use crate::report::Mode;
use crate::set::PolicySet;

/// Bad rows a summary lists by name (the output has them all).
pub const MAX_LISTED: usize = 50;

/// What one client gave.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientResult<'s> {
    /// The line (CSV, JSONL) or worksheet row (Excel), 1-based.
    pub row: usize,
    pub id: Option<String>,
    pub name: Option<String>,
    /// The district the client is registered in (a value id), when given.
    pub registered: Option<&'s str>,
    pub outcome: Outcome<'s>,
}

/// The figures of a client, or why there are none.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<'s> {
    /// One entry per district evaluated, in policy order.
    Districts(Vec<DistrictTotals<'s>>),
    /// The row could not be read.
    Invalid(Vec<RowProblem>),
    /// The evaluation failed (arithmetic overflow on absurd inputs).
    Failed(EvalError),
}

impl ClientResult<'_> {
    /// Whether the client has no figures.
    pub fn is_bad(&self) -> bool {
        !matches!(self.outcome, Outcome::Districts(_))
    }

    /// How many output rows it gives: one per district, or one error row.
    pub fn output_rows(&self) -> usize {
        match &self.outcome {
            Outcome::Districts(d) => d.len(),
            _ => 1,
        }
    }

    /// The problems of a bad client, as a row error.
    pub fn row_error(&self) -> Option<RowError> {
        let problems = match &self.outcome {
            Outcome::Districts(_) => return None,
            Outcome::Invalid(p) => p.clone(),
            Outcome::Failed(e) => vec![RowProblem::Malformed(crate::Text::new(
                format!("无法计算：{e}"),
                format!("the evaluation failed: {e}"),
            ))],
        };
        Some(RowError {
            row: self.row,
            id: self.id.clone(),
            name: self.name.clone(),
            problems,
        })
    }
}

/// Where a chunk's results go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sink {
    /// Written as results CSV rows ([`ChunkOut::csv`]).
    Csv,
    /// Kept as they are ([`ChunkOut::kept`]): for a workbook or a table.
    Keep,
}

/// Counts over a chunk or a whole list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Clients read (good and bad).
    pub clients: usize,
    /// Clients without figures (the row could not be read or evaluated).
    pub bad_rows: usize,
    /// Output rows: one per client and district, one per bad client.
    pub output_rows: usize,
}

/// One chunk evaluated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChunkOut<'s> {
    /// The chunk's sequence number: write outputs in this order.
    pub seq: usize,
    /// Results CSV rows ([`Sink::Csv`]).
    pub csv: String,
    /// The results ([`Sink::Keep`]).
    pub kept: Vec<ClientResult<'s>>,
    pub tally: Tally,
    /// The first [`MAX_LISTED`] bad rows.
    pub listed: Vec<RowError>,
}

/// A whole list: what was read and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub format: InputFormat,
    /// The text encoding (CSV, JSONL); Excel is always Unicode.
    pub encoding: Encoding,
    pub tally: Tally,
    /// The first [`MAX_LISTED`] bad rows, in input order.
    pub listed: Vec<RowError>,
}

impl Summary {
    /// Nothing counted yet.
    pub fn new(format: InputFormat, encoding: Encoding) -> Summary {
        Summary {
            format,
            encoding,
            tally: Tally::default(),
            listed: Vec::new(),
        }
    }

    /// Adds a chunk (call in sequence order).
    pub fn add(&mut self, out: &ChunkOut) {
        self.tally.clients += out.tally.clients;
        self.tally.bad_rows += out.tally.bad_rows;
        self.tally.output_rows += out.tally.output_rows;
        let room = MAX_LISTED.saturating_sub(self.listed.len());
        self.listed.extend(out.listed.iter().take(room).cloned());
    }
}

/// A batch: the policy set and the options every client is evaluated with.
#[derive(Debug, Clone)]
pub struct Batch<'s> {
    pub set: &'s PolicySet,
    opts: EvalOptions,
    /// The documents evaluated and their lifecycles, worked out once.
    plan: TotalsPlan<'s>,
    /// Per district evaluated, in policy order: the policy id and its constant CSV cells.
    pub(crate) policies: Vec<(&'s str, String)>,
}

impl<'s> Batch<'s> {
    /// A batch with `opts` (hints and explanations are switched off for speed). Fails only for
    /// an unknown district in `opts.districts`.
    pub fn new(set: &'s PolicySet, opts: &EvalOptions) -> Result<Batch<'s>, EvalError> {
        let opts = EvalOptions {
            hints: false,
            explain: false,
            ..opts.clone()
        };
        let plan = TotalsPlan::new(set, &opts)?;
        let policies = set
            .policies
            .iter()
            .filter(|p| {
                opts.districts
                    .as_ref()
                    .is_none_or(|ds| ds.contains(&p.meta.district))
            })
            .map(|p| (p.meta.id.as_str(), policy_cells(set, p, opts.as_of)))
            .collect();
        Ok(Batch {
            set,
            opts,
            plan,
            policies,
        })
    }

    /// The evaluation date.
    pub fn as_of(&self) -> Date {
        self.opts.as_of
    }

    /// Registered or compare-all.
    pub fn mode(&self) -> Mode {
        if self.opts.compare_all {
            Mode::CompareAll
        } else {
            Mode::Registered
        }
    }

    /// Evaluates one row.
    pub fn evaluate(&self, r: RowResult) -> ClientResult<'s> {
        match r {
            Err(e) => ClientResult {
                row: e.row,
                id: e.id,
                name: e.name,
                registered: None,
                outcome: Outcome::Invalid(e.problems),
            },
            Ok(c) => {
                let outcome = match self.plan.evaluate(&c.profile) {
                    Ok(t) => Outcome::Districts(t.districts),
                    Err(e) => Outcome::Failed(e),
                };
                ClientResult {
                    row: c.row,
                    id: c.id,
                    registered: self.set.catalogue.registered_district(&c.profile),
                    name: c.profile.name,
                    outcome,
                }
            }
        }
    }

    /// Evaluates the lines of a CSV or JSONL chunk, skipping lines up to `header_line` (the
    /// header, and blank lines before it).
    pub fn lines(
        &self,
        reader: &Reader,
        chunk: &Chunk,
        header_line: usize,
        sink: Sink,
    ) -> ChunkOut<'s> {
        let mut out = ChunkOut {
            seq: chunk.seq,
            ..ChunkOut::default()
        };
        if sink == Sink::Csv {
            // Each client's input line gives about three times its length in output.
            out.csv.reserve(chunk.bytes.len() * 3 + 1024);
        }
        let mut order = crate::json::KeyOrder::default();
        for (n, line) in chunk.lines() {
            if n <= header_line {
                continue;
            }
            if let Some(r) = reader.line_in(n, line, &mut order) {
                self.push(&mut out, r, sink);
            }
        }
        out
    }

    /// Evaluates worksheet rows (`(row number, cells)`), as one chunk numbered `seq`.
    pub fn rows<S: AsRef<str>>(
        &self,
        reader: &Reader,
        seq: usize,
        rows: impl IntoIterator<Item = (usize, Vec<S>)>,
        sink: Sink,
    ) -> ChunkOut<'s> {
        let mut out = ChunkOut {
            seq,
            ..ChunkOut::default()
        };
        for (n, cells) in rows {
            if let Some(r) = reader.row_cells(n, cells.iter().map(AsRef::as_ref)) {
                self.push(&mut out, r, sink);
            }
        }
        out
    }

    fn push(&self, out: &mut ChunkOut<'s>, r: RowResult, sink: Sink) {
        let c = self.evaluate(r);
        out.tally.clients += 1;
        out.tally.output_rows += c.output_rows();
        if c.is_bad() {
            out.tally.bad_rows += 1;
            if out.listed.len() < MAX_LISTED {
                out.listed.extend(c.row_error());
            }
        }
        match sink {
            Sink::Csv => csv_client(&mut out.csv, self, &c),
            Sink::Keep => out.kept.push(c),
        }
    }

    /// Runs a whole list held in memory (tests, the browser, small lists), one chunk after
    /// another: the summary and every chunk's output. With [`Sink::Csv`] the chunks' `csv`
    /// joined after [`csv_header`] is the results file.
    pub fn run_bytes(
        &self,
        file_name: Option<&str>,
        bytes: &[u8],
        gb18030: Option<DecodeFn>,
        sink: Sink,
    ) -> Result<(Summary, Vec<ChunkOut<'s>>), FileError> {
        let format = guess_format(file_name, bytes);
        if format == InputFormat::Xlsx {
            return self.run_workbook(bytes, sink);
        }
        let mut chunks = ChunkReader::new(bytes, CHUNK_BYTES);
        let Some(first) = chunks.next_chunk().unwrap_or_default() else {
            return Reader::open(&self.set.catalogue, format, &Chunk::default(), gb18030)
                .map(|_| (Summary::new(format, Encoding::Utf8), Vec::new()));
        };
        let (reader, header) = Reader::open(&self.set.catalogue, format, &first, gb18030)?;
        let mut summary = Summary::new(format, reader.encoding());
        let mut outs = Vec::new();
        let mut next = Some(first);
        while let Some(chunk) = next {
            let out = self.lines(&reader, &chunk, header, sink);
            summary.add(&out);
            outs.push(out);
            next = chunks.next_chunk().unwrap_or_default();
        }
        Ok((summary, outs))
    }

    #[cfg(feature = "xlsx")]
    fn run_workbook(
        &self,
        bytes: &[u8],
        sink: Sink,
    ) -> Result<(Summary, Vec<ChunkOut<'s>>), FileError> {
        let mut rows = super::xlsx::read::SheetRows::open(bytes)?;
        let reader = rows.reader(&self.set.catalogue)?;
        let mut summary = Summary::new(InputFormat::Xlsx, Encoding::Utf8);
        let mut outs = Vec::new();
        loop {
            let batch = rows.next_rows(CHUNK_ROWS)?;
            if batch.is_empty() {
                break;
            }
            let out = self.rows(&reader, outs.len(), batch, sink);
            summary.add(&out);
            outs.push(out);
        }
        Ok((summary, outs))
    }

    #[cfg(not(feature = "xlsx"))]
    fn run_workbook(
        &self,
        _bytes: &[u8],
        _sink: Sink,
    ) -> Result<(Summary, Vec<ChunkOut<'s>>), FileError> {
        Err(FileError::Workbook(
            "this build reads no Excel files".to_string(),
        ))
    }

    /// The whole results CSV of a list held in memory (see [`Batch::run_bytes`]).
    pub fn csv_of(
        &self,
        file_name: Option<&str>,
        bytes: &[u8],
        gb18030: Option<DecodeFn>,
        bom: bool,
    ) -> Result<(Summary, String), FileError> {
        let (summary, outs) = self.run_bytes(file_name, bytes, gb18030, Sink::Csv)?;
        let mut csv = String::new();
        csv_header(&mut csv, bom);
        for o in outs {
            csv.push_str(&o.csv);
        }
        Ok((summary, csv))
    }
}

/// About how many bytes of CSV or JSONL make a chunk (a few thousand clients).
pub const CHUNK_BYTES: usize = 512 * 1024;
/// Worksheet rows per chunk.
pub const CHUNK_ROWS: usize = 2048;
