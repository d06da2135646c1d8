//! Loading packs into a policy set: the pack's catalogue additions are appended to the page's
//! catalogue, its references are mapped from its symbol table onto that catalogue, and its
//! documents join the set under the same checks as the built-in ones (unique ids, known
//! predecessors in the same district, never two documents of a district in force on one day).
//! A pack that fails a check is refused with the reason; the caller keeps its set.
//!
//! Written for size (it is in the calculator page): one error per pack, the first found (the
//! tools that build packs list every problem, with line and column).

use super::refs::{RefMap, Refs};
use super::{Additions, Pack, PackError, Symbol};
use crate::catalogue::{Catalogue, FactDef, FactId, FieldId, ListId};
use crate::policy::{Policy, RuleKind};
use crate::set::PolicySet;

/// Symbol numbers → the page's catalogue.
struct Resolver {
    facts: Vec<FactId>,
    lists: Vec<(ListId, Vec<FieldId>)>,
}

const OUT_OF_RANGE: &str = "a reference to an undeclared fact";

impl RefMap for Resolver {
    fn fact(&mut self, f: FactId) -> Result<FactId, String> {
        self.facts
            .get(usize::from(f))
            .copied()
            .ok_or_else(|| OUT_OF_RANGE.into())
    }

    fn list(&mut self, l: ListId) -> Result<ListId, String> {
        self.lists
            .get(usize::from(l))
            .map(|(id, _)| *id)
            .ok_or_else(|| OUT_OF_RANGE.into())
    }

    fn field(&mut self, l: ListId, f: FieldId) -> Result<FieldId, String> {
        self.lists
            .get(usize::from(l))
            .and_then(|(_, fields)| fields.get(usize::from(f)))
            .copied()
            .ok_or_else(|| OUT_OF_RANGE.into())
    }
}

/// A refusal: `zh`/`en` are the reason; `detail` is added to both.
fn refuse(pack: &Pack, path: &str, zh: &str, en: &str, detail: &str) -> PackError {
    PackError::new(
        &pack.label,
        path,
        [zh, detail].concat(),
        [en, detail].concat(),
    )
}

/// Whether the page's definition `def` is the fact the pack was compiled against: the same
/// type and, for enums, the same values in the same order.
fn same(sym: &Symbol, def: &FactDef) -> bool {
    def.kind == sym.kind
        && def.values.len() == sym.values.len()
        && def.values.iter().zip(&sym.values).all(|(v, s)| v.id == *s)
}

fn resolve(
    cat: &Catalogue,
    pack: &Pack,
    facts: &[Symbol],
    lists: &[super::ListSymbol],
) -> Result<Resolver, PackError> {
    let misfit = |id: &str| {
        refuse(
            pack,
            "compiled.symbols",
            "政策包与本页的字段表不一致（请用本版本的 butie 重新生成）：",
            "the pack does not fit this page's facts (rebuild it with this version of butie): ",
            id,
        )
    };
    let mut r = Resolver {
        facts: Vec::with_capacity(facts.len()),
        lists: Vec::with_capacity(lists.len()),
    };
    for sym in facts {
        match cat.fact_id(&sym.id) {
            Some(f) if same(sym, &cat.facts[usize::from(f)]) => r.facts.push(f),
            _ => return Err(misfit(&sym.id)),
        }
    }
    for ls in lists {
        let l = cat.list_id(&ls.id).ok_or_else(|| misfit(&ls.id))?;
        let mut fields = Vec::with_capacity(ls.fields.len());
        for sym in &ls.fields {
            match cat.field_id(l, &sym.id) {
                Some(f) if same(sym, &cat.lists[usize::from(l)].fields[usize::from(f)]) => {
                    fields.push(f)
                }
                _ => return Err(misfit(&sym.id)),
            }
        }
        r.lists.push((l, fields));
    }
    Ok(r)
}

/// Appends the pack's added groups, facts and lists to the catalogue, their compiled
/// `show_if` and companions mapped with `r` once the additions are in.
fn append(cat: &mut Catalogue, a: Additions, pack: &Pack) -> Result<(), PackError> {
    let taken = |cat: &Catalogue, id: &str| {
        cat.groups.iter().any(|g| g.id == id)
            || cat.fact_id(id).is_some()
            || cat.list_id(id).is_some()
    };
    let ids = a
        .groups
        .iter()
        .map(|g| &g.id)
        .chain(a.facts.iter().map(|f| &f.id))
        .chain(a.lists.iter().map(|l| &l.id));
    let mut seen: Vec<&String> = Vec::new();
    for id in ids {
        if taken(cat, id) || seen.contains(&id) {
            return Err(refuse(
                pack,
                "compiled.additions",
                "政策包新增的字段与本页已有的重名：",
                "the pack adds a field this page already has: ",
                id,
            ));
        }
        seen.push(id);
    }
    let consistent = a.fact_show_if.len() == a.facts.len()
        && a.companion.len() == a.facts.len()
        && a.field_show_if.len() == a.lists.len()
        && a.lists
            .iter()
            .zip(&a.field_show_if)
            .all(|(l, s)| l.fields.len() == s.len())
        && a.facts
            .iter()
            .map(|f| &f.group)
            .chain(a.lists.iter().map(|l| &l.group))
            .all(|g| cat.groups.iter().chain(&a.groups).any(|x| x.id == *g))
        && cat.facts.len() + a.facts.len() <= usize::from(u16::MAX)
        && cat.lists.len() + a.lists.len() <= usize::from(u16::MAX);
    if !consistent {
        return Err(refuse(
            pack,
            "compiled.additions",
            "新增字段的编译数据有误",
            "the added facts' compiled data is broken",
            "",
        ));
    }
    cat.groups.extend(a.groups);
    cat.facts.extend(a.facts);
    cat.lists.extend(a.lists);
    cat.reindex();
    cat.fact_show_if.extend(a.fact_show_if);
    cat.field_show_if.extend(a.field_show_if);
    cat.companion.extend(a.companion);
    Ok(())
}

/// Indexes inside a compiled document point where they must.
fn well_formed(doc: &Policy) -> bool {
    let rule = |i: usize, kind: RuleKind| doc.rules.get(i).is_some_and(|r| r.kind == kind);
    doc.clauses
        .iter()
        .all(|c| c.applicant.iter().all(|&i| rule(i, RuleKind::Applicant)))
        && doc
            .one_award_per_project
            .is_none_or(|i| rule(i, RuleKind::OneAwardPerProject))
}

/// Adds one pack to `set`.
fn add(set: &mut PolicySet, pack: &Pack) -> Result<(), PackError> {
    let c = pack.compiled()?;
    // Amendments were compiled merged with documents already here: the same versions?
    for (id, fp) in &c.bases {
        if set.document(id).is_none_or(|d| d.fingerprint != *fp) {
            return Err(refuse(
                pack,
                "compiled.bases",
                "政策包中的修订是按另一版本的文件编译的（请用本版本的 butie 重新生成）：",
                "an amendment in the pack was compiled against another version of a document here (rebuild it with this version of butie): ",
                id,
            ));
        }
    }
    // Built-in documents it replaces (it says so).
    for o in &pack.overrides {
        match set.policies.iter().position(|d| d.meta.id == o.document) {
            Some(at) if set.policies[at].pack.is_none() => {
                set.policies.remove(at);
            }
            _ => {
                return Err(refuse(
                    pack,
                    "overrides",
                    "本页没有可替换的内置文件：",
                    "this page has no built-in document to replace: ",
                    &o.document,
                ));
            }
        }
    }
    let (first_new, first_list) = (set.catalogue.facts.len(), set.catalogue.lists.len());
    append(&mut set.catalogue, c.additions, pack)?;
    let mut r = resolve(&set.catalogue, pack, &c.symbols.facts, &c.symbols.lists)?;
    let broken = |e: String| {
        refuse(
            pack,
            "compiled.data",
            "编译数据有误：",
            "the compiled data is broken: ",
            &e,
        )
    };
    // The additions' own references, now that the symbols resolve.
    let cat = &mut set.catalogue;
    for cond in &mut cat.fact_show_if[first_new..] {
        cond.map_refs(&mut r).map_err(broken)?;
    }
    for f in cat.companion[first_new..].iter_mut().flatten() {
        *f = r.fact(*f).map_err(broken)?;
    }
    for fields in &mut cat.field_show_if[first_list..] {
        fields.map_refs(&mut r).map_err(broken)?;
    }
    let location: Vec<&FactDef> = set.catalogue.facts.iter().filter(|f| f.location).collect();
    let mut docs = c.policies;
    for doc in &mut docs {
        doc.map_refs(&mut r).map_err(broken)?;
        let id = &doc.meta.id;
        if !well_formed(doc) {
            return Err(broken(id.clone()));
        }
        if set.document(id).is_some() {
            return Err(refuse(
                pack,
                "documents",
                "本页已有同 id 的文件（替换内置文件须在政策包的 overrides 中写明）：",
                "this page already has a document of this id (a pack replaces a built-in one only when its overrides say so): ",
                id,
            ));
        }
        if !location
            .iter()
            .all(|f| f.values.iter().any(|v| v.id == doc.meta.district))
        {
            return Err(refuse(
                pack,
                "documents",
                "本页的区列表中没有此区：",
                "this page's list of districts does not have: ",
                &doc.meta.district,
            ));
        }
        doc.pack = Some(pack.name.clone());
    }
    for doc in docs {
        crate::set::insert_document(&mut set.policies, doc);
    }
    Ok(())
}

impl PolicySet {
    /// This set with `packs` added, in order; or every problem. (It takes the set: a page
    /// builds a fresh one from its bundle rather than carry the code to copy one.)
    pub fn with_packs(self, packs: &[&Pack]) -> Result<PolicySet, Vec<PackError>> {
        let mut set = self;
        let mut errs = Vec::new();
        for (i, pack) in packs.iter().enumerate() {
            let twice = packs[..i].iter().any(|p| p.name == pack.name);
            let added = if twice {
                Err(refuse(
                    pack,
                    "name",
                    "已载入同名政策包：",
                    "a pack of this name is already loaded: ",
                    &pack.name,
                ))
            } else {
                add(&mut set, pack)
            };
            if let Err(e) = added {
                errs.push(e);
            }
        }
        if errs.is_empty() {
            for e in crate::set::relation_errors(&set) {
                let doc = set.policies.iter().find(|p| p.file == e.file);
                let pack = doc.and_then(|d| d.pack.as_deref());
                let label = packs
                    .iter()
                    .find(|p| Some(p.name.as_str()) == pack)
                    .map_or(e.file.as_str(), |p| p.label.as_str());
                errs.push(PackError::new(
                    label,
                    [e.file.as_str(), " › ", &e.path].concat(),
                    ["与其他文件的关系有误：", e.message.as_str()].concat(),
                    e.message.clone(),
                ));
            }
        }
        if errs.is_empty() { Ok(set) } else { Err(errs) }
    }
}
