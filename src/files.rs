//! Reading policy directories: the catalogue (`facts.toml`), one TOML file per document, and the
//! source texts their quotes come from (`sources/*.txt`).
//!
//! The one directory reader of the project: the library's loader ([`crate::PolicySet::from_dirs`]),
//! the CLI and the tests call it, and both build scripts compile this file in with `#[path]`,
//! so it uses nothing but `std`, `toml` and `serde_json` (the root build script's dependencies).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The catalogue's file name.
pub const CATALOGUE_FILE: &str = "facts.toml";
/// The folder of source texts inside a policy directory.
pub const SOURCES_DIR: &str = "sources";
/// The environment variable naming extra policy directories for the build scripts
/// (separated like `PATH`): test fixtures go through the same build as the real files.
pub const EXTRA_DIRS_VAR: &str = "BUTIE_EXTRA_POLICIES";

/// The files of one or more policy directories, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct PolicyFiles {
    /// `(file name, text)` of the catalogue.
    pub catalogue: Option<(String, String)>,
    /// `(file name, text)` of each document, sorted by directory then name.
    pub documents: Vec<(String, String)>,
    /// `(file name, text)` of each source text.
    pub sources: Vec<(String, String)>,
    /// Every file read, for build scripts' `rerun-if-changed`.
    pub paths: Vec<PathBuf>,
}

fn read(path: &Path) -> io::Result<String> {
    fs::read_to_string(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

fn sorted_entries(dir: &Path, ext: &str) -> io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot read directory {}: {e}", dir.display()),
        )
    })? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|x| x == ext) {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl PolicyFiles {
    /// Reads `dirs` in order. The first directory holds the catalogue; a later one must not
    /// (it may only add documents and sources). A document or source file name may appear once.
    pub fn read_dirs<P: AsRef<Path>>(dirs: &[P]) -> io::Result<PolicyFiles> {
        let mut out = PolicyFiles::default();
        for (i, dir) in dirs.iter().enumerate() {
            let dir = dir.as_ref();
            out.paths.push(dir.to_path_buf());
            for path in sorted_entries(dir, "toml")? {
                let name = file_name(&path);
                let text = read(&path)?;
                if name == CATALOGUE_FILE {
                    if i > 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidInput,
                            format!(
                                "{}: only the first policy directory holds the catalogue",
                                path.display()
                            ),
                        ));
                    }
                    out.catalogue = Some((name, text));
                } else {
                    if out.documents.iter().any(|(n, _)| *n == name) {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidInput,
                            format!(
                                "{}: a document file of this name was already read",
                                path.display()
                            ),
                        ));
                    }
                    out.documents.push((name, text));
                }
                out.paths.push(path);
            }
            let sources = dir.join(SOURCES_DIR);
            if sources.is_dir() {
                out.paths.push(sources.clone());
                for path in sorted_entries(&sources, "txt")? {
                    let name = file_name(&path);
                    if !out.sources.iter().any(|(n, _)| *n == name) {
                        out.sources.push((name, read(&path)?));
                    }
                    out.paths.push(path);
                }
            }
        }
        Ok(out)
    }

    /// The bundle the native builds embed (`build.rs`): `{"catalogue": {file, doc}, "policies":
    /// [{file, doc}]}`, each TOML document as JSON, read back by `PolicySet::from_bundle_json`.
    /// Errors name the file.
    pub fn bundle_json(&self) -> Result<String, String> {
        let doc = |(name, text): &(String, String)| -> Result<serde_json::Value, String> {
            let doc: serde_json::Value =
                toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            Ok(serde_json::json!({ "file": name, "doc": doc }))
        };
        let catalogue = self
            .catalogue
            .as_ref()
            .ok_or_else(|| format!("no {CATALOGUE_FILE} in the first policy directory"))
            .and_then(doc)?;
        let policies = self
            .documents
            .iter()
            .map(doc)
            .collect::<Result<Vec<_>, String>>()?;
        Ok(serde_json::json!({ "catalogue": catalogue, "policies": policies }).to_string())
    }

    /// The directories a build script reads: `base` (the workspace's `policies/`), then those
    /// named by [`EXTRA_DIRS_VAR`] (relative ones from the workspace root).
    pub fn build_dirs(base: PathBuf) -> Vec<PathBuf> {
        let root = base.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut dirs = vec![base];
        if let Some(extra) = std::env::var_os(EXTRA_DIRS_VAR) {
            dirs.extend(
                std::env::split_paths(&extra)
                    .filter(|p| !p.as_os_str().is_empty())
                    .map(|p| if p.is_absolute() { p } else { root.join(p) }),
            );
        }
        dirs
    }
}
