//! Writing results as CSV: the batch's rows ([`CSV_COLUMNS`]) and one evaluation's clauses
//! ([`clauses_csv`], the page's “results CSV” and `butie evaluate --csv`). Text that came
//! from the input, or that a spreadsheet could take for a formula, is guarded with a `'`.

use super::run::{Batch, ClientResult, Outcome};
use crate::date::{Date, fmt_date};
use crate::policy::Policy;
use crate::report::{AmountKind, Mode, PolicyState, Report, Totals};
use crate::set::PolicySet;

/// The byte-order mark Excel needs to read a CSV file as UTF-8.
pub const BOM: char = '\u{feff}';

/// The output header, in order. Stable: columns are only ever added at the end.
///
/// * `row`, `id`, `name`: the client as read (row = the line in the CSV or JSONL file, or the
///   worksheet row).
/// * `district`, `district_name`, `policy`, `doc_no`: the district and its document.
/// * `state`: `in_force`, `expired`, `superseded`, `draft`, `not_yet_in_force` on the evaluation
///   date.
/// * `payable_now`: `true` only when in force.
/// * `days_left` (in force: days to the last day, 0 on it; else empty) and `ending_soon`
///   (`true` with 60 days or fewer left) on the evaluation date.
/// * `definite_yuan`, `up_to_yuan` (two decimals) and `definite_wan`, `up_to_wan` (万元):
///   money that counts today — zero unless in force.
/// * `eligible`, `subject_to_review`, `needs_information`, `not_eligible`, `not_quantified`:
///   clause counts as they would be with the policy in force.
/// * `if_in_force_*`: what the policy would pay if in force (equal to the above when it is).
/// * `error`: for a bad row, every problem as `path: 中文 / English`, joined by `; `.
pub const CSV_COLUMNS: [&str; 25] = [
    "row",
    "id",
    "name",
    "district",
    "district_name",
    "policy",
    "doc_no",
    "state",
    "payable_now",
    "days_left",
    "ending_soon",
    "definite_yuan",
    "up_to_yuan",
    "definite_wan",
    "up_to_wan",
    "eligible",
    "subject_to_review",
    "needs_information",
    "not_eligible",
    "not_quantified",
    "if_in_force_definite_yuan",
    "if_in_force_up_to_yuan",
    "if_in_force_definite_wan",
    "if_in_force_up_to_wan",
    "error",
];

/// The columns from `district` to `ending_soon`, which depend only on the policy.
const POLICY_CELLS: usize = 8;

/// The header line (after a BOM when `bom`: Excel needs it to read Chinese text).
pub fn csv_header(out: &mut String, bom: bool) {
    if bom {
        out.push(BOM);
    }
    let mut rec = Record::new(out, CSV_COLUMNS.len());
    for c in CSV_COLUMNS {
        rec.cell(c);
    }
    rec.end();
}

/// A policy's constant cells (`district` … `payable_now`) as CSV text.
pub(crate) fn policy_cells(set: &PolicySet, p: &Policy, as_of: Date) -> String {
    let mut s = String::new();
    let m = &p.meta;
    let lifecycle = set.lifecycle(p, as_of);
    let state = lifecycle.state;
    let mut rec = Record::new(&mut s, POLICY_CELLS);
    rec.text(&m.district);
    rec.text(&m.district_name.zh);
    rec.text(&m.id);
    rec.text(m.doc_no.as_deref().unwrap_or_default());
    rec.cell(state.id());
    rec.cell(if state == PolicyState::InForce {
        "true"
    } else {
        "false"
    });
    match lifecycle.days_left {
        Some(n) => rec.num(n),
        None => rec.cell(""),
    }
    rec.cell(if lifecycle.ending_soon {
        "true"
    } else {
        "false"
    });
    s
}

/// Writes a client's output rows: one per district, or one row with its errors.
pub fn csv_client(out: &mut String, batch: &Batch, c: &ClientResult) {
    let n = CSV_COLUMNS.len();
    match &c.outcome {
        Outcome::Districts(ds) => {
            // `row,id,name` once for the client's rows.
            let mut head = String::new();
            let mut rec = Record::new(&mut head, 3);
            rec.num(c.row);
            rec.text(c.id.as_deref().unwrap_or_default());
            rec.text(c.name.as_deref().unwrap_or_default());
            for d in ds {
                out.push_str(&head);
                let mut rec = Record {
                    out,
                    cells: 3,
                    width: n,
                };
                let cells = batch
                    .policies
                    .iter()
                    .find(|(id, _)| *id == d.policy_id)
                    .map_or("", |(_, cells)| cells.as_str());
                rec.raw(cells, POLICY_CELLS);
                money_cells(&mut rec, &d.totals);
                let t = &d.if_in_force;
                for k in [
                    t.eligible,
                    t.eligible_subject_to_review,
                    t.needs_information,
                    t.not_eligible,
                    t.not_quantified,
                ] {
                    rec.num(k);
                }
                money_cells(&mut rec, &d.if_in_force);
                rec.end();
            }
        }
        _ => {
            let mut rec = Record::new(out, n);
            rec.num(c.row);
            rec.text(c.id.as_deref().unwrap_or_default());
            rec.text(c.name.as_deref().unwrap_or_default());
            rec.skip_to(n - 1);
            let msg = c.row_error().map(|e| e.summary()).unwrap_or_default();
            rec.text(&msg);
            rec.end();
        }
    }
}

fn money_cells(rec: &mut Record, t: &Totals) {
    rec.money(t.definite.0);
    rec.money(t.up_to.0);
    rec.wan(t.definite.0);
    rec.wan(t.up_to.0);
}

/// The snake_case id of an amount kind (as in the result JSON): the core's vocabulary.
pub fn amount_kind_id(k: AmountKind) -> &'static str {
    k.id()
}

/// The header of [`clauses_csv`].
pub const CLAUSE_COLUMNS: [&str; 21] = [
    "as_of",
    "enterprise",
    "mode",
    "district",
    "district_name",
    "doc_no",
    "policy_state",
    "payable_now",
    "clause",
    "article",
    "title_zh",
    "title_en",
    "item",
    "status",
    "status_if_in_force",
    "amount_kind",
    "amount_yuan",
    "amount_wan",
    "counted_now",
    "days_left",
    "ending_soon",
];

/// One evaluation as CSV: a row per clause, and one per item (project, product) of per-item
/// clauses (`item` = `project#2 <name>`), with a BOM first when `bom`.
pub fn clauses_csv(set: &PolicySet, report: &Report, bom: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push(BOM);
    }
    let n = CLAUSE_COLUMNS.len();
    let mut rec = Record::new(&mut out, n);
    for c in CLAUSE_COLUMNS {
        rec.cell(c);
    }
    rec.end();
    let as_of = fmt_date(report.as_of);
    let mode = match report.mode {
        Mode::Registered => "registered",
        Mode::CompareAll => "compare_all",
    };
    for d in &report.districts {
        for c in &d.clauses {
            let clause_row = (String::new(), c.status, c.amount, c.counted);
            let item_rows = c.items.iter().map(|it| {
                let label = set
                    .catalogue
                    .list_id(it.list)
                    .map_or(it.list, |l| &set.catalogue.lists[l as usize].item_label.en);
                let item = format!("{label}#{} {}", it.index + 1, it.name.unwrap_or_default());
                (item.trim().to_string(), it.status, it.amount, it.counted)
            });
            for (item, status, amount, counted) in std::iter::once(clause_row).chain(item_rows) {
                let mut rec = Record::new(&mut out, n);
                rec.cell(&as_of);
                rec.text(report.profile_name.unwrap_or_default());
                rec.cell(mode);
                rec.text(d.district);
                rec.text(&d.district_name.zh);
                rec.text(d.policy.doc_no.unwrap_or_default());
                rec.cell(d.state.id());
                rec.cell(if d.payable_now { "true" } else { "false" });
                rec.text(c.id);
                rec.text(c.article);
                rec.text(&c.title.zh);
                rec.text(&c.title.en);
                rec.text(&item);
                rec.cell(status.id());
                rec.cell(c.status_if_in_force.id());
                rec.cell(amount_kind_id(amount.kind));
                match amount.value {
                    Some(v) => {
                        rec.money(v.0);
                        rec.wan(v.0);
                    }
                    None => rec.skip_to(rec.cells + 2),
                }
                rec.cell(if counted && d.payable_now {
                    "true"
                } else {
                    "false"
                });
                match d.lifecycle.days_left {
                    Some(n) => rec.num(n),
                    None => rec.cell(""),
                }
                rec.cell(if d.lifecycle.ending_soon {
                    "true"
                } else {
                    "false"
                });
                rec.end();
            }
        }
    }
    out
}

/// Writes CSV cells of one record straight into the output, quoting when needed; short
/// records are padded to `width` cells.
pub(crate) struct Record<'s> {
    out: &'s mut String,
    cells: usize,
    width: usize,
}

impl<'s> Record<'s> {
    pub(crate) fn new(out: &'s mut String, width: usize) -> Self {
        Record {
            out,
            cells: 0,
            width,
        }
    }

    fn sep(&mut self) {
        if self.cells > 0 {
            self.out.push(',');
        }
        self.cells += 1;
    }

    /// A cell, quoted when it holds a comma, a quote or a line end.
    pub(crate) fn cell(&mut self, c: &str) {
        self.sep();
        if c.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
            self.out.push('"');
            for (i, part) in c.split('"').enumerate() {
                if i > 0 {
                    self.out.push_str("\"\"");
                }
                self.out.push_str(part);
            }
            self.out.push('"');
        } else {
            self.out.push_str(c);
        }
    }

    /// Text from the input: guarded against spreadsheet formulas.
    pub(crate) fn text(&mut self, c: &str) {
        if matches!(
            c.as_bytes().first(),
            Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
        ) {
            self.cell(&format!("'{c}"));
        } else {
            self.cell(c);
        }
    }

    /// `n` cells already written as CSV.
    fn raw(&mut self, cells: &str, n: usize) {
        self.sep();
        self.out.push_str(cells);
        self.cells += n - 1;
    }

    fn num(&mut self, n: impl itoa::Integer) {
        self.sep();
        self.out.push_str(itoa::Buffer::new().format(n));
    }

    /// Yuan with two decimals.
    fn money(&mut self, d: rust_decimal::Decimal) {
        self.sep();
        let _ = crate::money::write_fixed2(self.out, d);
    }

    /// 万元, as [`crate::format::in_wan`].
    fn wan(&mut self, d: rust_decimal::Decimal) {
        self.sep();
        let _ = crate::format::write_wan(self.out, d);
    }

    /// Empty cells up to (not including) cell number `n`.
    fn skip_to(&mut self, n: usize) {
        while self.cells < n {
            self.sep();
        }
    }

    pub(crate) fn end(&mut self) {
        let width = self.width;
        self.skip_to(width);
        self.out.push('\n');
        self.cells = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;

    #[test]
    fn cells_are_quoted_and_guarded() {
        let mut s = String::new();
        let mut r = Record::new(&mut s, 6);
        r.text("=1+1");
        r.cell("a\"b");
        r.cell("c,d");
        r.text("上海");
        r.end();
        assert_eq!(s, "'=1+1,\"a\"\"b\",\"c,d\",上海,,\n");
    }

    #[test]
    fn ids_are_the_json_names() {
        for s in [
            Status::Eligible,
            Status::EligibleSubjectToReview,
            Status::NeedsInformation,
            Status::NotEligible,
            Status::PolicyNotInForce,
        ] {
            assert_eq!(serde_json::to_value(s).ok(), Some(s.id().into()));
        }
        for s in [
            PolicyState::Draft,
            PolicyState::NotYetInForce,
            PolicyState::InForce,
            PolicyState::Expired,
            PolicyState::Superseded,
        ] {
            assert_eq!(serde_json::to_value(s).ok(), Some(s.id().into()));
        }
        for k in [
            AmountKind::Definite,
            AmountKind::UpTo,
            AmountKind::NotQuantified,
            AmountKind::None,
        ] {
            assert_eq!(serde_json::to_value(k).ok(), Some(amount_kind_id(k).into()));
        }
    }
}
