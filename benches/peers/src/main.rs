//! butie beside GoRules zen-engine on one decision: every money clause of 普陀
//! (普科合规范〔2024〕3号, in force on 2026-11-21) for 10,000 varied profiles.
//!
//! The profiles are generated from a fixed seed with every fact the clauses read known (the
//! peers have no "unknown"; butie's needs-information path is not exercised). Each engine
//! gets the profile in its natural form — butie a `Profile`, zen-engine a `Variable` of the
//! JSON in `putuo.jdm.json`'s terms (dates as `YYYYMMDD` numbers) — built before timing, and
//! each computes every clause's amount; the amounts must agree clause by clause, to the fen,
//! for every profile (mismatches are reported, and `cargo xtask peers` fails on any). The
//! inputs and butie's amounts are written for the json-rules-engine run (`js/bench.mjs`).
//!
//! Usage: `butie-peers OUT_DIR [PROFILES] [ROUNDS]`; prints one JSON line of results.

use std::time::Instant;

use butie::date::parse_date;
use butie::{EvalOptions, PolicySet, Profile};
use rust_decimal::Decimal;
use serde_json::{Value as Json, json};
use zen_engine::Decision;
use zen_engine::model::GraphContent;
use zen_expression::variable::Variable;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }

    /// A whole-yuan amount up to `max`.
    fn yuan(&mut self, max: u64) -> u64 {
        self.below(max + 1)
    }

    /// A date between 2015-01-01 and 2026-11-21 as (ISO text, YYYYMMDD).
    fn date(&mut self) -> (String, u64) {
        let start = parse_date("2015-01-01").expect("date").to_julian_day();
        let end = parse_date("2026-11-21").expect("date").to_julian_day();
        let d =
            butie::date::Date::from_julian_day(start + self.below((end - start) as u64 + 1) as i32)
                .expect("date");
        let n = d.year() as u64 * 10_000 + u8::from(d.month()) as u64 * 100 + u64::from(d.day());
        (butie::date::fmt_date(d), n)
    }
}

const PROJECT_KINDS: [&str; 9] = [
    "rd_project",
    "first_of_kind",
    "computing_power",
    "exhibition_center",
    "park_environment",
    "event_hosting",
    "event_participation",
    "software_industrialization",
    "digital_transformation",
];

/// One profile: butie's JSON and the peers' input.
fn profile(rng: &mut Rng) -> (Json, Json) {
    let district = if rng.chance(85) { "putuo" } else { "jinshan" };
    let entity = rng.pick(&[
        "enterprise",
        "enterprise",
        "enterprise",
        "enterprise",
        "enterprise",
        "enterprise",
        "enterprise",
        "branch",
        "nonprofit",
        "individual",
        "research_institute",
    ]);
    let mut violations: Vec<(String, u64)> = Vec::new();
    for _ in 0..rng.below(3) {
        if rng.chance(40) {
            violations.push(rng.date());
        }
    }
    let credit_good = rng.chance(92);
    let (established, established_n) = rng.date();
    let office = rng.pick(&["none", "rent", "purchase"]);
    let rent = rng.yuan(3_000_000);
    let price = rng.yuan(200_000_000);
    let cs = rng.pick(&["none", "cs1", "cs2", "cs3", "cs4", "cs5"]);
    let itss = rng.pick(&["none", "4", "3", "2", "1"]);
    let cmmi = rng.pick(&["none", "2", "3", "4", "5"]);
    let mut flag = |p| rng.chance(p);
    let flags: Vec<bool> = (0..12).map(|_| flag(8)).collect();
    let mut projects = Vec::new();
    let mut peer_projects = Vec::new();
    for _ in 0..rng.below(7) {
        let kind = rng.pick(&PROJECT_KINDS);
        let level = rng.pick(&["none", "district", "municipal", "national"]);
        let investment = rng.yuan(20_000_000);
        let cost = rng.yuan(10_000_000);
        let sales = rng.yuan(30_000_000);
        let other = if rng.chance(30) {
            rng.yuan(2_000_000)
        } else {
            0
        };
        let upper = rng.chance(20);
        projects.push(json!({
            "kind": kind, "level": level, "actual_investment": investment.to_string(),
            "actual_cost": cost.to_string(), "sales_amount": sales.to_string(),
            "other_support_received": other.to_string(), "upper_first_set_supported": upper,
        }));
        peer_projects.push(json!({
            "kind": kind, "level": level, "investment": investment, "cost": cost,
            "sales": sales, "other": other, "upperFirstSet": upper,
        }));
    }
    let mut games = Vec::new();
    let mut peer_games = Vec::new();
    for _ in 0..rng.below(3) {
        let (overseas, settled) = (rng.chance(40), rng.chance(60));
        games.push(json!({
            "licensed": true, "operating_with_revenue": true,
            "overseas_with_revenue": overseas, "settled_domestically": settled,
        }));
        peer_games.push(json!({ "overseas": overseas, "settled": settled }));
    }
    let butie = json!({
        "enterprise": {
            "registered_district": district, "entity_type": entity, "credit_good": credit_good,
            "serious_violation_dates": violations.iter().map(|v| v.0.clone()).collect::<Vec<_>>(),
            "established_in_district_on": established,
        },
        "operations": {
            "office_premises": office, "office_annual_rent": rent.to_string(),
            "office_purchase_price": price.to_string(),
        },
        "honours": {
            "startup_in_carrier": flags[0], "major_project_recognized": flags[1],
        },
        "certifications": {
            "cs_level": cs, "itss_level": itss, "cmmi_level": cmmi,
            "classified_integration_grade_a": flags[2], "icp_licence": flags[3],
            "cisp": flags[4], "ccrc": flags[5], "cesscn": flags[6], "llm_filing": flags[7],
            "online_publishing_licence": flags[8], "av_licence": flags[9],
        },
        "projects": projects,
        "game_products": games,
    });
    let peer = json!({
        "district": district, "entity": entity, "creditGood": credit_good,
        "violations": violations.iter().map(|v| v.1).collect::<Vec<_>>(),
        "established": established_n, "office": office, "rent": rent, "price": price,
        "startup": flags[0], "csLevel": cs, "itssLevel": itss, "cmmiLevel": cmmi,
        "classifiedA": flags[2], "icp": flags[3], "cisp": flags[4], "ccrc": flags[5],
        "cesscn": flags[6], "llmFiling": flags[7], "publishing": flags[8], "audioVisual": flags[9],
        "projects": peer_projects, "games": peer_games,
    });
    (butie, peer)
}

/// Putuo's money clauses: butie's clause id and the key of its amount in the JDM's output.
/// (三（十一）, the major project, names no amount and is left out.)
const CLAUSES: [(&str, &str); 14] = [
    ("putuo.3.1", "c31"),
    ("putuo.3.2", "c32"),
    ("putuo.3.3", "c33"),
    ("putuo.3.4.qualifications", "c34q"),
    ("putuo.3.4.games", "c34g"),
    ("putuo.3.4.overseas", "c34o"),
    ("putuo.3.5", "c35"),
    ("putuo.3.6", "c36"),
    ("putuo.3.7", "c37"),
    ("putuo.3.8.park", "c38p"),
    ("putuo.3.8.startup", "c38s"),
    ("putuo.3.9", "c39"),
    ("putuo.3.10.hosting", "c310h"),
    ("putuo.3.10.participation", "c310p"),
];

/// One profile's counted amount per clause, in fen, in `CLAUSES` order.
type Amounts = [i64; CLAUSES.len()];

fn to_fen(d: Decimal) -> Result<i64, String> {
    butie::money::fen(d)
        .and_then(|f| i64::try_from(f).ok())
        .ok_or_else(|| format!("{d} is out of range"))
}

/// butie's amounts: the full evaluation (no hints, no explanations), each counted clause.
/// The up-to total of `evaluate_totals` — what is timed — must be their sum.
fn butie_amounts(set: &PolicySet, p: &Profile, opts: &EvalOptions) -> Result<Amounts, String> {
    let report = butie::evaluate(set, p, opts).map_err(|e| e.to_string())?;
    let district = &report.districts[0];
    let mut out = [0; CLAUSES.len()];
    for c in &district.clauses {
        let Some(i) = CLAUSES.iter().position(|(id, _)| *id == c.id) else {
            if c.counted && c.amount.value.is_some() {
                return Err(format!("clause {} pays money but is not in CLAUSES", c.id));
            }
            continue;
        };
        if c.counted {
            out[i] = c
                .amount
                .value
                .map(|y| to_fen(y.0))
                .transpose()?
                .unwrap_or(0);
        }
    }
    let totals = butie::evaluate_totals(set, p, opts).map_err(|e| e.to_string())?;
    let up_to = to_fen(totals.districts[0].totals.up_to.0)?;
    if out.iter().sum::<i64>() != up_to {
        return Err(format!(
            "clauses add up to {} fen, the up-to total is {up_to}",
            out.iter().sum::<i64>()
        ));
    }
    Ok(out)
}

/// zen-engine's amounts, read from the output's per-clause keys (and checked against its `upTo`).
fn zen_amounts(output: &Json) -> Result<Amounts, String> {
    let read = |key: &str| -> Result<i64, String> {
        let v = &output[key];
        let text = v
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string());
        let d: Decimal = text
            .parse()
            .map_err(|e| format!("zen-engine `{key}` = {v}: {e}"))?;
        to_fen(d)
    };
    let mut out = [0; CLAUSES.len()];
    for (slot, (_, key)) in out.iter_mut().zip(CLAUSES) {
        *slot = read(key)?;
    }
    let up_to = read("upTo")?;
    if out.iter().sum::<i64>() != up_to {
        return Err(format!(
            "zen-engine's clauses add up to {} fen, its upTo is {up_to}",
            out.iter().sum::<i64>()
        ));
    }
    Ok(out)
}

/// The clauses on which two engines differ: (clause id, butie fen, peer fen).
fn differences(butie: &Amounts, peer: &Amounts) -> Vec<Json> {
    CLAUSES
        .iter()
        .zip(butie.iter().zip(peer))
        .filter(|(_, (b, p))| b != p)
        .map(|((id, _), (b, p))| json!({ "clause": id, "butie_fen": b, "peer_fen": p }))
        .collect()
}

/// The median of the rounds' times, µs per profile.
fn median_us(mut rounds: Vec<f64>, n: usize) -> f64 {
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2] * 1e6 / n as f64
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out_dir = std::path::PathBuf::from(
        args.next()
            .ok_or("usage: butie-peers OUT_DIR [PROFILES] [ROUNDS]")?,
    );
    let n: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(10_000);
    let rounds: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(5)
        .max(1);
    std::fs::create_dir_all(&out_dir)?;

    let mut rng = Rng(0x5eed_b071_e000_0011);
    let pairs: Vec<(Json, Json)> = (0..n).map(|_| profile(&mut rng)).collect();

    // butie: profiles read once; per-clause amounts taken untimed; `evaluate_totals` (what a
    // batch runs) timed.
    let set = PolicySet::embedded()?;
    let profiles: Vec<Profile> = pairs
        .iter()
        .map(|(b, _)| Profile::from_json(&set.catalogue, b))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("a generated profile does not read: {e:?}"))?;
    let mut opts = EvalOptions::new(parse_date("2026-11-21").ok_or("date")?);
    opts.districts = Some(vec!["putuo".to_string()]);
    opts.hints = false;
    opts.explain = false;
    let expected: Vec<Amounts> = profiles
        .iter()
        .enumerate()
        .map(|(i, p)| butie_amounts(&set, p, &opts).map_err(|e| format!("butie, profile {i}: {e}")))
        .collect::<Result<_, _>>()?;
    let mut butie_rounds = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        for p in &profiles {
            std::hint::black_box(butie::evaluate_totals(&set, p, &opts)?);
        }
        butie_rounds.push(started.elapsed().as_secs_f64());
    }

    // zen-engine: the JDM graph compiled once; inputs converted before timing; every
    // profile's per-clause amounts compared with butie's, then the rounds timed.
    let jdm = include_str!("../putuo.jdm.json");
    let content: GraphContent = serde_json::from_str(jdm)?;
    let mut decision = Decision::from(content);
    decision.compile();
    let inputs: Vec<Variable> = pairs
        .iter()
        .map(|(_, p)| Variable::from(p.clone()))
        .collect();
    let mut zen_mismatches = 0;
    let mut first_mismatches = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let r = futures::executor::block_on(decision.evaluate(input.clone()))
            .map_err(|e| format!("zen-engine, profile {i}: {e:?}"))?;
        let got = zen_amounts(&r.result.to_value()).map_err(|e| format!("profile {i}: {e}"))?;
        let diff = differences(&expected[i], &got);
        if !diff.is_empty() {
            zen_mismatches += 1;
            if first_mismatches.len() < 5 {
                first_mismatches
                    .push(json!({ "profile": i, "input": pairs[i].1, "clauses": diff }));
            }
        }
    }
    let mut zen_rounds = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        for input in &inputs {
            let r = futures::executor::block_on(decision.evaluate(input.clone()))
                .map_err(|e| format!("zen-engine: {e:?}"))?;
            std::hint::black_box(r);
        }
        zen_rounds.push(started.elapsed().as_secs_f64());
    }

    // For json-rules-engine: the same inputs and butie's per-clause amounts (fen).
    let peer_inputs: Vec<&Json> = pairs.iter().map(|(_, p)| p).collect();
    let clause_ids: Vec<&str> = CLAUSES.iter().map(|(id, _)| *id).collect();
    std::fs::write(
        out_dir.join("inputs.json"),
        serde_json::to_vec(&peer_inputs)?,
    )?;
    std::fs::write(
        out_dir.join("expected-fen.json"),
        serde_json::to_vec(&json!({ "clauses": clause_ids, "amounts": expected }))?,
    )?;

    let paying: Vec<Json> = CLAUSES
        .iter()
        .enumerate()
        .map(|(c, (id, _))| json!({ "clause": id, "profiles": expected.iter().filter(|a| a[c] != 0).count() }))
        .collect();
    let report = json!({
        "profiles": n,
        "rounds": rounds,
        "nonzero_totals": expected.iter().filter(|a| a.iter().any(|&f| f != 0)).count(),
        "profiles_paid_per_clause": paying,
        "butie_us_per_profile": median_us(butie_rounds, n),
        "zen_us_per_profile": median_us(zen_rounds, n),
        "zen_mismatches": zen_mismatches,
        "zen_first_mismatches": first_mismatches,
    });
    println!("{report}");
    Ok(())
}
