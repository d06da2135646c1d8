//! What the page keeps in this browser (localStorage; an embedded widget keeps nothing): the
//! inputs being edited with the page's preferences (`butie:v1`), and the client profiles
//! (`butie:clients:v1`).
//!
//! Reading is lenient, field by field: one unreadable value (a language "fr", a list that is
//! not a list) is reported and skipped, every other value is kept. What could not be read is
//! copied to a backup key first, and nothing is written until the user changes something, so
//! stored data is never lost before the user has something to replace it. Values of facts the
//! policy set in use does not have (a policy pack's) are kept and stored again, not reported.
//! Failures to write are logged and never stop the app.

use std::rc::Rc;

use butie::Lang;
use butie::catalogue::Catalogue;
use gloo::storage::{LocalStorage, Storage};
use serde_json::{Map, Value as Json, json};

use crate::draft::{Draft, MoneyUnit, Pairs, StoredDraft};
use crate::state::{Clients, Inputs};

/// The key of the inputs being edited and the preferences.
pub const KEY: &str = "butie:v1";
/// The key of the client profiles.
pub const CLIENTS_KEY: &str = "butie:clients:v1";
/// Where stored text that could not be read in full is copied before anything replaces it.
pub const BACKUP_SUFFIX: &str = ":unreadable";

/// The inputs being edited and the preferences.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub lang: Option<Lang>,
    pub full_yuan: bool,
    pub inputs: Inputs,
}

/// A named client profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub name: String,
    pub inputs: Inputs,
}

/// What was read, and what could not be.
#[derive(Debug, Default)]
pub struct Loaded {
    pub stored: Option<Stored>,
    pub clients: Clients,
    /// Each value that could not be read: `where = value`.
    pub problems: Vec<String>,
}

/// Whether localStorage can be used (gloo throws when it cannot: sandboxed frames,
/// some private modes), checked first so the app never aborts on it.
fn available() -> bool {
    web_sys::window().is_some_and(|w| matches!(w.local_storage(), Ok(Some(_))))
}

fn read(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// Reads everything kept; `today` fills a missing as-of date.
pub fn load(cat: &Catalogue, today: &str) -> Loaded {
    let mut out = Loaded::default();
    if !available() {
        return out;
    }
    for key in [KEY, CLIENTS_KEY] {
        let Some(text) = read(key) else { continue };
        let before = out.problems.len();
        match serde_json::from_str::<Json>(&text) {
            Ok(json) if key == KEY => {
                out.stored = Some(stored_from_json(cat, &json, today, &mut out.problems));
            }
            Ok(json) => out.clients = clients_from_json(cat, &json, today, &mut out.problems),
            Err(e) => out.problems.push(format!("{key}: {e}")),
        }
        // Keep the text as it was, before any write can replace it.
        if out.problems.len() > before {
            let backup = format!("{key}{BACKUP_SUFFIX}");
            if read(&backup).is_none()
                && let Err(e) = LocalStorage::raw().set_item(&backup, &text)
            {
                gloo::console::warn!(format!(
                    "butie: could not back up {key}: {}",
                    crate::export::js_error(&e)
                ));
            }
        }
    }
    out
}

/// Stores the inputs (or deletes them when there is nothing to keep) and the client profiles.
pub fn save(cat: &Catalogue, stored: Option<&Stored>, clients: &Clients) {
    if !available() {
        return;
    }
    let write = |key: &str, json: Option<Json>| {
        let result = match json {
            Some(json) => LocalStorage::raw().set_item(key, &json.to_string()),
            None => LocalStorage::raw().remove_item(key),
        };
        if let Err(e) = result {
            gloo::console::warn!(format!(
                "butie: could not save {key}: {}",
                crate::export::js_error(&e)
            ));
        }
    };
    write(KEY, stored.map(|s| stored_to_json(cat, s)));
    write(
        CLIENTS_KEY,
        (!clients.list.is_empty()).then(|| clients_to_json(cat, clients)),
    );
}

// ------------------------------------------------------------------ JSON, field by field

fn inputs_to_json(cat: &Catalogue, i: &Inputs, today: &str, out: &mut Map<String, Json>) {
    out.insert("compare_all".into(), i.compare_all.into());
    let as_of = (i.as_of != today).then(|| i.as_of.clone());
    out.insert("as_of".into(), as_of.into());
    let period = i.application_period.trim();
    out.insert(
        "application_period".into(),
        (!period.is_empty()).then(|| period.to_string()).into(),
    );
    let d = i.draft.to_stored(cat);
    let pairs = |p: &Pairs| Json::Array(p.iter().map(|(k, v)| json!([k, v])).collect());
    out.insert(
        "draft".into(),
        json!({
            "name": d.name,
            "unit": match d.unit { MoneyUnit::Wan => "wan", MoneyUnit::Yuan => "yuan" },
            "facts": pairs(&d.facts),
            "lists": d.lists.iter().map(|(id, items)| json!([id, items.iter().map(pairs).collect::<Vec<_>>()])).collect::<Vec<_>>(),
            "none": d.none,
        }),
    );
}

fn stored_to_json(cat: &Catalogue, s: &Stored) -> Json {
    let mut m = Map::new();
    m.insert(
        "lang".into(),
        s.lang.map(|l| crate::i18n::lang_id(l).to_string()).into(),
    );
    m.insert("full_yuan".into(), s.full_yuan.into());
    inputs_to_json(cat, &s.inputs, &crate::dates::today_shanghai(), &mut m);
    Json::Object(m)
}

fn clients_to_json(cat: &Catalogue, c: &Clients) -> Json {
    let today = crate::dates::today_shanghai();
    let list: Vec<Json> = c
        .list
        .iter()
        .map(|client| {
            let mut m = Map::new();
            m.insert("name".into(), client.name.clone().into());
            inputs_to_json(cat, &client.inputs, &today, &mut m);
            Json::Object(m)
        })
        .collect();
    json!({ "active": c.active, "clients": list })
}

/// `(id, raw)` pairs, skipping (and reporting) entries that are not two strings.
fn pairs_from(json: &Json, at: &str, problems: &mut Vec<String>) -> Pairs {
    let Some(list) = json.as_array() else {
        if !json.is_null() {
            problems.push(format!("{at} = {json}"));
        }
        return Vec::new();
    };
    list.iter()
        .filter_map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([Json::String(k), Json::String(v)]) => Some((k.clone(), v.clone())),
            _ => {
                problems.push(format!("{at} = {pair}"));
                None
            }
        })
        .collect()
}

fn draft_from(cat: &Catalogue, json: &Json, at: &str, problems: &mut Vec<String>) -> Draft {
    let mut stored = StoredDraft::default();
    if let Some(name) = json.get("name") {
        match name.as_str() {
            Some(n) => stored.name = n.to_string(),
            None => problems.push(format!("{at}.name = {name}")),
        }
    }
    match json.get("unit").and_then(Json::as_str) {
        Some("yuan") => stored.unit = MoneyUnit::Yuan,
        Some("wan") | None => {}
        Some(other) => problems.push(format!("{at}.unit = \"{other}\"")),
    }
    stored.facts = pairs_from(
        json.get("facts").unwrap_or(&Json::Null),
        &format!("{at}.facts"),
        problems,
    );
    // Ids the catalogue does not have (a policy pack's, not loaded yet or any more) are no
    // problem: the draft keeps their values and stores them again.
    if let Some(lists) = json.get("lists").and_then(Json::as_array) {
        for entry in lists {
            let (Some(id), Some(items)) = (
                entry.get(0).and_then(Json::as_str),
                entry.get(1).and_then(Json::as_array),
            ) else {
                problems.push(format!("{at}.lists = {entry}"));
                continue;
            };
            let items = items
                .iter()
                .enumerate()
                .map(|(n, item)| pairs_from(item, &format!("{at}.lists.{id}[{n}]"), problems))
                .collect();
            stored.lists.push((id.to_string(), items));
        }
    }
    // Lists answered "none" (absent in inputs stored before: their lists stay not answered).
    if let Some(none) = json.get("none").filter(|v| !v.is_null()) {
        match none.as_array() {
            Some(ids) => {
                for id in ids {
                    match id.as_str() {
                        Some(id) => stored.none.push(id.to_string()),
                        None => problems.push(format!("{at}.none = {id}")),
                    }
                }
            }
            None => problems.push(format!("{at}.none = {none}")),
        }
    }
    Draft::from_stored(cat, &stored)
}

fn inputs_from(
    cat: &Catalogue,
    json: &Json,
    today: &str,
    at: &str,
    problems: &mut Vec<String>,
) -> Inputs {
    let mut inputs = Inputs::blank(today);
    let mut field = |key: &str, ok: &mut dyn FnMut(&Json) -> bool| {
        if let Some(v) = json.get(key).filter(|v| !v.is_null())
            && !ok(v)
        {
            problems.push(format!("{at}{key} = {v}"));
        }
    };
    field("compare_all", &mut |v| {
        v.as_bool().map(|b| inputs.compare_all = b).is_some()
    });
    field("as_of", &mut |v| {
        v.as_str()
            .filter(|d| butie::date::parse_date(d).is_some())
            .map(|d| inputs.as_of = d.to_string())
            .is_some()
    });
    field("application_period", &mut |v| {
        v.as_str()
            .map(|p| inputs.application_period = p.to_string())
            .is_some()
    });
    if let Some(d) = json.get("draft") {
        inputs.draft = Rc::new(draft_from(cat, d, &format!("{at}draft"), problems));
    }
    inputs
}

fn stored_from_json(
    cat: &Catalogue,
    json: &Json,
    today: &str,
    problems: &mut Vec<String>,
) -> Stored {
    if !json.is_object() {
        problems.push(format!("{KEY} = {json}"));
    }
    let lang = match json.get("lang") {
        None | Some(Json::Null) => None,
        Some(v) => {
            let lang = v.as_str().and_then(crate::i18n::lang_of);
            if lang.is_none() {
                problems.push(format!("lang = {v}"));
            }
            lang
        }
    };
    let full_yuan = match json.get("full_yuan") {
        None | Some(Json::Null) => false,
        Some(v) => v.as_bool().unwrap_or_else(|| {
            problems.push(format!("full_yuan = {v}"));
            false
        }),
    };
    Stored {
        lang,
        full_yuan,
        inputs: inputs_from(cat, json, today, "", problems),
    }
}

fn clients_from_json(
    cat: &Catalogue,
    json: &Json,
    today: &str,
    problems: &mut Vec<String>,
) -> Clients {
    let mut out = Clients::default();
    let Some(list) = json.get("clients").and_then(Json::as_array) else {
        problems.push(format!("{CLIENTS_KEY} = {json}"));
        return out;
    };
    for (n, c) in list.iter().enumerate() {
        let name = match c.get("name").and_then(Json::as_str) {
            Some(name) if !name.trim().is_empty() => name.to_string(),
            _ => {
                problems.push(format!(
                    "clients[{n}].name = {}",
                    c.get("name").unwrap_or(&Json::Null)
                ));
                format!("{} {}", crate::i18n::UNNAMED_CLIENT.0, n + 1)
            }
        };
        let inputs = inputs_from(cat, c, today, &format!("clients[{n}]."), problems);
        out.list.push(Client { name, inputs });
    }
    out.active = json
        .get("active")
        .and_then(Json::as_u64)
        .map(|i| i as usize)
        .filter(|i| *i < out.list.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> &'static Catalogue {
        &crate::data::policy_set().unwrap().catalogue
    }

    #[test]
    fn one_bad_value_loses_only_itself() {
        let json = serde_json::json!({
            "lang": "fr",
            "full_yuan": true,
            "as_of": "2026-13-40",
            "draft": {
                "name": "甲公司",
                "facts": [["registered_district", "putuo"], ["cmmi_level", 3], ["gone_fact", "x"], ["cmmi_issued_on", "2025-05-10"]],
                "lists": [["projects", [[["kind", "rd_project"], ["actual_investment", "200"]]]], ["nope", []]]
            }
        });
        let mut problems = Vec::new();
        let s = stored_from_json(cat(), &json, "2026-10-15", &mut problems);
        assert_eq!(s.lang, None);
        assert!(s.full_yuan);
        assert_eq!(
            s.inputs.as_of, "2026-10-15",
            "the unreadable date is not used"
        );
        let d = &s.inputs.draft;
        assert_eq!(d.name, "甲公司");
        let raw = |id| d.facts[cat().fact_id(id).unwrap() as usize].as_str();
        assert_eq!(raw("registered_district"), "putuo");
        assert_eq!(raw("cmmi_issued_on"), "2025-05-10");
        assert_eq!(raw("cmmi_level"), "", "the number is not a stored text");
        let projects = cat().list_id("projects").unwrap() as usize;
        assert_eq!(d.lists[projects].len(), 1);
        assert_eq!(
            problems,
            [
                "lang = \"fr\"",
                "as_of = \"2026-13-40\"",
                "draft.facts = [\"cmmi_level\",3]",
            ]
        );
        // A pack's fact and list (the pack not loaded): kept and stored again, not reported.
        assert_eq!(d.kept.facts, [("gone_fact".to_string(), "x".to_string())]);
        assert_eq!(d.kept.lists, [("nope".to_string(), Vec::new())]);
        let again = d.to_stored(cat());
        assert!(again.facts.contains(&("gone_fact".into(), "x".into())));
    }

    #[test]
    fn inputs_and_clients_round_trip() {
        let today = "2026-10-15";
        let mut inputs = Inputs::blank(today);
        let draft = Rc::make_mut(&mut inputs.draft);
        draft.name = "甲".into();
        draft.facts[cat().fact_id("cmmi_level").unwrap() as usize] = "3".into();
        draft.add_item(cat(), cat().list_id("projects").unwrap());
        inputs.as_of = "2026-11-21".into();
        inputs.compare_all = true;
        let clients = Clients {
            list: vec![Client {
                name: "甲".into(),
                inputs: inputs.clone(),
            }],
            active: Some(0),
        };
        let mut problems = Vec::new();
        let back = clients_from_json(
            cat(),
            &clients_to_json(cat(), &clients),
            today,
            &mut problems,
        );
        assert!(problems.is_empty(), "{problems:?}");
        // An empty item has no stored fields; it comes back empty.
        assert_eq!(back, clients);
    }

    #[test]
    fn a_list_answered_none_is_kept_and_older_inputs_load_unanswered() {
        let today = "2026-10-15";
        let projects = cat().list_id("projects").unwrap();
        let mut inputs = Inputs::blank(today);
        Rc::make_mut(&mut inputs.draft).set_none(projects, true);
        let stored = Stored {
            lang: None,
            full_yuan: false,
            inputs,
        };
        let mut problems = Vec::new();
        let back = stored_from_json(cat(), &stored_to_json(cat(), &stored), today, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(back.inputs.draft.is_none(projects), "answered none, kept");
        // Inputs stored before lists could be answered "none" (no `none` key; a list stored
        // with no items): the list is not answered, never "none"; every other field is kept.
        let old = serde_json::json!({
            "draft": {
                "facts": [["registered_district", "putuo"]],
                "lists": [["projects", []]]
            }
        });
        let back = stored_from_json(cat(), &old, today, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let d = &back.inputs.draft;
        assert!(!d.is_none(projects) && d.lists[usize::from(projects)].is_empty());
        assert_eq!(
            d.facts[cat().fact_id("registered_district").unwrap() as usize],
            "putuo"
        );
        // A `none` entry that is not a list id string is reported, the rest kept.
        let bad = serde_json::json!({ "draft": { "none": ["projects", 3] } });
        let back = stored_from_json(cat(), &bad, today, &mut problems);
        assert!(back.inputs.draft.is_none(projects));
        assert_eq!(problems, ["draft.none = 3"]);
    }
}
