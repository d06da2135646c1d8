//! What the form asks first: the inputs the chosen district's clauses read (the core's
//! [`butie::eval::stakes`]: gates first, then most money), in that order; everything else
//! stays reachable under "other fields".

use butie::PolicySet;
use butie::date::Date;
use butie::eval::Stake;
use butie::expr::Operand;

use crate::draft::{Draft, FieldRef, Parsed};

/// One entry of the ranked part of the form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Entry {
    Fact(u16, Stake),
    /// A list, placed where its most valuable field ranks.
    List(u16, Stake),
}

/// The ranking for the current district(s) and date.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Asked {
    /// The districts ranked for; empty when none is chosen (or none is encoded).
    pub districts: Vec<String>,
    pub stakes: Vec<Stake>,
}

impl Asked {
    /// The stake of an input, when a clause of the district(s) reads it.
    pub fn stake(&self, op: Operand) -> Option<&Stake> {
        self.stakes.iter().find(|s| s.input == op)
    }

    /// Whether a clause of the district(s) reads this top-level fact.
    pub fn reads_fact(&self, fact: u16) -> bool {
        self.stake(Operand::Fact(fact)).is_some()
    }

    /// Whether a clause reads this field of a list's items.
    pub fn reads_field(&self, list: u16, field: u16) -> bool {
        self.stake(Operand::Field(list, field)).is_some()
    }

    /// Whether a clause reads a field of this list's items (the list is among the entries).
    pub fn reads_list(&self, list: u16) -> bool {
        self.stakes
            .iter()
            .any(|s| matches!(s.input, Operand::Field(l, _) if l == list))
    }

    /// Facts and lists in the order asked (the district field itself excluded: it comes first).
    pub fn entries(&self, skip: Option<u16>) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::new();
        for s in &self.stakes {
            match s.input {
                Operand::Fact(f) if Some(f) != skip => out.push(Entry::Fact(f, *s)),
                Operand::Field(l, _)
                    if !out
                        .iter()
                        .any(|e| matches!(e, Entry::List(x, _) if *x == l)) =>
                {
                    out.push(Entry::List(l, *s))
                }
                _ => {}
            }
        }
        out
    }
}

/// How many inputs the district(s) read are shown and still unanswered: the facts asked
/// (the district field included), the fields of each item of a list asked, and each list
/// asked that is not answered (no items, and not "none").
pub fn unanswered(a: &Asked, draft: &Draft, parsed: &Parsed) -> usize {
    let open = |at: FieldRef| parsed.visible(at) && draft.raw(at).trim().is_empty();
    let mut n = a
        .entries(None)
        .iter()
        .filter(|e| matches!(e, Entry::List(l, _) if !parsed.profile.answered(*l)))
        .count();
    for s in &a.stakes {
        match s.input {
            Operand::Fact(f) => n += usize::from(open(FieldRef::Fact(f))),
            Operand::Field(list, field) => {
                let items = draft.lists.get(usize::from(list)).map_or(0, Vec::len);
                n += (0..items)
                    .filter(|&item| open(FieldRef::Field { list, item, field }))
                    .count();
            }
        }
    }
    n
}

/// The registered district as typed (its value id), if any.
pub fn registered(set: &PolicySet, draft: &Draft) -> Option<String> {
    let cat = &set.catalogue;
    let (i, _) = cat.facts.iter().enumerate().find(|(_, f)| f.location)?;
    let raw = draft.facts.get(i)?;
    (!raw.is_empty()).then(|| raw.clone())
}

/// The id of the registered-district fact.
pub fn district_fact(set: &PolicySet) -> Option<u16> {
    set.catalogue
        .facts
        .iter()
        .position(|f| f.location)
        .map(|i| i as u16)
}

/// The ranking: in compare mode every district shown (those `allowed`), else the registered
/// district when it has a policy encoded.
pub fn asked(
    set: &PolicySet,
    draft: &Draft,
    as_of: Date,
    compare_all: bool,
    allowed: Option<&[String]>,
) -> Asked {
    let ok = |d: &str| allowed.is_none_or(|a| a.iter().any(|x| x == d));
    let districts: Vec<String> = if compare_all {
        set.districts()
            .into_iter()
            .filter(|d| ok(d))
            .map(str::to_string)
            .collect()
    } else {
        registered(set, draft)
            .filter(|d| set.has_district(d) && ok(d))
            .into_iter()
            .collect()
    };
    let ids: Vec<&str> = districts.iter().map(String::as_str).collect();
    Asked {
        stakes: butie::eval::stakes(set, &ids, as_of),
        districts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn putuo_is_asked_for_what_putuo_reads() {
        let set = crate::data::policy_set().unwrap();
        let cat = &set.catalogue;
        let mut draft = Draft::blank(cat);
        let as_of = butie::date::parse_date("2026-10-15").unwrap();
        assert!(
            asked(set, &draft, as_of, false, None).districts.is_empty(),
            "nothing chosen"
        );
        let district = district_fact(set).unwrap();
        draft.facts[district as usize] = "putuo".into();
        let a = asked(set, &draft, as_of, false, None);
        assert_eq!(a.districts, ["putuo"]);
        let entries = a.entries(Some(district));
        let first = |n: usize| match entries[n] {
            Entry::Fact(f, _) => cat.facts[f as usize].id.as_str(),
            Entry::List(l, _) => cat.lists[l as usize].id.as_str(),
        };
        assert_eq!(
            first(0),
            "entity_type",
            "the applicant conditions come first"
        );
        let projects = entries
            .iter()
            .position(|e| matches!(e, Entry::List(l, _) if cat.lists[*l as usize].id == "projects"))
            .unwrap();
        let office = entries
            .iter()
            .position(|e| matches!(e, Entry::Fact(f, _) if cat.facts[*f as usize].id == "office_premises"))
            .unwrap();
        let cmmi = entries
            .iter()
            .position(
                |e| matches!(e, Entry::Fact(f, _) if cat.facts[*f as usize].id == "cmmi_level"),
            )
            .unwrap();
        assert!(projects < office && office < cmmi, "500万, 300万, 20万");
        assert!(!a.reads_fact(cat.fact_id("tax_registered_locally").unwrap()));
        // Not encoded: nothing ranked; compare mode: every district.
        draft.facts[district as usize] = "xuhui".into();
        assert!(asked(set, &draft, as_of, false, None).districts.is_empty());
        assert_eq!(asked(set, &draft, as_of, true, None).districts.len(), 4);
    }
}
