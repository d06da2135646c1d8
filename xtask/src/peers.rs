//! `cargo xtask peers`: butie beside GoRules zen-engine (2.1, its JSON decision model) and
//! json-rules-engine (npm 7) on the same decision — every money clause of 普陀 for 10,000
//! varied profiles — in one run (docs/benchmarks.md, “Peers”).
//!
//! The peers live in `benches/peers/`, a cargo workspace of its own (excluded from the
//! project's), built into `target/peers/`: neither the default build, `cargo test
//! --workspace` nor CI compiles zen-engine. The Rust side generates the profiles, checks
//! zen-engine's amounts against butie's clause by clause and times both; `js/bench.mjs`
//! checks and times json-rules-engine on the same inputs. Any mismatch fails the command
//! after the table is printed.
//!
//! Options: `--profiles N` (default 10,000), `--rounds N` (default 5; the median is the figure).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

use crate::util;

fn parse(args: &[String]) -> Result<(usize, usize)> {
    let (mut profiles, mut rounds) = (10_000, 5);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let target = match arg.as_str() {
            "--profiles" => &mut profiles,
            "--rounds" => &mut rounds,
            other => {
                bail!("unknown argument `{other}` for `peers` (expected --profiles N, --rounds N)")
            }
        };
        let v = it
            .next()
            .with_context(|| format!("`{arg}` needs a value"))?;
        *target = v
            .parse::<usize>()
            .with_context(|| format!("`{arg} {v}` is not a number"))?
            .max(1);
    }
    Ok((profiles, rounds))
}

/// Runs `command` and parses the last line it printed as JSON.
fn json_line(command: &mut Command) -> Result<Value> {
    let shown = util::display(command);
    println!("$ {shown}");
    let out = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    ensure!(out.status.success(), "`{shown}` failed ({})", out.status);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().context("no output")?;
    serde_json::from_str(line).with_context(|| format!("`{shown}` printed `{line}`"))
}

fn us(v: &Value, key: &str) -> Result<f64> {
    v[key]
        .as_f64()
        .with_context(|| format!("no `{key}` in {v}"))
}

/// Runs the benchmark.
pub fn peers(args: &[String]) -> Result<()> {
    let (profiles, rounds) = parse(args)?;
    let root = util::root();
    let bench = root.join("benches").join("peers");
    let target = root.join("target").join("peers");
    let work = target.join("run");
    util::run(util::cargo().args([
        "build",
        "--release",
        "--manifest-path",
        &bench.join("Cargo.toml").to_string_lossy(),
        "--target-dir",
        &target.to_string_lossy(),
    ]))?;
    let rust = json_line(
        Command::new(target.join("release").join("butie-peers"))
            .arg(&work)
            .arg(profiles.to_string())
            .arg(rounds.to_string()),
    )?;

    let js = bench.join("js");
    if !js.join("node_modules").join("json-rules-engine").is_dir() {
        util::run(Command::new("npm").arg("ci").current_dir(&js))?;
    }
    let node = json_line(
        Command::new("node")
            .arg(js.join("bench.mjs"))
            .arg(&work)
            .arg(rounds.to_string())
            .current_dir(&js),
    )?;

    let butie = us(&rust, "butie_us_per_profile")?;
    let zen = us(&rust, "zen_us_per_profile")?;
    let jre = us(&node, "jre_us_per_profile")?;
    println!();
    println!(
        "== Putuo's 14 money clauses, {profiles} profiles ({} paying something), median of {rounds} round(s)",
        rust["nonzero_totals"]
    );
    println!(
        "{:<34} {:>12} {:>10} {:>10}",
        "engine", "µs/profile", "× butie", "mismatches"
    );
    let row = |name: &str, t: f64, mismatches: &Value| {
        println!("{name:<34} {t:>12.2} {:>10.1} {mismatches:>10}", t / butie);
    };
    row("butie (evaluate_totals)", butie, &Value::from(0));
    row("zen-engine 2.1 (JDM)", zen, &rust["zen_mismatches"]);
    row(
        &format!(
            "json-rules-engine 7 (node {})",
            node["node"].as_str().unwrap_or("?")
        ),
        jre,
        &node["jre_mismatches"],
    );
    println!("clauses paid (profiles): {}", paid(&rust));
    let mut failed = Vec::new();
    for (name, v, key, first) in [
        (
            "zen-engine",
            &rust,
            "zen_mismatches",
            "zen_first_mismatches",
        ),
        (
            "json-rules-engine",
            &node,
            "jre_mismatches",
            "jre_first_mismatches",
        ),
    ] {
        let n = v[key].as_u64().with_context(|| format!("no `{key}`"))?;
        if n > 0 {
            println!("{name}: {n} profile(s) differ from butie; the first:");
            println!("{}", serde_json::to_string_pretty(&v[first])?);
            failed.push(format!("{name}: {n} profile(s)"));
        }
    }
    ensure!(
        failed.is_empty(),
        "the engines disagree ({}); no time counts",
        failed.join(", ")
    );
    println!("all three agree on every clause of every profile (to the fen)");
    println!("inputs and butie's amounts: {}", display(&work));
    Ok(())
}

/// “putuo.3.1 812, …”: how many profiles each clause pays, so a reader sees what was exercised.
fn paid(rust: &Value) -> String {
    rust["profiles_paid_per_clause"]
        .as_array()
        .map(|xs| {
            xs.iter()
                .map(|x| format!("{} {}", x["clause"].as_str().unwrap_or("?"), x["profiles"]))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn display(p: &Path) -> String {
    p.strip_prefix(util::root())
        .unwrap_or(p)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn options() {
        assert_eq!(parse(&[]).unwrap(), (10_000, 5));
        let args = ["--rounds", "3", "--profiles", "100"].map(String::from);
        assert_eq!(parse(&args).unwrap(), (100, 3));
        assert!(parse(&["--rounds".to_string()]).is_err());
        assert!(parse(&["--fast".to_string()]).is_err());
    }
}
