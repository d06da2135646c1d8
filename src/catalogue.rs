//! The fact catalogue: every input a policy may read, with type, unit, labels, help and form group.
//!
//! It is data (`policies/facts.toml`); the UI generates its form from it and the policy
//! compiler resolves every name in a condition or formula against it.

#[cfg(feature = "loader")]
use crate::error::{LoadError, Located};
use crate::expr::{Cond, Operand};
#[cfg(feature = "loader")]
use crate::expr::{Scope, parse_cond};
use crate::text::{Lang, Text};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The name → index maps: rustc-hash's hasher, several times faster than SipHash on short ids
/// (a batch looks up dozens of names per client); the keys are the catalogue's own ids.
type Index<V> = HashMap<String, V, rustc_hash::FxBuildHasher>;

/// Index of a fact in the catalogue.
pub type FactId = u16;
/// Index of a list (projects, game products) in the catalogue.
pub type ListId = u16;
/// Index of a field within a list item.
pub type FieldId = u16;

/// The value type of a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FactKind {
    Bool,
    Integer,
    /// Yuan, exact to the fen.
    Money,
    Date,
    /// A list of dates (e.g. dates of serious violations).
    Dates,
    /// One of an ordered list of values (low to high).
    Enum,
    /// Free text (names); never used in conditions.
    Text,
}

/// One value of an enum fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    pub id: String,
    pub zh: String,
    pub en: String,
}

impl EnumValue {
    /// The value's label in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

fn yes() -> bool {
    true
}

/// One input fact (or one field of a list item).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactDef {
    pub id: String,
    /// Form group (absent for list fields).
    #[serde(default)]
    pub group: String,
    #[serde(rename = "type")]
    pub kind: FactKind,
    pub label: Text,
    #[serde(default)]
    pub help: Option<Text>,
    /// Enum values, ordered from lowest to highest.
    #[serde(default)]
    pub values: Vec<EnumValue>,
    /// Unit for counts (张, 条, 次).
    #[serde(default)]
    pub unit_label: Option<Text>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    /// Whether hints may suggest changing it (false for district, entity type, history).
    #[serde(default = "yes")]
    pub lever: bool,
    /// A location fact: set to each policy's district in compare-all-districts mode.
    #[serde(default)]
    pub location: bool,
    /// The certificate date that goes with this level (set together in hints).
    #[serde(default)]
    pub companion_date: Option<String>,
    /// Money the enterprise spends (rent, investment, costs): a hint asking for more of it
    /// also says what it costs net of the extra subsidy.
    #[serde(default)]
    pub spending: bool,
    /// Show the field only when this condition holds (form logic).
    #[serde(default)]
    pub show_if: Option<String>,
    /// Required in every list item.
    #[serde(default)]
    pub required: bool,
}

/// A form group.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDef {
    pub id: String,
    pub label: Text,
    #[serde(default)]
    pub help: Option<Text>,
}

/// A list of items, such as projects.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListDef {
    pub id: String,
    pub group: String,
    pub label: Text,
    /// What one item is called ("项目" / "project").
    pub item_label: Text,
    #[serde(default)]
    pub help: Option<Text>,
    pub max_items: u32,
    pub fields: Vec<FactDef>,
}

#[cfg(feature = "loader")]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    schema_version: u32,
    groups: Vec<GroupDef>,
    facts: Vec<FactDef>,
    #[serde(default)]
    lists: Vec<ListDef>,
}

/// The validated catalogue with name indexes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalogue {
    pub schema_version: u32,
    pub groups: Vec<GroupDef>,
    pub facts: Vec<FactDef>,
    pub lists: Vec<ListDef>,
    #[serde(skip)]
    fact_index: Index<FactId>,
    #[serde(skip)]
    list_index: Index<ListId>,
    #[serde(skip)]
    field_index: Vec<Index<FieldId>>,
    pub(crate) companion: Vec<Option<FactId>>,
    pub(crate) fact_show_if: Vec<Option<Cond>>,
    pub(crate) field_show_if: Vec<Vec<Option<Cond>>>,
}

#[cfg(feature = "loader")]
const RESERVED: &[&str] = &[
    "item",
    "and",
    "or",
    "not",
    "in",
    "true",
    "false",
    "any",
    "in_window",
    "in_application_period",
    "none_within_years",
    "none_in_previous_year",
];

/// Top-level keys of the profile JSON that facts, groups and lists may not take.
#[cfg(feature = "loader")]
const PROFILE_KEYS: &[&str] = &["name", "schema_version"];

#[cfg(feature = "loader")]
fn valid_id(s: &str) -> bool {
    let mut it = s.chars();
    it.next().is_some_and(|c| c.is_ascii_lowercase())
        && it.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&s)
}

#[cfg(feature = "loader")]
fn valid_top_id(s: &str) -> bool {
    valid_id(s) && !PROFILE_KEYS.contains(&s)
}

#[cfg(feature = "loader")]
impl Catalogue {
    /// Validates a catalogue document (already parsed from TOML or JSON).
    pub fn from_json(file: &str, doc: serde_json::Value) -> Result<Catalogue, Vec<LoadError>> {
        let raw: CatalogueFile = crate::error::deserialize(file, doc).map_err(|e| vec![e])?;
        let mut errs = Located::new(file);
        if raw.schema_version != 1 {
            errs.push(
                "schema_version",
                "unsupported catalogue schema_version (expected 1)",
            );
        }
        let mut cat = Catalogue {
            schema_version: raw.schema_version,
            groups: raw.groups,
            facts: raw.facts,
            lists: raw.lists,
            fact_index: Index::default(),
            list_index: Index::default(),
            field_index: Vec::new(),
            companion: Vec::new(),
            fact_show_if: Vec::new(),
            field_show_if: Vec::new(),
        };
        let mut top_keys: HashMap<&str, String> = HashMap::new();
        for (i, g) in cat.groups.iter().enumerate() {
            if !valid_top_id(&g.id) || top_keys.insert(&g.id, format!("groups[{i}]")).is_some() {
                errs.push(
                    format!("groups[{i}].id"),
                    format!("bad or duplicate id `{}`", g.id),
                );
            }
        }
        for (i, l) in cat.lists.iter().enumerate() {
            let p = format!("lists[{i}]");
            if !valid_top_id(&l.id) || top_keys.insert(&l.id, p.clone()).is_some() {
                errs.push(format!("{p}.id"), format!("bad or duplicate id `{}`", l.id));
            }
            if !cat.groups.iter().any(|g| g.id == l.group) {
                errs.push(format!("{p}.group"), format!("unknown group `{}`", l.group));
            }
            cat.list_index.insert(l.id.clone(), i as ListId);
            let mut idx = Index::default();
            for (j, f) in l.fields.iter().enumerate() {
                check_def(f, &format!("{p}.fields[{j}]"), false, &mut errs);
                if idx.insert(f.id.clone(), j as FieldId).is_some() {
                    errs.push(
                        format!("{p}.fields[{j}].id"),
                        format!("duplicate field `{}`", f.id),
                    );
                }
            }
            cat.field_index.push(idx);
        }
        for (i, f) in cat.facts.iter().enumerate() {
            let p = format!("facts[{i}]");
            check_def(f, &p, true, &mut errs);
            if !cat.groups.iter().any(|g| g.id == f.group) {
                errs.push(format!("{p}.group"), format!("unknown group `{}`", f.group));
            }
            if cat.fact_index.insert(f.id.clone(), i as FactId).is_some()
                || cat.list_index.contains_key(&f.id)
            {
                errs.push(format!("{p}.id"), format!("duplicate id `{}`", f.id));
            }
        }
        if cat.facts.len() > usize::from(u16::MAX) {
            errs.push("facts", "too many facts");
        }
        // Second pass: references between facts.
        for (i, f) in cat.facts.iter().enumerate() {
            let companion = f.companion_date.as_ref().and_then(|c| {
                let id = cat.fact_index.get(c).copied();
                if id.is_none_or(|id| cat.facts[id as usize].kind != FactKind::Date) {
                    errs.push(
                        format!("facts[{i}].companion_date"),
                        format!("`{c}` is not a date fact"),
                    );
                }
                id
            });
            cat.companion.push(companion);
        }
        let mut fact_show_if = Vec::new();
        for (i, f) in cat.facts.iter().enumerate() {
            let p = format!("facts[{i}]");
            fact_show_if.push(compile_show_if(&cat, f, None, &p, &mut errs));
        }
        let mut field_show_if = Vec::new();
        for (li, l) in cat.lists.iter().enumerate() {
            let mut v = Vec::new();
            for (j, f) in l.fields.iter().enumerate() {
                let p = format!("lists[{li}].fields[{j}]");
                v.push(compile_show_if(&cat, f, Some(li as ListId), &p, &mut errs));
            }
            field_show_if.push(v);
        }
        cat.fact_show_if = fact_show_if;
        cat.field_show_if = field_show_if;
        errs.finish(cat)
    }
}

impl Catalogue {
    /// Rebuilds the name indexes (after reading a compiled bundle).
    pub(crate) fn reindex(&mut self) {
        self.fact_index = self
            .facts
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.clone(), i as FactId))
            .collect();
        self.list_index = self
            .lists
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), i as ListId))
            .collect();
        self.field_index = self
            .lists
            .iter()
            .map(|l| {
                l.fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.id.clone(), i as FieldId))
                    .collect()
            })
            .collect();
    }

    /// The district a profile is registered in (the value id of the location fact), if given.
    pub fn registered_district<'c>(&'c self, profile: &crate::profile::Profile) -> Option<&'c str> {
        let (i, def) = self.facts.iter().enumerate().find(|(_, f)| f.location)?;
        match profile.facts.get(i)? {
            Some(crate::profile::Value::Enum(v)) => {
                def.values.get(usize::from(*v)).map(|v| v.id.as_str())
            }
            _ => None,
        }
    }

    /// The fact with this id.
    pub fn fact_id(&self, name: &str) -> Option<FactId> {
        self.fact_index.get(name).copied()
    }

    /// The list with this id.
    pub fn list_id(&self, name: &str) -> Option<ListId> {
        self.list_index.get(name).copied()
    }

    /// The field of a list with this id.
    pub fn field_id(&self, list: ListId, name: &str) -> Option<FieldId> {
        self.field_index.get(list as usize)?.get(name).copied()
    }

    /// The definition behind an operand.
    pub fn operand_def(&self, o: Operand) -> &FactDef {
        match o {
            Operand::Fact(f) => &self.facts[f as usize],
            Operand::Field(l, f) => &self.lists[l as usize].fields[f as usize],
        }
    }

    /// The path of an operand as written in a profile: `cmmi_level`, `projects[].kind`.
    pub fn operand_name(&self, o: Operand) -> String {
        match o {
            Operand::Fact(f) => self.facts[f as usize].id.clone(),
            Operand::Field(l, f) => {
                let list = &self.lists[l as usize];
                format!("{}[].{}", list.id, list.fields[f as usize].id)
            }
        }
    }

    /// The compiled `show_if` of a fact.
    pub fn fact_show_if(&self, f: FactId) -> Option<&Cond> {
        self.fact_show_if.get(f as usize)?.as_ref()
    }

    /// The compiled `show_if` of a list field.
    pub fn field_show_if(&self, l: ListId, f: FieldId) -> Option<&Cond> {
        self.field_show_if
            .get(l as usize)?
            .get(f as usize)?
            .as_ref()
    }

    /// Facts of a group, in catalogue order.
    pub fn facts_in_group<'a>(
        &'a self,
        group: &'a str,
    ) -> impl Iterator<Item = (FactId, &'a FactDef)> + 'a {
        self.facts
            .iter()
            .enumerate()
            .filter(move |(_, f)| f.group == group)
            .map(|(i, f)| (i as FactId, f))
    }
}

#[cfg(feature = "loader")]
fn check_def(f: &FactDef, p: &str, top: bool, errs: &mut Located) {
    if !(if top {
        valid_top_id(&f.id)
    } else {
        valid_id(&f.id)
    }) {
        errs.push(
            format!("{p}.id"),
            format!("bad id `{}` (lowercase letters, digits, _)", f.id),
        );
    }
    if !top && !f.group.is_empty() {
        errs.push(format!("{p}.group"), "list fields have no group");
    }
    match f.kind {
        FactKind::Enum => {
            if f.values.is_empty() {
                errs.push(format!("{p}.values"), "an enum needs values");
            }
            let mut seen = std::collections::HashSet::new();
            for (k, v) in f.values.iter().enumerate() {
                if v.id.is_empty() || !seen.insert(&v.id) {
                    errs.push(
                        format!("{p}.values[{k}].id"),
                        format!("empty or duplicate value `{}`", v.id),
                    );
                }
            }
        }
        _ if !f.values.is_empty() => errs.push(format!("{p}.values"), "only enums have values"),
        _ => {}
    }
    if f.kind != FactKind::Integer && (f.min.is_some() || f.max.is_some()) {
        errs.push(format!("{p}.min"), "min/max apply to integers only");
    }
    if let (Some(a), Some(b)) = (f.min, f.max)
        && a > b
    {
        errs.push(format!("{p}.max"), "max is below min");
    }
    if !top && (f.location || f.companion_date.is_some()) {
        errs.push(
            p.to_string(),
            "list fields cannot be location facts or have companion dates",
        );
    }
}

#[cfg(feature = "loader")]
fn compile_show_if(
    cat: &Catalogue,
    f: &FactDef,
    list: Option<ListId>,
    p: &str,
    errs: &mut Located,
) -> Option<Cond> {
    let src = f.show_if.as_ref()?;
    match parse_cond(
        src,
        &Scope {
            cat,
            item_list: list,
        },
    ) {
        Ok(c) => Some(c),
        Err(e) => {
            errs.push(format!("{p}.show_if"), e.to_string());
            None
        }
    }
}
