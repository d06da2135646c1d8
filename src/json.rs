//! JSON text read strictly: a key repeated within one object is an error that names its path.
//!
//! `serde_json` keeps the last of two equal keys without a word, so a profile with a second
//! `"enterprise"` object would silently lose the facts of the first. Every profile read from
//! text (the CLI, client lists, the page's import and share links, the JS API) goes through
//! [`from_str_strict`]. Nesting is limited by `serde_json` (128 levels).

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value as Json};
use std::cell::RefCell;
use std::fmt;

/// Why a JSON text was rejected.
#[derive(Debug)]
pub enum JsonError {
    /// Not JSON: the parser's error (with line and column).
    Syntax(serde_json::Error),
    /// The key at `path` (`enterprise`, `projects[0].kind`) appears twice in its object.
    DuplicateKey { path: String },
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Syntax(e) => write!(f, "{e}"),
            JsonError::DuplicateKey { path } => write!(f, "{path}: duplicate key"),
        }
    }
}

impl std::error::Error for JsonError {}

/// Parses JSON text like `serde_json::from_str`, but rejects a key repeated within an object.
///
/// The text is read once without tracking where each value is (a batch reads millions of
/// lines); only when a key repeats is it read again to name the path.
pub fn from_str_strict(text: &str) -> Result<Json, JsonError> {
    let state = State::default();
    match parse(
        text,
        Seed {
            state: &state,
            paths: false,
        },
    ) {
        Ok(v) => Ok(v),
        Err(e) if state.duplicate.borrow().is_none() => Err(JsonError::Syntax(e)),
        Err(_) => {
            let state = State::default();
            let _ = parse(
                text,
                Seed {
                    state: &state,
                    paths: true,
                },
            );
            let path = state.duplicate.into_inner().unwrap_or_default();
            Err(JsonError::DuplicateKey { path })
        }
    }
}

fn parse(text: &str, seed: Seed) -> Result<Json, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = seed.deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// One step of the path to the current value.
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Default)]
struct State {
    path: RefCell<Vec<Step>>,
    duplicate: RefCell<Option<String>>,
}

impl State {
    /// The path of `key` in the current object, as in profile errors (`projects[0].kind`).
    fn path_of(&self, key: &str) -> String {
        let mut s = String::new();
        for step in self.path.borrow().iter() {
            match step {
                Step::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Step::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        if !s.is_empty() {
            s.push('.');
        }
        s.push_str(key);
        s
    }

    /// Deserializes the next value with `step` on the path.
    fn nested<T>(&self, step: Step, f: impl FnOnce() -> T) -> T {
        self.path.borrow_mut().push(step);
        let out = f();
        self.path.borrow_mut().pop();
        out
    }
}

/// Reads one value; with `paths`, keeps the path to it (to name a repeated key).
#[derive(Clone, Copy)]
struct Seed<'s> {
    state: &'s State,
    paths: bool,
}

impl Seed<'_> {
    /// Runs `f` with `step` on the path (when paths are kept).
    fn nested<T>(&self, step: impl FnOnce() -> Step, f: impl FnOnce() -> T) -> T {
        if self.paths {
            self.state.nested(step(), f)
        } else {
            f()
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut out = Vec::new();
        loop {
            let n = out.len();
            let next = self.nested(|| Step::Index(n), || seq.next_element_seed(self))?;
            match next {
                Some(v) => out.push(v),
                None => return Ok(Json::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                *self.state.duplicate.borrow_mut() = Some(self.state.path_of(&key));
                return Err(de::Error::custom("duplicate key"));
            }
            let value = self.nested(|| Step::Key(key.clone()), || map.next_value_seed(self))?;
            out.insert(key, value);
        }
        Ok(Json::Object(out))
    }
}

/// A profile read from JSON text in one pass, straight into its typed form (no intermediate
/// `serde_json::Value` tree): the batch's JSONL path, where a million lines are read.
///
/// It only ever accepts: anything unusual — a field error, a repeated key, a value of the
/// wrong shape — gives `None`, and the caller reads the text again the canonical way
/// ([`from_str_strict`] and [`crate::Profile::from_json`]), which names every problem. So the
/// two agree on every profile they accept (a property test keeps them so). With `with_id`,
/// a top-level `"id"` (string or integer, a batch's own reference) is allowed and returned.
pub fn profile_one_pass(
    cat: &crate::catalogue::Catalogue,
    text: &str,
    with_id: bool,
) -> Option<(crate::Profile, Option<String>)> {
    profile_one_pass_in(cat, text, with_id, &mut KeyOrder::default())
}

/// The order facts came in on earlier lines: the fact that followed each fact (or opened each
/// group), tried before the catalogue's index. Lines of one list repeat their key order, so
/// most keys are found by one comparison instead of a hash lookup. Only a guess: a stale or
/// foreign one costs lookups, never a wrong answer. One per thread.
#[derive(Debug, Clone, Default)]
pub struct KeyOrder {
    /// Per fact, then per group (the group's first fact): the fact that came next last time.
    next: Vec<Option<crate::catalogue::FactId>>,
}

impl KeyOrder {
    /// The fact named `key` in `group`, after `prev` (a fact of that group, or `None` at its
    /// start); remembered for the next line.
    fn fact(
        &mut self,
        cat: &crate::catalogue::Catalogue,
        group: usize,
        prev: Option<crate::catalogue::FactId>,
        key: &str,
    ) -> Option<crate::catalogue::FactId> {
        let group_id = &cat.groups[group].id;
        let slot = prev.map_or(cat.facts.len() + group, usize::from);
        if let Some(Some(f)) = self.next.get(slot)
            && cat
                .facts
                .get(usize::from(*f))
                .is_some_and(|d| d.id == key && d.group == *group_id)
        {
            return Some(*f);
        }
        let id = cat.fact_id(key)?;
        if cat.facts[usize::from(id)].group != *group_id {
            return None;
        }
        let slots = cat.facts.len() + cat.groups.len();
        if self.next.len() != slots {
            // First use (or another catalogue's).
            self.next = vec![None; slots];
        }
        self.next[slot] = Some(id);
        Some(id)
    }
}

/// [`profile_one_pass`], guessing keys from the order of earlier lines ([`KeyOrder`]).
pub fn profile_one_pass_in(
    cat: &crate::catalogue::Catalogue,
    text: &str,
    with_id: bool,
    order: &mut KeyOrder,
) -> Option<(crate::Profile, Option<String>)> {
    let mut out = OnePass {
        order,
        cat,
        profile: crate::Profile::empty(cat),
        id: None,
        with_id,
        seen_groups: vec![false; cat.groups.len()],
        seen_lists: vec![false; cat.lists.len()],
        seen_facts: vec![false; cat.facts.len()],
        seen_top: [false; 3],
    };
    let mut de = serde_json::Deserializer::from_str(text);
    RootSeed(&mut out).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some((out.profile, out.id))
}

/// What the one-pass reader has read so far.
struct OnePass<'c> {
    order: &'c mut KeyOrder,
    cat: &'c crate::catalogue::Catalogue,
    profile: crate::Profile,
    id: Option<String>,
    with_id: bool,
    seen_groups: Vec<bool>,
    seen_lists: Vec<bool>,
    seen_facts: Vec<bool>,
    /// `schema_version`, `name`, `id`.
    seen_top: [bool; 3],
}

/// Stops the one-pass reader: the caller falls back to the canonical path.
fn bail<E: de::Error>() -> E {
    E::custom("not for the one-pass reader")
}

/// Marks `seen[i]`, failing when it was already (a repeated key).
fn first_time<E: de::Error>(seen: &mut [bool], i: usize) -> Result<(), E> {
    match seen.get_mut(i) {
        Some(s) if !*s => {
            *s = true;
            Ok(())
        }
        _ => Err(bail()),
    }
}

/// An object key, borrowed from the text when it has no escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// A fact's value as the one-pass reader takes it: a string borrowed from the text when it
/// has no escapes (most values: no allocation), anything else as a JSON value.
enum Raw<'de> {
    Str(std::borrow::Cow<'de, str>),
    Other(Json),
}

impl Raw<'_> {
    /// The value for `def`, exactly as [`crate::profile::parse_value_json`] reads it.
    fn parse(
        &self,
        def: &crate::catalogue::FactDef,
    ) -> Result<Option<crate::Value>, crate::profile::ValueError> {
        match self {
            Raw::Str(s) => crate::profile::parse_json_str(def, s),
            Raw::Other(j) => crate::profile::parse_value_json(def, j),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Raw<'de>, E> {
                Ok(Raw::Str(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Raw<'de>, E> {
                Ok(Raw::Str(std::borrow::Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Raw<'de>, E> {
                Ok(Raw::Str(std::borrow::Cow::Owned(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Raw<'de>, E> {
                Ok(Raw::Other(Json::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Raw<'de>, E> {
                Ok(Raw::Other(Json::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Raw<'de>, E> {
                Ok(Raw::Other(Json::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Raw<'de>, E> {
                Ok(Raw::Other(
                    Number::from_f64(v).map_or(Json::Null, Json::Number),
                ))
            }
            fn visit_unit<E>(self) -> Result<Raw<'de>, E> {
                Ok(Raw::Other(Json::Null))
            }
            fn visit_none<E>(self) -> Result<Raw<'de>, E> {
                Ok(Raw::Other(Json::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(e) = seq.next_element::<Json>()? {
                    out.push(e);
                }
                Ok(Raw::Other(Json::Array(out)))
            }
            fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<Raw<'de>, A::Error> {
                // No fact takes an object.
                Err(bail())
            }
        }
        d.deserialize_any(V)
    }
}

struct RootSeed<'a, 'c>(&'a mut OnePass<'c>);

impl<'de> DeserializeSeed<'de> for RootSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RootSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a profile object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let p = self.0;
        let cat = p.cat;
        while let Some(Key(key)) = map.next_key::<Key>()? {
            match key.as_ref() {
                "schema_version" => {
                    first_time(&mut p.seen_top, 0)?;
                    let v: Json = map.next_value()?;
                    let ok = v.as_u64() == Some(crate::profile::PROFILE_SCHEMA_VERSION)
                        || v.as_str() == Some("1");
                    if !ok {
                        return Err(bail());
                    }
                }
                "name" => {
                    first_time(&mut p.seen_top, 1)?;
                    match map.next_value::<Option<String>>()? {
                        None => {}
                        Some(s) if s.chars().count() <= crate::profile::MAX_TEXT_CHARS => {
                            p.profile.name = Some(s);
                        }
                        Some(_) => return Err(bail()),
                    }
                }
                "id" if p.with_id => {
                    first_time(&mut p.seen_top, 2)?;
                    p.id = match map.next_value::<Json>()? {
                        Json::Null => None,
                        Json::String(s) => {
                            let t = s.trim();
                            if t.chars().count() > crate::profile::MAX_TEXT_CHARS {
                                return Err(bail());
                            }
                            (!t.is_empty()).then(|| t.to_string())
                        }
                        Json::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
                        _ => return Err(bail()),
                    };
                }
                k => {
                    if let Some(g) = cat.groups.iter().position(|g| g.id == k) {
                        first_time(&mut p.seen_groups, g)?;
                        map.next_value_seed(GroupSeed { p, group: g })?;
                    } else if let Some(l) = cat.list_id(k) {
                        first_time(&mut p.seen_lists, usize::from(l))?;
                        map.next_value_seed(ListSeed { p, list: l })?;
                    } else {
                        return Err(bail());
                    }
                }
            }
        }
        Ok(())
    }
}

struct GroupSeed<'a, 'c> {
    p: &'a mut OnePass<'c>,
    group: usize,
}

impl<'de> DeserializeSeed<'de> for GroupSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for GroupSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a group of facts")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let p = self.p;
        let cat = p.cat;
        let mut prev = None;
        while let Some(Key(key)) = map.next_key::<Key>()? {
            let id = p.order.fact(cat, self.group, prev, &key).ok_or_else(bail)?;
            prev = Some(id);
            first_time(&mut p.seen_facts, usize::from(id))?;
            let v: Raw = map.next_value()?;
            p.profile.facts[usize::from(id)] =
                v.parse(&cat.facts[usize::from(id)]).map_err(|_| bail())?;
        }
        Ok(())
    }
}

struct ListSeed<'a, 'c> {
    p: &'a mut OnePass<'c>,
    list: crate::catalogue::ListId,
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of items")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let p = self.p;
        let l = usize::from(self.list);
        let max = p.cat.lists[l].max_items as usize;
        // `[]` answers the list "none"; `null` (`visit_unit`) leaves it unanswered.
        let items = p.profile.lists[l].get_or_insert_with(Vec::new);
        loop {
            if items.len() > max {
                return Err(bail());
            }
            let item = seq.next_element_seed(ItemSeed {
                cat: p.cat,
                list: self.list,
            })?;
            match item {
                Some(item) => items.push(item),
                None => break,
            }
        }
        if items.len() > max {
            return Err(bail());
        }
        Ok(())
    }
}

struct ItemSeed<'c> {
    cat: &'c crate::catalogue::Catalogue,
    list: crate::catalogue::ListId,
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = crate::profile::Item;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_> {
    type Value = crate::profile::Item;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an item")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let def = &self.cat.lists[usize::from(self.list)];
        let mut item: crate::profile::Item = vec![None; def.fields.len()];
        let mut seen = vec![false; def.fields.len()];
        while let Some(Key(key)) = map.next_key::<Key>()? {
            let f = self.cat.field_id(self.list, &key).ok_or_else(bail)?;
            first_time(&mut seen, usize::from(f))?;
            let v: Raw = map.next_value()?;
            item[usize::from(f)] = v.parse(&def.fields[usize::from(f)]).map_err(|_| bail())?;
        }
        Ok(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_serde_json_without_duplicates() {
        for text in [
            r#"{"a": 1, "b": [true, null, -2, 1.5, "x"], "c": {"d": {}}}"#,
            "[]",
            "\"s\"",
            "18446744073709551615",
        ] {
            let want: Json = serde_json::from_str(text).expect("json");
            assert_eq!(from_str_strict(text).expect("strict"), want, "{text}");
        }
    }

    #[test]
    fn duplicates_are_named_by_path() {
        let path = |text: &str| match from_str_strict(text) {
            Err(JsonError::DuplicateKey { path }) => path,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            path(r#"{"enterprise": {"a": 1}, "enterprise": {"b": 2}}"#),
            "enterprise"
        );
        assert_eq!(
            path(
                r#"{"enterprise": {"registered_district": "putuo", "registered_district": "jinshan"}}"#
            ),
            "enterprise.registered_district"
        );
        assert_eq!(
            path(r#"{"projects": [{"kind": "a"}, {"kind": "b", "kind": "c"}]}"#),
            "projects[1].kind"
        );
    }

    #[test]
    fn syntax_errors_and_depth() {
        assert!(matches!(
            from_str_strict("{\"a\": }"),
            Err(JsonError::Syntax(_))
        ));
        assert!(matches!(from_str_strict("{} x"), Err(JsonError::Syntax(_))));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(from_str_strict(&deep), Err(JsonError::Syntax(_))));
    }

    /// The slow path: strict JSON, the id taken out, then `Profile::from_json`.
    fn canonical(
        cat: &crate::catalogue::Catalogue,
        text: &str,
    ) -> Option<(crate::Profile, Option<String>)> {
        let mut j = from_str_strict(text).ok()?;
        let id = match j.as_object_mut()?.remove("id") {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) if s.trim().chars().count() <= 200 => {
                Some(s.trim().to_string()).filter(|s| !s.is_empty())
            }
            Some(Json::Number(n)) if n.is_u64() || n.is_i64() => Some(n.to_string()),
            Some(_) => return None,
        };
        crate::Profile::from_json(cat, &j).ok().map(|p| (p, id))
    }

    #[test]
    fn one_pass_reads_the_examples() {
        let set = crate::PolicySet::embedded().expect("embedded");
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples");
        for name in [
            "software-firm-putuo.json",
            "software-jinshan.json",
            "platform-songjiang.json",
            "manufacturer-jiading.json",
        ] {
            let text = std::fs::read_to_string(format!("{dir}/{name}")).expect("example");
            let one = profile_one_pass(&set.catalogue, &text, false);
            assert!(one.is_some(), "{name} takes the fast path");
            assert_eq!(one, canonical(&set.catalogue, &text), "{name}");
        }
    }

    /// Object members the property tests build profiles from.
    fn parts() -> Vec<&'static str> {
        vec![
            r#""schema_version": 1"#,
            r#""schema_version": "2""#,
            r#""name": "甲""#,
            r#""name": null"#,
            r#""name": 3"#,
            r#""id": "C-1""#,
            r#""id": 7"#,
            r#""id": 1.5"#,
            r#""enterprise": {"registered_district": "putuo", "entity_type": "enterprise"}"#,
            r#""enterprise": {"registered_district": "atlantis"}"#,
            r#""enterprise": {"cmmi_level": "3"}"#,
            r#""enterprise": []"#,
            r#""certifications": {"cmmi_level": "3", "cmmi_issued_on": "2023-05-10"}"#,
            r#""certifications": {"cmmi_level": 3}"#,
            r#""certifications": {"cmmi_level": "3", "cmmi_level": "4"}"#,
            r#""operations": {"annual_revenue": "2000000.50"}"#,
            r#""operations": {"annual_revenue": 2000000}"#,
            r#""operations": {"annual_revenue": 1.5}"#,
            r#""projects": [{"kind": "rd_project", "actual_investment": "2000000"}, {}]"#,
            r#""projects": [{"kind": "rd_project", "kind": "rd_project"}]"#,
            r#""projects": null"#,
            r#""projects": {}"#,
            r#""projects": [3]"#,
            r#""game_products": [{"licensed": true, "name": "棋"}]"#,
            r#""foo": 1"#,
            r#""enterprise": {"entity_type": "enterprise", "registered_district": "putuo"}"#,
            r#""enterprise": {"registered_district": "putuo", "cmmi_level": "3"}"#,
            r#""enterprise": {"registered_district": "jinshan", "is_sme": true}"#,
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// Whatever the one-pass reader accepts, the canonical path reads the same way.
        #[test]
        fn one_pass_agrees_with_the_canonical_path(
            parts in proptest::collection::vec(proptest::sample::select(parts()), 0..6)
        ) {
            let set = crate::PolicySet::embedded().expect("embedded");
            let text = format!("{{{}}}", parts.join(", "));
            let one = profile_one_pass(&set.catalogue, &text, true);
            let slow = canonical(&set.catalogue, &text);
            if one.is_some() {
                proptest::prop_assert_eq!(&one, &slow, "{}", text);
            }
            // The fast path gives up only where the canonical path finds a problem.
            if slow.is_some() {
                proptest::prop_assert!(one.is_some(), "fast path refused {}", text);
            }
        }

        /// Lines read one after another with a shared [`KeyOrder`] (keys guessed from the
        /// earlier lines' order) read as each line alone.
        #[test]
        fn key_order_from_earlier_lines_changes_nothing(
            lines in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(parts()), 0..6), 1..6)
        ) {
            let set = crate::PolicySet::embedded().expect("embedded");
            let mut order = KeyOrder::default();
            for parts in lines {
                let text = format!("{{{}}}", parts.join(", "));
                let shared = profile_one_pass_in(&set.catalogue, &text, true, &mut order);
                proptest::prop_assert_eq!(
                    &shared, &profile_one_pass(&set.catalogue, &text, true), "{}", text);
            }
        }
    }
}
