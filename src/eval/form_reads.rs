//! Test: no clause (or reading of one) reads an input that the form can hide for the items it
//! selects. The form drops hidden inputs (`show_if`), so such a clause would need information
//! forever (issue 9: 嘉定 二5 read `upper_requires_matching`, shown for one project kind of the
//! three it selects).
//!
//! Every profile here answers every input, as a user filling the whole form would; then the
//! inputs the form hides are dropped, exactly as the page does (`fact_visible`/`field_visible`
//! on the values as typed). Each policy is evaluated in its window, as if registered in its
//! district, under every clause's own terms and every reading. Any hidden input the engine
//! then asks for is a failure. Fields that decide other fields' visibility (`kind`,
//! `upper_requires_matching`, `cmmi_level`, …) take each of their values in turn, and the
//! project list holds one project of every kind.

use super::clause::{Terms, decide};
use super::env::{Need, Truth};
use super::{applicant_truths, policy_env};
use crate::catalogue::{Catalogue, FactDef, FactKind};
use crate::date::{Date, Period, parse_date};
use crate::expr::{Cond, Operand};
use crate::policy::DocStatus;
use crate::profile::{Profile, Value};
use crate::{EvalOptions, PolicySet};
use rust_decimal::Decimal;

/// A value that passes what a condition usually asks: yes, the highest enum value, a large
/// amount, a recent date, no violations.
fn answer(def: &FactDef, day: Date) -> Option<Value> {
    Some(match def.kind {
        FactKind::Bool => Value::Bool(true),
        FactKind::Integer => Value::Int(def.max.unwrap_or(1_000_000).min(1_000_000)),
        FactKind::Money => Value::Money(Decimal::from(10_000_000)),
        FactKind::Date => Value::Date(day),
        FactKind::Dates => Value::Dates(Vec::new()),
        FactKind::Enum => Value::Enum(def.values.len().checked_sub(1)? as u16),
        FactKind::Text => Value::Text("x".into()),
    })
}

/// Every value of a field that decides another's visibility.
fn values(def: &FactDef) -> Vec<Value> {
    match def.kind {
        FactKind::Bool => vec![Value::Bool(true), Value::Bool(false)],
        FactKind::Enum => (0..def.values.len() as u16).map(Value::Enum).collect(),
        _ => Vec::new(),
    }
}

/// Operands read by any `show_if` of the catalogue: the fields that hide others.
fn controlling(cat: &Catalogue) -> Vec<Operand> {
    let mut out = Vec::new();
    let mut add = |c: Option<&Cond>| {
        if let Some(c) = c {
            c.visit_operands(&mut |o| {
                if !out.contains(&o) {
                    out.push(o)
                }
            });
        }
    };
    for f in 0..cat.facts.len() {
        add(cat.fact_show_if(f as u16));
    }
    for (l, list) in cat.lists.iter().enumerate() {
        for f in 0..list.fields.len() {
            add(cat.field_show_if(l as u16, f as u16));
        }
    }
    out
}

/// The whole form answered: every fact, and per list one item for each value of the list's
/// `kind` field (one item when it has none).
fn answered(cat: &Catalogue, day: Date) -> Profile {
    let mut p = Profile::empty(cat);
    for (i, def) in cat.facts.iter().enumerate() {
        p.facts[i] = answer(def, day);
    }
    for (l, list) in cat.lists.iter().enumerate() {
        let item: Vec<Option<Value>> = list.fields.iter().map(|d| answer(d, day)).collect();
        match list.fields.iter().position(|f| f.id == "kind") {
            Some(k) => {
                for v in 0..list.fields[k].values.len() {
                    let mut it = item.clone();
                    it[k] = Some(Value::Enum(v as u16));
                    p.lists[l].get_or_insert_with(Vec::new).push(it);
                }
            }
            None => p.lists[l].get_or_insert_with(Vec::new).push(item),
        }
    }
    p
}

/// Sets a controlling operand (on every item, for a field).
fn put(p: &mut Profile, op: Operand, v: &Value) {
    match op {
        Operand::Fact(f) => p.facts[f as usize] = Some(v.clone()),
        Operand::Field(l, f) => {
            for it in p.lists[l as usize].iter_mut().flatten() {
                it[f as usize] = Some(v.clone());
            }
        }
    }
}

/// What the form hides, dropped (visibility decided on the values as typed, like the page).
fn as_the_form_sends(set: &PolicySet, typed: &Profile, day: Date) -> Profile {
    let cat = &set.catalogue;
    let mut p = typed.clone();
    for f in 0..cat.facts.len() {
        if !super::fact_visible(set, typed, f as u16, day) {
            p.facts[f] = None;
        }
    }
    for l in 0..cat.lists.len() as u16 {
        for i in 0..typed.items(l).len() {
            for f in 0..cat.lists[usize::from(l)].fields.len() {
                if !super::field_visible(set, typed, l, i, f as u16, day)
                    && let Some(items) = p.items_mut(l)
                {
                    items[i][f] = None;
                }
            }
        }
    }
    p
}

/// A day inside the policy's window (any day for a draft).
fn day_in_window(set: &PolicySet, pi: usize) -> Date {
    let m = &set.policies[pi].meta;
    match (m.status, m.effective_from) {
        (DocStatus::Official, Some(from)) => from.next_day().unwrap_or(from),
        _ => parse_date("2023-06-01").unwrap_or(Date::MIN),
    }
}

#[test]
fn no_clause_reads_an_input_the_form_hides_for_its_items() {
    let set = PolicySet::embedded().expect("embedded data");
    let cat = &set.catalogue;
    let mut failures: Vec<String> = Vec::new();
    for (pi, pol) in set.policies.iter().enumerate() {
        let day = day_in_window(&set, pi);
        let base = answered(cat, day);
        // The whole form as answered, then each controlling field at each of its values.
        let mut variants = vec![base.clone()];
        for op in controlling(cat) {
            for v in values(cat.operand_def(op)) {
                let mut p = base.clone();
                put(&mut p, op, &v);
                variants.push(p);
            }
        }
        let mut opts = EvalOptions::new(day);
        opts.compare_all = true;
        opts.application_period = Period::new(day, day).ok();
        for typed in &variants {
            let profile = as_the_form_sends(&set, typed, day);
            let env = policy_env(&set, pol, &profile, &opts);
            let truths = applicant_truths(pol, &env);
            let mut scratch = Vec::new();
            for c in &pol.clauses {
                let readings = c
                    .readings
                    .iter()
                    .map(|r| (r.id.as_str(), Terms::reading(c, r)));
                for (which, terms) in std::iter::once(("", Terms::of(c))).chain(readings) {
                    let d = decide(&terms, &env, &truths, &mut scratch).expect("decides");
                    // Everything shown is answered: needing information means needing a hidden
                    // input (a decided clause may have met one on the way; it does not matter).
                    let undecided = |item: Option<usize>| match item {
                        Some(i) => d.items.iter().any(|it| {
                            it.index == i && it.status == crate::report::Status::NeedsInformation
                        }),
                        None => d.status == crate::report::Status::NeedsInformation,
                    };
                    for need in &scratch {
                        let Need::Input(op, item) = *need else {
                            continue;
                        };
                        let hidden = match (op, item) {
                            (Operand::Fact(f), _) => !super::fact_visible(&set, typed, f, day),
                            (Operand::Field(l, f), Some(i)) => {
                                !super::field_visible(&set, typed, l, i, f, day)
                            }
                            (Operand::Field(..), None) => false,
                        };
                        let hidden = hidden && undecided(item);
                        if hidden {
                            let def = cat.operand_def(op);
                            let whose = match (op, item) {
                                (Operand::Field(l, _), Some(i)) => {
                                    let list = &cat.lists[l as usize];
                                    let kind = list
                                        .fields
                                        .iter()
                                        .position(|f| f.id == "kind")
                                        .and_then(|k| match &profile.items(l)[i][k] {
                                            Some(Value::Enum(v)) => {
                                                list.fields[k].values.get(*v as usize)
                                            }
                                            _ => None,
                                        })
                                        .map_or(String::new(), |v| format!(" of kind `{}`", v.id));
                                    format!("an item of `{}`{kind}", list.id)
                                }
                                _ => "the enterprise".to_string(),
                            };
                            let msg = format!(
                                "{}{}: reads `{}`, which the form hides for {whose}",
                                c.id,
                                if which.is_empty() {
                                    String::new()
                                } else {
                                    format!(" (reading `{which}`)")
                                },
                                def.id
                            );
                            if !failures.contains(&msg) {
                                failures.push(msg);
                            }
                        }
                    }
                }
            }
            // Applicant rules read inputs too.
            for (r, t) in pol.rules.iter().zip(&truths) {
                if *t == Truth::Unknown {
                    failures.push(format!(
                        "{}: unknown although every shown input is answered",
                        r.id
                    ));
                }
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(
        failures.is_empty(),
        "clauses read inputs the form hides (show_if in policies/facts.toml):\n{}",
        failures.join("\n")
    );
}
