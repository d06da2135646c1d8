//! The application state (a Yew `Reducible`) and the actions that change it.

use std::rc::Rc;

use butie::{Lang, PolicySet, Text};
use yew::Reducible;

use crate::draft::{Draft, FieldRef, MoneyUnit};
use crate::i18n::Tr;
use crate::storage::Stored;
use crate::{data, dates, share, storage};

/// A message shown above the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: Text,
    /// Details (field paths and reasons), shown as a list.
    pub details: Vec<String>,
}

impl Notice {
    /// An informational notice.
    pub fn info(t: Tr) -> Notice {
        Notice {
            error: false,
            text: Text::new(t.0, t.1),
            details: Vec::new(),
        }
    }

    /// An error notice with a reason.
    pub fn error(t: Tr, reason: Text) -> Notice {
        Notice {
            error: true,
            text: Text::new(
                format!("{}{}", t.0, reason.zh),
                format!("{} {}", t.1, reason.en),
            ),
            details: Vec::new(),
        }
    }
}

/// Everything the app remembers.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub draft: Rc<Draft>,
    pub lang: Lang,
    /// The as-of date as typed.
    pub as_of: String,
    /// The application period (申报期) as typed; empty: not given.
    pub application_period: String,
    /// Today in Shanghai (the default as-of date).
    pub today: String,
    pub compare_all: bool,
    /// Amounts in full yuan instead of 万元.
    pub full_yuan: bool,
    /// Groups whose "more fields" are open, as a bit set by group index (groups past 63
    /// are always open).
    pub expanded: u64,
    pub notice: Option<Notice>,
    /// The DOM id of a control to focus after the next render, with a counter so a repeat
    /// request re-runs.
    pub focus: Option<(String, u32)>,
    /// The last share link made.
    pub share_link: Option<String>,
    /// Embedded in a host page (nothing is stored).
    pub embedded: bool,
    /// The policy set the draft is shaped for (policy packs change the set in use).
    pub set: Option<SetRef>,
}

/// A policy set in use, compared by identity.
#[derive(Debug, Clone, Copy)]
pub struct SetRef(pub &'static PolicySet);

impl PartialEq for SetRef {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

/// What can happen.
#[derive(Debug, Clone)]
pub enum Action {
    Set(FieldRef, String),
    SetName(String),
    AddItem(u16),
    RemoveItem(u16, usize),
    SetUnit(MoneyUnit),
    SetLang(Lang),
    SetAsOf(String),
    SetApplicationPeriod(String),
    SetCompareAll(bool),
    SetFullYuan(bool),
    ToggleMore(u16),
    /// Show a field (open its group's more fields) and focus it.
    Reveal(FieldRef),
    /// Focus a settings control (always shown), by its DOM id.
    FocusSetting(&'static str),
    /// Replace the inputs (import).
    Load(Box<Draft>, Option<Notice>),
    Reset,
    Notify(Option<Notice>),
    ShareLink(Option<String>),
    /// The policy set in use changed (a pack added or removed): the inputs are carried over by
    /// id, values of facts no longer there are kept for later.
    PoliciesChanged,
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let cat = data::policy_set().ok().map(|set| &set.catalogue);
        match action {
            Action::Set(at, raw) => Rc::make_mut(&mut s.draft).set(at, raw),
            Action::SetName(name) => Rc::make_mut(&mut s.draft).name = name,
            Action::AddItem(list) => {
                if let Some(cat) = cat {
                    let max = cat
                        .lists
                        .get(usize::from(list))
                        .map_or(0, |l| l.max_items as usize);
                    let unit = s.draft.unit;
                    let item = Draft::new_item(cat, list, unit);
                    if let Some(items) = Rc::make_mut(&mut s.draft).lists.get_mut(usize::from(list))
                        && items.len() < max
                    {
                        items.push(item);
                    }
                }
            }
            Action::RemoveItem(list, index) => {
                if let Some(items) = Rc::make_mut(&mut s.draft).lists.get_mut(usize::from(list))
                    && index < items.len()
                {
                    items.remove(index);
                }
            }
            Action::SetUnit(unit) => {
                if let Some(cat) = cat {
                    Rc::make_mut(&mut s.draft).set_unit(cat, unit);
                }
            }
            Action::SetLang(lang) => s.lang = lang,
            Action::SetAsOf(d) => s.as_of = d,
            Action::SetApplicationPeriod(p) => s.application_period = p,
            Action::SetCompareAll(on) => s.compare_all = on,
            Action::SetFullYuan(on) => s.full_yuan = on,
            Action::ToggleMore(group) => {
                s.expanded ^= group_bit(group);
            }
            Action::Reveal(at) => {
                if let (FieldRef::Fact(f), Some(cat)) = (at, cat)
                    && let Some(def) = cat.facts.get(usize::from(f))
                    && let Some(g) = cat.groups.iter().position(|g| g.id == def.group)
                {
                    s.expanded |= group_bit(g as u16);
                }
                let n = s.focus.as_ref().map_or(0, |(_, n)| n.wrapping_add(1));
                s.focus = Some((at.dom_id(), n));
            }
            Action::FocusSetting(id) => {
                let n = s.focus.as_ref().map_or(0, |(_, n)| n.wrapping_add(1));
                s.focus = Some((id.to_string(), n));
            }
            Action::Load(draft, notice) => {
                s.draft = Rc::new(*draft);
                s.notice = notice;
                s.share_link = None;
            }
            Action::Reset => {
                if let Some(cat) = cat {
                    s.draft = Rc::new(Draft::defaults(cat));
                }
                s.as_of = s.today.clone();
                s.application_period.clear();
                s.compare_all = false;
                s.expanded = 0;
                s.share_link = None;
                s.notice = Some(Notice::info(if s.embedded {
                    crate::i18n::RESET_DONE_EMBEDDED
                } else {
                    crate::i18n::RESET_DONE
                }));
            }
            Action::Notify(notice) => s.notice = notice,
            Action::ShareLink(link) => s.share_link = link,
            Action::PoliciesChanged => {
                let now = data::policy_set().ok().map(SetRef);
                if let (Some(old), Some(new)) = (s.set, now)
                    && old != new
                {
                    s.draft = Rc::new(Draft::from_stored(
                        &new.0.catalogue,
                        &s.draft.to_stored(&old.0.catalogue),
                    ));
                    s.focus = None;
                }
                s.set = now;
            }
        }
        Rc::new(s)
    }
}

impl AppState {
    /// The first state: defaults, then (page mode) saved inputs, then a share link.
    pub fn init(
        set: &PolicySet,
        lang: Lang,
        as_of: Option<&str>,
        application_period: Option<&str>,
        embedded: bool,
    ) -> AppState {
        let cat = &set.catalogue;
        let mut s = AppState {
            draft: Rc::new(Draft::defaults(cat)),
            embedded,
            set: data::policy_set()
                .ok()
                .filter(|s| std::ptr::eq(*s, set))
                .map(SetRef),
            ..AppState::init_empty(lang)
        };
        if let Some(d) = as_of.filter(|d| butie::date::parse_date(d).is_some()) {
            s.as_of = d.to_string();
        }
        if let Some(p) = application_period {
            s.application_period = p.to_string();
        }
        if embedded {
            return s;
        }
        match storage::load() {
            Ok(Some(stored)) => {
                s.draft = Rc::new(Draft::from_stored(cat, &stored.draft));
                s.lang = stored.lang.unwrap_or(lang);
                s.compare_all = stored.compare_all;
                s.full_yuan = stored.full_yuan;
                if let Some(d) = stored
                    .as_of
                    .filter(|d| butie::date::parse_date(d).is_some())
                {
                    s.as_of = d;
                }
                s.application_period = stored.application_period.unwrap_or_default();
            }
            Ok(None) => {}
            Err(e) => {
                gloo::console::warn!(format!("butie: saved inputs unreadable: {e}"));
                s.notice = Some(Notice::info(crate::i18n::STORAGE_FAILED));
            }
        }
        if let Some(fragment) = location_fragment()
            && share::is_share_fragment(&fragment)
        {
            match share::decode(cat, &fragment) {
                Ok(shared) => {
                    s.draft = Rc::new(Draft::from_profile(cat, &shared.profile, s.draft.unit));
                    if let Some(d) = shared.as_of {
                        s.as_of = d;
                    }
                    if let Some(p) = shared.application_period {
                        s.application_period = p;
                    }
                    s.compare_all = shared.compare_all;
                    s.notice = Some(if shared.dropped.is_empty() {
                        Notice::info(crate::i18n::SHARE_LOADED)
                    } else {
                        let mut n = Notice::info(crate::i18n::SHARE_PARTIAL);
                        n.error = true;
                        n.details = shared.dropped;
                        n
                    });
                }
                Err(e) => s.notice = Some(Notice::error(crate::i18n::SHARE_CORRUPT, e.text())),
            }
            clear_fragment();
        }
        s
    }

    /// The inputs of `profile` (JSON), when given and readable.
    pub fn with_profile(mut self, set: &PolicySet, profile: Option<&str>) -> AppState {
        let json = profile.and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok());
        if let Some(p) = json.and_then(|j| butie::Profile::from_json(&set.catalogue, &j).ok()) {
            self.draft = Rc::new(Draft::from_profile(&set.catalogue, &p, self.draft.unit));
        }
        self
    }

    /// A state with no form (the policy data did not load; never shown), and the base of
    /// [`AppState::init`]: today's date, registered mode, nothing open.
    pub fn init_empty(lang: Lang) -> AppState {
        let today = dates::today_shanghai();
        AppState {
            draft: Rc::default(),
            lang,
            as_of: today.clone(),
            application_period: String::new(),
            today,
            compare_all: false,
            full_yuan: false,
            expanded: 0,
            notice: None,
            focus: None,
            share_link: None,
            embedded: false,
            set: None,
        }
    }

    /// What to store; `None` when everything is at its default (nothing is kept then).
    pub fn stored(&self, cat: &butie::catalogue::Catalogue, default_lang: Lang) -> Option<Stored> {
        let untouched = *self.draft == Draft::defaults(cat)
            && self.lang == default_lang
            && !self.compare_all
            && !self.full_yuan
            && self.as_of == self.today
            && self.application_period.trim().is_empty();
        (!untouched).then(|| Stored {
            lang: Some(self.lang),
            compare_all: self.compare_all,
            full_yuan: self.full_yuan,
            as_of: (self.as_of != self.today).then(|| self.as_of.clone()),
            application_period: (!self.application_period.trim().is_empty())
                .then(|| self.application_period.trim().to_string()),
            draft: self.draft.to_stored(cat),
        })
    }
}

/// The bit of a group in [`AppState::expanded`].
pub fn group_bit(group: u16) -> u64 {
    1u64.checked_shl(u32::from(group)).unwrap_or(0)
}

/// Whether a group's "more fields" are open.
pub fn group_open(expanded: u64, group: u16) -> bool {
    group >= 64 || expanded & group_bit(group) != 0
}

/// The URL fragment without `#`, if any.
fn location_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    (!fragment.is_empty()).then(|| fragment.to_string())
}

/// Removes the fragment from the address bar (the profile now lives in the form).
fn clear_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yew::Reducible;

    fn fresh() -> Rc<AppState> {
        let set = data::policy_set().unwrap();
        let mut s = AppState::init_empty(Lang::Zh);
        s.draft = Rc::new(Draft::defaults(&set.catalogue));
        Rc::new(s)
    }

    #[test]
    fn items_are_added_up_to_the_limit_and_removed() {
        let set = data::policy_set().unwrap();
        let games = set.catalogue.list_id("game_products").unwrap();
        let max = set.catalogue.lists[games as usize].max_items as usize;
        let mut s = fresh();
        for _ in 0..max + 3 {
            s = s.reduce(Action::AddItem(games));
        }
        assert_eq!(s.draft.lists[games as usize].len(), max);
        s = s.reduce(Action::RemoveItem(games, 0));
        s = s.reduce(Action::RemoveItem(games, 999));
        assert_eq!(s.draft.lists[games as usize].len(), max - 1);
    }

    #[test]
    fn reveal_opens_the_group_and_asks_for_focus() {
        let set = data::policy_set().unwrap();
        let cat = &set.catalogue;
        let fact = cat.fact_id("established_in_district_on").unwrap();
        let group = cat
            .groups
            .iter()
            .position(|g| g.id == "enterprise")
            .unwrap() as u16;
        let s = fresh();
        assert!(!group_open(s.expanded, group));
        let s = s.reduce(Action::Reveal(FieldRef::Fact(fact)));
        assert!(group_open(s.expanded, group));
        let first = s.focus.clone().unwrap().1;
        let s = s.reduce(Action::Reveal(FieldRef::Fact(fact)));
        assert_ne!(
            s.focus.clone().unwrap().1,
            first,
            "a repeated request re-runs"
        );
        let s = s.reduce(Action::ToggleMore(group));
        assert!(!group_open(s.expanded, group));
        assert!(group_open(0, 64), "groups past the bit set are always open");
    }

    #[test]
    fn only_changed_inputs_are_stored_and_reset_restores_defaults() {
        let set = data::policy_set().unwrap();
        let cat = &set.catalogue;
        let s = fresh();
        assert!(s.stored(cat, Lang::Zh).is_none(), "defaults are not stored");
        let cmmi = cat.fact_id("cmmi_level").unwrap();
        let s = s.reduce(Action::Set(FieldRef::Fact(cmmi), "3".into()));
        let stored = s.stored(cat, Lang::Zh).unwrap();
        assert!(
            stored
                .draft
                .facts
                .contains(&("cmmi_level".to_string(), "3".to_string()))
        );
        let s = s.reduce(Action::SetLang(Lang::En)).reduce(Action::Reset);
        assert_eq!(*s.draft, Draft::defaults(cat));
        assert_eq!(s.lang, Lang::En, "reset keeps the language");
        assert!(s.notice.is_some());
    }
}
