//! The policy set the app evaluates with: the built-in one (compiled by build.rs, parsed once
//! per page), or the built-in one with policy packs added (`packs.rs`). Sets are kept for the
//! page's lifetime so every component can borrow them for `'static`; a change (a pack added
//! or removed) makes a new set and tells every mounted app, which carries its inputs over.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use butie::PolicySet;
use butie::catalogue::{FactDef, ListDef};

/// The policy set compiled by build.rs from `policies/*.toml`.
const BUNDLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/policies.bin"));

/// Called with the set that was active before a change.
type Listener = dyn Fn(&'static PolicySet);

thread_local! {
    /// Read on first use; leaked so every component can borrow it for `'static`.
    static BUILTIN: &'static Result<PolicySet, String> =
        Box::leak(Box::new(PolicySet::from_bytes(BUNDLE).map_err(|e| e.to_string())));
    /// The built-in set with packs, when packs are loaded.
    static ACTIVE: Cell<Option<&'static PolicySet>> = const { Cell::new(None) };
    /// Its bundle, for the second module (the batch evaluates with the packs too).
    static ACTIVE_BUNDLE: Cell<Option<&'static [u8]>> = const { Cell::new(None) };
    static LISTENERS: RefCell<Vec<Weak<Listener>>> = const { RefCell::new(Vec::new()) };
}

/// The built-in policy bundle.
pub fn builtin_bundle() -> &'static [u8] {
    BUNDLE
}

/// The bundle of the set in use (the batch module decodes the same bytes).
pub fn bundle() -> &'static [u8] {
    ACTIVE_BUNDLE.with(Cell::get).unwrap_or(BUNDLE)
}

/// The built-in policy set, or the load error text (a build problem, never the user's input).
pub fn builtin_set() -> Result<&'static PolicySet, &'static str> {
    BUILTIN.with(|set| match *set {
        Ok(set) => Ok(set),
        Err(error) => Err(error.as_str()),
    })
}

/// Makes the set in `bundle` (from the second module: the built-in set with packs) the one in
/// use; `None`: the built-in one.
pub fn use_bundle(bundle: Option<Vec<u8>>) -> Result<(), String> {
    let set = match &bundle {
        Some(bytes) => Some(PolicySet::from_bytes(bytes).map_err(|e| e.to_string())?),
        None => None,
    };
    let bundle = bundle.map(|b| &*Vec::leak(b));
    ACTIVE_BUNDLE.with(|a| a.set(bundle));
    replace(set);
    Ok(())
}

/// The policy set in use: the built-in one, with the loaded packs.
pub fn policy_set() -> Result<&'static PolicySet, &'static str> {
    match ACTIVE.with(Cell::get) {
        Some(set) => Ok(set),
        None => builtin_set(),
    }
}

/// Makes `set` the one in use (`None`: the built-in one) and tells the listeners. The old set
/// stays alive (components may still borrow it); packs change rarely.
pub fn replace(set: Option<PolicySet>) {
    let Ok(old) = policy_set() else { return };
    let new = set.map(|s| &*Box::leak(Box::new(s)));
    let previous = ACTIVE.with(|a| a.replace(new));
    #[cfg(feature = "studio")]
    retire(previous);
    #[cfg(not(feature = "studio"))]
    let _ = previous;
    let listeners: Vec<Rc<Listener>> = LISTENERS.with(|l| {
        let mut l = l.borrow_mut();
        l.retain(|w| w.strong_count() > 0);
        l.iter().filter_map(Weak::upgrade).collect()
    });
    for f in listeners {
        f(old);
    }
}

/// The authoring page replaces its set on every successful edit: it frees the sets that went
/// out of use [`KEPT`] replacements ago instead of keeping them all.
#[cfg(feature = "studio")]
const KEPT: usize = 8;

#[cfg(feature = "studio")]
thread_local! {
    static RETIRED: RefCell<std::collections::VecDeque<&'static PolicySet>> =
        const { RefCell::new(std::collections::VecDeque::new()) };
}

#[cfg(feature = "studio")]
fn retire(set: Option<&'static PolicySet>) {
    let Some(set) = set else { return };
    let old = RETIRED.with(|r| {
        let mut r = r.borrow_mut();
        r.push_back(set);
        (r.len() > KEPT).then(|| r.pop_front()).flatten()
    });
    if let Some(old) = old {
        // SAFETY: `old` was leaked by `replace` from a `Box` and is no longer `ACTIVE`; it
        // went out of use KEPT replacements ago — each after a debounced, re-rendered edit —
        // and nothing keeps a set beyond a render (components read `policy_set()` each time;
        // their state holds owned values only), so no reference to it is alive.
        drop(unsafe { Box::from_raw(std::ptr::from_ref(old).cast_mut()) });
    }
}

/// Calls `f` (with the previous set) whenever the set in use changes, as long as the returned
/// handle is kept.
pub fn on_change(f: impl Fn(&'static PolicySet) + 'static) -> Rc<Listener> {
    let f: Rc<Listener> = Rc::new(f);
    LISTENERS.with(|l| l.borrow_mut().push(Rc::downgrade(&f)));
    f
}

/// The definition of a top-level fact.
pub fn fact_def(fact: u16) -> Option<&'static FactDef> {
    policy_set().ok()?.catalogue.facts.get(usize::from(fact))
}

/// The definition of a list.
pub fn list_def(list: u16) -> Option<&'static ListDef> {
    policy_set().ok()?.catalogue.lists.get(usize::from(list))
}

/// The definition of a field of a list item.
pub fn field_def(list: u16, field: u16) -> Option<&'static FactDef> {
    list_def(list)?.fields.get(usize::from(field))
}
