//! The batch results table: client × district with the policy state and the definite,
//! up-to and if-in-force totals, and (comparing districts) each client's total on its first
//! line; a click on a column header sorts by it (again: the other way). Long lists are shown
//! a page at a time; bad rows are lines with their errors.

use std::rc::Rc;

use butie::Lang;
use butie::report::PolicyState;
use rust_decimal::Decimal;
use yew::prelude::*;

use butie::batch::table::{Figures, Line, Table};

use super::run::BatchOutput;
use crate::{data, i18n};

/// Lines per page.
pub const PAGE: usize = 100;

/// A sortable column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Row,
    Client,
    District,
    State,
    Definite,
    UpTo,
    IfInForce,
    /// The client's total (up to), on its first line.
    Total,
}

impl Column {
    const ALL: [Column; 8] = [
        Column::Row,
        Column::Client,
        Column::District,
        Column::State,
        Column::Definite,
        Column::UpTo,
        Column::IfInForce,
        Column::Total,
    ];

    fn label(self) -> i18n::Tr {
        match self {
            Column::Row => i18n::COL_ROW,
            Column::Client => i18n::COL_CLIENT,
            Column::District => i18n::COL_DISTRICT,
            Column::State => i18n::COL_STATE,
            Column::Definite => i18n::DEFINITE,
            Column::UpTo => i18n::UP_TO,
            Column::IfInForce => i18n::COL_IF_IN_FORCE,
            Column::Total => i18n::COL_TOTAL,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Column::Row => "row",
            Column::Client => "client",
            Column::District => "district",
            Column::State => "state",
            Column::Definite => "definite",
            Column::UpTo => "up_to",
            Column::IfInForce => "if_in_force",
            Column::Total => "total",
        }
    }

    /// Money and counts read best largest first.
    fn descending_first(self) -> bool {
        matches!(
            self,
            Column::Definite | Column::UpTo | Column::IfInForce | Column::Total
        )
    }
}

/// The sort order: a column and its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub ascending: bool,
}

impl Default for Sort {
    fn default() -> Sort {
        Sort {
            column: Column::Row,
            ascending: true,
        }
    }
}

/// The sort key of a line; error lines sort as less than every figure.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key<'a> {
    Missing,
    Number(Decimal),
    State(PolicyState),
    Text(&'a str, &'a str),
}

fn key<'a>(out: &'a Table, r: &Line, column: Column) -> Key<'a> {
    let money = |pick: fn(&Figures) -> Option<Decimal>| match pick(&r.figures) {
        Some(d) => Key::Number(d),
        None => Key::Missing,
    };
    match column {
        Column::Row => Key::Number(Decimal::from(r.row)),
        Column::Client => match out.clients.get(r.client) {
            Some(c) => Key::Text(
                c.name.as_deref().unwrap_or(""),
                c.id.as_deref().unwrap_or(""),
            ),
            None => Key::Missing,
        },
        Column::District => match r.figures {
            Figures::District { policy, .. } => Key::Number(Decimal::from(policy)),
            _ => Key::Missing,
        },
        Column::State => match r.figures.state() {
            Some(state) => Key::State(state),
            None => Key::Missing,
        },
        Column::Definite => money(|f| match f {
            Figures::District { definite, .. } => Some(*definite),
            _ => None,
        }),
        Column::UpTo => money(|f| match f {
            Figures::District { up_to, .. } => Some(*up_to),
            _ => None,
        }),
        Column::IfInForce => money(|f| match f {
            Figures::District {
                if_in_force_up_to, ..
            } => Some(*if_in_force_up_to),
            _ => None,
        }),
        Column::Total => match out.clients.get(r.client).and_then(|c| c.total) {
            Some(up_to) => Key::Number(up_to),
            None => Key::Missing,
        },
    }
}

/// The lines' indices in display order (stable: equal keys keep the input order).
pub fn sorted(out: &Table, sort: Sort) -> Vec<usize> {
    let mut order: Vec<usize> = (0..out.lines.len()).collect();
    if sort.column == Column::Row && sort.ascending {
        return order;
    }
    // One unstable sort of (key, input position): stable in effect, and the only sort
    // instantiation this adds to the wasm.
    let mut keyed: Vec<(Key, usize)> = out
        .lines
        .iter()
        .enumerate()
        .map(|(i, r)| (key(out, r, sort.column), i))
        .collect();
    let ascending = sort.ascending;
    keyed.sort_unstable_by(|a, b| {
        let by_key = if ascending {
            a.0.cmp(&b.0)
        } else {
            b.0.cmp(&a.0)
        };
        by_key.then(a.1.cmp(&b.1))
    });
    order.clear();
    order.extend(keyed.into_iter().map(|(_, i)| i));
    order
}

/// The same output (by identity: comparing 40,000 rows would be wasted work).
#[derive(Clone)]
pub struct Shared(pub Rc<BatchOutput>);

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct TableProps {
    pub output: Shared,
    pub lang: Lang,
    pub full_yuan: bool,
    /// Open the client of a line (its row) in the calculator.
    pub on_open: Callback<usize>,
}

/// The table with its pager.
#[function_component(BatchTable)]
pub fn batch_table(props: &TableProps) -> Html {
    let lang = props.lang;
    let full = props.full_yuan;
    let sort = use_state(Sort::default);
    let page = use_state(|| 0usize);
    let order = use_memo((props.output.clone(), *sort), |(output, sort)| {
        sorted(&output.0.table, *sort)
    });
    // A new list or a new order starts at the first page.
    {
        let page = page.clone();
        use_effect_with((props.output.clone(), *sort), move |_| page.set(0));
    }
    let out = &props.output.0.table;
    let total = order.len();
    let pages = total.div_ceil(PAGE).max(1);
    let current = (*page).min(pages - 1);
    let first = current * PAGE;
    let shown = order
        .get(first..(first + PAGE).min(total))
        .unwrap_or_default();
    let set = data::policy_set().ok();

    let header = |column: Column| {
        let active = sort.column == column;
        let aria = match (active, sort.ascending) {
            (false, _) => "none",
            (true, true) => "ascending",
            (true, false) => "descending",
        };
        let onclick = {
            let sort = sort.clone();
            Callback::from(move |_| {
                let ascending = if sort.column == column {
                    !sort.ascending
                } else {
                    !column.descending_first()
                };
                sort.set(Sort { column, ascending });
            })
        };
        let arrow = match aria {
            "ascending" => " ▲",
            "descending" => " ▼",
            _ => "",
        };
        let numeric = column.descending_first() || column == Column::Row;
        html! {
            <th scope="col" aria-sort={aria} class={classes!(numeric.then_some("num"))}>
                <button type="button" class="sort" {onclick} data-testid={format!("sort-{}", column.id())}>
                    { column.label().get(lang) }<span aria-hidden="true">{ arrow }</span>
                </button>
            </th>
        }
    };
    let columns: &[Column] = if out.several {
        &Column::ALL
    } else {
        &Column::ALL[..7]
    };
    let money = |d: Decimal| i18n::money_in(d, lang, full);
    let line = |(at, index): (usize, &usize)| {
        let Some(r) = out.lines.get(*index) else {
            return Html::default();
        };
        // The client's total on its first line (of those shown together).
        let total = match (out.several, out.clients.get(r.client).and_then(|c| c.total)) {
            (true, Some(up_to))
                if at == 0
                    || shown
                        .get(at - 1)
                        .and_then(|p| out.lines.get(*p))
                        .is_none_or(|p| p.client != r.client) =>
            {
                html! { <td class="num total" data-testid="batch-total" data-total-yuan={up_to.to_string()}><strong>{ money(up_to) }</strong></td> }
            }
            (true, _) => html! { <td class="num total"></td> },
            (false, _) => Html::default(),
        };
        let client = out.clients.get(r.client);
        let name = client
            .and_then(|c| c.name.clone())
            .unwrap_or_else(|| i18n::UNNAMED.get(lang).to_string());
        let id = client.and_then(|c| c.id.clone());
        // A client that was read opens in the calculator (as a preview).
        let name = match r.figures {
            Figures::Error(_) => html! { <span class="name">{ name }</span> },
            _ => {
                let row = r.row;
                let onclick = props.on_open.reform(move |_| row);
                html! {
                    <button type="button" class="link name" title={i18n::BATCH_OPEN.get(lang)}
                        {onclick} data-testid="batch-open">{ name }</button>
                }
            }
        };
        let client_cell = html! {
            <td class="client">
                { name }
                if let Some(id) = id {
                    <span class="client-id">{ id }</span>
                }
            </td>
        };
        match &r.figures {
            Figures::District {
                policy,
                definite,
                up_to,
                if_in_force_up_to,
                ..
            } => {
                let state = r.figures.state().unwrap_or(PolicyState::Draft);
                let meta = set.and_then(|s| s.policies.get(*policy)).map(|p| &p.meta);
                let district = meta
                    .map(|m| m.district_name.get(lang).to_string())
                    .unwrap_or_default();
                let id = meta.map(|m| m.district.clone()).unwrap_or_default();
                html! {
                    <tr data-testid="batch-row" data-row={r.row.to_string()} data-district={id}
                        data-definite-yuan={definite.to_string()} data-up-to-yuan={up_to.to_string()}>
                        <td class="num">{ r.row }</td>
                        { client_cell }
                        <td>{ district }</td>
                        <td><span class={classes!("badge", i18n::policy_state_class(state))}>{ i18n::policy_state(state, lang) }</span></td>
                        <td class="num">{ money(*definite) }</td>
                        <td class="num"><strong>{ money(*up_to) }</strong></td>
                        <td class={classes!("num", (state != PolicyState::InForce).then_some("muted"))}>{ money(*if_in_force_up_to) }</td>
                        { total }
                    </tr>
                }
            }
            Figures::NotEncoded => html! {
                <tr data-testid="batch-not-encoded" data-row={r.row.to_string()}>
                    <td class="num">{ r.row }</td>
                    { client_cell }
                    <td colspan="5" class="muted">{ i18n::BATCH_NOT_ENCODED.get(lang) }</td>
                    { total }
                </tr>
            },
            Figures::Error(e) => {
                let text = out
                    .errors
                    .get(*e)
                    .map(|e| i18n::row_problems(&e.problems, lang))
                    .unwrap_or_default();
                html! {
                    <tr class="row-error" data-testid="batch-error-row" data-row={r.row.to_string()}>
                        <td class="num">{ r.row }</td>
                        { client_cell }
                        <td colspan="5" class="error">{ text }</td>
                        { total }
                    </tr>
                }
            }
        }
    };
    let go = |to: usize| {
        let page = page.clone();
        Callback::from(move |_| page.set(to))
    };
    let range = if total == 0 {
        i18n::NO_ROWS.get(lang).to_string()
    } else {
        i18n::rows_range(first + 1, first + shown.len(), total, lang)
    };
    html! {
        <div class="batch-table">
            <div class="table-scroll">
                <table data-testid="batch-table">
                    <caption class="visually-hidden">{ i18n::BATCH_TABLE_CAPTION.get(lang) }</caption>
                    <thead><tr>{ for columns.iter().map(|c| header(*c)) }</tr></thead>
                    <tbody>{ for shown.iter().enumerate().map(line) }</tbody>
                </table>
            </div>
            <div class="pager" data-testid="batch-pager">
                <button type="button" onclick={go(current.saturating_sub(1))} disabled={current == 0} data-testid="batch-prev">{ i18n::PREV.get(lang) }</button>
                <span role="status">{ range }</span>
                <button type="button" onclick={go(current + 1)} disabled={current + 1 >= pages} data-testid="batch-next">{ i18n::NEXT.get(lang) }</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use butie::EvalOptions;
    use butie::batch::{Batch, Sink};

    #[test]
    fn sorts_stably_both_ways() {
        let set = crate::data::policy_set().unwrap();
        let opts = EvalOptions::new(butie::date::parse_date("2026-11-21").unwrap());
        let text = include_str!("../../../tests/browser/fixtures/clients-with-bad-rows.csv");
        let b = Batch::new(set, &opts).unwrap();
        let (_, outs) = b
            .run_bytes(Some("c.csv"), text.as_bytes(), None, Sink::Keep)
            .unwrap();
        let mut out = Table::default();
        for c in outs.iter().flat_map(|o| &o.kept) {
            out.add(set, c, butie::report::Mode::CompareAll);
        }
        let out = Table::from_bytes(&out.to_bytes()).unwrap();
        let natural = sorted(&out, Sort::default());
        assert_eq!(natural, (0..out.lines.len()).collect::<Vec<_>>());
        let up = |i: &usize| match out.lines[*i].figures {
            Figures::District { up_to, .. } => Some(up_to),
            _ => None,
        };
        let desc = sorted(
            &out,
            Sort {
                column: Column::UpTo,
                ascending: false,
            },
        );
        let values: Vec<_> = desc.iter().map(up).collect();
        assert_eq!(
            values.first().copied().flatten(),
            Some(Decimal::from(5_900_000))
        );
        assert_eq!(
            values.last().copied().flatten(),
            None,
            "the error lines last"
        );
        assert!(values.windows(2).all(|w| w[0] >= w[1]));
        let asc = sorted(
            &out,
            Sort {
                column: Column::UpTo,
                ascending: true,
            },
        );
        assert_eq!(asc.first().map(up), Some(None), "the error lines first");
        let by_client = sorted(
            &out,
            Sort {
                column: Column::Client,
                ascending: true,
            },
        );
        let names: Vec<&str> = by_client
            .iter()
            .filter_map(|i| out.clients[out.lines[*i].client].name.as_deref())
            .collect();
        let mut expected = names.clone();
        expected.sort_unstable();
        assert_eq!(names, expected);
        let states = sorted(
            &out,
            Sort {
                column: Column::State,
                ascending: true,
            },
        );
        let first = states.iter().find_map(|i| out.lines[*i].figures.state());
        assert_eq!(
            first,
            Some(PolicyState::InForce),
            "in force first, after the errors"
        );
    }

    /// The example list read in `mode`, through the bytes the page gets.
    fn example(mode: butie::report::Mode) -> Table {
        let set = crate::data::policy_set().unwrap();
        let opts = EvalOptions {
            compare_all: mode == butie::report::Mode::CompareAll,
            ..EvalOptions::new(butie::date::parse_date("2026-11-21").unwrap())
        };
        let text = include_str!("../../../docs/examples/clients.csv");
        let b = Batch::new(set, &opts).unwrap();
        let (_, outs) = b
            .run_bytes(Some("c.csv"), text.as_bytes(), None, Sink::Keep)
            .unwrap();
        let mut out = Table::default();
        for c in outs.iter().flat_map(|o| &o.kept) {
            out.add(set, c, mode);
        }
        Table::from_bytes(&out.to_bytes()).unwrap()
    }

    #[test]
    fn by_registered_district_only_the_clients_own() {
        use butie::report::Mode;
        let set = crate::data::policy_set().unwrap();
        let out = example(Mode::Registered);
        assert!(!out.several, "one line a client");
        let districts: Vec<(usize, Option<&str>)> = out
            .lines
            .iter()
            .map(|l| match l.figures {
                Figures::District { policy, .. } => {
                    (l.row, Some(set.policies[policy].meta.district.as_str()))
                }
                _ => (l.row, None),
            })
            .collect();
        assert_eq!(
            districts,
            vec![
                (2, Some("putuo")),
                (3, Some("jiading")),
                (4, Some("songjiang")),
                (5, Some("jinshan")),
                (6, None),
                (7, Some("putuo")),
            ]
        );
        assert_eq!(
            out.lines[4].figures,
            Figures::NotEncoded,
            "宝山: not encoded"
        );
        // Each total is the client's one line.
        for l in &out.lines {
            if let Figures::District { up_to, .. } = l.figures {
                assert_eq!(out.clients[l.client].total, Some(up_to));
            }
        }
        // Comparing: every district, and the total adds them up.
        let all = example(Mode::CompareAll);
        assert!(all.several);
        for (i, c) in all.clients.iter().enumerate() {
            let sum = all
                .lines
                .iter()
                .filter(|l| l.client == i)
                .filter_map(|l| match l.figures {
                    Figures::District { up_to, .. } => Some(up_to),
                    _ => None,
                })
                .sum::<Decimal>();
            assert_eq!(c.total, Some(sum), "client {i}");
        }
    }
}
