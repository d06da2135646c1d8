//! Share links: the profile JSON (and the as-of date, the application period and the mode)
//! encoded in the URL fragment only —
//! `#profile=<base64url>&as_of=2026-11-21&period=2026-03-01..2026-04-30&compare=1` — so it
//! never reaches a server.
//! Decoding reports what was wrong instead of failing silently.

use butie::catalogue::Catalogue;
use butie::date::Period;
use butie::profile::FieldError;
use butie::{Profile, Text};
use serde_json::Value as Json;

use crate::i18n::{self, Tr};

/// What a share link holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub profile: Profile,
    /// Fields that could not be read and were dropped.
    pub dropped: Vec<String>,
    pub as_of: Option<String>,
    /// The application period (申报期), as `2026-03-01..2026-04-30`.
    pub application_period: Option<String>,
    pub compare_all: bool,
}

/// Why a share link could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum ShareError {
    NoProfile,
    Base64,
    Utf8,
    Json(String),
    NotAProfile(String),
}

impl ShareError {
    /// The message in both languages.
    pub fn text(&self) -> Text {
        let plain = |t: Tr| Text::new(t.0, t.1);
        match self {
            ShareError::NoProfile => plain(i18n::NO_PROFILE),
            ShareError::Base64 => plain(i18n::BAD_BASE64),
            ShareError::Utf8 => plain(i18n::BAD_UTF8),
            ShareError::Json(e) => Text::new(
                format!("{}（{e}）", i18n::BAD_JSON.0),
                format!("{} ({e})", i18n::BAD_JSON.1),
            ),
            ShareError::NotAProfile(e) => Text::new(
                format!("{}（{e}）", i18n::NOT_A_PROFILE.0),
                format!("{} ({e})", i18n::NOT_A_PROFILE.1),
            ),
        }
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// Decodes base64url (padding and standard `+/` tolerated); `None` when malformed.
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single leftover character (6 bits) cannot come from an encoder.
    (bits < 6).then_some(out)
}

/// The fragment (without `#`) for a profile.
pub fn encode(
    cat: &Catalogue,
    profile: &Profile,
    as_of: Option<&str>,
    application_period: Option<Period>,
    compare_all: bool,
) -> String {
    let json = profile.to_json(cat).to_string();
    let mut out = format!("profile={}", base64url_encode(json.as_bytes()));
    if let Some(d) = as_of {
        out.push_str("&as_of=");
        out.push_str(d);
    }
    if let Some(p) = application_period {
        out.push_str(&format!("&period={p}"));
    }
    if compare_all {
        out.push_str("&compare=1");
    }
    out
}

/// Whether a fragment (without `#`) is a share link at all.
pub fn is_share_fragment(fragment: &str) -> bool {
    fragment.split('&').any(|p| p.starts_with("profile="))
}

/// Reads a fragment (without `#`).
pub fn decode(cat: &Catalogue, fragment: &str) -> Result<Shared, ShareError> {
    let mut profile = None;
    let mut as_of = None;
    let mut application_period = None;
    let mut bad_period = None;
    let mut compare_all = false;
    for part in fragment.split('&') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        match key {
            "profile" => profile = Some(value),
            "as_of" if butie::date::parse_as_of(value).is_ok() => as_of = Some(value.to_string()),
            "period" => match Period::parse(value) {
                Ok(p) => application_period = Some(p.to_string()),
                Err(e) => bad_period = Some(format!("period: {}", e.text().en)),
            },
            "compare" => compare_all = value == "1",
            _ => {}
        }
    }
    let encoded = profile.ok_or(ShareError::NoProfile)?;
    let bytes = base64url_decode(encoded).ok_or(ShareError::Base64)?;
    let text = String::from_utf8(bytes).map_err(|_| ShareError::Utf8)?;
    let (profile, mut dropped) = profile_from_text(cat, &text)?;
    dropped.extend(bad_period);
    Ok(Shared {
        profile,
        dropped,
        as_of,
        application_period,
        compare_all,
    })
}

/// Reads a profile JSON text (share link, imported file), dropping fields that do not read
/// and naming them. Fails only when nothing usable is there.
pub fn profile_from_text(
    cat: &Catalogue,
    text: &str,
) -> Result<(Profile, Vec<String>), ShareError> {
    // Strict: a repeated key is refused with its path, not silently collapsed.
    let json: Json =
        butie::json::from_str_strict(text).map_err(|e| ShareError::Json(e.to_string()))?;
    profile_lenient(cat, json)
}

/// [`Profile::from_json`], retried without the fields it rejects.
pub fn profile_lenient(
    cat: &Catalogue,
    mut json: Json,
) -> Result<(Profile, Vec<String>), ShareError> {
    if !json.is_object() {
        return Err(ShareError::NotAProfile("not an object".into()));
    }
    let mut dropped = Vec::new();
    for _ in 0..3 {
        match Profile::from_json(cat, &json) {
            Ok(p) => return Ok((p, dropped)),
            Err(errors) => {
                for e in &errors {
                    dropped.push(describe(e));
                    remove_path(&mut json, &e.path);
                }
            }
        }
    }
    Err(ShareError::NotAProfile(dropped.join("; ")))
}

/// Client profiles from a file: JSONL (one profile a line, as exported), a JSON array of
/// profiles, or one profile. Each profile keeps what it can; a line that holds no profile is
/// named and skipped.
pub fn clients_from_text(
    cat: &Catalogue,
    text: &str,
    today: &str,
) -> (Vec<crate::storage::Client>, Vec<String>) {
    let text = text.trim_start_matches('\u{feff}');
    let values: Vec<(usize, Result<Json, String>)> = match serde_json::from_str::<Json>(text) {
        Ok(Json::Array(list)) => list
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i + 1, Ok(v)))
            .collect(),
        Ok(one) => vec![(1, Ok(one))],
        Err(_) => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i + 1, serde_json::from_str(l).map_err(|e| e.to_string())))
            .collect(),
    };
    let mut clients = Vec::new();
    let mut problems = Vec::new();
    for (n, value) in values {
        let read = value
            .map_err(|e| ShareError::Json(e).text().en)
            .and_then(|json| profile_lenient(cat, json).map_err(|e| e.text().en));
        match read {
            Ok((profile, dropped)) => {
                problems.extend(dropped.into_iter().map(|d| format!("#{n}: {d}")));
                let name = profile
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{} {n}", crate::i18n::UNNAMED_CLIENT.0));
                let draft =
                    crate::draft::Draft::from_profile(cat, &profile, crate::draft::MoneyUnit::Wan);
                let mut inputs = crate::state::Inputs::blank(today);
                inputs.draft = std::rc::Rc::new(draft);
                clients.push(crate::storage::Client { name, inputs });
            }
            Err(e) => problems.push(format!("#{n}: {e}")),
        }
    }
    (clients, problems)
}

fn describe(e: &FieldError) -> String {
    format!("{} ({})", e.path, e.error.text().en)
}

/// Removes `group.fact`, `list`, `list[i]` or `list[i].field` from a profile JSON.
fn remove_path(json: &mut Json, path: &str) {
    let Some(root) = json.as_object_mut() else {
        return;
    };
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    if let Some((list, index)) = head.strip_suffix(']').and_then(|h| h.split_once('[')) {
        let Ok(index) = index.parse::<usize>() else {
            root.remove(list);
            return;
        };
        let Some(items) = root.get_mut(list).and_then(Json::as_array_mut) else {
            return;
        };
        if rest.is_empty() {
            if index < items.len() {
                items.remove(index);
            }
        } else if let Some(item) = items.get_mut(index).and_then(Json::as_object_mut) {
            item.remove(rest);
        }
    } else if rest.is_empty() {
        root.remove(head);
    } else if let Some(group) = root.get_mut(head).and_then(Json::as_object_mut) {
        group.remove(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for s in ["", "a", "ab", "abc", "abcd", "补贴 ✓ {\"x\":1}"] {
            let e = base64url_encode(s.as_bytes());
            assert!(!e.contains(['+', '/', '=']));
            assert_eq!(base64url_decode(&e).unwrap(), s.as_bytes());
        }
        assert_eq!(base64url_encode(b"abc"), "YWJj");
        assert!(base64url_decode("a").is_none());
        assert!(base64url_decode("ab$c").is_none());
    }

    #[test]
    fn share_round_trip_and_corruption() {
        let set = crate::data::policy_set().unwrap().clone();
        let cat = &set.catalogue;
        let json = serde_json::json!({
            "schema_version": 1, "name": "示例",
            "certifications": {"cmmi_level": "3"},
            "projects": [{"kind": "rd_project", "actual_investment": "2000000.00"}]
        });
        let profile = Profile::from_json(cat, &json).unwrap();
        let period = Period::parse("2026-03-01..2026-04-30").ok();
        let fragment = encode(cat, &profile, Some("2026-11-21"), period, true);
        let shared = decode(cat, &fragment).unwrap();
        assert_eq!(shared.profile, profile);
        assert_eq!(shared.as_of.as_deref(), Some("2026-11-21"));
        assert_eq!(
            shared.application_period.as_deref(),
            Some("2026-03-01..2026-04-30")
        );
        assert!(shared.compare_all);
        assert!(shared.dropped.is_empty());

        assert_eq!(decode(cat, "as_of=2026-11-21"), Err(ShareError::NoProfile));
        assert_eq!(decode(cat, "profile=%%%"), Err(ShareError::Base64));
        assert_eq!(decode(cat, "profile=_w"), Err(ShareError::Utf8));
        let not_json = base64url_encode(b"{not json");
        assert!(matches!(
            decode(cat, &format!("profile={not_json}")),
            Err(ShareError::Json(_))
        ));
        let array = base64url_encode(b"[1]");
        assert!(matches!(
            decode(cat, &format!("profile={array}")),
            Err(ShareError::NotAProfile(_))
        ));
    }

    #[test]
    fn client_lists_read_line_by_line() {
        let set = crate::data::policy_set().unwrap().clone();
        let cat = &set.catalogue;
        let text = "{\"schema_version\":1,\"name\":\"甲\",\"certifications\":{\"cmmi_level\":\"3\"}}\n\nnot json\n{\"schema_version\":1,\"certifications\":{\"cmmi_level\":\"9\"}}\n";
        let (clients, problems) = clients_from_text(cat, text, "2026-10-15");
        assert_eq!(clients.len(), 2);
        assert_eq!(clients[0].name, "甲");
        assert_eq!(clients[1].name, "未命名客户 4");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("#3: "), "{problems:?}");
        assert!(
            problems[1].starts_with("#4: certifications.cmmi_level"),
            "{problems:?}"
        );
    }

    #[test]
    fn bad_fields_are_dropped_and_named() {
        let set = crate::data::policy_set().unwrap().clone();
        let cat = &set.catalogue;
        let text = r#"{"schema_version":1,"certifications":{"cmmi_level":"9","icp_licence":true},
            "projects":[{"kind":"rd_project","actual_investment":"-1"}],"bogus":1}"#;
        let (profile, dropped) = profile_from_text(cat, text).unwrap();
        assert_eq!(dropped.len(), 3, "{dropped:?}");
        let icp = cat.fact_id("icp_licence").unwrap();
        assert_eq!(profile.facts[icp as usize], Some(butie::Value::Bool(true)));
        assert_eq!(profile.items(cat.list_id("projects").unwrap()).len(), 1);
    }
}
