// Browser tests of issue 4 (embedding for consultants): the widget script on a host page
// with aggressive CSS and a strict Content-Security-Policy, its events, attributes and JS
// API (compared with the CLI's JSON), the iframe page and its resize helper, the batch view
// (compared with the CLI's CSV), the "Embed on your site" panel and the sizes.
//
// The host pages are examples/widget-host.html and examples/iframe-host.html, copied into
// dist/ by `cargo xtask dist`; the tests serve them with the same CSP as an HTTP header too.

import assert from "node:assert/strict";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  ARTIFACTS,
  AS_OF,
  DIST,
  HERE,
  ROOT,
  STRICT_CSP,
  accessibilityViolations,
  cli,
  openEverything,
  openFileMenu,
  clause,
  distFileUrl,
  expectApp,
  expectPutuoFigures,
  expectText,
  fillRealistic,
  gotoRecording,
  gzipLength,
  serveDist,
  test,
  unlabelledControls,
  until,
  withPage,
} from "./lib.mjs";

const FIXTURES = path.join(HERE, "fixtures");
const EXAMPLES = path.join(ROOT, "docs", "examples");
const PROFILES = [
  "software-firm-putuo.json",
  "manufacturer-jiading.json",
  "platform-songjiang.json",
  "software-jinshan.json",
];

/** Serves dist/ with the strict CSP header on the example host pages (and `pages`). */
function serveHosts(pages = {}) {
  const csp = { "Content-Security-Policy": STRICT_CSP };
  const headers = Object.fromEntries(
    ["widget-host.html", "iframe-host.html", ...Object.keys(pages)].map((name) => [name, csp]),
  );
  return serveDist({ headers, pages });
}

/**
 * Serves the example host pages (strict CSP header), opens widget-host.html with the page
 * recorded (see `recordPage`) and runs `fn({ page, server, problems })`; `options` go to `withPage`.
 */
async function withWidgetHost(options, fn) {
  const server = await serveHosts();
  try {
    await withPage({ ...options, allowOrigins: [server.origin] }, async ({ page, problems }) => {
      await recordPage(page);
      await page.goto(`${server.origin}/widget-host.html`);
      await fn({ page, server, problems });
    });
  } finally {
    await server.close();
  }
}

/**
 * Records, from before the page's own scripts run, every CSP violation and every
 * `butie-result` event (target id, bubbles, composed, detail).
 */
async function recordPage(page) {
  await page.addInitScript(() => {
    window.__violations = [];
    window.__results = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
    document.addEventListener("butie-result", (e) =>
      window.__results.push({
        id: e.target.id,
        bubbles: e.bubbles,
        composed: e.composed,
        detail: e.detail,
      }),
    );
  });
}

/** The results recorded for the element with `id`. */
function resultsOf(page, id) {
  return page.evaluate((id) => window.__results.filter((r) => r.id === id), id);
}

/** Waits for a `butie-result` of `id` satisfying `check(detail)`; returns its detail. */
async function waitForResult(page, id, check, what) {
  return until(async () => {
    const all = await resultsOf(page, id);
    return all.map((r) => r.detail).find(check);
  }, what);
}

/** The clause `id` of `district` in a result JSON. */
function clauseOf(result, district, id) {
  return result.districts.find((d) => d.district === district)?.clauses.find((c) => c.id === id);
}

/** Computed style values of the first element matching `selector` in `id`'s shadow root. */
function shadowStyle(page, id, selector, properties) {
  return page.evaluate(
    ({ id, selector, properties }) => {
      const el = document.getElementById(id).shadowRoot.querySelector(selector);
      if (!el) return null;
      const style = getComputedStyle(el);
      return Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]));
    },
    { id, selector, properties },
  );
}

export function registerEmbeddingTests() {
  test("widget: two widgets on a host page with aggressive CSS and a strict CSP render, isolated", async () => {
    const server = await serveHosts();
    try {
      await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
        await recordPage(page);
        const requests = await gotoRecording(page, `${server.origin}/widget-host.html`);
        const a = page.locator("#calc-a");
        const b = page.locator("#calc-b");
        // Both render (Playwright's locators pierce open shadow roots).
        await a.getByTestId("available-now").waitFor();
        await b.getByTestId("available-now").waitFor();
        await expectText(a.locator("h2.title"), "butie 补贴计算器", "widget A title");
        await expectText(b.locator("h2.title"), "butie subsidy calculator", "widget B title (lang=en)");
        assert.equal(await page.locator("h1").count(), 1, "the widgets add no h1 to the host page");
        assert.equal(await a.locator("h1").count(), 0);
        // Options: districts, as-of, compact, consultant line.
        assert.deepEqual(
          await a.locator("[data-district]").evaluateAll((els) => els.map((e) => e.dataset.district).sort()),
          ["jiading", "putuo"],
        );
        assert.deepEqual(await b.locator("[data-district]").evaluateAll((els) => els.map((e) => e.dataset.district)), ["jinshan"]);
        assert.equal(await b.getByTestId("as-of").inputValue(), "2024-06-01");
        assert.ok(await b.locator(".butie.compact.embedded").count(), "compact and embedded");
        assert.equal(await a.locator(".butie.compact").count(), 0);
        await expectText(a.getByTestId("consultant"), "由 张顾问 提供 · 联系方式：zhang@example.com");
        assert.equal(await a.getByTestId("consultant").locator("a").getAttribute("href"), "mailto:zhang@example.com");
        // Embedded: no share link, no views, nothing stored.
        assert.equal(await a.getByTestId("share").count(), 0);
        assert.equal(await a.getByTestId("view-batch").count(), 0);
        // The host page's own #app is left alone; nothing is added to its document.
        assert.equal(await page.locator("#app").innerHTML(), '<p class="host-app">The host page\'s own #app element.</p>');
        assert.equal(await page.evaluate(() => document.querySelectorAll("style").length), 0, "no <style> in the page");
        assert.equal(await page.evaluate(() => localStorage.length), 0, "no localStorage");
        assert.deepEqual(await page.evaluate(() => window.__violations), [], "no CSP violation");
        assert.deepEqual(
          requests.all().map((u) => new URL(u).pathname).sort(),
          ["/butie-widget.js", "/widget-host.css", "/widget-host.html", "/widget-host.js"],
          "the page, its CSS and scripts: nothing else",
        );

        // The host's CSS does not reach in: html { font-size: 10px }, * { … !important }.
        const title = await shadowStyle(page, "calc-a", "h2.title", [
          "font-size", "font-family", "text-transform", "letter-spacing", "color", "font-style", "line-height",
        ]);
        assert.equal(title["font-size"], "23.2px", "1.45rem of the widget's 16px, not the host's 10px root");
        assert.doesNotMatch(title["font-family"], /Comic/);
        assert.equal(title["text-transform"], "none");
        assert.equal(title["letter-spacing"], "normal");
        assert.equal(title["color"], "rgb(29, 35, 43)");
        assert.equal(title["font-style"], "normal");
        const button = await shadowStyle(page, "calc-a", "button", ["background-color", "font-size", "border-top-width"]);
        assert.notEqual(button["background-color"], "rgb(255, 105, 180)", "not the host's hotpink");
        assert.notEqual(button["font-size"], "30px");
        const card = await shadowStyle(page, "calc-a", ".card", ["display", "border-top-width", "background-color"]);
        assert.equal(card.display, "block", "the host's .card { display: inline } does not apply");
        assert.equal(card["border-top-width"], "4px");
        const div = await shadowStyle(page, "calc-a", ".layout", ["border-top-style", "margin-top"]);
        assert.equal(div["border-top-style"], "none", "no dotted lime borders");
        // Theming: --butie-accent from the host's CSS (A) and from the accent attribute (B).
        const accentA = await shadowStyle(page, "calc-a", ".available .up-to", ["color"]);
        assert.equal(accentA.color, "rgb(11, 122, 75)", "#0b7a4b via --butie-accent");
        const accentB = await shadowStyle(page, "calc-b", ".available .up-to", ["color"]);
        assert.equal(accentB.color, "rgb(192, 57, 43)", "#c0392b via accent=");

        // The widget's CSS does not reach out: host markup with the widget's class names.
        const host = await page.evaluate(() => {
          const style = (sel) => getComputedStyle(document.querySelector(sel));
          return {
            butieFont: style(".host-lookalike").fontSize,
            badgeRadius: style(".host-lookalike .badge").borderTopLeftRadius,
            badgeWeight: style(".host-lookalike .badge").fontWeight,
            buttonRadius: style(".host-button").borderTopLeftRadius,
            cardTop: style(".host-lookalike .card").borderTopColor,
          };
        });
        assert.deepEqual(host, {
          butieFont: "10px",
          badgeRadius: "0px",
          badgeWeight: "400",
          buttonRadius: "0px",
          cardTop: "rgb(128, 0, 128)",
        });
        await fs.mkdir(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, "widget-host.png"), fullPage: false });
      });
    } finally {
      await server.close();
    }
  });

  test("widget: butie-result fires with the right amounts; instances are independent", async () => {
    await withWidgetHost({}, async ({ page }) => {
      const a = page.locator("#calc-a");
      const b = page.locator("#calc-b");
      await a.getByTestId("available-now").waitFor();
      await b.getByTestId("available-now").waitFor();
      // Each widget reports its first result on its own.
      const firstB = await waitForResult(page, "calc-b", (d) => d.as_of === "2024-06-01", "B's first result");
      assert.deepEqual(firstB.districts.map((d) => d.district), ["jinshan"]);
      const before = (await resultsOf(page, "calc-b")).length;

      await fillRealistic(a);
      await expectPutuoFigures(a);
      const result = await waitForResult(
        page,
        "calc-a",
        (d) => d.as_of === AS_OF && d.available_now.up_to === "2200000.00",
        "A's result with the realistic profile",
      );
      assert.equal(result.schema_version, 1);
      assert.equal(result.mode, "registered");
      assert.equal(result.available_now.definite, "0.00");
      const rd = clauseOf(result, "putuo", "putuo.3.3");
      assert.deepEqual(rd.amount, { kind: "up_to", value: "1000000.00" });
      assert.equal(rd.status, "eligible_subject_to_review");
      assert.deepEqual(clauseOf(result, "putuo", "putuo.3.4.games").amount, { kind: "up_to", value: "1000000.00" });
      assert.deepEqual(clauseOf(result, "putuo", "putuo.3.4.qualifications").amount, { kind: "up_to", value: "200000.00" });
      const events = await resultsOf(page, "calc-a");
      assert.ok(events.every((e) => e.bubbles && e.composed), "bubbles and composed");
      // No pack on this page: the widget's second module (the pack loader) was never fetched.
      const extras = await page.evaluate(() =>
        performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/butie-widget-extras.js")).length,
      );
      assert.equal(extras, 0, "butie-widget-extras.js is loaded only for packs");
      // Consecutive events differ: one per change of the result, not per render.
      const texts = events.map((e) => JSON.stringify(e.detail));
      assert.ok(texts.every((t, i) => i === 0 || t !== texts[i - 1]), "no repeated result");
      // The element keeps the last one; the host page's own script captured it.
      assert.deepEqual(await a.evaluate((el) => el.result), events.at(-1).detail);
      await expectText(page.locator("#last-result"), "calc-a: as of 2026-11-21, definite 0.00 yuan, up to 2200000.00 yuan");

      // B was not touched: its inputs and results are its own.
      assert.equal((await resultsOf(page, "calc-b")).length, before, "no event from B");
      assert.equal(await b.getByTestId("as-of").inputValue(), "2024-06-01");
      assert.equal(await b.getByLabel("Registered district", { exact: true }).inputValue(), "");
      assert.equal(await b.getByTestId("projects-0").count(), 0);
      // And changing B leaves A alone.
      const eventsOfA = (await resultsOf(page, "calc-a")).length;
      await b.getByLabel("Registered district", { exact: true }).selectOption("jinshan");
      await until(async () => (await resultsOf(page, "calc-b")).length > before, "B's new result");
      assert.equal((await resultsOf(page, "calc-a")).length, eventsOfA, "no event from A");
      await expectPutuoFigures(a);
    });
  });

  test("widget: its print button prints the widget alone, then the host page prints whole again", async () => {
    await withWidgetHost({}, async ({ page }) => {
      const a = page.locator("#calc-a");
      await a.getByTestId("available-now").waitFor();
      // The print dialog itself cannot be driven: record the calls, print to PDF instead.
      await page.evaluate(() => {
        window.__prints = 0;
        window.print = () => (window.__prints += 1);
      });
      const shown = () =>
        page.evaluate(() =>
          Object.fromEntries(
            [".site-header", "#app", "#calc-a", "#calc-b", ".host-lookalike", ".captured"].map((sel) => [
              sel,
              document.querySelector(sel).checkVisibility(),
            ]),
          ),
        );
      const everything = {
        ".site-header": true, "#app": true, "#calc-a": true, "#calc-b": true, ".host-lookalike": true, ".captured": true,
      };
      await openFileMenu(a);
      await a.getByTestId("print").click();
      assert.equal(await page.evaluate(() => window.__prints), 1, "the widget's button prints once");
      assert.deepEqual(await shown(), everything, "the screen does not change");
      await page.emulateMedia({ media: "print" });
      assert.deepEqual(
        await shown(),
        { ".site-header": false, "#app": false, "#calc-a": true, "#calc-b": false, ".host-lookalike": false, ".captured": false },
        "printing: widget A alone",
      );
      await expectText(a.locator(".print-header h2"), "补贴测算报告", "the report's header is printed");
      await fs.mkdir(ARTIFACTS, { recursive: true });
      const pdf = await page.pdf({ path: path.join(ARTIFACTS, "widget-print.pdf"), format: "A4" });
      assert.ok(pdf.length > 10_000, "a report PDF");
      // After printing, Ctrl+P on the host page prints the whole page again.
      await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
      assert.deepEqual(await shown(), everything, "afterprint: the host page prints whole");
      assert.equal(
        await page.evaluate(() => document.querySelectorAll("[data-butie-print-path], [data-butie-print-hide]").length + document.adoptedStyleSheets.length),
        0,
        "no marks and no sheet left on the host page",
      );
      assert.deepEqual(await page.evaluate(() => window.__violations), [], "no CSP violation");
    });
  });

  test("widget: axe-core finds no WCAG 2.1 A/AA violation in either widget, opened up", async () => {
    await withWidgetHost({ bypassCSP: true }, async ({ page }) => {
      for (const id of ["#calc-a", "#calc-b"]) await page.locator(id).getByTestId("available-now").waitFor();
      // Open every clause and list in widget A (the compact widget B stays as it is).
      await openEverything(page.locator("#calc-a"));
      // Only the widgets: the host page's own deliberately garish CSS is not ours to judge.
      assert.deepEqual(await accessibilityViolations(page, ["#calc-a", "#calc-b"]), []);
    });
  });

  test("widget: attributes changed after load take effect; removal and re-insertion work", async () => {
    const badDates = [/butie-calculator: as-of="2026-13-40": not a date/, /butie-calculator: as-of="2101-01-01": outside the years 1900–2100; using today/];
    await withWidgetHost({ allowedProblems: badDates }, async ({ page, problems }) => {
      const b = page.locator("#calc-b");
      await b.getByTestId("available-now").waitFor();
      const set = (name, value) =>
        b.evaluate((el, [n, v]) => (v === null ? el.removeAttribute(n) : el.setAttribute(n, v)), [name, value]);

      await set("lang", "zh");
      await expectText(b.locator("h2.title"), "butie 补贴计算器", "lang=zh");
      await set("districts", "putuo,jiading");
      await until(
        async () => JSON.stringify(await b.locator("[data-district]").evaluateAll((els) => els.map((e) => e.dataset.district).sort())) === '["jiading","putuo"]',
        "districts=putuo,jiading",
      );
      await set("as-of", AS_OF);
      await until(async () => (await b.getByTestId("as-of").inputValue()) === AS_OF, "as-of applied");
      await waitForResult(page, "calc-b", (d) => d.as_of === AS_OF, "a result as of the new date");
      await set("application-period", "2026-03-01..2026-04-30");
      await until(
        async () => (await b.getByTestId("application-period").inputValue()) === "2026-03-01..2026-04-30",
        "application-period applied",
      );
      await waitForResult(page, "calc-b", (d) => d.application_period === "2026-03-01..2026-04-30", "a result with the period");
      await set("compact", null);
      await until(async () => (await b.locator(".butie.compact").count()) === 0, "compact removed");
      // The widget's own width decides its layout (container queries), not the viewport's.
      const columns = () =>
        b.evaluate((el) => getComputedStyle(el.shadowRoot.querySelector(".layout")).gridTemplateColumns.split(" ").length);
      await until(async () => (await columns()) === 2, "two columns at full width");
      await b.evaluate((el) => el.style.setProperty("max-width", "420px"));
      await until(async () => (await columns()) === 1, "one column in a 420 px column");
      await b.evaluate((el) => el.style.removeProperty("max-width"));
      await set("consultant", "李顾问");
      await expectText(b.getByTestId("consultant"), "由 李顾问 提供");
      await set("accent", "#123456");
      assert.equal((await shadowStyle(page, "calc-b", ".available .up-to", ["color"])).color, "rgb(18, 52, 86)");
      // Several attributes in one go become one update.
      await b.evaluate((el) => {
        el.setAttribute("lang", "en");
        el.setAttribute("districts", "jinshan");
      });
      await expectText(b.locator("h2.title"), "butie subsidy calculator", "lang=en again");
      await until(async () => (await b.locator("[data-district]").count()) === 1, "one district");
      // A bad date is ignored with a warning naming the attribute; the widget goes on.
      await set("as-of", "2026-13-40");
      await b.getByTestId("available-now").waitFor();
      await set("as-of", "2101-01-01");
      await until(() => problems.some((p) => badDates[1].test(p)), "the warning for as-of=2101-01-01");
      assert.notEqual(await b.getByTestId("as-of").inputValue(), "2101-01-01", "today instead");

      // Taken out of the page and put back: unmounted, then mounted again.
      await b.evaluate((el) => {
        window.__parked = el;
        el.remove();
      });
      await until(() => page.evaluate(() => window.__parked.shadowRoot.querySelector(".butie") === null), "unmounted");
      await page.evaluate(() => document.querySelector("main").append(window.__parked));
      await b.getByTestId("available-now").waitFor();
      // A new element made by script works too.
      await page.evaluate(() => {
        const el = document.createElement("butie-calculator");
        el.id = "calc-c";
        el.setAttribute("lang", "en");
        el.setAttribute("districts", "songjiang");
        document.body.append(el);
      });
      const c = page.locator("#calc-c");
      await c.getByTestId("district-songjiang").waitFor();
      await waitForResult(page, "calc-c", (d) => d.districts.length === 1, "C's result");
    });
  });

  test("widget: the JS API returns the CLI's JSON, and structured errors for bad input", async () => {
    const expected = {};
    for (const name of PROFILES) {
      const file = path.join("docs", "examples", name);
      expected[name] = {
        profile: JSON.parse(await fs.readFile(path.join(EXAMPLES, name), "utf8")),
        plain: JSON.parse(await cli(["evaluate", file, "--json", "--as-of", AS_OF])),
        compare: JSON.parse(
          await cli([
            "evaluate", file, "--json", "--as-of", "2024-06-01", "--compare", "--district", "putuo", "--district", "jinshan",
            "--application-period", "2022-01-01..2022-12-31",
          ]),
        ),
      };
    }
    const policies = JSON.parse(await cli(["policies", "--json", "--as-of", AS_OF]));
    const profileSchema = JSON.parse(await cli(["schema", "profile"]));
    const resultSchema = JSON.parse(await cli(["schema", "result"]));
    const server = await serveHosts();
    try {
      await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
        await recordPage(page);
        await page.goto(`${server.origin}/widget-host.html`);
        assert.equal(await page.evaluate(async () => (await window.butie.ready) === window.butie), true, "ready resolves to the API");
        assert.equal(await page.evaluate(() => window.butie.evaluate({}) instanceof Promise), true, "evaluate returns a Promise");
        for (const name of PROFILES) {
          const { profile, plain, compare } = expected[name];
          const got = await page.evaluate(([p]) => window.butie.evaluate(p, { asOf: "2026-11-21" }), [profile]);
          assert.deepEqual(got, plain, `${name}: the same JSON as butie evaluate --json`);
          const text = await page.evaluate(
            ([p]) =>
              window.butie.evaluate(JSON.stringify(p), {
                asOf: "2024-06-01",
                compare: true,
                districts: ["putuo", "jinshan"],
                applicationPeriod: "2022-01-01..2022-12-31",
              }),
            [profile],
          );
          assert.deepEqual(text, compare, `${name}: --compare --district putuo --district jinshan --application-period …`);
        }
        assert.deepEqual(await page.evaluate(() => window.butie.policies({ asOf: "2026-11-21" })), policies, "butie policies --json");
        assert.deepEqual(await page.evaluate(() => window.butie.schema("profile")), profileSchema);
        assert.deepEqual(await page.evaluate(() => window.butie.schema("result")), resultSchema);
        assert.deepEqual(await page.evaluate(() => window.butie.schema()), { profile: profileSchema, result: resultSchema });
        assert.equal(await page.evaluate(() => window.butie.version), expected[PROFILES[0]].plain.engine_version);

        // Errors: objects naming each field, in both languages; nothing is thrown.
        const errors = await page.evaluate(async () => {
          const cyclic = {};
          cyclic.self = cyclic;
          const calls = {
            fields: () =>
              window.butie.evaluate({
                certifications: { cmmi_level: "7" },
                projects: [{ kind: "rd_project", actual_investment: 1.5 }],
                foo: 1,
              }),
            notJson: () => window.butie.evaluate("{ not json"),
            missing: () => window.butie.evaluate(),
            cyclic: () => window.butie.evaluate(cyclic),
            array: () => window.butie.evaluate([1, 2]),
            options: () =>
              window.butie.evaluate({}, {
                asOf: "2026-13-01",
                districts: ["putuo", "pudong"],
                comapre: true,
                applicationPeriod: "2026-04-30..2026-03-01",
              }),
            policies: () => window.butie.policies({ asOf: "yesterday" }),
            farFuture: () => window.butie.evaluate({}, { asOf: "2101-01-01" }),
            schema: () => window.butie.schema("profiles"),
          };
          const out = {};
          for (const [key, call] of Object.entries(calls)) {
            try {
              out[key] = await call();
            } catch (error) {
              out[key] = { thrown: String(error) };
            }
          }
          return out;
        });
        const paths = (e) => e.fields.map((f) => f.path).sort();
        assert.equal(errors.fields.error, "invalid_profile");
        assert.deepEqual(paths(errors.fields), ["certifications.cmmi_level", "foo", "projects[0].actual_investment"]);
        const cmmi = errors.fields.fields.find((f) => f.path === "certifications.cmmi_level");
        assert.deepEqual(cmmi.message, {
          zh: "无效选项；可选：none、2、3、4、5",
          en: "not a valid option; one of: none, 2, 3, 4, 5",
        });
        for (const key of ["notJson", "missing", "cyclic", "array"]) {
          assert.equal(errors[key].error, "invalid_profile", key);
          assert.deepEqual(paths(errors[key]), ["(root)"], key);
          assert.ok(errors[key].fields[0].message.zh && errors[key].fields[0].message.en, key);
        }
        assert.equal(errors.options.error, "invalid_options");
        assert.deepEqual(paths(errors.options), ["applicationPeriod", "asOf", "comapre", "districts[1]"]);
        assert.deepEqual(errors.options.fields.find((f) => f.path === "applicationPeriod").message, {
          zh: "截止日期 2026-03-01 早于起始日期 2026-04-30",
          en: "the period ends (2026-03-01) before it starts (2026-04-30)",
        });
        assert.match(errors.options.fields.find((f) => f.path === "districts[1]").message.en, /`pudong` is not a district with a policy; known: jiading, jinshan, putuo, songjiang/);
        assert.equal(errors.policies.error, "invalid_options");
        assert.deepEqual(errors.farFuture.fields, [
          {
            path: "asOf",
            message: { zh: "“2101-01-01”评估日期须在 1900 至 2100 年之间", en: "`2101-01-01`: outside the years 1900–2100" },
          },
        ]);
        assert.equal(errors.schema.error, "invalid_argument");
        assert.deepEqual(await page.evaluate(() => window.__violations), []);
      });
    } finally {
      await server.close();
    }
  }, { cli: true });

  test("iframe: options from the fragment; the frame takes its content's height", async () => {
    const server = await serveHosts();
    try {
      // Chromium reports the undelivered message (origin mismatch) on the console: expected.
      await withPage({ allowOrigins: [server.origin], allowedProblems: [/does not match the recipient window's origin/] }, async ({ page }) => {
        await recordPage(page);
        await page.goto(`${server.origin}/iframe-host.html`);
        const iframe = page.locator("#frame-a");
        const frame = page.frameLocator("#frame-a");
        await frame.getByTestId("available-now").waitFor();
        // The fragment's options: Chinese, Putuo only, the consultant line, the accent colour.
        await expectText(frame.locator("h2.title"), "butie 补贴计算器");
        await expectText(frame.getByTestId("consultant"), "由 张顾问 提供");
        assert.deepEqual(await frame.locator("[data-district]").evaluateAll((els) => els.map((e) => e.dataset.district)), ["putuo"]);
        const inner = page.frames().find((f) => f.url().includes("embed.html"));
        const contentHeight = () => inner.evaluate(() => Math.ceil(document.querySelector("butie-calculator").getBoundingClientRect().height));
        const frameHeight = () => iframe.evaluate((el) => el.getBoundingClientRect().height);
        const fits = async () => Math.abs((await frameHeight()) - (await contentHeight())) <= 1;
        await until(fits, "the iframe resized to its content");
        const first = await frameHeight();
        assert.notEqual(first, 900, "no longer the snippet's fixed 900 px");
        assert.ok(await inner.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1), "no scrolling inside the frame");
        // More content (compare all, a project): the frame grows with it.
        await frame.getByTestId("butie-mode-compare").check();
        await frame.getByTestId("add-projects").click();
        await until(async () => (await fits()) && (await frameHeight()) > first, "the iframe grew with its content");
        // With #events=1 the frame's results reach the host page as events on the iframe.
        await frame.getByLabel("工商注册区", { exact: true }).selectOption("putuo");
        const detail = await until(
          () => page.evaluate(() => window.__results.filter((r) => r.id === "frame-a").map((r) => r.detail).find((d) => d.mode === "compare_all")),
          "a butie-result from the frame",
        );
        assert.equal(detail.schema_version, 1);
        // events=<origin>: results reach a parent of that origin, and no other.
        const fromFrame = () => page.evaluate(() => window.__results.filter((r) => r.id === "frame-a").length);
        const setHash = (hash) => inner.evaluate((h) => { location.hash = h; }, hash);
        await setHash(`lang=zh&districts=putuo&events=${encodeURIComponent(server.origin)}`);
        let seen = await fromFrame();
        await frame.getByTestId("butie-mode-registered").check();
        await until(async () => (await fromFrame()) > seen, "a result posted to the named origin");
        await setHash("lang=zh&districts=putuo&events=https%3A%2F%2Felsewhere.example");
        seen = await fromFrame();
        await frame.getByTestId("butie-mode-compare").check();
        await frame.getByTestId("butie-mode-registered").check();
        await page.waitForTimeout(500);
        assert.equal(await fromFrame(), seen, "nothing delivered to a page of another origin");
        // Changing the fragment later applies too.
        await inner.evaluate(() => {
          location.hash = "lang=en&districts=jinshan";
        });
        await expectText(frame.locator("h2.title"), "butie subsidy calculator");
        assert.deepEqual(await page.evaluate(() => window.__violations), [], "no CSP violation on the host");
        await fs.mkdir(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, "iframe-host.png"), fullPage: false });
      });
    } finally {
      await server.close();
    }
  });

  test("batch: bad rows get their errors, the rest their results; sortable; the CLI's CSV and workbook", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "butie-batch-"));
    try {
      const csvFile = path.join(FIXTURES, "clients-with-bad-rows.csv");
      const jsonlFile = path.join(FIXTURES, "clients.jsonl");
      const reference = path.join(dir, "cli.csv");
      await cli(["batch", csvFile, "--as-of", AS_OF, "--out", reference]);
      const referenceXlsx = path.join(dir, "cli.xlsx");
      await cli(["batch", csvFile, "--as-of", AS_OF, "--out", referenceXlsx]);
      const referenceJsonl = path.join(dir, "cli-jsonl.csv");
      await cli(["batch", jsonlFile, "--as-of", AS_OF, "--out", referenceJsonl]);
      const referencePeriod = path.join(dir, "cli-jsonl-period.csv");
      await cli(["batch", jsonlFile, "--as-of", AS_OF, "--application-period", "2022-01-01..2022-12-31", "--out", referencePeriod]);
      const exampleXlsx = path.join(EXAMPLES, "clients.xlsx");
      const referenceExample = path.join(dir, "cli-example.csv");
      await cli(["batch", exampleXlsx, "--as-of", AS_OF, "--out", referenceExample]);
      await withPage({}, async ({ page }) => {
        await page.goto(distFileUrl("butie.html"));
        await expectApp(page);
        await page.getByTestId("view-batch").click();
        await page.getByTestId("batch-as-of").fill(AS_OF);
        await page.getByTestId("batch-file").setInputFiles(csvFile);
        await page.getByTestId("batch-done").waitFor();
        assert.match(await page.getByTestId("batch-summary").textContent(), /^clients-with-bad-rows\.csv：10 个客户，其中 2 行有误；表中 10 行（每个客户每区一行）；用时 \d+\.\d\d 秒/);
        // Each bad row, with its line number and every problem; the good ones evaluated.
        const errors = page.getByTestId("batch-errors");
        assert.match(await errors.locator("h3").textContent(), /2 行无法读取，已跳过；其余客户均已计算/);
        assert.deepEqual(await errors.locator("li").evaluateAll((els) => els.map((e) => e.dataset.row)), ["10", "11"]);
        assert.match(await errors.locator('li[data-row="10"]').textContent(), /此行的单元格多于表头的 47 列/);
        assert.match(await errors.locator('li[data-row="11"]').textContent(), /projects\.1\.total_investment：金额不能为负数/);
        assert.equal(await page.getByTestId("batch-error-row").count(), 2, "an error line per bad row");
        // By registered district: each good client's own district (issue 12); 宝山 (line 6) and
        // 浦东 (line 8) have no encoded policy and say so.
        assert.equal(await page.getByTestId("batch-row").count(), 6, "6 good clients in an encoded district");
        assert.deepEqual(await page.getByTestId("batch-not-encoded").evaluateAll((els) => els.map((e) => e.dataset.row)), ["6", "8"]);
        // Line 6 is typed as in the form (1,200万, 三级, 2024/05/01): evaluated, not refused.
        assert.equal(await page.locator('[data-testid="batch-error-row"][data-row="6"]').count(), 0);
        const putuo1 = page.locator('[data-testid="batch-row"][data-row="2"][data-district="putuo"]');
        assert.equal(await putuo1.getAttribute("data-up-to-yuan"), "2200000.00");
        assert.match(await putuo1.textContent(), /普陀区在施行0元220万元220万元/);
        // Sorting: up to, largest first; again, smallest first; by row again.
        const upTo = () => page.getByTestId("batch-row").evaluateAll((els) => els.map((e) => Number(e.dataset.upToYuan)));
        await page.getByTestId("sort-up_to").click();
        assert.equal(await page.locator('th:has([data-testid="sort-up_to"])').getAttribute("aria-sort"), "descending");
        let values = await upTo();
        assert.deepEqual(values, [...values].sort((x, y) => y - x), "descending");
        assert.equal(values[0], 5_900_000);
        assert.equal(await page.locator("tbody tr").last().getAttribute("data-testid"), "batch-error-row", "errors last");
        await page.getByTestId("sort-up_to").click();
        assert.equal(await page.locator('th:has([data-testid="sort-up_to"])').getAttribute("aria-sort"), "ascending");
        values = await upTo();
        assert.deepEqual(values, [...values].sort((x, y) => x - y), "ascending");
        await page.getByTestId("sort-client").click();
        const names = await page.locator("tbody tr td.client .name").evaluateAll((els) => els.map((e) => e.textContent));
        assert.deepEqual(names, [...names].sort(), "by client name");
        await page.getByTestId("sort-row").click();
        assert.equal(await page.locator("tbody tr").first().getAttribute("data-row"), "2");
        // Every control of the view is labelled.
        assert.deepEqual(await unlabelledControls(page), [], "controls without a label");
        await fs.mkdir(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, "batch.png"), fullPage: true });
        // The downloads are the CLI's files, byte for byte (CSV with its BOM, and the workbook).
        const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("batch-download").click()]);
        assert.equal(download.suggestedFilename(), `butie-batch-${AS_OF}.csv`);
        const saved = path.join(dir, "browser.csv");
        await download.saveAs(saved);
        assert.deepEqual(await fs.readFile(saved), await fs.readFile(reference), "the same CSV as butie batch");
        const [workbook] = await Promise.all([page.waitForEvent("download"), page.getByTestId("batch-download-xlsx").click()]);
        assert.equal(workbook.suggestedFilename(), `butie-batch-${AS_OF}.xlsx`);
        const savedXlsx = path.join(dir, "browser.xlsx");
        await workbook.saveAs(savedXlsx);
        assert.deepEqual(await fs.readFile(savedXlsx), await fs.readFile(referenceXlsx), "the same workbook as butie batch --out r.xlsx");

        // JSONL: a line that is not JSON and one with bad fields; the other two evaluated.
        await page.getByTestId("batch-file").setInputFiles(jsonlFile);
        await until(async () => /^clients\.jsonl：4 个客户，其中 2 行有误/.test(await page.getByTestId("batch-summary").textContent()), "the JSONL results");
        assert.deepEqual(await page.getByTestId("batch-errors").locator("li").evaluateAll((els) => els.map((e) => e.dataset.row)), ["2", "3"]);
        assert.match(await page.getByTestId("batch-errors").textContent(), /\(row\)：不是有效的 JSON/);
        const [download2] = await Promise.all([page.waitForEvent("download"), page.getByTestId("batch-download").click()]);
        const saved2 = path.join(dir, "browser-jsonl.csv");
        await download2.saveAs(saved2);
        assert.deepEqual(await fs.readFile(saved2), await fs.readFile(referenceJsonl), "the same CSV as butie batch (JSONL)");
        // With the application period (申报期): the same CSV as butie batch --application-period.
        assert.notDeepEqual(await fs.readFile(referencePeriod), await fs.readFile(referenceJsonl), "the period changes J-4 (金山 第八条)");
        await page.getByTestId("batch-application-period").fill("2022-01-01..2022-12-31");
        const saved3 = path.join(dir, "browser-jsonl-period.csv");
        // The run restarts with the period; download until it is the new file.
        await until(async () => {
          await page.getByTestId("batch-done").waitFor();
          const [download3] = await Promise.all([page.waitForEvent("download"), page.getByTestId("batch-download").click()]);
          await download3.saveAs(saved3);
          return (await fs.readFile(saved3)).equals(await fs.readFile(referencePeriod));
        }, "the same CSV as butie batch --application-period");

        // An Excel workbook: docs/examples/clients.xlsx gives the CLI's results (no period).
        await page.getByTestId("batch-application-period").fill("");
        await page.getByTestId("batch-file").setInputFiles(exampleXlsx);
        await until(async () => /^clients\.xlsx：6 个客户，其中 0 行有误；表中 6 行（每个客户每区一行）/.test(await page.getByTestId("batch-summary").textContent()), "the workbook's results");
        const [download4] = await Promise.all([page.waitForEvent("download"), page.getByTestId("batch-download").click()]);
        const saved4 = path.join(dir, "browser-example.csv");
        await download4.saveAs(saved4);
        assert.deepEqual(await fs.readFile(saved4), await fs.readFile(referenceExample), "the same CSV as butie batch clients.xlsx");

        // A stray quote in a CRLF file (Excel's "CSV UTF-8"): that line is a bad row, the lines
        // after it are read, and every row is numbered as an editor numbers lines.
        const stray = path.join(dir, "stray.csv");
        await fs.writeFile(stray, "name,registered_district\r\nA,putuo\r\n\"B,putuo\r\nC,putuo\r\nD,putuo\r\n");
        await page.getByTestId("batch-file").setInputFiles(stray);
        await until(async () => /^stray\.csv：4 个客户，其中 1 行有误/.test(await page.getByTestId("batch-summary").textContent()), "the stray quote's results");
        assert.deepEqual(await page.getByTestId("batch-errors").locator("li").evaluateAll((els) => els.map((e) => e.dataset.row)), ["3"]);
        assert.match(await page.getByTestId("batch-errors").textContent(), /引号未闭合/);
        const rows = await page.locator('[data-testid="batch-row"][data-district="putuo"]').evaluateAll((els) => els.map((e) => e.dataset.row));
        assert.deepEqual(rows, ["2", "4", "5"]);

        // A bad file (an unknown column) is refused as a whole, with a close match.
        const badFile = path.join(dir, "bad-header.csv");
        await fs.writeFile(badFile, "name,cmmi_levle\nA,3\n");
        await page.getByTestId("batch-file").setInputFiles(badFile);
        await expectText(
          page.getByTestId("batch-failed"),
          "文件无法使用：第 2 列“cmmi_levle”不是已知的字段；是否想写：cmmi_level",
        );
        // GBK (Excel's plain "CSV" on Chinese Windows): read, with a note.
        const gbk = path.join(dir, "gbk.csv");
        await fs.writeFile(gbk, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xc9, 0xcf, 0xba, 0xa3, 0x0a]));
        await page.getByTestId("batch-file").setInputFiles(gbk);
        await until(async () => /^gbk\.csv：1 个客户/.test(await page.getByTestId("batch-summary").textContent()), "the GBK list read");
        assert.match(await page.getByTestId("batch-encoding").textContent(), /GB18030（GBK）/);
        assert.equal(await page.locator("tbody tr td.client .name").first().textContent(), "上海");
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, { cli: true });

  test("batch: a file dropped on the view is read like a chosen one", async () => {
    const text = await fs.readFile(path.join(FIXTURES, "clients-with-bad-rows.csv"), "utf8");
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await page.getByTestId("view-batch").click();
      await page.getByTestId("batch-as-of").fill(AS_OF);
      // What the browser does when a file is dragged from the desktop and let go over the view.
      const dropped = await page.evaluateHandle((csv) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([csv], "dropped.csv", { type: "text/csv" }));
        return transfer;
      }, text);
      const view = page.getByTestId("batch");
      await view.dispatchEvent("dragenter", { dataTransfer: dropped });
      await view.dispatchEvent("dragover", { dataTransfer: dropped });
      await view.dispatchEvent("drop", { dataTransfer: dropped });
      await page.getByTestId("batch-done").waitFor();
      assert.match(await page.getByTestId("batch-summary").textContent(), /^dropped\.csv：10 个客户，其中 2 行有误；表中 10 行（每个客户每区一行）/);
      assert.equal(await page.getByTestId("batch-row").count(), 6, "6 good clients in an encoded district");
      assert.equal(
        await page.locator('[data-testid="batch-row"][data-row="2"][data-district="putuo"]').getAttribute("data-up-to-yuan"),
        "2200000.00",
      );
    });
  });

  test("batch: a long list shows its progress and pages through the results", async () => {
    const text = (await fs.readFile(path.join(EXAMPLES, "clients.csv"), "utf8")).replace(/^\ufeff/, "");
    const [header, ...rows] = text.split(/\r?\n/).filter((l) => l.trim() !== "");
    const lines = [header];
    for (let i = 0; i < 3000; i++) lines.push(rows[i % rows.length].replace(/^C-\d+/, `C-${i + 1}`));
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await page.getByTestId("view-batch").click();
      await page.getByTestId("batch-as-of").fill(AS_OF);
      // Record every progress indicator the page shows (they may last one frame each).
      await page.evaluate(() => {
        window.__progress = [];
        new MutationObserver(() => {
          const p = document.querySelector('[data-testid="batch-progress"]');
          if (p) window.__progress.push(p.textContent);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.getByTestId("batch-file").setInputFiles({
        name: "clients-3000.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(lines.join("\n") + "\n"),
      });
      await page.getByTestId("batch-done").waitFor({ timeout: 30_000 });
      const progress = await page.evaluate(() => window.__progress);
      assert.ok(progress.length > 0, "a progress indicator was shown");
      assert.ok(progress.some((t) => /已计算 [\d,]+ \/ 3,000 个客户/.test(t)), `progress: ${progress.slice(0, 3)}`);
      assert.match(await page.getByTestId("batch-summary").textContent(), /3,000 个客户，其中 0 行有误；表中 3,000 行（每个客户每区一行）/);
      assert.equal(await page.locator("tbody tr").count(), 100, "one page of lines");
      await expectText(page.getByTestId("batch-pager").locator("span"), "第 1–100 行，共 3,000 行");
      await page.getByTestId("batch-next").click();
      await expectText(page.getByTestId("batch-pager").locator("span"), "第 101–200 行，共 3,000 行");
      // By registered district one line a client: client 101 is on line 102 of the file.
      assert.equal(await page.locator("tbody tr").first().getAttribute("data-row"), "102");
    });
  });

  test("embed panel: the snippet follows the choices, copies, and works on a page", async () => {
    const server = await serveDist();
    try {
      let scriptSnippet;
      let iframeSnippet;
      await withPage({ allowOrigins: [server.origin] }, async ({ page, context }) => {
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
        await page.goto(`${server.origin}/`);
        await expectApp(page);
        await page.getByTestId("view-embed").click();
        const snippet = page.getByTestId("embed-snippet");
        assert.equal(
          await snippet.inputValue(),
          '<script src="butie-widget.js" defer></script>\n<butie-calculator lang="zh"></butie-calculator>\n',
        );
        await page.getByTestId("embed-district-jinshan").uncheck();
        await page.getByTestId("embed-district-songjiang").uncheck();
        await page.getByTestId("embed-lang-en").check();
        await page.getByTestId("embed-compact").check();
        await page.getByTestId("embed-consultant").fill("Zhang & Partners");
        await page.getByTestId("embed-contact").fill("+86 21 5555 0101");
        await page.getByTestId("embed-accent").fill("#c0392b");
        scriptSnippet = await snippet.inputValue();
        assert.equal(
          scriptSnippet,
          '<script src="butie-widget.js" defer></script>\n' +
            '<butie-calculator lang="en" districts="jiading,putuo" compact consultant="Zhang &amp; Partners" contact="+86 21 5555 0101" accent="#c0392b"></butie-calculator>\n',
        );
        // The preview follows: English, the consultant line, the accent colour.
        const preview = page.getByTestId("embed-preview");
        await expectText(preview.locator("h2.title"), "butie subsidy calculator");
        await expectText(preview.getByTestId("consultant"), "Provided by Zhang & Partners · Contact: +86 21 5555 0101");
        assert.equal(await preview.locator(".available .up-to").evaluate((el) => getComputedStyle(el).color), "rgb(192, 57, 43)");
        // Copy.
        await page.getByTestId("embed-copy").click();
        await expectText(page.getByTestId("embed-copied"), "已复制");
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), scriptSnippet);
        // The iframe kind, hosted elsewhere.
        await page.getByTestId("embed-kind-iframe").check();
        await page.getByTestId("embed-base").fill("/");
        iframeSnippet = await snippet.inputValue();
        assert.equal(
          iframeSnippet,
          '<iframe src="/embed.html#lang=en&amp;districts=jiading,putuo&amp;compact=1&amp;consultant=Zhang%20%26%20Partners&amp;contact=%2B86%2021%205555%200101&amp;accent=%23c0392b" ' +
            'title="butie subsidy calculator" width="100%" height="900" frameborder="0" loading="lazy" data-butie-embed></iframe>\n' +
            '<script src="/butie-embed-host.js" defer></script>\n',
        );
        assert.deepEqual(await unlabelledControls(page), [], "controls without a label");
        await fs.mkdir(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, "embed-panel.png"), fullPage: false });
      });

      // Clipboard refused: the code is selected for Ctrl+C instead.
      await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
        await page.addInitScript(() => {
          navigator.clipboard.writeText = () => Promise.reject(new Error("denied"));
        });
        await page.goto(`${server.origin}/`);
        await expectApp(page);
        await page.getByTestId("view-embed").click();
        await page.getByTestId("embed-copy").click();
        await expectText(page.getByTestId("embed-copied"), "无法自动复制，代码已全选，请按 Ctrl+C（Mac：⌘C）。");
        const selection = await page.getByTestId("embed-snippet").evaluate((t) => [t.selectionStart, t.selectionEnd, t.value.length]);
        assert.deepEqual(selection, [0, selection[2], selection[2]], "all of it selected");
      });

      // The generated snippets, pasted into pages with the strict CSP, work as they are.
      const page = (body) =>
        `<!doctype html><html><head><meta charset="utf-8"><title>pasted</title><link rel="icon" href="data:,"></head><body>\n${body}</body></html>\n`;
      const hosts = await serveHosts({ "pasted-script.html": page(scriptSnippet), "pasted-iframe.html": page(iframeSnippet) });
      try {
        await withPage({ allowOrigins: [hosts.origin] }, async ({ page }) => {
          await recordPage(page);
          await page.goto(`${hosts.origin}/pasted-script.html`);
          const widget = page.locator("butie-calculator");
          await expectText(widget.locator("h2.title"), "butie subsidy calculator");
          await expectText(widget.getByTestId("consultant"), "Provided by Zhang & Partners · Contact: +86 21 5555 0101");
          assert.equal(await widget.getByTestId("consultant").locator("a").getAttribute("href"), "tel:+862155550101");
          assert.deepEqual(
            await widget.locator("[data-district]").evaluateAll((els) => els.map((e) => e.dataset.district).sort()),
            ["jiading", "putuo"],
          );
          assert.ok(await widget.locator(".butie.compact").count());
          assert.equal(await widget.locator(".available .up-to").evaluate((el) => getComputedStyle(el).color), "rgb(192, 57, 43)");
          assert.deepEqual(await page.evaluate(() => window.__violations), []);

          await page.goto(`${hosts.origin}/pasted-iframe.html`);
          const frame = page.frameLocator("iframe");
          await expectText(frame.locator("h2.title"), "butie subsidy calculator");
          await until(
            async () => (await page.locator("iframe").evaluate((el) => el.getBoundingClientRect().height)) !== 900,
            "the pasted iframe resized",
          );
          assert.deepEqual(await page.evaluate(() => window.__violations), []);
        });
      } finally {
        await hosts.close();
      }
    } finally {
      await server.close();
    }
  });

  test("start hook: a page without #app loading the page glue gets nothing mounted, nothing logged", async () => {
    const pages = {
      "no-app.html":
        '<!doctype html><html><head><meta charset="utf-8"><title>no app</title><link rel="icon" href="data:,">' +
        '<script type="module" src="no-app.js"></script></head><body><p id="host">host</p></body></html>',
      "no-app.js":
        'import init from "./butie.js";\nawait init({ module_or_path: "./butie_bg.wasm" });\ndocument.body.dataset.ready = "1";\n',
    };
    const server = await serveDist({ pages });
    try {
      await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
        const messages = [];
        page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
        await page.goto(`${server.origin}/no-app.html`);
        await page.locator("body[data-ready='1']").waitFor();
        await page.waitForTimeout(300);
        assert.deepEqual(messages, [], "nothing logged at all");
        assert.equal(await page.locator("body").innerHTML(), '<p id="host">host</p>', "nothing mounted");
        assert.equal(await page.evaluate(() => performance.getEntriesByType("mark").length), 0, "no marks");
      });
    } finally {
      await server.close();
    }
  });

  test("sizes: the widget script recorded next to the page budget", async () => {
    const budget = 250 * 1024;
    const sizes = {};
    for (const name of ["butie.html", "butie-widget.js", "embed.html", "butie-embed-host.js"]) {
      const bytes = await fs.readFile(path.join(DIST, name));
      sizes[name] = { raw: bytes.length, gzip: gzipLength(bytes) };
    }
    const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
    for (const [name, { raw, gzip }] of Object.entries(sizes)) {
      console.log(`        ${name.padEnd(20)} ${kib(raw).padStart(10)} raw  ${kib(gzip).padStart(10)} gzip`);
    }
    console.log(`        page budget (butie.html gzip): ${kib(budget)}`);
    await fs.mkdir(ARTIFACTS, { recursive: true });
    await fs.writeFile(path.join(ARTIFACTS, "sizes.json"), JSON.stringify({ budget_gzip: budget, ...sizes }, null, 2) + "\n");
    // The widget's wasm is built without the page's consultant tools (batch, embed panel): it
    // must never carry more than the page does.
    const widget = sizes["butie-widget.js"].gzip;
    const single = sizes["butie.html"].gzip;
    assert.ok(widget <= single, `widget ${kib(widget)} vs page ${kib(single)} (gzip)`);
    // A classic script: no module syntax, no code from strings.
    const script = await fs.readFile(path.join(DIST, "butie-widget.js"), "utf8");
    assert.doesNotMatch(script, /import\.meta|^export |new Function/m);
  });
}
