//! Amendments: a document with `amends = "<id>"` is compiled merged with the document it
//! amends. Its rules and clauses replace the base's of the same id (in the base's place), new ones
//! follow, `repeals` drops base entries; what it inherits keeps citing the base document.

use crate::error::LoadError;
use serde_json::{Map, Value};

fn meta_str<'a>(doc: &'a Value, key: &str) -> Option<&'a str> {
    doc.get("policy")?.get(key)?.as_str()
}

/// Orders documents so that each amendment follows the document it amends, and replaces each
/// amendment by its merge with that (already merged) base. Problems go to `errs`; the documents
/// involved are left out.
pub(crate) fn merge_amendments(
    docs: Vec<(String, Value)>,
    errs: &mut Vec<LoadError>,
) -> Vec<(String, Value)> {
    let mut done: Vec<(String, Value)> = Vec::with_capacity(docs.len());
    let mut pending: Vec<(String, Value)> = Vec::new();
    for (file, doc) in docs {
        if meta_str(&doc, "amends").is_some() {
            pending.push((file, doc));
        } else {
            done.push((file, doc));
        }
    }
    // Each pass places the amendments whose base is placed; a pass that places none ends it.
    while !pending.is_empty() {
        let before = pending.len();
        let mut rest = Vec::new();
        for (file, doc) in pending {
            let target = meta_str(&doc, "amends").unwrap_or_default().to_string();
            match done
                .iter()
                .find(|(_, d)| meta_str(d, "id") == Some(target.as_str()))
            {
                Some((_, base)) => match merge(base, &doc) {
                    Ok(merged) => done.push((file, merged)),
                    Err((path, message)) => errs.push(LoadError {
                        file,
                        path,
                        message,
                    }),
                },
                None => rest.push((file, doc)),
            }
        }
        if rest.len() == before {
            for (file, doc) in rest {
                let target = meta_str(&doc, "amends").unwrap_or_default();
                errs.push(LoadError {
                    message: format!("unknown document `{target}` (or a cycle of amendments)"),
                    file,
                    path: "policy.amends".into(),
                });
            }
            break;
        }
        pending = rest;
    }
    done
}

/// Where an inherited entry comes from: the base's own origin, or the base document itself.
fn origin_of(base: &Value) -> Value {
    let p = &base["policy"];
    serde_json::json!({
        "id": p["id"],
        "doc_no": p.get("doc_no").cloned().unwrap_or(Value::Null),
        "title": p["title"],
        "source_file": p["source_file"],
    })
}

/// Merges one list (`rules` or `clauses`) of the base with the amendment's.
fn merge_list(
    base: &Value,
    amend: &Value,
    key: &str,
    repeals: &[String],
    origin: &Value,
) -> Result<Vec<Value>, (String, String)> {
    let empty = Vec::new();
    let base_list = base.get(key).and_then(Value::as_array).unwrap_or(&empty);
    let own = amend.get(key).and_then(Value::as_array).unwrap_or(&empty);
    let id = |v: &Value| v.get("id").and_then(Value::as_str).map(str::to_string);
    let mut out = Vec::with_capacity(base_list.len() + own.len());
    for entry in base_list {
        let eid = id(entry);
        if eid.as_ref().is_some_and(|e| repeals.contains(e)) {
            continue;
        }
        match own.iter().find(|o| id(o).is_some() && id(o) == eid) {
            Some(replacement) => out.push(replacement.clone()),
            None => {
                let mut inherited = entry.clone();
                if let Some(obj) = inherited.as_object_mut()
                    && !obj.contains_key("inherited_from")
                {
                    obj.insert("inherited_from".into(), origin.clone());
                }
                out.push(inherited);
            }
        }
    }
    for (i, o) in own.iter().enumerate() {
        if o.get("inherited_from").is_some() {
            return Err((
                format!("{key}[{i}].inherited_from"),
                "set by the loader, not written in a file".into(),
            ));
        }
        let oid = id(o);
        if !base_list.iter().any(|b| id(b).is_some() && id(b) == oid) {
            out.push(o.clone());
        }
    }
    Ok(out)
}

/// The amendment merged with its base.
fn merge(base: &Value, amend: &Value) -> Result<Value, (String, String)> {
    let repeals: Vec<String> = amend["policy"]
        .get("repeals")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let ids = |key: &str| -> Vec<String> {
        base.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.get("id")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let known: Vec<String> = ids("rules").into_iter().chain(ids("clauses")).collect();
    for (i, r) in repeals.iter().enumerate() {
        if !known.contains(r) {
            return Err((
                format!("policy.repeals[{i}]"),
                format!("`{r}` is not a clause or rule of the amended document"),
            ));
        }
    }
    let origin = origin_of(base);
    let mut out = Map::new();
    out.insert("policy".into(), amend["policy"].clone());
    out.insert(
        "rules".into(),
        Value::Array(merge_list(base, amend, "rules", &repeals, &origin)?),
    );
    out.insert(
        "clauses".into(),
        Value::Array(merge_list(base, amend, "clauses", &repeals, &origin)?),
    );
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amendment_replaces_adds_repeals_and_inherits() {
        let base = json!({
            "policy": {"id": "x-1", "title": {"zh": "基", "en": "Base"}, "source_file": "b.txt"},
            "rules": [{"id": "x.1"}],
            "clauses": [{"id": "x.a", "v": 1}, {"id": "x.b", "v": 1}, {"id": "x.c", "v": 1}]
        });
        let amend = json!({
            "policy": {"id": "x-2", "amends": "x-1", "repeals": ["x.c"]},
            "clauses": [{"id": "x.b", "v": 2}, {"id": "x.d", "v": 2}]
        });
        let mut errs = Vec::new();
        let out = merge_amendments(
            vec![("a.toml".into(), amend), ("b.toml".into(), base)],
            &mut errs,
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(out[1].0, "a.toml");
        let clauses = out[1].1["clauses"].as_array().unwrap();
        let ids: Vec<_> = clauses.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["x.a", "x.b", "x.d"]);
        assert_eq!(clauses[0]["inherited_from"]["id"], "x-1");
        assert_eq!(clauses[0]["inherited_from"]["source_file"], "b.txt");
        assert_eq!(clauses[1]["v"], 2);
        assert!(clauses[1].get("inherited_from").is_none());
        assert_eq!(out[1].1["rules"][0]["inherited_from"]["id"], "x-1");
    }

    #[test]
    fn unknown_base_and_bad_repeal_are_errors() {
        let mut errs = Vec::new();
        let orphan = json!({"policy": {"id": "y-2", "amends": "y-1"}});
        assert!(merge_amendments(vec![("o.toml".into(), orphan)], &mut errs).is_empty());
        assert_eq!(errs[0].path, "policy.amends");
        let base = json!({"policy": {"id": "z-1", "title": {}, "source_file": "z"}, "clauses": []});
        let bad = json!({"policy": {"id": "z-2", "amends": "z-1", "repeals": ["z.9"]}});
        let mut errs = Vec::new();
        merge_amendments(vec![("z1".into(), base), ("z2".into(), bad)], &mut errs);
        assert_eq!(errs[0].path, "policy.repeals[0]");
    }
}
