//! Table text: display widths for CJK, padding, and the words for statuses, states and amounts.

use butie::Lang;
use butie::Lifecycle;
use butie::format::money;
use butie::report::{Amount, AmountKind, Status, Yuan};
use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters a terminal would act on instead of showing: controls (C0 including line ends
/// and tabs, DEL, C1: escape sequences, OSC clipboard writes), bidirectional overrides and
/// isolates (they reorder the rest of the line) and line/paragraph separators.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Text from the input (a name, a path, a cell) made safe to print: every [`unsafe_char`]
/// written as an escape (`\n`, `\u{1b}`), so it cannot forge a line or drive the terminal.
/// JSON output stays exact; this is for human-readable text.
pub fn clean(s: &str) -> Cow<'_, str> {
    clean_except(s, None)
}

/// [`clean`], but `keep` (a line end in a table we built ourselves) stays as it is.
pub fn clean_except(s: &str, keep: Option<char>) -> Cow<'_, str> {
    if !s.chars().any(|c| unsafe_char(c) && Some(c) != keep) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if !unsafe_char(c) || Some(c) == keep => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// Columns a character takes in a terminal (East Asian wide and fullwidth: 2).
fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// Columns a string takes.
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// `s` padded with spaces to `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

/// A clause status in words (the core's vocabulary; English lower case in tables).
pub fn status(s: Status, l: Lang) -> String {
    match l {
        Lang::Zh => s.word().zh.to_string(),
        Lang::En => s.word().en.to_lowercase(),
    }
}

/// A document's state on the date as a badge: 【在施行】, 【即将失效】 / [IN FORCE], [ENDING SOON].
pub fn state_badge(lc: &Lifecycle, l: Lang) -> String {
    let w = butie::words::lifecycle_badge(lc);
    match l {
        Lang::Zh => format!("【{}】", w.zh),
        Lang::En => format!("[{}]", w.en.to_uppercase()),
    }
}

/// An amount: `30万元` (definite), `最高 100万元` (a ceiling), `未定额`, `—` (the core's words).
pub fn amount(a: &Amount, l: Lang) -> String {
    let figure = match a.kind {
        AmountKind::Definite | AmountKind::UpTo => Some(money(a.value_or_zero(), l)),
        _ => None,
    };
    butie::words::amount_text(a.kind, figure.as_deref(), l)
}

/// Money in 万元 (zh) or CNY (en) for totals.
pub fn total(v: Yuan, l: Lang) -> String {
    money(v.0, l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(width("普陀区"), 6);
        assert_eq!(width("CMMI 3级"), 8);
        assert_eq!(pad("区", 4), "区  ");
        let lc = Lifecycle::bare(butie::PolicyState::Expired);
        assert_eq!(state_badge(&lc, Lang::Zh), "【已失效】");
        assert_eq!(state_badge(&lc, Lang::En), "[EXPIRED]");
    }

    #[test]
    fn terminal_controls_are_escaped() {
        assert_eq!(clean("上海云栈"), "上海云栈");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
        assert_eq!(
            clean("A\u{1b}[2J\u{1b}]52;c;eA==\u{7}\n总计 999万\u{202e}cba\u{0}"),
            "A\\u{1b}[2J\\u{1b}]52;c;eA==\\u{7}\\n总计 999万\\u{202e}cba\\u{0}"
        );
        assert_eq!(clean_except("a\nb\u{9b}c", Some('\n')), "a\nb\\u{9b}c");
    }
}
