//! The policy calendar (`butie::calendar::ics`) read back by an independent iCalendar parser
//! (the `icalendar` crate) and checked against RFC 5545's rules for content lines.

use butie::Lang;
use butie::PolicySet;
use butie::calendar::{CalendarError, has_events, ics};
use butie::date::parse_date;
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn real() -> PolicySet {
    PolicySet::from_dir(root().join("policies")).unwrap_or_else(|e| panic!("{e}"))
}

fn with_fixtures() -> PolicySet {
    PolicySet::from_dirs(&[
        root().join("policies"),
        root().join("tests/fixtures/policies"),
    ])
    .unwrap_or_else(|e| panic!("{e}"))
}

/// 2026-12-01T09:30:00Z.
const STAMP: i64 = 1_796_117_400;

fn file(set: &PolicySet, as_of: &str, lang: Lang) -> String {
    ics(set, parse_date(as_of).unwrap(), STAMP, lang).unwrap_or_else(|e| panic!("{e}"))
}

/// (start date, summary, uid) of every event, as the parser reads them.
fn parsed(text: &str) -> Vec<(String, String, String)> {
    let cal: Calendar = text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"));
    cal.components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .map(|e| {
            let start = match e.get_start() {
                Some(DatePerhapsTime::Date(d)) => d.to_string(),
                other => panic!("not an all-day event: {other:?}"),
            };
            assert!(e.get_timestamp().is_some(), "DTSTAMP");
            (
                start,
                e.get_summary().unwrap_or_default().to_string(),
                e.get_uid().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The content-line rules the parser is lenient about: CRLF, at most 75 octets, balanced
/// components, the properties RFC 5545 requires.
fn check_lines(text: &str) {
    assert!(text.ends_with("\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    let mut open: Vec<&str> = Vec::new();
    let mut events = 0;
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
        if let Some(c) = line.strip_prefix("BEGIN:") {
            open.push(c);
            events += usize::from(c == "VEVENT");
        } else if let Some(c) = line.strip_prefix("END:") {
            assert_eq!(open.pop(), Some(c), "END:{c} without its BEGIN");
        }
    }
    assert!(open.is_empty(), "unclosed {open:?}");
    let unfolded = text.replace("\r\n ", "");
    for required in ["VERSION:2.0\r\n", "PRODID:-//butie//"] {
        assert!(unfolded.contains(required), "{required}");
    }
    for (prop, n) in [("UID:", events), ("DTSTAMP:20261201T093000Z\r\n", events)] {
        assert_eq!(unfolded.matches(prop).count(), n, "{prop} once per event");
    }
    assert!(events > 0, "RFC 5545 needs at least one component");
}

#[test]
fn the_last_day_of_putuo_is_an_all_day_event() {
    let text = file(&real(), "2026-12-01", Lang::Zh);
    check_lines(&text);
    let events = parsed(&text);
    let end = events
        .iter()
        .find(|(_, s, _)| s.contains("普科合规范〔2024〕3号"))
        .unwrap_or_else(|| panic!("no event for 普陀: {events:?}"));
    assert_eq!(end.0, "2026-12-31");
    assert_eq!(end.1, "普陀区 普科合规范〔2024〕3号 有效期最后一天");
    assert_eq!(end.2, "putuo-2024-3.end@butie");
    // Only 普陀 is in force; its ending-soon day (2026-11-01) has passed, so the reminder is
    // the alarm two weeks before the end.
    assert_eq!(events.len(), 1, "{events:?}");
    let unfolded = text.replace("\r\n ", "");
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
    assert!(unfolded.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P14D\r\n"));
    assert!(unfolded.contains("SUMMARY;LANGUAGE=zh-CN:"));
    // The zone is named and described (UTC+8), once.
    assert!(unfolded.contains("X-WR-TIMEZONE:Asia/Shanghai\r\n"));
    assert_eq!(
        unfolded
            .matches("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n")
            .count(),
        1
    );
    assert!(unfolded.contains("TZOFFSETTO:+0800\r\n"));
    // The description quotes the window sentence.
    assert!(
        unfolded.contains("五、附则（三）：“本意见自2025年1月1日起施行，有效期至2026年12月31日。”")
    );
}

#[test]
fn earlier_the_ending_soon_day_is_an_event_too() {
    let text = file(&real(), "2026-06-01", Lang::En);
    check_lines(&text);
    let events = parsed(&text);
    let dates: Vec<(&str, &str)> = events
        .iter()
        .map(|(d, _, u)| (d.as_str(), u.as_str()))
        .collect();
    assert_eq!(
        dates,
        [
            ("2026-11-01", "putuo-2024-3.ending-soon@butie"),
            ("2026-12-31", "putuo-2024-3.end@butie")
        ]
    );
    assert_eq!(events[0].1, "Putuo, 普科合规范〔2024〕3号: ends in 60 days");
    assert_eq!(
        butie::lifecycle::ENDING_SOON_DAYS,
        60,
        "the title says 60 days"
    );
    // TEXT values escape commas and line breaks (RFC 5545 §3.3.11).
    let unfolded = text.replace("\r\n ", "");
    assert!(
        unfolded.contains("SUMMARY;LANGUAGE=en:Putuo\\, 普科合规范"),
        "{unfolded}"
    );
    assert!(unfolded.contains("Apply in time\\, as the district's call directs.\\n"));
}

#[test]
fn upcoming_documents_bring_their_start_and_dated_steps() {
    let text = file(&with_fixtures(), "2026-12-01", Lang::Zh);
    check_lines(&text);
    let events = parsed(&text);
    let uids: Vec<&str> = events.iter().map(|(_, _, u)| u.as_str()).collect();
    for want in [
        "putuo-2024-3.end@butie",
        "putuo-2027-fictional.start@butie",
        "putuo-2027-fictional.step-1@butie",
        "putuo-2027-fictional.ending-soon@butie",
        "putuo-2027-fictional.end@butie",
        "hongkou-fictional-2025.end@butie",
    ] {
        assert!(uids.contains(&want), "{want} in {uids:?}");
    }
    let on = |uid: &str| {
        events
            .iter()
            .find(|(_, _, u)| u == uid)
            .map(|(d, s, _)| (d.clone(), s.clone()))
            .unwrap()
    };
    assert_eq!(on("putuo-2027-fictional.start@butie").0, "2027-01-01");
    assert_eq!(
        on("putuo-2027-fictional.step-1@butie"),
        (
            "2027-03-31".into(),
            "普陀区 虚构〔2026〕9号 2027年度申报截止（虚构）".into()
        )
    );
    assert_eq!(on("putuo-2027-fictional.ending-soon@butie").0, "2028-11-01");
    // UIDs are unique, and the same in another language and on another day.
    let mut unique = uids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), uids.len());
    let en = parsed(&file(&with_fixtures(), "2026-12-02", Lang::En));
    assert_eq!(
        en.iter().map(|e| &e.2).collect::<Vec<_>>(),
        events.iter().map(|e| &e.2).collect::<Vec<_>>()
    );
}

#[test]
fn nothing_in_force_or_upcoming_is_a_clear_error() {
    let set = real();
    let d = parse_date("2027-01-02").unwrap();
    assert!(!has_events(&set, d));
    let err = ics(&set, d, STAMP, Lang::Zh).unwrap_err();
    assert_eq!(err, CalendarError::Empty("2027-01-02".into()));
    assert!(err.text().zh.contains("没有施行中或即将施行的政策"));
}
