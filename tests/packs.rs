//! Policy packs in the core: several packs that each add facts loaded together (their
//! references mapped onto one catalogue), a successor and an amendment of a built-in document,
//! replacing a built-in document only when the pack says so, conflicts between packs, and
//! damaged packs — which are refused with the place named and never panic (a property test
//! flips bytes of the compiled section and re-hashes it; deeply nested compiled conditions are
//! refused by `butie::nesting`'s own tests).
//!
//! The packs here are FICTIONAL, written inline; the documents are marked so in their titles.

use butie::date::parse_date;
use butie::pack::build::{Base, Checked, PackSources, check};
use butie::pack::{Pack, SourceFile, content_hash};
use butie::{EvalOptions, PolicySet, Profile, evaluate};
use proptest::prelude::*;
use serde_json::{Value as Json, json};
use std::sync::OnceLock;

fn file(name: &str, text: &str) -> SourceFile {
    SourceFile {
        file: name.into(),
        text: text.into(),
    }
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| Base::embedded().unwrap())
}

/// A fictional district pack: one document for `district` paying 10万 on a fact it adds
/// (`<fact>`, bool, in its own group), with its source text.
fn district_pack(name: &str, district: &str, fact: &str, extra_manifest: &str) -> PackSources {
    let text = format!(
        "【虚构示例】{district}测试办法\n第一条 在本区注册的企业可以申请。\n第二条 具备{fact}条件的企业，一次性奖励10万元。\n第三条 本办法自2025年1月1日起施行，有效期至2027年12月31日。\n"
    );
    PackSources {
        manifest: Some(file(
            "pack.toml",
            &format!("name = \"{name}\"\nauthor = \"test\"\n{extra_manifest}"),
        )),
        catalogue: Some(file(
            "facts.toml",
            &format!(
                "schema_version = 1\n[[groups]]\nid = \"g_{fact}\"\nlabel = {{ zh = \"组\", en = \"Group\" }}\n\
                 [[facts]]\nid = \"{fact}\"\ngroup = \"g_{fact}\"\ntype = \"bool\"\nlabel = {{ zh = \"条件\", en = \"Condition\" }}\n\
                 [[facts]]\nid = \"{fact}_level\"\ngroup = \"g_{fact}\"\ntype = \"enum\"\nlabel = {{ zh = \"级别\", en = \"Level\" }}\n\
                 values = [{{ id = \"low\", zh = \"低\", en = \"low\" }}, {{ id = \"high\", zh = \"高\", en = \"high\" }}]\n\
                 show_if = \"{fact}\"\n"
            ),
        )),
        documents: vec![file(
            &format!("{district}-test.toml"),
            &format!(
                r#"[policy]
id = "{district}-test-2025"
district = "{district}"
district_name = {{ zh = "{district}", en = "{district}" }}
title = {{ zh = "【虚构示例，非真实文件】{district}测试办法", en = "[FICTIONAL] {district} test" }}
issuers = ["（虚构）"]
issued_on = "2024-12-01"
status = "official"
effective_from = "2025-01-01"
effective_to = "2027-12-31"
source_file = "{district}.txt"
window_article = "第三条"
window_quote = "本办法自2025年1月1日起施行，有效期至2027年12月31日。"
verified_on = "2026-12-01"

[[rules]]
id = "{district}.1"
article = "第一条"
kind = "applicant"
title = {{ zh = "对象", en = "Who" }}
quote = "在本区注册的企业可以申请。"
when = ["registered_district == '{district}'"]

[[clauses]]
id = "{district}.2"
article = "第二条"
title = {{ zh = "奖励", en = "Award" }}
quote = "具备{fact}条件的企业，一次性奖励10万元。"
basis = "entitlement"
when = ["{fact}", "{fact}_level >= 'high'"]
award = {{ type = "fixed", amount = "10万", bound = "definite" }}
"#
            ),
        )],
        sources: vec![file(&format!("{district}.txt"), &text)],
        cases: Vec::new(),
    }
}

fn built(src: &PackSources) -> Pack {
    let c = check(base(), src, "2026-12-01");
    assert!(c.passed(), "{}", problems(&c));
    let text = c.pack.unwrap().to_json_text();
    Pack::read("test.butie.json", &text).unwrap()
}

fn problems(c: &Checked) -> String {
    c.problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn profile(set: &PolicySet, j: Json) -> Profile {
    Profile::from_json(&set.catalogue, &j).unwrap_or_else(|e| panic!("{e:?}"))
}

fn definite(set: &PolicySet, p: &Profile, district: &str) -> String {
    let mut o = EvalOptions::new(parse_date("2026-06-01").unwrap());
    o.districts = Some(vec![district.into()]);
    let r = evaluate(set, p, &o).unwrap();
    serde_json::to_value(&r).unwrap()["available_now"]["definite"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn two_packs_that_add_facts_load_together() {
    let a = built(&district_pack("pack-a", "yangpu", "fact_a", ""));
    let b = built(&district_pack("pack-b", "minhang", "fact_b", ""));
    // Each was compiled alone; loaded together, b's facts come after a's.
    for order in [[&a, &b], [&b, &a]] {
        let set = base().set.clone().with_packs(&order).unwrap();
        let n = base().set.catalogue.facts.len();
        assert_eq!(set.catalogue.facts.len(), n + 4);
        for (district, fact) in [("yangpu", "fact_a"), ("minhang", "fact_b")] {
            let yes = profile(
                &set,
                json!({"enterprise": {"registered_district": district},
                       format!("g_{fact}"): {fact: true, format!("{fact}_level"): "high"}}),
            );
            assert_eq!(definite(&set, &yes, district), "100000.00", "{district}");
            let low = profile(
                &set,
                json!({"enterprise": {"registered_district": district},
                       format!("g_{fact}"): {fact: true, format!("{fact}_level"): "low"}}),
            );
            assert_eq!(definite(&set, &low, district), "0.00", "{district}");
            // The added fact's show_if points at the added fact, wherever it landed.
            let level = set.catalogue.fact_id(&format!("{fact}_level")).unwrap();
            let cond = set.catalogue.fact_show_if(level).unwrap();
            let mut read = Vec::new();
            cond.visit_operands(&mut |o| read.push(set.catalogue.operand_name(o)));
            assert_eq!(read, [fact]);
        }
    }
    // The base set is untouched.
    assert!(base().set.catalogue.fact_id("fact_a").is_none());
}

#[test]
fn conflicting_packs_are_refused() {
    let a = built(&district_pack("pack-a", "yangpu", "fact_a", ""));
    // Another pack adding the same fact and the same district's document in the same years.
    let a2 = built(&district_pack("pack-a2", "yangpu", "fact_a", ""));
    let e = base().set.clone().with_packs(&[&a, &a2]).unwrap_err();
    assert!(
        e.iter().any(|e| e.message.en.contains("already has")),
        "{e:?}"
    );
    let e = base().set.clone().with_packs(&[&a, &a]).unwrap_err();
    assert!(e[0].message.en.contains("already loaded"), "{e:?}");
}

#[test]
fn a_pack_replaces_a_built_in_document_only_when_it_says_so() {
    let real = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/putuo-2024-3.toml"),
    )
    .unwrap();
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("policies/sources/003_3a0c1c87790dcedb.txt"),
    )
    .unwrap();
    let src = |manifest: &str| PackSources {
        manifest: Some(file("pack.toml", manifest)),
        catalogue: None,
        documents: vec![file("putuo-corrected.toml", &real)],
        sources: vec![file("003_3a0c1c87790dcedb.txt", &source)],
        cases: Vec::new(),
    };
    let c = check(base(), &src("name = \"p\"\nauthor = \"t\"\n"), "2026-12-01");
    assert!(!c.passed());
    let p = problems(&c);
    assert!(
        p.contains("putuo-corrected.toml:") && p.contains("is a built-in document"),
        "{p}"
    );
    let pack = built(&src(
        "name = \"p\"\nauthor = \"t\"\n[[overrides]]\ndocument = \"putuo-2024-3\"\nreason = \"test: the same text, loaded from a pack\"\n",
    ));
    assert_eq!(pack.overrides[0].document, "putuo-2024-3");
    let set = base().set.clone().with_packs(&[&pack]).unwrap();
    let doc = set.document("putuo-2024-3").unwrap();
    assert_eq!(doc.pack.as_deref(), Some("p"));
    assert_eq!(set.policies.len(), base().set.policies.len());
}

/// The real 普陀 document as the base of a fictional successor and a fictional amendment.
fn putuo_pack(relation: &str, id: &str, from: &str, to: &str, quote: &str) -> PackSources {
    let text =
        format!("【虚构示例】普陀区测试文件\n{quote}\n本文件自{from}起施行，有效期至{to}。\n");
    let date = |d: &str| {
        let (y, rest) = d.split_once('年').unwrap();
        let (m, rest) = rest.split_once('月').unwrap();
        let day = rest.trim_end_matches('日');
        format!("{y}-{:0>2}-{:0>2}", m, day)
    };
    PackSources {
        manifest: Some(file("pack.toml", "name = \"putuo-test\"\nauthor = \"t\"\n")),
        catalogue: None,
        documents: vec![file(
            "putuo-test.toml",
            &format!(
                r#"[policy]
id = "{id}"
district = "putuo"
district_name = {{ zh = "普陀区", en = "Putuo" }}
title = {{ zh = "【虚构示例，非真实文件】普陀区测试文件", en = "[FICTIONAL] Putuo test" }}
issuers = ["（虚构）"]
issued_on = "{}"
status = "official"
effective_from = "{}"
effective_to = "{}"
source_file = "putuo-test.txt"
window_article = "附则"
window_quote = "本文件自{from}起施行，有效期至{to}。"
verified_on = "2026-12-01"
{relation} = "putuo-2024-3"

[[clauses]]
id = "putuo.9"
article = "一"
title = {{ zh = "测试", en = "Test" }}
quote = "{quote}"
basis = "entitlement"
applicant = []
when = ["cmmi_level >= 3"]
award = {{ type = "fixed", amount = "1万", bound = "definite" }}
"#,
                date(from),
                date(from),
                date(to)
            ),
        )],
        sources: vec![file("putuo-test.txt", &text)],
        cases: Vec::new(),
    }
}

#[test]
fn successors_and_amendments_of_built_in_documents() {
    let cmmi3 = |set: &PolicySet| {
        profile(
            set,
            json!({"enterprise": {"registered_district": "putuo"}, "certifications": {"cmmi_level": "3"}}),
        )
    };
    let clause = |set: &PolicySet, as_of: &str| {
        let mut o = EvalOptions::new(parse_date(as_of).unwrap());
        o.districts = Some(vec!["putuo".into()]);
        let p = cmmi3(set);
        let r = evaluate(set, &p, &o).unwrap();
        let j = serde_json::to_value(&r).unwrap();
        let d = &j["districts"][0];
        (
            d["policy"]["id"].as_str().unwrap().to_string(),
            d["clauses"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == "putuo.9"),
        )
    };
    // A successor from 2027: the built-in document before, the pack's after.
    let succ = built(&putuo_pack(
        "supersedes",
        "putuo-2027-test",
        "2027年1月1日",
        "2028年12月31日",
        "达到要求的企业，一次性奖励1万元。",
    ));
    let set = base().set.clone().with_packs(&[&succ]).unwrap();
    assert_eq!(clause(&set, "2026-06-01"), ("putuo-2024-3".into(), false));
    assert_eq!(clause(&set, "2027-06-01"), ("putuo-2027-test".into(), true));

    // An amendment in force from 2026: merged with the built-in document it amends.
    let amend = built(&putuo_pack(
        "amends",
        "putuo-2026-amend-test",
        "2026年1月1日",
        "2026年12月31日",
        "达到要求的企业，一次性奖励1万元。",
    ));
    let set = base().set.clone().with_packs(&[&amend]).unwrap();
    assert_eq!(
        clause(&set, "2026-06-01"),
        ("putuo-2026-amend-test".into(), true)
    );
    let merged = set.document("putuo-2026-amend-test").unwrap();
    let base_doc = base().set.document("putuo-2024-3").unwrap();
    assert_eq!(merged.clauses.len(), base_doc.clauses.len() + 1);

    // Loaded into a page whose 普陀 document differs, the amendment is refused.
    let mut other = base().set.clone();
    let at = other
        .policies
        .iter()
        .position(|p| p.meta.id == "putuo-2024-3")
        .unwrap();
    other.policies[at].fingerprint = "0000000000000000".into();
    let e = other.with_packs(&[&amend]).unwrap_err();
    assert!(
        e[0].message.en.contains("another version") && e[0].message.en.contains("putuo-2024-3"),
        "{e:?}"
    );
}

/// The example pack's JSON text (built once).
fn example_json() -> &'static Json {
    static JSON: OnceLock<Json> = OnceLock::new();
    JSON.get_or_init(|| {
        let files = butie::files::PolicyFiles::read_dirs(&[std::path::Path::new(env!(
            "CARGO_MANIFEST_DIR"
        ))
        .join("examples/packs/hongkou")])
        .unwrap();
        let c = check(base(), &PackSources::from_files(&files), "2026-12-01");
        assert!(c.passed(), "{}", problems(&c));
        serde_json::from_str(&c.pack.unwrap().to_json_text()).unwrap()
    })
}

/// `json` with its hash recomputed.
fn rehashed(mut json: Json) -> String {
    json["hash"] = Json::String(content_hash(&json).unwrap());
    json.to_string()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

/// Reads, loads and evaluates a pack text; returns whether it loaded. Must not panic.
fn load_and_run(text: &str) -> bool {
    let Ok(pack) = Pack::read("fuzz.butie.json", text) else {
        return false;
    };
    let Ok(set) = base().set.clone().with_packs(&[&pack]) else {
        return false;
    };
    let p = Profile::from_json(
        &set.catalogue,
        &json!({"enterprise": {"registered_district": "hongkou", "entity_type": "enterprise",
                "credit_good": true, "serious_violation_dates": []},
                "certifications": {"cmmi_level": "4", "cmmi_issued_on": "2025-03-01"},
                "projects": [{"kind": "computing_power", "actual_cost": "1000000"}]}),
    )
    .unwrap_or_else(|_| Profile::empty(&set.catalogue));
    for compare_all in [false, true] {
        let mut o = EvalOptions::new(parse_date("2026-06-01").unwrap());
        o.compare_all = compare_all;
        let _ = evaluate(&set, &p, &o);
    }
    let _ = butie::schema::profile_schema(&set.catalogue);
    let _ = butie::listing::policy_listing(&set, parse_date("2026-06-01").unwrap());
    true
}

#[test]
fn the_example_pack_round_trips() {
    assert!(load_and_run(&example_json().to_string()));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    /// Flipped bytes in the compiled section (re-hashed, so only the loader's checks stand
    /// between them and the engine) are refused or evaluate; nothing panics.
    #[test]
    fn damaged_compiled_data_never_panics(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut json = example_json().clone();
        let mut bytes = unb64(json["compiled"]["data"].as_str().unwrap());
        for (at, x) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= x | 1;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        json["compiled"]["data"] = Json::String(b64(&bytes));
        load_and_run(&rehashed(json));
    }

    /// Any text is refused with a message, never a panic.
    #[test]
    fn any_text_is_refused_cleanly(text in ".{0,400}") {
        prop_assert!(Pack::read("fuzz.butie.json", &text).is_err());
    }
}
