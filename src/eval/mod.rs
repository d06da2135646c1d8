//! The engine: evaluates a profile against every policy as of a date. No district-specific code.

mod clause;
mod env;
#[cfg(all(test, feature = "loader"))]
mod form_reads;
mod formula;
mod hints;
mod stakes;

use crate::date::{Date, Period};
use crate::expr::Operand;
use crate::lifecycle::{Lifecycle, Selection};
use crate::policy::{Policy, RuleKind};
use crate::profile::{Profile, Value};
use crate::report::*;
use crate::set::PolicySet;
use clause::{Decision, Detail, Items, Terms, decide_items, decide_reading, explain};
use env::{Env, Override, Truth, Window};
use smallvec::SmallVec;

pub use clause::{APPLICATION_PERIOD, application_period_def};
pub(crate) use formula::option_label;
pub use hints::MAX_HINTS;
pub(crate) use stakes::sort_small;
pub use stakes::{Stake, clause_ceiling, clause_reads, stakes};

/// How to evaluate.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// The date the question is asked on (default: today).
    pub as_of: Date,
    /// Only these districts (ids such as `putuo`); `None` = all.
    pub districts: Option<Vec<String>>,
    /// Evaluate each district as if the enterprise were registered there.
    pub compare_all: bool,
    /// Compute near-miss hints (costs extra evaluations).
    pub hints: bool,
    /// Build conditions, inputs and arithmetic (off for fast batch totals).
    pub explain: bool,
    /// The application period (申报期) of the call applied under, for clauses whose text
    /// says a date must fall within it. Unset: those conditions are unknown (the clause
    /// needs information and names the period), never met.
    pub application_period: Option<Period>,
}

impl EvalOptions {
    /// Full explanation with hints, as of `as_of`.
    pub fn new(as_of: Date) -> Self {
        EvalOptions {
            as_of,
            districts: None,
            compare_all: false,
            hints: true,
            explain: true,
            application_period: None,
        }
    }
}

/// Errors that stop an evaluation (inputs never cause them; see the profile checks).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("arithmetic overflow: {0}")]
    Overflow(String),
    #[error("unknown district `{0}`")]
    UnknownDistrict(String),
}

/// The truth of each of a policy's applicant rules (no allocation for up to 16 rules).
pub(crate) type Truths = SmallVec<[Truth; 16]>;

fn applicant_truths(pol: &Policy, env: &Env) -> Truths {
    let mut missing = Vec::new();
    pol.rules
        .iter()
        .map(|r| {
            r.conditions
                .iter()
                .map(|c| {
                    missing.clear();
                    clause::truth_of(c, env, None, &mut missing)
                })
                .min()
                .unwrap_or(Truth::True)
        })
        .collect()
}

/// Evaluates a profile.
pub fn evaluate<'a>(
    set: &'a PolicySet,
    profile: &'a Profile,
    opts: &EvalOptions,
) -> Result<Report<'a>, EvalError> {
    check_districts(set, opts)?;
    let mut districts = Vec::new();
    let mut available = Totals::default();
    for sel in selected(set, opts) {
        let r = evaluate_policy(set, &sel, profile, opts)?;
        if r.payable_now {
            add_totals(&mut available, &r.totals);
        }
        districts.push(r);
    }
    Ok(Report {
        schema_version: RESULT_SCHEMA_VERSION,
        engine_version: crate::VERSION,
        as_of: opts.as_of,
        profile_name: profile.name.as_deref(),
        mode: if opts.compare_all {
            Mode::CompareAll
        } else {
            Mode::Registered
        },
        application_period: opts.application_period,
        rounding_rule: crate::money::ROUNDING_RULE,
        available_now: available,
        districts,
    })
}

/// Totals only, per district: the fast path for batches (no clause results are built).
/// Figures are identical to [`evaluate`]'s `totals`, `if_in_force` and `available_now`.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalsReport<'a> {
    pub available_now: Totals,
    pub districts: Vec<DistrictTotals<'a>>,
}

/// One district's totals.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictTotals<'a> {
    pub district: &'a str,
    pub district_name: &'a crate::text::Text,
    pub policy_id: &'a str,
    pub doc_no: Option<&'a str>,
    pub state: PolicyState,
    /// Days left, ending soon, ended on… on the evaluation date.
    pub lifecycle: Lifecycle<'a>,
    pub payable_now: bool,
    /// Counted today (zero unless in force).
    pub totals: Totals,
    /// What the policy would pay if in force.
    pub if_in_force: Totals,
}

/// Evaluates a profile for totals only (see [`TotalsReport`]); `hints` and `explain` are ignored.
/// The result borrows only from `set`, so a batch can drop each profile once it is evaluated.
pub fn evaluate_totals<'a>(
    set: &'a PolicySet,
    profile: &Profile,
    opts: &EvalOptions,
) -> Result<TotalsReport<'a>, EvalError> {
    TotalsPlan::new(set, opts)?.evaluate(profile)
}

/// What [`evaluate_totals`] works out from the options alone — the documents evaluated and
/// their lifecycles on the date — done once, for a batch that evaluates many profiles.
#[derive(Debug, Clone)]
pub struct TotalsPlan<'a> {
    set: &'a PolicySet,
    opts: EvalOptions,
    /// Per district asked for, the document evaluated.
    docs: SmallVec<[PlannedDoc<'a>; 8]>,
}

/// A document in a [`TotalsPlan`].
#[derive(Debug, Clone)]
struct PlannedDoc<'a> {
    pol: &'a Policy,
    lifecycle: Lifecycle<'a>,
    /// The applicant rules every one of its clauses names.
    shared: SmallVec<[usize; 4]>,
}

/// The applicant rules every clause of `pol` names (registration in the district, say).
fn shared_applicant_rules(pol: &Policy) -> SmallVec<[usize; 4]> {
    let mut clauses = pol.clauses.iter();
    let mut shared: SmallVec<[usize; 4]> = clauses
        .next()
        .map(|c| c.applicant.iter().copied().collect())
        .unwrap_or_default();
    for c in clauses {
        shared.retain(|r| c.applicant.contains(r));
    }
    shared
}

impl<'a> TotalsPlan<'a> {
    /// The plan for `opts`; fails for an unknown district.
    pub fn new(set: &'a PolicySet, opts: &EvalOptions) -> Result<TotalsPlan<'a>, EvalError> {
        check_districts(set, opts)?;
        let docs = selected(set, opts)
            .into_iter()
            .map(|sel| PlannedDoc {
                pol: sel.current,
                lifecycle: set.lifecycle(sel.current, opts.as_of),
                shared: shared_applicant_rules(sel.current),
            })
            .collect();
        Ok(TotalsPlan {
            set,
            opts: opts.clone(),
            docs,
        })
    }

    /// [`evaluate_totals`] of one profile.
    pub fn evaluate(&self, profile: &Profile) -> Result<TotalsReport<'a>, EvalError> {
        let mut districts = Vec::with_capacity(self.docs.len());
        let mut available = Totals::default();
        for &PlannedDoc {
            pol,
            lifecycle,
            ref shared,
        } in &self.docs
        {
            let env = policy_env(self.set, pol, profile, &self.opts);
            let truths = applicant_truths(pol, &env);
            let if_in_force = if shared.iter().any(|&r| truths[r] == Truth::False) {
                // A rule every clause names fails (registered in another district, say): each
                // clause is not eligible, with nothing to compute, as `decide_all` would find.
                Totals {
                    not_eligible: u32::try_from(pol.clauses.len()).unwrap_or(u32::MAX),
                    ..Totals::default()
                }
            } else {
                totals_of(&decide_all(pol, &env, &truths, Items::Countable)?)
            };
            let state = lifecycle.state;
            let payable_now = state.payable();
            if payable_now {
                add_totals(&mut available, &if_in_force);
            }
            districts.push(DistrictTotals {
                district: &pol.meta.district,
                district_name: &pol.meta.district_name,
                policy_id: &pol.meta.id,
                doc_no: pol.meta.doc_no.as_deref(),
                state,
                lifecycle,
                payable_now,
                totals: if payable_now {
                    if_in_force.clone()
                } else {
                    Totals::default()
                },
                if_in_force,
            });
        }
        Ok(TotalsReport {
            available_now: available,
            districts,
        })
    }
}

/// Fails for a district in `opts.districts` that has no policy in `set`.
pub fn check_districts(set: &PolicySet, opts: &EvalOptions) -> Result<(), EvalError> {
    for d in opts.districts.iter().flatten() {
        if !set.has_district(d) {
            return Err(EvalError::UnknownDistrict(d.clone()));
        }
    }
    Ok(())
}

/// For each district asked for, the document evaluated on the date and its history.
fn selected<'a>(set: &'a PolicySet, opts: &EvalOptions) -> SmallVec<[Selection<'a>; 8]> {
    set.districts()
        .into_iter()
        .filter(|d| {
            opts.districts
                .as_ref()
                .is_none_or(|ds| ds.iter().any(|x| x == d))
        })
        .filter_map(|d| set.select(d, opts.as_of))
        .collect()
}

fn add_totals(a: &mut Totals, b: &Totals) {
    a.definite.0 += b.definite.0;
    a.up_to.0 += b.up_to.0;
    a.discretionary.0 += b.discretionary.0;
    a.eligible += b.eligible;
    a.eligible_subject_to_review += b.eligible_subject_to_review;
    a.needs_information += b.needs_information;
    a.not_eligible += b.not_eligible;
    a.not_quantified += b.not_quantified;
}

/// Counts clauses by status and adds up the counted money.
fn totals_of(decisions: &[Decision]) -> Totals {
    let mut t = Totals::default();
    for d in decisions {
        match d.status {
            Status::Eligible => t.eligible += 1,
            Status::EligibleSubjectToReview => t.eligible_subject_to_review += 1,
            Status::NeedsInformation => t.needs_information += 1,
            Status::NotEligible => t.not_eligible += 1,
            Status::PolicyNotInForce => {}
        }
        if !d.counted || !d.status.counts() {
            continue;
        }
        match d.amount.kind {
            AmountKind::NotQuantified => t.not_quantified += 1,
            AmountKind::Definite | AmountKind::UpTo => {
                let v = d.amount.value_or_zero();
                t.up_to.0 += v;
                if d.discretionary() {
                    t.discretionary.0 += v;
                }
                if d.status == Status::Eligible && d.amount.kind == AmountKind::Definite {
                    t.definite.0 += v;
                }
            }
            AmountKind::None => {}
        }
    }
    t
}

/// The environment for one policy: location facts replaced in compare mode, its window.
fn policy_env<'a>(
    set: &'a PolicySet,
    pol: &'a Policy,
    profile: &'a Profile,
    opts: &EvalOptions,
) -> Env<'a> {
    let cat = &set.catalogue;
    let mut overrides: SmallVec<[Override; 4]> = SmallVec::new();
    if opts.compare_all {
        for (i, f) in cat.facts.iter().enumerate().filter(|(_, f)| f.location) {
            if let Some(v) = f.values.iter().position(|v| v.id == pol.meta.district) {
                overrides.push(Override {
                    op: Operand::Fact(i as u16),
                    item: None,
                    value: Value::Enum(v as u16),
                });
            }
        }
    }
    Env {
        cat,
        profile,
        overrides,
        window: Window {
            from: pol.meta.effective_from,
            to: pol.meta.effective_to,
        },
        as_of: opts.as_of,
        application_period: opts.application_period,
    }
}

/// Decides every clause of a policy, then applies one award per project where the policy says so.
fn decide_all(
    pol: &Policy,
    env: &Env,
    truths: &[Truth],
    items: Items,
) -> Result<Vec<Decision>, EvalError> {
    let mut scratch = Vec::new();
    let mut decisions = Vec::with_capacity(pol.clauses.len());
    for c in &pol.clauses {
        decisions.push(decide_items(
            &Terms::of(c),
            env,
            truths,
            &mut scratch,
            items,
        )?);
    }
    if pol.one_award_per_project.is_some() {
        one_award_per_project(pol, &mut decisions);
    }
    Ok(decisions)
}

fn evaluate_policy<'a>(
    set: &'a PolicySet,
    sel: &Selection<'a>,
    profile: &'a Profile,
    opts: &EvalOptions,
) -> Result<DistrictResult<'a>, EvalError> {
    let pol = sel.current;
    let env = policy_env(set, pol, profile, opts);
    let detail = if opts.explain {
        Detail::Full
    } else {
        Detail::Outcome
    };
    let truths = applicant_truths(pol, &env);
    let mut applicant = Vec::new();
    if opts.explain {
        for r in pol.rules.iter().filter(|r| r.kind == RuleKind::Applicant) {
            for c in &r.conditions {
                let t = clause::truth_of(c, &env, None, &mut Vec::new());
                applicant.push(ConditionResult {
                    label: &c.label,
                    state: clause::state_of(t),
                    test: &c.source,
                    rule: Some(&r.id),
                    inputs: clause::inputs(c, &env, None),
                });
            }
        }
    }
    let decisions = decide_all(pol, &env, &truths, Items::Every)?;
    let if_in_force = totals_of(&decisions);
    let lifecycle = set.lifecycle(pol, opts.as_of);
    let state = lifecycle.state;
    let payable_now = state.payable();
    // No near misses under a document that has ended or is only a draft: nothing it names
    // can be earned any more (one that has yet to start still can).
    let hints = opts.hints && (payable_now || state == PolicyState::NotYetInForce);
    let mut clauses = Vec::with_capacity(pol.clauses.len());
    let mut scratch = Vec::new();
    for (c, d) in pol.clauses.iter().zip(&decisions) {
        let mut r = explain(pol, c, &env, &truths, d, detail)?;
        if hints {
            let applicant_of = |e: &Env<'a>| applicant_truths(pol, e);
            r.hints = hints::hints(pol, c, &env, &applicant_of, d)?;
        }
        if opts.explain {
            for reading in &c.readings {
                let terms = Terms::reading(c, reading);
                let rd = decide_reading(&terms, &env, &truths, d, &mut scratch)?;
                r.readings.push(ReadingResult {
                    id: &reading.id,
                    label: &reading.label,
                    quote: &reading.quote,
                    note: reading.note.as_ref(),
                    status: rd.status,
                    status_if_in_force: rd.status,
                    amount: rd.amount,
                });
            }
        }
        clauses.push(r);
    }
    let readings = if opts.explain {
        rule_readings(pol, &env, &truths)?
    } else {
        Vec::new()
    };
    if !payable_now {
        for c in &mut clauses {
            c.status = Status::PolicyNotInForce;
            c.counted = false;
            for it in &mut c.items {
                it.counted = false;
            }
            for r in &mut c.readings {
                r.status = Status::PolicyNotInForce;
            }
        }
    }
    let totals = if payable_now {
        if_in_force.clone()
    } else {
        Totals::default()
    };
    let m = &pol.meta;
    let successor = lifecycle
        .superseded_by
        .and_then(|id| set.document(id))
        .map(|p| &p.meta);
    let history = sel
        .history
        .iter()
        .map(|p| history_entry(set, pol, p, opts.as_of))
        .collect();
    Ok(DistrictResult {
        district: &m.district,
        district_name: &m.district_name,
        policy: PolicyInfo {
            id: &m.id,
            title: &m.title,
            doc_no: m.doc_no.as_deref(),
            issuers: &m.issuers,
            issued_on: m.issued_on,
            status: m.status,
            effective_from: m.effective_from,
            effective_to: m.effective_to,
            source_file: &m.source_file,
            data_file: &pol.file,
            window_article: &m.window_article,
            window_quote: &m.window_quote,
            window_notes: &m.window_notes,
            reprints: &m.reprints,
            verified_on: m.verified_on,
            supersedes: m.supersedes.as_deref(),
            amends: m.amends.as_deref(),
            replaces: &m.replaces,
            procedure: &m.procedure,
            dates: &m.dates,
        },
        state,
        notice: crate::words::lifecycle_notice(&lifecycle, m, successor),
        coverage: crate::words::coverage(&lifecycle, m),
        lifecycle,
        history,
        payable_now,
        totals,
        if_in_force,
        applicant,
        readings,
        rules: pol
            .rules
            .iter()
            .map(|r| RuleInfo {
                id: &r.id,
                article: &r.article,
                kind: r.kind,
                title: &r.title,
                quote: &r.quote,
                notes: &r.notes,
                interpretation: &r.interpretation,
            })
            .collect(),
        clauses,
    })
}

/// Another document of the district as history of the one evaluated.
fn history_entry<'a>(
    set: &'a PolicySet,
    current: &'a Policy,
    other: &'a Policy,
    as_of: Date,
) -> HistoryEntry<'a> {
    let m = &other.meta;
    let lifecycle = set.lifecycle(other, as_of);
    let relation = set.relation(current, other);
    let (r, st) = (relation.word(), crate::words::lifecycle_badge(&lifecycle));
    HistoryEntry {
        id: &m.id,
        doc_no: m.doc_no.as_deref(),
        title: &m.title,
        status: m.status,
        effective_from: m.effective_from,
        effective_to: m.effective_to,
        lifecycle,
        relation,
        label: crate::text::Text::new(
            format!("{} · {}", r.zh, st.zh),
            format!("{} · {}", r.en, st.en),
        ),
    }
}

/// Other readings of the applicant rules: the policy's totals (if in force) under each.
fn rule_readings<'a>(
    pol: &'a Policy,
    env: &Env<'a>,
    truths: &[Truth],
) -> Result<Vec<RuleReadingResult<'a>>, EvalError> {
    let mut out = Vec::new();
    for (ri, rule) in pol.rules.iter().enumerate() {
        for reading in &rule.readings {
            let mut alt = truths.to_vec();
            alt[ri] = reading
                .conditions
                .iter()
                .map(|c| clause::truth_of(c, env, None, &mut Vec::new()))
                .min()
                .unwrap_or(Truth::True);
            let decisions = decide_all(pol, env, &alt, Items::Countable)?;
            out.push(RuleReadingResult {
                rule: &rule.id,
                id: &reading.id,
                label: &reading.label,
                quote: &reading.quote,
                note: reading.note.as_ref(),
                if_in_force: totals_of(&decisions),
            });
        }
    }
    Ok(out)
}

/// 从高不重复 within a policy: each project is paid once, under the clause that pays most
/// (ties: the earlier clause).
/// A paid project under one clause: (clause index, item position, list, item index, value).
type Candidate = (usize, usize, u16, usize, rust_decimal::Decimal);

fn one_award_per_project(pol: &Policy, decisions: &mut [Decision]) {
    let mut cands: SmallVec<[Candidate; 16]> = SmallVec::new();
    for (ci, (c, d)) in pol.clauses.iter().zip(decisions.iter()).enumerate() {
        let Some(list) = c.for_each else { continue };
        for (ii, it) in d.items.iter().enumerate() {
            if it.counted && it.status.counts() {
                cands.push((ci, ii, list, it.index, it.amount.value_or_zero()));
            }
        }
    }
    let mut touched: SmallVec<[usize; 8]> = SmallVec::new();
    for &(ci, ii, list, idx, _) in &cands {
        let winner = cands
            .iter()
            .filter(|c| c.2 == list && c.3 == idx)
            .max_by(|a, b| a.4.cmp(&b.4).then(b.0.cmp(&a.0)))
            .map(|w| w.0);
        if let Some(w) = winner
            && w != ci
        {
            let it = &mut decisions[ci].items[ii];
            it.counted = false;
            it.superseded_by = Some(w);
            if !touched.contains(&ci) {
                touched.push(ci);
            }
        }
    }
    for ci in touched {
        let clause = &pol.clauses[ci];
        let d = &mut decisions[ci];
        let (status, amount) = clause::aggregate_items(
            &Terms::of(clause),
            d.items.iter().map(clause::ItemDecision::outcome),
            None,
        );
        d.status = status;
        d.amount = amount;
        d.counted = status.counts() && d.items.iter().any(|i| i.counted);
        d.fixed = clause::items_fixed(&d.items);
    }
}

/// Whether a fact's form field should be shown (its `show_if` holds; unknown hides it).
pub fn fact_visible(
    set: &PolicySet,
    profile: &Profile,
    fact: crate::catalogue::FactId,
    as_of: Date,
) -> bool {
    match set.catalogue.fact_show_if(fact) {
        None => true,
        Some(c) => form_env(set, profile, as_of).truth(c, None, &mut Vec::new()) >= Truth::Review,
    }
}

/// Whether a list item's field should be shown (its `show_if` holds; unknown hides it).
pub fn field_visible(
    set: &PolicySet,
    profile: &Profile,
    list: crate::catalogue::ListId,
    item: usize,
    field: crate::catalogue::FieldId,
    as_of: Date,
) -> bool {
    match set.catalogue.field_show_if(list, field) {
        None => true,
        Some(c) => {
            form_env(set, profile, as_of).truth(c, Some((list, item)), &mut Vec::new())
                >= Truth::Review
        }
    }
}

fn form_env<'a>(set: &'a PolicySet, profile: &'a Profile, as_of: Date) -> Env<'a> {
    Env {
        cat: &set.catalogue,
        profile,
        overrides: SmallVec::new(),
        window: Window {
            from: None,
            to: None,
        },
        as_of,
        application_period: None,
    }
}
