//! The header row of a CSV or Excel client list, resolved once against the catalogue, with
//! close matches for a column it does not know.

use super::FileError;
use crate::catalogue::{Catalogue, FactId, FieldId, ListId};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    Name,
    Id,
    Fact(FactId),
    /// A list item field; `slot` indexes [`Columns::slots`].
    Field {
        list: ListId,
        field: FieldId,
        slot: usize,
    },
    /// A list's own column (`projects`): `无`/`none` ([`crate::profile::EMPTY_LIST_WORDS`])
    /// answers that the client has none (an empty cell leaves the list unanswered).
    List(ListId),
    /// An empty header cell: the column must stay empty.
    Blank,
}

/// Why a header column is rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnProblem {
    /// Not `name`, `id`, a fact id, a list id or `<list>.<n>.<field>`; with close matches.
    Unknown { suggestions: Vec<String> },
    /// The same column twice.
    Duplicate,
    /// A list item number outside `1..=max`.
    ItemNumber { max: u32 },
}

/// The header, resolved.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Each column's name as written (trimmed): the path in errors.
    pub(crate) names: Vec<String>,
    pub(crate) cols: Vec<Col>,
    /// Distinct `(list, item number)` pairs, sorted: the items a row may fill.
    pub(crate) slots: Vec<(ListId, usize)>,
}

impl Columns {
    /// Resolves a header row. An unknown or repeated column, or an item number out of range,
    /// rejects the file ([`FileError::Column`], with close matches).
    pub fn resolve<S: AsRef<str>>(cat: &Catalogue, header: &[S]) -> Result<Columns, FileError> {
        let mut h = Columns {
            names: Vec::with_capacity(header.len()),
            cols: Vec::with_capacity(header.len()),
            slots: Vec::new(),
        };
        let mut fields = Vec::new();
        for (i, raw) in header.iter().enumerate() {
            let name = raw.as_ref().trim();
            let err = |problem| FileError::Column {
                column: name.to_string(),
                position: i + 1,
                problem,
            };
            if !name.is_empty() && h.names.iter().any(|n| n == name) {
                return Err(err(ColumnProblem::Duplicate));
            }
            let col = match name {
                "" => Col::Blank,
                "name" => Col::Name,
                "id" => Col::Id,
                _ => match (cat.fact_id(name), cat.list_id(name)) {
                    (Some(f), _) => Col::Fact(f),
                    (None, Some(l)) => Col::List(l),
                    (None, None) => {
                        let (list, num, field) = list_column(cat, name).map_err(err)?;
                        h.slots.push((list, num));
                        fields.push((i, (list, num)));
                        Col::Field {
                            list,
                            field,
                            slot: 0,
                        }
                    }
                },
            };
            h.names.push(name.to_string());
            h.cols.push(col);
        }
        h.slots.sort_unstable();
        h.slots.dedup();
        for (i, key) in fields {
            if let Col::Field { slot, .. } = &mut h.cols[i] {
                *slot = h.slots.binary_search(&key).unwrap_or_default();
            }
        }
        Ok(h)
    }

    /// How many columns the header has.
    pub fn len(&self) -> usize {
        self.cols.len()
    }

    /// Whether the header has no columns.
    pub fn is_empty(&self) -> bool {
        self.cols.is_empty()
    }
}

/// Resolves `projects.1.kind` to (list, item number, field).
fn list_column(cat: &Catalogue, name: &str) -> Result<(ListId, usize, FieldId), ColumnProblem> {
    let unknown = || ColumnProblem::Unknown {
        suggestions: suggest(cat, name),
    };
    let mut parts = name.splitn(3, '.');
    let (Some(list), Some(num), Some(field)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(unknown());
    };
    let l = cat.list_id(list).ok_or_else(unknown)?;
    let f = cat.field_id(l, field).ok_or_else(unknown)?;
    let max = cat.lists[l as usize].max_items;
    match num.parse::<usize>() {
        Ok(n) if n >= 1 && n <= max as usize => Ok((l, n, f)),
        Ok(_) => Err(ColumnProblem::ItemNumber { max }),
        Err(_) => Err(unknown()),
    }
}

/// Close matches for an unknown column: fact ids and list columns within a small edit distance.
fn suggest(cat: &Catalogue, name: &str) -> Vec<String> {
    let mut cands: Vec<(usize, String)> = Vec::new();
    let base = name.rsplit('.').next().unwrap_or(name);
    for f in &cat.facts {
        cands.push((edit_distance(name, &f.id), f.id.clone()));
    }
    for l in &cat.lists {
        for f in &l.fields {
            let col = format!("{}.1.{}", l.id, f.id);
            let d = edit_distance(base, &f.id).min(edit_distance(name, &col));
            cands.push((d, col));
        }
    }
    let limit = (name.chars().count() / 3).max(2);
    cands.retain(|(d, _)| *d <= limit);
    cands.sort();
    cands.into_iter().take(3).map(|(_, s)| s).collect()
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::set::PolicySet;

    #[test]
    fn header_problems_reject_the_file() {
        let set = PolicySet::embedded().expect("embedded");
        let cat = &set.catalogue;
        let err = Columns::resolve(cat, &["name", "cmmi_levle"]).expect_err("unknown");
        let FileError::Column {
            column,
            position,
            problem: ColumnProblem::Unknown { suggestions },
        } = &err
        else {
            panic!("{err:?}");
        };
        assert_eq!((column.as_str(), *position), ("cmmi_levle", 2));
        assert_eq!(suggestions.first().map(String::as_str), Some("cmmi_level"));
        assert!(err.to_string().contains("cmmi_levle"));
        assert!(matches!(
            Columns::resolve(cat, &["name", "name"]),
            Err(FileError::Column {
                problem: ColumnProblem::Duplicate,
                ..
            })
        ));
        let num = Columns::resolve(cat, &["projects.0.kind"]).expect_err("item 0");
        assert!(num.to_string().contains("item number"), "{num}");
        let grouped = Columns::resolve(cat, &["enterprise.entity_type"]).expect_err("group");
        assert!(grouped.to_string().contains("enterprise.entity_type"));
        let ok = Columns::resolve(cat, &["projects.3.kind", "", "projects.1.kind"]).expect("ok");
        assert_eq!(ok.slots.len(), 2);
        assert!(matches!(ok.cols[0], Col::Field { slot: 1, .. }));
        assert!(matches!(ok.cols[2], Col::Field { slot: 0, .. }));
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("普陀", "普陀区"), 1);
    }
}
