//! Where in a TOML file a problem is: the loader names places as paths
//! (`clauses[3].award.cap`); this maps a path back to the line and column of the key or value
//! in the text, using the spans of the `toml` crate's parser.

use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// The line and column of byte `at` in `text`.
pub fn line_col(text: &str, at: usize) -> LineCol {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol {
        line,
        column: before[start..].chars().count() + 1,
    }
}

/// One step of a path.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some(close) = rest.find(']') {
            if let Ok(n) = rest[1..close].parse() {
                out.push(Step::Index(n));
            }
            rest = &rest[close + 1..];
        }
    }
    out
}

/// The span of the value at `path` (or of the deepest part of it that exists), and of the key
/// that names it.
fn find(root: &Spanned<DeTable<'_>>, path: &str) -> (Range<usize>, Option<Range<usize>>) {
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    let mut span = root.span();
    let mut key_span = None;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    for step in steps(path) {
        let next = match (step, table, value) {
            (Step::Key(k), Some(t), _) => {
                t.iter()
                    .find(|(key, _)| key.get_ref() == k)
                    .map(|(key, v)| {
                        key_span = Some(key.span());
                        v
                    })
            }
            (Step::Index(i), _, Some(v)) => v.get_ref().as_array().and_then(|a| a.get(i)),
            _ => None,
        };
        let Some(next) = next else { break };
        span = next.span();
        if matches!(step, Step::Index(_)) {
            key_span = None;
        }
        table = next.get_ref().as_table();
        value = Some(next);
    }
    (span, key_span)
}

/// The line and column of `path` in the TOML `text`: the key that names it when there is one
/// (`cap = …`), else the value. `unknown`: a key the path's table has that should not be there
/// (an "unknown field" error), pointed at instead when found. `column_in_value`: a 1-based
/// column inside a string value (a condition's error), added when the string is written plainly.
pub fn locate(
    text: &str,
    path: &str,
    unknown: Option<&str>,
    column_in_value: Option<usize>,
) -> Option<LineCol> {
    let root = DeTable::parse(text).ok()?;
    let path = if path == "(root)" { "" } else { path };
    let full = match unknown {
        Some(k) if path.is_empty() => k.to_string(),
        Some(k) => format!("{path}.{k}"),
        None => path.to_string(),
    };
    let (span, key) = find(&root, &full);
    if let Some(col) = column_in_value {
        let raw = text.get(span.clone()).unwrap_or_default();
        let plain = raw.starts_with('"') && !raw.starts_with("\"\"\"") && !raw.contains('\\')
            || raw.starts_with('\'') && !raw.starts_with("'''");
        if plain {
            let offset: usize = raw[1..]
                .chars()
                .take(col.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return Some(line_col(text, span.start + 1 + offset));
        }
    }
    Some(line_col(text, key.unwrap_or(span).start))
}

/// The column inside a condition that a compiler message names (`… (at column 7 of `…`)`).
pub fn column_in_message(message: &str) -> Option<usize> {
    let at = message.rfind("(at column ")?;
    message[at + 11..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The field an "unknown field" message names.
pub fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(&rest[..rest.find('`')?])
}

/// A TOML syntax or type error: the line and column (from its span) and the message alone.
pub fn toml_error(text: &str, e: &toml::de::Error) -> (LineCol, String) {
    let at = e
        .span()
        .map_or(LineCol { line: 1, column: 1 }, |s| line_col(text, s.start));
    (at, e.message().trim().replace('\n', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "[policy]\nid = \"x\"\n\n[[clauses]]\nid = \"a\"\naward = { type = \"fixed\", amount = \"5万\" }\n\n[[clauses]]\nid = \"b\"\nwhen = [\"cmmi_level >= 3\", \"bogus > 1\"]\n[clauses.award]\ntype = \"best\"\n[[clauses.award.options]]\ncap = \"8万\"\n";

    #[test]
    fn paths_find_their_line_and_column() {
        let at = |p: &str| locate(DOC, p, None, None).map(|l| (l.line, l.column));
        assert_eq!(at("policy.id"), Some((2, 1)));
        assert_eq!(at("clauses[0].award.amount"), Some((6, 27)));
        assert_eq!(at("clauses[1].when[1]"), Some((10, 28)));
        assert_eq!(at("clauses[1].award.options[0].cap"), Some((14, 1)));
        // A missing key points at the deepest part that exists (here the table's header).
        assert_eq!(at("clauses[1].award.options[0].nothing"), Some((13, 1)));
        assert_eq!(
            locate(DOC, "clauses[1].when[1]", None, Some(3)).map(|l| (l.line, l.column)),
            Some((10, 31))
        );
        assert_eq!(
            locate(DOC, "clauses[0]", Some("award"), None).map(|l| (l.line, l.column)),
            Some((6, 1))
        );
        assert_eq!(line_col("ab\n中文x", 9), LineCol { line: 2, column: 3 });
    }

    #[test]
    fn messages_name_columns_and_fields() {
        assert_eq!(
            column_in_message("unknown fact `bogus` (at column 1 of `bogus > 1`)"),
            Some(1)
        );
        assert_eq!(
            unknown_field("unknown field `cpa`, expected one of `cap`"),
            Some("cpa")
        );
        let e = toml::from_str::<toml::Table>("a = 1\nb = \n").unwrap_err();
        assert_eq!(toml_error("a = 1\nb = \n", &e).0.line, 2);
    }
}
