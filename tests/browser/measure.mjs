// Budget measurements in headless Chromium, run by `cargo xtask measure` (which builds
// dist/ first). Prints one JSON object on the last line of stdout.
//
//   node tests/browser/measure.mjs [--file dist/butie.html] [--runs 7] [--iterations 2000] [--no-update]
//                                  [--batch-clients 10000] [--batch-runs 5]
//
// - first results: the single file opened from file:// in a fresh browser context, time
//   from navigation start to the app's `performance.mark("butie:first-results")`
//   (Performance API), one sample per run; the median is the figure.
// - evaluation: `globalThis.butie.bench_evaluate(iterations, explain, compareAll)` in the
//   page — mean milliseconds per evaluation of one full profile inside wasm.
// - update: with a realistic profile in compare-all mode, the time from a changed input
//   (the CMMI level) to the last DOM change of the re-render (MutationObserver); the page
//   promises a recompute within one frame.
// - batch: a client list of --batch-clients (default 10,000) generated from
//   docs/examples/clients.csv (its six rows in turn, a bad row as every 97th), uploaded
//   in the batch view of the single file in a fresh browser context per run; the time from the
//   file input's `change` event to `performance.mark("butie:batch-done")` (set once the results
//   table is painted); the median of --batch-runs (default 5) is the figure. --batch-clients 0
//   skips it.
// No request may leave the machine; any does, the measurement fails.

import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { existsSync, readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { answerApplicant, fillRealistic } from "./lib.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..");
const CHROMIUM = process.env.BUTIE_CHROMIUM ?? "/usr/bin/chromium";
const MARK = "butie:first-results";
// How long the page is left alone after navigating, before the mark is read.
const SETTLE_MS = 2_000;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const file = path.resolve(option("file", path.join(ROOT, "dist", "butie.html")));
const runs = Number(option("runs", "7"));
const iterations = Number(option("iterations", "2000"));
const measureUpdates = !process.argv.includes("--no-update");
const batchClients = Number(option("batch-clients", "10000"));
const batchRuns = Number(option("batch-runs", "5"));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Fills a realistic profile, compares all districts, then times re-renders. */
async function measureUpdate(page) {
  // The browser tests' realistic profile, filled as a person would (the form asks only what
  // the districts shown need: the other districts' questions appear in compare-all mode).
  await fillRealistic(page);
  await page.getByTestId("butie-mode-compare").check();
  await page.getByTestId("district-jinshan").waitFor();
  await answerApplicant(page);
  await page.getByTestId("asked").getByLabel("属于软件和信息服务业企业", { exact: true }).selectOption("true");
  await page.waitForTimeout(500);
  const samples = await page.evaluate(async () => {
    const select = document.querySelector('[data-field="cmmi_level"] select');
    const root = document.querySelector(".results");
    const out = [];
    for (let i = 0; i < 20; i++) {
      let last = 0;
      const observer = new MutationObserver(() => (last = performance.now()));
      observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
      const t0 = performance.now();
      select.value = i % 2 ? "3" : "4";
      select.dispatchEvent(new Event("change", { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 150));
      observer.disconnect();
      if (last > 0) out.push(last - t0);
    }
    return out;
  });
  return {
    samples: samples.length,
    median: Math.round(median(samples) * 10) / 10,
    max: Math.round(Math.max(...samples) * 10) / 10,
  };
}

/**
 * A CSV of `n` clients: the example's six rows in turn, and every 97th a bad row (the first
 * client with CMMI level 7, which does not exist).
 */
function clientList(n) {
  const text = readFileSync(path.join(ROOT, "docs", "examples", "clients.csv"), "utf8").replace(/^\ufeff/, "");
  const [header, ...good] = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const cmmi = header.split(",").indexOf("cmmi_level");
  const bad = good[0].split(",").map((cell, i) => (i === cmmi ? "7" : cell)).join(",");
  const out = [header];
  for (let i = 1; i <= n; i++) {
    const row = i % 97 === 0 ? bad : good[i % good.length];
    out.push(row.replace(/^C-\d+/, `C-${String(i).padStart(5, "0")}`));
  }
  return out.join("\n") + "\n";
}

/**
 * A fresh context and page at 1280×800: requests that would leave the machine are aborted and
 * recorded in `offMachine`; page errors and console errors are collected in `errors`.
 */
async function isolatedPage(browser, offMachine) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route("**/*", (route) => {
    const protocol = new URL(route.request().url()).protocol;
    if (["file:", "data:", "blob:"].includes(protocol)) return route.continue();
    offMachine.push(route.request().url());
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { context, page, errors };
}

/** Uploads the list in the batch view of a fresh page; ms from `change` to the painted results. */
async function measureBatch(browser, url, csv, offMachine) {
  const { context, page, errors } = await isolatedPage(browser, offMachine);
  try {
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, MARK, { timeout: 30_000 });
    await page.getByTestId("view-batch").click();
    await page.getByTestId("batch-as-of").fill("2026-11-21");
    await page.evaluate(() => {
      const input = document.querySelector('[data-testid="batch-file"]');
      input.addEventListener("change", () => (window.__changedAt = performance.now()), { capture: true });
    });
    await page.getByTestId("batch-file").setInputFiles({ name: "clients.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    const done = await page.waitForFunction(
      () => {
        const mark = performance.getEntriesByName("butie:batch-done")[0];
        return mark && window.__changedAt !== undefined ? mark.startTime - window.__changedAt : null;
      },
      null,
      { timeout: 60_000 },
    );
    const ms = await done.jsonValue();
    const summary = (await page.getByTestId("batch-summary").textContent()).trim();
    const lines = await page.evaluate(() => performance.getEntriesByName("butie:batch")[0]?.duration ?? NaN);
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    return { ms, summary, run_ms: lines };
  } finally {
    await context.close();
  }
}

async function main() {
  if (!existsSync(file)) throw new Error(`${file} not found (run \`cargo xtask dist\`)`);
  const url = pathToFileURL(file).href;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const offMachine = [];
  try {
    const samples = [];
    const loads = [];
    const phases = [];
    let bench = null;
    let update = null;
    for (let run = 0; run < runs; run++) {
      const { context, page, errors } = await isolatedPage(browser, offMachine);
      await page.goto(url, { waitUntil: "commit" });
      // Hands off while the page starts: evaluating anything in it (waitForFunction included)
      // makes Playwright inject its script into the page first — tens of milliseconds on the
      // page's main thread, inside the interval being measured. The page timestamps its own
      // mark, so reading it afterwards loses nothing.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const mark = await page.waitForFunction(
        (name) => performance.getEntriesByName(name)[0]?.startTime,
        MARK,
        { timeout: 30_000 },
      );
      samples.push(await mark.jsonValue());
      phases.push(
        await page.evaluate(() =>
          Object.fromEntries(
            ["butie:wasm-start", "butie:policies-loaded", "butie:first-results"].map((n) => [
              n,
              performance.getEntriesByName(n)[0]?.startTime ?? NaN,
            ]),
          ),
        ),
      );
      loads.push(await page.evaluate(() => performance.getEntriesByType("navigation")[0].loadEventEnd));
      if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
      if (run === runs - 1) {
        if (measureUpdates) update = await measureUpdate(page);
        bench = await page.evaluate((n) => {
          const f = globalThis.butie?.bench_evaluate;
          if (typeof f !== "function") throw new Error("globalThis.butie.bench_evaluate is missing");
          f(Math.max(10, n / 10), true, false); // warm up
          const out = {};
          for (const [key, explain, compare] of [
            ["explain_hints", true, false],
            ["outcome_only", false, false],
            ["explain_hints_compare_all", true, true],
            ["outcome_only_compare_all", false, true],
          ]) {
            out[key] = f(n, explain, compare) * 1000; // µs per evaluation
          }
          return out;
        }, iterations);
      }
      await context.close();
    }
    let batch = null;
    if (batchClients > 0) {
      const csv = clientList(batchClients);
      const samples = [];
      let summary = "";
      for (let run = 0; run < batchRuns; run++) {
        const r = await measureBatch(browser, url, csv, offMachine);
        samples.push(r.ms);
        summary = r.summary;
      }
      batch = {
        clients: batchClients,
        bytes: Buffer.byteLength(csv),
        samples_ms: samples.map((v) => Math.round(v)),
        median_ms: Math.round(median(samples)),
        summary,
      };
    }
    if (offMachine.length) throw new Error(`requests left the machine: ${offMachine.join(", ")}`);
    const result = {
      file,
      chromium: browser.version(),
      runs,
      first_results_ms: samples.map((v) => Math.round(v * 10) / 10),
      first_results_median_ms: Math.round(median(samples) * 10) / 10,
      load_event_median_ms: Math.round(median(loads) * 10) / 10,
      // Medians of the phases, ms since navigation: wasm start() entered (page parsed, glue
      // run, wasm inflated and compiled), policies parsed, first results rendered.
      phases_median_ms: Object.fromEntries(
        ["butie:wasm-start", "butie:policies-loaded", "butie:first-results"].map((n) => [
          n.replace("butie:", ""),
          Math.round(median(phases.map((p) => p[n])) * 10) / 10,
        ]),
      ),
      update_ms: update,
      iterations,
      evaluate_us: Object.fromEntries(
        Object.entries(bench ?? {}).map(([k, v]) => [k, Math.round(v * 100) / 100]),
      ),
      batch,
    };
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(`measure: ${error?.stack ?? error}`);
  process.exitCode = 1;
});
