//! The input form, generated from the fact catalogue: the registered district first, then
//! what that district's clauses read, the most money first (each field with its stake), the
//! other fields reachable, the report's name and the evaluation settings last.

mod field;
#[allow(clippy::module_inception)]
mod form;
mod item;
pub mod list;
mod settings;

use yew::Callback;

use crate::draft::FieldRef;
use crate::state::Action;

pub use form::Form;

/// What the form's parts report (created once by the app: equal across renders).
#[derive(Clone, PartialEq)]
pub struct FormEvents {
    /// A field's raw text changed.
    pub set: Callback<(FieldRef, String)>,
    /// Add an item to a list.
    pub add: Callback<u16>,
    /// Remove item `.1` of list `.0`.
    pub remove: Callback<(u16, usize)>,
    /// Everything else (settings, toggles).
    pub action: Callback<Action>,
}
