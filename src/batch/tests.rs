//! The batch end to end: bytes in, rows and CSV out.

use super::*;
use crate::date::parse_date;
use crate::eval::EvalOptions;
use crate::profile::Value;
use crate::set::PolicySet;

fn set() -> PolicySet {
    PolicySet::embedded().expect("embedded policies load")
}

fn opts(d: &str) -> EvalOptions {
    EvalOptions::new(parse_date(d).expect("date"))
}

/// Every client read, in order (for the reading tests).
fn read(set: &PolicySet, name: &str, text: &[u8]) -> Result<Vec<ClientResult<'static>>, FileError> {
    // The results borrow the set only for district figures; reading tests look at the rows.
    let set: &'static PolicySet = Box::leak(Box::new(set.clone()));
    let b = Batch::new(set, &opts("2025-06-01")).expect("batch");
    let (_, outs) = b.run_bytes(Some(name), text, None, Sink::Keep)?;
    Ok(outs.into_iter().flat_map(|o| o.kept).collect())
}

fn problems(c: &ClientResult) -> Vec<String> {
    match &c.outcome {
        Outcome::Invalid(p) => p.iter().map(|p| p.path().to_string()).collect(),
        _ => Vec::new(),
    }
}

const CSV: &str = "\u{feff}id,name,registered_district,entity_type,operating_normally,credit_good,tax_registered_locally,is_software_enterprise,cmmi_level,cmmi_issued_on,software_copyrights\n\
    C1,金山软件甲,jinshan,enterprise,是,是,是,true,3,2023-05-10,5\n\
    C2,坏数据公司,jinshan,enterprise,是,是,yes,maybe,7,2023-13-01,-1\n\
    \n\
    ,,,,,,,,,,\n\
    C3,\"Putuo, Ltd\",putuo,enterprise,,,,,,,\n";

#[test]
fn csv_good_and_bad_rows_numbered_by_line() {
    let s = set();
    let rows = read(&s, "c.csv", CSV.as_bytes()).expect("header ok");
    assert_eq!(rows.len(), 3, "blank and all-empty rows skipped");
    assert_eq!((rows[0].row, rows[0].id.as_deref()), (2, Some("C1")));
    assert_eq!(rows[0].name.as_deref(), Some("金山软件甲"));
    assert!(!rows[0].is_bad());
    assert_eq!(rows[1].row, 3);
    assert_eq!(rows[1].name.as_deref(), Some("坏数据公司"));
    assert_eq!(
        problems(&rows[1]),
        [
            "is_software_enterprise",
            "cmmi_level",
            "cmmi_issued_on",
            "software_copyrights"
        ]
    );
    let e = rows[1].row_error().expect("bad");
    let msg = e.to_string();
    for want in [
        "row 3",
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
    assert_eq!(rows[2].row, 6, "the line in the file");
    assert_eq!(rows[2].name.as_deref(), Some("Putuo, Ltd"));
}

#[test]
fn a_stray_quote_spoils_only_its_own_line() {
    let s = set();
    let text = "name,registered_district\nA,putuo\n\"B,putuo\nC,putuo\nD,putuo\n";
    let rows = read(&s, "q.csv", text.as_bytes()).expect("ok");
    let got: Vec<(usize, Option<&str>, bool)> = rows
        .iter()
        .map(|r| (r.row, r.name.as_deref(), r.is_bad()))
        .collect();
    assert_eq!(
        got,
        [
            (2, Some("A"), false),
            (3, None, true),
            (4, Some("C"), false),
            (5, Some("D"), false)
        ]
    );
    assert!(
        rows[1]
            .row_error()
            .expect("bad")
            .summary()
            .contains("not closed"),
        "{:?}",
        rows[1]
    );
    // 10,000 rows with one stray quote: the other 9,999 are all there.
    let mut big = String::from("id,name,registered_district\n");
    for i in 0..10_000 {
        let q = if i == 17 { "\"" } else { "" };
        big.push_str(&format!("{q}C{i},Firm {i},putuo\n"));
    }
    let rows = read(&s, "big.csv", big.as_bytes()).expect("ok");
    assert_eq!(rows.len(), 10_000);
    assert_eq!(rows.iter().filter(|r| r.is_bad()).count(), 1);
    assert_eq!(rows[17].row, 19);
    assert!(rows[17].is_bad());
}

#[test]
fn line_ends_of_every_kind_give_editor_line_numbers() {
    let s = set();
    let lf = "name,cmmi_level\nA,3\n\nB,x\nC,4\n";
    let want: Vec<(usize, bool)> = vec![(2, false), (4, true), (5, false)];
    for text in [
        lf.to_string(),
        lf.replace('\n', "\r\n"),
        lf.replace('\n', "\r"),
        format!("\u{feff}{}", lf.replace('\n', "\r\n")),
    ] {
        let rows = read(&s, "e.csv", text.as_bytes()).expect("ok");
        let got: Vec<(usize, bool)> = rows.iter().map(|r| (r.row, r.is_bad())).collect();
        assert_eq!(got, want, "{text:?}");
    }
}

#[test]
fn cells_read_as_the_form_reads_them() {
    let s = set();
    let cat = &s.catalogue;
    let text = "name,annual_revenue,cmmi_level,cmmi_issued_on,software_copyrights\n\
        E,\"1,200万\",三级,2024/05/01,１２\n";
    let rows = read(&s, "t.csv", text.as_bytes()).expect("ok");
    assert!(!rows[0].is_bad(), "{:?}", rows[0]);
    // Evaluate again to look at the profile.
    let r = Reader::csv(
        cat,
        b"name,annual_revenue,cmmi_level,cmmi_issued_on,software_copyrights",
        Encoding::Utf8,
        None,
    )
    .expect("header");
    let c = r
        .line(2, "E,\"1,200万\",三级,2024/05/01,１２".as_bytes())
        .expect("row")
        .expect("good");
    let f = |id: &str| c.profile.facts[cat.fact_id(id).expect("fact") as usize].clone();
    assert_eq!(
        f("annual_revenue"),
        Some(Value::Money("12000000".parse().expect("d")))
    );
    assert_eq!(f("cmmi_level"), Some(Value::Enum(2)));
    assert_eq!(
        f("cmmi_issued_on"),
        Some(Value::Date(parse_date("2024-05-01").expect("d")))
    );
    assert_eq!(f("software_copyrights"), Some(Value::Int(12)));
}

#[test]
fn project_columns() {
    let s = set();
    let cat = &s.catalogue;
    let header = "name,registered_district,projects.1.kind,projects.1.actual_investment,projects.3.kind,projects.3.actual_investment,game_products.2.licensed";
    let r = Reader::csv(cat, header.as_bytes(), Encoding::Utf8, None).expect("header ok");
    let projects = cat.list_id("projects").expect("list");
    let games = cat.list_id("game_products").expect("list");
    let a = r
        .line(
            2,
            "A,putuo,rd_project,2000000,computing_power,,是".as_bytes(),
        )
        .expect("row")
        .expect("A good");
    assert_eq!(a.profile.items(projects).len(), 2);
    assert_eq!(a.profile.items(games).len(), 1);
    let b = r
        .line(3, "B,putuo,,,rd_project,100万元x,".as_bytes())
        .expect("row")
        .expect_err("B bad money");
    assert_eq!(b.problems.len(), 1);
    assert_eq!(b.problems[0].path(), "projects.3.actual_investment");
    let r2 = Reader::csv(
        cat,
        b"name,projects.2.kind,projects.2.actual_investment",
        Encoding::Utf8,
        None,
    )
    .expect("ok");
    let b = r2
        .line(2, b"B,rd_project,1000000")
        .expect("row")
        .expect("B good");
    assert_eq!(b.profile.items(projects).len(), 1, "empty item 1 skipped");
    assert!(!b.profile.answered(games), "no game column: not answered");
}

#[test]
fn list_columns_answer_none_and_empty_cells_leave_lists_unanswered() {
    let s = set();
    let cat = &s.catalogue;
    let projects = cat.list_id("projects").expect("list");
    let r = Reader::csv(cat, b"name,projects,projects.1.kind", Encoding::Utf8, None)
        .expect("header ok");
    let row = |n: usize, line: &str| r.line(n, line.as_bytes()).expect("row");
    // Empty cells: the list is not answered (unknown), never "none".
    let blank = row(2, "A,,").expect("good");
    assert!(!blank.profile.answered(projects));
    // Each of the words the form uses for "none" answers it, in the list's own column.
    for word in crate::profile::EMPTY_LIST_WORDS {
        let none = row(3, &format!("B,{word},")).expect("good");
        assert!(none.profile.answered(projects), "{word}");
        assert!(none.profile.items(projects).is_empty(), "{word}");
    }
    let items = row(4, "C,,rd_project").expect("good");
    assert_eq!(items.profile.items(projects).len(), 1);
    // "None" beside an item, or anything else in the list's column: the row says which column.
    for line in ["D,无,rd_project", "D,3,"] {
        let bad = row(5, line).expect_err("contradiction");
        assert_eq!(bad.problems.len(), 1, "{line}");
        assert_eq!(bad.problems[0].path(), "projects");
        assert!(bad.problems[0].text().zh.contains("无"), "{line}");
    }
    // JSON lines: an absent key is unanswered, `[]` is "none".
    let j = Reader::jsonl(cat, Encoding::Utf8, None);
    let get = |text: &str| j.line(2, text.as_bytes()).expect("row").expect("good");
    assert!(!get(r#"{"name":"E"}"#).profile.answered(projects));
    assert!(
        !get(r#"{"name":"E","projects":null}"#)
            .profile
            .answered(projects)
    );
    let none = get(r#"{"name":"F","projects":[]}"#);
    assert!(none.profile.answered(projects) && none.profile.items(projects).is_empty());
}

#[test]
fn empty_date_list_cell_and_extra_cells() {
    let s = set();
    let cat = &s.catalogue;
    let r = Reader::csv(cat, b"name,serious_violation_dates", Encoding::Utf8, None).expect("ok");
    let f = cat.fact_id("serious_violation_dates").expect("fact") as usize;
    let get = |line: &str| {
        r.line(2, line.as_bytes())
            .expect("row")
            .expect("good")
            .profile
            .facts[f]
            .clone()
    };
    assert_eq!(
        get("A,无"),
        Some(Value::Dates(Vec::new())),
        "无 = no violations"
    );
    assert_eq!(get("B,"), None, "empty = unknown");
    assert!(matches!(get("C,2022-01-05;2021-03-01"), Some(Value::Dates(d)) if d.len() == 2));
    let r = Reader::csv(cat, b"name,cmmi_level", Encoding::Utf8, None).expect("ok");
    let e = r
        .line(2, b"A,3,oops")
        .expect("row")
        .expect_err("extra cell");
    assert_eq!(e.problems[0].path(), "(row)");
    assert!(
        r.line(3, b"B,3,").expect("row").is_ok(),
        "an empty extra cell is harmless"
    );
}

#[test]
fn jsonl_rows() {
    let s = set();
    let text = "{\"id\": 7, \"name\": \"甲\", \"enterprise\": {\"registered_district\": \"jinshan\"}}\n\
        \n\
        {\"name\": \"乙\", \"certifications\": {\"cmmi_level\": \"9\"}, \"projects\": [{\"kind\": \"nope\"}]}\n\
        {not json\n\
        {\"name\": \"丙\", \"enterprise\": {\"entity_type\": \"enterprise\"}, \"enterprise\": {\"credit_good\": true}}\n";
    let rows = read(&s, "c.jsonl", text.as_bytes()).expect("ok");
    assert_eq!(rows.len(), 4);
    assert_eq!((rows[0].row, rows[0].id.as_deref()), (1, Some("7")));
    assert!(!rows[0].is_bad());
    assert_eq!(rows[1].row, 3);
    assert_eq!(rows[1].name.as_deref(), Some("乙"));
    assert_eq!(
        problems(&rows[1]),
        ["certifications.cmmi_level", "projects[0].kind"]
    );
    let c = rows[2].row_error().expect("line 4");
    assert_eq!(c.row, 4);
    assert!(
        c.to_string().contains("row 4: (row): not valid JSON"),
        "{c}"
    );
    assert_eq!(problems(&rows[3]), ["enterprise"], "a repeated key");
    assert!(
        rows[3]
            .row_error()
            .expect("bad")
            .summary()
            .contains("duplicate key")
    );
}

#[test]
fn gb18030_is_read_with_the_decoder_given() {
    let s = set();
    // "name\n上海\n" in GBK, and a decoder that knows just those bytes.
    let bytes = b"name,registered_district\n\xc9\xcf\xba\xa3,putuo\n";
    fn gbk(b: &[u8]) -> Option<String> {
        (b == b"\xc9\xcf\xba\xa3,putuo").then(|| "上海,putuo".to_string())
    }
    let b = Batch::new(&s, &opts("2025-06-01")).expect("batch");
    assert_eq!(
        b.run_bytes(Some("g.csv"), bytes, None, Sink::Keep).err(),
        Some(FileError::NotUtf8)
    );
    let (summary, outs) = b
        .run_bytes(Some("g.csv"), bytes, Some(gbk), Sink::Keep)
        .expect("read");
    assert_eq!(summary.encoding, Encoding::Gb18030);
    assert_eq!(outs[0].kept[0].name.as_deref(), Some("上海"));
    let bad = b"name,registered_district\n\xc9\xcf\xba\xa3,putuo\n\xff\xfe,putuo\n";
    let (summary, _) = b
        .run_bytes(Some("g.csv"), bad, Some(gbk), Sink::Keep)
        .expect("read");
    assert_eq!((summary.tally.clients, summary.tally.bad_rows), (2, 1));
    assert!(summary.listed[0].summary().contains("GB18030"));
}

#[test]
fn evaluates_and_writes_csv() {
    let s = set();
    let mut o = opts("2024-06-01");
    // 第八条 checks the certificate date against the call's application period.
    o.application_period = crate::date::Period::parse("2023-01-01..2023-12-31").ok();
    let b = Batch::new(&s, &o).expect("batch");
    let (summary, out) = b
        .csv_of(Some("c.csv"), CSV.as_bytes(), None, true)
        .expect("header ok");
    assert_eq!((summary.tally.clients, summary.tally.bad_rows), (3, 1));
    assert_eq!(summary.tally.output_rows, 2 * s.policies.len() + 1);
    assert!(out.starts_with(BOM));
    let mut lines = out.trim_start_matches(BOM).lines();
    assert_eq!(lines.next(), Some(CSV_COLUMNS.join(",").as_str()));
    assert_eq!(lines.count(), summary.tally.output_rows);
    // 第八条: CMMI 3 → 30万 definite; 第六条: 5 × 1000 (up to).
    let jinshan = out
        .lines()
        .find(|l| l.starts_with("2,C1,") && l.contains(",jinshan,"))
        .expect("jinshan row");
    assert!(
        jinshan.contains(",in_force,true,91,false,300000.00,305000.00,30,30.5,"),
        "{jinshan}"
    );
    let bad = out.lines().find(|l| l.starts_with("3,")).expect("bad row");
    assert!(bad.contains("cmmi_level: 无效选项"), "{bad}");
    let cells = read::split_csv_line(bad).expect("closed quotes");
    assert_eq!(cells.len(), CSV_COLUMNS.len());
    assert!(out.contains("\"Putuo, Ltd\""));
    let (_, plain) = b
        .csv_of(Some("c.csv"), CSV.as_bytes(), None, false)
        .expect("ok");
    assert!(!plain.starts_with(BOM));
}

#[test]
fn chunks_give_the_same_output_as_one_pass() {
    let s = set();
    let b = Batch::new(&s, &opts("2026-11-21")).expect("batch");
    let text = include_str!("../../docs/examples/clients.csv");
    let (_, whole) = b
        .csv_of(Some("c.csv"), text.as_bytes(), None, true)
        .expect("ok");
    let (reader, header) = {
        let first = Chunk {
            seq: 0,
            first_line: 1,
            bytes: text.as_bytes().to_vec(),
        };
        Reader::open(&s.catalogue, InputFormat::Csv, &first, None).expect("open")
    };
    for size in [1, 50, 300] {
        let mut csv = String::new();
        write::csv_header(&mut csv, true);
        for chunk in ChunkReader::new(text.as_bytes(), size) {
            let out = b.lines(&reader, &chunk.expect("read"), header, Sink::Csv);
            csv.push_str(&out.csv);
        }
        assert_eq!(csv, whole, "chunks of {size} bytes");
    }
}

#[test]
fn formula_like_text_is_guarded() {
    let s = set();
    let b = Batch::new(&s, &opts("2026-11-21")).expect("batch");
    let text = "id,name,registered_district\n=1+2,@SUM(A1),putuo\n-3,+x,jinshan\n";
    let (_, out) = b.csv_of(None, text.as_bytes(), None, false).expect("ok");
    assert!(out.contains("\n2,'=1+2,'@SUM(A1),"), "{out}");
    assert!(out.contains("\n3,'-3,'+x,"), "{out}");
}

#[test]
fn unknown_district_fails_whole_batch() {
    let s = set();
    let mut o = opts("2024-06-01");
    o.districts = Some(vec!["atlantis".into()]);
    assert!(matches!(
        Batch::new(&s, &o),
        Err(crate::eval::EvalError::UnknownDistrict(_))
    ));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Any text, with or without a valid header, never panics, keeps row numbers sane and
    /// gives every client read an output row.
    #[test]
    fn never_panics(body in "[a-z0-9.,;\"\\r\\n 是否{}:\\[\\]-]{0,200}") {
        let s = set();
        let b = Batch::new(&s, &opts("2025-06-01")).expect("batch");
        for (name, text) in [
            ("a.csv", body.clone()),
            ("b.csv", format!("name,registered_district,cmmi_level,projects.1.kind,annual_revenue\n{body}")),
            ("c.jsonl", body.clone()),
        ] {
            if let Ok((summary, outs)) = b.run_bytes(Some(name), text.as_bytes(), None, Sink::Keep) {
                let kept: Vec<&ClientResult> = outs.iter().flat_map(|o| &o.kept).collect();
                proptest::prop_assert_eq!(kept.len(), summary.tally.clients);
                for c in kept {
                    proptest::prop_assert!(c.row >= 1);
                }
            }
            let _ = b.csv_of(Some(name), text.as_bytes(), None, true);
        }
    }
}
