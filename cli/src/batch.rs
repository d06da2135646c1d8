//! `butie batch`: a client list (CSV or JSONL) in, one CSV row per client × district out.

use crate::error::CliError;
use crate::{BatchArgs, FormatArg, input};
use butie::PolicySet;
use butie::batch::{InputFormat, evaluate_batch, guess_format, parse_clients, to_csv};
use std::time::Instant;

/// Bad rows listed on stderr before the rest are only counted.
const MAX_LISTED: usize = 50;

/// Runs the command.
pub fn run(set: &PolicySet, a: &BatchArgs) -> Result<(), CliError> {
    let opts = input::eval_options(set, &a.eval)?;
    let start = Instant::now();
    let shown = if a.file == "-" { "stdin" } else { &a.file };
    let text = input::read_text(&a.file)?;
    let format = match a.format {
        Some(FormatArg::Csv) => InputFormat::Csv,
        Some(FormatArg::Jsonl) => InputFormat::Jsonl,
        None => guess_format((a.file != "-").then_some(a.file.as_str()), &text),
    };
    let rows = parse_clients(&set.catalogue, &text, format).map_err(|e| {
        let t = e.text();
        CliError::bad(format!("{shown}: {} / {}", t.en, t.zh))
    })?;
    let parsed = start.elapsed();
    let result = evaluate_batch(set, &rows, &opts)?;
    let evaluated = start.elapsed();
    let bom = a.out != "-" && !a.no_bom;
    input::write_text(&a.out, &to_csv(&result, bom))?;
    let total = start.elapsed();
    let bad: Vec<String> = rows
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| {
            let name = e
                .name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            format!("row {}{name}: {}", e.row, e.summary())
        })
        .collect();
    eprintln!(
        "butie batch: {} client(s) from {} ({:?}), {} bad; {} output row(s) to {}",
        result.clients,
        shown,
        format,
        result.bad_rows,
        result.rows.len(),
        if a.out == "-" { "stdout" } else { &a.out }
    );
    for b in bad.iter().take(MAX_LISTED) {
        eprintln!("  - {b}");
    }
    if bad.len() > MAX_LISTED {
        eprintln!(
            "  … and {} more (see the error column)",
            bad.len() - MAX_LISTED
        );
    }
    eprintln!(
        "time: read+parse {:.1} ms, evaluate {:.1} ms, total {:.1} ms",
        ms(parsed),
        ms(evaluated - parsed),
        ms(total)
    );
    Ok(())
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
