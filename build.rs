//! Bundles `policies/*.toml` (catalogue and policy files) into one JSON document in OUT_DIR,
//! so the wasm and native builds embed the same data without a TOML parser at run time.

use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new("policies");
    println!("cargo:rerun-if-changed=policies");
    let mut policies = Vec::new();
    let mut catalogue = serde_json::Value::Null;
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("policies/ directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    entries.sort();
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc: serde_json::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name == "facts.toml" {
            catalogue = serde_json::json!({ "file": name, "doc": doc });
        } else {
            policies.push(serde_json::json!({ "file": name, "doc": doc }));
        }
    }
    let bundle = serde_json::json!({ "catalogue": catalogue, "policies": policies });
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("policies.json");
    fs::write(out, serde_json::to_string(&bundle).unwrap()).unwrap();
}
