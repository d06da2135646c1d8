//! Properties of the engine over random profiles generated from the fact catalogue.
//!
//! Profiles: any subset of facts with random valid values (types and enum values from the
//! catalogue; money up to 1 万亿 with two decimals), 0–5 projects and 0–3 game products with
//! random fields, evaluation dates 2019–2028, compare-all on or off. Half the profiles are
//! uniform, half "typical" (form defaults, the policies' districts, mostly yes) so that the
//! money paths are reached — `the_generator_reaches_every_money_clause` checks that.
//!
//! Checked: amounts are never negative and never above the ceiling the formula allows; more
//! money put in never lowers a clause and support received elsewhere never raises one; a
//! higher tier never lowers a clause (DCMM level 5 handled explicitly); nothing is payable
//! outside a policy's window; `available_now` adds up the in-force districts; compare-all
//! equals registering in each district; evaluation is deterministic and explanation does not
//! change the money; and no input — arbitrary JSON, arbitrary strings — panics.
//!
//! Case counts default to 64–256 per property (see [`cases`]) so `cargo test` stays fast in
//! debug builds; set `PROPTEST_CASES` to run more.

use butie::catalogue::{Catalogue, FactDef, FactKind};
use butie::date::{Date, Period};
use butie::expr::{Lit, Operand, Sign, Term, ValueExpr};
use butie::policy::{Formula, ItemsCap, Node, OffsetKind, Policy};
use butie::profile::{Item, Value, parse_value_str, value_to_string};
use butie::report::{AmountKind, PolicyState, Status, Totals};
use butie::{EvalOptions, PolicySet, Profile, Report, evaluate};
use proptest::prelude::*;
use proptest::test_runner::Config;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::sync::LazyLock;

static SET: LazyLock<PolicySet> = LazyLock::new(|| PolicySet::embedded().expect("embedded data"));

fn cat() -> &'static Catalogue {
    &SET.catalogue
}

/// Cases per property: `PROPTEST_CASES` if set, else `default`.
fn cases(default: u32) -> Config {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    Config {
        cases: n,
        // Failures print the minimal input; do not write regression files into tests/.
        failure_persistence: None,
        ..Config::default()
    }
}

// ------------------------------------------------------------------ generators

fn day(y: i32, m: u8, d: u8) -> i32 {
    Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d)
        .unwrap()
        .to_julian_day()
}

fn date_between(from: i32, to: i32) -> impl Strategy<Value = Date> + Clone {
    (from..=to).prop_map(|j| Date::from_julian_day(j).unwrap())
}

/// Certificate and event dates: 2015–2030.
fn any_date() -> impl Strategy<Value = Date> + Clone {
    date_between(day(2015, 1, 1), day(2030, 12, 31))
}

/// Evaluation dates: 2019–2028.
fn as_of() -> impl Strategy<Value = Date> + Clone {
    date_between(day(2019, 1, 1), day(2028, 12, 31))
}

/// Yuan with two decimals, from 0 to 1 万亿, mostly in realistic ranges.
fn money() -> BoxedStrategy<Decimal> {
    prop_oneof![
        3 => 0u64..=100_000_000,               // ≤ 1,000,000.00
        3 => 0u64..=10_000_000_000,            // ≤ 100,000,000.00
        1 => 0u64..=100_000_000_000_000,       // ≤ 1,000,000,000,000.00
        2 => (0u64..=4_000).prop_map(|x| x * 5_000_000), // round multiples of 5万 up to 2亿
    ]
    .prop_map(|cents| Decimal::new(cents as i64, 2))
    .boxed()
}

fn value_of(def: &FactDef) -> BoxedStrategy<Value> {
    match def.kind {
        FactKind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        FactKind::Integer => {
            let (lo, hi) = (def.min.unwrap_or(0), def.max.unwrap_or(1_000_000_000_000));
            prop_oneof![
                3 => lo..=hi.min(lo + 30),
                2 => lo..=hi.min(3_000_000),
                1 => lo..=hi,
            ]
            .prop_map(Value::Int)
            .boxed()
        }
        FactKind::Money => money().prop_map(Value::Money).boxed(),
        FactKind::Date => any_date().prop_map(Value::Date).boxed(),
        FactKind::Dates => prop::collection::vec(any_date(), 0..3)
            .prop_map(|mut v| {
                v.sort();
                Value::Dates(v)
            })
            .boxed(),
        FactKind::Enum => (0..def.values.len() as u16).prop_map(Value::Enum).boxed(),
        FactKind::Text => "[a-z0-9 项目游戏]{0,16}".prop_map(Value::Text).boxed(),
    }
}

/// What a typical applicant answers (the form's presets before issue 12 removed them: the
/// form now presumes nothing, but half the generated profiles still need these values so that
/// the money paths are actually reached).
const TYPICAL: &[(&str, &str)] = &[
    ("tax_registered_locally", "true"),
    ("operates_locally", "true"),
    ("entity_type", "enterprise"),
    ("operating_normally", "true"),
    ("credit_good", "true"),
    ("office_premises", "none"),
    ("cmmi_level", "none"),
    ("dcmm_level", "none"),
    ("lianghua_standard", "none"),
    ("lianghua_grade", "none"),
    ("lianghua_valid", "true"),
    ("itss_level", "none"),
    ("cs_level", "none"),
    ("software_product_certificates", "0"),
    ("software_copyrights", "0"),
    ("iiot_excellent_platform", "none"),
    ("level", "none"),
    ("construction_investment", "0"),
    ("upper_subsidy_received", "0"),
    ("upper_requires_matching", "false"),
    ("other_support_received", "0"),
    ("town_support_received", "0"),
    ("municipal_support_received", "0"),
];

/// A value an applicant who might qualify would give: the typical answer above, one of the
/// policies' districts for location facts, "yes" for yes/no facts, no violations, dates in
/// the policies' era. Half the profiles are drawn this way so that the money paths are
/// actually reached (uniform values almost never pass every applicant rule).
fn typical_value(def: &FactDef) -> BoxedStrategy<Value> {
    let any = value_of(def);
    if def.location {
        let ids: Vec<u16> = SET
            .policies
            .iter()
            .filter_map(|p| def.values.iter().position(|v| v.id == p.meta.district))
            .map(|i| i as u16)
            .collect();
        return prop_oneof![5 => prop::sample::select(ids).prop_map(Value::Enum), 1 => any].boxed();
    }
    let typical = TYPICAL
        .iter()
        .find(|(id, _)| *id == def.id)
        .and_then(|(_, v)| butie::profile::parse_value_str(def, v).ok().flatten());
    match (def.kind, typical) {
        (FactKind::Bool, _) => prop::bool::weighted(0.8).prop_map(Value::Bool).boxed(),
        (FactKind::Dates, _) => prop_oneof![4 => Just(Value::Dates(Vec::new())), 1 => any].boxed(),
        (FactKind::Date, _) => date_between(day(2019, 1, 1), day(2027, 12, 31))
            .prop_map(Value::Date)
            .boxed(),
        (_, Some(d)) => prop_oneof![1 => Just(d), 1 => any].boxed(),
        _ => any,
    }
}

/// Known with probability 3/4 (typical: 19/20), else unknown; required fields always known.
fn slot(def: &FactDef, typical: bool) -> BoxedStrategy<Option<Value>> {
    let (v, known) = if typical {
        (typical_value(def), 0.95)
    } else {
        (value_of(def), 0.75)
    };
    if def.required {
        v.prop_map(Some).boxed()
    } else {
        prop::option::weighted(known, v).boxed()
    }
}

fn item(list: usize, typical: bool) -> BoxedStrategy<Item> {
    cat().lists[list]
        .fields
        .iter()
        .map(|f| slot(f, typical))
        .collect::<Vec<_>>()
        .boxed()
}

fn profile_with(typical: bool) -> BoxedStrategy<Profile> {
    let facts: Vec<_> = cat().facts.iter().map(|f| slot(f, typical)).collect();
    let lists: Vec<_> = (0..cat().lists.len())
        .map(|l| {
            let max = if cat().lists[l].id == "projects" {
                5
            } else {
                3
            };
            // Typical profiles answer their lists (so the money paths are reached); uniform ones
            // leave a list unanswered now and then.
            let items = prop::collection::vec(item(l, typical), 0..=max);
            if typical {
                items.prop_map(Some).boxed()
            } else {
                prop::option::weighted(0.8, items).boxed()
            }
        })
        .collect();
    (facts, lists)
        .prop_map(|(facts, lists)| Profile {
            name: None,
            facts,
            lists,
        })
        .boxed()
}

/// Half uniform (any valid value, often unknown), half typical of a real applicant.
fn profile() -> BoxedStrategy<Profile> {
    prop_oneof![profile_with(false), profile_with(true)].boxed()
}

/// A profile, an evaluation date and compare-all on or off.
fn case() -> impl Strategy<Value = (Profile, Date, bool)> {
    (profile(), as_of(), any::<bool>())
}

/// The application period (申报期) evaluated with: for two evaluation dates in three, the five
/// years up to it (wide, so that certificate dates fall inside often); otherwise none (those
/// clauses then need information). Derived from the date so that every property sees both.
fn application_period(as_of: Date) -> Option<Period> {
    (as_of.to_julian_day() % 3 != 0)
        .then(|| Period::new(butie::date::years_before(as_of, 5), as_of).ok())
        .flatten()
}

fn batch(as_of: Date, compare_all: bool) -> EvalOptions {
    let mut o = EvalOptions::new(as_of);
    o.compare_all = compare_all;
    o.application_period = application_period(as_of);
    o.hints = false;
    o.explain = false;
    o
}

fn full(as_of: Date, compare_all: bool) -> EvalOptions {
    let mut o = EvalOptions::new(as_of);
    o.compare_all = compare_all;
    o.application_period = application_period(as_of);
    o
}

fn eval<'a>(p: &'a Profile, o: &EvalOptions) -> Report<'a> {
    evaluate(&SET, p, o).unwrap_or_else(|e| panic!("evaluate failed: {e}"))
}

fn fact(id: &str) -> usize {
    cat().fact_id(id).unwrap_or_else(|| panic!("no fact {id}")) as usize
}

fn list(id: &str) -> usize {
    cat().list_id(id).unwrap() as usize
}

fn field(list_id: &str, id: &str) -> usize {
    let l = cat().list_id(list_id).unwrap();
    cat().field_id(l, id).unwrap() as usize
}

fn enum_index(fact_id: &str, value: &str) -> u16 {
    let def = &cat().facts[fact(fact_id)];
    def.values.iter().position(|v| v.id == value).unwrap() as u16
}

#[test]
fn the_generator_reaches_every_money_clause() {
    // Guards against vacuous properties: in 1,000 generated cases every clause that names an
    // amount pays something at least once, and every clause is sometimes undecided.
    // `BUTIE_COVERAGE=1 cargo test --test properties the_generator -- --nocapture` prints
    // the counts.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let mut seen: std::collections::BTreeMap<String, (u32, u32)> = Default::default();
    let n = 1_000;
    for _ in 0..n {
        let (p, as_of, all) = strategy.new_tree(&mut runner).unwrap().current();
        let r = eval(&p, &batch(as_of, all));
        for c in r.districts.iter().flat_map(|d| &d.clauses) {
            let e = seen.entry(c.id.to_string()).or_default();
            e.0 += u32::from(c.amount.value.is_some_and(|v| v.0 > Decimal::ZERO));
            e.1 += u32::from(c.status_if_in_force == Status::NeedsInformation);
        }
    }
    let mut unreached = Vec::new();
    for pol in &SET.policies {
        for c in &pol.clauses {
            let (money, undecided) = seen[&c.id];
            if c.quantified() && money == 0 {
                unreached.push(format!("{}: never paid", c.id));
            }
            if undecided == 0 {
                unreached.push(format!("{}: never needs information", c.id));
            }
        }
    }
    if std::env::var("BUTIE_COVERAGE").is_ok() {
        for (id, (m, u)) in &seen {
            println!("{id:40} paid {m:4}/{n}  needs information {u:4}/{n}");
        }
    }
    assert!(unreached.is_empty(), "{}", unreached.join("\n"));
}

// ------------------------------------------------------------------ ceilings

/// The most a formula can give, from the data alone; `None` when unbounded.
fn ceiling(f: &Formula) -> Option<Decimal> {
    let node = match &f.node {
        Node::Fixed { amount, .. } => Some(*amount),
        Node::Rate { .. } | Node::PerUnit { .. } => None,
        Node::Best(options) => options
            .iter()
            .map(ceiling)
            .try_fold(Decimal::ZERO, |m, c| c.map(|c| m.max(c))),
        Node::Sum(parts) => parts
            .iter()
            .map(ceiling)
            .try_fold(Decimal::ZERO, |s, c| c.map(|c| s + c)),
        Node::NotQuantified => Some(Decimal::ZERO),
    };
    let mut c = match (node, f.cap) {
        (Some(n), Some(cap)) => Some(n.min(cap)),
        (None, Some(cap)) => Some(cap),
        (n, None) => n,
    };
    if let Some(y) = f.years {
        c = c.map(|c| c * Decimal::from(y));
        if let Some(tc) = f.total_cap {
            c = Some(c.map_or(tc, |c| c.min(tc)));
        }
    }
    c
}

/// A numeric value expression read straight from the profile (unknown → `None`).
fn read_num(v: &ValueExpr, p: &Profile, item: Option<(usize, usize)>) -> Option<Decimal> {
    let term = |t: &Term| -> Option<Decimal> {
        let val = match t {
            Term::Lit(Lit::Num(n)) => return Some(*n),
            Term::Lit(_) => return None,
            Term::Ref(Operand::Fact(f)) => p.facts[*f as usize].as_ref(),
            Term::Ref(Operand::Field(l, f)) => {
                let (il, i) = item?;
                if il != *l as usize {
                    return None;
                }
                p.items(il as u16).get(i)?[*f as usize].as_ref()
            }
        };
        match val? {
            Value::Money(d) => Some(*d),
            Value::Int(i) => Some(Decimal::from(*i)),
            _ => None,
        }
    };
    let mut acc = term(&v.first)?;
    for (s, t) in &v.rest {
        let x = term(t)?;
        acc = if *s == Sign::Plus { acc + x } else { acc - x };
    }
    Some(acc)
}

/// The ceiling of one award (one item, or the clause): the formula's, raised only by an
/// `at_least` offset (就高执行) to the value it reads.
fn award_ceiling(
    pol: &Policy,
    ci: usize,
    p: &Profile,
    item: Option<(usize, usize)>,
) -> Option<Decimal> {
    let c = &pol.clauses[ci];
    let mut ceil = ceiling(&c.award)?;
    for o in c.offsets.iter().filter(|o| o.kind == OffsetKind::AtLeast) {
        if let Some(v) = read_num(&o.value, p, item) {
            ceil = ceil.max(v);
        }
    }
    Some(ceil)
}

/// For a clause whose award is one ceiling rate ("不超过30%") and no offset that can raise it
/// (就高), the exact, unrounded rate × base: the amount may never exceed it.
fn rate_ceiling(
    c: &butie::policy::Clause,
    p: &Profile,
    item: Option<(usize, usize)>,
) -> Option<Decimal> {
    let Node::Rate {
        base,
        rate,
        bound: butie::policy::Bound::UpTo,
        ..
    } = &c.award.node
    else {
        return None;
    };
    if c.award.years.is_some() || c.offsets.iter().any(|o| o.kind == OffsetKind::AtLeast) {
        return None;
    }
    read_num(base, p, item).map(|b| b.max(Decimal::ZERO) * rate)
}

#[test]
fn every_money_clause_has_a_ceiling() {
    // The ceiling property below skips unbounded clauses; in the real data there are none.
    for pol in &SET.policies {
        for c in &pol.clauses {
            let bounded =
                ceiling(&c.award).is_some() || matches!(c.items_cap, Some(ItemsCap::Amount(_)));
            assert!(bounded, "{} has no ceiling", c.id);
        }
    }
}

/// Installments (explained results only) are non-negative and add up to the amount.
fn check_schedule(
    id: &str,
    schedule: &[butie::report::Installment],
    amount: Option<Decimal>,
) -> Result<(), TestCaseError> {
    let paid: Vec<Decimal> = schedule
        .iter()
        .filter_map(|i| i.amount.map(|y| y.0))
        .collect();
    if paid.is_empty() {
        return Ok(());
    }
    prop_assert_eq!(paid.len(), schedule.len(), "{}: partly split schedule", id);
    prop_assert!(
        paid.iter().all(|a| *a >= Decimal::ZERO),
        "{}: negative installment",
        id
    );
    prop_assert_eq!(
        Some(paid.iter().sum::<Decimal>()),
        amount,
        "{}: installments",
        id
    );
    Ok(())
}

fn check_amounts(p: &Profile, r: &Report) -> Result<(), TestCaseError> {
    let nonneg = |t: &Totals, what: &str| -> Result<(), TestCaseError> {
        prop_assert!(t.definite.0 >= Decimal::ZERO, "{what} definite");
        prop_assert!(t.up_to.0 >= t.definite.0, "{what}: up_to below definite");
        Ok(())
    };
    nonneg(&r.available_now, "available_now")?;
    for d in &r.districts {
        let pol = SET.document(d.policy.id).unwrap();
        nonneg(&d.totals, d.district)?;
        nonneg(&d.if_in_force, d.district)?;
        for (ci, c) in d.clauses.iter().enumerate() {
            assert_eq!(c.id, pol.clauses[ci].id);
            let amount = c.amount.value_or_zero();
            prop_assert!(amount >= Decimal::ZERO, "{}: negative {amount}", c.id);
            // A value only with a money kind; money only under a counting status.
            prop_assert_eq!(
                c.amount.value.is_some(),
                matches!(c.amount.kind, AmountKind::Definite | AmountKind::UpTo),
                "{}",
                c.id
            );
            if c.amount.value.is_some() {
                prop_assert!(
                    c.status_if_in_force.counts(),
                    "{}: money but {:?}",
                    c.id,
                    c.status_if_in_force
                );
            }
            check_schedule(c.id, &c.schedule, c.amount.value.map(|y| y.0))?;
            for it in &c.items {
                check_schedule(c.id, &it.schedule, it.amount.value.map(|y| y.0))?;
            }
            let clause = &pol.clauses[ci];
            match clause.for_each {
                None => {
                    if let Some(max) = award_ceiling(pol, ci, p, None) {
                        prop_assert!(amount <= max, "{}: {amount} above ceiling {max}", c.id);
                    }
                }
                Some(l) => {
                    let mut sum = Some(Decimal::ZERO);
                    for it in &c.items {
                        let a = it.amount.value_or_zero();
                        prop_assert!(a >= Decimal::ZERO, "{}[{}]: negative", c.id, it.index);
                        let max = award_ceiling(pol, ci, p, Some((l as usize, it.index)));
                        if let Some(m) = max {
                            prop_assert!(a <= m, "{}[{}]: {a} above ceiling {m}", c.id, it.index);
                        }
                        // A ceiling rate: never above rate × base, not even by rounding.
                        if let Some(m) = rate_ceiling(clause, p, Some((l as usize, it.index))) {
                            prop_assert!(
                                a <= m,
                                "{}[{}]: {a} above rate × base = {m}",
                                c.id,
                                it.index
                            );
                        }
                        sum = sum.zip(max).map(|(s, m)| s + m);
                    }
                    let items_cap = match clause.items_cap {
                        Some(ItemsCap::Amount(cap)) => Some(cap),
                        Some(ItemsCap::AwardCap) => ceiling(&clause.award),
                        None => None,
                    };
                    if let Some(cap) = items_cap {
                        prop_assert!(amount <= cap, "{}: {amount} above items cap {cap}", c.id);
                        for it in &c.items {
                            let a = it.amount.value_or_zero();
                            prop_assert!(
                                a <= cap,
                                "{}[{}]: {a} above items cap {cap}",
                                c.id,
                                it.index
                            );
                        }
                    }
                    if let Some(s) = sum {
                        prop_assert!(
                            amount <= s,
                            "{}: {amount} above the items' ceilings {s}",
                            c.id
                        );
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn amounts_are_non_negative_and_within_ceilings((p, as_of, all) in case()) {
        let r = eval(&p, &batch(as_of, all));
        check_amounts(&p, &r)?;
    }
}

/// A profile with one project `{kind, field: base}` and the applicant facts `enterprise`.
fn one_project(enterprise: Json, project: Json) -> Profile {
    let j = serde_json::json!({
        "schema_version": 1,
        "enterprise": enterprise,
        "projects": [project],
    });
    Profile::from_json(cat(), &j).unwrap_or_else(|e| panic!("profile: {e:?}"))
}

proptest! {
    #![proptest_config(cases(256))]

    /// Rounding never lifts an amount above its ceiling (issue 9): a 50% or 30% ceiling rate on
    /// any amount to the fen gives at most rate × base and at most the stated ceiling, and loses
    /// less than one fen against the lesser of the two.
    #[test]
    fn rounding_never_lifts_an_amount_above_its_ceiling(cents in 0u64..=200_000_000_000) {
        let base = Decimal::new(cents as i64, 2);
        let putuo = serde_json::json!({"registered_district": "putuo", "entity_type": "enterprise",
            "credit_good": true, "serious_violation_dates": [], "other_violation_dates": []});
        let jiading = serde_json::json!({"registered_district": "jiading", "entity_type": "enterprise",
            "tax_registered_locally": true, "operates_locally": true, "operating_normally": true,
            "credit_good": true, "is_iiot_enterprise": true, "serious_violation_dates": []});
        let cases = [
            // 三（十）参展: 50%以内, 总额最高不超过20万.
            ("putuo.3.10.participation", putuo.clone(), serde_json::json!({"kind": "event_participation",
                "actual_cost": base.to_string(), "other_support_received": "0", "municipal_support_received": "0"}),
                Decimal::new(5, 1), Decimal::from(200_000)),
            // 三（六）: 30%以内, 最高不超过500万.
            ("putuo.3.6", putuo, serde_json::json!({"kind": "computing_power",
                "actual_cost": base.to_string(), "other_support_received": "0", "municipal_support_received": "0"}),
                Decimal::new(3, 1), Decimal::from(5_000_000)),
            // 二（二）7: 不超过30%, 单个服务商最高不超过100万.
            ("jiading.2.7", jiading, serde_json::json!({"kind": "iiot_services",
                "service_amount": base.to_string(), "other_support_received": "0", "town_support_received": "0"}),
                Decimal::new(3, 1), Decimal::from(1_000_000)),
        ];
        for (id, enterprise, project, rate, cap) in cases {
            let p = one_project(enterprise, project);
            let as_of = Date::from_julian_day(day(2025, 6, 1)).unwrap();
            let r = eval(&p, &batch(as_of, true));
            let c = r.districts.iter().flat_map(|d| &d.clauses).find(|c| c.id == id).unwrap();
            let a = c.amount.value.map(|y| y.0);
            prop_assert!(a.is_some(), "{}: no amount for base {}", id, base);
            let a = a.unwrap();
            let exact = base * rate;
            prop_assert!(a <= exact, "{}: {} above {} × {} = {}", id, a, rate, base, exact);
            prop_assert!(a <= cap, "{}: {} above the ceiling {}", id, a, cap);
            prop_assert!(exact.min(cap) - a < Decimal::new(1, 2), "{}: {} more than a fen below {}", id, a, exact.min(cap));
        }
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// The batch fast path (`evaluate_totals`) gives exactly the full evaluation's figures.
    #[test]
    fn totals_only_equals_the_full_evaluation((p, as_of, all) in case()) {
        let o = batch(as_of, all);
        let full = eval(&p, &o);
        let fast = butie::evaluate_totals(&SET, &p, &o).unwrap();
        prop_assert_eq!(&full.available_now, &fast.available_now);
        prop_assert_eq!(full.districts.len(), fast.districts.len());
        for (x, y) in full.districts.iter().zip(&fast.districts) {
            prop_assert_eq!(x.district, y.district);
            prop_assert_eq!((x.state, x.payable_now), (y.state, y.payable_now));
            prop_assert_eq!(&x.totals, &y.totals);
            prop_assert_eq!(&x.if_in_force, &y.if_in_force);
        }
    }
}

// ------------------------------------------------------------------ windows and totals

fn add(a: &mut Totals, b: &Totals) {
    a.definite.0 += b.definite.0;
    a.up_to.0 += b.up_to.0;
    a.discretionary.0 += b.discretionary.0;
    a.eligible += b.eligible;
    a.eligible_subject_to_review += b.eligible_subject_to_review;
    a.needs_information += b.needs_information;
    a.not_eligible += b.not_eligible;
    a.not_quantified += b.not_quantified;
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn nothing_is_payable_outside_a_window((p, as_of, all) in case()) {
        let r = eval(&p, &batch(as_of, all));
        let mut sum = Totals::default();
        for d in &r.districts {
            let pol = SET.document(d.policy.id).unwrap();
            prop_assert_eq!(d.state, SET.lifecycle(pol, as_of).state);
            // The state from the window, independently: drafts never; inclusive ends.
            let expected = match (pol.meta.effective_from, pol.meta.effective_to) {
                _ if pol.meta.status == butie::policy::DocStatus::Draft => PolicyState::Draft,
                (Some(f), _) if as_of < f => PolicyState::NotYetInForce,
                (_, Some(t)) if as_of > t => PolicyState::Expired,
                (Some(_), Some(_)) => PolicyState::InForce,
                _ => PolicyState::Draft,
            };
            prop_assert_eq!(d.state, expected, "{}", d.district);
            if d.state == PolicyState::InForce {
                prop_assert!(d.payable_now);
                prop_assert_eq!(&d.totals, &d.if_in_force);
                for c in &d.clauses {
                    prop_assert_eq!(c.status, c.status_if_in_force);
                    prop_assert_ne!(c.status, Status::PolicyNotInForce);
                }
                add(&mut sum, &d.totals);
            } else {
                prop_assert!(!d.payable_now, "{}", d.district);
                prop_assert_eq!(&d.totals, &Totals::default(), "{}", d.district);
                for c in &d.clauses {
                    prop_assert_eq!(c.status, Status::PolicyNotInForce, "{}", c.id);
                    prop_assert!(!c.counted, "{}", c.id);
                    prop_assert!(c.items.iter().all(|i| !i.counted), "{}", c.id);
                    prop_assert_ne!(c.status_if_in_force, Status::PolicyNotInForce, "{}", c.id);
                }
            }
        }
        prop_assert_eq!(&r.available_now, &sum);
    }
}

// ------------------------------------------------------------------ monotonicity

/// Money put in: investments, costs, sales, services, rent, purchase, cloud spending.
/// (Not `construction_investment`, which the texts exclude from the base, and not the
/// offset values, which have their own property below.)
const PROJECT_MONEY_IN: &[&str] = &[
    "total_investment",
    "actual_investment",
    "actual_cost",
    "sales_amount",
    "service_amount",
];
const FACT_MONEY_IN: &[&str] = &[
    "office_annual_rent",
    "office_purchase_price",
    "cloud_service_spend",
];
/// Support already received elsewhere (offset values that only ever reduce an award).
const PROJECT_SUPPORT: &[&str] = &[
    "other_support_received",
    "town_support_received",
    "municipal_support_received",
    "upper_subsidy_received",
];

/// Where to put a value: a fact, or a field of one project.
#[derive(Debug, Clone)]
enum Target {
    Fact(usize),
    Project(usize, usize),
}

fn put(p: &mut Profile, t: &Target, v: Value) {
    match *t {
        Target::Fact(f) => p.facts[f] = Some(v),
        Target::Project(i, f) => {
            if let Some(items) = p.items_mut(list("projects") as u16) {
                items[i][f] = Some(v);
            }
        }
    }
}

/// Money to compare, by name: each clause's amount (0 when none), each project's best award
/// within a district (the highest amount any clause computes for it, superseded or not), and
/// each district's `if_in_force` up-to total.
fn money_by_clause(r: &Report) -> Vec<(String, Decimal)> {
    let mut out = Vec::new();
    for d in &r.districts {
        let mut best: std::collections::BTreeMap<(&str, usize), Decimal> = Default::default();
        for c in &d.clauses {
            out.push((c.id.to_string(), c.amount.value_or_zero()));
            for it in &c.items {
                let e = best.entry((it.list, it.index)).or_default();
                *e = (*e).max(it.amount.value_or_zero());
            }
        }
        for ((list, i), v) in best {
            out.push((format!("{} {list}[{i}] (best award)", d.district), v));
        }
        out.push((
            format!("{} (district total)", d.district),
            d.if_in_force.up_to.0,
        ));
    }
    out
}

/// Clauses with an item paid under another clause instead (从高不重复).
fn superseding(r: &Report) -> Vec<String> {
    r.districts
        .iter()
        .flat_map(|d| &d.clauses)
        .filter(|c| c.items.iter().any(|i| i.superseded_by.is_some()))
        .map(|c| c.id.to_string())
        .collect()
}

/// Fails when any clause, project or district total has less money in `after` than in
/// `before`. Under a one-award-per-project rule (从高不重复) a project may move to the clause
/// that now pays more for it, so a clause that has a superseded item in either report is
/// exempt — but the project's best award and the district total are still checked.
/// `p` is the profile behind `before`, printed as JSON to reproduce a failure.
fn never_lower(
    before: &Report,
    after: &Report,
    what: &str,
    except: &[&str],
    p: &Profile,
) -> Result<(), TestCaseError> {
    let mut moved = superseding(before);
    moved.extend(superseding(after));
    let (a, b) = (money_by_clause(before), money_by_clause(after));
    // Both reports list the same names unless a project item appears in only one of them.
    let b: std::collections::HashMap<String, Decimal> = b.into_iter().collect();
    for (id, x) in a {
        if except.iter().any(|e| id.starts_with(e)) || moved.contains(&id) {
            continue;
        }
        let y = b.get(&id).copied().unwrap_or_default();
        prop_assert!(
            y >= x,
            "{}: {} → {} after raising {} (as of {}, compare_all {:?}); profile before: {}",
            id,
            x,
            y,
            what,
            before.as_of,
            before.mode,
            p.to_json(cat())
        );
    }
    Ok(())
}

/// Two amounts `lo <= hi` within the input limit.
fn raised(start: Decimal, raise: Decimal) -> (Decimal, Decimal) {
    let max = Decimal::new(1_000_000_000_000, 0);
    let lo = start.min(max);
    (lo, (lo + raise).min(max))
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn more_money_put_in_never_lowers_a_clause(
        (mut p, as_of, all) in case(),
        pick in any::<prop::sample::Index>(),
        which in any::<prop::sample::Index>(),
        start in money(),
        raise in money(),
    ) {
        let projects = p.items(list("projects") as u16).len();
        let target = if projects > 0 && which.index(3) > 0 {
            let f = field("projects", PROJECT_MONEY_IN[pick.index(PROJECT_MONEY_IN.len())]);
            Target::Project(which.index(projects), f)
        } else {
            Target::Fact(fact(FACT_MONEY_IN[pick.index(FACT_MONEY_IN.len())]))
        };
        let (lo, hi) = raised(start, raise);
        put(&mut p, &target, Value::Money(lo));
        let mut q = p.clone();
        put(&mut q, &target, Value::Money(hi));
        let o = batch(as_of, all);
        let (r1, r2) = (eval(&p, &o), eval(&q, &o));
        never_lower(&r1, &r2, &format!("{target:?} {lo} → {hi}"), &[], &p)?;
    }

    #[test]
    fn support_received_elsewhere_never_raises_a_clause(
        (mut p, as_of, all) in case(),
        extra in item(list("projects"), true),
        pick in any::<prop::sample::Index>(),
        which in any::<prop::sample::Index>(),
        start in money(),
        raise in money(),
    ) {
        let projects = list("projects");
        let projects = projects as u16;
        if p.items(projects).is_empty()
            && let Some(items) = p.items_mut(projects)
        {
            items.push(extra);
        }
        let n = p.items(projects).len();
        let f = field("projects", PROJECT_SUPPORT[pick.index(PROJECT_SUPPORT.len())]);
        let target = Target::Project(which.index(n), f);
        let (lo, hi) = raised(start, raise);
        put(&mut p, &target, Value::Money(lo));
        let mut q = p.clone();
        put(&mut q, &target, Value::Money(hi));
        let o = batch(as_of, all);
        // Receiving more elsewhere is `never_lower` read backwards.
        let (r1, r2) = (eval(&p, &o), eval(&q, &o));
        never_lower(&r2, &r1, &format!("{target:?} {lo} → {hi} (reversed)"), &[], &q)?;
    }

    #[test]
    fn compare_all_equals_registering_in_each_district((p, as_of, _) in case()) {
        // Compare-all mode must be exactly "as if registered there", district by district.
        let all = eval(&p, &batch(as_of, true));
        let loc = fact("registered_district");
        for d in &all.districts {
            let mut q = p.clone();
            q.facts[loc] = Some(Value::Enum(enum_index("registered_district", d.district)));
            let mut o = batch(as_of, false);
            o.districts = Some(vec![d.district.to_string()]);
            let one = eval(&q, &o);
            prop_assert_eq!(one.districts.len(), 1);
            let e = &one.districts[0];
            prop_assert_eq!(&d.totals, &e.totals, "{}", d.district);
            prop_assert_eq!(&d.if_in_force, &e.if_in_force, "{}", d.district);
            for (x, y) in d.clauses.iter().zip(&e.clauses) {
                prop_assert_eq!(
                    (x.status_if_in_force, x.amount),
                    (y.status_if_in_force, y.amount),
                    "{}",
                    x.id
                );
            }
        }
    }
}

/// Ordered levels (low → high in the catalogue): (fact, highest index).
fn tier_facts() -> Vec<(usize, usize)> {
    [
        "cmmi_level",
        "dcmm_level",
        "lianghua_grade",
        "itss_level",
        "cs_level",
        "iiot_excellent_platform",
    ]
    .iter()
    .map(|id| (fact(id), cat().facts[fact(id)].values.len() - 1))
    .collect()
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn a_higher_tier_never_lowers_a_clause(
        (mut p, as_of, all) in case(),
        pick in any::<prop::sample::Index>(),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
        item in any::<prop::sample::Index>(),
    ) {
        let facts = tier_facts();
        let projects = p.items(list("projects") as u16).len();
        let o = batch(as_of, all);
        // One of the enterprise tiers, or a project's recognition level.
        let k = pick.index(facts.len() + 1);
        if k < facts.len() || projects == 0 {
            let (f, top) = facts[k.min(facts.len() - 1)];
            let (lo, hi) = {
                let (x, y) = (a.index(top + 1), b.index(top + 1));
                (x.min(y) as u16, x.max(y) as u16)
            };
            let five = enum_index("dcmm_level", "5");
            p.facts[f] = Some(Value::Enum(lo));
            let mut q = p.clone();
            q.facts[f] = Some(Value::Enum(hi));
            let (r1, r2) = (eval(&p, &o), eval(&q, &o));
            if f == fact("dcmm_level") && hi == five && lo < five {
                // Documented exception: 松江 三（二）9 lists DCMM levels 2–4 only, so level 5
                // names no amount (not_quantified) — less than level 4's 25万 ceiling.
                never_lower(&r1, &r2, "dcmm_level", &["songjiang.3.2.9", "songjiang (district total)"], &p)?;
                let c = r2.districts.iter().flat_map(|d| &d.clauses)
                    .find(|c| c.id == "songjiang.3.2.9").unwrap();
                prop_assert!(c.amount.value.is_none(), "DCMM 5 must not get an amount: {:?}", c.amount);
                if c.status_if_in_force.counts() {
                    prop_assert_eq!(c.amount.kind, AmountKind::NotQuantified);
                }
            } else {
                never_lower(&r1, &r2, &cat().facts[f].id, &[], &p)?;
            }
        } else {
            let i = item.index(projects);
            let f = field("projects", "level");
            let top = cat().lists[list("projects")].fields[f].values.len();
            let (x, y) = (a.index(top), b.index(top));
            let (lo, hi) = (x.min(y) as u16, x.max(y) as u16);
            put(&mut p, &Target::Project(i, f), Value::Enum(lo));
            let mut q = p.clone();
            put(&mut q, &Target::Project(i, f), Value::Enum(hi));
            let (r1, r2) = (eval(&p, &o), eval(&q, &o));
            never_lower(&r1, &r2, &format!("projects[{i}].level"), &[], &p)?;
        }
    }
}

#[test]
fn dcmm_level_5_is_not_quantified_in_songjiang() {
    // The explicit case behind the exception above, on a minimal profile.
    let mut p = Profile::empty(cat());
    p.facts[fact("registered_district")] =
        Some(Value::Enum(enum_index("registered_district", "songjiang")));
    p.facts[fact("entity_type")] = Some(Value::Enum(enum_index("entity_type", "enterprise")));
    p.facts[fact("tax_registered_locally")] = Some(Value::Bool(true));
    p.facts[fact("is_software_enterprise")] = Some(Value::Bool(true));
    p.facts[fact("dcmm_first_at_level")] = Some(Value::Bool(true));
    let as_of = Date::from_julian_day(day(2023, 1, 1)).unwrap();
    let amount_at = |level: &str| {
        let mut q = p.clone();
        q.facts[fact("dcmm_level")] = Some(Value::Enum(enum_index("dcmm_level", level)));
        let r = eval(&q, &batch(as_of, false));
        let c = r
            .districts
            .iter()
            .flat_map(|d| &d.clauses)
            .find(|c| c.id == "songjiang.3.2.9")
            .unwrap();
        (
            c.status_if_in_force,
            c.amount.kind,
            c.amount.value.map(|y| y.0),
        )
    };
    assert_eq!(
        amount_at("4"),
        (
            Status::Eligible,
            AmountKind::UpTo,
            Some(Decimal::new(250_000, 0))
        )
    );
    assert_eq!(
        amount_at("5"),
        (Status::Eligible, AmountKind::NotQuantified, None)
    );
}

// ------------------------------------------------------------------ determinism

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn evaluation_is_deterministic_and_explaining_changes_no_money((p, as_of, all) in case()) {
        let o = full(as_of, all);
        let a = serde_json::to_string(&eval(&p, &o)).unwrap();
        let q = p.clone();
        let b = serde_json::to_string(&eval(&q, &o)).unwrap();
        prop_assert!(a == b, "two evaluations of the same profile differ");

        // Hints and explanations are extra work, never different money or statuses.
        let full_r = eval(&p, &o);
        let fast = eval(&p, &batch(as_of, all));
        prop_assert_eq!(&full_r.available_now, &fast.available_now);
        for (x, y) in full_r.districts.iter().zip(&fast.districts) {
            prop_assert_eq!(&x.totals, &y.totals);
            prop_assert_eq!(&x.if_in_force, &y.if_in_force);
            for (c, d) in x.clauses.iter().zip(&y.clauses) {
                prop_assert_eq!((c.status, c.status_if_in_force, c.amount, c.counted),
                                (d.status, d.status_if_in_force, d.amount, d.counted), "{}", c.id);
                prop_assert!(d.hints.is_empty() && d.conditions.is_empty() && d.computation.is_empty());
                // Hints never promise less than nothing.
                for h in &c.hints {
                    prop_assert!(h.adds.0 > Decimal::ZERO, "{}: hint adds {}", c.id, h.adds.0);
                }
            }
        }
        check_amounts(&p, &full_r)?;
    }
}

// ------------------------------------------------------------------ no input panics

/// Every key the profile JSON knows, to steer random JSON into the parser's branches.
fn known_keys() -> Vec<String> {
    let c = cat();
    let mut k: Vec<String> = vec!["schema_version".into(), "name".into()];
    k.extend(c.groups.iter().map(|g| g.id.clone()));
    k.extend(c.lists.iter().map(|l| l.id.clone()));
    k.extend(c.facts.iter().map(|f| f.id.clone()));
    k.extend(
        c.lists
            .iter()
            .flat_map(|l| l.fields.iter().map(|f| f.id.clone())),
    );
    for f in c.facts.iter().chain(c.lists.iter().flat_map(|l| &l.fields)) {
        k.extend(f.values.iter().map(|v| v.id.clone()));
    }
    k
}

fn weird_string() -> BoxedStrategy<String> {
    prop_oneof![
        "\\PC{0,12}",
        "[0-9.\\-+eE万亿元%, ]{0,24}",
        "-?[0-9]{1,16}(\\.[0-9]{0,4})?",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}[;，, ][0-9]{4}-[0-9]{2}-[0-9]{2}",
        "[０-９．－]{1,10}",
        "\\s{0,4}",
        "[\u{0}-\u{1f}\u{7f}\u{200b}\u{feff}\u{e000}-\u{e0ff}\u{10ffff}]{0,6}",
        "[a-z]{190,230}",
        prop::sample::select(known_keys()),
        Just("9".repeat(60)),
        Just("1000000000000.01".to_string()),
        Just("0.005".to_string()),
        Just("-0".to_string()),
        Just("true".to_string()),
        Just("是".to_string()),
    ]
    .boxed()
}

fn json_leaf() -> BoxedStrategy<Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        prop_oneof![
            Just(u64::MAX),
            Just(1_000_000_000_000),
            Just(1_000_000_000_001)
        ]
        .prop_map(Json::from),
        prop_oneof![Just(i64::MIN), Just(-1i64)].prop_map(Json::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Json::Number)),
        prop_oneof![Just(1e300), Just(-0.0), Just(0.1), Just(2.5e-300)]
            .prop_map(|f: f64| { Json::Number(serde_json::Number::from_f64(f).unwrap()) }),
        weird_string().prop_map(Json::String),
    ]
    .boxed()
}

fn json_key() -> BoxedStrategy<String> {
    prop_oneof![3 => prop::sample::select(known_keys()), 1 => weird_string()].boxed()
}

/// Arbitrary JSON, nested up to 8 levels, keys mostly from the catalogue.
fn any_json() -> BoxedStrategy<Json> {
    json_leaf()
        .prop_recursive(8, 96, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Json::Array),
                prop::collection::btree_map(json_key(), inner, 0..8)
                    .prop_map(|m| Json::Object(m.into_iter().collect())),
            ]
        })
        .boxed()
}

/// JSON shaped like a profile (groups of facts, lists of items) with arbitrary values, so
/// every fact and field parser sees hostile input.
fn profile_shaped_json() -> BoxedStrategy<Json> {
    let c = cat();
    let group = prop::sample::select(c.groups.iter().map(|g| g.id.clone()).collect::<Vec<_>>());
    let fact_key = prop::sample::select(c.facts.iter().map(|f| f.id.clone()).collect::<Vec<_>>());
    let field_key = prop::sample::select(
        c.lists
            .iter()
            .flat_map(|l| l.fields.iter().map(|f| f.id.clone()))
            .collect::<Vec<_>>(),
    );
    let list_key = prop::sample::select(c.lists.iter().map(|l| l.id.clone()).collect::<Vec<_>>());
    let value = prop_oneof![4 => json_leaf(), 1 => any_json()];
    let groups = prop::collection::btree_map(
        group,
        prop::collection::btree_map(fact_key, value.clone(), 0..12),
        0..5,
    );
    let items = prop::collection::btree_map(field_key, value, 0..8)
        .prop_map(|m| Json::Object(m.into_iter().collect()));
    let lists = prop::collection::btree_map(list_key, prop::collection::vec(items, 0..4), 0..2);
    (
        groups,
        lists,
        prop::option::of(json_leaf()),
        prop::option::of(json_leaf()),
    )
        .prop_map(|(g, l, version, name)| {
            let mut m = serde_json::Map::new();
            for (k, v) in g {
                m.insert(k, Json::Object(v.into_iter().collect()));
            }
            for (k, v) in l {
                m.insert(k, Json::Array(v));
            }
            if let Some(v) = version {
                m.insert("schema_version".into(), v);
            }
            if let Some(n) = name {
                m.insert("name".into(), n);
            }
            Json::Object(m)
        })
        .boxed()
}

fn parse_then_evaluate(
    j: &Json,
    as_of: Date,
    all: bool,
    explain: bool,
) -> Result<(), TestCaseError> {
    match Profile::from_json(cat(), j) {
        Ok(p) => {
            let o = if explain {
                full(as_of, all)
            } else {
                batch(as_of, all)
            };
            let r = evaluate(&SET, &p, &o);
            prop_assert!(r.is_ok(), "evaluate failed: {:?}", r.err());
            let r = r.unwrap();
            serde_json::to_string(&r).unwrap();
            check_amounts(&p, &r)?;
            // What was read is written back and read again unchanged.
            let again = Profile::from_json(cat(), &p.to_json(cat()));
            prop_assert_eq!(
                again.as_ref().ok(),
                Some(&p),
                "round trip: {:?}",
                again.as_ref().err()
            );
        }
        Err(errs) => {
            prop_assert!(!errs.is_empty());
            for e in &errs {
                // (The path is the offending key, which may itself be empty: `{"": …}`.)
                prop_assert!(!e.error.text().en.is_empty() && !e.error.text().zh.is_empty());
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn arbitrary_json_never_panics(j in any_json(), as_of in as_of(), all in any::<bool>()) {
        parse_then_evaluate(&j, as_of, all, false)?;
    }

    #[test]
    fn profile_shaped_json_never_panics(
        j in profile_shaped_json(),
        as_of in as_of(),
        all in any::<bool>(),
        explain in any::<bool>(),
    ) {
        parse_then_evaluate(&j, as_of, all, explain)?;
    }

    #[test]
    fn parse_value_str_never_panics(s in weird_string(), pick in any::<prop::sample::Index>()) {
        let c = cat();
        let defs: Vec<&FactDef> =
            c.facts.iter().chain(c.lists.iter().flat_map(|l| &l.fields)).collect();
        let def = defs[pick.index(defs.len())];
        if let Ok(Some(v)) = parse_value_str(def, &s) {
            // What a user typed, shown back, reads the same.
            let shown = value_to_string(def, &v);
            prop_assert_eq!(
                parse_value_str(def, &shown),
                Ok(Some(v)),
                "{} {:?} → {:?}",
                def.id,
                s,
                shown
            );
        }
    }

    #[test]
    fn generated_profiles_round_trip_through_json((p, _, _) in case()) {
        let j = p.to_json(cat());
        let back = Profile::from_json(cat(), &j);
        prop_assert_eq!(back.as_ref().ok(), Some(&p), "{:?}", back.as_ref().err());
    }
}

#[test]
fn deeply_nested_json_is_rejected_not_crashed() {
    // Profile JSON reaches the engine through serde_json, which refuses nesting deeper than
    // 128; a hostile 100,000-deep document is an error, not a crash.
    let hostile = format!(
        "{{\"enterprise\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(serde_json::from_str::<Json>(&hostile).is_err());
    // Up to that limit, every place a value can go rejects it cleanly.
    let mut deep = Json::from(1);
    for _ in 0..120 {
        deep = Json::Array(vec![deep]);
    }
    for key in [
        "enterprise",
        "projects",
        "name",
        "schema_version",
        "unknown",
    ] {
        let j = serde_json::json!({ key: deep.clone() });
        let errs = Profile::from_json(cat(), &j).unwrap_err();
        assert!(!errs.is_empty(), "{key}");
    }
    let j = serde_json::json!({
        "enterprise": { "serious_violation_dates": deep.clone() },
        "certifications": { "cmmi_level": deep.clone() },
        "projects": [deep.clone(), { "kind": deep.clone() }],
    });
    let errs = Profile::from_json(cat(), &j).unwrap_err();
    assert_eq!(errs.len(), 4, "{errs:?}");
}

#[test]
fn empty_date_list_round_trips_as_text() {
    // Found by `parse_value_str_never_panics`: "none" (or 无, -, []) typed for a date list
    // means a known empty list — no violations — but it is shown back as "", which reads as
    // unknown; a credit look-back then needs information instead of passing.
    let def = &cat().facts[fact("serious_violation_dates")];
    for typed in butie::profile::EMPTY_LIST_WORDS {
        let v = parse_value_str(def, typed).unwrap();
        assert_eq!(v, Some(Value::Dates(Vec::new())), "{typed:?}");
        let shown = value_to_string(def, v.as_ref().unwrap());
        assert_eq!(
            parse_value_str(def, &shown),
            Ok(v),
            "{typed:?} shown as {shown:?}"
        );
    }
}
