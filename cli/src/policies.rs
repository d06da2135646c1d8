//! `butie policies`: every document with its number, window and state on a date.

use crate::error::CliError;
use crate::text::{pad, state_badge, width};
use crate::{PoliciesArgs, input};
use butie::date::{Date, fmt_date};
use butie::policy::Policy;
use butie::{Lang, PolicySet};
use std::fmt::Write;

/// Runs the command.
pub fn run(set: &PolicySet, a: &PoliciesArgs) -> Result<(), CliError> {
    let as_of = input::as_of(set, a.as_of.as_deref())?;
    if a.json {
        input::print_json(&butie::listing::policy_listing(set, as_of))
    } else {
        let text = table(set, as_of, a.lang.into());
        input::write_text("-", &crate::text::clean_except(&text, Some('\n')))
    }
}

fn window(p: &Policy, l: Lang) -> String {
    let d = |x: Option<Date>| x.map(fmt_date).unwrap_or_else(|| "?".into());
    match (p.meta.effective_from, l) {
        (None, Lang::Zh) => "未定施行日期".into(),
        (None, Lang::En) => "no effective date".into(),
        (Some(_), _) => format!("{} – {}", d(p.meta.effective_from), d(p.meta.effective_to)),
    }
}

fn table(set: &PolicySet, as_of: Date, l: Lang) -> String {
    let zh = l == Lang::Zh;
    let listing = butie::listing::policy_listing(set, as_of);
    let mut s = String::new();
    let _ = if zh {
        writeln!(s, "政策文件（状态按 {} 计）", fmt_date(as_of))
    } else {
        writeln!(s, "Policy documents (state as of {})", fmt_date(as_of))
    };
    let heads: [&str; 6] = if zh {
        ["区", "状态", "文号", "性质", "有效期", "条款"]
    } else {
        [
            "district", "state", "doc no.", "status", "window", "clauses",
        ]
    };
    let rows: Vec<[String; 6]> = set
        .policies
        .iter()
        .zip(&listing.policies)
        .map(|(p, e)| {
            let m = &p.meta;
            let status = match l {
                Lang::Zh => m.status.word().zh.to_string(),
                Lang::En => m.status.word().en.to_lowercase(),
            };
            [
                format!("{} {}", m.district_name.get(l), m.district),
                state_badge(&e.lifecycle, l),
                m.doc_no.clone().unwrap_or_else(|| "—".into()),
                status,
                window(p, l),
                p.clauses.len().to_string(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            rows.iter()
                .map(|r| width(&r[i]))
                .chain([width(heads[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[&str]| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        padded.join("  ").trim_end().to_string()
    };
    let _ = writeln!(s, "{}", line(&heads));
    let (t, d, src, verified) = if zh {
        ("标题", "数据", "原文", "核对")
    } else {
        ("title", "data", "source", "verified")
    };
    for ((p, e), r) in set.policies.iter().zip(&listing.policies).zip(&rows) {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        let _ = writeln!(s, "{}", line(&cells));
        let _ = writeln!(s, "    {}", e.notice.get(l));
        let _ = writeln!(s, "    {t}: {}", p.meta.title.get(l));
        let dir = match &p.pack {
            Some(pack) if zh => format!("政策包 {pack}："),
            Some(pack) => format!("pack {pack}: "),
            None => "policies/".into(),
        };
        let _ = writeln!(
            s,
            "    {d}: {dir}{} · {src}: {dir}sources/{} · {verified}: {}",
            p.file,
            p.meta.source_file,
            fmt_date(p.meta.verified_on)
        );
    }
    let coverage: Vec<_> = listing
        .districts
        .iter()
        .filter_map(|d| Some((d, d.coverage.as_ref()?)))
        .collect();
    if !coverage.is_empty() {
        s.push('\n');
        for (d, c) in coverage {
            let colon = if zh { "：" } else { ": " };
            let _ = writeln!(s, "{}{colon}{}", d.district_name.get(l), c.get(l));
        }
    }
    s
}
