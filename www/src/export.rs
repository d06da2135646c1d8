//! Downloads (profile JSON, results CSV/JSON, batch results) through a Blob and an object
//! URL. Nothing is sent anywhere. The results CSV itself is the core's
//! (`butie::batch::clauses_csv`, the CLI's `evaluate --csv`).

use wasm_bindgen::{JsCast, JsValue};

/// The MIME type of an Excel workbook.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A JavaScript exception as text (its message), without Rust's `Debug` formatting.
pub fn js_error(e: &JsValue) -> String {
    if let Some(text) = e.as_string() {
        return text;
    }
    match e.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => "unknown JavaScript error".to_string(),
    }
}

/// Offers `content` as a file download named `filename`.
pub fn download(filename: &str, mime: &str, content: &[u8]) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.set_class_name("butie-download");
    let body = document
        .body()
        .ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&anchor)?;
    anchor.click();
    body.remove_child(&anchor)?;
    // The click has started the download; the URL is no longer needed once it has been read.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000)?;
    }
    Ok(())
}

/// A file name with the enterprise's name and the date: `butie-results-云栈科技-2026-11-21.csv`
/// (`butie-results-2026-11-21.csv` without a name). Characters file systems refuse become `_`,
/// spaces `-`.
pub fn file_name(what: &str, enterprise: Option<&str>, as_of: &str, ext: &str) -> String {
    let name: String = enterprise
        .unwrap_or_default()
        .trim()
        .chars()
        .take(60)
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c if c.is_whitespace() => '-',
            c => c,
        })
        .collect();
    if name.is_empty() {
        format!("butie-{what}-{as_of}.{ext}")
    } else {
        format!("butie-{what}-{name}-{as_of}.{ext}")
    }
}

/// The client profiles as JSONL: one profile JSON a line, named as the profile (the format
/// the batch view and `butie batch` read).
pub fn clients_jsonl(set: &butie::PolicySet, clients: &[crate::storage::Client]) -> String {
    let mut out = String::new();
    for c in clients {
        let as_of =
            crate::dates::parse_typed_as_of(&c.inputs.as_of).unwrap_or(butie::date::Date::MIN);
        let mut profile = crate::draft::parse(set, &c.inputs.draft, as_of).profile;
        profile.name = Some(c.name.clone());
        out.push_str(&profile.to_json(&set.catalogue).to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_carry_the_enterprise() {
        assert_eq!(
            file_name("results", None, "2026-11-21", "csv"),
            "butie-results-2026-11-21.csv"
        );
        assert_eq!(
            file_name(
                "profile",
                Some(" 上海云栈 智能/软件 "),
                "2026-11-21",
                "json"
            ),
            "butie-profile-上海云栈-智能_软件-2026-11-21.json"
        );
    }
}
