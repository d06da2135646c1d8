// Browser tests for the butie web front end: headless Chromium via playwright-core.
//
// Run through `cargo xtask test` (which builds dist/ first), or directly:
//   node tests/browser/run.mjs [name-filter]
// Environment:
//   BUTIE_CHROMIUM  Chromium binary (default /usr/bin/chromium); no browser is ever downloaded
//   BUTIE_DIST      directory with the built pages (default <repo>/dist)
//
// To add a test: call `test("name", async () => { ... })` below; use `withPage`
// for a fresh browser, `serveDist` for an http server on 127.0.0.1, `distFileUrl`
// for file:// URLs and `assert` from node:assert/strict. Screenshots go to
// tests/browser/artifacts/ (gitignored).

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..");
const DIST = path.resolve(process.env.BUTIE_DIST ?? path.join(ROOT, "dist"));
const ARTIFACTS = path.join(HERE, "artifacts");
const CHROMIUM = process.env.BUTIE_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const TEST_TIMEOUT_MS = 90_000;
const TITLE = "butie 补贴计算器";

// ---------------------------------------------------------------- test registry

/** @type {{ name: string, fn: () => Promise<void> }[]} */
const tests = [];

/** Registers a test; tests run one after another in registration order. */
function test(name, fn) {
  tests.push({ name, fn });
}

// ---------------------------------------------------------------- helpers

/** file:// URL of a file in dist/. */
function distFileUrl(name) {
  return pathToFileURL(path.join(DIST, name)).href;
}

/**
 * Launches Chromium with a fresh temporary profile, opens one page and runs
 * `fn({ page, context, problems })`. Console errors/warnings and uncaught page
 * errors are collected in `problems` and fail the test unless `allowProblems`.
 * Requests to anything but file:, data:, blob: and `allowOrigins` are aborted
 * and fail the test: the app must work offline.
 */
async function withPage(options, fn) {
  const { viewport = { width: 1280, height: 800 }, allowOrigins = [], allowProblems = false } =
    options;
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), "butie-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    timeout: 60_000,
    serviceWorkers: "block",
  });
  try {
    context.setDefaultTimeout(15_000);
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
    if (!allowProblems) assert.deepEqual(problems, [], "the page logged errors or warnings");
  } finally {
    await context.close().catch(() => {});
    await fs.rm(profile, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * Serves dist/ on 127.0.0.1 (ephemeral port) like `cargo xtask serve`: `/` is
 * the self-contained butie.html, other paths are plain files in dist/.
 * Returns `{ origin, close }`.
 */
async function serveDist() {
  const types = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
  };
  const server = http.createServer(async (request, response) => {
    const { pathname } = new URL(request.url, "http://127.0.0.1");
    const name = pathname === "/" ? "butie.html" : pathname.slice(1);
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await fs.readFile(path.join(DIST, name));
      const type = types[path.extname(name)] ?? "application/octet-stream";
      response.writeHead(200, { "Content-Type": type, "Cache-Control": "no-cache" }).end(body);
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

/**
 * Opens `url` in `page` (waiting for the load event) while recording every
 * request. Returns `{ all, sinceLoad }`: functions giving the URLs of all
 * requests so far, and of those that started after the load event. Both
 * times come from the browser's clock, so the answer does not depend on the
 * order in which Playwright reports events; a request with no known start
 * time counts as after the load.
 */
async function gotoRecording(page, url) {
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

/** Checks the placeholder app rendered, then types 21 and expects 42. */
async function expectDoubler(page) {
  await page.getByRole("heading", { level: 1 }).filter({ hasText: TITLE }).waitFor();
  assert.equal(await page.locator("h1").count(), 1, "exactly one heading");
  const version = await page.getByTestId("version").textContent();
  assert.match(version ?? "", /\d+\.\d+\.\d+/, "version is shown");
  await page.getByTestId("number").fill("21");
  await page.getByTestId("doubled").filter({ hasText: /^42$/ }).waitFor();
}

// ---------------------------------------------------------------- tests

test("single file works from file:// with the network blocked", async () => {
  await withPage({}, async ({ page }) => {
    const requests = await gotoRecording(page, distFileUrl("butie.html"));
    await expectDoubler(page);
    assert.deepEqual(requests.all(), [distFileUrl("butie.html")], "only the page itself is loaded");
  });
});

test("multi-file page over http makes no requests after load", async () => {
  const server = await serveDist();
  try {
    await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
      const requests = await gotoRecording(page, `${server.origin}/index.html`);
      await expectDoubler(page);
      await page.waitForTimeout(1_000);
      assert.deepEqual(requests.sinceLoad(), [], "no requests after the load event");
      assert.deepEqual(
        requests.all().sort(),
        ["/butie.js", "/butie_bg.wasm", "/index.html"].map((p) => server.origin + p),
        "loads exactly the page, the glue and the wasm",
      );
    });
  } finally {
    await server.close();
  }
});

test("hosted single file (/) makes no requests besides the page", async () => {
  const server = await serveDist();
  try {
    await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
      const requests = await gotoRecording(page, `${server.origin}/`);
      await expectDoubler(page);
      await page.waitForTimeout(1_000);
      assert.deepEqual(requests.sinceLoad(), [], "no requests after the load event");
      assert.deepEqual(requests.all(), [`${server.origin}/`], "only the page itself is loaded");
    });
  } finally {
    await server.close();
  }
});

test("a saved copy of the rendered page mounts once, offline", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "butie-saved-"));
  try {
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectDoubler(page);
      // What "Save page as… (complete)" stores: the live DOM, scripts included.
      const html = `<!DOCTYPE html>\n${await page.evaluate(() => document.documentElement.outerHTML)}`;
      const saved = path.join(dir, "saved.html");
      await fs.writeFile(saved, html);
      await page.goto(pathToFileURL(saved).href);
      await expectDoubler(page);
      assert.equal(await page.locator("#app > *").count(), 1, "#app holds one fresh render");
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

for (const { width, height, name } of [
  { width: 1280, height: 800, name: "desktop-1280" },
  { width: 375, height: 812, name: "phone-375" },
]) {
  test(`screenshot at ${width}px fits the width`, async () => {
    await withPage({ viewport: { width, height } }, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectDoubler(page);
      await fs.mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= width, `no horizontal scrolling (scrollWidth ${scrollWidth})`);
    });
  });
}

// ---------------------------------------------------------------- runner

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
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
  const failures = [];
  for (const { name, fn } of selected) {
    const started = Date.now();
    try {
      await withTimeout(fn(), TEST_TIMEOUT_MS, name);
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

process.exitCode = await main();
