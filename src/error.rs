//! Load errors that name the file and the path inside it (`clauses[3].award.cap`).

#[cfg(feature = "loader")]
use serde::de::DeserializeOwned;
use std::fmt;

/// One problem in a policy or catalogue file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {path}: {message}")]
pub struct LoadError {
    /// The file name (`putuo-2024-3.toml`).
    pub file: String,
    /// Where in the file (`clauses[2].when[0]`); `(root)` for the whole document.
    pub path: String,
    pub message: String,
}

/// All problems found while loading a set of files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}

/// Deserializes a document, reporting the path of the first structural error.
#[cfg(feature = "loader")]
pub(crate) fn deserialize<T: DeserializeOwned>(
    file: &str,
    doc: serde_json::Value,
) -> Result<T, LoadError> {
    serde_path_to_error::deserialize(doc).map_err(|e| {
        let path = e.path().to_string();
        LoadError {
            file: file.to_string(),
            path: if path == "." { "(root)".into() } else { path },
            message: e.into_inner().to_string(),
        }
    })
}

/// Collects errors for one file.
#[cfg(feature = "loader")]
pub(crate) struct Located {
    file: String,
    errs: Vec<LoadError>,
}

#[cfg(feature = "loader")]
impl Located {
    pub fn new(file: &str) -> Self {
        Located {
            file: file.to_string(),
            errs: Vec::new(),
        }
    }

    pub fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errs.push(LoadError {
            file: self.file.clone(),
            path: path.into(),
            message: message.into(),
        });
    }

    pub fn finish<T>(self, v: T) -> Result<T, Vec<LoadError>> {
        if self.errs.is_empty() {
            Ok(v)
        } else {
            Err(self.errs)
        }
    }
}
