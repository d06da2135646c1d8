//! Excel workbooks (`.xlsx`) for batches: client lists read from the first worksheet, results
//! written as a workbook, the same code natively and in the browser.
//!
//! Small on purpose: the zip container and the few XML parts a client list needs, on
//! `miniz_oxide` (deflate), `crc32fast` and `quick-xml`. calamine and rust_xlsxwriter were
//! measured for the page first: built for wasm32 they add 309 KiB and 399 KiB gzipped
//! (calamine links every `encoding_rs` table through quick-xml's `encoding` feature;
//! rust_xlsxwriter carries charts, formats and two deflate implementations), more than the
//! whole calculator; docs/performance.md has the figures.

pub mod read;
pub mod write;
pub mod zip;

pub use read::SheetRows;
pub use write::{Cell, ResultsWriter, WorkbookWriter, csv_workbook, table_workbook};
