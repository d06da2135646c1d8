//! One clause: applicant and clause conditions, per-item evaluation, offsets, status, amount.

use super::EvalError;
use super::env::{Env, ItemCtx, Missing, Truth};
use super::formula::{self, Out};
use crate::expr::Operand;
use crate::money::round_fen;
use crate::policy::{Basis, Bound, Check, Clause, Condition, Offset, OffsetKind, Policy, Schedule};
use crate::report::*;
use rust_decimal::Decimal;
use smallvec::SmallVec;

/// Whether to build the explanation (conditions with inputs, steps) or only the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    Full,
    Outcome,
}

pub(crate) fn state_of(t: Truth) -> CondState {
    match t {
        Truth::True => CondState::Met,
        Truth::False => CondState::Unmet,
        Truth::Unknown => CondState::Unknown,
        Truth::Review => CondState::OnReview,
    }
}

/// Evaluates a condition to its truth.
pub(crate) fn truth_of(c: &Condition, env: &Env, item: ItemCtx, missing: &mut Missing) -> Truth {
    match &c.check {
        Check::Review => Truth::Review,
        Check::Expr(e) => env.truth(e, item, missing),
    }
}

/// The inputs a condition read, for the report.
pub(crate) fn inputs<'p>(
    c: &'p Condition,
    env: &Env<'p>,
    item: ItemCtx,
) -> SmallVec<[Input<'p>; 2]> {
    c.reads
        .iter()
        .filter_map(|op| input(*op, env, item))
        .collect()
}

/// One input with its current value.
pub(crate) fn input<'p>(op: Operand, env: &Env<'p>, item: ItemCtx) -> Option<Input<'p>> {
    let def = env.cat.operand_def(op);
    let (list, idx) = match op {
        Operand::Fact(_) => (None, None),
        Operand::Field(l, _) => match item {
            Some((il, i)) if il == l => (Some(env.cat.lists[l as usize].id.as_str()), Some(i)),
            _ => return None,
        },
    };
    let overridden = env.overrides.iter().any(|o| o.op == op && o.item == idx);
    let value = env.get(op, item).map(|v| {
        if overridden {
            ValueRef::Owned(v.clone())
        } else {
            // SAFETY-free borrow: values not overridden live in the profile for 'p.
            profile_ref(env, op, idx).map_or_else(|| ValueRef::Owned(v.clone()), ValueRef::Borrowed)
        }
    });
    Some(Input {
        fact: def.id.as_str(),
        label: &def.label,
        list,
        item: idx,
        value: InputValue { def, value },
    })
}

fn profile_ref<'p>(
    env: &Env<'p>,
    op: Operand,
    idx: Option<usize>,
) -> Option<&'p crate::profile::Value> {
    let p: &'p crate::profile::Profile = env.profile;
    match op {
        Operand::Fact(f) => p.facts.get(f as usize)?.as_ref(),
        Operand::Field(l, f) => p
            .lists
            .get(l as usize)?
            .get(idx?)?
            .get(f as usize)?
            .as_ref(),
    }
}

fn cond_result<'p>(
    c: &'p Condition,
    t: Truth,
    env: &Env<'p>,
    item: ItemCtx,
    rule: Option<&'p str>,
) -> ConditionResult<'p> {
    ConditionResult {
        label: &c.label,
        state: state_of(t),
        test: &c.source,
        rule,
        inputs: inputs(c, env, item),
    }
}

/// Status from the conditions' combined truth and the formula's outcome.
pub(crate) fn status_of(basis: Basis, truth: Truth, out: &Out) -> Status {
    if truth == Truth::False || matches!(out, Out::Skip) {
        return Status::NotEligible;
    }
    if truth == Truth::Unknown || matches!(out, Out::Unknown) {
        return Status::NeedsInformation;
    }
    let review = truth == Truth::Review || matches!(out, Out::Money(m) if m.review);
    if basis != Basis::Entitlement || review {
        Status::EligibleSubjectToReview
    } else {
        Status::Eligible
    }
}

struct Award<'p> {
    status: Status,
    amount: Amount,
    schedule: Option<&'p Schedule>,
}

/// Applies offsets to a computed amount; `None` when an input is unknown.
fn apply_offsets<'p>(
    offsets: &'p [Offset],
    env: &Env<'p>,
    item: ItemCtx,
    mut value: Decimal,
    cap: Option<Decimal>,
    steps: &mut Option<&mut Vec<Step<'p>>>,
    missing: &mut Missing,
) -> Option<Decimal> {
    for o in offsets {
        if let Some(w) = &o.when {
            match truth_of(w, env, item, missing) {
                Truth::False => continue,
                Truth::Unknown => return None,
                _ => {}
            }
        }
        let v = match env.value(&o.value, item, missing)? {
            super::env::V::Num(n) => n.max(Decimal::ZERO),
            _ => return None,
        };
        let before = value;
        value = match o.kind {
            OffsetKind::Subtract => (value - v).max(Decimal::ZERO),
            OffsetKind::CombinedCap => match cap {
                Some(c) => value.min((c - v).max(Decimal::ZERO)),
                None => value,
            },
            OffsetKind::AtLeast => value.max(v),
        };
        if let Some(s) = steps {
            s.push(
                StepOp::Offset {
                    kind: o.kind,
                    label: &o.label,
                    value: Yuan(v),
                    before: Yuan(before),
                    after: Yuan(value),
                }
                .into(),
            );
        }
    }
    Some(value)
}

/// Formula, offsets and status for the clause (or one of its items).
fn award<'p>(
    clause: &'p Clause,
    env: &Env<'p>,
    item: ItemCtx,
    truth: Truth,
    mut steps: Option<&mut Vec<Step<'p>>>,
    missing: &mut Missing,
) -> Result<Award<'p>, EvalError> {
    let out = if truth == Truth::False {
        // Still computed when explaining, so the user sees what the clause would pay.
        Out::Skip
    } else {
        formula::eval(&clause.award, env, item, steps.as_deref_mut(), missing)?
    };
    let mut status = status_of(clause.basis, truth, &out);
    let (amount, schedule) = match out {
        Out::Money(m) => match apply_offsets(
            &clause.offsets,
            env,
            item,
            m.value,
            m.cap,
            &mut steps,
            missing,
        ) {
            Some(v) => (Amount::money(v, m.bound), m.schedule),
            None => {
                if status.counts() {
                    status = Status::NeedsInformation;
                }
                (Amount::NONE, None)
            }
        },
        Out::NotQuantified => (Amount::NOT_QUANTIFIED, None),
        _ => (Amount::NONE, None),
    };
    let amount = if status.counts() {
        amount
    } else {
        Amount::NONE
    };
    Ok(Award {
        status,
        amount,
        schedule,
    })
}

/// Installments of a multi-year schedule.
pub(crate) fn installments(s: Option<&Schedule>, amount: &Amount) -> Vec<Installment> {
    let Some(s) = s else { return Vec::new() };
    let total = amount.value.map(|y| y.0);
    if s.shares.is_empty() {
        return (1..=s.years)
            .map(|year| Installment {
                year,
                share: None,
                amount: None,
            })
            .collect();
    }
    let mut paid = Decimal::ZERO;
    s.shares
        .iter()
        .enumerate()
        .map(|(i, share)| {
            let amt = total.map(|t| {
                if i + 1 == s.shares.len() {
                    t - paid
                } else {
                    let a = round_fen(t * share);
                    paid += a;
                    a
                }
            });
            Installment {
                year: i as u32 + 1,
                share: Some(*share),
                amount: amt.map(Yuan),
            }
        })
        .collect()
}

fn missing_inputs<'p>(missing: &Missing, env: &Env<'p>) -> Vec<Input<'p>> {
    let mut out: Vec<Input<'p>> = Vec::new();
    for (op, idx) in missing {
        let item = match op {
            Operand::Field(l, _) => idx.map(|i| (*l, i)),
            Operand::Fact(_) => None,
        };
        if let Some(inp) = input(*op, env, item)
            && !out
                .iter()
                .any(|o| o.fact == inp.fact && o.item == inp.item && o.list == inp.list)
        {
            out.push(inp);
        }
    }
    out
}

/// Evaluates a clause. `applicant` holds each rule's combined truth.
pub(crate) fn eval_clause<'p>(
    pol: &'p Policy,
    clause: &'p Clause,
    env: &Env<'p>,
    applicant: &[Truth],
    detail: Detail,
) -> Result<ClauseResult<'p>, EvalError> {
    let full = detail == Detail::Full;
    let mut missing: Missing = Vec::new();
    let applicant_truth = clause
        .applicant
        .iter()
        .map(|&i| applicant[i])
        .min()
        .unwrap_or(Truth::True);
    let mut truth = applicant_truth;
    if full && applicant_truth == Truth::Unknown {
        // List the applicant inputs that are missing, too.
        for &i in &clause.applicant {
            if applicant[i] == Truth::Unknown {
                for c in &pol.rules[i].conditions {
                    truth_of(c, env, None, &mut missing);
                }
            }
        }
    }
    let mut conditions = Vec::new();
    for c in clause.conditions.iter().filter(|c| !c.item_level) {
        let t = truth_of(c, env, None, &mut missing);
        truth = truth.min(t);
        if full {
            conditions.push(cond_result(c, t, env, None, None));
        }
    }
    let mut computation = Vec::new();
    let mut items = Vec::new();
    let (status, amount, schedule) = match clause.for_each {
        None => {
            let a = award(
                clause,
                env,
                None,
                truth,
                full.then_some(&mut computation),
                &mut missing,
            )?;
            let schedule = if full {
                installments(a.schedule, &a.amount)
            } else {
                Vec::new()
            };
            (a.status, a.amount, schedule)
        }
        Some(list) => {
            let n = env.profile.lists.get(list as usize).map_or(0, Vec::len);
            // A linear scan of the list's few fields: cheaper than hashing "name" per clause.
            let name_field = env.cat.lists[list as usize]
                .fields
                .iter()
                .position(|f| f.id == "name");
            for i in 0..n {
                let ctx = Some((list, i));
                let selected = match (&clause.select_enum, &clause.select) {
                    (Some((f, values)), Some(s)) => match env.get(Operand::Field(list, *f), ctx) {
                        Some(crate::profile::Value::Enum(v)) if values.contains(v) => Truth::True,
                        Some(_) => Truth::False,
                        None => truth_of(s, env, ctx, &mut missing),
                    },
                    (_, None) => Truth::True,
                    (None, Some(s)) => truth_of(s, env, ctx, &mut missing),
                };
                if selected == Truth::False {
                    continue;
                }
                let mut t = truth.min(selected);
                let mut item_conds = Vec::new();
                if full
                    && selected == Truth::Unknown
                    && let Some(s) = &clause.select
                {
                    item_conds.push(cond_result(s, selected, env, ctx, None));
                }
                for c in clause.conditions.iter().filter(|c| c.item_level) {
                    let ct = truth_of(c, env, ctx, &mut missing);
                    t = t.min(ct);
                    if full {
                        item_conds.push(cond_result(c, ct, env, ctx, None));
                    }
                }
                let mut steps = Vec::new();
                let a = award(
                    clause,
                    env,
                    ctx,
                    t,
                    full.then_some(&mut steps),
                    &mut missing,
                )?;
                let name =
                    name_field.and_then(|f| match env.profile.lists[list as usize][i].get(f) {
                        Some(Some(crate::profile::Value::Text(s))) => Some(s.as_str()),
                        _ => None,
                    });
                items.push(ItemResult {
                    list: &env.cat.lists[list as usize].id,
                    index: i,
                    name,
                    status: a.status,
                    counted: a.status.counts(),
                    schedule: if full {
                        installments(a.schedule, &a.amount)
                    } else {
                        Vec::new()
                    },
                    amount: a.amount,
                    superseded_by: None,
                    conditions: item_conds,
                    computation: steps,
                });
            }
            if items.is_empty()
                && let (Some(s), true) = (&clause.select, full)
            {
                conditions.push(ConditionResult {
                    label: &s.label,
                    state: CondState::Unmet,
                    test: &s.source,
                    rule: None,
                    inputs: SmallVec::new(),
                });
            }
            let (status, amount) =
                aggregate_items(clause, &items, full.then_some(&mut computation));
            (status, amount, Vec::new())
        }
    };
    Ok(ClauseResult {
        id: &clause.id,
        article: &clause.article,
        title: &clause.title,
        status,
        status_if_in_force: status,
        basis: clause.basis,
        counted: status.counts(),
        amount,
        applicant_rules: clause
            .applicant
            .iter()
            .map(|&i| pol.rules[i].id.as_str())
            .collect(),
        applicant_state: state_of(applicant_truth),
        conditions,
        computation,
        items,
        schedule,
        citation: Citation {
            doc_no: pol.meta.doc_no.as_deref(),
            title: &pol.meta.title,
            article: &clause.article,
            quote: &clause.quote,
            extra_quotes: &clause.extra_quotes,
            source_file: &pol.meta.source_file,
        },
        notes: &clause.notes,
        interpretation: &clause.interpretation,
        hints: Vec::new(),
        missing: if full {
            missing_inputs(&missing, env)
        } else {
            Vec::new()
        },
    })
}

/// Combines item results into the clause's status and amount (sum, then the items ceiling).
pub(crate) fn aggregate_items<'p>(
    clause: &'p Clause,
    items: &[ItemResult<'p>],
    steps: Option<&mut Vec<Step<'p>>>,
) -> (Status, Amount) {
    let status = items
        .iter()
        .map(|i| i.status)
        .max_by_key(|s| match s {
            Status::Eligible => 4,
            Status::EligibleSubjectToReview => 3,
            Status::NeedsInformation => 2,
            _ => 1,
        })
        .unwrap_or(Status::NotEligible);
    // Counted items, and those of them with money (two passes; no temporary vectors).
    let counted = || items.iter().filter(|i| i.counted && i.status.counts());
    let money = || counted().filter(|i| i.amount.value.is_some());
    let parts = money().count();
    if parts == 0 {
        let amount = if counted().next().is_none() {
            Amount::NONE
        } else {
            Amount::NOT_QUANTIFIED
        };
        return (status, amount);
    }
    let sum: Decimal = money().map(|i| i.amount.value_or_zero()).sum();
    let bound = if money().any(|i| i.amount.kind == AmountKind::UpTo) {
        Bound::UpTo
    } else {
        Bound::Definite
    };
    let mut total = sum;
    if let Some(cap) = clause.items_cap {
        total = sum.min(cap);
    }
    if let Some(s) = steps {
        if parts > 1 {
            s.push(
                StepOp::Sum {
                    parts: parts as u32,
                    result: Yuan(sum),
                }
                .into(),
            );
        }
        if let Some(cap) = clause.items_cap {
            s.push(
                StepOp::Cap {
                    label: clause.items_cap_label.as_ref(),
                    cap: Yuan(cap),
                    before: Yuan(sum),
                    after: Yuan(total),
                    scope: CapScope::Items,
                }
                .into(),
            );
        }
    }
    (status, Amount::money(total, bound))
}
