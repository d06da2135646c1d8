//! Reading a client list from a workbook: the first worksheet, row by row as the sheet XML is
//! inflated, each cell as the text a person sees — shared and inline strings, numbers as
//! written, dates (a number in a date format) as `YYYY-MM-DD`, `TRUE`/`FALSE` as
//! `true`/`false`, error values (`#N/A`) as they are, so that a bad cell is a bad row.

use super::zip::{Archive, EntryReader};
use crate::batch::FileError;
use crate::batch::read::Reader;
use crate::catalogue::Catalogue;
use quick_xml::events::{BytesStart, Event};
use std::io::BufReader;

type Xml<'a> = quick_xml::Reader<BufReader<EntryReader<'a>>>;

fn damaged(e: impl std::fmt::Display) -> FileError {
    FileError::Workbook(format!("damaged XML: {e}"))
}

/// The value of attribute `name`, unescaped.
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// Reads the text of the current element up to its end tag `until` (entities resolved,
/// phonetic runs `<rPh>` skipped).
fn text_until(xml: &mut Xml, buf: &mut Vec<u8>, until: &str) -> Result<String, FileError> {
    let mut out = String::new();
    let mut depth_rph = 0usize;
    loop {
        buf.clear();
        match xml.read_event_into(buf).map_err(damaged)? {
            Event::Start(e) if e.local_name().as_ref() == "rPh" => depth_rph += 1,
            Event::End(e) if e.local_name().as_ref() == "rPh" => {
                depth_rph = depth_rph.saturating_sub(1)
            }
            Event::Text(t) if depth_rph == 0 => out.push_str(&t.xml10_content()),
            Event::CData(t) if depth_rph == 0 => out.push_str(&t.into_inner()),
            Event::GeneralRef(r) if depth_rph == 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else {
                    out.push_str(match r.into_inner().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) if e.local_name().as_ref() == until => return Ok(out),
            Event::Eof => return Err(damaged("unexpected end")),
            _ => {}
        }
    }
}

/// Decodes the `_xHHHH_` escapes spreadsheet XML uses for control characters.
pub(crate) fn unescape_ooxml(s: &str) -> String {
    if !s.contains("_x") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let code = tail
            .get(2..6)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Number formats that show a date (built-in ids, or a custom code with day/month/year).
fn is_date_format(id: u32, custom: Option<&str>) -> bool {
    match custom {
        Some(code) => {
            // Drop quoted text and bracketed parts ([Red], [$-804]) before looking.
            let mut plain = String::new();
            let (mut quoted, mut bracket) = (false, false);
            for c in code.chars() {
                match c {
                    '"' => quoted = !quoted,
                    '[' if !quoted => bracket = true,
                    ']' if !quoted => bracket = false,
                    _ if !quoted && !bracket => plain.push(c.to_ascii_lowercase()),
                    _ => {}
                }
            }
            plain.contains('y')
                || plain.contains('d')
                || plain.contains("年")
                || plain.contains("日")
        }
        None => matches!(id, 14..=17 | 22 | 27..=36 | 50..=58),
    }
}

/// A sheet's serial date number (`45413`, `45413.5` with a time) as `YYYY-MM-DD` (1900
/// system with its 29 Feb 1900, or 1904). Read as text: no float parser in the wasm.
fn serial_date(serial: &str, date1904: bool) -> Option<String> {
    let whole = serial.split('.').next()?;
    if whole.is_empty() || whole.len() > 7 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let days: i64 = whole.parse().ok()?;
    let (base, days) = if date1904 {
        (
            time::Date::from_calendar_date(1904, time::Month::January, 1).ok()?,
            days,
        )
    } else if days >= 61 {
        (
            time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?,
            days,
        )
    } else {
        (
            time::Date::from_calendar_date(1899, time::Month::December, 31).ok()?,
            days,
        )
    };
    let d = base.checked_add(time::Duration::days(days))?;
    Some(crate::date::fmt_date(d))
}

/// A number as the cell holds it, in plain decimal (`1.2E+7` → `12000000`), exactly.
fn number_text(v: &str) -> String {
    if v.contains(['e', 'E']) {
        match rust_decimal::Decimal::from_scientific(v) {
            Ok(d) => d.normalize().to_string(),
            Err(_) => v.to_string(),
        }
    } else {
        v.to_string()
    }
}

/// The rows of a workbook's first worksheet.
pub struct SheetRows<'a> {
    xml: Xml<'a>,
    buf: Vec<u8>,
    shared: Vec<String>,
    date_styles: Vec<bool>,
    date1904: bool,
    last_row: usize,
    done: bool,
}

impl<'a> SheetRows<'a> {
    /// Opens the workbook and its first worksheet.
    pub fn open(bytes: &'a [u8]) -> Result<SheetRows<'a>, FileError> {
        let zip = Archive::open(bytes).map_err(FileError::Workbook)?;
        let read = |name: &str| -> Result<Option<Vec<u8>>, FileError> {
            zip.read(name)
                .transpose()
                .map_err(|e| FileError::Workbook(format!("{name}: {e}")))
        };
        let workbook = read("xl/workbook.xml")?.ok_or_else(|| {
            FileError::Workbook("no xl/workbook.xml: not an Excel workbook".into())
        })?;
        let (rel, date1904) = first_sheet(&workbook)?;
        let rels = read("xl/_rels/workbook.xml.rels")?.unwrap_or_default();
        let target =
            sheet_target(&rels, &rel).unwrap_or_else(|| "worksheets/sheet1.xml".to_string());
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        let shared = match read("xl/sharedStrings.xml")? {
            Some(x) => shared_strings(&x)?,
            None => Vec::new(),
        };
        let date_styles = match read("xl/styles.xml")? {
            Some(x) => date_styles(&x)?,
            None => Vec::new(),
        };
        let entry = zip
            .open_entry(&path)
            .ok_or_else(|| FileError::Workbook(format!("no worksheet at {path}")))?
            .map_err(FileError::Workbook)?;
        let xml = quick_xml::Reader::from_reader(BufReader::with_capacity(64 * 1024, entry));
        Ok(SheetRows {
            xml,
            buf: Vec::new(),
            shared,
            date_styles,
            date1904,
            last_row: 0,
            done: false,
        })
    }

    /// The reader for the rows below the header (the first row that is not empty).
    pub fn reader<'c>(&mut self, cat: &'c Catalogue) -> Result<Reader<'c>, FileError> {
        loop {
            let Some((_, cells)) = self.next_row()? else {
                return Err(FileError::Empty);
            };
            if cells.iter().any(|c| !c.trim().is_empty()) {
                return Reader::cells(cat, &cells);
            }
        }
    }

    /// Up to `max` more rows (row number, cells by column), skipping empty ones.
    pub fn next_rows(&mut self, max: usize) -> Result<Vec<(usize, Vec<String>)>, FileError> {
        let mut out = Vec::new();
        while out.len() < max {
            match self.next_row()? {
                None => break,
                Some((_, cells)) if cells.iter().all(|c| c.trim().is_empty()) => {}
                Some(row) => out.push(row),
            }
        }
        Ok(out)
    }

    /// The next `<row>`: its number and its cells by column index.
    fn next_row(&mut self) -> Result<Option<(usize, Vec<String>)>, FileError> {
        if self.done {
            return Ok(None);
        }
        loop {
            self.buf.clear();
            match self.xml.read_event_into(&mut self.buf).map_err(damaged)? {
                Event::Start(e) if e.local_name().as_ref() == "row" => {
                    let n = attr(&e, "r")
                        .and_then(|r| r.parse().ok())
                        .unwrap_or(self.last_row + 1);
                    self.last_row = n;
                    let cells = self.row_cells()?;
                    return Ok(Some((n, cells)));
                }
                Event::Empty(e) if e.local_name().as_ref() == "row" => {
                    self.last_row = attr(&e, "r")
                        .and_then(|r| r.parse().ok())
                        .unwrap_or(self.last_row + 1);
                }
                Event::End(e) if e.local_name().as_ref() == "sheetData" => {
                    self.done = true;
                    return Ok(None);
                }
                Event::Eof => {
                    self.done = true;
                    return Ok(None);
                }
                _ => {}
            }
        }
    }

    fn row_cells(&mut self) -> Result<Vec<String>, FileError> {
        let mut cells: Vec<String> = Vec::new();
        loop {
            self.buf.clear();
            let (col, kind, style, empty) =
                match self.xml.read_event_into(&mut self.buf).map_err(damaged)? {
                    Event::Start(e) if e.local_name().as_ref() == "c" => {
                        let (c, t, s) = cell_attrs(&e, cells.len());
                        (c, t, s, false)
                    }
                    Event::Empty(e) if e.local_name().as_ref() == "c" => {
                        let (c, t, s) = cell_attrs(&e, cells.len());
                        (c, t, s, true)
                    }
                    Event::End(e) if e.local_name().as_ref() == "row" => return Ok(cells),
                    Event::Eof => return Err(damaged("a row is not closed")),
                    _ => continue,
                };
            if col > 16_384 {
                return Err(damaged("a column beyond XFD"));
            }
            let value = if empty {
                String::new()
            } else {
                self.cell_value(&kind, style)?
            };
            if cells.len() <= col {
                cells.resize(col + 1, String::new());
            }
            cells[col] = value;
        }
    }

    /// Reads up to `</c>` and renders the value.
    fn cell_value(&mut self, kind: &str, style: usize) -> Result<String, FileError> {
        let mut v = None;
        let mut inline = None;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.xml.read_event_into(&mut buf).map_err(damaged)? {
                Event::Start(e) if e.local_name().as_ref() == "v" => {
                    v = Some(text_until(&mut self.xml, &mut Vec::new(), "v")?);
                }
                Event::Start(e) if e.local_name().as_ref() == "is" => {
                    inline = Some(text_until(&mut self.xml, &mut Vec::new(), "is")?);
                }
                Event::End(e) if e.local_name().as_ref() == "c" => break,
                Event::Eof => return Err(damaged("a cell is not closed")),
                _ => {}
            }
        }
        let v = v.unwrap_or_default();
        Ok(match kind {
            "s" => v
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|i| self.shared.get(i).cloned())
                .unwrap_or_default(),
            "inlineStr" => unescape_ooxml(&inline.unwrap_or_default()),
            "str" | "e" => unescape_ooxml(&v),
            "b" => match v.trim() {
                "1" => "true".to_string(),
                "0" => "false".to_string(),
                other => other.to_string(),
            },
            "d" => v.get(..10).unwrap_or(&v).to_string(),
            _ if v.trim().is_empty() => String::new(),
            _ if self.date_styles.get(style).copied().unwrap_or(false) => {
                serial_date(v.trim(), self.date1904).unwrap_or(v)
            }
            _ => number_text(v.trim()),
        })
    }
}

/// A cell's column (0-based, from `r="B7"`, else the next one), type and style.
fn cell_attrs(e: &BytesStart, next: usize) -> (usize, String, usize) {
    let col = attr(e, "r")
        .map(|r| {
            r.bytes()
                .take_while(u8::is_ascii_alphabetic)
                .fold(0usize, |n, b| {
                    n * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1)
                })
        })
        .filter(|&n| n > 0)
        .map_or(next, |n| n - 1);
    let kind = attr(e, "t").unwrap_or_default();
    let style = attr(e, "s").and_then(|s| s.parse().ok()).unwrap_or(0);
    (col, kind, style)
}

fn xml_of(bytes: &[u8]) -> quick_xml::Reader<&[u8]> {
    quick_xml::Reader::from_reader(bytes)
}

/// The relationship id of the first `<sheet>` and whether dates count from 1904.
fn first_sheet(workbook: &[u8]) -> Result<(String, bool), FileError> {
    let mut xml = xml_of(workbook);
    let mut buf = Vec::new();
    let mut date1904 = false;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(damaged)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "workbookPr" => {
                    date1904 = matches!(attr(&e, "date1904").as_deref(), Some("1" | "true"));
                }
                "sheet" => {
                    let rel = attr(&e, "r:id").unwrap_or_default();
                    return Ok((rel, date1904));
                }
                _ => {}
            },
            Event::Eof => return Err(FileError::Workbook("the workbook has no worksheet".into())),
            _ => {}
        }
    }
}

/// Where the relationship `id` points (relative to `xl/`, or absolute).
fn sheet_target(rels: &[u8], id: &str) -> Option<String> {
    let mut xml = xml_of(rels);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "Relationship"
                    && attr(&e, "Id").as_deref() == Some(id) =>
            {
                return attr(&e, "Target");
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The shared strings, each `<si>` as its text (rich-text runs joined).
fn shared_strings(bytes: &[u8]) -> Result<Vec<String>, FileError> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(EntryReader::Stored(bytes)));
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(damaged)? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                let t = text_until(&mut xml, &mut Vec::new(), "si")?;
                out.push(unescape_ooxml(&t));
            }
            Event::Empty(e) if e.local_name().as_ref() == "si" => out.push(String::new()),
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// Per cell style (`cellXfs` index): whether its number format shows a date.
fn date_styles(bytes: &[u8]) -> Result<Vec<bool>, FileError> {
    let mut xml = xml_of(bytes);
    let mut buf = Vec::new();
    let mut custom: Vec<(u32, String)> = Vec::new();
    let mut out = Vec::new();
    let mut in_xfs = false;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(damaged)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (
                        attr(&e, "numFmtId").and_then(|i| i.parse().ok()),
                        attr(&e, "formatCode"),
                    ) {
                        custom.push((id, code));
                    }
                }
                "cellXfs" => in_xfs = true,
                "xf" if in_xfs => {
                    let id = attr(&e, "numFmtId")
                        .and_then(|i| i.parse().ok())
                        .unwrap_or(0);
                    let code = custom
                        .iter()
                        .find(|(i, _)| *i == id)
                        .map(|(_, c)| c.as_str());
                    out.push(is_date_format(id, code));
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_xfs = false,
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_both_systems() {
        assert_eq!(serial_date("45413", false).as_deref(), Some("2024-05-01"));
        assert_eq!(
            serial_date("45413.75", false).as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(serial_date("1", false).as_deref(), Some("1900-01-01"));
        assert_eq!(serial_date("61", false).as_deref(), Some("1900-03-01"));
        assert_eq!(serial_date("43951", true).as_deref(), Some("2024-05-01"));
        assert_eq!(serial_date("-3", false), None);
        assert_eq!(serial_date("1e5", false), None);
    }

    #[test]
    fn formats_and_escapes() {
        assert!(is_date_format(14, None));
        assert!(!is_date_format(2, None));
        assert!(is_date_format(164, Some("yyyy/mm/dd")));
        assert!(is_date_format(165, Some("yyyy\"年\"m\"月\"d\"日\"")));
        assert!(!is_date_format(166, Some("0.00\"days\"")));
        assert!(!is_date_format(167, Some("[Red]0.00")));
        assert_eq!(unescape_ooxml("a_x000D_b_x_c"), "a\rb_x_c");
        assert_eq!(number_text("1.2E+7"), "12000000");
        assert_eq!(number_text("1.25E-2"), "0.0125");
        assert_eq!(number_text("2000000"), "2000000");
    }
}
