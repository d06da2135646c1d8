//! Batch evaluation for consultants: a CSV or JSONL client list in, one row per client × district out.
//!
//! Pure (no IO, no clock), so the CLI and the browser app share it.
//!
//! **Input.** JSONL: one profile JSON object per line (the [`Profile::from_json`] form, plus an
//! optional `"id"`); blank lines are skipped; the row number is the line number. CSV: a header
//! row, then one client per row; the row number is the data row (its line minus the header's,
//! so a spreadsheet shows data row *n* on sheet row *n + 1*). Columns: `name` (client name),
//! optional `id`, then fact ids from the catalogue without their group (`cmmi_level`), and list
//! item fields as `<list>.<n>.<field>` with a 1-based item number (`projects.1.kind`). Cells
//! are read with [`parse_value_str`]: `true/false/是/否`, enum value ids, money in yuan, dates
//! `YYYY-MM-DD`, date lists separated by `;` ([`EMPTY_LIST_CELLS`] for an empty list). An
//! empty cell is unknown. A column the catalogue does not know rejects the whole file
//! ([`FileError`]) before any row is read; a bad cell rejects only its row ([`RowError`],
//! naming every bad field).
//!
//! **Output.** [`evaluate_batch`] gives one [`BatchRow`] per client and district (one row with
//! the error for a bad client); [`to_csv`] writes them with the header [`CSV_COLUMNS`].

use crate::catalogue::{Catalogue, FactDef, FactId, FieldId, ListId};
use crate::date::Date;
use crate::eval::{EvalError, EvalOptions, evaluate_totals};
use crate::profile::{
    FieldError, Item, MAX_TEXT_CHARS, Profile, Value, ValueError, parse_value_str,
};
use crate::report::{Mode, PolicyState, Totals};
use crate::set::PolicySet;
use crate::text::Text;
use serde_json::Value as Json;
use std::fmt;

/// The byte-order mark Excel needs to read a CSV file as UTF-8.
pub const BOM: char = '\u{feff}';

/// How a client list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-separated, header row first.
    Csv,
    /// One profile JSON object per line.
    Jsonl,
}

/// Guesses the format: by the file name's extension, else by the first non-blank character.
pub fn guess_format(file_name: Option<&str>, contents: &str) -> InputFormat {
    let ext = file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("jsonl" | "ndjson" | "json") => InputFormat::Jsonl,
        Some("csv") => InputFormat::Csv,
        _ => match strip_bom(contents).trim_start().chars().next() {
            Some('{') => InputFormat::Jsonl,
            _ => InputFormat::Csv,
        },
    }
}

fn strip_bom(s: &str) -> &str {
    s.strip_prefix(BOM).unwrap_or(s)
}

/// One client read from the list.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientProfile {
    /// 1-based: the CSV data row or the JSONL line.
    pub row: usize,
    pub id: Option<String>,
    /// The client's name is `profile.name`.
    pub profile: Profile,
}

/// What is wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// A value the catalogue rejects; the path is the CSV column or the JSON path.
    Field(FieldError),
    /// The row itself is malformed (not JSON, more cells than the header).
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
    /// 1-based: the CSV data row or the JSONL line.
    pub row: usize,
    pub id: Option<String>,
    pub name: Option<String>,
    pub problems: Vec<RowProblem>,
}

impl RowError {
    /// `path: message` for every problem, joined with `; `, Chinese then English.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .problems
            .iter()
            .map(|p| {
                let t = p.text();
                format!("{}: {} / {}", p.path(), t.zh, t.en)
            })
            .collect();
        parts.join("; ")
    }
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

/// Why a CSV header column is rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnProblem {
    /// Not `name`, `id`, a fact id or `<list>.<n>.<field>`; with close matches.
    Unknown { suggestions: Vec<String> },
    /// The same column twice.
    Duplicate,
    /// A list item number outside `1..=max`.
    ItemNumber { max: u32 },
}

/// A problem with the file as a whole: nothing in it is evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// The CSV file has no header row.
    Empty,
    /// A header column is rejected (`position` is 1-based).
    Column {
        column: String,
        position: usize,
        problem: ColumnProblem,
    },
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

/// Each row read: a client or the row's errors.
pub type Rows = Vec<Result<ClientProfile, RowError>>;

/// Reads a client list in the given format.
pub fn parse_clients(cat: &Catalogue, text: &str, format: InputFormat) -> Result<Rows, FileError> {
    match format {
        InputFormat::Csv => parse_csv(cat, text),
        InputFormat::Jsonl => Ok(parse_jsonl(cat, text)),
    }
}

// ------------------------------------------------------------------ JSONL

/// Reads JSONL: one profile per line; blank lines skipped; row = line number.
pub fn parse_jsonl(cat: &Catalogue, text: &str) -> Rows {
    strip_bom(text)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| parse_json_line(cat, l, i + 1))
        .collect()
}

fn parse_json_line(cat: &Catalogue, line: &str, row: usize) -> Result<ClientProfile, RowError> {
    let mut j: Json = serde_json::from_str(line).map_err(|e| RowError {
        row,
        id: None,
        name: None,
        problems: vec![RowProblem::Malformed(Text::new(
            format!("不是有效的 JSON（第 {} 列）：{e}", e.column()),
            format!("not valid JSON (column {}): {e}", e.column()),
        ))],
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

// ------------------------------------------------------------------ CSV

/// What a CSV column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Name,
    Id,
    Fact(FactId),
    /// A list item field; `slot` indexes [`Header::slots`].
    Field {
        list: ListId,
        num: usize,
        field: FieldId,
        slot: usize,
    },
    /// An empty header cell: the column must stay empty.
    Blank,
}

/// The header, resolved once against the catalogue.
struct Header<'h> {
    names: Vec<&'h str>,
    cols: Vec<Col>,
    /// Distinct `(list, item number)` pairs, sorted.
    slots: Vec<(ListId, usize)>,
}

/// Reads CSV with a header row; see the module docs for the columns. A row's number is its
/// line in the file minus the header line, so blank lines count as in a spreadsheet.
pub fn parse_csv(cat: &Catalogue, text: &str) -> Result<Rows, FileError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(strip_bom(text).as_bytes());
    let mut head = csv::StringRecord::new();
    if !matches!(rdr.read_record(&mut head), Ok(true)) {
        return Err(FileError::Empty);
    }
    let header = resolve_header(cat, &head)?;
    let head_line = head.position().map_or(1, |p| p.line());
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    let mut last_row = 0;
    loop {
        let read = rdr.read_record(&mut rec);
        let row = rec.position().map_or(last_row + 1, |p| {
            p.line().saturating_sub(head_line) as usize
        });
        last_row = row;
        match read {
            Ok(false) => break,
            Ok(true) if rec.iter().all(|c| c.trim().is_empty()) => {}
            Ok(true) => rows.push(parse_csv_row(cat, &header, &rec, row)),
            Err(e) => rows.push(Err(unreadable_row(row, &e))),
        }
    }
    Ok(rows)
}

fn unreadable_row(row: usize, e: &csv::Error) -> RowError {
    RowError {
        row,
        id: None,
        name: None,
        problems: vec![RowProblem::Malformed(Text::new(
            format!("无法读取此行：{e}"),
            format!("cannot read this row: {e}"),
        ))],
    }
}

fn resolve_header<'h>(
    cat: &Catalogue,
    head: &'h csv::StringRecord,
) -> Result<Header<'h>, FileError> {
    let mut h = Header {
        names: Vec::with_capacity(head.len()),
        cols: Vec::with_capacity(head.len()),
        slots: Vec::new(),
    };
    for (i, raw) in head.iter().enumerate() {
        let name = raw.trim();
        let position = i + 1;
        let err = |problem| FileError::Column {
            column: name.to_string(),
            position,
            problem,
        };
        if !name.is_empty() && h.names.contains(&name) {
            return Err(err(ColumnProblem::Duplicate));
        }
        let col = match name {
            "" => Col::Blank,
            "name" => Col::Name,
            "id" => Col::Id,
            _ => match cat.fact_id(name) {
                Some(f) => Col::Fact(f),
                None => {
                    let (list, num, field) = list_column(cat, name).map_err(err)?;
                    h.slots.push((list, num));
                    Col::Field {
                        list,
                        num,
                        field,
                        slot: 0,
                    }
                }
            },
        };
        h.names.push(name);
        h.cols.push(col);
    }
    h.slots.sort_unstable();
    h.slots.dedup();
    for c in h.cols.iter_mut() {
        if let Col::Field {
            list, num, slot, ..
        } = c
        {
            *slot = h.slots.binary_search(&(*list, *num)).unwrap_or_default();
        }
    }
    Ok(h)
}

/// Resolves `projects.1.kind` to (list, item number, field).
fn list_column(cat: &Catalogue, name: &str) -> Result<(ListId, usize, FieldId), ColumnProblem> {
    let unknown = || ColumnProblem::Unknown {
        suggestions: suggest(cat, name),
    };
    let mut parts = name.splitn(3, '.');
    let (Some(list), Some(num), Some(field)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(unknown());
    };
    let l = cat.list_id(list).ok_or_else(unknown)?;
    let f = cat.field_id(l, field).ok_or_else(unknown)?;
    let max = cat.lists[l as usize].max_items;
    match num.parse::<usize>() {
        Ok(n) if n >= 1 && n <= max as usize => Ok((l, n, f)),
        Ok(_) => Err(ColumnProblem::ItemNumber { max }),
        Err(_) => Err(unknown()),
    }
}

/// Close matches for an unknown column: fact ids and list columns within a small edit distance.
fn suggest(cat: &Catalogue, name: &str) -> Vec<String> {
    let mut cands: Vec<(usize, String)> = Vec::new();
    let base = name.rsplit('.').next().unwrap_or(name);
    for f in &cat.facts {
        cands.push((edit_distance(name, &f.id), f.id.clone()));
    }
    for l in &cat.lists {
        for f in &l.fields {
            let col = format!("{}.1.{}", l.id, f.id);
            let d = edit_distance(base, &f.id).min(edit_distance(name, &col));
            cands.push((d, col));
        }
    }
    let limit = (name.chars().count() / 3).max(2);
    cands.retain(|(d, _)| *d <= limit);
    cands.sort();
    cands.into_iter().take(3).map(|(_, s)| s).collect()
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn parse_csv_row(
    cat: &Catalogue,
    h: &Header,
    rec: &csv::StringRecord,
    row: usize,
) -> Result<ClientProfile, RowError> {
    let mut profile = Profile::empty(cat);
    let mut items: Vec<Item> = h
        .slots
        .iter()
        .map(|&(l, _)| vec![None; cat.lists[l as usize].fields.len()])
        .collect();
    let (mut id, mut problems) = (None, Vec::new());
    for (i, cell) in rec.iter().enumerate() {
        let cell = cell.trim();
        let Some(&col) = h.cols.get(i) else {
            if !cell.is_empty() {
                problems.push(extra_cells(h.cols.len()));
                break;
            }
            continue;
        };
        let path = h.names[i];
        let field_err = |error| {
            RowProblem::Field(FieldError {
                path: path.to_string(),
                error,
            })
        };
        match col {
            Col::Name => profile.name = check_text(path, cell, &mut problems),
            Col::Id => id = check_text(path, cell, &mut problems),
            Col::Blank if cell.is_empty() => {}
            Col::Blank => problems.push(field_err(ValueError::UnknownField)),
            Col::Fact(f) => match parse_cell(&cat.facts[f as usize], cell) {
                Ok(v) => profile.facts[f as usize] = v,
                Err(e) => problems.push(field_err(e)),
            },
            Col::Field { slot, field, .. } => {
                let (l, _) = h.slots[slot];
                let def = &cat.lists[l as usize].fields[field as usize];
                match parse_cell(def, cell) {
                    Ok(v) => items[slot][field as usize] = v,
                    Err(e) => problems.push(field_err(e)),
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(RowError {
            row,
            id,
            name: profile.name,
            problems,
        });
    }
    for (&(l, _), item) in h.slots.iter().zip(items) {
        if item.iter().any(Option::is_some) {
            profile.lists[l as usize].push(item);
        }
    }
    Ok(ClientProfile { row, id, profile })
}

/// Cells that mean "an empty list" for a date-list fact (an empty cell is unknown).
pub use crate::profile::EMPTY_LIST_WORDS as EMPTY_LIST_CELLS;

/// A cell as typed (see [`parse_value_str`]).
fn parse_cell(def: &FactDef, cell: &str) -> Result<Option<Value>, ValueError> {
    parse_value_str(def, cell)
}

fn extra_cells(n: usize) -> RowProblem {
    RowProblem::Malformed(Text::new(
        format!("此行的单元格多于表头的 {n} 列"),
        format!("this row has more cells than the {n} header columns"),
    ))
}

// ------------------------------------------------------------------ evaluation

/// One district's figures for one client: the totals path's result as it is.
pub type DistrictFigures<'a> = crate::eval::DistrictTotals<'a>;

/// What one output row says.
#[derive(Debug, Clone, PartialEq)]
// Nearly every row is a district's figures: boxing them would cost an allocation per row.
#[allow(clippy::large_enum_variant)]
pub enum Outcome<'a> {
    District(DistrictFigures<'a>),
    /// The row could not be read.
    Invalid(&'a RowError),
    /// The evaluation failed (arithmetic overflow on absurd inputs).
    Failed(EvalError),
}

/// One output row: a client × district, or a client's error.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow<'a> {
    /// The input row (CSV data row or JSONL line), 1-based.
    pub row: usize,
    pub id: Option<&'a str>,
    pub name: Option<&'a str>,
    pub outcome: Outcome<'a>,
}

/// Every output row, in input order (districts in policy order within a client).
#[derive(Debug, Clone, PartialEq)]
pub struct BatchResult<'a> {
    pub as_of: Date,
    pub mode: Mode,
    /// Clients read (good and bad).
    pub clients: usize,
    /// Clients whose row could not be read or evaluated.
    pub bad_rows: usize,
    pub rows: Vec<BatchRow<'a>>,
}

/// Evaluates every client. Hints and explanations are switched off for speed; a bad row
/// gives one error row. Fails only for an unknown district in `opts.districts`.
pub fn evaluate_batch<'a>(
    set: &'a PolicySet,
    rows: &'a [Result<ClientProfile, RowError>],
    opts: &EvalOptions,
) -> Result<BatchResult<'a>, EvalError> {
    let opts = EvalOptions {
        hints: false,
        explain: false,
        ..opts.clone()
    };
    check_districts(set, &opts)?;
    let per_client = opts.districts.as_ref().map_or(set.policies.len(), Vec::len);
    let mut out = BatchResult {
        as_of: opts.as_of,
        mode: if opts.compare_all {
            Mode::CompareAll
        } else {
            Mode::Registered
        },
        clients: rows.len(),
        bad_rows: 0,
        rows: Vec::with_capacity(rows.len() * per_client),
    };
    for r in rows {
        let before = out.rows.len();
        match r {
            Ok(c) => client_rows(set, c, &opts, &mut out.rows),
            Err(e) => out.rows.push(BatchRow {
                row: e.row,
                id: e.id.as_deref(),
                name: e.name.as_deref(),
                outcome: Outcome::Invalid(e),
            }),
        }
        if out.rows[before..]
            .iter()
            .any(|r| !matches!(r.outcome, Outcome::District(_)))
        {
            out.bad_rows += 1;
        }
    }
    Ok(out)
}

fn check_districts(set: &PolicySet, opts: &EvalOptions) -> Result<(), EvalError> {
    for d in opts.districts.iter().flatten() {
        if !set.has_district(d) {
            return Err(EvalError::UnknownDistrict(d.clone()));
        }
    }
    Ok(())
}

fn client_rows<'a>(
    set: &'a PolicySet,
    c: &'a ClientProfile,
    opts: &EvalOptions,
    out: &mut Vec<BatchRow<'a>>,
) {
    let row = |outcome| BatchRow {
        row: c.row,
        id: c.id.as_deref(),
        name: c.profile.name.as_deref(),
        outcome,
    };
    match evaluate_totals(set, &c.profile, opts) {
        Err(e) => out.push(row(Outcome::Failed(e))),
        Ok(report) => out.extend(
            report
                .districts
                .into_iter()
                .map(|d| row(Outcome::District(d))),
        ),
    }
}

// ------------------------------------------------------------------ CSV out

/// The output header, in order. Stable: columns are only ever added at the end.
///
/// * `row`, `id`, `name`: the client as read (row = CSV data row or JSONL line).
/// * `district`, `district_name`, `policy`, `doc_no`: the district and its document.
/// * `state`: `in_force`, `expired`, `draft`, `not_yet_in_force` on the evaluation date.
/// * `payable_now`: `true` only when in force.
/// * `definite_yuan`, `up_to_yuan` (two decimals) and `definite_wan`, `up_to_wan` (万元):
///   money that counts today — zero unless in force.
/// * `eligible`, `subject_to_review`, `needs_information`, `not_eligible`, `not_quantified`:
///   clause counts as they would be with the policy in force.
/// * `if_in_force_*`: what the policy would pay if in force (equal to the above when it is).
/// * `error`: for a bad row, every problem as `path: 中文 / English`, joined by `; `.
/// * `days_left` (in force: days to the last day, 0 on it) and `ending_soon` (`true` with 60
///   days or fewer left) on the evaluation date.
pub const CSV_COLUMNS: [&str; 25] = [
    "row",
    "id",
    "name",
    "district",
    "district_name",
    "policy",
    "doc_no",
    "state",
    "payable_now",
    "definite_yuan",
    "up_to_yuan",
    "definite_wan",
    "up_to_wan",
    "eligible",
    "subject_to_review",
    "needs_information",
    "not_eligible",
    "not_quantified",
    "if_in_force_definite_yuan",
    "if_in_force_up_to_yuan",
    "if_in_force_definite_wan",
    "if_in_force_up_to_wan",
    "error",
    "days_left",
    "ending_soon",
];

/// The position of the `error` column.
const ERROR_COLUMN: usize = 22;

/// Writes the result as CSV (header [`CSV_COLUMNS`], `\n` line ends), with a UTF-8 BOM first
/// when `bom` is set (Excel needs it to read Chinese text).
pub fn to_csv(result: &BatchResult, bom: bool) -> String {
    let mut s = String::with_capacity(256 + result.rows.len() * 200);
    if bom {
        s.push(BOM);
    }
    let mut rec = Record::new(&mut s);
    for c in CSV_COLUMNS {
        rec.cell(c);
    }
    rec.end();
    for r in &result.rows {
        write_row(&mut rec, r);
    }
    s
}

/// Writes CSV cells straight into the output, quoting when needed.
struct Record<'s> {
    out: &'s mut String,
    cells: usize,
}

impl<'s> Record<'s> {
    fn new(out: &'s mut String) -> Self {
        Record { out, cells: 0 }
    }

    fn sep(&mut self) {
        if self.cells > 0 {
            self.out.push(',');
        }
        self.cells += 1;
    }

    fn cell(&mut self, c: &str) {
        self.sep();
        if c.contains([',', '"', '\n', '\r']) {
            self.out.push('"');
            self.out.push_str(&c.replace('"', "\"\""));
            self.out.push('"');
        } else {
            self.out.push_str(c);
        }
    }

    /// Client text: guarded against spreadsheet formulas.
    fn text(&mut self, c: &str) {
        if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            self.cell(&format!("'{c}"));
        } else {
            self.cell(c);
        }
    }

    fn num(&mut self, n: impl fmt::Display) {
        use fmt::Write as _;
        self.sep();
        let _ = write!(self.out, "{n}");
    }

    fn end(&mut self) {
        while self.cells < CSV_COLUMNS.len() {
            self.out.push(',');
            self.cells += 1;
        }
        self.out.push('\n');
        self.cells = 0;
    }
}

fn write_row(rec: &mut Record, r: &BatchRow) {
    rec.num(r.row);
    rec.text(r.id.unwrap_or_default());
    rec.text(r.name.unwrap_or_default());
    match &r.outcome {
        Outcome::District(d) => {
            rec.cell(d.district);
            rec.cell(&d.district_name.zh);
            rec.cell(d.policy_id);
            rec.cell(d.doc_no.unwrap_or_default());
            rec.cell(state_id(d.state));
            rec.cell(if d.payable_now { "true" } else { "false" });
            money_cells(rec, &d.totals);
            let t = &d.if_in_force;
            for n in [
                t.eligible,
                t.eligible_subject_to_review,
                t.needs_information,
                t.not_eligible,
                t.not_quantified,
            ] {
                rec.num(n);
            }
            money_cells(rec, &d.if_in_force);
            rec.cell("");
            match d.lifecycle.days_left {
                Some(n) => rec.num(n),
                None => rec.cell(""),
            }
            rec.cell(if d.lifecycle.ending_soon {
                "true"
            } else {
                "false"
            });
        }
        Outcome::Invalid(e) => error_cell(rec, &e.summary()),
        Outcome::Failed(e) => error_cell(rec, &e.to_string()),
    }
    rec.end();
}

fn money_cells(rec: &mut Record, t: &Totals) {
    rec.num(crate::money::Fixed2(t.definite.0));
    rec.num(crate::money::Fixed2(t.up_to.0));
    rec.num(wan(t.definite.0));
    rec.num(wan(t.up_to.0));
}

/// Yuan in 万元 without division (moves the decimal point), as [`crate::format::in_wan`].
fn wan(d: rust_decimal::Decimal) -> rust_decimal::Decimal {
    let mut w = crate::money::round_fen(d);
    match w.set_scale(w.scale() + 4) {
        Ok(()) => w.normalize(),
        Err(_) => (d / rust_decimal::Decimal::from(10_000))
            .round_dp(6)
            .normalize(),
    }
}

fn error_cell(rec: &mut Record, msg: &str) {
    while rec.cells < ERROR_COLUMN {
        rec.cell("");
    }
    rec.text(msg);
}

/// The snake_case id of a policy state.
pub fn state_id(s: PolicyState) -> &'static str {
    s.id()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;

    fn set() -> PolicySet {
        PolicySet::embedded().expect("embedded policies load")
    }

    fn opts(d: &str) -> EvalOptions {
        EvalOptions::new(parse_date(d).expect("date"))
    }

    const CSV: &str = "\u{feff}id,name,registered_district,entity_type,operating_normally,credit_good,tax_registered_locally,is_software_enterprise,cmmi_level,cmmi_issued_on,software_copyrights\n\
        C1,金山软件甲,jinshan,enterprise,是,是,是,true,3,2023-05-10,5\n\
        C2,坏数据公司,jinshan,enterprise,是,是,yes,maybe,7,2023-13-01,-1\n\
        \n\
        ,,,,,,,,,,\n\
        C3,\"Putuo, Ltd\",putuo,enterprise,,,,,,,\n";

    #[test]
    fn the_error_column_is_where_error_cells_go() {
        assert_eq!(CSV_COLUMNS[ERROR_COLUMN], "error");
    }

    #[test]
    fn csv_good_and_bad_rows() {
        let s = set();
        let rows = parse_csv(&s.catalogue, CSV).expect("header ok");
        assert_eq!(rows.len(), 3, "blank and all-empty rows skipped");
        let c1 = rows[0].as_ref().expect("row 1 good");
        assert_eq!((c1.row, c1.id.as_deref()), (1, Some("C1")));
        assert_eq!(c1.profile.name.as_deref(), Some("金山软件甲"));
        let e = rows[1].as_ref().expect_err("row 2 bad");
        assert_eq!(e.row, 2);
        assert_eq!(e.name.as_deref(), Some("坏数据公司"));
        let paths: Vec<&str> = e.problems.iter().map(RowProblem::path).collect();
        assert_eq!(
            paths,
            [
                "is_software_enterprise",
                "cmmi_level",
                "cmmi_issued_on",
                "software_copyrights"
            ]
        );
        let c3 = rows[2].as_ref().expect("row 5 good");
        assert_eq!(c3.row, 5, "row numbers count skipped rows");
        assert_eq!(c3.profile.name.as_deref(), Some("Putuo, Ltd"));
    }

    #[test]
    fn every_error_names_row_and_field() {
        let s = set();
        let rows = parse_csv(&s.catalogue, CSV).expect("header ok");
        let e = rows[1].as_ref().expect_err("row 2 bad");
        let msg = e.to_string();
        for want in [
            "row 2",
            "is_software_enterprise",
            "cmmi_level",
            "cmmi_issued_on",
        ] {
            assert!(msg.contains(want), "{msg} lacks {want}");
        }
        let sum = e.summary();
        assert!(sum.contains("cmmi_level: 无效选项"), "{sum}");
        assert!(
            sum.contains("software_copyrights: 应在 0 到 100000 之间"),
            "{sum}"
        );
    }

    #[test]
    fn unknown_column_rejects_file() {
        let s = set();
        let err = parse_csv(&s.catalogue, "name,cmmi_levle\nA,3\n").expect_err("unknown");
        let FileError::Column {
            column,
            position,
            problem: ColumnProblem::Unknown { suggestions },
        } = &err
        else {
            panic!("{err:?}");
        };
        assert_eq!((column.as_str(), *position), ("cmmi_levle", 2));
        assert_eq!(suggestions.first().map(String::as_str), Some("cmmi_level"));
        assert!(err.to_string().contains("cmmi_levle"));
        let dup = parse_csv(&s.catalogue, "name,name\n").expect_err("dup");
        assert!(matches!(
            dup,
            FileError::Column {
                problem: ColumnProblem::Duplicate,
                ..
            }
        ));
        let num = parse_csv(&s.catalogue, "projects.0.kind\n").expect_err("item 0");
        assert!(num.to_string().contains("item number"), "{num}");
        let grouped = parse_csv(&s.catalogue, "enterprise.entity_type\n").expect_err("group");
        assert!(grouped.to_string().contains("enterprise.entity_type"));
        assert_eq!(parse_csv(&s.catalogue, ""), Err(FileError::Empty));
    }

    #[test]
    fn project_columns() {
        let s = set();
        let text = "name,registered_district,projects.1.kind,projects.1.actual_investment,projects.3.kind,projects.3.actual_investment,game_products.2.licensed\n\
            A,putuo,rd_project,2000000,computing_power,,是\n\
            B,putuo,,,rd_project,100万,\n";
        let rows = parse_csv(&s.catalogue, text).expect("header ok");
        let projects = s.catalogue.list_id("projects").expect("list") as usize;
        let games = s.catalogue.list_id("game_products").expect("list") as usize;
        let a = rows[0].as_ref().expect("A good");
        assert_eq!(a.profile.lists[projects].len(), 2);
        assert_eq!(a.profile.lists[games].len(), 1);
        let b = rows[1].as_ref().expect_err("B bad money");
        assert_eq!(b.problems.len(), 1);
        assert_eq!(b.problems[0].path(), "projects.3.actual_investment");
        let ok = "name,projects.2.kind,projects.2.actual_investment\nB,rd_project,1000000\n";
        let rows = parse_csv(&s.catalogue, ok).expect("header ok");
        let b = rows[0].as_ref().expect("B good");
        assert_eq!(b.profile.lists[projects].len(), 1, "empty item 1 skipped");
        let r = evaluate_batch(&s, &rows, &opts("2025-06-01")).expect("eval");
        let putuo = r.rows.iter().find_map(|r| match &r.outcome {
            Outcome::District(d) if d.district == "putuo" => Some(d),
            _ => None,
        });
        // No registered district: applicant unknown, so nothing counts yet.
        assert_eq!(putuo.map(|d| d.totals.up_to.0), Some(Default::default()));
    }

    #[test]
    fn empty_date_list_cell() {
        let s = set();
        let text = "name,serious_violation_dates\nA,无\nB,\nC,2022-01-05;2021-03-01\n";
        let rows = parse_csv(&s.catalogue, text).expect("ok");
        let f = s
            .catalogue
            .fact_id("serious_violation_dates")
            .expect("fact") as usize;
        let got: Vec<Option<Value>> = rows
            .iter()
            .map(|r| r.as_ref().expect("good").profile.facts[f].clone())
            .collect();
        assert_eq!(got[0], Some(Value::Dates(Vec::new())), "无 = no violations");
        assert_eq!(got[1], None, "empty = unknown");
        assert!(matches!(&got[2], Some(Value::Dates(d)) if d.len() == 2));
    }

    #[test]
    fn extra_cells_are_an_error() {
        let s = set();
        let rows = parse_csv(&s.catalogue, "name,cmmi_level\nA,3,oops\nB,3,\n").expect("ok");
        let e = rows[0].as_ref().expect_err("extra cell");
        assert_eq!(e.problems[0].path(), "(row)");
        assert!(rows[1].is_ok(), "an empty extra cell is harmless");
    }

    #[test]
    fn jsonl_rows() {
        let s = set();
        let text = "{\"id\": 7, \"name\": \"甲\", \"enterprise\": {\"registered_district\": \"jinshan\"}}\n\
            \n\
            {\"name\": \"乙\", \"certifications\": {\"cmmi_level\": \"9\"}, \"projects\": [{\"kind\": \"nope\"}]}\n\
            {not json\n";
        let rows = parse_jsonl(&s.catalogue, text);
        assert_eq!(rows.len(), 3);
        let a = rows[0].as_ref().expect("line 1");
        assert_eq!((a.row, a.id.as_deref()), (1, Some("7")));
        let b = rows[1].as_ref().expect_err("line 3");
        assert_eq!(b.row, 3);
        assert_eq!(b.name.as_deref(), Some("乙"));
        let paths: Vec<&str> = b.problems.iter().map(RowProblem::path).collect();
        assert_eq!(paths, ["certifications.cmmi_level", "projects[0].kind"]);
        let c = rows[2].as_ref().expect_err("line 4");
        assert_eq!(c.row, 4);
        assert!(
            c.to_string().contains("row 4: (row): not valid JSON"),
            "{c}"
        );
    }

    #[test]
    fn guesses_format() {
        assert_eq!(guess_format(Some("a.JSONL"), ""), InputFormat::Jsonl);
        assert_eq!(guess_format(Some("clients.csv"), "{"), InputFormat::Csv);
        assert_eq!(guess_format(None, "\u{feff} {\"a\":1}"), InputFormat::Jsonl);
        assert_eq!(guess_format(Some("-"), "name,id"), InputFormat::Csv);
    }

    #[test]
    fn evaluates_and_writes_csv() {
        let s = set();
        let rows = parse_csv(&s.catalogue, CSV).expect("header ok");
        let mut o = opts("2024-06-01");
        // 第八条 checks the certificate date against the call's application period.
        o.application_period = crate::date::Period::parse("2023-01-01..2023-12-31").ok();
        let r = evaluate_batch(&s, &rows, &o).expect("eval");
        assert_eq!((r.clients, r.bad_rows), (3, 1));
        assert_eq!(r.rows.len(), 2 * s.policies.len() + 1);
        let jinshan = r
            .rows
            .iter()
            .find_map(|r| match &r.outcome {
                Outcome::District(d) if r.row == 1 && d.district == "jinshan" => Some(d),
                _ => None,
            })
            .expect("jinshan row");
        // 第八条: CMMI 3 → 30万 definite; 第六条: 5 × 1000 (up to).
        assert_eq!(jinshan.state, PolicyState::InForce);
        assert_eq!(
            crate::money::to_fixed2(jinshan.totals.definite.0),
            "300000.00"
        );
        assert_eq!(crate::money::to_fixed2(jinshan.totals.up_to.0), "305000.00");
        let out = to_csv(&r, true);
        assert!(out.starts_with('\u{feff}'));
        let mut lines = out.trim_start_matches(BOM).lines();
        assert_eq!(lines.next(), Some(CSV_COLUMNS.join(",").as_str()));
        assert!(out.contains(",30,30.5,"), "{out}");
        let bad = out.lines().find(|l| l.starts_with("2,")).expect("bad row");
        assert!(bad.contains("cmmi_level: 无效选项"), "{bad}");
        assert!(bad.matches(',').count() >= CSV_COLUMNS.len() - 1);
        assert!(out.contains("\"Putuo, Ltd\""));
        assert!(!to_csv(&r, false).starts_with(BOM));
    }

    #[test]
    fn unknown_district_fails_whole_batch() {
        let s = set();
        let mut o = opts("2024-06-01");
        o.districts = Some(vec!["atlantis".into()]);
        assert!(matches!(
            evaluate_batch(&s, &[], &o),
            Err(EvalError::UnknownDistrict(_))
        ));
    }

    #[test]
    fn wan_matches_format() {
        for v in [
            "0",
            "300000",
            "305000",
            "12345.67",
            "0.01",
            "5000000000",
            "1521000",
        ] {
            let d: rust_decimal::Decimal = v.parse().expect("decimal");
            assert_eq!(wan(d).to_string(), crate::format::in_wan(d), "{v}");
        }
    }

    #[test]
    fn cells_are_quoted_and_guarded() {
        let mut s = String::new();
        let mut r = Record::new(&mut s);
        r.text("=1+1");
        r.cell("a\"b");
        r.cell("c,d");
        r.text("上海");
        r.end();
        let tail = ",".repeat(CSV_COLUMNS.len() - 4);
        assert_eq!(s, format!("'=1+1,\"a\"\"b\",\"c,d\",上海{tail}\n"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any text, with or without a valid header, never panics and keeps row numbers sane.
        #[test]
        fn never_panics(body in "[a-z0-9.,;\"\\n 是否{}:\\[\\]-]{0,200}") {
            let s = set();
            for text in [
                body.clone(),
                format!("name,registered_district,cmmi_level,projects.1.kind,annual_revenue\n{body}"),
            ] {
                let rows = parse_csv(&s.catalogue, &text).unwrap_or_default();
                let rows2 = parse_jsonl(&s.catalogue, &text);
                for r in rows.iter().chain(&rows2) {
                    let row = match r { Ok(c) => c.row, Err(e) => e.row };
                    proptest::prop_assert!(row >= 1);
                }
                let r = evaluate_batch(&s, &rows, &opts("2025-06-01")).expect("eval");
                let _ = to_csv(&r, true);
            }
        }
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("普陀", "普陀区"), 1);
    }
}
