//! `butie explain`: a clause or rule written out — quotes, conditions, formula, offsets, notes.

use crate::error::CliError;
use crate::{ExplainArgs, input};
use butie::batch::edit_distance;
use butie::catalogue::Catalogue;
use butie::expr::{Lit, Operand, Sign, Term, ValueExpr};
use butie::format::{money, rate};
use butie::policy::{
    Basis, Bound, Check, Clause, Condition, Formula, ItemsCap, Node, Offset, OffsetKind, Policy,
    Reading, Rule, RuleKind, Schedule,
};
use butie::report::AmountKind;
use butie::set::Entry;
use butie::words::{Word, w};
use butie::{Lang, PolicySet, Text};
use serde_json::{Value as Json, json};
use std::fmt::Write;

/// Runs the command.
pub fn run(set: &PolicySet, a: &ExplainArgs) -> Result<(), CliError> {
    let id = a.id.trim();
    let entry = set.entry(id).ok_or_else(|| unknown_id(set, id))?;
    let cat = &set.catalogue;
    if a.json {
        let j = match entry {
            Entry::Clause(p, c) => clause_json(cat, p, c),
            Entry::Rule(p, r) => rule_json(p, r),
        };
        input::print_json(&j)
    } else {
        let l: Lang = a.lang.into();
        let text = match entry {
            Entry::Clause(p, c) => clause_text(cat, p, c, l),
            Entry::Rule(p, r) => rule_text(p, r, l),
        };
        input::write_text("-", &crate::text::clean_except(&text, Some('\n')))
    }
}

/// Every clause and rule id.
fn all_ids(set: &PolicySet) -> impl Iterator<Item = &str> {
    set.policies.iter().flat_map(|p| {
        p.clauses
            .iter()
            .map(|c| c.id.as_str())
            .chain(p.rules.iter().map(|r| r.id.as_str()))
    })
}

fn unknown_id(set: &PolicySet, id: &str) -> CliError {
    let limit = (id.chars().count() / 3).max(2);
    let mut close: Vec<(usize, &str)> = all_ids(set)
        .map(|c| (edit_distance(id, c), c))
        .filter(|(d, c)| *d <= limit || c.starts_with(id) || (id.starts_with(c) && c.contains('.')))
        .collect();
    close.sort();
    let names: Vec<&str> = close.iter().take(5).map(|(_, c)| *c).collect();
    let hint = if names.is_empty() {
        let districts: Vec<&str> = set
            .policies
            .iter()
            .map(|p| p.meta.district.as_str())
            .collect();
        format!(
            "ids start with a district ({}), e.g. jinshan.8; `butie policies` lists the documents",
            districts.join(", ")
        )
    } else {
        format!("close matches: {}", names.join(", "))
    };
    CliError::bad(format!("unknown clause or rule id `{id}`; {hint}"))
}

// ------------------------------------------------------------------ words

fn basis_word(b: Basis) -> Word {
    match b {
        Basis::Entitlement => w(
            "经审核（条件满足即可获得，形式审查）",
            "entitlement (paid when the conditions are met; a formal check)",
        ),
        Basis::Recognition => w(
            "经认定（由主管部门认定，金额多为上限）",
            "recognition (the authority recognises; amounts are mostly ceilings)",
        ),
        Basis::Competitive => w(
            "经评审、公示（择优支持）",
            "competitive (expert review and public notice)",
        ),
    }
}

fn offset_word(k: OffsetKind) -> Word {
    match k {
        OffsetKind::Subtract => w(
            "扣减：max(0, 金额 − 值)",
            "subtract: max(0, amount − value)",
        ),
        OffsetKind::CombinedCap => w(
            "与上级补助合计不超过上限：min(金额, 上限 − 值)",
            "combined ceiling: min(amount, ceiling − value)",
        ),
        OffsetKind::AtLeast => w(
            "就高执行：max(金额, 值)",
            "the higher applies: max(amount, value)",
        ),
    }
}

fn rule_kind_word(k: RuleKind) -> Word {
    match k {
        RuleKind::Applicant => w(
            "申报主体条件（适用于各条款，除非条款另有列明）",
            "applicant conditions (apply to every clause unless it lists its own)",
        ),
        RuleKind::OneAwardPerProject => w(
            "同一项目从高不重复（只按金额最高的一条计）",
            "one award per project (the clause that pays most)",
        ),
        RuleKind::Info => w("参考信息（不含条件）", "for reference (no conditions)"),
    }
}

/// A value expression as written in the policy file (`item.actual_investment - item.construction_investment`).
fn expr_src(cat: &Catalogue, v: &ValueExpr) -> String {
    let term = |t: &Term| match t {
        Term::Ref(Operand::Fact(f)) => cat.facts[*f as usize].id.clone(),
        Term::Ref(Operand::Field(l, f)) => {
            format!("item.{}", cat.lists[*l as usize].fields[*f as usize].id)
        }
        Term::Lit(Lit::Num(n)) => n.normalize().to_string(),
        Term::Lit(Lit::Bool(b)) => b.to_string(),
        Term::Lit(Lit::Enum(i)) => format!("#{i}"),
        Term::Lit(Lit::Date(d)) => butie::date::fmt_date(*d),
    };
    let mut s = term(&v.first);
    for (sign, t) in &v.rest {
        s.push_str(if *sign == Sign::Plus { " + " } else { " - " });
        s.push_str(&term(t));
    }
    s
}

// ------------------------------------------------------------------ text

struct Out {
    s: String,
    l: Lang,
}

impl Out {
    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.s, "{}{text}", "  ".repeat(indent));
    }

    fn w<'t>(&self, zh: &'t str, en: &'t str) -> &'t str {
        if self.l == Lang::Zh { zh } else { en }
    }

    fn quote(&mut self, indent: usize, q: &str) {
        let (a, b) = if self.l == Lang::Zh {
            ("「", "」")
        } else {
            ("“", "”")
        };
        self.line(indent, &format!("{a}{q}{b}"));
    }

    fn texts(&mut self, head_zh: &str, head_en: &str, items: &[Text]) {
        if items.is_empty() {
            return;
        }
        let head = self.w(head_zh, head_en).to_string();
        self.line(0, &head);
        for t in items {
            let s = format!("- {}", t.get(self.l));
            self.line(1, &s);
        }
    }

    fn conditions(&mut self, conds: &[Condition]) {
        for c in conds {
            let s = match c.check {
                Check::Review => format!(
                    "- {}{}",
                    self.w("（由主管部门判断）", "(for the authority to decide) "),
                    c.label.get(self.l)
                ),
                Check::Expr(_) => format!("- {}    [{}]", c.label.get(self.l), c.source),
            };
            self.line(1, &s);
        }
    }
}

fn doc_line(p: &Policy, l: Lang) -> String {
    let m = &p.meta;
    let doc = m
        .doc_no
        .as_deref()
        .unwrap_or(w("（草案，无文号）", "(draft, no number)").get(l));
    format!("{} {doc} {}", m.district_name.get(l), m.title.get(l))
}

fn clause_text(cat: &Catalogue, p: &Policy, c: &Clause, l: Lang) -> String {
    let mut o = Out {
        s: String::new(),
        l,
    };
    o.line(0, &format!("{} · {} {}", c.id, c.article, c.title.get(l)));
    o.line(0, &doc_line(p, l));
    let basis = format!("{}: {}", o.w("依据", "basis"), basis_word(c.basis).get(l));
    o.line(0, &basis);
    let h = o.w("原文:", "text:").to_string();
    o.line(0, &h);
    for q in std::iter::once(&c.quote).chain(&c.extra_quotes) {
        o.quote(1, q);
    }
    applicant_text(&mut o, p, c);
    if let Some(list) = c.for_each {
        let s = format!(
            "{}: {}",
            o.w("逐项计算", "per item of"),
            cat.lists[list as usize].id
        );
        o.line(0, &s);
        if let Some(sel) = &c.select {
            let s = format!(
                "{}: {}    [{}]",
                o.w("选取", "items"),
                sel.label.get(l),
                sel.source
            );
            o.line(1, &s);
        }
    }
    if !c.conditions.is_empty() {
        let h = o
            .w("条件（全部满足）:", "conditions (all must hold):")
            .to_string();
        o.line(0, &h);
        o.conditions(&c.conditions);
    }
    let h = o.w("金额公式:", "formula:").to_string();
    o.line(0, &h);
    formula_text(&mut o, cat, &c.award, 1);
    items_cap_text(&mut o, Some(c.items_cap), c.items_cap_label.as_ref());
    offsets_text(&mut o, cat, &c.offsets);
    if let Some(n) = &c.amount_note {
        let s = format!("{}: {}", o.w("金额说明", "about the amount"), n.get(l));
        o.line(0, &s);
    }
    o.texts("说明:", "notes:", &c.notes);
    o.texts("解读:", "interpretation:", &c.interpretation);
    for r in &c.readings {
        reading_text(&mut o, cat, p, r);
    }
    sources_line(&mut o, p);
    o.s
}

/// The ceiling over all items; `cap` is `None` when unchanged (a reading), `Some(None)` when
/// there is none.
fn items_cap_text(o: &mut Out, cap: Option<Option<ItemsCap>>, label: Option<&Text>) {
    let l = o.l;
    let Some(cap) = cap else { return };
    let label = label.map_or(
        o.w("所有项目合计上限", "ceiling over all items"),
        |t| t.get(l),
    );
    let value = match cap {
        None => return,
        Some(ItemsCap::Amount(c)) => money(c, l),
        Some(ItemsCap::AwardCap) => o
            .w(
                "所有项目合计不超过单项所达上限（按认定级别）",
                "all items together at most the award's ceiling (by the level reached)",
            )
            .to_string(),
    };
    o.line(1, &format!("{label}: {value}"));
}

/// Another reading of the clause: what it changes, with its sentence.
fn reading_text(o: &mut Out, cat: &Catalogue, p: &Policy, r: &Reading) {
    let l = o.l;
    let h = format!(
        "{} [{}]: {}",
        o.w("另一读法（不计入金额）", "another reading (never counted)"),
        r.id,
        r.label.get(l)
    );
    o.line(0, &h);
    o.quote(1, &r.quote);
    if let Some(n) = &r.note {
        o.line(1, n.get(l));
    }
    if let Some(ids) = &r.applicant {
        let names: Vec<&str> = ids
            .iter()
            .filter_map(|&i| p.rules.get(i))
            .map(|x| x.id.as_str())
            .collect();
        let s = format!(
            "{}: {}",
            o.w("申报主体规则", "applicant rules"),
            if names.is_empty() {
                o.w("无", "none").to_string()
            } else {
                names.join(", ")
            }
        );
        o.line(1, &s);
    }
    if let Some(conds) = &r.conditions {
        let h = o.w("条件:", "conditions:").to_string();
        o.line(1, &h);
        o.conditions(conds);
    }
    if let Some(f) = &r.award {
        let h = o.w("金额公式:", "formula:").to_string();
        o.line(1, &h);
        formula_text(o, cat, f, 2);
    }
    match r.items_cap {
        Some(None) => {
            let s = o.w(
                "所有项目合计：不设上限（逐项计）",
                "no ceiling over all items (per item)",
            );
            o.line(1, s);
        }
        other => items_cap_text(o, other, r.items_cap_label.as_ref()),
    }
    if let Some(offs) = &r.offsets {
        if offs.is_empty() {
            let s = o.w("不作调整", "no offsets");
            o.line(1, s);
        } else {
            offsets_text(o, cat, offs);
        }
    }
}

fn applicant_text(o: &mut Out, p: &Policy, c: &Clause) {
    let h = o.w("申报主体规则:", "applicant rules:").to_string();
    if c.applicant.is_empty() {
        let s = format!("{h} {}", o.w("无", "none"));
        o.line(0, &s);
        return;
    }
    o.line(0, &h);
    for r in c.applicant.iter().filter_map(|&i| p.rules.get(i)) {
        let s = format!("{} {} {}", r.id, r.article, r.title.get(o.l));
        o.line(1, &s);
        for cond in &r.conditions {
            let s = format!("- {}    [{}]", cond.label.get(o.l), cond.source);
            o.line(2, &s);
        }
    }
}

fn formula_text(o: &mut Out, cat: &Catalogue, f: &Formula, indent: usize) {
    let l = o.l;
    let mut head = String::new();
    if let Some(lb) = &f.label {
        head.push_str(lb.get(l));
    }
    if let Some(w) = &f.when {
        let _ = write!(head, " [{} {}]", o.w("当", "when"), w.source);
    }
    let body = node_text(o, cat, &f.node);
    let line = if head.is_empty() {
        body
    } else {
        format!("{}: {body}", head.trim())
    };
    o.line(indent, &line);
    match &f.node {
        Node::Best(opts) | Node::Sum(opts) => {
            for x in opts {
                formula_text(o, cat, x, indent + 1);
            }
        }
        _ => {}
    }
    modifiers_text(o, f, indent + 1);
}

fn node_text(o: &Out, cat: &Catalogue, n: &Node) -> String {
    let l = o.l;
    match n {
        Node::Fixed { amount, bound } => match bound {
            Bound::Definite => format!("{} {}", o.w("定额", "fixed"), money(*amount, l)),
            Bound::UpTo => butie::words::amount_text(AmountKind::UpTo, Some(&money(*amount, l)), l),
        },
        Node::Rate {
            base,
            base_label,
            rate: r,
            bound,
        } => {
            let b = match bound {
                Bound::Definite => o.w("（确定比例）", " (a definite rate)"),
                Bound::UpTo => o.w("（比例为上限：不超过）", " (at most this rate)"),
            };
            format!(
                "{}（{}）× {}{b}",
                base_label.get(l),
                expr_src(cat, base),
                rate(*r)
            )
        }
        Node::PerUnit { count, unit, bound } => {
            let def = cat.operand_def(*count);
            let each = match bound {
                Bound::Definite => money(*unit, l),
                Bound::UpTo => {
                    butie::words::amount_text(AmountKind::UpTo, Some(&money(*unit, l)), l)
                }
            };
            format!(
                "{}（{}）× {each}",
                def.label.get(l),
                cat.operand_name(*count)
            )
        }
        Node::Best(_) => o
            .w(
                "取达到的最高一档（不累加）:",
                "the highest applicable option (tiers do not add up):",
            )
            .into(),
        Node::Sum(_) => o.w("各部分相加:", "parts added up:").into(),
        Node::NotQuantified => o
            .w("条文未规定金额或比例", "the text names no amount or rate")
            .into(),
    }
}

fn modifiers_text(o: &mut Out, f: &Formula, indent: usize) {
    let l = o.l;
    if let Some(cap) = f.cap {
        let label = f
            .cap_label
            .as_ref()
            .map_or(o.w("上限", "ceiling"), |t| t.get(l));
        let s = format!("{label}: {}", money(cap, l));
        o.line(indent, &s);
    }
    if let Some(y) = f.years {
        let s = format!("× {y} {}", o.w("年", "years"));
        o.line(indent, &s);
    }
    if let Some(t) = f.total_cap {
        let s = format!("{}: {}", o.w("总额上限", "total ceiling"), money(t, l));
        o.line(indent, &s);
    }
    if let Some(s) = &f.schedule {
        let line = schedule_text(o, s);
        o.line(indent, &line);
    }
}

fn schedule_text(o: &Out, s: &Schedule) -> String {
    let shares = if s.shares.is_empty() {
        o.w("各年比例未规定", "yearly split not stated").to_string()
    } else {
        s.shares
            .iter()
            .map(|x| rate(*x))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let note = s
        .note
        .as_ref()
        .map(|n| format!(" — {}", n.get(o.l)))
        .unwrap_or_default();
    if o.l == Lang::Zh {
        format!("分 {} 年拨付：{shares}{note}", s.years)
    } else {
        format!("paid over {} years: {shares}{note}", s.years)
    }
}

fn offsets_text(o: &mut Out, cat: &Catalogue, offs: &[Offset]) {
    if offs.is_empty() {
        return;
    }
    let h = o.w("调整（依次）:", "offsets (in order):").to_string();
    o.line(0, &h);
    for x in offs {
        let when = x
            .when
            .as_ref()
            .map(|w| format!(" [{} {}]", o.w("当", "when"), w.source))
            .unwrap_or_default();
        let s = format!(
            "- {}: {} = {}{when}",
            x.label.get(o.l),
            offset_word(x.kind).get(o.l),
            expr_src(cat, &x.value)
        );
        o.line(1, &s);
        if let Some(r) = &x.rule {
            let s = format!("{}: {r}", o.w("依据规则", "rule"));
            o.line(2, &s);
        }
        o.quote(2, &x.quote);
    }
}

fn sources_line(o: &mut Out, p: &Policy) {
    let s = format!(
        "{}: policies/sources/{} · {}: policies/{}",
        o.w("原文文件", "source"),
        p.meta.source_file,
        o.w("数据文件", "data"),
        p.file
    );
    o.line(0, &s);
}

fn rule_text(p: &Policy, r: &Rule, l: Lang) -> String {
    let mut o = Out {
        s: String::new(),
        l,
    };
    o.line(0, &format!("{} · {} {}", r.id, r.article, r.title.get(l)));
    o.line(0, &doc_line(p, l));
    let kind = rule_kind_word(r.kind).get(l);
    let s = format!("{}: {kind}", o.w("类型", "kind"));
    o.line(0, &s);
    let h = o.w("原文:", "text:").to_string();
    o.line(0, &h);
    for q in std::iter::once(&r.quote).chain(&r.extra_quotes) {
        o.quote(1, q);
    }
    if !r.conditions.is_empty() {
        let h = o
            .w("条件（全部满足）:", "conditions (all must hold):")
            .to_string();
        o.line(0, &h);
        o.conditions(&r.conditions);
    }
    o.texts("说明:", "notes:", &r.notes);
    o.texts("解读:", "interpretation:", &r.interpretation);
    for x in &r.readings {
        let h = format!(
            "{} [{}]: {}",
            o.w("另一读法（不计入金额）", "another reading (never counted)"),
            x.id,
            x.label.get(l)
        );
        o.line(0, &h);
        o.quote(1, &x.quote);
        if let Some(n) = &x.note {
            o.line(1, n.get(l));
        }
        o.conditions(&x.conditions);
    }
    sources_line(&mut o, p);
    o.s
}

// ------------------------------------------------------------------ JSON

fn policy_json(p: &Policy) -> Json {
    json!({
        "id": p.meta.id,
        "district": p.meta.district,
        "doc_no": p.meta.doc_no,
        "title": p.meta.title,
        "source_file": p.meta.source_file,
        "data_file": p.file,
    })
}

fn cond_json(c: &Condition) -> Json {
    json!({
        "label": c.label,
        "test": c.source,
        "review": matches!(c.check, Check::Review),
    })
}

fn formula_json(cat: &Catalogue, f: &Formula) -> Json {
    let mut j = match &f.node {
        Node::Fixed { amount, bound } => {
            json!({"type": "fixed", "amount": amount.to_string(), "bound": bound})
        }
        Node::Rate {
            base,
            base_label,
            rate: r,
            bound,
        } => json!({
            "type": "rate", "base": expr_src(cat, base), "base_label": base_label,
            "rate": rate(*r), "bound": bound
        }),
        Node::PerUnit { count, unit, bound } => json!({
            "type": "per_unit", "count": cat.operand_name(*count),
            "unit": unit.to_string(), "bound": bound
        }),
        Node::Best(opts) => json!({
            "type": "best", "options": opts.iter().map(|x| formula_json(cat, x)).collect::<Vec<_>>()
        }),
        Node::Sum(parts) => json!({
            "type": "sum", "parts": parts.iter().map(|x| formula_json(cat, x)).collect::<Vec<_>>()
        }),
        Node::NotQuantified => json!({"type": "not_quantified"}),
    };
    if let Some(o) = j.as_object_mut() {
        o.insert("label".into(), json!(f.label));
        o.insert("when".into(), json!(f.when.as_ref().map(|w| &w.source)));
        o.insert("cap".into(), json!(f.cap.map(|c| c.to_string())));
        o.insert("cap_label".into(), json!(f.cap_label));
        o.insert("years".into(), json!(f.years));
        o.insert(
            "total_cap".into(),
            json!(f.total_cap.map(|c| c.to_string())),
        );
        o.insert(
            "schedule".into(),
            json!(f.schedule.as_ref().map(|s| json!({
                "years": s.years,
                "shares": s.shares.iter().map(|x| rate(*x)).collect::<Vec<_>>(),
                "note": s.note,
            }))),
        );
    }
    j
}

fn clause_json(cat: &Catalogue, p: &Policy, c: &Clause) -> Json {
    let applicant: Vec<Json> = c
        .applicant
        .iter()
        .filter_map(|&i| p.rules.get(i))
        .map(|r| {
            json!({"id": r.id, "article": r.article, "title": r.title,
            "conditions": r.conditions.iter().map(cond_json).collect::<Vec<_>>()})
        })
        .collect();
    let offsets = offsets_json(cat, &c.offsets);
    json!({
        "kind": "clause",
        "id": c.id,
        "article": c.article,
        "title": c.title,
        "policy": policy_json(p),
        "basis": c.basis,
        "quote": c.quote,
        "extra_quotes": c.extra_quotes,
        "applicant_rules": applicant,
        "for_each": c.for_each.map(|l| &cat.lists[l as usize].id),
        "select": c.select.as_ref().map(cond_json),
        "conditions": c.conditions.iter().map(cond_json).collect::<Vec<_>>(),
        "award": formula_json(cat, &c.award),
        "items_cap": items_cap_json(c.items_cap),
        "items_cap_label": c.items_cap_label,
        "offsets": offsets,
        "notes": c.notes,
        "interpretation": c.interpretation,
        "amount_note": c.amount_note,
        "readings": c.readings.iter().map(|r| reading_json(cat, p, r)).collect::<Vec<_>>(),
    })
}

fn items_cap_json(c: Option<ItemsCap>) -> Json {
    match c {
        None => Json::Null,
        Some(ItemsCap::Amount(a)) => json!(a.to_string()),
        Some(ItemsCap::AwardCap) => json!("award_cap"),
    }
}

fn offsets_json(cat: &Catalogue, offs: &[Offset]) -> Vec<Json> {
    offs.iter()
        .map(|x| {
            json!({
                "kind": x.kind, "value": expr_src(cat, &x.value),
                "when": x.when.as_ref().map(|w| &w.source), "label": x.label,
                "quote": x.quote, "rule": x.rule,
            })
        })
        .collect()
}

/// A reading: only what it replaces is given (absent keys: as the clause).
fn reading_json(cat: &Catalogue, p: &Policy, r: &Reading) -> Json {
    let mut j = json!({"id": r.id, "label": r.label, "quote": r.quote, "note": r.note});
    if let Some(o) = j.as_object_mut() {
        if let Some(ids) = &r.applicant {
            let ids: Vec<&str> = ids
                .iter()
                .filter_map(|&i| p.rules.get(i))
                .map(|x| x.id.as_str())
                .collect();
            o.insert("applicant_rules".into(), json!(ids));
        }
        if let Some(c) = &r.conditions {
            o.insert(
                "conditions".into(),
                json!(c.iter().map(cond_json).collect::<Vec<_>>()),
            );
        }
        if let Some(f) = &r.award {
            o.insert("award".into(), formula_json(cat, f));
        }
        if let Some(c) = r.items_cap {
            o.insert("items_cap".into(), items_cap_json(c));
        }
        if let Some(offs) = &r.offsets {
            o.insert("offsets".into(), json!(offsets_json(cat, offs)));
        }
    }
    j
}

fn rule_json(p: &Policy, r: &Rule) -> Json {
    json!({
        "kind": "rule",
        "id": r.id,
        "article": r.article,
        "rule_kind": r.kind,
        "title": r.title,
        "policy": policy_json(p),
        "quote": r.quote,
        "extra_quotes": r.extra_quotes,
        "conditions": r.conditions.iter().map(cond_json).collect::<Vec<_>>(),
        "notes": r.notes,
        "interpretation": r.interpretation,
        "readings": r.readings.iter().map(|x| json!({
            "id": x.id, "label": x.label, "quote": x.quote, "note": x.note,
            "conditions": x.conditions.iter().map(cond_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
