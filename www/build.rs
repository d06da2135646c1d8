//! Compiles `policies/*.toml` (validated by the rule core) into the compact bundle that the
//! wasm embeds, so the browser never parses or compiles policy files at start-up.

use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut catalogue = String::new();
    let mut policies = Vec::new();
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name == butie::set::CATALOGUE_FILE {
            catalogue = text;
        } else {
            policies.push((name, text));
        }
    }
    let set = butie::PolicySet::from_toml(&catalogue, &policies)
        .unwrap_or_else(|e| panic!("the policy files do not load:\n{e}"));
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out_dir).join("policies.bin");
    fs::write(out, set.to_bytes()).expect("write policies.bin");

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
