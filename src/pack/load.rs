//! Loading packs into a policy set: the pack's catalogue additions are appended to the page's
//! catalogue, its references are mapped from its symbol table onto that catalogue, and its
//! documents join the set under the same checks as the built-in ones (unique ids, known
//! predecessors in the same district, never two documents of a district in force on one day).
//! A pack that fails any check changes nothing: the set is built anew from the page's own.

use super::refs::{RefMap, Refs};
use super::{CompiledPack, Pack, PackError, Symbol};
use crate::catalogue::{Catalogue, FactDef, FactId, FieldId, ListId};
use crate::error::LoadError;
use crate::policy::{Policy, RuleKind};
use crate::set::PolicySet;
use sha2::{Digest, Sha256};

/// A short fingerprint of a compiled document (16 hex digits of the SHA-256 of its compact
/// encoding): an amendment compiled merged with a document records it, so a page whose copy
/// of that document differs refuses the amendment instead of mixing two versions.
pub fn fingerprint(p: &Policy) -> String {
    let bytes = postcard::to_allocvec(p).unwrap_or_default();
    super::hash::hex(&Sha256::digest(&bytes)[..8])
}

/// Symbol numbers → the page's catalogue.
struct Resolver {
    facts: Vec<FactId>,
    lists: Vec<(ListId, Vec<FieldId>)>,
}

fn beyond(what: &str, n: usize, have: usize) -> String {
    format!("the compiled data refers to {what} #{n}, but the pack declares {have}")
}

impl RefMap for Resolver {
    fn fact(&mut self, f: FactId) -> Result<FactId, String> {
        let have = self.facts.len();
        self.facts
            .get(usize::from(f))
            .copied()
            .ok_or_else(|| beyond("fact", usize::from(f), have))
    }

    fn list(&mut self, l: ListId) -> Result<ListId, String> {
        let have = self.lists.len();
        self.lists
            .get(usize::from(l))
            .map(|(id, _)| *id)
            .ok_or_else(|| beyond("list", usize::from(l), have))
    }

    fn field(&mut self, l: ListId, f: FieldId) -> Result<FieldId, String> {
        let fields = &self
            .lists
            .get(usize::from(l))
            .ok_or_else(|| beyond("list", usize::from(l), 0))?
            .1;
        fields
            .get(usize::from(f))
            .copied()
            .ok_or_else(|| beyond("list field", usize::from(f), fields.len()))
    }
}

/// Errors of one pack.
struct Problems<'a> {
    pack: &'a Pack,
    errs: Vec<PackError>,
}

impl Problems<'_> {
    fn push(&mut self, path: impl Into<String>, zh: String, en: String) {
        self.errs
            .push(PackError::new(&self.pack.label, path, zh, en));
    }
}

/// Whether the page's definition `def` is the fact the pack was compiled against.
fn same_fact(sym: &Symbol, def: &FactDef) -> Result<(), String> {
    if def.kind != sym.kind {
        return Err(format!(
            "`{}` is {:?} here, the pack was compiled for {:?}",
            sym.id, def.kind, sym.kind
        ));
    }
    let values: Vec<&str> = def.values.iter().map(|v| v.id.as_str()).collect();
    if values != sym.values {
        return Err(format!(
            "the values of `{}` are [{}] here, the pack was compiled for [{}]",
            sym.id,
            values.join(", "),
            sym.values.join(", ")
        ));
    }
    Ok(())
}

fn resolve(cat: &Catalogue, c: &CompiledPack, p: &mut Problems) -> Option<Resolver> {
    let mut r = Resolver {
        facts: Vec::new(),
        lists: Vec::new(),
    };
    let mut ok = true;
    let mut fail = |p: &mut Problems, path: String, detail: String| {
        ok = false;
        p.push(
            path,
            format!("政策包与本页的字段表不一致：{detail}"),
            format!("the pack does not fit this page's fact catalogue: {detail}"),
        );
    };
    for (i, sym) in c.symbols.facts.iter().enumerate() {
        match cat.fact_id(&sym.id) {
            Some(f) => {
                if let Err(e) = same_fact(sym, &cat.facts[usize::from(f)]) {
                    fail(p, format!("compiled.symbols.facts[{i}]"), e);
                }
                r.facts.push(f);
            }
            None => fail(
                p,
                format!("compiled.symbols.facts[{i}]"),
                format!("unknown fact `{}`", sym.id),
            ),
        }
    }
    for (i, ls) in c.symbols.lists.iter().enumerate() {
        let Some(l) = cat.list_id(&ls.id) else {
            fail(
                p,
                format!("compiled.symbols.lists[{i}]"),
                format!("unknown list `{}`", ls.id),
            );
            continue;
        };
        let mut fields = Vec::new();
        for (j, sym) in ls.fields.iter().enumerate() {
            match cat.field_id(l, &sym.id) {
                Some(f) => {
                    let def = &cat.lists[usize::from(l)].fields[usize::from(f)];
                    if let Err(e) = same_fact(sym, def) {
                        fail(p, format!("compiled.symbols.lists[{i}].fields[{j}]"), e);
                    }
                    fields.push(f);
                }
                None => fail(
                    p,
                    format!("compiled.symbols.lists[{i}].fields[{j}]"),
                    format!("unknown field `{}` of `{}`", sym.id, ls.id),
                ),
            }
        }
        r.lists.push((l, fields));
    }
    ok.then_some(r)
}

/// Appends the pack's added groups, facts and lists to the catalogue (their compiled
/// `show_if` and companions come later, once references can be mapped).
fn append(cat: &mut Catalogue, c: &CompiledPack, p: &mut Problems) {
    let a = &c.additions;
    let taken = |cat: &Catalogue, id: &str| {
        cat.groups.iter().any(|g| g.id == id)
            || cat.fact_id(id).is_some()
            || cat.list_id(id).is_some()
    };
    let mut fresh: Vec<&str> = Vec::new();
    for (what, ids) in [
        (
            "groups",
            a.groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(),
        ),
        ("facts", a.facts.iter().map(|f| f.id.as_str()).collect()),
        ("lists", a.lists.iter().map(|l| l.id.as_str()).collect()),
    ] {
        for (i, id) in ids.into_iter().enumerate() {
            if taken(cat, id) || fresh.contains(&id) {
                p.push(
                    format!("compiled.additions.{what}[{i}]"),
                    format!("政策包新增的“{id}”与本页已有的字段或分组重名"),
                    format!("the pack adds `{id}`, which this page already has"),
                );
            }
            fresh.push(id);
        }
    }
    let lengths = a.fact_show_if.len() == a.facts.len()
        && a.companion.len() == a.facts.len()
        && a.field_show_if.len() == a.lists.len()
        && a.lists
            .iter()
            .zip(&a.field_show_if)
            .all(|(l, s)| l.fields.len() == s.len());
    if !lengths {
        p.push(
            "compiled.additions",
            "新增字段的数据不完整".into(),
            "the added facts' compiled data is incomplete".into(),
        );
    }
    let groups: Vec<&str> = cat
        .groups
        .iter()
        .chain(&a.groups)
        .map(|g| g.id.as_str())
        .collect();
    for (what, items) in [
        (
            "facts",
            a.facts.iter().map(|f| &f.group).collect::<Vec<_>>(),
        ),
        ("lists", a.lists.iter().map(|l| &l.group).collect()),
    ] {
        for (i, g) in items.into_iter().enumerate() {
            if !groups.contains(&g.as_str()) {
                p.push(
                    format!("compiled.additions.{what}[{i}].group"),
                    format!("未知分组“{g}”"),
                    format!("unknown group `{g}`"),
                );
            }
        }
    }
    if cat.facts.len() + a.facts.len() > usize::from(u16::MAX)
        || cat.lists.len() + a.lists.len() > usize::from(u16::MAX)
    {
        p.push(
            "compiled.additions",
            "字段过多".into(),
            "too many facts".into(),
        );
    }
    if !p.errs.is_empty() {
        return;
    }
    cat.groups.extend(a.groups.iter().cloned());
    cat.facts.extend(a.facts.iter().cloned());
    cat.lists.extend(a.lists.iter().cloned());
    cat.reindex();
}

/// Adds one pack to `set`.
fn add(set: &mut PolicySet, pack: &Pack) -> Result<(), Vec<PackError>> {
    let mut c = pack.compiled().map_err(|e| vec![e])?;
    let mut p = Problems {
        pack,
        errs: Vec::new(),
    };
    // Amendments were compiled merged with documents already here: the same ones?
    for (id, fp) in &c.bases {
        match set.document(id) {
            Some(doc) if fingerprint(doc) == *fp => {}
            Some(_) => p.push(
                "compiled.bases",
                format!("政策包中的修订是按另一版本的“{id}”编译的：请用本版本的 butie 重新生成政策包"),
                format!(
                    "an amendment in the pack was compiled against another version of `{id}`: rebuild the pack with this version of butie"
                ),
            ),
            None => p.push(
                "compiled.bases",
                format!("政策包修订的文件“{id}”不在本页"),
                format!("the pack amends `{id}`, which this page does not have"),
            ),
        }
    }
    for (i, o) in pack.overrides.iter().enumerate() {
        match set.policies.iter().position(|d| d.meta.id == o.document) {
            Some(at) if set.policies[at].pack.is_none() => {
                set.policies.remove(at);
            }
            Some(at) => {
                let by = set.policies[at].pack.clone().unwrap_or_default();
                p.push(
                    format!("overrides[{i}].document"),
                    format!("“{}”已由政策包“{by}”提供，不能再替换", o.document),
                    format!(
                        "`{}` comes from the pack `{by}` and cannot be replaced",
                        o.document
                    ),
                );
            }
            None => p.push(
                format!("overrides[{i}].document"),
                format!("本页没有要替换的内置文件“{}”", o.document),
                format!(
                    "this page has no built-in document `{}` to replace",
                    o.document
                ),
            ),
        }
    }
    let base_facts = set.catalogue.facts.len();
    let base_lists = set.catalogue.lists.len();
    append(&mut set.catalogue, &c, &mut p);
    if !p.errs.is_empty() {
        return Err(p.errs);
    }
    let Some(mut r) = resolve(&set.catalogue, &c, &mut p) else {
        return Err(p.errs);
    };
    let a = &mut c.additions;
    let mapped = |p: &mut Problems, path: String, res: Result<(), String>| {
        if let Err(e) = res {
            p.push(
                path,
                format!("编译数据有误：{e}"),
                format!("the compiled data is broken: {e}"),
            );
        }
    };
    for (i, cond) in a.fact_show_if.iter_mut().enumerate() {
        mapped(
            &mut p,
            format!("compiled.additions.facts[{i}].show_if"),
            cond.map_refs(&mut r),
        );
    }
    for (i, fields) in a.field_show_if.iter_mut().enumerate() {
        mapped(
            &mut p,
            format!("compiled.additions.lists[{i}].show_if"),
            fields.map_refs(&mut r),
        );
    }
    let mut companion = Vec::with_capacity(a.companion.len());
    for (i, c) in a.companion.iter().enumerate() {
        match c.map(|s| r.fact(s)).transpose() {
            Ok(f) => companion.push(f),
            Err(e) => mapped(
                &mut p,
                format!("compiled.additions.facts[{i}].companion_date"),
                Err(e),
            ),
        }
    }
    let location: Vec<&FactDef> = set.catalogue.facts.iter().filter(|f| f.location).collect();
    for (i, doc) in c.policies.iter_mut().enumerate() {
        let path = format!("compiled.policies[{i}]");
        mapped(&mut p, path.clone(), doc.map_refs(&mut r));
        mapped(&mut p, path.clone(), well_formed(doc));
        let id = &doc.meta.id;
        if let Some(other) = set.document(id) {
            let by = other.pack.as_deref().map_or_else(
                || ("本页内置".to_string(), "built in".to_string()),
                |n| (format!("政策包“{n}”"), format!("from the pack `{n}`")),
            );
            p.push(
                format!("{path}.meta.id"),
                format!(
                    "文件“{id}”已存在（{}）；若要替换内置文件，政策包须在 overrides 中写明",
                    by.0
                ),
                format!(
                    "the document `{id}` is already here ({}); a pack replaces a built-in document only when it says so in `overrides`",
                    by.1
                ),
            );
        }
        for f in &location {
            if !f.values.iter().any(|v| v.id == doc.meta.district) {
                p.push(
                    format!("{path}.meta.district"),
                    format!("“{}”不是“{}”的可选值", doc.meta.district, f.id),
                    format!("`{}` is not a value of `{}`", doc.meta.district, f.id),
                );
            }
        }
        doc.pack = Some(pack.name.clone());
    }
    if !p.errs.is_empty() {
        return Err(p.errs);
    }
    set.catalogue
        .fact_show_if
        .extend(std::mem::take(&mut c.additions.fact_show_if));
    set.catalogue.companion.extend(companion);
    set.catalogue
        .field_show_if
        .extend(std::mem::take(&mut c.additions.field_show_if));
    debug_assert_eq!(
        set.catalogue.facts.len(),
        base_facts + c.additions.facts.len()
    );
    debug_assert_eq!(
        set.catalogue.lists.len(),
        base_lists + c.additions.lists.len()
    );
    set.policies.extend(c.policies);
    Ok(())
}

/// Indexes inside a compiled document point where they must.
fn well_formed(doc: &Policy) -> Result<(), String> {
    let n = doc.rules.len();
    let applicant_ok = doc.clauses.iter().all(|c| {
        c.applicant.iter().all(|&i| {
            doc.rules
                .get(i)
                .is_some_and(|r| r.kind == RuleKind::Applicant)
        })
    });
    let dedupe_ok = doc
        .one_award_per_project
        .is_none_or(|i| i < n && doc.rules[i].kind == RuleKind::OneAwardPerProject);
    if applicant_ok && dedupe_ok {
        Ok(())
    } else {
        Err(format!("`{}`: a rule index is out of range", doc.meta.id))
    }
}

impl PolicySet {
    /// This set with `packs` added, in order. Either every pack loads, or the error lists every
    /// problem and nothing changes (`self` is never modified).
    pub fn with_packs(&self, packs: &[&Pack]) -> Result<PolicySet, Vec<PackError>> {
        let mut set = self.clone();
        let mut errs = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for pack in packs {
            if names.contains(&pack.name.as_str()) {
                errs.push(PackError::new(
                    &pack.label,
                    "name",
                    format!("已载入同名政策包“{}”", pack.name),
                    format!("a pack named `{}` is already loaded", pack.name),
                ));
                continue;
            }
            names.push(&pack.name);
            if let Err(e) = add(&mut set, pack) {
                errs.extend(e);
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        crate::set::sort_documents(&mut set.policies);
        let label = |e: &LoadError| {
            set.policies
                .iter()
                .find(|p| p.file == e.file)
                .and_then(|p| p.pack.as_deref())
                .and_then(|n| packs.iter().find(|p| p.name == n))
                .map_or_else(|| e.file.clone(), |p| p.label.clone())
        };
        let relation_errors = crate::set::relation_errors(&set);
        if !relation_errors.is_empty() {
            return Err(relation_errors
                .iter()
                .map(|e| {
                    PackError::new(
                        &label(e),
                        format!("{} › {}", e.file, e.path),
                        format!("与其他文件的关系有误：{}", e.message),
                        e.message.clone(),
                    )
                })
                .collect());
        }
        Ok(set)
    }
}
