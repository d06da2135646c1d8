//! One clause: applicant and clause conditions, per-item evaluation, offsets, status, amount.

use super::EvalError;
use super::env::{Env, ItemCtx, Missing, Need, Truth};
use super::formula::{self, Out, Plan};
use crate::catalogue::{FactDef, FactKind, FieldId, ListId};
use crate::expr::Operand;
use crate::policy::{
    Basis, Bound, Check, Clause, Condition, Formula, ItemsCap, Offset, OffsetKind, Policy, Reading,
};
use crate::profile::Value;
use crate::report::*;
use crate::text::Text;
use rust_decimal::Decimal;
use smallvec::SmallVec;

/// What a clause is decided by: its own terms, or those of one of its readings.
#[derive(Clone, Copy)]
pub(crate) struct Terms<'p> {
    pub basis: Basis,
    pub applicant: &'p [usize],
    pub for_each: Option<ListId>,
    pub select: Option<&'p Condition>,
    pub select_enum: Option<&'p (FieldId, Vec<u16>)>,
    pub conditions: &'p [Condition],
    pub award: &'p Formula,
    pub items_cap: Option<ItemsCap>,
    pub items_cap_label: Option<&'p Text>,
    pub offsets: &'p [Offset],
}

impl<'p> Terms<'p> {
    /// The clause as counted.
    pub fn of(c: &'p Clause) -> Terms<'p> {
        Terms {
            basis: c.basis,
            applicant: &c.applicant,
            for_each: c.for_each,
            select: c.select.as_ref(),
            select_enum: c.select_enum.as_ref(),
            conditions: &c.conditions,
            award: &c.award,
            items_cap: c.items_cap,
            items_cap_label: c.items_cap_label.as_ref(),
            offsets: &c.offsets,
        }
    }

    /// The clause under another reading: what the reading replaces, the rest as counted.
    pub fn reading(c: &'p Clause, r: &'p Reading) -> Terms<'p> {
        let own = Terms::of(c);
        Terms {
            applicant: r.applicant.as_deref().unwrap_or(own.applicant),
            conditions: r.conditions.as_deref().unwrap_or(own.conditions),
            award: r.award.as_ref().unwrap_or(own.award),
            items_cap: r.items_cap.unwrap_or(own.items_cap),
            items_cap_label: r.items_cap_label.as_ref().or(own.items_cap_label),
            offsets: r.offsets.as_deref().unwrap_or(own.offsets),
            ..own
        }
    }
}

/// A synthetic text fact: what a missing input that is no profile field is shown with.
fn text_def(id: &str, label: Text) -> FactDef {
    FactDef {
        id: id.to_string(),
        group: String::new(),
        kind: FactKind::Text,
        label,
        help: None,
        values: Vec::new(),
        unit_label: None,
        min: None,
        max: None,
        lever: false,
        location: false,
        companion_date: None,
        spending: false,
        show_if: None,
        required: false,
    }
}

/// The definition shown for the application period when a clause needs it (an evaluation
/// option, not a profile field: `missing[].fact` is `application_period`).
pub fn application_period_def() -> &'static FactDef {
    static DEF: std::sync::OnceLock<FactDef> = std::sync::OnceLock::new();
    DEF.get_or_init(|| {
        text_def(
            APPLICATION_PERIOD,
            Text::new(
                "申报期（当年申报通知规定的起止日期）",
                "application period (申报期, set by each year's call)",
            ),
        )
    })
}

/// The id the application period has among inputs (`missing[].fact`, condition inputs).
pub const APPLICATION_PERIOD: &str = "application_period";

/// The application period as a condition input (null when not set).
fn period_input<'p>(env: &Env<'p>) -> Input<'p> {
    let def = application_period_def();
    Input {
        fact: APPLICATION_PERIOD,
        label: &def.label,
        list: None,
        item: None,
        value: InputValue {
            def,
            value: env
                .application_period
                .map(|p| ValueRef::Owned(Value::Text(p.to_string()))),
        },
    }
}

/// The definition shown for a list not answered (`missing[]` with `list` set and no `item`:
/// the list's items are asked for, or that it has none).
pub fn list_answer_def() -> &'static FactDef {
    static DEF: std::sync::OnceLock<FactDef> = std::sync::OnceLock::new();
    DEF.get_or_init(|| {
        let w = crate::words::LIST_NOT_ANSWERED;
        text_def("", Text::new(w.zh, w.en))
    })
}

/// A list not answered, as a missing input: `fact` and `list` are the list's id, no item.
fn list_input<'p>(env: &Env<'p>, l: ListId) -> Input<'p> {
    let def = &env.cat.lists[usize::from(l)];
    Input {
        fact: &def.id,
        label: &def.label,
        list: Some(&def.id),
        item: None,
        value: InputValue {
            def: list_answer_def(),
            value: None,
        },
    }
}

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
    let mut out: SmallVec<[Input<'p>; 2]> = c
        .reads
        .iter()
        .filter_map(|op| input(*op, env, item))
        .collect();
    if c.reads_application_period {
        out.push(period_input(env));
    }
    out
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
        Operand::Field(l, f) => p.items(l).get(idx?)?.get(f as usize)?.as_ref(),
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
    schedule: Option<Plan<'p>>,
    /// The ceiling the formula applied (for `items_cap = "award_cap"`).
    cap: Option<Decimal>,
    /// A fixed sum, not computed from the enterprise's figures.
    fixed: bool,
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
    terms: &Terms<'p>,
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
        formula::eval(terms.award, env, item, steps.as_deref_mut(), missing)?
    };
    let mut status = status_of(terms.basis, truth, &out);
    let (cap, fixed) = match out {
        Out::Money(m) => (m.cap, m.fixed),
        _ => (None, false),
    };
    let (amount, schedule) = match out {
        Out::Money(m) => match apply_offsets(
            terms.offsets,
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
        cap,
        fixed,
    })
}

/// Where a schedule's years fall: the calendar year of the first payment (the evaluation
/// year, or the document's first year when it starts later) and the document's last day.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Years {
    pub first: i32,
    pub end: Option<crate::date::Date>,
}

impl Years {
    /// For the document evaluated in `env`.
    pub fn of(env: &Env) -> Years {
        let start = env.window.from.map_or(i32::MIN, |f| f.year());
        Years {
            first: env.as_of.year().max(start),
            end: env.window.to,
        }
    }
}

/// The sentence under schedules with years after the document's last day, if any.
fn past_end_notice(schedule: &[Installment], items: &[ItemResult], at: Years) -> Option<Text> {
    // The years after the end run from the year after it to the last payment's.
    let last = schedule
        .iter()
        .chain(items.iter().flat_map(|i| &i.schedule))
        .filter(|i| i.past_end)
        .map(|i| i.calendar_year)
        .max()?;
    Some(crate::words::past_end_notice(at.end?, last))
}

/// Installments of a multi-year schedule, each in its calendar year.
pub(crate) fn installments(plan: Option<Plan>, amount: &Amount, at: Years) -> Vec<Installment> {
    let total = amount.value.map(|y| y.0);
    let (years, shares, each): (u32, &[Decimal], Option<Decimal>) = match plan {
        None => return Vec::new(),
        // The same yearly amount, unless a total ceiling or an offset changed the total.
        Some(Plan::Yearly { years, annual }) => (
            years,
            &[],
            total
                .filter(|t| annual * Decimal::from(years) == *t)
                .map(|_| annual),
        ),
        Some(Plan::Split(s)) => (s.years.max(s.shares.len() as u32), &s.shares, None),
    };
    let mut out = Vec::with_capacity(years as usize);
    let mut paid = Decimal::ZERO;
    for i in 0..years {
        let share = shares.get(i as usize).copied();
        let amount = match (share, total) {
            // The last share takes the rest, so the installments add up to the award exactly.
            (Some(_), Some(t)) if i + 1 == years => Some(t - paid),
            (Some(sh), Some(t)) => {
                let a = crate::money::round_fen(t * sh);
                paid += a;
                Some(a)
            }
            _ => each,
        };
        let calendar_year = at.first.saturating_add(i as i32);
        out.push(Installment {
            year: i + 1,
            calendar_year,
            past_end: at.end.is_some_and(|e| calendar_year > e.year()),
            share,
            amount: amount.map(Yuan),
        });
    }
    out
}

fn missing_inputs<'p>(missing: &Missing, env: &Env<'p>) -> Vec<Input<'p>> {
    let mut out: Vec<Input<'p>> = Vec::new();
    for need in missing {
        let inp = match need {
            Need::ApplicationPeriod => Some(period_input(env)),
            Need::List(l) => Some(list_input(env, *l)),
            Need::Input(op, idx) => {
                let item = match op {
                    Operand::Field(l, _) => idx.map(|i| (*l, i)),
                    Operand::Fact(_) => None,
                };
                input(*op, env, item)
            }
        };
        if let Some(inp) = inp
            && !out
                .iter()
                .any(|o| o.fact == inp.fact && o.item == inp.item && o.list == inp.list)
        {
            out.push(inp);
        }
    }
    out
}

/// What counts for one item of a per-item clause.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ItemDecision {
    pub index: usize,
    pub status: Status,
    pub amount: Amount,
    pub counted: bool,
    /// Index (within the policy) of the clause that pays this item instead (从高不重复).
    pub superseded_by: Option<usize>,
    /// The ceiling the item's award applied (for `items_cap = "award_cap"`).
    pub cap: Option<Decimal>,
    /// The item's amount is a fixed sum, not computed from its figures.
    pub fixed: bool,
}

/// What counts for one clause: decided once here, explained on demand by [`explain`].
#[derive(Debug, Clone)]
pub(crate) struct Decision {
    pub status: Status,
    pub amount: Amount,
    pub counted: bool,
    pub applicant_truth: Truth,
    pub items: Vec<ItemDecision>,
    /// The amount is a fixed sum (every counted item's, for a per-item clause).
    pub fixed: bool,
}

impl Decision {
    /// A discretionary ceiling: a fixed sum paid "up to" (`ClauseResult::discretionary`).
    pub fn discretionary(&self) -> bool {
        self.fixed && self.amount.kind == AmountKind::UpTo
    }

    /// The money the clause counts (zero unless eligible or subject to review).
    pub fn value(&self) -> Decimal {
        if self.status.counts() {
            self.amount.value_or_zero()
        } else {
            Decimal::ZERO
        }
    }
}

fn applicant_truth_of(terms: &Terms, applicant: &[Truth]) -> Truth {
    terms
        .applicant
        .iter()
        .map(|&i| applicant[i])
        .min()
        .unwrap_or(Truth::True)
}

/// Whether an item is one the clause is about (its `select`), with a fast path for enum tests.
fn selected(terms: &Terms, list: ListId, env: &Env, ctx: ItemCtx, missing: &mut Missing) -> Truth {
    match (terms.select_enum, terms.select) {
        (Some((f, values)), Some(s)) => match env.get(Operand::Field(list, *f), ctx) {
            Some(crate::profile::Value::Enum(v)) if values.contains(v) => Truth::True,
            Some(_) => Truth::False,
            None => truth_of(s, env, ctx, missing),
        },
        (_, None) => Truth::True,
        (None, Some(s)) => truth_of(s, env, ctx, missing),
    }
}

/// Decides a clause: status, amount and per-item outcomes, without building any explanation.
/// `applicant` holds each rule's combined truth; `scratch` is a reusable buffer.
pub(crate) fn decide(
    terms: &Terms,
    env: &Env,
    applicant: &[Truth],
    scratch: &mut Missing,
) -> Result<Decision, EvalError> {
    decide_items(terms, env, applicant, scratch, Items::Every)
}

/// Which items a per-item clause's decision lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Items {
    /// Every item the clause selects (a report shows each).
    Every,
    /// None when the clause's own conditions already fail: no item could be paid, and the
    /// decision comes out the same (not eligible, no amount, not counted, not fixed). Totals
    /// need no more.
    Countable,
}

/// [`decide`], listing `items`.
pub(crate) fn decide_items(
    terms: &Terms,
    env: &Env,
    applicant: &[Truth],
    scratch: &mut Missing,
    items: Items,
) -> Result<Decision, EvalError> {
    scratch.clear();
    let applicant_truth = applicant_truth_of(terms, applicant);
    let mut truth = applicant_truth;
    for c in terms.conditions.iter().filter(|c| !c.item_level) {
        if truth == Truth::False {
            break;
        }
        truth = truth.min(truth_of(c, env, None, scratch));
    }
    if truth == Truth::False && (terms.for_each.is_none() || items == Items::Countable) {
        // What the award and the item loop would give: nothing is computed for a clause
        // whose conditions fail.
        return Ok(Decision {
            status: Status::NotEligible,
            amount: Amount::NONE,
            counted: false,
            applicant_truth,
            items: Vec::new(),
            fixed: false,
        });
    }
    let Some(list) = terms.for_each else {
        let a = award(terms, env, None, truth, None, scratch)?;
        return Ok(Decision {
            status: a.status,
            amount: a.amount,
            counted: a.status.counts(),
            applicant_truth,
            items: Vec::new(),
            fixed: a.fixed,
        });
    };
    if !env.profile.answered(list) {
        // No items to decide: unknown until the list is answered, unless already decided.
        let status = if truth == Truth::False {
            Status::NotEligible
        } else {
            scratch.push(Need::List(list));
            Status::NeedsInformation
        };
        return Ok(Decision {
            status,
            amount: Amount::NONE,
            counted: false,
            applicant_truth,
            items: Vec::new(),
            fixed: false,
        });
    }
    let mut items = Vec::new();
    let n = env.profile.items(list).len();
    for i in 0..n {
        let ctx = Some((list, i));
        let sel = selected(terms, list, env, ctx, scratch);
        if sel == Truth::False {
            continue;
        }
        let mut t = truth.min(sel);
        for c in terms.conditions.iter().filter(|c| c.item_level) {
            if t == Truth::False {
                break;
            }
            t = t.min(truth_of(c, env, ctx, scratch));
        }
        let a = award(terms, env, ctx, t, None, scratch)?;
        items.push(ItemDecision {
            index: i,
            status: a.status,
            // An item above the clause's ceiling counts only up to it.
            amount: within_items_cap(terms, a.amount),
            counted: a.status.counts(),
            superseded_by: None,
            cap: a.cap,
            fixed: a.fixed,
        });
    }
    let (status, amount) = aggregate_items(terms, items.iter().map(ItemDecision::outcome), None);
    Ok(Decision {
        status,
        amount,
        counted: status.counts(),
        applicant_truth,
        fixed: items_fixed(&items),
        items,
    })
}

/// Whether every counted item with money has a fixed sum (and there is one).
pub(crate) fn items_fixed(items: &[ItemDecision]) -> bool {
    let mut paid = items
        .iter()
        .filter(|i| i.counted && i.amount.value.is_some())
        .peekable();
    paid.peek().is_some() && paid.all(|i| i.fixed)
}

/// An item's amount, at most the stated ceiling over all items (`items_cap` as an amount).
fn within_items_cap(terms: &Terms, a: Amount) -> Amount {
    match (terms.items_cap, a.value) {
        (Some(ItemsCap::Amount(cap)), Some(v)) if v.0 > cap => Amount {
            value: Some(Yuan(cap)),
            ..a
        },
        _ => a,
    }
}

/// Decides a clause under another reading. Which clause pays a project (从高不重复) stays as
/// the counted reading decided it (`counted`): a reading changes only its own clause.
pub(crate) fn decide_reading(
    terms: &Terms,
    env: &Env,
    applicant: &[Truth],
    counted: &Decision,
    scratch: &mut Missing,
) -> Result<Decision, EvalError> {
    let mut d = decide(terms, env, applicant, scratch)?;
    let mut moved = false;
    for it in &mut d.items {
        let by = counted
            .items
            .iter()
            .find(|c| c.index == it.index)
            .and_then(|c| c.superseded_by);
        if by.is_some() {
            it.counted = false;
            it.superseded_by = by;
            moved = true;
        }
    }
    if moved {
        let (status, amount) =
            aggregate_items(terms, d.items.iter().map(ItemDecision::outcome), None);
        d.status = status;
        d.amount = amount;
        d.counted = status.counts() && d.items.iter().any(|i| i.counted);
        d.fixed = items_fixed(&d.items);
    }
    Ok(d)
}

/// One item's outcome as [`aggregate_items`] reads it.
pub(crate) type ItemOutcome = (Status, Amount, bool, Option<Decimal>);

impl ItemDecision {
    pub(crate) fn outcome(&self) -> ItemOutcome {
        (self.status, self.amount, self.counted, self.cap)
    }
}

/// Builds a clause's result from its decision; with `Detail::Full`, also the conditions with
/// their inputs, the arithmetic, schedules and missing inputs (re-evaluated for display).
pub(crate) fn explain<'p>(
    pol: &'p Policy,
    clause: &'p Clause,
    env: &Env<'p>,
    applicant: &[Truth],
    d: &Decision,
    detail: Detail,
) -> Result<ClauseResult<'p>, EvalError> {
    let full = detail == Detail::Full;
    let terms = Terms::of(clause);
    let mut missing: Missing = Vec::new();
    if full && d.applicant_truth == Truth::Unknown {
        // List the applicant inputs that are missing, too.
        for &i in &clause.applicant {
            if applicant[i] == Truth::Unknown {
                for c in &pol.rules[i].conditions {
                    truth_of(c, env, None, &mut missing);
                }
            }
        }
    }
    let mut truth = d.applicant_truth;
    let mut conditions = Vec::new();
    if full {
        for c in clause.conditions.iter().filter(|c| !c.item_level) {
            let t = truth_of(c, env, None, &mut missing);
            truth = truth.min(t);
            conditions.push(cond_result(c, t, env, None, None));
        }
    }
    let mut computation = Vec::new();
    let mut schedule = Vec::new();
    let years = Years::of(env);
    let mut items = Vec::with_capacity(d.items.len());
    match clause.for_each {
        None => {
            if full {
                let a = award(
                    &terms,
                    env,
                    None,
                    truth,
                    Some(&mut computation),
                    &mut missing,
                )?;
                schedule = installments(a.schedule, &d.amount, years);
            }
        }
        Some(list) => {
            let fields = &env.cat.lists[list as usize].fields;
            // A linear scan of the list's few fields: cheaper than hashing "name" per clause.
            let name_field = fields.iter().position(|f| f.id == "name");
            for it in &d.items {
                let ctx = Some((list, it.index));
                let name =
                    name_field.and_then(|f| match env.profile.items(list).get(it.index)?.get(f) {
                        Some(Some(crate::profile::Value::Text(s))) => Some(s.as_str()),
                        _ => None,
                    });
                let mut item_conds = Vec::new();
                let mut steps = Vec::new();
                let mut item_schedule = Vec::new();
                if full {
                    let sel = selected(&terms, list, env, ctx, &mut missing);
                    if sel == Truth::Unknown
                        && let Some(s) = &clause.select
                    {
                        item_conds.push(cond_result(s, sel, env, ctx, None));
                    }
                    let mut t = truth.min(sel);
                    for c in clause.conditions.iter().filter(|c| c.item_level) {
                        let ct = truth_of(c, env, ctx, &mut missing);
                        t = t.min(ct);
                        item_conds.push(cond_result(c, ct, env, ctx, None));
                    }
                    let a = award(&terms, env, ctx, t, Some(&mut steps), &mut missing)?;
                    if let (Some(own), Some(counted)) = (a.amount.value, it.amount.value)
                        && own > counted
                    {
                        // Above the ceiling over all items: counted toward it, up to it.
                        steps.push(
                            StepOp::Cap {
                                label: terms.items_cap_label,
                                cap: counted,
                                before: own,
                                after: counted,
                                scope: CapScope::Items,
                            }
                            .into(),
                        );
                    }
                    item_schedule = installments(a.schedule, &it.amount, years);
                }
                items.push(ItemResult {
                    list: &env.cat.lists[list as usize].id,
                    index: it.index,
                    name,
                    status: it.status,
                    counted: it.counted,
                    schedule: item_schedule,
                    amount: it.amount,
                    superseded_by: it.superseded_by.map(|c| pol.clauses[c].id.as_str()),
                    conditions: item_conds,
                    computation: steps,
                });
            }
            // A list not answered: what the clause selects is unknown, and the list is asked for.
            let answered = env.profile.answered(list);
            if full && !answered {
                missing.push(Need::List(list));
            }
            if items.is_empty()
                && let (Some(s), true) = (&clause.select, full)
            {
                conditions.push(ConditionResult {
                    label: &s.label,
                    state: if answered {
                        CondState::Unmet
                    } else {
                        CondState::Unknown
                    },
                    test: &s.source,
                    rule: None,
                    inputs: SmallVec::new(),
                });
            }
            if full {
                aggregate_items(
                    &terms,
                    d.items.iter().map(ItemDecision::outcome),
                    Some(&mut computation),
                );
            }
        }
    }
    let schedule_notice = past_end_notice(&schedule, &items, years);
    Ok(ClauseResult {
        id: &clause.id,
        article: &clause.article,
        title: &clause.title,
        status: d.status,
        status_if_in_force: d.status,
        basis: clause.basis,
        counted: d.counted,
        discretionary: d.discretionary(),
        amount: d.amount,
        applicant_rules: clause
            .applicant
            .iter()
            .map(|&i| pol.rules[i].id.as_str())
            .collect(),
        applicant_state: state_of(d.applicant_truth),
        conditions,
        computation,
        items,
        schedule,
        schedule_notice,
        citation: match clause.origin.as_deref() {
            // Inherited by an amendment: the text it was written in.
            Some(o) => Citation {
                doc_no: o.doc_no.as_deref(),
                title: &o.title,
                article: &clause.article,
                quote: &clause.quote,
                extra_quotes: &clause.extra_quotes,
                source_file: &o.source_file,
            },
            None => Citation {
                doc_no: pol.meta.doc_no.as_deref(),
                title: &pol.meta.title,
                article: &clause.article,
                quote: &clause.quote,
                extra_quotes: &clause.extra_quotes,
                source_file: &pol.meta.source_file,
            },
        },
        notes: &clause.notes,
        interpretation: &clause.interpretation,
        amount_note: clause.amount_note.as_ref(),
        readings: Vec::new(),
        hints: Vec::new(),
        // Only what would decide a clause that needs information (a decided clause asks for
        // nothing, not even inputs the form hides because they cannot matter).
        missing: if full && d.status == Status::NeedsInformation {
            missing_inputs(&missing, env)
        } else {
            Vec::new()
        },
    })
}

/// Combines item outcomes `(status, amount, counted, cap)` into the clause's status and
/// amount (sum of the counted items, then the ceiling over all items).
pub(crate) fn aggregate_items<'p, I>(
    terms: &Terms<'p>,
    items: I,
    steps: Option<&mut Vec<Step<'p>>>,
) -> (Status, Amount)
where
    I: Iterator<Item = ItemOutcome> + Clone,
{
    // The best item's status (`Status` is ordered best first); never "not in force" here.
    let status = items
        .clone()
        .map(|(s, ..)| s.min(Status::NotEligible))
        .min()
        .unwrap_or(Status::NotEligible);
    // Counted items, and those of them with money (two passes; no temporary vectors).
    let counted = || items.clone().filter(|(s, _, c, _)| *c && s.counts());
    let money = || counted().filter(|(_, a, ..)| a.value.is_some());
    let parts = money().count();
    if parts == 0 {
        let amount = if counted().next().is_none() {
            Amount::NONE
        } else {
            Amount::NOT_QUANTIFIED
        };
        return (status, amount);
    }
    let sum: Decimal = money().map(|(_, a, ..)| a.value_or_zero()).sum();
    let bound = if money().any(|(_, a, ..)| a.kind == AmountKind::UpTo) {
        Bound::UpTo
    } else {
        Bound::Definite
    };
    let items_cap = match terms.items_cap {
        None => None,
        Some(ItemsCap::Amount(c)) => Some(c),
        Some(ItemsCap::AwardCap) => money().filter_map(|(.., cap)| cap).max(),
    };
    let total = items_cap.map_or(sum, |cap| sum.min(cap));
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
        if let Some(cap) = items_cap {
            s.push(
                StepOp::Cap {
                    label: terms.items_cap_label,
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
