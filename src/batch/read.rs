//! One client from one row: a CSV line, an Excel row or a JSONL line. A row that cannot be
//! read becomes a [`RowError`] naming every problem; it never takes other rows with it
//! (a CSV cell cannot span lines, so a stray quote spoils only its own line).

use super::columns::{Col, Columns};
use super::lines::{
    Chunk, DecodeFn, Encoding, InputFormat, SNIFF_BYTES, UTF8_BOM, detect_encoding,
};
use super::{FileError, RowError, RowProblem};
use crate::catalogue::{Catalogue, ListId};
use crate::json::KeyOrder;
use crate::profile::{EMPTY_LIST_WORDS, FieldError, Item, MAX_TEXT_CHARS, Profile, ValueError};
use crate::text::Text;
use crate::typed::{MoneyUnit, parse_typed, trim};
use serde_json::Value as Json;
use std::borrow::Cow;

/// One client read from the list.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientProfile {
    /// The line in the file (CSV, JSONL) or the worksheet row (Excel), 1-based.
    pub row: usize,
    pub id: Option<String>,
    /// The client's name is `profile.name`.
    pub profile: Profile,
}

/// A row read: a client or the row's errors.
pub type RowResult = Result<ClientProfile, RowError>;

/// Reads the rows of one file: its format, encoding and (CSV, Excel) header.
#[derive(Debug, Clone)]
pub struct Reader<'c> {
    cat: &'c Catalogue,
    format: InputFormat,
    encoding: Encoding,
    gb18030: Option<DecodeFn>,
    columns: Option<Columns>,
}

impl<'c> Reader<'c> {
    /// The reader of a CSV or JSONL file, from its first chunk: the encoding (from the first
    /// bytes) and, for CSV, the header (the first line that is not blank). Also returns the
    /// header's line number (0 for JSONL), so that [`super::Batch::lines`] skips it.
    pub fn open(
        cat: &'c Catalogue,
        format: InputFormat,
        first: &Chunk,
        gb18030: Option<DecodeFn>,
    ) -> Result<(Self, usize), FileError> {
        let head = &first.bytes[..first.bytes.len().min(SNIFF_BYTES)];
        let encoding = detect_encoding(head)?;
        if encoding == Encoding::Gb18030 && gb18030.is_none() {
            return Err(FileError::NotUtf8);
        }
        match format {
            InputFormat::Jsonl => Ok((Reader::jsonl(cat, encoding, gb18030), 0)),
            InputFormat::Xlsx => Err(FileError::Workbook(
                "the file is a workbook, not text".to_string(),
            )),
            InputFormat::Csv => {
                let (n, line) = first
                    .lines()
                    .find(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
                    .ok_or(FileError::Empty)?;
                let line = line.strip_prefix(UTF8_BOM).unwrap_or(line);
                Ok((Reader::csv(cat, line, encoding, gb18030)?, n))
            }
        }
    }

    /// A reader for JSONL lines.
    pub fn jsonl(cat: &'c Catalogue, encoding: Encoding, gb18030: Option<DecodeFn>) -> Self {
        Reader {
            cat,
            format: InputFormat::Jsonl,
            encoding,
            gb18030,
            columns: None,
        }
    }

    /// A reader for CSV lines under `header` (the header line, without its line end).
    pub fn csv(
        cat: &'c Catalogue,
        header: &[u8],
        encoding: Encoding,
        gb18030: Option<DecodeFn>,
    ) -> Result<Self, FileError> {
        let mut r = Reader {
            cat,
            format: InputFormat::Csv,
            encoding,
            gb18030,
            columns: None,
        };
        let text = r.decode(header).map_err(|_| FileError::HeaderNotText)?;
        let cells = split_csv_line(&text).map_err(|_| FileError::HeaderQuote)?;
        let cells: Vec<&str> = cells.iter().map(|c| trim(c)).collect();
        r.columns = Some(Columns::resolve(cat, &cells)?);
        Ok(r)
    }

    /// A reader for worksheet rows under `header` (the header row's cells).
    pub fn cells<S: AsRef<str>>(cat: &'c Catalogue, header: &[S]) -> Result<Self, FileError> {
        Ok(Reader {
            cat,
            format: InputFormat::Xlsx,
            encoding: Encoding::Utf8,
            gb18030: None,
            columns: Some(Columns::resolve(cat, header)?),
        })
    }

    /// The file's format.
    pub fn format(&self) -> InputFormat {
        self.format
    }

    /// The file's text encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The line as text, in the file's encoding.
    fn decode<'l>(&self, line: &'l [u8]) -> Result<Cow<'l, str>, RowProblem> {
        if self.encoding == Encoding::Gb18030 && !line.is_ascii() {
            return match self.gb18030.and_then(|f| f(line)) {
                Some(s) => Ok(Cow::Owned(s)),
                None => Err(RowProblem::Malformed(Text::new(
                    "此行含有不是 GB18030（GBK）文本的字节",
                    "this line has bytes that are not GB18030 (GBK) text",
                ))),
            };
        }
        std::str::from_utf8(line).map(Cow::Borrowed).map_err(|e| {
            let at = e.valid_up_to() + 1;
            RowProblem::Malformed(Text::new(
                format!("此行不是 UTF-8 文本（第 {at} 字节）"),
                format!("this line is not UTF-8 text (byte {at})"),
            ))
        })
    }

    /// The client on a CSV or JSONL line (`row` = its line number); `None` for a blank line.
    pub fn line(&self, row: usize, line: &[u8]) -> Option<RowResult> {
        self.line_in(row, line, &mut KeyOrder::default())
    }

    /// [`Reader::line`] for one line after another: JSONL keys are looked up in the order of
    /// the earlier lines first (see [`KeyOrder`]).
    pub fn line_in(&self, row: usize, line: &[u8], order: &mut KeyOrder) -> Option<RowResult> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        let text = match self.decode(line) {
            Ok(t) => t,
            Err(p) => return Some(Err(RowError::new(row, p))),
        };
        match &self.columns {
            Some(cols) => self.client(cols, row, csv_cells(&text)),
            None => Some(json_line(self.cat, &text, row, order)),
        }
    }

    /// The client on a worksheet row (`row` = the sheet's row number), cells by column index;
    /// `None` for an empty row.
    pub fn row_cells<'s>(
        &self,
        row: usize,
        cells: impl IntoIterator<Item = &'s str>,
    ) -> Option<RowResult> {
        let cols = self.columns.as_ref()?;
        self.client(cols, row, cells.into_iter().map(|c| Ok(Cow::Borrowed(c))))
    }

    fn client<'s>(
        &self,
        h: &Columns,
        row: usize,
        cells: impl Iterator<Item = Result<Cow<'s, str>, UnclosedQuote>>,
    ) -> Option<RowResult> {
        let cat = self.cat;
        let mut profile = Profile::empty(cat);
        let mut items: Vec<Item> = h
            .slots
            .iter()
            .map(|&(l, _)| vec![None; cat.lists[l as usize].fields.len()])
            .collect();
        let (mut id, mut problems, mut any) = (None, Vec::new(), false);
        // Lists the row answers "none" (their own column says `无`).
        let mut none: Vec<(ListId, &str)> = Vec::new();
        for (i, cell) in cells.enumerate() {
            let Ok(cell) = cell else {
                return Some(Err(RowError::new(row, unclosed_quote())));
            };
            let cell = trim(&cell);
            if cell.is_empty() {
                continue;
            }
            any = true;
            let Some(&col) = h.cols.get(i) else {
                problems.push(extra_cells(h.cols.len()));
                break;
            };
            let path = h.names[i].as_str();
            let field_err = |error| {
                RowProblem::Field(FieldError {
                    path: path.to_string(),
                    error,
                })
            };
            match col {
                Col::Name => profile.name = check_text(path, cell, &mut problems),
                Col::Id => id = check_text(path, cell, &mut problems),
                Col::Blank => problems.push(field_err(ValueError::UnknownField)),
                Col::List(l) if EMPTY_LIST_WORDS.contains(&cell) => none.push((l, path)),
                Col::List(_) => problems.push(field_err(ValueError::ListAnswer)),
                Col::Fact(f) => match parse_typed(&cat.facts[f as usize], cell, MoneyUnit::Yuan) {
                    Ok(v) => profile.facts[f as usize] = v,
                    Err(e) => problems.push(field_err(e)),
                },
                Col::Field { list, field, slot } => {
                    let def = &cat.lists[list as usize].fields[field as usize];
                    match parse_typed(def, cell, MoneyUnit::Yuan) {
                        Ok(v) => items[slot][field as usize] = v,
                        Err(e) => problems.push(field_err(e)),
                    }
                }
            }
        }
        if !any {
            return None;
        }
        for &(l, path) in &none {
            let mut filled = h.slots.iter().zip(&items);
            if filled.any(|((sl, _), it)| *sl == l && it.iter().any(Option::is_some)) {
                problems.push(RowProblem::Field(FieldError {
                    path: path.to_string(),
                    error: ValueError::ListAnswer,
                }));
            }
            profile.lists[usize::from(l)] = Some(Vec::new());
        }
        if !problems.is_empty() {
            return Some(Err(RowError {
                row,
                id,
                name: profile.name,
                problems,
            }));
        }
        for (&(l, _), item) in h.slots.iter().zip(items) {
            if item.iter().any(Option::is_some)
                && let Some(items) = profile.items_mut(l)
            {
                items.push(item);
            }
        }
        Some(Ok(ClientProfile { row, id, profile }))
    }
}

/// A quoted cell not closed on its line (it would have to span lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a quoted cell is not closed on this line")]
pub struct UnclosedQuote;

/// The cells of one CSV line (RFC 4180 quoting, `""` for a quote); an `Err` item when a quoted
/// cell is not closed on the line (it would have to span lines).
#[derive(Debug, Clone)]
pub struct CsvCells<'a> {
    rest: Option<&'a str>,
}

/// The cells of `line`.
pub fn csv_cells(line: &str) -> CsvCells<'_> {
    CsvCells { rest: Some(line) }
}

impl<'a> Iterator for CsvCells<'a> {
    type Item = Result<Cow<'a, str>, UnclosedQuote>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest.take()?;
        let Some(quoted) = rest
            .as_bytes()
            .first()
            .filter(|&&b| b == b'"')
            .map(|_| &rest[1..])
        else {
            // Cells are short: a plain loop beats `memchr`'s set-up.
            return Some(Ok(Cow::Borrowed(
                match rest.bytes().position(|b| b == b',') {
                    Some(end) => {
                        self.rest = Some(&rest[end + 1..]);
                        &rest[..end]
                    }
                    None => rest,
                },
            )));
        };
        // A quoted cell: up to the closing quote; `""` is a quote.
        let mut cell = String::new();
        let mut s = quoted;
        loop {
            let Some(close) = memchr::memchr(b'"', s.as_bytes()) else {
                return Some(Err(UnclosedQuote));
            };
            cell.push_str(&s[..close]);
            s = &s[close + 1..];
            match s.strip_prefix('"') {
                Some(after) => {
                    cell.push('"');
                    s = after;
                }
                None => break,
            }
        }
        // Text after the closing quote belongs to the cell, as spreadsheets read it.
        let end = memchr::memchr(b',', s.as_bytes()).unwrap_or(s.len());
        cell.push_str(&s[..end]);
        self.rest = s.get(end + 1..).filter(|_| end < s.len());
        Some(Ok(Cow::Owned(cell)))
    }
}

/// Splits one CSV line into cells; `Err` when a quoted cell is not closed on the line.
pub fn split_csv_line(line: &str) -> Result<Vec<Cow<'_, str>>, UnclosedQuote> {
    csv_cells(line).collect()
}

fn unclosed_quote() -> RowProblem {
    RowProblem::Malformed(Text::new(
        "引号未闭合：单元格不能跨行（此行之后的各行照常读取）",
        "a quoted cell is not closed on this line (cells cannot span lines; the next lines are read on their own)",
    ))
}

fn extra_cells(n: usize) -> RowProblem {
    RowProblem::Malformed(Text::new(
        format!("此行的单元格多于表头的 {n} 列"),
        format!("this row has more cells than the {n} header columns"),
    ))
}

/// A name or id: at most [`MAX_TEXT_CHARS`] characters; empty means none.
fn check_text(path: &str, s: &str, problems: &mut Vec<RowProblem>) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    if s.chars().count() > MAX_TEXT_CHARS {
        problems.push(RowProblem::Field(FieldError {
            path: path.into(),
            error: ValueError::TooLong,
        }));
        return None;
    }
    Some(s.to_string())
}

/// One JSONL line: a profile (strict JSON, see [`crate::json`]) plus an optional `"id"`.
fn json_line(cat: &Catalogue, line: &str, row: usize, order: &mut KeyOrder) -> RowResult {
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    if let Some((profile, id)) = crate::json::profile_one_pass_in(cat, line, true, order) {
        return Ok(ClientProfile { row, id, profile });
    }
    let mut j: Json = crate::json::from_str_strict(line).map_err(|e| match e {
        crate::json::JsonError::Syntax(e) => RowError::new(
            row,
            RowProblem::Malformed(Text::new(
                format!("不是有效的 JSON（第 {} 列）：{e}", e.column()),
                format!("not valid JSON (column {}): {e}", e.column()),
            )),
        ),
        crate::json::JsonError::DuplicateKey { path } => RowError::new(
            row,
            RowProblem::Field(FieldError {
                path,
                error: ValueError::DuplicateKey,
            }),
        ),
    })?;
    let mut problems = Vec::new();
    let id = take_json_id(&mut j, &mut problems);
    let name = j.get("name").and_then(Json::as_str).map(str::to_string);
    match Profile::from_json(cat, &j) {
        Ok(profile) if problems.is_empty() => Ok(ClientProfile { row, id, profile }),
        res => {
            problems.extend(res.err().into_iter().flatten().map(RowProblem::Field));
            Err(RowError {
                row,
                id,
                name,
                problems,
            })
        }
    }
}

/// Removes the optional `"id"` (string or integer) before the profile is read.
fn take_json_id(j: &mut Json, problems: &mut Vec<RowProblem>) -> Option<String> {
    let v = j.as_object_mut()?.remove("id")?;
    match v {
        Json::Null => None,
        Json::String(s) => check_text("id", s.trim(), problems),
        Json::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => {
            problems.push(RowProblem::Field(FieldError {
                path: "id".into(),
                error: ValueError::WrongJsonType { expected: "string" },
            }));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_split_like_a_spreadsheet() {
        let cells = |s: &str| -> Vec<String> {
            split_csv_line(s)
                .expect("closed")
                .into_iter()
                .map(Cow::into_owned)
                .collect()
        };
        assert_eq!(cells("a,b,,c"), ["a", "b", "", "c"]);
        assert_eq!(cells("\"Putuo, Ltd\",x"), ["Putuo, Ltd", "x"]);
        assert_eq!(cells("\"say \"\"hi\"\"\","), ["say \"hi\"", ""]);
        assert_eq!(cells("5\" screen,1"), ["5\" screen", "1"]);
        assert_eq!(cells("\"a\"b,c"), ["ab", "c"]);
        assert_eq!(cells(""), [""]);
        assert!(split_csv_line("\"B,putuo").is_err());
        assert!(split_csv_line("a,\"b\"\"").is_err());
    }
}
