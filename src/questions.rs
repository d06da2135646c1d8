//! "可能还能申请": the largest clauses still undecided for want of an answer, turned into
//! questions ("如租赁办公场地自用，填写年租金 → 最高 300万元"), most money first.
//!
//! Only documents that can pay (in force, or about to be) are asked about: an expired policy
//! or a draft never pays, whatever the answer. Applicant inputs that every clause waits for
//! are one question of their own, first.

use rust_decimal::Decimal;

use crate::eval::clause_ceiling;
use crate::format::money;
use crate::lifecycle::PolicyState;
use crate::policy::{Clause, Formula, Node};
use crate::report::{CondState, Input, Report, Status};
use crate::set::PolicySet;
use crate::text::{Lang, Text};

/// A question whose answer may unlock money.
#[derive(Debug, Clone)]
pub struct Question<'r, 'a> {
    pub district: &'a str,
    /// The clause it is about; `None` for the applicant conditions of the district.
    pub clause: Option<&'a str>,
    /// The most the answer may unlock (the clause's ceiling; the district's largest for the
    /// applicant conditions); `None` when the text names no amount.
    pub up_to: Option<Decimal>,
    pub text: Text,
    /// What to fill in (the first is where to start).
    pub inputs: Vec<&'r Input<'a>>,
}

/// A list not answered, and the clauses of a district waiting for it.
struct ListQuestion<'r, 'a> {
    input: &'r Input<'a>,
    /// The clause that may pay the most.
    clause: &'a str,
    up_to: Option<Decimal>,
    clauses: usize,
}

/// The alternatives of a clause that each depend on an answer (rent or buy), when that
/// answer is among the inputs still missing; with the id of the input that picks.
fn alternatives<'p>(
    set: &PolicySet,
    c: &'p Clause,
    missing: &[&Input],
) -> Option<(&'p [Formula], String)> {
    let Node::Best(options) = &c.award.node else {
        return None;
    };
    let pick = |o: &Formula| {
        let w = o.when.as_ref()?;
        w.reads
            .iter()
            .map(|op| set.catalogue.operand_def(*op).id.clone())
            .find(|id| missing.iter().any(|m| m.fact == id.as_str()))
    };
    let first = pick(options.first()?)?;
    (options.len() > 1 && options.iter().all(|o| pick(o).as_ref() == Some(&first)))
        .then_some((options.as_slice(), first))
}

/// "…，填写年租金 → 最高 300万元" for one alternative.
fn alternative_text(o: &Formula, others: &str, lang: Lang) -> String {
    let label = crate::eval::option_label(o).get(lang);
    let base = match &o.node {
        Node::Rate { base_label, .. } => Some(base_label.get(lang)),
        _ => None,
    };
    let mut text = match (lang, base) {
        (Lang::Zh, Some(b)) => format!("如{label}，填写{b}"),
        (Lang::Zh, None) => format!("如{label}"),
        (Lang::En, Some(b)) => format!("If {label}: enter {}", b.to_ascii_lowercase()),
        (Lang::En, None) => format!("If {label}"),
    };
    if !others.is_empty() {
        text.push_str(&match lang {
            Lang::Zh => format!("（另需填写{others}）"),
            Lang::En => format!(" (also {others})"),
        });
    }
    text + &figure(o.ceiling(), lang)
}

fn figure(v: Option<Decimal>, lang: Lang) -> String {
    match (v, lang) {
        (Some(v), Lang::Zh) => format!(" → 最高 {}", money(v, lang)),
        (Some(v), Lang::En) => format!(" → up to {}", money(v, lang)),
        (None, _) => String::new(),
    }
}

fn labels(inputs: &[&Input], lang: Lang) -> String {
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    let mut out: Vec<String> = Vec::new();
    for i in inputs {
        let mut l = i.ask(lang);
        if lang == Lang::En && !i.is_list() {
            l = l.to_ascii_lowercase();
        }
        if let Some(n) = i.item {
            l.push_str(&format!(" #{}", n + 1));
        }
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out.join(sep)
}

/// The questions for a report, most money first, at most `max`.
pub fn questions<'r, 'a>(
    set: &PolicySet,
    report: &'r Report<'a>,
    max: usize,
) -> Vec<Question<'r, 'a>> {
    let mut out: Vec<Question<'r, 'a>> = Vec::new();
    for d in &report.districts {
        if !matches!(d.state, PolicyState::InForce | PolicyState::NotYetInForce) {
            continue;
        }
        let Some(pol) = set.document(d.policy.id) else {
            continue;
        };
        // Applicant inputs every clause waits for: asked once.
        let gate: Vec<&'r Input<'a>> = d
            .applicant
            .iter()
            .filter(|c| c.state == CondState::Unknown)
            .flat_map(|c| c.inputs.iter().filter(|i| i.value.value.is_none()))
            .collect();
        if !gate.is_empty() {
            let largest = pol.clauses.iter().filter_map(clause_ceiling).max();
            let ask = |l: Lang| labels(&gate, l);
            let figure = |l: Lang| match (largest, l) {
                (Some(v), Lang::Zh) => format!("（本区条款最高 {}）", money(v, l)),
                (Some(v), Lang::En) => format!(" (its clauses pay up to {})", money(v, l)),
                (None, _) => String::new(),
            };
            out.push(Question {
                district: d.district,
                clause: None,
                up_to: largest,
                text: Text::from_fn(|l| {
                    let (name, ask, figure) = (d.district_name.get(l), ask(l), figure(l));
                    match l {
                        Lang::Zh => format!("{name}的每一条都要求：填写{ask}{figure}"),
                        Lang::En => format!("Every clause of {name} needs: enter {ask}{figure}"),
                    }
                }),
                inputs: gate.clone(),
            });
        }
        // Lists not answered: asked once per district, for every clause waiting for them.
        let mut lists: Vec<ListQuestion<'r, 'a>> = Vec::new();
        for (c, r) in pol.clauses.iter().zip(&d.clauses) {
            if r.status_if_in_force != Status::NeedsInformation || !c.quantified() {
                continue;
            }
            for m in r.missing.iter().filter(|m| m.is_list()) {
                let up_to = clause_ceiling(c);
                match lists.iter_mut().find(|q| q.input.fact == m.fact) {
                    Some(q) => {
                        q.clauses += 1;
                        if up_to > q.up_to {
                            (q.clause, q.up_to) = (r.id, up_to);
                        }
                    }
                    None => lists.push(ListQuestion {
                        input: m,
                        clause: r.id,
                        up_to,
                        clauses: 1,
                    }),
                }
            }
            let inputs: Vec<&'r Input<'a>> = r
                .missing
                .iter()
                .filter(|m| !m.is_list())
                .filter(|m| !gate.iter().any(|g| g.fact == m.fact && g.item == m.item))
                .collect();
            if inputs.is_empty() {
                continue;
            }
            let up_to = clause_ceiling(c);
            match alternatives(set, c, &inputs) {
                // One question per alternative, starting at the answer that picks it.
                Some((options, pick)) => {
                    let mut inputs = inputs;
                    crate::eval::sort_small(&mut inputs, |i| i.fact != pick);
                    let others = |l: Lang| labels(&inputs[1..], l);
                    for o in options {
                        out.push(Question {
                            district: d.district,
                            clause: Some(r.id),
                            up_to: o.ceiling(),
                            text: Text::new(
                                alternative_text(o, &others(Lang::Zh), Lang::Zh),
                                alternative_text(o, &others(Lang::En), Lang::En),
                            ),
                            inputs: inputs.clone(),
                        });
                    }
                }
                None => out.push(Question {
                    district: d.district,
                    clause: Some(r.id),
                    up_to,
                    text: Text::from_fn(|l| {
                        let (title, ask) = (c.title.get(l), labels(&inputs, l));
                        let figure = figure(up_to, l);
                        match l {
                            Lang::Zh => format!("{title}：填写{ask}{figure}"),
                            Lang::En => format!("{title} — enter {ask}{figure}"),
                        }
                    }),
                    inputs,
                }),
            }
        }
        for q in lists {
            let item = set
                .catalogue
                .list_id(q.input.fact)
                .and_then(|l| set.catalogue.lists.get(usize::from(l)))
                .map(|l| &l.item_label);
            let n = q.clauses;
            out.push(Question {
                district: d.district,
                clause: Some(q.clause),
                up_to: q.up_to,
                text: Text::from_fn(|l| {
                    let name = d.district_name.get(l);
                    let per = item.map_or("", |t| t.get(l));
                    let (ask, figure) = (q.input.ask(l), figure(q.up_to, l));
                    match l {
                        Lang::Zh => format!("{name}：{n} 条条款按{per}计，填写{ask}{figure}"),
                        Lang::En => {
                            format!("{name}: {n} clause(s) count per {per} — enter {ask}{figure}")
                        }
                    }
                }),
                inputs: vec![q.input],
            });
        }
    }
    // Applicant questions first (they unlock everything), then by money; stable otherwise.
    crate::eval::sort_small(&mut out, |q| {
        (q.clause.is_some(), std::cmp::Reverse(q.up_to))
    });
    out.truncate(max);
    out
}

#[cfg(all(test, feature = "loader"))]
mod tests {
    use super::*;
    use crate::{EvalOptions, Profile};

    fn putuo(enterprise: serde_json::Value) -> Vec<(Option<&'static str>, String, Option<i64>)> {
        let set = Box::leak(Box::new(PolicySet::embedded().unwrap()));
        let json = serde_json::json!({
            "schema_version": 1,
            "enterprise": enterprise,
            "certifications": { "cmmi_level": "3" },
        });
        let profile = Box::leak(Box::new(Profile::from_json(&set.catalogue, &json).unwrap()));
        let mut opts = EvalOptions::new(crate::date::parse_date("2026-10-15").unwrap());
        opts.districts = Some(vec!["putuo".into()]);
        let report = Box::leak(Box::new(crate::evaluate(set, profile, &opts).unwrap()));
        questions(set, report, 20)
            .into_iter()
            .map(|q| {
                let wan = q
                    .up_to
                    .map(|v| (v / Decimal::from(10_000)).try_into().unwrap());
                (q.clause, q.text.zh, wan)
            })
            .collect()
    }

    #[test]
    fn the_largest_unknowns_become_questions() {
        // Nothing but the district: first the applicant conditions every clause waits for.
        let q = putuo(serde_json::json!({ "registered_district": "putuo" }));
        assert_eq!(q[0].0, None);
        assert!(
            q[0].1
                .starts_with("普陀区的每一条都要求：填写主体类型、信用记录良好"),
            "{}",
            q[0].1
        );
        assert_eq!(q[0].2, Some(500));
        // Most money first after it.
        assert!(q[1..].windows(2).all(|w| w[0].2 >= w[1].2), "{q:?}");
        // 三（二） reads the set-up date as well: said next to each alternative.
        assert!(q.iter().any(|x| x.1 == "如租赁办公场地自用（每年，最多三年），填写年租金（另需填写在本区新设立或迁入日期） → 最高 300万元"), "{q:?}");
        // An enterprise in good standing, set up in 2025: 三（二）'s alternatives, one question each.
        let q = putuo(serde_json::json!({
            "registered_district": "putuo", "entity_type": "enterprise", "credit_good": true,
            "serious_violation_dates": [], "other_violation_dates": [],
            "established_in_district_on": "2025-06-01",
        }));
        let office: Vec<(&str, Option<i64>)> = q
            .iter()
            .filter(|x| x.0 == Some("putuo.3.2"))
            .map(|x| (x.1.as_str(), x.2))
            .collect();
        assert_eq!(
            office,
            [
                (
                    "如租赁办公场地自用（每年，最多三年），填写年租金 → 最高 300万元",
                    Some(300)
                ),
                (
                    "如新购置自用办公用房，填写购房金额 → 最高 300万元",
                    Some(300)
                ),
            ]
        );
        assert!(
            q.iter().all(|x| x.0.is_some()),
            "the applicant conditions are answered"
        );
        // Projects not answered: one question for every clause counted per project, with the
        // largest ceiling among them (三（五）: 500万).
        let projects: Vec<&(Option<&str>, String, Option<i64>)> =
            q.iter().filter(|x| x.1.contains("填写项目")).collect();
        assert_eq!(projects.len(), 1, "{q:?}");
        assert!(
            projects[0].1.starts_with("普陀区：")
                && projects[0]
                    .1
                    .contains("条条款按项目计，填写项目（或选择没有） → 最高 500万元"),
            "{}",
            projects[0].1
        );
    }
}
