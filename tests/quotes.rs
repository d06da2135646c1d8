//! Every quoted sentence in `policies/*.toml` occurs verbatim in its own source text (the
//! core's rule, `butie::quotes`, which `butie check` applies to policy packs).
//!
//! "Verbatim" after folding both sides the same way: Unicode NFKC (full-width → half-width
//! punctuation and digits), then every whitespace character and the Markdown marks `*` and
//! `#` removed. Any string whose key contains `quote` is checked (`quote`, `extra_quotes`,
//! `window_quote`, `official_quote`, `reprint_quote`, offsets' `quote`, and any future key),
//! against the policy's `source_file` — or, for `reprint_quote`, the reprint's own file.
//! Also: source files exist, the Jiading official text and its reprint differ only where the
//! data says they do, and each policy file covers the articles it must.

use butie::PolicySet;
use butie::quotes::{collect, fold};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The policy files (everything but the catalogue), sorted by name.
fn policy_files() -> Vec<(String, String)> {
    butie::files::PolicyFiles::read_dirs(&[root().join("policies")])
        .expect("policies/")
        .documents
}

/// The one document of a district in the real data.
fn district_doc<'a>(set: &'a PolicySet, district: &'a str) -> &'a butie::policy::Policy {
    set.documents(district)
        .next()
        .unwrap_or_else(|| panic!("no policy for {district}"))
}

fn source_path(file: &str) -> PathBuf {
    root().join("policies").join("sources").join(file)
}

fn read_source(file: &str) -> String {
    fs::read_to_string(source_path(file)).unwrap_or_else(|e| panic!("source {file}: {e}"))
}

fn doc(text: &str, file: &str) -> Value {
    toml::from_str::<Value>(text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for k in path {
        cur = cur
            .get(k)
            .unwrap_or_else(|| panic!("missing {}", path.join(".")));
    }
    cur.as_str().expect("a string")
}

#[test]
fn fold_is_what_the_docs_say() {
    assert_eq!(
        fold("（一）１２ 万，\u{3000}**二**\n## 三"),
        "(一)12万,二三"
    );
    assert_eq!(fold("CMM/CMMI3级"), "CMM/CMMI3级");
}

#[test]
fn every_quote_is_verbatim_in_its_own_source() {
    let files = policy_files();
    assert_eq!(
        files.len(),
        4,
        "four policy files expected, found {files:?}"
    );
    let mut failures = Vec::new();
    let mut keys_seen = BTreeSet::new();
    for (file, text) in &files {
        let d = doc(text, file);
        let official_file = str_at(&d, &["policy", "source_file"]);
        let official = fold(&read_source(official_file));
        let reprints: Vec<String> = d
            .get("policy")
            .and_then(|p| p.get("reprints"))
            .and_then(Value::as_array)
            .map(|rs| {
                rs.iter()
                    .map(|r| fold(&read_source(str_at(r, &["source_file"]))))
                    .collect()
            })
            .unwrap_or_default();
        let quotes = collect(&d);
        assert!(
            quotes.len() >= 15,
            "{file}: only {} quotes found — is the walker broken?",
            quotes.len()
        );
        for q in &quotes {
            keys_seen.insert(q.key.clone());
            let needle = fold(&q.text);
            if needle.chars().count() < 6 {
                failures.push(format!(
                    "{file}: {}: quote too short to cite: {:?}",
                    q.path, q.text
                ));
                continue;
            }
            let (hay, which) = if q.key == "reprint_quote" {
                let i = q.reprint.expect("reprint_quote outside policy.reprints");
                (&reprints[i], format!("reprint {i}"))
            } else {
                (&official, official_file.to_string())
            };
            if !hay.contains(&needle) {
                failures.push(format!(
                    "{file}: {}: not found in {which}: {:?}",
                    q.path, q.text
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for k in [
        "quote",
        "extra_quotes",
        "window_quote",
        "official_quote",
        "reprint_quote",
    ] {
        assert!(keys_seen.contains(k), "no `{k}` key found anywhere");
    }
}

#[test]
fn a_changed_quote_is_caught() {
    // The check is not vacuous: one changed character in a real quote is not found.
    let (_, text) = &policy_files()[0];
    let d = doc(text, "first");
    let src = fold(&read_source(str_at(&d, &["policy", "source_file"])));
    let q = fold(str_at(&d, &["policy", "window_quote"]));
    assert!(src.contains(&q));
    let changed = q.replacen('年', "月", 1);
    assert_ne!(changed, q);
    assert!(!src.contains(&changed));
}

#[test]
fn source_files_exist() {
    for (file, text) in policy_files() {
        let d = doc(&text, &file);
        let mut files = vec![str_at(&d, &["policy", "source_file"]).to_string()];
        if let Some(rs) = d["policy"].get("reprints").and_then(Value::as_array) {
            files.extend(rs.iter().map(|r| str_at(r, &["source_file"]).to_string()));
        }
        for f in files {
            let p = source_path(&f);
            assert!(p.is_file(), "{file}: source file {} missing", p.display());
            assert!(
                fs::metadata(&p).unwrap().len() > 1000,
                "{file}: {f} is suspiciously short"
            );
        }
    }
}

/// Runs where two folded texts differ: `(offset in a, text in a, text in b)`.
/// A plain longest-common-prefix/suffix walk with resynchronisation on short runs; good
/// enough for texts that are almost identical.
fn diff_runs(a: &[char], b: &[char]) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        // Find the smallest (di, dj) after which 20 characters agree again.
        let mut found = None;
        'search: for total in 1..400 {
            for di in 0..=total {
                let dj = total - di;
                let (x, y) = (i + di, j + dj);
                if x + 20 <= a.len() && y + 20 <= b.len() && a[x..x + 20] == b[y..y + 20] {
                    found = Some((di, dj));
                    break 'search;
                }
            }
        }
        match found {
            Some((di, dj)) => {
                out.push((
                    i,
                    a[i..i + di].iter().collect(),
                    b[j..j + dj].iter().collect(),
                ));
                i += di;
                j += dj;
            }
            None => {
                out.push((i, a[i..].iter().collect(), b[j..].iter().collect()));
                return out;
            }
        }
    }
    if i < a.len() || j < b.len() {
        out.push((i, a[i..].iter().collect(), b[j..].iter().collect()));
    }
    out
}

#[test]
fn jiading_reprint_differs_only_in_the_recorded_variant() {
    let (_, text) = policy_files()
        .into_iter()
        .find(|(f, _)| f.starts_with("jiading"))
        .expect("jiading policy");
    let d = doc(&text, "jiading");
    let official_file = str_at(&d, &["policy", "source_file"]);
    let reprint = &d["policy"]["reprints"][0];
    let reprint_file = str_at(reprint, &["source_file"]);
    assert_eq!(official_file, "002_31ec07cff1895a3c.txt");
    assert_eq!(reprint_file, "004_74c2f7e9aadc0b32.txt");

    let body = |file: &str| -> Vec<char> {
        let f = fold(&read_source(file));
        let start = f.find("为贯彻落实").expect("body start");
        f[start..].chars().collect()
    };
    let (a, b) = (body(official_file), body(reprint_file));
    let runs = diff_runs(&a, &b);
    assert_eq!(
        runs.len(),
        2,
        "expected exactly two differing runs: {runs:#?}"
    );

    // 1. Clause 11: 人才引进 (official) vs 人才引育 (reprint).
    let (at, ours, theirs) = &runs[0];
    assert_eq!((ours.as_str(), theirs.as_str()), ("进", "育"));
    let context: String = a[at.saturating_sub(60)..*at].iter().collect();
    assert!(
        context.contains("11") && context.ends_with("人才引"),
        "the variant should be in clause 11: …{context}"
    );
    // …and that is the variant the data records.
    let v = &reprint["variants"][0];
    let (oq, rq) = (
        fold(str_at(v, &["official_quote"])),
        fold(str_at(v, &["reprint_quote"])),
    );
    assert!(oq.contains("人才引进") && rq.contains("人才引育"));
    let official: String = a.iter().collect();
    let reprinted: String = b.iter().collect();
    assert!(official.contains(&oq) && !official.contains(&rq));
    assert!(reprinted.contains(&rq) && !reprinted.contains(&oq));
    assert_eq!(
        reprint["variants"].as_array().unwrap().len(),
        1,
        "one recorded variant"
    );

    // 2. The reprint's trailing site footer: nothing of the official text is missing.
    let (at, ours, theirs) = &runs[1];
    assert_eq!(*at, a.len(), "the second difference is at the end");
    assert!(ours.is_empty(), "official text has extra tail: {ours}");
    assert!(
        theirs.contains("isoccc.org") && theirs.contains("Copyright"),
        "reprint tail should be the site footer: {theirs}"
    );
}

/// Loads the real data (catalogue and the four policies) from the TOML files.
fn real_set() -> PolicySet {
    PolicySet::from_dir(root().join("policies")).unwrap_or_else(|e| panic!("{e}"))
}

/// Clause or rule ids each policy must have, with a piece of the article each is under.
/// An entry `x` is satisfied by id `x` or any `x.<suffix>` (split items such as 三（四）).
const REQUIRED: &[(&str, &[(&str, &str)])] = &[
    (
        "jinshan",
        &[
            ("jinshan.2.1", "第二条"),
            ("jinshan.2.2", "第二条"),
            ("jinshan.3", "第三条"),
            ("jinshan.5", "第五条"),
            ("jinshan.6", "第六条"),
            ("jinshan.7", "第七条"),
            ("jinshan.8", "第八条"),
            ("jinshan.9", "第九条"),
            ("jinshan.10", "第十条"),
            ("jinshan.11", "第十一条"),
            ("jinshan.12", "第十二条"),
            ("jinshan.13", "第十三条"),
            ("jinshan.14", "第十四条"),
            ("jinshan.15", "第十五条"),
            ("jinshan.17", "第十七条"),
        ],
    ),
    (
        "songjiang",
        &[
            ("songjiang.1", "一、适用范围"),
            ("songjiang.3.1.1", "三（一）1"),
            ("songjiang.3.1.2", "三（一）2"),
            ("songjiang.3.1.3", "三（一）3"),
            ("songjiang.3.1.4", "三（一）4"),
            ("songjiang.3.1.5", "三（一）5"),
            ("songjiang.3.2.6", "三（二）6"),
            ("songjiang.3.2.7", "三（二）7"),
            ("songjiang.3.2.8", "三（二）8"),
            ("songjiang.3.2.9", "三（二）9"),
            ("songjiang.3.2.10", "三（二）10"),
            ("songjiang.3.3.10", "第二个"),
            ("songjiang.3.3.11", "三（三）11"),
            ("songjiang.3.3.12", "三（三）12"),
            ("songjiang.3.3.13", "三（三）13"),
            ("songjiang.3.3.14", "三（三）14"),
            ("songjiang.3.3.15", "三（三）15"),
            ("songjiang.5", "五、附则"),
        ],
    ),
    (
        "jiading",
        &[
            ("jiading.1", "一、支持对象"),
            ("jiading.2.1", "二（一）1"),
            ("jiading.2.2", "二（一）2"),
            ("jiading.2.3", "二（一）3"),
            ("jiading.2.4", "二（一）4"),
            ("jiading.2.5", "二（二）5"),
            ("jiading.2.6", "二（二）6"),
            ("jiading.2.7", "二（二）7"),
            ("jiading.2.8", "二（三）8"),
            ("jiading.2.9", "二（三）9"),
            ("jiading.2.10", "二（三）10"),
            ("jiading.3.11", "附则 11"),
            ("jiading.3.12", "附则 12"),
            ("jiading.13", "附则 13"),
            ("jiading.14", "附则 14"),
            ("jiading.15", "附则 15"),
        ],
    ),
    (
        "putuo",
        &[
            ("putuo.1", "一、扶持对象"),
            ("putuo.3.1", "三（一）"),
            ("putuo.3.2", "三（二）"),
            ("putuo.3.3", "三（三）"),
            ("putuo.3.4", "三（四）"),
            ("putuo.3.5", "三（五）"),
            ("putuo.3.6", "三（六）"),
            ("putuo.3.7", "三（七）"),
            ("putuo.3.8", "三（八）"),
            ("putuo.3.9", "三（九）"),
            ("putuo.3.10", "三（十）"),
            ("putuo.3.11", "三（十一）"),
            ("putuo.4.1", "四、使用管理（一）"),
            ("putuo.5.2", "五、附则（二）"),
            ("putuo.5.3", "五、附则（三）"),
        ],
    ),
];

#[test]
fn each_policy_covers_its_articles() {
    let set = real_set();
    let mut missing = Vec::new();
    for (district, required) in REQUIRED {
        let pol = district_doc(&set, district);
        let entries: Vec<(&str, &str)> = pol
            .clauses
            .iter()
            .map(|c| (c.id.as_str(), c.article.as_str()))
            .chain(
                pol.rules
                    .iter()
                    .map(|r| (r.id.as_str(), r.article.as_str())),
            )
            .collect();
        for (id, article) in *required {
            let hits: Vec<_> = entries
                .iter()
                .filter(|(e, _)| e == id || e.starts_with(&format!("{id}.")))
                .collect();
            if hits.is_empty() {
                missing.push(format!("{}: no entry `{id}`", pol.file));
            }
            for (e, a) in hits {
                if !a.contains(article) {
                    missing.push(format!(
                        "{}: `{e}` has article `{a}`, expected it to mention `{article}`",
                        pol.file
                    ));
                }
            }
        }
    }
    // Jiading 三、附则 16 (the effective period) is the policy window, not a rule.
    let jd = district_doc(&set, "jiading");
    assert!(
        jd.meta.window_article.contains("16"),
        "jiading window article"
    );
    let sj = district_doc(&set, "songjiang");
    assert!(
        sj.meta.window_article.contains("五"),
        "songjiang window article"
    );
    // 三（三）11 is split into node and adoption. (松江 三（二）7 is one clause: its three
    // honours are tiers, the highest counted, as 三（一）3 — issue 9.)
    for (id, n) in [
        ("songjiang.3.2.7.", 0),
        ("songjiang.3.3.11.", 2),
        ("putuo.3.4.", 3),
    ] {
        let pol = district_doc(&set, id.split('.').next().unwrap());
        let count = pol.clauses.iter().filter(|c| c.id.starts_with(id)).count();
        if count != n {
            missing.push(format!("{id}*: {count} clauses, expected {n}"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn bundled_data_equals_the_toml_files() {
    // The build bundles the same files the tests read (no stale copy).
    let a = real_set();
    let b = PolicySet::embedded().unwrap();
    let ids = |s: &PolicySet| -> Vec<String> {
        s.policies
            .iter()
            .flat_map(|p| p.clauses.iter().map(|c| format!("{}:{}", c.id, c.quote)))
            .collect()
    };
    assert_eq!(ids(&a), ids(&b));
}
