//! Reading what the user gives: policy directories, input files or stdin, dates, districts, profiles.

use crate::EvalArgs;
use crate::error::CliError;
use crate::text::clean;
use butie::date::{Date, fmt_date};
use butie::options::{Key, Options};
use butie::profile::ProfileTextError;
use butie::set::CATALOGUE_FILE;
use butie::{EvalOptions, PolicySet, Profile};
use std::io::{Read, Write};
use std::path::PathBuf;

/// The embedded policy set, or the one in `dirs` (read by the core's one directory reader:
/// facts.toml in the first, one TOML file per document, sources/).
pub fn load_set(dirs: &[PathBuf]) -> Result<PolicySet, CliError> {
    let Some(first) = dirs.first() else {
        return PolicySet::embedded()
            .map_err(|e| CliError::failure(format!("embedded policy data is invalid:\n{e}")));
    };
    let shown = shown_dirs(dirs);
    let files = butie::files::PolicyFiles::read_dirs(dirs)
        .map_err(|e| CliError::bad(format!("cannot read {shown}: {e}")))?;
    if files.catalogue.is_none() {
        return Err(CliError::bad(format!(
            "{} has no {CATALOGUE_FILE}: a policy directory holds the catalogue and one file per document",
            first.display()
        )));
    }
    PolicySet::from_files(&files).map_err(|e| {
        CliError::bad_with(
            format!("the policy files in {shown} are invalid"),
            e.0.iter().map(ToString::to_string).collect(),
        )
    })
}

/// Directories as the user named them, comma-separated.
pub fn shown_dirs(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An input that cannot be read (missing, not permitted, failing): bad input, exit code 2.
pub fn cannot_read(path: &str, e: &std::io::Error) -> CliError {
    CliError::bad(format!("cannot read {}: {e}", clean(path)))
}

/// Reads a file, or standard input for `-`, as UTF-8 text.
pub fn read_text(path: &str) -> Result<String, CliError> {
    let shown = if path == "-" { "stdin" } else { path };
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| cannot_read(shown, &e))?;
    } else {
        bytes = std::fs::read(path).map_err(|e| cannot_read(shown, &e))?;
    }
    let shown = clean(shown);
    String::from_utf8(bytes).map_err(|e| {
        CliError::bad(format!(
            "{shown} is not UTF-8 text (byte {}); in Excel use “CSV UTF-8” when saving",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Writes text to a file, or standard output for `-`.
pub fn write_text(path: &str, text: &str) -> Result<(), CliError> {
    let res = if path == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes()).and_then(|()| out.flush())
    } else {
        std::fs::write(path, text)
    };
    match res {
        // `butie … | head`: the reader has gone; nothing left to say.
        Err(e) if path == "-" && e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|e| CliError::failure(format!("cannot write {path}: {e}"))),
    }
}

/// Pretty JSON on standard output.
pub fn print_json(v: &impl serde::Serialize) -> Result<(), CliError> {
    let s = serde_json::to_string_pretty(v)
        .map_err(|e| CliError::failure(format!("cannot serialize JSON: {e}")))?;
    write_text("-", &(s + "\n"))
}

/// Today's date in Shanghai (UTC+8), from the system clock.
pub fn today_shanghai() -> Date {
    let now = time::OffsetDateTime::now_utc();
    now.checked_add(time::Duration::hours(8))
        .unwrap_or(now)
        .date()
}

/// Today in Shanghai as `YYYY-MM-DD`.
pub fn today_iso() -> String {
    fmt_date(today_shanghai())
}

/// Reads option flags through the core's one options reader; any problem is bad input,
/// named as the flag.
fn read_options(
    set: &PolicySet,
    pairs: &[(&str, &str)],
    keys: &[Key],
) -> Result<Options, CliError> {
    let (options, problems) = Options::from_pairs(set, pairs, keys);
    if problems.is_empty() {
        return Ok(options);
    }
    let flag = |path: &str| match path.split('[').next().unwrap_or(path) {
        "as-of" => "--as-of",
        "application-period" => "--application-period",
        _ => "--district",
    };
    let first = flag(&problems[0].path);
    let what = if problems.iter().all(|p| flag(&p.path) == first) {
        first
    } else {
        "options"
    };
    Err(CliError::bad_with(
        format!("invalid {what}"),
        problems
            .iter()
            .map(|p| format!("{}: {}", flag(&p.path), p.message.en))
            .collect(),
    ))
}

/// `--as-of`, or today in Shanghai.
pub fn as_of(set: &PolicySet, arg: Option<&str>) -> Result<Date, CliError> {
    let pairs: Vec<(&str, &str)> = arg.map(|d| ("as-of", d)).into_iter().collect();
    let o = read_options(set, &pairs, &[Key::AsOf])?;
    Ok(o.as_of.unwrap_or_else(today_shanghai))
}

/// Evaluation options from the shared flags; unknown districts are bad input.
pub fn eval_options(set: &PolicySet, a: &EvalArgs) -> Result<EvalOptions, CliError> {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    if let Some(d) = &a.as_of {
        pairs.push(("as-of", d));
    }
    pairs.extend(a.districts.iter().map(|d| ("district", d.as_str())));
    if a.compare {
        pairs.push(("compare", "1"));
    }
    if let Some(p) = &a.application_period {
        pairs.push(("application-period", p));
    }
    let o = read_options(
        set,
        &pairs,
        &[
            Key::AsOf,
            Key::Districts,
            Key::Compare,
            Key::ApplicationPeriod,
        ],
    )?;
    Ok(o.eval_options(today_shanghai()))
}

/// Parses a profile JSON text, listing every field error.
pub fn parse_profile(set: &PolicySet, text: &str, source: &str) -> Result<Profile, CliError> {
    Profile::from_json_str(&set.catalogue, text).map_err(|e| match e {
        ProfileTextError::Syntax(e) => CliError::bad(format!("{source} is not valid JSON: {e}")),
        ProfileTextError::Fields(errs) => CliError::bad_with(
            format!("{source}: {} field(s) rejected", errs.len()),
            errs.iter()
                .map(|e| {
                    let t = e.error.text();
                    format!("{}: {} / {}", e.path, t.en, t.zh)
                })
                .collect(),
        ),
    })
}
