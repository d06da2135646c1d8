//! The policy calendar as an iCalendar file (RFC 5545): for each document in force or upcoming
//! on the evaluation date, its first day (upcoming ones), the day it starts to end soon, its last
//! day (with a reminder two weeks before) and the dated steps its text gives. `butie calendar`
//! and the page's download both call [`ics`], so they give the same file.
//!
//! **All-day events** (`DTSTART;VALUE=DATE`, `DTEND` the next day): a window is a range of
//! calendar days in Shanghai, inclusive, without a time of day. RFC 5545 DATE values are not
//! bound to a time zone (§3.3.4), so 2026-12-31 stays 2026-12-31 for every reader, and no
//! VTIMEZONE is needed (one is required only for DATE-TIME values with a TZID, §3.6.5). Timed
//! events in Asia/Shanghai would need a VTIMEZONE and would show the last day shifted to another
//! day for readers elsewhere, which is wrong for a date. `DTSTAMP` is UTC, as §3.8.7.2 requires.
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

/// Days before a document's last day at which its reminder (VALARM) goes off.
pub const REMIND_DAYS_BEFORE_END: u32 = 14;

/// One all-day event.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    /// Stable across files: `<document id>.<kind>@butie`.
    pub uid: String,
    pub date: Date,
    pub kind: EventKind,
    pub policy: &'a Policy,
    pub summary: Text,
    pub description: Text,
}

/// Why no calendar can be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// No encoded document is in force or upcoming: RFC 5545 needs at least one event.
    #[error(
        "no encoded document is in force or about to start on {0}: there is nothing to put in a calendar"
    )]
    Empty(String),
}

impl CalendarError {
    /// The reason in both languages.
    pub fn text(&self) -> Text {
        match self {
            CalendarError::Empty(d) => Text::new(
                format!("{d} 没有施行中或即将施行的政策：日历中没有可写入的日期"),
                self.to_string(),
            ),
        }
    }
}

/// The events of every document in force or upcoming on `as_of`, by date.
pub fn events(set: &PolicySet, as_of: Date) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    for p in &set.policies {
        let state = set.lifecycle(p, as_of).state;
        if !matches!(state, PolicyState::InForce | PolicyState::NotYetInForce) {
            continue;
        }
        let m = &p.meta;
        let mut add = |kind: EventKind, date: Option<Date>| {
            let Some(date) = date else { return };
            let tag = match kind {
                EventKind::Start => "start".to_string(),
                EventKind::EndingSoon => "ending-soon".to_string(),
                EventKind::End => "end".to_string(),
                EventKind::Step(i) => format!("step-{}", i + 1),
            };
            out.push(Event {
                uid: format!("{}.{tag}@butie", m.id),
                date,
                kind,
                policy: p,
                summary: words::event_summary(kind, m),
                description: words::event_description(kind, m, as_of),
            });
        };
        if state == PolicyState::NotYetInForce {
            add(EventKind::Start, m.effective_from);
        }
        let soon = m
            .effective_to
            .and_then(|t| t.checked_sub(time::Duration::days(ENDING_SOON_DAYS)))
            .filter(|d| *d >= as_of && m.effective_from.is_none_or(|f| *d > f));
        add(EventKind::EndingSoon, soon);
        add(EventKind::End, m.effective_to);
        for (i, s) in m.dates.iter().enumerate() {
            add(EventKind::Step(i), Some(s.on));
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.uid.cmp(&b.uid)));
    out
}

/// The calendar file for `as_of` in `lang`; `stamp` (Unix seconds) is when it is made, written
/// as every event's `DTSTAMP`.
pub fn ics(set: &PolicySet, as_of: Date, stamp: i64, lang: Lang) -> Result<String, CalendarError> {
    let events = events(set, as_of);
    if events.is_empty() {
        return Err(CalendarError::Empty(fmt_date(as_of)));
    }
    let language = match lang {
        Lang::Zh => ";LANGUAGE=zh-CN",
        Lang::En => ";LANGUAGE=en",
    };
    let stamp = utc_stamp(stamp);
    let name = words::calendar_name(as_of);
    let mut w = Writer::default();
    w.line("BEGIN", "VCALENDAR");
    w.line("VERSION", "2.0");
    w.line(
        "PRODID",
        &format!("-//butie//butie {}//{}", crate::VERSION, lang_tag(lang)),
    );
    w.line("CALSCALE", "GREGORIAN");
    w.line("METHOD", "PUBLISH");
    w.text("NAME", language, name.get(lang));
    w.text("X-WR-CALNAME", language, name.get(lang));
    for e in &events {
        w.line("BEGIN", "VEVENT");
        w.line("UID", &e.uid);
        w.line("DTSTAMP", &stamp);
        w.line("DTSTART;VALUE=DATE", &ics_date(e.date));
        w.line(
            "DTEND;VALUE=DATE",
            &ics_date(e.date.next_day().unwrap_or(e.date)),
        );
        w.text("SUMMARY", language, e.summary.get(lang));
        w.text("DESCRIPTION", language, e.description.get(lang));
        w.line("CATEGORIES", &escape(e.policy.meta.district_name.get(lang)));
        w.line("TRANSP", "TRANSPARENT");
        let trigger = match e.kind {
            EventKind::End => Some(format!("-P{REMIND_DAYS_BEFORE_END}D")),
            EventKind::EndingSoon => Some("PT9H".to_string()),
            EventKind::Start | EventKind::Step(_) => None,
        };
        if let Some(t) = trigger {
            w.line("BEGIN", "VALARM");
            w.line("ACTION", "DISPLAY");
            w.line("TRIGGER", &t);
            w.text("DESCRIPTION", language, e.summary.get(lang));
            w.line("END", "VALARM");
        }
        w.line("END", "VEVENT");
    }
    w.line("END", "VCALENDAR");
    Ok(w.out)
}

fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "ZH",
        Lang::En => "EN",
    }
}

/// `YYYYMMDD`.
fn ics_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A UTC date-time `YYYYMMDDTHHMMSSZ` from Unix seconds (the epoch when out of range).
fn utc_stamp(unix: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{}T{:02}{:02}{:02}Z",
        ics_date(t.date()),
        t.hour(),
        t.minute(),
        t.second()
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
    }
}
