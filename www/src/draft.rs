//! The form draft: exactly what the user typed, per fact and per list-item field, and how
//! it becomes a [`Profile`] (each field parsed on its own; a bad field is reported and
//! counts as unknown, the others still count).
//!
//! Raw encodings: money in the draft's unit (万元 by default, converted exactly to yuan);
//! yes/no as `true`/`false`; enums as value ids; dates as typed (`2025/5/10` is accepted);
//! date lists as `""` (unknown), `none` (no dates) or `dates:<typed list>`.

use butie::catalogue::{Catalogue, FactDef, FactKind};
use butie::date::Date;
use butie::profile::{Value, value_to_string};
use butie::typed::parse_typed;
use butie::{PolicySet, Profile, Text};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::i18n;

/// The unit money is typed in (the core's, so the batch reads cells the same way).
pub use butie::typed::MoneyUnit;

/// A field of the form: a top-level fact or a field of one list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldRef {
    Fact(u16),
    Field { list: u16, item: usize, field: u16 },
}

impl FieldRef {
    /// The id of the field's control in the page (unique within the app root).
    pub fn dom_id(self) -> String {
        match self {
            FieldRef::Fact(f) => format!("butie-f{f}"),
            FieldRef::Field { list, item, field } => format!("butie-l{list}-{item}-{field}"),
        }
    }
}

/// The DOM id of the application period (申报期) setting.
pub const APPLICATION_PERIOD_ID: &str = "butie-application-period";

/// Raw marker of a date list the user says is empty.
pub const DATES_NONE: &str = "none";
/// Raw prefix of a date list with dates.
pub const DATES_PREFIX: &str = "dates:";

const TEN_THOUSAND: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// What the user typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    pub name: String,
    pub unit: MoneyUnit,
    /// By fact index.
    pub facts: Vec<String>,
    /// By list index → items → field index.
    pub lists: Vec<Vec<Vec<String>>>,
    /// By list index: the user answered that there are none ("没有项目"; only while the list
    /// has no items). A list with no items and no such answer is not answered (unknown).
    pub none: Vec<bool>,
    /// Stored values of facts and lists the catalogue does not have now (a policy pack's that
    /// is not loaded): kept, and stored again, so removing a pack loses no input.
    pub kept: StoredDraft,
}

/// `(id, raw text)` pairs (a list rather than a map keeps the wasm smaller).
pub type Pairs = Vec<(String, String)>;

/// The draft as stored (localStorage): keyed by ids, so a changed catalogue still loads.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredDraft {
    pub name: String,
    pub unit: MoneyUnit,
    pub facts: Pairs,
    /// `(list id, items)`.
    pub lists: Vec<(String, Vec<Pairs>)>,
    /// Ids of the lists answered "none". Inputs stored before lists could be answered "none"
    /// have no such key: their lists without items load as not answered.
    pub none: Vec<String>,
}

/// The raw text stored for `id`.
fn lookup<'a>(pairs: &'a [(String, String)], id: &str) -> Option<&'a String> {
    pairs.iter().find(|(k, _)| k == id).map(|(_, v)| v)
}

impl Draft {
    /// The form as first shown: nothing answered (no field presumes an answer).
    pub fn blank(cat: &Catalogue) -> Draft {
        Draft {
            name: String::new(),
            unit: MoneyUnit::Wan,
            facts: vec![String::new(); cat.facts.len()],
            lists: vec![Vec::new(); cat.lists.len()],
            none: vec![false; cat.lists.len()],
            kept: StoredDraft::default(),
        }
    }

    /// Whether nothing has been entered (the money unit aside).
    pub fn is_blank(&self) -> bool {
        self.name.trim().is_empty()
            && self.facts.iter().all(|f| f.trim().is_empty())
            && self.lists.iter().all(Vec::is_empty)
            && !self.none.contains(&true)
    }

    /// Whether the user answered that `list` has none.
    pub fn is_none(&self, list: u16) -> bool {
        self.none.get(usize::from(list)).copied().unwrap_or(false)
    }

    /// Answers that `list` has none (`on`), or takes the answer back; only a list without
    /// items can be answered "none".
    pub fn set_none(&mut self, list: u16, on: bool) {
        let empty = self.lists.get(usize::from(list)).is_some_and(Vec::is_empty);
        if let Some(slot) = self.none.get_mut(usize::from(list)) {
            *slot = on && empty;
        }
    }

    /// A new, empty item of `list`, up to the list's limit.
    pub fn add_item(&mut self, cat: &Catalogue, list: u16) {
        let Some(def) = cat.lists.get(usize::from(list)) else {
            return;
        };
        if let Some(items) = self.lists.get_mut(usize::from(list))
            && items.len() < def.max_items as usize
        {
            items.push(vec![String::new(); def.fields.len()]);
            self.set_none(list, false);
        }
    }

    /// Removes one item (ignored when it does not exist). Removing the last one leaves the list
    /// not answered: "none" is said only by the user.
    pub fn remove_item(&mut self, list: u16, index: usize) {
        if let Some(items) = self.lists.get_mut(usize::from(list))
            && index < items.len()
        {
            items.remove(index);
        }
    }

    /// The draft of a parsed profile (import, share link): unknown values stay empty.
    pub fn from_profile(cat: &Catalogue, profile: &Profile, unit: MoneyUnit) -> Draft {
        let facts = cat
            .facts
            .iter()
            .enumerate()
            .map(|(i, def)| match profile.facts.get(i) {
                Some(Some(v)) => raw_of(def, v, unit),
                _ => String::new(),
            })
            .collect();
        let lists = cat
            .lists
            .iter()
            .enumerate()
            .map(|(l, def)| {
                profile
                    .items(l as u16)
                    .iter()
                    .map(|item| {
                        def.fields
                            .iter()
                            .enumerate()
                            .map(|(f, fd)| match item.get(f) {
                                Some(Some(v)) => raw_of(fd, v, unit),
                                _ => String::new(),
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Draft {
            name: profile.name.clone().unwrap_or_default(),
            unit,
            facts,
            lists,
            none: profile
                .lists
                .iter()
                .map(|l| l.as_ref().is_some_and(Vec::is_empty))
                .collect(),
            kept: StoredDraft::default(),
        }
    }

    /// The raw text of a field ("" when absent).
    pub fn raw(&self, at: FieldRef) -> &str {
        match at {
            FieldRef::Fact(f) => self.facts.get(usize::from(f)),
            FieldRef::Field { list, item, field } => self
                .lists
                .get(usize::from(list))
                .and_then(|items| items.get(item))
                .and_then(|fields| fields.get(usize::from(field))),
        }
        .map_or("", String::as_str)
    }

    /// Sets the raw text of a field (ignored when the field does not exist).
    pub fn set(&mut self, at: FieldRef, raw: String) {
        let slot = match at {
            FieldRef::Fact(f) => self.facts.get_mut(usize::from(f)),
            FieldRef::Field { list, item, field } => self
                .lists
                .get_mut(usize::from(list))
                .and_then(|items| items.get_mut(item))
                .and_then(|fields| fields.get_mut(usize::from(field))),
        };
        if let Some(slot) = slot {
            *slot = raw;
        }
    }

    /// Switches the money unit, converting every money field that parses.
    pub fn set_unit(&mut self, cat: &Catalogue, unit: MoneyUnit) {
        if unit == self.unit {
            return;
        }
        let from = self.unit;
        let convert = |def: &FactDef, raw: &mut String| {
            if def.kind == FactKind::Money
                && let Ok(Some(Value::Money(yuan))) = parse_raw(def, raw, from)
            {
                *raw = money_raw(yuan, unit);
            }
        };
        for (def, raw) in cat.facts.iter().zip(self.facts.iter_mut()) {
            convert(def, raw);
        }
        for (def, items) in cat.lists.iter().zip(self.lists.iter_mut()) {
            for item in items.iter_mut() {
                for (fd, raw) in def.fields.iter().zip(item.iter_mut()) {
                    convert(fd, raw);
                }
            }
        }
        self.unit = unit;
    }

    /// The storable form.
    pub fn to_stored(&self, cat: &Catalogue) -> StoredDraft {
        let facts = cat
            .facts
            .iter()
            .zip(&self.facts)
            .filter(|(_, raw)| !raw.is_empty())
            .map(|(def, raw)| (def.id.clone(), raw.clone()))
            .collect();
        let lists = cat
            .lists
            .iter()
            .zip(&self.lists)
            .filter(|(_, items)| !items.is_empty())
            .map(|(def, items)| {
                let items = items
                    .iter()
                    .map(|item| {
                        def.fields
                            .iter()
                            .zip(item)
                            .filter(|(_, raw)| !raw.is_empty())
                            .map(|(fd, raw)| (fd.id.clone(), raw.clone()))
                            .collect()
                    })
                    .collect();
                (def.id.clone(), items)
            })
            .collect();
        let none = cat
            .lists
            .iter()
            .zip(&self.none)
            .filter(|(_, none)| **none)
            .map(|(def, _)| def.id.clone())
            .collect();
        let mut stored = StoredDraft {
            name: self.name.clone(),
            unit: self.unit,
            facts,
            lists,
            none,
        };
        stored.facts.extend(self.kept.facts.iter().cloned());
        stored.lists.extend(self.kept.lists.iter().cloned());
        stored.none.extend(self.kept.none.iter().cloned());
        stored
    }

    /// Reads the stored form; facts it does not mention are not given.
    pub fn from_stored(cat: &Catalogue, stored: &StoredDraft) -> Draft {
        let unit = stored.unit;
        let facts = cat
            .facts
            .iter()
            .map(|def| lookup(&stored.facts, &def.id).cloned().unwrap_or_default())
            .collect();
        let lists = cat
            .lists
            .iter()
            .map(|def| {
                stored
                    .lists
                    .iter()
                    .find(|(id, _)| *id == def.id)
                    .map(|(_, items)| {
                        items
                            .iter()
                            .take(def.max_items as usize)
                            .map(|item| {
                                def.fields
                                    .iter()
                                    .map(|fd| lookup(item, &fd.id).cloned().unwrap_or_default())
                                    .collect()
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let kept = StoredDraft {
            facts: stored
                .facts
                .iter()
                .filter(|(id, _)| cat.fact_id(id).is_none())
                .cloned()
                .collect(),
            lists: stored
                .lists
                .iter()
                .filter(|(id, _)| cat.list_id(id).is_none())
                .cloned()
                .collect(),
            none: stored
                .none
                .iter()
                .filter(|id| cat.list_id(id).is_none())
                .cloned()
                .collect(),
            ..StoredDraft::default()
        };
        let mut draft = Draft {
            name: stored.name.clone(),
            unit,
            facts,
            lists,
            none: vec![false; cat.lists.len()],
            kept,
        };
        for id in &stored.none {
            if let Some(l) = cat.list_id(id) {
                draft.set_none(l, true);
            }
        }
        draft
    }
}

/// A value as the form shows it.
pub fn raw_of(def: &FactDef, v: &Value, unit: MoneyUnit) -> String {
    match v {
        Value::Money(d) => money_raw(*d, unit),
        Value::Dates(ds) if ds.is_empty() => DATES_NONE.to_string(),
        Value::Dates(_) => format!(
            "{DATES_PREFIX}{}",
            value_to_string(def, v).replace(';', "; ")
        ),
        other => value_to_string(def, other),
    }
}

/// A yuan amount written in `unit`, exactly.
pub fn money_raw(yuan: Decimal, unit: MoneyUnit) -> String {
    match unit {
        MoneyUnit::Yuan => yuan.normalize().to_string(),
        MoneyUnit::Wan => (yuan / TEN_THOUSAND).normalize().to_string(),
    }
}

fn tr_text(t: i18n::Tr) -> Text {
    Text::new(t.0, t.1)
}

/// Parses one field's raw text with the core's reader of typed values (`50万`, `三级`,
/// `2025/5/10`; money without a unit in the draft's `unit`). `Ok(None)` is unknown (empty).
pub fn parse_raw(def: &FactDef, raw: &str, unit: MoneyUnit) -> Result<Option<Value>, Text> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let typed = |s: &str| parse_typed(def, s, unit).map_err(|e| e.text());
    match def.kind {
        FactKind::Dates if raw == DATES_NONE => Ok(Some(Value::Dates(Vec::new()))),
        FactKind::Dates => {
            let list = raw.strip_prefix(DATES_PREFIX).unwrap_or(raw);
            if list.trim().is_empty() {
                return Err(tr_text(i18n::ERR_DATES_EMPTY));
            }
            typed(list)
        }
        _ => typed(raw),
    }
}

/// The draft parsed: a profile, per-field errors and which fields the form shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub profile: Profile,
    /// By fact index.
    pub fact_errors: Vec<Option<Text>>,
    /// By list → item → field.
    pub field_errors: Vec<Vec<Vec<Option<Text>>>>,
    /// Whether each fact's `show_if` holds.
    pub fact_visible: Vec<bool>,
    /// Whether each item field's `show_if` holds.
    pub field_visible: Vec<Vec<Vec<bool>>>,
    /// Errors among shown fields.
    pub error_count: usize,
}

impl Parsed {
    /// The error of a field, if any.
    pub fn error(&self, at: FieldRef) -> Option<&Text> {
        match at {
            FieldRef::Fact(f) => self.fact_errors.get(usize::from(f))?.as_ref(),
            FieldRef::Field { list, item, field } => self
                .field_errors
                .get(usize::from(list))?
                .get(item)?
                .get(usize::from(field))?
                .as_ref(),
        }
    }

    /// How many values the profile holds (facts and item fields).
    pub fn answered(&self) -> usize {
        let facts = self.profile.facts.iter().flatten().count();
        let fields: usize = self
            .profile
            .lists
            .iter()
            .flatten()
            .flatten()
            .map(|item| item.iter().flatten().count())
            .sum();
        facts + fields
    }

    /// Whether a field's `show_if` holds.
    pub fn visible(&self, at: FieldRef) -> bool {
        match at {
            FieldRef::Fact(f) => self.fact_visible.get(usize::from(f)).copied(),
            FieldRef::Field { list, item, field } => self
                .field_visible
                .get(usize::from(list))
                .and_then(|items| items.get(item))
                .and_then(|fields| fields.get(usize::from(field)))
                .copied(),
        }
        .unwrap_or(false)
    }
}

/// Parses the whole draft. Fields hidden by `show_if` do not count (what is shown is what
/// is evaluated), and neither do their errors.
pub fn parse(set: &PolicySet, draft: &Draft, as_of: Date) -> Parsed {
    let cat = &set.catalogue;
    let mut profile = Profile::empty(cat);
    let name = draft.name.trim();
    profile.name = (!name.is_empty()).then(|| name.chars().take(200).collect());
    let mut fact_errors = vec![None; cat.facts.len()];
    for (i, def) in cat.facts.iter().enumerate() {
        let raw = draft.facts.get(i).map_or("", String::as_str);
        match parse_raw(def, raw, draft.unit) {
            Ok(v) => profile.set(i as u16, v),
            Err(e) => {
                if let Some(slot) = fact_errors.get_mut(i) {
                    *slot = Some(e);
                }
            }
        }
    }
    let mut field_errors = Vec::with_capacity(cat.lists.len());
    for (l, def) in cat.lists.iter().enumerate() {
        let items = draft.lists.get(l).map(Vec::as_slice).unwrap_or_default();
        // Items, or the user's "none", answer the list; else it stays unknown.
        if (!items.is_empty() || draft.is_none(l as u16))
            && let Some(slot) = profile.lists.get_mut(l)
        {
            *slot = Some(Vec::new());
        }
        let mut list_errors = Vec::with_capacity(items.len());
        for raw_item in items.iter().take(def.max_items as usize) {
            let mut item = Vec::with_capacity(def.fields.len());
            let mut errors = Vec::with_capacity(def.fields.len());
            for (f, fd) in def.fields.iter().enumerate() {
                let raw = raw_item.get(f).map_or("", String::as_str);
                match parse_raw(fd, raw, draft.unit) {
                    Ok(v) => {
                        let missing = v.is_none() && fd.required;
                        item.push(v);
                        errors.push(missing.then(|| tr_text(i18n::REQUIRED)));
                    }
                    Err(e) => {
                        item.push(None);
                        errors.push(Some(e));
                    }
                }
            }
            if let Some(list) = profile.items_mut(l as u16) {
                list.push(item);
            }
            list_errors.push(errors);
        }
        field_errors.push(list_errors);
    }

    // Visibility is decided on the profile as typed, then hidden fields are dropped.
    let fact_visible: Vec<bool> = (0..cat.facts.len())
        .map(|f| butie::eval::fact_visible(set, &profile, f as u16, as_of))
        .collect();
    let field_visible: Vec<Vec<Vec<bool>>> = cat
        .lists
        .iter()
        .enumerate()
        .map(|(l, def)| {
            let n = profile.items(l as u16).len();
            (0..n)
                .map(|item| {
                    (0..def.fields.len())
                        .map(|f| {
                            butie::eval::field_visible(
                                set, &profile, l as u16, item, f as u16, as_of,
                            )
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    for (f, shown) in fact_visible.iter().enumerate() {
        if !shown {
            profile.set(f as u16, None);
            if let Some(e) = fact_errors.get_mut(f) {
                *e = None;
            }
        }
    }
    for (l, items) in field_visible.iter().enumerate() {
        for (item, fields) in items.iter().enumerate() {
            for (f, shown) in fields.iter().enumerate() {
                if *shown {
                    continue;
                }
                if let Some(slot) = profile
                    .items_mut(l as u16)
                    .and_then(|items| items.get_mut(item))
                    .and_then(|fields| fields.get_mut(f))
                {
                    *slot = None;
                }
                if let Some(e) = field_errors
                    .get_mut(l)
                    .and_then(|items: &mut Vec<Vec<Option<Text>>>| items.get_mut(item))
                    .and_then(|fields| fields.get_mut(f))
                {
                    *e = None;
                }
            }
        }
    }
    let error_count = fact_errors.iter().flatten().count()
        + field_errors.iter().flatten().flatten().flatten().count();
    Parsed {
        profile,
        fact_errors,
        field_errors,
        fact_visible,
        field_visible,
        error_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> PolicySet {
        crate::data::policy_set().unwrap().clone()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_list_is_unanswered_until_items_or_none() {
        let set = set();
        let cat = &set.catalogue;
        let projects = cat.list_id("projects").unwrap();
        let as_of = butie::date::parse_date("2026-10-15").unwrap();
        let answered = |d: &Draft| {
            let p = parse(&set, d, as_of).profile;
            (p.answered(projects), p.items(projects).len())
        };
        let mut draft = Draft::blank(cat);
        assert_eq!(answered(&draft), (false, 0), "blank: not answered");
        draft.set_none(projects, true);
        assert_eq!(answered(&draft), (true, 0), "no projects");
        assert!(!draft.is_blank());
        // An item answers the list with it; "none" goes.
        draft.add_item(cat, projects);
        assert!(!draft.is_none(projects));
        assert_eq!(answered(&draft), (true, 1));
        // "None" cannot be said beside items.
        draft.set_none(projects, true);
        assert!(!draft.is_none(projects));
        // Removing the last item leaves the list not answered: only the user says "none".
        draft.remove_item(projects, 0);
        assert_eq!(answered(&draft), (false, 0));
        // An imported profile keeps the distinction.
        draft.set_none(projects, true);
        let p = parse(&set, &draft, as_of).profile;
        assert!(Draft::from_profile(cat, &p, MoneyUnit::Wan).is_none(projects));
        let blank = parse(&set, &Draft::blank(cat), as_of).profile;
        assert!(!Draft::from_profile(cat, &blank, MoneyUnit::Wan).is_none(projects));
    }

    #[test]
    fn values_of_facts_not_in_the_catalogue_are_kept() {
        // A policy pack's fact that is not loaded (yet, or any more): its value is kept and
        // stored again, never dropped.
        let set = set();
        let cat = &set.catalogue;
        let stored = StoredDraft {
            facts: vec![
                ("cmmi_level".into(), "3".into()),
                ("incubator_resident".into(), "true".into()),
            ],
            lists: vec![("pack_list".into(), vec![vec![("x".into(), "1".into())]])],
            ..StoredDraft::default()
        };
        let draft = Draft::from_stored(cat, &stored);
        let cmmi = cat.fact_id("cmmi_level").unwrap();
        assert_eq!(draft.raw(FieldRef::Fact(cmmi)), "3");
        let again = draft.to_stored(cat);
        assert!(
            again
                .facts
                .contains(&("incubator_resident".into(), "true".into()))
        );
        assert_eq!(again.lists.last().unwrap().0, "pack_list");
        assert_ne!(draft, Draft::blank(cat), "kept values are worth storing");
    }

    #[test]
    fn money_raw_round_trips() {
        assert_eq!(money_raw(d("2000000.00"), MoneyUnit::Wan), "200");
        assert_eq!(money_raw(d("123.45"), MoneyUnit::Wan), "0.012345");
        assert_eq!(money_raw(d("2000000.50"), MoneyUnit::Yuan), "2000000.5");
        assert_eq!(
            butie::typed::parse_money(&money_raw(d("123.45"), MoneyUnit::Wan), MoneyUnit::Wan),
            Ok(d("123.45"))
        );
    }

    #[test]
    fn a_blank_form_presumes_nothing_and_bad_fields_count_as_unknown() {
        let set = set();
        let cat = &set.catalogue;
        let mut draft = Draft::blank(cat);
        let as_of = butie::date::parse_date("2026-11-21").unwrap();
        let parsed = parse(&set, &draft, as_of);
        assert_eq!(parsed.error_count, 0);
        assert_eq!(parsed.answered(), 0, "nothing answered for the user");
        let violations = cat.fact_id("serious_violation_dates").unwrap();
        assert_eq!(parsed.profile.facts[violations as usize], None);
        draft.set(FieldRef::Fact(violations), DATES_NONE.into());
        assert_eq!(
            parse(&set, &draft, as_of).profile.facts[violations as usize],
            Some(Value::Dates(vec![]))
        );

        let revenue = cat.fact_id("annual_revenue").unwrap();
        draft.set(FieldRef::Fact(revenue), "-5".into());
        let cmmi = cat.fact_id("cmmi_level").unwrap();
        draft.set(FieldRef::Fact(cmmi), "3".into());
        let parsed = parse(&set, &draft, as_of);
        assert_eq!(parsed.error_count, 1);
        assert_eq!(
            parsed.error(FieldRef::Fact(revenue)).unwrap().zh,
            "金额不能为负数"
        );
        assert_eq!(parsed.profile.facts[revenue as usize], None);
        assert_eq!(parsed.profile.facts[cmmi as usize], Some(Value::Enum(2)));
    }

    #[test]
    fn hidden_fields_do_not_count() {
        let set = set();
        let cat = &set.catalogue;
        let mut draft = Draft::blank(cat);
        let as_of = butie::date::parse_date("2026-11-21").unwrap();
        let issued = cat.fact_id("cmmi_issued_on").unwrap();
        draft.set(FieldRef::Fact(issued), "not a date".into());
        let parsed = parse(&set, &draft, as_of);
        assert!(!parsed.visible(FieldRef::Fact(issued)));
        assert_eq!(parsed.error_count, 0, "hidden (cmmi_level none)");
        let cmmi = cat.fact_id("cmmi_level").unwrap();
        draft.set(FieldRef::Fact(cmmi), "3".into());
        let parsed = parse(&set, &draft, as_of);
        assert!(parsed.visible(FieldRef::Fact(issued)));
        assert_eq!(parsed.error_count, 1);
        assert_eq!(
            parsed.error(FieldRef::Fact(issued)).unwrap().en,
            "use a real date as YYYY-MM-DD"
        );
    }

    #[test]
    fn items_and_units() {
        let set = set();
        let cat = &set.catalogue;
        let mut draft = Draft::blank(cat);
        let projects = cat.list_id("projects").unwrap();
        draft.add_item(cat, projects);
        let kind = cat.field_id(projects, "kind").unwrap();
        let invested = cat.field_id(projects, "actual_investment").unwrap();
        let at = |field| FieldRef::Field {
            list: projects,
            item: 0,
            field,
        };
        let as_of = butie::date::parse_date("2026-11-21").unwrap();
        let parsed = parse(&set, &draft, as_of);
        assert_eq!(parsed.error(at(kind)).unwrap().zh, "必填");
        draft.set(at(kind), "rd_project".into());
        draft.set(at(invested), "200".into());
        let parsed = parse(&set, &draft, as_of);
        assert_eq!(parsed.error_count, 0);
        assert_eq!(
            parsed.profile.items(projects)[0][invested as usize],
            Some(Value::Money(d("2000000")))
        );
        draft.set_unit(cat, MoneyUnit::Yuan);
        assert_eq!(draft.raw(at(invested)), "2000000");
        let stored = draft.to_stored(cat);
        assert_eq!(Draft::from_stored(cat, &stored), draft);
        let again = Draft::from_profile(cat, &parsed.profile, MoneyUnit::Wan);
        assert_eq!(again.raw(at(invested)), "200");
    }
}
