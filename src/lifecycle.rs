//! Documents over time: each document's state on a date, which document of a district is
//! evaluated on that date, and the others as its history.
//!
//! A district may have several documents: a predecessor and its successor (`supersedes`), a
//! document and its amendment (`amends`: compiled merged with what it amends), a draft. On any
//! date at most one of them is *current* in force (the loader refuses sets where two could be);
//! when none is, the district shows the next one to start, or else the newest, never as payable.

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::date::{Date, serde_iso};
use crate::policy::{DocStatus, Policy};
use crate::set::PolicySet;

/// How many days before its end an in-force document counts as ending soon.
pub const ENDING_SOON_DAYS: i64 = 60;

/// A document's state on the evaluation date. Ordered as districts are listed: in force first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PolicyState {
    InForce,
    NotYetInForce,
    Expired,
    /// Replaced by a successor that has started (its own window may still run).
    Superseded,
    /// Effective date unknown (草案): never in force.
    Draft,
}

impl PolicyState {
    /// Whether money under a document in this state can be paid on the date.
    pub fn payable(self) -> bool {
        self == PolicyState::InForce
    }
}

/// A document's place in time on the evaluation date, all derived from the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Lifecycle<'a> {
    pub state: PolicyState,
    /// In force with at most [`ENDING_SOON_DAYS`] days left.
    pub ending_soon: bool,
    /// In force: whole days from the evaluation date to the last day (0 on the last day).
    pub days_left: Option<i64>,
    /// Not yet in force: days until the first day.
    pub starts_in_days: Option<i64>,
    /// Expired or superseded: the last day it was in force.
    #[serde(serialize_with = "serde_iso::option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub ended_on: Option<Date>,
    /// Superseded: the id of the document that replaced it.
    pub superseded_by: Option<&'a str>,
    /// In force but amended: the id of the amendment in force (it is what gets evaluated).
    pub amended_by: Option<&'a str>,
}

impl Lifecycle<'_> {
    /// A state and nothing else known (no days, no relations).
    pub fn bare(state: PolicyState) -> Self {
        Lifecycle {
            state,
            ending_soon: false,
            days_left: None,
            starts_in_days: None,
            ended_on: None,
            superseded_by: None,
            amended_by: None,
        }
    }
}

/// How a document of the district relates to the one evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The evaluated document supersedes it (directly or through others).
    Predecessor,
    /// It supersedes the evaluated document.
    Successor,
    /// The evaluated document amends it.
    Amended,
    /// It amends the evaluated document (and is not in force on the date).
    Amendment,
    /// Another document of the district.
    Other,
}

/// The documents of one district on a date: the one evaluated and the rest.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub current: &'a Policy,
    /// The other documents of the district, oldest first.
    pub history: SmallVec<[&'a Policy; 4]>,
}

fn days(from: Date, to: Date) -> i64 {
    i64::from(to.to_julian_day()) - i64::from(from.to_julian_day())
}

impl PolicySet {
    /// The documents of a district, in the set's order.
    pub fn documents<'a>(&'a self, district: &'a str) -> impl Iterator<Item = &'a Policy> + 'a {
        self.policies
            .iter()
            .filter(move |p| p.meta.district == district)
    }

    /// Whether any document of `district` is encoded.
    pub fn has_district(&self, district: &str) -> bool {
        self.documents(district).next().is_some()
    }

    /// The districts with a document, each once, in the order of their first document.
    pub fn districts(&self) -> SmallVec<[&str; 8]> {
        let mut out: SmallVec<[&str; 8]> = SmallVec::new();
        for p in &self.policies {
            if !out.contains(&p.meta.district.as_str()) {
                out.push(&p.meta.district);
            }
        }
        out
    }

    /// A document by id.
    pub fn document(&self, id: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.meta.id == id)
    }

    /// The successor that has superseded `doc` on `as_of` (the earliest to start), if any.
    fn superseded_by(&self, doc: &Policy, as_of: Date) -> Option<&Policy> {
        self.policies
            .iter()
            .filter(|p| {
                p.meta.supersedes.as_deref() == Some(doc.meta.id.as_str())
                    && p.meta.status == DocStatus::Official
                    && p.meta.effective_from.is_some_and(|f| f <= as_of)
            })
            .min_by_key(|p| p.meta.effective_from)
    }

    /// An amendment of `doc` in force on `as_of` (then the amendment is what is evaluated).
    fn amended_by(&self, doc: &Policy, as_of: Date) -> Option<&Policy> {
        self.policies.iter().find(|p| {
            p.meta.amends.as_deref() == Some(doc.meta.id.as_str())
                && window_state(p, as_of) == PolicyState::InForce
                && self.superseded_by(p, as_of).is_none()
        })
    }

    /// A document's state on `as_of`, with days left or to go.
    pub fn lifecycle<'a>(&'a self, doc: &'a Policy, as_of: Date) -> Lifecycle<'a> {
        let m = &doc.meta;
        let mut l = Lifecycle::bare(window_state(doc, as_of));
        match l.state {
            PolicyState::NotYetInForce => {
                l.starts_in_days = m.effective_from.map(|f| days(as_of, f))
            }
            PolicyState::Expired => l.ended_on = m.effective_to,
            PolicyState::InForce => {
                if let Some(s) = self.superseded_by(doc, as_of) {
                    l.state = PolicyState::Superseded;
                    l.superseded_by = Some(&s.meta.id);
                    l.ended_on = s.meta.effective_from.and_then(|f| f.previous_day());
                } else {
                    l.days_left = m.effective_to.map(|t| days(as_of, t));
                    l.ending_soon = l.days_left.is_some_and(|d| d <= ENDING_SOON_DAYS);
                    l.amended_by = self.amended_by(doc, as_of).map(|a| a.meta.id.as_str());
                }
            }
            PolicyState::Superseded | PolicyState::Draft => {}
        }
        l
    }

    /// Whether `doc` is the document in force that gets evaluated on `as_of` (in force, not
    /// superseded, not replaced by an amendment in force).
    fn is_current(&self, doc: &Policy, as_of: Date) -> bool {
        let l = self.lifecycle(doc, as_of);
        l.state == PolicyState::InForce && l.amended_by.is_none()
    }

    /// The document of `district` evaluated on `as_of`: the one in force; else the next to
    /// start; else the newest (by issue date, then start). `None` for a district without any.
    pub fn select<'a>(&'a self, district: &str, as_of: Date) -> Option<Selection<'a>> {
        let docs: SmallVec<[&Policy; 4]> = self
            .policies
            .iter()
            .filter(|p| p.meta.district == district)
            .collect();
        let current = docs
            .iter()
            .copied()
            .find(|d| self.is_current(d, as_of))
            .or_else(|| {
                docs.iter()
                    .copied()
                    .filter(|d| window_state(d, as_of) == PolicyState::NotYetInForce)
                    .min_by_key(|d| d.meta.effective_from)
            })
            .or_else(|| {
                docs.iter()
                    .copied()
                    .max_by_key(|d| (d.meta.issued_on, d.meta.effective_from))
            })?;
        let mut history: SmallVec<[&Policy; 4]> = docs
            .into_iter()
            .filter(|d| !std::ptr::eq(*d, current))
            .collect();
        history.sort_by_key(|d| (d.meta.effective_from.or(d.meta.issued_on), d.meta.issued_on));
        Some(Selection { current, history })
    }

    /// How `other` relates to `current`.
    pub fn relation(&self, current: &Policy, other: &Policy) -> Relation {
        let (c, o) = (&current.meta, &other.meta);
        if c.amends.as_deref() == Some(o.id.as_str()) {
            Relation::Amended
        } else if o.amends.as_deref() == Some(c.id.as_str()) {
            Relation::Amendment
        } else if o.supersedes.as_deref() == Some(c.id.as_str()) {
            Relation::Successor
        } else if self.supersedes_transitively(current, &o.id) {
            Relation::Predecessor
        } else {
            Relation::Other
        }
    }

    /// Whether `doc` (or what it amends) supersedes `id`, directly or through a chain.
    fn supersedes_transitively(&self, doc: &Policy, id: &str) -> bool {
        let mut next = doc
            .meta
            .supersedes
            .as_deref()
            .or(doc.meta.amends.as_deref());
        let mut steps = 0;
        while let Some(n) = next {
            if n == id {
                return true;
            }
            steps += 1;
            if steps > self.policies.len() {
                return false;
            }
            next = self
                .document(n)
                .and_then(|d| d.meta.supersedes.as_deref().or(d.meta.amends.as_deref()));
        }
        false
    }
}

/// The state from the document's own window only (ignoring successors).
fn window_state(doc: &Policy, as_of: Date) -> PolicyState {
    let m = &doc.meta;
    match (m.status, m.effective_from, m.effective_to) {
        (DocStatus::Draft, _, _) | (_, None, _) => PolicyState::Draft,
        (_, Some(f), _) if as_of < f => PolicyState::NotYetInForce,
        (_, _, Some(t)) if as_of > t => PolicyState::Expired,
        _ => PolicyState::InForce,
    }
}

/// Load-time check: on no day may two documents of a district both be current. Returns the
/// indexes of each clashing pair with the first day they clash.
#[cfg(feature = "loader")]
pub(crate) fn clashes(set: &PolicySet) -> Vec<(usize, usize, Date)> {
    let mut out: Vec<(usize, usize, Date)> = Vec::new();
    for district in set.districts() {
        let docs: Vec<usize> = (0..set.policies.len())
            .filter(|&i| set.policies[i].meta.district == district)
            .collect();
        // States only change on a document's first day, or the day after its last.
        let mut days: Vec<Date> = docs
            .iter()
            .flat_map(|&i| {
                let m = &set.policies[i].meta;
                [m.effective_from, m.effective_to.and_then(|t| t.next_day())]
            })
            .flatten()
            .collect();
        days.sort();
        days.dedup();
        for day in days {
            let current: Vec<usize> = docs
                .iter()
                .copied()
                .filter(|&i| set.is_current(&set.policies[i], day))
                .collect();
            for (k, &a) in current.iter().enumerate() {
                for &b in &current[k + 1..] {
                    if !out.iter().any(|&(x, y, _)| (x, y) == (a, b)) {
                        out.push((a, b, day));
                    }
                }
            }
        }
    }
    out
}
