//! Running the rule core for the current inputs: which districts, which mode, as of when.

use std::rc::Rc;

use butie::date::{Date, Period};
use butie::{EvalOptions, PolicySet, Profile, Text};

use crate::view::{self, ReportView};

/// What to evaluate (besides the profile).
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub as_of: Date,
    /// The application period (申报期), when given.
    pub application_period: Option<Period>,
    pub compare_all: bool,
    /// Districts the host allows (`None`: all).
    pub allowed: Option<Vec<String>>,
}

/// How the registered district bears on the results (registered mode).
#[derive(Debug, Clone, PartialEq)]
pub enum Registered {
    /// Compare mode, or the district is encoded: nothing to say.
    Fine,
    /// The registered district is not given.
    Unknown,
    /// The registered district has no policy encoded.
    NotEncoded(Text),
}

/// The evaluation of the current inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub query: Query,
    /// The districts evaluated.
    pub districts: Option<Vec<String>>,
    pub registered: Registered,
    pub view: Result<Rc<ReportView>, String>,
    /// The result JSON (the contract), when the host asked for it: made from the same
    /// evaluation, never a second one.
    pub json: Option<Rc<str>>,
}

impl Outcome {
    /// No evaluation (the policy data did not load).
    pub fn empty(query: Query) -> Outcome {
        Outcome {
            query,
            districts: None,
            registered: Registered::Fine,
            view: Err(String::new()),
            json: None,
        }
    }
}

/// The options the core gets for a query and profile.
pub fn options(set: &PolicySet, profile: &Profile, query: &Query) -> (EvalOptions, Registered) {
    let allowed: Option<Vec<String>> = query.allowed.as_ref().map(|list| {
        list.iter()
            .filter(|d| set.has_district(d))
            .cloned()
            .collect()
    });
    let mut registered = Registered::Fine;
    let mut districts = allowed.clone();
    if !query.compare_all {
        let cat = &set.catalogue;
        let value = cat.fact_id("registered_district").and_then(|id| {
            let def = cat.facts.get(usize::from(id))?;
            match profile.facts.get(usize::from(id))? {
                Some(butie::Value::Enum(i)) => def.values.get(usize::from(*i)),
                _ => None,
            }
        });
        match value {
            None => registered = Registered::Unknown,
            Some(v) if set.has_district(&v.id) => {
                let allowed_here = allowed.as_ref().is_none_or(|a| a.contains(&v.id));
                districts = Some(if allowed_here {
                    vec![v.id.clone()]
                } else {
                    Vec::new()
                });
            }
            Some(v) => {
                registered = Registered::NotEncoded(butie::Text::new(v.zh.clone(), v.en.clone()));
                districts = Some(Vec::new());
            }
        }
    }
    let opts = EvalOptions {
        as_of: query.as_of,
        districts,
        compare_all: query.compare_all,
        hints: true,
        explain: true,
        application_period: query.application_period,
    };
    (opts, registered)
}

/// Evaluates once and builds the view (and the result JSON when `json`).
pub fn run(set: &PolicySet, profile: &Profile, query: &Query, json: bool) -> Outcome {
    let (opts, registered) = options(set, profile, query);
    let (view, json) = match butie::evaluate(set, profile, &opts) {
        Ok(report) => {
            // Only the widget's hosts ask for it (the page's build leaves the writer out).
            let json = (json && cfg!(feature = "js-api"))
                .then(|| serde_json::to_string(&report).ok().map(Rc::from))
                .flatten();
            (Ok(Rc::new(view::build(set, &report))), json)
        }
        Err(e) => (Err(e.to_string()), None),
    };
    Outcome {
        query: query.clone(),
        districts: opts.districts,
        registered,
        view,
        json,
    }
}

/// A results file to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsFile {
    /// One row per clause and per item (the core's `clauses_csv`, as `butie evaluate --csv`
    /// prints it), with a BOM for spreadsheets; no hints.
    Csv,
    /// The result JSON (the contract), pretty.
    Json,
}

impl ResultsFile {
    /// The file's extension and the format's name for the writer.
    pub fn ext(self) -> &'static str {
        match self {
            ResultsFile::Csv => "csv",
            ResultsFile::Json => "json",
        }
    }
}

/// The results file of `profile` for `query`. The page's second module writes it, on the first
/// click, so that neither writer is on the way to the first results; the widget's build has no
/// second module: the core writes the file.
pub async fn results_file(
    set: &PolicySet,
    profile: &Profile,
    query: &Query,
    file: ResultsFile,
) -> Result<String, Text> {
    let (mut opts, _) = options(set, profile, query);
    opts.hints = file == ResultsFile::Json;
    #[cfg(feature = "consultant-tools")]
    {
        crate::bulk::results_file(profile, &opts, file.ext()).await
    }
    #[cfg(not(feature = "consultant-tools"))]
    {
        let fail = |why: String| Text::new(why.clone(), why);
        let report = butie::evaluate(set, profile, &opts).map_err(|e| fail(e.to_string()))?;
        match file {
            ResultsFile::Csv => Ok(butie::batch::clauses_csv(set, &report, true)),
            ResultsFile::Json => {
                serde_json::to_string_pretty(&report).map_err(|e| fail(e.to_string()))
            }
        }
    }
}
