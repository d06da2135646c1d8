//! Values as people type them, in the form and in client lists (CSV, Excel): `50万`, `1,200万`,
//! `１２`, `三级`, `Level 3`, `2024/05/01`, `2024年5月1日`.
//!
//! One lenient reader for every front end, so a cell the form accepts is accepted by the batch
//! too. The JSON contract stays strict ([`crate::profile::parse_value_json`]).

use crate::catalogue::{FactDef, FactKind};
use crate::date::{Date, parse_date};
use crate::money::{MAX_INPUT_YUAN, MoneyError};
use crate::profile::{
    EMPTY_LIST_WORDS, MAX_DATES, Value, ValueError, check_range, parse_value_str,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The unit a bare number is read in; a typed unit (`万`, `亿`, `元`) always wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MoneyUnit {
    /// 万元 (10 000 yuan), the way Chinese policies and firms count: the form's default.
    #[default]
    Wan,
    /// Plain yuan: client lists.
    Yuan,
}

const WAN: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);
const YI: Decimal = Decimal::from_parts(100_000_000, 0, 0, false, 0);

/// Separators dropped from numbers: thousands separators and spaces, ASCII and full-width.
const NUMBER_NOISE: [char; 5] = [',', '，', ' ', '_', '\u{3000}'];
/// What separates the dates of a date list.
const DATE_LIST_SEPARATORS: [char; 7] = [';', ',', ' ', '；', '，', '、', '\n'];

/// `s` without surrounding whitespace (Unicode's, as [`str::trim`]: full-width spaces too);
/// quick when it has none (most cells): the ends are looked at as bytes, not decoded.
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    match b.first() {
        Some(&first) if !may_start_space(first) && !may_end_space(b) => s,
        _ => s.trim(),
    }
}

/// Whether a character starting with byte `lead` may be whitespace: ASCII whitespace (or
/// another control byte), or the first byte of a non-ASCII space (U+0085 and U+00A0: `C2`;
/// U+1680: `E1`; U+2000–U+205F: `E2`; U+3000, the full-width space: `E3`). Chinese text and
/// digits are not.
fn may_start_space(lead: u8) -> bool {
    lead <= b' ' || matches!(lead, 0xC2 | 0xE1..=0xE3)
}

/// Whether the last character of the non-empty `b` may be whitespace: an ASCII one, or a
/// non-ASCII space (two bytes from `C2`, three from `E1`–`E3`).
fn may_end_space(b: &[u8]) -> bool {
    let n = b.len();
    match b[n - 1] {
        last if last < 0x80 => last <= b' ',
        _ => (n >= 2 && b[n - 2] == 0xC2) || (n >= 3 && matches!(b[n - 3], 0xE1..=0xE3)),
    }
}

/// Full-width digits and signs to ASCII; thousands separators and spaces dropped.
pub fn normalize_number(raw: &str) -> Cow<'_, str> {
    let s = trim(raw);
    if s.bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter(|c| !NUMBER_NOISE.contains(c))
            .map(|c| match c {
                '０'..='９' => {
                    char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
                }
                '．' | '。' => '.',
                '－' | '−' => '-',
                other => other,
            })
            .collect(),
    )
}

/// An amount as typed, in yuan: `2000000`, `2,000,000.50`, `200万`, `1.5亿`, `300元`; a bare
/// number is in `unit`. At most two decimals once in yuan (the fen), at most 1 万亿元.
pub fn parse_money(raw: &str, unit: MoneyUnit) -> Result<Decimal, ValueError> {
    let s = normalize_number(raw);
    let s = s.trim_start_matches(['¥', '￥']);
    let (digits, multiplier, typed) = if let Some(n) = strip_any(s, &["万元", "万"]) {
        (n, WAN, MoneyUnit::Wan)
    } else if let Some(n) = strip_any(s, &["亿元", "亿"]) {
        (n, YI, MoneyUnit::Yuan)
    } else if let Some(n) = s.strip_suffix('元') {
        (n, Decimal::ONE, MoneyUnit::Yuan)
    } else {
        let m = match unit {
            MoneyUnit::Wan => WAN,
            MoneyUnit::Yuan => Decimal::ONE,
        };
        (s, m, unit)
    };
    let err = |error| ValueError::Amount { unit: typed, error };
    let digits = trim(digits);
    let (negative, magnitude) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    let well_formed = !magnitude.is_empty()
        && magnitude.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && magnitude.bytes().filter(|&b| b == b'.').count() <= 1
        && !magnitude.starts_with('.')
        && !magnitude.ends_with('.');
    if !well_formed {
        return Err(err(MoneyError::NotANumber(raw.trim().to_string())));
    }
    if magnitude.len() > 30 {
        return Err(err(MoneyError::TooLarge));
    }
    let d = crate::money::parse_digits(magnitude).map_err(|_| err(MoneyError::TooLarge))?;
    if negative && !d.is_zero() {
        return Err(err(MoneyError::Negative));
    }
    let yuan = if multiplier == Decimal::ONE {
        d
    } else {
        d.checked_mul(multiplier).ok_or(err(MoneyError::TooLarge))?
    };
    if yuan.normalize().scale() > 2 {
        return Err(err(MoneyError::TooPrecise));
    }
    if yuan > MAX_INPUT_YUAN {
        return Err(err(MoneyError::TooLarge));
    }
    Ok(yuan.normalize())
}

fn strip_any<'s>(s: &'s str, suffixes: &[&str]) -> Option<&'s str> {
    suffixes.iter().find_map(|x| s.strip_suffix(x))
}

/// Rewrites common ways of typing a date into `YYYY-MM-DD` (`2025/5/10`, `2025.05.10`,
/// `20250510`, `2025年5月10日`); anything else comes back trimmed and unchanged (the date
/// parser then rejects it).
pub fn normalize_date(raw: &str) -> Cow<'_, str> {
    let s = trim(raw);
    if s.len() == 10 && parse_date(s).is_some() {
        return Cow::Borrowed(s);
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Cow::Owned(format!("{}-{}-{}", &s[0..4], &s[4..6], &s[6..8]));
    }
    let unified: String = s
        .chars()
        .filter(|c| *c != '日')
        .map(|c| match c {
            '/' | '.' | '年' | '月' => '-',
            other => other,
        })
        .collect();
    let mut parts = unified.split('-');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d), None)
            if y.len() == 4
                && (1..=2).contains(&m.len())
                && (1..=2).contains(&d.len())
                && [y, m, d]
                    .iter()
                    .all(|p| p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            Cow::Owned(format!("{y}-{m:0>2}-{d:0>2}"))
        }
        _ => Cow::Borrowed(s),
    }
}

/// A date as typed (see [`normalize_date`]).
pub fn parse_typed_date(raw: &str) -> Option<Date> {
    let s = trim(raw);
    parse_date(s).or_else(|| parse_date(&normalize_date(s)))
}

/// Folds an enum spelling for comparison: case, spaces, full-width and Chinese digits
/// (`三级` and `3级`, `Level 3` and `level3`, `ＡＡ` and `aa` match). Case in ASCII only (the
/// labels' Latin letters are ASCII; Unicode case tables would add ~14 KiB to the page).
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '〇' | '零' => '0',
            '一' => '1',
            '二' | '两' => '2',
            '三' => '3',
            '四' => '4',
            '五' => '5',
            '六' => '6',
            '七' => '7',
            '八' => '8',
            '九' => '9',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFF01 + 0x21).unwrap_or(c),
            other => other,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The enum value typed: its id, or its Chinese or English label, spelled loosely ([`fold`]).
fn enum_value(def: &FactDef, s: &str) -> Option<usize> {
    if let Some(i) = def.values.iter().position(|v| v.id == s) {
        return Some(i);
    }
    let want = fold(s);
    def.values
        .iter()
        .position(|v| [&v.id, &v.zh, &v.en].iter().any(|x| fold(x) == want))
}

/// Parses a value typed by a person (a form field, a CSV or Excel cell); empty means unknown.
/// Money without a typed unit is read in `unit`.
pub fn parse_typed(def: &FactDef, raw: &str, unit: MoneyUnit) -> Result<Option<Value>, ValueError> {
    let s = trim(raw);
    if s.is_empty() {
        return Ok(None);
    }
    let v = match def.kind {
        FactKind::Money => Value::Money(parse_money(s, unit)?),
        FactKind::Integer => {
            let n: i64 = normalize_number(s)
                .parse()
                .map_err(|_| ValueError::NotInteger)?;
            check_range(def, n)?
        }
        FactKind::Date => Value::Date(parse_typed_date(s).ok_or(ValueError::BadDate)?),
        FactKind::Dates if EMPTY_LIST_WORDS.contains(&s) => Value::Dates(Vec::new()),
        FactKind::Dates => {
            let mut out = Vec::new();
            for (i, part) in s
                .split(DATE_LIST_SEPARATORS)
                .filter(|p| !trim(p).is_empty())
                .enumerate()
            {
                if out.len() == MAX_DATES {
                    return Err(ValueError::TooMany { max: MAX_DATES });
                }
                out.push(parse_typed_date(part).ok_or(ValueError::BadDateAt {
                    index: i + 1,
                    text: part.trim().to_string(),
                })?);
            }
            out.sort();
            Value::Dates(out)
        }
        FactKind::Enum => match enum_value(def, s) {
            Some(i) => Value::Enum(i as u16),
            None => {
                return Err(ValueError::UnknownValue {
                    allowed: def.values.iter().map(|v| v.id.clone()).collect(),
                });
            }
        },
        FactKind::Bool | FactKind::Text => return parse_value_str(def, s),
    };
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::set::PolicySet;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn amount(e: MoneyError, unit: MoneyUnit) -> ValueError {
        ValueError::Amount { unit, error: e }
    }

    #[test]
    fn money_in_either_unit() {
        use MoneyUnit::*;
        assert_eq!(parse_money("200", Wan), Ok(d("2000000")));
        assert_eq!(parse_money(" 12.5 万", Wan), Ok(d("125000")));
        assert_eq!(parse_money("0.000001", Wan), Ok(d("0.01")));
        assert_eq!(parse_money("１,２００", Wan), Ok(d("12000000")));
        assert_eq!(parse_money("2000000", Yuan), Ok(d("2000000")));
        assert_eq!(parse_money("2000000.50", Yuan), Ok(d("2000000.5")));
        assert_eq!(parse_money("50万", Yuan), Ok(d("500000")));
        assert_eq!(parse_money("1,200万", Yuan), Ok(d("12000000")));
        assert_eq!(parse_money("1.5亿元", Yuan), Ok(d("150000000")));
        assert_eq!(parse_money("300元", Wan), Ok(d("300")));
        assert_eq!(parse_money("¥1,000", Yuan), Ok(d("1000")));
        assert_eq!(parse_money("100000000", Wan), Ok(d("1000000000000")));
        assert_eq!(
            parse_money("0.0000001", Wan),
            Err(amount(MoneyError::TooPrecise, Wan))
        );
        assert_eq!(
            parse_money("1.234", Yuan),
            Err(amount(MoneyError::TooPrecise, Yuan))
        );
        assert_eq!(
            parse_money("-5", Wan),
            Err(amount(MoneyError::Negative, Wan))
        );
        for bad in ["abc", "1e5", "1.2.3", "万", ".5"] {
            assert!(
                matches!(
                    parse_money(bad, Yuan),
                    Err(ValueError::Amount {
                        error: MoneyError::NotANumber(_),
                        ..
                    })
                ),
                "{bad}"
            );
        }
        assert_eq!(
            parse_money("100000000.01", Wan),
            Err(amount(MoneyError::TooLarge, Wan))
        );
        assert_eq!(
            parse_money(&"9".repeat(29), Wan),
            Err(amount(MoneyError::TooLarge, Wan))
        );
    }

    #[test]
    fn trim_is_str_trim() {
        let spaces = [
            "", " ", "\t", "\u{b}", "\u{85}", "\u{a0}", "\u{1680}", "\u{2000}", "\u{200a}",
            "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}", "\u{200b}", "\u{feff}",
            "\u{e000}",
        ];
        for inner in ["", "a", "是", "50万", "a b", "\u{3000}x\u{3000}", "ＡＡ"] {
            for pre in spaces {
                for post in spaces {
                    let s = format!("{pre}{inner}{post}");
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn lenient_dates() {
        assert_eq!(normalize_date(" 2025/5/10 "), "2025-05-10");
        assert_eq!(normalize_date("2025.05.10"), "2025-05-10");
        assert_eq!(normalize_date("20250510"), "2025-05-10");
        assert_eq!(normalize_date("2025年5月10日"), "2025-05-10");
        assert_eq!(normalize_date("2025-13-40"), "2025-13-40");
        assert_eq!(normalize_date("abc"), "abc");
        assert!(parse_typed_date("2025-13-40").is_none());
        assert!(parse_typed_date("2025/2/29").is_none());
        assert!(parse_typed_date("2024/2/29").is_some());
    }

    #[test]
    fn cells_as_the_form_reads_them() {
        let set = PolicySet::embedded().expect("embedded");
        let cat = &set.catalogue;
        let def = |id: &str| &cat.facts[cat.fact_id(id).expect("fact") as usize];
        let cmmi = def("cmmi_level");
        let yuan = MoneyUnit::Yuan;
        for (typed, id) in [
            ("3", "3"),
            ("三级", "3"),
            ("3级", "3"),
            ("Level 4", "4"),
            ("无", "none"),
        ] {
            let want = cmmi.values.iter().position(|v| v.id == id).expect("value");
            assert_eq!(
                parse_typed(cmmi, typed, yuan),
                Ok(Some(Value::Enum(want as u16))),
                "{typed}"
            );
        }
        assert!(matches!(
            parse_typed(cmmi, "七级", yuan),
            Err(ValueError::UnknownValue { .. })
        ));
        let dcmm = def("dcmm_level");
        let three = dcmm.values.iter().position(|v| v.id == "3").expect("3");
        assert_eq!(
            parse_typed(dcmm, "3级", yuan),
            Ok(Some(Value::Enum(three as u16)))
        );
        let date = def("cmmi_issued_on");
        assert_eq!(
            parse_typed(date, "2024/05/01", yuan),
            Ok(Some(Value::Date(parse_date("2024-05-01").expect("date"))))
        );
        let revenue = def("annual_revenue");
        assert_eq!(
            parse_typed(revenue, "1,200万", yuan),
            Ok(Some(Value::Money(d("12000000"))))
        );
        let copyrights = def("software_copyrights");
        assert_eq!(
            parse_typed(copyrights, "１２", yuan),
            Ok(Some(Value::Int(12)))
        );
        let dates = def("serious_violation_dates");
        assert_eq!(
            parse_typed(dates, "无", yuan),
            Ok(Some(Value::Dates(Vec::new())))
        );
        assert_eq!(
            parse_typed(dates, "2023/1/5、2022-07-01", yuan),
            Ok(Some(Value::Dates(vec![
                parse_date("2022-07-01").expect("d"),
                parse_date("2023-01-05").expect("d")
            ])))
        );
        assert_eq!(
            parse_typed(dates, "2022-07-01;2023-02-30", yuan),
            Err(ValueError::BadDateAt {
                index: 2,
                text: "2023-02-30".into()
            })
        );
        assert_eq!(parse_typed(revenue, "  ", yuan), Ok(None));
    }
}
