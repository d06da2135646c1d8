//! The authoring page (`dist/butie-studio.html`, feature `studio`): write a policy pack from a
//! document's text, offline. Paste the source text; edit the policy file (and the pack's
//! manifest, catalogue additions and test cases) in editors with line numbers; every change is
//! compiled against the built-in data by the same code as `butie check`
//! (`butie::pack::build::check`): problems at file, line and column, every quote looked up in the
//! source text (highlighted there when found), every case run, and a live preview — the
//! calculator itself, with the pack added. Export writes `NAME.butie.json`.
//!
//! The work is kept in this browser (localStorage) so a reload loses nothing. Its words are
//! here rather than in `i18n.rs`: the calculator pages do not carry them.

use std::cell::Cell;
use std::rc::Rc;

use butie::Lang;
use butie::pack::build::{Base, Checked, PackSources, check};
use butie::pack::{Pack, SourceFile};
use gloo::storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::app::{App, STYLE};
use crate::i18n::Tr;
use crate::{data, dates, export};

const STUDIO_CSS: &str = include_str!("../studio/studio.css");
/// Where the work is kept.
const KEY: &str = "butie-studio:v1";
/// Quiet time after an edit before the pack is compiled again, ms.
const DEBOUNCE_MS: i32 = 250;

const TITLE: Tr = Tr("butie 政策包编写器", "butie policy pack studio");
const INTRO: Tr = Tr(
    "把政策原文贴到“原文”，在“政策文件”中逐条写出条款（格式见 docs/policy-format.md），在“测试用例”中写出按原文手算的结果。每次修改后立即检查：问题标出行和列，引文在原文中标出，用例逐一运行，下方预览加上此政策后的计算器。全部通过后即可导出政策包。一切都在本机进行。",
    "Paste the policy's text under “Source text”, write its clauses in “Policy file” (format: docs/policy-format.md) and the results computed by hand from the text in “Cases”. Every change is checked at once: problems at their line and column, quotes marked in the text, every case run, and below, the calculator with this policy added. When everything passes, export the pack. Everything stays on this device.",
);
const TAB_SOURCE: Tr = Tr("原文", "Source text");
const TAB_POLICY: Tr = Tr("政策文件", "Policy file");
const TAB_FACTS: Tr = Tr("新增字段", "Added facts");
const TAB_CASES: Tr = Tr("测试用例", "Cases");
const TAB_MANIFEST: Tr = Tr("政策包信息", "Pack details");
const CHECKS: Tr = Tr("检查", "Checks");
const PROBLEMS: Tr = Tr("问题", "Problems");
const NO_PROBLEMS: Tr = Tr(
    "没有问题：引文全部在原文中，用例全部通过。",
    "No problems: every quote is in the text, every case passes.",
);
const QUOTES: Tr = Tr("引文", "Quotes");
const CASES: Tr = Tr("用例", "Cases");
const QUOTES_MARKED: Tr = Tr(
    "原文（已找到的引文已标出）",
    "The text, with the quotes found marked",
);
const NOT_FOUND: Tr = Tr("未在原文中找到的引文", "Quotes not found in the text");
const PREVIEW: Tr = Tr(
    "预览（加上此政策包的计算器）",
    "Preview (the calculator with this pack)",
);
const PREVIEW_PROFILE: Tr = Tr("预览所用企业信息：", "Preview with the profile of:");
const PREVIEW_EMPTY: Tr = Tr("空白表单", "an empty form");
const PREVIEW_NONE: Tr = Tr(
    "政策文件通过编译后显示预览。",
    "The preview shows once the policy file compiles.",
);
const EXPORT: Tr = Tr("导出政策包", "Export the pack");
const EXPORT_BLOCKED: Tr = Tr(
    "全部检查通过后才能导出。",
    "Export once every check passes.",
);
const OPEN: Tr = Tr("打开政策包…", "Open a pack…");
const OPEN_FAILED: Tr = Tr("无法打开：", "Cannot open:");
const SWITCH_LANG: Tr = Tr("English", "中文");

/// The files being written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Work {
    manifest: String,
    facts: String,
    policy: String,
    source: String,
    cases: String,
}

impl Default for Work {
    fn default() -> Self {
        Work {
            manifest: "# 政策包信息 / the pack: a name (lowercase, digits, -) and who made it\nname = \"my-pack\"\nauthor = \"\"\ndescription = \"\"\n".into(),
            facts: String::new(),
            policy: "# One policy document: see docs/policy-format.md and docs/authoring.md\n[policy]\nid = \"\"\ndistrict = \"\"\n".into(),
            source: String::new(),
            cases: String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Source,
    Policy,
    Facts,
    Cases,
    Manifest,
}

impl Tab {
    /// The file a tab edits, as problems name it.
    fn file(self, w: &Work) -> String {
        match self {
            Tab::Source => source_name(w),
            Tab::Policy => policy_name(w),
            Tab::Facts => "facts.toml".into(),
            Tab::Cases => "cases.yaml".into(),
            Tab::Manifest => "pack.toml".into(),
        }
    }

    fn text(self, w: &Work) -> &str {
        match self {
            Tab::Source => &w.source,
            Tab::Policy => &w.policy,
            Tab::Facts => &w.facts,
            Tab::Cases => &w.cases,
            Tab::Manifest => &w.manifest,
        }
    }

    fn set(self, w: &mut Work, text: String) {
        *match self {
            Tab::Source => &mut w.source,
            Tab::Policy => &mut w.policy,
            Tab::Facts => &mut w.facts,
            Tab::Cases => &mut w.cases,
            Tab::Manifest => &mut w.manifest,
        } = text;
    }
}

const TABS: [(Tab, Tr, &str); 5] = [
    (Tab::Source, TAB_SOURCE, "studio-tab-source"),
    (Tab::Policy, TAB_POLICY, "studio-tab-policy"),
    (Tab::Facts, TAB_FACTS, "studio-tab-facts"),
    (Tab::Cases, TAB_CASES, "studio-tab-cases"),
    (Tab::Manifest, TAB_MANIFEST, "studio-tab-manifest"),
];

/// A value of the policy file's `[policy]` table, `key = "value"` on a line of its own (read
/// leniently: the file may not parse yet).
fn policy_value(w: &Work, key: &str) -> Option<String> {
    w.policy.lines().find_map(|line| {
        let rest = line
            .trim()
            .strip_prefix(key)?
            .trim_start()
            .strip_prefix('=')?;
        let v = rest.trim().strip_prefix('"')?.split('"').next()?.trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// The source text's file name: what the policy file says it is.
fn source_name(w: &Work) -> String {
    policy_value(w, "source_file").unwrap_or_else(|| "source.txt".into())
}

/// The policy file's name: its document id.
fn policy_name(w: &Work) -> String {
    policy_value(w, "id").map_or_else(|| "policy.toml".into(), |id| format!("{id}.toml"))
}

/// The work as a pack's sources.
fn sources(w: &Work) -> PackSources {
    let file = |file: String, text: &str| SourceFile {
        file,
        text: text.to_string(),
    };
    let some = |name: &str, text: &str| (!text.trim().is_empty()).then(|| file(name.into(), text));
    PackSources {
        manifest: Some(file("pack.toml".into(), &w.manifest)),
        catalogue: some("facts.toml", &w.facts),
        documents: vec![file(policy_name(w), &w.policy)],
        sources: vec![file(source_name(w), &w.source)],
        cases: some("cases.yaml", &w.cases).into_iter().collect(),
    }
}

/// The work from a pack's source form (its first document and source text).
fn work_of(p: &Pack) -> Work {
    let s = PackSources::from_pack(p);
    let first = |v: &[SourceFile]| v.first().map(|f| f.text.clone()).unwrap_or_default();
    Work {
        manifest: s.manifest.map(|f| f.text).unwrap_or_default(),
        facts: s.catalogue.map(|f| f.text).unwrap_or_default(),
        policy: first(&s.documents),
        source: first(&s.sources),
        cases: first(&s.cases),
    }
}

fn saved() -> Work {
    LocalStorage::get::<Work>(KEY).unwrap_or_default()
}

/// The character offset (UTF-16 units, as a textarea counts) of a line and column.
fn offset(text: &str, line: usize, column: usize) -> u32 {
    let mut units = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line {
            let col: u32 = l
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| c.len_utf16() as u32)
                .sum();
            return units + col;
        }
        units += l.encode_utf16().count() as u32 + 1;
    }
    units
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    text: String,
    /// Lines with a problem.
    marked: Vec<usize>,
    oninput: Callback<String>,
    node: NodeRef,
    testid: &'static str,
    label: &'static str,
}

/// A text area with line numbers beside it (lines with a problem marked).
#[function_component(Editor)]
fn editor(p: &EditorProps) -> Html {
    let gutter = use_node_ref();
    let lines = p.text.split('\n').count().max(1);
    let oninput = {
        let cb = p.oninput.clone();
        Callback::from(move |e: InputEvent| {
            let t: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit(t.value());
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let t: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(g) = gutter.cast::<web_sys::Element>() {
                g.set_scroll_top(t.scroll_top());
            }
        })
    };
    html! {
        <div class="editor">
            <div class="gutter" ref={gutter} aria-hidden="true">
                { for (1..=lines).map(|n| html! {
                    <div class={classes!(p.marked.contains(&n).then_some("marked"))}>{ n }</div>
                }) }
            </div>
            <textarea ref={p.node.clone()} spellcheck="false" wrap="off" value={p.text.clone()}
                aria-label={p.label} {oninput} {onscroll} data-testid={p.testid} />
        </div>
    }
}

/// The source text with the quotes found in it marked (a scrollable region, reachable by key).
fn highlighted(text: &str, c: &Checked, label: &'static str) -> Html {
    let mut found: Vec<(std::ops::Range<usize>, &str)> = c
        .quotes
        .iter()
        .filter_map(|(_, q)| Some((q.found.clone()?, q.quote.path.as_str())))
        .collect();
    found.sort_by_key(|(r, _)| r.start);
    let mut parts = Vec::new();
    let mut at = 0;
    for (r, path) in found {
        if r.start < at || r.end > text.len() {
            continue; // overlapping quotes: the first one is marked
        }
        parts.push(html! { { &text[at..r.start] } });
        parts.push(
            html! { <mark class="found" title={path.to_string()}>{ &text[r.clone()] }</mark> },
        );
        at = r.end;
    }
    parts.push(html! { { &text[at..] } });
    html! {
        <pre class="source-view" tabindex="0" role="region" aria-label={label}
            data-testid="studio-source-view">{ for parts }</pre>
    }
}

/// Runs `f` after `ms` of quiet (a newer call cancels it through `generation`).
fn later(ms: i32, generation: Rc<Cell<u32>>, f: impl FnOnce() + 'static) {
    let mine = generation.get().wrapping_add(1);
    generation.set(mine);
    let task = wasm_bindgen::closure::Closure::once_into_js(move || {
        if generation.get() == mine {
            f();
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), ms);
    }
}

/// The authoring page.
#[function_component(Studio)]
pub fn studio() -> Html {
    let lang = use_state(|| Lang::Zh);
    let l = *lang;
    let work = use_state(saved);
    // The work that was last checked (after the quiet time).
    let checked_work = use_state(|| (*work).clone());
    let tab = use_state(|| Tab::Source);
    let preview_case = use_state(|| Some(0usize));
    let opened = use_state(|| None::<String>);
    let generation = use_memo((), |()| Cell::new(0u32));
    let area = use_node_ref();
    let base = use_memo((), |()| Base::embedded().map_err(|e| e.to_string()));
    let today = dates::today_shanghai();
    let checked = use_memo(((*checked_work).clone(), today), {
        let base = base.clone();
        move |(w, today)| match &*base {
            Ok(base) => check(base, &sources(w), today),
            Err(_) => Checked::default(),
        }
    });
    // The preview's data: the built-in data with this pack, replaced (before the preview
    // renders) whenever the pack changes.
    let applied = use_mut_ref(|| None::<String>);
    if let (Some(set), Some(p)) = (&checked.set, &checked.pack)
        && applied.borrow().as_deref() != Some(p.hash.as_str())
    {
        data::replace(Some(set.clone()));
        *applied.borrow_mut() = Some(p.hash.clone());
    }
    let on_edit = |which: Tab| {
        let (work, checked_work, generation) =
            (work.clone(), checked_work.clone(), generation.clone());
        Callback::from(move |text: String| {
            let mut w = (*work).clone();
            which.set(&mut w, text);
            work.set(w.clone());
            let checked_work = checked_work.clone();
            later(DEBOUNCE_MS, generation.clone(), move || {
                if let Err(e) = LocalStorage::set(KEY, &w) {
                    gloo::console::warn!(format!("butie studio: could not keep the work: {e}"));
                }
                checked_work.set(w);
            });
        })
    };
    let goto = {
        let (tab, work, area) = (tab.clone(), work.clone(), area.clone());
        move |file: String, line: usize, column: usize| {
            let (tab, work, area) = (tab.clone(), work.clone(), area.clone());
            Callback::from(move |_| {
                let Some(t) = TABS
                    .iter()
                    .map(|(t, _, _)| *t)
                    .find(|t| t.file(&work) == file)
                else {
                    return;
                };
                tab.set(t);
                let text = t.text(&work).to_string();
                let area = area.clone();
                crate::app::after_paint(move || {
                    if let Some(a) = area.cast::<web_sys::HtmlTextAreaElement>() {
                        let at = offset(&text, line, column);
                        let _ = a.focus();
                        let _ = a.set_selection_range(at, at);
                    }
                });
            })
        }
    };
    let export = {
        let (checked, opened) = (checked.clone(), opened.clone());
        Callback::from(move |_| {
            if let Some(p) = checked.pack.as_ref().filter(|_| checked.passed()) {
                let name = format!("{}{}", p.name, butie::pack::PACK_EXTENSION);
                if let Err(e) =
                    export::download(&name, "application/json", p.to_json_text().as_bytes())
                {
                    opened.set(Some(export::js_error(&e)));
                }
            }
        })
    };
    let open = {
        let (work, checked_work, opened) = (work.clone(), checked_work.clone(), opened.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (work, checked_work, opened) = (work.clone(), checked_work.clone(), opened.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                let text = text.ok().and_then(|t| t.as_string()).unwrap_or_default();
                match Pack::read(&file.name(), &text) {
                    Ok(p) => {
                        let w = work_of(&p);
                        work.set(w.clone());
                        checked_work.set(w);
                        opened.set(None);
                    }
                    Err(errs) => opened.set(Some(
                        errs.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; "),
                    )),
                }
            });
        })
    };

    let w = &*work;
    let current = *tab;
    let file = current.file(w);
    let marked: Vec<usize> = checked
        .problems
        .iter()
        .filter(|p| p.file == file)
        .filter_map(|p| p.at.map(|a| a.line))
        .collect();
    let quotes_ok = checked
        .quotes
        .iter()
        .filter(|(_, q)| q.problem.is_none())
        .count();
    let cases_ok = checked
        .cases
        .iter()
        .filter(|c| c.failures.is_empty())
        .count();
    let case_names: Vec<(String, String, Option<String>)> =
        butie::cases::parse_yaml(&checked_work.cases)
            .map(|cases| {
                cases
                    .into_iter()
                    .map(|c| (c.name, c.profile.to_string(), Some(c.as_of)))
                    .collect()
            })
            .unwrap_or_default();
    let preview = preview_case.and_then(|i| case_names.get(i).cloned());
    let preview_key = format!(
        "{}-{}",
        checked.pack.as_ref().map_or("", |p| p.hash.as_str()),
        preview_case.map_or(usize::MAX, |i| i)
    );
    let on_preview = {
        let preview_case = preview_case.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            preview_case.set(s.value().parse().ok());
        })
    };
    let switch = {
        let lang = lang.clone();
        Callback::from(move |_| lang.set(crate::i18n::other(*lang)))
    };
    html! {
        <div class="butie studio" lang={crate::i18n::html_lang(l)}>
            <style>{ STYLE }{ STUDIO_CSS }</style>
            <header class="masthead">
                <div class="brand">
                    <h1>{ TITLE.get(l) }</h1>
                    <p class="tagline">{ INTRO.get(l) }</p>
                </div>
                <div class="toolbar">
                    <button type="button" onclick={switch} data-testid="lang">{ SWITCH_LANG.get(l) }</button>
                    <input type="file" id="studio-open" class="visually-hidden" accept=".json,application/json"
                        onchange={open} data-testid="studio-open" />
                    <label for="studio-open" class="button">{ OPEN.get(l) }</label>
                    <button type="button" class="primary" onclick={export} disabled={!checked.passed()}
                        data-testid="studio-export">{ EXPORT.get(l) }</button>
                </div>
            </header>
            if let Some(why) = &*opened {
                <p class="notice error" role="alert">{ OPEN_FAILED.get(l) }{ why }</p>
            }
            <main class="studio-main">
                <div class="studio-edit">
                    <nav class="views" aria-label={TAB_POLICY.get(l)}>
                        { for TABS.iter().map(|(t, label, id)| {
                            let tab = tab.clone();
                            let t = *t;
                            html! {
                                <button type="button" class="view-tab" aria-pressed={(current == t).to_string()}
                                    onclick={Callback::from(move |_| tab.set(t))} data-testid={*id}>{ label.get(l) }</button>
                            }
                        }) }
                    </nav>
                    <p class="help" data-testid="studio-file">{ &file }</p>
                    <Editor text={current.text(w).to_string()} marked={marked} oninput={on_edit(current)}
                        node={area.clone()} testid={match current {
                            Tab::Source => "studio-source",
                            Tab::Policy => "studio-policy",
                            Tab::Facts => "studio-facts",
                            Tab::Cases => "studio-cases",
                            Tab::Manifest => "studio-manifest",
                        }} label={TABS.iter().find(|(t, _, _)| *t == current).map_or("", |(_, tr, _)| tr.get(l))} />
                    if current == Tab::Source {
                        { highlighted(&checked_work.source, &checked, QUOTES_MARKED.get(l)) }
                    }
                </div>
                <aside class="studio-checks" aria-live="polite">
                    <h2>{ CHECKS.get(l) }</h2>
                    <p class="counts" data-testid="studio-counts">
                        { format!("{} {} · {} {quotes_ok}/{} · {} {cases_ok}/{}", PROBLEMS.get(l), checked.problems.len(),
                            QUOTES.get(l), checked.quotes.len(), CASES.get(l), checked.cases.len()) }
                    </p>
                    if checked.problems.is_empty() && checked.pack.is_some() {
                        <p class="notice" data-testid="studio-ok">{ NO_PROBLEMS.get(l) }</p>
                    } else {
                        <ul class="problems" data-testid="studio-problems">
                            { for checked.problems.iter().map(|p| {
                                let (line, column) = p.at.map_or((1, 1), |a| (a.line, a.column));
                                html! {
                                    <li><button type="button" class="link" onclick={goto(p.file.clone(), line, column)}>
                                        { p.to_string() }
                                    </button></li>
                                }
                            }) }
                        </ul>
                    }
                    if checked.quotes.iter().any(|(_, q)| q.problem.is_some()) {
                        <h3>{ NOT_FOUND.get(l) }</h3>
                        <ul data-testid="studio-quotes-missing">
                            { for checked.quotes.iter().filter(|(_, q)| q.problem.is_some()).map(|(_, q)| html! {
                                <li class="missing">{ format!("{}: {}", q.quote.path, q.quote.text) }</li>
                            }) }
                        </ul>
                    }
                    <ul class="cases" data-testid="studio-case-results">
                        { for checked.cases.iter().map(|c| html! {
                            <li class={if c.failures.is_empty() { "pass" } else { "fail" }}>
                                { if c.failures.is_empty() { "✓ " } else { "✗ " } }{ &c.name }
                            </li>
                        }) }
                    </ul>
                    if !checked.passed() {
                        <p class="help">{ EXPORT_BLOCKED.get(l) }</p>
                    }
                </aside>
            </main>
            <section class="studio-preview" aria-label={PREVIEW.get(l)} data-testid="studio-preview">
                <h2>{ PREVIEW.get(l) }</h2>
                <label>{ PREVIEW_PROFILE.get(l) }
                    <select onchange={on_preview} data-testid="studio-preview-case">
                        <option value="" selected={preview_case.is_none()}>{ PREVIEW_EMPTY.get(l) }</option>
                        { for case_names.iter().enumerate().map(|(i, (name, _, _))| html! {
                            <option value={i.to_string()} selected={*preview_case == Some(i)}>{ name }</option>
                        }) }
                    </select>
                </label>
                if checked.set.is_some() {
                    <App key={preview_key} lang={l} embedded=true
                        as_of={preview.as_ref().and_then(|(_, _, d)| d.clone())}
                        initial_profile={preview.map(|(_, p, _)| Rc::<str>::from(p))} />
                } else {
                    <p class="help">{ PREVIEW_NONE.get(l) }</p>
                }
            </section>
        </div>
    }
}

/// Mounts the studio into `#app` (the studio's start hook).
pub fn mount(root: web_sys::Element) {
    yew::Renderer::<Studio>::with_root(root).render();
}
