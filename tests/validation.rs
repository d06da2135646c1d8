//! Broken policy and catalogue files are rejected with the file, the path inside it and a
//! message that says what is wrong.
//!
//! Each fixture under `tests/fixtures/invalid/` is a small fictional policy (`valid-base.toml`
//! with one defect) loaded with `PolicySet::from_toml` next to the real `policies/facts.toml`;
//! the catalogue fixtures under `tests/fixtures/catalogue/` replace the catalogue.

use butie::{LoadError, LoadErrors, PolicySet};
use std::fs;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn real_catalogue() -> String {
    fs::read_to_string(root().join("policies/facts.toml")).unwrap()
}

fn fixture(dir: &str, name: &str) -> (String, String) {
    let p = root().join("tests/fixtures").join(dir).join(name);
    let text = fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    (name.to_string(), text)
}

/// Loads policy fixtures with the real catalogue; they must fail.
fn errors_of(names: &[&str]) -> Vec<LoadError> {
    let files: Vec<_> = names.iter().map(|n| fixture("invalid", n)).collect();
    match PolicySet::from_toml(&real_catalogue(), &files) {
        Ok(_) => panic!("{names:?} loaded, but each is broken on purpose"),
        Err(LoadErrors(e)) => e,
    }
}

/// Loads several fixtures together; they must fail with exactly this one error.
fn one_of(names: &[&str], file: &str, path: &str, fragment: &str) {
    expect(names, &[(file, path, fragment)]);
}

/// Asserts exactly the expected errors `(file, path, message fragment)`, in any order.
fn expect(names: &[&str], want: &[(&str, &str, &str)]) {
    let got = errors_of(names);
    let show = || {
        got.iter()
            .map(|e| format!("  {e}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        got.len(),
        want.len(),
        "{names:?}: expected {} error(s), got:\n{}",
        want.len(),
        show()
    );
    for (file, path, fragment) in want {
        assert!(
            got.iter()
                .any(|e| e.file == *file && e.path == *path && e.message.contains(fragment)),
            "{names:?}: no error `{file}: {path}: …{fragment}…`; got:\n{}",
            show()
        );
    }
    // The rendered form names the file and the path, for people reading CI logs.
    let rendered = LoadErrors(got.clone()).to_string();
    for (file, path, _) in want {
        assert!(
            rendered.contains(&format!("{file}: {path}: ")),
            "{rendered}"
        );
    }
}

/// A single error in a single fixture.
fn one(name: &str, path: &str, fragment: &str) {
    expect(&[name], &[(name, path, fragment)]);
}

#[test]
fn the_base_fixture_is_valid() {
    // Every broken fixture is this file with one defect, so each error below is that defect.
    let set = PolicySet::from_toml(&real_catalogue(), &[fixture("invalid", "valid-base.toml")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.policies[0].clauses.len(), 2);
    let set = PolicySet::from_toml(&real_catalogue(), &[fixture("invalid", "overlap-a.toml")]);
    assert!(set.is_ok(), "each overlapping file is valid alone");
    let set = PolicySet::from_toml(&real_catalogue(), &[fixture("invalid", "overlap-b.toml")]);
    assert!(set.is_ok(), "each overlapping file is valid alone");
}

#[test]
fn unknown_fact_in_a_condition() {
    one(
        "unknown-fact.toml",
        "clauses[1].when[0]",
        "unknown fact `cmmi_levl`",
    );
}

#[test]
fn unknown_list_field() {
    one(
        "unknown-list-field.toml",
        "clauses[0].award.base",
        "unknown field `total_invest` of list `projects`",
    );
}

#[test]
fn rate_without_base() {
    one(
        "rate-without-base.toml",
        "clauses[0].award.base",
        "a rate award needs base",
    );
}

#[test]
fn best_without_options() {
    one(
        "best-without-options.toml",
        "clauses[0].award.options",
        "needs at least one entry in options",
    );
}

#[test]
fn bad_amount() {
    one(
        "bad-amount.toml",
        "clauses[0].award.amount",
        "bad amount `30万万`",
    );
}

#[test]
fn rate_above_100_percent() {
    one(
        "rate-over-100.toml",
        "clauses[0].award.rate",
        "between 0% and 100%",
    );
}

#[test]
fn money_fact_compared_with_text() {
    one(
        "type-error.toml",
        "clauses[0].when[0]",
        "literal does not match the fact's type (Money)",
    );
}

#[test]
fn enum_value_not_in_the_enum() {
    one(
        "enum-value.toml",
        "clauses[0].when[0]",
        "`6` is not a value of `cmmi_level`",
    );
}

#[test]
fn effective_to_before_effective_from() {
    one(
        "dates-out-of-order.toml",
        "policy.effective_to",
        "effective_to is before effective_from",
    );
}

#[test]
fn official_policy_without_dates() {
    one(
        "official-without-dates.toml",
        "policy.effective_from",
        "an official policy needs effective_from and effective_to",
    );
}

#[test]
fn draft_with_a_date() {
    one(
        "draft-with-date.toml",
        "policy.effective_from",
        "a draft has no effective date",
    );
}

#[test]
fn duplicate_clause_id_within_a_file() {
    one(
        "duplicate-id.toml",
        "clauses[1].id",
        "duplicate id `hongkou.2` (also at clauses[0])",
    );
}

#[test]
fn two_documents_of_a_district_in_force_together_without_a_relation() {
    // Clause ids are unique per document, so the two may share `hongkou.2`; but on any day at
    // most one document of a district may be in force unless one supersedes or amends the other.
    one_of(
        &["overlap-a.toml", "overlap-b.toml"],
        "overlap-b.toml",
        "policy.effective_from",
        "`hongkou-fixture-a` and `hongkou-fixture-b` (hongkou) are both in force on 2025-01-01",
    );
}

#[test]
fn successor_or_amendment_of_an_unknown_document() {
    one(
        "successor-unknown.toml",
        "policy.supersedes",
        "unknown document `hongkou-fixture-0`",
    );
    one(
        "amends-unknown.toml",
        "policy.amends",
        "unknown document `hongkou-fixture-0`",
    );
    one(
        "supersedes-itself.toml",
        "policy.supersedes",
        "a document cannot name itself",
    );
}

#[test]
fn successor_of_another_districts_document() {
    let putuo = fs::read_to_string(root().join("policies/putuo-2024-3.toml")).unwrap();
    let files = vec![
        ("putuo-2024-3.toml".to_string(), putuo),
        fixture("invalid", "successor-other-district.toml"),
    ];
    let Err(LoadErrors(errs)) = PolicySet::from_toml(&real_catalogue(), &files) else {
        panic!("a hongkou document superseding a putuo document loaded");
    };
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].file, "successor-other-district.toml");
    assert_eq!(errs[0].path, "policy.supersedes");
    assert!(
        errs[0]
            .message
            .contains("`putuo-2024-3` is a document of `putuo`, not `hongkou`"),
        "{}",
        errs[0]
    );
}

#[test]
fn id_not_prefixed_by_its_district() {
    one(
        "id-prefix.toml",
        "clauses[1].id",
        "id `putuo.3` must start with the district `hongkou.`",
    );
}

#[test]
fn misspelt_key_is_an_unknown_field() {
    one(
        "unknown-field.toml",
        "clauses[0].award.ammount",
        "unknown field `ammount`",
    );
}

#[test]
fn schedule_shares_must_add_up_to_100_percent() {
    one(
        "schedule-shares.toml",
        "clauses[0].award.schedule.shares",
        "shares must add up to 100%",
    );
}

#[test]
fn offset_without_quote_or_rule() {
    one(
        "offset-without-source.toml",
        "clauses[0].offsets[0]",
        "an offset needs exactly one of quote or rule",
    );
}

#[test]
fn offset_citing_an_unknown_rule() {
    one(
        "offset-unknown-rule.toml",
        "clauses[0].offsets[0].rule",
        "unknown rule `hongkou.99`",
    );
}

#[test]
fn item_without_for_each() {
    one(
        "item-without-for-each.toml",
        "clauses[0].when[0]",
        "`item.` is only available in clauses with for_each",
    );
}

#[test]
fn district_not_in_the_catalogue() {
    expect(
        &["district-unknown.toml"],
        &[
            (
                "district-unknown.toml",
                "policy.district",
                "`atlantis` is not a value of `registered_district`",
            ),
            (
                "district-unknown.toml",
                "rules[0].id",
                "must start with the district `atlantis.`",
            ),
        ],
    );
}

#[test]
fn toml_syntax_error_names_the_file_and_line() {
    one("syntax-error.toml", "(toml)", "line 33");
}

#[test]
fn every_invalid_fixture_is_tested() {
    // A new fixture without a test would silently prove nothing.
    let src = fs::read_to_string(root().join("tests/validation.rs")).unwrap();
    for e in fs::read_dir(root().join("tests/fixtures/invalid")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(
            src.contains(&format!("\"{name}\"")),
            "fixture {name} is not used by tests/validation.rs"
        );
    }
}

// ------------------------------------------------------------------ the catalogue

/// Loads a catalogue fixture (no policies); it must fail with exactly one error.
fn catalogue_error(name: &str, path: &str, fragment: &str) {
    let (_, text) = fixture("catalogue", name);
    let errs = match PolicySet::from_toml(&text, &[]) {
        Ok(_) => panic!("{name} loaded, but it is broken on purpose"),
        Err(LoadErrors(e)) => e,
    };
    assert_eq!(errs.len(), 1, "{name}: {errs:#?}");
    let e = &errs[0];
    // The catalogue is always reported under its canonical file name.
    assert_eq!(e.file, "facts.toml", "{e}");
    assert_eq!(e.path, path, "{e}");
    assert!(e.message.contains(fragment), "{e}");
}

#[test]
fn the_base_catalogue_fixture_is_valid() {
    let (_, text) = fixture("catalogue", "valid.toml");
    let set = PolicySet::from_toml(&text, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.catalogue.facts.len(), 4);
}

#[test]
fn catalogue_duplicate_fact_id() {
    catalogue_error(
        "duplicate-fact.toml",
        "facts[3].id",
        "duplicate id `cmmi_level`",
    );
}

#[test]
fn catalogue_unknown_group() {
    catalogue_error(
        "unknown-group.toml",
        "facts[1].group",
        "unknown group `qualifications`",
    );
}

#[test]
fn catalogue_companion_date_must_be_a_date() {
    catalogue_error(
        "companion-not-date.toml",
        "facts[1].companion_date",
        "`is_software_enterprise` is not a date fact",
    );
}

#[test]
fn a_policy_must_match_its_catalogue() {
    // The real policies against the tiny catalogue: every fact they read that it lacks is
    // reported, in the right file and at the right place.
    let (_, cat) = fixture("catalogue", "valid.toml");
    let jinshan = fs::read_to_string(root().join("policies/jinshan-2020-41.toml")).unwrap();
    let Err(LoadErrors(errs)) =
        PolicySet::from_toml(&cat, &[("jinshan-2020-41.toml".into(), jinshan)])
    else {
        panic!("jinshan loaded against a catalogue without its facts")
    };
    assert!(errs.iter().all(|e| e.file == "jinshan-2020-41.toml"));
    assert!(
        errs.iter()
            .any(|e| e.path == "rules[0].when[1]"
                && e.message.contains("unknown fact `entity_type`")),
        "{errs:#?}"
    );
}
