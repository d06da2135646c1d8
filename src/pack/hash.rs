//! The content hash of a pack: SHA-256 over the canonical JSON of the pack object without its
//! `hash` member. Canonical JSON: object members sorted by key (by code point), no whitespace,
//! strings escaped as JSON requires and no more (`"`, `\`, and control characters:
//! `\b \t \n \f \r`, others `\u00xx`; everything else as is, UTF-8), integers in decimal. A
//! pack holds no fractional numbers; one that does is refused. For the keys a pack has (ASCII)
//! this is RFC 8785 (JCS), and what Python's `json.dumps(…, sort_keys=True,
//! separators=(",", ":"), ensure_ascii=False)` writes.

use crate::text::Text;
use serde_json::Value as Json;

/// Appends the canonical JSON of `v` to `out`, leaving out the top-level member `skip`.
fn write(v: &Json, out: &mut String, skip: Option<&str>) -> Result<(), Text> {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => {
            if !(n.is_u64() || n.is_i64()) {
                return Err(Text::new(
                    "政策包中不应有小数",
                    "a pack holds no fractional numbers",
                ));
            }
            out.push_str(&n.to_string());
        }
        Json::String(s) => string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out, None)?;
            }
            out.push(']');
        }
        Json::Object(members) => {
            // A `serde_json` map iterates its keys in code point order.
            out.push('{');
            let mut first = true;
            for (k, v) in members.iter().filter(|(k, _)| Some(k.as_str()) != skip) {
                if !first {
                    out.push(',');
                }
                first = false;
                string(k, out);
                out.push(':');
                write(v, out, None)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[(u32::from(c) >> 4) as usize]));
                out.push(char::from(HEX[(u32::from(c) & 15) as usize]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The canonical JSON text of `v`, without its top-level member `skip` (see the module
/// documentation).
pub fn canonical_json(v: &Json, skip: Option<&str>) -> Result<String, Text> {
    let mut out = String::new();
    write(v, &mut out, skip)?;
    Ok(out)
}

/// `sha256:` and the lowercase hex SHA-256 of the canonical JSON of `pack` without `hash`.
#[cfg(feature = "loader")]
pub fn content_hash(pack: &Json) -> Result<String, Text> {
    use sha2::Digest as _;
    let text = canonical_json(pack, Some("hash"))?;
    Ok(format!(
        "sha256:{}",
        hex(&sha2::Sha256::digest(text.as_bytes()))
    ))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_form_sorts_keys_and_escapes_minimally() {
        let v = json!({"b": [1, -2, "x\u{1}\n/é<"], "a": {"d": null, "c": true}, "é": 0, "z": 1});
        assert_eq!(
            canonical_json(&v, None).unwrap(),
            r#"{"a":{"c":true,"d":null},"b":[1,-2,"x\u0001\n/é<"],"z":1,"é":0}"#
        );
        assert!(canonical_json(&json!({"x": 1.5}), None).is_err());
    }

    #[cfg(feature = "loader")]
    #[test]
    fn hash_leaves_out_the_hash_member() {
        let a = content_hash(&json!({"name": "x", "hash": "sha256:whatever"})).unwrap();
        let b = content_hash(&json!({"name": "x"})).unwrap();
        assert_eq!(a, b);
        // SHA-256 of `{"name":"x"}`.
        assert_eq!(
            b,
            "sha256:0229d37e33daae149bf40543a5ce1db4459d10f830d5139279aa2bfd5f6485a1"
        );
        assert_ne!(b, content_hash(&json!({"name": "y"})).unwrap());
    }
}
