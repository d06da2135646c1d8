//! `cargo xtask measure`: the budgets of the browser calculator, measured.
//!
//! 1. Builds `dist/` and reports the gzipped size (gzip -9 by zlib, as `gzip -9` gives it) of
//!    the self-contained `dist/butie.html` (budget: 250 KiB) and of its parts, and apart from
//!    it the bytes the first results need: the file without the second module (its loader and
//!    embedded wasm, between `<!-- butie:batch -->` and `<!-- /butie:batch -->`), which is
//!    instantiated on first use (budget [`FIRST_RESULTS_BUDGET`], also checked by
//!    `cargo xtask test` and `ci`).
//! 2. Breaks the wasm down by crate and by function (a small twiggy: shallow
//!    code size per function, from the name section of the wasm cargo built,
//!    before wasm-bindgen strips it), so a size regression can be traced.
//!    The widget script `dist/butie-widget.js` (the same engine for consultants'
//!    sites) is reported next to that budget, raw and gzipped.
//! 3. Unless `--no-browser`: runs `tests/browser/measure.mjs` in headless
//!    Chromium on the single file from `file://` — time from navigation to
//!    `performance.mark("butie:first-results")`, median of `--runs` (budget:
//!    300 ms) — the in-page microbenchmark of one full profile
//!    (`globalThis.butie.bench_evaluate`, budget: 25 µs), and the batch view
//!    with a generated list of `--batch-clients` clients (default 10,000): time
//!    from the file input's change event to the painted results table, median
//!    of `--batch-runs` fresh pages (budget: 1 s).
//!
//! Options: `--runs N` (default 7), `--iterations N` (default 2000), `--top N`
//! (functions listed, default 25), `--batch-clients N` (0 skips the batch),
//! `--batch-runs N` (default 5), `--no-browser`, `--check` (exit non-zero
//! when a budget is exceeded). The numbers go to docs/performance.md by hand,
//! with the machine they were measured on.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::{dist, util};

/// Gzipped size budget of `dist/butie.html`, bytes.
const SIZE_BUDGET: usize = 250 * 1024;
/// Budget of what the first results need (`dist/butie.html` without the second module, see
/// [`first_results_bytes`]), gzip -9 ([`gzip_len`]), bytes: 387,951 B on main 04239af, before
/// issues 12 (the page may grow by 8 KiB) and 13 (by 5 KiB). `cargo xtask ci` fails above it.
pub const FIRST_RESULTS_BUDGET: usize = 387_951 + (8 + 5) * 1024;
/// Budget for the first results, ms after navigation.
const FIRST_RESULTS_BUDGET_MS: f64 = 300.0;
/// Budget for one evaluation of a full profile in wasm, µs.
const EVALUATE_BUDGET_US: f64 = 25.0;
/// Budget for a client list of 10,000 in the batch view, ms.
const BATCH_BUDGET_MS: f64 = 1000.0;

/// Parsed command-line options.
struct Options {
    runs: u32,
    iterations: u32,
    top: usize,
    batch_clients: u32,
    batch_runs: u32,
    browser: bool,
    check: bool,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        runs: 7,
        iterations: 2000,
        top: 25,
        batch_clients: 10_000,
        batch_runs: 5,
        browser: true,
        check: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut number = |name: &str| -> Result<u64> {
            let value = it
                .next()
                .with_context(|| format!("`{name}` needs a value"))?;
            value
                .parse()
                .with_context(|| format!("`{name} {value}` is not a number"))
        };
        match arg.as_str() {
            "--runs" => o.runs = u32::try_from(number(arg)?.max(1))?,
            "--iterations" => o.iterations = u32::try_from(number(arg)?.max(1))?,
            "--top" => o.top = usize::try_from(number(arg)?)?,
            "--batch-clients" => o.batch_clients = u32::try_from(number(arg)?)?,
            "--batch-runs" => o.batch_runs = u32::try_from(number(arg)?.max(1))?,
            "--no-browser" => o.browser = false,
            "--check" => o.check = true,
            other => bail!(
                "unknown argument `{other}` for `measure` \
                 (expected --runs N, --iterations N, --top N, --batch-clients N, \
                 --batch-runs N, --no-browser, --check)"
            ),
        }
    }
    Ok(o)
}

/// What the first results need in `single_file` (`dist/butie.html`), gzipped, checked against
/// [`FIRST_RESULTS_BUDGET`]: `Err` naming both figures when over.
pub fn check_first_results(single_file: &Path) -> Result<usize> {
    let single = std::fs::read(single_file)
        .with_context(|| format!("cannot read {}", single_file.display()))?;
    let first = gzip_len(first_results_bytes(&single)?.as_bytes())?;
    println!(
        "first results need {first} B gzipped (budget {FIRST_RESULTS_BUDGET} B)  {}",
        verdict(first <= FIRST_RESULTS_BUDGET)
    );
    if first > FIRST_RESULTS_BUDGET {
        bail!(
            "what the first results need ({}, without the second module) is {first} B gzipped, \
             {} B over its budget of {FIRST_RESULTS_BUDGET} B (issues 12 and 13: 387,951 B + \
             13 KiB); move code only some users need into the second module (www/batch) or \
             make it smaller",
            single_file.display(),
            first - FIRST_RESULTS_BUDGET
        );
    }
    Ok(first)
}

/// The single file without the batch module: what the first results need.
fn first_results_bytes(single: &[u8]) -> Result<String> {
    let text = std::str::from_utf8(single).context("dist/butie.html is not UTF-8")?;
    let (Some(begin), Some(end)) = (text.find(dist::BATCH_BEGIN), text.find(dist::BATCH_END))
    else {
        bail!("dist/butie.html has no batch module block");
    };
    Ok(format!(
        "{}{}",
        &text[..begin],
        &text[end + dist::BATCH_END.len()..]
    ))
}

/// Runs the measurement.
pub fn measure(args: &[String]) -> Result<()> {
    let options = parse(args)?;
    let built = dist::dist()?;
    let mut over = Vec::new();

    println!();
    println!("== size");
    let single = std::fs::read(&built.single_file)
        .with_context(|| format!("cannot read {}", built.single_file.display()))?;
    let single_gz = gzip_len(&single)?;
    let wasm = std::fs::read(built.dir.join("butie_bg.wasm")).context("cannot read the wasm")?;
    println!(
        "dist/butie.html  {} raw, {} gzipped (budget {})  {}",
        kib(single.len()),
        kib(single_gz),
        kib(SIZE_BUDGET),
        verdict(single_gz <= SIZE_BUDGET)
    );
    println!(
        "  of which wasm  {} raw, {} gzipped",
        kib(wasm.len()),
        kib(gzip_len(&wasm)?)
    );
    let first = first_results_bytes(&single)?;
    let first_gz = gzip_len(first.as_bytes())?;
    println!(
        "  needed for first results (all but the second module)  {} raw, {} gzipped (budget {})  {}",
        kib(first.len()),
        kib(first_gz),
        kib(FIRST_RESULTS_BUDGET),
        verdict(first_gz <= FIRST_RESULTS_BUDGET)
    );
    if first_gz > FIRST_RESULTS_BUDGET {
        over.push(format!(
            "first results {} > {}",
            kib(first_gz),
            kib(FIRST_RESULTS_BUDGET)
        ));
    }
    println!(
        "  the second module (batch, packs: loaded on first use)  {} raw, {} gzipped",
        kib(single.len() - first.len()),
        kib(single_gz.saturating_sub(first_gz))
    );
    let batch_wasm = std::fs::read(built.dir.join(format!("{}_bg.wasm", dist::BATCH_STEM)))
        .context("cannot read the batch module's wasm")?;
    println!(
        "    of which its wasm  {} raw, {} gzipped",
        kib(batch_wasm.len()),
        kib(gzip_len(&batch_wasm)?)
    );
    if single_gz > SIZE_BUDGET {
        over.push(format!("size {} > {}", kib(single_gz), kib(SIZE_BUDGET)));
    }
    let widget_path = built.widget.as_deref().context("dist built no widget")?;
    let widget = std::fs::read(widget_path)
        .with_context(|| format!("cannot read {}", widget_path.display()))?;
    println!(
        "dist/{}  {} raw, {} gzipped (the widget: same engine; next to the page budget {})",
        dist::WIDGET_FILE,
        kib(widget.len()),
        kib(gzip_len(&widget)?),
        kib(SIZE_BUDGET)
    );
    let extras = std::fs::read(built.dir.join(dist::WIDGET_EXTRAS_FILE))
        .with_context(|| format!("cannot read {}", dist::WIDGET_EXTRAS_FILE))?;
    println!(
        "dist/{}  {} raw, {} gzipped (the widget's second module: loaded when a pack is given)",
        dist::WIDGET_EXTRAS_FILE,
        kib(extras.len()),
        kib(gzip_len(&extras)?)
    );
    let embed =
        std::fs::read(built.dir.join(dist::EMBED_FILE)).context("cannot read embed.html")?;
    println!(
        "dist/{}  {} raw, {} gzipped (the iframe page, widget inlined)",
        dist::EMBED_FILE,
        kib(embed.len()),
        kib(gzip_len(&embed)?)
    );

    println!();
    println!("== wasm code by crate and function (shallow sizes, before wasm-bindgen)");
    let input = std::fs::read(&built.cargo_wasm)
        .with_context(|| format!("cannot read {}", built.cargo_wasm.display()))?;
    print_breakdown(&input, options.top)?;

    if !options.browser {
        println!();
        println!("browser measurements skipped (--no-browser)");
    } else {
        println!();
        println!(
            "== browser ({} runs, headless Chromium, file://)",
            options.runs
        );
        // The timings need the in-page benchmark, which shipped pages leave out: built again.
        println!("(the pages again, with the in-page benchmark for the timings)");
        let bench = dist::dist_with(&dist::Build {
            bench: true,
            ..dist::Build::default()
        })?;
        let result = run_browser(&bench.single_file, &options)?;
        let first = result["first_results_median_ms"]
            .as_f64()
            .unwrap_or(f64::NAN);
        let samples = result["first_results_ms"].to_string();
        println!(
            "first results  median {first:.0} ms (budget {FIRST_RESULTS_BUDGET_MS:.0} ms)  {}   samples {samples}",
            verdict(first <= FIRST_RESULTS_BUDGET_MS)
        );
        let phases = &result["phases_median_ms"];
        println!(
            "  phases (median ms after navigation): wasm start {:.0}, policies parsed {:.0}, first results {:.0}; load event {:.0}",
            phases["wasm-start"].as_f64().unwrap_or(f64::NAN),
            phases["policies-loaded"].as_f64().unwrap_or(f64::NAN),
            phases["first-results"].as_f64().unwrap_or(f64::NAN),
            result["load_event_median_ms"].as_f64().unwrap_or(f64::NAN),
        );
        if first.is_nan() || first > FIRST_RESULTS_BUDGET_MS {
            over.push(format!("first results {first:.0} ms"));
        }
        let update = &result["update_ms"];
        println!(
            "update after an input change (compare all, realistic profile)  median {:.1} ms, max {:.1} ms (one frame: 16.7 ms)",
            update["median"].as_f64().unwrap_or(f64::NAN),
            update["max"].as_f64().unwrap_or(f64::NAN),
        );
        let bench = &result["evaluate_us"];
        println!(
            "evaluate one full profile in wasm ({} iterations), µs per evaluation:",
            options.iterations
        );
        for (key, what) in [
            (
                "outcome_only",
                "outcome only (no hints, no explanation), registered",
            ),
            (
                "explain_hints",
                "with hints and explanation (what the page runs)",
            ),
            (
                "outcome_only_compare_all",
                "outcome only, compare all districts",
            ),
            (
                "explain_hints_compare_all",
                "with hints and explanation, compare all",
            ),
        ] {
            let us = bench[key].as_f64().unwrap_or(f64::NAN);
            println!("  {us:>9.1} µs  {what}");
        }
        let bare = bench["outcome_only"].as_f64().unwrap_or(f64::NAN);
        println!(
            "evaluation budget {EVALUATE_BUDGET_US:.0} µs (outcome only)  {}",
            verdict(bare <= EVALUATE_BUDGET_US)
        );
        if bare.is_nan() || bare > EVALUATE_BUDGET_US {
            over.push(format!("evaluation {bare:.1} µs"));
        }
        let batch = &result["batch"];
        if batch.is_object() {
            let ms = batch["median_ms"].as_f64().unwrap_or(f64::NAN);
            println!(
                "batch: {} clients ({}) in the batch view, change event → results painted: median {ms:.0} ms (budget {BATCH_BUDGET_MS:.0} ms)  {}   samples {}",
                batch["clients"],
                kib(usize::try_from(batch["bytes"].as_u64().unwrap_or(0)).unwrap_or(0)),
                verdict(ms <= BATCH_BUDGET_MS),
                batch["samples_ms"]
            );
            println!(
                "  the page says: {}",
                batch["summary"].as_str().unwrap_or("")
            );
            if ms.is_nan() || ms > BATCH_BUDGET_MS {
                over.push(format!("batch {ms:.0} ms"));
            }
        }
        println!("chromium {}", result["chromium"].as_str().unwrap_or("?"));
    }
    println!("machine: {}", machine());
    if options.check && !over.is_empty() {
        bail!("over budget: {}", over.join(", "));
    }
    Ok(())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "OVER BUDGET" }
}

/// Runs `tests/browser/measure.mjs` and returns its JSON result.
fn run_browser(single_file: &Path, options: &Options) -> Result<serde_json::Value> {
    let browser_dir = util::root().join("tests").join("browser");
    if !browser_dir
        .join("node_modules")
        .join("playwright-core")
        .is_dir()
    {
        util::run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&browser_dir)
                .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
        )?;
    }
    let mut command = Command::new("node");
    command
        .arg(browser_dir.join("measure.mjs"))
        .arg("--file")
        .arg(single_file)
        .args(["--runs", &options.runs.to_string()])
        .args(["--iterations", &options.iterations.to_string()])
        .args(["--batch-clients", &options.batch_clients.to_string()])
        .args(["--batch-runs", &options.batch_runs.to_string()])
        .current_dir(util::root())
        .stderr(Stdio::inherit());
    let shown = util::display(&command);
    println!("$ {shown}");
    let output = command
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !output.status.success() {
        bail!("`{shown}` failed ({})", output.status);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).with_context(|| format!("measure.mjs printed no JSON: {stdout}"))
}

/// Gzip -9 size by zlib: what `gzip -9` and Python's `gzip.compress(data, 9)` give.
pub fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).context("gzip failed")?;
    Ok(encoder.finish().context("gzip failed")?.len())
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB ({bytes} B)", bytes as f64 / 1024.0)
}

/// CPU model, core count and OS, for the record.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|r| {
            r.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    format!("{cpu}, {cores} cores, {os}")
}

// ------------------------------------------------------------------ wasm breakdown

/// Function sizes (index → body bytes), names (index → name) and section sizes.
struct Breakdown {
    bodies: Vec<(u32, usize)>,
    names: HashMap<u32, String>,
    sections: Vec<(String, usize)>,
}

fn read_module(bytes: &[u8]) -> Result<Breakdown> {
    use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};
    let mut imported_functions = 0u32;
    let mut bodies = Vec::new();
    let mut names = HashMap::new();
    let mut sections = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.context("cannot parse the wasm")? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import?.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                        imported_functions += 1;
                    }
                }
            }
            Payload::CodeSectionStart { range, .. } => {
                sections.push(("code".to_string(), range.len()))
            }
            Payload::CodeSectionEntry(body) => {
                let index = imported_functions + bodies.len() as u32;
                bodies.push((index, body.range().len()));
            }
            Payload::DataSection(reader) => {
                sections.push(("data".to_string(), reader.range().len()))
            }
            Payload::CustomSection(reader) => {
                sections.push((format!("custom \"{}\"", reader.name()), reader.data().len()));
                if let KnownCustom::Name(names_reader) = reader.as_known() {
                    for subsection in names_reader {
                        if let Ok(Name::Function(map)) = subsection {
                            for naming in map.into_iter().flatten() {
                                names.insert(naming.index, naming.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(Breakdown {
        bodies,
        names,
        sections,
    })
}

/// The crate a (demangled) function belongs to: the first path segment, or for
/// `<T as Trait>::f` the crate of `T` (the code is T's monomorphisation).
fn crate_of(name: &str) -> String {
    let trimmed = name.trim_start_matches(['<', '&', '*']);
    let trimmed = ["mut ", "dyn ", "const "]
        .iter()
        .fold(trimmed, |s, p| s.strip_prefix(p).unwrap_or(s));
    let end = trimmed
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(trimmed.len());
    let head = &trimmed[..end];
    if head.is_empty() || !trimmed[end..].starts_with("::") {
        "(other)".to_string()
    } else {
        head.to_string()
    }
}

fn print_breakdown(bytes: &[u8], top: usize) -> Result<()> {
    let b = read_module(bytes)?;
    for (name, size) in &b.sections {
        println!("  section {name:<28} {:>10}", kib(*size));
    }
    let mut by_crate: HashMap<String, usize> = HashMap::new();
    let mut functions: Vec<(usize, String)> = Vec::new();
    let mut glue = 0;
    for (index, size) in &b.bodies {
        let raw = b
            .names
            .get(index)
            .cloned()
            .unwrap_or_else(|| format!("func[{index}]"));
        // wasm-bindgen's describe functions only exist before wasm-bindgen runs.
        if raw.starts_with("__wbindgen_describe") {
            glue += size;
            continue;
        }
        let name = format!("{:#}", rustc_demangle::demangle(&raw));
        *by_crate.entry(crate_of(&name)).or_default() += size;
        functions.push((*size, name));
    }
    let total: usize = functions.iter().map(|(s, _)| s).sum();
    println!(
        "  {} functions, {} of code ({} more of wasm-bindgen descriptors, removed by wasm-bindgen)",
        functions.len(),
        kib(total),
        kib(glue)
    );
    let mut crates: Vec<_> = by_crate.into_iter().collect();
    crates.sort_by_key(|c| std::cmp::Reverse(c.1));
    println!("  by crate:");
    for (name, size) in crates.iter().take(16) {
        println!(
            "    {:>10} {:>5.1}%  {name}",
            kib(*size),
            100.0 * *size as f64 / total.max(1) as f64
        );
    }
    functions.sort_by_key(|f| std::cmp::Reverse(f.0));
    if top > 0 {
        println!("  largest functions:");
        for (size, name) in functions.iter().take(top) {
            let short: String = name.chars().take(110).collect();
            println!("    {:>10}  {short}", kib(*size));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same figure as `gzip -9` (here Python's `gzip.compress(data, 9)`: 37166 B; level 6
    /// gives 40744 B), so the budget reads the same in every tool.
    #[test]
    fn gzip_is_zlib_level_9() {
        let words: [&[u8]; 8] = [
            b"butie ",
            b"first ",
            b"results ",
            b"<div class=\"x\">",
            "补贴".as_bytes(),
            b"0",
            b"1",
            b"\n",
        ];
        let mut x: u64 = 12345;
        let mut data = Vec::new();
        for _ in 0..60_000 {
            x = (x * 1_103_515_245 + 12_345) % (1 << 31);
            data.extend_from_slice(words[((x >> 16) % 8) as usize]);
        }
        assert_eq!(data.len(), 332_795);
        assert_eq!(gzip_len(&data).unwrap(), 37_166);
    }

    #[test]
    fn crates_of_names() {
        assert_eq!(crate_of("butie::eval::evaluate"), "butie");
        assert_eq!(
            crate_of("<butie_www::form::Field as yew::FunctionProvider>::run"),
            "butie_www"
        );
        assert_eq!(
            crate_of("<&mut serde_json::de::Deserializer<R> as x>::f"),
            "serde_json"
        );
        assert_eq!(crate_of("core::ptr::drop_in_place<yew::X>"), "core");
        assert_eq!(crate_of("memcpy"), "(other)");
    }

    #[test]
    fn options() {
        let args: Vec<String> = [
            "--runs",
            "3",
            "--no-browser",
            "--check",
            "--batch-clients",
            "0",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let o = parse(&args).unwrap();
        assert_eq!((o.runs, o.browser, o.check), (3, false, true));
        assert_eq!((o.batch_clients, o.batch_runs), (0, 5));
        assert!(parse(&["--bogus".to_string()]).is_err());
        assert!(parse(&["--runs".to_string()]).is_err());
    }
}
