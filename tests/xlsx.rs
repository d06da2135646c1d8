//! Excel workbooks in batches: the example client list, workbooks saved by other programs
//! (openpyxl, rust_xlsxwriter: tests/fixtures/xlsx/), and the results workbook read back by
//! an independent reader (calamine).

use butie::batch::xlsx::{ResultsWriter, csv_workbook};
use butie::batch::{Batch, Sink, Summary};
use butie::date::parse_date;
use butie::{EvalOptions, PolicySet};
use calamine::{Data, Reader as _, Xlsx};
use std::io::Cursor;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn set() -> PolicySet {
    PolicySet::embedded().expect("embedded")
}

fn opts() -> EvalOptions {
    EvalOptions::new(parse_date("2026-11-21").expect("date"))
}

/// The results CSV of a list, without the BOM.
fn csv(set: &PolicySet, name: &str, bytes: &[u8]) -> (Summary, String) {
    Batch::new(set, &opts())
        .expect("batch")
        .csv_of(Some(name), bytes, None, false)
        .expect("readable")
}

/// `docs/examples/clients.xlsx` is `clients.csv` as a workbook, byte for byte what
/// `cargo xtask examples` writes (no clock in it), and gives the same results.
#[test]
fn the_example_workbook_is_current_and_gives_the_csv_results() {
    let dir = root().join("docs/examples");
    let text = std::fs::read_to_string(dir.join("clients.csv")).expect("clients.csv");
    let made = csv_workbook("clients", &text).expect("workbook");
    let committed = std::fs::read(dir.join("clients.xlsx")).unwrap_or_default();
    assert!(
        made == committed,
        "docs/examples/clients.xlsx is stale: run `cargo xtask examples`"
    );
    let s = set();
    let (from_csv, want) = csv(&s, "clients.csv", text.as_bytes());
    let (from_xlsx, got) = csv(&s, "clients.xlsx", &committed);
    assert_eq!(got, want);
    assert_eq!(from_xlsx.tally, from_csv.tally);
    assert_eq!(from_csv.tally.clients, 6);
    // Read by calamine too: the same cells as the CSV.
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(committed)).expect("calamine opens it");
    let range = wb.worksheet_range("clients").expect("sheet");
    let first: Vec<String> = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        first.join(","),
        text.trim_start_matches('\u{feff}')
            .lines()
            .next()
            .expect("header")
    );
    assert_eq!(
        range.rows().count(),
        text.lines().filter(|l| !l.trim().is_empty()).count()
    );
}

/// A workbook typed in a spreadsheet: numbers, real dates in date formats, TRUE/FALSE, an
/// empty row, an error value; saved by openpyxl.
#[test]
fn a_workbook_from_openpyxl() {
    let s = set();
    let bytes =
        std::fs::read(root().join("tests/fixtures/xlsx/openpyxl-typed.xlsx")).expect("fixture");
    let (summary, out) = csv(&s, "typed.xlsx", &bytes);
    assert_eq!(
        (summary.tally.clients, summary.tally.bad_rows),
        (3, 1),
        "{out}"
    );
    let line = |row: &str, district: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("{row},")) && l.contains(&format!(",{district},")))
            .unwrap_or_else(|| panic!("row {row} {district} in {out}"))
            .to_string()
    };
    // Row 2: 18,000,000 yuan, CMMI 3 on 2025-06-20 (a real date), TRUE, 4 copyrights.
    assert!(line("2", "putuo").starts_with("2,C-1,上海甲软件有限公司,putuo,"));
    // Row 4 (row 3 is empty): the form's spellings — 1,200万, 三级, 2024/05/01.
    assert!(line("4", "jinshan").contains("上海乙 & <丙>"));
    // Row 5: `#N/A` as money and 2.5 copyrights are named, not silently dropped.
    let bad = line("5", "");
    assert!(
        bad.contains("annual_revenue:") && bad.contains("software_copyrights:"),
        "{bad}"
    );
    let reader_view = Batch::new(&s, &opts())
        .expect("batch")
        .run_bytes(Some("typed.xlsx"), &bytes, None, Sink::Keep)
        .expect("read");
    let rows: Vec<usize> = reader_view
        .1
        .iter()
        .flat_map(|o| o.kept.iter().map(|c| c.row))
        .collect();
    assert_eq!(rows, [2, 4, 5], "worksheet row numbers");
}

/// A workbook as Excel writes one (shared strings, a custom date format), by rust_xlsxwriter.
#[test]
fn a_workbook_from_rust_xlsxwriter() {
    let s = set();
    let bytes = std::fs::read(root().join("tests/fixtures/xlsx/rust_xlsxwriter-typed.xlsx"))
        .expect("fixture");
    let (summary, out) = csv(&s, "excel.xlsx", &bytes);
    assert_eq!(
        (summary.tally.clients, summary.tally.bad_rows),
        (2, 0),
        "{out}"
    );
    let cat = &s.catalogue;
    let b = Batch::new(&s, &opts()).expect("batch");
    let (_, outs) = b
        .run_bytes(Some("excel.xlsx"), &bytes, None, Sink::Keep)
        .expect("read");
    let kept: Vec<_> = outs.into_iter().flat_map(|o| o.kept).collect();
    assert_eq!(kept.iter().map(|c| c.row).collect::<Vec<_>>(), [2, 4]);
    assert_eq!(kept[0].name.as_deref(), Some("上海云栈智能软件有限公司"));
    // The same client typed into a CSV gives the same figures: the date came through as 2025-06-20.
    let header = "id,name,registered_district,entity_type,annual_revenue,cmmi_level,cmmi_issued_on,credit_good";
    let text = format!(
        "{header}\nC-1,上海云栈智能软件有限公司,putuo,enterprise,18000000,3,2025-06-20,true\n"
    );
    let (_, from_csv) = csv(&s, "same.csv", text.as_bytes());
    let putuo = |o: &str| {
        o.lines()
            .find(|l| l.contains(",putuo,"))
            .map(|l| l.split_once(',').map(|x| x.1.to_string()))
            .expect("putuo")
    };
    assert_eq!(putuo(&out), putuo(&from_csv));
    assert!(cat.fact_id("credit_good").is_some());
}

/// The results workbook holds the same rows as the results CSV, read back by calamine.
#[test]
fn the_results_workbook_holds_the_csv_rows() {
    let s = set();
    let text =
        std::fs::read_to_string(root().join("tests/browser/fixtures/clients-with-bad-rows.csv"))
            .expect("fixture");
    let b = Batch::new(&s, &opts()).expect("batch");
    let (_, want) = b
        .csv_of(Some("c.csv"), text.as_bytes(), None, false)
        .expect("csv");
    let (_, outs) = b
        .run_bytes(Some("c.csv"), text.as_bytes(), None, Sink::Keep)
        .expect("read");
    let mut w = ResultsWriter::new(Vec::new()).expect("writer");
    for c in outs.iter().flat_map(|o| &o.kept) {
        w.client(&b, c).expect("row");
    }
    let bytes = w.finish().expect("finish");
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("calamine opens it");
    let range = wb.worksheet_range("results").expect("results sheet");
    let got: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let want: Vec<Vec<String>> = want
        .lines()
        .map(|l| {
            butie::batch::read::split_csv_line(l)
                .expect("closed")
                .into_iter()
                .map(|c| {
                    let c = c.into_owned();
                    // Numbers compare as numbers; the CSV's formula guard is not needed in a
                    // workbook, where text is always a string cell.
                    match c.parse::<f64>() {
                        Ok(f) if !c.is_empty() && !c.starts_with('\'') => format!("{f}"),
                        _ => c.strip_prefix('\'').map(str::to_string).unwrap_or(c),
                    }
                })
                .collect()
        })
        .collect();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        let g: Vec<&str> = g
            .iter()
            .map(String::as_str)
            .chain(std::iter::repeat(""))
            .take(w.len())
            .collect();
        assert_eq!(g, w.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

#[test]
fn damaged_workbooks_are_file_errors() {
    let s = set();
    let b = Batch::new(&s, &opts()).expect("batch");
    let good = std::fs::read(root().join("docs/examples/clients.xlsx")).expect("example");
    for bad in [
        &good[..good.len() / 2],
        b"PK\x03\x04 not really a zip".as_slice(),
    ] {
        let e = b
            .run_bytes(Some("bad.xlsx"), bad, None, Sink::Keep)
            .expect_err("damaged");
        assert!(e.to_string().contains("workbook"), "{e}");
    }
}
