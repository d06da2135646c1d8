//! Content-Security-Policy for the generated pages: a `<meta>` that lets each page run
//! exactly its own inline scripts (by SHA-256 hash) and its wasm, and reach no network at
//! all — "nothing leaves the user's machine", enforced by the browser.

use anyhow::{Result, bail, ensure};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// What a page may load besides its own inline scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Nothing: the single file and the iframe page carry everything inside.
    Nothing,
    /// Its own origin: the multi-file page loads its glue and wasm from beside it.
    SameOrigin,
}

/// The `charset` meta every template starts its head with; the policy goes right after it,
/// before any script.
const CHARSET: &str = "<meta charset=\"utf-8\">";

/// Adds the policy `<meta>` to `html`, allowing the hashes of its inline scripts.
pub fn with_policy(html: &str, reach: Reach) -> Result<String> {
    ensure!(
        html.matches(CHARSET).count() == 1,
        "the page must contain `{CHARSET}` exactly once (the policy goes right after it)"
    );
    ensure!(
        !html.contains("http-equiv=\"Content-Security-Policy\""),
        "the page already sets a Content-Security-Policy"
    );
    let meta = format!(
        "\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        policy(&inline_scripts(html)?, reach)
    );
    Ok(html.replacen(CHARSET, &format!("{CHARSET}{meta}"), 1))
}

/// The policy text for pages whose inline scripts are `scripts`.
fn policy(scripts: &[&str], reach: Reach) -> String {
    let own = match reach {
        Reach::Nothing => "",
        Reach::SameOrigin => " 'self'",
    };
    let hashes: String = scripts.iter().map(|s| format!(" '{}'", hash(s))).collect();
    let connect = match reach {
        Reach::Nothing => String::new(),
        Reach::SameOrigin => "; connect-src 'self'".to_string(),
    };
    format!(
        "default-src 'none'; script-src{own}{hashes} 'wasm-unsafe-eval'{connect}; \
         style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'"
    )
}

/// `sha256-…` of a script's text, as CSP expects it.
fn hash(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The text of every `<script>` without `src` in `html`, in order.
fn inline_scripts(html: &str) -> Result<Vec<&str>> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let after = &rest[at..];
        let Some(open_end) = after.find('>') else {
            bail!("a <script> tag is not closed");
        };
        let tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script>") else {
            bail!("a <script> element has no </script>");
        };
        // Data blocks (`type="application/…"`) are not run: they need no hash.
        let data = tag.contains(" type=\"application/");
        if !tag.contains(" src=") && !data {
            scripts.push(&body[..close]);
        }
        rest = &body[close + "</script>".len()..];
    }
    Ok(scripts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_each_inline_script_and_skips_external_ones() {
        let page = "<head><meta charset=\"utf-8\"></head><body>\
                    <script>a()</script><script src=\"x.js\"></script>\
                    <script type=\"application/octet-stream\" id=\"d\">AAAA</script>\
                    <script type=\"module\">\nb();\n</script></body>";
        assert_eq!(inline_scripts(page).unwrap(), vec!["a()", "\nb();\n"]);
        let out = with_policy(page, Reach::Nothing).unwrap();
        assert!(out.starts_with(
            "<head><meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" \
             content=\"default-src 'none'; script-src 'sha256-"
        ));
        // `printf 'a()' | openssl dgst -sha256 -binary | base64`
        assert!(out.contains("'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4='"));
        assert!(!out.contains("connect-src"), "{out}");
        assert!(!out.contains("'self'"), "{out}");
    }

    #[test]
    fn same_origin_pages_may_load_their_files() {
        let page = "<meta charset=\"utf-8\"><script src=\"a.js\"></script>";
        let out = with_policy(page, Reach::SameOrigin).unwrap();
        assert!(out.contains("script-src 'self' 'wasm-unsafe-eval'; connect-src 'self';"));
    }

    #[test]
    fn refuses_pages_it_cannot_secure() {
        assert!(with_policy("<head></head>", Reach::Nothing).is_err());
        assert!(with_policy("<meta charset=\"utf-8\"><script>x", Reach::Nothing).is_err());
        let twice = "<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\">";
        assert!(with_policy(twice, Reach::Nothing).is_err());
    }
}
