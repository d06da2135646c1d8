//! The embedded policy set (catalogue + policies), parsed once per page and kept for its lifetime.

use butie::PolicySet;
use butie::catalogue::{FactDef, ListDef};

/// The policy set compiled by build.rs from `policies/*.toml`.
const BUNDLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/policies.bin"));

thread_local! {
    /// Read on first use; leaked so every component can borrow it for `'static`.
    static SET: &'static Result<PolicySet, String> =
        Box::leak(Box::new(PolicySet::from_bytes(BUNDLE).map_err(|e| e.to_string())));
}

/// The compiled policy bundle (the batch module decodes the same bytes).
pub fn bundle() -> &'static [u8] {
    BUNDLE
}

/// The policy set, or the load error text (a build problem, never the user's input).
pub fn policy_set() -> Result<&'static PolicySet, &'static str> {
    SET.with(|set| match *set {
        Ok(set) => Ok(set),
        Err(error) => Err(error.as_str()),
    })
}

/// The definition of a top-level fact.
pub fn fact_def(fact: u16) -> Option<&'static FactDef> {
    policy_set().ok()?.catalogue.facts.get(usize::from(fact))
}

/// The definition of a list.
pub fn list_def(list: u16) -> Option<&'static ListDef> {
    policy_set().ok()?.catalogue.lists.get(usize::from(list))
}

/// The definition of a field of a list item.
pub fn field_def(list: u16, field: u16) -> Option<&'static FactDef> {
    list_def(list)?.fields.get(usize::from(field))
}
