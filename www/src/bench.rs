//! An in-page microbenchmark of the rule core in wasm (`cargo xtask measure` builds it with
//! the `bench` feature and calls it through `globalThis.butie`): mean milliseconds to evaluate
//! one full profile. Shipped pages leave it out; the clock below is shared with the batch.

#[cfg(feature = "bench")]
use butie::EvalOptions;
#[cfg(any(feature = "bench", test))]
use butie::{PolicySet, Profile};
#[cfg(feature = "bench")]
use wasm_bindgen::prelude::*;

#[cfg(any(feature = "bench", test))]
/// A profile that fills every group and both lists (a busy software and IIoT firm).
pub const FULL_PROFILE: &str = r#"{
  "schema_version": 1,
  "name": "基准测试企业",
  "enterprise": {
    "registered_district": "putuo", "tax_registered_locally": true, "operates_locally": true,
    "entity_type": "enterprise", "operating_normally": true, "credit_good": true,
    "serious_violation_dates": [], "other_violation_dates": [],
    "established_in_district_on": "2025-03-01",
    "is_software_enterprise": true, "is_iiot_enterprise": true, "is_manufacturer": true,
    "is_sme": true, "has_own_ip": true
  },
  "operations": {
    "annual_revenue": "650000000", "prior_max_revenue": "420000000",
    "first_time_above_scale": true, "listed_ipo": false, "office_premises": "rent",
    "office_annual_rent": "1800000", "uses_listed_cloud": true, "cloud_service_spend": "300000"
  },
  "certifications": {
    "cmmi_level": "3", "cmmi_issued_on": "2025-05-10", "dcmm_level": "3",
    "dcmm_issued_on": "2025-06-01", "dcmm_first_at_level": true, "lianghua_standard": "v2",
    "lianghua_grade": "aa", "lianghua_issued_on": "2025-04-01", "lianghua_first_time": true,
    "lianghua_valid": true, "itss_level": "3", "cs_level": "cs3",
    "classified_integration_grade_a": false, "icp_licence": true, "cisp": false, "ccrc": true,
    "cesscn": false, "llm_filing": true, "online_publishing_licence": false, "av_licence": false,
    "software_enterprise_assessed": true, "software_enterprise_assessed_on": "2025-02-01",
    "software_enterprise_first_time": true, "software_product_certificates": 3,
    "software_copyrights": 12
  },
  "honours": {
    "upper_level_support_received": true, "sh_software_base_first": false,
    "iiot_excellent_platform": "municipal", "national_excellent_scene": false,
    "municipal_benchmark_enterprise": true, "municipal_demo_scene": true,
    "municipal_benchmark_park": false, "secondary_node_connected": true,
    "secondary_node_operating": true, "identifier_registrations": 1500000,
    "identifier_monthly_resolutions": 120000, "innovation_carrier_municipal": true,
    "smart_factory_shanghai": false, "jiading_training_base": false,
    "startup_in_carrier": false, "major_project_recognized": false
  },
  "projects": [
    {"name": "研发项目", "kind": "rd_project", "actual_investment": "2000000", "other_support_received": "0",
     "municipal_support_received": "0"},
    {"name": "平台", "kind": "iiot_platform", "total_investment": "30000000", "actual_investment": "25000000",
     "construction_investment": "2000000", "upper_subsidy_received": "0", "upper_requires_matching": false,
     "other_support_received": "0", "town_support_received": "0"},
    {"name": "应用", "kind": "iiot_application", "level": "municipal", "total_investment": "8000000",
     "actual_investment": "6000000", "upper_subsidy_received": "500000", "upper_requires_matching": false,
     "other_support_received": "0", "town_support_received": "0"},
    {"name": "算力", "kind": "computing_power", "actual_cost": "1200000", "other_support_received": "0",
     "municipal_support_received": "0"},
    {"name": "展会", "kind": "event_participation", "actual_cost": "150000", "other_support_received": "0",
     "municipal_support_received": "0"}
  ],
  "game_products": [
    {"name": "游戏一", "licensed": true, "operating_with_revenue": true, "overseas_with_revenue": true,
     "settled_domestically": true},
    {"name": "游戏二", "licensed": true, "operating_with_revenue": false, "overseas_with_revenue": false}
  ]
}"#;

/// The full profile, parsed.
#[cfg(any(feature = "bench", test))]
pub fn full_profile(set: &PolicySet) -> Result<Profile, String> {
    let json: serde_json::Value = serde_json::from_str(FULL_PROFILE).map_err(|e| e.to_string())?;
    Profile::from_json(&set.catalogue, &json).map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// Milliseconds from the Performance API (or the wall clock).
pub(crate) fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Mean milliseconds per evaluation of [`FULL_PROFILE`] over `iterations` runs, as of
/// 2026-11-21, all districts; `explain` turns on conditions, arithmetic and hints (what the
/// page uses), `compare_all` evaluates every district as the registered one. NaN on error.
#[cfg(feature = "bench")]
#[wasm_bindgen]
pub fn bench_evaluate(iterations: u32, explain: bool, compare_all: bool) -> f64 {
    let Ok(set) = crate::data::policy_set() else {
        return f64::NAN;
    };
    let profile = match full_profile(set) {
        Ok(p) => p,
        Err(e) => {
            gloo::console::error!(format!("butie: bench profile: {e}"));
            return f64::NAN;
        }
    };
    let Some(as_of) = butie::date::parse_date("2026-11-21") else {
        return f64::NAN;
    };
    let opts = EvalOptions {
        as_of,
        districts: None,
        compare_all,
        hints: explain,
        explain,
        application_period: None,
    };
    let iterations = iterations.max(1);
    let start = now_ms();
    for _ in 0..iterations {
        match butie::evaluate(set, std::hint::black_box(&profile), &opts) {
            Ok(report) => {
                std::hint::black_box(&report);
            }
            Err(_) => return f64::NAN,
        }
    }
    (now_ms() - start) / f64::from(iterations)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_full_profile_reads() {
        let set = crate::data::policy_set().unwrap().clone();
        let profile = super::full_profile(&set).unwrap();
        let filled = profile.facts.iter().filter(|v| v.is_some()).count();
        assert_eq!(
            filled,
            set.catalogue.facts.len() - 1,
            "all but the purchase price (renting)"
        );
    }
}
