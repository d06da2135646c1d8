//! Reading what the user gives: policy directories, input files or stdin, dates, districts, profiles.

use crate::EvalArgs;
use crate::error::CliError;
use crate::text::clean;
use butie::date::{Date, Period, parse_as_of};
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
    let shown = dirs
        .iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
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

/// `--as-of` (a real date in the years 1900–2100), or today in Shanghai.
pub fn as_of(arg: Option<&str>) -> Result<Date, CliError> {
    match arg {
        None => Ok(today_shanghai()),
        Some(s) => parse_as_of(s.trim()).map_err(|e| CliError::bad(format!("--as-of `{s}`: {e}"))),
    }
}

/// Evaluation options from the shared flags; unknown districts are bad input.
pub fn eval_options(set: &PolicySet, a: &EvalArgs) -> Result<EvalOptions, CliError> {
    let mut opts = EvalOptions::new(as_of(a.as_of.as_deref())?);
    opts.compare_all = a.compare;
    if let Some(s) = &a.application_period {
        let p = Period::parse(s)
            .map_err(|e| CliError::bad(format!("--application-period: {}", e.text().en)))?;
        opts.application_period = Some(p);
    }
    if !a.districts.is_empty() {
        let known: Vec<&str> = set
            .policies
            .iter()
            .map(|p| p.meta.district.as_str())
            .collect();
        let bad: Vec<String> = a
            .districts
            .iter()
            .filter(|d| !known.contains(&d.as_str()))
            .map(|d| {
                format!(
                    "`{d}` is not a district with a policy; known: {}",
                    known.join(", ")
                )
            })
            .collect();
        if !bad.is_empty() {
            return Err(CliError::bad_with("unknown --district", bad));
        }
        opts.districts = Some(a.districts.clone());
    }
    Ok(opts)
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
