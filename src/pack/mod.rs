//! Policy packs: one versioned JSON file (`NAME.butie.json`) that adds documents to butie
//! without a Rust build — their compiled form (so a page without the policy compiler can load
//! them), the catalogue facts they add, their source form (TOML, the source texts their quotes
//! come from, their test cases) and a content hash. The format is documented in `docs/packs.md`
//! with a JSON Schema (`docs/schema/pack.schema.json`).
//!
//! Reading ([`Pack::read`]) checks the envelope, the schema version and the hash; loading
//! ([`crate::PolicySet::with_packs`], `load.rs`) maps the compiled references onto the page's
//! catalogue (`refs.rs`) and checks the documents against the ones already there. Building a pack
//! from its source files (`build.rs`, feature `authoring`) is what `butie pack`, `butie check`
//! and the authoring page do.
//!
//! A pack is data only: nothing in it is ever run as code.

mod base64;
#[cfg(feature = "authoring")]
pub mod build;
mod compiled;
pub mod describe;
mod hash;
mod load;
pub(crate) mod refs;

pub use compiled::{Additions, CompiledPack, ListSymbol, Symbol, Symbols};
pub use hash::canonical_json;
#[cfg(feature = "loader")]
pub use hash::content_hash;

use crate::text::Text;
use serde_json::{Map, Value as Json};
use std::fmt;

/// The `format` of every pack file.
pub const PACK_FORMAT: &str = "butie-pack";
/// The pack schema version this engine reads and writes.
pub const PACK_SCHEMA_VERSION: u64 = 1;
/// The format of the compiled section: the layout of compiled policies, which changes with the
/// engine, so a compiled section is only read by the engine version that wrote it (the source
/// form in the pack lets `butie pack` and the authoring page compile it again).
pub const COMPILED_FORMAT: &str = concat!("butie-compiled-1/", env!("CARGO_PKG_VERSION"));
/// The browser's localStorage key of the packs a user added to the page (their files' texts,
/// a JSON list): read by the page's first module at start-up, written by its second module.
pub const STORAGE_KEY: &str = "butie:packs:v1";
/// The largest pack read, checked before parsing.
pub const MAX_PACK_BYTES: usize = 8 * 1024 * 1024;
/// The file name extension of packs.
pub const PACK_EXTENSION: &str = ".butie.json";

/// One problem with a pack: the file (or where it came from), the place inside it, and why.
/// (Serialized: the page's second module, which reads packs, hands them to the first.)
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PackError {
    /// The pack's file name, URL or other label (`hongkou.butie.json`).
    pub file: String,
    /// Where: a JSON path (`compiled.data`, `documents[1].text`), `line 3, column 7` for a JSON
    /// syntax error, or `(root)`.
    pub path: String,
    pub message: Text,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.message.en)
    }
}

impl std::error::Error for PackError {}

impl PackError {
    pub(crate) fn new(file: &str, path: impl Into<String>, zh: String, en: String) -> PackError {
        PackError {
            file: file.to_string(),
            path: path.into(),
            message: Text::new(zh, en),
        }
    }
}

/// A file of a pack's source form: its name and its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceFile {
    pub file: String,
    pub text: String,
}

/// A built-in document the pack replaces, said explicitly (and shown to the user).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Override {
    /// The id of the document replaced.
    pub document: String,
    /// Why, in the pack author's words.
    pub reason: String,
}

/// A pack as read from its JSON: envelope checked, hash verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    /// Where it was read from (file name or URL), for messages.
    pub label: String,
    /// `[a-z0-9][a-z0-9-]*`, at most 64 characters: the file is `NAME.butie.json`.
    pub name: String,
    /// Who made it.
    pub author: String,
    /// The day it was made, `YYYY-MM-DD`.
    pub created: String,
    pub description: String,
    /// The butie version that built it.
    pub engine: String,
    /// `sha256:` and 64 hex digits (see [`content_hash`]).
    pub hash: String,
    pub overrides: Vec<Override>,
    /// The source form: policy documents (TOML), catalogue additions (TOML), source texts,
    /// test cases (YAML).
    pub documents: Vec<SourceFile>,
    pub catalogue: Option<SourceFile>,
    pub sources: Vec<SourceFile>,
    pub cases: Vec<SourceFile>,
    /// [`COMPILED_FORMAT`] of the engine that compiled it.
    pub compiled_format: String,
    /// The compiled section, base64 as in the file.
    compiled_data: String,
}

fn t(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(zh, en)
}

/// Reads the fields of one JSON object, collecting problems with their paths.
struct Fields<'a> {
    label: &'a str,
    errs: Vec<PackError>,
}

impl Fields<'_> {
    fn push(&mut self, path: &str, message: Text) {
        self.errs.push(PackError {
            file: self.label.to_string(),
            path: path.to_string(),
            message,
        });
    }

    fn object<'j>(&mut self, v: &'j Json, path: &str) -> Option<&'j Map<String, Json>> {
        let o = v.as_object();
        if o.is_none() {
            self.push(path, t("应为对象", "expected an object"));
        }
        o
    }

    /// The string at `key`; `None` (reported) when absent or not a string, unless `optional`.
    fn string(
        &mut self,
        o: &Map<String, Json>,
        path: &str,
        key: &str,
        optional: bool,
    ) -> Option<String> {
        let at = join(path, key);
        match o.get(key) {
            Some(Json::String(s)) => Some(s.clone()),
            None | Some(Json::Null) if optional => None,
            None => {
                self.push(&at, t("缺少此项", "missing"));
                None
            }
            Some(_) => {
                self.push(&at, t("应为字符串", "expected a string"));
                None
            }
        }
    }

    /// Unknown fields are reported by the tools (`butie check`, the authoring page); a page
    /// reading a pack whose hash holds ignores them.
    fn no_other_keys(&mut self, o: &Map<String, Json>, path: &str, known: &[&str]) {
        if !cfg!(feature = "loader") {
            return;
        }
        for k in o.keys().filter(|k| !known.contains(&k.as_str())) {
            self.push(
                &join(path, k),
                t(
                    format!("未知字段；可用：{}", known.join("、")),
                    format!("unknown field; known: {}", known.join(", ")),
                ),
            );
        }
    }

    /// The array at `key` (absent: empty; not an array: a problem).
    fn array<'j>(&mut self, o: &'j Map<String, Json>, key: &str) -> &'j [Json] {
        match o.get(key) {
            None => &[],
            Some(Json::Array(items)) => items,
            Some(_) => {
                self.push(key, t("应为数组", "expected an array"));
                &[]
            }
        }
    }

    /// `[{file, text}]` at `key` (absent: empty).
    #[cfg(feature = "authoring")]
    fn files(&mut self, o: &Map<String, Json>, key: &str) -> Vec<SourceFile> {
        self.array(o, key)
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.file(item, &format!("{key}[{i}]")))
            .collect()
    }

    #[cfg(feature = "authoring")]
    fn file(&mut self, v: &Json, path: &str) -> Option<SourceFile> {
        let o = self.object(v, path)?;
        self.no_other_keys(o, path, &["file", "text"]);
        let file = self.string(o, path, "file", false)?;
        let text = self.string(o, path, "text", false)?;
        let plain = !file.is_empty()
            && file.len() <= 200
            && !file.contains(['/', '\\', '\0'])
            && !file.starts_with('.');
        if !plain {
            self.push(
                &join(path, "file"),
                t(
                    "文件名须为不含路径的普通文件名",
                    "a plain file name without a directory",
                ),
            );
        }
        Some(SourceFile { file, text })
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Whether `name` is a pack name: `[a-z0-9][a-z0-9-]*`, at most 64 characters.
pub fn valid_name(name: &str) -> bool {
    name.len() <= 64
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The top-level keys of a pack file.
const KEYS: &[&str] = &[
    "format",
    "schema_version",
    "name",
    "author",
    "created",
    "description",
    "engine",
    "overrides",
    "documents",
    "catalogue",
    "sources",
    "cases",
    "compiled",
    "hash",
];

/// Megabytes with one decimal, without the float printer.
fn megabytes(n: usize) -> String {
    let tenths = n / 100_000;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// The refusal of a file of `bytes` bytes, larger than [`MAX_PACK_BYTES`] (checked before a
/// file is read where the size is known first).
pub fn too_large(label: &str, bytes: usize) -> PackError {
    let sizes = format!("{} > {}", megabytes(bytes), megabytes(MAX_PACK_BYTES));
    PackError::new(
        label,
        "(root)",
        ["文件过大：", &sizes].concat(),
        ["the file is too large for a pack: ", sizes.as_str()].concat(),
    )
}

impl Pack {
    /// Reads a pack file's text — its size (before parsing), the JSON, the format and schema
    /// version, every field — and returns the pack with the canonical text its hash is computed
    /// over: [`Pack::verify`] checks the stated hash against that text's SHA-256 (a page hashes
    /// with the browser's WebCrypto; [`Pack::read`] does both with Rust's SHA-256).
    pub fn parse(label: &str, text: &str) -> Result<(Pack, String), Vec<PackError>> {
        let one = |path: &str, zh: &str, en: &str, detail: &str| {
            vec![PackError::new(
                label,
                path,
                format!("{zh}{detail}"),
                format!("{en}{detail}"),
            )]
        };
        if text.len() > MAX_PACK_BYTES {
            let sizes = format!("{} > {}", megabytes(text.len()), megabytes(MAX_PACK_BYTES));
            return Err(one(
                "(root)",
                "文件过大：",
                "the file is too large for a pack: ",
                &sizes,
            ));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let json: Json = serde_json::from_str(text).map_err(|e| {
            let place = format!("line {}, column {}", e.line(), e.column());
            let reason = e.to_string();
            if e.is_eof() {
                one(
                    &place,
                    "文件不完整（被截断？）：",
                    "the file ends too early (truncated?): ",
                    &reason,
                )
            } else {
                one(&place, "不是有效的 JSON：", "not valid JSON: ", &reason)
            }
        })?;
        let o = match json.as_object() {
            Some(o) if o.get("format").and_then(Json::as_str) == Some(PACK_FORMAT) => o,
            _ => {
                return Err(one(
                    "format",
                    "不是 butie 政策包",
                    "not a butie policy pack",
                    " (format \"butie-pack\")",
                ));
            }
        };
        if o.get("schema_version").and_then(Json::as_u64) != Some(PACK_SCHEMA_VERSION) {
            let shown = o
                .get("schema_version")
                .and_then(|v| {
                    v.as_u64()
                        .map(|n| n.to_string())
                        .or_else(|| v.as_str().map(str::to_string))
                })
                .unwrap_or_else(|| "?".into());
            return Err(one(
                "schema_version",
                "未知的政策包版本（本程序读取版本 1；可能由更新版本的 butie 生成）：",
                "unknown pack schema_version (this engine reads version 1; made by a newer butie?): ",
                &shown,
            ));
        }
        let mut f = Fields {
            label,
            errs: Vec::new(),
        };
        f.no_other_keys(o, "", KEYS);
        let name = f.string(o, "", "name", false).unwrap_or_default();
        if !valid_name(&name) {
            f.push(
                "name",
                t(
                    "名称须为小写字母、数字和连字符（最多 64 个）",
                    "lowercase letters, digits and hyphens (at most 64)",
                ),
            );
        }
        let author = f.string(o, "", "author", false).unwrap_or_default();
        let created = f.string(o, "", "created", false).unwrap_or_default();
        if crate::date::parse_date(&created).is_none() {
            f.push("created", t("日期应为 YYYY-MM-DD", "a date YYYY-MM-DD"));
        }
        let description = f.string(o, "", "description", true).unwrap_or_default();
        let engine = f.string(o, "", "engine", false).unwrap_or_default();
        let hash = f.string(o, "", "hash", false).unwrap_or_default();
        let mut overrides = Vec::new();
        for (i, item) in f.array(o, "overrides").iter().enumerate() {
            let path = format!("overrides[{i}]");
            let Some(io) = f.object(item, &path) else {
                continue;
            };
            f.no_other_keys(io, &path, &["document", "reason"]);
            let document = f.string(io, &path, "document", false);
            let reason = f.string(io, &path, "reason", false);
            if let (Some(document), Some(reason)) = (document, reason) {
                overrides.push(Override { document, reason });
            }
        }
        // The source form: read by the tools that compile it again (the page does not).
        #[cfg(feature = "authoring")]
        let (documents, catalogue, sources, cases) = (
            f.files(o, "documents"),
            match o.get("catalogue") {
                None | Some(Json::Null) => None,
                Some(v) => f.file(v, "catalogue"),
            },
            f.files(o, "sources"),
            f.files(o, "cases"),
        );
        #[cfg(not(feature = "authoring"))]
        let (documents, catalogue, sources, cases) = (Vec::new(), None, Vec::new(), Vec::new());
        let (mut compiled_format, mut compiled_data) = (String::new(), String::new());
        match o.get("compiled") {
            Some(v) => {
                if let Some(c) = f.object(v, "compiled") {
                    f.no_other_keys(c, "compiled", &["format", "data"]);
                    compiled_format = f.string(c, "compiled", "format", false).unwrap_or_default();
                    compiled_data = f.string(c, "compiled", "data", false).unwrap_or_default();
                }
            }
            None => f.push("compiled", t("缺少此项", "missing")),
        }
        let canonical = canonical_json(&json, Some("hash")).map_err(|m| {
            vec![PackError {
                file: label.to_string(),
                path: "(root)".into(),
                message: m,
            }]
        })?;
        if !f.errs.is_empty() {
            return Err(f.errs);
        }
        let pack = Pack {
            label: label.to_string(),
            name,
            author,
            created,
            description,
            engine,
            hash,
            overrides,
            documents,
            catalogue,
            sources,
            cases,
            compiled_format,
            compiled_data,
        };
        Ok((pack, canonical))
    }

    /// The pack, when `digest` (the SHA-256 of the canonical text [`Pack::parse`] returned)
    /// is the hash it states.
    pub fn verify(self, digest: &[u8]) -> Result<Pack, Vec<PackError>> {
        let actual = format!("sha256:{}", hash::hex(digest));
        if self.hash == actual {
            return Ok(self);
        }
        Err(vec![PackError::new(
            &self.label,
            "hash",
            format!(
                "内容与哈希不符（文件生成后被修改？）：文件写 {}，实际 {actual}",
                self.hash
            ),
            format!(
                "the content does not match its hash (changed after it was made?): the file says {}, the content is {actual}",
                self.hash
            ),
        )])
    }

    /// [`Pack::parse`] and [`Pack::verify`], hashing with Rust's SHA-256.
    #[cfg(feature = "loader")]
    pub fn read(label: &str, text: &str) -> Result<Pack, Vec<PackError>> {
        use sha2::Digest as _;
        let (pack, canonical) = Pack::parse(label, text)?;
        pack.verify(&sha2::Sha256::digest(canonical.as_bytes()))
    }

    /// Whether the compiled section was written by this engine (else it must be compiled again
    /// from the source form: `butie pack`, or the authoring page).
    pub fn compiled_here(&self) -> bool {
        self.compiled_format == COMPILED_FORMAT
    }

    /// Decodes the compiled section (written by this engine version only).
    pub fn compiled(&self) -> Result<CompiledPack, PackError> {
        let err = |path: &str, zh: String, en: String| PackError::new(&self.label, path, zh, en);
        if !self.compiled_here() {
            let by = self
                .compiled_format
                .rsplit_once('/')
                .map_or(self.compiled_format.as_str(), |(_, v)| v);
            return Err(err(
                "compiled.format",
                format!(
                    "此政策包由 butie {by} 编译（{}），本程序为 butie {}：请用本版本的 butie-studio.html 打开后重新导出，或运行 `butie pack` 重新生成",
                    self.compiled_format,
                    crate::VERSION
                ),
                format!(
                    "this pack was compiled by butie {by} ({}); this is butie {}: open it in butie-studio.html of this version and export it again, or run `butie pack` to rebuild it",
                    self.compiled_format,
                    crate::VERSION
                ),
            ));
        }
        let bytes = base64::decode(&self.compiled_data).map_err(|at| {
            err(
                "compiled.data",
                format!("编译数据的 base64 编码有误（第 {at} 个字符）"),
                format!("the compiled data is not valid base64 (at character {at})"),
            )
        })?;
        CompiledPack::from_bytes(&bytes).map_err(|e| {
            err(
                "compiled.data",
                format!("编译数据无法读取：{e}"),
                format!("the compiled data cannot be read: {e}"),
            )
        })
    }

    /// The pack file (pretty JSON) for a built pack: the fields in a fixed order, `</` written
    /// `<\/` so the file can also sit inside an HTML `<script type="application/json">`.
    pub fn to_json_text(&self) -> String {
        let json = self.to_json_value();
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        text.replace("</", "<\\/") + "\n"
    }

    fn to_json_value(&self) -> Json {
        let files = |fs: &[SourceFile]| serde_json::to_value(fs).unwrap_or_default();
        let mut o = Map::new();
        o.insert("format".into(), PACK_FORMAT.into());
        o.insert("schema_version".into(), PACK_SCHEMA_VERSION.into());
        o.insert("name".into(), self.name.clone().into());
        o.insert("author".into(), self.author.clone().into());
        o.insert("created".into(), self.created.clone().into());
        if !self.description.is_empty() {
            o.insert("description".into(), self.description.clone().into());
        }
        o.insert("engine".into(), self.engine.clone().into());
        o.insert(
            "overrides".into(),
            serde_json::to_value(&self.overrides).unwrap_or_default(),
        );
        o.insert("documents".into(), files(&self.documents));
        o.insert(
            "catalogue".into(),
            serde_json::to_value(&self.catalogue).unwrap_or_default(),
        );
        o.insert("sources".into(), files(&self.sources));
        o.insert("cases".into(), files(&self.cases));
        o.insert(
            "compiled".into(),
            serde_json::json!({ "format": self.compiled_format, "data": self.compiled_data }),
        );
        o.insert("hash".into(), self.hash.clone().into());
        Json::Object(o)
    }

    /// A pack from its parts, with its hash computed (used when building).
    #[cfg(feature = "authoring")]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn assemble(
        label: String,
        name: String,
        author: String,
        created: String,
        description: String,
        overrides: Vec<Override>,
        documents: Vec<SourceFile>,
        catalogue: Option<SourceFile>,
        sources: Vec<SourceFile>,
        cases: Vec<SourceFile>,
        compiled: &CompiledPack,
    ) -> Pack {
        let mut pack = Pack {
            label,
            name,
            author,
            created,
            description,
            engine: crate::VERSION.to_string(),
            hash: String::new(),
            overrides,
            documents,
            catalogue,
            sources,
            cases,
            compiled_format: COMPILED_FORMAT.to_string(),
            compiled_data: base64::encode(&compiled.to_bytes()),
        };
        pack.hash = content_hash(&pack.to_json_value()).unwrap_or_default();
        pack
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["hongkou", "a", "hongkou-2025", "0x"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["", "-a", "Hongkou", "a_b", "a.b", &"a".repeat(65)] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn envelope_errors_name_the_place() {
        let e = Pack::read("x.butie.json", "{\"format\": \"butie-pack\"").unwrap_err();
        assert!(e[0].path.starts_with("line 1, column"), "{e:?}");
        assert!(e[0].message.en.contains("truncated"), "{e:?}");
        let e = Pack::read("x.butie.json", "[]").unwrap_err();
        assert_eq!(e[0].path, "format");
        let e = Pack::read("x.butie.json", r#"{"format":"other"}"#).unwrap_err();
        assert_eq!(e[0].path, "format");
        let e = Pack::read(
            "x.butie.json",
            r#"{"format":"butie-pack","schema_version":2}"#,
        )
        .unwrap_err();
        assert_eq!(e[0].path, "schema_version");
        assert!(e[0].message.en.contains("unknown pack schema_version"));
        assert!(e[0].message.en.ends_with(": 2"));
        let e = Pack::read(
            "x.butie.json",
            r#"{"format":"butie-pack","schema_version":1,"hash":"sha256:00"}"#,
        )
        .unwrap_err();
        // Every missing field is named (a wrong hash: see the CLI's tests).
        let paths: Vec<&str> = e.iter().map(|e| e.path.as_str()).collect();
        assert!(
            paths.contains(&"name") && paths.contains(&"compiled"),
            "{paths:?}"
        );
        let big = " ".repeat(MAX_PACK_BYTES + 1);
        let e = Pack::read("big.butie.json", &big).unwrap_err();
        assert!(e[0].message.en.contains("too large"), "{e:?}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let e = Pack::read("deep.butie.json", &deep).unwrap_err();
        assert!(e[0].message.en.contains("recursion limit"), "{e:?}");
        let deep_obj = "{\"a\":".repeat(100_000);
        assert!(Pack::read("deep.butie.json", &deep_obj).is_err());
    }
}
