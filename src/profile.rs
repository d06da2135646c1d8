//! An enterprise profile: typed fact values checked against the catalogue.
//!
//! JSON form (schema_version 1): `{"schema_version": 1, "name": "…", "<group>": {fact: value},
//! "<list>": [{field: value}]}`. Money is a decimal string in yuan (`"2000000.00"`) or an
//! integer; dates are `"YYYY-MM-DD"`; enums are value ids; `null` or absent means unknown. A
//! list is answered or not: absent or `null` = not answered (unknown), `[]` = answered "none".

use crate::catalogue::{Catalogue, FactDef, FactId, FactKind, ListId};
use crate::date::{Date, fmt_date, parse_date};
use crate::money::{MoneyError, parse_yuan, to_fixed2};
use crate::text::Text;
use crate::typed::MoneyUnit;
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};

/// The profile format version this build reads and writes.
pub const PROFILE_SCHEMA_VERSION: u64 = 1;
/// Longest accepted text value (names).
pub const MAX_TEXT_CHARS: usize = 200;
/// Most dates accepted in one date list.
pub const MAX_DATES: usize = 100;
/// Typed values that mean "an empty list" for a date list (an empty field is unknown).
/// The same words answer that an item list (projects) has none, in a client list's `projects`
/// column.
pub const EMPTY_LIST_WORDS: [&str; 7] = ["无", "没有", "none", "None", "NONE", "[]", "-"];

/// A typed fact value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Money(Decimal),
    Date(Date),
    Dates(Vec<Date>),
    /// Index into the enum's values.
    Enum(u16),
    Text(String),
}

/// One list item: field values by field index.
pub type Item = Vec<Option<Value>>;

/// A parsed profile.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profile {
    pub name: Option<String>,
    /// Fact values by fact index; `None` = unknown.
    pub facts: Vec<Option<Value>>,
    /// Items of each list, by list index; `None` = not answered (unknown), `Some(vec![])` =
    /// answered "none".
    pub lists: Vec<Option<Vec<Item>>>,
}

/// Why a single value was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    Money(MoneyError),
    NotInteger,
    OutOfRange {
        min: i64,
        max: i64,
    },
    BadDate,
    NotYesNo,
    UnknownValue {
        allowed: Vec<String>,
    },
    Floating,
    WrongJsonType {
        expected: &'static str,
    },
    TooLong,
    TooMany {
        max: usize,
    },
    UnknownField,
    WrongGroup {
        group: String,
    },
    BadSchemaVersion,
    /// An amount typed by a person (form, client list), read in `unit` unless it names one.
    Amount {
        unit: MoneyUnit,
        error: MoneyError,
    },
    /// One date of a date list (1-based `index`) is not a date.
    BadDateAt {
        index: usize,
        text: String,
    },
    /// A JSON object names the same key twice (the second would silently replace the first).
    DuplicateKey,
    /// A list's own column (client lists) holds something other than "none", or says "none"
    /// while the row fills items of the list.
    ListAnswer,
}

impl ValueError {
    /// The message in both languages.
    pub fn text(&self) -> Text {
        use ValueError::*;
        match self {
            Money(MoneyError::Negative) => Text::new("金额不能为负数", "must not be negative"),
            Money(MoneyError::TooPrecise) => Text::new(
                "金额最多保留两位小数（分）",
                "at most two decimal places (fen)",
            ),
            Money(MoneyError::TooLarge) => Text::new(
                "金额过大（上限 1 万亿元）",
                "too large (limit 1,000,000,000,000 yuan)",
            ),
            Money(_) => Text::new(
                "请输入数字金额（元），如 2000000 或 2000000.50",
                "enter an amount in yuan, e.g. 2000000 or 2000000.50",
            ),
            NotInteger => Text::new("请输入整数", "enter a whole number"),
            OutOfRange { min, max } => Text::new(
                format!("应在 {min} 到 {max} 之间"),
                format!("must be between {min} and {max}"),
            ),
            BadDate => Text::new(
                "日期格式应为 YYYY-MM-DD，且为有效日期",
                "use a real date as YYYY-MM-DD",
            ),
            NotYesNo => Text::new("应为 是/否（true/false）", "must be yes/no (true/false)"),
            UnknownValue { allowed } => Text::new(
                format!("无效选项；可选：{}", allowed.join("、")),
                format!("not a valid option; one of: {}", allowed.join(", ")),
            ),
            Floating => Text::new(
                "金额请写成字符串（如 \"1234.56\"），避免浮点误差",
                "write money as a decimal string (\"1234.56\"), not a floating-point number",
            ),
            WrongJsonType { expected } => Text::new(
                format!("类型错误，应为 {expected}"),
                format!("wrong type, expected {expected}"),
            ),
            TooLong => Text::new(
                format!("文字过长（最多 {MAX_TEXT_CHARS} 字）"),
                format!("too long (at most {MAX_TEXT_CHARS} characters)"),
            ),
            TooMany { max } => Text::new(
                format!("条目过多（最多 {max} 项）"),
                format!("too many entries (at most {max})"),
            ),
            UnknownField => Text::new("未知字段", "unknown field"),
            WrongGroup { group } => Text::new(
                format!("此字段应放在 {group} 下"),
                format!("this field belongs under `{group}`"),
            ),
            BadSchemaVersion => Text::new(
                "不支持的 schema_version（应为 1）",
                "unsupported schema_version (expected 1)",
            ),
            Amount {
                unit: MoneyUnit::Wan,
                error: MoneyError::TooPrecise,
            } => Text::new(
                "万元最多保留六位小数（精确到分）",
                "at most six decimal places in 万元 (exact to the fen)",
            ),
            Amount {
                unit: MoneyUnit::Wan,
                error: MoneyError::NotANumber(_),
            } => Text::new(
                "请输入数字金额（万元），如 200 或 12.5",
                "enter an amount in 万元 (10,000 yuan), e.g. 200 or 12.5",
            ),
            Amount {
                unit: MoneyUnit::Yuan,
                error: MoneyError::NotANumber(_),
            } => Text::new(
                "请输入金额（元），如 2000000、2,000,000.50 或 200万",
                "enter an amount in yuan, e.g. 2000000, 2,000,000.50 or 200万",
            ),
            Amount { error, .. } => Money(error.clone()).text(),
            BadDateAt { index, text } => Text::new(
                format!("第 {index} 个日期“{text}”无效：日期格式应为 YYYY-MM-DD，且为有效日期"),
                format!("date {index} of the list, `{text}`: use a real date as YYYY-MM-DD"),
            ),
            ListAnswer => Text::new(
                format!(
                    "此列只可填“{}”（表示没有）；有条目时留空，条目填在 <列表>.1.<字段> 等列",
                    EMPTY_LIST_WORDS[0]
                ),
                "this column takes only `none` (there are none); leave it empty when the row has \
                 items, which go in the <list>.1.<field> columns"
                    .to_string(),
            ),
            DuplicateKey => Text::new(
                "重复的键：同一对象中出现两次（后者会覆盖前者）",
                "duplicate key: it appears twice in the same object (the second would replace the first)",
            ),
        }
    }
}

/// A rejected value and where it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {}", .error.text().en)]
pub struct FieldError {
    /// `certifications.cmmi_level`, `projects[2].total_investment`.
    pub path: String,
    pub error: ValueError,
}

/// Why a profile text was rejected.
#[derive(Debug)]
pub enum ProfileTextError {
    /// Not JSON (with line and column).
    Syntax(serde_json::Error),
    /// JSON, but fields are wrong or repeated: every one of them.
    Fields(Vec<FieldError>),
}

/// Parses a value in its canonical text form (`2000000.50`, `2024-05-01`, enum ids, `true`).
/// Empty text means unknown. What people type is read by [`crate::typed::parse_typed`].
pub fn parse_value_str(def: &FactDef, raw: &str) -> Result<Option<Value>, ValueError> {
    let s = crate::typed::trim(raw);
    if s.is_empty() {
        return Ok(None);
    }
    let v = match def.kind {
        FactKind::Bool if s == "是" || s == "true" => Value::Bool(true),
        FactKind::Bool if s == "否" || s == "false" => Value::Bool(false),
        FactKind::Bool => {
            let any = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(s));
            if any(&["true", "yes", "y", "1", "是"]) {
                Value::Bool(true)
            } else if any(&["false", "no", "n", "0", "否"]) {
                Value::Bool(false)
            } else {
                return Err(ValueError::NotYesNo);
            }
        }
        FactKind::Integer => {
            let n: i64 = s.parse().map_err(|_| ValueError::NotInteger)?;
            check_range(def, n)?
        }
        FactKind::Money => Value::Money(parse_yuan(s).map_err(ValueError::Money)?),
        FactKind::Date => Value::Date(parse_date(s).ok_or(ValueError::BadDate)?),
        FactKind::Dates if EMPTY_LIST_WORDS.contains(&s) => Value::Dates(Vec::new()),
        FactKind::Dates => {
            let mut out = Vec::new();
            for (i, part) in s
                .split([';', ',', ' ', '；', '，'])
                .filter(|p| !p.is_empty())
                .enumerate()
            {
                out.push(parse_date(part).ok_or_else(|| ValueError::BadDateAt {
                    index: i + 1,
                    text: part.to_string(),
                })?);
            }
            dates(out)?
        }
        FactKind::Enum => match def.values.iter().position(|v| v.id == s) {
            Some(i) => Value::Enum(i as u16),
            None => {
                return Err(ValueError::UnknownValue {
                    allowed: def.values.iter().map(|v| v.id.clone()).collect(),
                });
            }
        },
        FactKind::Text => text(s)?,
    };
    Ok(Some(v))
}

/// Parses a JSON value for a fact. `null` means unknown.
pub fn parse_value_json(def: &FactDef, j: &Json) -> Result<Option<Value>, ValueError> {
    if let Json::String(s) = j {
        return parse_json_str(def, s);
    }
    match (def.kind, j) {
        (_, Json::Null) => Ok(None),
        (FactKind::Bool, Json::Bool(b)) => Ok(Some(Value::Bool(*b))),
        (FactKind::Integer, Json::Number(n)) => match n.as_i64() {
            Some(i) => check_range(def, i).map(Some),
            None => Err(ValueError::NotInteger),
        },
        (FactKind::Money, Json::Number(n)) => match n.as_u64() {
            Some(u) => parse_value_str(def, &u.to_string()),
            None if n.as_i64().is_some() => Err(ValueError::Money(MoneyError::Negative)),
            None => Err(ValueError::Floating),
        },
        (FactKind::Enum, Json::Number(n)) => parse_value_str(def, &n.to_string()),
        (FactKind::Dates, Json::Array(a)) => {
            let mut out = Vec::with_capacity(a.len().min(MAX_DATES));
            for (i, d) in a.iter().enumerate() {
                match d.as_str().and_then(parse_date) {
                    Some(d) => out.push(d),
                    None => {
                        return Err(ValueError::BadDateAt {
                            index: i + 1,
                            text: d.as_str().map_or_else(|| d.to_string(), str::to_string),
                        });
                    }
                }
            }
            dates(out).map(Some)
        }
        (FactKind::Bool, _) => Err(ValueError::NotYesNo),
        (FactKind::Dates, _) => Err(ValueError::WrongJsonType {
            expected: "array of dates",
        }),
        (FactKind::Integer, _) => Err(ValueError::NotInteger),
        (FactKind::Money, _) => Err(ValueError::WrongJsonType {
            expected: "decimal string",
        }),
        (FactKind::Date, _) => Err(ValueError::BadDate),
        (FactKind::Enum, _) | (FactKind::Text, _) => {
            Err(ValueError::WrongJsonType { expected: "string" })
        }
    }
}

/// Parses a JSON string value for a fact (see [`parse_value_json`]); a blank string is unknown
/// unless the fact is text.
pub fn parse_json_str(def: &FactDef, s: &str) -> Result<Option<Value>, ValueError> {
    match def.kind {
        FactKind::Text => text(s).map(Some),
        FactKind::Bool => Err(ValueError::NotYesNo),
        FactKind::Dates => parse_value_str(def, s),
        _ if !crate::typed::trim(s).is_empty() => parse_value_str(def, s),
        _ => Ok(None),
    }
}

pub(crate) fn check_range(def: &FactDef, n: i64) -> Result<Value, ValueError> {
    let (min, max) = (def.min.unwrap_or(0), def.max.unwrap_or(1_000_000_000_000));
    if n < min || n > max {
        return Err(ValueError::OutOfRange { min, max });
    }
    Ok(Value::Int(n))
}

fn dates(mut v: Vec<Date>) -> Result<Value, ValueError> {
    if v.len() > MAX_DATES {
        return Err(ValueError::TooMany { max: MAX_DATES });
    }
    v.sort();
    Ok(Value::Dates(v))
}

fn text(s: &str) -> Result<Value, ValueError> {
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(ValueError::TooLong);
    }
    Ok(Value::Text(s.to_string()))
}

/// A value in its canonical JSON form.
pub fn value_to_json(def: &FactDef, v: &Value) -> Json {
    match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Money(d) => Json::String(to_fixed2(*d)),
        Value::Date(d) => Json::String(fmt_date(*d)),
        Value::Dates(ds) => Json::Array(ds.iter().map(|d| Json::String(fmt_date(*d))).collect()),
        Value::Enum(i) => Json::String(
            def.values
                .get(*i as usize)
                .map(|v| v.id.clone())
                .unwrap_or_default(),
        ),
        Value::Text(s) => Json::String(s.clone()),
    }
}

/// A value as a user would type it (form fields, CSV cells).
pub fn value_to_string(def: &FactDef, v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Money(d) => d.normalize().to_string(),
        Value::Date(d) => fmt_date(*d),
        Value::Dates(ds) if ds.is_empty() => EMPTY_LIST_WORDS[0].to_string(),
        Value::Dates(ds) => ds
            .iter()
            .map(|d| fmt_date(*d))
            .collect::<Vec<_>>()
            .join(";"),
        Value::Enum(i) => def
            .values
            .get(*i as usize)
            .map(|v| v.id.clone())
            .unwrap_or_default(),
        Value::Text(s) => s.clone(),
    }
}

impl Profile {
    /// An empty profile (everything unknown) shaped for `cat`.
    pub fn empty(cat: &Catalogue) -> Profile {
        Profile {
            name: None,
            facts: vec![None; cat.facts.len()],
            lists: vec![None; cat.lists.len()],
        }
    }

    /// The items of list `l` (none when the list is not answered).
    pub fn items(&self, l: ListId) -> &[Item] {
        self.lists
            .get(usize::from(l))
            .and_then(Option::as_deref)
            .unwrap_or_default()
    }

    /// Whether list `l` is answered (with items, or "none").
    pub fn answered(&self, l: ListId) -> bool {
        matches!(self.lists.get(usize::from(l)), Some(Some(_)))
    }

    /// The items of list `l`, answering it (as "none" until an item is pushed).
    pub fn items_mut(&mut self, l: ListId) -> Option<&mut Vec<Item>> {
        self.lists
            .get_mut(usize::from(l))
            .map(|slot| slot.get_or_insert_with(Vec::new))
    }

    /// Reads the JSON form from text: strictly ([`crate::json::from_str_strict`]: a repeated key
    /// is a field error at its path), collecting every field error.
    pub fn from_json_str(cat: &Catalogue, text: &str) -> Result<Profile, ProfileTextError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some((p, _)) = crate::json::profile_one_pass(cat, text, false) {
            return Ok(p);
        }
        match crate::json::from_str_strict(text) {
            Ok(j) => Profile::from_json(cat, &j).map_err(ProfileTextError::Fields),
            Err(crate::json::JsonError::Syntax(e)) => Err(ProfileTextError::Syntax(e)),
            Err(crate::json::JsonError::DuplicateKey { path }) => {
                Err(ProfileTextError::Fields(vec![FieldError {
                    path,
                    error: ValueError::DuplicateKey,
                }]))
            }
        }
    }

    /// Reads the JSON form, collecting every field error.
    pub fn from_json(cat: &Catalogue, j: &Json) -> Result<Profile, Vec<FieldError>> {
        let mut p = Profile::empty(cat);
        let mut errs = Vec::new();
        let Some(obj) = j.as_object() else {
            return Err(vec![FieldError {
                path: "(root)".into(),
                error: ValueError::WrongJsonType { expected: "object" },
            }]);
        };
        for (key, val) in obj {
            let err = |errs: &mut Vec<FieldError>, path: String, error| {
                errs.push(FieldError { path, error })
            };
            match key.as_str() {
                "schema_version" => {
                    let ok =
                        val.as_u64() == Some(PROFILE_SCHEMA_VERSION) || val.as_str() == Some("1");
                    if !ok {
                        err(&mut errs, key.clone(), ValueError::BadSchemaVersion);
                    }
                }
                "name" => match val {
                    Json::Null => {}
                    Json::String(s) => match text(s) {
                        Ok(_) => p.name = Some(s.clone()),
                        Err(e) => err(&mut errs, key.clone(), e),
                    },
                    _ => err(
                        &mut errs,
                        key.clone(),
                        ValueError::WrongJsonType { expected: "string" },
                    ),
                },
                k if cat.groups.iter().any(|g| g.id == k) => {
                    let Some(facts) = val.as_object() else {
                        err(
                            &mut errs,
                            key.clone(),
                            ValueError::WrongJsonType { expected: "object" },
                        );
                        continue;
                    };
                    for (fk, fv) in facts {
                        // The path is only written out for an error.
                        let path = || format!("{k}.{fk}");
                        match cat.fact_id(fk) {
                            None => err(&mut errs, path(), ValueError::UnknownField),
                            Some(id) => {
                                let def = &cat.facts[id as usize];
                                if def.group != k {
                                    err(
                                        &mut errs,
                                        path(),
                                        ValueError::WrongGroup {
                                            group: def.group.clone(),
                                        },
                                    );
                                    continue;
                                }
                                match parse_value_json(def, fv) {
                                    Ok(v) => p.facts[id as usize] = v,
                                    Err(e) => err(&mut errs, path(), e),
                                }
                            }
                        }
                    }
                }
                k => match cat.list_id(k) {
                    Some(l) => p.read_list(cat, l, val, &mut errs),
                    None => err(&mut errs, key.clone(), ValueError::UnknownField),
                },
            }
        }
        if errs.is_empty() { Ok(p) } else { Err(errs) }
    }

    fn read_list(&mut self, cat: &Catalogue, l: ListId, val: &Json, errs: &mut Vec<FieldError>) {
        let def = &cat.lists[l as usize];
        // `null` (like an absent key) leaves the list unanswered; `[]` answers "none".
        let Some(arr) = val.as_array() else {
            if !val.is_null() {
                errs.push(FieldError {
                    path: def.id.clone(),
                    error: ValueError::WrongJsonType { expected: "array" },
                });
            }
            return;
        };
        if arr.len() > def.max_items as usize {
            errs.push(FieldError {
                path: def.id.clone(),
                error: ValueError::TooMany {
                    max: def.max_items as usize,
                },
            });
            return;
        }
        let items = self.lists[l as usize].get_or_insert_with(Vec::new);
        for (i, it) in arr.iter().enumerate() {
            let Some(obj) = it.as_object() else {
                errs.push(FieldError {
                    path: format!("{}[{i}]", def.id),
                    error: ValueError::WrongJsonType { expected: "object" },
                });
                continue;
            };
            let mut item: Item = vec![None; def.fields.len()];
            for (fk, fv) in obj {
                let path = || format!("{}[{i}].{fk}", def.id);
                match cat.field_id(l, fk) {
                    None => errs.push(FieldError {
                        path: path(),
                        error: ValueError::UnknownField,
                    }),
                    Some(f) => match parse_value_json(&def.fields[f as usize], fv) {
                        Ok(v) => item[f as usize] = v,
                        Err(error) => errs.push(FieldError {
                            path: path(),
                            error,
                        }),
                    },
                }
            }
            items.push(item);
        }
    }

    /// The canonical JSON form (unknown values and unanswered lists omitted; a list answered
    /// "none" is `[]`).
    pub fn to_json(&self, cat: &Catalogue) -> Json {
        let mut root = Map::new();
        root.insert("schema_version".into(), Json::from(PROFILE_SCHEMA_VERSION));
        if let Some(n) = &self.name {
            root.insert("name".into(), Json::String(n.clone()));
        }
        for g in &cat.groups {
            let mut m = Map::new();
            for (id, def) in cat.facts_in_group(&g.id) {
                if let Some(Some(v)) = self.facts.get(id as usize) {
                    m.insert(def.id.clone(), value_to_json(def, v));
                }
            }
            if !m.is_empty() {
                root.insert(g.id.clone(), Json::Object(m));
            }
        }
        for (l, def) in cat.lists.iter().enumerate() {
            let Some(Some(items)) = self.lists.get(l) else {
                continue;
            };
            let arr = items
                .iter()
                .map(|it| {
                    let mut m = Map::new();
                    for (f, v) in it.iter().enumerate() {
                        if let Some(v) = v {
                            let fd = &def.fields[f];
                            m.insert(fd.id.clone(), value_to_json(fd, v));
                        }
                    }
                    Json::Object(m)
                })
                .collect();
            root.insert(def.id.clone(), Json::Array(arr));
        }
        Json::Object(root)
    }

    /// Sets a fact by id (tests and tools).
    pub fn set(&mut self, id: FactId, v: Option<Value>) {
        if let Some(slot) = self.facts.get_mut(id as usize) {
            *slot = v;
        }
    }
}

#[cfg(all(test, feature = "loader"))]
mod tests {
    use super::*;
    use crate::PolicySet;

    #[test]
    fn a_list_is_not_answered_answered_none_or_answered_with_items() {
        let set = PolicySet::embedded().expect("embedded");
        let cat = &set.catalogue;
        let projects = cat.list_id("projects").expect("list");
        let read = |text: &str| {
            // Both readers: the one-pass reader and the JSON value path (errors, tools).
            let one = Profile::from_json_str(cat, text).expect("one pass");
            let json: Json = serde_json::from_str(text).expect("json");
            let two = Profile::from_json(cat, &json).expect("value");
            assert_eq!(one, two, "{text}");
            one
        };
        for text in [
            r#"{"schema_version":1}"#,
            r#"{"schema_version":1,"projects":null}"#,
        ] {
            let p = read(text);
            assert!(!p.answered(projects), "{text}");
            assert!(p.items(projects).is_empty());
            assert!(p.to_json(cat).get("projects").is_none(), "{text}");
        }
        let none = read(r#"{"schema_version":1,"projects":[]}"#);
        assert!(none.answered(projects) && none.items(projects).is_empty());
        assert_eq!(none.to_json(cat)["projects"], serde_json::json!([]));
        let one = read(r#"{"schema_version":1,"projects":[{"kind":"rd_project"}]}"#);
        assert!(one.answered(projects));
        assert_eq!(one.items(projects).len(), 1);
        // Round trip keeps each state.
        for p in [Profile::empty(cat), none, one] {
            let again = Profile::from_json(cat, &p.to_json(cat)).expect("round trip");
            assert_eq!(again, p);
        }
    }
}
