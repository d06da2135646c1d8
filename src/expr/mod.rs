//! The condition language of policy files: `cmmi_level >= 3 and in_window(cmmi_issued_on)`.
//!
//! Grammar (keywords are lowercase):
//! ```text
//! cond    := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | "(" cond ")" | call | compare
//! call    := "any" "(" LIST "," cond ")" | "in_window" "(" path ")"
//!          | "in_application_period" "(" path ")"
//!          | "none_within_years" "(" path "," INT ")" | "none_in_previous_year" "(" path ")"
//! compare := value [ CMP value | "in" "[" literal ("," literal)* "]" ]
//! value   := term (("+" | "-") term)*
//! term    := path | literal         path := IDENT | "item" "." IDENT
//! literal := NUMBER[万|亿] | 'text' | true | false
//! ```
//! A bare `path` must be a yes/no fact. Enum facts compare by their catalogue order,
//! so `cmmi_level >= 3` means "level 3 or better".

mod ast;
#[cfg(feature = "loader")]
mod describe;
#[cfg(feature = "loader")]
mod lexer;
#[cfg(feature = "loader")]
mod parser;

pub use ast::{Cmp, Cond, Lit, Operand, Sign, Term, ValueExpr};
#[cfg(feature = "loader")]
pub use describe::{describe, describe_value};
#[cfg(feature = "loader")]
pub use parser::{Scope, Ty, parse_cond, parse_value_expr};

#[cfg(feature = "loader")]
/// A condition-language error with the column (1-based, in characters) where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at column {column} of `{source_text}`)")]
pub struct ExprError {
    pub message: String,
    pub column: usize,
    pub source_text: String,
}
