//! Renders arithmetic steps and hints as sentences in Chinese and English.

use crate::format::{money, rate};
use crate::policy::{Bound, OffsetKind};
use crate::profile::{Value, value_to_string};
use crate::report::{Amount, AmountKind, CapScope, Hint, Status, StepOp, Totals};
use crate::text::{Lang, Text};

fn bound_word(b: Bound, lang: Lang) -> &'static str {
    match (b, lang) {
        (Bound::Definite, _) => "",
        (Bound::UpTo, Lang::Zh) => "（上限）",
        (Bound::UpTo, Lang::En) => " (ceiling)",
    }
}

/// The sentence for one step.
pub fn step_text(op: &StepOp) -> Text {
    Text::from_fn(|l| {
        let zh = l == Lang::Zh;
        match op {
            StepOp::Fixed {
                label,
                amount,
                bound,
            } => {
                let what = label.map(|t| t.get(l).to_string());
                match (zh, bound, what) {
                    (true, Bound::Definite, Some(w)) => format!("{w}：{}", money(amount.0, l)),
                    (true, Bound::Definite, None) => format!("定额 {}", money(amount.0, l)),
                    (true, Bound::UpTo, Some(w)) => format!("{w}：最高 {}", money(amount.0, l)),
                    (true, Bound::UpTo, None) => format!("最高 {}", money(amount.0, l)),
                    (false, Bound::Definite, Some(w)) => format!("{w}: {}", money(amount.0, l)),
                    (false, Bound::Definite, None) => {
                        format!("fixed amount {}", money(amount.0, l))
                    }
                    (false, Bound::UpTo, Some(w)) => format!("{w}: up to {}", money(amount.0, l)),
                    (false, Bound::UpTo, None) => format!("up to {}", money(amount.0, l)),
                }
            }
            StepOp::Rate {
                base_label,
                base,
                rate: r,
                result,
                bound,
            } => {
                let rate_s = match (bound, zh) {
                    (Bound::UpTo, true) => format!("不超过 {}", rate(*r)),
                    (Bound::UpTo, false) => format!("at most {}", rate(*r)),
                    (Bound::Definite, _) => rate(*r),
                };
                format!(
                    "{} {} × {} = {}{}",
                    base_label.get(l),
                    money(base.0, l),
                    rate_s,
                    money(result.0, l),
                    bound_word(*bound, l)
                )
            }
            StepOp::PerUnit {
                count,
                unit,
                result,
                bound,
            } => {
                let (unit, result) = (money(unit.0, l), money(result.0, l));
                let up_to = *bound == Bound::UpTo;
                match (zh, up_to) {
                    (true, true) => format!("{count} × 每项最高 {unit} = {result}"),
                    (true, false) => format!("{count} × 每项{unit} = {result}"),
                    (false, true) => format!("{count} × up to {unit} each = {result}"),
                    (false, false) => format!("{count} × {unit} each = {result}"),
                }
            }
            StepOp::Cap {
                label,
                cap,
                before,
                after,
                scope,
            } => {
                let what =
                    label
                        .map(|t| t.get(l).to_string())
                        .unwrap_or_else(|| match (scope, zh) {
                            (CapScope::Award, true) => "单项上限".into(),
                            (CapScope::Total, true) => "总额上限".into(),
                            (CapScope::Items, true) => "合计上限".into(),
                            (CapScope::Award, false) => "ceiling".into(),
                            (CapScope::Total, false) => "overall ceiling".into(),
                            (CapScope::Items, false) => "combined ceiling".into(),
                        });
                let applied = after < before;
                let (cap, before, after) = (money(cap.0, l), money(before.0, l), money(after.0, l));
                match (zh, applied) {
                    (true, true) => format!("{what} {cap}：{before} → {after}"),
                    (true, false) => format!("{what} {cap}：未触及"),
                    (false, true) => format!("{what} {cap}: {before} → {after}"),
                    (false, false) => format!("{what} {cap}: not reached"),
                }
            }
            StepOp::Years {
                annual,
                years,
                result,
            } => {
                let (annual, result) = (money(annual.0, l), money(result.0, l));
                if zh {
                    format!("每年 {annual} × {years} 年 = {result}")
                } else {
                    format!("{annual} a year × {years} years = {result}")
                }
            }
            StepOp::Chosen {
                label,
                value,
                applicable,
            } => {
                if zh {
                    format!(
                        "适用档次/方式：{}（{}；按达到的档次计，不累加）{}",
                        label.get(l),
                        money(value.0, l),
                        if *applicable > 1 { "，取其高" } else { "" }
                    )
                } else {
                    format!(
                        "tier/option reached: {} ({}; the tier reached pays, tiers do not add up){}",
                        label.get(l),
                        money(value.0, l),
                        if *applicable > 1 {
                            ", highest taken"
                        } else {
                            ""
                        }
                    )
                }
            }
            StepOp::Sum { parts, result } => {
                if zh {
                    format!("{parts} 项合计 {}", money(result.0, l))
                } else {
                    format!("{parts} parts add up to {}", money(result.0, l))
                }
            }
            StepOp::Offset {
                kind,
                label,
                value,
                before,
                after,
            } => {
                let how = match (kind, zh) {
                    (OffsetKind::Subtract, true) => "扣减",
                    (OffsetKind::CombinedCap, true) => "与上级资助合计不超过上限",
                    (OffsetKind::AtLeast, true) => "就高执行",
                    (OffsetKind::Subtract, false) => "minus",
                    (OffsetKind::CombinedCap, false) => {
                        "together with the higher-level grant within the ceiling"
                    }
                    (OffsetKind::AtLeast, false) => "the higher amount applies",
                };
                let label = label.get(l);
                let (value, before, after) =
                    (money(value.0, l), money(before.0, l), money(after.0, l));
                if zh {
                    format!("{label}（{how} {value}）：{before} → {after}")
                } else {
                    format!("{label} ({how} {value}): {before} → {after}")
                }
            }
            StepOp::NotQuantified => {
                if zh {
                    "条文未规定具体金额或比例".into()
                } else {
                    "the text names no amount or rate".into()
                }
            }
        }
    })
}

/// The outcome of another reading in words: its amount, or its status when it has none.
fn outcome(status: Status, amount: &Amount, l: Lang) -> String {
    match (amount.kind, amount.value) {
        (AmountKind::None, _) | (AmountKind::Definite | AmountKind::UpTo, None) => {
            let w = status.min(Status::NotEligible).word().get(l);
            match l {
                Lang::Zh => w.to_string(),
                Lang::En => w.to_ascii_lowercase(),
            }
        }
        (kind, v) => crate::words::amount_text(kind, v.map(|v| money(v.0, l)).as_deref(), l),
    }
}

/// The line for another reading of a clause (`status` as if in force), e.g.
/// "另一读法（每个项目各最高200万元）：最高 400万元，不计入".
pub fn reading_text(label: &Text, status: Status, amount: &Amount) -> Text {
    Text::from_fn(|l| match l {
        Lang::Zh => format!(
            "另一读法（{}）：{}，不计入",
            label.get(l),
            outcome(status, amount, l)
        ),
        Lang::En => format!(
            "Other reading ({}): {}; not counted",
            label.get(l),
            outcome(status, amount, l)
        ),
    })
}

/// The line for another reading of an applicant rule: the policy's totals under it.
pub fn rule_reading_text(label: &Text, t: &Totals) -> Text {
    Text::from_fn(|l| match l {
        Lang::Zh => format!(
            "另一读法（{}）：本区合计确定 {}，最高 {}，不计入",
            label.get(l),
            money(t.definite.0, l),
            money(t.up_to.0, l)
        ),
        Lang::En => format!(
            "Other reading ({}): this district definite {}, up to {}; not counted",
            label.get(l),
            money(t.definite.0, l),
            money(t.up_to.0, l)
        ),
    })
}

fn show(def: &crate::catalogue::FactDef, v: &Value, l: Lang) -> String {
    match v {
        Value::Enum(i) => def
            .values
            .get(*i as usize)
            .map(|e| e.get(l).to_string())
            .unwrap_or_default(),
        Value::Money(d) => money(*d, l),
        Value::Bool(true) => if l == Lang::Zh { "是" } else { "yes" }.into(),
        Value::Bool(false) => if l == Lang::Zh { "否" } else { "no" }.into(),
        other => value_to_string(def, other),
    }
}

/// The sentence for a hint, e.g. "CMMI 等级：3级 → 4级，可再增 30万元"; a change that asks for
/// more spending says what it costs net of the extra subsidy.
pub fn hint_text(h: &Hint) -> Text {
    Text::from_fn(|l| {
        let zh = l == Lang::Zh;
        let changes: Vec<String> = h
            .changes
            .iter()
            .filter(|c| !c.companion)
            .map(|c| {
                let name = c.fact.label.get(l);
                let item = c
                    .item
                    .map(|i| {
                        if zh {
                            format!("第{}项", i + 1)
                        } else {
                            format!("item {}, ", i + 1)
                        }
                    })
                    .unwrap_or_default();
                let to = match (c.above, zh) {
                    (Some(t), true) => format!("超过{}", money(t, l)),
                    (Some(t), false) => format!("above {}", money(t, l)),
                    (None, _) => show(c.fact, &c.to, l),
                };
                let colon = if zh { "：" } else { ": " };
                match &c.from {
                    Some(f) => format!("{item}{name}{colon}{} → {to}", show(c.fact, f.get(), l)),
                    None => format!("{item}{name}{colon}{to}"),
                }
            })
            .collect();
        // A new level comes with a new certificate; the date of the one held is not changed.
        let new_certificate = h
            .changes
            .iter()
            .find(|c| c.companion)
            .map(|c| match zh {
                true => format!("（按新证书于 {} 颁发计）", show(c.fact, &c.to, l)),
                false => format!(" (a new certificate issued on {})", show(c.fact, &c.to, l)),
            })
            .unwrap_or_default();
        let up_to = h.new_amount.kind == AmountKind::UpTo;
        let cost = h.spends.map(|spends| {
            let net = (spends.0 - h.adds.0).max(rust_decimal::Decimal::ZERO);
            let (spends, net) = (money(spends.0, l), money(net, l));
            match zh {
                true => format!(
                    "（需多支出 {spends}，扣除补贴后净支出{} {net}）",
                    if up_to { "至少" } else { "" }
                ),
                false => format!(
                    " (spending {spends} more: a net cost of {}{net} after the subsidy)",
                    if up_to { "at least " } else { "" }
                ),
            }
        });
        let cost = cost.unwrap_or_default();
        if zh {
            format!(
                "{}{new_certificate}，可再增{} {}{cost}",
                changes.join("；"),
                if up_to { "最高" } else { "" },
                money(h.adds.0, l)
            )
        } else {
            format!(
                "{}{new_certificate}: {}{} more{cost}",
                changes.join("; "),
                if up_to { "up to " } else { "" },
                money(h.adds.0, l)
            )
        }
    })
}
