//! A new district is one data file and zero Rust: a made-up 虹口 policy
//! (`tests/fixtures/policies/hongkou-fictional.toml`, clearly marked fictional) is loaded next to the
//! real catalogue and evaluated; every status and amount below was computed by hand.

use butie::date::parse_date;
use butie::report::{AmountKind, ClauseResult, DistrictResult, PolicyState, Status, Totals};
use butie::{EvalOptions, PolicySet, Profile, Report, evaluate};
use rust_decimal::Decimal;
use serde_json::{Value as Json, json};
use std::fs;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const FIXTURE: &str = "hongkou-fictional.toml";

fn fixture() -> (String, String) {
    let text = fs::read_to_string(root().join("tests/fixtures/policies").join(FIXTURE)).unwrap();
    (FIXTURE.to_string(), text)
}

fn catalogue() -> String {
    fs::read_to_string(root().join("policies/facts.toml")).unwrap()
}

/// The real catalogue and only the fictional district.
fn hongkou_only() -> PolicySet {
    PolicySet::from_toml(&catalogue(), &[fixture()]).unwrap_or_else(|e| panic!("{e}"))
}

/// The real catalogue, the four real policies and the fictional district.
fn with_real_policies() -> PolicySet {
    let mut files = butie::files::PolicyFiles::read_dirs(&[root().join("policies")]).unwrap();
    files.documents.push(fixture());
    PolicySet::from_files(&files).unwrap_or_else(|e| panic!("{e}"))
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The hand-computed reference profile.
///
/// * 第二条 fixed: software enterprise assessed → 100,000.00 (definite).
/// * 第三条 rate with cap: 300,000 × 40% = 120,000 → capped at 80,000.00 (definite).
/// * 第四条 tiers: CMMI 4, issued 2025-03-01 (in the window) → 400,000.00, not 20万 + 40万.
/// * 第五条 per project (recognition, up to), computing-power projects only:
///   - #0: 1,000,000 × 25% = 250,000 − 50,000 received elsewhere = 200,000.00
///   - #1: 3,000,000 × 25% = 750,000 → project cap 500,000 − 0 = 500,000.00
///   - #2: 1,234,567.89 × 25% = 308,641.9725 → 308,641.97 (fen) − 8,641.97 = 300,000.00
///   - #3 is an R&D project: not this clause.
///   - sum 1,000,000.00 → enterprise cap 800,000.00.
fn reference() -> Json {
    json!({
        "schema_version": 1,
        "name": "虚构企业",
        "enterprise": {
            "registered_district": "hongkou",
            "entity_type": "enterprise",
            "credit_good": true,
            "serious_violation_dates": []
        },
        "operations": {
            "uses_listed_cloud": true,
            "cloud_service_spend": "300000"
        },
        "certifications": {
            "software_enterprise_assessed": true,
            "cmmi_level": "4",
            "cmmi_issued_on": "2025-03-01"
        },
        "projects": [
            { "name": "训练集群", "kind": "computing_power", "actual_cost": "1000000", "other_support_received": "50000" },
            { "name": "推理集群", "kind": "computing_power", "actual_cost": "3000000", "other_support_received": "0" },
            { "name": "渲染农场", "kind": "computing_power", "actual_cost": "1234567.89", "other_support_received": "8641.97" },
            { "name": "研发", "kind": "rd_project", "actual_investment": "5000000" }
        ]
    })
}

fn profile(set: &PolicySet, j: &Json) -> Profile {
    Profile::from_json(&set.catalogue, j).unwrap_or_else(|e| panic!("{e:?}"))
}

fn opts(as_of: &str) -> EvalOptions {
    EvalOptions::new(parse_date(as_of).unwrap())
}

fn district<'r, 'a>(r: &'r Report<'a>, id: &str) -> &'r DistrictResult<'a> {
    r.districts
        .iter()
        .find(|x| x.district == id)
        .unwrap_or_else(|| panic!("no district {id}"))
}

fn clause<'r, 'a>(r: &'r Report<'a>, id: &str) -> &'r ClauseResult<'a> {
    r.districts
        .iter()
        .flat_map(|x| x.clauses.iter())
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no clause {id}"))
}

/// (status, amount kind, amount).
fn outcome(r: &Report, id: &str) -> (Status, AmountKind, Option<Decimal>) {
    let c = clause(r, id);
    (c.status, c.amount.kind, c.amount.value.map(|y| y.0))
}

fn reference_totals() -> Totals {
    let mut t = Totals::default();
    t.definite.0 = d("580000"); // 100,000 + 80,000 + 400,000
    t.up_to.0 = d("1380000"); // + 800,000 (up to)
    t.eligible = 3;
    t.eligible_subject_to_review = 1;
    t
}

#[test]
fn loads_without_code_changes_and_is_marked_fictional() {
    let set = hongkou_only();
    let p = set.documents("hongkou").next().expect("hongkou policy");
    assert!(p.meta.title.zh.contains("虚构") && p.meta.title.en.contains("FICTIONAL"));
    assert_eq!(p.clauses.len(), 4);
    assert_eq!(p.rules.len(), 2);
    // It sits next to the four real districts just as well.
    let all = with_real_policies();
    assert_eq!(all.policies.len(), 5);
    assert!(all.entry("hongkou.5").is_some());
}

#[test]
fn reference_profile_hand_computed() {
    let set = hongkou_only();
    let p = profile(&set, &reference());
    let r = evaluate(&set, &p, &opts("2025-06-01")).unwrap();
    let h = district(&r, "hongkou");
    assert_eq!(h.state, PolicyState::InForce);
    assert!(h.payable_now);

    assert_eq!(
        outcome(&r, "hongkou.2"),
        (Status::Eligible, AmountKind::Definite, Some(d("100000")))
    );
    assert_eq!(
        outcome(&r, "hongkou.3"),
        (Status::Eligible, AmountKind::Definite, Some(d("80000")))
    );
    assert_eq!(
        outcome(&r, "hongkou.4"),
        (Status::Eligible, AmountKind::Definite, Some(d("400000")))
    );
    assert_eq!(
        outcome(&r, "hongkou.5"),
        (
            Status::EligibleSubjectToReview,
            AmountKind::UpTo,
            Some(d("800000"))
        )
    );

    // Per project: offsets, project cap and rounding to the fen.
    let c5 = clause(&r, "hongkou.5");
    let items: Vec<(usize, Option<Decimal>)> = c5
        .items
        .iter()
        .map(|i| (i.index, i.amount.value.map(|y| y.0)))
        .collect();
    assert_eq!(
        items,
        vec![
            (0, Some(d("200000"))),
            (1, Some(d("500000"))),
            (2, Some(d("300000")))
        ],
        "the R&D project (#3) is not selected"
    );
    assert_eq!(c5.items[0].name, Some("训练集群"));

    assert_eq!(h.totals, reference_totals());
    assert_eq!(h.if_in_force, reference_totals());
    assert_eq!(r.available_now, reference_totals());

    // The citation and the JSON form come straight from the data file.
    let c4 = clause(&r, "hongkou.4");
    assert_eq!(c4.citation.article, "第四条");
    assert_eq!(c4.citation.source_file, "fictional-hongkou.txt");
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["available_now"]["definite"], "580000.00");
    assert_eq!(j["available_now"]["up_to"], "1380000.00");
    assert_eq!(j["districts"][0]["policy"]["data_file"], FIXTURE);
}

#[test]
fn batch_mode_gives_the_same_money() {
    let set = hongkou_only();
    let p = profile(&set, &reference());
    let mut o = opts("2025-06-01");
    o.hints = false;
    o.explain = false;
    let r = evaluate(&set, &p, &o).unwrap();
    assert_eq!(r.available_now, reference_totals());
    assert_eq!(
        outcome(&r, "hongkou.5"),
        (
            Status::EligibleSubjectToReview,
            AmountKind::UpTo,
            Some(d("800000"))
        )
    );
}

#[test]
fn applicant_rule_credit_look_back() {
    let set = hongkou_only();
    // none_within_years(serious_violation_dates, 2) as of 2025-06-01: the window is
    // (2023-06-01, 2025-06-01].
    for (date, eligible) in [
        ("2024-09-01", false),
        ("2025-06-01", false),
        ("2023-06-02", false),
        ("2023-06-01", true),
        ("2023-05-31", true),
        ("2025-06-02", true), // after the evaluation date
    ] {
        let mut j = reference();
        j["enterprise"]["serious_violation_dates"] = json!([date]);
        let p = profile(&set, &j);
        let r = evaluate(&set, &p, &opts("2025-06-01")).unwrap();
        let h = district(&r, "hongkou");
        if eligible {
            assert_eq!(h.totals, reference_totals(), "violation on {date}");
        } else {
            assert_eq!(h.totals.up_to.0, Decimal::ZERO, "violation on {date}");
            assert_eq!(h.totals.not_eligible, 4, "violation on {date}");
            assert!(
                h.clauses.iter().all(|c| c.status == Status::NotEligible
                    && c.amount.value.is_none()
                    && c.applicant_rules.as_slice() == ["hongkou.1"]),
                "violation on {date}"
            );
        }
    }
}

#[test]
fn registered_elsewhere_unless_comparing_all_districts() {
    let set = hongkou_only();
    let mut j = reference();
    j["enterprise"]["registered_district"] = json!("putuo");
    let p = profile(&set, &j);
    let r = evaluate(&set, &p, &opts("2025-06-01")).unwrap();
    assert_eq!(district(&r, "hongkou").totals.up_to.0, Decimal::ZERO);
    assert_eq!(district(&r, "hongkou").totals.not_eligible, 4);

    let mut o = opts("2025-06-01");
    o.compare_all = true;
    let r = evaluate(&set, &p, &o).unwrap();
    assert_eq!(district(&r, "hongkou").totals, reference_totals());
}

#[test]
fn outside_the_window_nothing_is_payable() {
    let set = hongkou_only();
    let p = profile(&set, &reference());
    for (as_of, state) in [
        ("2024-12-31", PolicyState::NotYetInForce),
        ("2028-01-01", PolicyState::Expired),
    ] {
        let r = evaluate(&set, &p, &opts(as_of)).unwrap();
        let h = district(&r, "hongkou");
        assert_eq!(h.state, state, "{as_of}");
        assert!(!h.payable_now);
        assert_eq!(h.totals, Totals::default(), "{as_of}");
        assert_eq!(r.available_now, Totals::default(), "{as_of}");
        assert!(
            h.clauses
                .iter()
                .all(|c| c.status == Status::PolicyNotInForce && !c.counted)
        );
        // …but it says what it would pay: the certificate date is judged against the
        // policy window, not the evaluation date.
        assert_eq!(h.if_in_force, reference_totals(), "{as_of}");
        assert_eq!(clause(&r, "hongkou.4").status_if_in_force, Status::Eligible);
    }
    // Windows are inclusive at both ends.
    for as_of in ["2025-01-01", "2027-12-31"] {
        let r = evaluate(&set, &p, &opts(as_of)).unwrap();
        assert!(district(&r, "hongkou").payable_now, "{as_of}");
    }
}

#[test]
fn tiers_pay_the_level_reached_and_dates_count() {
    let set = hongkou_only();
    for (level, issued, want) in [
        ("2", "2025-03-01", None),
        ("3", "2025-03-01", Some("200000")),
        ("4", "2025-03-01", Some("400000")),
        ("5", "2025-03-01", Some("600000")),
        ("5", "2024-12-31", None), // certificate before the window
    ] {
        let mut j = reference();
        j["certifications"]["cmmi_level"] = json!(level);
        j["certifications"]["cmmi_issued_on"] = json!(issued);
        let p = profile(&set, &j);
        let r = evaluate(&set, &p, &opts("2025-06-01")).unwrap();
        let (status, _, amount) = outcome(&r, "hongkou.4");
        match want {
            Some(w) => {
                assert_eq!(status, Status::Eligible, "{level} {issued}");
                assert_eq!(amount, Some(d(w)), "{level} {issued}");
            }
            None => {
                assert_eq!(status, Status::NotEligible, "{level} {issued}");
                assert_eq!(amount, None);
            }
        }
    }
}

#[test]
fn rate_below_the_cap_and_missing_inputs() {
    let set = hongkou_only();
    // 123,456.78 × 40% = 49,382.712 → 49,382.71 (below the 80,000 cap).
    let mut j = reference();
    j["operations"]["cloud_service_spend"] = json!("123456.78");
    let p = profile(&set, &j);
    let r = evaluate(&set, &p, &opts("2025-06-01")).unwrap();
    assert_eq!(
        outcome(&r, "hongkou.3"),
        (Status::Eligible, AmountKind::Definite, Some(d("49382.71")))
    );

    // Unknown spend: the calculator asks for it instead of assuming zero.
    let mut j = reference();
    j["operations"]
        .as_object_mut()
        .unwrap()
        .remove("cloud_service_spend");
    let p = profile(&set, &j);
    let r = evaluate(&set, &p, &opts("2025-06-01")).unwrap();
    let c3 = clause(&r, "hongkou.3");
    assert_eq!(c3.status, Status::NeedsInformation);
    assert_eq!(c3.amount.value, None);
    assert!(
        c3.missing.iter().any(|m| m.fact == "cloud_service_spend"),
        "{:?}",
        c3.missing.iter().map(|m| m.fact).collect::<Vec<_>>()
    );
    let h = district(&r, "hongkou");
    assert_eq!(h.totals.needs_information, 1);
    assert_eq!(h.totals.definite.0, d("500000"));

    // An unknown offset value is also asked for, per project.
    let mut j = reference();
    j["projects"][1]
        .as_object_mut()
        .unwrap()
        .remove("other_support_received");
    let p = profile(&set, &j);
    let r = evaluate(&set, &p, &opts("2025-06-01")).unwrap();
    let c5 = clause(&r, "hongkou.5");
    assert_eq!(c5.items[1].status, Status::NeedsInformation);
    // The other two projects still count: 200,000 + 300,000.
    assert_eq!(c5.amount.value.map(|y| y.0), Some(d("500000")));
}

#[test]
fn next_to_the_real_districts() {
    let set = with_real_policies();
    let p = profile(&set, &reference());
    let r = evaluate(&set, &p, &opts("2025-06-01")).unwrap();
    assert_eq!(r.districts.len(), 5);
    assert_eq!(district(&r, "hongkou").totals, reference_totals());
    // Registered in Hongkou: the real districts' applicant rules are not met, so only
    // the fictional district pays (the counts include the real in-force districts'
    // not-eligible clauses).
    assert_eq!(r.available_now.definite.0, d("580000"));
    assert_eq!(r.available_now.up_to.0, d("1380000"));
    for real in ["jinshan", "songjiang", "jiading", "putuo"] {
        assert_eq!(
            district(&r, real).if_in_force.up_to.0,
            Decimal::ZERO,
            "{real}"
        );
    }
}
