//! The policy file format as written by people (TOML, converted to JSON for embedding).

use crate::text::Text;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyFile {
    pub policy: MetaDef,
    #[serde(default)]
    pub rules: Vec<RuleDef>,
    #[serde(default)]
    pub clauses: Vec<ClauseDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetaDef {
    pub id: String,
    pub district: String,
    pub district_name: Text,
    pub title: Text,
    #[serde(default)]
    pub doc_no: Option<String>,
    pub issuers: Vec<String>,
    #[serde(default)]
    pub issued_on: Option<String>,
    pub status: super::DocStatus,
    #[serde(default)]
    pub effective_from: Option<String>,
    #[serde(default)]
    pub effective_to: Option<String>,
    pub source_file: String,
    pub window_article: String,
    pub window_quote: String,
    #[serde(default)]
    pub window_notes: Vec<Text>,
    #[serde(default)]
    pub reprints: Vec<ReprintDef>,
    /// The day a person last checked this file against its source text.
    pub verified_on: String,
    /// An encoded predecessor this document supersedes (its id).
    #[serde(default)]
    pub supersedes: Option<String>,
    /// An encoded document this one amends (its id): in force together, merged at load.
    #[serde(default)]
    pub amends: Option<String>,
    /// Amendments only: ids of the base's clauses or rules that no longer apply.
    #[serde(default)]
    pub repeals: Vec<String>,
    /// Documents the text repeals that are not encoded.
    #[serde(default)]
    pub replaces: Vec<ReplacedDef>,
    /// How to apply: procedure sentences, quoted.
    #[serde(default)]
    pub procedure: Vec<StepDef>,
    /// Dated steps the text gives (calendar events).
    #[serde(default)]
    pub dates: Vec<DatedDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplacedDef {
    /// The document number, or its title where it has none, as the text names it.
    pub name: String,
    #[serde(default)]
    pub title: Option<Text>,
    pub quote: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepDef {
    pub article: String,
    pub title: Text,
    pub quote: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DatedDef {
    pub on: String,
    pub title: Text,
    pub article: String,
    pub quote: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReprintDef {
    pub source_file: String,
    pub description: Text,
    #[serde(default)]
    pub variants: Vec<VariantDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VariantDef {
    pub article: String,
    pub official_quote: String,
    pub reprint_quote: String,
    pub note: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleDef {
    pub id: String,
    pub article: String,
    pub kind: super::RuleKind,
    pub title: Text,
    pub quote: String,
    #[serde(default)]
    pub extra_quotes: Vec<String>,
    #[serde(default)]
    pub when: Vec<CondDef>,
    #[serde(default)]
    pub notes: Vec<Text>,
    #[serde(default)]
    pub interpretation: Vec<Text>,
    /// Set by the loader when an amendment inherits the entry from the document it amends.
    #[serde(default)]
    pub inherited_from: Option<super::Origin>,
    #[serde(default)]
    pub readings: Vec<ReadingDef>,
}

/// Another reading of a clause (or, with `when` only, of an applicant rule).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadingDef {
    pub id: String,
    pub label: Text,
    pub quote: String,
    #[serde(default)]
    pub note: Option<Text>,
    #[serde(default)]
    pub applicant: Option<Vec<String>>,
    #[serde(default)]
    pub when: Option<Vec<CondDef>>,
    #[serde(default)]
    pub award: Option<FormulaDef>,
    #[serde(default)]
    pub items_cap: Option<String>,
    #[serde(default)]
    pub items_cap_label: Option<Text>,
    #[serde(default)]
    pub offsets: Option<Vec<OffsetDef>>,
}

/// A condition: a bare expression, an expression with a label, or a matter for the reviewers.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum CondDef {
    Expr(String),
    Labelled(LabelledCond),
    Review(ReviewCond),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LabelledCond {
    pub test: String,
    pub label: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewCond {
    pub review: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClauseDef {
    pub id: String,
    pub article: String,
    pub title: Text,
    pub quote: String,
    #[serde(default)]
    pub extra_quotes: Vec<String>,
    pub basis: super::Basis,
    #[serde(default)]
    pub applicant: Option<Vec<String>>,
    #[serde(default)]
    pub for_each: Option<String>,
    #[serde(default)]
    pub select: Option<CondDef>,
    #[serde(default)]
    pub when: Vec<CondDef>,
    pub award: FormulaDef,
    #[serde(default)]
    pub items_cap: Option<String>,
    #[serde(default)]
    pub items_cap_label: Option<Text>,
    #[serde(default)]
    pub offsets: Vec<OffsetDef>,
    #[serde(default)]
    pub notes: Vec<Text>,
    #[serde(default)]
    pub interpretation: Vec<Text>,
    /// Set by the loader when an amendment inherits the clause from the document it amends.
    #[serde(default)]
    pub inherited_from: Option<super::Origin>,
    #[serde(default)]
    pub amount_note: Option<Text>,
    #[serde(default)]
    pub readings: Vec<ReadingDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FormulaDef {
    #[serde(rename = "type")]
    pub kind: super::FormulaKind,
    #[serde(default)]
    pub label: Option<Text>,
    #[serde(default)]
    pub when: Option<CondDef>,
    #[serde(default)]
    pub bound: Option<super::Bound>,
    #[serde(default)]
    pub amount: Option<String>,
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub base_label: Option<Text>,
    #[serde(default)]
    pub rate: Option<String>,
    #[serde(default)]
    pub count: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub cap: Option<String>,
    #[serde(default)]
    pub cap_label: Option<Text>,
    #[serde(default)]
    pub years: Option<u32>,
    #[serde(default)]
    pub total_cap: Option<String>,
    #[serde(default)]
    pub schedule: Option<ScheduleDef>,
    #[serde(default)]
    pub options: Vec<FormulaDef>,
    #[serde(default)]
    pub parts: Vec<FormulaDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScheduleDef {
    pub years: u32,
    #[serde(default)]
    pub shares: Vec<String>,
    #[serde(default)]
    pub note: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OffsetDef {
    pub kind: super::OffsetKind,
    pub value: String,
    #[serde(default)]
    pub when: Option<CondDef>,
    pub label: Text,
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub rule: Option<String>,
}
