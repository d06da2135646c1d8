//! The input form, generated from the fact catalogue: evaluation settings, groups of
//! fields with progressive disclosure, and lists (projects, games).

mod field;
#[allow(clippy::module_inception)]
mod form;
mod group;
mod item;
mod list;
mod settings;

pub use form::Form;
