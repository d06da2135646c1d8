//! What the browser's batch view shows: the clients with their totals, one line per client ×
//! district (by registered district: only the client's own district; or one per bad client)
//! and the errors — one serializable value, which the page's batch module (a second wasm,
//! loaded when the view opens) hands to the page as postcard bytes.

use super::run::{ClientResult, Outcome};
use crate::eval::DistrictTotals;
use crate::report::{Mode, PolicyState};
use crate::set::PolicySet;
use crate::text::Text;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A client as read (its figures are in the lines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientLine {
    pub id: Option<String>,
    pub name: Option<String>,
    /// What the client can get now over its lines, up to (zero unless in force); `None` for
    /// a bad row.
    pub total: Option<Decimal>,
}

/// A row that could not be read or evaluated, with every problem (path, message).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorLine {
    pub row: usize,
    /// Index into [`Table::clients`].
    pub client: usize,
    pub problems: Vec<(String, Text)>,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// The input row (the line in the file, or the worksheet row).
    pub row: usize,
    /// Index into [`Table::clients`].
    pub client: usize,
    pub figures: Figures,
}

/// What a line says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Figures {
    District {
        /// Index into the policy set's policies.
        policy: usize,
        state: PolicyState,
        definite: Decimal,
        up_to: Decimal,
        if_in_force_up_to: Decimal,
    },
    /// Index into [`Table::errors`].
    Error(usize),
    /// By registered district: no policy of the client's district is encoded.
    NotEncoded,
}

impl Figures {
    /// The policy state of a district line.
    pub fn state(&self) -> Option<PolicyState> {
        match self {
            Figures::District { state, .. } => Some(*state),
            _ => None,
        }
    }
}

/// The batch view's table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub clients: Vec<ClientLine>,
    pub lines: Vec<Line>,
    pub errors: Vec<ErrorLine>,
    /// Some client has more than one line (comparing districts): their totals add up lines.
    pub several: bool,
}

impl Table {
    /// Adds a client's lines: by registered district ([`Mode::Registered`]) only those of
    /// the client's own district, when it is given.
    pub fn add(&mut self, set: &PolicySet, c: &ClientResult, mode: Mode) {
        let client = self.clients.len();
        self.clients.push(ClientLine {
            id: c.id.clone(),
            name: c.name.clone(),
            total: None,
        });
        match &c.outcome {
            Outcome::Districts(ds) => {
                let own = |d: &&DistrictTotals| {
                    mode == Mode::CompareAll || c.registered.is_none_or(|r| r == d.district)
                };
                let mut total = Decimal::ZERO;
                let first = self.lines.len();
                for d in ds.iter().filter(own) {
                    let policy = set
                        .policies
                        .iter()
                        .position(|p| p.meta.id == d.policy_id)
                        .unwrap_or(usize::MAX);
                    total = total.saturating_add(d.totals.up_to.0);
                    self.lines.push(Line {
                        row: c.row,
                        client,
                        figures: Figures::District {
                            policy,
                            state: d.state,
                            definite: d.totals.definite.0,
                            up_to: d.totals.up_to.0,
                            if_in_force_up_to: d.if_in_force.up_to.0,
                        },
                    });
                }
                self.several |= self.lines.len() > first + 1;
                if self.lines.len() == first {
                    self.lines.push(Line {
                        row: c.row,
                        client,
                        figures: Figures::NotEncoded,
                    });
                }
                self.clients[client].total = Some(total);
            }
            _ => {
                let problems = c
                    .row_error()
                    .map(|e| {
                        e.problems
                            .iter()
                            .map(|p| (p.path().to_string(), p.text()))
                            .collect()
                    })
                    .unwrap_or_default();
                self.errors.push(ErrorLine {
                    row: c.row,
                    client,
                    problems,
                });
                self.lines.push(Line {
                    row: c.row,
                    client,
                    figures: Figures::Error(self.errors.len() - 1),
                });
            }
        }
    }

    /// The table as bytes (postcard), for the page.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Reads [`Table::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Table, String> {
        postcard::from_bytes(bytes).map_err(|e| e.to_string())
    }
}
