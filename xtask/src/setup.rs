//! What the README's two commands need on a fresh machine, set up by them: the wasm32 target
//! (and rustfmt/clippy for `ci`) through rustup, Debian's Chromium with its driver and a CJK
//! font through apt-get (as root; otherwise the one command to run is printed), and the
//! browser tests' npm packages (`npm ci`, when `node_modules` is missing or stale).
//!
//! `rust-toolchain.toml` names the same target and components, so `rustup toolchain install`
//! brings them too; rustup does not add them to a toolchain that is already installed, which
//! is why this module checks.
//!
//! Every check and command goes through [`Host`], so the decisions are unit-tested with a fake
//! machine; `cargo xtask setup --dry-run` (or `BUTIE_SETUP_DRY_RUN=1`) prints what would run.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::util;

/// The target the front end is built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The Debian packages of the browser tests (as `.ci/run` installs them).
pub const CHROMIUM_PACKAGES: [&str; 3] = ["chromium", "chromium-driver", "fonts-wqy-microhei"];
/// Chromium used when `BUTIE_CHROMIUM` is not set.
pub const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// The machine as setup sees it.
pub trait Host {
    /// Whether the Rust standard library for `target` is installed.
    fn has_target(&self, target: &str) -> bool;
    /// Whether `cargo <tool> --version` works (rustfmt: `fmt`, clippy: `clippy`).
    fn has_cargo_tool(&self, tool: &str) -> bool;
    /// Whether `program` is on the PATH.
    fn has_program(&self, program: &str) -> bool;
    /// Whether `path` is a file.
    fn is_file(&self, path: &Path) -> bool;
    /// Whether we run as root.
    fn is_root(&self) -> bool;
    /// Whether `dir/node_modules` is missing or older than `dir/package-lock.json`.
    fn node_modules_stale(&self, dir: &Path) -> bool;
    /// Runs a command (program, arguments, working directory, environment).
    fn run(&mut self, step: &Step) -> Result<()>;
}

/// A command setup runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub program: String,
    pub args: Vec<String>,
    pub dir: Option<PathBuf>,
    pub env: Vec<(String, String)>,
}

impl Step {
    fn new(program: &str, args: &[&str]) -> Step {
        Step {
            program: program.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
            dir: None,
            env: Vec::new(),
        }
    }

    fn shown(&self) -> String {
        std::iter::once(self.program.as_str())
            .chain(self.args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Makes sure the wasm32 target is installed (rustup), or says how.
pub fn wasm_target(host: &mut dyn Host) -> Result<()> {
    if host.has_target(WASM_TARGET) {
        return Ok(());
    }
    if !host.has_program("rustup") {
        bail!(
            "the Rust standard library for {WASM_TARGET} is missing and there is no rustup to add it; \
             install it for your Rust toolchain (with rustup: `rustup target add {WASM_TARGET}`)"
        );
    }
    println!("setup: the {WASM_TARGET} target is missing; adding it");
    host.run(&Step::new("rustup", &["target", "add", WASM_TARGET]))
}

/// Makes sure rustfmt and clippy are installed (for `ci`).
pub fn lint_tools(host: &mut dyn Host) -> Result<()> {
    let missing: Vec<&str> = [("fmt", "rustfmt"), ("clippy", "clippy")]
        .into_iter()
        .filter(|(tool, _)| !host.has_cargo_tool(tool))
        .map(|(_, component)| component)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !host.has_program("rustup") {
        bail!(
            "{} missing and no rustup to add them",
            missing.join(" and ")
        );
    }
    println!("setup: adding {}", missing.join(", "));
    let mut args = vec!["component", "add"];
    args.extend(&missing);
    host.run(&Step::new("rustup", &args))
}

/// What to do about Chromium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Browser {
    /// Run the browser tests with this binary.
    Ready(PathBuf),
    /// Chromium is missing and cannot be installed from here: the command to run.
    Missing { install: String },
}

/// Finds Chromium (`chromium` as `BUTIE_CHROMIUM` or the default path); when it is missing,
/// installs Debian's packages with apt-get if we run as root, else returns the command.
pub fn chromium(host: &mut dyn Host, configured: Option<PathBuf>) -> Result<Browser> {
    let explicit = configured.is_some();
    let path = configured.unwrap_or_else(|| PathBuf::from(DEFAULT_CHROMIUM));
    if host.is_file(&path) {
        return Ok(Browser::Ready(path));
    }
    let packages = CHROMIUM_PACKAGES.join(" ");
    let install = format!("sudo apt-get install -y {packages}");
    if explicit {
        bail!(
            "BUTIE_CHROMIUM names {}, which is not a file",
            path.display()
        );
    }
    if !host.has_program("apt-get") {
        return Ok(Browser::Missing {
            install: format!("install Chromium (Debian: `{install}`), or set BUTIE_CHROMIUM"),
        });
    }
    if !host.is_root() {
        return Ok(Browser::Missing { install });
    }
    println!("setup: Chromium is missing; installing Debian's {packages}");
    host.run(&Step::new("apt-get", &["update"]))?;
    let mut args = vec!["install", "-y"];
    args.extend(CHROMIUM_PACKAGES);
    let mut step = Step::new("apt-get", &args);
    step.env
        .push(("DEBIAN_FRONTEND".to_string(), "noninteractive".to_string()));
    host.run(&step)?;
    if host.is_file(&path) {
        Ok(Browser::Ready(path))
    } else {
        bail!(
            "apt-get installed {packages}, but {} is still missing",
            path.display()
        )
    }
}

/// Installs the browser tests' npm packages when `node_modules` is missing or stale.
pub fn npm_packages(host: &mut dyn Host, dir: &Path) -> Result<()> {
    if !host.has_program("npm") {
        bail!(
            "the browser tests need Node.js 20 or later with npm (https://nodejs.org or your package manager)"
        );
    }
    if !host.node_modules_stale(dir) {
        return Ok(());
    }
    let mut step = Step::new("npm", &["ci", "--no-audit", "--no-fund"]);
    step.dir = Some(dir.to_path_buf());
    // playwright-core downloads nothing, but make sure no browser is fetched.
    step.env.push((
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD".to_string(),
        "1".to_string(),
    ));
    host.run(&step)
}

/// The real machine (`dry_run`: print the commands instead of running them).
pub struct Machine {
    pub dry_run: bool,
}

impl Machine {
    /// From the environment: `BUTIE_SETUP_DRY_RUN=1` prints instead of running.
    pub fn from_env() -> Machine {
        Machine {
            dry_run: std::env::var("BUTIE_SETUP_DRY_RUN").is_ok_and(|v| v == "1"),
        }
    }
}

impl Host for Machine {
    fn has_target(&self, target: &str) -> bool {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let Ok(out) = Command::new(rustc)
            .args(["--print", "sysroot"])
            .current_dir(util::root())
            .output()
        else {
            return false;
        };
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        let lib = sysroot.join("lib").join("rustlib").join(target).join("lib");
        std::fs::read_dir(lib).is_ok_and(|mut d| d.next().is_some())
    }

    fn has_cargo_tool(&self, tool: &str) -> bool {
        util::cargo()
            .args([tool, "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    fn has_program(&self, program: &str) -> bool {
        std::env::var_os("PATH").is_some_and(|paths| {
            std::env::split_paths(&paths).any(|dir| dir.join(program).is_file())
        })
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn is_root(&self) -> bool {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
    }

    fn node_modules_stale(&self, dir: &Path) -> bool {
        let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        match (
            modified(dir.join("node_modules").join(".package-lock.json")),
            modified(dir.join("package-lock.json")),
        ) {
            (Some(installed), Some(lock)) => installed < lock,
            _ => true,
        }
    }

    fn run(&mut self, step: &Step) -> Result<()> {
        if self.dry_run {
            println!("setup (dry run): would run `{}`", step.shown());
            return Ok(());
        }
        let mut command = Command::new(&step.program);
        command.args(&step.args);
        if let Some(dir) = &step.dir {
            command.current_dir(dir);
        }
        for (k, v) in &step.env {
            command.env(k, v);
        }
        util::run(&mut command).with_context(|| format!("setup step `{}`", step.shown()))
    }
}

/// `cargo xtask setup [--dry-run]`: everything the two README commands set up, at once.
pub fn setup(args: &[String]) -> Result<()> {
    let mut machine = Machine::from_env();
    for arg in args {
        match arg.as_str() {
            "--dry-run" => machine.dry_run = true,
            other => bail!("unknown argument `{other}` for `setup` (expected --dry-run)"),
        }
    }
    wasm_target(&mut machine)?;
    lint_tools(&mut machine)?;
    let configured = std::env::var_os("BUTIE_CHROMIUM")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    match chromium(&mut machine, configured)? {
        Browser::Ready(path) => println!("setup: Chromium at {}", path.display()),
        Browser::Missing { install } => println!("setup: Chromium missing; run: {install}"),
    }
    npm_packages(&mut machine, &util::root().join("tests").join("browser"))?;
    println!("setup: done");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A machine described by its answers; records the commands it is asked to run, and
    /// applies their effect (an added target, installed packages).
    #[derive(Default)]
    struct Fake {
        targets: Vec<String>,
        tools: Vec<String>,
        programs: Vec<String>,
        files: Vec<PathBuf>,
        root: bool,
        stale: bool,
        ran: Vec<String>,
    }

    impl Host for Fake {
        fn has_target(&self, t: &str) -> bool {
            self.targets.iter().any(|x| x == t)
        }
        fn has_cargo_tool(&self, t: &str) -> bool {
            self.tools.iter().any(|x| x == t)
        }
        fn has_program(&self, p: &str) -> bool {
            self.programs.iter().any(|x| x == p)
        }
        fn is_file(&self, p: &Path) -> bool {
            self.files.iter().any(|x| x == p)
        }
        fn is_root(&self) -> bool {
            self.root
        }
        fn node_modules_stale(&self, _: &Path) -> bool {
            self.stale
        }
        fn run(&mut self, step: &Step) -> Result<()> {
            let shown = step.shown();
            if shown == "rustup target add wasm32-unknown-unknown" {
                self.targets.push(WASM_TARGET.into());
            }
            if shown.starts_with("apt-get install") {
                self.files.push(DEFAULT_CHROMIUM.into());
            }
            if shown.starts_with("npm ci") {
                self.stale = false;
            }
            let env: Vec<String> = step.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
            self.ran.push(format!(
                "{}{shown}",
                env.iter().map(|e| format!("{e} ")).collect::<String>()
            ));
            Ok(())
        }
    }

    fn programs(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn the_wasm_target_is_added_by_rustup_when_missing() {
        let mut fresh = Fake {
            programs: programs(&["rustup"]),
            ..Fake::default()
        };
        wasm_target(&mut fresh).unwrap();
        assert_eq!(fresh.ran, ["rustup target add wasm32-unknown-unknown"]);
        wasm_target(&mut fresh).unwrap();
        assert_eq!(fresh.ran.len(), 1, "nothing to do once it is there");
        let mut no_rustup = Fake::default();
        let e = wasm_target(&mut no_rustup).unwrap_err().to_string();
        assert!(
            e.contains("rustup target add wasm32-unknown-unknown"),
            "{e}"
        );
    }

    #[test]
    fn lint_tools_are_added_when_missing() {
        let mut m = Fake {
            programs: programs(&["rustup"]),
            tools: vec!["fmt".into()],
            ..Fake::default()
        };
        lint_tools(&mut m).unwrap();
        assert_eq!(m.ran, ["rustup component add clippy"]);
    }

    #[test]
    fn chromium_is_installed_as_root_with_apt_get() {
        let mut root = Fake {
            programs: programs(&["apt-get"]),
            root: true,
            ..Fake::default()
        };
        assert_eq!(
            chromium(&mut root, None).unwrap(),
            Browser::Ready(DEFAULT_CHROMIUM.into())
        );
        assert_eq!(
            root.ran,
            [
                "apt-get update",
                "DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver fonts-wqy-microhei"
            ]
        );
    }

    #[test]
    fn without_root_the_one_command_is_given() {
        let mut user = Fake {
            programs: programs(&["apt-get"]),
            ..Fake::default()
        };
        assert_eq!(
            chromium(&mut user, None).unwrap(),
            Browser::Missing {
                install: "sudo apt-get install -y chromium chromium-driver fonts-wqy-microhei"
                    .into()
            }
        );
        assert!(user.ran.is_empty(), "nothing run without root");
        let mut present = Fake {
            files: vec![DEFAULT_CHROMIUM.into()],
            ..Fake::default()
        };
        assert_eq!(
            chromium(&mut present, None).unwrap(),
            Browser::Ready(DEFAULT_CHROMIUM.into())
        );
        assert!(chromium(&mut Fake::default(), Some("/nope/chrome".into())).is_err());
    }

    #[test]
    fn npm_ci_only_when_node_modules_is_stale() {
        let mut m = Fake {
            programs: programs(&["npm"]),
            stale: true,
            ..Fake::default()
        };
        npm_packages(&mut m, Path::new("/repo/tests/browser")).unwrap();
        npm_packages(&mut m, Path::new("/repo/tests/browser")).unwrap();
        assert_eq!(
            m.ran,
            ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund"]
        );
        assert!(npm_packages(&mut Fake::default(), Path::new("/x")).is_err());
    }

    /// The real machine, dry: PATH without rustup, apt-get or npm gives the instructions,
    /// not a crash.
    #[test]
    fn the_real_machine_reads_an_empty_path() {
        let m = Machine { dry_run: true };
        assert!(m.has_program("sh") || !Path::new("/bin/sh").is_file());
        assert!(!m.has_program("surely-not-a-program-butie"));
    }
}
