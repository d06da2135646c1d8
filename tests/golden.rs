//! Golden cases: expected results written by hand from the policy texts
//! (`policies/sources/*.txt`), kept as data in `tests/cases/<district>/*.yaml`, run by the rule
//! core's case runner (`butie::cases`, which `butie check` runs policy packs' cases with).
//!
//! The expected figures are derived from the source sentences, never copied from the
//! engine's output. A failing case means the engine (or the policy data) and the text
//! disagree, or the case is wrong; decide from the text which one.
//!
//! # Case format
//!
//! Each file holds a YAML list of cases:
//!
//! ```yaml
//! - name: "金山 第八条: CMMI 4 pays 60万 (tier reached, not 30+60)"
//!   source: "000 第八条: CMM/CMMI4 级认证一次性拨付 60 万元资金奖励"  # the sentence used
//!   as_of: 2023-06-01          # evaluation date
//!   application_period: 2023-03-01..2023-04-30   # optional: the call's 申报期 (an option)
//!   compare_all: false         # optional: evaluate as if registered in each district
//!   districts: [jinshan]       # optional: only these districts
//!   profile: { schema_version: 1, enterprise: {...}, certifications: {...}, projects: [...] }
//!   expect:
//!     clauses:                 # clause id → the clause's result
//!       jinshan.8: { status: eligible, amount: "600000.00", kind: definite }
//!       jinshan.10: { status: not_eligible, amount: null }
//!     items:                   # per-item clauses: clause id → items (by index in the list)
//!       jiading.2.5: [ { index: 0, status: eligible_subject_to_review, amount: "3000000.00",
//!                        kind: up_to, counted: true, superseded_by: null } ]
//!     districts:               # district → state and totals
//!       jinshan: { state: in_force, payable_now: true, definite: "600000.00", up_to: "600000.00",
//!                  if_in_force: { definite: "600000.00", up_to: "600000.00" } }
//!     available_now: { definite: "600000.00", up_to: "600000.00" }
//!     hints:                   # clause id → a hint must exist that adds this amount
//!       jinshan.8: { adds: "300000.00", fact: cmmi_level }   # or { none: true }
//!     readings:                # clause id → reading id → that reading's result (never counted)
//!       jiading.2.1: { per_project: { status: eligible, amount: "4000000.00", kind: up_to } }
//!     rule_readings:           # rule id → reading id → the district's if_in_force totals
//!       putuo.5.2: { serious_only: { up_to: "200000.00" } }
//! ```
//!
//! Only the keys given are asserted. Clause keys: `status`, `status_if_in_force`, `amount`
//! (the amount's value; `null` = no amount), `kind` (`definite` | `up_to` | `not_quantified`
//! | `none`), `counted`, `applicant_state`, `schedule` (a list of `{year, calendar_year, past_end, share, amount}`;
//! the whole list is compared, length included), `missing` (fact ids that must be among the
//! missing inputs; `application_period` for the option), `amount_note` (true: the clause
//! carries a note next to its amount). Reading keys: `status`, `status_if_in_force`, `amount`,
//! `kind`. Item keys: `index` (required), `list`, `status`, `amount`, `kind`,
//! `counted`, `superseded_by`. District keys: `state`, `payable_now`, `definite`, `up_to`
//! (today's totals) and `if_in_force: {definite, up_to}`; totals may also give the clause
//! counts `eligible`, `eligible_subject_to_review`, `needs_information`, `not_eligible`,
//! `not_quantified`. Money is a string with exactly two decimals.
//!
//! The profile is read with `Profile::from_json` against the embedded policy set and
//! evaluated with hints on. Every failing case is reported (file, case, what, expected,
//! actual) before the test fails. A second test checks coverage: every clause with a
//! formula is asserted by at least three cases; run with `--nocapture` to see the table.

use butie::PolicySet;
use butie::cases::{Case, run_case};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

/// Every `*.yaml` under `dir`, sorted.
fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
}

/// Loads every case file; parse errors are returned as failures.
fn load_cases() -> (Vec<(String, Case)>, Vec<String>) {
    let root = cases_dir();
    let mut files = Vec::new();
    yaml_files(&root, &mut files);
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&root).unwrap_or(&f).display().to_string();
        let text = match std::fs::read_to_string(&f) {
            Ok(t) => t,
            Err(e) => {
                errors.push(format!("{rel}: cannot read: {e}"));
                continue;
            }
        };
        match butie::cases::parse_yaml(&text) {
            Ok(cs) => cases.extend(cs.into_iter().map(|c| (rel.clone(), c))),
            Err((line, column, e)) => {
                errors.push(format!("{rel}:{line}:{column}: cannot parse: {e}"))
            }
        }
    }
    (cases, errors)
}

#[test]
fn golden_cases() {
    let set = PolicySet::embedded().expect("embedded policy set loads");
    let (cases, mut failures) = load_cases();
    assert!(
        !cases.is_empty() || !failures.is_empty(),
        "no cases under {}",
        cases_dir().display()
    );
    let mut failed_cases = 0usize;
    let mut names: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (file, case) in &cases {
        *names.entry((file.clone(), case.name.clone())).or_default() += 1;
        let f = run_case(&set, file, case);
        if !f.is_empty() {
            failed_cases += 1;
            failures.extend(f);
        }
    }
    for ((file, name), n) in names {
        if n > 1 {
            failures.push(format!("{file} :: {name} :: case name used {n} times"));
        }
    }
    if !failures.is_empty() {
        let mut msg = format!(
            "{failed_cases} of {} golden cases failed ({} mismatches):\n",
            cases.len(),
            failures.len()
        );
        for f in &failures {
            msg.push_str("  ");
            msg.push_str(f);
            msg.push('\n');
        }
        panic!("{msg}");
    }
    eprintln!("{} golden cases passed", cases.len());
}

/// Every clause with a formula is asserted by at least three cases.
#[test]
fn golden_coverage() {
    let set = PolicySet::embedded().expect("embedded policy set loads");
    let (cases, errors) = load_cases();
    assert!(
        errors.is_empty(),
        "case files do not load:\n{}",
        errors.join("\n")
    );
    let mut per_clause: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_district: BTreeMap<String, usize> = BTreeMap::new();
    for (file, case) in &cases {
        let dir = file.split(['/', '\\']).next().unwrap_or("").to_string();
        *per_district.entry(dir).or_default() += 1;
        let mut ids: Vec<&str> = case.expect.clauses.keys().map(String::as_str).collect();
        ids.extend(case.expect.items.keys().map(String::as_str));
        ids.extend(case.expect.readings.keys().map(String::as_str));
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            *per_clause.entry(id).or_default() += 1;
        }
    }
    let mut table = String::from("cases per directory:\n");
    for (d, n) in &per_district {
        table.push_str(&format!("  {d:<12} {n}\n"));
    }
    table.push_str("cases asserting each clause (* = has a formula):\n");
    let mut short = Vec::new();
    for p in &set.policies {
        for c in &p.clauses {
            let n = per_clause.get(c.id.as_str()).copied().unwrap_or(0);
            let q = c.quantified();
            table.push_str(&format!(
                "  {:<40} {}{n}\n",
                c.id,
                if q { "* " } else { "  " }
            ));
            if q && n < 3 {
                short.push(format!("{} ({n})", c.id));
            }
        }
    }
    eprintln!("{table}");
    assert!(
        short.is_empty(),
        "clauses with a formula asserted by fewer than three cases: {}",
        short.join(", ")
    );
}
