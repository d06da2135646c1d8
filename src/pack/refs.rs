//! Catalogue references inside compiled data (facts, lists and list fields are numbered by
//! their place in a catalogue), mapped from one numbering to another. A pack is compiled
//! against its author's catalogue and loaded into a page whose catalogue may number the same
//! facts differently (and holds other packs' facts too): the pack stores its references as
//! indices into its own symbol table, and the loader maps them to the page's catalogue.

use crate::catalogue::{FactId, FieldId, ListId};
use crate::expr::{Cond, Operand, Term, ValueExpr};
use crate::policy::{
    Check, Clause, Condition, Formula, Node, Offset, Policy, Reading, Rule, RuleReading,
};

/// A mapping of catalogue references; `Err` names a reference that cannot be mapped.
pub(crate) trait RefMap {
    fn fact(&mut self, f: FactId) -> Result<FactId, String>;
    fn list(&mut self, l: ListId) -> Result<ListId, String>;
    /// Field `f` of list `l` (both in the numbering being mapped from).
    fn field(&mut self, l: ListId, f: FieldId) -> Result<FieldId, String>;
}

/// Something that holds catalogue references.
pub(crate) trait Refs {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String>;
}

impl Refs for Operand {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        *self = match *self {
            Operand::Fact(f) => Operand::Fact(m.fact(f)?),
            Operand::Field(l, f) => Operand::Field(m.list(l)?, m.field(l, f)?),
        };
        Ok(())
    }
}

impl Refs for ValueExpr {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        for t in std::iter::once(&mut self.first).chain(self.rest.iter_mut().map(|(_, t)| t)) {
            if let Term::Ref(o) = t {
                o.map_refs(m)?;
            }
        }
        Ok(())
    }
}

impl Refs for Cond {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        match self {
            Cond::Truthy(o)
            | Cond::InWindow(o)
            | Cond::InApplicationPeriod(o)
            | Cond::NoneInPreviousYear(o)
            | Cond::InSet { left: o, .. }
            | Cond::NoneWithinYears { dates: o, .. } => o.map_refs(m),
            Cond::Compare { left, right, .. } => {
                left.map_refs(m)?;
                right.map_refs(m)
            }
            Cond::Any { list, cond } => {
                *list = m.list(*list)?;
                cond.map_refs(m)
            }
            Cond::Not(c) => c.map_refs(m),
            Cond::And(cs) | Cond::Or(cs) => cs.iter_mut().try_for_each(|c| c.map_refs(m)),
        }
    }
}

impl<T: Refs> Refs for Option<T> {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        self.as_mut().map_or(Ok(()), |x| x.map_refs(m))
    }
}

impl<T: Refs> Refs for Vec<T> {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        self.iter_mut().try_for_each(|x| x.map_refs(m))
    }
}

impl Refs for Condition {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        if let Check::Expr(c) = &mut self.check {
            c.map_refs(m)?;
        }
        self.reads.map_refs(m)
    }
}

impl Refs for Formula {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        self.when.map_refs(m)?;
        match &mut self.node {
            Node::Rate { base, .. } => base.map_refs(m),
            Node::PerUnit { count, .. } => count.map_refs(m),
            Node::Best(fs) | Node::Sum(fs) => fs.map_refs(m),
            Node::Fixed { .. } | Node::NotQuantified => Ok(()),
        }
    }
}

impl Refs for Offset {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        self.value.map_refs(m)?;
        self.when.map_refs(m)
    }
}

impl Refs for RuleReading {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        self.conditions.map_refs(m)
    }
}

impl Refs for Rule {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        self.conditions.map_refs(m)?;
        self.readings.map_refs(m)
    }
}

impl Refs for Reading {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        self.conditions.map_refs(m)?;
        self.award.map_refs(m)?;
        self.offsets.map_refs(m)
    }
}

impl Refs for Clause {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        if let Some((f, _)) = &mut self.select_enum {
            let list = self
                .for_each
                .ok_or_else(|| format!("clause `{}`: an item test without a list", self.id))?;
            *f = m.field(list, *f)?;
        }
        if let Some(l) = &mut self.for_each {
            *l = m.list(*l)?;
        }
        self.select.map_refs(m)?;
        self.conditions.map_refs(m)?;
        self.award.map_refs(m)?;
        self.offsets.map_refs(m)?;
        self.readings.map_refs(m)
    }
}

impl Refs for Policy {
    fn map_refs(&mut self, m: &mut impl RefMap) -> Result<(), String> {
        self.rules.map_refs(m)?;
        self.clauses.map_refs(m)
    }
}
