//! Validates a policy file against the catalogue and resolves it for evaluation.

use super::file::*;
use super::*;
use crate::catalogue::Catalogue;
use crate::date::parse_date;
use crate::error::{LoadError, Located};
use crate::expr::{Scope, Ty, describe, parse_cond, parse_value_expr};
use crate::money::{parse_amount, parse_rate};

/// Compiles one policy document (already parsed from TOML or JSON).
pub fn compile_policy(
    cat: &Catalogue,
    file: &str,
    doc: serde_json::Value,
) -> Result<Policy, Vec<LoadError>> {
    let fingerprint = crate::pack::content_hash(&doc)
        .map(|h| h.trim_start_matches("sha256:")[..16].to_string())
        .unwrap_or_default();
    let raw: PolicyFile = crate::error::deserialize(file, doc).map_err(|e| vec![e])?;
    let mut c = Compiler {
        cat,
        errs: Located::new(file),
    };
    let meta = c.meta(raw.policy);
    let rules: Vec<Rule> = raw
        .rules
        .into_iter()
        .enumerate()
        .map(|(i, r)| c.rule(r, &format!("rules[{i}]")))
        .collect();
    let mut ids = std::collections::HashMap::new();
    for (i, r) in rules.iter().enumerate() {
        if ids.insert(r.id.clone(), format!("rules[{i}]")).is_some() {
            c.errs
                .push(format!("rules[{i}].id"), format!("duplicate id `{}`", r.id));
        }
    }
    let mut clauses = Vec::new();
    for (i, cl) in raw.clauses.into_iter().enumerate() {
        let p = format!("clauses[{i}]");
        if let Some(prev) = ids.insert(cl.id.clone(), p.clone()) {
            c.errs.push(
                format!("{p}.id"),
                format!("duplicate id `{}` (also at {prev})", cl.id),
            );
        }
        clauses.push(c.clause(cl, &rules, &p));
    }
    for (id, p) in &ids {
        if !id.starts_with(&format!("{}.", meta.district)) {
            c.errs.push(
                format!("{p}.id"),
                format!(
                    "id `{id}` must start with the district `{}.`",
                    meta.district
                ),
            );
        }
    }
    let dedupe: Vec<usize> = rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == RuleKind::OneAwardPerProject)
        .map(|(i, _)| i)
        .collect();
    if dedupe.len() > 1 {
        c.errs
            .push("rules", "at most one one_award_per_project rule");
    }
    c.errs.finish(Policy {
        file: file.to_string(),
        meta,
        rules,
        clauses,
        one_award_per_project: dedupe.first().copied(),
        pack: None,
        fingerprint,
    })
}

struct Compiler<'a> {
    cat: &'a Catalogue,
    errs: Located,
}

impl Compiler<'_> {
    fn date(&mut self, s: &Option<String>, path: &str) -> Option<crate::date::Date> {
        let s = s.as_ref()?;
        let d = parse_date(s);
        if d.is_none() {
            self.errs
                .push(path, format!("bad date `{s}` (expected YYYY-MM-DD)"));
        }
        d
    }

    fn nonempty(&mut self, s: &str, path: &str) {
        if s.trim().is_empty() {
            self.errs.push(path, "must not be empty");
        }
    }

    fn meta(&mut self, m: MetaDef) -> Meta {
        let issued_on = self.date(&m.issued_on, "policy.issued_on");
        let from = self.date(&m.effective_from, "policy.effective_from");
        let to = self.date(&m.effective_to, "policy.effective_to");
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            self.errs.push(
                "policy.effective_to",
                "effective_to is before effective_from",
            );
        }
        if let (Some(i), Some(t)) = (issued_on, to)
            && i > t
        {
            self.errs
                .push("policy.issued_on", "issued_on is after effective_to");
        }
        match m.status {
            DocStatus::Official if from.is_none() || to.is_none() => self.errs.push(
                "policy.effective_from",
                "an official policy needs effective_from and effective_to",
            ),
            DocStatus::Draft if from.is_some() => self
                .errs
                .push("policy.effective_from", "a draft has no effective date"),
            _ => {}
        }
        let location_facts: Vec<_> = self.cat.facts.iter().filter(|f| f.location).collect();
        if location_facts.is_empty() {
            self.errs.push(
                "policy.district",
                "the catalogue has no location fact to match the district against",
            );
        }
        for f in location_facts {
            if !f.values.iter().any(|v| v.id == m.district) {
                self.errs.push(
                    "policy.district",
                    format!("`{}` is not a value of `{}`", m.district, f.id),
                );
            }
        }
        self.nonempty(&m.source_file, "policy.source_file");
        self.nonempty(&m.window_quote, "policy.window_quote");
        let verified_on = self.date(&Some(m.verified_on), "policy.verified_on");
        if m.supersedes.is_some() && m.amends.is_some() {
            self.errs.push(
                "policy.amends",
                "a document either supersedes or amends another, not both",
            );
        }
        if !m.repeals.is_empty() && m.amends.is_none() {
            self.errs.push(
                "policy.repeals",
                "only an amendment (amends = …) repeals entries",
            );
        }
        for (i, r) in m.replaces.iter().enumerate() {
            self.nonempty(&r.name, &format!("policy.replaces[{i}].name"));
            self.nonempty(&r.quote, &format!("policy.replaces[{i}].quote"));
        }
        for (i, s) in m.procedure.iter().enumerate() {
            self.nonempty(&s.quote, &format!("policy.procedure[{i}].quote"));
        }
        let dates = m
            .dates
            .into_iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let on = self.date(&Some(d.on), &format!("policy.dates[{i}].on"))?;
                self.nonempty(&d.quote, &format!("policy.dates[{i}].quote"));
                Some(DatedStep {
                    on,
                    title: d.title,
                    article: d.article,
                    quote: d.quote,
                })
            })
            .collect();
        Meta {
            id: m.id,
            district: m.district,
            district_name: m.district_name,
            title: m.title,
            doc_no: m.doc_no,
            issuers: m.issuers,
            issued_on,
            status: m.status,
            effective_from: from,
            effective_to: to,
            source_file: m.source_file,
            window_article: m.window_article,
            window_quote: m.window_quote,
            window_notes: m.window_notes,
            reprints: m
                .reprints
                .into_iter()
                .map(|r| Reprint {
                    source_file: r.source_file,
                    description: r.description,
                    variants: r
                        .variants
                        .into_iter()
                        .map(|v| Variant {
                            article: v.article,
                            official_quote: v.official_quote,
                            reprint_quote: v.reprint_quote,
                            note: v.note,
                        })
                        .collect(),
                })
                .collect(),
            verified_on: verified_on.unwrap_or(crate::date::Date::MIN),
            supersedes: m.supersedes,
            amends: m.amends,
            replaces: m
                .replaces
                .into_iter()
                .map(|r| Replaced {
                    name: r.name,
                    title: r.title,
                    quote: r.quote,
                })
                .collect(),
            procedure: m
                .procedure
                .into_iter()
                .map(|s| ProcedureStep {
                    article: s.article,
                    title: s.title,
                    quote: s.quote,
                })
                .collect(),
            dates,
        }
    }

    fn condition(&mut self, d: CondDef, scope: &Scope, path: &str) -> Option<Condition> {
        let (src, label) = match d {
            CondDef::Review(r) => {
                return Some(Condition {
                    source: r.review.zh.clone(),
                    label: r.review,
                    check: Check::Review,
                    reads: Vec::new(),
                    reads_application_period: false,
                    item_level: false,
                });
            }
            CondDef::Expr(s) => (s, None),
            CondDef::Labelled(l) => (l.test, Some(l.label)),
        };
        match parse_cond(&src, scope) {
            Ok(cond) => {
                let mut reads = Vec::new();
                cond.visit_operands(&mut |o| {
                    if !reads.contains(&o) {
                        reads.push(o)
                    }
                });
                Some(Condition {
                    label: label.unwrap_or_else(|| describe(&cond, self.cat)),
                    item_level: cond.reads_item(),
                    reads_application_period: cond.reads_application_period(),
                    check: Check::Expr(cond),
                    reads,
                    source: src,
                })
            }
            Err(e) => {
                self.errs.push(path, e.to_string());
                None
            }
        }
    }

    fn conditions(&mut self, defs: Vec<CondDef>, scope: &Scope, path: &str) -> Vec<Condition> {
        defs.into_iter()
            .enumerate()
            .filter_map(|(i, d)| self.condition(d, scope, &format!("{path}[{i}]")))
            .collect()
    }

    fn rule(&mut self, r: RuleDef, p: &str) -> Rule {
        self.nonempty(&r.quote, &format!("{p}.quote"));
        let scope = Scope {
            cat: self.cat,
            item_list: None,
        };
        let conditions = self.conditions(r.when, &scope, &format!("{p}.when"));
        if r.kind != RuleKind::Applicant && !conditions.is_empty() {
            self.errs
                .push(format!("{p}.when"), "only applicant rules have conditions");
        }
        if r.kind != RuleKind::Applicant && !r.readings.is_empty() {
            self.errs.push(
                format!("{p}.readings"),
                "only applicant rules have readings",
            );
        }
        let mut readings = Vec::new();
        for (i, d) in r.readings.into_iter().enumerate() {
            let rp = format!("{p}.readings[{i}]");
            self.reading_head(&d, &readings_ids(&readings), &rp);
            let only_when = d.applicant.is_none()
                && d.award.is_none()
                && d.items_cap.is_none()
                && d.items_cap_label.is_none()
                && d.offsets.is_none();
            if !only_when {
                self.errs.push(
                    rp.clone(),
                    "a rule's reading gives `when` only (the rule's conditions as read)",
                );
            }
            let conditions = match d.when {
                Some(w) => self.conditions(w, &scope, &format!("{rp}.when")),
                None => {
                    self.errs
                        .push(format!("{rp}.when"), "a rule's reading needs `when`");
                    Vec::new()
                }
            };
            readings.push(RuleReading {
                id: d.id,
                label: d.label,
                quote: d.quote,
                note: d.note,
                conditions,
            });
        }
        Rule {
            id: r.id,
            article: r.article,
            kind: r.kind,
            title: r.title,
            quote: r.quote,
            extra_quotes: r.extra_quotes,
            conditions,
            notes: r.notes,
            interpretation: r.interpretation,
            origin: r.inherited_from.map(Box::new),
            readings,
        }
    }

    /// Checks what every reading has: an id (unique within its clause or rule), a quote.
    fn reading_head(&mut self, d: &ReadingDef, taken: &[&str], p: &str) {
        let id_ok = !d.id.is_empty()
            && d.id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !id_ok {
            self.errs.push(
                format!("{p}.id"),
                format!(
                    "reading id `{}`: lowercase letters, digits and _ only",
                    d.id
                ),
            );
        }
        if taken.contains(&d.id.as_str()) {
            self.errs.push(
                format!("{p}.id"),
                format!("duplicate reading id `{}`", d.id),
            );
        }
        self.nonempty(&d.quote, &format!("{p}.quote"));
    }

    /// Resolves `applicant = [ids]` to the indexes of this policy's applicant rules.
    fn applicant_ids(&mut self, ids: &[String], rules: &[Rule], p: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for (k, id) in ids.iter().enumerate() {
            match rules
                .iter()
                .position(|r| &r.id == id && r.kind == RuleKind::Applicant)
            {
                Some(i) => out.push(i),
                None => self.errs.push(
                    format!("{p}[{k}]"),
                    format!("`{id}` is not an applicant rule of this policy"),
                ),
            }
        }
        out
    }

    /// `items_cap`: an amount, or `award_cap` (the award's own ceiling, once for all items).
    fn items_cap(&mut self, s: &str, p: &str) -> Option<ItemsCap> {
        if s.trim() == "award_cap" {
            Some(ItemsCap::AwardCap)
        } else {
            self.amount(s, p).map(ItemsCap::Amount)
        }
    }

    /// Compiles a clause's reading: its replacements, checked like the clause's own.
    fn reading(
        &mut self,
        d: ReadingDef,
        scope: &Scope,
        rules: &[Rule],
        taken: &[&str],
        p: &str,
    ) -> Reading {
        self.reading_head(&d, taken, p);
        let changes = d.applicant.is_some()
            || d.when.is_some()
            || d.award.is_some()
            || d.items_cap.is_some()
            || d.offsets.is_some();
        if !changes {
            self.errs.push(
                p,
                "a reading changes something: applicant, when, award, items_cap or offsets",
            );
        }
        let applicant = d
            .applicant
            .map(|ids| self.applicant_ids(&ids, rules, &format!("{p}.applicant")));
        let conditions = d
            .when
            .map(|w| self.conditions(w, scope, &format!("{p}.when")));
        let award = d
            .award
            .map(|a| self.formula(a, scope, &format!("{p}.award"), 0));
        let items_cap = d.items_cap.map(|s| {
            if scope.item_list.is_none() {
                self.errs
                    .push(format!("{p}.items_cap"), "items_cap needs for_each");
            }
            if s.trim() == "none" {
                None
            } else {
                self.items_cap(&s, &format!("{p}.items_cap"))
            }
        });
        let offsets = d.offsets.map(|os| {
            os.into_iter()
                .enumerate()
                .filter_map(|(i, o)| self.offset(o, scope, rules, &format!("{p}.offsets[{i}]")))
                .collect()
        });
        Reading {
            id: d.id,
            label: d.label,
            quote: d.quote,
            note: d.note,
            applicant,
            conditions,
            award,
            items_cap,
            items_cap_label: d.items_cap_label,
            offsets,
        }
    }

    fn clause(&mut self, d: ClauseDef, rules: &[Rule], p: &str) -> Clause {
        self.nonempty(&d.quote, &format!("{p}.quote"));
        let for_each = d.for_each.as_ref().and_then(|l| {
            let id = self.cat.list_id(l);
            if id.is_none() {
                self.errs
                    .push(format!("{p}.for_each"), format!("unknown list `{l}`"));
            }
            id
        });
        let scope = Scope {
            cat: self.cat,
            item_list: for_each,
        };
        let select = d.select.and_then(|s| {
            if for_each.is_none() {
                self.errs
                    .push(format!("{p}.select"), "select needs for_each");
            }
            self.condition(s, &scope, &format!("{p}.select"))
        });
        let conditions = self.conditions(d.when, &scope, &format!("{p}.when"));
        let award = self.formula(d.award, &scope, &format!("{p}.award"), 0);
        let applicant = match d.applicant {
            None => rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.kind == RuleKind::Applicant)
                .map(|(i, _)| i)
                .collect(),
            Some(ids) => self.applicant_ids(&ids, rules, &format!("{p}.applicant")),
        };
        let items_cap = d
            .items_cap
            .as_ref()
            .and_then(|s| self.items_cap(s, &format!("{p}.items_cap")));
        if items_cap.is_some() && for_each.is_none() {
            self.errs
                .push(format!("{p}.items_cap"), "items_cap needs for_each");
        }
        let offsets = d
            .offsets
            .into_iter()
            .enumerate()
            .filter_map(|(i, o)| self.offset(o, &scope, rules, &format!("{p}.offsets[{i}]")))
            .collect();
        let mut readings: Vec<Reading> = Vec::new();
        for (i, r) in d.readings.into_iter().enumerate() {
            let taken: Vec<&str> = readings.iter().map(|r| r.id.as_str()).collect();
            let reading = self.reading(r, &scope, rules, &taken, &format!("{p}.readings[{i}]"));
            readings.push(reading);
        }
        Clause {
            id: d.id,
            article: d.article,
            title: d.title,
            quote: d.quote,
            extra_quotes: d.extra_quotes,
            basis: d.basis,
            applicant,
            for_each,
            select_enum: select.as_ref().and_then(enum_select),
            select,
            conditions,
            award,
            items_cap,
            items_cap_label: d.items_cap_label,
            offsets,
            notes: d.notes,
            interpretation: d.interpretation,
            origin: d.inherited_from.map(Box::new),
            amount_note: d.amount_note,
            readings,
        }
    }

    fn offset(&mut self, o: OffsetDef, scope: &Scope, rules: &[Rule], p: &str) -> Option<Offset> {
        let value = self.num_expr(&o.value, scope, &format!("{p}.value"))?;
        let when = o
            .when
            .and_then(|w| self.condition(w, scope, &format!("{p}.when")));
        let quote = match (o.quote, &o.rule) {
            (Some(q), None) => q,
            (None, Some(r)) => match rules.iter().find(|x| &x.id == r) {
                Some(rule) => rule.quote.clone(),
                None => {
                    self.errs
                        .push(format!("{p}.rule"), format!("unknown rule `{r}`"));
                    String::new()
                }
            },
            _ => {
                self.errs
                    .push(p, "an offset needs exactly one of quote or rule");
                String::new()
            }
        };
        Some(Offset {
            kind: o.kind,
            value,
            when,
            label: o.label,
            quote,
            rule: o.rule,
        })
    }

    fn amount(&mut self, s: &str, path: &str) -> Option<rust_decimal::Decimal> {
        match parse_amount(s) {
            Ok(d) => Some(d),
            Err(e) => {
                self.errs.push(path, format!("bad amount `{s}`: {e}"));
                None
            }
        }
    }

    fn num_expr(&mut self, s: &str, scope: &Scope, path: &str) -> Option<crate::expr::ValueExpr> {
        match parse_value_expr(s, scope) {
            Ok((v, Ty::Money | Ty::Int)) => Some(v),
            Ok(_) => {
                self.errs.push(path, format!("`{s}` is not an amount"));
                None
            }
            Err(e) => {
                self.errs.push(path, e.to_string());
                None
            }
        }
    }

    fn formula(&mut self, f: FormulaDef, scope: &Scope, p: &str, depth: usize) -> Formula {
        if depth > 4 {
            self.errs.push(p, "formulas nest at most four levels deep");
        }
        let when = f
            .when
            .and_then(|w| self.condition(w, scope, &format!("{p}.when")));
        let mut allowed: &[&str] = &[];
        let (has_options, has_parts) = (!f.options.is_empty(), !f.parts.is_empty());
        let bound = |c: &mut Self| {
            f.bound.unwrap_or_else(|| {
                c.errs.push(
                    format!("{p}.bound"),
                    "needs bound = \"definite\" or \"up_to\"",
                );
                Bound::UpTo
            })
        };
        let node = match f.kind {
            FormulaKind::Fixed => {
                allowed = &["amount", "bound"];
                let amount = f
                    .amount
                    .as_ref()
                    .and_then(|a| self.amount(a, &format!("{p}.amount")));
                if f.amount.is_none() {
                    self.errs
                        .push(format!("{p}.amount"), "a fixed award needs amount");
                }
                Node::Fixed {
                    amount: amount.unwrap_or_default(),
                    bound: bound(self),
                }
            }
            FormulaKind::Rate => {
                allowed = &["base", "base_label", "rate", "bound"];
                let base = f
                    .base
                    .as_ref()
                    .and_then(|b| self.num_expr(b, scope, &format!("{p}.base")));
                let rate = match f.rate.as_deref().map(parse_rate) {
                    Some(Ok(r)) => r,
                    Some(Err(e)) => {
                        self.errs.push(format!("{p}.rate"), e.to_string());
                        Default::default()
                    }
                    None => {
                        self.errs
                            .push(format!("{p}.rate"), "a rate award needs rate");
                        Default::default()
                    }
                };
                if f.base.is_none() {
                    self.errs
                        .push(format!("{p}.base"), "a rate award needs base");
                }
                let base = base.unwrap_or_else(|| crate::expr::ValueExpr {
                    first: crate::expr::Term::Lit(crate::expr::Lit::Num(Default::default())),
                    rest: Vec::new(),
                });
                let base_label = f
                    .base_label
                    .clone()
                    .unwrap_or_else(|| self.expr_label(&base));
                Node::Rate {
                    base,
                    base_label,
                    rate,
                    bound: bound(self),
                }
            }
            FormulaKind::PerUnit => {
                allowed = &["count", "unit", "bound"];
                let count = f
                    .count
                    .as_ref()
                    .and_then(|c| match parse_value_expr(c, scope) {
                        Ok((v, Ty::Int)) => v.as_operand(),
                        _ => {
                            self.errs.push(
                                format!("{p}.count"),
                                format!("`{c}` is not an integer fact"),
                            );
                            None
                        }
                    });
                if f.count.is_none() {
                    self.errs
                        .push(format!("{p}.count"), "a per_unit award needs count");
                }
                let unit = f
                    .unit
                    .as_ref()
                    .and_then(|u| self.amount(u, &format!("{p}.unit")));
                if f.unit.is_none() {
                    self.errs
                        .push(format!("{p}.unit"), "a per_unit award needs unit");
                }
                Node::PerUnit {
                    count: count.unwrap_or(crate::expr::Operand::Fact(0)),
                    unit: unit.unwrap_or_default(),
                    bound: bound(self),
                }
            }
            FormulaKind::Best | FormulaKind::Sum => {
                allowed = if f.kind == FormulaKind::Best {
                    &["options"]
                } else {
                    &["parts"]
                };
                let (list, name) = if f.kind == FormulaKind::Best {
                    (f.options, "options")
                } else {
                    (f.parts, "parts")
                };
                if list.is_empty() {
                    self.errs.push(
                        format!("{p}.{name}"),
                        format!("needs at least one entry in {name}"),
                    );
                }
                let subs: Vec<Formula> = list
                    .into_iter()
                    .enumerate()
                    .map(|(i, s)| self.formula(s, scope, &format!("{p}.{name}[{i}]"), depth + 1))
                    .collect();
                if f.kind == FormulaKind::Best {
                    Node::Best(subs)
                } else {
                    Node::Sum(subs)
                }
            }
            FormulaKind::NotQuantified => Node::NotQuantified,
        };
        let fields: [(&str, bool); 9] = [
            ("amount", f.amount.is_some()),
            ("base", f.base.is_some()),
            ("base_label", f.base_label.is_some()),
            ("rate", f.rate.is_some()),
            ("count", f.count.is_some()),
            ("unit", f.unit.is_some()),
            ("bound", f.bound.is_some()),
            ("options", !matches!(node, Node::Best(_)) && has_options),
            ("parts", !matches!(node, Node::Sum(_)) && has_parts),
        ];
        for (name, present) in fields {
            if present && !allowed.contains(&name) {
                self.errs.push(
                    format!("{p}.{name}"),
                    format!("`{name}` does not apply to this formula type"),
                );
            }
        }
        let quantified = !matches!(node, Node::NotQuantified);
        let money = |c: &mut Self, v: &Option<String>, name: &str| {
            let out = v.as_ref().and_then(|s| c.amount(s, &format!("{p}.{name}")));
            if v.is_some() && !quantified {
                c.errs.push(
                    format!("{p}.{name}"),
                    "not_quantified awards have no ceilings",
                );
            }
            out
        };
        let cap = money(self, &f.cap, "cap");
        let total_cap = money(self, &f.total_cap, "total_cap");
        if total_cap.is_some() && f.years.is_none() {
            self.errs
                .push(format!("{p}.total_cap"), "total_cap needs years");
        }
        if let Some(y) = f.years
            && !(1..=10).contains(&y)
        {
            self.errs.push(format!("{p}.years"), "years must be 1-10");
        }
        let schedule = f
            .schedule
            .map(|s| self.schedule(s, &format!("{p}.schedule")));
        Formula {
            label: f.label,
            when,
            node,
            cap,
            cap_label: f.cap_label,
            years: f.years,
            total_cap,
            schedule,
        }
    }

    fn schedule(&mut self, s: ScheduleDef, p: &str) -> Schedule {
        let shares: Vec<_> = s
            .shares
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match parse_rate(r) {
                Ok(r) => Some(r),
                Err(e) => {
                    self.errs.push(format!("{p}.shares[{i}]"), e.to_string());
                    None
                }
            })
            .collect();
        if !(1..=10).contains(&s.years) {
            self.errs.push(format!("{p}.years"), "years must be 1-10");
        }
        if !shares.is_empty() {
            if shares.len() != s.years as usize {
                self.errs.push(format!("{p}.shares"), "one share per year");
            }
            if shares.iter().sum::<rust_decimal::Decimal>() != rust_decimal::Decimal::ONE {
                self.errs
                    .push(format!("{p}.shares"), "shares must add up to 100%");
            }
        }
        Schedule {
            years: s.years,
            shares,
            note: s.note,
        }
    }

    fn expr_label(&self, v: &crate::expr::ValueExpr) -> Text {
        crate::expr::describe_value(v, self.cat)
    }
}

/// The ids of the readings compiled so far (to reject duplicates).
fn readings_ids(readings: &[RuleReading]) -> Vec<&str> {
    readings.iter().map(|r| r.id.as_str()).collect()
}

/// Recognises `item.f == 'v'` and `item.f in ['v', …]` on an enum field (the common `select`).
fn enum_select(c: &Condition) -> Option<(crate::catalogue::FieldId, Vec<u16>)> {
    use crate::expr::{Cmp, Cond, Lit, Operand, Term};
    let Check::Expr(cond) = &c.check else {
        return None;
    };
    match cond {
        Cond::Compare {
            left,
            op: Cmp::Eq,
            right,
        } => match (&left.first, left.rest.is_empty(), right.as_lit()) {
            (Term::Ref(Operand::Field(_, f)), true, Some(Lit::Enum(e))) => Some((*f, vec![*e])),
            _ => None,
        },
        Cond::InSet {
            left: Operand::Field(_, f),
            set,
        } => set
            .iter()
            .map(|l| match l {
                Lit::Enum(e) => Some(*e),
                _ => None,
            })
            .collect::<Option<Vec<u16>>>()
            .map(|v| (*f, v)),
        _ => None,
    }
}
