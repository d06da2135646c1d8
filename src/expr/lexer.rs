//! Tokenizer for the condition language.

use super::ExprError;

/// A token with the character column where it starts (1-based).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tok {
    pub kind: TokKind,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokKind {
    Ident(String),
    /// Number as written, including a 万/亿 suffix.
    Num(String),
    Str(String),
    Op(&'static str),
    End,
}

pub(crate) fn lex(src: &str) -> Result<Vec<Tok>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |col: usize, m: &str| ExprError {
        message: m.to_string(),
        column: col,
        source_text: src.to_string(),
    };
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok {
                kind: TokKind::Ident(chars[start..i].iter().collect()),
                col,
            });
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if i < chars.len() && (chars[i] == '万' || chars[i] == '亿') {
                i += 1;
            }
            out.push(Tok {
                kind: TokKind::Num(chars[start..i].iter().collect()),
                col,
            });
        } else if c == '\'' {
            let start = i + 1;
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            if i >= chars.len() {
                return Err(err(col, "unterminated 'text' literal"));
            }
            out.push(Tok {
                kind: TokKind::Str(chars[start..i].iter().collect()),
                col,
            });
            i += 1;
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = ["==", "!=", ">=", "<="]
                .into_iter()
                .find(|o| *o == two)
                .or_else(|| {
                    ["(", ")", "[", "]", ",", ".", "+", "-", ">", "<"]
                        .into_iter()
                        .find(|o| o.starts_with(c))
                });
            match op {
                Some(o) => {
                    i += o.len();
                    out.push(Tok {
                        kind: TokKind::Op(o),
                        col,
                    });
                }
                None => return Err(err(col, &format!("unexpected character {c:?}"))),
            }
        }
    }
    out.push(Tok {
        kind: TokKind::End,
        col: chars.len() + 1,
    });
    Ok(out)
}
