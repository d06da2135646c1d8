//! A policy set: the fact catalogue plus every policy document, validated together.

use crate::catalogue::Catalogue;
use crate::error::{LoadError, LoadErrors};
#[cfg(feature = "loader")]
use crate::policy::compile_policy;
use crate::policy::{Clause, Policy, Rule};
use serde::{Deserialize, Serialize};

/// Header of a compiled bundle: format name and engine version (bundles are not portable
/// between engine versions).
const BUNDLE_MAGIC: &str = concat!("butie-bundle-1/", env!("CARGO_PKG_VERSION"));

/// The file name the catalogue is loaded from.
pub const CATALOGUE_FILE: &str = "facts.toml";

/// The catalogue and the policies.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicySet {
    pub catalogue: Catalogue,
    pub policies: Vec<Policy>,
}

/// An entry found by id: a clause or a rule, with its policy.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'a> {
    Clause(&'a Policy, &'a Clause),
    Rule(&'a Policy, &'a Rule),
}

#[cfg(feature = "loader")]
#[derive(Deserialize)]
struct Bundle {
    catalogue: BundleFile,
    policies: Vec<BundleFile>,
}

#[cfg(feature = "loader")]
#[derive(Deserialize)]
struct BundleFile {
    file: String,
    doc: serde_json::Value,
}

/// The default data, bundled at build time from `policies/*.toml`.
#[cfg(feature = "loader")]
pub const EMBEDDED_BUNDLE: &str = include_str!(concat!(env!("OUT_DIR"), "/policies.json"));

#[cfg(feature = "loader")]
impl PolicySet {
    /// Validates a catalogue and policies given as parsed documents `(file name, document)`.
    pub fn from_docs(
        catalogue: (&str, serde_json::Value),
        policies: Vec<(String, serde_json::Value)>,
    ) -> Result<PolicySet, LoadErrors> {
        let cat = Catalogue::from_json(catalogue.0, catalogue.1).map_err(LoadErrors)?;
        let mut errs = Vec::new();
        let mut out: Vec<Policy> = Vec::new();
        for (file, doc) in policies {
            match compile_policy(&cat, &file, doc) {
                Ok(p) => {
                    if let Some(prev) = out
                        .iter()
                        .find(|q| q.meta.id == p.meta.id || q.meta.district == p.meta.district)
                    {
                        errs.push(LoadError {
                            file: file.clone(),
                            path: "policy.id".into(),
                            message: format!("policy id or district repeats `{}`", prev.file),
                        });
                    }
                    let entries = p
                        .clauses
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (format!("clauses[{i}].id"), &c.id))
                        .chain(
                            p.rules
                                .iter()
                                .enumerate()
                                .map(|(i, r)| (format!("rules[{i}].id"), &r.id)),
                        );
                    for (path, id) in entries {
                        if let Some(q) = out.iter().find(|q| {
                            q.clauses.iter().any(|c| &c.id == id)
                                || q.rules.iter().any(|r| &r.id == id)
                        }) {
                            errs.push(LoadError {
                                file: file.clone(),
                                path,
                                message: format!(
                                    "duplicate id `{id}` across files (also in `{}`)",
                                    q.file
                                ),
                            });
                        }
                    }
                    out.push(p);
                }
                Err(e) => errs.extend(e),
            }
        }
        if errs.is_empty() {
            Ok(PolicySet {
                catalogue: cat,
                policies: out,
            })
        } else {
            Err(LoadErrors(errs))
        }
    }

    /// The default data embedded in this build.
    pub fn embedded() -> Result<PolicySet, LoadErrors> {
        Self::from_bundle_json(EMBEDDED_BUNDLE)
    }

    /// Loads a bundle (`{"catalogue": {file, doc}, "policies": [{file, doc}]}`).
    pub fn from_bundle_json(json: &str) -> Result<PolicySet, LoadErrors> {
        let b: Bundle = serde_json::from_str(json).map_err(|e| {
            LoadErrors(vec![LoadError {
                file: "(bundle)".into(),
                path: "(root)".into(),
                message: e.to_string(),
            }])
        })?;
        Self::from_docs(
            (&b.catalogue.file, b.catalogue.doc),
            b.policies.into_iter().map(|p| (p.file, p.doc)).collect(),
        )
    }

    /// Loads TOML texts: the catalogue and `(file name, text)` per policy.
    #[cfg(feature = "toml")]
    pub fn from_toml(
        catalogue: &str,
        policies: &[(String, String)],
    ) -> Result<PolicySet, LoadErrors> {
        let parse = |file: &str, text: &str| -> Result<serde_json::Value, LoadError> {
            toml::from_str::<serde_json::Value>(text).map_err(|e| LoadError {
                file: file.to_string(),
                path: "(toml)".into(),
                message: e.to_string().trim().replace('\n', " "),
            })
        };
        let cat = parse(CATALOGUE_FILE, catalogue).map_err(|e| LoadErrors(vec![e]))?;
        let mut docs = Vec::new();
        let mut errs = Vec::new();
        for (f, t) in policies {
            match parse(f, t) {
                Ok(d) => docs.push((f.clone(), d)),
                Err(e) => errs.push(e),
            }
        }
        if !errs.is_empty() {
            return Err(LoadErrors(errs));
        }
        Self::from_docs((CATALOGUE_FILE, cat), docs)
    }
}

impl PolicySet {
    /// The compiled set as a compact bundle (read back with [`PolicySet::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(&(BUNDLE_MAGIC, self)).unwrap_or_default()
    }

    /// Reads a bundle written by [`PolicySet::to_bytes`] with the same engine version.
    pub fn from_bytes(bytes: &[u8]) -> Result<PolicySet, LoadErrors> {
        let err = |message: String| {
            LoadErrors(vec![LoadError {
                file: "(compiled bundle)".into(),
                path: "(root)".into(),
                message,
            }])
        };
        let (magic, mut set): (&str, PolicySet) =
            postcard::from_bytes(bytes).map_err(|e| err(format!("unreadable bundle: {e}")))?;
        if magic != BUNDLE_MAGIC {
            return Err(err(format!(
                "bundle `{magic}` does not match this engine (`{BUNDLE_MAGIC}`)"
            )));
        }
        set.catalogue.reindex();
        Ok(set)
    }

    /// Finds a clause or rule by id.
    pub fn entry(&self, id: &str) -> Option<Entry<'_>> {
        self.policies.iter().find_map(|p| {
            p.clauses
                .iter()
                .find(|c| c.id == id)
                .map(|c| Entry::Clause(p, c))
                .or_else(|| {
                    p.rules
                        .iter()
                        .find(|r| r.id == id)
                        .map(|r| Entry::Rule(p, r))
                })
        })
    }

    /// The policy of a district.
    pub fn district(&self, district: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.meta.district == district)
    }
}
