//! Where the money is: for the documents a district applies on a date, each input their
//! clauses read and the most money that depends on it, so that a form can ask first what
//! matters most (and not at all what no clause of the district reads).
//!
//! The figure is read from the compiled policies alone, never from a profile: an input's
//! stake is the largest ceiling among the clauses that read it (in a condition, the items
//! they select, the formula or an offset); an input an applicant rule reads gates every
//! clause of the document, so its stake is the document's largest ceiling. A per-item
//! clause counts one item's ceiling (at most its ceiling over all items).

use rust_decimal::Decimal;

use crate::date::Date;
use crate::expr::Operand;
use crate::policy::{Clause, Condition, Formula, ItemsCap, Node, Policy};
use crate::set::PolicySet;

/// An input and the money that depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stake {
    /// A fact, or a field of a list item.
    pub input: Operand,
    /// The largest ceiling among the clauses that read it; `None` when they name no amount
    /// (未定额).
    pub up_to: Option<Decimal>,
    /// Read by an applicant rule: every clause of the document depends on it.
    pub gate: bool,
}

/// The most one clause can pay: the award's ceiling for one item, at most the stated
/// ceiling over all items; `None` when the text names no amount.
pub fn clause_ceiling(c: &Clause) -> Option<Decimal> {
    let award = c.award.ceiling().filter(|v| !v.is_zero());
    match (award, c.items_cap) {
        (Some(a), Some(ItemsCap::Amount(cap))) => Some(a.min(cap)),
        (None, Some(ItemsCap::Amount(cap))) => Some(cap),
        (a, _) => a,
    }
}

fn condition_reads(c: &Condition, out: &mut Vec<Operand>) {
    out.extend(c.reads.iter().copied());
}

fn formula_reads(f: &Formula, out: &mut Vec<Operand>) {
    if let Some(w) = &f.when {
        condition_reads(w, out);
    }
    match &f.node {
        Node::Rate { base, .. } => out.extend(base.operands()),
        Node::PerUnit { count, .. } => out.push(*count),
        Node::Best(options) | Node::Sum(options) => {
            options.iter().for_each(|o| formula_reads(o, out));
        }
        Node::Fixed { .. } | Node::NotQuantified => {}
    }
}

/// Every input a clause reads beyond its applicant rules.
pub fn clause_reads(c: &Clause) -> Vec<Operand> {
    let mut out = Vec::new();
    if let Some(s) = &c.select {
        condition_reads(s, &mut out);
    }
    c.conditions
        .iter()
        .for_each(|x| condition_reads(x, &mut out));
    formula_reads(&c.award, &mut out);
    for o in &c.offsets {
        out.extend(o.value.operands());
        if let Some(w) = &o.when {
            condition_reads(w, &mut out);
        }
    }
    out
}

fn add(out: &mut Vec<Stake>, input: Operand, up_to: Option<Decimal>, gate: bool) {
    match out.iter_mut().find(|s| s.input == input) {
        Some(s) => {
            s.up_to = s.up_to.max(up_to);
            s.gate |= gate;
        }
        None => out.push(Stake { input, up_to, gate }),
    }
}

/// The stakes of one document.
fn policy_stakes(pol: &Policy, out: &mut Vec<Stake>) {
    for c in &pol.clauses {
        let ceiling = clause_ceiling(c);
        for op in clause_reads(c) {
            add(out, op, ceiling, false);
        }
        for &r in &c.applicant {
            for cond in &pol.rules[r].conditions {
                for &op in &cond.reads {
                    add(out, op, ceiling, true);
                }
            }
        }
    }
}

/// The inputs the documents of `districts` in effect on `as_of` read (the one evaluated
/// for each district, as the report chooses it), most money first: inputs that gate every
/// clause, then by stake (no amount named last), then in catalogue order.
pub fn stakes(set: &PolicySet, districts: &[&str], as_of: Date) -> Vec<Stake> {
    let mut out = Vec::new();
    for d in districts {
        if let Some(sel) = set.select(d, as_of) {
            policy_stakes(sel.current, &mut out);
        }
    }
    let rank = |s: &Stake| {
        let place = match s.input {
            Operand::Fact(f) => (0u16, f, 0u16),
            Operand::Field(l, f) => (1, l, f),
        };
        (!s.gate, std::cmp::Reverse(s.up_to), place)
    };
    sort_small(&mut out, rank);
    out
}

/// A stable insertion sort for the short lists here (tens of entries): a few hundred bytes of
/// wasm where each `sort_by_key` instantiation costs some 5 KiB.
pub(crate) fn sort_small<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(all(test, feature = "loader"))]
mod tests {
    use super::*;
    use crate::date::parse_date;

    fn ids(set: &PolicySet, district: &str) -> Vec<(String, Option<Decimal>, bool)> {
        let as_of = parse_date("2026-11-21").unwrap();
        stakes(set, &[district], as_of)
            .into_iter()
            .map(|s| {
                let def = set.catalogue.operand_def(s.input);
                (def.id.clone(), s.up_to, s.gate)
            })
            .collect()
    }

    #[test]
    fn putuo_asks_first_what_gates_everything_then_the_largest_ceilings() {
        let set = PolicySet::embedded().unwrap();
        let putuo = ids(&set, "putuo");
        let wan = |n: i64| Some(Decimal::from(n * 10_000));
        let stake = |id: &str| putuo.iter().find(|(i, ..)| i == id).cloned();
        // 一、五（二）: registration, applicant type, credit, violations gate every clause (500万 the largest).
        for id in [
            "registered_district",
            "entity_type",
            "credit_good",
            "serious_violation_dates",
            "other_violation_dates",
        ] {
            assert_eq!(stake(id), Some((id.to_string(), wan(500), true)), "{id}");
        }
        assert!(putuo[..5].iter().all(|(.., gate)| *gate), "{putuo:?}");
        // 三（二）: rent up to 100万 a year for three years, purchase 2% up to 300万.
        assert_eq!(stake("office_premises").unwrap().1, wan(300));
        assert_eq!(stake("office_annual_rent").unwrap().1, wan(300));
        // 三（三）: R&D projects up to 300万 (三（八）'s parks 200万); the project kind also
        // selects 三（五）（六）: 500万, and 三（六） reads the computing costs.
        assert_eq!(stake("actual_investment").unwrap().1, wan(300));
        assert_eq!(stake("actual_cost").unwrap().1, wan(500));
        assert_eq!(stake("kind").unwrap().1, wan(500));
        // 三（四）: CMMI 3 is one of the qualifications, up to 20万.
        assert_eq!(stake("cmmi_level").unwrap().1, wan(20));
        // Read by no clause of 普陀: not asked.
        for id in [
            "tax_registered_locally",
            "cmmi_issued_on",
            "dcmm_level",
            "annual_revenue",
        ] {
            assert_eq!(stake(id), None, "{id}");
        }
        // Ranked: nothing after a larger stake.
        let money: Vec<_> = putuo
            .iter()
            .filter(|(.., g)| !g)
            .map(|(_, m, _)| *m)
            .collect();
        assert!(money.windows(2).all(|w| w[0] >= w[1]), "{money:?}");
    }
}
