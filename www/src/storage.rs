//! Inputs kept across reloads in localStorage (page mode only; an embedded widget keeps
//! nothing). Failures are logged and never stop the app.

use butie::Lang;
use gloo::storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

use crate::draft::StoredDraft;

/// The localStorage key.
pub const KEY: &str = "butie:v1";

/// What is stored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Stored {
    pub lang: Option<Lang>,
    pub compare_all: bool,
    pub full_yuan: bool,
    /// Only when the user picked a date other than today.
    pub as_of: Option<String>,
    /// The application period (申报期) as typed, when given.
    pub application_period: Option<String>,
    pub draft: StoredDraft,
}

/// Whether localStorage can be used (gloo throws when it cannot: sandboxed frames,
/// some private modes), checked first so the app never aborts on it.
fn available() -> bool {
    web_sys::window().is_some_and(|w| matches!(w.local_storage(), Ok(Some(_))))
}

/// What was stored, `Ok(None)` when nothing, `Err` when unreadable.
pub fn load() -> Result<Option<Stored>, String> {
    if !available() {
        return Ok(None);
    }
    match LocalStorage::raw().get_item(KEY) {
        Ok(None) => Ok(None),
        Ok(Some(text)) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| e.to_string()),
        Err(e) => Err(crate::export::js_error(&e)),
    }
}

/// Stores the inputs.
pub fn save(stored: &Stored) {
    if !available() {
        return;
    }
    if let Err(e) = LocalStorage::set(KEY, stored) {
        gloo::console::warn!(format!("butie: could not save the inputs: {e}"));
    }
}

/// Deletes the stored inputs.
pub fn clear() {
    if available() {
        LocalStorage::delete(KEY);
    }
}
