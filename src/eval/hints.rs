//! Near misses: the smallest change in the inputs that would unlock or raise a clause's money.
//!
//! Candidate changes come from the data itself: thresholds in unmet conditions and tiers,
//! the base that would reach a rate ceiling, one more unit under a per-unit ceiling. Each
//! candidate is tried by re-evaluating the clause; only changes that add money are kept.

use super::EvalError;
use super::clause::{Decision, Terms, decide};
use super::env::{Env, ItemCtx, Missing, Override, Truth};
use crate::catalogue::FactKind;
use crate::expr::{Cmp, Cond, Lit, Operand, Sign, Term};
use crate::policy::{Check, Clause, Formula, Node, Policy};
use crate::profile::Value;
use crate::report::{Amount, Change, Hint, Status, ValueRef, Yuan};
use rust_decimal::Decimal;
use smallvec::SmallVec;

/// At most this many hints per clause.
pub const MAX_HINTS: usize = 3;

/// A candidate change: operand, item index, new value, and the strict threshold it passes.
#[derive(Debug, Clone)]
struct Lever {
    op: Operand,
    item: Option<usize>,
    value: Value,
    /// Set when the change passes a strict threshold ("超过 X"): X.
    above: Option<Decimal>,
}

fn lever(op: Operand, item: Option<usize>, value: Value) -> Lever {
    Lever {
        op,
        item,
        value,
        above: None,
    }
}

/// Values that would make `c` hold, one per operand it compares.
fn levers_of(c: &Cond, env: &Env, item: ItemCtx, out: &mut Vec<Lever>) {
    let idx = |op: Operand| match op {
        Operand::Field(..) => item.map(|(_, i)| i),
        Operand::Fact(_) => None,
    };
    match c {
        Cond::Truthy(o) => out.push(lever(*o, idx(*o), Value::Bool(true))),
        Cond::Not(inner) => {
            if let Cond::Truthy(o) = inner.as_ref() {
                out.push(lever(*o, idx(*o), Value::Bool(false)));
            }
        }
        Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|c| levers_of(c, env, item, out)),
        Cond::InSet { left, set } if set.len() == 1 => {
            if let Lit::Enum(e) = set[0] {
                out.push(lever(*left, idx(*left), Value::Enum(e)));
            }
        }
        Cond::Compare { left, op, right } => {
            let (expr, lit, op) = match (left.first.clone(), right.as_lit()) {
                (Term::Ref(_), Some(l)) => (left, l, *op),
                _ => match (right.first.clone(), left.as_lit()) {
                    (Term::Ref(_), Some(l)) => (right, l, mirror(*op)),
                    _ => return,
                },
            };
            let Term::Ref(target) = expr.first else {
                return;
            };
            // Solve `target ± rest op lit` for target, reading the rest as they are.
            let mut others = Decimal::ZERO;
            for (sign, t) in &expr.rest {
                let v = match t {
                    Term::Lit(Lit::Num(n)) => *n,
                    Term::Ref(o) => match env.get(*o, item) {
                        Some(Value::Money(d)) => *d,
                        Some(Value::Int(i)) => Decimal::from(*i),
                        _ => return,
                    },
                    _ => return,
                };
                others += if *sign == Sign::Plus { v } else { -v };
            }
            let def = env.cat.operand_def(target);
            let value = match (def.kind, lit) {
                (FactKind::Enum, Lit::Enum(e)) => match op {
                    Cmp::Eq | Cmp::Ge => Some(*e),
                    Cmp::Gt => Some(*e + 1).filter(|v| (*v as usize) < def.values.len()),
                    _ => None,
                }
                .map(Value::Enum),
                (FactKind::Bool, Lit::Bool(b)) => match op {
                    Cmp::Eq => Some(Value::Bool(*b)),
                    Cmp::Ne => Some(Value::Bool(!*b)),
                    _ => None,
                },
                (FactKind::Money | FactKind::Integer, Lit::Num(n)) => {
                    let step = if def.kind == FactKind::Money {
                        Decimal::new(1, 2)
                    } else {
                        Decimal::ONE
                    };
                    let goal = n - others;
                    let v = match op {
                        Cmp::Eq | Cmp::Ge | Cmp::Le => Some(goal),
                        Cmp::Gt => Some(goal + step),
                        Cmp::Lt => Some(goal - step),
                        Cmp::Ne => None,
                    };
                    v.filter(|v| !v.is_sign_negative()).and_then(|v| {
                        if def.kind == FactKind::Money {
                            Some(Value::Money(v))
                        } else {
                            i64::try_from(v.ceil().mantissa()).ok().map(Value::Int)
                        }
                    })
                }
                _ => None,
            };
            if let Some(v) = value {
                let above = match (op, lit) {
                    (Cmp::Gt, Lit::Num(n)) => Some(n - others),
                    _ => None,
                };
                out.push(Lever {
                    op: target,
                    item: idx(target),
                    value: v,
                    above,
                });
            }
        }
        _ => {}
    }
}

fn mirror(op: Cmp) -> Cmp {
    match op {
        Cmp::Gt => Cmp::Lt,
        Cmp::Ge => Cmp::Le,
        Cmp::Lt => Cmp::Gt,
        Cmp::Le => Cmp::Ge,
        o => o,
    }
}

/// Levers from a formula: unmet tier conditions, the base reaching a rate ceiling, one more unit.
fn formula_levers(f: &Formula, env: &Env, item: ItemCtx, out: &mut Vec<Lever>) {
    if let Some(w) = &f.when
        && let Check::Expr(c) = &w.check
        && env.truth(c, item, &mut Missing::new()) == Truth::False
    {
        levers_of(c, env, item, out);
    }
    let idx = |op: Operand| match op {
        Operand::Field(..) => item.map(|(_, i)| i),
        Operand::Fact(_) => None,
    };
    match &f.node {
        Node::Best(opts) => opts.iter().for_each(|o| formula_levers(o, env, item, out)),
        Node::Sum(parts) => parts.iter().for_each(|o| formula_levers(o, env, item, out)),
        Node::Rate { base, rate, .. } => {
            if let (Some(op), Some(cap), false) = (base.as_operand(), f.cap, rate.is_zero()) {
                let need = (cap / rate)
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::AwayFromZero);
                let cur = match env.get(op, item) {
                    Some(Value::Money(d)) => *d,
                    _ => Decimal::ZERO,
                };
                if cur < need && env.cat.operand_def(op).kind == FactKind::Money {
                    out.push(lever(op, idx(op), Value::Money(need)));
                }
            }
        }
        Node::PerUnit { count, .. } => {
            if let Some(Value::Int(n)) = env.get(*count, item) {
                out.push(lever(*count, idx(*count), Value::Int(n + 1)));
            }
        }
        _ => {}
    }
}

/// Distance of a change, to prefer the smallest one.
fn distance(from: Option<&Value>, to: &Value) -> Decimal {
    match (from, to) {
        (Some(Value::Enum(a)), Value::Enum(b)) => Decimal::from((*b as i64 - *a as i64).abs()),
        (Some(Value::Money(a)), Value::Money(b)) => (b - a).abs(),
        (Some(Value::Int(a)), Value::Int(b)) => Decimal::from((b - a).abs()),
        (None, Value::Enum(b)) => Decimal::from(*b),
        (None, Value::Money(b)) => *b,
        (None, Value::Int(b)) => Decimal::from(*b),
        _ => Decimal::ZERO,
    }
}

fn with_levers<'p>(env: &Env<'p>, levers: &[Lever]) -> Env<'p> {
    let mut e = env.clone();
    for Lever {
        op,
        item: idx,
        value: v,
        ..
    } in levers
    {
        e.overrides.retain(|o| !(o.op == *op && o.item == *idx));
        e.overrides.push(Override {
            op: *op,
            item: *idx,
            value: v.clone(),
        });
        // A certificate obtained now is dated inside the window.
        if let Some((dop, d)) = companion(env, *op) {
            e.overrides.retain(|o| o.op != dop);
            e.overrides.push(Override {
                op: dop,
                item: None,
                value: d,
            });
        }
    }
    e
}

/// Computes the hints for one clause.
pub(crate) fn hints<'p>(
    pol: &'p Policy,
    clause: &'p Clause,
    env: &Env<'p>,
    applicant_of: &dyn Fn(&Env<'p>) -> super::Truths,
    current: &Decision,
) -> Result<Vec<Hint<'p>>, EvalError> {
    let base = current.value();
    let mut scratch = Vec::new();
    let mut levers: Vec<Lever> = Vec::new();
    let mut blocking: Vec<Vec<Lever>> = Vec::new();
    let mut collect = |c: &Cond, item: ItemCtx, levers: &mut Vec<Lever>| {
        if env.truth(c, item, &mut Missing::new()) == Truth::False {
            let mut l = Vec::new();
            levers_of(c, env, item, &mut l);
            blocking.push(l.clone());
            levers.extend(l);
        }
    };
    let applicant_conds = clause
        .applicant
        .iter()
        .flat_map(|&i| pol.rules[i].conditions.iter());
    for c in applicant_conds.chain(clause.conditions.iter().filter(|c| !c.item_level)) {
        if let Check::Expr(e) = &c.check {
            collect(e, None, &mut levers);
        }
    }
    match clause.for_each {
        None => formula_levers(&clause.award, env, None, &mut levers),
        Some(list) => {
            for it in &current.items {
                let ctx = Some((list, it.index));
                for c in clause.conditions.iter().filter(|c| c.item_level) {
                    if let Check::Expr(e) = &c.check {
                        collect(e, ctx, &mut levers);
                    }
                }
                formula_levers(&clause.award, env, ctx, &mut levers);
            }
        }
    }
    levers.retain(|l| env.cat.operand_def(l.op).lever);
    let mut best: Vec<(Lever, Decimal, Decimal, Decision)> = Vec::new();
    for lever in levers {
        let from = env.get(lever.op, lever.item.map(|i| (list_of(lever.op), i)));
        if from == Some(&lever.value) {
            continue;
        }
        let dist = distance(from, &lever.value);
        let e2 = with_levers(env, std::slice::from_ref(&lever));
        let r = decide(&Terms::of(clause), &e2, &applicant_of(&e2), &mut scratch)?;
        let gain = r.value() - base;
        if gain <= Decimal::ZERO {
            continue;
        }
        match best
            .iter_mut()
            .find(|(l, ..)| l.op == lever.op && l.item == lever.item)
        {
            Some(slot) if dist < slot.2 => *slot = (lever, gain, dist, r),
            Some(_) => {}
            None => best.push((lever, gain, dist, r)),
        }
    }
    let mut out: Vec<Hint<'p>> = best
        .into_iter()
        .map(|(l, gain, _, r)| hint(env, &[l], gain, &r))
        .collect();
    if out.is_empty() && current.status == Status::NotEligible && blocking.len() > 1 {
        let combo: Vec<Lever> = blocking
            .iter()
            .filter_map(|ls| ls.iter().find(|l| env.cat.operand_def(l.op).lever).cloned())
            .collect();
        if combo.len() == blocking.len() {
            let e2 = with_levers(env, &combo);
            let r = decide(&Terms::of(clause), &e2, &applicant_of(&e2), &mut scratch)?;
            let gain = r.value() - base;
            if gain > Decimal::ZERO {
                out.push(hint(env, &combo, gain, &r));
            }
        }
    }
    out.sort_by_key(|h| std::cmp::Reverse(h.adds));
    out.truncate(MAX_HINTS);
    Ok(out)
}

fn list_of(op: Operand) -> crate::catalogue::ListId {
    match op {
        Operand::Field(l, _) => l,
        Operand::Fact(_) => 0,
    }
}

/// The certificate date set together with a level: today, within the policy window and,
/// when given, within the application period.
fn companion(env: &Env, op: Operand) -> Option<(Operand, Value)> {
    let Operand::Fact(f) = op else { return None };
    let date_fact = (*env.cat.companion.get(f as usize)?)?;
    let mut d = match (env.window.from, env.window.to) {
        (Some(from), Some(to)) => env.as_of.clamp(from, to),
        _ => env.as_of,
    };
    if let Some(p) = env.application_period {
        let lo = env.window.from.map_or(p.from, |f| f.max(p.from));
        let hi = env.window.to.map_or(p.to, |t| t.min(p.to));
        if lo <= hi {
            d = d.clamp(lo, hi);
        }
    }
    Some((Operand::Fact(date_fact), Value::Date(d)))
}

fn hint<'p>(env: &Env<'p>, levers: &[Lever], gain: Decimal, r: &Decision) -> Hint<'p> {
    let mut changes: SmallVec<[Change<'p>; 2]> = levers
        .iter()
        .map(|l| {
            let list = match l.op {
                Operand::Field(li, _) => Some(env.cat.lists[li as usize].id.as_str()),
                Operand::Fact(_) => None,
            };
            Change {
                fact: env.cat.operand_def(l.op),
                list,
                item: l.item,
                from: env
                    .get(l.op, l.item.map(|i| (list_of(l.op), i)))
                    .map(|v| ValueRef::Owned(v.clone())),
                to: l.value.clone(),
                above: l.above,
                companion: false,
            }
        })
        .collect();
    // Say so when the hint also dates the certificate (e.g. inside the window).
    for l in levers {
        if let Some((dop, d)) = companion(env, l.op) {
            let from = env.get(dop, None);
            if from != Some(&d) {
                changes.push(Change {
                    fact: env.cat.operand_def(dop),
                    list: None,
                    item: None,
                    from: from.map(|v| ValueRef::Owned(v.clone())),
                    to: d,
                    above: None,
                    companion: true,
                });
            }
        }
    }
    // What the changes ask the enterprise to spend on top of what it spends now.
    let spends: Decimal = levers
        .iter()
        .filter(|l| env.cat.operand_def(l.op).spending)
        .filter_map(|l| {
            let from = match env.get(l.op, l.item.map(|i| (list_of(l.op), i))) {
                Some(Value::Money(d)) => *d,
                _ => Decimal::ZERO,
            };
            match l.value {
                Value::Money(to) if to > from => Some(to - from),
                _ => None,
            }
        })
        .sum();
    Hint {
        changes,
        adds: Yuan(gain),
        spends: (spends > Decimal::ZERO).then_some(Yuan(spends)),
        new_amount: if r.amount.value.is_some() {
            r.amount
        } else {
            Amount::NONE
        },
        new_status: r.status,
    }
}

/// The near-miss machinery on 松江's draft (which the report no longer offers hints for, being
/// a draft): strict thresholds ("超过", "突破") and tiers give the smallest change that pays.
#[cfg(all(test, feature = "loader"))]
mod tests {
    use super::super::clause::{Terms, decide};
    use super::super::{applicant_truths, policy_env};
    use crate::{EvalOptions, PolicySet, Profile};

    fn hint_of(profile: serde_json::Value, clause: &str) -> (String, String) {
        let set = PolicySet::embedded().expect("embedded data");
        let profile = Profile::from_json(&set.catalogue, &profile).expect("profile");
        let opts = EvalOptions::new(crate::date::parse_date("2023-06-01").unwrap());
        let pol = set
            .policies
            .iter()
            .find(|p| p.meta.district == "songjiang")
            .unwrap();
        let c = pol.clauses.iter().find(|c| c.id == clause).unwrap();
        let env = policy_env(&set, pol, &profile, &opts);
        let truths = applicant_truths(pol, &env);
        let d = decide(&Terms::of(c), &env, &truths, &mut Vec::new()).unwrap();
        let applicant_of = |e: &super::Env| applicant_truths(pol, e);
        let hints = super::hints(pol, c, &env, &applicant_of, &d).unwrap();
        let h = hints.first().expect("a hint");
        (
            crate::money::to_fixed2(h.adds.0),
            h.changes[0].fact.id.clone(),
        )
    }

    #[test]
    fn thresholds_and_tiers_give_the_smallest_change_that_pays() {
        let ent = serde_json::json!({ "registered_district": "songjiang", "tax_registered_locally": true,
            "entity_type": "enterprise", "operating_normally": true, "credit_good": true,
            "serious_violation_dates": [], "is_iiot_enterprise": true, "is_software_enterprise": true });
        let cases = [
            // 3,500,000.01 → net 3,000,000.01 × 30% = 900,000.00
            (
                serde_json::json!({ "projects": [{ "kind": "iiot_platform", "actual_investment": "3500000.00", "construction_investment": "500000.00" }] }),
                "songjiang.3.1.2",
                "900000.00",
                "actual_investment",
            ),
            // national would be 100万
            (
                serde_json::json!({ "honours": { "iiot_excellent_platform": "municipal" } }),
                "songjiang.3.1.3",
                "500000.00",
                "iiot_excellent_platform",
            ),
            // 500,000,000.01 would cross 5亿
            (
                serde_json::json!({ "operations": { "annual_revenue": "500000000.00", "prior_max_revenue": "400000000.00" } }),
                "songjiang.3.1.4",
                "500000.00",
                "annual_revenue",
            ),
            // level 3: 20万 − 15万
            (
                serde_json::json!({ "certifications": { "dcmm_level": "2", "dcmm_first_at_level": true, "dcmm_issued_on": "2022-09-01" } }),
                "songjiang.3.2.9",
                "50000.00",
                "dcmm_level",
            ),
            // 1,000,001 would qualify
            (
                serde_json::json!({ "honours": { "identifier_registrations": 1000000, "identifier_monthly_resolutions": 500000 } }),
                "songjiang.3.3.11.adoption",
                "100000.00",
                "identifier_registrations",
            ),
        ];
        for (mut profile, clause, adds, fact) in cases {
            profile["schema_version"] = 1.into();
            profile["enterprise"] = ent.clone();
            assert_eq!(
                hint_of(profile, clause),
                (adds.to_string(), fact.to_string()),
                "{clause}"
            );
        }
    }
}
