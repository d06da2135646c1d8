//! Batch evaluation for consultants: a client list (CSV, JSONL or Excel) in, one row per
//! client × district out (CSV or Excel), streamed in chunks of whole lines.
//!
//! Pure (no files, no clock, no threads), so the CLI and the browser share every step:
//!
//! * **Reading** ([`lines`], [`columns`], [`read`]): the format and the text encoding (UTF-8, or
//!   GB18030/GBK as Excel saves plain “CSV” on Chinese Windows) of a file, its lines numbered
//!   as a text editor numbers them, the header resolved against the catalogue (an unknown
//!   column rejects the file with close matches), and one client per line or worksheet row.
//!   Cells are read as the form reads what people type ([`crate::typed`]: `50万`, `三级`,
//!   `2024/05/01`); an empty cell is unknown. A CSV cell cannot span lines: a stray quote makes
//!   its own line a bad row and the next lines are read on their own. A bad row never stops
//!   the batch and is never dropped: it becomes an output row with its errors.
//! * **Evaluating** ([`run`]): [`Batch`] runs each client through the totals path
//!   ([`crate::eval::evaluate_totals`]; no hints, no explanations), chunk by chunk, so a
//!   caller can spread chunks over threads and write them back in input order.
//! * **Writing** ([`write`], [`xlsx`]): the results CSV ([`CSV_COLUMNS`]) or workbook, text
//!   from the input guarded against spreadsheet formulas; and one evaluation's per-clause CSV
//!   ([`clauses_csv`]). [`table`] is what the browser's batch view shows.

pub mod columns;
pub mod lines;
pub mod read;
pub mod run;
pub mod table;
#[cfg(test)]
mod tests;
pub mod write;
#[cfg(feature = "xlsx")]
pub mod xlsx;

pub use columns::{ColumnProblem, Columns, edit_distance};
pub use lines::{
    Chunk, ChunkReader, DecodeFn, Encoding, InputFormat, Lines, ReadError, detect_encoding,
    guess_format,
};
pub use read::{ClientProfile, Reader, RowResult};
pub use run::{Batch, ChunkOut, ClientResult, MAX_LISTED, Outcome, Sink, Summary, Tally};
pub use write::{BOM, CSV_COLUMNS, clauses_csv};

use crate::profile::FieldError;
use crate::text::Text;
use std::fmt;

/// Cells that mean "an empty list" for a date-list fact (an empty cell is unknown).
pub use crate::profile::EMPTY_LIST_WORDS as EMPTY_LIST_CELLS;

/// What is wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// A value the catalogue rejects; the path is the column or the JSON path.
    Field(FieldError),
    /// The row itself is malformed (not JSON, an unclosed quote, more cells than the header,
    /// not text in the file's encoding).
    Malformed(Text),
}

impl RowProblem {
    /// Where: the column or JSON path, `(row)` for the row as a whole.
    pub fn path(&self) -> &str {
        match self {
            RowProblem::Field(f) => &f.path,
            RowProblem::Malformed(_) => "(row)",
        }
    }

    /// The message in both languages.
    pub fn text(&self) -> Text {
        match self {
            RowProblem::Field(f) => f.error.text(),
            RowProblem::Malformed(t) => t.clone(),
        }
    }
}

/// A row that could not be read: its number and every problem in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line (CSV, JSONL) or worksheet row (Excel), 1-based.
    pub row: usize,
    pub id: Option<String>,
    pub name: Option<String>,
    pub problems: Vec<RowProblem>,
}

impl RowError {
    /// A row with one problem and nothing else read.
    pub fn new(row: usize, problem: RowProblem) -> RowError {
        RowError {
            row,
            id: None,
            name: None,
            problems: vec![problem],
        }
    }

    /// `path: message` for every problem, joined with `; `, Chinese then English.
    pub fn summary(&self) -> String {
        summary(&self.problems)
    }
}

/// `path: 中文 / English` for every problem, joined with `; `.
pub fn summary(problems: &[RowProblem]) -> String {
    let parts: Vec<String> = problems
        .iter()
        .map(|p| {
            let t = p.text();
            format!("{}: {} / {}", p.path(), t.zh, t.en)
        })
        .collect();
    parts.join("; ")
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(n) = &self.name {
            write!(f, " ({n})")?;
        }
        for (i, p) in self.problems.iter().enumerate() {
            let sep = if i == 0 { ": " } else { "; " };
            write!(f, "{sep}{}: {}", p.path(), p.text().en)?;
        }
        Ok(())
    }
}

impl std::error::Error for RowError {}

/// A problem with the file as a whole: nothing in it is evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// No header row (CSV, Excel).
    Empty,
    /// A header column is rejected (`position` is 1-based).
    Column {
        column: String,
        position: usize,
        problem: ColumnProblem,
    },
    /// The header line is not text in the file's encoding.
    HeaderNotText,
    /// The header line has a quoted cell that is not closed.
    HeaderQuote,
    /// UTF-16 text (Excel's “Unicode text”).
    Utf16,
    /// GB18030/GBK text, and no decoder for it here.
    NotUtf8,
    /// The workbook cannot be read (not a zip, no worksheet, damaged XML …).
    Workbook(String),
}

impl FileError {
    /// The message in both languages.
    pub fn text(&self) -> Text {
        match self {
            FileError::Empty => {
                Text::new("文件为空：缺少表头行", "the file is empty: no header row")
            }
            FileError::Column {
                column,
                position,
                problem,
            } => column_text(column, *position, problem),
            FileError::HeaderNotText => Text::new(
                "表头行不是可识别的文本（请另存为“CSV UTF-8”）",
                "the header line is not readable text (save as “CSV UTF-8”)",
            ),
            FileError::HeaderQuote => Text::new(
                "表头行的引号未闭合",
                "the header line has a quoted cell that is not closed",
            ),
            FileError::Utf16 => Text::new(
                "文件是 UTF-16 文本（Excel 的“Unicode 文本”）；请另存为“CSV UTF-8”或 .xlsx",
                "the file is UTF-16 text (Excel's “Unicode Text”); save as “CSV UTF-8” or .xlsx",
            ),
            FileError::NotUtf8 => Text::new(
                "文件不是 UTF-8 文本；在 Excel 中请另存为“CSV UTF-8”",
                "the file is not UTF-8 text; in Excel save as “CSV UTF-8”",
            ),
            FileError::Workbook(why) => Text::new(
                format!("无法读取 Excel 工作簿：{why}"),
                format!("cannot read the Excel workbook: {why}"),
            ),
        }
    }
}

fn column_text(column: &str, position: usize, problem: &ColumnProblem) -> Text {
    match problem {
        ColumnProblem::Unknown { suggestions } => {
            let (zh, en) = if suggestions.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!("；是否想写：{}", suggestions.join("、")),
                    format!("; did you mean: {}", suggestions.join(", ")),
                )
            };
            Text::new(
                format!("第 {position} 列“{column}”不是已知的字段{zh}"),
                format!("column {position} `{column}` is not a known fact{en}"),
            )
        }
        ColumnProblem::Duplicate => Text::new(
            format!("第 {position} 列“{column}”重复"),
            format!("column {position} `{column}` appears twice"),
        ),
        ColumnProblem::ItemNumber { max } => Text::new(
            format!("第 {position} 列“{column}”：项目序号应在 1 到 {max} 之间"),
            format!("column {position} `{column}`: the item number must be 1 to {max}"),
        ),
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en)
    }
}

impl std::error::Error for FileError {}
