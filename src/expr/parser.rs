//! Recursive-descent parser that resolves names against the catalogue and type-checks.

use super::ExprError;
use super::ast::*;
use super::lexer::{Tok, TokKind, lex};
use crate::catalogue::{Catalogue, FactKind, ListId};
use crate::date::parse_date;
use crate::money::parse_amount;

/// Where names resolve: the catalogue, and the list whose item `item.x` refers to.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub cat: &'a Catalogue,
    pub item_list: Option<ListId>,
}

/// The type of a value expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Money,
    Int,
    Date,
    Dates,
    Text,
    /// An enum; the operand says which value list applies.
    Enum(Operand),
}

impl Ty {
    fn is_num(self) -> bool {
        matches!(self, Ty::Money | Ty::Int)
    }
}

/// Parses a condition.
pub fn parse_cond(src: &str, scope: &Scope) -> Result<Cond, ExprError> {
    let mut p = Parser::new(src, scope)?;
    let c = p.cond()?;
    p.expect_end()?;
    Ok(c)
}

/// Parses a numeric value expression such as `item.actual_investment - item.construction_investment`.
pub fn parse_value_expr(src: &str, scope: &Scope) -> Result<(ValueExpr, Ty), ExprError> {
    let mut p = Parser::new(src, scope)?;
    let (terms, col) = p.value()?;
    p.expect_end()?;
    let ty = terms
        .iter()
        .find_map(|(_, t)| match t {
            Raw::Ref(_, ty) => Some(*ty),
            _ => None,
        })
        .unwrap_or(Ty::Money);
    let v = p.resolve_value(terms, ty, col)?;
    Ok((v, ty))
}

enum Raw {
    Ref(Operand, Ty),
    Num(String),
    Str(String),
    Bool(bool),
}

/// How deep conditions may nest (parentheses, `not`, `any(…)`): far beyond any policy text,
/// and well within the stack of the parser and of the evaluator.
pub const MAX_NESTING: usize = 64;

struct Parser<'a> {
    toks: Vec<Tok>,
    pos: usize,
    src: &'a str,
    scope: Scope<'a>,
    /// Current nesting of parentheses, `not` and calls.
    depth: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, scope: &Scope<'a>) -> Result<Self, ExprError> {
        Ok(Parser {
            toks: lex(src)?,
            pos: 0,
            src,
            scope: *scope,
            depth: 0,
        })
    }

    fn err<T>(&self, col: usize, msg: impl Into<String>) -> Result<T, ExprError> {
        Err(ExprError {
            message: msg.into(),
            column: col,
            source_text: excerpt(self.src),
        })
    }

    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(&self.peek().kind, TokKind::Op(o) if *o == op)
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(&self.peek().kind, TokKind::Ident(i) if i == kw)
    }

    fn expect_op(&mut self, op: &str) -> Result<(), ExprError> {
        if self.is_op(op) {
            self.next();
            Ok(())
        } else {
            let col = self.peek().col;
            self.err(col, format!("expected `{op}`"))
        }
    }

    fn expect_end(&self) -> Result<(), ExprError> {
        match self.peek().kind {
            TokKind::End => Ok(()),
            _ => self.err(
                self.peek().col,
                "unexpected text after the end of the expression",
            ),
        }
    }

    fn cond(&mut self) -> Result<Cond, ExprError> {
        let mut parts = vec![self.and()?];
        while self.is_kw("or") {
            self.next();
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Cond::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Cond, ExprError> {
        let mut parts = vec![self.unary()?];
        while self.is_kw("and") {
            self.next();
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Cond::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Cond, ExprError> {
        if self.depth >= MAX_NESTING {
            let col = self.peek().col;
            return self.err(
                col,
                format!("the condition nests more than {MAX_NESTING} levels deep (parentheses, `not`, `any(…)`)"),
            );
        }
        self.depth += 1;
        let c = self.unary_inner();
        self.depth -= 1;
        c
    }

    fn unary_inner(&mut self) -> Result<Cond, ExprError> {
        if self.is_kw("not") {
            self.next();
            return Ok(Cond::Not(Box::new(self.unary()?)));
        }
        if self.is_op("(") {
            self.next();
            let c = self.cond()?;
            self.expect_op(")")?;
            return Ok(c);
        }
        let is_call = matches!(
            self.toks.get(self.pos + 1),
            Some(Tok {
                kind: TokKind::Op("("),
                ..
            })
        );
        if let (TokKind::Ident(name), true) = (&self.peek().kind, is_call) {
            let name = name.clone();
            let col = self.peek().col;
            self.next();
            self.next();
            let c = self.call(&name, col)?;
            self.expect_op(")")?;
            return Ok(c);
        }
        self.compare()
    }

    fn call(&mut self, name: &str, col: usize) -> Result<Cond, ExprError> {
        match name {
            "any" => {
                let lcol = self.peek().col;
                let list_name = match self.next().kind {
                    TokKind::Ident(n) => n,
                    _ => return self.err(lcol, "any(...) needs a list name first"),
                };
                let Some(list) = self.scope.cat.list_id(&list_name) else {
                    return self.err(lcol, format!("unknown list `{list_name}`"));
                };
                self.expect_op(",")?;
                let outer = self.scope.item_list.replace(list);
                let inner = self.cond();
                self.scope.item_list = outer;
                Ok(Cond::Any {
                    list,
                    cond: Box::new(inner?),
                })
            }
            "in_window" => {
                let (op, ty, c) = self.path_ref()?;
                if ty != Ty::Date {
                    return self.err(c, "in_window(...) needs a date");
                }
                Ok(Cond::InWindow(op))
            }
            "in_application_period" => {
                let (op, ty, c) = self.path_ref()?;
                if ty != Ty::Date {
                    return self.err(c, "in_application_period(...) needs a date");
                }
                Ok(Cond::InApplicationPeriod(op))
            }
            "none_in_previous_year" => {
                let (op, ty, c) = self.path_ref()?;
                if ty != Ty::Dates {
                    return self.err(c, "none_in_previous_year(...) needs a list of dates");
                }
                Ok(Cond::NoneInPreviousYear(op))
            }
            "none_within_years" => {
                let (op, ty, c) = self.path_ref()?;
                if ty != Ty::Dates {
                    return self.err(c, "none_within_years(...) needs a list of dates");
                }
                self.expect_op(",")?;
                let ncol = self.peek().col;
                let years = match self.next().kind {
                    TokKind::Num(n) => n.parse::<i32>().ok().filter(|y| (1..=50).contains(y)),
                    _ => None,
                };
                match years {
                    Some(years) => Ok(Cond::NoneWithinYears { dates: op, years }),
                    None => self.err(ncol, "expected a whole number of years (1-50)"),
                }
            }
            _ => self.err(
                col,
                format!("unknown function `{name}` (known: any, in_window, in_application_period, none_within_years, none_in_previous_year)"),
            ),
        }
    }

    fn path_ref(&mut self) -> Result<(Operand, Ty, usize), ExprError> {
        let col = self.peek().col;
        match self.term()? {
            Raw::Ref(o, t) => Ok((o, t, col)),
            _ => self.err(col, "expected a fact name"),
        }
    }

    fn compare(&mut self) -> Result<Cond, ExprError> {
        let (left, lcol) = self.value()?;
        let op = match &self.peek().kind {
            TokKind::Op("==") => Some(Cmp::Eq),
            TokKind::Op("!=") => Some(Cmp::Ne),
            TokKind::Op(">") => Some(Cmp::Gt),
            TokKind::Op(">=") => Some(Cmp::Ge),
            TokKind::Op("<") => Some(Cmp::Lt),
            TokKind::Op("<=") => Some(Cmp::Le),
            _ => None,
        };
        if let Some(op) = op {
            let ocol = self.peek().col;
            self.next();
            let (right, rcol) = self.value()?;
            let ty =
                [&left, &right]
                    .into_iter()
                    .flat_map(|v| v.iter())
                    .find_map(|(_, t)| match t {
                        Raw::Ref(_, ty) => Some(*ty),
                        _ => None,
                    });
            let Some(ty) = ty else {
                return self.err(lcol, "a comparison needs at least one fact");
            };
            match ty {
                Ty::Bool | Ty::Text if !matches!(op, Cmp::Eq | Cmp::Ne) => {
                    return self.err(ocol, "yes/no and text facts only compare with == or !=");
                }
                Ty::Dates => return self.err(lcol, "a list of dates cannot be compared"),
                _ => {}
            }
            let left = self.resolve_value(left, ty, lcol)?;
            let right = self.resolve_value(right, ty, rcol)?;
            return Ok(Cond::Compare { left, op, right });
        }
        if self.is_kw("in") {
            self.next();
            let Some(Raw::Ref(operand, ty)) = single(left) else {
                return self.err(lcol, "`in [...]` needs a single fact on the left");
            };
            self.expect_op("[")?;
            let mut set = Vec::new();
            loop {
                let col = self.peek().col;
                let t = self.term()?;
                set.push(self.resolve_lit(t, ty, col)?);
                if self.is_op(",") {
                    self.next();
                } else {
                    break;
                }
            }
            self.expect_op("]")?;
            return Ok(Cond::InSet { left: operand, set });
        }
        match single(left) {
            Some(Raw::Ref(o, Ty::Bool)) => Ok(Cond::Truthy(o)),
            Some(Raw::Ref(..)) => self.err(
                lcol,
                "only a yes/no fact can stand alone; compare this one (e.g. `>= 3`)",
            ),
            _ => self.err(lcol, "expected a condition"),
        }
    }

    fn value(&mut self) -> Result<(Vec<(Sign, Raw)>, usize), ExprError> {
        let col = self.peek().col;
        let mut terms = vec![(Sign::Plus, self.term()?)];
        loop {
            let sign = if self.is_op("+") {
                Sign::Plus
            } else if self.is_op("-") {
                Sign::Minus
            } else {
                break;
            };
            self.next();
            terms.push((sign, self.term()?));
        }
        Ok((terms, col))
    }

    fn term(&mut self) -> Result<Raw, ExprError> {
        let t = self.next();
        match t.kind {
            TokKind::Num(n) => Ok(Raw::Num(n)),
            TokKind::Str(s) => Ok(Raw::Str(s)),
            TokKind::Ident(i) if i == "true" => Ok(Raw::Bool(true)),
            TokKind::Ident(i) if i == "false" => Ok(Raw::Bool(false)),
            TokKind::Ident(i) if i == "item" => {
                self.expect_op(".")?;
                let fcol = self.peek().col;
                let TokKind::Ident(field) = self.next().kind else {
                    return self.err(fcol, "expected a field name after `item.`");
                };
                let Some(list) = self.scope.item_list else {
                    return self.err(
                        t.col,
                        "`item.` is only available in clauses with for_each, or inside any(...)",
                    );
                };
                let cat = self.scope.cat;
                match cat.field_id(list, &field) {
                    Some(f) => {
                        let op = Operand::Field(list, f);
                        Ok(Raw::Ref(op, ty_of(cat, op)))
                    }
                    None => self.err(
                        fcol,
                        format!(
                            "unknown field `{field}` of list `{}`",
                            cat.lists[list as usize].id
                        ),
                    ),
                }
            }
            TokKind::Ident(i) => match self.scope.cat.fact_id(&i) {
                Some(f) => {
                    let op = Operand::Fact(f);
                    Ok(Raw::Ref(op, ty_of(self.scope.cat, op)))
                }
                None => self.err(t.col, format!("unknown fact `{i}`")),
            },
            TokKind::End => self.err(t.col, "unexpected end of expression"),
            TokKind::Op(o) => self.err(t.col, format!("unexpected `{o}`")),
        }
    }

    fn resolve_value(
        &self,
        terms: Vec<(Sign, Raw)>,
        ty: Ty,
        col: usize,
    ) -> Result<ValueExpr, ExprError> {
        if terms.len() > 1 && !ty.is_num() {
            return self.err(col, "only amounts and counts can be added or subtracted");
        }
        let mut out = Vec::with_capacity(terms.len());
        for (sign, raw) in terms {
            let term = match raw {
                Raw::Ref(o, t) => {
                    let compatible =
                        t == ty || (t.is_num() && ty.is_num()) || same_enum(self.scope.cat, t, ty);
                    if !compatible {
                        return self.err(col, "the two sides have different types");
                    }
                    Term::Ref(o)
                }
                lit => Term::Lit(self.resolve_lit(lit, ty, col)?),
            };
            out.push((sign, term));
        }
        let (_, first) = out.remove(0);
        Ok(ValueExpr { first, rest: out })
    }

    fn resolve_lit(&self, raw: Raw, ty: Ty, col: usize) -> Result<Lit, ExprError> {
        let cat = self.scope.cat;
        match (ty, raw) {
            (Ty::Bool, Raw::Bool(b)) => Ok(Lit::Bool(b)),
            (Ty::Money | Ty::Int, Raw::Num(n)) => match parse_amount(&n) {
                Ok(d) => Ok(Lit::Num(d)),
                Err(e) => self.err(col, format!("bad number `{n}`: {e}")),
            },
            (Ty::Date, Raw::Str(s)) => match parse_date(&s) {
                Some(d) => Ok(Lit::Date(d)),
                None => self.err(col, format!("bad date '{s}' (expected 'YYYY-MM-DD')")),
            },
            (Ty::Enum(op), Raw::Str(s) | Raw::Num(s)) => {
                let def = cat.operand_def(op);
                match def.values.iter().position(|v| v.id == s) {
                    Some(i) => Ok(Lit::Enum(i as u16)),
                    None => self.err(
                        col,
                        format!(
                            "`{s}` is not a value of `{}` (values: {})",
                            def.id,
                            def.values
                                .iter()
                                .map(|v| v.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                }
            }
            (Ty::Text, Raw::Str(_)) => self.err(col, "text facts cannot be used in conditions"),
            (ty, Raw::Ref(..)) => self.err(col, format!("expected a literal of type {ty:?}")),
            (ty, _) => self.err(
                col,
                format!("literal does not match the fact's type ({ty:?})"),
            ),
        }
    }
}

/// The condition as quoted in errors: whole, or its start when it is very long.
fn excerpt(src: &str) -> String {
    const SHOWN: usize = 100;
    let n = src.chars().count();
    if n <= SHOWN {
        src.to_string()
    } else {
        let head: String = src.chars().take(SHOWN).collect();
        format!("{head}… ({n} characters)")
    }
}

fn single(mut v: Vec<(Sign, Raw)>) -> Option<Raw> {
    if v.len() == 1 {
        v.pop().map(|(_, r)| r)
    } else {
        None
    }
}

fn same_enum(cat: &Catalogue, a: Ty, b: Ty) -> bool {
    match (a, b) {
        (Ty::Enum(x), Ty::Enum(y)) => {
            let (dx, dy) = (cat.operand_def(x), cat.operand_def(y));
            dx.values
                .iter()
                .map(|v| &v.id)
                .eq(dy.values.iter().map(|v| &v.id))
        }
        _ => false,
    }
}

/// The type of an operand, from its catalogue definition.
pub(crate) fn ty_of(cat: &Catalogue, op: Operand) -> Ty {
    match cat.operand_def(op).kind {
        FactKind::Bool => Ty::Bool,
        FactKind::Money => Ty::Money,
        FactKind::Integer => Ty::Int,
        FactKind::Date => Ty::Date,
        FactKind::Dates => Ty::Dates,
        FactKind::Text => Ty::Text,
        FactKind::Enum => Ty::Enum(op),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::set::PolicySet;

    #[test]
    fn nesting_is_limited_not_a_stack_overflow() {
        let set = PolicySet::embedded().expect("embedded");
        let scope = Scope {
            cat: &set.catalogue,
            item_list: None,
        };
        let nested = |n: usize| format!("{}credit_good{}", "(".repeat(n), ")".repeat(n));
        assert!(parse_cond(&nested(MAX_NESTING - 1), &scope).is_ok());
        for src in [
            nested(100_000),
            format!("{}credit_good", "not ".repeat(100_000)),
        ] {
            let e = parse_cond(&src, &scope).expect_err("too deep");
            assert!(
                e.message.contains("nests more than 64 levels"),
                "{}",
                e.message
            );
            assert!(e.to_string().len() < 400, "the error quotes an excerpt");
        }
        let flat = vec!["credit_good"; 10_000].join(" and ");
        assert!(parse_cond(&flat, &scope).is_ok(), "long but flat is fine");
    }
}
