//! The result contract (JSON out): per district, per clause — status, amount, conditions,
//! arithmetic, citation, hints. Strings are borrowed from the policy set and the profile.

use crate::catalogue::FactDef;
use crate::date::{Date, Period, serde_iso};
use crate::policy::{
    Basis, Bound, DatedStep, DocStatus, OffsetKind, ProcedureStep, Replaced, Reprint, RuleKind,
};
use crate::profile::Value;
use crate::text::Text;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use smallvec::SmallVec;

/// Version of the result format.
pub const RESULT_SCHEMA_VERSION: u32 = 1;

/// A yuan amount, serialized as a decimal string with two places (`"300000.00"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Yuan(pub Decimal);

impl Serialize for Yuan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&crate::money::Fixed2(self.0))
    }
}

/// The whole evaluation.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report<'a> {
    pub schema_version: u32,
    pub engine_version: &'static str,
    #[serde(serialize_with = "serde_iso::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub as_of: Date,
    pub profile_name: Option<&'a str>,
    /// `registered`: each district as the profile says; `compare_all`: as if registered in each.
    pub mode: Mode,
    /// The application period (申报期) given as an option, `2026-03-01..2026-04-30`; null
    /// when not given (clauses that need it then need information).
    #[serde(serialize_with = "period_option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub application_period: Option<Period>,
    pub rounding_rule: &'static str,
    /// Money available now: in-force policies only.
    pub available_now: Totals,
    pub districts: Vec<DistrictResult<'a>>,
}

fn period_option<S: Serializer>(p: &Option<Period>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => s.collect_str(p),
        None => s.serialize_none(),
    }
}

/// How location facts were treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Registered,
    CompareAll,
}

pub use crate::lifecycle::{Lifecycle, PolicyState, Relation};

/// One district's policy evaluated.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DistrictResult<'a> {
    pub district: &'a str,
    pub district_name: &'a Text,
    /// The document evaluated: the one in force on the date; else the next to start; else the
    /// newest.
    pub policy: PolicyInfo<'a>,
    pub state: PolicyState,
    /// Its place in time on the evaluation date (days left, ending soon, ended on…).
    pub lifecycle: Lifecycle<'a>,
    /// The sentence about its window on the evaluation date, derived from `lifecycle`.
    pub notice: Text,
    /// Set when no encoded document of the district is in force or about to be: the district may
    /// have a newer policy that is not encoded.
    pub coverage: Option<Text>,
    /// The district's other documents (predecessors, successors, amended texts), oldest first.
    pub history: Vec<HistoryEntry<'a>>,
    /// Whether anything here can be paid on the evaluation date.
    pub payable_now: bool,
    /// Totals that count today (zero unless in force).
    pub totals: Totals,
    /// What the policy would pay if it were in force (equals `totals` when it is).
    pub if_in_force: Totals,
    /// Applicant conditions (scope, exclusions, credit look-back), evaluated once.
    pub applicant: Vec<ConditionResult<'a>>,
    /// Other readings of applicant rules, with what the policy would pay under each.
    pub readings: Vec<RuleReadingResult<'a>>,
    pub rules: Vec<RuleInfo<'a>>,
    pub clauses: Vec<ClauseResult<'a>>,
}

/// Document metadata.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyInfo<'a> {
    pub id: &'a str,
    pub title: &'a Text,
    pub doc_no: Option<&'a str>,
    pub issuers: &'a [String],
    #[serde(serialize_with = "serde_iso::option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub issued_on: Option<Date>,
    pub status: DocStatus,
    #[serde(serialize_with = "serde_iso::option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub effective_from: Option<Date>,
    #[serde(serialize_with = "serde_iso::option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub effective_to: Option<Date>,
    pub source_file: &'a str,
    pub data_file: &'a str,
    pub window_article: &'a str,
    pub window_quote: &'a str,
    pub window_notes: &'a [Text],
    pub reprints: &'a [Reprint],
    /// The day the data was last checked against the source text.
    #[serde(serialize_with = "serde_iso::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub verified_on: Date,
    /// The encoded predecessor it supersedes.
    pub supersedes: Option<&'a str>,
    /// The encoded document it amends (evaluated merged with it).
    pub amends: Option<&'a str>,
    /// Documents its text repeals that are not encoded.
    pub replaces: &'a [Replaced],
    /// How to apply, quoted from the text.
    pub procedure: &'a [ProcedureStep],
    /// Dated steps the text gives.
    pub dates: &'a [DatedStep],
}

/// Another document of the district, with its state on the evaluation date.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HistoryEntry<'a> {
    pub id: &'a str,
    pub doc_no: Option<&'a str>,
    pub title: &'a Text,
    pub status: DocStatus,
    #[serde(serialize_with = "serde_iso::option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub effective_from: Option<Date>,
    #[serde(serialize_with = "serde_iso::option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub effective_to: Option<Date>,
    pub lifecycle: Lifecycle<'a>,
    /// How it relates to the document evaluated.
    pub relation: Relation,
    /// The relation and the state, in words ("被本政策取代 · 已失效").
    pub label: Text,
}

/// A policy-wide rule, for reference.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleInfo<'a> {
    pub id: &'a str,
    pub article: &'a str,
    pub kind: RuleKind,
    pub title: &'a Text,
    pub quote: &'a str,
    pub notes: &'a [Text],
    pub interpretation: &'a [Text],
}

/// Another reading of an applicant rule and the policy's totals under it (never counted).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleReadingResult<'a> {
    /// The rule read differently.
    pub rule: &'a str,
    pub id: &'a str,
    pub label: &'a Text,
    /// The sentence the reading rests on.
    pub quote: &'a str,
    pub note: Option<&'a Text>,
    /// What the policy would pay under this reading (if in force).
    pub if_in_force: Totals,
}

/// Money totals and clause counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Totals {
    /// Sum of definite amounts of clauses that are eligible outright.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub definite: Yuan,
    /// Sum of every counted amount, definite or ceiling ("up to").
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub up_to: Yuan,
    /// Of `up_to`: the discretionary ceilings — fixed sums ("最高不超过500万元") that the
    /// authority pays any part of on recognition, not computed from the enterprise's figures.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub discretionary: Yuan,
    pub eligible: u32,
    pub eligible_subject_to_review: u32,
    pub needs_information: u32,
    pub not_eligible: u32,
    /// Eligible clauses whose text names no amount.
    pub not_quantified: u32,
}

/// A clause's status, ordered as results list them: the best outcome first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Eligible,
    EligibleSubjectToReview,
    NeedsInformation,
    NotEligible,
    /// The policy is a draft, not yet in force, or expired on the evaluation date.
    PolicyNotInForce,
}

impl Status {
    /// Whether money under this status counts toward totals.
    pub fn counts(self) -> bool {
        matches!(self, Status::Eligible | Status::EligibleSubjectToReview)
    }
}

/// What kind of amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AmountKind {
    Definite,
    UpTo,
    NotQuantified,
    None,
}

/// An amount: definite, a ceiling, not quantified by the text, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Amount {
    pub kind: AmountKind,
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub value: Option<Yuan>,
}

impl Amount {
    pub const NONE: Amount = Amount {
        kind: AmountKind::None,
        value: None,
    };
    pub const NOT_QUANTIFIED: Amount = Amount {
        kind: AmountKind::NotQuantified,
        value: None,
    };

    /// A money amount with its bound.
    pub fn money(v: Decimal, b: Bound) -> Amount {
        Amount {
            kind: match b {
                Bound::Definite => AmountKind::Definite,
                Bound::UpTo => AmountKind::UpTo,
            },
            value: Some(Yuan(v)),
        }
    }

    /// The value, zero when there is none.
    pub fn value_or_zero(&self) -> Decimal {
        self.value.map(|y| y.0).unwrap_or_default()
    }
}

/// The state of one condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CondState {
    Met,
    Unmet,
    Unknown,
    /// Decided by the authority on review (经认定 / 经评审).
    OnReview,
}

/// One condition with the inputs it read.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConditionResult<'a> {
    pub label: &'a Text,
    pub state: CondState,
    /// The condition as written in the policy file.
    pub test: &'a str,
    /// The rule it comes from (applicant conditions), if any.
    pub rule: Option<&'a str>,
    pub inputs: SmallVec<[Input<'a>; 2]>,
}

/// An input value a condition or formula read.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Input<'a> {
    pub fact: &'a str,
    pub label: &'a Text,
    /// The list and item index, for item fields.
    pub list: Option<&'a str>,
    pub item: Option<usize>,
    pub value: InputValue<'a>,
}

impl Input<'_> {
    /// A list not answered (`list` set, no `item`): its items are needed, or that it has none.
    pub fn is_list(&self) -> bool {
        self.list.is_some() && self.item.is_none()
    }

    /// What to fill in, in `lang`: the label; for a list not answered, with what to do
    /// ("项目（填写，或选择没有）").
    pub fn ask(&self, lang: crate::text::Lang) -> String {
        if self.is_list() {
            crate::words::list_ask(self.label, lang)
        } else {
            self.label.get(lang).to_string()
        }
    }
}

/// A value as read from the profile (null when unknown).
#[derive(Debug, Clone)]
pub struct InputValue<'a> {
    pub def: &'a FactDef,
    pub value: Option<ValueRef<'a>>,
}

/// A borrowed or small owned value.
#[derive(Debug, Clone)]
pub enum ValueRef<'a> {
    Borrowed(&'a Value),
    Owned(Value),
}

impl ValueRef<'_> {
    /// The value.
    pub fn get(&self) -> &Value {
        match self {
            ValueRef::Borrowed(v) => v,
            ValueRef::Owned(v) => v,
        }
    }
}

impl Serialize for InputValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.value {
            None => s.serialize_none(),
            Some(v) => crate::profile::value_to_json(self.def, v.get()).serialize(s),
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for InputValue<'_> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "InputValue".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The value as in the profile JSON (string, number, boolean, array of dates) or null when unknown."
        })
    }
}

/// One clause evaluated.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClauseResult<'a> {
    pub id: &'a str,
    pub article: &'a str,
    pub title: &'a Text,
    pub status: Status,
    /// The status the clause would have if the policy were in force.
    pub status_if_in_force: Status,
    pub basis: Basis,
    /// The amount (what the clause pays, or would pay if in force).
    pub amount: Amount,
    /// Whether the amount counts toward today's totals.
    pub counted: bool,
    /// The amount is a discretionary ceiling: a fixed sum the authority pays any part of,
    /// not computed from the enterprise's figures (see `Totals::discretionary`).
    pub discretionary: bool,
    /// Applicant rules that apply, and their combined state.
    pub applicant_rules: SmallVec<[&'a str; 2]>,
    pub applicant_state: CondState,
    pub conditions: Vec<ConditionResult<'a>>,
    pub computation: Vec<Step<'a>>,
    /// Per-item results for clauses evaluated per project or product.
    pub items: Vec<ItemResult<'a>>,
    pub schedule: Vec<Installment>,
    /// Set when a payment of the schedule (or of an item's) falls in a year after the
    /// document's last day: the text does not say whether it is still paid.
    pub schedule_notice: Option<Text>,
    pub citation: Citation<'a>,
    pub notes: &'a [Text],
    pub interpretation: &'a [Text],
    /// Said next to the amount (e.g. the text is silent about when a qualification must
    /// have been obtained).
    pub amount_note: Option<&'a Text>,
    /// Other readings of an ambiguous clause with their status and amount; never counted
    /// (`amount` above is always the reading that does not overstate).
    pub readings: Vec<ReadingResult<'a>>,
    pub hints: Vec<Hint<'a>>,
    /// Inputs that would let the calculator decide (`fact` is `application_period` when the
    /// evaluation option is what is missing).
    pub missing: Vec<Input<'a>>,
}

/// A clause under another reading of its text.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReadingResult<'a> {
    pub id: &'a str,
    /// The reading in a few words.
    pub label: &'a Text,
    /// The sentence the reading rests on.
    pub quote: &'a str,
    pub note: Option<&'a Text>,
    /// As the clause's: `policy_not_in_force` unless the policy is in force.
    pub status: Status,
    pub status_if_in_force: Status,
    /// What the clause would pay under this reading.
    pub amount: Amount,
}

/// One project or product under a per-item clause.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ItemResult<'a> {
    pub list: &'a str,
    pub index: usize,
    pub name: Option<&'a str>,
    pub status: Status,
    /// What the item counts toward the clause: its own award, at most the clause's ceiling
    /// over all items (a `cap` step with scope `items` shows it when that ceiling binds).
    pub amount: Amount,
    pub counted: bool,
    /// The clause that pays this item instead (从高不重复).
    pub superseded_by: Option<&'a str>,
    pub conditions: Vec<ConditionResult<'a>>,
    pub computation: Vec<Step<'a>>,
    pub schedule: Vec<Installment>,
}

/// Where the money comes from.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Citation<'a> {
    pub doc_no: Option<&'a str>,
    pub title: &'a Text,
    pub article: &'a str,
    pub quote: &'a str,
    pub extra_quotes: &'a [String],
    pub source_file: &'a str,
}

/// One payment of a multi-year schedule.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Installment {
    /// 1 for the first payment.
    pub year: u32,
    /// The calendar year it falls in: the first payment in the evaluation year (or the
    /// document's first year, when it starts later), one a year after that.
    pub calendar_year: i32,
    /// The year begins after the document's last day.
    pub past_end: bool,
    /// Share of the total; null when the text does not split it.
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub share: Option<Decimal>,
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub amount: Option<Yuan>,
}

/// One line of the arithmetic, with its text rendered in both languages.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Step<'a> {
    #[serde(flatten)]
    pub op: StepOp<'a>,
    pub text: StepText<'a>,
}

impl<'a> From<StepOp<'a>> for Step<'a> {
    fn from(op: StepOp<'a>) -> Self {
        Step {
            op: op.clone(),
            text: StepText(op),
        }
    }
}

/// The arithmetic operations a clause may show.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum StepOp<'a> {
    /// A stated amount.
    Fixed {
        label: Option<&'a Text>,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        amount: Yuan,
        bound: Bound,
    },
    /// base × rate.
    Rate {
        base_label: &'a Text,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        base: Yuan,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        rate: Decimal,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        result: Yuan,
        bound: Bound,
    },
    /// count × unit.
    PerUnit {
        count: i64,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        unit: Yuan,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        result: Yuan,
        bound: Bound,
    },
    /// A ceiling checked.
    Cap {
        label: Option<&'a Text>,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        cap: Yuan,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        before: Yuan,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        after: Yuan,
        scope: CapScope,
    },
    /// A yearly amount over several years.
    Years {
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        annual: Yuan,
        years: u32,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        result: Yuan,
    },
    /// The tier or alternative reached (never the sum of tiers).
    Chosen {
        label: &'a Text,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        value: Yuan,
        /// How many options applied.
        applicable: u32,
    },
    /// Parts added up.
    Sum {
        parts: u32,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        result: Yuan,
    },
    /// An offset against support received elsewhere.
    Offset {
        kind: OffsetKind,
        label: &'a Text,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        value: Yuan,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        before: Yuan,
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        after: Yuan,
    },
    /// The text names no amount.
    NotQuantified,
}

/// What a ceiling applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CapScope {
    /// One award (per item, per year).
    Award,
    /// After multiplying by years.
    Total,
    /// Over all items of the clause.
    Items,
}

/// The rendered text of a step (computed when serialized).
#[derive(Debug, Clone)]
pub struct StepText<'a>(pub StepOp<'a>);

impl Serialize for StepText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::explain::step_text(&self.0).serialize(s)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for StepText<'_> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StepText".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Text::json_schema(g)
    }
}

/// A near miss: the smallest change that would unlock or raise money.
#[derive(Debug, Clone)]
pub struct Hint<'a> {
    pub changes: SmallVec<[Change<'a>; 2]>,
    /// How much more the clause would be worth.
    pub adds: Yuan,
    /// The extra spending the change asks for (rent, investment, costs), when it does.
    pub spends: Option<Yuan>,
    pub new_amount: Amount,
    pub new_status: Status,
}

/// One input change in a hint.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub fact: &'a FactDef,
    pub list: Option<&'a str>,
    pub item: Option<usize>,
    pub from: Option<ValueRef<'a>>,
    pub to: Value,
    /// When the change passes a strict threshold ("超过 X"), X.
    pub above: Option<Decimal>,
    /// The date of the new certificate that goes with a new level (never a change to the
    /// date of the certificate held: that is a past fact).
    pub companion: bool,
}

impl Serialize for Hint<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(6))?;
        let changes: Vec<_> = self
            .changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "fact": c.fact.id,
                    "list": c.list,
                    "item": c.item,
                    "from": c.from.as_ref().map(|v| crate::profile::value_to_json(c.fact, v.get())),
                    "to": crate::profile::value_to_json(c.fact, &c.to),
                    "above": c.above.map(crate::money::to_fixed2),
                    "companion": c.companion,
                })
            })
            .collect();
        m.serialize_entry("changes", &changes)?;
        m.serialize_entry("adds", &self.adds)?;
        m.serialize_entry("spends", &self.spends)?;
        m.serialize_entry("new_amount", &self.new_amount)?;
        m.serialize_entry("new_status", &self.new_status)?;
        m.serialize_entry("text", &crate::explain::hint_text(self))?;
        m.end()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Hint<'_> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Hint".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let amount = g.subschema_for::<Amount>();
        let status = g.subschema_for::<Status>();
        let text = g.subschema_for::<Text>();
        schemars::json_schema!({
            "type": "object",
            "description": "A near miss: the smallest change in the inputs that would unlock or raise money.",
            "required": ["changes", "adds", "spends", "new_amount", "new_status", "text"],
            "properties": {
                "changes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["fact", "to"],
                        "properties": {
                            "fact": {"type": "string"},
                            "list": {"type": ["string", "null"]},
                            "item": {"type": ["integer", "null"]},
                            "from": {},
                            "to": {},
                            "above": {"type": ["string", "null"], "description": "the strict threshold passed (超过), yuan"},
                            "companion": {"type": "boolean", "description": "the date of the new certificate that goes with a new level in the same hint"}
                        }
                    }
                },
                "adds": {"type": "string", "description": "yuan, two decimals"},
                "spends": {"type": ["string", "null"], "description": "the extra spending the change asks for (rent, investment, costs), yuan; null when it asks for none"},
                "new_amount": amount,
                "new_status": status,
                "text": text
            }
        })
    }
}
