//! `cargo xtask dist`: build the web front end into `dist/`.
//!
//! Steps: build `butie-www` for `wasm32-unknown-unknown` in release mode (twice:
//! [`PAGE_FEATURES`] for the pages, [`WIDGET_FEATURES`] for the widget), run
//! wasm-bindgen (as a library, `web` target, no name/producers sections),
//! then fill the page template `index.html` at the workspace root. The
//! template must contain the marker [`MARKER`] exactly once; it is replaced
//! by the script that loads the app.
//!
//! Output:
//! - `dist/index.html`, `dist/butie.js`, `dist/butie_bg.wasm`: the usual
//!   multi-file page (the module script fetches `butie_bg.wasm`).
//! - `dist/butie.html`: one self-contained file. The ES-module glue is
//!   inlined in a `<script type="module">` and the wasm is embedded
//!   deflate-compressed (by zopfli) and base64-encoded, inflated with the browser's
//!   `DecompressionStream` and instantiated asynchronously from bytes, so it
//!   works from `file://` and a browser's "Save page as" yields a working
//!   offline copy. (Compressing before base64 keeps the page small even when
//!   served gzipped: gzip cannot undo base64's expansion of raw wasm well.)
//!
//! - `dist/butie-widget.js`: the widget for consultants' sites, one classic
//!   script (no `type=module`): wasm-bindgen's `no-modules` glue of the widget's
//!   own build ([`WIDGET_FEATURES`]: the JS API, not the page's consultant tools),
//!   without the start hook (so it never touches the host page's `#app`), wrapped in one function scope with the wasm
//!   (deflated, base64) and the element/API runtime `www/widget/widget.js`.
//!   It defines `<butie-calculator>` and `window.butie`; no eval, nothing inline
//!   needed on the host page.
//! - `dist/butie-widget-extras.js`: the widget's second module (the batch crate `www/batch`,
//!   which reads, checks and adds policy packs), a classic script with its wasm inside;
//!   `butie-widget.js` adds it to the host page only the first time a pack is given, so the
//!   widget itself carries no pack loader.
//! - `dist/embed.html`: the iframe page, self-contained (the widget script
//!   inlined into `www/widget/embed.html`), options from the URL fragment.
//! - `dist/butie-embed-host.js`: the host page's helper that resizes the iframe
//!   (`www/widget/embed-host.js`, copied).
//! - `dist/butie-studio.html`: the authoring page for policy packs, one self-contained file
//!   like `butie.html` from its own template (`www/studio/index.html`) and its own wasm build
//!   ([`STUDIO_FEATURES`]: the policy compiler, the TOML and YAML readers, the quote check),
//!   which the calculator pages never carry.
//! - `examples/*` copied as they are (the sample host pages, served next to the
//!   widget by `cargo xtask serve` and used by the browser tests).
//!
//! `--extra-policies DIR --out OUT` (repeatable `--extra-policies`) builds the pages only (no
//! widget, no authoring page), with each `DIR`'s policy files (test fixtures, or a pack's folder,
//! whose `facts.toml` adds to the catalogue) bundled after `policies/` by the same build scripts,
//! through `BUTIE_EXTRA_POLICIES`, in a separate cargo target directory (`target/fixtures`) so
//! the real build stays valid; `cargo xtask test` builds `target/dist-fixtures` this way for the
//! browser tests of documents over time and of the fictional fifth district.
//!
//! Every generated page carries a Content-Security-Policy `<meta>` (`csp.rs`): its own
//! inline scripts by hash, `'wasm-unsafe-eval'`, and no network (`connect-src` only for the
//! multi-file page's own origin), so the browser itself keeps everything on the machine.
//!
//! Both pages expose the wasm exports listed in [`PAGE_EXPORTS`] (the in-page
//! benchmark) as `globalThis.butie`, for `cargo xtask measure`.
//!
//! The wasm is built with `opt-level = "z"` (through the environment, so the
//! native release profile is untouched): it is smaller than `"s"` and the rule
//! core stays well within its time budget (see docs/performance.md).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use base64::Engine as _;
use wasm_bindgen_cli_support::Bindgen;

use crate::{csp, util};

/// The comment in `index.html` replaced by the app's loader script.
pub const MARKER: &str = "<!-- butie:script -->";
/// The front end: Cargo package and library target name.
const FRONT_END: Crate = Crate {
    package: "butie-www",
    lib: "butie_www",
};
/// The page's batch module (`www/batch`), loaded when the batch view opens.
const BATCH_MODULE: Crate = Crate {
    package: "butie-www-batch",
    lib: "butie_www_batch",
};
/// Base name of the batch module's files: `butie-batch.js`, `butie-batch_bg.wasm`.
pub const BATCH_STEM: &str = "butie-batch";
/// The comments around the batch module's loader and data in the single file: what the
/// first results do not need (`cargo xtask measure` weighs the page without it).
pub const BATCH_BEGIN: &str = "<!-- butie:batch -->";
pub const BATCH_END: &str = "<!-- /butie:batch -->";
/// The id of the element holding the batch module's deflated, base64-encoded wasm.
const BATCH_DATA_ID: &str = "butie-batch-wasm";

/// A crate built to wasm.
#[derive(Clone, Copy)]
struct Crate {
    package: &'static str,
    lib: &'static str,
}
/// Base name of the generated files: `butie.js`, `butie_bg.wasm`, `butie.html`.
const STEM: &str = "butie";
/// Name of the init function in wasm-bindgen's `web` glue (its default export).
const INIT_FN: &str = "__wbg_init";
/// Wasm exports the pages put on `globalThis.butie` (used by `cargo xtask measure`).
pub const PAGE_EXPORTS: &[&str] = &["bench_evaluate"];
/// Optimisation level of the wasm build (smallest code).
const WASM_OPT_LEVEL: &str = "z";
/// The widget script, the iframe page and its host helper in `dist/`.
pub const WIDGET_FILE: &str = "butie-widget.js";
pub const EMBED_FILE: &str = "embed.html";
/// The widget's second module (policy packs), beside [`WIDGET_FILE`] (`www/widget/widget.js`
/// names it too).
pub const WIDGET_EXTRAS_FILE: &str = "butie-widget-extras.js";
pub const EMBED_HOST_FILE: &str = "butie-embed-host.js";
/// The authoring page in `dist/` and its template.
pub const STUDIO_FILE: &str = "butie-studio.html";
const STUDIO_TEMPLATE: &str = "www/studio/index.html";
/// The comment in `www/widget/embed.html` replaced by the inlined widget script.
const WIDGET_MARKER: &str = "<!-- butie:widget -->";
/// How wasm-bindgen's `no-modules` glue starts: it defines `wasm_bindgen`.
const NO_MODULES_HEAD: &str = "let wasm_bindgen = (function(exports) {";
/// Extensions of the files copied from `examples/`.
const EXAMPLE_EXTENSIONS: &[&str] = &["html", "css", "js", "csv", "jsonl"];

/// Which wasm-bindgen output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Glue {
    /// ES module (`web` target) for the pages, with the start hook.
    Web,
    /// Classic script (`no-modules` target) for the widget, without the start hook.
    Widget,
    /// Classic script (`no-modules` target) for the batch module, wrapped in a loader.
    Batch,
}

/// Paths of what `dist` produced.
pub struct Dist {
    /// The `dist/` directory.
    pub dir: PathBuf,
    /// The self-contained page, `dist/butie.html`.
    pub single_file: PathBuf,
    /// The wasm cargo built, before wasm-bindgen (it still has its name section).
    pub cargo_wasm: PathBuf,
    /// The widget script, `dist/butie-widget.js` (not built for a fixture page).
    pub widget: Option<PathBuf>,
}

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct Build {
    /// Directories of extra policy files (test fixtures, a pack's folder) built into the
    /// bundle after `policies/` (through `BUTIE_EXTRA_POLICIES`, as the build scripts read it). Such a build
    /// makes the pages only, in its own cargo target directory ([`FIXTURE_TARGET_DIR`]), so
    /// the real build stays valid.
    pub extra_policies: Vec<PathBuf>,
    /// The output directory (default `dist/`).
    pub out: Option<PathBuf>,
    /// The pages also carry the in-page benchmark ([`BENCH_FEATURE`], exported as
    /// [`PAGE_EXPORTS`]) for `cargo xtask measure`. Shipped pages never do.
    pub bench: bool,
}

/// The cargo target directory of builds with extra policies, under the workspace's `target/`.
pub const FIXTURE_TARGET_DIR: &str = "fixtures";

impl Build {
    /// Reads `[--extra-policies DIR] [--out DIR]` (relative paths from the workspace root).
    pub fn parse(args: &[String]) -> Result<Build> {
        let root = util::root();
        let mut build = Build::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| -> Result<PathBuf> {
                let v = args
                    .next()
                    .with_context(|| format!("`{name}` needs a directory"))?;
                Ok(root.join(v))
            };
            match arg.as_str() {
                "--extra-policies" => build.extra_policies.push(value(arg)?),
                "--out" => build.out = Some(value(arg)?),
                other => bail!(
                    "unknown argument `{other}` for `dist` (expected --extra-policies DIR, --out DIR)"
                ),
            }
        }
        for dir in &build.extra_policies {
            ensure!(
                dir.is_dir(),
                "--extra-policies: {} is not a directory",
                dir.display()
            );
        }
        Ok(build)
    }
}

/// Builds everything into `dist/` and prints sizes and timings.
pub fn dist() -> Result<Dist> {
    dist_with(&Build::default())
}

/// Builds what `build` asks for and prints sizes and timings.
pub fn dist_with(build: &Build) -> Result<Dist> {
    crate::setup::wasm_target(&mut crate::setup::Machine::from_env())?;
    let root = util::root();
    let template_path = root.join("index.html");
    let template = std::fs::read_to_string(&template_path)
        .with_context(|| format!("cannot read the page template {}", template_path.display()))?;
    let with_widget = build.extra_policies.is_empty();

    // Two builds of the same crate: the page (with the consultant tools: batch, embed panel)
    // and the widget / iframe page (with the JS API), each without the other's code.
    let started = Instant::now();
    let page_features = if build.bench {
        format!("{PAGE_FEATURES},{BENCH_FEATURE}")
    } else {
        PAGE_FEATURES.to_string()
    };
    let wasm_path = build_wasm(FRONT_END, Some(&page_features), "page", build)?;
    // The widget and the authoring page: not in a build with extra (test) policies.
    let widget_wasm_path = with_widget
        .then(|| build_wasm(FRONT_END, Some(WIDGET_FEATURES), "widget", build))
        .transpose()?;
    let studio_wasm_path = with_widget
        .then(|| build_wasm(FRONT_END, Some(STUDIO_FEATURES), "studio", build))
        .transpose()?;
    let batch_wasm_path = build_wasm(BATCH_MODULE, None, "batch", build)?;
    let build_time = started.elapsed();

    let started = Instant::now();
    let scratch = wasm_path.with_file_name("xtask-bindgen");
    let (glue, wasm) = bindgen(&wasm_path, &scratch, Glue::Web, STEM)?;
    let widget_scratch = wasm_path.with_file_name("xtask-bindgen-widget");
    let widget_built = widget_wasm_path
        .map(|path| bindgen(&path, &widget_scratch, Glue::Widget, STEM))
        .transpose()?;
    let studio_scratch = wasm_path.with_file_name("xtask-bindgen-studio");
    let studio_built = studio_wasm_path
        .map(|path| bindgen(&path, &studio_scratch, Glue::Web, STEM))
        .transpose()?;
    let batch_scratch = wasm_path.with_file_name("xtask-bindgen-batch");
    let (batch_glue, batch_wasm) =
        bindgen(&batch_wasm_path, &batch_scratch, Glue::Batch, BATCH_STEM)?;
    let bindgen_time = started.elapsed();

    let wasm_file = format!("{STEM}_bg.wasm");
    let js_file = format!("{STEM}.js");
    let batch_wasm_file = format!("{BATCH_STEM}_bg.wasm");
    let batch_js_file = format!("{BATCH_STEM}.js");
    let batch_loader = batch_loader(&batch_glue, BatchWasm::File(&batch_wasm_file))?;
    let index = inject(
        &template,
        &format!(
            "{}\n<script src=\"./{batch_js_file}\"></script>",
            multi_file_script(&js_file, &wasm_file, &glue)?
        ),
    )
    .and_then(|page| csp::with_policy(&page, csp::Reach::SameOrigin))
    .with_context(|| format!("in {}", template_path.display()))?;
    let started = Instant::now();
    let mut wasms: Vec<&[u8]> = vec![&wasm, &batch_wasm];
    wasms.extend(widget_built.iter().map(|(_, w)| w.as_slice()));
    wasms.extend(studio_built.iter().map(|(_, w)| w.as_slice()));
    let mut deflated = deflate_all(&wasms)?.into_iter();
    let mut next = || deflated.next().context("deflate lost a module");
    let (packed, batch_packed) = (next()?, next()?);
    let widget_packed = widget_built.as_ref().map(|_| next()).transpose()?;
    let studio_packed = studio_built.as_ref().map(|_| next()).transpose()?;
    let deflate_time = started.elapsed();
    let single = inject(
        &template,
        &format!(
            "{}\n{}",
            single_file_script(&glue, &packed)?,
            batch_block(&batch_glue, &batch_packed)?
        ),
    )
    .and_then(|page| csp::with_policy(&page, csp::Reach::Nothing))
    .with_context(|| format!("in {}", template_path.display()))?;
    let mut extra_files: Vec<(String, String)> = Vec::new();
    if let (Some((studio_glue, _)), Some(studio_packed)) = (&studio_built, &studio_packed) {
        let studio_template_path = root.join(STUDIO_TEMPLATE);
        let studio_template = std::fs::read_to_string(&studio_template_path)
            .with_context(|| format!("cannot read {}", studio_template_path.display()))?;
        let studio = inject(
            &studio_template,
            &single_file_script(studio_glue, studio_packed)?,
        )
        .and_then(|page| csp::with_policy(&page, csp::Reach::Nothing))
        .with_context(|| format!("in {STUDIO_TEMPLATE}"))?;
        extra_files.push((STUDIO_FILE.to_string(), studio));
    }

    let widget_dir = root.join("www").join("widget");
    let read = |name: &str| {
        let path = widget_dir.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    if let (Some((widget_glue, _)), Some(widget_packed)) = (&widget_built, &widget_packed) {
        let widget = widget_script(widget_glue, widget_packed, &read("widget.js")?)?;
        ensure!(
            widget.contains(&format!("\"{WIDGET_EXTRAS_FILE}\"")),
            "www/widget/widget.js does not name {WIDGET_EXTRAS_FILE}"
        );
        let extras = widget_extras(&batch_glue, &batch_packed)?;
        let embed = embed_page(&read("embed.html")?, &widget)
            .and_then(|page| csp::with_policy(&page, csp::Reach::Nothing))
            .context("in www/widget/embed.html")?;
        extra_files.extend([
            (WIDGET_FILE.to_string(), widget),
            (WIDGET_EXTRAS_FILE.to_string(), extras),
            (EMBED_FILE.to_string(), embed),
            (EMBED_HOST_FILE.to_string(), read("embed-host.js")?),
        ]);
    }
    let examples = match with_widget {
        true => example_files(&root.join("examples"))?,
        false => Vec::new(),
    };

    let dir = build.out.clone().unwrap_or_else(|| root.join("dist"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .with_context(|| format!("cannot remove the old {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let single_file = dir.join(format!("{STEM}.html"));
    let widget_path = with_widget.then(|| dir.join(WIDGET_FILE));
    let mut generated: Vec<(String, &[u8])> = vec![
        ("index.html".to_string(), index.as_bytes()),
        (js_file.clone(), glue.as_bytes()),
        (wasm_file.clone(), wasm.as_slice()),
        (batch_js_file.clone(), batch_loader.as_bytes()),
        (batch_wasm_file.clone(), batch_wasm.as_slice()),
        (format!("{STEM}.html"), single.as_bytes()),
    ];
    generated.extend(extra_files.iter().map(|(n, t)| (n.clone(), t.as_bytes())));
    for (name, _) in &examples {
        ensure!(
            !generated.iter().any(|(g, _)| g == name),
            "examples/{name} would overwrite the generated dist/{name}; rename it"
        );
    }
    for (name, bytes) in generated
        .iter()
        .map(|(n, b)| (n.as_str(), *b))
        .chain(examples.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
    {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }

    println!();
    println!("dist: {}", dir.display());
    println!(
        "  cargo build {}, wasm-bindgen {}, deflate (zopfli) {}",
        seconds(build_time),
        seconds(bindgen_time),
        seconds(deflate_time)
    );
    for extra in &build.extra_policies {
        println!("  with the extra policies of {}", extra.display());
    }
    for (name, bytes) in &generated {
        println!(
            "  {name:<20} {}   gzip {}",
            size(bytes.len()),
            size(crate::measure::gzip_len(bytes)?)
        );
    }
    if !examples.is_empty() {
        let names: Vec<&str> = examples.iter().map(|(n, _)| n.as_str()).collect();
        println!("  examples: {}", names.join(", "));
    }
    Ok(Dist {
        dir,
        single_file,
        cargo_wasm: wasm_path,
        widget: widget_path,
    })
}

/// The environment variable both build scripts read (`src/files.rs`).
const EXTRA_POLICIES_VAR: &str = "BUTIE_EXTRA_POLICIES";

/// Cargo features of the page's wasm (`butie.html`, `index.html`).
pub const PAGE_FEATURES: &str = "consultant-tools";
/// Cargo features of the widget's wasm (`butie-widget.js`, `embed.html`).
pub const WIDGET_FEATURES: &str = "js-api";
/// Cargo features of the authoring page's wasm (`butie-studio.html`).
pub const STUDIO_FEATURES: &str = "studio";
/// The cargo feature of the in-page benchmark (only `cargo xtask measure` builds it).
pub const BENCH_FEATURE: &str = "bench";

/// Runs `cargo build` for `krate` (with `features` only, when given) and returns a copy of
/// the `.wasm` it wrote, named after `tag` (the next build overwrites cargo's own file).
fn build_wasm(krate: Crate, features: Option<&str>, tag: &str, build: &Build) -> Result<PathBuf> {
    let mut command = util::cargo();
    if !build.extra_policies.is_empty() {
        let dirs = std::env::join_paths(&build.extra_policies)
            .context("--extra-policies: a directory name holds the path separator")?;
        command.env(EXTRA_POLICIES_VAR, dirs).env(
            "CARGO_TARGET_DIR",
            util::root().join("target").join(FIXTURE_TARGET_DIR),
        );
    } else {
        // An extra directory set in the environment would end up in the real pages.
        command.env_remove(EXTRA_POLICIES_VAR);
    }
    command.args([
        "build",
        "--package",
        krate.package,
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "--message-format=json-render-diagnostics",
    ]);
    if let Some(features) = features {
        command.args(["--no-default-features", "--features", features]);
    }
    command.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", WASM_OPT_LEVEL);
    let shown = util::display(&command);
    println!("$ {shown}");
    let output = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !output.status.success() {
        bail!("`{shown}` failed ({})", output.status);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let built = find_wasm_artifact(&stdout, krate.lib)
        .with_context(|| format!("`{shown}` reported no .wasm file for {}", krate.package))?;
    let copy = built.with_file_name(format!("xtask-{tag}.wasm"));
    std::fs::copy(&built, &copy)
        .with_context(|| format!("cannot copy {} to {}", built.display(), copy.display()))?;
    Ok(copy)
}

/// Finds the `.wasm` produced for the library `lib` in cargo's JSON messages.
fn find_wasm_artifact(messages: &str, lib: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact" && message["target"]["name"] == lib
        })
        .flat_map(|message| match &message["filenames"] {
            serde_json::Value::Array(names) => names.clone(),
            _ => Vec::new(),
        })
        .filter_map(|name| name.as_str().map(PathBuf::from))
        .find(|path| path.extension().is_some_and(|ext| ext == "wasm"))
}

/// Runs wasm-bindgen into `scratch` and returns the JS glue and final wasm (`stem.js`,
/// `stem_bg.wasm`).
fn bindgen(wasm_path: &Path, scratch: &Path, glue: Glue, stem: &str) -> Result<(String, Vec<u8>)> {
    let mut bindgen = Bindgen::new();
    match glue {
        Glue::Web => bindgen.web(true)?,
        // The widget never runs the start hook: it mounts where the element is.
        Glue::Widget | Glue::Batch => bindgen.no_modules(true)?.emit_start(false),
    };
    bindgen
        .input_path(wasm_path)
        .out_name(stem)
        .typescript(false)
        .keep_debug(false)
        .demangle(false)
        .remove_name_section(true)
        .remove_producers_section(true);
    let mut output = bindgen
        .generate_output()
        .with_context(|| format!("wasm-bindgen failed on {}", wasm_path.display()))?;
    let has_snippets = output.snippets().values().any(|list| !list.is_empty());
    ensure!(
        !has_snippets && output.local_modules().is_empty(),
        "the front end uses JS snippets (`#[wasm_bindgen(module = ...)]` or `inline_js`), \
         which dist/butie.html cannot inline yet"
    );
    if scratch.exists() {
        std::fs::remove_dir_all(scratch)
            .with_context(|| format!("cannot clean {}", scratch.display()))?;
    }
    output
        .emit(scratch)
        .with_context(|| format!("wasm-bindgen could not write to {}", scratch.display()))?;
    let js_path = scratch.join(format!("{stem}.js"));
    let glue = std::fs::read_to_string(&js_path)
        .with_context(|| format!("cannot read {}", js_path.display()))?;
    let wasm_path = scratch.join(format!("{stem}_bg.wasm"));
    let wasm = std::fs::read(&wasm_path)
        .with_context(|| format!("cannot read {}", wasm_path.display()))?;
    Ok((glue, wasm))
}

/// Replaces the single [`MARKER`] in `template` with `script`.
fn inject(template: &str, script: &str) -> Result<String> {
    match template.matches(MARKER).count() {
        1 => Ok(template.replacen(MARKER, script, 1)),
        0 => bail!("the page template has no `{MARKER}` marker where the script goes"),
        n => bail!("the page template has the `{MARKER}` marker {n} times; it needs exactly one"),
    }
}

/// The loader for the multi-file page. A classic script starts the wasm
/// download while the page is still parsing (in parallel with the glue, and
/// before the load event); the module script then instantiates it.
fn multi_file_script(js_file: &str, wasm_file: &str, glue: &str) -> Result<String> {
    let exports = page_exports(glue)?;
    let names = exports.join(", ");
    let import = if exports.is_empty() {
        String::new()
    } else {
        format!(", {{ {names} }}")
    };
    Ok(format!(
        "<script>globalThis.butieWasm = fetch(\"./{wasm_file}\");</script>\n\
         <script type=\"module\">\n\
         import init{import} from \"./{js_file}\";\n\
         await init({{ module_or_path: globalThis.butieWasm }});\n\
         {}</script>",
        expose(&names)
    ))
}

/// `globalThis.butie = { … };` for the exports, nothing without any.
fn expose(names: &str) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!("globalThis.butie = {{ {names} }};\n")
    }
}

/// The [`PAGE_EXPORTS`] the glue exports (none unless built with [`BENCH_FEATURE`]).
fn page_exports(glue: &str) -> Result<Vec<&'static str>> {
    Ok(PAGE_EXPORTS
        .iter()
        .copied()
        .filter(|name| glue.contains(&format!("export function {name}(")))
        .collect())
}

/// Zopfli iterations for the embedded wasm: 5 gives within 0.1 KiB of 15 in 60 % of the time.
const ZOPFLI_ITERATIONS: u64 = 5;

/// Raw deflate as `DecompressionStream("deflate-raw")` reads it, by zopfli: 4–5 % smaller than
/// zlib's best level (336 vs 352 KiB for the page's wasm) for a second or two of build time,
/// and inflated by the browser as fast as any deflate stream.
fn deflate(bytes: &[u8]) -> Result<Vec<u8>> {
    let options = zopfli::Options {
        iteration_count: std::num::NonZeroU64::new(ZOPFLI_ITERATIONS)
            .context("zopfli iterations")?,
        ..zopfli::Options::default()
    };
    let mut out = Vec::new();
    zopfli::compress(options, zopfli::Format::Deflate, bytes, &mut out)
        .context("deflate failed")?;
    Ok(out)
}

/// [`deflate`] of several wasm modules (page, widget, authoring page, batch module), one thread
/// each.
fn deflate_all(wasms: &[&[u8]]) -> Result<Vec<Vec<u8>>> {
    std::thread::scope(|scope| {
        let threads: Vec<_> = wasms
            .iter()
            .map(|w| scope.spawn(move || deflate(w)))
            .collect();
        threads
            .into_iter()
            .map(|t| {
                t.join()
                    .map_err(|_| anyhow::anyhow!("deflate thread panicked"))?
            })
            .collect()
    })
}

/// Where the batch loader finds the module's wasm.
enum BatchWasm<'a> {
    /// A file beside the page (the multi-file page).
    File(&'a str),
    /// The element [`BATCH_DATA_ID`], deflated and base64-encoded (the single file).
    Embedded,
    /// This deflated, base64-encoded text, in the loader itself (the widget's
    /// [`WIDGET_EXTRAS_FILE`]).
    Inline(&'a str),
}

/// The batch module's loader: defines `globalThis.butieBatch()`, which instantiates the module
/// on its first call (later calls share the promise; a failed load may be retried) and
/// resolves to its exports. The no-modules `glue` stays inside the function: nothing else
/// of it is global.
fn batch_loader(glue: &str, wasm: BatchWasm) -> Result<String> {
    ensure!(
        glue.matches(NO_MODULES_HEAD).count() == 1,
        "the batch module's glue does not start with `{NO_MODULES_HEAD}`; \
         did the wasm-bindgen version change?"
    );
    let lower = glue.to_ascii_lowercase();
    ensure!(
        !lower.contains("</script") && !lower.contains("<!--") && !glue.contains("import.meta"),
        "the batch module's glue cannot be inlined as a classic script"
    );
    let source = match wasm {
        BatchWasm::File(name) => format!("fetch(new URL(\"./{name}\", document.baseURI))"),
        BatchWasm::Embedded => inflate(&format!(
            "document.getElementById(\"{BATCH_DATA_ID}\").textContent.trim()"
        )),
        BatchWasm::Inline(encoded) => inflate(&format!("\"{encoded}\"")),
    };
    Ok(format!(
        "/* butie: the second module (client lists, Excel, policy packs), instantiated when \
         the batch view or a pack first needs it. */\n\
         globalThis.butieBatch = (() => {{\n\
         let loading;\n\
         return () => (loading ??= (async () => {{\n\
         {glue}\n\
         await wasm_bindgen({{ module_or_path: {source} }});\n\
         return wasm_bindgen;\n\
         }})().catch((error) => {{ loading = undefined; throw error; }}));\n\
         }})();\n"
    ))
}

/// JavaScript for a `Response` streaming the wasm inflated from `text` (an expression: the
/// deflated wasm in base64).
fn inflate(text: &str) -> String {
    format!(
        "(() => {{\n\
         \x20   const text = {text};\n\
         \x20   const packed = typeof Uint8Array.fromBase64 === \"function\"\n\
         \x20     ? Uint8Array.fromBase64(text)\n\
         \x20     : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));\n\
         \x20   return new Response(\n\
         \x20     new Blob([packed]).stream().pipeThrough(new DecompressionStream(\"deflate-raw\")),\n\
         \x20     {{ headers: {{ \"Content-Type\": \"application/wasm\" }} }},\n\
         \x20   );\n\
         \x20 }})()"
    )
}

/// The widget's second module, [`WIDGET_EXTRAS_FILE`]: the loader with the wasm (`packed`:
/// [`deflate`]d) inside; `butie-widget.js` adds it to the page the first time a pack is given.
fn widget_extras(glue: &str, packed: &[u8]) -> Result<String> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(packed);
    Ok(format!(
        "/*! butie widget: its second module (policy packs), loaded by butie-widget.js when a \
         pack is given. */\n{}",
        batch_loader(glue, BatchWasm::Inline(&encoded))?
    ))
}

/// The single file's batch module: its loader and its wasm (`packed`: [`deflate`]d) as a
/// data block the browser does not execute, between [`BATCH_BEGIN`] and [`BATCH_END`].
fn batch_block(glue: &str, packed: &[u8]) -> Result<String> {
    let loader = batch_loader(glue, BatchWasm::Embedded)?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(packed);
    Ok(format!(
        "{BATCH_BEGIN}\n<script>\n{loader}</script>\n\
         <script type=\"application/octet-stream\" id=\"{BATCH_DATA_ID}\">{encoded}</script>\n{BATCH_END}"
    ))
}

/// The loader for the self-contained page: the glue inlined, the wasm (`packed`: [`deflate`]d)
/// in base64.
fn single_file_script(glue: &str, packed: &[u8]) -> Result<String> {
    let lower = glue.to_ascii_lowercase();
    ensure!(
        !lower.contains("</script") && !lower.contains("<!--"),
        "the wasm-bindgen glue contains `</script` or `<!--` and cannot be inlined in HTML"
    );
    ensure!(
        glue.contains(INIT_FN),
        "the wasm-bindgen glue has no `{INIT_FN}` function; did the wasm-bindgen version change?"
    );
    let names = page_exports(glue)?.join(", ");
    let encoded = base64::engine::general_purpose::STANDARD.encode(packed);
    Ok(format!(
        "<script type=\"module\">\n\
         {glue}\n\
         // butie: the wasm module, deflated and embedded so this page needs no other file.\n\
         const butieWasmBase64 = \"{encoded}\";\n\
         const butieWasmPacked = typeof Uint8Array.fromBase64 === \"function\"\n\
         \x20 ? Uint8Array.fromBase64(butieWasmBase64)\n\
         \x20 : Uint8Array.from(atob(butieWasmBase64), (c) => c.charCodeAt(0));\n\
         // Inflated while it compiles: a Response with the wasm MIME type streams into the compiler.\n\
         const butieWasm = new Response(\n\
         \x20 new Blob([butieWasmPacked]).stream().pipeThrough(new DecompressionStream(\"deflate-raw\")),\n\
         \x20 {{ headers: {{ \"Content-Type\": \"application/wasm\" }} }},\n\
         );\n\
         await {INIT_FN}({{ module_or_path: butieWasm }});\n\
         {}</script>",
        expose(&names)
    ))
}

/// Whether `js` calls `eval` (an identifier `eval` followed by `(`).
fn calls_eval(js: &str) -> bool {
    js.match_indices("eval").any(|(at, _)| {
        let before = js.get(..at).and_then(|b| b.chars().next_back());
        let after = js.get(at + 4..).map(str::trim_start);
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
            && after.is_some_and(|a| a.starts_with('('))
    })
}

/// The widget: one classic script, everything in one function scope — the `no-modules`
/// glue (defines `wasm_bindgen`), the wasm (`packed`: [`deflate`]d, as `BUTIE_WASM` in base64)
/// and the runtime.
fn widget_script(glue: &str, packed: &[u8], runtime: &str) -> Result<String> {
    ensure!(
        glue.matches(NO_MODULES_HEAD).count() == 1,
        "the wasm-bindgen no-modules glue does not start with `{NO_MODULES_HEAD}`; \
         did the wasm-bindgen version change?"
    );
    for (what, js) in [("glue", glue), ("widget.js", runtime)] {
        ensure!(
            !js.contains("import.meta") && !js.lines().any(|l| l.starts_with("export ")),
            "the widget's {what} is an ES module (import.meta/export); it must be a classic script"
        );
        ensure!(
            !js.contains("new Function") && !calls_eval(js),
            "the widget's {what} uses eval or new Function, which a strict CSP forbids"
        );
        let lower = js.to_ascii_lowercase();
        ensure!(
            !lower.contains("</script") && !lower.contains("<!--"),
            "the widget's {what} contains `</script` or `<!--` and cannot be inlined in embed.html"
        );
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(packed);
    Ok(format!(
        "/*! butie widget: <butie-calculator> and window.butie (docs/embedding.md). The \
         calculator's WebAssembly is inside, deflated and base64-encoded; it computes in the \
         browser and sends nothing anywhere. */\n\
         (function () {{\n\
         \"use strict\";\n\
         if (typeof window === \"undefined\" || !window.customElements || \
         window.customElements.get(\"butie-calculator\")) return;\n\
         {glue}\n\
         const BUTIE_WASM = \"{encoded}\";\n\
         {runtime}\n\
         }})();\n"
    ))
}

/// The iframe page: the template with the widget script inlined at [`WIDGET_MARKER`].
fn embed_page(template: &str, widget: &str) -> Result<String> {
    match template.matches(WIDGET_MARKER).count() {
        1 => Ok(template.replacen(WIDGET_MARKER, &format!("<script>\n{widget}</script>"), 1)),
        n => bail!("www/widget/embed.html must contain `{WIDGET_MARKER}` exactly once (found {n})"),
    }
}

/// The files of `examples/` to copy into `dist/` (name, bytes), sorted; none if absent.
fn example_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXAMPLE_EXTENSIONS.contains(&e));
        if !path.is_file() || !wanted {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        out.push((name, bytes));
    }
    out.sort();
    Ok(out)
}

fn size(bytes: usize) -> String {
    format!("{bytes:>9} B = {:>7.1} KiB", kib(bytes))
}

/// Bytes to KiB, for display only (the cast's precision loss is irrelevant).
fn kib(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}

fn seconds(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inject_needs_exactly_one_marker() {
        let page = inject(
            "<body>\n<!-- butie:script -->\n</body>",
            "<script></script>",
        )
        .unwrap();
        assert_eq!(page, "<body>\n<script></script>\n</body>");
        assert!(inject("<body></body>", "x").is_err());
        assert!(inject("<!-- butie:script --><!-- butie:script -->", "x").is_err());
    }

    #[test]
    fn template_has_the_marker() {
        let template = std::fs::read_to_string(util::root().join("index.html")).unwrap();
        assert!(inject(&template, "x").is_ok());
    }

    #[test]
    fn single_file_script_embeds_and_inits() {
        let glue = "async function __wbg_init() {}\nexport function bench_evaluate(a) {}";
        let deflated = deflate(b"\0asm").unwrap();
        let script = single_file_script(glue, &deflated).unwrap();
        let packed = base64::engine::general_purpose::STANDARD.encode(&deflated);
        assert!(script.contains(&format!("\"{packed}\"")));
        let mut inflated = Vec::new();
        use std::io::Read as _;
        flate2::read::DeflateDecoder::new(deflated.as_slice())
            .read_to_end(&mut inflated)
            .unwrap();
        assert_eq!(inflated, b"\0asm");
        assert!(script.contains("new DecompressionStream(\"deflate-raw\")"));
        assert!(script.contains("await __wbg_init({ module_or_path: butieWasm });"));
        assert!(script.contains("\"Content-Type\": \"application/wasm\""));
        assert!(script.contains("globalThis.butie = { bench_evaluate };"));
        assert!(single_file_script("let s = '</script>'; __wbg_init", b"").is_err());
        assert!(single_file_script("no init here", b"").is_err());
        let plain = single_file_script("async function __wbg_init() {}", b"").unwrap();
        assert!(
            !plain.contains("globalThis.butie ="),
            "no benchmark, no export"
        );
    }

    #[test]
    fn multi_file_script_imports_the_exports() {
        let glue = "export function bench_evaluate(a) {}";
        let script = multi_file_script("butie.js", "butie_bg.wasm", glue).unwrap();
        assert!(script.contains("import init, { bench_evaluate } from \"./butie.js\";"));
        assert!(script.contains("globalThis.butie = { bench_evaluate };"));
    }

    #[test]
    fn widget_script_wraps_a_classic_script() {
        let glue = "let wasm_bindgen = (function(exports) {\n    return exports;\n})({});";
        let runtime = "customElements.define(\"butie-calculator\", class extends HTMLElement {});";
        let deflated = deflate(b"\0asm").unwrap();
        let script = widget_script(glue, &deflated, runtime).unwrap();
        assert!(script.starts_with("/*! butie widget"));
        assert!(script.contains("(function () {\n\"use strict\";"));
        assert!(script.contains(glue) && script.contains(runtime));
        let packed = base64::engine::general_purpose::STANDARD.encode(&deflated);
        assert!(script.contains(&format!("const BUTIE_WASM = \"{packed}\";")));
        assert!(script.trim_end().ends_with("})();"));
        assert!(
            widget_script("export function f() {}", b"", "").is_err(),
            "not no-modules"
        );
        let module = format!("{glue}\nconst u = import.meta.url;");
        assert!(widget_script(&module, b"", "").is_err());
        assert!(widget_script(glue, b"", "eval(\"1\")").is_err());
        assert!(widget_script(glue, b"", "x = new Function(\"a\")").is_err());
        assert!(widget_script(glue, b"", "s = '</script>'").is_err());
        assert!(widget_script(glue, b"", "api.evaluate(p); bench_evaluate(1)").is_ok());
        assert!(calls_eval("x; eval (s)") && !calls_eval("evaluate(x); o.eval(1); medieval(2)"));
    }

    #[test]
    fn the_batch_module_loads_on_demand() {
        let glue = "let wasm_bindgen = (function(exports) {\n    return exports;\n})({});";
        let deflated = deflate(b"\0asm").unwrap();
        let block = batch_block(glue, &deflated).unwrap();
        assert!(block.starts_with(BATCH_BEGIN) && block.ends_with(BATCH_END));
        let packed = base64::engine::general_purpose::STANDARD.encode(&deflated);
        assert!(block.contains(&format!(
            "<script type=\"application/octet-stream\" id=\"butie-batch-wasm\">{packed}</script>"
        )));
        assert!(block.contains("globalThis.butieBatch = (() => {"));
        assert!(block.contains("loading ??= (async () => {\nlet wasm_bindgen"));
        assert!(block.contains("new DecompressionStream(\"deflate-raw\")"));
        let multi = batch_loader(glue, BatchWasm::File("butie-batch_bg.wasm")).unwrap();
        assert!(multi.contains("fetch(new URL(\"./butie-batch_bg.wasm\", document.baseURI))"));
        assert!(batch_loader("export function f() {}", BatchWasm::Embedded).is_err());
        let page = format!("<meta charset=\"utf-8\">{block}");
        let secured = csp::with_policy(&page, csp::Reach::Nothing).unwrap();
        assert_eq!(
            secured.matches("'sha256-").count(),
            1,
            "the data block is not a script"
        );
    }

    #[test]
    fn embed_page_inlines_the_widget() {
        let page = embed_page("<body>\n<!-- butie:widget -->\n</body>", "w();\n").unwrap();
        assert_eq!(page, "<body>\n<script>\nw();\n</script>\n</body>");
        assert!(embed_page("<body></body>", "w").is_err());
        let template = std::fs::read_to_string(util::root().join("www/widget/embed.html")).unwrap();
        assert!(embed_page(&template, "w").is_ok());
    }

    #[test]
    fn finds_the_wasm_artifact() {
        let messages = concat!(
            "{\"reason\":\"compiler-artifact\",\"target\":{\"name\":\"butie\"},",
            "\"filenames\":[\"/t/libbutie.rlib\"]}\n",
            "not json\n",
            "{\"reason\":\"compiler-artifact\",\"target\":{\"name\":\"butie_www\"},",
            "\"filenames\":[\"/t/butie_www.wasm\",\"/t/libbutie_www.rlib\"]}\n",
            "{\"reason\":\"build-finished\",\"success\":true}\n",
        );
        assert_eq!(
            find_wasm_artifact(messages, "butie_www"),
            Some(PathBuf::from("/t/butie_www.wasm"))
        );
        assert_eq!(find_wasm_artifact(messages, "butie_www_batch"), None);
        assert_eq!(find_wasm_artifact("", "butie_www"), None);
    }
}
