//! Building a pack from its source files and checking it, as `butie pack`, `butie check` and
//! the authoring page do: the manifest (`pack.toml`), catalogue additions (`facts.toml`),
//! policy documents (`*.toml`), source texts and test cases are compiled against a base (the
//! built-in data), every quote is looked up in its own document's source text, the pack is
//! loaded the way a page loads it, and its cases run against the result. Every problem names
//! its file, line and column.

use super::refs::{RefMap, Refs};
use super::{
    Additions, CompiledPack, ListSymbol, Override, Pack, SourceFile, Symbol, Symbols, valid_name,
};
use crate::catalogue::{Catalogue, FactDef, FactId, FieldId, ListId};
use crate::error::LoadErrors;
use crate::files::PolicyFiles;
use crate::quotes::{FoldedText, QuoteCheck};
use crate::set::PolicySet;
use crate::spans::{LineCol, column_in_message, locate, toml_error, unknown_field};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::fmt;

/// One problem, at a file's line and column when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub at: Option<LineCol>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some(at) => write!(
                f,
                "{}:{}:{}: {}",
                self.file, at.line, at.column, self.message
            ),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// The manifest file's name in a pack directory.
pub const MANIFEST_FILE: &str = crate::files::PACK_FILE;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    name: String,
    author: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    overrides: Vec<OverrideDef>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct OverrideDef {
    document: String,
    reason: String,
}

/// A pack's source files (a pack directory, a pack's source form, or the authoring page's).
#[derive(Debug, Clone, Default)]
pub struct PackSources {
    /// `pack.toml`: `name`, `author`, `description`, `[[overrides]] document, reason`.
    pub manifest: Option<SourceFile>,
    /// `facts.toml`: catalogue additions (`groups`, `facts`, `lists`, as in the catalogue).
    pub catalogue: Option<SourceFile>,
    pub documents: Vec<SourceFile>,
    pub sources: Vec<SourceFile>,
    pub cases: Vec<SourceFile>,
}

fn files(v: &[(String, String)]) -> Vec<SourceFile> {
    v.iter()
        .map(|(file, text)| SourceFile {
            file: file.clone(),
            text: text.clone(),
        })
        .collect()
}

impl PackSources {
    /// The files of a pack directory (read by [`PolicyFiles::read_dirs`]).
    pub fn from_files(f: &PolicyFiles) -> PackSources {
        let one = |v: &Option<(String, String)>| files(v.as_slice()).into_iter().next();
        PackSources {
            manifest: one(&f.manifest),
            catalogue: one(&f.catalogue),
            documents: files(&f.documents),
            sources: files(&f.sources),
            cases: files(&f.cases),
        }
    }

    /// The source form carried by a pack file (its manifest written out as `pack.toml`).
    pub fn from_pack(p: &Pack) -> PackSources {
        let manifest = ManifestFile {
            name: p.name.clone(),
            author: p.author.clone(),
            description: p.description.clone(),
            overrides: p
                .overrides
                .iter()
                .map(|o| OverrideDef {
                    document: o.document.clone(),
                    reason: o.reason.clone(),
                })
                .collect(),
        };
        PackSources {
            manifest: Some(SourceFile {
                file: MANIFEST_FILE.into(),
                text: toml::to_string(&manifest).unwrap_or_default(),
            }),
            catalogue: p.catalogue.clone(),
            documents: p.documents.clone(),
            sources: p.sources.clone(),
            cases: p.cases.clone(),
        }
    }
}

/// What a pack is built on: the catalogue and documents it extends (source form, for
/// amendments and catalogue additions) and the same set as a page loads it.
#[derive(Debug, Clone)]
pub struct Base {
    pub catalogue: (String, Json),
    pub documents: Vec<(String, Json)>,
    pub set: PolicySet,
}

#[derive(Deserialize)]
struct BundleFile {
    file: String,
    doc: Json,
}

#[derive(Deserialize)]
struct Bundle {
    catalogue: BundleFile,
    policies: Vec<BundleFile>,
}

impl Base {
    /// The data built into this engine.
    pub fn embedded() -> Result<Base, LoadErrors> {
        let b: Bundle = serde_json::from_str(crate::set::EMBEDDED_BUNDLE).map_err(|e| {
            LoadErrors(vec![crate::LoadError {
                file: "(bundle)".into(),
                path: "(root)".into(),
                message: e.to_string(),
            }])
        })?;
        let catalogue = (b.catalogue.file, b.catalogue.doc);
        let documents: Vec<(String, Json)> =
            b.policies.into_iter().map(|p| (p.file, p.doc)).collect();
        let set = PolicySet::from_docs((&catalogue.0, catalogue.1.clone()), documents.clone())?;
        Ok(Base {
            catalogue,
            documents,
            set,
        })
    }

    /// A policy directory's files (with its catalogue) as the base.
    pub fn from_files(f: &PolicyFiles) -> Result<Base, LoadErrors> {
        let set = PolicySet::from_files(f)?;
        let parse = |text: &str| toml::from_str::<Json>(text).unwrap_or(Json::Null);
        let (cat_file, cat_text) = f.catalogue.clone().unwrap_or_default();
        Ok(Base {
            catalogue: (cat_file, parse(&cat_text)),
            documents: f
                .documents
                .iter()
                .map(|(n, t)| (n.clone(), parse(t)))
                .collect(),
            set,
        })
    }
}

/// The outcome of one case.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    pub file: String,
    /// The line the case starts on.
    pub line: usize,
    pub name: String,
    /// Mismatches (`FILE :: CASE :: what: expected …, actual …`); empty: the case passes.
    pub failures: Vec<String>,
}

/// The outcome of building and checking a pack.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// The pack, when it compiles and loads (quotes and cases may still fail: see `problems`).
    pub pack: Option<Pack>,
    /// The base with the pack, loaded the way a page loads it.
    pub set: Option<PolicySet>,
    /// Every problem, by file: syntax, compile and load errors, quotes, failing cases.
    pub problems: Vec<Problem>,
    /// Every quote of the pack's documents with its verdict, per document file.
    pub quotes: Vec<(String, QuoteCheck)>,
    pub cases: Vec<CaseOutcome>,
}

impl Checked {
    /// Built, loadable, every quote verbatim, every case passing.
    pub fn passed(&self) -> bool {
        self.pack.is_some() && self.problems.is_empty()
    }
}

/// Collects problems, placing load-error paths in their TOML files.
struct Problems<'a> {
    texts: Vec<(&'a str, &'a str)>,
    list: Vec<Problem>,
}

impl Problems<'_> {
    fn at(&mut self, file: &str, at: Option<LineCol>, message: impl Into<String>) {
        self.list.push(Problem {
            file: file.to_string(),
            at,
            message: message.into(),
        });
    }

    /// A loader error at `path` of `file`.
    fn path(&mut self, file: &str, path: &str, message: &str) {
        let text = self.texts.iter().find(|(f, _)| *f == file).map(|(_, t)| *t);
        let at =
            text.and_then(|t| locate(t, path, unknown_field(message), column_in_message(message)));
        let shown = if at.is_some() || path == "(root)" {
            message.to_string()
        } else {
            format!("{path}: {message}")
        };
        self.at(file, at, shown);
    }

    fn toml(&mut self, file: &str, text: &str, e: &toml::de::Error) {
        let (at, message) = toml_error(text, e);
        self.at(file, Some(at), message);
    }
}

/// Parses a TOML file into JSON (the form the loader reads).
fn parse_toml(f: &SourceFile, p: &mut Problems) -> Option<Json> {
    match toml::from_str::<Json>(&f.text) {
        Ok(j) => Some(j),
        Err(e) => {
            p.toml(&f.file, &f.text, &e);
            None
        }
    }
}

/// Catalogue references of the full catalogue → a symbol table.
struct Symbolizer<'a> {
    cat: &'a Catalogue,
    facts: Vec<FactId>,
    lists: Vec<(ListId, Vec<FieldId>)>,
}

impl RefMap for Symbolizer<'_> {
    fn fact(&mut self, f: FactId) -> Result<FactId, String> {
        let at = match self.facts.iter().position(|&x| x == f) {
            Some(at) => at,
            None => {
                self.facts.push(f);
                self.facts.len() - 1
            }
        };
        u16::try_from(at).map_err(|_| "too many facts".to_string())
    }

    fn list(&mut self, l: ListId) -> Result<ListId, String> {
        let at = match self.lists.iter().position(|(x, _)| *x == l) {
            Some(at) => at,
            None => {
                self.lists.push((l, Vec::new()));
                self.lists.len() - 1
            }
        };
        u16::try_from(at).map_err(|_| "too many lists".to_string())
    }

    fn field(&mut self, l: ListId, f: FieldId) -> Result<FieldId, String> {
        let at = self.list(l)?;
        let fields = &mut self.lists[usize::from(at)].1;
        let i = match fields.iter().position(|&x| x == f) {
            Some(i) => i,
            None => {
                fields.push(f);
                fields.len() - 1
            }
        };
        u16::try_from(i).map_err(|_| "too many fields".to_string())
    }
}

fn symbol(def: &FactDef) -> Symbol {
    Symbol {
        id: def.id.clone(),
        kind: def.kind,
        values: def.values.iter().map(|v| v.id.clone()).collect(),
    }
}

impl Symbolizer<'_> {
    fn symbols(&self) -> Symbols {
        Symbols {
            facts: self
                .facts
                .iter()
                .map(|&f| symbol(&self.cat.facts[usize::from(f)]))
                .collect(),
            lists: self
                .lists
                .iter()
                .map(|(l, fields)| {
                    let def = &self.cat.lists[usize::from(*l)];
                    ListSymbol {
                        id: def.id.clone(),
                        fields: fields
                            .iter()
                            .map(|&f| symbol(&def.fields[usize::from(f)]))
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

const ADDITION_KEYS: [&str; 3] = ["groups", "facts", "lists"];

/// The base catalogue with the pack's additions appended; problems in the additions file.
fn merged_catalogue(base: &Json, add: &SourceFile, p: &mut Problems) -> Option<Json> {
    let json = parse_toml(add, p)?;
    let obj = json.as_object()?;
    let mut merged = base.clone();
    for (k, v) in obj {
        match k.as_str() {
            "schema_version" if v.as_u64() == Some(1) => {}
            "schema_version" => p.path(&add.file, k, "unsupported schema_version (expected 1)"),
            k if ADDITION_KEYS.contains(&k) => match (merged.get_mut(k), v.as_array()) {
                (Some(Json::Array(to)), Some(items)) => to.extend(items.iter().cloned()),
                (None, Some(items)) => {
                    merged[k] = Json::Array(items.clone());
                }
                _ => p.path(&add.file, k, "expected an array of tables"),
            },
            other => p.path(
                &add.file,
                "(root)",
                &format!(
                    "unknown field `{other}`: catalogue additions hold groups, facts and lists"
                ),
            ),
        }
    }
    Some(merged)
}

/// Where a catalogue error belongs: `facts[57].group` past the base's 50 facts is the
/// additions file's `facts[7].group`.
fn addition_path(path: &str, base: &Json) -> Option<String> {
    for key in ADDITION_KEYS {
        let Some(rest) = path.strip_prefix(key).and_then(|r| r.strip_prefix('[')) else {
            continue;
        };
        let close = rest.find(']')?;
        let i: usize = rest[..close].parse().ok()?;
        let n = base.get(key).and_then(Json::as_array).map_or(0, Vec::len);
        return (i >= n).then(|| format!("{key}[{}]{}", i - n, &rest[close + 1..]));
    }
    None
}

fn doc_id(doc: &Json) -> Option<&str> {
    doc.get("policy")?.get("id")?.as_str()
}

/// Builds and checks a pack from its sources on `base`. `created` is the day it is made
/// (`YYYY-MM-DD`); `label` names the pack file in messages.
pub fn check(base: &Base, src: &PackSources, created: &str) -> Checked {
    let mut out = Checked::default();
    let texts: Vec<(&str, &str)> = src
        .manifest
        .iter()
        .chain(&src.catalogue)
        .chain(&src.documents)
        .chain(&src.cases)
        .map(|f| (f.file.as_str(), f.text.as_str()))
        .collect();
    let mut p = Problems {
        texts,
        list: Vec::new(),
    };

    // The manifest.
    let manifest = match &src.manifest {
        None => {
            p.at(
                MANIFEST_FILE,
                None,
                "missing: a pack directory needs pack.toml (name, author)",
            );
            None
        }
        Some(f) => match toml::from_str::<ManifestFile>(&f.text) {
            Ok(m) => {
                if !valid_name(&m.name) {
                    p.path(
                        &f.file,
                        "name",
                        "a pack name is lowercase letters, digits and hyphens (at most 64)",
                    );
                }
                if m.author.trim().is_empty() {
                    p.path(&f.file, "author", "say who made the pack");
                }
                Some(m)
            }
            Err(e) => {
                p.toml(&f.file, &f.text, &e);
                None
            }
        },
    };
    if src.documents.is_empty() {
        p.at(
            MANIFEST_FILE,
            None,
            "the pack has no policy document (*.toml)",
        );
    }

    // The catalogue, with the additions.
    let cat_json = match &src.catalogue {
        Some(add) => merged_catalogue(&base.catalogue.1, add, &mut p),
        None => Some(base.catalogue.1.clone()),
    };
    let cat_json = cat_json.unwrap_or_else(|| base.catalogue.1.clone());

    // The documents, beside the base's (minus those the pack replaces).
    let mut pack_docs: Vec<(String, Json)> = Vec::new();
    for f in &src.documents {
        if let Some(j) = parse_toml(f, &mut p) {
            pack_docs.push((f.file.clone(), j));
        }
    }
    // Quotes, per document, against the pack's own source texts.
    let folded: Vec<(&str, FoldedText)> = src
        .sources
        .iter()
        .map(|s| (s.file.as_str(), FoldedText::new(&s.text)))
        .collect();
    let mut quote_problems = Problems {
        texts: p.texts.clone(),
        list: Vec::new(),
    };
    for (file, doc) in &pack_docs {
        let checks = crate::quotes::check_document(doc, |name| {
            folded.iter().find(|(n, _)| *n == name).map(|(_, t)| t)
        });
        for c in checks {
            if let Some(problem) = &c.problem {
                quote_problems.path(file, &c.quote.path, problem);
            }
            out.quotes.push((file.clone(), c));
        }
    }
    // Problems in file order, quotes among them; the same text order every time.
    let finish = |mut out: Checked, mut p: Problems, q: Problems| {
        p.list.extend(q.list);
        p.list.sort_by(|a, b| (&a.file, a.at).cmp(&(&b.file, b.at)));
        out.problems = p.list;
        out
    };

    let overrides: Vec<Override> = manifest
        .iter()
        .flat_map(|m| &m.overrides)
        .map(|o| Override {
            document: o.document.clone(),
            reason: o.reason.clone(),
        })
        .collect();
    for (i, o) in overrides.iter().enumerate() {
        if !base
            .documents
            .iter()
            .any(|(_, d)| doc_id(d) == Some(o.document.as_str()))
        {
            p.path(
                MANIFEST_FILE,
                &format!("overrides[{i}].document"),
                &format!("there is no built-in document `{}` to replace", o.document),
            );
        }
    }
    let overridden = |id: Option<&str>| overrides.iter().any(|o| Some(o.document.as_str()) == id);
    for (file, d) in &pack_docs {
        let id = doc_id(d);
        let clash = base
            .documents
            .iter()
            .any(|(_, b)| id.is_some() && doc_id(b) == id);
        if clash && !overridden(id) {
            p.path(
                file,
                "policy.id",
                &format!(
                    "`{}` is a built-in document: a pack replaces one only when pack.toml says so ([[overrides]] document = \"{0}\", reason = \"…\"), and users are shown that it does",
                    id.unwrap_or_default()
                ),
            );
        }
        if base.documents.iter().any(|(n, _)| n == file) {
            p.path(
                file,
                "(root)",
                "a built-in document has this file name: name the pack's files differently",
            );
        }
    }
    let mut all: Vec<(String, Json)> = base
        .documents
        .iter()
        .filter(|(_, d)| !overridden(doc_id(d)))
        .cloned()
        .collect();
    all.extend(pack_docs.iter().cloned());
    if !p.list.is_empty() {
        return finish(out, p, quote_problems);
    }
    let full = match PolicySet::from_docs((&base.catalogue.0, cat_json.clone()), all) {
        Ok(set) => set,
        Err(LoadErrors(errs)) => {
            for e in errs {
                let addition = (e.file == base.catalogue.0)
                    .then_some(src.catalogue.as_ref())
                    .flatten()
                    .and_then(|add| Some((add, addition_path(&e.path, &base.catalogue.1)?)));
                match addition {
                    Some((add, path)) => p.path(&add.file, &path, &e.message),
                    None => p.path(&e.file, &e.path, &e.message),
                }
            }
            return finish(out, p, quote_problems);
        }
    };

    // The compiled section: the pack's documents and additions, in symbol numbering.
    let cat = &full.catalogue;
    let base_cat = &base.set.catalogue;
    let mut sym = Symbolizer {
        cat,
        facts: Vec::new(),
        lists: Vec::new(),
    };
    let mut policies: Vec<_> = full
        .policies
        .iter()
        .filter(|d| pack_docs.iter().any(|(f, _)| *f == d.file))
        .cloned()
        .collect();
    let mut failed = Vec::new();
    for d in &mut policies {
        if let Err(e) = d.map_refs(&mut sym) {
            failed.push(e);
        }
    }
    let (nf, nl, ng) = (
        base_cat.facts.len(),
        base_cat.lists.len(),
        base_cat.groups.len(),
    );
    let mut additions = Additions {
        groups: cat.groups[ng..].to_vec(),
        facts: cat.facts[nf..].to_vec(),
        fact_show_if: cat.fact_show_if[nf..].to_vec(),
        companion: Vec::new(),
        lists: cat.lists[nl..].to_vec(),
        field_show_if: cat.field_show_if[nl..].to_vec(),
    };
    for c in &cat.companion[nf..] {
        match c.map(|f| sym.fact(f)).transpose() {
            Ok(s) => additions.companion.push(s),
            Err(e) => failed.push(e),
        }
    }
    for r in [
        additions.fact_show_if.map_refs(&mut sym),
        additions.field_show_if.map_refs(&mut sym),
    ] {
        if let Err(e) = r {
            failed.push(e);
        }
    }
    for e in failed {
        p.at(MANIFEST_FILE, None, e);
    }
    let bases: Vec<(String, String)> = policies
        .iter()
        .filter_map(|d| d.meta.amends.as_deref())
        .filter_map(|id| base.set.document(id))
        .map(|b| (b.meta.id.clone(), b.fingerprint.clone()))
        .collect();
    let compiled = CompiledPack {
        symbols: sym.symbols(),
        additions,
        policies,
        bases,
    };
    let manifest = manifest.unwrap_or_else(|| ManifestFile {
        name: String::new(),
        author: String::new(),
        description: String::new(),
        overrides: Vec::new(),
    });
    let pack = Pack::assemble(
        format!("{}{}", manifest.name, super::PACK_EXTENSION),
        manifest.name,
        manifest.author,
        created.to_string(),
        manifest.description,
        overrides,
        src.documents.clone(),
        src.catalogue.clone(),
        src.sources.clone(),
        src.cases.clone(),
        &compiled,
    );

    // Loaded as a page loads it.
    let set = match base.set.clone().with_packs(&[&pack]) {
        Ok(set) => Some(set),
        Err(errs) => {
            for e in errs {
                p.at(&e.file, None, format!("{}: {}", e.path, e.message.en));
            }
            None
        }
    };

    // Cases, against the set with the pack.
    if let Some(set) = &set {
        for f in &src.cases {
            let lines = crate::cases::case_lines(&f.text);
            match crate::cases::parse_yaml(&f.text) {
                Err((line, column, message)) => {
                    p.at(&f.file, Some(LineCol { line, column }), message)
                }
                Ok(cases) => {
                    for (i, case) in cases.iter().enumerate() {
                        let line = lines.get(i).copied().unwrap_or(1);
                        let end = lines.get(i + 1).copied().unwrap_or(usize::MAX);
                        let failures = crate::cases::run_case(set, &f.file, case);
                        for m in &failures {
                            let at = expectation_at(&f.text, line, end, m)
                                .unwrap_or(LineCol { line, column: 1 });
                            p.at(&f.file, Some(at), m.clone());
                        }
                        out.cases.push(CaseOutcome {
                            file: f.file.clone(),
                            line,
                            name: case.name.clone(),
                            failures,
                        });
                    }
                }
            }
        }
    }
    out.set = set;
    out.pack = out.set.is_some().then_some(pack);
    finish(out, p, quote_problems)
}

/// Where in a case file (between the case's first line and the next case's) a failure's
/// expectation is written: the line of the longest key of `FILE :: CASE :: hongkou.8.amount: …`
/// (`hongkou.8.amount:`, else `hongkou.8:`, …) found there.
fn expectation_at(text: &str, from: usize, to: usize, failure: &str) -> Option<LineCol> {
    let what = failure.splitn(3, " :: ").nth(2)?.split(':').next()?;
    let what = what.split([' ', '[']).next()?;
    let parts: Vec<&str> = what.split('.').collect();
    (1..=parts.len()).rev().find_map(|n| {
        let key = format!("{}:", parts[..n].join("."));
        text.lines()
            .enumerate()
            .skip(from.saturating_sub(1))
            .take(to.saturating_sub(from))
            .find_map(|(i, l)| {
                let at = l.find(&key)?;
                let starts = at == 0
                    || !l[..at].ends_with(|c: char| c.is_alphanumeric() || c == '.' || c == '_');
                starts.then(|| LineCol {
                    line: i + 1,
                    column: l[..at].chars().count() + 1,
                })
            })
    })
}

/// Checks a pack file: its envelope and hash, then its source form built again on `base`
/// (with file, line and column for every problem), and that its compiled section is the one
/// its source compiles to.
pub fn check_pack(base: &Base, pack: &Pack) -> Checked {
    let mut out = check(base, &PackSources::from_pack(pack), &pack.created);
    if let Some(rebuilt) = &out.pack {
        let same = pack.compiled_here() && pack.compiled_data == rebuilt.compiled_data;
        if !pack.compiled_here() {
            out.problems.push(Problem {
                file: pack.label.clone(),
                at: None,
                message: format!(
                    "compiled by butie {} ({}): pages of this version cannot load it; `butie pack {} -o {}` compiles it again",
                    pack.engine, pack.compiled_format, pack.label, pack.label
                ),
            });
        } else if !same {
            out.problems.push(Problem {
                file: pack.label.clone(),
                at: None,
                message: "the compiled section is not what the pack's source compiles to (changed by hand?); `butie pack` rebuilds it".into(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addition_paths_are_relative_to_the_additions() {
        let base = serde_json::json!({"facts": [1, 2, 3], "groups": [1]});
        assert_eq!(
            addition_path("facts[4].group", &base).as_deref(),
            Some("facts[1].group")
        );
        assert_eq!(addition_path("facts[2].group", &base), None);
        assert_eq!(
            addition_path("lists[0]", &base).as_deref(),
            Some("lists[0]")
        );
    }
}
