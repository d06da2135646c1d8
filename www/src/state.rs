//! The application state (a Yew `Reducible`) and the actions that change it. The reducer owns
//! everything the page shows — inputs, view, open panels, notices, the share preview, the
//! client profiles — and never touches the browser: effects live at the edge (`app.rs`).

use std::rc::Rc;

use butie::catalogue::Catalogue;
use butie::{Lang, PolicySet, Text};
use yew::Reducible;

use crate::draft::{Draft, FieldRef, MoneyUnit};
use crate::i18n::{self, Tr};
use crate::storage::{Client, Stored};
use crate::{data, dates};

/// What the page shows below the masthead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// One enterprise: the form and the results.
    Calculator,
    /// A client list (CSV or JSONL).
    Batch,
    /// The snippet generator for consultants' sites.
    Embed,
    /// Policy packs: load, list, remove.
    Packs,
}

/// Something a notice offers to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// Put back the inputs as they were before (reset, import, a loaded share link).
    Undo,
}

/// A message shown above the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: Text,
    /// Details (field paths and reasons), shown as a list.
    pub details: Vec<String>,
    pub offer: Option<Offer>,
}

impl Notice {
    /// An informational notice.
    pub fn info(t: Tr) -> Notice {
        Notice {
            error: false,
            text: Text::new(t.0, t.1),
            details: Vec::new(),
            offer: None,
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
            offer: None,
        }
    }

    /// A notice listing what could not be read (an error notice when anything was dropped).
    pub fn partial(done: Tr, partly: Tr, dropped: Vec<String>) -> Notice {
        if dropped.is_empty() {
            return Notice::info(done);
        }
        Notice {
            error: true,
            details: dropped,
            ..Notice::info(partly)
        }
    }

    /// The same notice offering something.
    pub fn offering(self, offer: Offer) -> Notice {
        Notice {
            offer: Some(offer),
            ..self
        }
    }
}

/// What is evaluated: the form and the evaluation settings (one client's inputs).
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    pub draft: Rc<Draft>,
    /// The as-of date as typed.
    pub as_of: String,
    /// The application period (申报期) as typed; empty: not given.
    pub application_period: String,
    pub compare_all: bool,
}

impl Inputs {
    /// Nothing entered, as of `today`.
    pub fn blank(today: &str) -> Inputs {
        let draft = data::policy_set()
            .map(|set| Draft::blank(&set.catalogue))
            .unwrap_or_default();
        Inputs {
            draft: Rc::new(draft),
            as_of: today.to_string(),
            application_period: String::new(),
            compare_all: false,
        }
    }

    /// Whether nothing has been entered (the date may be today's or not given).
    pub fn is_blank(&self, today: &str) -> bool {
        self.draft.is_blank()
            && (self.as_of == today || self.as_of.trim().is_empty())
            && self.application_period.trim().is_empty()
            && !self.compare_all
    }

    /// The same inputs for the catalogue `new` (a policy pack added or removed): carried over
    /// by id; values of facts `new` does not have are kept for later.
    fn rebase(&mut self, old: &Catalogue, new: &Catalogue) {
        self.draft = Rc::new(Draft::from_stored(new, &self.draft.to_stored(old)));
    }
}

/// A share link opened while the user has inputs of their own: shown, never applied unasked.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub inputs: Inputs,
    /// Fields of the link that could not be read.
    pub dropped: Vec<String>,
}

/// The share link made, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum Share {
    Link(String),
    /// The page is a local file (file://): its address opens nowhere else.
    LocalFile,
}

/// The client profiles kept in this browser, and which one the form is editing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Clients {
    pub list: Vec<Client>,
    /// The profile the form edits (its inputs follow every change); `None`: unsaved inputs.
    pub active: Option<usize>,
}

impl Clients {
    /// A name not yet taken: `name`, else `name (2)`, `name (3)`…
    pub fn free_name(&self, name: &str) -> String {
        let taken = |n: &str| self.list.iter().any(|c| c.name == n);
        if !taken(name) {
            return name.to_string();
        }
        (2..)
            .map(|i| format!("{name} ({i})"))
            .find(|n| !taken(n))
            .unwrap_or_default()
    }
}

/// Everything the app remembers.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub inputs: Inputs,
    pub lang: Lang,
    /// Today in Shanghai (the default as-of date).
    pub today: String,
    /// Amounts in full yuan instead of 万元.
    pub full_yuan: bool,
    pub view: View,
    /// The batch view was opened: it stays (hidden) so its list outlives a visit elsewhere.
    pub batch_opened: bool,
    /// The first results are on screen: clause details may now be rendered.
    pub settled: bool,
    /// The fields that no clause of the chosen district reads are shown.
    pub others_open: bool,
    pub notice: Option<Notice>,
    /// The DOM id of a control to focus after the next render, with a counter so a repeat
    /// request re-runs.
    pub focus: Option<(String, u32)>,
    pub share: Option<Share>,
    pub preview: Option<Rc<Preview>>,
    /// The inputs before the last reset, import or loaded link.
    pub undo: Option<Rc<Inputs>>,
    pub clients: Rc<Clients>,
    /// The user changed something since the page loaded: only then is anything stored.
    pub dirty: bool,
    /// Embedded in a host page (nothing is stored).
    pub embedded: bool,
    /// The districts the host allows (`None`: all).
    pub allowed: Option<Vec<String>>,
    /// The policy set the inputs are shaped for (policy packs change the set in use).
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
    /// Answer that a list has none (or take the answer back).
    SetNone(u16, bool),
    SetUnit(MoneyUnit),
    SetLang(Lang),
    SetAsOf(String),
    SetApplicationPeriod(String),
    SetCompareAll(bool),
    SetFullYuan(bool),
    Show(View),
    /// The first results have been painted.
    Settled,
    ToggleOthers,
    /// Show a field (open the section it is in) and focus it.
    Reveal(FieldRef),
    /// Show a list not answered (open the section it is in) and focus its "none" answer.
    RevealList(u16),
    /// Focus one of the settings' controls, by DOM id.
    FocusSetting(&'static str),
    /// Focus an element by DOM id (the results after the skip link).
    Focus(&'static str),
    /// Replace the inputs (an imported file), keeping the old ones for undo.
    Load(Box<Inputs>, Notice),
    Reset,
    Undo,
    Notify(Option<Notice>),
    Share(Option<Share>),
    /// A share link opened while the user has inputs: preview it.
    Preview(Option<Rc<Preview>>),
    /// Replace the inputs with the previewed ones (undo keeps mine).
    PreviewLoad,
    /// A client of a batch list, in the calculator: loaded when nothing is entered, else
    /// previewed (as a share link).
    Open(Rc<Preview>),
    /// Keep the previewed inputs as another client profile; the form stays as it is.
    PreviewSaveAs,
    /// Keep the current inputs as a new client profile with this name, and edit it.
    SaveClient(String),
    /// Edit another client profile (the current inputs stay in theirs, or become one).
    SwitchClient(usize),
    RenameClient(String),
    DeleteClient,
    /// Client profiles read from a file, added to the list.
    AddClients(Vec<Client>, Notice),
    /// The policy set in use changed (a pack added or removed): every kept input (the form,
    /// undo, a preview, the client profiles) is carried over by id; values of facts no
    /// longer there are kept for later.
    PoliciesChanged,
}

/// The bit of a focus request (a new number each time, so a repeat request re-runs).
fn next_focus(s: &AppState, id: String) -> Option<(String, u32)> {
    let n = s.focus.as_ref().map_or(0, |(_, n)| n.wrapping_add(1));
    Some((id, n))
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let cat = data::policy_set().ok().map(|set| &set.catalogue);
        // Whether the action is the user changing their inputs (then stored, and the active
        // client profile follows).
        let mut edit = true;
        match action {
            Action::Set(at, raw) => Rc::make_mut(&mut s.inputs.draft).set(at, raw),
            Action::SetName(name) => Rc::make_mut(&mut s.inputs.draft).name = name,
            Action::AddItem(list) => {
                if let Some(cat) = cat {
                    Rc::make_mut(&mut s.inputs.draft).add_item(cat, list);
                }
            }
            Action::RemoveItem(list, index) => {
                Rc::make_mut(&mut s.inputs.draft).remove_item(list, index);
            }
            Action::SetNone(list, on) => Rc::make_mut(&mut s.inputs.draft).set_none(list, on),
            Action::SetUnit(unit) => {
                if let Some(cat) = cat {
                    Rc::make_mut(&mut s.inputs.draft).set_unit(cat, unit);
                }
            }
            Action::SetLang(lang) => s.lang = lang,
            Action::SetAsOf(d) => s.inputs.as_of = d,
            Action::SetApplicationPeriod(p) => s.inputs.application_period = p,
            Action::SetCompareAll(on) => s.inputs.compare_all = on,
            Action::SetFullYuan(on) => s.full_yuan = on,
            other => {
                edit = false;
                s.apply(other);
            }
        }
        if edit {
            s.dirty = true;
            s.sync_client();
        }
        Rc::new(s)
    }
}

impl AppState {
    /// The actions that are not edits of the inputs.
    fn apply(&mut self, action: Action) {
        let s = self;
        match action {
            Action::Show(view) => {
                s.batch_opened |= view == View::Batch;
                s.view = view;
            }
            Action::Open(p) => {
                s.view = View::Calculator;
                s.preview = Some(p);
                if s.inputs.is_blank(&s.today) {
                    s.apply(Action::PreviewLoad);
                }
            }
            Action::Settled => s.settled = true,
            Action::ToggleOthers => s.others_open = !s.others_open,
            Action::Reveal(at) => {
                // A field the district's clauses do not read is among the other fields.
                if let (Ok(set), FieldRef::Fact(f)) = (data::policy_set(), at) {
                    s.others_open |=
                        !s.asked(set).reads_fact(f) && crate::asked::district_fact(set) != Some(f);
                }
                s.focus = next_focus(s, at.dom_id());
            }
            Action::RevealList(l) => {
                // A list the district's clauses do not read is among the other fields.
                if let Ok(set) = data::policy_set() {
                    s.others_open |= !s.asked(set).reads_list(l);
                }
                s.focus = next_focus(s, crate::form::list::none_dom_id(l));
            }
            Action::FocusSetting(id) => s.focus = next_focus(s, id.to_string()),
            Action::Focus(id) => s.focus = next_focus(s, id.to_string()),
            Action::Load(inputs, notice) => {
                s.replace_inputs(*inputs);
                s.notice = Some(notice.offering(Offer::Undo));
            }
            Action::Reset => {
                s.replace_inputs(Inputs::blank(&s.today));
                s.others_open = false;
                s.notice = Some(
                    Notice::info(if s.embedded {
                        i18n::RESET_DONE_EMBEDDED
                    } else {
                        i18n::RESET_DONE
                    })
                    .offering(Offer::Undo),
                );
            }
            Action::Undo => {
                if let Some(before) = s.undo.take() {
                    s.inputs = (*before).clone();
                    s.dirty = true;
                    s.sync_client();
                    s.notice = Some(Notice::info(i18n::UNDONE));
                }
            }
            Action::Notify(notice) => s.notice = notice,
            Action::Share(share) => s.share = share,
            Action::Preview(preview) => s.preview = preview,
            Action::PreviewLoad => {
                if let Some(p) = s.preview.take() {
                    s.replace_inputs(p.inputs.clone());
                    s.notice = Some(
                        Notice::partial(
                            i18n::PROFILE_LOADED,
                            i18n::SHARE_PARTIAL,
                            p.dropped.clone(),
                        )
                        .offering(Offer::Undo),
                    );
                }
            }
            Action::PreviewSaveAs => {
                if let Some(p) = s.preview.take() {
                    let i =
                        s.add_client(&p.inputs.draft.name, i18n::SHARED_PROFILE, p.inputs.clone());
                    let name = s.clients.list[i].name.clone();
                    s.notice = Some(Notice {
                        text: i18n::saved_as_client(&name),
                        ..Notice::info(i18n::PROFILE_LOADED)
                    });
                }
            }
            Action::SaveClient(name) => {
                let i = s.add_client(&name, i18n::UNNAMED_CLIENT, s.inputs.clone());
                Rc::make_mut(&mut s.clients).active = Some(i);
            }
            Action::SwitchClient(i) => {
                if s.clients.active == Some(i) || i >= s.clients.list.len() {
                    return;
                }
                // Inputs that belong to no profile become one rather than be lost.
                if s.clients.active.is_none() && !s.inputs.is_blank(&s.today) {
                    let name = s.inputs.draft.name.clone();
                    s.add_client(&name, i18n::UNNAMED_CLIENT, s.inputs.clone());
                }
                let clients = Rc::make_mut(&mut s.clients);
                clients.active = Some(i);
                s.inputs = clients.list[i].inputs.clone();
                s.undo = None;
                s.share = None;
                s.dirty = true;
                s.notice = None;
            }
            Action::RenameClient(name) => {
                let name = name.trim().to_string();
                if let Some(i) = s.clients.active
                    && !name.is_empty()
                {
                    let taken = s
                        .clients
                        .list
                        .iter()
                        .enumerate()
                        .any(|(j, c)| j != i && c.name == name);
                    if !taken {
                        Rc::make_mut(&mut s.clients).list[i].name = name;
                        s.dirty = true;
                    }
                }
            }
            Action::DeleteClient => {
                if let Some(i) = s.clients.active {
                    let clients = Rc::make_mut(&mut s.clients);
                    clients.list.remove(i);
                    clients.active = None;
                    // The form keeps the inputs (now unsaved), so nothing is lost unasked.
                    s.dirty = true;
                }
            }
            Action::AddClients(list, notice) => {
                let clients = Rc::make_mut(&mut s.clients);
                for mut c in list {
                    c.name = clients.free_name(&c.name);
                    clients.list.push(c);
                }
                s.dirty = true;
                s.notice = Some(notice);
            }
            Action::PoliciesChanged => {
                let now = data::policy_set().ok().map(SetRef);
                if let (Some(old), Some(new)) = (s.set, now)
                    && old != new
                {
                    let (old, new) = (&old.0.catalogue, &new.0.catalogue);
                    s.inputs.rebase(old, new);
                    if let Some(undo) = &mut s.undo {
                        Rc::make_mut(undo).rebase(old, new);
                    }
                    if let Some(preview) = &mut s.preview {
                        Rc::make_mut(preview).inputs.rebase(old, new);
                    }
                    if !s.clients.list.is_empty() {
                        for c in &mut Rc::make_mut(&mut s.clients).list {
                            c.inputs.rebase(old, new);
                        }
                    }
                    s.focus = None;
                }
                s.set = now;
            }
            // Edits are handled by `reduce`.
            _ => {}
        }
    }

    /// Adds a client profile named `name` (else `fallback`), made unique; returns its index.
    fn add_client(&mut self, name: &str, fallback: Tr, inputs: Inputs) -> usize {
        let name = match name.trim() {
            "" => fallback.get(self.lang),
            n => n,
        };
        let clients = Rc::make_mut(&mut self.clients);
        let name = clients.free_name(name);
        clients.list.push(Client { name, inputs });
        self.dirty = true;
        clients.list.len() - 1
    }

    /// Replaces the inputs, keeping the old ones for undo.
    fn replace_inputs(&mut self, inputs: Inputs) {
        let before = std::mem::replace(&mut self.inputs, inputs);
        self.undo = Some(Rc::new(before));
        self.share = None;
        self.dirty = true;
        self.sync_client();
    }

    /// The active client profile follows the inputs.
    fn sync_client(&mut self) {
        if let Some(i) = self.clients.active
            && self.clients.list.get(i).map(|c| &c.inputs) != Some(&self.inputs)
        {
            Rc::make_mut(&mut self.clients).list[i].inputs = self.inputs.clone();
        }
    }

    /// What the form asks first for the inputs as they are (the ranked part of the form).
    fn asked(&self, set: &PolicySet) -> crate::asked::Asked {
        let i = &self.inputs;
        let as_of = self.as_of_date().0;
        crate::asked::asked(set, &i.draft, as_of, i.compare_all, self.allowed.as_deref())
    }

    /// The evaluation date: the one typed, else today (and why the typed one cannot be used).
    pub fn as_of_date(&self) -> (butie::date::Date, Option<butie::date::AsOfError>) {
        match dates::parse_typed_as_of(&self.inputs.as_of) {
            Ok(d) => (d, None),
            Err(e) => (
                butie::date::parse_date(&self.today).unwrap_or(butie::date::Date::MIN),
                Some(e),
            ),
        }
    }

    /// The first state: nothing entered (page mode then restores what this browser kept).
    pub fn init(
        lang: Lang,
        as_of: Option<&str>,
        application_period: Option<&str>,
        embedded: bool,
        allowed: Option<Vec<String>>,
    ) -> AppState {
        let today = dates::today_shanghai();
        let mut inputs = Inputs::blank(&today);
        if let Some(d) = as_of.filter(|d| butie::date::parse_date(d).is_some()) {
            inputs.as_of = d.to_string();
        }
        if let Some(p) = application_period {
            inputs.application_period = p.to_string();
        }
        AppState {
            inputs,
            lang,
            today,
            full_yuan: false,
            view: View::Calculator,
            batch_opened: false,
            settled: false,
            others_open: false,
            notice: None,
            focus: None,
            share: None,
            preview: None,
            undo: None,
            clients: Rc::default(),
            dirty: false,
            embedded,
            allowed,
            set: data::policy_set().ok().map(SetRef),
        }
    }

    /// The inputs of `profile` (JSON), when given and readable (the authoring page's preview).
    pub fn with_profile(&mut self, set: &PolicySet, profile: Option<&str>) {
        let json = profile.and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok());
        if let Some(p) = json.and_then(|j| butie::Profile::from_json(&set.catalogue, &j).ok()) {
            self.inputs.draft = Rc::new(Draft::from_profile(&set.catalogue, &p, MoneyUnit::Wan));
        }
    }

    /// Takes over what this browser kept (page mode): the inputs, the preferences and the
    /// client profiles; `notice` says what could not be read.
    pub fn restore(&mut self, stored: Option<Stored>, clients: Clients, notice: Option<Notice>) {
        if let Some(stored) = stored {
            self.lang = stored.lang.unwrap_or(self.lang);
            self.full_yuan = stored.full_yuan;
            self.inputs = stored.inputs;
            if self.inputs.as_of.trim().is_empty() {
                self.inputs.as_of = self.today.clone();
            }
        }
        self.clients = Rc::new(clients);
        self.notice = notice;
    }

    /// What to store; `None` when nothing is worth keeping (nothing entered, every
    /// preference at its default).
    pub fn stored(&self, default_lang: Lang) -> Option<Stored> {
        let untouched =
            self.inputs.is_blank(&self.today) && self.lang == default_lang && !self.full_yuan;
        (!untouched).then(|| Stored {
            lang: Some(self.lang),
            full_yuan: self.full_yuan,
            inputs: self.inputs.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yew::Reducible;

    fn fresh() -> Rc<AppState> {
        let mut s = AppState::init(Lang::Zh, None, None, false, None);
        s.today = "2026-10-15".into();
        s.inputs.as_of = s.today.clone();
        Rc::new(s)
    }

    fn cmmi() -> FieldRef {
        let set = data::policy_set().unwrap();
        FieldRef::Fact(set.catalogue.fact_id("cmmi_level").unwrap())
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
        assert_eq!(s.inputs.draft.lists[games as usize].len(), max);
        s = s.reduce(Action::RemoveItem(games, 0));
        s = s.reduce(Action::RemoveItem(games, 999));
        assert_eq!(s.inputs.draft.lists[games as usize].len(), max - 1);
    }

    #[test]
    fn a_fresh_form_presumes_nothing_and_stores_nothing() {
        let s = fresh();
        assert!(s.inputs.draft.is_blank());
        assert!(
            s.inputs.draft.facts.iter().all(String::is_empty),
            "no answer given for the user"
        );
        assert!(s.stored(Lang::Zh).is_none());
        assert!(!s.dirty, "nothing to store before the user does something");
        let s = s.reduce(Action::Set(cmmi(), "3".into()));
        assert!(s.dirty);
        let stored = s.stored(Lang::Zh).unwrap();
        assert_eq!(stored.inputs.draft.raw(cmmi()), "3");
    }

    #[test]
    fn reset_can_be_undone() {
        let s = fresh().reduce(Action::Set(cmmi(), "3".into()));
        let s = s.reduce(Action::SetLang(Lang::En)).reduce(Action::Reset);
        assert!(s.inputs.draft.is_blank());
        assert_eq!(s.lang, Lang::En, "reset keeps the language");
        assert_eq!(s.notice.as_ref().and_then(|n| n.offer), Some(Offer::Undo));
        let s = s.reduce(Action::Undo);
        assert_eq!(s.inputs.draft.raw(cmmi()), "3");
        assert!(s.undo.is_none());
    }

    #[test]
    fn a_previewed_link_replaces_nothing_until_asked() {
        let mine = fresh().reduce(Action::Set(cmmi(), "3".into()));
        let mut theirs = Inputs::blank("2026-10-15");
        Rc::make_mut(&mut theirs.draft).set(cmmi(), "5".into());
        Rc::make_mut(&mut theirs.draft).name = "乙公司".into();
        let preview = Rc::new(Preview {
            inputs: theirs,
            dropped: Vec::new(),
        });
        let s = mine.reduce(Action::Preview(Some(preview.clone())));
        assert_eq!(s.inputs.draft.raw(cmmi()), "3", "shown, not applied");
        // Saved as another profile: mine stay in the form.
        let saved = s.clone().reduce(Action::PreviewSaveAs);
        assert_eq!(saved.inputs.draft.raw(cmmi()), "3");
        assert_eq!(saved.clients.list.len(), 1);
        assert_eq!(saved.clients.list[0].name, "乙公司");
        assert_eq!(saved.clients.list[0].inputs.draft.raw(cmmi()), "5");
        assert!(saved.preview.is_none());
        // Loaded: theirs in the form, mine one undo away.
        let loaded = s.reduce(Action::PreviewLoad);
        assert_eq!(loaded.inputs.draft.raw(cmmi()), "5");
        let back = loaded.reduce(Action::Undo);
        assert_eq!(back.inputs.draft.raw(cmmi()), "3");
    }

    #[test]
    fn a_batch_client_opens_in_the_calculator_as_a_link_would() {
        let mut theirs = Inputs::blank("2026-10-15");
        Rc::make_mut(&mut theirs.draft).set(cmmi(), "5".into());
        let open = || {
            Action::Open(Rc::new(Preview {
                inputs: theirs.clone(),
                dropped: Vec::new(),
            }))
        };
        let batch = fresh().reduce(Action::Show(View::Batch));
        assert!(batch.batch_opened);
        // Nothing entered: loaded at once (one undo away), in the calculator.
        let s = batch.clone().reduce(open());
        assert_eq!(s.view, View::Calculator);
        assert_eq!(s.inputs.draft.raw(cmmi()), "5");
        assert!(s.preview.is_none() && s.undo.is_some());
        assert!(s.batch_opened, "the batch view stays");
        // With inputs of one's own: a preview, nothing replaced.
        let mine = batch.reduce(Action::Set(cmmi(), "3".into()));
        let s = mine.reduce(open());
        assert_eq!(s.view, View::Calculator);
        assert_eq!(s.inputs.draft.raw(cmmi()), "3");
        assert!(s.preview.is_some());
    }

    #[test]
    fn client_profiles_switch_without_losing_inputs() {
        let s = fresh().reduce(Action::Set(cmmi(), "3".into()));
        let s = s.reduce(Action::SaveClient("甲公司".into()));
        assert_eq!(s.clients.active, Some(0));
        // Edits follow the active profile.
        let s = s.reduce(Action::Set(cmmi(), "4".into()));
        assert_eq!(s.clients.list[0].inputs.draft.raw(cmmi()), "4");
        // A second profile, then back to the first.
        let s = s
            .reduce(Action::SaveClient("甲公司".into()))
            .reduce(Action::Set(cmmi(), "5".into()));
        assert_eq!(s.clients.list[1].name, "甲公司 (2)", "names stay unique");
        let s = s.reduce(Action::SwitchClient(0));
        assert_eq!(s.inputs.draft.raw(cmmi()), "4");
        let s = s.reduce(Action::RenameClient("甲科技".into()));
        assert_eq!(s.clients.list[0].name, "甲科技");
        // Deleting the profile keeps its inputs in the form, unsaved.
        let s = s.reduce(Action::DeleteClient);
        assert_eq!(s.clients.list.len(), 1);
        assert_eq!(s.clients.active, None);
        assert_eq!(s.inputs.draft.raw(cmmi()), "4");
        // Switching away from unsaved inputs keeps them as a profile.
        let s = s.reduce(Action::SwitchClient(0));
        assert_eq!(s.clients.list.len(), 2);
        assert_eq!(s.inputs.draft.raw(cmmi()), "5");
    }

    #[test]
    fn a_changed_policy_set_carries_every_kept_input_over() {
        let builtin = data::policy_set().unwrap();
        let mut s = (*fresh().reduce(Action::Set(cmmi(), "3".into()))).clone();
        // The value of a pack's fact whose pack is not loaded: kept by the draft.
        let pack_fact = ("incubator_resident".to_string(), "true".to_string());
        Rc::make_mut(&mut s.inputs.draft)
            .kept
            .facts
            .push(pack_fact.clone());
        let s = Rc::new(s).reduce(Action::SaveClient("甲".into()));
        // A pack added: a new set is in use.
        data::replace(Some(PolicySet::from_bytes(data::builtin_bundle()).unwrap()));
        let now = data::policy_set().unwrap();
        assert!(!std::ptr::eq(now, builtin));
        let s = s.reduce(Action::PoliciesChanged);
        assert_eq!(s.set, Some(SetRef(now)));
        assert_eq!(s.inputs.draft.raw(cmmi()), "3");
        assert_eq!(s.inputs.draft.kept.facts, std::slice::from_ref(&pack_fact));
        assert_eq!(s.clients.list[0].inputs, s.inputs, "profiles follow");
        // Removed again: back to the built-in set, nothing lost.
        data::replace(None);
        let s = s.reduce(Action::PoliciesChanged);
        assert_eq!(s.set, Some(SetRef(builtin)));
        assert_eq!(s.inputs.draft.kept.facts, [pack_fact]);
    }

    #[test]
    fn reveal_opens_the_other_fields_and_asks_for_focus() {
        let set = data::policy_set().unwrap();
        let cat = &set.catalogue;
        let district = FieldRef::Fact(cat.fact_id("registered_district").unwrap());
        let fact = cat.fact_id("established_in_district_on").unwrap();
        let s = fresh().reduce(Action::Set(district, "putuo".into()));
        // 普陀 reads the set-up date: it is asked among the district's fields.
        let s = s.reduce(Action::Reveal(FieldRef::Fact(fact)));
        assert!(!s.others_open);
        // 嘉定 does not: it is among the other fields, which open.
        let s = s.reduce(Action::Set(district, "jiading".into()));
        let s = s.reduce(Action::Reveal(FieldRef::Fact(fact)));
        assert!(s.others_open);
        let first = s.focus.clone().unwrap().1;
        let s = s.reduce(Action::Reveal(FieldRef::Fact(fact)));
        assert_ne!(
            s.focus.clone().unwrap().1,
            first,
            "a repeated request re-runs"
        );
    }
}
