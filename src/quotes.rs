//! Quotes are verbatim: every string in a policy document under a key containing `quote`
//! (`quote`, `extra_quotes`, `window_quote`, `official_quote`, `reprint_quote`, offsets' and
//! procedure steps' `quote`, and any future key) must occur in that document's own source text —
//! `reprint_quote` in its reprint's text — after folding both sides the same way: Unicode NFKC
//! (full-width → half-width punctuation and digits), then every whitespace character and the
//! Markdown marks `*` and `#` removed. The same rule as `tests/quotes.rs` and
//! `../shared/tools/quotes.py`.

use serde_json::Value as Json;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// Folds a text for comparison (see the module documentation).
pub fn fold(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '#')
        .collect()
}

/// Quotes shorter than this (folded, in characters) cite nothing.
pub const MIN_QUOTE_CHARS: usize = 6;

/// One quoted string of a policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Where in the document: `clauses[3].extra_quotes[1]`.
    pub path: String,
    /// The key that contains `quote`.
    pub key: String,
    pub text: String,
    /// For `reprint_quote`: which reprint (`policy.reprints[i]`).
    pub reprint: Option<usize>,
}

/// Every quote of a policy document (parsed from TOML or JSON), in document order.
pub fn collect(doc: &Json) -> Vec<Quote> {
    let mut out = Vec::new();
    walk(doc, "", None, None, &mut out);
    out
}

fn walk(v: &Json, path: &str, key: Option<&str>, reprint: Option<usize>, out: &mut Vec<Quote>) {
    match v {
        Json::Object(members) => {
            for (k, x) in members {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(x, &p, Some(k), reprint, out);
            }
        }
        Json::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                let r = if path == "policy.reprints" {
                    Some(i)
                } else {
                    reprint
                };
                walk(x, &format!("{path}[{i}]"), key, r, out);
            }
        }
        Json::String(s) => {
            if let Some(k) = key.filter(|k| k.contains("quote")) {
                out.push(Quote {
                    path: path.to_string(),
                    key: k.to_string(),
                    text: s.clone(),
                    reprint,
                });
            }
        }
        _ => {}
    }
}

/// A text folded for searching, remembering where each folded character came from.
#[derive(Debug, Clone)]
pub struct FoldedText {
    folded: String,
    /// For each byte of `folded`: the byte range of the original character it came from.
    origin: Vec<Range<usize>>,
}

impl FoldedText {
    /// Folds `text` character by character (NFKC of each character; the same result as
    /// [`fold`] for the texts policies are written in).
    pub fn new(text: &str) -> FoldedText {
        let mut folded = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        for (at, c) in text.char_indices() {
            let range = at..at + c.len_utf8();
            for f in std::iter::once(c).nfkc() {
                if f.is_whitespace() || f == '*' || f == '#' {
                    continue;
                }
                folded.push(f);
                origin.extend(std::iter::repeat_n(range.clone(), f.len_utf8()));
            }
        }
        FoldedText { folded, origin }
    }

    /// Where the (unfolded) `quote` occurs in the original text: the byte range from its first
    /// to its last character.
    pub fn find(&self, quote: &str) -> Option<Range<usize>> {
        let needle = fold(quote);
        if needle.is_empty() {
            return None;
        }
        let at = self.folded.find(&needle)?;
        let first = self.origin.get(at)?;
        let last = self.origin.get(at + needle.len() - 1)?;
        Some(first.start..last.end)
    }

    /// Whether the folded text contains the folded `quote`.
    pub fn contains(&self, quote: &str) -> bool {
        self.folded.contains(&fold(quote))
    }
}

/// The verdict on one quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteCheck {
    pub quote: Quote,
    /// The source text it was looked for in.
    pub source: String,
    /// Where it was found in that source text (byte range), `None` when not found.
    pub found: Option<Range<usize>>,
    /// Why it fails (not found, too short, no such source text); `None` when it is verbatim.
    pub problem: Option<String>,
}

/// Checks every quote of a document against its own source texts. `sources` finds a source
/// text by file name (`policy.source_file`, `policy.reprints[i].source_file`).
pub fn check_document<'a>(
    doc: &Json,
    sources: impl Fn(&str) -> Option<&'a FoldedText>,
) -> Vec<QuoteCheck> {
    let name = |path: &[&str]| -> String {
        let mut v = doc;
        for k in path {
            v = v.get(k).unwrap_or(&Json::Null);
        }
        v.as_str().unwrap_or_default().to_string()
    };
    let official = name(&["policy", "source_file"]);
    collect(doc)
        .into_iter()
        .map(|q| {
            let source = match q.reprint {
                Some(i) if q.key == "reprint_quote" => doc["policy"]["reprints"][i]["source_file"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                _ => official.clone(),
            };
            let (found, problem) = match sources(&source) {
                None => (
                    None,
                    Some(format!("the source text `{source}` is not in the pack")),
                ),
                Some(_) if fold(&q.text).chars().count() < MIN_QUOTE_CHARS => {
                    (None, Some(format!("quote too short to cite: {:?}", q.text)))
                }
                Some(text) if text.contains(&q.text) => (text.find(&q.text), None),
                Some(_) => (
                    None,
                    Some(format!("not found verbatim in {source}: {:?}", q.text)),
                ),
            };
            QuoteCheck {
                quote: q,
                source,
                found,
                problem,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn folding_is_what_the_docs_say() {
        assert_eq!(
            fold("（一）１２ 万，\u{3000}**二**\n## 三"),
            "(一)12万,二三"
        );
    }

    #[test]
    fn finds_quotes_and_where_they_are() {
        let text = "第一条\n本办法自２０２５年１月１日起施行，\n有效期至2027年12月31日。";
        let f = FoldedText::new(text);
        let at = f
            .find("本办法自2025年1月1日起施行，有效期至2027年12月31日")
            .unwrap();
        assert_eq!(
            &text[at.clone()],
            "本办法自２０２５年１月１日起施行，\n有效期至2027年12月31日"
        );
        assert!(f.find("本办法自2026年").is_none());
        let doc = json!({
            "policy": {"source_file": "a.txt", "window_quote": "有效期至2027年12月31日",
                       "reprints": [{"source_file": "b.txt", "variants": [{"reprint_quote": "有效期至2027年12月31日"}]}]},
            "clauses": [{"quote": "本办法自2026年1月1日起施行", "extra_quotes": ["短"]}]
        });
        let checks = check_document(&doc, |n| (n == "a.txt").then_some(&f));
        let by_path = |p: &str| checks.iter().find(|c| c.quote.path == p).unwrap();
        assert!(by_path("policy.window_quote").problem.is_none());
        assert!(
            by_path("clauses[0].quote")
                .problem
                .as_ref()
                .unwrap()
                .contains("not found")
        );
        assert!(
            by_path("clauses[0].extra_quotes[0]")
                .problem
                .as_ref()
                .unwrap()
                .contains("short")
        );
        let reprint = by_path("policy.reprints[0].variants[0].reprint_quote");
        assert_eq!(reprint.source, "b.txt");
        assert!(
            reprint
                .problem
                .as_ref()
                .unwrap()
                .contains("not in the pack")
        );
    }
}
