//! The results as the components show them: an owned, bilingual copy of a [`Report`]
//! (the report borrows the profile, components need `'static` props). Language-independent:
//! switching language re-renders without re-evaluating.

use std::rc::Rc;

use butie::catalogue::FactDef;
use butie::date::fmt_date;
use butie::explain::{hint_text, reading_text, rule_reading_text, step_text};
use butie::format::money_text;
use butie::policy::Basis;
use butie::profile::{Value, value_to_string};
use butie::report::{
    AmountKind, ClauseResult, CondState, ConditionResult, DistrictResult, Input, Installment,
    PolicyState, Report, Status, Totals,
};
use butie::words::REPLACED;
use butie::{Lang, PolicySet, Text};
use rust_decimal::Decimal;

use crate::draft::FieldRef;

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportView {
    pub as_of: String,
    /// The application period (申报期) evaluated with, when given.
    pub application_period: Option<String>,
    pub compare_all: bool,
    pub engine_version: String,
    pub available_now: TotalsView,
    pub districts: Vec<Rc<DistrictView>>,
    /// "可能还能申请": the largest unknowns as questions, most money first.
    pub questions: Vec<QuestionView>,
}

/// A question whose answer may unlock money (the core's [`butie::questions`]).
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionView {
    pub text: Text,
    /// Where to start answering.
    pub ask: Option<MissingView>,
}

/// Money totals and clause counts.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TotalsView {
    pub definite: Decimal,
    pub up_to: Decimal,
    /// Of `up_to`: fixed ceilings granted at the authority's discretion.
    pub discretionary: Decimal,
    pub eligible: u32,
    pub review: u32,
    pub info: u32,
    pub not_eligible: u32,
    pub not_quantified: u32,
}

/// One district's policy.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictView {
    pub district: String,
    pub name: Text,
    pub title: Text,
    pub doc_no: Option<String>,
    pub issued_on: Option<String>,
    pub effective_from: Option<String>,
    pub effective_to: Option<String>,
    pub window_article: String,
    pub window_quote: String,
    pub window_notes: Vec<Text>,
    pub data_file: String,
    pub source_file: String,
    /// The policy pack the document comes from, and whether it replaces a built-in one.
    pub pack: Option<(String, bool)>,
    pub state: PolicyState,
    /// In force with at most 60 days left.
    pub ending_soon: bool,
    /// The badge word (the state, or "ending soon").
    pub badge: butie::words::Word,
    /// The sentence about the window on the evaluation date (derived by the core).
    pub notice: Text,
    /// Set when no encoded document of the district is in force or about to be.
    pub coverage: Option<Text>,
    /// In force: whole days to the last day.
    pub days_left: Option<i64>,
    /// What amounts that do not count would be: "施行后", "若仍有效", "若正式施行".
    pub hypothetical: butie::words::Word,
    /// The document evaluated (its issuers, procedure and dates are read from the policy set).
    pub policy_id: String,
    /// The district's other documents ("普科合规范〔2024〕3号：被本政策取代 · 已失效"), then
    /// those its text repeals that are not encoded.
    pub history: Vec<Text>,
    pub payable_now: bool,
    pub totals: TotalsView,
    pub if_in_force: TotalsView,
    pub applicant: Rc<[CondView]>,
    /// Other readings of applicant rules: what the district would pay under each.
    pub readings: Vec<ReadingView>,
    /// Sorted by money, then status.
    pub clauses: Vec<Rc<ClauseView>>,
}

/// An amount.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AmountView {
    pub kind: AmountKind,
    pub value: Option<Decimal>,
}

/// One condition and the inputs it read.
#[derive(Debug, Clone, PartialEq)]
pub struct CondView {
    pub label: Text,
    pub state: CondState,
    pub inputs: Vec<InputView>,
}

/// An input value as read.
#[derive(Debug, Clone, PartialEq)]
pub struct InputView {
    pub label: Text,
    /// `None`: not given.
    pub value: Option<Text>,
    pub item: Option<usize>,
}

/// A missing input, with the field that would supply it.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingView {
    pub label: Text,
    pub item: Option<usize>,
    pub target: Option<FieldRef>,
    /// A settings control that supplies it instead (the application period).
    pub setting: Option<&'static str>,
    /// A list not answered (its items, or "none").
    pub list: Option<u16>,
}

impl MissingView {
    /// What following the link shows: the field, or the settings control that supplies it.
    pub fn reveal(&self) -> Option<Reveal> {
        match (self.target, self.setting, self.list) {
            (Some(at), ..) => Some(Reveal::Field(at)),
            (None, Some(id), _) => Some(Reveal::Setting(id)),
            (None, None, Some(l)) => Some(Reveal::List(l)),
            (None, None, None) => None,
        }
    }
}

/// Where a "please add" link (or a question) takes the user.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reveal {
    /// A form field (its section opens) to focus.
    Field(FieldRef),
    /// A settings control, by DOM id.
    Setting(&'static str),
    /// A list not answered: its "none" answer (next to "add").
    List(u16),
}

/// One installment of a schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct InstallmentView {
    /// "第2年（2027年，有效期后）".
    pub label: Text,
    /// In a year after the document's last day.
    pub past_end: bool,
    pub share: Option<Decimal>,
    pub amount: Option<Decimal>,
}

/// One project or product under a per-item clause.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemView {
    pub item_label: Text,
    pub index: usize,
    pub name: Option<String>,
    pub status: Status,
    pub amount: AmountView,
    pub counted: bool,
    pub superseded_by: Option<String>,
    pub conditions: Vec<CondView>,
    pub steps: Vec<Text>,
    pub schedule: Vec<InstallmentView>,
}

/// Another reading of the text and what it would pay (never counted).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingView {
    /// "另一读法（…）：最高 400万元，不计入".
    pub text: Text,
    /// Its outcome differs from the counted one (shown without opening the clause).
    pub differs: bool,
    pub note: Option<Text>,
    /// The sentence it rests on.
    pub quote: String,
}

/// The citation.
#[derive(Debug, Clone, PartialEq)]
pub struct CitationView {
    pub doc_no: Option<String>,
    pub title: Text,
    pub article: String,
    pub quote: String,
    pub extra_quotes: Vec<String>,
}

/// One clause.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseView {
    pub id: String,
    pub article: String,
    pub title: Text,
    pub status: Status,
    pub status_if_in_force: Status,
    pub basis: Basis,
    pub amount: AmountView,
    pub counted: bool,
    /// A fixed ceiling granted at the authority's discretion.
    pub discretionary: bool,
    pub conditions: Vec<CondView>,
    pub steps: Vec<Text>,
    pub items: Vec<ItemView>,
    pub schedule: Vec<InstallmentView>,
    /// The text does not say whether payments after the last day are made.
    pub schedule_notice: Option<Text>,
    pub citation: CitationView,
    pub notes: Vec<Text>,
    pub interpretation: Vec<Text>,
    /// Said next to the amount.
    pub amount_note: Option<Text>,
    pub readings: Vec<ReadingView>,
    pub hints: Vec<Text>,
    pub missing: Vec<MissingView>,
}

impl ClauseView {
    /// Where the clause sorts: money first (what it pays or would pay), then status.
    fn sort_key(&self) -> (std::cmp::Reverse<Decimal>, Status) {
        let money = if self.status_if_in_force.counts() {
            self.amount.value.unwrap_or_default()
        } else {
            Decimal::ZERO
        };
        (std::cmp::Reverse(money), self.status_if_in_force)
    }
}

impl TotalsView {
    /// Clause counts by status, in the core's words.
    pub fn counts(&self, lang: butie::Lang) -> String {
        butie::words::status_counts(
            &Totals {
                eligible: self.eligible,
                eligible_subject_to_review: self.review,
                needs_information: self.info,
                not_eligible: self.not_eligible,
                ..Totals::default()
            },
            lang,
        )
    }

    /// Of `up_to`: what the text computes from the enterprise's figures (definite amounts
    /// included); the rest is discretionary.
    pub fn formula_based(&self) -> Decimal {
        self.up_to - self.discretionary
    }
}

fn totals(t: &Totals) -> TotalsView {
    TotalsView {
        definite: t.definite.0,
        up_to: t.up_to.0,
        discretionary: t.discretionary.0,
        eligible: t.eligible,
        review: t.eligible_subject_to_review,
        info: t.needs_information,
        not_eligible: t.not_eligible,
        not_quantified: t.not_quantified,
    }
}

/// A value in both languages.
pub fn value_text(def: &FactDef, v: &Value) -> Text {
    match v {
        Value::Enum(i) => def
            .values
            .get(usize::from(*i))
            .map(|e| Text::new(e.zh.clone(), e.en.clone()))
            .unwrap_or_default(),
        Value::Money(d) => money_text(*d),
        Value::Bool(true) => Text::new("是", "yes"),
        Value::Bool(false) => Text::new("否", "no"),
        Value::Dates(ds) if ds.is_empty() => Text::new("无", "none"),
        other => {
            let s = value_to_string(def, other);
            Text::new(s.clone(), s)
        }
    }
}

fn input(i: &Input) -> InputView {
    InputView {
        label: i.label.clone(),
        value: i
            .value
            .value
            .as_ref()
            .map(|v| value_text(i.value.def, v.get())),
        item: i.item,
    }
}

fn condition(c: &ConditionResult) -> CondView {
    CondView {
        label: c.label.clone(),
        state: c.state,
        inputs: c.inputs.iter().map(input).collect(),
    }
}

fn schedule(s: &[Installment]) -> Vec<InstallmentView> {
    s.iter()
        .map(|i| InstallmentView {
            label: butie::words::installment_year(i),
            past_end: i.past_end,
            share: i.share,
            amount: i.amount.map(|y| y.0),
        })
        .collect()
}

fn amount(a: &butie::report::Amount) -> AmountView {
    AmountView {
        kind: a.kind,
        value: a.value.map(|y| y.0),
    }
}

fn missing(set: &PolicySet, i: &Input) -> MissingView {
    let cat = &set.catalogue;
    let target = match (i.list, i.item) {
        (Some(list), Some(item)) => cat.list_id(list).and_then(|l| {
            cat.field_id(l, i.fact).map(|field| FieldRef::Field {
                list: l,
                item,
                field,
            })
        }),
        _ => cat.fact_id(i.fact).map(FieldRef::Fact),
    };
    let setting =
        (i.fact == butie::eval::APPLICATION_PERIOD).then_some(crate::draft::APPLICATION_PERIOD_ID);
    // A list not answered: named with what to do ("项目（填写，或选择没有）").
    let list = match (i.list, i.item) {
        (Some(id), None) => cat.list_id(id),
        _ => None,
    };
    MissingView {
        label: match list {
            Some(_) => Text::new(i.ask(Lang::Zh), i.ask(Lang::En)),
            None => i.label.clone(),
        },
        item: i.item,
        target,
        setting,
        list,
    }
}

fn clause(set: &PolicySet, c: &ClauseResult) -> ClauseView {
    let cat = &set.catalogue;
    let items = c
        .items
        .iter()
        .map(|it| ItemView {
            item_label: cat
                .list_id(it.list)
                .and_then(|l| cat.lists.get(usize::from(l)))
                .map(|l| l.item_label.clone())
                .unwrap_or_default(),
            index: it.index,
            name: it.name.map(str::to_string),
            status: it.status,
            amount: amount(&it.amount),
            counted: it.counted,
            superseded_by: it.superseded_by.map(str::to_string),
            conditions: it.conditions.iter().map(condition).collect(),
            steps: it.computation.iter().map(|s| step_text(&s.op)).collect(),
            schedule: schedule(&it.schedule),
        })
        .collect();
    ClauseView {
        id: c.id.to_string(),
        article: c.article.to_string(),
        title: c.title.clone(),
        status: c.status,
        status_if_in_force: c.status_if_in_force,
        basis: c.basis,
        amount: amount(&c.amount),
        counted: c.counted,
        discretionary: c.discretionary,
        conditions: c.conditions.iter().map(condition).collect(),
        steps: c.computation.iter().map(|s| step_text(&s.op)).collect(),
        items,
        schedule: schedule(&c.schedule),
        schedule_notice: c.schedule_notice.clone(),
        citation: CitationView {
            doc_no: c.citation.doc_no.map(str::to_string),
            title: c.citation.title.clone(),
            article: c.citation.article.to_string(),
            quote: c.citation.quote.to_string(),
            extra_quotes: c.citation.extra_quotes.to_vec(),
        },
        notes: c.notes.to_vec(),
        interpretation: c.interpretation.to_vec(),
        amount_note: c.amount_note.cloned(),
        readings: c
            .readings
            .iter()
            .map(|r| ReadingView {
                text: reading_text(r.label, r.status_if_in_force, &r.amount),
                differs: r.status_if_in_force != c.status_if_in_force || r.amount != c.amount,
                note: r.note.cloned(),
                quote: r.quote.to_string(),
            })
            .collect(),
        hints: c.hints.iter().map(hint_text).collect(),
        missing: c.missing.iter().map(|i| missing(set, i)).collect(),
    }
}

fn history(d: &DistrictResult) -> Vec<Text> {
    let line = |name: &str, label: &Text| {
        Text::new(
            format!("{name}：{}", label.zh),
            format!("{name}: {}", label.en),
        )
    };
    let mut out: Vec<Text> = d
        .history
        .iter()
        .map(|h| line(h.doc_no.unwrap_or(&h.title.zh), &h.label))
        .collect();
    let repealed = Text::new(REPLACED.zh, REPLACED.en);
    for r in d.policy.replaces {
        out.push(line(&r.name, &repealed));
    }
    out
}

/// Builds the view of a report.
pub fn build(set: &PolicySet, report: &Report) -> ReportView {
    let mut districts: Vec<Rc<DistrictView>> = report
        .districts
        .iter()
        .map(|d| {
            let mut clauses: Vec<ClauseView> = d.clauses.iter().map(|c| clause(set, c)).collect();
            // A stable sort keeps the policy's order among equals.
            clauses.sort_by_key(ClauseView::sort_key);
            Rc::new(DistrictView {
                district: d.district.to_string(),
                name: d.district_name.clone(),
                title: d.policy.title.clone(),
                doc_no: d.policy.doc_no.map(str::to_string),
                issued_on: d.policy.issued_on.map(fmt_date),
                effective_from: d.policy.effective_from.map(fmt_date),
                effective_to: d.policy.effective_to.map(fmt_date),
                window_article: d.policy.window_article.to_string(),
                window_quote: d.policy.window_quote.to_string(),
                window_notes: d.policy.window_notes.to_vec(),
                data_file: d.policy.data_file.to_string(),
                source_file: d.policy.source_file.to_string(),
                pack: set
                    .document(d.policy.id)
                    .and_then(|p| p.pack.clone())
                    .map(|name| {
                        let builtin = crate::data::builtin_set().ok();
                        (
                            name,
                            builtin.is_some_and(|b| b.document(d.policy.id).is_some()),
                        )
                    }),
                state: d.state,
                ending_soon: d.lifecycle.ending_soon,
                badge: butie::words::lifecycle_badge(&d.lifecycle),
                notice: d.notice.clone(),
                coverage: d.coverage.clone(),
                days_left: d.lifecycle.days_left,
                hypothetical: d.state.hypothetical(),
                policy_id: d.policy.id.to_string(),
                history: history(d),
                payable_now: d.payable_now,
                totals: totals(&d.totals),
                if_in_force: totals(&d.if_in_force),
                applicant: d.applicant.iter().map(condition).collect(),
                readings: d
                    .readings
                    .iter()
                    .map(|r| ReadingView {
                        text: rule_reading_text(r.label, &r.if_in_force),
                        differs: r.if_in_force != d.if_in_force,
                        note: r.note.cloned(),
                        quote: r.quote.to_string(),
                    })
                    .collect(),
                clauses: clauses.into_iter().map(Rc::new).collect(),
            })
        })
        .collect();
    // In force first, then what each would pay; the policy order among equals.
    districts.sort_by_key(|d| (d.state, std::cmp::Reverse(d.if_in_force.up_to)));
    ReportView {
        as_of: fmt_date(report.as_of),
        application_period: report.application_period.map(|p| p.to_string()),
        compare_all: report.mode == butie::report::Mode::CompareAll,
        engine_version: report.engine_version.to_string(),
        available_now: totals(&report.available_now),
        districts,
        questions: butie::questions::questions(set, report, MAX_QUESTIONS)
            .into_iter()
            .map(|q| QuestionView {
                text: q.text,
                ask: q.inputs.first().map(|i| missing(set, i)),
            })
            .collect(),
    }
}

/// How many questions "可能还能申请" lists.
pub const MAX_QUESTIONS: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;
    use butie::EvalOptions;

    #[test]
    fn clauses_sort_by_money() {
        let set = crate::data::policy_set().unwrap().clone();
        let json = serde_json::json!({
            "schema_version": 1,
            "enterprise": {"registered_district": "putuo", "entity_type": "enterprise",
                           "credit_good": true, "serious_violation_dates": [],
                           "other_violation_dates": []},
            "certifications": {"cmmi_level": "3", "cmmi_issued_on": "2025-05-10", "icp_licence": true},
            "game_products": [{"licensed": true, "operating_with_revenue": true}],
            "projects": [{"kind": "rd_project", "actual_investment": "2000000", "other_support_received": "0",
                          "municipal_support_received": "0"}]
        });
        let profile = butie::Profile::from_json(&set.catalogue, &json).unwrap();
        let mut opts = EvalOptions::new(butie::date::parse_date("2026-11-21").unwrap());
        opts.districts = Some(vec!["putuo".into()]);
        let report = butie::evaluate(&set, &profile, &opts).unwrap();
        let view = build(&set, &report);
        let putuo = &view.districts[0];
        let first: Vec<_> = putuo
            .clauses
            .iter()
            .take(3)
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(
            first,
            ["putuo.3.3", "putuo.3.4.games", "putuo.3.4.qualifications"]
        );
        assert_eq!(putuo.totals.up_to, Decimal::from(2_200_000));
        assert_eq!(
            putuo.clauses[0].amount.value,
            Some(Decimal::from(1_000_000))
        );
        assert_eq!(putuo.clauses[0].amount.kind, AmountKind::UpTo);
    }
}
