//! JSON Schemas of the contract: the profile schema is generated from the fact catalogue,
//! the result schema from the report types (feature `schema`, via schemars).

use crate::catalogue::{Catalogue, FactDef, FactKind};
use serde_json::{Map, Value as Json, json};

fn fact_schema(f: &FactDef) -> Json {
    let mut s = match f.kind {
        FactKind::Bool => json!({"type": ["boolean", "null"]}),
        FactKind::Integer => json!({
            "type": ["integer", "null"],
            "minimum": f.min.unwrap_or(0),
            "maximum": f.max.unwrap_or(1_000_000_000_000),
        }),
        FactKind::Money => json!({
            "oneOf": [
                {"type": "string", "pattern": "^[0-9]{1,13}(\\.[0-9]{1,2})?$"},
                {"type": "integer", "minimum": 0, "maximum": 1_000_000_000_000u64},
                {"type": "null"}
            ],
            "description": "yuan, as a decimal string with at most two decimals"
        }),
        FactKind::Date => json!({"type": ["string", "null"], "format": "date"}),
        FactKind::Dates => {
            json!({"type": ["array", "null"], "items": {"type": "string", "format": "date"}, "maxItems": crate::profile::MAX_DATES})
        }
        FactKind::Enum => {
            json!({"enum": f.values.iter().map(|v| Json::String(v.id.clone())).chain([Json::Null]).collect::<Vec<_>>()})
        }
        FactKind::Text => {
            json!({"type": ["string", "null"], "maxLength": crate::profile::MAX_TEXT_CHARS})
        }
    };
    if let Some(o) = s.as_object_mut() {
        o.insert(
            "title".into(),
            Json::String(format!("{} / {}", f.label.zh, f.label.en)),
        );
        if let Some(h) = &f.help {
            o.entry("description")
                .or_insert(Json::String(format!("{} / {}", h.zh, h.en)));
        }
    }
    s
}

/// JSON Schema (draft 2020-12) of the profile, generated from the catalogue.
pub fn profile_schema(cat: &Catalogue) -> Json {
    let mut props = Map::new();
    props.insert(
        "schema_version".into(),
        json!({"const": crate::profile::PROFILE_SCHEMA_VERSION}),
    );
    props.insert(
        "name".into(),
        json!({"type": ["string", "null"], "maxLength": crate::profile::MAX_TEXT_CHARS}),
    );
    for g in &cat.groups {
        let mut gp = Map::new();
        for (_, f) in cat.facts_in_group(&g.id) {
            gp.insert(f.id.clone(), fact_schema(f));
        }
        if gp.is_empty() {
            continue;
        }
        props.insert(
            g.id.clone(),
            json!({"type": "object", "title": format!("{} / {}", g.label.zh, g.label.en), "additionalProperties": false, "properties": gp}),
        );
    }
    for l in &cat.lists {
        let mut fp = Map::new();
        for f in &l.fields {
            fp.insert(f.id.clone(), fact_schema(f));
        }
        let required: Vec<_> = l
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.id.clone())
            .collect();
        props.insert(
            l.id.clone(),
            json!({
                "type": ["array", "null"],
                "title": format!("{} / {}", l.label.zh, l.label.en),
                "description": "Absent or null: not answered (clauses that read it need information). [] : answered, there are none.",
                "maxItems": l.max_items,
                "items": {"type": "object", "additionalProperties": false, "properties": fp, "required": required}
            }),
        );
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://butie.example/schema/profile-v1.json",
        "title": "butie enterprise profile (schema_version 1)",
        "type": "object",
        "additionalProperties": false,
        "properties": props
    })
}

/// JSON Schema of the evaluation result, generated from the report types.
#[cfg(feature = "schema")]
pub fn result_schema() -> Json {
    let s = schemars::schema_for!(crate::report::Report<'static>);
    serde_json::to_value(s).unwrap_or(Json::Null)
}
