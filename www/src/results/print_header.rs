//! The printed report's header (print only): the date, the engine and policy versions (each
//! document's state on the date, ending soon included; the cards below print each window notice
//! and the date the data was checked against its source), and the profile as entered, so a PDF
//! stands on its own.

use std::rc::Rc;

use butie::{Lang, words};
use yew::prelude::*;

use crate::data;
use crate::draft::Parsed;
use crate::i18n;
use crate::view::{ReportView, value_text};

#[derive(Properties, PartialEq)]
pub struct PrintHeaderProps {
    pub view: Rc<ReportView>,
    pub parsed: Rc<Parsed>,
    pub lang: Lang,
}

/// The print-only header.
#[function_component(PrintHeader)]
pub fn print_header(props: &PrintHeaderProps) -> Html {
    let lang = props.lang;
    let Ok(set) = data::policy_set() else {
        return Html::default();
    };
    let cat = &set.catalogue;
    let profile = &props.parsed.profile;
    let sep = i18n::colon(lang);
    let mut rows: Vec<Html> = Vec::new();
    for group in &cat.groups {
        let facts: Vec<Html> = cat
            .facts_in_group(&group.id)
            .filter_map(|(id, def)| {
                let v = profile.facts.get(usize::from(id))?.as_ref()?;
                Some(html! {
                    <li>{ format!("{}{sep}{}", def.label.get(lang), value_text(def, v).get(lang)) }</li>
                })
            })
            .collect();
        let lists: Vec<Html> = cat
            .lists
            .iter()
            .enumerate()
            .filter(|(_, l)| l.group == group.id)
            .flat_map(|(l, def)| {
                let l = l as u16;
                // A list answered "none" says so; one not answered says nothing.
                let none = (profile.answered(l) && profile.items(l).is_empty())
                    .then(|| html! { <li>{ butie::words::list_none(&def.item_label, lang) }</li> });
                profile.items(l).iter().enumerate().map(move |(i, item)| {
                    let values: Vec<String> = def
                        .fields
                        .iter()
                        .zip(item)
                        .filter_map(|(fd, v)| {
                            v.as_ref()
                                .map(|v| format!("{}{sep}{}", fd.label.get(lang), value_text(fd, v).get(lang)))
                        })
                        .collect();
                    html! {
                        <li>{ format!("{}{sep}{}", i18n::item_name(def.item_label.get(lang), i, lang),
                            values.join(i18n::semi(lang))) }</li>
                    }
                }).chain(none)
            })
            .collect();
        if facts.is_empty() && lists.is_empty() {
            continue;
        }
        rows.push(html! {
            <section class="print-group">
                <h4>{ group.label.get(lang) }</h4>
                <ul>{ for facts }{ for lists }</ul>
            </section>
        });
    }
    let view = &props.view;
    html! {
        <header class="print-only print-header">
            <h2>{ i18n::PRINT_REPORT.get(lang) }</h2>
            if let Some(name) = &profile.name {
                <p class="print-name">{ name.clone() }</p>
            }
            <p>
                { format!("{} {} · ", i18n::AS_OF_LINE.get(lang), view.as_of) }
                if let Some(p) = &view.application_period {
                    { format!("{} {p} · ", i18n::APPLICATION_PERIOD_LINE.get(lang)) }
                }
                { if view.compare_all { i18n::MODE_LINE_COMPARE.get(lang) } else { i18n::MODE_LINE_REGISTERED.get(lang) } }
                { format!(" · {} butie {}", i18n::PRINT_ENGINE.get(lang), view.engine_version) }
                { format!(" · {} {}", i18n::PRINTED_ON.get(lang), crate::dates::today_shanghai()) }
            </p>
            <h3>{ i18n::PRINT_POLICIES.get(lang) }</h3>
            <ul class="print-policies">
                { for set.policies.iter().map(|p| {
                    let m = &p.meta;
                    let l = set.lifecycle(p, props.view_as_of());
                    let window = match (m.effective_from, m.effective_to) {
                        (Some(f), Some(t)) => i18n::window(&butie::date::fmt_date(f), &butie::date::fmt_date(t), lang),
                        _ => i18n::NO_WINDOW.get(lang).to_string(),
                    };
                    html! {
                        <li>{ format!("{} · {} 《{}》 · {} · {}",
                            m.district_name.get(lang),
                            m.doc_no.clone().unwrap_or_else(|| i18n::DRAFT_NO_DOC_NO.get(lang).to_string()),
                            m.title.get(lang), window, words::lifecycle_badge(&l).get(lang)) }</li>
                    }
                }) }
            </ul>
            <h3>{ i18n::PRINT_PROFILE.get(lang) }</h3>
            if rows.is_empty() {
                <p>{ i18n::PRINT_NOTHING.get(lang) }</p>
            } else {
                <div class="print-profile">{ for rows }</div>
            }
        </header>
    }
}

impl PrintHeaderProps {
    fn view_as_of(&self) -> butie::date::Date {
        butie::date::parse_date(&self.view.as_of).unwrap_or(butie::date::Date::MIN)
    }
}
