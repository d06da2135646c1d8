//! What a loaded pack brings, in the words users see: each document with its relation to the
//! documents already there (a new district, a successor, an amendment, a replacement of a
//! built-in document), the facts it adds, and the built-in documents it replaces and why.

use super::{Override, Pack};
use crate::policy::DocStatus;
use crate::set::PolicySet;
use crate::text::Text;
use serde::Serialize;

/// How a pack's document relates to the data it was loaded into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PackRelation {
    /// The first document of a district the data did not cover.
    NewDistrict,
    /// Another document of a district the data covers (neither successor nor amendment).
    AddsToDistrict,
    /// It supersedes a document (`of`).
    Successor,
    /// It amends a document (`of`), and is evaluated merged with it.
    Amendment,
    /// It takes the place of a built-in document of the same id (the pack says so).
    Replaces,
}

/// One document of a pack.
#[derive(Debug, Clone, Serialize)]
pub struct PackDocument<'a> {
    pub id: &'a str,
    pub district: &'a str,
    pub district_name: &'a Text,
    pub doc_no: Option<&'a str>,
    pub title: &'a Text,
    /// Official or draft (a draft is never payable).
    pub status: DocStatus,
    pub relation: PackRelation,
    /// The document it succeeds, amends or replaces.
    pub of: Option<&'a str>,
}

/// A loaded pack, summarised (the JS API's answer to `butie.loadPolicies`).
#[derive(Debug, Clone, Serialize)]
pub struct PackSummary<'a> {
    pub name: &'a str,
    pub author: &'a str,
    pub created: &'a str,
    pub description: &'a str,
    pub engine: &'a str,
    pub hash: &'a str,
    pub documents: Vec<PackDocument<'a>>,
    /// Ids of the facts and lists it adds to the catalogue (form fields, schema, batch columns).
    pub facts_added: Vec<String>,
    /// Built-in documents it replaces, with the author's reason.
    pub overrides: &'a [Override],
}

/// The documents `pack` brought into `set`, related to `base` (the data without packs).
pub fn documents<'a>(set: &'a PolicySet, base: &PolicySet, pack: &Pack) -> Vec<PackDocument<'a>> {
    set.policies
        .iter()
        .filter(|p| p.pack.as_deref() == Some(pack.name.as_str()))
        .map(|p| {
            let m = &p.meta;
            let (relation, of) = if pack.overrides.iter().any(|o| o.document == m.id) {
                (PackRelation::Replaces, Some(m.id.as_str()))
            } else if let Some(a) = &m.amends {
                (PackRelation::Amendment, Some(a.as_str()))
            } else if let Some(s) = &m.supersedes {
                (PackRelation::Successor, Some(s.as_str()))
            } else if base.has_district(&m.district) {
                (PackRelation::AddsToDistrict, None)
            } else {
                (PackRelation::NewDistrict, None)
            };
            PackDocument {
                id: &m.id,
                district: &m.district,
                district_name: &m.district_name,
                doc_no: m.doc_no.as_deref(),
                title: &m.title,
                status: m.status,
                relation,
                of,
            }
        })
        .collect()
}

/// The summary of `pack` as loaded into `set` (on `base`).
pub fn summary<'a>(set: &'a PolicySet, base: &PolicySet, pack: &'a Pack) -> PackSummary<'a> {
    let facts_added = pack
        .compiled()
        .map(|c| {
            let a = c.additions;
            a.facts
                .into_iter()
                .map(|f| f.id)
                .chain(a.lists.into_iter().map(|l| l.id))
                .collect()
        })
        .unwrap_or_default();
    PackSummary {
        name: &pack.name,
        author: &pack.author,
        created: &pack.created,
        description: &pack.description,
        engine: &pack.engine,
        hash: &pack.hash,
        documents: documents(set, base, pack),
        facts_added,
        overrides: &pack.overrides,
    }
}
