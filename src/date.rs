//! Calendar dates (`YYYY-MM-DD`), the policy window arithmetic and credit look-back windows.

pub use time::Date;
use time::Month;

/// Parses an ISO date `YYYY-MM-DD` from 1900 on; `None` when malformed or not a real calendar day.
pub fn parse_date(s: &str) -> Option<Date> {
    parse_ymd(s).filter(|d| d.year() >= 1900)
}

/// The years an evaluation date (`as_of`) may fall in.
pub const AS_OF_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Why an evaluation date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AsOfError {
    #[error("not a date: use YYYY-MM-DD, e.g. 2026-11-21")]
    Malformed,
    #[error("outside the years 1900–2100")]
    OutOfRange,
}

impl AsOfError {
    /// The reason in both languages (the caller names the field).
    pub fn text(self) -> crate::Text {
        match self {
            AsOfError::Malformed => crate::Text::new(
                "不是日期：请写作 YYYY-MM-DD，如 2026-11-21",
                self.to_string(),
            ),
            AsOfError::OutOfRange => {
                crate::Text::new("评估日期须在 1900 至 2100 年之间", self.to_string())
            }
        }
    }
}

/// Parses an evaluation date: `YYYY-MM-DD`, a real day, in the years [`AS_OF_YEARS`].
pub fn parse_as_of(s: &str) -> Result<Date, AsOfError> {
    let d = parse_ymd(s).ok_or(AsOfError::Malformed)?;
    if AS_OF_YEARS.contains(&d.year()) {
        Ok(d)
    } else {
        Err(AsOfError::OutOfRange)
    }
}

fn parse_ymd(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let y = i32::try_from(num(0..4)?).ok()?;
    let m = Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let d = u8::try_from(num(8..10)?).ok()?;
    Date::from_calendar_date(y, m, d).ok()
}

/// Formats a date as `YYYY-MM-DD`.
pub fn fmt_date(d: Date) -> String {
    let (y, m, day) = d.to_calendar_date();
    let Some(y) = u16::try_from(y).ok().filter(|y| *y <= 9999) else {
        return format!("{y:04}-{:02}-{day:02}", u8::from(m));
    };
    // By hand: reports carry a dozen dates, and `format!` with padding costs ten times this.
    let digits = |n: u16, width: u32| (0..width).rev().map(move |i| n / 10u16.pow(i) % 10);
    let mut s = String::with_capacity(10);
    for (n, width) in [(y, 4), (u16::from(u8::from(m)), 2), (u16::from(day), 2)] {
        if !s.is_empty() {
            s.push('-');
        }
        s.extend(digits(n, width).map(|d| char::from(b'0' + d as u8)));
    }
    s
}

/// The same calendar day `years` earlier (29 Feb falls back to 28 Feb).
pub fn years_before(d: Date, years: i32) -> Date {
    let y = d.year() - years;
    Date::from_calendar_date(y, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(y, d.month(), d.day() - 1))
        .unwrap_or(d)
}

/// An inclusive range of days: the application period (申报期) of a year's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    /// No separator between the two dates.
    NotARange(String),
    /// One end is not a `YYYY-MM-DD` date.
    BadDate(String),
    /// The period ends before it starts.
    Reversed { from: Date, to: Date },
}

/// Separators accepted between the two dates of a period, besides `..`.
const PERIOD_SEPARATORS: &[&str] = &["..", "～", "~", "至", "到", "—", "–", " to "];

impl Period {
    /// A period; `from` must not be after `to`.
    pub fn new(from: Date, to: Date) -> Result<Period, PeriodError> {
        if from > to {
            return Err(PeriodError::Reversed { from, to });
        }
        Ok(Period { from, to })
    }

    /// Reads `2026-03-01..2026-04-30` (also `~`, `至`, `到`, `—`, `–` or ` to ` between).
    /// This is the one parser of periods for every front end (CLI, JS API, page, widget).
    pub fn parse(s: &str) -> Result<Period, PeriodError> {
        let t = s.trim();
        let (a, b) = PERIOD_SEPARATORS
            .iter()
            .find_map(|sep| t.split_once(sep))
            .ok_or_else(|| PeriodError::NotARange(t.to_string()))?;
        let date = |x: &str| {
            parse_date(x.trim()).ok_or_else(|| PeriodError::BadDate(x.trim().to_string()))
        };
        Period::new(date(a)?, date(b)?)
    }

    /// Whether `d` is inside the period (both ends included).
    pub fn contains(&self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }
}

impl std::fmt::Display for Period {
    /// `2026-03-01..2026-04-30`, the form [`Period::parse`] reads.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", fmt_date(self.from), fmt_date(self.to))
    }
}

impl PeriodError {
    /// The message in both languages.
    pub fn text(&self) -> crate::text::Text {
        use crate::text::Text;
        const EXAMPLE: &str = "2026-03-01..2026-04-30";
        match self {
            PeriodError::NotARange(s) => Text::new(
                format!("“{s}”不是起止日期：请写作 起始日期..截止日期，如 {EXAMPLE}"),
                format!("`{s}` is not a period: write start..end, e.g. {EXAMPLE}"),
            ),
            PeriodError::BadDate(s) => Text::new(
                format!("“{s}”不是日期：请写作 YYYY-MM-DD，如 {EXAMPLE}"),
                format!("`{s}` is not a date: use YYYY-MM-DD, e.g. {EXAMPLE}"),
            ),
            PeriodError::Reversed { from, to } => Text::new(
                format!(
                    "截止日期 {} 早于起始日期 {}",
                    fmt_date(*to),
                    fmt_date(*from)
                ),
                format!(
                    "the period ends ({}) before it starts ({})",
                    fmt_date(*to),
                    fmt_date(*from)
                ),
            ),
        }
    }
}

impl std::fmt::Display for PeriodError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text().en)
    }
}

impl std::error::Error for PeriodError {}

/// Serde helpers for compact bundles: a date as its Julian day number.
pub mod serde_jd {
    use super::Date;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    /// Serializes a date as its Julian day.
    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(d.to_julian_day())
    }

    /// Reads a date from its Julian day.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        Date::from_julian_day(i32::deserialize(d)?).map_err(D::Error::custom)
    }

    /// The same for `Option<Date>`.
    pub mod option {
        use super::*;

        /// Serializes an optional date as an optional Julian day.
        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_some(&d.to_julian_day()),
                None => s.serialize_none(),
            }
        }

        /// Reads an optional date from an optional Julian day.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            Option::<i32>::deserialize(d)?
                .map(|j| Date::from_julian_day(j).map_err(D::Error::custom))
                .transpose()
        }
    }
}

/// Serde helpers: dates as `YYYY-MM-DD` strings.
pub mod serde_iso {
    use super::*;
    use serde::Serializer;

    /// Serializes a date as `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!(
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        ))
    }

    /// Serializes an optional date as `YYYY-MM-DD` or null.
    pub fn option<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => serialize(d, s),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_format_would() {
        let mut d = Date::from_calendar_date(-3, Month::December, 25).unwrap();
        let end = Date::from_calendar_date(2031, Month::January, 10).unwrap();
        let mut checked = 0;
        while d < end {
            let (y, m, day) = d.to_calendar_date();
            assert_eq!(fmt_date(d), format!("{y:04}-{:02}-{day:02}", u8::from(m)));
            d = d.next_day().unwrap();
            checked += 1;
        }
        assert!(checked > 700_000);
        for d in [Date::MIN, Date::MAX] {
            let (y, m, day) = d.to_calendar_date();
            assert_eq!(fmt_date(d), format!("{y:04}-{:02}-{day:02}", u8::from(m)));
        }
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(fmt_date(parse_date("2024-02-29").unwrap()), "2024-02-29");
        assert!(parse_date("2023-02-29").is_none());
        assert!(parse_date("2023-2-1").is_none());
        assert!(parse_date("2023-13-01").is_none());
        assert!(parse_date("+023-01-01").is_none());
        assert!(parse_date("２０２３-01-01").is_none());
    }

    #[test]
    fn periods() {
        let p = Period::parse(" 2026-03-01..2026-04-30 ").unwrap();
        assert_eq!(p.to_string(), "2026-03-01..2026-04-30");
        for s in [
            "2026-03-01 至 2026-04-30",
            "2026-03-01~2026-04-30",
            "2026-03-01 to 2026-04-30",
        ] {
            assert_eq!(Period::parse(s).unwrap(), p, "{s}");
        }
        assert!(p.contains(parse_date("2026-03-01").unwrap()));
        assert!(p.contains(parse_date("2026-04-30").unwrap()));
        assert!(!p.contains(parse_date("2026-05-01").unwrap()));
        assert_eq!(
            Period::parse("2026-03-01"),
            Err(PeriodError::NotARange("2026-03-01".into()))
        );
        assert_eq!(
            Period::parse("2026-03-01..2026-02-30"),
            Err(PeriodError::BadDate("2026-02-30".into()))
        );
        assert!(matches!(
            Period::parse("2026-04-30..2026-03-01"),
            Err(PeriodError::Reversed { .. })
        ));
        assert!(
            Period::parse("x")
                .unwrap_err()
                .text()
                .zh
                .contains("起止日期")
        );
    }

    #[test]
    fn evaluation_dates_are_1900_to_2100() {
        assert_eq!(fmt_date(parse_as_of("1900-01-01").unwrap()), "1900-01-01");
        assert_eq!(fmt_date(parse_as_of("2100-12-31").unwrap()), "2100-12-31");
        assert_eq!(parse_as_of("1899-12-31"), Err(AsOfError::OutOfRange));
        assert_eq!(parse_as_of("2101-01-01"), Err(AsOfError::OutOfRange));
        assert_eq!(parse_as_of("9999-12-31"), Err(AsOfError::OutOfRange));
        assert_eq!(parse_as_of("0000-01-01"), Err(AsOfError::OutOfRange));
        assert_eq!(parse_as_of("2026-02-30"), Err(AsOfError::Malformed));
        assert_eq!(parse_as_of(""), Err(AsOfError::Malformed));
        assert!(AsOfError::OutOfRange.text().zh.contains("1900 至 2100"));
    }

    #[test]
    fn look_back() {
        let d = parse_date("2024-02-29").unwrap();
        assert_eq!(fmt_date(years_before(d, 3)), "2021-02-28");
        let d = parse_date("2026-11-21").unwrap();
        assert_eq!(fmt_date(years_before(d, 3)), "2023-11-21");
    }
}
