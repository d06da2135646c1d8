//! `cargo xtask test` and `cargo xtask ci`.
//!
//! `test` runs the native tests (`cargo test --workspace`), then builds
//! `dist/` and the fixture page (`target/dist-fixtures/`: the fictional
//! documents of `tests/fixtures/policies/` bundled after the real ones) and
//! runs the browser tests in `tests/browser/` with headless Chromium through
//! playwright-core (`node tests/browser/run.mjs`).
//! Without Chromium the browser tests are skipped with a notice, except
//! under `CI=true`, where that is an error.
//!
//! `ci` adds `cargo fmt --check` and clippy with `-D warnings` (for the whole
//! workspace natively, and for the front end on wasm32 too) before `test`.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Result, bail};

use crate::{dist, util};

/// Chromium used when `BUTIE_CHROMIUM` is not set.
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
const INSTALL_HINT: &str = "install: apt-get install -y chromium chromium-driver";

/// Format check, lints, then [`test()`].
pub fn ci() -> Result<()> {
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
    // with the default features and as each shipped build (page, widget) is cut.
    for features in [None, Some(dist::PAGE_FEATURES), Some(dist::WIDGET_FEATURES)] {
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

/// The fictional policy files the fixture page is built with, and where it goes.
const FIXTURE_POLICIES: &str = "tests/fixtures/policies";
const FIXTURE_DIST: &str = "target/dist-fixtures";

fn browser_tests() -> Result<()> {
    dist::dist()?;
    // The fixtures through the same path as the real files: build script → bundle → page.
    let root = util::root();
    dist::dist_with(&dist::Build {
        extra_policies: Some(root.join(FIXTURE_POLICIES)),
        out: Some(root.join(FIXTURE_DIST)),
    })?;

    let chromium = std::env::var_os("BUTIE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CHROMIUM));
    if !chromium.is_file() {
        if util::is_ci() {
            bail!(
                "browser tests cannot run under CI=true: chromium not found at {} ({INSTALL_HINT})",
                chromium.display()
            );
        }
        println!();
        println!("browser tests SKIPPED: chromium not found ({INSTALL_HINT})");
        println!(
            "  (looked for {}; set BUTIE_CHROMIUM to use another binary)",
            chromium.display()
        );
        return Ok(());
    }

    let browser_dir = util::root().join("tests").join("browser");
    let npm_command = if browser_dir.join("package-lock.json").is_file() {
        "ci"
    } else {
        "install"
    };
    util::run(
        Command::new("npm")
            .args([npm_command, "--no-audit", "--no-fund"])
            .current_dir(&browser_dir)
            // playwright-core downloads nothing, but make sure no browser is fetched.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )?;
    util::run(
        Command::new("node")
            .arg(browser_dir.join("run.mjs"))
            .current_dir(util::root())
            .env("BUTIE_CHROMIUM", &chromium)
            .env("BUTIE_FIXTURE_DIST", root.join(FIXTURE_DIST)),
    )
}
