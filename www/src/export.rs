//! Downloads (profile JSON, results CSV/JSON) through a Blob and an object URL, and reading
//! an imported file with gloo-file. Nothing is sent anywhere.

use butie::format::in_wan;
use butie::money::to_fixed2;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n;
use crate::view::ReportView;

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
pub fn download(filename: &str, mime: &str, content: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
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

/// Quotes a CSV cell when needed (RFC 4180).
fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The results as CSV: one row per clause (and per item of per-item clauses), each with the
/// enterprise's name, UTF-8 with a byte-order mark so spreadsheet programs read the Chinese
/// correctly.
pub fn results_csv(view: &ReportView, enterprise: Option<&str>) -> String {
    let header = [
        "as_of",
        "enterprise",
        "mode",
        "district",
        "district_name",
        "doc_no",
        "policy_state",
        "payable_now",
        "clause",
        "article",
        "title_zh",
        "title_en",
        "item",
        "status",
        "status_if_in_force",
        "amount_kind",
        "amount_yuan",
        "amount_wan",
        "counted_now",
    ];
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    let mode = if view.compare_all {
        "compare_all"
    } else {
        "registered"
    };
    for d in &view.districts {
        for c in &d.clauses {
            let mut rows = vec![(
                String::new(),
                c.status,
                c.amount,
                c.counted && d.payable_now,
            )];
            for it in &c.items {
                let name = it.name.as_deref().unwrap_or("");
                rows.push((
                    format!("{}#{} {name}", it.item_label.en, it.index + 1),
                    it.status,
                    it.amount,
                    it.counted && d.payable_now,
                ));
            }
            for (item, status, amount, counted) in rows {
                let fields = [
                    view.as_of.clone(),
                    enterprise.unwrap_or_default().to_string(),
                    mode.to_string(),
                    d.district.clone(),
                    d.name.zh.clone(),
                    d.doc_no.clone().unwrap_or_default(),
                    i18n::policy_state_id(d.state).to_string(),
                    d.payable_now.to_string(),
                    c.id.clone(),
                    c.article.clone(),
                    c.title.zh.clone(),
                    c.title.en.clone(),
                    item.trim().to_string(),
                    i18n::status_id(status).to_string(),
                    i18n::status_id(c.status_if_in_force).to_string(),
                    amount.kind.id().to_string(),
                    amount.value.map(to_fixed2).unwrap_or_default(),
                    amount.value.map(in_wan).unwrap_or_default(),
                    counted.to_string(),
                ];
                let line: Vec<String> = fields.iter().map(|f| cell(f)).collect();
                out.push_str(&line.join(","));
                out.push_str("\r\n");
            }
        }
    }
    out
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
            crate::dates::parse_typed_date(&c.inputs.as_of).unwrap_or(butie::date::Date::MIN);
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

    #[test]
    fn csv_cells_are_quoted() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
