//! Dates in the form: today in Shanghai (UTC+8) from the browser clock; typed dates
//! (`2025/5/10`, `2025.05.10`, `20250510` → `2025-05-10`) are read by the core.

use butie::date::{AsOfError, Date, fmt_date, parse_as_of};

const MS_PER_DAY: f64 = 86_400_000.0;
const SHANGHAI_OFFSET_MS: f64 = 8.0 * 3_600_000.0;

/// Today's date in Shanghai as `YYYY-MM-DD`.
#[cfg(target_arch = "wasm32")]
pub fn today_shanghai() -> String {
    date_from_unix_ms(js_sys::Date::now())
}

/// Today's date in Shanghai as `YYYY-MM-DD` (native builds: the system clock).
#[cfg(not(target_arch = "wasm32"))]
pub fn today_shanghai() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as f64)
        .unwrap_or(0.0);
    date_from_unix_ms(ms)
}

/// Now, in Unix seconds (a calendar file's DTSTAMP).
pub fn now_unix() -> i64 {
    #[cfg(target_arch = "wasm32")]
    let ms = js_sys::Date::now();
    #[cfg(not(target_arch = "wasm32"))]
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64);
    (ms / 1000.0) as i64
}

/// The Shanghai calendar date of a Unix time in milliseconds.
pub fn date_from_unix_ms(ms: f64) -> String {
    let days = ((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY).floor();
    // Outside ±100 000 years the clock is broken; fall back to the epoch.
    let days = if days.is_finite() && days.abs() < 36_500_000.0 {
        days as i64
    } else {
        0
    };
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Typed dates (`2025/5/10` → `2025-05-10`) are read by the core, as in the batch.
pub use butie::typed::parse_typed_date;

/// A typed evaluation date ([`parse_typed_date`]), in the years 1900–2100.
pub fn parse_typed_as_of(raw: &str) -> Result<Date, AsOfError> {
    let d = parse_typed_date(raw).ok_or(AsOfError::Malformed)?;
    parse_as_of(&fmt_date(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_midnight() {
        // 2026-11-20T16:00:00Z is midnight in Shanghai on the 21st.
        assert_eq!(date_from_unix_ms(1_795_190_400_000.0), "2026-11-21");
        assert_eq!(date_from_unix_ms(1_795_190_399_999.0), "2026-11-20");
        assert_eq!(date_from_unix_ms(0.0), "1970-01-01");
        assert_eq!(
            date_from_unix_ms(951_782_400_000.0 - 8.0 * 3_600_000.0),
            "2000-02-29"
        );
        assert_eq!(date_from_unix_ms(f64::NAN), "1970-01-01");
    }

    #[test]
    fn typed_evaluation_dates() {
        assert!(parse_typed_date("2025-13-40").is_none());
        assert!(parse_typed_date("2025/2/29").is_none());
        assert!(parse_typed_date("2024/2/29").is_some());
        assert_eq!(
            parse_typed_as_of("2101/1/1"),
            Err(AsOfError::OutOfRange),
            "an evaluation date is in 1900–2100"
        );
    }
}
