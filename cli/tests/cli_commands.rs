//! Runs the built `butie` binary on the docs' example profiles and client list.

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const AS_OF: &str = "2026-11-21";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn example(name: &str) -> String {
    root()
        .join("docs/examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn butie(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_butie"))
        .args(args)
        .output()
        .expect("run butie")
}

fn butie_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_butie"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn butie");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}", stderr(o));
    stdout(o)
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&ok(o)).expect("JSON output")
}

fn district<'v>(report: &'v Value, id: &str) -> &'v Value {
    report["districts"]
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["district"] == id))
        .expect("district in report")
}

#[test]
fn evaluate_table() {
    let f = example("software-firm-putuo.json");
    let out = ok(&butie(&["evaluate", &f, "--as-of", AS_OF]));
    for want in [
        "评估日期 2026-11-21",
        "当前可得（仅计有效政策）：确定 0元；最高 220万元",
        "普陀区 【即将失效】 普科合规范〔2024〕3号",
        "距失效还有 40 天：有效期至 2026-12-31",
        "最高 100万元",
        "[putuo.3.3]",
        "提示: 第1项",
        "金山区 【已失效】",
        "松江区 【草案】",
        "全部 13 条不符合",
        "已于 2026-12-01 对照原文核对",
        "本区其他文件 普科合规范〔2023〕4号: 被本政策废止 · 未收录",
        "下一步：如何申报",
        "发文单位: 上海市普陀区科学技术委员会、",
        "四、使用管理（二） 向所在重点地区投资促进中心申请",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let en = ok(&butie(&[
        "evaluate", &f, "--as-of", AS_OF, "--lang", "en", "--all",
    ]));
    assert!(en.contains("Putuo [ENDING SOON]"), "{en}");
    assert!(en.contains("up to CNY 1,000,000"), "{en}");
    assert!(
        en.contains("[jinshan.8]"),
        "--all lists blocked districts: {en}"
    );
}

#[test]
fn evaluate_json_and_district_filter() {
    let f = example("software-firm-putuo.json");
    let r = json(&butie(&["evaluate", &f, "--as-of", AS_OF, "--json"]));
    assert_eq!(r["as_of"], AS_OF);
    assert_eq!(r["available_now"]["up_to"], "2200000.00");
    assert_eq!(r["districts"].as_array().map(Vec::len), Some(4));
    let only = json(&butie(&[
        "evaluate",
        &f,
        "--as-of",
        AS_OF,
        "--json",
        "--district",
        "putuo",
        "--district",
        "jinshan",
    ]));
    assert_eq!(only["districts"].as_array().map(Vec::len), Some(2));
    let bad = butie(&["evaluate", &f, "--district", "pudong"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("`pudong` is not a district"));
}

/// The hand-checked figures of docs/cli.md.
#[test]
fn docs_example_figures() {
    let cases = [
        ("software-firm-putuo.json", "putuo", "0.00", "2200000.00"),
        (
            "manufacturer-jiading.json",
            "jiading",
            "200000.00",
            "4200000.00",
        ),
        // 三（二）10 (cloud) needs an SME since issue 9; this platform is not one: 293.6万 − 3.6万.
        (
            "platform-songjiang.json",
            "songjiang",
            "200000.00",
            "2900000.00",
        ),
        (
            "software-jinshan.json",
            "jinshan",
            "500000.00",
            "1521000.00",
        ),
    ];
    for (file, d, definite, up_to) in cases {
        let r = json(&butie(&[
            "evaluate",
            &example(file),
            "--as-of",
            AS_OF,
            "--application-period",
            JINSHAN_PERIOD,
            "--json",
        ]));
        let t = &district(&r, d)["if_in_force"];
        assert_eq!(
            (t["definite"].as_str(), t["up_to"].as_str()),
            (Some(definite), Some(up_to)),
            "{file}"
        );
    }
    let r = json(&butie(&[
        "evaluate",
        &example("software-jinshan.json"),
        "--as-of",
        "2024-06-01",
        "--application-period",
        JINSHAN_PERIOD,
        "--json",
    ]));
    assert_eq!(r["available_now"]["definite"], "500000.00");
    assert_eq!(r["available_now"]["up_to"], "1521000.00");
    assert_eq!(r["application_period"], JINSHAN_PERIOD);
    // Without the period, 第八条 (CMMI) and 第七条's enterprise part need it: never assumed met.
    let r = json(&butie(&[
        "evaluate",
        &example("software-jinshan.json"),
        "--as-of",
        "2024-06-01",
        "--json",
    ]));
    assert_eq!(r["available_now"]["definite"], "200000.00");
    let c8 = district(&r, "jinshan")["clauses"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == "jinshan.8"))
        .expect("jinshan.8")
        .clone();
    assert_eq!(c8["status"], "needs_information");
    assert_eq!(c8["missing"][0]["fact"], "application_period");
    let t = ok(&butie(&[
        "evaluate",
        &example("software-jinshan.json"),
        "--as-of",
        "2024-06-01",
    ]));
    assert!(t.contains("申报期未设置（--application-period"), "{t}");
    let bad = butie(&[
        "evaluate",
        &example("software-jinshan.json"),
        "--application-period",
        "2024-06-30..2024-01-01",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains(
            "--application-period: the period ends (2024-01-01) before it starts (2024-06-30)"
        ),
        "{}",
        stderr(&bad)
    );
}

/// The 申报期 of the 2022 call, which holds software-jinshan.json's certificates.
const JINSHAN_PERIOD: &str = "2022-01-01..2022-12-31";

#[test]
fn evaluate_reads_stdin() {
    let text = std::fs::read(example("software-jinshan.json")).expect("example");
    let o = butie_stdin(
        &[
            "evaluate",
            "-",
            "--as-of",
            "2024-06-01",
            "--application-period",
            JINSHAN_PERIOD,
            "--json",
        ],
        &text,
    );
    let r: Value = serde_json::from_str(&ok(&o)).expect("json");
    assert_eq!(district(&r, "jinshan")["state"], "in_force");
    assert_eq!(r["available_now"]["definite"], "500000.00");
}

#[test]
fn bad_profile_exits_2_naming_every_field() {
    let o = butie_stdin(
        &["evaluate", "-"],
        br#"{"certifications": {"cmmi_level": "7"}, "projects": [{"kind": "rd_project", "actual_investment": 1.5}], "foo": 1}"#,
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    for want in [
        "certifications.cmmi_level: not a valid option",
        "projects[0].actual_investment: write money as a decimal string",
        "foo: unknown field",
    ] {
        assert!(e.contains(want), "missing {want:?} in {e}");
    }
    let syntax = butie_stdin(&["evaluate", "-"], b"{\"name\": ");
    assert_eq!(syntax.status.code(), Some(2));
    assert!(stderr(&syntax).contains("not valid JSON"));
    let binary = butie_stdin(&["evaluate", "-"], b"\xff\xfe{}");
    assert_eq!(binary.status.code(), Some(2));
    let missing = butie(&["evaluate", "/nonexistent/profile.json"]);
    assert_eq!(missing.status.code(), Some(2));
    let date = butie(&[
        "evaluate",
        &example("software-jinshan.json"),
        "--as-of",
        "2026-02-30",
    ]);
    assert_eq!(date.status.code(), Some(2));
    assert!(stderr(&date).contains("--as-of"));
}

#[test]
fn policies_as_of_date() {
    let r = json(&butie(&["policies", "--as-of", AS_OF, "--json"]));
    let state = |d: &str| {
        r["policies"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["district"] == d))
            .map(|p| p["state"].clone())
            .expect("policy")
    };
    assert_eq!(state("putuo"), "in_force");
    assert_eq!(state("jinshan"), "expired");
    assert_eq!(state("jiading"), "expired");
    assert_eq!(state("songjiang"), "draft");
    let t = ok(&butie(&["policies", "--as-of", AS_OF]));
    for want in [
        "普陀区 putuo",
        "【即将失效】",
        "【已失效】",
        "【草案】",
        "普科合规范〔2024〕3号",
        "policies/sources/003_3a0c1c87790dcedb.txt",
    ] {
        assert!(t.contains(want), "missing {want:?} in\n{t}");
    }
}

#[test]
fn policies_count_the_days_and_say_when_coverage_ends() {
    let t = ok(&butie(&["policies", "--as-of", "2026-12-01"]));
    for want in [
        "距失效还有 30 天：有效期至 2026-12-31",
        "已于 2024-08-31 失效",
        "金山区：本工具收录的该区政策已于 2024-08-31 失效；该区可能已有新政策，本工具尚未收录。",
        "核对: 2026-12-01",
    ] {
        assert!(t.contains(want), "missing {want:?} in\n{t}");
    }
    assert!(
        !t.contains("普陀区：本工具收录"),
        "putuo is still in force:\n{t}"
    );
    let t = ok(&butie(&["policies", "--as-of", "2025-06-01"]));
    assert!(t.contains("【在施行】"), "{t}");
    assert!(
        t.contains("在施行：有效期至 2026-12-31（还有 578 天）"),
        "{t}"
    );
    let t = ok(&butie(&["policies", "--as-of", "2027-01-02"]));
    assert!(t.contains("已于 2026-12-31 失效"), "{t}");
    assert!(
        t.contains(
            "普陀区：本工具收录的该区政策已于 2026-12-31 失效；该区可能已有新政策，本工具尚未收录。"
        ),
        "{t}"
    );
    let j = json(&butie(&["policies", "--as-of", "2026-12-01", "--json"]));
    let putuo = j["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["district"] == "putuo")
        .unwrap();
    assert_eq!(putuo["lifecycle"]["days_left"], 30);
    assert_eq!(putuo["lifecycle"]["ending_soon"], true);
    assert_eq!(putuo["evaluated"], true);
    assert_eq!(putuo["verified_on"], "2026-12-01");
    let jinshan = j["districts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["district"] == "jinshan")
        .unwrap();
    assert!(
        jinshan["coverage"]["zh"]
            .as_str()
            .unwrap()
            .contains("2024-08-31")
    );
}

#[test]
fn explain_clause_rule_and_unknown() {
    let t = ok(&butie(&["explain", "jinshan.8"]));
    for want in [
        "jinshan.8 · 第八条",
        "CMM/CMMI3级认证一次性拨付30万元资金奖励",
        "取达到的最高一档（不累加）",
        "CMM/CMMI5级 [当 cmmi_level >= 5]: 定额 90万元",
        "[in_application_period(cmmi_issued_on)]",
        "jinshan.2.1",
    ] {
        assert!(t.contains(want), "missing {want:?} in\n{t}");
    }
    let j = json(&butie(&["explain", "jinshan.8", "--json"]));
    assert_eq!(j["basis"], "entitlement");
    assert_eq!(j["award"]["type"], "best");
    assert_eq!(j["award"]["options"][2]["amount"], "300000");
    let offsets = json(&butie(&["explain", "jiading.2.5", "--json"]));
    assert_eq!(offsets["offsets"][0]["kind"], "combined_cap");
    let rule = ok(&butie(&["explain", "putuo.5.2", "--lang", "en"]));
    assert!(
        rule.contains("none_within_years(serious_violation_dates, 3)"),
        "{rule}"
    );
    let bad = butie(&["explain", "jinshan.88"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("close matches: jinshan.8"),
        "{}",
        stderr(&bad)
    );
}

/// A fresh directory for a test's files.
fn tmp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("butie-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp dir");
    dir
}

fn path(p: &std::path::Path) -> String {
    p.to_string_lossy().into_owned()
}

#[test]
fn batch_example_list() {
    let dir = tmp_dir("example");
    let out = dir.join("results.csv");
    let o = butie(&[
        "batch",
        &example("clients.csv"),
        "--out",
        &path(&out),
        "--as-of",
        AS_OF,
    ]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("6 client(s)") && err.contains(", 0 bad;"),
        "{err}"
    );
    let csv = std::fs::read_to_string(&out).expect("results");
    assert!(csv.starts_with('\u{feff}'), "BOM for Excel");
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().map(|h| h.split(',').count()),
        Some(butie::batch::CSV_COLUMNS.len())
    );
    assert_eq!(lines.clone().count(), 6 * 4);
    assert!(
        csv.contains("\n2,C-001,上海云栈智能软件有限公司,putuo,普陀区,putuo-2024-3,普科合规范〔2024〕3号,in_force,true,40,true,0.00,2200000.00,0,220,"),
        "{csv}"
    );
    // Row 6 is typed as in the form: 1,200万, 三级, 2024/05/01.
    let c005: Vec<&str> = csv.lines().filter(|l| l.starts_with("6,C-005,")).collect();
    assert_eq!(c005.len(), 4, "{csv}");
    assert!(c005.iter().all(|l| l.ends_with(',')), "no error: {c005:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The issue's example: a stray quote in one cell used to swallow every later line.
#[test]
fn batch_stray_quote_names_the_row_and_keeps_the_rest() {
    let o = butie_stdin(
        &[
            "batch",
            "-",
            "--format",
            "csv",
            "--district",
            "putuo",
            "--out",
            "-",
            "--as-of",
            AS_OF,
        ],
        b"name,registered_district\nA,putuo\n\"B,putuo\nC,putuo\nD,putuo\n",
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let out = stdout(&o);
    let rows: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(rows, ["2", "3", "4", "5"], "{out}");
    assert!(
        out.contains("\n4,,C,putuo,") && out.contains("\n5,,D,putuo,"),
        "{out}"
    );
    let err = stderr(&o);
    assert!(
        err.contains("4 client(s)") && err.contains("1 bad"),
        "{err}"
    );
    assert!(
        err.contains("row 3: (row):") && err.contains("not closed"),
        "{err}"
    );
    assert!(err.contains("exit code 3"), "{err}");
}

/// Row numbers are the lines an editor shows, whatever the line ends.
#[test]
fn batch_rows_are_editor_lines() {
    for nl in ["\n", "\r\n", "\r"] {
        let text = ["name,cmmi_level", "A,3", "", "B,9", "C,4", ""].join(nl);
        let o = butie_stdin(
            &[
                "batch",
                "-",
                "--format",
                "csv",
                "--district",
                "putuo",
                "--as-of",
                AS_OF,
            ],
            text.as_bytes(),
        );
        let out = stdout(&o);
        let rows: Vec<&str> = out
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap_or(""))
            .collect();
        assert_eq!(rows, ["2", "4", "5"], "{nl:?}: {out}");
        assert!(
            stderr(&o).contains("row 4 (B): cmmi_level:"),
            "{nl:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn batch_stdin_jsonl_to_stdout() {
    let profile = std::fs::read_to_string(example("software-jinshan.json")).expect("example");
    let line: Value = serde_json::from_str(&profile).expect("json");
    let jsonl = format!(
        "{line}\n\n{{\"name\": \"坏\", \"certifications\": {{\"cmmi_level\": \"x\"}}}}\n{{\"name\": \"重\", \"enterprise\": {{}}, \"enterprise\": {{}}}}\n"
    );
    let o = butie_stdin(
        &[
            "batch",
            "-",
            "--as-of",
            "2024-06-01",
            "--application-period",
            JINSHAN_PERIOD,
            "--district",
            "jinshan",
        ],
        jsonl.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(3));
    let out = stdout(&o);
    assert!(!out.starts_with('\u{feff}'), "no BOM on stdout");
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 4, "{out}");
    assert!(
        rows[1].contains(",jinshan,金山区,") && rows[1].contains(",500000.00,1521000.00,50,152.1,"),
        "{out}"
    );
    assert!(
        rows[2].starts_with("3,,坏,"),
        "line numbers count blank lines: {out}"
    );
    assert!(rows[2].contains("certifications.cmmi_level"), "{out}");
    assert!(
        rows[3].starts_with("4,,,") && rows[3].contains("enterprise: "),
        "{out}"
    );
    assert!(rows[3].contains("duplicate key"), "{out}");
}

#[test]
fn batch_unknown_column_exits_2() {
    let o = butie_stdin(
        &["batch", "-", "--format", "csv"],
        "name,cmmi_levle\nA,3\n".as_bytes(),
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("`cmmi_levle`") && e.contains("cmmi_level"),
        "{e}"
    );
}

#[test]
fn batch_refuses_to_overwrite_its_input_and_missing_files() {
    let dir = tmp_dir("overwrite");
    let list = dir.join("clients.csv");
    std::fs::copy(example("clients.csv"), &list).expect("copy");
    let before = std::fs::read(&list).expect("read");
    let o = butie(&["batch", &path(&list), "--out", &path(&list)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is the input file"), "{}", stderr(&o));
    let linked = dir.join("link.csv");
    std::fs::hard_link(&list, &linked).expect("link");
    assert_eq!(
        butie(&["batch", &path(&list), "--out", &path(&linked)])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        std::fs::read(&list).expect("read"),
        before,
        "the list is untouched"
    );
    let missing = butie(&["batch", "/nonexistent/clients.csv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read /nonexistent/clients.csv"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn batch_excel_in_and_out() {
    let dir = tmp_dir("xlsx");
    let r = dir.join("r.xlsx");
    let o = butie(&[
        "batch",
        &example("clients.xlsx"),
        "--out",
        &path(&r),
        "--as-of",
        AS_OF,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("6 client(s) from"), "{}", stderr(&o));
    let bytes = std::fs::read(&r).expect("workbook");
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip file");
    // Read back through the batch's own reader: the workbook's rows are the CSV's rows.
    let csv = stdout(&butie(&[
        "batch",
        &example("clients.csv"),
        "--as-of",
        AS_OF,
    ]));
    let csv_again = butie(&["batch", &example("clients.xlsx"), "--as-of", AS_OF]);
    assert_eq!(
        stdout(&csv_again),
        csv,
        "the same results from the workbook as from the CSV"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn batch_reads_gbk_with_a_note() {
    // The example list saved as Excel's plain "CSV" on Chinese Windows (GBK).
    let text = std::fs::read_to_string(example("clients.csv")).expect("example");
    let (gbk, _, bad) = encoding_rs::GBK.encode(text.trim_start_matches('\u{feff}'));
    assert!(!bad);
    let o = butie_stdin(&["batch", "-", "--format", "csv", "--as-of", AS_OF], &gbk);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("GB18030 (GBK)") && e.contains("note:"), "{e}");
    let utf8 = stdout(&butie(&[
        "batch",
        &example("clients.csv"),
        "--as-of",
        AS_OF,
    ]));
    assert_eq!(stdout(&o), utf8, "the same results as the UTF-8 file");
}

/// A name can carry terminal controls: the table and the batch summary show them escaped.
#[test]
fn control_characters_are_escaped_in_human_output() {
    let evil = "A\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\n当前可得：确定 999亿元\u{202e}";
    let profile = serde_json::json!({"name": evil, "enterprise": {"registered_district": "putuo"}});
    let o = butie_stdin(
        &["evaluate", "-", "--as-of", AS_OF],
        profile.to_string().as_bytes(),
    );
    let out = ok(&o);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}') && !out.contains('\u{7}'));
    assert!(
        out.contains("A\\u{1b}[2J") && out.contains("\\n当前可得：确定 999亿元\\u{202e}"),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("当前可得")).count(),
        1,
        "no forged totals line"
    );
    let json = ok(&butie_stdin(
        &["evaluate", "-", "--as-of", AS_OF, "--json"],
        profile.to_string().as_bytes(),
    ));
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["profile_name"], evil, "JSON stays exact");
    let list = format!("name,cmmi_level\n\"{}\",9\n", evil.replace('\n', " "));
    let o = butie_stdin(
        &["batch", "-", "--format", "csv", "--as-of", AS_OF],
        list.as_bytes(),
    );
    let e = stderr(&o);
    assert!(!e.contains('\u{1b}') && !e.contains('\u{202e}'), "{e:?}");
    assert!(e.contains("row 2 (A\\u{1b}[2J"), "{e}");
}

#[test]
fn evaluate_csv_of_clauses() {
    let out = ok(&butie(&[
        "evaluate",
        &example("software-firm-putuo.json"),
        "--as-of",
        AS_OF,
        "--csv",
        "--district",
        "putuo",
    ]));
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(butie::batch::write::CLAUSE_COLUMNS.join(",").as_str())
    );
    let r33 = out
        .lines()
        .find(|l| l.contains(",putuo.3.3,") && l.contains("project#1"))
        .expect("item row");
    assert!(
        r33.contains(",eligible_subject_to_review,") && r33.contains(",up_to,1000000.00,100,true"),
        "{r33}"
    );
}

#[test]
fn date_list_errors_name_the_item() {
    let o = butie_stdin(
        &["evaluate", "-"],
        br#"{"enterprise": {"serious_violation_dates": ["2022-07-01", "2023-02-30"]}}"#,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("date 2 of the list, `2023-02-30`"),
        "{}",
        stderr(&o)
    );
}

/// A 100,000-deep condition in a --policies file is an error, not a stack overflow.
#[test]
fn deep_conditions_are_refused() {
    let dir = tmp_dir("deep");
    let src = root().join("policies");
    for entry in std::fs::read_dir(&src).expect("policies") {
        let p = entry.expect("entry").path();
        if p.extension().is_some_and(|x| x == "toml") {
            std::fs::copy(&p, dir.join(p.file_name().expect("name"))).expect("copy");
        }
    }
    let file = dir.join("putuo-2024-3.toml");
    let text = std::fs::read_to_string(&file).expect("putuo");
    let deep = format!("{}credit_good{}", "(".repeat(100_000), ")".repeat(100_000));
    let text = text.replacen(
        "\"none_within_years(serious_violation_dates, 3)\"",
        &format!("\"{deep}\""),
        1,
    );
    std::fs::write(&file, text).expect("write");
    let o = butie(&["--policies", &path(&dir), "policies"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("nests more than 32 levels"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn schemas_and_policy_dir() {
    let p = json(&butie(&["schema", "profile"]));
    assert!(p["properties"]["certifications"]["properties"]["cmmi_level"].is_object());
    let r = json(&butie(&["schema", "result"]));
    assert!(r["$defs"]["ClauseResult"].is_object(), "{r}");
    let dir = root().join("policies").to_string_lossy().into_owned();
    let f = example("software-firm-putuo.json");
    let from_dir = json(&butie(&[
        "--policies",
        &dir,
        "evaluate",
        &f,
        "--as-of",
        AS_OF,
        "--json",
    ]));
    let embedded = json(&butie(&["evaluate", &f, "--as-of", AS_OF, "--json"]));
    assert_eq!(from_dir, embedded);
    let missing = butie(&["--policies", "/nonexistent", "policies"]);
    assert_eq!(missing.status.code(), Some(2));
}

/// The JSON Schemas committed in docs/schema/ are the ones the code generates today.
#[test]
fn committed_schemas_are_current() {
    for which in ["profile", "result"] {
        let generated = ok(&butie(&["schema", which]));
        let path = root().join(format!("docs/schema/{which}.schema.json"));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            generated.trim(),
            committed.trim(),
            "{} is stale: run `cargo run -p butie-cli -- schema {which} > docs/schema/{which}.schema.json`",
            path.display()
        );
    }
}

fn fixture_dirs() -> Vec<String> {
    [
        "policies",
        "tests/fixtures/policies",
        "examples/packs/hongkou",
    ]
    .iter()
    .flat_map(|d| {
        [
            "--policies".to_string(),
            root().join(d).to_string_lossy().into_owned(),
        ]
    })
    .collect()
}

/// `butie` with the real policies, the fictional successor and the example pack's fictional
/// district (`--policies` three times).
fn butie_fixtures(args: &[&str]) -> Output {
    let dirs = fixture_dirs();
    let all: Vec<&str> = dirs
        .iter()
        .map(String::as_str)
        .chain(args.iter().copied())
        .collect();
    butie(&all)
}

#[test]
fn the_fictional_successor_is_chosen_by_the_date_with_its_predecessor_as_history() {
    let f = example("software-firm-putuo.json");
    let before = ok(&butie_fixtures(&["evaluate", &f, "--as-of", "2026-12-01"]));
    for want in [
        "普陀区 【即将失效】 普科合规范〔2024〕3号",
        "距失效还有 30 天",
        "本区其他文件 虚构〔2026〕9号: 接替本政策 · 尚未施行",
        "虹口区 【在施行】 虚构〔2025〕1号",
    ] {
        assert!(before.contains(want), "missing {want:?} in\n{before}");
    }
    let after = ok(&butie_fixtures(&["evaluate", &f, "--as-of", "2027-02-01"]));
    for want in [
        "普陀区 【在施行】 虚构〔2026〕9号",
        "本区其他文件 普科合规范〔2024〕3号: 被本政策取代 · 已失效",
        "本区其他文件 普科合规范〔2024〕3号: 被本政策废止 · 未收录",
        "2027-03-31 2027年度申报截止（虚构） (三、附则（一）)",
    ] {
        assert!(after.contains(want), "missing {want:?} in\n{after}");
    }
    let j = json(&butie_fixtures(&[
        "policies",
        "--as-of",
        "2027-02-01",
        "--json",
    ]));
    let putuo = j["districts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["district"] == "putuo")
        .unwrap();
    assert_eq!(putuo["evaluated"], "putuo-2027-fictional");
    // Only the first directory may hold the catalogue.
    let twice = butie(&[
        "--policies",
        &root().join("policies").to_string_lossy(),
        "--policies",
        &root().join("policies").to_string_lossy(),
        "policies",
    ]);
    assert_eq!(twice.status.code(), Some(2), "{}", stderr(&twice));
}

#[test]
fn evaluate_shows_the_years_of_payments_past_the_end() {
    let profile = br#"{"schema_version":1,
        "enterprise":{"registered_district":"putuo","entity_type":"enterprise","credit_good":true,
                      "serious_violation_dates":[],"established_in_district_on":"2025-03-01"},
        "operations":{"office_premises":"purchase","office_purchase_price":"60000000"}}"#;
    let out = butie_stdin(&["evaluate", "-", "--as-of", "2026-12-01"], profile);
    let t = ok(&out);
    for want in [
        "分 3 年拨付，各年比例未规定: 第1年（2026年） · 第2年（2027年，有效期后） · 第3年（2028年，有效期后）",
        "2027–2028 年的款项在政策有效期（至 2026-12-31）之后：原文未说明届时是否仍会拨付。",
    ] {
        assert!(t.contains(want), "missing {want:?} in\n{t}");
    }
    let en = ok(&butie_stdin(
        &["evaluate", "-", "--as-of", "2026-12-01", "--lang", "en"],
        profile,
    ));
    assert!(en.contains("Year 2 (2027, after the end)"), "{en}");
}

#[test]
fn calendar_is_a_valid_icalendar_with_putuos_last_day() {
    let text = ok(&butie(&["calendar", "--as-of", "2026-12-01"]));
    let cal: icalendar::Calendar = text.parse().expect("a VCALENDAR");
    use icalendar::Component;
    let events: Vec<_> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            icalendar::CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    let end = events
        .iter()
        .find(|e| {
            e.get_summary()
                .is_some_and(|s| s.contains("普科合规范〔2024〕3号"))
        })
        .unwrap_or_else(|| panic!("no 普陀 event in\n{text}"));
    assert_eq!(
        end.get_start(),
        Some(icalendar::DatePerhapsTime::Date(
            "2026-12-31".parse().unwrap()
        ))
    );
    assert!(end.get_timestamp().is_some(), "DTSTAMP");
    // -o writes the same file; English on request.
    let dir = std::env::temp_dir().join(format!("butie-cal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("p.ics");
    let p = path.to_string_lossy().into_owned();
    ok(&butie(&[
        "calendar",
        "--as-of",
        "2026-12-01",
        "-o",
        &p,
        "--lang",
        "en",
    ]));
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("BEGIN:VCALENDAR\r\n"));
    let unfolded = written.replace("\r\n ", "");
    assert!(unfolded.contains("Putuo\\, 普科合规范〔2024〕3号: last day in force"));
    std::fs::remove_dir_all(&dir).unwrap();
    // Nothing in force or upcoming: a clear error rather than an empty (invalid) calendar.
    let none = butie(&["calendar", "--as-of", "2027-01-02"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(
        stderr(&none).contains("nothing to put in a calendar"),
        "{}",
        stderr(&none)
    );
}

#[test]
fn an_as_of_outside_1900_to_2100_names_the_flag() {
    let f = example("software-firm-putuo.json");
    for args in [
        vec!["evaluate", f.as_str(), "--as-of", "2101-01-01"],
        vec!["policies", "--as-of", "1899-12-31"],
        vec!["calendar", "--as-of", "9999-12-31"],
        vec!["batch", f.as_str(), "--as-of", "0001-01-01"],
    ] {
        let o = butie(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = stderr(&o);
        assert!(
            e.contains("--as-of: `") && e.contains("outside the years 1900–2100"),
            "{args:?}: {e}"
        );
    }
    let o = butie(&["policies", "--as-of", "2026-02-30"]);
    assert!(
        stderr(&o).contains("--as-of: `2026-02-30`: not a date"),
        "{}",
        stderr(&o)
    );
    ok(&butie(&["policies", "--as-of", "2100-12-31"]));
    ok(&butie(&["policies", "--as-of", "1900-01-01"]));
}
