//! Test cases: a profile, a date and the results expected, written by hand from a policy's
//! source text (the `tests/cases/*.yaml` shape, documented in `tests/cases/README.md`), and the
//! one runner that checks them — used by the golden tests, by `butie check` for a pack's own
//! cases, and by the authoring page on every change.
//!
//! Only the keys given are asserted. Every mismatch is reported as
//! `FILE :: CASE :: what: expected X, actual Y`.

use crate::date::parse_date;
use crate::{EvalOptions, PolicySet, Profile};
use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// One case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    pub source: String,
    pub as_of: String,
    /// The call's application period (申报期, an option), `2023-03-01..2023-04-30`.
    pub application_period: Option<String>,
    #[serde(default)]
    pub compare_all: bool,
    pub districts: Option<Vec<String>>,
    pub profile: Json,
    pub expect: Expect,
}

/// What a case expects.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    #[serde(default)]
    pub clauses: BTreeMap<String, ClauseExp>,
    #[serde(default)]
    pub items: BTreeMap<String, Vec<ItemExp>>,
    #[serde(default)]
    pub districts: BTreeMap<String, DistrictExp>,
    pub available_now: Option<TotalsExp>,
    #[serde(default)]
    pub hints: BTreeMap<String, HintExp>,
    /// Clause id → reading id → that reading's result (never counted).
    #[serde(default)]
    pub readings: BTreeMap<String, BTreeMap<String, ReadingExp>>,
    /// Rule id → reading id → the district's `if_in_force` totals under that reading.
    #[serde(default)]
    pub rule_readings: BTreeMap<String, BTreeMap<String, TotalsExp>>,
}

/// Another reading's expected result.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingExp {
    pub status: Option<String>,
    pub status_if_in_force: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub amount: Option<Option<String>>,
    pub kind: Option<String>,
}

/// A key that may be given as `null`: `None` = not asserted, `Some(None)` = must be null.
fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A clause's expected result (keys given are asserted).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseExp {
    pub status: Option<String>,
    pub status_if_in_force: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub amount: Option<Option<String>>,
    pub kind: Option<String>,
    pub counted: Option<bool>,
    pub applicant_state: Option<String>,
    pub schedule: Option<Vec<InstallmentExp>>,
    pub missing: Option<Vec<String>>,
    /// True: the clause carries a note next to its amount.
    pub amount_note: Option<bool>,
}

/// One installment of a payment schedule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallmentExp {
    pub year: u64,
    pub calendar_year: Option<i64>,
    pub past_end: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub share: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub amount: Option<Option<String>>,
}

/// A list item's expected result under a per-item clause.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemExp {
    pub index: u64,
    pub list: Option<String>,
    pub status: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub amount: Option<Option<String>>,
    pub kind: Option<String>,
    pub counted: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub superseded_by: Option<Option<String>>,
}

/// A district's expected state and totals.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictExp {
    pub state: Option<String>,
    pub payable_now: Option<bool>,
    pub definite: Option<String>,
    pub up_to: Option<String>,
    pub eligible: Option<u64>,
    pub eligible_subject_to_review: Option<u64>,
    pub needs_information: Option<u64>,
    pub not_eligible: Option<u64>,
    pub not_quantified: Option<u64>,
    pub if_in_force: Option<TotalsExp>,
}

/// Expected totals and clause counts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TotalsExp {
    pub definite: Option<String>,
    pub up_to: Option<String>,
    pub eligible: Option<u64>,
    pub eligible_subject_to_review: Option<u64>,
    pub needs_information: Option<u64>,
    pub not_eligible: Option<u64>,
    pub not_quantified: Option<u64>,
}

/// A hint that must exist (or `none`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HintExp {
    pub adds: Option<String>,
    pub fact: Option<String>,
    #[serde(default)]
    pub none: bool,
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

/// Runs one case against `set` and returns its failures (none: the case passes). The profile
/// is read with `Profile::from_json` and evaluated with hints and explanations on.
pub fn run_case(set: &PolicySet, file: &str, case: &Case) -> Vec<String> {
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
        match crate::date::Period::parse(p) {
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
    let report = match crate::evaluate(set, &profile, &opts) {
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

/// A case file's cases, parsed from YAML; `Err` has the line and column (1-based) and why.
#[cfg(feature = "authoring")]
pub fn parse_yaml(text: &str) -> Result<Vec<Case>, (usize, usize, String)> {
    serde_yaml_ng::from_str::<Vec<Case>>(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        (line, column, e.to_string())
    })
}

/// The line (1-based) where each top-level case of a YAML case file starts (`- ` in the first
/// column), for messages that point at a case.
pub fn case_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- ") || *l == "-")
        .map(|(i, _)| i + 1)
        .collect()
}
