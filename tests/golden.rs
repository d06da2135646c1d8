//! Golden cases: expected results written by hand from the policy texts
//! (`policies/sources/*.txt`), kept as data in `tests/cases/<district>/*.yaml`.
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

use butie::date::parse_date;
use butie::{EvalOptions, PolicySet, Profile};
use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    as_of: String,
    application_period: Option<String>,
    #[serde(default)]
    compare_all: bool,
    districts: Option<Vec<String>>,
    profile: Json,
    expect: Expect,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    clauses: BTreeMap<String, ClauseExp>,
    #[serde(default)]
    items: BTreeMap<String, Vec<ItemExp>>,
    #[serde(default)]
    districts: BTreeMap<String, DistrictExp>,
    available_now: Option<TotalsExp>,
    #[serde(default)]
    hints: BTreeMap<String, HintExp>,
    #[serde(default)]
    readings: BTreeMap<String, BTreeMap<String, ReadingExp>>,
    #[serde(default)]
    rule_readings: BTreeMap<String, BTreeMap<String, TotalsExp>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadingExp {
    status: Option<String>,
    status_if_in_force: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    amount: Option<Option<String>>,
    kind: Option<String>,
}

/// A key that may be given as `null`: `None` = not asserted, `Some(None)` = must be null.
fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClauseExp {
    status: Option<String>,
    status_if_in_force: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    amount: Option<Option<String>>,
    kind: Option<String>,
    counted: Option<bool>,
    applicant_state: Option<String>,
    schedule: Option<Vec<InstallmentExp>>,
    missing: Option<Vec<String>>,
    amount_note: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InstallmentExp {
    year: u64,
    calendar_year: Option<i64>,
    past_end: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    share: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    amount: Option<Option<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemExp {
    index: u64,
    list: Option<String>,
    status: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    amount: Option<Option<String>>,
    kind: Option<String>,
    counted: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    superseded_by: Option<Option<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DistrictExp {
    state: Option<String>,
    payable_now: Option<bool>,
    definite: Option<String>,
    up_to: Option<String>,
    eligible: Option<u64>,
    eligible_subject_to_review: Option<u64>,
    needs_information: Option<u64>,
    not_eligible: Option<u64>,
    not_quantified: Option<u64>,
    if_in_force: Option<TotalsExp>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TotalsExp {
    definite: Option<String>,
    up_to: Option<String>,
    eligible: Option<u64>,
    eligible_subject_to_review: Option<u64>,
    needs_information: Option<u64>,
    not_eligible: Option<u64>,
    not_quantified: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HintExp {
    adds: Option<String>,
    fact: Option<String>,
    #[serde(default)]
    none: bool,
}

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
        match serde_yaml_ng::from_str::<Vec<Case>>(&text) {
            Ok(cs) => cases.extend(cs.into_iter().map(|c| (rel.clone(), c))),
            Err(e) => errors.push(format!("{rel}: cannot parse: {e}")),
        }
    }
    (cases, errors)
}

/// Collects the mismatches of one case.
struct Check<'a> {
    file: &'a str,
    case: &'a str,
    failures: Vec<String>,
}

impl Check<'_> {
    fn fail(
        &mut self,
        what: &str,
        expected: impl std::fmt::Display,
        actual: impl std::fmt::Display,
    ) {
        self.failures.push(format!(
            "{} :: {} :: {what}: expected {expected}, actual {actual}",
            self.file, self.case
        ));
    }

    fn note(&mut self, msg: impl std::fmt::Display) {
        self.failures
            .push(format!("{} :: {} :: {msg}", self.file, self.case));
    }

    fn str_eq(&mut self, what: &str, expected: &Option<String>, actual: &Json) {
        if let Some(e) = expected {
            let a = actual.as_str();
            if a != Some(e.as_str()) {
                self.fail(what, e, show(actual));
            }
        }
    }

    fn money_eq(&mut self, what: &str, expected: &Option<String>, actual: &Json) {
        if let Some(e) = expected {
            self.money_check(what, e);
            self.str_eq(what, expected, actual);
        }
    }

    /// A nullable key: `null` expects null (absent), a value is compared with `eq`.
    fn nullable_eq(
        &mut self,
        what: &str,
        expected: &Option<Option<String>>,
        actual: &Json,
        eq: impl Fn(&str, &Json) -> bool,
    ) {
        match expected {
            None => {}
            Some(None) if !actual.is_null() => self.fail(what, "null", show(actual)),
            Some(None) => {}
            Some(Some(e)) if !eq(e, actual) => self.fail(what, e, show(actual)),
            Some(Some(_)) => {}
        }
    }

    fn nullable_money_eq(&mut self, what: &str, expected: &Option<Option<String>>, actual: &Json) {
        if let Some(Some(e)) = expected {
            self.money_check(what, e);
        }
        self.nullable_eq(what, expected, actual, |e, a| a.as_str() == Some(e));
    }

    fn money_check(&mut self, what: &str, e: &str) {
        let ok = e.split_once('.').is_some_and(|(i, f)| {
            !i.is_empty()
                && i.bytes().all(|b| b.is_ascii_digit())
                && f.len() == 2
                && f.bytes().all(|b| b.is_ascii_digit())
        });
        if !ok {
            self.note(format!(
                "{what}: expected money `{e}` must be written with exactly two decimals"
            ));
        }
    }

    fn bool_eq(&mut self, what: &str, expected: Option<bool>, actual: &Json) {
        if let Some(e) = expected
            && actual.as_bool() != Some(e)
        {
            self.fail(what, e, show(actual));
        }
    }

    fn u64_eq(&mut self, what: &str, expected: Option<u64>, actual: &Json) {
        if let Some(e) = expected
            && actual.as_u64() != Some(e)
        {
            self.fail(what, e, show(actual));
        }
    }

    fn totals(&mut self, what: &str, e: &TotalsExp, t: &Json) {
        self.money_eq(&format!("{what}.definite"), &e.definite, &t["definite"]);
        self.money_eq(&format!("{what}.up_to"), &e.up_to, &t["up_to"]);
        self.u64_eq(&format!("{what}.eligible"), e.eligible, &t["eligible"]);
        self.u64_eq(
            &format!("{what}.eligible_subject_to_review"),
            e.eligible_subject_to_review,
            &t["eligible_subject_to_review"],
        );
        self.u64_eq(
            &format!("{what}.needs_information"),
            e.needs_information,
            &t["needs_information"],
        );
        self.u64_eq(
            &format!("{what}.not_eligible"),
            e.not_eligible,
            &t["not_eligible"],
        );
        self.u64_eq(
            &format!("{what}.not_quantified"),
            e.not_quantified,
            &t["not_quantified"],
        );
    }
}

fn show(j: &Json) -> String {
    match j {
        Json::Null => "null (absent)".into(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The clause `id` of `report` for a case's expectation; a note (failing the case) when the id
/// is unknown or the clause is not in the report.
fn case_clause<'j>(
    set: &PolicySet,
    report: &'j Json,
    id: &str,
    ck: &mut Check,
) -> Option<&'j Json> {
    if set.entry(id).is_none() {
        ck.note(format!("unknown clause id `{id}`"));
        return None;
    }
    let c = find_clause(report, id);
    if c.is_none() {
        ck.note(format!("{id}: not in the report (district filtered out?)"));
    }
    c
}

fn find_clause<'j>(report: &'j Json, id: &str) -> Option<&'j Json> {
    report["districts"]
        .as_array()?
        .iter()
        .flat_map(|d| d["clauses"].as_array().into_iter().flatten())
        .find(|c| c["id"] == id)
}

fn decimal_eq(expected: &str, actual: &Json) -> bool {
    let a = match actual {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        _ => return false,
    };
    match (
        expected.parse::<rust_decimal::Decimal>(),
        a.parse::<rust_decimal::Decimal>(),
    ) {
        (Ok(e), Ok(a)) => e == a,
        _ => false,
    }
}

/// Runs one case and returns its failures.
fn run_case(set: &PolicySet, file: &str, case: &Case) -> Vec<String> {
    let mut ck = Check {
        file,
        case: &case.name,
        failures: Vec::new(),
    };
    if case.source.trim().is_empty() {
        ck.note("`source` must quote the sentence the case was derived from");
    }
    let Some(as_of) = parse_date(&case.as_of) else {
        ck.note(format!("bad as_of `{}`", case.as_of));
        return ck.failures;
    };
    let profile = match Profile::from_json(&set.catalogue, &case.profile) {
        Ok(p) => p,
        Err(errs) => {
            for e in errs {
                ck.note(format!("profile rejected: {e}"));
            }
            return ck.failures;
        }
    };
    let mut opts = EvalOptions::new(as_of);
    if let Some(p) = &case.application_period {
        match butie::date::Period::parse(p) {
            Ok(p) => opts.application_period = Some(p),
            Err(e) => {
                ck.note(format!("bad application_period `{p}`: {e}"));
                return ck.failures;
            }
        }
    }
    opts.compare_all = case.compare_all;
    opts.districts = case.districts.clone();
    opts.hints = true;
    opts.explain = true;
    let report = match butie::evaluate(set, &profile, &opts) {
        Ok(r) => r,
        Err(e) => {
            ck.note(format!("evaluation failed: {e}"));
            return ck.failures;
        }
    };
    let report = match serde_json::to_value(&report) {
        Ok(j) => j,
        Err(e) => {
            ck.note(format!("report does not serialize: {e}"));
            return ck.failures;
        }
    };
    let ex = &case.expect;

    for (id, e) in &ex.clauses {
        let Some(c) = case_clause(set, &report, id, &mut ck) else {
            continue;
        };
        ck.str_eq(&format!("{id}.status"), &e.status, &c["status"]);
        ck.str_eq(
            &format!("{id}.status_if_in_force"),
            &e.status_if_in_force,
            &c["status_if_in_force"],
        );
        ck.nullable_money_eq(&format!("{id}.amount"), &e.amount, &c["amount"]["value"]);
        ck.str_eq(&format!("{id}.kind"), &e.kind, &c["amount"]["kind"]);
        ck.bool_eq(&format!("{id}.counted"), e.counted, &c["counted"]);
        ck.str_eq(
            &format!("{id}.applicant_state"),
            &e.applicant_state,
            &c["applicant_state"],
        );
        if let Some(sched) = &e.schedule {
            let actual = c["schedule"].as_array().cloned().unwrap_or_default();
            if actual.len() != sched.len() {
                ck.fail(
                    &format!("{id}.schedule (number of installments)"),
                    sched.len(),
                    format!("{} {}", actual.len(), Json::Array(actual.clone())),
                );
            }
            for (n, (ei, ai)) in sched.iter().zip(actual.iter()).enumerate() {
                let what = format!("{id}.schedule[{n}]");
                if ai["year"].as_u64() != Some(ei.year) {
                    ck.fail(&format!("{what}.year"), ei.year, show(&ai["year"]));
                }
                if let Some(y) = ei.calendar_year
                    && ai["calendar_year"].as_i64() != Some(y)
                {
                    ck.fail(
                        &format!("{what}.calendar_year"),
                        y,
                        show(&ai["calendar_year"]),
                    );
                }
                if let Some(p) = ei.past_end
                    && ai["past_end"].as_bool() != Some(p)
                {
                    ck.fail(&format!("{what}.past_end"), p, show(&ai["past_end"]));
                }
                ck.nullable_eq(
                    &format!("{what}.share"),
                    &ei.share,
                    &ai["share"],
                    decimal_eq,
                );
                ck.nullable_money_eq(&format!("{what}.amount"), &ei.amount, &ai["amount"]);
            }
        }
        if let Some(note) = e.amount_note
            && c["amount_note"].is_null() == note
        {
            ck.fail(
                &format!("{id}.amount_note"),
                if note { "a note" } else { "none" },
                show(&c["amount_note"]),
            );
        }
        if let Some(missing) = &e.missing {
            let actual: Vec<&str> = c["missing"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| m["fact"].as_str())
                .collect();
            for m in missing {
                if !actual.contains(&m.as_str()) {
                    ck.fail(
                        &format!("{id}.missing"),
                        format!("to include `{m}`"),
                        format!("{actual:?}"),
                    );
                }
            }
        }
    }

    for (id, items) in &ex.items {
        let Some(c) = case_clause(set, &report, id, &mut ck) else {
            continue;
        };
        let actual = c["items"].as_array().cloned().unwrap_or_default();
        for ei in items {
            let what = format!("{id}.items[index {}]", ei.index);
            let Some(ai) = actual.iter().find(|a| {
                a["index"].as_u64() == Some(ei.index)
                    && ei.list.as_deref().is_none_or(|l| a["list"] == l)
            }) else {
                ck.fail(
                    &what,
                    "an item result",
                    "none (item not selected by the clause)",
                );
                continue;
            };
            ck.str_eq(&format!("{what}.status"), &ei.status, &ai["status"]);
            ck.nullable_money_eq(
                &format!("{what}.amount"),
                &ei.amount,
                &ai["amount"]["value"],
            );
            ck.str_eq(&format!("{what}.kind"), &ei.kind, &ai["amount"]["kind"]);
            ck.bool_eq(&format!("{what}.counted"), ei.counted, &ai["counted"]);
            ck.nullable_eq(
                &format!("{what}.superseded_by"),
                &ei.superseded_by,
                &ai["superseded_by"],
                |e, a| a.as_str() == Some(e),
            );
        }
    }

    for (d, e) in &ex.districts {
        let Some(dr) = report["districts"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|x| x["district"] == d.as_str())
        else {
            ck.note(format!("district `{d}` not in the report"));
            continue;
        };
        ck.str_eq(&format!("{d}.state"), &e.state, &dr["state"]);
        ck.bool_eq(
            &format!("{d}.payable_now"),
            e.payable_now,
            &dr["payable_now"],
        );
        let today = TotalsExp {
            definite: e.definite.clone(),
            up_to: e.up_to.clone(),
            eligible: e.eligible,
            eligible_subject_to_review: e.eligible_subject_to_review,
            needs_information: e.needs_information,
            not_eligible: e.not_eligible,
            not_quantified: e.not_quantified,
        };
        ck.totals(&format!("{d}.totals"), &today, &dr["totals"]);
        if let Some(t) = &e.if_in_force {
            ck.totals(&format!("{d}.if_in_force"), t, &dr["if_in_force"]);
        }
    }

    if let Some(t) = &ex.available_now {
        ck.totals("available_now", t, &report["available_now"]);
    }

    for (id, readings) in &ex.readings {
        let Some(c) = case_clause(set, &report, id, &mut ck) else {
            continue;
        };
        for (rid, e) in readings {
            let what = format!("{id}.readings.{rid}");
            let Some(r) = c["readings"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| r["id"] == rid.as_str())
            else {
                ck.note(format!("{what}: no such reading"));
                continue;
            };
            ck.str_eq(&format!("{what}.status"), &e.status, &r["status"]);
            ck.str_eq(
                &format!("{what}.status_if_in_force"),
                &e.status_if_in_force,
                &r["status_if_in_force"],
            );
            ck.nullable_money_eq(&format!("{what}.amount"), &e.amount, &r["amount"]["value"]);
            ck.str_eq(&format!("{what}.kind"), &e.kind, &r["amount"]["kind"]);
        }
    }

    for (rule, readings) in &ex.rule_readings {
        let found = report["districts"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|d| d["readings"].as_array().into_iter().flatten());
        let found: Vec<&Json> = found.filter(|r| r["rule"] == rule.as_str()).collect();
        for (rid, e) in readings {
            let what = format!("{rule}.readings.{rid}");
            match found.iter().find(|r| r["id"] == rid.as_str()) {
                Some(r) => ck.totals(&format!("{what}.if_in_force"), e, &r["if_in_force"]),
                None => ck.note(format!("{what}: no such reading (district filtered out?)")),
            }
        }
    }

    for (id, e) in &ex.hints {
        let Some(c) = case_clause(set, &report, id, &mut ck) else {
            continue;
        };
        let hints = c["hints"].as_array().cloned().unwrap_or_default();
        if e.none {
            if !hints.is_empty() {
                ck.fail(&format!("{id}.hints"), "none", Json::Array(hints.clone()));
            }
            continue;
        }
        if let Some(a) = &e.adds {
            ck.money_check(&format!("{id}.hints.adds"), a);
        }
        let found = hints.iter().any(|h| {
            e.adds.as_ref().is_none_or(|a| h["adds"] == a.as_str())
                && e.fact.as_ref().is_none_or(|f| {
                    h["changes"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|c| c["fact"] == f.as_str())
                })
        });
        if !found {
            let got: Vec<String> = hints
                .iter()
                .map(|h| {
                    let facts: Vec<&str> = h["changes"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|c| c["fact"].as_str())
                        .collect();
                    format!("adds {} via {}", show(&h["adds"]), facts.join("+"))
                })
                .collect();
            ck.fail(
                &format!("{id}.hints"),
                format!(
                    "a hint{}{}",
                    e.adds
                        .as_ref()
                        .map(|a| format!(" adding {a}"))
                        .unwrap_or_default(),
                    e.fact
                        .as_ref()
                        .map(|f| format!(" changing {f}"))
                        .unwrap_or_default()
                ),
                if got.is_empty() {
                    "no hints".to_string()
                } else {
                    got.join("; ")
                },
            );
        }
    }
    ck.failures
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
