//! `cargo xtask examples`: files in `docs/examples/` made from others — `clients.xlsx` is
//! `clients.csv` as a workbook (`butie::batch::xlsx::csv_workbook`, no clock inside, so the
//! same CSV always gives the same bytes; `tests/xlsx.rs` checks the committed file is current).

use anyhow::{Context, Result};

use crate::util;

/// Writes `docs/examples/clients.xlsx` from `docs/examples/clients.csv`.
pub fn examples() -> Result<()> {
    let dir = util::root().join("docs").join("examples");
    let csv_path = dir.join("clients.csv");
    let text = std::fs::read_to_string(&csv_path)
        .with_context(|| format!("cannot read {}", csv_path.display()))?;
    let bytes = butie::batch::xlsx::csv_workbook("clients", &text)
        .with_context(|| format!("{} is not a table", csv_path.display()))?;
    let out = dir.join("clients.xlsx");
    std::fs::write(&out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    println!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}
