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
pub fn from_str_strict(text: &str) -> Result<Json, JsonError> {
    let state = State::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Seed(&state)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    match (parsed, state.duplicate.into_inner()) {
        (_, Some(path)) => Err(JsonError::DuplicateKey { path }),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(JsonError::Syntax(e)),
    }
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

#[derive(Clone, Copy)]
struct Seed<'s>(&'s State);

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
            let next = self
                .0
                .nested(Step::Index(out.len()), || seq.next_element_seed(self))?;
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
                *self.0.duplicate.borrow_mut() = Some(self.0.path_of(&key));
                return Err(de::Error::custom("duplicate key"));
            }
            let value = self
                .0
                .nested(Step::Key(key.clone()), || map.next_value_seed(self))?;
            out.insert(key, value);
        }
        Ok(Json::Object(out))
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
}
