//! The compact bundle the wasm embeds evaluates exactly like the policies compiled at run time.

use butie::{EvalOptions, PolicySet, Profile, evaluate};

fn report_json(
    set: &PolicySet,
    profile_json: &serde_json::Value,
    as_of: &str,
    compare: bool,
) -> String {
    let profile = Profile::from_json(&set.catalogue, profile_json).expect("profile");
    let mut opts = EvalOptions::new(butie::date::parse_date(as_of).expect("date"));
    opts.compare_all = compare;
    serde_json::to_string(&evaluate(set, &profile, &opts).expect("evaluate")).expect("json")
}

#[test]
fn bytes_round_trip_gives_identical_results() {
    let set = PolicySet::embedded().expect("embedded policies");
    let bytes = set.to_bytes();
    assert!(bytes.len() > 1000);
    let back = PolicySet::from_bytes(&bytes).expect("bundle reads back");
    assert_eq!(back.catalogue.facts.len(), set.catalogue.facts.len());
    assert_eq!(
        back.catalogue.fact_id("cmmi_level"),
        set.catalogue.fact_id("cmmi_level")
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("docs/examples") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let j: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
            for (as_of, compare) in [
                ("2026-11-21", false),
                ("2023-06-01", true),
                ("2025-06-01", false),
            ] {
                assert_eq!(
                    report_json(&set, &j, as_of, compare),
                    report_json(&back, &j, as_of, compare),
                    "{}",
                    path.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 12, "checked {checked}");
}

#[test]
fn corrupt_or_foreign_bundles_are_errors() {
    let bytes = PolicySet::embedded().expect("embedded").to_bytes();
    assert!(PolicySet::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    assert!(PolicySet::from_bytes(b"").is_err());
    let mut other = bytes.clone();
    other[3] ^= 0x20; // inside the magic header
    let err = PolicySet::from_bytes(&other).expect_err("wrong header");
    assert!(err.to_string().contains("compiled bundle"), "{err}");
}
