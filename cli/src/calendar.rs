//! `butie calendar`: the documents' dates as an iCalendar file (the core writes it; the page's
//! download is the same file).

use crate::error::CliError;
use crate::{CalendarArgs, input};
use butie::PolicySet;

/// Runs the command.
pub fn run(set: &PolicySet, a: &CalendarArgs) -> Result<(), CliError> {
    let as_of = input::as_of(a.as_of.as_deref())?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let ics = butie::calendar::ics(set, as_of, now, a.lang.into()).map_err(|e| {
        let t = e.text();
        CliError::bad(format!("{} / {}", t.en, t.zh))
    })?;
    input::write_text(&a.out, &ics)
}
