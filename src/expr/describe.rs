//! Plain-language descriptions of conditions, in Chinese and English, from catalogue labels.

use super::ast::*;
use crate::catalogue::Catalogue;
use crate::date::fmt_date;
use crate::format;
use crate::text::{Lang, Text};

/// Describes a condition in both languages.
pub fn describe(c: &Cond, cat: &Catalogue) -> Text {
    Text::new(cond(c, cat, Lang::Zh), cond(c, cat, Lang::En))
}

/// Describes a value expression (`项目实际投资减去其中基建投入`).
pub fn describe_value(v: &ValueExpr, cat: &Catalogue) -> Text {
    let ctx = v.as_operand();
    Text::new(value(cat, v, ctx, Lang::Zh), value(cat, v, ctx, Lang::En))
}

fn label(cat: &Catalogue, o: Operand, lang: Lang) -> String {
    cat.operand_def(o).label.get(lang).to_string()
}

fn lit(cat: &Catalogue, l: &Lit, ctx: Option<Operand>, lang: Lang) -> String {
    match l {
        Lit::Bool(true) => if lang == Lang::Zh { "是" } else { "yes" }.into(),
        Lit::Bool(false) => if lang == Lang::Zh { "否" } else { "no" }.into(),
        Lit::Num(n) => match ctx.map(|o| cat.operand_def(o).kind) {
            Some(crate::catalogue::FactKind::Integer) => {
                let unit = ctx
                    .and_then(|o| cat.operand_def(o).unit_label.as_ref())
                    .map(|u| u.get(lang).to_string())
                    .unwrap_or_default();
                match lang {
                    Lang::Zh => format!("{}{unit}", n.normalize()),
                    Lang::En => format!("{} {unit}", n.normalize()).trim_end().to_string(),
                }
            }
            _ => format::money(*n, lang),
        },
        Lit::Enum(i) => ctx
            .and_then(|o| cat.operand_def(o).values.get(*i as usize))
            .map(|v| v.get(lang).to_string())
            .unwrap_or_default(),
        Lit::Date(d) => fmt_date(*d),
    }
}

fn value(cat: &Catalogue, v: &ValueExpr, ctx: Option<Operand>, lang: Lang) -> String {
    let term = |t: &Term| match t {
        Term::Ref(o) => label(cat, *o, lang),
        Term::Lit(l) => lit(cat, l, ctx, lang),
    };
    let mut s = term(&v.first);
    for (sign, t) in &v.rest {
        s.push_str(match (sign, lang) {
            (Sign::Plus, _) => " + ",
            (Sign::Minus, Lang::Zh) => "减去",
            (Sign::Minus, Lang::En) => " minus ",
        });
        s.push_str(&term(t));
    }
    s
}

fn op_word(op: Cmp, date: bool, lang: Lang) -> &'static str {
    match (lang, date, op) {
        (Lang::Zh, _, Cmp::Eq) => "为",
        (Lang::Zh, _, Cmp::Ne) => "不为",
        (Lang::Zh, false, Cmp::Gt) => "超过",
        (Lang::Zh, false, Cmp::Ge) => "不低于",
        (Lang::Zh, false, Cmp::Lt) => "低于",
        (Lang::Zh, false, Cmp::Le) => "不超过",
        (Lang::Zh, true, Cmp::Gt) => "晚于",
        (Lang::Zh, true, Cmp::Ge) => "不早于",
        (Lang::Zh, true, Cmp::Lt) => "早于",
        (Lang::Zh, true, Cmp::Le) => "不晚于",
        (Lang::En, _, Cmp::Eq) => " is ",
        (Lang::En, _, Cmp::Ne) => " is not ",
        (Lang::En, false, Cmp::Gt) => " above ",
        (Lang::En, false, Cmp::Ge) => " at least ",
        (Lang::En, false, Cmp::Lt) => " below ",
        (Lang::En, false, Cmp::Le) => " at most ",
        (Lang::En, true, Cmp::Gt) => " after ",
        (Lang::En, true, Cmp::Ge) => " on or after ",
        (Lang::En, true, Cmp::Lt) => " before ",
        (Lang::En, true, Cmp::Le) => " on or before ",
    }
}

fn cond(c: &Cond, cat: &Catalogue, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match c {
        Cond::Truthy(o) => label(cat, *o, lang),
        Cond::Not(inner) => match inner.as_ref() {
            Cond::Truthy(o) if zh => format!("否：{}", label(cat, *o, lang)),
            Cond::Truthy(o) => format!("not: {}", label(cat, *o, lang)),
            other if zh => format!("并非：{}", cond(other, cat, lang)),
            other => format!("not ({})", cond(other, cat, lang)),
        },
        Cond::Compare { left, op, right } => {
            let ctx = left.as_operand().or_else(|| right.as_operand());
            if let (Some(o), Some(Lit::Bool(b))) = (left.as_operand(), right.as_lit()) {
                let positive = (*op == Cmp::Eq) == *b;
                return match (positive, zh) {
                    (true, _) => label(cat, o, lang),
                    (false, true) => format!("否：{}", label(cat, o, lang)),
                    (false, false) => format!("not: {}", label(cat, o, lang)),
                };
            }
            let date = matches!(
                ctx.map(|o| cat.operand_def(o).kind),
                Some(crate::catalogue::FactKind::Date)
            );
            format!(
                "{}{}{}",
                value(cat, left, ctx, lang),
                op_word(*op, date, lang),
                value(cat, right, ctx, lang)
            )
        }
        Cond::InSet { left, set } => {
            let vals: Vec<String> = set.iter().map(|l| lit(cat, l, Some(*left), lang)).collect();
            if zh {
                format!("{}为{}", label(cat, *left, lang), vals.join("、"))
            } else {
                format!("{} is one of: {}", label(cat, *left, lang), vals.join(", "))
            }
        }
        Cond::InApplicationPeriod(o) if zh => format!("{}在申报期内", label(cat, *o, lang)),
        Cond::InApplicationPeriod(o) => format!(
            "{} within the application period (申报期)",
            label(cat, *o, lang)
        ),
        Cond::InWindow(o) if zh => format!("{}在政策有效期内", label(cat, *o, lang)),
        Cond::InWindow(o) => format!(
            "{} within the policy's effective period",
            label(cat, *o, lang)
        ),
        Cond::NoneWithinYears { dates, years } if zh => {
            format!("过去{years}年内无{}", label(cat, *dates, lang))
        }
        Cond::NoneWithinYears { dates, years } => {
            format!(
                "none in the past {years} years: {}",
                label(cat, *dates, lang)
            )
        }
        Cond::NoneInPreviousYear(o) if zh => format!("申报上一年度无{}", label(cat, *o, lang)),
        Cond::NoneInPreviousYear(o) => {
            format!(
                "none in the year before the application: {}",
                label(cat, *o, lang)
            )
        }
        Cond::Any { list, cond: inner } => {
            let item = cat.lists[*list as usize].item_label.get(lang);
            if zh {
                format!("至少有一项{item}：{}", cond(inner, cat, lang))
            } else {
                format!("at least one {item}: {}", cond(inner, cat, lang))
            }
        }
        Cond::And(cs) => join(cs, cat, lang, if zh { "，且" } else { ", and " }),
        Cond::Or(cs) => join(cs, cat, lang, if zh { "，或" } else { ", or " }),
    }
}

fn join(cs: &[Cond], cat: &Catalogue, lang: Lang, sep: &str) -> String {
    cs.iter()
        .map(|c| cond(c, cat, lang))
        .collect::<Vec<_>>()
        .join(sep)
}
