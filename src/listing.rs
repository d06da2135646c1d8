//! The policy documents with their windows and states on a date: what `butie policies --json`
//! and the JS API's `butie.policies()` both return.

use serde::Serialize;

use crate::date::{Date, serde_iso};
use crate::lifecycle::Lifecycle;
use crate::policy::{DocStatus, Policy};
use crate::report::PolicyState;
use crate::{PolicySet, Text};

/// Every document of a policy set, as of a date, and per district which one is evaluated.
#[derive(Debug, Serialize)]
pub struct PolicyListing<'a> {
    #[serde(serialize_with = "serde_iso::serialize")]
    pub as_of: Date,
    pub districts: Vec<DistrictEntry<'a>>,
    pub policies: Vec<PolicyEntry<'a>>,
}

/// A district: the document evaluated on the date, and the coverage line when none is in
/// force or about to be.
#[derive(Debug, Serialize)]
pub struct DistrictEntry<'a> {
    pub district: &'a str,
    pub district_name: &'a Text,
    /// The id of the document evaluated on the date.
    pub evaluated: &'a str,
    pub coverage: Option<Text>,
}

/// One document: identity, window, state on the date, and where its data and text are.
#[derive(Debug, Serialize)]
pub struct PolicyEntry<'a> {
    pub district: &'a str,
    pub district_name: &'a Text,
    pub policy_id: &'a str,
    pub doc_no: Option<&'a str>,
    pub title: &'a Text,
    pub status: DocStatus,
    #[serde(serialize_with = "serde_iso::option")]
    pub issued_on: Option<Date>,
    #[serde(serialize_with = "serde_iso::option")]
    pub effective_from: Option<Date>,
    #[serde(serialize_with = "serde_iso::option")]
    pub effective_to: Option<Date>,
    pub state: PolicyState,
    /// Days left, ending soon, ended on… on the date.
    pub lifecycle: Lifecycle<'a>,
    /// The sentence about its window on the date.
    pub notice: Text,
    /// Whether it is the document evaluated for its district on the date.
    pub evaluated: bool,
    pub supersedes: Option<&'a str>,
    pub amends: Option<&'a str>,
    #[serde(serialize_with = "serde_iso::serialize")]
    pub verified_on: Date,
    /// How many clauses and policy-wide rules the data file encodes.
    pub clauses: usize,
    pub rules: usize,
    pub data_file: &'a str,
    pub source_file: &'a str,
    /// The policy pack the document comes from (its name); absent for the built-in data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pack: Option<&'a str>,
    /// The article and sentence that set the window.
    pub window_article: &'a str,
    pub window_quote: &'a str,
}

/// Lists `set`'s documents with their state on `as_of`.
pub fn policy_listing(set: &PolicySet, as_of: Date) -> PolicyListing<'_> {
    let districts: Vec<DistrictEntry> = set
        .districts()
        .into_iter()
        .filter_map(|d| {
            let sel = set.select(d, as_of)?;
            let m = &sel.current.meta;
            Some(DistrictEntry {
                district: &m.district,
                district_name: &m.district_name,
                evaluated: &m.id,
                coverage: crate::words::coverage(&set.lifecycle(sel.current, as_of), m),
            })
        })
        .collect();
    let policies = set
        .policies
        .iter()
        .map(|p| {
            entry(
                set,
                p,
                as_of,
                districts.iter().any(|d| d.evaluated == p.meta.id),
            )
        })
        .collect();
    PolicyListing {
        as_of,
        districts,
        policies,
    }
}

fn entry<'a>(set: &'a PolicySet, p: &'a Policy, as_of: Date, evaluated: bool) -> PolicyEntry<'a> {
    let m = &p.meta;
    let lifecycle = set.lifecycle(p, as_of);
    let successor = lifecycle
        .superseded_by
        .and_then(|id| set.document(id))
        .map(|s| &s.meta);
    PolicyEntry {
        district: &m.district,
        district_name: &m.district_name,
        policy_id: &m.id,
        doc_no: m.doc_no.as_deref(),
        title: &m.title,
        status: m.status,
        issued_on: m.issued_on,
        effective_from: m.effective_from,
        effective_to: m.effective_to,
        state: lifecycle.state,
        notice: crate::words::lifecycle_notice(&lifecycle, m, successor),
        lifecycle,
        evaluated,
        supersedes: m.supersedes.as_deref(),
        amends: m.amends.as_deref(),
        verified_on: m.verified_on,
        clauses: p.clauses.len(),
        rules: p.rules.len(),
        data_file: &p.file,
        source_file: &m.source_file,
        pack: p.pack.as_deref(),
        window_article: &m.window_article,
        window_quote: &m.window_quote,
    }
}

#[cfg(all(test, feature = "loader"))]
mod tests {
    use super::*;
    use crate::date::parse_date;

    #[test]
    fn lists_each_document_with_its_state_on_the_date() {
        let set = PolicySet::embedded().expect("embedded policies");
        let listing = policy_listing(&set, parse_date("2026-11-21").unwrap());
        let states: Vec<(&str, PolicyState)> = listing
            .policies
            .iter()
            .map(|p| (p.district, p.state))
            .collect();
        assert_eq!(
            states,
            [
                ("jiading", PolicyState::Expired),
                ("jinshan", PolicyState::Expired),
                ("putuo", PolicyState::InForce),
                ("songjiang", PolicyState::Draft),
            ]
        );
        let json = serde_json::to_value(&listing).unwrap();
        assert_eq!(json["as_of"], "2026-11-21");
        let putuo = &json["policies"][2];
        assert_eq!(putuo["doc_no"], "普科合规范〔2024〕3号");
        assert_eq!(putuo["status"], "official");
        assert_eq!(putuo["state"], "in_force");
        assert_eq!(putuo["effective_from"], "2025-01-01");
        assert_eq!(
            json["policies"][3]["effective_from"],
            serde_json::Value::Null
        );
    }
}
