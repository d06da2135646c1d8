//! Compiles the policy directory (validated by the rule core, read by its one directory loader)
//! into the compact bundle that the wasm embeds, so the browser never parses or compiles policy
//! files at start-up. Extra directories named by `BUTIE_EXTRA_POLICIES` (test fixtures) are
//! compiled in after `policies/`. Also writes the stylesheets without comments and indentation.

use std::fs;
use std::path::Path;

use butie::files::{EXTRA_DIRS_VAR, PolicyFiles};

fn main() {
    println!("cargo:rerun-if-env-changed={EXTRA_DIRS_VAR}");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
    let dirs = PolicyFiles::build_dirs(base);
    let files = PolicyFiles::read_dirs(&dirs).unwrap_or_else(|e| panic!("{e}"));
    for path in &files.paths {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let set = butie::PolicySet::from_files(&files)
        .unwrap_or_else(|e| panic!("the policy files do not load:\n{e}"));
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out_dir).join("policies.bin");
    fs::write(out, set.to_bytes()).expect("write policies.bin");

    // The stylesheets without comments and indentation.
    for (from, to) in [
        ("style.css", "style.css"),
        ("widget/widget.css", "widget.css"),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(from);
        println!("cargo:rerun-if-changed={}", path.display());
        let css = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        fs::write(Path::new(&out_dir).join(to), compact_css(&css)).expect("write css");
    }

    // The result schema for `butie.schema()`, minified (a test keeps the file current).
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/schema/result.schema.json");
    println!("cargo:rerun-if-changed={}", schema.display());
    let text = fs::read_to_string(&schema).unwrap_or_else(|e| panic!("{}: {e}", schema.display()));
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", schema.display()));
    fs::write(
        Path::new(&out_dir).join("result.schema.json"),
        json.to_string(),
    )
    .expect("write result.schema.json");
}

/// CSS without comments, indentation and blank lines. Line breaks stay: the widget rewrites
/// `rem` lengths line by line (`widget::fixed_rem`).
fn compact_css(css: &str) -> String {
    let mut bare = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        bare.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    bare.push_str(rest);
    let mut out = String::with_capacity(bare.len());
    for line in bare.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str(line);
        out.push('\n');
    }
    out
}
