//! The results: the available-now summary, one card per district, each clause with its
//! conditions, arithmetic, citation, reading and hints; and the print-only report header.

mod clause;
mod conditions;
mod district_card;
mod hints;
mod print_header;
#[allow(clippy::module_inception)]
mod results;

pub use results::Results;
