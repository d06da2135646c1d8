//! butie rule core: Shanghai district subsidy policies as data, evaluated exactly.
//!
//! Pure: no UI, no IO (but [`files`], the native tools' directory reader), no wasm. Policies and
//! the fact catalogue are data (`policies/`); money is `rust_decimal` end to end; every amount
//! cites its sentence.

#[cfg(feature = "loader")]
mod amend;
pub mod batch;
pub mod calendar;
#[cfg(feature = "loader")]
pub mod cases;
pub mod catalogue;
pub mod date;
pub mod error;
pub mod eval;
pub mod explain;
pub mod expr;
#[cfg(feature = "toml")]
pub mod files;
pub mod format;
pub mod json;
pub mod lifecycle;
pub mod listing;
pub mod money;
pub mod nesting;
pub mod options;
pub mod pack;
pub mod policy;
pub mod profile;
pub mod questions;
#[cfg(feature = "authoring")]
pub mod quotes;
pub mod report;
pub mod schema;
pub mod set;
#[cfg(feature = "authoring")]
pub mod spans;
pub mod text;
pub mod typed;
pub mod words;

pub use error::{LoadError, LoadErrors};
pub use eval::{
    DistrictTotals, EvalError, EvalOptions, TotalsPlan, TotalsReport, evaluate, evaluate_totals,
    fact_visible, field_visible,
};
pub use lifecycle::{Lifecycle, PolicyState};
pub use profile::{FieldError, Profile, Value};
pub use report::Report;
pub use set::{Entry, PolicySet};
pub use text::{Lang, Text};

/// The crate version, shown in reports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
