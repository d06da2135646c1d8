//! Award formulas: fixed, rate × base, per unit, tiers (the level reached), sums, ceilings, years.

use super::EvalError;
use super::env::{Env, ItemCtx, Missing, Need, Truth, V};
use crate::money::{MoneyError, mul_fen, mul_fen_down};
use crate::policy::{Bound, Formula, Node, Schedule};
use crate::profile::Value;
use crate::report::{CapScope, Step, StepOp, Yuan};
use crate::text::Text;
use rust_decimal::Decimal;

/// A computed amount.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Money<'p> {
    pub value: Decimal,
    pub bound: Bound,
    /// The ceiling that applied (for "combined with the higher-level grant" offsets).
    pub cap: Option<Decimal>,
    /// Some condition on the path is for the authority to decide.
    pub review: bool,
    /// A fixed sum ("最高不超过500万元"), not computed from the enterprise's figures.
    pub fixed: bool,
    pub schedule: Option<Plan<'p>>,
}

/// How an amount is paid over the years.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Plan<'p> {
    /// 分N年拨付: the text's schedule (with the shares when it gives them).
    Split(&'p Schedule),
    /// A yearly amount paid for `years` years (a formula's `years`).
    Yearly { years: u32, annual: Decimal },
}

/// What a formula gave.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Out<'p> {
    /// Its `when` does not hold (no tier reached).
    Skip,
    Unknown,
    NotQuantified,
    Money(Money<'p>),
}

/// Steps are collected only when explaining.
pub(crate) type Steps<'s, 'p> = Option<&'s mut Vec<Step<'p>>>;

fn push<'p>(steps: &mut Steps<'_, 'p>, op: StepOp<'p>) {
    if let Some(s) = steps {
        s.push(op.into());
    }
}

fn ovf(e: MoneyError) -> EvalError {
    EvalError::Overflow(e.to_string())
}

/// Evaluates a formula.
pub(crate) fn eval<'p>(
    f: &'p Formula,
    env: &Env<'p>,
    item: ItemCtx,
    mut steps: Steps<'_, 'p>,
    missing: &mut Missing,
) -> Result<Out<'p>, EvalError> {
    let mut review = false;
    if let Some(w) = &f.when {
        match w.check {
            crate::policy::Check::Review => review = true,
            crate::policy::Check::Expr(ref c) => match env.truth(c, item, missing) {
                Truth::False => return Ok(Out::Skip),
                Truth::Unknown => return Ok(Out::Unknown),
                Truth::Review => review = true,
                Truth::True => {}
            },
        }
    }
    let mut m = match &f.node {
        Node::NotQuantified => {
            push(&mut steps, StepOp::NotQuantified);
            return Ok(Out::NotQuantified);
        }
        Node::Fixed { amount, bound } => {
            push(
                &mut steps,
                StepOp::Fixed {
                    label: f.label.as_ref(),
                    amount: Yuan(*amount),
                    bound: *bound,
                },
            );
            Money {
                value: *amount,
                bound: *bound,
                cap: None,
                review,
                fixed: true,
                schedule: None,
            }
        }
        Node::Rate {
            base,
            base_label,
            rate,
            bound,
        } => {
            let b = match env.value(base, item, missing) {
                Some(V::Num(n)) => n.max(Decimal::ZERO),
                _ => return Ok(Out::Unknown),
            };
            // A ceiling rate ("不超过30%") rounds down: the amount never exceeds base × rate.
            let result = match bound {
                Bound::UpTo => mul_fen_down(b, *rate),
                Bound::Definite => mul_fen(b, *rate),
            }
            .map_err(ovf)?;
            push(
                &mut steps,
                StepOp::Rate {
                    base_label,
                    base: Yuan(b),
                    rate: *rate,
                    result: Yuan(result),
                    bound: *bound,
                },
            );
            Money {
                value: result,
                bound: *bound,
                cap: None,
                review,
                fixed: false,
                schedule: None,
            }
        }
        Node::PerUnit { count, unit, bound } => {
            let n = match env.get(*count, item) {
                Some(Value::Int(n)) => (*n).max(0),
                _ => {
                    missing.push(Need::Input(
                        *count,
                        item.map(|(_, i)| i)
                            .filter(|_| matches!(count, crate::expr::Operand::Field(..))),
                    ));
                    return Ok(Out::Unknown);
                }
            };
            let result = mul_fen(*unit, Decimal::from(n)).map_err(ovf)?;
            push(
                &mut steps,
                StepOp::PerUnit {
                    count: n,
                    unit: Yuan(*unit),
                    result: Yuan(result),
                    bound: *bound,
                },
            );
            Money {
                value: result,
                bound: *bound,
                cap: None,
                review,
                fixed: false,
                schedule: None,
            }
        }
        Node::Best(options) => {
            let mut best: Option<(usize, Money)> = None;
            let mut applicable = 0u32;
            let mut unknown: Vec<&Formula> = Vec::new();
            let mut any_nq = false;
            let mark = missing.len();
            for (i, o) in options.iter().enumerate() {
                match eval(o, env, item, None, missing)? {
                    Out::Skip => {}
                    Out::Unknown => unknown.push(o),
                    Out::NotQuantified => any_nq = true,
                    Out::Money(m) => {
                        applicable += 1;
                        if best.is_none_or(|(_, b)| m.value > b.value) {
                            best = Some((i, m));
                        }
                    }
                }
            }
            if !unknown.is_empty() {
                // An unknown option matters only if it could pay more than the best known one.
                let settled = best.is_some_and(|(_, b)| {
                    f.cap.is_some_and(|c| b.value >= c)
                        || unknown
                            .iter()
                            .all(|o| o.ceiling().is_some_and(|c| c <= b.value))
                });
                if !settled {
                    return Ok(Out::Unknown);
                }
                missing.truncate(mark);
            }
            let Some((i, mut m)) = best else {
                return Ok(if any_nq {
                    Out::NotQuantified
                } else {
                    Out::Skip
                });
            };
            let o = &options[i];
            if steps.is_some() {
                eval(o, env, item, steps.as_deref_mut(), &mut Vec::new())?;
                push(
                    &mut steps,
                    StepOp::Chosen {
                        label: option_label(o),
                        value: Yuan(m.value),
                        applicable,
                    },
                );
            }
            m.review |= review;
            m.schedule = o.schedule.as_ref().map(Plan::Split).or(m.schedule);
            m
        }
        Node::Sum(parts) => {
            let mut total = Decimal::ZERO;
            let mut bound = Bound::Definite;
            let mut counted = 0u32;
            let mut part_review = false;
            let mut fixed = true;
            for p in parts {
                match eval(p, env, item, steps.as_deref_mut(), missing)? {
                    Out::Skip | Out::NotQuantified => {}
                    Out::Unknown => return Ok(Out::Unknown),
                    Out::Money(m) => {
                        counted += 1;
                        total = crate::money::add(total, m.value).map_err(ovf)?;
                        bound = bound.max(m.bound);
                        part_review |= m.review;
                        fixed &= m.fixed;
                    }
                }
            }
            if counted == 0 {
                return Ok(Out::Skip);
            }
            if counted > 1 {
                push(
                    &mut steps,
                    StepOp::Sum {
                        parts: counted,
                        result: Yuan(total),
                    },
                );
            }
            Money {
                value: total,
                bound,
                cap: None,
                review: review || part_review,
                fixed,
                schedule: None,
            }
        }
    };
    if let Some(cap) = f.cap {
        let before = m.value;
        m.value = m.value.min(cap);
        m.cap = Some(cap);
        push(
            &mut steps,
            StepOp::Cap {
                label: f.cap_label.as_ref(),
                cap: Yuan(cap),
                before: Yuan(before),
                after: Yuan(m.value),
                scope: CapScope::Award,
            },
        );
    }
    if let Some(y) = f.years {
        let annual = m.value;
        m.value = mul_fen(annual, Decimal::from(y)).map_err(ovf)?;
        m.cap = m.cap.map(|c| c * Decimal::from(y));
        m.schedule = Some(Plan::Yearly { years: y, annual });
        push(
            &mut steps,
            StepOp::Years {
                annual: Yuan(annual),
                years: y,
                result: Yuan(m.value),
            },
        );
        if let Some(tc) = f.total_cap {
            let before = m.value;
            m.value = m.value.min(tc);
            m.cap = Some(m.cap.map_or(tc, |c| c.min(tc)));
            push(
                &mut steps,
                StepOp::Cap {
                    label: None,
                    cap: Yuan(tc),
                    before: Yuan(before),
                    after: Yuan(m.value),
                    scope: CapScope::Total,
                },
            );
        }
    }
    if let Some(s) = &f.schedule {
        m.schedule = Some(Plan::Split(s));
    }
    Ok(Out::Money(m))
}

static OPTION: std::sync::OnceLock<Text> = std::sync::OnceLock::new();

/// The label shown for a chosen tier or alternative.
pub(crate) fn option_label(o: &Formula) -> &Text {
    o.label
        .as_ref()
        .or(o.when.as_ref().map(|w| &w.label))
        .unwrap_or_else(|| OPTION.get_or_init(|| Text::new("适用方式", "applicable option")))
}
