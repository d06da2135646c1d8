//! Exact money in yuan: parsing (元, 万, 亿, %), the fen rounding rule, checked arithmetic.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;

/// The rounding rule of the money path: half away from zero to the fen (0.01 元), except
/// under a ceiling rate ("不超过30%", "50%以内"), which rounds down so that rounding never
/// lifts an amount above the rate it may not exceed. Ceilings apply after rounding.
pub const ROUNDING_RULE: &str = "round half away from zero to the fen (0.01 yuan) after every multiplication; \
     under a ceiling rate (不超过/以内 X%) round down, so rounding never lifts an amount above a ceiling";

/// Largest amount accepted as input (1 万亿元). Anything above is rejected as absurd.
pub const MAX_INPUT_YUAN: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0); // 1e12

/// Why a money or rate literal could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not a number: {0:?}")]
    NotANumber(String),
    #[error("negative amounts are not allowed")]
    Negative,
    #[error("more than two decimal places (amounts are in yuan, exact to the fen)")]
    TooPrecise,
    #[error("amount above 1 万亿元 (1,000,000,000,000 yuan) is not plausible")]
    TooLarge,
    #[error("a rate must be written as a percentage between 0% and 100%, e.g. \"30%\"")]
    BadRate,
    #[error("arithmetic overflow")]
    Overflow,
}

/// Rounds to the fen with [`ROUNDING_RULE`].
pub fn round_fen(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Parses an amount written in data files: `1000`, `1000.50`, `30万`, `2.5万`, `5亿`.
pub fn parse_amount(s: &str) -> Result<Decimal, MoneyError> {
    let t = s.trim();
    let (num, mult) = if let Some(n) = t.strip_suffix('亿') {
        (n, Decimal::from(100_000_000u32))
    } else if let Some(n) = t.strip_suffix('万') {
        (n, Decimal::from(10_000u32))
    } else {
        (t.strip_suffix('元').unwrap_or(t), Decimal::ONE)
    };
    let d = parse_plain_decimal(num.trim())?;
    let v = d.checked_mul(mult).ok_or(MoneyError::Overflow)?;
    check_input(v)
}

/// Parses a yuan amount from user input (JSON string or integer): plain decimal, at most two places.
pub fn parse_yuan(s: &str) -> Result<Decimal, MoneyError> {
    check_input(parse_plain_decimal(s.trim())?)
}

/// Parses a rate such as `30%` or `80%` into a fraction (0.30, 0.80).
pub fn parse_rate(s: &str) -> Result<Decimal, MoneyError> {
    let n = s.trim().strip_suffix('%').ok_or(MoneyError::BadRate)?;
    let d = parse_plain_decimal(n.trim()).map_err(|_| MoneyError::BadRate)?;
    if d.is_sign_negative() || d > Decimal::ONE_HUNDRED {
        return Err(MoneyError::BadRate);
    }
    Ok(d / Decimal::ONE_HUNDRED)
}

fn parse_plain_decimal(s: &str) -> Result<Decimal, MoneyError> {
    if let Some(d) = plain_digits(s) {
        return Ok(d);
    }
    let ok = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && s.bytes().filter(|&b| b == b'.').count() <= 1
        && !s.ends_with('.')
        && !s.starts_with('.')
        && s.rfind('-').is_none_or(|i| i == 0);
    if !ok {
        return Err(MoneyError::NotANumber(s.to_string()));
    }
    if s.len() > 40 {
        return Err(MoneyError::TooLarge);
    }
    parse_digits(s).map_err(|_| MoneyError::NotANumber(s.to_string()))
}

/// Parses a decimal number as `rust_decimal` does (the same mantissa and scale); plain digits
/// quickly ([`plain_digits`]), anything else by `rust_decimal`.
pub(crate) fn parse_digits(s: &str) -> Result<Decimal, rust_decimal::Error> {
    plain_digits(s).map_or_else(|| s.parse(), Ok)
}

/// Up to 18 digits with at most one inner `.` (the amounts of a client list, read by the
/// million), in 64-bit arithmetic: what `rust_decimal` would read, or `None` for anything else.
fn plain_digits(s: &str) -> Option<Decimal> {
    let b = s.as_bytes();
    // 18 digits always fit in an i64.
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    let (mut m, mut scale) = (0i64, None);
    let plain = b.iter().enumerate().all(|(i, &c)| match c {
        b'0'..=b'9' => {
            m = m * 10 + i64::from(c - b'0');
            true
        }
        b'.' if scale.is_none() && i > 0 && i + 1 < b.len() => {
            scale = Some((b.len() - i - 1) as u32);
            true
        }
        _ => false,
    });
    plain.then(|| Decimal::new(m, scale.unwrap_or(0)))
}

fn check_input(d: Decimal) -> Result<Decimal, MoneyError> {
    if d.is_sign_negative() && !d.is_zero() {
        return Err(MoneyError::Negative);
    }
    if d.scale() > 2 && d.normalize().scale() > 2 {
        return Err(MoneyError::TooPrecise);
    }
    if d > MAX_INPUT_YUAN {
        return Err(MoneyError::TooLarge);
    }
    Ok(d.normalize())
}

/// `a + b`, or an overflow error.
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, MoneyError> {
    a.checked_add(b).ok_or(MoneyError::Overflow)
}

/// `a - b`, or an overflow error.
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, MoneyError> {
    a.checked_sub(b).ok_or(MoneyError::Overflow)
}

/// `a × b` rounded to the fen with `strategy` (one copy of the rounding code for both rules).
#[inline(never)]
fn mul_round(a: Decimal, b: Decimal, strategy: RoundingStrategy) -> Result<Decimal, MoneyError> {
    a.checked_mul(b)
        .map(|d| d.round_dp_with_strategy(2, strategy))
        .ok_or(MoneyError::Overflow)
}

/// `a × b` rounded to the fen, or an overflow error.
pub fn mul_fen(a: Decimal, b: Decimal) -> Result<Decimal, MoneyError> {
    mul_round(a, b, RoundingStrategy::MidpointAwayFromZero)
}

/// `a × b` rounded down to the fen (a ceiling rate: never above `a × b`), or an overflow error.
pub fn mul_fen_down(a: Decimal, b: Decimal) -> Result<Decimal, MoneyError> {
    mul_round(a, b, RoundingStrategy::ToZero)
}

/// A yuan amount printed with exactly two decimals, e.g. `300000.00` (the JSON form).
pub fn to_fixed2(d: Decimal) -> String {
    let mut s = String::new();
    let _ = write_fixed2(&mut s, d);
    s
}

/// The amount in fen (rounded with [`ROUNDING_RULE`]), when it fits in an `i128`.
pub fn fen(d: Decimal) -> Option<i128> {
    let r = if d.scale() <= 2 { d } else { round_fen(d) };
    let (m, k) = (r.mantissa(), 10i64.pow(2 - r.scale().min(2)));
    // In 64 bits when it fits (every real amount): 128-bit arithmetic is a library call.
    match i64::try_from(m).ok().and_then(|m| m.checked_mul(k)) {
        Some(f) => Some(i128::from(f)),
        None => m.checked_mul(i128::from(k)),
    }
}

/// Writes [`to_fixed2`]'s text without allocating (batches write millions of amounts).
pub fn write_fixed2(out: &mut impl fmt::Write, d: Decimal) -> fmt::Result {
    if d.is_zero() {
        return out.write_str("0.00");
    }
    match fen(d) {
        Some(f) => {
            if f < 0 {
                out.write_char('-')?;
            }
            let a = f.unsigned_abs();
            // In 64 bits when it fits: 128-bit division is a library call.
            let cents = match u64::try_from(a) {
                Ok(a) => {
                    out.write_str(itoa::Buffer::new().format(a / 100))?;
                    (a % 100) as u8
                }
                Err(_) => {
                    out.write_str(itoa::Buffer::new().format(a / 100))?;
                    (a % 100) as u8
                }
            };
            out.write_char('.')?;
            out.write_char(char::from(b'0' + cents / 10))?;
            out.write_char(char::from(b'0' + cents % 10))
        }
        None => {
            let mut r = round_fen(d);
            r.rescale(2);
            write!(out, "{r}")
        }
    }
}

/// Wrapper that displays a yuan amount with two decimals.
pub struct Fixed2(pub Decimal);

impl fmt::Display for Fixed2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_fixed2(f, self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn digits_parse_as_rust_decimal_does() {
        for s in [
            "0",
            "00",
            "0.00",
            "7",
            "007",
            "1.50",
            "18000000.00",
            "999999999999999999",
            "99999999999999999.9",
            "1000000000000000000",
            "0.000000000000001",
            "1.",
            ".5",
            "1.2.3",
            "-5",
            "-0",
            "-0.10",
            "1e5",
            "",
            "12345678901234567890123.45",
        ] {
            let (fast, slow) = (parse_digits(s), s.parse::<Decimal>());
            assert_eq!(fast.is_ok(), slow.is_ok(), "{s}");
            if let (Ok(a), Ok(b)) = (fast, slow) {
                assert_eq!(
                    (a.mantissa(), a.scale(), a.is_sign_negative()),
                    (b.mantissa(), b.scale(), b.is_sign_negative()),
                    "{s}"
                );
            }
        }
    }

    #[test]
    fn parses_chinese_units() {
        assert_eq!(parse_amount("30万").unwrap(), d("300000"));
        assert_eq!(parse_amount("2.5万").unwrap(), d("25000"));
        assert_eq!(parse_amount("5亿").unwrap(), d("500000000"));
        assert_eq!(parse_amount("1000").unwrap(), d("1000"));
        assert_eq!(parse_amount("1000元").unwrap(), d("1000"));
    }

    #[test]
    fn rejects_bad_input() {
        assert!(matches!(parse_yuan("-1"), Err(MoneyError::Negative)));
        assert!(matches!(parse_yuan("1.234"), Err(MoneyError::TooPrecise)));
        assert!(matches!(parse_yuan("1e5"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(parse_yuan(""), Err(MoneyError::NotANumber(_))));
        assert!(matches!(
            parse_yuan("1000000000001"),
            Err(MoneyError::TooLarge)
        ));
        assert!(matches!(
            parse_yuan(&"9".repeat(60)),
            Err(MoneyError::TooLarge)
        ));
        assert_eq!(parse_yuan("1.50").unwrap(), d("1.5"));
        assert_eq!(parse_yuan("1000000000000").unwrap(), MAX_INPUT_YUAN);
    }

    #[test]
    fn rates_and_rounding() {
        assert_eq!(parse_rate("30%").unwrap(), d("0.3"));
        assert!(parse_rate("130%").is_err());
        assert!(parse_rate("30").is_err());
        assert_eq!(mul_fen(d("333.335"), Decimal::ONE).unwrap(), d("333.34"));
        assert_eq!(mul_fen(d("0.005"), Decimal::ONE).unwrap(), d("0.01"));
        // A half fen under a ceiling rate rounds down: 50% × 0.03 = 0.015 → 0.01, not 0.02.
        assert_eq!(mul_fen_down(d("0.03"), d("0.5")).unwrap(), d("0.01"));
        assert_eq!(
            mul_fen_down(d("1666666.65"), d("0.3")).unwrap(),
            d("499999.99")
        );
        assert_eq!(to_fixed2(d("300000")), "300000.00");
        for (v, want) in [
            ("0", "0.00"),
            ("0.5", "0.50"),
            ("0.005", "0.01"),
            ("-0.005", "-0.01"),
            ("1234567.891", "1234567.89"),
            ("-12.3", "-12.30"),
            ("1000000000000", "1000000000000.00"),
        ] {
            let mut r = round_fen(d(v));
            r.rescale(2);
            assert_eq!(to_fixed2(d(v)), want, "{v}");
            assert_eq!(r.to_string(), want, "{v} as before");
        }
        // Beyond what a Decimal can hold with two places, the fen are still written.
        assert_eq!(to_fixed2(Decimal::MAX), "79228162514264337593543950335.00");
    }
}
