//! `butie evaluate`: one profile against every policy, as a readable table or the Report JSON.

use crate::EvaluateArgs;
use crate::error::CliError;
use crate::input;
use crate::text::{amount, clean, clean_except, pad, state_badge, status, total};
use butie::date::fmt_date;
use butie::eval::APPLICATION_PERIOD;
use butie::report::{
    Amount, AmountKind, CapScope, ClauseResult, CondState, DistrictResult, Installment, ItemResult,
    Mode, Report, Status, StepOp, Totals, Yuan,
};
use butie::{Lang, PolicySet, evaluate, words};
use std::fmt::Write;

/// Width of the amount column.
fn amount_w(l: Lang) -> usize {
    if zh(l) { 16 } else { 22 }
}

/// Width of the status column.
fn status_w(l: Lang) -> usize {
    if zh(l) { 12 } else { 19 }
}

/// Runs the command.
pub fn run(set: &PolicySet, a: &EvaluateArgs) -> Result<(), CliError> {
    let opts = input::eval_options(set, &a.eval)?;
    let source = if a.file == "-" { "stdin" } else { &a.file };
    let text = input::read_text(&a.file)?;
    let profile = input::parse_profile(set, &text, source)?;
    let report = evaluate(set, &profile, &opts)?;
    if a.json {
        input::print_json(&report)
    } else if a.csv {
        input::write_text("-", &butie::batch::clauses_csv(set, &report, false))
    } else {
        let text = table(&report, a.lang.into(), a.all);
        input::write_text("-", &clean_except(&text, Some('\n')))
    }
}

/// The whole table.
/// The whole table. Unless `all`, a district whose applicant conditions are unmet (so every
/// clause is not eligible) gets one summary line instead of its clauses.
pub fn table(r: &Report, l: Lang, all: bool) -> String {
    let mut s = String::new();
    header(&mut s, r, l);
    for d in &r.districts {
        s.push('\n');
        district(&mut s, d, l, all);
    }
    s
}

fn zh(l: Lang) -> bool {
    l == Lang::Zh
}

fn header(s: &mut String, r: &Report, l: Lang) {
    let mode = match (r.mode, zh(l)) {
        (Mode::Registered, true) => "按注册地评估",
        (Mode::CompareAll, true) => "比较模式：假设在各区注册",
        (Mode::Registered, false) => "as registered",
        (Mode::CompareAll, false) => "compare mode: as if registered in each district",
    };
    let name = clean(r.profile_name.unwrap_or(if zh(l) {
        "（未命名）"
    } else {
        "(unnamed)"
    }));
    let (date, who) = if zh(l) {
        ("评估日期", "企业")
    } else {
        ("as of", "profile")
    };
    let _ = writeln!(
        s,
        "butie {} · {date} {} · {mode} · {who}: {name}",
        r.engine_version,
        fmt_date(r.as_of)
    );
    let needed = r
        .districts
        .iter()
        .flat_map(|d| &d.clauses)
        .any(|c| c.missing.iter().any(|m| m.fact == APPLICATION_PERIOD));
    let _ = match (r.application_period, zh(l)) {
        (Some(p), true) => writeln!(s, "申报期 {p}"),
        (Some(p), false) => writeln!(s, "application period {p}"),
        (None, true) if needed => writeln!(
            s,
            "申报期未设置（--application-period 起始..截止）：要求日期在申报期内的条款需补充信息"
        ),
        (None, false) if needed => writeln!(
            s,
            "application period not set (--application-period START..END): clauses that need a date within it need information"
        ),
        (None, _) => Ok(()),
    };
    let t = &r.available_now;
    let (head, sep) = if zh(l) {
        ("当前可得（仅计有效政策）：", "；")
    } else {
        ("Available now (policies in force only): ", "; ")
    };
    let _ = writeln!(
        s,
        "{head}{} {}{sep}{} {}",
        word(words::DEFINITE, l),
        total(t.definite, l),
        word(words::UP_TO, l),
        total(t.up_to, l)
    );
}

fn district(s: &mut String, d: &DistrictResult, l: Lang, all: bool) {
    let p = &d.policy;
    let doc = p.doc_no.unwrap_or(if zh(l) {
        "（无文号）"
    } else {
        "(no number)"
    });
    let _ = if zh(l) {
        writeln!(
            s,
            "{} {} {doc}《{}》",
            d.district_name.zh,
            state_badge(&d.lifecycle, l),
            p.title.zh
        )
    } else {
        writeln!(
            s,
            "{} {} {doc} “{}”",
            d.district_name.en,
            state_badge(&d.lifecycle, l),
            p.title.en
        )
    };
    let _ = writeln!(s, "  {}", d.notice.get(l));
    if let Some(c) = &d.coverage {
        let _ = writeln!(s, "  {}", c.get(l));
    }
    let _ = writeln!(s, "  {}", words::verified_on(p.verified_on).get(l));
    let history = words::HISTORY.get(l);
    for h in &d.history {
        let no = h.doc_no.unwrap_or_else(|| h.title.get(l));
        let _ = writeln!(s, "  {history} {no}: {}", h.label.get(l));
    }
    for r in p.replaces {
        let _ = writeln!(s, "  {history} {}: {}", r.name, words::REPLACED.get(l));
    }
    let _ = writeln!(s, "  {}", totals_line(d, l));
    applicant_lines(s, d, l);
    for x in &d.readings {
        if x.if_in_force != d.if_in_force {
            let _ = writeln!(
                s,
                "  {} [{}]",
                butie::explain::rule_reading_text(x.label, &x.if_in_force).get(l),
                x.rule
            );
        }
    }
    if !all && blocked(d) {
        let _ = if zh(l) {
            writeln!(
                s,
                "  全部 {} 条不符合（申报主体条件不满足；--all 逐条显示）",
                d.clauses.len()
            )
        } else {
            writeln!(
                s,
                "  all {} clauses not eligible (applicant conditions unmet; --all lists them)",
                d.clauses.len()
            )
        };
        return;
    }
    let _ = writeln!(
        s,
        "  {}{}{}",
        pad(if zh(l) { "状态" } else { "status" }, status_w(l)),
        pad(if zh(l) { "金额" } else { "amount" }, amount_w(l)),
        if zh(l) { "条款" } else { "clause" }
    );
    for c in &d.clauses {
        clause(s, c, d.payable_now, l);
    }
    next_steps(s, d, l);
}

/// Who to apply to and how, in the text's words.
fn next_steps(s: &mut String, d: &DistrictResult, l: Lang) {
    let p = &d.policy;
    let _ = writeln!(s, "  {}", words::NEXT_STEPS.get(l));
    let sep = if zh(l) { "、" } else { ", " };
    let _ = writeln!(s, "    {}: {}", words::ISSUERS.get(l), p.issuers.join(sep));
    for st in p.procedure {
        let _ = writeln!(s, "    {} {}: “{}”", st.article, st.title.get(l), st.quote);
    }
    for st in p.dates {
        let _ = writeln!(
            s,
            "    {} {} ({}): “{}”",
            fmt_date(st.on),
            st.title.get(l),
            st.article,
            st.quote
        );
    }
}

/// Applicant conditions unmet and nothing else to show.
fn blocked(d: &DistrictResult) -> bool {
    d.applicant.iter().any(|c| c.state == CondState::Unmet)
        && d.clauses
            .iter()
            .all(|c| c.status_if_in_force == Status::NotEligible && c.hints.is_empty())
}

/// A word of the core's vocabulary inside a sentence (English in lower case).
fn word(w: words::Word, l: Lang) -> String {
    match l {
        Lang::Zh => w.zh.to_string(),
        Lang::En => w.en.to_lowercase(),
    }
}

fn totals_line(d: &DistrictResult, l: Lang) -> String {
    let t: &Totals = &d.if_in_force;
    let pre = if d.payable_now {
        String::new()
    } else {
        format!(
            "{}{}",
            word(d.state.hypothetical(), l),
            if zh(l) { "：" } else { ": " }
        )
    };
    let mut money = format!(
        "{pre}{} {} · {} {}",
        word(words::DEFINITE, l),
        total(t.definite, l),
        word(words::UP_TO, l),
        total(t.up_to, l)
    );
    if !t.discretionary.0.is_zero() {
        let formula = Yuan(t.up_to.0 - t.discretionary.0);
        let _ = if zh(l) {
            write!(
                money,
                "（{} {}，{} {}）",
                words::FORMULA_BASED.zh,
                total(formula, l),
                words::DISCRETIONARY.zh,
                total(t.discretionary, l)
            )
        } else {
            write!(
                money,
                " ({} {}, {} {})",
                words::FORMULA_BASED.en,
                total(formula, l),
                words::DISCRETIONARY.en,
                total(t.discretionary, l)
            )
        };
    }
    format!("{money}  ({})", words::status_counts(t, l))
}

/// Applicant conditions that are unmet or unknown: why everything below is blocked.
fn applicant_lines(s: &mut String, d: &DistrictResult, l: Lang) {
    for (state, zh_w, en_w) in [
        (
            CondState::Unmet,
            "申报主体条件不满足",
            "applicant condition not met",
        ),
        (
            CondState::Unknown,
            "申报主体条件需补充",
            "applicant condition unknown",
        ),
    ] {
        let labels: Vec<&str> = d
            .applicant
            .iter()
            .filter(|c| c.state == state)
            .map(|c| c.label.get(l))
            .collect();
        if !labels.is_empty() {
            let w = if zh(l) { zh_w } else { en_w };
            let _ = writeln!(s, "  {w}: {}", labels.join(if zh(l) { "；" } else { "; " }));
        }
    }
}

fn clause(s: &mut String, c: &ClauseResult, payable: bool, l: Lang) {
    let st = if payable {
        c.status
    } else {
        c.status_if_in_force
    };
    let _ = writeln!(
        s,
        "  {}{}{} {}  [{}]",
        pad(&status(st, l), status_w(l)),
        pad(&amount(&c.amount, l), amount_w(l)),
        c.article,
        c.title.get(l),
        c.id
    );
    let indent = " ".repeat(2 + status_w(l) + amount_w(l));
    if let Some(n) = c.amount_note
        && c.amount.value.is_some()
    {
        let w = if zh(l) {
            "金额说明"
        } else {
            "about the amount"
        };
        let _ = writeln!(s, "{indent}{w}: {}", n.get(l));
    }
    for it in &c.items {
        let _ = writeln!(s, "{indent}· {}", item_line(it, l));
    }
    if !c.schedule.is_empty() {
        let _ = writeln!(
            s,
            "{indent}{}",
            schedule_line(&c.schedule, c.amount.kind, l)
        );
    }
    if let Some(n) = &c.schedule_notice {
        let _ = writeln!(s, "{indent}{}", n.get(l));
    }
    for x in &c.readings {
        // The table shows a reading where it changes the outcome (JSON has them all).
        if x.status_if_in_force != c.status_if_in_force || x.amount != c.amount {
            let t = butie::explain::reading_text(x.label, x.status_if_in_force, &x.amount);
            let _ = writeln!(s, "{indent}{}", t.get(l));
        }
    }
    let unmet: Vec<&str> = c
        .conditions
        .iter()
        .filter(|x| x.state == CondState::Unmet)
        .map(|x| x.label.get(l))
        .collect();
    if st == Status::NotEligible && !unmet.is_empty() {
        let (w, sep) = if zh(l) {
            ("未满足", "；")
        } else {
            ("not met", "; ")
        };
        let _ = writeln!(s, "{indent}{w}: {}", unmet.join(sep));
    }
    let mut missing: Vec<String> = c.missing.iter().map(|m| m.ask(l)).collect();
    missing.dedup();
    if st == Status::NeedsInformation && !missing.is_empty() {
        let (w, sep) = if zh(l) {
            ("需补充", "、")
        } else {
            ("missing", ", ")
        };
        let _ = writeln!(s, "{indent}{w}: {}", missing.join(sep));
    }
    for h in &c.hints {
        let w = if zh(l) { "提示" } else { "hint" };
        let _ = writeln!(s, "{indent}{w}: {}", butie::explain::hint_text(h).get(l));
    }
}

/// "拨付: 第1年（2026年） 比例未规定 · 第2年（2027年，有效期后） …".
fn schedule_line(list: &[Installment], kind: AmountKind, l: Lang) -> String {
    // A split the text does not state is said once, not once a year.
    let unsplit = list.iter().all(|i| i.share.is_none() && i.amount.is_none());
    let parts: Vec<String> = list
        .iter()
        .map(|i| {
            let year = words::installment_year(i);
            let what = match (i.amount, i.share) {
                (Some(a), _) => amount(
                    &Amount {
                        kind,
                        value: Some(a),
                    },
                    l,
                ),
                (None, Some(sh)) => butie::format::rate(sh),
                (None, None) if unsplit => return year.get(l).to_string(),
                (None, None) if zh(l) => "比例未规定".to_string(),
                (None, None) => "split not stated".to_string(),
            };
            format!("{} {what}", year.get(l))
        })
        .collect();
    let w = if unsplit {
        words::schedule_unsplit(list.len()).get(l).to_string()
    } else if zh(l) {
        "拨付".to_string()
    } else {
        "paid".to_string()
    };
    format!("{w}: {}", parts.join(" · "))
}

fn item_line(it: &ItemResult, l: Lang) -> String {
    let n = it.index + 1;
    let name = it
        .name
        .map(|x| format!(" {}", clean(x)))
        .unwrap_or_default();
    let head = if zh(l) {
        format!("第{n}项{name}")
    } else {
        format!("item {n}{name}")
    };
    let sup = match (it.superseded_by, zh(l)) {
        (Some(w), true) => format!("（从高不重复：按 {w} 计）"),
        (Some(w), false) => format!(" (paid once, under {w})"),
        (None, _) => String::new(),
    };
    // An item above the clause's ceiling over all items counts only up to it.
    let toward = it.computation.iter().find_map(|st| match st.op {
        StepOp::Cap {
            scope: CapScope::Items,
            before,
            after,
            ..
        } if after < before => Some(before),
        _ => None,
    });
    let toward = match (toward, zh(l)) {
        (Some(b), true) => format!("（本项 {}，计入合计上限）", total(b, l)),
        (Some(b), false) => format!(
            " (this item {}, counted toward the combined ceiling)",
            total(b, l)
        ),
        (None, _) => String::new(),
    };
    format!(
        "{head}: {} {}{toward}{sup}",
        status(it.status, l),
        amount(&it.amount, l)
    )
}
