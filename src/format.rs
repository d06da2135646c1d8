//! Money and rate formatting: the Chinese way (万元, 亿元) and the English way (CNY).

use crate::text::{Lang, Text};
use rust_decimal::Decimal;

const WAN: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);
const YI: Decimal = Decimal::from_parts(100_000_000, 0, 0, false, 0);

/// Short form: `30万元`, `5亿元`, `1,000元` / `CNY 300,000`.
pub fn money(d: Decimal, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            let a = d.abs();
            if a >= YI && (a % Decimal::from(1_000_000)).is_zero() {
                format!("{}亿元", trim(d / YI))
            } else if a >= WAN {
                format!("{}万元", trim((d / WAN).round_dp(4)))
            } else {
                format!("{}元", trim(d))
            }
        }
        Lang::En => format!("CNY {}", group(d, false)),
    }
}

/// Full form to the fen: `300,000.00元` / `CNY 300,000.00`.
pub fn money_full(d: Decimal, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}元", group(d, true)),
        Lang::En => format!("CNY {}", group(d, true)),
    }
}

/// Both languages, short form.
pub fn money_text(d: Decimal) -> Text {
    Text::new(money(d, Lang::Zh), money(d, Lang::En))
}

/// Amount in 万元 as a plain number (`30`, `12.3456`), for tables and CSV.
pub fn in_wan(d: Decimal) -> String {
    let mut s = String::new();
    let _ = write_wan(&mut s, d);
    s
}

/// Writes [`in_wan`]'s text without allocating (batches write millions of amounts): whole
/// fen move the decimal point, anything finer is divided and rounded to six places.
pub fn write_wan(out: &mut impl std::fmt::Write, d: Decimal) -> std::fmt::Result {
    if d.is_zero() {
        return out.write_char('0');
    }
    let fen = (d.scale() <= 2)
        .then(|| crate::money::fen(d))
        .flatten()
        .filter(|f| f.unsigned_abs() < 1 << 100);
    let Some(fen) = fen else {
        return write!(out, "{}", trim((d / WAN).round_dp(6)));
    };
    if fen < 0 {
        out.write_char('-')?;
    }
    let a = fen.unsigned_abs();
    // In 64 bits when it fits: 128-bit division is a library call.
    let frac = match u64::try_from(a) {
        Ok(a) => {
            out.write_str(itoa::Buffer::new().format(a / 1_000_000))?;
            a % 1_000_000
        }
        Err(_) => {
            out.write_str(itoa::Buffer::new().format(a / 1_000_000))?;
            (a % 1_000_000) as u64
        }
    };
    if frac == 0 {
        return Ok(());
    }
    // Six places, trailing zeros dropped.
    let mut digits = [0u8; 6];
    let mut f = frac;
    for d in digits.iter_mut().rev() {
        *d = b'0' + (f % 10) as u8;
        f /= 10;
    }
    let len = 6 - digits.iter().rev().take_while(|&&d| d == b'0').count();
    out.write_char('.')?;
    out.write_str(std::str::from_utf8(&digits[..len]).unwrap_or_default())
}

/// A fraction as a percentage: `0.3` → `30%`.
pub fn rate(r: Decimal) -> String {
    format!("{}%", trim(r * Decimal::ONE_HUNDRED))
}

fn trim(d: Decimal) -> String {
    d.normalize().to_string()
}

fn group(d: Decimal, fen: bool) -> String {
    let mut r = crate::money::round_fen(d);
    if fen || !r.fract().is_zero() {
        r.rescale(2);
    } else {
        r.rescale(0);
    }
    let s = r.abs().to_string();
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if r.is_sign_negative() && !r.is_zero() {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn chinese_units() {
        assert_eq!(money(d("300000"), Lang::Zh), "30万元");
        assert_eq!(money(d("25000"), Lang::Zh), "2.5万元");
        assert_eq!(money(d("500000000"), Lang::Zh), "5亿元");
        assert_eq!(money(d("1000"), Lang::Zh), "1000元");
        assert_eq!(money(d("123456.78"), Lang::Zh), "12.3457万元");
        assert_eq!(money_full(d("1234567.8"), Lang::Zh), "1,234,567.80元");
        assert_eq!(money(d("300000"), Lang::En), "CNY 300,000");
        assert_eq!(money(d("0.5"), Lang::En), "CNY 0.50");
        assert_eq!(rate(d("0.3")), "30%");
        assert_eq!(in_wan(d("300000")), "30");
        for v in [
            "0",
            "300000",
            "305000",
            "12345.67",
            "0.01",
            "5000000000",
            "1521000",
            "-1500",
            "0.5",
            "123.456",
            "1.0000005",
            "79228162514264337593543950335",
        ] {
            assert_eq!(in_wan(d(v)), trim((d(v) / WAN).round_dp(6)), "{v}");
        }
    }
}
