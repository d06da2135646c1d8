//! Evaluation speed: one full profile against all four districts (explained with hints, and
//! batch mode), a batch of 10,000 varied profiles, and serializing one full report.
//!
//! Run with `cargo bench --bench evaluate`; figures and the machine are in
//! `docs/benchmarks.md`.

use butie::date::parse_date;
use butie::{EvalOptions, PolicySet, Profile, evaluate, evaluate_totals};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value as Json, json};
use std::hint::black_box;

/// A profile that touches most of the catalogue: an enterprise registered in Putuo with
/// certifications, honours, premises, six projects of different kinds and two games.
fn full_profile_json() -> Json {
    json!({
        "schema_version": 1,
        "name": "基准企业",
        "enterprise": {
            "registered_district": "putuo",
            "tax_registered_locally": true,
            "operates_locally": true,
            "entity_type": "enterprise",
            "operating_normally": true,
            "credit_good": true,
            "serious_violation_dates": ["2019-05-01"],
            "other_violation_dates": [],
            "established_in_district_on": "2025-03-01",
            "is_software_enterprise": true,
            "is_iiot_enterprise": true,
            "is_manufacturer": true,
            "is_sme": true,
            "has_own_ip": true
        },
        "operations": {
            "annual_revenue": "620000000",
            "prior_max_revenue": "480000000",
            "first_time_above_scale": true,
            "listed_ipo": false,
            "office_premises": "rent",
            "office_annual_rent": "1800000",
            "uses_listed_cloud": true,
            "cloud_service_spend": "64000"
        },
        "certifications": {
            "cmmi_level": "4",
            "cmmi_issued_on": "2025-02-10",
            "dcmm_level": "3",
            "dcmm_issued_on": "2025-04-01",
            "dcmm_first_at_level": true,
            "lianghua_standard": "v2",
            "lianghua_grade": "aa",
            "lianghua_issued_on": "2024-11-01",
            "lianghua_first_time": true,
            "lianghua_valid": true,
            "itss_level": "3",
            "cs_level": "cs3",
            "icp_licence": true,
            "software_enterprise_assessed": true,
            "software_enterprise_assessed_on": "2025-01-15",
            "software_enterprise_first_time": true,
            "software_product_certificates": 4,
            "software_copyrights": 12
        },
        "honours": {
            "upper_level_support_received": false,
            "iiot_excellent_platform": "municipal",
            "national_excellent_scene": false,
            "municipal_benchmark_enterprise": true,
            "municipal_demo_scene": true,
            "secondary_node_connected": false,
            "identifier_registrations": 1500000,
            "identifier_monthly_resolutions": 120000,
            "startup_in_carrier": false,
            "major_project_recognized": false
        },
        "projects": [
            { "name": "平台", "kind": "iiot_platform", "total_investment": "9000000", "actual_investment": "8000000", "construction_investment": "1000000", "upper_subsidy_received": "0", "upper_requires_matching": false, "other_support_received": "0", "town_support_received": "0" },
            { "name": "标杆", "kind": "iiot_application", "level": "municipal", "total_investment": "12000000", "actual_investment": "10000000", "upper_subsidy_received": "1000000", "upper_requires_matching": false, "other_support_received": "0", "town_support_received": "0" },
            { "name": "研发", "kind": "rd_project", "actual_investment": "4000000", "other_support_received": "200000", "municipal_support_received": "0" },
            { "name": "算力", "kind": "computing_power", "actual_cost": "6000000", "other_support_received": "0", "municipal_support_received": "0" },
            { "name": "首版次", "kind": "first_of_kind", "sales_amount": "20000000", "upper_first_set_supported": false, "other_support_received": "0", "municipal_support_received": "0" },
            { "name": "峰会", "kind": "event_hosting", "event_scope": "national", "actual_cost": "1500000", "other_support_received": "0", "town_support_received": "0", "municipal_support_received": "0" }
        ],
        "game_products": [
            { "name": "游戏一", "licensed": true, "operating_with_revenue": true, "overseas_with_revenue": true, "settled_domestically": true },
            { "name": "游戏二", "licensed": true, "operating_with_revenue": false, "overseas_with_revenue": false }
        ]
    })
}

/// A small deterministic generator (no randomness crate needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn yuan(&mut self, max: u64) -> String {
        format!("{}", self.next() % max)
    }
    fn coin(&mut self) -> bool {
        self.next().is_multiple_of(2)
    }
}

/// Profiles varied from the full one: district, entity, levels, revenue, dates, which facts
/// are known, 0–6 projects of any kind with any amounts, 0–2 games.
fn varied_profiles(set: &PolicySet, n: usize) -> Vec<Profile> {
    let mut rng = Lcg(0x5eed);
    let base = full_profile_json();
    let kinds = [
        "software_industrialization",
        "digital_transformation",
        "iiot_platform",
        "iiot_application",
        "iiot_diagnosis",
        "iiot_services",
        "smart_city_application",
        "rd_project",
        "first_of_kind",
        "computing_power",
        "exhibition_center",
        "park_environment",
        "event_hosting",
        "event_participation",
    ];
    let districts = ["jinshan", "songjiang", "jiading", "putuo", "xuhui"];
    let entities = [
        "enterprise",
        "enterprise",
        "enterprise",
        "branch",
        "nonprofit",
    ];
    let cmmi = ["none", "2", "3", "4", "5"];
    let dcmm = ["none", "1", "2", "3", "4", "5"];
    let levels = ["none", "district", "municipal", "national"];
    let dates = [
        "2019-06-01",
        "2021-08-01",
        "2023-03-15",
        "2025-02-10",
        "2026-07-01",
    ];
    (0..n)
        .map(|_| {
            let mut j = base.clone();
            j["enterprise"]["registered_district"] = json!(rng.pick(&districts));
            j["enterprise"]["entity_type"] = json!(rng.pick(&entities));
            j["enterprise"]["established_in_district_on"] = json!(rng.pick(&dates));
            if rng.next().is_multiple_of(4) {
                j["enterprise"]["serious_violation_dates"] = json!([rng.pick(&dates)]);
            }
            j["operations"]["annual_revenue"] = json!(rng.yuan(3_000_000_000));
            j["certifications"]["cmmi_level"] = json!(rng.pick(&cmmi));
            j["certifications"]["cmmi_issued_on"] = json!(rng.pick(&dates));
            j["certifications"]["dcmm_level"] = json!(rng.pick(&dcmm));
            // Forget a few facts: unknowns take the "needs information" paths.
            for (g, f) in [
                ("enterprise", "credit_good"),
                ("operations", "cloud_service_spend"),
                ("certifications", "lianghua_grade"),
                ("honours", "iiot_excellent_platform"),
            ] {
                if rng.next().is_multiple_of(5) {
                    j[g].as_object_mut().unwrap().remove(f);
                }
            }
            let projects: Vec<Json> = (0..rng.next() % 7)
                .map(|i| {
                    json!({
                        "name": format!("项目{i}"),
                        "kind": rng.pick(&kinds),
                        "level": rng.pick(&levels),
                        "total_investment": rng.yuan(50_000_000),
                        "actual_investment": rng.yuan(50_000_000),
                        "construction_investment": rng.yuan(2_000_000),
                        "actual_cost": rng.yuan(10_000_000),
                        "sales_amount": rng.yuan(30_000_000),
                        "service_amount": rng.yuan(5_000_000),
                        "event_scope": "national",
                        "diagnosis_scope": "factory",
                        "upper_subsidy_received": rng.yuan(1_000_000),
                        "upper_requires_matching": rng.coin(),
                        "upper_matching_amount": rng.yuan(3_000_000),
                        "other_support_received": rng.yuan(500_000),
                        "town_support_received": rng.yuan(300_000),
                        "municipal_support_received": rng.yuan(500_000),
                    })
                })
                .collect();
            j["projects"] = Json::Array(projects);
            let games: Vec<Json> = (0..rng.next() % 3)
                .map(|_| {
                    json!({
                        "licensed": rng.coin(),
                        "operating_with_revenue": rng.coin(),
                        "overseas_with_revenue": rng.coin(),
                        "settled_domestically": rng.coin(),
                    })
                })
                .collect();
            j["game_products"] = Json::Array(games);
            Profile::from_json(&set.catalogue, &j).expect("valid varied profile")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let set = PolicySet::embedded().expect("embedded policies");
    let profile = Profile::from_json(&set.catalogue, &full_profile_json()).expect("profile");
    let as_of = parse_date("2025-06-01").unwrap();
    let explained = EvalOptions::new(as_of);
    let mut fast = EvalOptions::new(as_of);
    fast.hints = false;
    fast.explain = false;

    // Sanity: the full profile really exercises the engine (money, hints).
    let r = evaluate(&set, &profile, &explained).unwrap();
    assert_eq!(r.districts.len(), 4);
    assert!(
        r.available_now.up_to.0 > 0.into(),
        "the full profile should pay"
    );
    let hints: usize = r
        .districts
        .iter()
        .flat_map(|d| &d.clauses)
        .map(|c| c.hints.len())
        .sum();
    assert!(hints > 0, "the full profile should produce hints");

    let mut g = c.benchmark_group("one_profile_four_districts");
    g.throughput(Throughput::Elements(1));
    g.bench_function("explain_and_hints", |b| {
        b.iter(|| evaluate(&set, black_box(&profile), black_box(&explained)).unwrap())
    });
    g.bench_function("batch_mode", |b| {
        b.iter(|| evaluate(&set, black_box(&profile), black_box(&fast)).unwrap())
    });
    g.bench_function("totals_only", |b| {
        b.iter(|| evaluate_totals(&set, black_box(&profile), black_box(&fast)).unwrap())
    });
    let mut all = fast.clone();
    all.compare_all = true;
    g.bench_function("batch_mode_compare_all", |b| {
        b.iter(|| evaluate(&set, black_box(&profile), black_box(&all)).unwrap())
    });
    g.finish();

    const N: usize = 10_000;
    let profiles = varied_profiles(&set, N);
    let mut g = c.benchmark_group("batch_10000_profiles");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(20);
    g.bench_function("batch_mode", |b| {
        b.iter(|| {
            let mut total = rust_decimal::Decimal::ZERO;
            for p in &profiles {
                let r = evaluate(&set, black_box(p), &fast).unwrap();
                total += r.available_now.up_to.0;
            }
            total
        })
    });
    g.bench_function("totals_only", |b| {
        b.iter(|| {
            let mut total = rust_decimal::Decimal::ZERO;
            for p in &profiles {
                let r = evaluate_totals(&set, black_box(p), &fast).unwrap();
                total += r.available_now.up_to.0;
            }
            total
        })
    });
    // The same path over the first 100 of those profiles, 100 times: the same number of
    // evaluations with a working set that stays in cache.
    let few = &profiles[..100];
    g.bench_function("totals_only_100_profiles_100_times", |b| {
        b.iter(|| {
            let mut total = rust_decimal::Decimal::ZERO;
            for _ in 0..100 {
                for p in few {
                    let r = evaluate_totals(&set, black_box(p), &fast).unwrap();
                    total += r.available_now.up_to.0;
                }
            }
            total
        })
    });
    g.finish();

    let bytes = serde_json::to_vec(&r).unwrap().len();
    let mut g = c.benchmark_group("report_json");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("serialize_full_report", |b| {
        b.iter(|| serde_json::to_vec(black_box(&r)).unwrap())
    });
    g.bench_function("evaluate_and_serialize_full_report", |b| {
        b.iter_batched(
            || (),
            |_| serde_json::to_vec(&evaluate(&set, &profile, &explained).unwrap()).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.finish();
    eprintln!("full report: {bytes} bytes of JSON");
}

criterion_group!(benches, bench);
criterion_main!(benches);
