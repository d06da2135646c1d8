//! The evaluation environment: profile lookups with overrides, and four-valued condition logic.

use crate::catalogue::{Catalogue, ListId};
use crate::date::{Date, Period, years_before};
use crate::expr::{Cond, Lit, Operand, Sign, Term, ValueExpr};
use crate::profile::{Profile, Value};
use rust_decimal::Decimal;
use smallvec::SmallVec;
use std::cmp::Ordering;

/// The current list item: which list, which index.
pub(crate) type ItemCtx = Option<(ListId, usize)>;

/// A value replacing the profile's (compare mode, hints).
#[derive(Debug, Clone)]
pub(crate) struct Override {
    pub op: Operand,
    pub item: Option<usize>,
    pub value: Value,
}

/// The effective window of the policy being evaluated (`None` ends for a draft).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// Everything a condition or formula may read.
#[derive(Clone)]
pub(crate) struct Env<'a> {
    pub cat: &'a Catalogue,
    pub profile: &'a Profile,
    pub overrides: SmallVec<[Override; 4]>,
    pub window: Window,
    pub as_of: Date,
    /// The application period (申报期) of the call, when the user gave it.
    pub application_period: Option<Period>,
}

/// Something the calculator needs to decide, found missing while evaluating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// An input of the profile (and the item index, for item fields).
    Input(Operand, Option<usize>),
    /// The application period, an evaluation option.
    ApplicationPeriod,
    /// A list not answered: its items, or that it has none.
    List(ListId),
}

/// What was found missing while evaluating.
pub(crate) type Missing = Vec<Need>;

/// Four-valued truth, ordered so that `and` is `min` and `or` is `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Truth {
    False,
    Unknown,
    /// Holds only if the authority so decides (draft window, 经认定).
    Review,
    True,
}

impl Truth {
    fn from_bool(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }

    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            t => t,
        }
    }
}

/// A comparable value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum V {
    Num(Decimal),
    Enum(u16),
    Date(Date),
    Bool(bool),
}

impl V {
    fn cmp(self, o: V) -> Option<Ordering> {
        match (self, o) {
            (V::Num(a), V::Num(b)) => Some(a.cmp(&b)),
            (V::Enum(a), V::Enum(b)) => Some(a.cmp(&b)),
            (V::Date(a), V::Date(b)) => Some(a.cmp(&b)),
            (V::Bool(a), V::Bool(b)) => Some(a.cmp(&b)),
            _ => None,
        }
    }
}

impl<'a> Env<'a> {
    /// The value of an operand (overrides first); `None` when unknown.
    // Hot in the condition interpreter; not inlined at opt-level "s" without this.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn get(&self, op: Operand, item: ItemCtx) -> Option<&Value> {
        let idx = match op {
            Operand::Fact(_) => None,
            Operand::Field(l, _) => match item {
                Some((il, i)) if il == l => Some(i),
                _ => return None,
            },
        };
        if let Some(o) = self.overrides.iter().find(|o| o.op == op && o.item == idx) {
            return Some(&o.value);
        }
        match op {
            Operand::Fact(f) => self.profile.facts.get(f as usize)?.as_ref(),
            Operand::Field(l, f) => self.profile.items(l).get(idx?)?.get(f as usize)?.as_ref(),
        }
    }

    // Hot in the condition interpreter; not inlined at opt-level "s" without this.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn term(&self, t: &Term, item: ItemCtx, missing: &mut Missing) -> Option<V> {
        match t {
            Term::Lit(Lit::Num(n)) => Some(V::Num(*n)),
            Term::Lit(Lit::Enum(e)) => Some(V::Enum(*e)),
            Term::Lit(Lit::Date(d)) => Some(V::Date(*d)),
            Term::Lit(Lit::Bool(b)) => Some(V::Bool(*b)),
            Term::Ref(op) => match self.get(*op, item) {
                None => {
                    missing.push(Need::Input(*op, item_index(*op, item)));
                    None
                }
                Some(Value::Money(d)) => Some(V::Num(*d)),
                Some(Value::Int(i)) => Some(V::Num(Decimal::from(*i))),
                Some(Value::Enum(e)) => Some(V::Enum(*e)),
                Some(Value::Date(d)) => Some(V::Date(*d)),
                Some(Value::Bool(b)) => Some(V::Bool(*b)),
                Some(Value::Dates(_) | Value::Text(_)) => None,
            },
        }
    }

    /// Evaluates a value expression; `None` when an input is unknown.
    // Hot in the condition interpreter; not inlined at opt-level "s" without this.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn value(&self, e: &ValueExpr, item: ItemCtx, missing: &mut Missing) -> Option<V> {
        let first = self.term(&e.first, item, missing);
        if e.rest.is_empty() {
            return first;
        }
        let mut acc = match first {
            Some(V::Num(n)) => Some(n),
            _ => None,
        };
        for (sign, t) in &e.rest {
            let v = match self.term(t, item, missing) {
                Some(V::Num(n)) => Some(n),
                _ => None,
            };
            acc = match (acc, v, sign) {
                (Some(a), Some(b), Sign::Plus) => a.checked_add(b),
                (Some(a), Some(b), Sign::Minus) => a.checked_sub(b),
                _ => None,
            };
        }
        acc.map(V::Num)
    }

    /// Evaluates a condition; inputs found missing are recorded only when the result is unknown.
    pub fn truth(&self, c: &Cond, item: ItemCtx, missing: &mut Missing) -> Truth {
        let mark = missing.len();
        let t = self.truth_inner(c, item, missing);
        if t != Truth::Unknown {
            missing.truncate(mark);
        }
        t
    }

    fn truth_inner(&self, c: &Cond, item: ItemCtx, missing: &mut Missing) -> Truth {
        match c {
            Cond::Truthy(op) => match self.get(*op, item) {
                Some(Value::Bool(b)) => Truth::from_bool(*b),
                _ => {
                    missing.push(Need::Input(*op, item_index(*op, item)));
                    Truth::Unknown
                }
            },
            Cond::Compare { left, op, right } => {
                match (
                    self.value(left, item, missing),
                    self.value(right, item, missing),
                ) {
                    (Some(a), Some(b)) => match a.cmp(b) {
                        Some(ord) => Truth::from_bool(op.holds(ord)),
                        None => Truth::Unknown,
                    },
                    _ => Truth::Unknown,
                }
            }
            Cond::InSet { left, set } => match self.get(*left, item) {
                Some(Value::Enum(e)) => Truth::from_bool(set.contains(&Lit::Enum(*e))),
                _ => {
                    missing.push(Need::Input(*left, item_index(*left, item)));
                    Truth::Unknown
                }
            },
            Cond::InWindow(op) => match self.get(*op, item) {
                Some(Value::Date(d)) => match (self.window.from, self.window.to) {
                    (Some(f), Some(t)) => Truth::from_bool(f <= *d && *d <= t),
                    _ => Truth::Review,
                },
                _ => {
                    missing.push(Need::Input(*op, item_index(*op, item)));
                    Truth::Unknown
                }
            },
            Cond::InApplicationPeriod(op) => {
                let date = match self.get(*op, item) {
                    Some(Value::Date(d)) => Some(*d),
                    _ => {
                        missing.push(Need::Input(*op, item_index(*op, item)));
                        None
                    }
                };
                match (date, self.application_period) {
                    (Some(d), Some(p)) => Truth::from_bool(p.contains(d)),
                    (_, None) => {
                        // Unset is unknown, never "met": the call's period decides.
                        missing.push(Need::ApplicationPeriod);
                        Truth::Unknown
                    }
                    (None, Some(_)) => Truth::Unknown,
                }
            }
            Cond::NoneWithinYears { dates, years } => match self.get(*dates, item) {
                Some(Value::Dates(ds)) => {
                    let start = years_before(self.as_of, *years);
                    Truth::from_bool(!ds.iter().any(|d| *d > start && *d <= self.as_of))
                }
                _ => {
                    missing.push(Need::Input(*dates, item_index(*dates, item)));
                    Truth::Unknown
                }
            },
            Cond::NoneInPreviousYear(op) => match self.get(*op, item) {
                Some(Value::Dates(ds)) => {
                    let prev = self.as_of.year() - 1;
                    Truth::from_bool(!ds.iter().any(|d| d.year() == prev))
                }
                _ => {
                    missing.push(Need::Input(*op, item_index(*op, item)));
                    Truth::Unknown
                }
            },
            Cond::Any { list, cond } => {
                // An unanswered list has no items to hold: unknown (answered "none": false).
                if !self.profile.answered(*list) {
                    missing.push(Need::List(*list));
                    return Truth::Unknown;
                }
                let n = self.profile.items(*list).len();
                let mut acc = Truth::False;
                for i in 0..n {
                    acc = acc.max(self.truth_inner(cond, Some((*list, i)), missing));
                    if acc == Truth::True {
                        break;
                    }
                }
                acc
            }
            Cond::Not(c) => self.truth_inner(c, item, missing).not(),
            Cond::And(cs) => {
                let mut acc = Truth::True;
                for c in cs {
                    acc = acc.min(self.truth_inner(c, item, missing));
                    if acc == Truth::False {
                        break;
                    }
                }
                acc
            }
            Cond::Or(cs) => {
                let mut acc = Truth::False;
                for c in cs {
                    acc = acc.max(self.truth_inner(c, item, missing));
                    if acc == Truth::True {
                        break;
                    }
                }
                acc
            }
        }
    }
}

fn item_index(op: Operand, item: ItemCtx) -> Option<usize> {
    match op {
        Operand::Fact(_) => None,
        Operand::Field(..) => item.map(|(_, i)| i),
    }
}
