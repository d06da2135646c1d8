//! `cargo xtask test` and `cargo xtask ci`.
//!
//! `test` runs the native tests (`cargo test --workspace`), then builds
//! `dist/` and the fixture page (`target/dist-fixtures/`: the fictional
//! documents of `tests/fixtures/policies/` and of the example pack's folder
//! `examples/packs/hongkou/` bundled after the real ones) and
//! runs the browser tests in `tests/browser/` with headless Chromium through
//! playwright-core (`node tests/browser/run.mjs`).
//! Without Chromium the browser tests are skipped with a notice, except
//! under `CI=true`, where that is an error.
//!
//! After building `dist/`, what the page's first results need is checked against its size
//! budget (`measure::FIRST_RESULTS_BUDGET`, gzip -9): over it, `test` and `ci` fail.
//!
//! `ci` adds `cargo fmt --check` and clippy with `-D warnings` (for the whole
//! workspace natively, and for the front end on wasm32 too) before `test`.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Result, bail};

use crate::setup::{self, Browser};
use crate::{dist, util};

/// Format check, lints, then [`test()`].
pub fn ci() -> Result<()> {
    let mut machine = setup::Machine::from_env();
    setup::lint_tools(&mut machine)?;
    setup::wasm_target(&mut machine)?;
    util::run(util::cargo().args(["fmt", "--all", "--check"]))?;
    util::run(util::cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The front end's wasm-only code paths are linted on their real target too,
    // with the default features and as each shipped build (page, widget, studio) is cut.
    for features in [
        None,
        Some(dist::PAGE_FEATURES),
        Some(dist::WIDGET_FEATURES),
        Some(dist::STUDIO_FEATURES),
    ] {
        let mut cmd = util::cargo();
        cmd.args([
            "clippy",
            "--package",
            "butie-www",
            "--target",
            "wasm32-unknown-unknown",
        ]);
        if let Some(features) = features {
            cmd.args(["--no-default-features", "--features", features]);
        }
        util::run(cmd.args(["--", "-D", "warnings"]))?;
    }
    test()
}

/// Native tests, then the browser tests.
pub fn test() -> Result<()> {
    util::run(util::cargo().args(["test", "--workspace"]))?;
    browser_tests()
}

/// The fictional policy files the fixture page is built with (the successor of 普陀's
/// document, and the example pack's fifth district as plain policy files), and where it goes.
const FIXTURE_POLICIES: [&str; 2] = ["tests/fixtures/policies", "examples/packs/hongkou"];
const FIXTURE_DIST: &str = "target/dist-fixtures";

fn browser_tests() -> Result<()> {
    let built = dist::dist()?;
    crate::measure::check_first_results(&built.single_file)?;
    // The fixtures through the same path as the real files: build script → bundle → page.
    let root = util::root();
    dist::dist_with(&dist::Build {
        extra_policies: FIXTURE_POLICIES.iter().map(|d| root.join(d)).collect(),
        out: Some(root.join(FIXTURE_DIST)),
        ..dist::Build::default()
    })?;

    let mut machine = setup::Machine::from_env();
    let configured = std::env::var_os("BUTIE_CHROMIUM")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let chromium = match setup::chromium(&mut machine, configured)? {
        Browser::Ready(path) => path,
        Browser::Missing { install } if util::is_ci() => {
            bail!("browser tests cannot run under CI=true: Chromium is missing ({install})")
        }
        Browser::Missing { install } => {
            println!();
            println!("browser tests SKIPPED: Chromium is missing. Install it with:");
            println!("  {install}");
            println!(
                "  (or set BUTIE_CHROMIUM to another Chromium binary), then run `cargo xtask test` again"
            );
            return Ok(());
        }
    };

    let browser_dir = util::root().join("tests").join("browser");
    setup::npm_packages(&mut machine, &browser_dir)?;
    util::run(
        Command::new("node")
            .arg(browser_dir.join("run.mjs"))
            .current_dir(util::root())
            .env("BUTIE_CHROMIUM", &chromium)
            .env("BUTIE_FIXTURE_DIST", root.join(FIXTURE_DIST)),
    )
}
