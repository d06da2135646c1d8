//! Evaluation options, read in one place for every front end: the CLI's flags (`--as-of`,
//! `--district`, `--compare`, `--application-period`), the JS API's options object (`{asOf,
//! districts, compare, applicationPeriod}`), the widget's attributes and the iframe page's URL
//! fragment (`as-of`, `districts`, `application-period`, `lang`).
//!
//! A key may be spelt any way the front ends spell it (`asOf`, `as_of`, `as-of`); values come
//! as JSON or as text (attributes, flags, fragments) and mean the same either way: a date is
//! `YYYY-MM-DD`, an application period `START..END` (read by [`Period::parse`]), districts
//! are ids (a comma-separated text or a list), a yes/no is `true`/
//! `false` or the text `1`/`0`, `yes`/`no`, `on`/`off`, or empty for a present attribute.
//! Reading never fails: it returns the options it could use and a problem per value it could
//! not, each naming its place and saying why in both languages. Strict callers (the CLI, the
//! JS API) refuse on any problem; lenient ones (widget attributes) warn and go on.

use crate::date::{AsOfError, Date, Period, parse_as_of};
use crate::eval::EvalOptions;
use crate::set::PolicySet;
use crate::text::{Lang, Text};
use serde_json::Value as Json;

/// The options there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    AsOf,
    Districts,
    Compare,
    /// The application period (申报期) of the call applied under.
    ApplicationPeriod,
    Hints,
    Explain,
    Lang,
}

impl Key {
    /// Every key.
    pub const ALL: [Key; 7] = [
        Key::AsOf,
        Key::Districts,
        Key::Compare,
        Key::ApplicationPeriod,
        Key::Hints,
        Key::Explain,
        Key::Lang,
    ];

    /// The key a name means, however it is spelt (`asOf`, `as_of`, `as-of`, `AS-OF`);
    /// `district` means `districts` and `compare_all` means `compare`.
    pub fn from_name(name: &str) -> Option<Key> {
        let folded: String = name
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Some(match folded.as_str() {
            "asof" => Key::AsOf,
            "districts" | "district" => Key::Districts,
            "compare" | "compareall" => Key::Compare,
            "applicationperiod" => Key::ApplicationPeriod,
            "hints" => Key::Hints,
            "explain" => Key::Explain,
            "lang" | "language" => Key::Lang,
            _ => return None,
        })
    }

    /// The name the JS API documents (`asOf`, `districts`, …).
    pub fn api_name(self) -> &'static str {
        match self {
            Key::AsOf => "asOf",
            Key::Districts => "districts",
            Key::Compare => "compare",
            Key::ApplicationPeriod => "applicationPeriod",
            Key::Hints => "hints",
            Key::Explain => "explain",
            Key::Lang => "lang",
        }
    }
}

/// A value that could not be used: where (the option's name as given, `districts[1]`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionProblem {
    pub path: String,
    pub message: Text,
}

/// Options as read; unset ones keep their defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `None`: today (the caller's clock decides what today is).
    pub as_of: Option<Date>,
    /// Only these districts; `None`: all.
    pub districts: Option<Vec<String>>,
    /// Every district as if the enterprise were registered there.
    pub compare: bool,
    /// The application period (申报期); `None`: not given.
    pub application_period: Option<Period>,
    pub hints: bool,
    pub explain: bool,
    pub lang: Option<Lang>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            as_of: None,
            districts: None,
            compare: false,
            application_period: None,
            hints: true,
            explain: true,
            lang: None,
        }
    }
}

/// A value as given: JSON, or text (attributes, flags).
enum Raw<'a> {
    Null,
    Text(&'a str),
    Bool(bool),
    List(&'a [Json]),
    Other,
}

impl<'a> From<&'a Json> for Raw<'a> {
    fn from(j: &'a Json) -> Raw<'a> {
        match j {
            Json::Null => Raw::Null,
            Json::String(s) => Raw::Text(s),
            Json::Bool(b) => Raw::Bool(*b),
            Json::Array(a) => Raw::List(a),
            _ => Raw::Other,
        }
    }
}

/// A yes/no written as text: empty (a present attribute), `1`, `true`, `yes`, `on` → yes;
/// `0`, `false`, `no`, `off` → no (any case); anything else `None`.
pub fn parse_flag(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "" | "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// A language: `zh`, `en`, or a tag starting with one (`zh-CN`, `en-GB`), any case.
pub fn parse_lang(raw: &str) -> Option<Lang> {
    let l = raw.trim().to_ascii_lowercase();
    let base = l.split(['-', '_']).next().unwrap_or_default();
    match base {
        "zh" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

fn problem(path: &str, zh: String, en: String) -> OptionProblem {
    OptionProblem {
        path: path.to_string(),
        message: Text::new(zh, en),
    }
}

fn wrong_type(path: &str, zh: &str, en: &str) -> OptionProblem {
    problem(
        path,
        format!("类型错误，应为{zh}"),
        format!("wrong type, expected {en}"),
    )
}

/// Why `raw` is not an evaluation date (not `YYYY-MM-DD`, or outside 1900–2100).
pub fn as_of_problem(path: &str, raw: &str, e: AsOfError) -> OptionProblem {
    let why = e.text();
    problem(
        path,
        format!("“{raw}”{}", why.zh),
        format!("`{raw}`: {}", why.en),
    )
}

impl Options {
    /// Reads an options object (`null`: all defaults). Keys not in `allowed` are problems.
    pub fn from_json(
        set: &PolicySet,
        json: &Json,
        allowed: &[Key],
    ) -> (Options, Vec<OptionProblem>) {
        let mut o = Options::default();
        let mut problems = Vec::new();
        match json {
            Json::Null => {}
            Json::Object(members) => {
                for (name, value) in members {
                    o.apply(set, allowed, name, value.into(), &mut problems);
                }
            }
            _ => problems.push(wrong_type("(options)", "对象", "an object")),
        }
        (o, problems)
    }

    /// Reads `(name, text)` pairs (attributes, flags, a URL fragment); a repeated `district`
    /// adds to the list. Keys not in `allowed` are problems.
    pub fn from_pairs(
        set: &PolicySet,
        pairs: &[(&str, &str)],
        allowed: &[Key],
    ) -> (Options, Vec<OptionProblem>) {
        let mut o = Options::default();
        let mut problems = Vec::new();
        for (name, value) in pairs {
            o.apply(set, allowed, name, Raw::Text(value), &mut problems);
        }
        (o, problems)
    }

    /// The engine's options, with `today` as the date when none was given.
    pub fn eval_options(&self, today: Date) -> EvalOptions {
        EvalOptions {
            as_of: self.as_of.unwrap_or(today),
            districts: self.districts.clone(),
            compare_all: self.compare,
            hints: self.hints,
            explain: self.explain,
            application_period: self.application_period,
        }
    }

    fn apply(
        &mut self,
        set: &PolicySet,
        allowed: &[Key],
        name: &str,
        value: Raw<'_>,
        problems: &mut Vec<OptionProblem>,
    ) {
        let Some(key) = Key::from_name(name).filter(|k| allowed.contains(k)) else {
            let names: Vec<&str> = allowed.iter().map(|k| k.api_name()).collect();
            problems.push(problem(
                name,
                format!("未知选项；可用：{}", names.join("、")),
                format!("unknown option; use {}", names.join(", ")),
            ));
            return;
        };
        if matches!(value, Raw::Null) {
            return;
        }
        match key {
            Key::AsOf => match value {
                Raw::Text(s) => match parse_as_of(s.trim()) {
                    Ok(d) => self.as_of = Some(d),
                    Err(e) => problems.push(as_of_problem(name, s, e)),
                },
                _ => problems.push(wrong_type(name, "字符串 YYYY-MM-DD", "a string YYYY-MM-DD")),
            },
            Key::ApplicationPeriod => match value {
                Raw::Text(s) => match Period::parse(s) {
                    Ok(p) => self.application_period = Some(p),
                    Err(e) => problems.push(OptionProblem {
                        path: name.to_string(),
                        message: e.text(),
                    }),
                },
                _ => problems.push(wrong_type(
                    name,
                    "字符串 起始日期..截止日期",
                    "a string START..END",
                )),
            },
            Key::Districts => {
                let mut given: Vec<(String, String)> = Vec::new();
                match value {
                    Raw::Text(s) => given.extend(
                        s.split(',')
                            .map(str::trim)
                            .filter(|d| !d.is_empty())
                            .map(|d| (String::new(), d.to_string())),
                    ),
                    Raw::List(items) => {
                        for (i, item) in items.iter().enumerate() {
                            match item.as_str() {
                                Some(d) => given.push((format!("{name}[{i}]"), d.trim().into())),
                                None => problems.push(wrong_type(
                                    &format!("{name}[{i}]"),
                                    "字符串",
                                    "a string",
                                )),
                            }
                        }
                    }
                    _ => {
                        problems.push(wrong_type(name, "字符串数组", "an array of strings"));
                        return;
                    }
                }
                let mut list = self.districts.take().unwrap_or_default();
                let offset = list.len();
                for (i, (path, d)) in given.into_iter().enumerate() {
                    let id = d.to_ascii_lowercase();
                    if set.has_district(&id) {
                        if !list.contains(&id) {
                            list.push(id);
                        }
                        continue;
                    }
                    let known = set.districts().join(", ");
                    let path = if path.is_empty() {
                        format!("{name}[{}]", offset + i)
                    } else {
                        path
                    };
                    problems.push(problem(
                        &path,
                        format!(
                            "“{d}”不是已收录政策的区；可选：{}",
                            known.replace(", ", "、")
                        ),
                        format!("`{d}` is not a district with a policy; known: {known}"),
                    ));
                }
                // Only unknown ids: every district rather than none.
                self.districts = (!list.is_empty()).then_some(list);
            }
            Key::Compare | Key::Hints | Key::Explain => {
                let flag = match value {
                    Raw::Bool(b) => Some(b),
                    Raw::Text(s) => parse_flag(s),
                    _ => None,
                };
                match (flag, key) {
                    (Some(b), Key::Compare) => self.compare = b,
                    (Some(b), Key::Hints) => self.hints = b,
                    (Some(b), _) => self.explain = b,
                    (None, _) => problems.push(wrong_type(name, "true 或 false", "true or false")),
                }
            }
            Key::Lang => match value {
                Raw::Text(s) => match parse_lang(s) {
                    Some(l) => self.lang = Some(l),
                    None => problems.push(problem(
                        name,
                        format!("“{s}”不是 zh 或 en"),
                        format!("`{s}` is not zh or en"),
                    )),
                },
                _ => problems.push(wrong_type(name, "zh 或 en", "zh or en")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;
    use serde_json::json;

    fn set() -> PolicySet {
        PolicySet::embedded().unwrap()
    }

    fn paths(p: &[OptionProblem]) -> Vec<&str> {
        let mut v: Vec<&str> = p.iter().map(|p| p.path.as_str()).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn json_and_text_mean_the_same() {
        let set = set();
        let (a, pa) = Options::from_json(
            &set,
            &json!({"asOf": "2026-11-21", "districts": "putuo, Jiading", "compare": true, "lang": "en-GB",
                "applicationPeriod": "2026-03-01..2026-04-30"}),
            &Key::ALL,
        );
        let (b, pb) = Options::from_pairs(
            &set,
            &[
                ("as-of", "2026-11-21"),
                ("district", "putuo"),
                ("district", "jiading"),
                ("compare", ""),
                ("lang", "en"),
                ("application-period", " 2026-03-01 至 2026-04-30 "),
            ],
            &Key::ALL,
        );
        assert!(pa.is_empty() && pb.is_empty(), "{pa:?} {pb:?}");
        assert_eq!(a, b);
        assert_eq!(a.districts, Some(vec!["putuo".into(), "jiading".into()]));
        assert_eq!(a.lang, Some(Lang::En));
        let e = a.eval_options(parse_date("2000-01-01").unwrap());
        assert_eq!(e.as_of, parse_date("2026-11-21").unwrap());
        assert!(e.compare_all && e.hints && e.explain);
        assert_eq!(
            e.application_period.map(|p| p.to_string()).as_deref(),
            Some("2026-03-01..2026-04-30")
        );
    }

    #[test]
    fn every_problem_is_named_and_the_rest_is_kept() {
        let set = set();
        let (o, p) = Options::from_json(
            &set,
            &json!({"asOf": "2026-13-01", "districts": ["putuo", "nowhere", 3], "comapre": true, "hints": "maybe",
                "application_period": "2026-04-30..2026-03-01"}),
            &Key::ALL,
        );
        assert_eq!(
            paths(&p),
            [
                "application_period",
                "asOf",
                "comapre",
                "districts[1]",
                "districts[2]",
                "hints"
            ]
        );
        assert_eq!(
            p.iter()
                .find(|p| p.path == "application_period")
                .map(|p| p.message.en.as_str())
                .unwrap_or_default(),
            "the period ends (2026-03-01) before it starts (2026-04-30)"
        );
        assert_eq!(o.application_period, None);
        assert_eq!(o.districts, Some(vec!["putuo".into()]));
        assert_eq!(o.as_of, None);
        assert!(
            p.iter()
                .all(|p| !p.message.zh.is_empty() && !p.message.en.is_empty())
        );
        // Only unknown districts: all of them, with the problem.
        let (o, p) = Options::from_pairs(&set, &[("districts", "x")], &Key::ALL);
        assert_eq!((o.districts, paths(&p)), (None, vec!["districts[0]"]));
        // Keys a caller does not take are unknown to it.
        let (_, p) = Options::from_json(&set, &json!({"compare": true}), &[Key::AsOf]);
        assert_eq!(paths(&p), ["compare"]);
        let (_, p) = Options::from_json(&set, &json!([1]), &Key::ALL);
        assert_eq!(paths(&p), ["(options)"]);
        assert!(
            Options::from_json(&set, &Json::Null, &Key::ALL)
                .1
                .is_empty()
        );
    }

    #[test]
    fn evaluation_dates_are_1900_to_2100_everywhere() {
        let set = set();
        for (raw, en) in [
            ("2101-01-01", "`2101-01-01`: outside the years 1900–2100"),
            ("1899-12-31", "`1899-12-31`: outside the years 1900–2100"),
            (
                "2026-02-30",
                "`2026-02-30`: not a date: use YYYY-MM-DD, e.g. 2026-11-21",
            ),
        ] {
            let (o, p) = Options::from_json(&set, &json!({ "asOf": raw }), &Key::ALL);
            assert_eq!(o.as_of, None);
            assert_eq!(p.len(), 1, "{p:?}");
            assert_eq!((p[0].path.as_str(), p[0].message.en.as_str()), ("asOf", en));
            let (_, q) = Options::from_pairs(&set, &[("as-of", raw)], &Key::ALL);
            assert_eq!(
                p,
                q.into_iter()
                    .map(|q| OptionProblem {
                        path: "asOf".into(),
                        ..q
                    })
                    .collect::<Vec<_>>()
            );
        }
        let (o, p) = Options::from_pairs(&set, &[("as-of", " 2100-12-31 ")], &Key::ALL);
        assert!(p.is_empty());
        assert_eq!(o.as_of, parse_date("2100-12-31"));
    }

    #[test]
    fn flags_and_languages() {
        for yes in ["", "1", "true", "YES", "on"] {
            assert_eq!(parse_flag(yes), Some(true), "{yes}");
        }
        for no in ["0", "false", "No", "off"] {
            assert_eq!(parse_flag(no), Some(false), "{no}");
        }
        assert_eq!(parse_flag("2"), None);
        assert_eq!(parse_lang("zh-CN"), Some(Lang::Zh));
        assert_eq!(parse_lang("EN"), Some(Lang::En));
        assert_eq!(parse_lang("fr"), None);
        assert_eq!(Key::from_name("AS-OF"), Some(Key::AsOf));
        assert_eq!(Key::from_name("compare_all"), Some(Key::Compare));
        assert_eq!(Key::from_name("asof"), Some(Key::AsOf));
        assert_eq!(Key::from_name("as of"), None);
    }
}
