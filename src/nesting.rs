//! A ceiling on how deeply conditions and formulas nest, so that data from outside (a policy
//! pack is untrusted) can never overflow the stack: the condition parser refuses deeper
//! expressions, and reading compiled conditions and formulas from bytes stops at the same depth.

use serde::{Deserialize, Deserializer};
use std::cell::Cell;

/// The deepest nesting of conditions (`not`, parentheses, `any`, `and`/`or`) or formulas
/// (`best`/`sum`) accepted. Real policies stay below 10.
pub const MAX_NESTING: u32 = 32;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// One level of nesting while reading; the level is left when the guard drops.
struct Guard;

impl Guard {
    fn enter() -> Option<Guard> {
        DEPTH.with(|d| {
            let now = d.get() + 1;
            (now <= MAX_NESTING).then(|| {
                d.set(now);
                Guard
            })
        })
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// `deserialize_with` for the recursive fields of conditions and formulas.
pub(crate) fn nested<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    let Some(_guard) = Guard::enter() else {
        return Err(serde::de::Error::custom(format_args!(
            "conditions or formulas nest more than {MAX_NESTING} levels deep"
        )));
    };
    T::deserialize(d)
}

#[cfg(test)]
mod tests {
    use crate::expr::Cond;
    use crate::policy::Formula;

    /// Compact bytes of `not not … x` (postcard: variant 7 is `Not`, then `Truthy(Fact(0))`).
    fn nots(n: usize) -> Vec<u8> {
        let mut bytes = vec![7u8; n];
        bytes.extend([0, 0, 0]);
        bytes
    }

    #[test]
    fn deep_compiled_conditions_are_refused_not_a_stack_overflow() {
        assert!(postcard::from_bytes::<Cond>(&nots(20)).is_ok());
        // (postcard reports a custom error without its text.)
        for n in [super::MAX_NESTING as usize + 1, 100_000] {
            assert!(postcard::from_bytes::<Cond>(&nots(n)).is_err(), "{n}");
        }
        // The level count is back at zero after an error.
        assert!(postcard::from_bytes::<Cond>(&nots(20)).is_ok());
    }

    #[test]
    fn deep_formulas_are_refused() {
        // A formula: label None(0), when None(0), node Best(4) with one option, … 100,000 deep.
        let mut bytes = Vec::new();
        for _ in 0..100_000 {
            bytes.extend([0, 0, 4, 1]);
        }
        assert!(postcard::from_bytes::<Formula>(&bytes).is_err());
    }

    #[test]
    fn the_parser_refuses_deep_conditions() {
        let set = crate::PolicySet::embedded().unwrap();
        let scope = crate::expr::Scope {
            cat: &set.catalogue,
            item_list: None,
        };
        let ok = format!("{}credit_good", "not ".repeat(20));
        assert!(crate::expr::parse_cond(&ok, &scope).is_ok());
        for deep in [
            format!("{}credit_good", "not ".repeat(100_000)),
            format!("{}credit_good{}", "(".repeat(100_000), ")".repeat(100_000)),
        ] {
            let e = crate::expr::parse_cond(&deep, &scope).unwrap_err();
            assert!(e.message.contains("nests more than"), "{}", e.message);
        }
    }
}
