//! Policy documents as data: metadata, rules and money clauses, compiled and validated.

#[cfg(feature = "loader")]
mod compile;
#[cfg(feature = "loader")]
pub(crate) mod file;

#[cfg(feature = "loader")]
pub use compile::compile_policy;

use crate::catalogue::ListId;
use crate::date::Date;
use crate::expr::{Cond, Operand, ValueExpr};
use crate::text::Text;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Whether the document is in force law or a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    Official,
    Draft,
}

/// How money under a clause is granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Paid when the conditions are met (经审核符合要求的; a formal check only).
    Entitlement,
    /// Needs recognition by the authority (经认定).
    Recognition,
    /// Competitive: expert review and public notice (经评审、公示).
    Competitive,
}

/// Whether an amount is what will be paid or only its ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// "一次性拨付30万元", "按…的80%予以补助".
    Definite,
    /// "最高不超过…", "不超过…%".
    UpTo,
}

/// What a rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Conditions every applicant must meet (scope, exclusions, credit look-back).
    Applicant,
    /// 从高不重复 within the policy: one project, one award, the highest.
    OneAwardPerProject,
    /// Other policy-wide provisions (window, precedence, interpretation) shown for reference.
    Info,
}

/// The kinds of award formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormulaKind {
    Fixed,
    Rate,
    PerUnit,
    Best,
    Sum,
    NotQuantified,
}

/// How an offset changes an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OffsetKind {
    /// Subtract the value (从高不重复 against support already received elsewhere).
    Subtract,
    /// The value plus this award may not exceed the formula's ceiling.
    CombinedCap,
    /// At least the value (就高执行).
    AtLeast,
}

/// A loaded policy document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Policy {
    /// The data file it came from.
    pub file: String,
    pub meta: Meta,
    pub rules: Vec<Rule>,
    pub clauses: Vec<Clause>,
    /// Index of the rule that makes one award per project (从高不重复), if any.
    pub one_award_per_project: Option<usize>,
    /// The policy pack it came from (the pack's name); `None` for the built-in data.
    pub pack: Option<String>,
    /// 16 hex digits of the SHA-256 of the document as compiled (its canonical JSON, merged
    /// with what it amends): an amendment in a pack records its base's, so a page whose copy of
    /// the base differs refuses it rather than mix two versions.
    pub fingerprint: String,
}

/// Document metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    pub id: String,
    pub district: String,
    pub district_name: Text,
    pub title: Text,
    pub doc_no: Option<String>,
    pub issuers: Vec<String>,
    #[serde(with = "crate::date::serde_jd::option")]
    pub issued_on: Option<Date>,
    pub status: DocStatus,
    #[serde(with = "crate::date::serde_jd::option")]
    pub effective_from: Option<Date>,
    #[serde(with = "crate::date::serde_jd::option")]
    pub effective_to: Option<Date>,
    pub source_file: String,
    pub window_article: String,
    pub window_quote: String,
    pub window_notes: Vec<Text>,
    pub reprints: Vec<Reprint>,
    /// The day a person last checked the data against the source text.
    #[serde(with = "crate::date::serde_jd")]
    pub verified_on: Date,
    /// The encoded predecessor this document supersedes.
    pub supersedes: Option<String>,
    /// The encoded document this one amends (this compiled policy is the two merged).
    pub amends: Option<String>,
    /// Documents the text repeals that are not encoded.
    pub replaces: Vec<Replaced>,
    /// How to apply, in the text's words.
    pub procedure: Vec<ProcedureStep>,
    /// Dated steps the text gives.
    pub dates: Vec<DatedStep>,
}

/// A document the text repeals that is not encoded here.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Replaced {
    /// The document number, or its title where it has none, as the text names it.
    pub name: String,
    pub title: Option<Text>,
    pub quote: String,
}

/// A procedure sentence (who to apply to, when, how), quoted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProcedureStep {
    pub article: String,
    pub title: Text,
    pub quote: String,
}

/// A dated step the text gives (a deadline, a start).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DatedStep {
    #[serde(with = "crate::date::serde_jd")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub on: Date,
    pub title: Text,
    pub article: String,
    pub quote: String,
}

/// The document a clause or rule was written in, when that is not the policy it is evaluated
/// with (an amendment inherits the rest of the document it amends).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Origin {
    pub id: String,
    pub doc_no: Option<String>,
    pub title: Text,
    pub source_file: String,
}

/// A reprint of the document elsewhere, with its textual variants.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reprint {
    pub source_file: String,
    pub description: Text,
    pub variants: Vec<Variant>,
}

/// A place where a reprint's wording differs from the official text.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Variant {
    pub article: String,
    pub official_quote: String,
    pub reprint_quote: String,
    pub note: Text,
}

/// A condition with its label and what it reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Condition {
    /// As written in the file (or the review text).
    pub source: String,
    pub label: Text,
    pub check: Check,
    /// Operands read, for reporting inputs.
    pub reads: Vec<Operand>,
    /// True when it reads the application period (`in_application_period`), an option.
    pub reads_application_period: bool,
    /// True when it reads the current list item.
    pub item_level: bool,
}

/// What a condition checks.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Check {
    Expr(Cond),
    /// Judged by the authority on review (经认定/经评审); never decided by the calculator.
    Review,
}

/// A policy-wide rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub article: String,
    pub kind: RuleKind,
    pub title: Text,
    pub quote: String,
    pub extra_quotes: Vec<String>,
    pub conditions: Vec<Condition>,
    pub notes: Vec<Text>,
    pub interpretation: Vec<Text>,
    /// Inherited from the amended document (`None`: this policy's own text).
    pub origin: Option<Box<Origin>>,
    /// Other readings of an applicant rule (its conditions read differently).
    pub readings: Vec<RuleReading>,
}

/// Another reading of an applicant rule: its conditions as that reading has them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleReading {
    pub id: String,
    pub label: Text,
    /// The sentence the reading rests on.
    pub quote: String,
    pub note: Option<Text>,
    pub conditions: Vec<Condition>,
}

/// A ceiling over the sum of a per-item clause's items.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ItemsCap {
    /// A stated amount ("单个服务商…最高不超过100万元").
    Amount(Decimal),
    /// The award's own ceiling, once for all items: the highest ceiling any counted item
    /// reached (普陀 三（八）: per operator, by its recognition level).
    AwardCap,
}

/// Another reading of an ambiguous clause: what it changes, with the sentence it rests on.
/// Evaluated and shown next to the counted figure; never counted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reading {
    pub id: String,
    pub label: Text,
    /// The sentence the reading rests on.
    pub quote: String,
    pub note: Option<Text>,
    /// Replacements; `None` keeps the clause's own.
    pub applicant: Option<Vec<usize>>,
    pub conditions: Option<Vec<Condition>>,
    pub award: Option<Formula>,
    /// `Some(None)`: no ceiling over the items.
    pub items_cap: Option<Option<ItemsCap>>,
    pub items_cap_label: Option<Text>,
    pub offsets: Option<Vec<Offset>>,
}

/// A clause that grants (or mentions) money.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Clause {
    pub id: String,
    pub article: String,
    pub title: Text,
    pub quote: String,
    pub extra_quotes: Vec<String>,
    pub basis: Basis,
    /// Indexes of the applicant rules that apply.
    pub applicant: Vec<usize>,
    /// Evaluated once per item of this list.
    pub for_each: Option<ListId>,
    /// Which items the clause is about (e.g. project kind).
    pub select: Option<Condition>,
    /// Fast path for the common `select`: `item.<enum field> == 'v'` or `in [...]`.
    pub select_enum: Option<(crate::catalogue::FieldId, Vec<u16>)>,
    pub conditions: Vec<Condition>,
    pub award: Formula,
    /// Ceiling over the sum of all items (per year or per enterprise).
    pub items_cap: Option<ItemsCap>,
    pub items_cap_label: Option<Text>,
    pub offsets: Vec<Offset>,
    pub notes: Vec<Text>,
    pub interpretation: Vec<Text>,
    /// Inherited from the amended document (`None`: this policy's own text).
    pub origin: Option<Box<Origin>>,
    /// Said next to the amount (e.g. the text is silent about when a qualification must
    /// have been obtained).
    pub amount_note: Option<Text>,
    /// Other readings of an ambiguous clause, shown with their amounts; never counted.
    pub readings: Vec<Reading>,
}

/// An award formula node with its common modifiers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Formula {
    pub label: Option<Text>,
    /// The option or part applies only when this holds.
    pub when: Option<Condition>,
    pub node: Node,
    /// Ceiling on the node's value (per item, per year).
    pub cap: Option<Decimal>,
    pub cap_label: Option<Text>,
    /// The capped value is paid for this many years.
    pub years: Option<u32>,
    /// Ceiling after multiplying by years.
    pub total_cap: Option<Decimal>,
    pub schedule: Option<Schedule>,
}

/// The computation of a formula node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Node {
    Fixed {
        amount: Decimal,
        bound: Bound,
    },
    Rate {
        base: ValueExpr,
        base_label: Text,
        rate: Decimal,
        bound: Bound,
    },
    PerUnit {
        count: Operand,
        unit: Decimal,
        bound: Bound,
    },
    /// Tiers and alternatives: the highest applicable option, never the sum.
    Best(#[serde(deserialize_with = "crate::nesting::nested")] Vec<Formula>),
    /// Separate parts added up.
    Sum(#[serde(deserialize_with = "crate::nesting::nested")] Vec<Formula>),
    /// The text names no computable amount.
    NotQuantified,
}

/// How a multi-year payment is split.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Schedule {
    pub years: u32,
    /// Share per year; empty when the text does not say.
    pub shares: Vec<Decimal>,
    pub note: Option<Text>,
}

/// An adjustment against support received elsewhere.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Offset {
    pub kind: OffsetKind,
    pub value: ValueExpr,
    pub when: Option<Condition>,
    pub label: Text,
    /// The sentence that authorises it.
    pub quote: String,
    /// The rule it comes from, if it is a policy-wide rule.
    pub rule: Option<String>,
}

impl Formula {
    /// The most this formula can ever give; `None` when unbounded (a rate without a ceiling).
    pub fn ceiling(&self) -> Option<Decimal> {
        let node = match &self.node {
            Node::Fixed { amount, .. } => Some(*amount),
            Node::Rate { .. } | Node::PerUnit { .. } => None,
            Node::NotQuantified => Some(Decimal::ZERO),
            Node::Best(opts) => opts
                .iter()
                .map(Formula::ceiling)
                .try_fold(Decimal::ZERO, |acc, c| c.map(|c| acc.max(c))),
            Node::Sum(parts) => parts
                .iter()
                .map(Formula::ceiling)
                .try_fold(Decimal::ZERO, |acc, c| c.and_then(|c| acc.checked_add(c))),
        };
        let capped = min_opt(node, self.cap);
        match self.years {
            None => capped,
            Some(y) => min_opt(
                capped.and_then(|c| c.checked_mul(Decimal::from(y))),
                self.total_cap,
            ),
        }
    }
}

fn min_opt(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

impl Clause {
    /// Whether the clause names a computable amount.
    pub fn quantified(&self) -> bool {
        !matches!(self.award.node, Node::NotQuantified)
    }
}
