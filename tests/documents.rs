//! Several documents per district over time: a successor chosen by the evaluation date, a
//! predecessor superseded before its own end, an amendment merged with what it amends, and the
//! lifecycle figures (days left, ending soon, ended on) at their boundaries.
//!
//! The successor is the fictional `tests/fixtures/policies/putuo-2027-fictional.toml`, loaded
//! with the real directory through `PolicySet::from_dirs` (the loader the build scripts use);
//! the variations below are written inline and marked fictional.

use butie::date::parse_date;
use butie::files::PolicyFiles;
use butie::lifecycle::{PolicyState, Relation};
use butie::report::{DistrictResult, Report};
use butie::{EvalOptions, PolicySet, Profile, evaluate};
use serde_json::json;
use std::path::PathBuf;
use unicode_normalization::UnicodeNormalization;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dirs() -> [PathBuf; 2] {
    [
        root().join("policies"),
        root().join("tests/fixtures/policies"),
    ]
}

fn with_successor() -> PolicySet {
    PolicySet::from_dirs(&dirs()).unwrap_or_else(|e| panic!("{e}"))
}

/// The real files, the fictional successor, and `extra` documents written inline.
fn with(extra: &[(&str, String)]) -> Result<PolicySet, butie::LoadErrors> {
    let mut files = PolicyFiles::read_dirs(&dirs()).unwrap();
    for (name, text) in extra {
        files.documents.push((name.to_string(), text.clone()));
    }
    PolicySet::from_files(&files)
}

fn fixture_text() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/policies/putuo-2027-fictional.toml"))
        .unwrap()
}

fn profile(set: &PolicySet) -> Profile {
    let j = json!({
        "schema_version": 1,
        "enterprise": { "registered_district": "putuo", "entity_type": "enterprise", "credit_good": true, "serious_violation_dates": [], "other_violation_dates": [] },
        "certifications": { "cmmi_level": "3", "cmmi_issued_on": "2025-03-01" },
        "projects": [ { "kind": "rd_project", "name": "R&D", "actual_investment": "10000000", "other_support_received": "0" } ]
    });
    Profile::from_json(&set.catalogue, &j).unwrap_or_else(|e| panic!("{e:?}"))
}

fn eval<'a>(set: &'a PolicySet, p: &'a Profile, as_of: &str) -> Report<'a> {
    let mut opts = EvalOptions::new(parse_date(as_of).unwrap());
    opts.districts = Some(vec!["putuo".into()]);
    evaluate(set, p, &opts).unwrap()
}

fn putuo<'r, 'a>(r: &'r Report<'a>) -> &'r DistrictResult<'a> {
    &r.districts[0]
}

fn amount(d: &DistrictResult, id: &str) -> String {
    let c = d.clauses.iter().find(|c| c.id == id).unwrap_or_else(|| {
        panic!(
            "no clause {id} in {}: {:?}",
            d.policy.id,
            d.clauses.iter().map(|c| c.id).collect::<Vec<_>>()
        )
    });
    butie::money::to_fixed2(c.amount.value_or_zero())
}

#[test]
fn the_successor_is_chosen_by_the_evaluation_date() {
    let set = with_successor();
    let p = profile(&set);

    // Before it starts: the real document, ending soon, with its successor as history.
    let r = eval(&set, &p, "2026-12-01");
    let d = putuo(&r);
    assert_eq!(d.policy.id, "putuo-2024-3");
    assert_eq!(d.state, PolicyState::InForce);
    assert!(d.lifecycle.ending_soon);
    assert_eq!(d.lifecycle.days_left, Some(30));
    assert!(d.notice.zh.contains("距失效还有 30 天"), "{}", d.notice.zh);
    assert_eq!(d.coverage, None);
    assert_eq!(d.history.len(), 1);
    let h = &d.history[0];
    assert_eq!(h.id, "putuo-2027-fictional");
    assert_eq!(h.relation, Relation::Successor);
    assert_eq!(h.lifecycle.state, PolicyState::NotYetInForce);
    assert_eq!(h.lifecycle.starts_in_days, Some(31));
    assert_eq!(h.label.zh, "接替本政策 · 尚未施行");
    assert_eq!(amount(d, "putuo.3.4.qualifications"), "200000.00");

    // From its first day: the successor, same clause id, its own amount; the predecessor is
    // history, expired (it ended the day before).
    let r = eval(&set, &p, "2027-01-01");
    let d = putuo(&r);
    assert_eq!(d.policy.id, "putuo-2027-fictional");
    assert!(d.payable_now);
    assert_eq!(d.lifecycle.days_left, Some(730));
    assert_eq!(amount(d, "putuo.3.4.qualifications"), "300000.00");
    assert_eq!(amount(d, "putuo.3.3"), "4000000.00");
    assert_eq!(d.history[0].id, "putuo-2024-3");
    assert_eq!(d.history[0].relation, Relation::Predecessor);
    assert_eq!(d.history[0].lifecycle.state, PolicyState::Expired);
    assert_eq!(d.policy.supersedes, Some("putuo-2024-3"));
    assert_eq!(d.policy.replaces[0].name, "普科合规范〔2024〕3号");
    assert_eq!(
        butie::money::to_fixed2(r.available_now.up_to.0),
        "4300000.00"
    );

    // After both: the newest, expired, with the coverage line.
    let r = eval(&set, &p, "2029-03-01");
    let d = putuo(&r);
    assert_eq!(d.policy.id, "putuo-2027-fictional");
    assert_eq!(d.state, PolicyState::Expired);
    assert!(!d.payable_now);
    assert!(
        d.coverage
            .as_ref()
            .unwrap()
            .zh
            .contains("已于 2028-12-31 失效"),
        "{:?}",
        d.coverage
    );
}

#[test]
fn a_successor_that_starts_early_supersedes_its_predecessor() {
    let early = fixture_text().replace(
        "effective_from = \"2027-01-01\"",
        "effective_from = \"2026-07-01\"",
    );
    let files = {
        let mut f = PolicyFiles::read_dirs(&[root().join("policies")]).unwrap();
        f.documents
            .push(("putuo-2027-fictional.toml".into(), early));
        f
    };
    let set = PolicySet::from_files(&files).unwrap_or_else(|e| panic!("{e}"));
    let p = profile(&set);
    let r = eval(&set, &p, "2026-08-01");
    let d = putuo(&r);
    assert_eq!(d.policy.id, "putuo-2027-fictional");
    let h = &d.history[0];
    assert_eq!(h.lifecycle.state, PolicyState::Superseded);
    assert_eq!(h.lifecycle.superseded_by, Some("putuo-2027-fictional"));
    assert_eq!(
        h.lifecycle.ended_on.map(butie::date::fmt_date).as_deref(),
        Some("2026-06-30")
    );
    // Before the successor starts, the predecessor is still the one in force.
    let r = eval(&set, &p, "2026-06-30");
    assert_eq!(putuo(&r).policy.id, "putuo-2024-3");
    assert_eq!(putuo(&r).lifecycle.days_left, Some(184));
}

/// A fictional amendment of the fictional successor, from 2028-01-01: a new amount for one
/// clause, one clause repealed, one added.
fn amendment() -> String {
    r#"
[policy]
id = "putuo-2028-amend-fictional"
amends = "putuo-2027-fictional"
repeals = ["putuo.3.3"]
district = "putuo"
district_name = { zh = "普陀区", en = "Putuo" }
title = { zh = "【虚构】修订", en = "[FICTIONAL] amendment" }
doc_no = "虚构〔2027〕2号"
issuers = ["（虚构）"]
issued_on = "2027-12-01"
status = "official"
effective_from = "2028-01-01"
effective_to = "2028-12-31"
source_file = "fictional-amend.txt"
window_article = "二"
window_quote = "自2028年1月1日起施行。"
verified_on = "2026-12-01"

[[clauses]]
id = "putuo.3.4.qualifications"
article = "一"
title = { zh = "资质资助（修订，虚构）", en = "Qualifications (amended, fictional)" }
quote = "资助提高至最高不超过40万元。"
basis = "recognition"
when = ["cmmi_level >= 3"]
award = { type = "fixed", amount = "40万", bound = "up_to" }

[[clauses]]
id = "putuo.9"
article = "一"
title = { zh = "新增条款（虚构）", en = "New clause (fictional)" }
quote = "新增一次性资助5万元。"
basis = "entitlement"
award = { type = "fixed", amount = "5万", bound = "definite" }
"#
    .to_string()
}

#[test]
fn an_amendment_is_evaluated_merged_with_what_it_amends() {
    let set =
        with(&[("putuo-2028-amend-fictional.toml", amendment())]).unwrap_or_else(|e| panic!("{e}"));
    let p = profile(&set);

    let r = eval(&set, &p, "2027-06-01");
    let d = putuo(&r);
    assert_eq!(d.policy.id, "putuo-2027-fictional");
    assert_eq!(amount(d, "putuo.3.4.qualifications"), "300000.00");
    assert_eq!(amount(d, "putuo.3.3"), "4000000.00");
    assert!(d.clauses.iter().all(|c| c.id != "putuo.9"));

    let r = eval(&set, &p, "2028-06-01");
    let d = putuo(&r);
    assert_eq!(d.policy.id, "putuo-2028-amend-fictional");
    assert_eq!(d.policy.amends, Some("putuo-2027-fictional"));
    let ids: Vec<&str> = d.clauses.iter().map(|c| c.id).collect();
    assert_eq!(ids, ["putuo.3.4.qualifications", "putuo.9"]);
    assert_eq!(amount(d, "putuo.3.4.qualifications"), "400000.00");
    // Its own clauses cite the amendment; the applicant rule it inherits still applies.
    let q = &d.clauses[0];
    assert_eq!(q.citation.doc_no, Some("虚构〔2027〕2号"));
    assert_eq!(q.applicant_rules.as_slice(), ["putuo.1"]);
    // The amended document is in force alongside, listed as amended.
    let base = d
        .history
        .iter()
        .find(|h| h.id == "putuo-2027-fictional")
        .unwrap();
    assert_eq!(base.relation, Relation::Amended);
    assert_eq!(base.lifecycle.state, PolicyState::InForce);
    assert_eq!(
        base.lifecycle.amended_by,
        Some("putuo-2028-amend-fictional")
    );

    // An inherited clause cites the document it was written in.
    let keep = with(&[(
        "putuo-2028-amend-fictional.toml",
        amendment().replace("repeals = [\"putuo.3.3\"]\n", ""),
    )])
    .unwrap();
    let p = profile(&keep);
    let r = eval(&keep, &p, "2028-06-01");
    let rd = putuo(&r)
        .clauses
        .iter()
        .find(|c| c.id == "putuo.3.3")
        .unwrap();
    assert_eq!(rd.citation.doc_no, Some("虚构〔2026〕9号"));
    assert_eq!(rd.citation.source_file, "fictional-putuo-2027.txt");
}

#[test]
fn an_amendment_that_repeals_an_unknown_entry_is_refused() {
    let bad = amendment().replace("repeals = [\"putuo.3.3\"]", "repeals = [\"putuo.7\"]");
    let errs = with(&[("bad.toml", bad)]).unwrap_err().0;
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].file, "bad.toml");
    assert_eq!(errs[0].path, "policy.repeals[0]");
}

#[test]
fn ending_soon_counts_whole_days_and_the_last_day_is_zero() {
    let set = with_successor();
    let doc = set.document("putuo-2024-3").unwrap();
    let at = |d: &str| set.lifecycle(doc, parse_date(d).unwrap());
    let l = at("2026-11-01");
    assert_eq!((l.days_left, l.ending_soon), (Some(60), true));
    let l = at("2026-10-31");
    assert_eq!((l.days_left, l.ending_soon), (Some(61), false));
    let l = at("2026-12-31");
    assert_eq!((l.state, l.days_left), (PolicyState::InForce, Some(0)));
    let l = at("2027-01-01");
    assert_eq!(l.state, PolicyState::Expired);
    assert_eq!(
        l.ended_on.map(butie::date::fmt_date).as_deref(),
        Some("2026-12-31")
    );
    let l = at("2024-12-31");
    assert_eq!(
        (l.state, l.starts_in_days),
        (PolicyState::NotYetInForce, Some(1))
    );
}

#[test]
fn the_listing_marks_the_document_evaluated_per_district() {
    let set = with_successor();
    let l = butie::listing::policy_listing(&set, parse_date("2027-02-01").unwrap());
    let putuo: Vec<_> = l
        .policies
        .iter()
        .filter(|p| p.district == "putuo")
        .collect();
    assert_eq!(putuo.len(), 2);
    assert!(
        !putuo[0].evaluated && putuo[1].evaluated,
        "oldest first, successor evaluated"
    );
    let d = l.districts.iter().find(|d| d.district == "putuo").unwrap();
    assert_eq!(d.evaluated, "putuo-2027-fictional");
    assert_eq!(d.coverage, None);
}

#[test]
fn clause_ids_resolve_per_document() {
    let set = with_successor();
    assert_eq!(set.entries("putuo.3.3").len(), 2);
    let e = set.entry("putuo.3.3@putuo-2027-fictional").unwrap();
    assert_eq!(e.policy().meta.id, "putuo-2027-fictional");
    assert!(set.entry("putuo.3.3@nope").is_none());
}

/// NFKC, then drop whitespace (as tests/quotes.rs folds both sides).
fn fold(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_fixtures_quotes_are_in_their_own_fictional_source() {
    let set = PolicySet::from_dirs(&dirs()).unwrap();
    let fixtures: Vec<_> = set
        .policies
        .iter()
        .filter(|p| p.meta.source_file.starts_with("fictional-"))
        .collect();
    assert_eq!(fixtures.len(), 2, "the successor and the fifth district");
    for doc in fixtures {
        let m = &doc.meta;
        assert!(m.title.zh.contains("虚构") && m.title.en.contains("FICTIONAL"));
        let src = fold(
            &std::fs::read_to_string(
                root()
                    .join("tests/fixtures/policies/sources")
                    .join(&m.source_file),
            )
            .unwrap(),
        );
        let quotes = doc
            .clauses
            .iter()
            .map(|c| c.quote.as_str())
            .chain(doc.rules.iter().map(|r| r.quote.as_str()))
            .chain([m.window_quote.as_str()])
            .chain(m.replaces.iter().map(|r| r.quote.as_str()))
            .chain(m.procedure.iter().map(|p| p.quote.as_str()))
            .chain(m.dates.iter().map(|d| d.quote.as_str()));
        for q in quotes {
            assert!(src.contains(&fold(q)), "not in {}: {q}", m.source_file);
        }
    }
}

/// The way the native builds embed the data (`build.rs`: the files as a JSON bundle, read back
/// by `PolicySet::from_bundle_json`) gives the same results as loading the directories.
#[test]
fn the_bundle_path_gives_what_the_directories_give() {
    let files = PolicyFiles::read_dirs(&dirs()).unwrap();
    let bundled = PolicySet::from_bundle_json(&files.bundle_json().unwrap())
        .unwrap_or_else(|e| panic!("{e}"));
    let direct = with_successor();
    assert_eq!(bundled.policies.len(), 6);
    let p = profile(&direct);
    for as_of in ["2026-12-01", "2027-01-01", "2029-03-01"] {
        let mut opts = EvalOptions::new(parse_date(as_of).unwrap());
        opts.compare_all = true;
        let a = serde_json::to_value(evaluate(&bundled, &p, &opts).unwrap()).unwrap();
        let b = serde_json::to_value(evaluate(&direct, &p, &opts).unwrap()).unwrap();
        assert_eq!(a, b, "{as_of}");
    }
    // A build with the fixtures bundled through the same path as the real files: a fifth district.
    let listing = butie::listing::policy_listing(&bundled, parse_date("2026-12-01").unwrap());
    assert!(listing.districts.iter().any(|d| d.district == "hongkou"));
}

/// 普陀 三（一）: 500万 分三年拨付 — from the evaluation year, the years after the document's
/// last day marked, and the sentence saying the text is silent about them.
#[test]
fn payments_past_the_end_are_marked_with_their_years() {
    let set = with_successor();
    let j = json!({
        "schema_version": 1,
        "enterprise": { "registered_district": "putuo", "entity_type": "enterprise", "credit_good": true,
                        "serious_violation_dates": [], "other_violation_dates": [],
                        "established_in_district_on": "2025-03-01" },
        "operations": { "office_premises": "rent", "office_annual_rent": "800000" }
    });
    let p = Profile::from_json(&set.catalogue, &j).unwrap();
    let years = |r: &Report, id: &str| -> Vec<(u32, i32, bool)> {
        putuo(r)
            .clauses
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .schedule
            .iter()
            .map(|i| (i.year, i.calendar_year, i.past_end))
            .collect()
    };
    let r = eval(&set, &p, "2026-11-21");
    let want = [(1, 2026, false), (2, 2027, true), (3, 2028, true)];
    assert_eq!(years(&r, "putuo.3.1"), want);
    // 三（二）, renting: up to the rent each year, for three years.
    assert_eq!(years(&r, "putuo.3.2"), want);
    let rent = &putuo(&r)
        .clauses
        .iter()
        .find(|c| c.id == "putuo.3.2")
        .unwrap();
    assert!(
        rent.schedule
            .iter()
            .all(|i| i.amount.map(|a| a.0) == Some("800000".parse().unwrap()))
    );
    let notice = rent.schedule_notice.as_ref().expect("the sentence");
    assert_eq!(
        notice.zh,
        "2027–2028 年的款项在政策有效期（至 2026-12-31）之后：原文未说明届时是否仍会拨付。"
    );
    assert!(
        notice
            .en
            .contains("does not say whether they are still paid")
    );
    let json = serde_json::to_value(&r).unwrap();
    let inst = &json["districts"][0]["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "putuo.3.1")
        .unwrap()["schedule"][1];
    assert_eq!(inst["calendar_year"], 2027);
    assert_eq!(inst["past_end"], true);

    // Before the document starts, the first payment falls in its first year.
    let r = eval(&set, &p, "2024-06-01");
    assert_eq!(
        years(&r, "putuo.3.1"),
        [(1, 2025, false), (2, 2026, false), (3, 2027, true)]
    );
    // Within its window with no year past the end: no sentence.
    let r = eval(&set, &p, "2027-06-01");
    let succ = putuo(&r);
    assert_eq!(succ.policy.id, "putuo-2027-fictional");
    assert!(succ.clauses.iter().all(|c| c.schedule_notice.is_none()));
}
