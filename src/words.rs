//! The vocabulary users see, defined once: ids and zh/en words for clause statuses, document
//! states and condition states, and the sentences derived from a document's state on a date
//! (days left, ending soon, expired since, coverage). The CLI, the page, the widget, the
//! exports and the JS API all take their words from here.

use crate::date::{Date, fmt_date};
use crate::lifecycle::{Lifecycle, PolicyState, Relation};
use crate::policy::{Basis, DocStatus, Meta};
use crate::report::{AmountKind, CondState, Installment, Status, Totals};
use crate::text::{Lang, Text};

/// A word or short phrase in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Word {
    /// The word in `lang`.
    pub const fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// A word from its two languages (front ends use it for words only they show).
pub const fn w(zh: &'static str, en: &'static str) -> Word {
    Word { zh, en }
}

impl Status {
    /// The id used in JSON, CSV and the DOM.
    pub fn id(self) -> &'static str {
        match self {
            Status::Eligible => "eligible",
            Status::EligibleSubjectToReview => "eligible_subject_to_review",
            Status::NeedsInformation => "needs_information",
            Status::NotEligible => "not_eligible",
            Status::PolicyNotInForce => "policy_not_in_force",
        }
    }

    /// The word shown to people.
    pub const fn word(self) -> Word {
        match self {
            Status::Eligible => w("可申请", "Eligible"),
            Status::EligibleSubjectToReview => w("需审核认定", "Subject to review"),
            Status::NeedsInformation => w("需补充信息", "Needs information"),
            Status::NotEligible => w("不符合", "Not eligible"),
            Status::PolicyNotInForce => w("政策未在施行期", "Policy not in force"),
        }
    }
}

impl PolicyState {
    /// The id used in JSON, CSV and the DOM.
    pub fn id(self) -> &'static str {
        match self {
            PolicyState::InForce => "in_force",
            PolicyState::NotYetInForce => "not_yet_in_force",
            PolicyState::Expired => "expired",
            PolicyState::Superseded => "superseded",
            PolicyState::Draft => "draft",
        }
    }

    /// The word shown to people.
    pub const fn word(self) -> Word {
        match self {
            PolicyState::InForce => w("在施行", "In force"),
            PolicyState::NotYetInForce => w("尚未施行", "Not yet in force"),
            PolicyState::Expired => w("已失效", "Expired"),
            PolicyState::Superseded => w("已被取代", "Superseded"),
            PolicyState::Draft => w("草案", "Draft"),
        }
    }

    /// What an amount that does not count on the date would be, by state: "once in force"
    /// (not yet), "if adopted" (draft), "if still in force" (expired, superseded).
    pub fn hypothetical(self) -> Word {
        match self {
            PolicyState::NotYetInForce => w("施行后", "Once in force"),
            PolicyState::Draft => w("若正式施行", "If adopted"),
            PolicyState::InForce | PolicyState::Expired | PolicyState::Superseded => {
                w("若仍有效", "If still in force")
            }
        }
    }
}

impl CondState {
    /// The id used in JSON and the DOM.
    pub fn id(self) -> &'static str {
        match self {
            CondState::Met => "met",
            CondState::Unmet => "unmet",
            CondState::Unknown => "unknown",
            CondState::OnReview => "on_review",
        }
    }

    /// The word shown to people.
    pub const fn word(self) -> Word {
        match self {
            CondState::Met => w("满足", "met"),
            CondState::Unmet => w("不满足", "not met"),
            CondState::Unknown => w("未知", "unknown"),
            CondState::OnReview => w("待认定", "on review"),
        }
    }
}

impl AmountKind {
    /// The id used in JSON and CSV.
    pub fn id(self) -> &'static str {
        match self {
            AmountKind::Definite => "definite",
            AmountKind::UpTo => "up_to",
            AmountKind::NotQuantified => "not_quantified",
            AmountKind::None => "none",
        }
    }

    /// The word for the kind: 确定 / 最高 (before a figure), 未定额, —.
    pub const fn word(self) -> Word {
        match self {
            AmountKind::Definite => DEFINITE,
            AmountKind::UpTo => UP_TO,
            AmountKind::NotQuantified => w("未定额", "amount not stated"),
            AmountKind::None => w("—", "—"),
        }
    }
}

impl DocStatus {
    /// The word for a document's status: 正式 / 草案.
    pub const fn word(self) -> Word {
        match self {
            DocStatus::Official => w("正式", "Official"),
            DocStatus::Draft => w("草案", "Draft"),
        }
    }
}

impl Basis {
    /// The id used in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Basis::Entitlement => "entitlement",
            Basis::Recognition => "recognition",
            Basis::Competitive => "competitive",
        }
    }

    /// How the money is granted, in words.
    pub const fn word(self) -> Word {
        match self {
            Basis::Entitlement => w("经审核即可拨付", "Paid on a formal check"),
            Basis::Recognition => w("需主管部门认定", "Needs recognition by the authority"),
            Basis::Competitive => w(
                "需评审、公示",
                "Competitive: expert review and public notice",
            ),
        }
    }
}

/// What a list not answered asks besides its items (after the list's name: "项目（或选择没有）").
pub const LIST_NOT_ANSWERED: Word = w("或选择没有", "or answer none");

/// A list not answered, named: "项目（或选择没有）" / "projects (or answer none)": the "please
/// add" of the CLI and the page, and the questions.
pub fn list_ask(label: &Text, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}（{}）", label.zh, LIST_NOT_ANSWERED.zh),
        Lang::En => format!(
            "{} ({})",
            label.en.to_ascii_lowercase(),
            LIST_NOT_ANSWERED.en
        ),
    }
}

/// The answer that a list has no items: "没有项目" / "No projects" (by the item's name).
pub fn list_none(item_label: &Text, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("没有{}", item_label.zh),
        Lang::En => format!("No {}s", item_label.en),
    }
}

/// "确定": an amount that will be paid as computed.
pub const DEFINITE: Word = w("确定", "Definite");
/// "最高": a ceiling; the amount paid may be lower.
pub const UP_TO: Word = w("最高", "Up to");
/// The words before what a document that is not in force would pay (each state's
/// [`PolicyState::hypothetical`]), for the legend; never counted.
pub const HYPOTHETICAL: Word = w(
    "若仍有效 · 施行后 · 若正式施行",
    "If still in force · Once in force · If adopted",
);
/// Of the ceilings: those computed from the enterprise's own figures.
pub const FORMULA_BASED: Word = w("按公式计算", "computed from your figures");
/// Of the ceilings: fixed sums the authority pays any part of ([`Totals::discretionary`]).
pub const DISCRETIONARY: Word = w("酌定上限", "discretionary ceilings");

/// An amount in words given its figure already formatted: "30万元", "最高 100万元" /
/// "up to CNY 1,000,000", "未定额", "—".
pub fn amount_text(kind: AmountKind, figure: Option<&str>, lang: Lang) -> String {
    match (kind, figure) {
        (AmountKind::Definite, Some(f)) => f.to_string(),
        (AmountKind::UpTo, Some(f)) => match lang {
            Lang::Zh => format!("最高 {f}"),
            Lang::En => format!("up to {f}"),
        },
        (AmountKind::NotQuantified, _) => kind.word().get(lang).to_string(),
        _ => "—".to_string(),
    }
}

/// Clause counts by status: "可申请 3 · 需审核认定 2 · 需补充信息 1 · 不符合 4" /
/// "eligible 3 · subject to review 2 · needs information 1 · not eligible 4".
pub fn status_counts(t: &Totals, lang: Lang) -> String {
    [
        (Status::Eligible, t.eligible),
        (
            Status::EligibleSubjectToReview,
            t.eligible_subject_to_review,
        ),
        (Status::NeedsInformation, t.needs_information),
        (Status::NotEligible, t.not_eligible),
    ]
    .iter()
    .map(|(st, n)| match lang {
        Lang::Zh => format!("{} {n}", st.word().zh),
        Lang::En => format!("{} {n}", st.word().en.to_ascii_lowercase()),
    })
    .collect::<Vec<_>>()
    .join(" · ")
}

/// The money words explained, for a legend next to the totals: (term, meaning).
pub const LEGEND: [(Word, Word); 6] = [
    (
        DEFINITE,
        w(
            "条件已满足、金额按条文算定，经形式审核即可拨付。",
            "Conditions met and the amount fixed by the text; paid after a formal check.",
        ),
    ),
    (
        UP_TO,
        w(
            "条文只给上限（“最高不超过”），实际金额由主管部门核定，可能更低。",
            "The text gives a ceiling (“not more than”); the authority sets the amount, which may be lower.",
        ),
    ),
    (
        DISCRETIONARY,
        w(
            "固定的最高额（如“最高不超过500万元”），不随企业的投入计算；经认定后可给予其中任意金额。",
            "A fixed maximum (“up to 5,000,000”) not computed from your figures; on recognition any part of it may be granted.",
        ),
    ),
    (
        Status::Eligible.word(),
        w(
            "按所填信息符合全部条件。",
            "Every condition is met by what you entered.",
        ),
    ),
    (
        Status::EligibleSubjectToReview.word(),
        w(
            "其余条件符合，但有条件（如“创新能力较强”）由主管部门认定，本工具不作判定。",
            "The rest is met, but a condition (“strong capacity to innovate”) is for the authority to judge; the calculator does not.",
        ),
    ),
    (
        HYPOTHETICAL,
        w(
            "政策已失效、尚未施行或仅为草案：显示其施行时可得的金额，不计入当前可申请。",
            "The policy has expired, is not yet in force or is a draft: what it would pay in force, never counted as available now.",
        ),
    ),
];

impl Relation {
    /// How the other document relates to the evaluated one, as a label.
    pub const fn word(self) -> Word {
        match self {
            Relation::Predecessor => w("被本政策取代", "replaced by this policy"),
            Relation::Successor => w("接替本政策", "succeeds this policy"),
            Relation::Amended => w("被本政策修订", "amended by this policy"),
            Relation::Amendment => w("修订本政策", "amends this policy"),
            Relation::Other => w("同区其他文件", "another document of the district"),
        }
    }
}

impl crate::pack::describe::PackRelation {
    /// How a pack's document relates to the data, as a label.
    pub fn word(self) -> Word {
        use crate::pack::describe::PackRelation as R;
        match self {
            R::NewDistrict => w("新增区", "adds a district"),
            R::AddsToDistrict => w("该区新增文件", "another document of the district"),
            R::Successor => w("接替", "succeeds"),
            R::Amendment => w("修订", "amends"),
            R::Replaces => w("替换本站内置文件", "replaces the built-in document"),
        }
    }
}

/// The district's other documents (history), as a heading.
pub const HISTORY: Word = w("本区其他文件", "Other documents of the district");
/// A document the text repeals that is not encoded, as a history label.
pub const REPLACED: Word = w(
    "被本政策废止 · 未收录",
    "repealed by this policy · not encoded",
);
/// What to do next: who to apply to and how, as a heading.
pub const NEXT_STEPS: Word = w("下一步：如何申报", "What to do next");
/// The issuing authorities, as a label.
pub const ISSUERS: Word = w("发文单位", "Issued by");
/// The dated steps of a document, as a heading.
pub const DATES: Word = w("时间节点", "Dates");

/// The badge for a lifecycle: the state, or "ending soon" for an in-force document near its end.
pub fn lifecycle_badge(l: &Lifecycle) -> Word {
    if l.ending_soon {
        w("即将失效", "Ending soon")
    } else {
        l.state.word()
    }
}

/// How a document is named in a sentence: its number, else its title.
pub fn doc_name(m: &Meta) -> Text {
    match &m.doc_no {
        Some(n) => Text::new(n.clone(), n.clone()),
        None => Text::new(format!("《{}》", m.title.zh), m.title.en.clone()),
    }
}

fn day_word(n: i64, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Zh, n) => format!("{n} 天"),
        (Lang::En, 1) => "1 day".into(),
        (Lang::En, n) => format!("{n} days"),
    }
}

/// The sentence about a document's window on the evaluation date, derived from its lifecycle
/// (never a fixed text: what it says always agrees with the state on `as_of`).
/// `successor` names the document that superseded it, when it did.
pub fn lifecycle_notice(l: &Lifecycle, m: &Meta, successor: Option<&Meta>) -> Text {
    let to = m.effective_to.map(fmt_date).unwrap_or_default();
    let from = || m.effective_from.map(fmt_date).unwrap_or_default();
    match l.state {
        PolicyState::InForce if l.days_left == Some(0) => Text::new(
            format!("今天（{to}）是有效期最后一天：请尽快按区主管部门通知申报。"),
            format!(
                "Today ({to}) is the last day in force: apply now, as the district's call directs."
            ),
        ),
        PolicyState::InForce if l.ending_soon => {
            let d = l.days_left.unwrap_or_default();
            Text::new(
                format!(
                    "距失效还有 {}：有效期至 {to}，请尽快按区主管部门通知申报。",
                    day_word(d, Lang::Zh)
                ),
                format!(
                    "{} left: in force until {to}; apply soon, as the district's call directs.",
                    day_word(d, Lang::En)
                ),
            )
        }
        PolicyState::InForce => {
            let d = l.days_left.unwrap_or_default();
            Text::new(
                format!("在施行：有效期至 {to}（还有 {}）。", day_word(d, Lang::Zh)),
                format!("In force until {to} ({} left).", day_word(d, Lang::En)),
            )
        }
        PolicyState::NotYetInForce => {
            let d = l.starts_in_days.unwrap_or_default();
            let from = from();
            Text::new(
                format!(
                    "尚未施行：自 {from} 起施行（还有 {}）；在此之前金额不可申请。",
                    day_word(d, Lang::Zh)
                ),
                format!(
                    "Not yet in force: starts on {from} (in {}); until then nothing is payable.",
                    day_word(d, Lang::En)
                ),
            )
        }
        PolicyState::Expired => Text::new(
            format!("已于 {to} 失效：其金额仅作“若仍有效”的参考，不计入当前可申请。"),
            format!(
                "Expired on {to}: amounts show what it would pay if still in force and never count as available now."
            ),
        ),
        PolicyState::Superseded => {
            let by = successor.map(doc_name).unwrap_or_default();
            let since = l.ended_on.map(fmt_date).unwrap_or_default();
            Text::new(
                format!(
                    "已被 {} 取代（最后施行日 {since}）：其金额不计入当前可申请。",
                    by.zh
                ),
                format!(
                    "Superseded by {} (last day in force {since}): amounts never count as available now.",
                    by.en
                ),
            )
        }
        PolicyState::Draft => Text::new(
            "草案：未正式施行，其金额仅作“若正式施行”的参考，不计入当前可申请。",
            "Draft: not adopted; amounts show what it would pay if adopted and never count as available now.",
        ),
    }
}

/// The honest line when no encoded document of a district is in force or about to be: the
/// district may well have a newer policy that is not encoded yet. `None` otherwise.
pub fn coverage(l: &Lifecycle, m: &Meta) -> Option<Text> {
    match l.state {
        PolicyState::Expired | PolicyState::Superseded => {
            let ended = l
                .ended_on
                .or(m.effective_to)
                .map(fmt_date)
                .unwrap_or_default();
            Some(Text::new(
                format!(
                    "本工具收录的该区政策已于 {ended} 失效；该区可能已有新政策，本工具尚未收录。"
                ),
                format!(
                    "The policies encoded for this district ended on {ended}; the district may have a newer policy that this tool does not include yet."
                ),
            ))
        }
        PolicyState::Draft => Some(Text::new(
            "本工具收录的该区文件仅为草案，未正式施行；该区可能已有正式政策，本工具尚未收录。",
            "Only a draft is encoded for this district; the district may have an adopted policy that this tool does not include yet.",
        )),
        PolicyState::InForce | PolicyState::NotYetInForce => None,
    }
}

/// "verified against its source on DATE".
pub fn verified_on(d: Date) -> Text {
    let d = fmt_date(d);
    Text::new(
        format!("已于 {d} 对照原文核对"),
        format!("verified against its source on {d}"),
    )
}

/// An installment's year: "第2年（2027年，有效期后）" / "Year 2 (2027, after the end)".
pub fn installment_year(i: &Installment) -> Text {
    let (n, y) = (i.year, i.calendar_year);
    let after = if i.past_end {
        w("，有效期后", ", after the end")
    } else {
        w("", "")
    };
    Text::new(
        format!("第{n}年（{y}年{}）", after.zh),
        format!("Year {n} ({y}{})", after.en),
    )
}

/// A schedule of `years` payments whose split the text does not state, said once for all of
/// them: "分 3 年拨付，各年比例未规定".
pub fn schedule_unsplit(years: usize) -> Text {
    Text::new(
        format!("分 {years} 年拨付，各年比例未规定"),
        format!("Paid over {years} years; the yearly split is not stated"),
    )
}

/// The plain sentence under a schedule whose payments run past the document's last day `end`,
/// up to the year `last`.
pub fn past_end_notice(end: Date, last: i32) -> Text {
    let first = end.year() + 1;
    let years = if last > first {
        format!("{first}–{last}")
    } else {
        format!("{first}")
    };
    let end = fmt_date(end);
    Text::new(
        format!("{years} 年的款项在政策有效期（至 {end}）之后：原文未说明届时是否仍会拨付。"),
        format!(
            "The installments of {years} fall after the policy ends ({end}): the text does not say whether they are still paid."
        ),
    )
}

/// What a calendar event marks (see [`crate::calendar`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The document's first day.
    Start,
    /// The first day it counts as ending soon.
    EndingSoon,
    /// Its last day in force.
    End,
    /// A dated step its text gives (the index in `dates`).
    Step(usize),
}

/// A calendar event's title: "普陀区 普科合规范〔2024〕3号 有效期最后一天".
pub fn event_summary(kind: EventKind, m: &Meta) -> Text {
    let (d, n) = (&m.district_name, doc_name(m));
    let what = match kind {
        EventKind::Start => w("起施行", "comes into force"),
        // ENDING_SOON_DAYS (tests/calendar.rs checks the two agree).
        EventKind::EndingSoon => w("即将失效（还有 60 天）", "ends in 60 days"),
        EventKind::End => w("有效期最后一天", "last day in force"),
        EventKind::Step(i) => match m.dates.get(i) {
            Some(s) => {
                return Text::new(
                    format!("{} {} {}", d.zh, n.zh, s.title.zh),
                    format!("{}, {}: {}", d.en, n.en, s.title.en),
                );
            }
            None => w("", ""),
        },
    };
    Text::new(
        format!("{} {} {}", d.zh, n.zh, what.zh),
        format!("{}, {}: {}", d.en, n.en, what.en),
    )
}

/// A calendar event's text: the reminder to apply in time (last days) and the sentence behind
/// the date, quoted.
pub fn event_description(kind: EventKind, m: &Meta) -> Text {
    let (article, quote) = match kind {
        EventKind::Step(i) => m
            .dates
            .get(i)
            .map(|s| (s.article.as_str(), s.quote.as_str()))
            .unwrap_or_default(),
        _ => (m.window_article.as_str(), m.window_quote.as_str()),
    };
    let apply = match kind {
        EventKind::EndingSoon | EventKind::End => APPLY_IN_TIME,
        _ => w("", ""),
    };
    Text::new(
        format!("{}{article}：“{quote}”", apply.zh),
        format!("{}{article}: “{quote}”", apply.en),
    )
}

const APPLY_IN_TIME: Word = w(
    "请尽快按区主管部门通知申报。\n",
    "Apply in time, as the district's call directs.\n",
);

/// The calendar's name: "butie 政策日历（2026-12-01）".
pub fn calendar_name(as_of: Date) -> Text {
    let d = fmt_date(as_of);
    Text::new(
        format!("butie 政策日历（{d}）"),
        format!("butie policy calendar ({d})"),
    )
}
