//! Project automation for butie, run as `cargo xtask <command>`.
//!
//! Commands:
//! - `dist [--extra-policies DIR] [--out DIR]`: build the web front end into
//!   `dist/` (multi-file page and the self-contained `dist/butie.html`), or a
//!   test page with extra (fixture) policy files.
//! - `serve [--port N]`: `dist`, then serve `dist/` on 127.0.0.1.
//! - `test`: native tests, then `dist` and the headless-Chromium tests.
//! - `ci`: format check, clippy, then everything `test` does.
//! - `bench-batch`: the release CLI on a million clients (docs/benchmarks.md).
//! - `peers`: butie beside zen-engine and json-rules-engine on one decision (peers.rs).
//! - `examples`: docs/examples/clients.xlsx from clients.csv.
//! - `setup`: what `test` and `serve` install when it is missing (setup.rs).
//! - `measure`: the budgets — single-file size (and the widget's next to it),
//!   time to first results, evaluation time and a 10,000-client batch in
//!   headless Chromium (see docs/performance.md).

mod bench_batch;
mod checks;
mod csp;
mod dist;
mod examples;
mod measure;
mod peers;
mod serve;
mod setup;
mod util;

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  dist [--extra-policies DIR] [--out DIR]
                     build dist/index.html, dist/butie.js, dist/butie_bg.wasm,
                     the self-contained dist/butie.html, the widget
                     dist/butie-widget.js, the iframe page dist/embed.html with
                     dist/butie-embed-host.js, and copy examples/ into dist/;
                     with --extra-policies (test fixtures, e.g.
                     tests/fixtures/policies) only the pages, with DIR's policy
                     files bundled after policies/, built in target/fixtures
                     (--out target/dist-fixtures: where the browser tests look)
  serve [--port N]   run dist, then serve dist/ on http://127.0.0.1:N/ (default 8080)
  test               cargo test --workspace, then dist and the browser tests
  ci                 cargo fmt --check, cargo clippy -D warnings, then test
  measure [--runs N] [--iterations N] [--top N] [--batch-clients N]
          [--batch-runs N] [--no-browser] [--check]
                     dist, then the budgets: gzipped size of dist/butie.html
                     (and of the widget) and a wasm size breakdown; in headless
                     Chromium, time to first results (file://), evaluation time
                     of one full profile, and a 10,000-client list in the batch
                     view (change event to results painted)
  bench-batch [--clients N] [--runs N] [--check]
                     the release CLI on 1,000,000 generated clients, CSV and
                     JSONL: wall time and peak RSS (docs/benchmarks.md)
  peers [--profiles N] [--rounds N]
                     butie, GoRules zen-engine 2.1 (JDM) and json-rules-engine 7
                     on Putuo's money clauses for 10,000 generated profiles:
                     per-clause agreement checked, time per profile
                     (benches/peers/, its own workspace; not part of test/ci)
  examples           regenerate docs/examples/clients.xlsx from clients.csv
  setup [--dry-run]  what test/serve set up themselves: the wasm32 target,
                     rustfmt and clippy (rustup), Debian's Chromium (apt-get,
                     as root), the browser tests' npm packages


environment:
  BUTIE_CHROMIUM     Chromium binary for the browser tests (default /usr/bin/chromium)
  CI=true            a missing Chromium fails `test`/`ci` instead of skipping
  BUTIE_SETUP_DRY_RUN=1  print the set-up commands instead of running them";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<()> {
    let Some((command, rest)) = args.split_first() else {
        println!("{USAGE}");
        bail!("no command given");
    };
    match command.as_str() {
        "dist" => dist::dist_with(&dist::Build::parse(rest)?).map(|_| ()),
        "serve" => serve::serve(parse_port(rest)?),
        "test" => {
            no_more_args(command, rest)?;
            checks::test()
        }
        "ci" => {
            no_more_args(command, rest)?;
            checks::ci()
        }
        "measure" => measure::measure(rest),
        "bench-batch" => bench_batch::bench_batch(rest),
        "peers" => peers::peers(rest),
        "setup" => setup::setup(rest),
        "examples" => {
            no_more_args(command, rest)?;
            examples::examples()
        }
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => {
            eprintln!("{USAGE}");
            bail!("unknown command `{other}`")
        }
    }
}

fn no_more_args(command: &str, rest: &[String]) -> Result<()> {
    match rest.first() {
        None => Ok(()),
        Some(arg) => bail!("`{command}` takes no arguments, got `{arg}`"),
    }
}

/// Parses `[--port N]` / `[--port=N]` for `serve`.
fn parse_port(args: &[String]) -> Result<u16> {
    let mut port = serve::DEFAULT_PORT;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.strip_prefix("--port=") {
            Some(value) => value,
            None if arg == "--port" => args.next().context("`--port` needs a value")?,
            None => bail!("unknown argument `{arg}` for `serve` (expected `--port N`)"),
        };
        port = value
            .parse()
            .with_context(|| format!("`--port {value}` is not a port number (0-65535)"))?;
    }
    Ok(port)
}

#[cfg(test)]
mod tests {
    use super::parse_port;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn port_defaults_and_parses() {
        assert_eq!(parse_port(&[]).unwrap(), 8080);
        assert_eq!(parse_port(&args(&["--port", "9000"])).unwrap(), 9000);
        assert_eq!(parse_port(&args(&["--port=0"])).unwrap(), 0);
    }

    #[test]
    fn port_rejects_bad_input() {
        assert!(parse_port(&args(&["--port"])).is_err());
        assert!(parse_port(&args(&["--port", "x"])).is_err());
        assert!(parse_port(&args(&["--port", "70000"])).is_err());
        assert!(parse_port(&args(&["--verbose"])).is_err());
    }
}
