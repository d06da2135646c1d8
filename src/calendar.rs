//! The policy calendar as an iCalendar file (RFC 5545): for each document in force or upcoming
//! on the evaluation date, its first day (upcoming ones), the day it starts to end soon (when
//! still ahead), its last day (with a reminder two weeks before) and the dated steps its text
//! gives. `butie calendar`
//! and the page's download both call [`ics`], so they give the same file.
//!
//! **All-day events** (`DTSTART;VALUE=DATE`, `DTEND` the next day): a window is a range of
//! calendar days in Shanghai, inclusive, without a time of day. RFC 5545 DATE values are not
//! bound to a time zone (§3.3.4), so 2026-12-31 stays 2026-12-31 for every reader, and no
//! VTIMEZONE is needed (one is required only for DATE-TIME values with a TZID, §3.6.5). Timed
//! events in Asia/Shanghai would need a VTIMEZONE and would show the last day shifted to another
//! day for readers elsewhere, which is wrong for a date. The file still names its zone,
//! `X-WR-TIMEZONE:Asia/Shanghai` with the `VTIMEZONE` that describes it (UTC+8, no daylight
//! saving since 1991), so readers that place the reminders at a time of day (09:00) use
//! Shanghai's. `DTSTAMP` is UTC, as §3.8.7.2 requires.
//! UIDs are `<document id>.<event>@butie`, stable, so importing a newer file updates the events.
//!
//! Written here rather than with the `icalendar` crate, which the tests use to parse the file
//! back: with `chrono` it adds about 105 KiB gzipped to a wasm build (docs/performance.md).

use crate::date::{Date, fmt_date};
use crate::lifecycle::{ENDING_SOON_DAYS, PolicyState};
use crate::policy::Policy;
use crate::set::PolicySet;
use crate::text::{Lang, Text};
use crate::words::{self, EventKind};

/// The time zone of every policy's dates (China Standard Time, UTC+8 all year since 1991).
pub const SHANGHAI: &str = "Asia/Shanghai";

/// When a document's reminder (VALARM) goes off: two weeks before its last day. The first
/// day it counts as ending soon has its own event, reminded at 09:00 that day.
pub const REMINDER_BEFORE_END: &str = "-P14D";

/// Why no calendar can be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// No encoded document is in force or upcoming: RFC 5545 needs at least one event.
    #[error("no document in force or upcoming on {0}: nothing to put in a calendar")]
    Empty(String),
}

impl CalendarError {
    /// The reason in both languages.
    pub fn text(&self) -> Text {
        match self {
            CalendarError::Empty(d) => Text::new(
                format!("{d} 没有施行中或即将施行的政策：日历无可写入的日期"),
                self.to_string(),
            ),
        }
    }
}

/// A document's events on `as_of`, in date order: none unless it is in force or upcoming.
fn document_events(set: &PolicySet, p: &Policy, as_of: Date) -> Vec<(EventKind, Date)> {
    let mut out = Vec::new();
    let state = set.lifecycle(p, as_of).state;
    if !matches!(state, PolicyState::InForce | PolicyState::NotYetInForce) {
        return out;
    }
    let m = &p.meta;
    if let (PolicyState::NotYetInForce, Some(from)) = (state, m.effective_from) {
        out.push((EventKind::Start, from));
    }
    if let Some(to) = m.effective_to {
        let soon = to.checked_sub(time::Duration::days(ENDING_SOON_DAYS));
        if let Some(soon) = soon.filter(|d| *d >= as_of && m.effective_from.is_none_or(|f| *d > f))
        {
            out.push((EventKind::EndingSoon, soon));
        }
        out.push((EventKind::End, to));
    }
    for (i, s) in m.dates.iter().enumerate() {
        out.push((EventKind::Step(i), s.on));
    }
    out
}

/// Whether the calendar for `as_of` has any event (RFC 5545 needs at least one).
pub fn has_events(set: &PolicySet, as_of: Date) -> bool {
    set.policies
        .iter()
        .any(|p| !document_events(set, p, as_of).is_empty())
}

/// The calendar file for `as_of` in `lang`, document by document (in the set's order: by
/// district, oldest first), each document's events by date; `stamp` (Unix seconds) is when it
/// is made, written as every event's `DTSTAMP`.
pub fn ics(set: &PolicySet, as_of: Date, stamp: i64, lang: Lang) -> Result<String, CalendarError> {
    if !has_events(set, as_of) {
        return Err(CalendarError::Empty(fmt_date(as_of)));
    }
    let (language, tag) = match lang {
        Lang::Zh => (";LANGUAGE=zh-CN", "ZH"),
        Lang::En => (";LANGUAGE=en", "EN"),
    };
    let stamp = utc_stamp(stamp);
    let name = words::calendar_name(as_of);
    let mut w = Writer::default();
    w.line("BEGIN", "VCALENDAR");
    w.line("VERSION", "2.0");
    w.line(
        "PRODID",
        &format!("-//butie//butie {}//{tag}", crate::VERSION),
    );
    w.text("NAME", language, name.get(lang));
    w.text("X-WR-CALNAME", language, name.get(lang));
    // The policies' zone: the events are dates, but readers that place the reminders (09:00,
    // two weeks before) in a zone use this one (X-WR-TIMEZONE), described as §3.6.5 asks.
    w.line("X-WR-TIMEZONE", SHANGHAI);
    for (name, value) in [
        ("BEGIN", "VTIMEZONE"),
        ("TZID", SHANGHAI),
        ("BEGIN", "STANDARD"),
        ("DTSTART", "19910915T020000"),
        ("TZOFFSETFROM", "+0900"),
        ("TZOFFSETTO", "+0800"),
        ("TZNAME", "CST"),
        ("END", "STANDARD"),
        ("END", "VTIMEZONE"),
    ] {
        w.line(name, value);
    }
    for p in &set.policies {
        let m = &p.meta;
        for (kind, date) in document_events(set, p, as_of) {
            let tag = match kind {
                EventKind::Start => "start".to_string(),
                EventKind::EndingSoon => "ending-soon".to_string(),
                EventKind::End => "end".to_string(),
                EventKind::Step(i) => format!("step-{}", i + 1),
            };
            w.line("BEGIN", "VEVENT");
            w.line("UID", &format!("{}.{tag}@butie", m.id));
            w.line("DTSTAMP", &stamp);
            w.line("DTSTART;VALUE=DATE", &ics_date(date));
            w.line(
                "DTEND;VALUE=DATE",
                &ics_date(date.next_day().unwrap_or(date)),
            );
            let summary = words::event_summary(kind, m);
            w.text("SUMMARY", language, summary.get(lang));
            w.text(
                "DESCRIPTION",
                language,
                words::event_description(kind, m).get(lang),
            );
            w.line("TRANSP", "TRANSPARENT");
            let trigger = match kind {
                EventKind::End => REMINDER_BEFORE_END,
                EventKind::EndingSoon => "PT9H",
                EventKind::Start | EventKind::Step(_) => "",
            };
            if !trigger.is_empty() {
                w.line("BEGIN", "VALARM");
                w.line("ACTION", "DISPLAY");
                w.line("TRIGGER", trigger);
                w.text("DESCRIPTION", language, summary.get(lang));
                w.line("END", "VALARM");
            }
            w.line("END", "VEVENT");
        }
    }
    w.line("END", "VCALENDAR");
    Ok(w.out)
}

/// `YYYYMMDD`.
fn ics_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A UTC date-time `YYYYMMDDTHHMMSSZ` from Unix seconds (the epoch when out of range).
fn utc_stamp(unix: i64) -> String {
    const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let date = i32::try_from(days + UNIX_EPOCH_JULIAN_DAY)
        .ok()
        .and_then(|jd| Date::from_julian_day(jd).ok());
    let (date, secs) = match date {
        Some(d) => (d, secs),
        None => (
            Date::from_julian_day(UNIX_EPOCH_JULIAN_DAY as i32).unwrap_or(Date::MIN),
            0,
        ),
    };
    format!(
        "{}T{:02}{:02}{:02}Z",
        ics_date(date),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Escapes a TEXT value (§3.3.11): backslash, semicolon, comma and line breaks.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Content lines, CRLF-terminated and folded at 75 octets without splitting a character (§3.1).
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    /// `NAME:value` with the value written as given.
    fn line(&mut self, name: &str, value: &str) {
        let mut width = 0;
        for c in name.chars().chain([':']).chain(value.chars()) {
            let n = c.len_utf8();
            if width + n > 75 {
                self.out.push_str("\r\n ");
                width = 1;
            }
            self.out.push(c);
            width += n;
        }
        self.out.push_str("\r\n");
    }

    /// A TEXT property with its language parameter, escaped.
    fn text(&mut self, name: &str, params: &str, value: &str) {
        self.line(&format!("{name}{params}"), &escape(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let mut w = Writer::default();
        let long = "普".repeat(40);
        w.line("SUMMARY", &long);
        for line in w.out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = w.out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{long}\r\n"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn stamps_are_utc() {
        assert_eq!(utc_stamp(0), "19700101T000000Z");
        assert_eq!(utc_stamp(1_795_190_400), "20261120T160000Z");
        assert_eq!(utc_stamp(1_796_117_400 + 59), "20261201T093059Z");
        assert_eq!(utc_stamp(-1), "19691231T235959Z");
        assert_eq!(utc_stamp(i64::MAX), "19700101T000000Z");
    }
}
