//! The JavaScript API of the widget script (`butie.evaluate`, `butie.policies`,
//! `butie.schema`): JSON text in, JSON text out, so the wasm needs no JS-object conversion
//! code. The script's wrapper (`www/widget/widget.js`) stringifies the arguments and parses
//! the answers. Nothing here panics on input: every problem comes back as a structured error
//! object naming the field, `{"error": "invalid_profile", "fields": [{"path", "message":
//! {"zh", "en"}}]}`.
//!
//! [`evaluate`] gives exactly what `butie evaluate FILE --json` prints for the same profile
//! and options (the same rule core, the same options, the same serializer), and [`policies`]
//! what `butie policies --json` prints.

use butie::date::{Date, parse_date};
use butie::options::{Key, OptionProblem, Options};
use butie::profile::ProfileTextError;
use butie::{EvalOptions, PolicySet, Profile, Text};
use serde_json::{Value as Json, json};
use wasm_bindgen::prelude::*;

use crate::{data, dates};

/// The committed JSON Schemas (kept fresh by `cli/tests/cli_commands.rs`); the wasm carries
/// no schema generator.
/// The result schema (docs/schema/result.schema.json), minified by build.rs. The profile
/// schema is generated from the catalogue at run time, like the CLI does.
const RESULT_SCHEMA: &str = include_str!(concat!(env!("OUT_DIR"), "/result.schema.json"));

fn profile_schema() -> String {
    crate::data::policy_set()
        .map(|set| butie::schema::profile_schema(&set.catalogue).to_string())
        .unwrap_or_else(|e| error_json("internal", &[FieldProblem::new("(data)", Text::new(e, e))]))
}

/// One rejected field: where and why.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    pub path: String,
    pub message: Text,
}

impl FieldProblem {
    fn new(path: impl Into<String>, message: Text) -> FieldProblem {
        FieldProblem {
            path: path.into(),
            message,
        }
    }
}

/// An error answer: a machine code and the fields at fault.
fn error_json(code: &str, fields: &[FieldProblem]) -> String {
    let fields: Vec<Json> = fields
        .iter()
        .map(|f| json!({ "path": f.path, "message": { "zh": f.message.zh, "en": f.message.en } }))
        .collect();
    json!({ "error": code, "fields": fields }).to_string()
}

/// An error answer without fields, with a message.
fn failure_json(code: &str, message: &Text) -> String {
    json!({ "error": code, "fields": [], "message": { "zh": message.zh, "en": message.en } })
        .to_string()
}

fn no_data(e: &str) -> String {
    failure_json(
        "unavailable",
        &Text::new(
            format!("政策数据无法载入：{e}"),
            format!("the policy data could not be loaded: {e}"),
        ),
    )
}

impl From<OptionProblem> for FieldProblem {
    fn from(p: OptionProblem) -> FieldProblem {
        FieldProblem::new(p.path, p.message)
    }
}

/// The options `butie.evaluate` takes, as the CLI's flags: `asOf` (`--as-of`), `districts`
/// (`--district`), `compare` (`--compare`), `applicationPeriod` (`--application-period`,
/// `"2026-03-01..2026-04-30"`), and `hints`, `explain` (default true).
const EVALUATE_KEYS: [Key; 6] = [
    Key::AsOf,
    Key::Districts,
    Key::Compare,
    Key::ApplicationPeriod,
    Key::Hints,
    Key::Explain,
];

/// Reads the options object with the core's one options reader; `today` is the default date.
pub fn parse_options(
    set: &PolicySet,
    json: &Json,
    today: Date,
) -> Result<EvalOptions, Vec<FieldProblem>> {
    let (options, problems) = Options::from_json(set, json, &EVALUATE_KEYS);
    if problems.is_empty() {
        Ok(options.eval_options(today))
    } else {
        Err(problems.into_iter().map(FieldProblem::from).collect())
    }
}

/// Reads a profile JSON text, naming every rejected field.
pub fn parse_profile(set: &PolicySet, text: &str) -> Result<Profile, Vec<FieldProblem>> {
    Profile::from_json_str(&set.catalogue, text).map_err(|e| match e {
        ProfileTextError::Syntax(e) => vec![FieldProblem::new(
            "(root)",
            Text::new(
                format!("不是有效的 JSON：{e}"),
                format!("not valid JSON: {e}"),
            ),
        )],
        ProfileTextError::Fields(errors) => errors
            .iter()
            .map(|e| FieldProblem::new(e.path.clone(), e.error.text()))
            .collect(),
    })
}

fn today() -> Date {
    parse_date(&dates::today_shanghai()).unwrap_or(Date::MIN)
}

/// Evaluates `profile_json` with `options_json`; the result JSON or an error object.
pub fn evaluate_text(
    set: &PolicySet,
    profile_json: &str,
    options_json: &str,
    today: Date,
) -> String {
    let options: Json = match serde_json::from_str(options_json) {
        Ok(o) => o,
        Err(e) => {
            return error_json(
                "invalid_options",
                &[FieldProblem::new(
                    "(options)",
                    Text::new(
                        format!("选项无法读取：{e}"),
                        format!("unreadable options: {e}"),
                    ),
                )],
            );
        }
    };
    let options = match parse_options(set, &options, today) {
        Ok(o) => o,
        Err(problems) => return error_json("invalid_options", &problems),
    };
    let profile = match parse_profile(set, profile_json) {
        Ok(p) => p,
        Err(problems) => return error_json("invalid_profile", &problems),
    };
    match butie::evaluate(set, &profile, &options) {
        Ok(report) => serde_json::to_string(&report).unwrap_or_else(|e| {
            failure_json("internal_error", &Text::new(e.to_string(), e.to_string()))
        }),
        Err(e) => failure_json(
            "evaluation_failed",
            &Text::new(
                format!("无法计算：{e}"),
                format!("the evaluation failed: {e}"),
            ),
        ),
    }
}

/// The documents and their state on the date in `options_json` (`{"asOf": …}`).
pub fn policies_text(set: &PolicySet, options_json: &str, today: Date) -> String {
    let options: Json = serde_json::from_str(options_json).unwrap_or(Json::Null);
    let (options, problems) = Options::from_json(set, &options, &[Key::AsOf]);
    if !problems.is_empty() {
        let problems: Vec<FieldProblem> = problems.into_iter().map(FieldProblem::from).collect();
        return error_json("invalid_options", &problems);
    }
    let as_of = options.as_of.unwrap_or(today);
    serde_json::to_string(&butie::listing::policy_listing(set, as_of)).unwrap_or_else(|e| {
        failure_json("internal_error", &Text::new(e.to_string(), e.to_string()))
    })
}

/// The JSON Schemas: `"profile"`, `"result"`, or both (`""`) as `{"profile", "result"}`.
pub fn schema_text(which: &str) -> String {
    match which {
        "profile" => profile_schema(),
        "result" => RESULT_SCHEMA.to_string(),
        "" => format!(
            "{{\"profile\":{},\"result\":{RESULT_SCHEMA}}}",
            profile_schema()
        ),
        other => error_json(
            "invalid_argument",
            &[FieldProblem::new(
                "(schema)",
                Text::new(
                    format!("未知的 schema“{other}”；可选：profile、result"),
                    format!("unknown schema `{other}`; use profile or result"),
                ),
            )],
        ),
    }
}

/// `butie.evaluate`: the result JSON of the profile (JSON text) with the options (JSON
/// text: `{"asOf", "districts", "compare"}`), or an error object.
#[wasm_bindgen]
pub fn api_evaluate(profile_json: &str, options_json: &str) -> String {
    crate::install_panic_hook();
    match data::policy_set() {
        Ok(set) => evaluate_text(set, profile_json, options_json, today()),
        Err(e) => no_data(e),
    }
}

/// `butie.policies`: the documents and their state (options JSON text: `{"asOf"}`).
#[wasm_bindgen]
pub fn api_policies(options_json: &str) -> String {
    crate::install_panic_hook();
    match data::policy_set() {
        Ok(set) => policies_text(set, options_json, today()),
        Err(e) => no_data(e),
    }
}

/// `butie.schema`: the JSON Schema(s), see [`schema_text`].
#[wasm_bindgen]
pub fn api_schema(which: &str) -> String {
    schema_text(which)
}

/// `butie.loadPolicies`: adds a policy pack (its JSON text; `label` names it in messages) to
/// every widget and API call on the page. `{"pack": {name, hash, documents: [{id, district,
/// relation, of}], facts_added, overrides, …}}`, or `{"error": "invalid_pack", "fields":
/// [{path: "FILE: PLACE", message: {zh, en}}]}` with nothing changed. The same pack again is
/// answered as loaded.
pub async fn load_pack_text(text: &str, label: &str) -> String {
    match crate::packs::add_host(text, label).await {
        Ok(summary) => format!("{{\"pack\":{summary}}}"),
        Err(problems) => {
            // Read as JSON values, not as `PackError`s: a typed reader's error messages would
            // bring core's float printer into the widget (see `lazy::error_text`).
            let errors: Json = serde_json::from_str(&problems).unwrap_or_default();
            let s = |v: &Json| v.as_str().unwrap_or_default().to_string();
            let fields: Vec<FieldProblem> = errors
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| {
                    FieldProblem::new(
                        format!("{}: {}", s(&e["file"]), s(&e["path"])),
                        Text::new(s(&e["message"]["zh"]), s(&e["message"]["en"])),
                    )
                })
                .collect();
            error_json("invalid_pack", &fields)
        }
    }
}

/// `butie.loadPolicies(pack)` and the widget's `pack` attribute: a Promise of the JSON text of
/// [`load_pack_text`].
#[wasm_bindgen]
pub fn api_load_pack(text: String, label: String) -> js_sys::Promise {
    crate::install_panic_hook();
    wasm_bindgen_futures::future_to_promise(async move {
        Ok(JsValue::from_str(&load_pack_text(&text, &label).await))
    })
}

/// The engine version (`butie.version`).
#[wasm_bindgen]
pub fn api_version() -> String {
    butie::VERSION.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> &'static PolicySet {
        data::policy_set().unwrap()
    }

    fn day(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn parse(s: &str) -> Json {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn evaluates_like_the_cli() {
        let profile = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/examples/software-firm-putuo.json"
        ))
        .unwrap();
        let out = parse(&evaluate_text(
            set(),
            &profile,
            r#"{"asOf":"2026-11-21"}"#,
            day("2000-01-01"),
        ));
        assert_eq!(out["as_of"], "2026-11-21");
        assert_eq!(out["available_now"]["up_to"], "2200000.00");
        assert_eq!(
            out["districts"].as_array().unwrap().len(),
            4,
            "all districts, as the CLI"
        );
        let json: Json = serde_json::from_str(&profile).unwrap();
        let p = Profile::from_json(&set().catalogue, &json).unwrap();
        let report = butie::evaluate(set(), &p, &EvalOptions::new(day("2026-11-21"))).unwrap();
        assert_eq!(out, serde_json::to_value(&report).unwrap());
    }

    #[test]
    fn options_are_checked() {
        let today = day("2026-11-21");
        let o = parse_options(
            set(),
            &parse(r#"{"districts":"putuo, jiading","compare":true}"#),
            today,
        )
        .unwrap();
        assert_eq!(o.districts, Some(vec!["putuo".into(), "jiading".into()]));
        assert!(o.compare_all);
        assert_eq!(o.as_of, today);
        let e = parse_options(
            set(),
            &parse(r#"{"asOf":"2026-13-01","districts":["putuo","nowhere",3],"comapre":true}"#),
            today,
        )
        .unwrap_err();
        let mut paths: Vec<&str> = e.iter().map(|p| p.path.as_str()).collect();
        paths.sort_unstable();
        assert_eq!(paths, ["asOf", "comapre", "districts[1]", "districts[2]"]);
        assert!(parse_options(set(), &parse("[1]"), today).is_err());
        assert!(parse_options(set(), &Json::Null, today).is_ok());
        let p = parse_options(
            set(),
            &parse(r#"{"applicationPeriod":"2026-03-01..2026-04-30"}"#),
            today,
        )
        .unwrap();
        assert_eq!(
            p.application_period.map(|p| p.to_string()).as_deref(),
            Some("2026-03-01..2026-04-30")
        );
        let e = parse_options(
            set(),
            &parse(r#"{"applicationPeriod":"2026-04-30..2026-03-01"}"#),
            today,
        )
        .unwrap_err();
        assert_eq!(e[0].path, "applicationPeriod");
        let e = parse_options(set(), &parse(r#"{"asOf":"2101-01-01"}"#), today).unwrap_err();
        assert_eq!(e[0].path, "asOf");
        assert_eq!(e[0].message.en, "`2101-01-01`: outside the years 1900–2100");
        let bad = parse(&policies_text(set(), r#"{"asOf":"1899-12-31"}"#, today));
        assert_eq!(bad["fields"][0]["path"], "asOf");
        assert!(
            bad["fields"][0]["message"]["zh"]
                .as_str()
                .unwrap()
                .contains("1900 至 2100")
        );
    }

    #[test]
    fn bad_profiles_name_every_field() {
        let out = parse(&evaluate_text(
            set(),
            r#"{"certifications":{"cmmi_level":"7"},"projects":[{"kind":"rd_project","actual_investment":1.5}],"foo":1}"#,
            "{}",
            day("2026-11-21"),
        ));
        assert_eq!(out["error"], "invalid_profile");
        let mut paths: Vec<&str> = out["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        paths.sort_unstable();
        assert_eq!(
            paths,
            [
                "certifications.cmmi_level",
                "foo",
                "projects[0].actual_investment"
            ]
        );
        assert!(out["fields"][0]["message"]["zh"].is_string());
        assert!(out["fields"][0]["message"]["en"].is_string());
        for bad in ["", "{", "[]", "null", "\"x\"", "{\"enterprise\":5}"] {
            let out = parse(&evaluate_text(set(), bad, "{}", day("2026-11-21")));
            assert_eq!(out["error"], "invalid_profile", "{bad}");
        }
        let out = parse(&evaluate_text(set(), "{}", "nope", day("2026-11-21")));
        assert_eq!(out["error"], "invalid_options");
    }

    #[test]
    fn policies_and_schemas() {
        let out = parse(&policies_text(
            set(),
            r#"{"asOf":"2026-11-21"}"#,
            day("2000-01-01"),
        ));
        assert_eq!(out["as_of"], "2026-11-21");
        let putuo = out["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["district"] == "putuo")
            .unwrap();
        assert_eq!(putuo["state"], "in_force");
        assert_eq!(putuo["doc_no"], "普科合规范〔2024〕3号");
        let bad = parse(&policies_text(set(), r#"{"asOf":"x"}"#, day("2026-11-21")));
        assert_eq!(bad["error"], "invalid_options");
        let both = parse(&schema_text(""));
        assert_eq!(
            both["profile"]["title"],
            "butie enterprise profile (schema_version 1)"
        );
        assert!(both["result"].is_object());
        assert_eq!(parse(&schema_text("nope"))["error"], "invalid_argument");
    }
}
