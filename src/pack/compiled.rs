//! The compiled section of a pack: documents compiled by the policy compiler, the catalogue
//! entries the pack adds, and the symbol table their references index into.

use crate::catalogue::{FactDef, FactKind, GroupDef, ListDef};
use crate::expr::Cond;
use crate::policy::Policy;
use serde::{Deserialize, Serialize};

/// A fact (or list field) as the pack's compiler saw it: the loader finds it by id and checks
/// that the page's fact has the same type and, for enums, the same values in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Symbol {
    pub id: String,
    pub kind: FactKind,
    /// Enum value ids, low to high (empty for other types).
    pub values: Vec<String>,
}

/// A list and the fields of it the pack reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSymbol {
    pub id: String,
    pub fields: Vec<Symbol>,
}

/// Every fact, list and list field the compiled data refers to: a reference to fact `n` in the
/// compiled data means `facts[n]` here, list `n` means `lists[n]`, and field `f` of list `n`
/// means `lists[n].fields[f]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Symbols {
    pub facts: Vec<Symbol>,
    pub lists: Vec<ListSymbol>,
}

/// Catalogue entries the pack adds (appended after the page's own), compiled.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Additions {
    pub groups: Vec<GroupDef>,
    pub facts: Vec<FactDef>,
    /// Each added fact's compiled `show_if` (references in symbol numbering).
    pub fact_show_if: Vec<Option<Cond>>,
    /// Each added fact's companion date (a symbol index).
    pub companion: Vec<Option<u16>>,
    pub lists: Vec<ListDef>,
    /// Each added list field's compiled `show_if`.
    pub field_show_if: Vec<Vec<Option<Cond>>>,
}

/// The compiled section.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompiledPack {
    pub symbols: Symbols,
    pub additions: Additions,
    /// The pack's documents, compiled (an amendment merged with what it amends).
    pub policies: Vec<Policy>,
    /// The documents outside the pack that an amendment in it was compiled merged with:
    /// `(id, fingerprint)` (see `Policy::fingerprint`); the loader refuses the pack when the
    /// page's document differs.
    pub bases: Vec<(String, String)>,
}

impl CompiledPack {
    /// The compact bytes (postcard; the same encoding as the page's own bundle).
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Reads [`CompiledPack::to_bytes`]; every byte must be used.
    pub fn from_bytes(bytes: &[u8]) -> Result<CompiledPack, String> {
        match postcard::take_from_bytes::<CompiledPack>(bytes) {
            Ok((c, [])) => Ok(c),
            Ok((_, rest)) => Err(format!("{} bytes left over", rest.len())),
            Err(e) => Err(e.to_string()),
        }
    }
}
