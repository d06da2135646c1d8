// Shared helpers and the runner of the browser tests (run.mjs registers the tests of the
// calculator page, embedding.mjs those of the widget, the iframe, the batch and the embed
// panel). See run.mjs for how to run them.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { chromium } from "playwright-core";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..", "..");
export const DIST = path.resolve(process.env.BUTIE_DIST ?? path.join(ROOT, "dist"));
export const ARTIFACTS = path.join(HERE, "artifacts");
export const CHROMIUM = process.env.BUTIE_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const TEST_TIMEOUT_MS = 90_000;
export const TITLE = "butie 补贴计算器";

// ---------------------------------------------------------------- test registry

/** @type {{ name: string, fn: () => Promise<void> }[]} */
export const tests = [];

/**
 * Registers a test; tests run one after another in registration order. Options:
 * `{ cli: true }` when it calls `cli()` (the CLI is then built before the tests run).
 */
export function test(name, fn, options = {}) {
  tests.push({ name, fn, ...options });
}

// ---------------------------------------------------------------- helpers

/** file:// URL of a file in dist/. */
export function distFileUrl(name) {
  return pathToFileURL(path.join(DIST, name)).href;
}

/**
 * Launches Chromium with a fresh temporary profile, opens one page and runs
 * `fn({ page, context, problems })`. Console errors/warnings and uncaught page
 * errors are collected in `problems` and fail the test unless `allowProblems`.
 * Requests to anything but file:, data:, blob: and `allowOrigins` are aborted
 * and fail the test: the app must work offline.
 */
/** The default fixed clock of every test page (see `withPage`'s `now`). */
export const DEFAULT_NOW = "2026-10-15T10:00:00+08:00";

export async function withPage(options, fn) {
  const {
    viewport = { width: 1280, height: 800 },
    allowOrigins = [],
    allowProblems = false,
    allowedProblems = [],
    // Only to inject the accessibility checker into pages whose own CSP forbids any script.
    bypassCSP = false,
    colorScheme = "light",
    // The page's clock ("today" in Shanghai): fixed, so results do not depend on the day the
    // tests run. Putuo's document (2025-01-01 – 2026-12-31) is in force and not yet ending soon.
    now = DEFAULT_NOW,
  } = options;
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), "butie-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    bypassCSP,
    colorScheme,
    timeout: 60_000,
    serviceWorkers: "block",
  });
  try {
    context.setDefaultTimeout(15_000);
    // Shift the page's clock to `now` (time still flows; timers and performance untouched).
    await context.addInitScript((start) => {
      const RealDate = Date;
      const shift = start - RealDate.now();
      class ShiftedDate extends RealDate {
        constructor(...args) {
          if (args.length === 0) super(RealDate.now() + shift);
          else super(...args);
        }
        static now() {
          return RealDate.now() + shift;
        }
      }
      globalThis.Date = ShiftedDate;
    }, new Date(now).getTime());
    const problems = [];
    const blocked = [];
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      const local = ["file:", "data:", "blob:"].includes(url.protocol);
      if (local || allowOrigins.includes(url.origin)) return route.continue();
      blocked.push(url.href);
      return route.abort("blockedbyclient");
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") {
        problems.push(`console.${message.type()}: ${message.text()}`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await fn({ page, context, problems });
    assert.deepEqual(blocked, [], "the page tried to reach the network");
    const unexpected = problems.filter((p) => !allowedProblems.some((re) => re.test(p)));
    if (!allowProblems) assert.deepEqual(unexpected, [], "the page logged errors or warnings");
  } finally {
    await context.close().catch(() => {});
    await fs.rm(profile, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * Serves dist/ on 127.0.0.1 (ephemeral port) like `cargo xtask serve`: `/` is
 * the self-contained butie.html, other paths are plain files in dist/ (where
 * `cargo xtask dist` also copies examples/). Options: `headers` maps a file
 * name to extra response headers (a Content-Security-Policy, say); `pages` maps
 * a file name to in-memory content served instead of a file.
 * Returns `{ origin, close }`.
 */
export async function serveDist({ headers = {}, pages = {} } = {}) {
  const types = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".css": "text/css; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
  };
  const server = http.createServer(async (request, response) => {
    const { pathname } = new URL(request.url, "http://127.0.0.1");
    const name = pathname === "/" ? "butie.html" : pathname.slice(1);
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = name in pages ? pages[name] : await fs.readFile(path.join(DIST, name));
      const type = types[path.extname(name)] ?? "application/octet-stream";
      response
        .writeHead(200, { "Content-Type": type, "Cache-Control": "no-cache", ...(headers[name] ?? {}) })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The strict policy of the example host pages, also sent as a header by the tests. */
export const STRICT_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "frame-src 'self'; base-uri 'none'; form-action 'none'";

/**
 * Runs the butie CLI (`cargo run -q -p butie-cli -- ...args`) in the repository and
 * returns its standard output: the reference the browser's results are compared with.
 * `prepareCli()` builds it once before the tests, outside their time limits.
 */
export async function cli(args) {
  try {
    const { stdout } = await promisify(execFile)(
      process.env.CARGO ?? "cargo",
      ["run", "-q", "-p", "butie-cli", "--", ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
    );
    return stdout;
  } catch (error) {
    // Exit code 3: a batch that wrote every row, some of them rejected (docs/cli.md).
    if (error.code === 3) return error.stdout;
    throw error;
  }
}

/** Builds the CLI (debug) so that `cli()` calls do not compile within a test. */
export async function prepareCli() {
  await promisify(execFile)(process.env.CARGO ?? "cargo", ["build", "-q", "-p", "butie-cli"], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** gzip -9 length of a buffer. */
export function gzipLength(buffer) {
  return zlib.gzipSync(buffer, { level: 9 }).length;
}

/**
 * Opens `url` in `page` (waiting for the load event) while recording every
 * request. Returns `{ all, sinceLoad }`: functions giving the URLs of all
 * requests so far, and of those that started after the load event. Both
 * times come from the browser's clock, so the answer does not depend on the
 * order in which Playwright reports events; a request with no known start
 * time counts as after the load.
 */
export async function gotoRecording(page, url) {
  const requests = [];
  page.on("request", (request) => requests.push(request));
  await page.goto(url, { waitUntil: "load" });
  const loadAt = await page.evaluate(
    () => performance.timeOrigin + performance.getEntriesByType("navigation")[0].loadEventStart,
  );
  return {
    all: () => requests.map((request) => request.url()),
    sinceLoad: () =>
      requests
        .filter((request) => {
          const start = request.timing().startTime;
          return !(start > 0 && start <= loadAt);
        })
        .map((request) => request.url()),
  };
}

/** Polls `check` (async, truthy when done) until it holds or `ms` pass; fails with `what`. */
export async function until(check, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `locator`'s trimmed text equals `expected`. */
export async function expectText(locator, expected, what = String(expected)) {
  let seen;
  await until(async () => {
    seen = (await locator.first().textContent())?.trim();
    return seen === expected;
  }, `${what}: expected "${expected}", saw "${seen}"`);
}

/** Checks the calculator rendered: its heading, results and version. */
export async function expectApp(page) {
  await page.getByRole("heading", { level: 1 }).filter({ hasText: TITLE }).waitFor();
  assert.equal(await page.locator("h1").count(), 1, "exactly one heading");
  await page.getByTestId("available-now").waitFor();
  const version = await page.getByTestId("version").textContent();
  assert.match(version ?? "", /\d+\.\d+\.\d+/, "version is shown");
}

/** The app's form controls (in `#app`) that have no accessible name: label, aria-label or text. */
export async function unlabelledControls(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("#app input, #app select, #app button, #app textarea")]
      .filter((el) => {
        const labels = [...(el.labels ?? [])].map((l) => l.textContent.trim()).join(" ");
        return !(labels || el.getAttribute("aria-label") || (el.tagName === "BUTTON" ? el.textContent.trim() : ""));
      })
      .map((el) => el.outerHTML.slice(0, 160)),
  );
}

export const AS_OF = "2026-11-21";

const AXE_SOURCE = path.join(HERE, "node_modules", "axe-core", "axe.min.js");

/**
 * WCAG 2.x A/AA violations axe-core finds in the page (or in the elements `include` names,
 * shadow roots included), as "rule (impact): target" lines; the page needs `bypassCSP`.
 */
export async function accessibilityViolations(page, include = null) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ path: AXE_SOURCE });
  }
  return page.evaluate(async (include) => {
    const result = await window.axe.run(include ? { include } : document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      resultTypes: ["violations"],
    });
    return result.violations.flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.flat().join(" ")} — ${(n.failureSummary ?? "").split("\n")[1]?.trim() ?? v.help}`),
    );
  }, include);
}

/**
 * Opens everything that opens (clauses, full clause lists, the clauses not met, the form's
 * further fields) in `root` (a page or a locator), round by round as opened parts reveal more,
 * so their contents are checked too.
 */
export async function openEverything(root) {
  for (let round = 0; round < 5; round++) {
    let opened = 0;
    for (const toggle of await root.locator("button[aria-expanded='false']").all()) {
      if (!(await toggle.isVisible())) continue;
      await toggle.click();
      opened += 1;
    }
    if (opened === 0) break;
  }
  await root.locator(".clause-body").first().waitFor();
}

/** Today in Shanghai (UTC+8) on the pages' fixed clock (`DEFAULT_NOW`), as the app computes its default as-of date. */
export function todayInShanghai() {
  return new Date(new Date(DEFAULT_NOW).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Answers the applicant conditions a district's clauses all need, as its form asks them
 * (nothing is presumed: a blank form leaves them unknown): an enterprise operating normally,
 * registered, taxed and operating in the district, with a good credit record and no violations.
 * Fills only the questions the form shows.
 */
export async function answerApplicant(page) {
  for (const [label, value] of [
    ["主体类型", "enterprise"],
    ["税务登记（依法纳税）也在注册区", "true"],
    ["实际经营地也在注册区", "true"],
    ["经营状态正常", "true"],
    ["信用记录良好", "true"],
    ["严重违法或严重失信行为", "none"],
    ["其他违法行为（重大违法、严重失信以外，如一般行政处罚）", "none"],
  ]) {
    const field = page.getByTestId("asked").getByLabel(label, { exact: true });
    if ((await field.count()) > 0) await field.selectOption(value);
  }
}

/**
 * Fills the realistic profile through the form, as a person would, from the top: registered in
 * 普陀, then the fields 普陀 asks for (no collapsed section opened): the applicant conditions,
 * CMMI 3, an ICP licence, one licensed game operating with revenue, one R&D project with 200万元
 * actually invested; as of 2026-11-21.
 */
export async function fillRealistic(page) {
  await page.getByTestId("as-of").fill(AS_OF);
  await page.getByLabel("工商注册区", { exact: true }).selectOption("putuo");
  await answerApplicant(page);
  const asked = page.getByTestId("asked");
  await asked.getByLabel("CMM/CMMI 等级", { exact: true }).selectOption("3");
  await asked.getByLabel("ICP 许可证", { exact: true }).selectOption("true");
  await page.getByTestId("add-game_products").click();
  const game = page.getByTestId("game_products-0");
  await game.getByLabel("已获得游戏版号", { exact: true }).selectOption("true");
  await game.getByLabel("已上线实际运营并取得营业收入", { exact: true }).selectOption("true");
  await page.getByTestId("add-projects").click();
  const project = page.getByTestId("projects-0");
  await project.getByLabel(/^项目类型/).selectOption("rd_project");
  await project.getByLabel("实际已投入金额").fill("200");
  // Support already received for it (三（三） deducts it; unanswered would be unknown): none.
  await project.getByLabel(/^同一项目已获其他区级政策扶持/).fill("0");
  await project.getByLabel(/^同一项目已获上海市其他政策支持/).fill("0");
}

/** Opens the toolbar's file menu (print, share, export, import, start over) in `root`. */
export async function openFileMenu(root) {
  const menu = root.getByTestId("file-menu");
  if (!(await menu.evaluate((d) => d.open))) await menu.locator("summary").click();
}

/** A clause's row in a district card. */
export function clause(page, district, id) {
  return page.getByTestId(`district-${district}`).getByTestId(`clause-${id}`);
}

/** Asserts the realistic profile's Putuo figures (hand-checked against 003_*.txt). */
export async function expectPutuoFigures(page) {
  // 三（三）: 50% × 200万 = 100万, within the 300万 ceiling; 经认定 → subject to review.
  await expectText(clause(page, "putuo", "putuo.3.3").getByTestId("amount"), "最高 100万元", "三（三）");
  await expectText(clause(page, "putuo", "putuo.3.3").getByTestId("status"), "需审核认定", "三（三） status");
  // 三（四）: CMMI 3 and ICP qualify; one award per enterprise, up to 20万.
  await expectText(clause(page, "putuo", "putuo.3.4.qualifications").getByTestId("amount"), "最高 20万元", "三（四）资质");
  // 三（四）: the licensed game operating with revenue, up to 100万 per game.
  await expectText(clause(page, "putuo", "putuo.3.4.games").getByTestId("amount"), "最高 100万元", "三（四）游戏");
  const card = page.getByTestId("district-putuo");
  // As of 2026-11-21 the document has 40 days left: in force, ending soon, said on the card.
  await expectText(card.getByTestId("policy-state"), "即将失效", "Putuo state badge");
  assert.equal(await card.getAttribute("data-state"), "in_force");
  assert.match(await card.getByTestId("lifecycle").textContent(), /^距失效还有 40 天：有效期至 2026-12-31/);
  await expectText(card.getByTestId("up-to"), "最高 220万元", "Putuo up-to total");
  await expectText(card.getByTestId("definite"), "确定 0元", "Putuo definite total");
  // The total is the sum of every counted clause: these three and nothing else.
  const counted = await card.locator('[data-counted="true"]').evaluateAll((rows) =>
    rows.map((row) => [row.dataset.clause, Number(row.dataset.amountYuan)]),
  );
  const total = Number(await card.getByTestId("totals").getAttribute("data-up-to-yuan"));
  assert.equal(total, counted.reduce((sum, [, yuan]) => sum + yuan, 0), `total = sum of ${JSON.stringify(counted)}`);
  assert.deepEqual(
    counted.map(([id]) => id).sort(),
    ["putuo.3.3", "putuo.3.4.games", "putuo.3.4.qualifications"],
    "the counted clauses",
  );
  assert.equal(total, 2_200_000);
  await expectText(page.getByTestId("available-up-to"), "最高 220万元", "available now");
}

/** Values of the realistic profile's fields, read back from the form. */
export async function readRealistic(page) {
  return {
    asOf: await page.getByTestId("as-of").inputValue(),
    district: await page.getByLabel("工商注册区", { exact: true }).inputValue(),
    cmmi: await page.getByLabel("CMM/CMMI 等级", { exact: true }).inputValue(),
    icp: await page.getByLabel("ICP 许可证", { exact: true }).inputValue(),
    invested: await page.getByTestId("projects-0").getByLabel("实际已投入金额").inputValue(),
  };
}

export const REALISTIC_VALUES = {
  asOf: AS_OF,
  district: "putuo",
  cmmi: "3",
  icp: "true",
  invested: "200",
};

// ---------------------------------------------------------------- runner

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function main() {
  const filter = process.argv[2];
  for (const [what, file] of [
    ["Chromium", CHROMIUM],
    ["dist/butie.html (run `cargo xtask dist`)", path.join(DIST, "butie.html")],
    ["dist/index.html (run `cargo xtask dist`)", path.join(DIST, "index.html")],
  ]) {
    if (!existsSync(file)) {
      console.error(`browser tests: ${what} not found at ${file}`);
      return 1;
    }
  }
  const selected = tests.filter((t) => !filter || t.name.includes(filter));
  console.log(`browser tests: ${selected.length} of ${tests.length} with ${CHROMIUM}`);
  if (selected.some((t) => t.cli)) {
    console.log("  (building the CLI for the reference outputs: cargo build -p butie-cli)");
    await prepareCli();
  }
  const failures = [];
  for (const { name, fn, timeout } of selected) {
    const started = Date.now();
    try {
      await withTimeout(fn(), timeout ?? TEST_TIMEOUT_MS, name);
      console.log(`  ok    ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failures.push(name);
      console.log(`  FAIL  ${name} (${Date.now() - started} ms)`);
      console.log(`        ${String(error?.stack ?? error).replaceAll("\n", "\n        ")}`);
    }
  }
  const passed = selected.length - failures.length;
  console.log("");
  for (const name of failures) console.log(`failed: ${name}`);
  console.log(`screenshots: ${ARTIFACTS}`);
  console.log(`browser: ${passed} passed, ${failures.length} failed`);
  return failures.length === 0 && selected.length > 0 ? 0 : 1;
}

