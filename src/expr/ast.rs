//! Typed syntax tree of conditions and value expressions, resolved against the catalogue.

use crate::catalogue::{FactId, FieldId, ListId};
use crate::date::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A value read from the profile: an enterprise fact or a field of the current list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Operand {
    Fact(FactId),
    Field(ListId, FieldId),
}

/// A literal after type resolution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Lit {
    Bool(bool),
    Num(Decimal),
    /// Index into the enum's ordered values.
    Enum(u16),
    Date(#[serde(with = "crate::date::serde_jd")] Date),
}

/// Comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cmp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Cmp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
        }
    }

    /// Applies the operator to an ordering.
    pub fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Cmp::Eq => ord == Equal,
            Cmp::Ne => ord != Equal,
            Cmp::Gt => ord == Greater,
            Cmp::Ge => ord != Less,
            Cmp::Lt => ord == Less,
            Cmp::Le => ord != Greater,
        }
    }
}

/// `+` or `-` between terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sign {
    Plus,
    Minus,
}

/// One term of a value expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Term {
    Ref(Operand),
    Lit(Lit),
}

/// `term (± term)*`; sums only over numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueExpr {
    pub first: Term,
    pub rest: Vec<(Sign, Term)>,
}

impl ValueExpr {
    /// The single operand, when the expression is just one reference.
    pub fn as_operand(&self) -> Option<Operand> {
        match (&self.first, self.rest.is_empty()) {
            (Term::Ref(o), true) => Some(*o),
            _ => None,
        }
    }

    /// The literal, when the expression is just one literal.
    pub fn as_lit(&self) -> Option<&Lit> {
        match (&self.first, self.rest.is_empty()) {
            (Term::Lit(l), true) => Some(l),
            _ => None,
        }
    }

    /// Every operand the expression reads.
    pub fn operands(&self) -> impl Iterator<Item = Operand> + '_ {
        std::iter::once(&self.first)
            .chain(self.rest.iter().map(|(_, t)| t))
            .filter_map(|t| match t {
                Term::Ref(o) => Some(*o),
                Term::Lit(_) => None,
            })
    }
}

/// A condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cond {
    /// A yes/no fact is true.
    Truthy(Operand),
    Compare {
        left: ValueExpr,
        op: Cmp,
        right: ValueExpr,
    },
    InSet {
        left: Operand,
        set: Vec<Lit>,
    },
    /// A date lies inside the policy's effective window.
    InWindow(Operand),
    /// A date lies inside the application period (申报期, an evaluation option).
    InApplicationPeriod(Operand),
    /// No date of a date list falls within `years` years before the evaluation date.
    NoneWithinYears {
        dates: Operand,
        years: i32,
    },
    /// No date of a date list falls in the calendar year before the evaluation date's year.
    NoneInPreviousYear(Operand),
    /// At least one item of a list satisfies the condition.
    Any {
        list: ListId,
        #[serde(deserialize_with = "crate::nesting::nested")]
        cond: Box<Cond>,
    },
    Not(#[serde(deserialize_with = "crate::nesting::nested")] Box<Cond>),
    And(#[serde(deserialize_with = "crate::nesting::nested")] Vec<Cond>),
    Or(#[serde(deserialize_with = "crate::nesting::nested")] Vec<Cond>),
}

impl Cond {
    /// Every operand read, outside `any(...)` item scopes (those report their list instead).
    pub fn visit_operands(&self, f: &mut impl FnMut(Operand)) {
        match self {
            Cond::Truthy(o)
            | Cond::InWindow(o)
            | Cond::InApplicationPeriod(o)
            | Cond::NoneInPreviousYear(o) => f(*o),
            Cond::NoneWithinYears { dates, .. } => f(*dates),
            Cond::Compare { left, right, .. } => {
                left.operands().for_each(&mut *f);
                right.operands().for_each(f);
            }
            Cond::InSet { left, .. } => f(*left),
            Cond::Any { cond, .. } => cond.visit_operands(f),
            Cond::Not(c) => c.visit_operands(f),
            Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|c| c.visit_operands(f)),
        }
    }

    /// True when the condition reads the application period (`in_application_period`).
    pub fn reads_application_period(&self) -> bool {
        match self {
            Cond::InApplicationPeriod(_) => true,
            Cond::Any { cond, .. } => cond.reads_application_period(),
            Cond::Not(c) => c.reads_application_period(),
            Cond::And(cs) | Cond::Or(cs) => cs.iter().any(Cond::reads_application_period),
            _ => false,
        }
    }

    /// True when the condition reads a field of the current item (outside `any`).
    pub fn reads_item(&self) -> bool {
        match self {
            Cond::Any { .. } => false,
            Cond::Not(c) => c.reads_item(),
            Cond::And(cs) | Cond::Or(cs) => cs.iter().any(Cond::reads_item),
            _ => {
                let mut found = false;
                self.visit_operands(&mut |o| found |= matches!(o, Operand::Field(..)));
                found
            }
        }
    }
}
