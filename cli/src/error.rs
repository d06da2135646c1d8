//! Typed CLI errors: bad input (exit 2, every problem listed) or another failure (exit 1).

use crate::text::{clean, clean_except};
use std::fmt;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// The user's input is wrong: a file, a flag value, an id. Exit code 2.
    BadInput {
        message: String,
        details: Vec<String>,
    },
    /// Anything else: IO, broken policy data. Exit code 1.
    Failure(String),
}

impl CliError {
    /// Bad input with one message.
    pub fn bad(message: impl Into<String>) -> Self {
        CliError::BadInput {
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// Bad input with a line per problem.
    pub fn bad_with(message: impl Into<String>, details: Vec<String>) -> Self {
        CliError::BadInput {
            message: message.into(),
            details,
        }
    }

    /// Another failure.
    pub fn failure(message: impl Into<String>) -> Self {
        CliError::Failure(message.into())
    }

    /// The process exit code.
    pub fn code(&self) -> u8 {
        match self {
            CliError::BadInput { .. } => 2,
            CliError::Failure(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Messages quote the user's input: no terminal controls get through, and a detail
        // stays on its own line.
        let keep_lines = |m: &str| clean_except(m, Some('\n')).into_owned();
        match self {
            CliError::BadInput { message, details } => {
                write!(f, "error: {}", keep_lines(message))?;
                for d in details {
                    write!(f, "\n  - {}", clean(d))?;
                }
                Ok(())
            }
            CliError::Failure(m) => write!(f, "error: {}", keep_lines(m)),
        }
    }
}

impl From<butie::EvalError> for CliError {
    fn from(e: butie::EvalError) -> Self {
        match e {
            butie::EvalError::UnknownDistrict(_) => CliError::bad(e.to_string()),
            butie::EvalError::Overflow(_) => CliError::failure(e.to_string()),
        }
    }
}
