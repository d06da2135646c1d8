//! Bundles the policy directory (catalogue and documents, read by the project's one directory
//! reader, `src/files.rs`) into one JSON document in OUT_DIR, so the native builds embed the data
//! without a TOML parser at run time. Extra directories named by `BUTIE_EXTRA_POLICIES` (test
//! fixtures) are bundled after `policies/`.

#[path = "src/files.rs"]
#[allow(dead_code)]
mod files;

use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-env-changed={}", files::EXTRA_DIRS_VAR);
    let dirs = files::PolicyFiles::build_dirs(Path::new("policies").to_path_buf());
    let read = files::PolicyFiles::read_dirs(&dirs).unwrap_or_else(|e| panic!("{e}"));
    for path in &read.paths {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let bundle = read.bundle_json().unwrap_or_else(|e| panic!("{e}"));
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("policies.json");
    fs::write(out, bundle).unwrap();
}
