//! Policy packs on the command line: `butie check` on the fictional example pack and on broken
//! copies of it (every problem at its file and line), `butie pack`, and `--pack` on evaluate,
//! policies and batch giving the district's hand-computed amounts.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn example_pack() -> PathBuf {
    root().join("examples/packs/hongkou")
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("packs-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn butie(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_butie"))
        .args(args)
        .output()
        .expect("run butie")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `butie pack` of the example into `dir`; the pack file's path.
fn built_pack(dir: &Path) -> PathBuf {
    let out = dir.join("hongkou-fictional.butie.json");
    let o = butie(&[
        "pack",
        example_pack().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--created",
        "2026-12-02",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    out
}

#[test]
fn the_example_pack_checks() {
    let o = butie(&["check", example_pack().to_str().unwrap()]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("ok "), "{out}");
    assert!(
        out.contains("9 of 9 quotes verbatim, 5 of 5 cases pass"),
        "{out}"
    );
}

/// The 1-based line of the first line of `file` containing `needle`.
fn line_of(file: &Path, needle: &str) -> usize {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle in file")
        + 1
}

#[test]
fn an_altered_quote_fails_naming_its_line() {
    let dir = scratch("altered-quote").join("hongkou");
    copy_dir(&example_pack(), &dir);
    let doc = dir.join("hongkou-fictional-2025.toml");
    let text_before = std::fs::read_to_string(&doc).unwrap();
    let altered = "quote = \"通过软件企业评估的，一次性奖励15万元。\"";
    std::fs::write(
        &doc,
        text_before.replace(
            "quote = \"通过软件企业评估的，一次性奖励10万元。\"",
            altered,
        ),
    )
    .unwrap();
    let line = line_of(&doc, altered);
    let o = butie(&["check", dir.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let at = format!(
        "hongkou-fictional-2025.toml:{line}:1: not found verbatim in fictional-hongkou.txt"
    );
    assert!(out.contains(&at), "expected `{at}` in:\n{out}");
    // …and `butie pack` writes nothing.
    let o = butie(&[
        "pack",
        dir.to_str().unwrap(),
        "-o",
        dir.join("x.butie.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!dir.join("x.butie.json").exists());
}

#[test]
fn compile_errors_and_failing_cases_name_line_and_column() {
    let dir = scratch("broken").join("hongkou");
    copy_dir(&example_pack(), &dir);
    let doc = dir.join("hongkou-fictional-2025.toml");
    let t = std::fs::read_to_string(&doc).unwrap();
    // A condition naming an unknown fact, and an amount that is not one.
    let t = t.replace(
        "\"cmmi_level >= 3\", \"in_window",
        "\"cmmi_levle >= 3\", \"in_window",
    );
    let t = t.replace("amount = \"5万\"", "amount = \"五万\"");
    std::fs::write(&doc, &t).unwrap();
    let cond_line = line_of(&doc, "cmmi_levle");
    let amount_line = line_of(&doc, "五万");
    let o = butie(&["check", dir.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "hongkou-fictional-2025.toml:{cond_line}:10: unknown fact `cmmi_levle`"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("hongkou-fictional-2025.toml:{amount_line}:")),
        "{out}"
    );

    // A case expecting another amount fails at the case's line.
    copy_dir(&example_pack(), &dir);
    let cases = dir.join("cases/hongkou.yaml");
    let c = std::fs::read_to_string(&cases).unwrap();
    std::fs::write(
        &cases,
        c.replace(
            "hongkou.8: { status: eligible, amount: \"50000.00\"",
            "hongkou.8: { status: eligible, amount: \"60000.00\"",
        ),
    )
    .unwrap();
    let o = butie(&["check", dir.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let line = line_of(&cases, "amount: \"60000.00\"");
    assert!(
        out.contains(&format!("cases/hongkou.yaml:{line}:7:")),
        "{out}"
    );
    assert!(
        out.contains("hongkou.8.amount: expected 60000.00, actual 50000.00"),
        "{out}"
    );
}

#[test]
fn pack_then_evaluate_policies_and_batch_with_it() {
    let dir = scratch("evaluate");
    let pack = built_pack(&dir);
    let pack = pack.to_str().unwrap();
    let o = butie(&["check", pack]);
    assert!(o.status.success(), "{}", text(&o));

    let profile = dir.join("profile.json");
    std::fs::write(
        &profile,
        serde_json::json!({
            "schema_version": 1,
            "enterprise": { "registered_district": "hongkou", "entity_type": "enterprise", "credit_good": true,
                            "serious_violation_dates": [], "is_software_enterprise": true },
            "operations": { "uses_listed_cloud": true, "cloud_service_spend": "300000" },
            "certifications": { "software_enterprise_assessed": true, "cmmi_level": "4", "cmmi_issued_on": "2025-03-01" },
            "hongkou_fictional": { "incubator_resident": true },
            "projects": [
                { "kind": "computing_power", "actual_cost": "1000000", "other_support_received": "50000" },
                { "kind": "computing_power", "actual_cost": "3000000", "other_support_received": "0" },
                { "kind": "computing_power", "actual_cost": "1234567.89", "other_support_received": "8641.97" }
            ]
        })
        .to_string(),
    )
    .unwrap();
    let profile = profile.to_str().unwrap();
    let o = butie(&[
        "evaluate",
        "--pack",
        pack,
        profile,
        "--as-of",
        "2026-06-01",
        "--json",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["available_now"]["definite"], "630000.00");
    assert_eq!(r["available_now"]["up_to"], "1430000.00");
    let table = text(&butie(&[
        "evaluate",
        "--pack",
        pack,
        profile,
        "--as-of",
        "2026-06-01",
    ]));
    assert!(table.contains("确定 63万元；最高 143万元"), "{table}");
    // Without the pack the added fact is unknown: the profile is refused, naming it.
    let o = butie(&["evaluate", profile]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("hongkou_fictional"), "{}", text(&o));

    let o = butie(&[
        "policies",
        "--pack",
        pack,
        "--as-of",
        "2026-06-01",
        "--json",
    ]);
    let l: Value = serde_json::from_slice(&o.stdout).unwrap();
    let hk = l["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["district"] == "hongkou")
        .expect("the pack's district is listed");
    assert_eq!(hk["pack"], "hongkou-fictional");
    assert_eq!(hk["state"], "in_force");

    // The added fact is a batch column.
    let csv = dir.join("clients.csv");
    std::fs::write(
        &csv,
        "name,registered_district,entity_type,credit_good,serious_violation_dates,is_software_enterprise,incubator_resident\n\
         甲,hongkou,enterprise,true,无,true,true\n",
    )
    .unwrap();
    let o = butie(&[
        "batch",
        "--pack",
        pack,
        csv.to_str().unwrap(),
        "--as-of",
        "2026-06-01",
    ]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    let row = out
        .lines()
        .find(|l| l.contains(",hongkou,"))
        .expect("a hongkou row");
    assert!(row.contains("hongkou-fictional-2025"), "{row}");
    assert!(row.contains(",50000.00,"), "第八条 5万 definite: {row}");
}

#[test]
fn bad_pack_files_are_refused_naming_the_place() {
    let dir = scratch("bad");
    let pack = built_pack(&dir);
    let good = std::fs::read_to_string(&pack).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let refused = |file: &str, needle: &str| {
        let o = butie(&["policies", "--pack", file]);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(2), "{file}: {out}");
        assert!(out.contains(needle), "{file}: expected `{needle}` in {out}");
        assert!(out.contains(file), "{file}: the file is named: {out}");
    };
    refused(
        &write("truncated.butie.json", &good[..good.len() / 2]),
        "truncated",
    );
    refused(
        &write(
            "edited.butie.json",
            &good.replacen("一次性奖励5万元", "一次性奖励50万元", 1),
        ),
        "does not match its hash",
    );
    refused(
        &write(
            "future.butie.json",
            &good.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1),
        ),
        "unknown pack schema_version (this engine reads version 1; made by a newer butie?): 2",
    );
    refused(
        &write(
            "deep.butie.json",
            &("[".repeat(100_000) + &"]".repeat(100_000)),
        ),
        "recursion limit",
    );
    refused(
        &write("not-a-pack.butie.json", "{\"hello\": 1}"),
        "not a butie policy pack",
    );
    let big = dir.join("big.butie.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    refused(
        big.to_str().unwrap(),
        "too large for a pack: 52.4 MB > 8.3 MB",
    );
    // The same pack twice is one too many.
    let o = butie(&[
        "policies",
        "--pack",
        pack.to_str().unwrap(),
        "--pack",
        pack.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("already loaded"), "{}", text(&o));
}

#[test]
fn built_packs_fit_the_documented_schema() {
    // docs/schema/pack.schema.json is written by hand: its fields are the ones packs have.
    let dir = scratch("schema");
    let pack: Value =
        serde_json::from_str(&std::fs::read_to_string(built_pack(&dir)).unwrap()).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/schema/pack.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(schema["additionalProperties"], false);
    let properties = schema["properties"].as_object().unwrap();
    let keys = pack.as_object().unwrap();
    for k in keys.keys() {
        assert!(properties.contains_key(k), "`{k}` is not in the schema");
    }
    for r in schema["required"].as_array().unwrap() {
        assert!(
            keys.contains_key(r.as_str().unwrap()),
            "required `{r}` missing"
        );
    }
    assert_eq!(pack["format"], schema["properties"]["format"]["const"]);
    assert_eq!(
        pack["schema_version"],
        schema["properties"]["schema_version"]["const"]
    );
    let file_keys: Vec<&String> = schema["$defs"]["file"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    for f in pack["documents"].as_array().unwrap() {
        let mut k: Vec<&String> = f.as_object().unwrap().keys().collect();
        k.sort();
        assert_eq!(k, file_keys);
    }
    let compiled: Vec<&String> = pack["compiled"].as_object().unwrap().keys().collect();
    assert_eq!(compiled, ["data", "format"]);
}
