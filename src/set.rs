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

/// The catalogue and every policy document (an amendment compiled merged with what it amends).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicySet {
    pub catalogue: Catalogue,
    pub policies: Vec<Policy>,
}

/// An entry found by id: a clause or a rule, with its document.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'a> {
    Clause(&'a Policy, &'a Clause),
    Rule(&'a Policy, &'a Rule),
}

impl<'a> Entry<'a> {
    /// The document the entry was found in.
    pub fn policy(&self) -> &'a Policy {
        match self {
            Entry::Clause(p, _) | Entry::Rule(p, _) => p,
        }
    }
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
    ///
    /// Amendments (`amends = "<id>"`) are compiled merged with the document they amend; then the
    /// set is checked as a whole: unique document ids, known predecessors and bases in the same
    /// district, and never two documents of a district in force on the same day without a
    /// relation between them.
    pub fn from_docs(
        catalogue: (&str, serde_json::Value),
        policies: Vec<(String, serde_json::Value)>,
    ) -> Result<PolicySet, LoadErrors> {
        let cat = Catalogue::from_json(catalogue.0, catalogue.1).map_err(LoadErrors)?;
        let mut errs = Vec::new();
        let mut out: Vec<Policy> = Vec::new();
        for (file, doc) in crate::amend::merge_amendments(policies, &mut errs) {
            match compile_policy(&cat, &file, doc) {
                Ok(p) => {
                    if let Some(prev) = out.iter().find(|q| q.meta.id == p.meta.id) {
                        errs.push(LoadError {
                            file: file.clone(),
                            path: "policy.id".into(),
                            message: format!("document id `{}` repeats `{}`", p.meta.id, prev.file),
                        });
                    }
                    out.push(p);
                }
                Err(e) => errs.extend(e),
            }
        }
        sort_documents(&mut out);
        let set = PolicySet {
            catalogue: cat,
            policies: out,
        };
        if errs.is_empty() {
            errs.extend(relation_errors(&set));
        }
        if errs.is_empty() {
            Ok(set)
        } else {
            Err(LoadErrors(errs))
        }
    }

    /// Loads the files of policy directories (see [`crate::files::PolicyFiles`]).
    #[cfg(feature = "toml")]
    pub fn from_files(files: &crate::files::PolicyFiles) -> Result<PolicySet, LoadErrors> {
        let Some((_, catalogue)) = &files.catalogue else {
            return Err(LoadErrors(vec![LoadError {
                file: CATALOGUE_FILE.into(),
                path: "(root)".into(),
                message: "no catalogue: the first policy directory must hold facts.toml".into(),
            }]));
        };
        if files.additions.is_empty() {
            return Self::from_toml(catalogue, &files.documents);
        }
        let mut merged: toml::Table = toml::from_str(catalogue).map_err(|e| {
            LoadErrors(vec![LoadError {
                file: CATALOGUE_FILE.into(),
                path: "(toml)".into(),
                message: e.to_string().trim().replace('\n', " "),
            }])
        })?;
        for (file, text) in &files.additions {
            let add: toml::Table = toml::from_str(text).map_err(|e| {
                LoadErrors(vec![LoadError {
                    file: file.clone(),
                    path: "(toml)".into(),
                    message: e.to_string().trim().replace('\n', " "),
                }])
            })?;
            for (key, value) in add {
                let items = match (key.as_str(), value) {
                    ("schema_version", _) => continue,
                    ("groups" | "facts" | "lists", toml::Value::Array(items)) => items,
                    _ => {
                        return Err(LoadErrors(vec![LoadError {
                            file: file.clone(),
                            path: key,
                            message: "catalogue additions hold arrays of groups, facts and lists"
                                .into(),
                        }]));
                    }
                };
                if let toml::Value::Array(to) = merged
                    .entry(key)
                    .or_insert_with(|| toml::Value::Array(Vec::new()))
                {
                    to.extend(items);
                }
            }
        }
        let merged = toml::to_string(&merged).map_err(|e| {
            LoadErrors(vec![LoadError {
                file: CATALOGUE_FILE.into(),
                path: "(toml)".into(),
                message: e.to_string(),
            }])
        })?;
        Self::from_toml(&merged, &files.documents)
    }

    /// Reads and loads policy directories: the first holds `facts.toml`; each may hold
    /// documents (`*.toml`) and their source texts (`sources/*.txt`).
    #[cfg(feature = "toml")]
    pub fn from_dirs<P: AsRef<std::path::Path>>(dirs: &[P]) -> Result<PolicySet, LoadErrors> {
        let files = crate::files::PolicyFiles::read_dirs(dirs).map_err(|e| {
            LoadErrors(vec![LoadError {
                file: dirs
                    .first()
                    .map(|d| d.as_ref().display().to_string())
                    .unwrap_or_default(),
                path: "(io)".into(),
                message: e.to_string(),
            }])
        })?;
        Self::from_files(&files)
    }

    /// Reads and loads one policy directory.
    #[cfg(feature = "toml")]
    pub fn from_dir(dir: impl AsRef<std::path::Path>) -> Result<PolicySet, LoadErrors> {
        Self::from_dirs(&[dir.as_ref()])
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

    /// Finds a clause or rule by id: `putuo.3.1` (the first document that has it, documents
    /// in force first) or qualified by document, `putuo.3.1@putuo-2024-3`.
    pub fn entry(&self, id: &str) -> Option<Entry<'_>> {
        self.entries(id).into_iter().next()
    }

    /// Every clause or rule with this id (qualified ids match one document at most).
    pub fn entries(&self, id: &str) -> Vec<Entry<'_>> {
        let (id, doc) = match id.split_once('@') {
            Some((id, doc)) => (id, Some(doc)),
            None => (id, None),
        };
        self.policies
            .iter()
            .filter(|p| doc.is_none_or(|d| p.meta.id == d))
            .filter_map(|p| {
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
            .collect()
    }
}

/// A district's documents together, oldest first (the order of every set).
#[cfg(feature = "loader")]
pub(crate) fn sort_documents(docs: &mut [Policy]) {
    docs.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
}

/// Where a document goes in a set: by district, then oldest first.
fn order_key(p: &Policy) -> (&str, Option<crate::date::Date>, Option<crate::date::Date>) {
    let m = &p.meta;
    (&m.district, m.effective_from.or(m.issued_on), m.issued_on)
}

/// Adds a document where [`sort_documents`] would put it (after its equals).
pub(crate) fn insert_document(docs: &mut Vec<Policy>, p: Policy) {
    let at = docs.partition_point(|q| order_key(q) <= order_key(&p));
    docs.insert(at, p);
}

/// The set-level checks: relations between documents, then (when they hold) that no two
/// documents of a district are both in force on any day.
pub(crate) fn relation_errors(set: &PolicySet) -> Vec<LoadError> {
    let errs = check_relations(&set.policies);
    if !errs.is_empty() {
        return errs;
    }
    crate::lifecycle::clashes(set)
        .into_iter()
        .map(|(a, b, day)| {
            let (pa, pb) = (&set.policies[a], &set.policies[b]);
            LoadError {
                file: pb.file.clone(),
                path: "policy.effective_from".into(),
                message: format!(
                    "`{}` and `{}` ({}) are both in force on {}: say which supersedes or amends the other",
                    pa.meta.id,
                    pb.meta.id,
                    pa.meta.district,
                    crate::date::fmt_date(day)
                ),
            }
        })
        .collect()
}

/// Checks of the relations between documents.
fn check_relations(docs: &[Policy]) -> Vec<LoadError> {
    let mut errs = Vec::new();
    for p in docs {
        for (field, target) in [
            ("supersedes", &p.meta.supersedes),
            ("amends", &p.meta.amends),
        ] {
            let Some(target) = target else { continue };
            let err = |message: String| LoadError {
                file: p.file.clone(),
                path: format!("policy.{field}"),
                message,
            };
            match docs.iter().find(|q| &q.meta.id == target) {
                None => errs.push(err(format!("unknown document `{target}`"))),
                Some(q) if q.meta.district != p.meta.district => errs.push(err(format!(
                    "`{target}` is a document of `{}`, not `{}`",
                    q.meta.district, p.meta.district
                ))),
                Some(q) if std::ptr::eq(q, p) => {
                    errs.push(err("a document cannot name itself".into()))
                }
                Some(_) => {}
            }
        }
        // A chain of predecessors must end (no cycles; naming itself is reported above).
        if p.meta.supersedes.as_ref().or(p.meta.amends.as_ref()) == Some(&p.meta.id) {
            continue;
        }
        let mut seen = vec![p.meta.id.as_str()];
        let mut next = p.meta.supersedes.as_deref().or(p.meta.amends.as_deref());
        while let Some(n) = next {
            if seen.contains(&n) {
                errs.push(LoadError {
                    file: p.file.clone(),
                    path: "policy.supersedes".into(),
                    message: format!(
                        "documents supersede or amend each other in a cycle: {} → {n}",
                        seen.join(" → ")
                    ),
                });
                break;
            }
            seen.push(n);
            next = docs
                .iter()
                .find(|q| q.meta.id == n)
                .and_then(|q| q.meta.supersedes.as_deref().or(q.meta.amends.as_deref()));
        }
    }
    errs
}
