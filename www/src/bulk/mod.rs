//! Batch evaluation in the browser: a consultant's client list (CSV or JSONL, the CLI's
//! `butie batch` format) run through `butie::batch` in chunks, shown as a sortable table and
//! downloadable as the CLI's results CSV. The file never leaves the browser.

mod panel;
mod run;
mod table;

pub use panel::BatchPanel;
pub use run::{calendar_ics, results_file};
