//! Policy packs on the command line: `butie check DIR|PACK`, `butie pack DIR|PACK -o FILE`, and
//! `--pack FILE` (any command) adding packs to the data the way the page loads them.

use crate::error::CliError;
use crate::{CheckArgs, PackArgs, input};
use butie::PolicySet;
use butie::files::PolicyFiles;
use butie::pack::build::{Base, Checked, PackSources, check, check_pack};
use butie::pack::{MAX_PACK_BYTES, PACK_EXTENSION, Pack};
use std::path::{Path, PathBuf};

/// The base a pack is built on: the embedded data, or the `--policies` directories.
pub fn base(dirs: &[PathBuf]) -> Result<Base, CliError> {
    if dirs.is_empty() {
        return Base::embedded()
            .map_err(|e| CliError::failure(format!("embedded policy data is invalid:\n{e}")));
    }
    let shown = input::shown_dirs(dirs);
    let files = PolicyFiles::read_dirs(dirs)
        .map_err(|e| CliError::bad(format!("cannot read {shown}: {e}")))?;
    Base::from_files(&files).map_err(|e| {
        CliError::bad_with(
            format!("the policy files in {shown} are invalid"),
            e.0.iter().map(ToString::to_string).collect(),
        )
    })
}

/// Reads a pack file (its size checked before it is read).
pub fn read_pack(path: &Path) -> Result<Pack, CliError> {
    let shown = path.display().to_string();
    let len = std::fs::metadata(path)
        .map_err(|e| CliError::bad(format!("cannot read {shown}: {e}")))?
        .len();
    if len > MAX_PACK_BYTES as u64 {
        let e = butie::pack::too_large(&shown, usize::try_from(len).unwrap_or(usize::MAX));
        return Err(CliError::bad(e.to_string()));
    }
    let text = input::read_text(&shown)?;
    Pack::read(&shown, &text).map_err(|errs| {
        CliError::bad_with(
            format!("{shown} is not a usable policy pack"),
            errs.iter().map(ToString::to_string).collect(),
        )
    })
}

/// The data with `--pack` files added, each loaded as the page loads it (a pack compiled by
/// another butie version is compiled again from its source form, with a note).
pub fn with_packs(
    set: PolicySet,
    dirs: &[PathBuf],
    paths: &[PathBuf],
) -> Result<PolicySet, CliError> {
    if paths.is_empty() {
        return Ok(set);
    }
    let mut packs = Vec::new();
    for path in paths {
        let pack = read_pack(path)?;
        if pack.compiled_here() {
            packs.push(pack);
            continue;
        }
        eprintln!(
            "note: {} was compiled by butie {}; compiling it again from its source form",
            path.display(),
            pack.engine
        );
        let checked = check_pack(&base(dirs)?, &pack);
        match checked.pack {
            Some(mut rebuilt) => {
                rebuilt.label = pack.label.clone();
                packs.push(rebuilt)
            }
            None => return Err(problems(&pack.label, &checked)),
        }
    }
    let refs: Vec<&Pack> = packs.iter().collect();
    set.with_packs(&refs).map_err(|errs| {
        CliError::bad_with(
            "the policy packs do not load",
            errs.iter().map(ToString::to_string).collect(),
        )
    })
}

fn problems(what: &str, c: &Checked) -> CliError {
    CliError::bad_with(
        format!("{what}: {} problem(s)", c.problems.len()),
        c.problems.iter().map(ToString::to_string).collect(),
    )
}

/// A pack directory or a pack file, checked (and built).
fn checked(base: &Base, path: &Path, created: &str) -> Result<(Checked, String), CliError> {
    let shown = path.display().to_string();
    if path.is_dir() {
        let files = PolicyFiles::read_dirs(&[path])
            .map_err(|e| CliError::bad(format!("cannot read {shown}: {e}")))?;
        let mut c = check(base, &PackSources::from_files(&files), created);
        // Name files as the user sees them: DIR/file, DIR/sources/…, DIR/cases/….
        let sources: Vec<&str> = files.sources.iter().map(|(n, _)| n.as_str()).collect();
        let cases: Vec<&str> = files.cases.iter().map(|(n, _)| n.as_str()).collect();
        for p in &mut c.problems {
            let sub = if cases.contains(&p.file.as_str()) {
                "cases/"
            } else if sources.contains(&p.file.as_str()) {
                "sources/"
            } else {
                ""
            };
            p.file = path.join(format!("{sub}{}", p.file)).display().to_string();
        }
        Ok((c, shown))
    } else {
        let pack = read_pack(path)?;
        let mut c = check_pack(base, &pack);
        for p in &mut c.problems {
            if p.file != pack.label {
                p.file = format!("{} › {}", pack.label, p.file);
            }
        }
        Ok((c, shown))
    }
}

/// The one-line summary of a check.
fn summary(c: &Checked) -> String {
    let Some(pack) = &c.pack else {
        return "not built".into();
    };
    let quotes = c.quotes.iter().filter(|(_, q)| q.problem.is_none()).count();
    let cases = c.cases.iter().filter(|k| k.failures.is_empty()).count();
    let docs: Vec<&str> = c
        .set
        .iter()
        .flat_map(|s| &s.policies)
        .filter(|p| p.pack.as_deref() == Some(pack.name.as_str()))
        .map(|p| p.meta.id.as_str())
        .collect();
    format!(
        "{}: {} document(s) ({}), {} of {} quotes verbatim, {} of {} cases pass; {}",
        pack.name,
        docs.len(),
        docs.join(", "),
        quotes,
        c.quotes.len(),
        cases,
        c.cases.len(),
        pack.hash
    )
}

/// `butie check DIR|PACK`: exit 0 when everything holds, 1 with every problem listed.
pub fn run_check(dirs: &[PathBuf], a: &CheckArgs) -> Result<(), CliError> {
    let base = base(dirs)?;
    let (c, shown) = checked(&base, &a.path, &input::today_iso())?;
    for p in &c.problems {
        println!("{p}");
    }
    if c.passed() {
        println!("ok {shown}: {}", summary(&c));
        Ok(())
    } else {
        Err(CliError::Failure(format!(
            "{shown}: {} problem(s) ({})",
            c.problems.len(),
            summary(&c)
        )))
    }
}

/// `butie pack DIR|PACK -o NAME.butie.json`: checks, then writes the pack.
pub fn run_pack(dirs: &[PathBuf], a: &PackArgs) -> Result<(), CliError> {
    let base = base(dirs)?;
    let created = match &a.created {
        Some(d) if butie::date::parse_date(d).is_some() => d.clone(),
        Some(d) => {
            return Err(CliError::bad(format!(
                "--created `{d}` is not a date (YYYY-MM-DD)"
            )));
        }
        None => input::today_iso(),
    };
    let (c, shown) = checked(&base, &a.path, &created)?;
    let Some(pack) = c.pack.as_ref().filter(|_| c.passed()) else {
        for p in &c.problems {
            eprintln!("{p}");
        }
        return Err(CliError::Failure(format!(
            "{shown}: {} problem(s); no pack written",
            c.problems.len()
        )));
    };
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}{PACK_EXTENSION}", pack.name)));
    let out_str = out.display().to_string();
    input::write_text(&out_str, &pack.to_json_text())?;
    if out_str != "-" {
        eprintln!("wrote {out_str}: {}", summary(&c));
    }
    Ok(())
}
