//! Writing workbooks, row by row into the zip stream: the batch's results (the CSV's columns,
//! money as numbers) and any table of text cells (the example client list). Text is always a
//! string cell, so nothing from the input can become a formula. The bytes depend only on the
//! content (no clock), so a generated file can be checked into the repository.

use super::zip::ZipWriter;
use crate::batch::run::{Batch, ClientResult, Outcome};
use crate::batch::write::CSV_COLUMNS;
use crate::report::{PolicyState, Totals};
use std::fmt::Write as _;
use std::io::{self, Write};

/// The rows a worksheet can hold; the results go on to a next sheet after that.
pub const MAX_ROWS: u32 = 1_048_576;

/// One cell to write.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    /// A number, as decimal text (`2200000.00`, `12`).
    Number(&'a str),
    /// A number shown with two decimals (yuan).
    Money(&'a str),
}

/// Style indexes of the stylesheet below.
const STYLE_HEADER: u8 = 1;
const STYLE_MONEY: u8 = 2;

const CONTENT_TYPES_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>"#;

/// Writes a workbook sheet by sheet, row by row.
pub struct WorkbookWriter<W: Write> {
    zip: ZipWriter<W>,
    sheets: Vec<String>,
    /// Rows written to the current sheet.
    row: u32,
    line: String,
}

impl<W: Write> WorkbookWriter<W> {
    pub fn new(out: W) -> WorkbookWriter<W> {
        WorkbookWriter {
            zip: ZipWriter::new(out),
            sheets: Vec::new(),
            row: 0,
            line: String::new(),
        }
    }

    /// Starts a worksheet named `name` (ending the one before); its first row is frozen.
    pub fn sheet(&mut self, name: &str) -> io::Result<()> {
        self.end_sheet()?;
        self.sheets.push(name.to_string());
        let path = format!("xl/worksheets/sheet{}.xml", self.sheets.len());
        self.zip.start(&path)?;
        self.zip.write_all(SHEET_HEAD.as_bytes())?;
        self.row = 0;
        Ok(())
    }

    /// Rows left on the current sheet.
    pub fn rows_left(&self) -> u32 {
        MAX_ROWS - self.row
    }

    /// Appends a row to the current sheet (bold when `header`).
    pub fn row(&mut self, cells: &[Cell], header: bool) -> io::Result<()> {
        if self.sheets.is_empty() {
            self.sheet("Sheet1")?;
        }
        if self.row >= MAX_ROWS {
            return Err(io::Error::other("a worksheet holds at most 1,048,576 rows"));
        }
        self.row += 1;
        let r = self.row;
        self.line.clear();
        let _ = write!(self.line, "<row r=\"{r}\">");
        for (i, c) in cells.iter().enumerate() {
            let col = column_name(i);
            let style = |s: u8| if header { STYLE_HEADER } else { s };
            match c {
                Cell::Empty => {}
                Cell::Text(t) => {
                    let s = style(0);
                    let _ = write!(self.line, "<c r=\"{col}{r}\" t=\"inlineStr\"");
                    if s > 0 {
                        let _ = write!(self.line, " s=\"{s}\"");
                    }
                    self.line.push_str("><is><t xml:space=\"preserve\">");
                    escape_into(&mut self.line, t);
                    self.line.push_str("</t></is></c>");
                }
                Cell::Number(n) | Cell::Money(n) => {
                    let s = style(if matches!(c, Cell::Money(_)) {
                        STYLE_MONEY
                    } else {
                        0
                    });
                    let _ = write!(self.line, "<c r=\"{col}{r}\"");
                    if s > 0 {
                        let _ = write!(self.line, " s=\"{s}\"");
                    }
                    let _ = write!(self.line, "><v>{n}</v></c>");
                }
            }
        }
        self.line.push_str("</row>");
        self.zip.write_all(self.line.as_bytes())
    }

    fn end_sheet(&mut self) -> io::Result<()> {
        if !self.sheets.is_empty() {
            self.zip.write_all(b"</sheetData></worksheet>")?;
        }
        Ok(())
    }

    /// Writes the workbook's other parts and the zip directory; returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        if self.sheets.is_empty() {
            self.sheet("Sheet1")?;
        }
        self.end_sheet()?;
        let n = self.sheets.len();
        let mut types = String::from(CONTENT_TYPES_HEAD);
        for i in 1..=n {
            let _ = write!(
                types,
                "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            );
        }
        types.push_str("</Types>");
        let mut workbook = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>",
        );
        let mut rels = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
        );
        for (i, name) in self.sheets.iter().enumerate() {
            let id = i + 1;
            workbook.push_str("<sheet name=\"");
            escape_into(&mut workbook, name);
            let _ = write!(workbook, "\" sheetId=\"{id}\" r:id=\"rId{id}\"/>");
            let _ = write!(
                rels,
                "<Relationship Id=\"rId{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{id}.xml\"/>"
            );
        }
        workbook.push_str("</sheets></workbook>");
        let _ = write!(
            rels,
            "<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>",
            n + 1
        );
        for (path, content) in [
            ("xl/workbook.xml", workbook.as_str()),
            ("xl/_rels/workbook.xml.rels", rels.as_str()),
            ("xl/styles.xml", STYLES),
            ("_rels/.rels", ROOT_RELS),
            ("[Content_Types].xml", types.as_str()),
        ] {
            self.zip.start(path)?;
            self.zip.write_all(content.as_bytes())?;
        }
        self.zip.finish()
    }
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
fn column_name(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// XML text: `& < > "` escaped; characters XML cannot hold (controls) as `_xHHHH_`, the way
/// spreadsheets write them; a literal `_xHHHH_` is protected by escaping its `_`.
fn escape_into(out: &mut String, s: &str) {
    for (i, c) in s.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' => out.push(c),
            '_' if looks_escaped(&s[i..]) => out.push_str("_x005F_"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "_x{:04X}_", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// Whether `s` starts with `_xHHHH_`.
fn looks_escaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

/// The batch's results as a workbook: a sheet named like the CSV output (`results`), the
/// same columns; another sheet when a sheet is full.
pub struct ResultsWriter<W: Write> {
    book: WorkbookWriter<W>,
    sheets: usize,
}

impl<W: Write> ResultsWriter<W> {
    /// A workbook with the header row written.
    pub fn new(out: W) -> io::Result<ResultsWriter<W>> {
        let mut w = ResultsWriter {
            book: WorkbookWriter::new(out),
            sheets: 0,
        };
        w.next_sheet()?;
        Ok(w)
    }

    fn next_sheet(&mut self) -> io::Result<()> {
        self.sheets += 1;
        let name = if self.sheets == 1 {
            "results".to_string()
        } else {
            format!("results ({})", self.sheets)
        };
        self.book.sheet(&name)?;
        let header: Vec<Cell> = CSV_COLUMNS.iter().map(|c| Cell::Text(c)).collect();
        self.book.row(&header, true)
    }

    /// A client's rows (one per district, or one with its errors).
    pub fn client(&mut self, batch: &Batch, c: &ClientResult) -> io::Result<()> {
        let row = c.row.to_string();
        let id = c.id.as_deref().unwrap_or_default();
        let name = c.name.as_deref().unwrap_or_default();
        match &c.outcome {
            Outcome::Districts(ds) => {
                for d in ds {
                    let policy = batch.set.policies.iter().find(|p| p.meta.id == d.policy_id);
                    let doc = d.doc_no.unwrap_or_default();
                    let t = &d.if_in_force;
                    let counts = [
                        t.eligible,
                        t.eligible_subject_to_review,
                        t.needs_information,
                        t.not_eligible,
                        t.not_quantified,
                    ]
                    .map(|n| n.to_string());
                    let now = money_texts(&d.totals);
                    let would = money_texts(&d.if_in_force);
                    let days_left = d.lifecycle.days_left.map(|n| n.to_string());
                    let mut cells = vec![
                        Cell::Number(&row),
                        Cell::Text(id),
                        Cell::Text(name),
                        Cell::Text(d.district),
                        Cell::Text(policy.map_or("", |p| p.meta.district_name.zh.as_str())),
                        Cell::Text(d.policy_id),
                        Cell::Text(doc),
                        Cell::Text(d.state.id()),
                        Cell::Text(if d.state == PolicyState::InForce {
                            "true"
                        } else {
                            "false"
                        }),
                        days_left.as_deref().map_or(Cell::Empty, Cell::Number),
                        Cell::Text(if d.lifecycle.ending_soon {
                            "true"
                        } else {
                            "false"
                        }),
                    ];
                    push_money(&mut cells, &now);
                    cells.extend(counts.iter().map(|n| Cell::Number(n)));
                    push_money(&mut cells, &would);
                    self.row(&cells)?;
                }
                Ok(())
            }
            _ => {
                let msg = c.row_error().map(|e| e.summary()).unwrap_or_default();
                let mut cells = vec![Cell::Number(&row), Cell::Text(id), Cell::Text(name)];
                cells.resize(CSV_COLUMNS.len() - 1, Cell::Empty);
                cells.push(Cell::Text(&msg));
                self.row(&cells)
            }
        }
    }

    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        if self.book.rows_left() == 0 {
            self.next_sheet()?;
        }
        self.book.row(cells, false)
    }

    /// Finishes the workbook.
    pub fn finish(self) -> io::Result<W> {
        self.book.finish()
    }
}

/// Yuan (two decimals) and 万元 of the definite and up-to totals.
fn money_texts(t: &Totals) -> [String; 4] {
    let yuan = |d| crate::money::to_fixed2(d);
    let wan = |d| crate::format::in_wan(d);
    [
        yuan(t.definite.0),
        yuan(t.up_to.0),
        wan(t.definite.0),
        wan(t.up_to.0),
    ]
}

fn push_money<'a>(cells: &mut Vec<Cell<'a>>, m: &'a [String; 4]) {
    cells.push(Cell::Money(&m[0]));
    cells.push(Cell::Money(&m[1]));
    cells.push(Cell::Number(&m[2]));
    cells.push(Cell::Number(&m[3]));
}

/// A table of text cells as a workbook of one sheet: a cell that is a plain number (digits,
/// at most one point, no leading zero) becomes a number cell, anything else stays text.
pub fn table_workbook(sheet: &str, rows: &[Vec<String>]) -> io::Result<Vec<u8>> {
    let mut book = WorkbookWriter::new(Vec::new());
    book.sheet(sheet)?;
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<Cell> = row
            .iter()
            .map(|c| match c.as_str() {
                "" => Cell::Empty,
                n if i > 0 && plain_number(n) => Cell::Number(n),
                t => Cell::Text(t),
            })
            .collect();
        book.row(&cells, i == 0)?;
    }
    book.finish()
}

/// A CSV table (header first) as a workbook of one sheet, as [`table_workbook`]; blank lines
/// are left out. The example client list `docs/examples/clients.xlsx` is made this way.
pub fn csv_workbook(sheet: &str, csv: &str) -> io::Result<Vec<u8>> {
    let csv = csv.strip_prefix('\u{feff}').unwrap_or(csv);
    let mut rows = Vec::new();
    for (n, line) in crate::batch::Lines::new(csv.as_bytes(), 1) {
        let text = std::str::from_utf8(line).map_err(io::Error::other)?;
        if text.trim().is_empty() {
            continue;
        }
        let cells = crate::batch::read::split_csv_line(text)
            .map_err(|e| io::Error::other(format!("line {n}: {e}")))?;
        rows.push(cells.into_iter().map(|c| c.into_owned()).collect());
    }
    table_workbook(sheet, &rows)
}

fn plain_number(s: &str) -> bool {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let dots = s.bytes().filter(|&b| b == b'.').count();
    digits > 0
        && digits + dots == s.len()
        && dots <= 1
        && !s.starts_with('.')
        && !s.ends_with('.')
        && (!s.starts_with('0') || s == "0" || s.starts_with("0."))
        && digits <= 15
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .iter()
            .map(|&i| column_name(i))
            .collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn text_is_escaped_for_xml() {
        let mut s = String::new();
        escape_into(&mut s, "a<b>&\"c\u{1b}[31m\u{0}_x0041_\n");
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c_x001B_[31m_x0000__x005F_x0041_\n");
        assert_eq!(
            super::super::read::unescape_ooxml(
                &s.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
                    .replace("&quot;", "\"")
            ),
            "a<b>&\"c\u{1b}[31m\u{0}_x0041_\n"
        );
    }

    #[test]
    fn numbers_in_tables() {
        for (s, want) in [
            ("2000000", true),
            ("12.5", true),
            ("0", true),
            ("0.5", true),
            ("007", false),
            ("1,200万", false),
            ("2024-05-01", false),
            ("3", true),
            ("", false),
            ("1234567890123456", false),
        ] {
            assert_eq!(plain_number(s), want, "{s}");
        }
    }
}
