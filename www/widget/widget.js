// butie widget runtime: the <butie-calculator> element, the window.butie API and the
// iframe page's start-up. `cargo xtask dist` builds dist/butie-widget.js from it: one
// classic script, one function scope holding wasm-bindgen's no-modules glue (which defines
// `wasm_bindgen`), the wasm deflated and base64-encoded (`BUTIE_WASM`), then this file.
//
// No code from strings (no eval or Function constructor), nothing inline required on the host page: under a strict
// Content-Security-Policy the page needs only `script-src <where this file is>
// 'wasm-unsafe-eval'`. Styles go into each element's shadow root as a constructed
// stylesheet (adoptedStyleSheets), which `style-src` does not restrict; theme attributes are
// applied through the CSSOM. See docs/embedding.md.

/** Attributes handed to the app (the others are theme attributes and `pack`). */
const OPTION_ATTRIBUTES = ["lang", "districts", "as-of", "application-period", "compact", "consultant", "contact"];
/** The largest policy pack read (as in the engine, butie::pack::MAX_PACK_BYTES). */
const MAX_PACK_BYTES = 8 * 1024 * 1024;
/** Theme attributes → the custom properties they set on the element. */
const THEME_ATTRIBUTES = {
  accent: "--butie-accent",
  background: "--butie-bg",
  "text-color": "--butie-text",
  font: "--butie-font",
};
/** Colours: #rgb…#rrggbbaa, a colour name, rgb()/hsl() with plain numbers. */
const COLOUR = /^(#[0-9a-f]{3,8}|[a-z]{3,30}|(rgb|rgba|hsl|hsla)\([0-9a-z.,%\s/+-]{1,60}\))$/i;
/** A font-family list: names, quotes, commas; no functions, no declarations. */
const FONT = /^[^;:{}()<>\\]{1,200}$/;
const LOADING = "正在加载… Loading…";
/** Rules needed before the wasm (and with it the full stylesheet) is there. */
const BASE_CSS =
  ":host{all:initial;display:block}:host([hidden]){display:none}" +
  ".butie-root{all:initial;display:block}" +
  ".butie-loading,.butie-failed{display:block;padding:16px;font:15px/1.5 system-ui,sans-serif;color:#5b6673}" +
  ".butie-failed{color:#b3261e}";

// ---------------------------------------------------------------- loading the wasm

let loading = null;
let failure = null;

/** Inflates and instantiates the embedded wasm once; every caller waits for the same load. */
function load() {
  if (loading === null) {
    loading = (async () => {
      const packed =
        typeof Uint8Array.fromBase64 === "function"
          ? Uint8Array.fromBase64(BUTIE_WASM)
          : Uint8Array.from(atob(BUTIE_WASM), (c) => c.charCodeAt(0));
      // A Response with the wasm MIME type streams into the compiler while it inflates.
      const wasm = new Response(
        new Blob([packed]).stream().pipeThrough(new DecompressionStream("deflate-raw")),
        { headers: { "Content-Type": "application/wasm" } },
      );
      await wasm_bindgen({ module_or_path: wasm });
    })();
    loading.catch((error) => {
      failure = error;
    });
  }
  return loading;
}

/** Why the engine is not there, in both languages (a CSP without 'wasm-unsafe-eval', an old browser). */
function unavailableMessage(error) {
  const reason = String((error && error.message) || error || "unknown error");
  const csp = /Content.Security.Policy|unsafe-eval/i.test(reason);
  return {
    zh: csp
      ? "本网站的内容安全策略（CSP）不允许运行 WebAssembly：请在 script-src 中加入 'wasm-unsafe-eval'。"
      : `计算引擎无法载入（${reason}）。请使用较新的浏览器。`,
    en: csp
      ? "This site's Content-Security-Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to script-src."
      : `The calculator engine could not load (${reason}). Please use a recent browser.`,
  };
}

// ---------------------------------------------------------------- styles

let baseSheet = null;
let fullSheet = null;

function makeSheet(css) {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    return sheet;
  } catch {
    return css; // no constructable stylesheets: a <style> element (needs style-src to allow it)
  }
}

/** Puts `sheet` (a CSSStyleSheet, or CSS text as a fallback) into a shadow root. */
function adopt(root, sheet) {
  if (typeof sheet !== "string" && "adoptedStyleSheets" in root) {
    root.adoptedStyleSheets = [sheet];
    return;
  }
  let style = root.querySelector("style[data-butie]");
  if (!style) {
    style = document.createElement("style");
    style.setAttribute("data-butie", "");
    root.prepend(style);
  }
  style.textContent = typeof sheet === "string" ? sheet : BASE_CSS;
}

// ---------------------------------------------------------------- printing one widget

/** What the app's print button sends first (`PRINT_EVENT` in www/src/toolbar.rs). */
const PRINT_EVENT = "butie-print";
/** Marks set on the host page while a widget prints: its ancestors, and everything else. */
const PRINT_PATH = "data-butie-print-path";
const PRINT_HIDE = "data-butie-print-hide";
/** Print media only, so the screen never changes; a constructed sheet, which `style-src` allows. */
const PRINT_ONLY_CSS =
  `@media print{[${PRINT_HIDE}]{display:none!important}` +
  `[${PRINT_PATH}]{display:block!important;position:static!important;float:none!important;` +
  "transform:none!important;overflow:visible!important;width:auto!important;max-width:none!important;" +
  "height:auto!important;max-height:none!important;margin:0!important;padding:0!important;" +
  "border:0!important;box-shadow:none!important}}";
let printSheet = null;

/**
 * Prints `element` alone (the app's print button in a widget): every other part of the host
 * page is hidden for print media until `afterprint`. A widget inside another shadow root, or
 * a browser without constructed stylesheets, prints the whole page as before.
 */
function printOnly(element) {
  if (printSheet === null) printSheet = makeSheet(PRINT_ONLY_CSS);
  if (typeof printSheet === "string" || element.getRootNode() !== document) {
    window.print();
    return;
  }
  const marked = [];
  const mark = (el, name) => {
    if (el.hasAttribute(name)) return;
    el.setAttribute(name, "");
    marked.push([el, name]);
  };
  for (let node = element; node.parentElement !== null; node = node.parentElement) {
    mark(node, PRINT_PATH);
    for (const sibling of node.parentElement.children) if (sibling !== node) mark(sibling, PRINT_HIDE);
  }
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, printSheet];
  const done = () => {
    window.removeEventListener("afterprint", done);
    for (const [el, name] of marked) el.removeAttribute(name);
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== printSheet);
  };
  window.addEventListener("afterprint", done);
  window.print();
}

// ---------------------------------------------------------------- policy packs

/** Where this file was loaded from (only known while it runs for the first time). */
const SCRIPT_URL = (document.currentScript && document.currentScript.src) || document.baseURI;
/** The second module — reading and checking packs — is in this file beside the widget, loaded
 *  the first time a pack is given (the same `script-src` lets it in). */
const EXTRAS_FILE = "butie-widget-extras.js";

/** `globalThis.butieBatch()`, which the engine calls for packs: loads EXTRAS_FILE once, whose
 *  own loader then takes the name and instantiates the module. */
if (typeof globalThis.butieBatch !== "function") {
  let extras;
  const loadExtras = () =>
    (extras ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL(EXTRAS_FILE, SCRIPT_URL).href;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`${script.src} did not load (it belongs beside butie-widget.js)`));
      document.head.append(script);
    }).then(
      () => {
        if (globalThis.butieBatch === loadExtras) throw new Error(`${EXTRAS_FILE} did not define its module`);
        return globalThis.butieBatch();
      },
      (error) => {
        extras = undefined;
        throw error;
      },
    ));
  globalThis.butieBatch = loadExtras;
}

/** Pack sources asked for → their load (a Promise of the engine's answer); each is read once. */
const packLoads = new Map();

/** A pack's text and a label for messages: `#id` names an inline `<script type="application/json">`,
 *  anything else a URL on this page's own origin (fetched: the page's CSP needs `connect-src 'self'`). */
async function readPack(source) {
  if (source.startsWith("#")) {
    const el = document.getElementById(source.slice(1));
    if (!el || el.tagName !== "SCRIPT" || el.type !== "application/json") {
      throw new Error(`no <script type="application/json" id="${source.slice(1)}"> on the page`);
    }
    return [el.textContent, source];
  }
  const url = new URL(source, document.baseURI);
  if (url.origin !== location.origin) {
    throw new Error(`${url.href} is not on this site (${location.origin}): packs load from the page's own origin only`);
  }
  let response;
  try {
    response = await fetch(url, { mode: "same-origin", credentials: "same-origin" });
  } catch (error) {
    throw new Error(`${url.href} could not be fetched (${error.message}); a strict Content-Security-Policy needs connect-src 'self'`);
  }
  if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
  if (Number(response.headers.get("Content-Length") || 0) > MAX_PACK_BYTES) {
    throw new Error(`${url.href} is larger than a pack may be (${MAX_PACK_BYTES / 1e6} MB)`);
  }
  return [await response.text(), url.pathname.split("/").pop() || url.href];
}

/** Loads a pack source into the engine (for every widget and the API on the page). */
function loadPackSource(source) {
  if (!packLoads.has(source)) {
    packLoads.set(
      source,
      load()
        .then(() => readPack(source))
        .then(([text, label]) => wasm_bindgen.api_load_pack(text, label))
        .then((answer) => JSON.parse(answer))
        .catch((error) => {
          const reason = String((error && error.message) || error);
          return errorObject("invalid_pack", source, `政策包无法读取：${reason}`, `the pack cannot be read: ${reason}`);
        }),
    );
  }
  return packLoads.get(source);
}

// ---------------------------------------------------------------- the element

/** `<butie-calculator lang districts as-of application-period compact consultant contact accent background text-color font>` */
class ButieCalculator extends HTMLElement {
  static get observedAttributes() {
    return OPTION_ATTRIBUTES.concat(Object.keys(THEME_ATTRIBUTES), ["pack"]);
  }

  #shadow;
  #container;
  #handle = null;
  #waiting = false;
  #updateQueued = false;
  #resultJson = null;
  #themed = new Set();

  constructor() {
    super();
    this.#shadow = this.attachShadow({ mode: "open" });
    if (baseSheet === null) baseSheet = makeSheet(BASE_CSS);
    adopt(this.#shadow, baseSheet);
    this.#container = document.createElement("div");
    this.#container.className = "butie-root";
    this.#shadow.append(this.#container);
    this.#showText("butie-loading", LOADING);
    // The app's print button asks first: print this widget, not the page.
    this.#shadow.addEventListener(PRINT_EVENT, (event) => {
      event.preventDefault();
      printOnly(this);
    });
  }

  /** The last result (the JSON of a `butie-result` event), a fresh copy; null before the first. */
  get result() {
    return this.#resultJson === null ? null : JSON.parse(this.#resultJson);
  }

  connectedCallback() {
    this.#applyTheme();
    if (this.#handle !== null || this.#waiting) return;
    this.#waiting = true;
    // Its packs first, so the districts they bring are there when the app reads its attributes.
    load().then(() => this.#loadPacks()).then(
      () => {
        this.#waiting = false;
        if (this.isConnected && this.#handle === null) this.#mount();
      },
      (error) => {
        this.#waiting = false;
        const m = unavailableMessage(error);
        this.#showText("butie-failed", `${m.zh} ${m.en}`);
      },
    );
  }

  disconnectedCallback() {
    // Moving the element disconnects and reconnects it at once: keep the app then.
    queueMicrotask(() => {
      if (this.isConnected || this.#handle === null) return;
      const handle = this.#handle;
      this.#handle = null;
      handle.destroy();
      handle.free();
      this.#showText("butie-loading", LOADING);
    });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    if (name === "pack") {
      if (this.#handle !== null) this.#loadPacks();
      return;
    }
    if (name in THEME_ATTRIBUTES) {
      this.#applyTheme();
      return;
    }
    // Several attributes set in a row become one update, after the caller's code has run.
    if (this.#handle === null || this.#updateQueued) return;
    this.#updateQueued = true;
    queueMicrotask(() => {
      this.#updateQueued = false;
      if (this.#handle !== null) this.#handle.update(this.#options());
    });
  }

  /** The option attributes as written (null when absent); the engine reads them (butie::options). */
  #options() {
    return JSON.stringify(Object.fromEntries(OPTION_ATTRIBUTES.map((name) => [name, this.getAttribute(name)])));
  }

  /** Loads the packs the `pack` attribute names (space-separated); each outcome is a `butie-pack`
   *  event on the element, a failure also a console warning. Never rejects. */
  #loadPacks() {
    const sources = (this.getAttribute("pack") || "").split(/\s+/).filter(Boolean);
    return Promise.all(
      sources.map((source) =>
        loadPackSource(source).then((answer) => {
          if (answer.error) {
            const why = answer.fields.map((f) => `${f.path}: ${f.message.en}`).join("; ") || answer.message?.en;
            console.warn(`butie-calculator: pack="${source}" not loaded: ${why}`);
          }
          this.dispatchEvent(new CustomEvent("butie-pack", { detail: { source, ...answer }, bubbles: true, composed: true }));
        }),
      ),
    );
  }

  #mount() {
    if (fullSheet === null) fullSheet = makeSheet(wasm_bindgen.widget_css());
    adopt(this.#shadow, fullSheet);
    this.#container.replaceChildren();
    try {
      this.#handle = wasm_bindgen.mount_widget(this.#container, this.#options(), (json) =>
        this.#emit(json),
      );
    } catch (error) {
      const m = unavailableMessage(error);
      this.#showText("butie-failed", `${m.zh} ${m.en}`);
    }
  }

  /** Called by the app with each new result (JSON text): a `butie-result` event, after the render. */
  #emit(json) {
    this.#resultJson = json;
    queueMicrotask(() => {
      if (this.#resultJson !== json) return; // a newer result is on its way
      this.dispatchEvent(
        new CustomEvent("butie-result", { detail: JSON.parse(json), bubbles: true, composed: true }),
      );
    });
  }

  #applyTheme() {
    for (const [attribute, property] of Object.entries(THEME_ATTRIBUTES)) {
      const raw = this.getAttribute(attribute);
      const value = raw === null ? "" : raw.trim();
      const valid = value !== "" && (attribute === "font" ? FONT : COLOUR).test(value);
      if (valid) {
        this.style.setProperty(property, value);
        this.#themed.add(property);
      } else {
        if (value !== "") console.warn(`butie-calculator: ${attribute}="${raw}" ignored (not a ${attribute === "font" ? "font list" : "colour"})`);
        // Only what an attribute set: a property the page set itself stays.
        if (this.#themed.delete(property)) this.style.removeProperty(property);
      }
    }
  }

  #showText(className, text) {
    const p = document.createElement("p");
    p.className = className;
    p.setAttribute("role", className === "butie-failed" ? "alert" : "status");
    p.textContent = text;
    this.#container.replaceChildren(p);
  }
}

// ---------------------------------------------------------------- the JS API

/** An error object like the ones the engine returns. */
function errorObject(code, path, zh, en) {
  return { error: code, fields: path === null ? [] : [{ path, message: { zh, en } }], message: { zh, en } };
}

/** Runs `f` (which returns JSON text) once the engine is there; never throws. */
function call(f) {
  return load().then(
    () => {
      try {
        return JSON.parse(f());
      } catch (error) {
        const reason = String((error && error.message) || error);
        return errorObject("internal_error", null, `内部错误：${reason}`, `internal error: ${reason}`);
      }
    },
    (error) => {
      const m = unavailableMessage(error);
      return { error: "unavailable", fields: [], message: m };
    },
  );
}

/** JSON text of an argument; `null` when it cannot be written as JSON. */
function toJson(value, fallback) {
  if (value === undefined) return fallback;
  if (typeof value === "string") return value;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? null : text;
  } catch {
    return null;
  }
}

// The API object: window.butie (merged into an object of that name if the page has one).
const api = typeof window.butie === "object" && window.butie !== null ? window.butie : {};
Object.assign(api, {
  /** Resolves (to this API) once the engine has loaded; rejects if it cannot load. */
  ready: null,
  /**
   * Evaluates a profile (an object or JSON text) like `butie evaluate FILE --json`:
   * options `{ asOf: "YYYY-MM-DD", districts: ["putuo"], compare: true,
   * applicationPeriod: "YYYY-MM-DD..YYYY-MM-DD" }`. Resolves to the
   * result object, or to `{ error, fields: [{ path, message: { zh, en } }] }`.
   */
  evaluate(profile, options) {
    const profileJson = toJson(profile, "null");
    const optionsJson = toJson(options, "{}");
    if (profileJson === null) {
      return Promise.resolve(
        errorObject("invalid_profile", "(root)", "无法转为 JSON 的企业信息", "the profile cannot be written as JSON"),
      );
    }
    if (optionsJson === null) {
      return Promise.resolve(
        errorObject("invalid_options", "(options)", "无法转为 JSON 的选项", "the options cannot be written as JSON"),
      );
    }
    return call(() => wasm_bindgen.api_evaluate(profileJson, optionsJson));
  },
  /** The policy documents and their state on `{ asOf }` (default today), like `butie policies --json`. */
  policies(options) {
    const optionsJson = toJson(options, "{}");
    if (optionsJson === null) {
      return Promise.resolve(
        errorObject("invalid_options", "(options)", "无法转为 JSON 的选项", "the options cannot be written as JSON"),
      );
    }
    return call(() => wasm_bindgen.api_policies(optionsJson));
  },
  /**
   * Adds a policy pack (the object of a NAME.butie.json file, or its text) to every widget and
   * API call on this page. Resolves to `{ pack: { name, hash, documents, facts_added, … } }`, or
   * `{ error: "invalid_pack", fields: [{ path, message: { zh, en } }] }` with nothing changed.
   */
  loadPolicies(pack) {
    const text = toJson(pack, null);
    if (text === null) {
      return Promise.resolve(
        errorObject("invalid_pack", "(pack)", "无法转为 JSON 的政策包", "the pack cannot be written as JSON"),
      );
    }
    const label = typeof pack === "object" && pack !== null && typeof pack.name === "string" ? `${pack.name}.butie.json` : "loadPolicies";
    return load().then(
      () =>
        wasm_bindgen.api_load_pack(text, label).then(JSON.parse, (error) => {
          const reason = String((error && error.message) || error);
          return errorObject("internal_error", null, `内部错误：${reason}`, `internal error: ${reason}`);
        }),
      (error) => ({ error: "unavailable", fields: [], message: unavailableMessage(error) }),
    );
  },
  /** The JSON Schemas: `schema()` → `{ profile, result }`; `schema("profile")`, `schema("result")`. */
  schema(which) {
    if (which !== undefined && typeof which !== "string") {
      return Promise.resolve(
        errorObject("invalid_argument", "(schema)", "应为 \"profile\" 或 \"result\"", 'expected "profile" or "result"'),
      );
    }
    return call(() => wasm_bindgen.api_schema(which ?? ""));
  },
});
api.ready = load().then(() => {
  api.version = wasm_bindgen.api_version();
  return api;
});
// Handled here so a page that never asks is not told about a failed load twice.
api.ready.catch(() => {});

// ---------------------------------------------------------------- the iframe page (embed.html)

/** In embed.html: one element configured from the URL fragment; its height goes to the parent. */
function startFrame() {
  const element = document.createElement("butie-calculator");
  const apply = () => {
    const params = new URLSearchParams(location.hash.slice(1));
    for (const name of OPTION_ATTRIBUTES.concat(Object.keys(THEME_ATTRIBUTES))) {
      const value = params.get(name);
      // `compact` is a yes/no like the attribute (`compact`, `compact=1`, `compact=0`): the
      // engine reads the value, so the fragment and the element agree.
      if (name === "compact" && value !== null) {
        element.setAttribute("compact", value);
      } else if (value !== null && value !== "") {
        element.setAttribute(name, value);
      } else {
        element.removeAttribute(name);
      }
    }
    const en = (params.get("lang") || "").toLowerCase().startsWith("en");
    document.documentElement.lang = en ? "en" : "zh-CN";
    document.title = en ? "butie subsidy calculator" : "butie 补贴计算器";
    return params;
  };
  let params = apply();
  // The iframe page fetches nothing, so it takes no policy packs: say so rather than ignore it.
  if (params.has("pack")) {
    console.warn("butie embed.html: #pack= ignored: the iframe page takes no policy packs; use the widget (<butie-calculator pack=…>)");
  }
  window.addEventListener("hashchange", () => {
    params = apply();
  });
  document.body.append(element);
  if (window.parent === window) return;
  let last = -1;
  const report = () => {
    const height = Math.ceil(element.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "butie:height", height }, "*");
  };
  new ResizeObserver(report).observe(element);
  // Results go to the parent only when the fragment asks: `events=1` (whichever page embeds the
  // frame) or `events=<origin>` (only a parent of that origin; the browser drops the rest).
  element.addEventListener("butie-result", (event) => {
    const target = eventsTarget(params.get("events"));
    if (target) window.parent.postMessage({ type: "butie:result", detail: event.detail }, target);
  });
}

/** The postMessage target for the `events` option: "*", an origin, or null (off or invalid). */
function eventsTarget(value) {
  if (value === "1") return "*";
  if (!value) return null;
  try {
    const origin = new URL(value).origin;
    return origin !== "null" && origin === value.replace(/\/$/, "") ? origin : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- start

window.butie = api;
customElements.define("butie-calculator", ButieCalculator);
load();
if (document.documentElement.hasAttribute("data-butie-frame")) {
  if (document.body) startFrame();
  else document.addEventListener("DOMContentLoaded", startFrame, { once: true });
}
