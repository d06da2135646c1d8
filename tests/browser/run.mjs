// Browser tests for the butie web front end: headless Chromium via playwright-core.
//
// Run through `cargo xtask test` (which builds dist/ first), or directly:
//   node tests/browser/run.mjs [name-filter]
// Environment:
//   BUTIE_CHROMIUM  Chromium binary (default /usr/bin/chromium); no browser is ever downloaded
//   BUTIE_DIST      directory with the built pages (default <repo>/dist)
//
// What is covered: the single file from file:// with the network blocked, the
// multi-file and hosted pages making no requests after load (every test also fails
// on any off-machine request or console error), a realistic profile filled through
// the form with hand-checked amounts (policies/sources/003_*.txt), compare-all with
// expired and draft policies labelled, please-add links, share link round trip and
// damaged links, persistence and reset, language switch, field errors, exports and
// import, keyboard and labels, the print stylesheet (PDF) and screenshots at 1280 px
// and 375 px. embedding.mjs adds issue 4: the widget on a host page with aggressive CSS
// and a strict CSP (rendering, isolation, events, attributes, the JS API against the
// CLI's JSON), the iframe and its resizing, the batch view against the CLI's CSV, the
// "Embed on your site" panel, the start hook on a page without #app, and the sizes. time.mjs
// adds issue 10: ending-soon banners, window notes derived from the state, schedules past a
// policy's end, the calendar download, the as-of range and the fixture page's successor.
// Tests marked `{ cli: true }` compare with the CLI (`cargo run -p butie-cli`), which
// is built once before the tests run.
//
// Helpers and the runner are in lib.mjs.
//
// To add a test: call `test("name", async () => { ... })` below; use `withPage`
// for a fresh browser, `serveDist` for an http server on 127.0.0.1, `distFileUrl`
// for file:// URLs, `fillRealistic` for the standard profile and `assert` from
// node:assert/strict. Screenshots and the PDF go to tests/browser/artifacts/
// (gitignored).

import assert from "node:assert/strict";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  ARTIFACTS,
  AS_OF,
  ROOT,
  accessibilityViolations,
  answerApplicant,
  cli,
  openFileMenu,
  openEverything,
  REALISTIC_VALUES,
  TITLE,
  clause,
  distFileUrl,
  expectApp,
  expectPutuoFigures,
  expectText,
  fillRealistic,
  gotoRecording,
  main,
  readRealistic,
  serveDist,
  test,
  todayInShanghai,
  unlabelledControls,
  until,
  withPage,
} from "./lib.mjs";
import { registerEmbeddingTests } from "./embedding.mjs";
import { registerPackTests } from "./packs.mjs";
import { registerTimeTests } from "./time.mjs";
import { registerUxTests } from "./ux.mjs";

// ---------------------------------------------------------------- tests

test("single file works from file:// with the network blocked", async () => {
  await withPage({}, async ({ page }) => {
    const requests = await gotoRecording(page, distFileUrl("butie.html"));
    await expectApp(page);
    assert.deepEqual(requests.all(), [distFileUrl("butie.html")], "only the page itself is loaded");
    const marks = await page.evaluate(() => performance.getEntriesByName("butie:first-results").length);
    assert.equal(marks, 1, "the first-results mark is set once");
  });
});

test("multi-file page over http makes no requests after load", async () => {
  const server = await serveDist();
  try {
    await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
      const requests = await gotoRecording(page, `${server.origin}/index.html`);
      await expectApp(page);
      await page.waitForTimeout(1_000);
      assert.deepEqual(requests.sinceLoad(), [], "no requests after the load event");
      assert.deepEqual(
        requests.all().sort(),
        ["/butie-batch.js", "/butie.js", "/butie_bg.wasm", "/index.html"].map((p) => server.origin + p),
        "loads exactly the page, the glue, the wasm and the batch module's loader (its wasm waits for the batch view)",
      );
    });
  } finally {
    await server.close();
  }
});

test("hosted single file (/) makes no requests while it is used", async () => {
  const server = await serveDist();
  try {
    await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
      const requests = await gotoRecording(page, `${server.origin}/`);
      await expectApp(page);
      // Use it: fill, compare, switch language, print layout, share; still nothing goes out.
      await fillRealistic(page);
      await expectPutuoFigures(page);
      await page.getByTestId("butie-mode-compare").check();
      await page.getByTestId("lang").click();
      await openFileMenu(page);
      await page.getByTestId("share").click();
      await page.getByTestId("share-link").waitFor();
      await page.waitForTimeout(500);
      assert.deepEqual(requests.sinceLoad(), [], "no requests after the load event");
      assert.deepEqual(requests.all(), [`${server.origin}/`], "only the page itself is loaded");
    });
  } finally {
    await server.close();
  }
});

test("content security policy: the pages run only their own code and cannot reach the network", async () => {
  // What a page's CSP refuses (fetch, image, injected script) and the directive it names.
  const probe = async (page) =>
    page.evaluate(async () => {
      const violations = [];
      document.addEventListener("securitypolicyviolation", (e) => violations.push(e.effectiveDirective));
      const fetched = await fetch("http://127.0.0.1:9/x").then(() => "sent", () => "refused");
      const img = new Image();
      img.src = "http://127.0.0.1:9/pixel.png";
      const script = document.createElement("script");
      script.textContent = "window.__butieInjected = true;";
      document.body.append(script);
      await new Promise((r) => setTimeout(r, 200));
      const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? "";
      return { fetched, injected: window.__butieInjected === true, violations: violations.sort(), meta };
    });
  const refused = [/Refused to/, /Content Security Policy/, /Failed to fetch/, /ERR_/];
  for (const file of ["butie.html", "embed.html"]) {
    await withPage({ allowedProblems: refused }, async ({ page }) => {
      await page.goto(distFileUrl(file));
      if (file === "butie.html") await expectApp(page);
      else await page.locator("butie-calculator").waitFor();
      const seen = await probe(page);
      assert.equal(seen.fetched, "refused", `${file}: fetch is refused`);
      assert.equal(seen.injected, false, `${file}: an injected script does not run`);
      assert.deepEqual(seen.violations, ["connect-src", "img-src", "script-src-elem"], `${file}: ${seen.meta}`);
      assert.match(seen.meta, /default-src 'none'/);
      assert.doesNotMatch(seen.meta, /connect-src/, `${file}: nothing to connect to`);
    });
  }
  // The multi-file page may load its own files, and nothing else.
  const server = await serveDist();
  try {
    await withPage({ allowOrigins: [server.origin], allowedProblems: refused }, async ({ page }) => {
      await page.goto(`${server.origin}/index.html`);
      await expectApp(page);
      const seen = await probe(page);
      assert.equal(seen.fetched, "refused");
      assert.equal(seen.injected, false);
      assert.match(seen.meta, /connect-src 'self'/);
      const own = await page.evaluate(async () => (await fetch("./butie.js")).ok);
      assert.equal(own, true, "its own files stay reachable");
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
      await expectApp(page);
      // What "Save page as… (complete)" stores: the live DOM, scripts included.
      const html = `<!DOCTYPE html>\n${await page.evaluate(() => document.documentElement.outerHTML)}`;
      const saved = path.join(dir, "saved.html");
      await fs.writeFile(saved, html);
      await page.goto(pathToFileURL(saved).href);
      await expectApp(page);
      assert.equal(await page.locator("#app > *").count(), 1, "#app holds one fresh render");
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test("with no district chosen, each district shows a summary that opens", async () => {
  await withPage({}, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    await page.getByTestId("pick-district").waitFor();
    assert.equal(await page.locator("[data-district]").count(), 4, "every encoded district");
    await expectText(page.getByTestId("available-up-to"), "最高 0元");
    const putuo = page.getByTestId("district-putuo");
    await expectText(putuo.getByTestId("policy-state"), "在施行");
    const toggle = putuo.getByRole("button", { name: /^全部条款/ });
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    await putuo.locator(".clause").first().waitFor();
    // A district with no policy encoded says so.
    await page.getByLabel("工商注册区", { exact: true }).selectOption("xuhui");
    await page.getByTestId("not-encoded").waitFor();
    assert.match(await page.getByTestId("not-encoded").textContent(), /徐汇区：本工具尚未收录该区的政策/);
    assert.equal(await page.locator("[data-district]").count(), 0, "no card");
    // Choosing an encoded district lists its clauses straight away.
    await page.getByLabel("工商注册区", { exact: true }).selectOption("jinshan");
    const jinshan = page.getByTestId("district-jinshan");
    await jinshan.locator(".clause").first().waitFor();
    assert.equal(await page.locator("[data-district]").count(), 1);
    assert.equal(await jinshan.getByRole("button", { name: /^全部条款/ }).count(), 0, "no summary toggle");
  });
});

test("a realistic profile gives the hand-checked amounts; compare all labels expired policies", async () => {
  await withPage({}, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    await fillRealistic(page);
    await expectPutuoFigures(page);
    // Registered in Putuo: only Putuo's card.
    assert.equal(await page.locator("[data-district]").count(), 1, "one card when registered");

    // Expanding a clause shows conditions, arithmetic, the verbatim quote with 文号, hints.
    const rd = clause(page, "putuo", "putuo.3.3");
    await rd.locator(".clause-head").click();
    assert.equal(await rd.locator(".clause-head").getAttribute("aria-expanded"), "true");
    const body = rd.locator(".clause-body");
    await body.waitFor({ state: "visible" });
    const text = await body.textContent();
    assert.match(text, /实际已投入金额 200万元 × 不超过 50% = 100万元/, "the arithmetic");
    assert.match(text, /普科合规范〔2024〕3号 三（三）/, "文号 and article");
    assert.match(
      await body.getByTestId("quote").textContent(),
      /^对符合产业导向的技术研发项目，取得一定成果的，经认定，可按项目实际投入资金总额的50%以内比例，给予最高不超过300万元的资助。$/,
      "the verbatim quote",
    );
    assert.match(text, /可再增最高 200万元/, "the near-miss hint");
    assert.match(text, /待认定/, "the review condition");

    // Compare all districts: four cards; 金山 expired, 松江 a draft.
    await page.getByTestId("butie-mode-compare").check();
    await page.getByTestId("district-jinshan").waitFor();
    assert.equal(await page.locator("[data-district]").count(), 4, "four cards");
    // The other districts' applicant conditions are now asked too, and what 金山 reads (a software firm).
    await answerApplicant(page);
    await page.getByTestId("asked").getByLabel("属于软件和信息服务业企业", { exact: true }).selectOption("true");
    await expectText(page.getByTestId("district-jinshan").getByTestId("policy-state"), "已失效");
    await expectText(page.getByTestId("district-songjiang").getByTestId("policy-state"), "草案");
    await expectText(page.getByTestId("district-jiading").getByTestId("policy-state"), "已失效");
    // 第八条 checks the certificate date against the application period (申报期), which is not
    // given yet: the clause needs it, never assumes it, and links to the setting.
    const jinshan8 = clause(page, "jinshan", "jinshan.8");
    assert.equal(await jinshan8.getAttribute("data-status-if-in-force"), "needs_information");
    await page.getByLabel("CMMI 证书颁发日期", { exact: true }).fill("2023-05-10");
    const period = jinshan8.getByTestId("missing").getByRole("button", { name: /^申报期/ });
    await period.click();
    const setting = page.getByTestId("application-period");
    await until(() => setting.evaluate((el) => el === document.activeElement), "the application period has focus");
    // A period that holds the certificate: 第八条 pays 30万 — labelled, not counted.
    await page.keyboard.type("2023-01-01..2023-12-31");
    await expectText(jinshan8.getByTestId("amount"), "若仍有效 30万元", "金山 第八条");
    await expectText(jinshan8.getByTestId("status"), "政策未在施行期", "金山 第八条 status");
    assert.equal(await jinshan8.getAttribute("data-status-if-in-force"), "eligible");
    // A certificate from years before the period: not met (the window alone let it count).
    await setting.fill("2024-01-01..2024-06-30");
    await until(async () => (await jinshan8.getAttribute("data-status-if-in-force")) === "not_eligible", "outside the period");
    await setting.fill("2023-01-01..2023-12-31");
    await until(async () => (await jinshan8.getAttribute("data-status-if-in-force")) === "eligible", "inside again");
    // A period that cannot be read says why and counts as not given.
    await setting.fill("2023-12-31..2023-01-01");
    await expectText(page.locator("#butie-period-error"), "截止日期 2023-01-01 早于起始日期 2023-12-31");
    assert.equal(await jinshan8.getAttribute("data-status-if-in-force"), "needs_information");
    await setting.fill("2023-01-01..2023-12-31");
    await until(async () => (await jinshan8.getAttribute("data-status-if-in-force")) === "eligible", "readable again");
    assert.equal(await jinshan8.getAttribute("data-counted"), "false");
    assert.match(await jinshan8.textContent(), /若仍有效：可申请/);
    const jinshan = page.getByTestId("district-jinshan").getByTestId("totals");
    assert.match(await jinshan.textContent(), /若仍有效：确定 30万元 · 最高 30万元（不计入当前可得）/);
    assert.equal(await jinshan.getAttribute("data-up-to-yuan"), "0.00", "nothing payable now");
    // Available now still counts Putuo only.
    await expectText(page.getByTestId("available-up-to"), "最高 220万元", "available now");
    // Full yuan on request.
    await page.getByTestId("full-yuan").click();
    await expectText(jinshan8.getByTestId("amount"), "若仍有效 300,000.00元", "full yuan");
  });
});

test("嘉定 二5 is completed from the form for each of its three project kinds at Shanghai level: the 500万 ceiling", async () => {
  await withPage({}, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    // 2024-06-01: 嘉定 in force. Its applicant conditions are answered (nothing is presumed).
    await page.getByTestId("as-of").fill("2024-06-01");
    await page.getByLabel("工商注册区", { exact: true }).selectOption("jiading");
    await answerApplicant(page);
    await page.getByTestId("add-projects").click();
    const project = page.getByTestId("projects-0");
    const benchmark = clause(page, "jiading", "jiading.2.5");
    for (const kind of ["iiot_application", "digital_transformation", "iiot_platform"]) {
      await project.getByLabel(/^项目类型/).selectOption(kind);
      await project.getByLabel("获评 / 认定级别", { exact: true }).selectOption("municipal");
      // 2000万 invested: 30% = 600万, above the Shanghai-level ceiling.
      await project.getByLabel("实际已投入金额").fill("2000");
      // The fields 二5 reads are shown for this kind, unanswered until answered (0, no matching).
      // (Money labels carry their unit, so they are matched by their start.)
      for (const label of ["该项目已获上级（国家、市级）补助", "同一项目已获其他区级政策扶持", "同一项目已获镇级产业政策扶持"]) {
        assert.ok(await project.getByLabel(label).isVisible(), `${kind}: ${label} is shown`);
        await project.getByLabel(label).fill("0");
      }
      const matching = project.getByLabel("上级补助项目有区级资金配套要求", { exact: true });
      assert.ok(await matching.isVisible(), `${kind}: matching is shown`);
      await matching.selectOption("false");
      await expectText(benchmark.getByTestId("amount"), "最高 500万元", `${kind}: the Shanghai-level ceiling`);
      assert.equal(await benchmark.getAttribute("data-status"), "eligible_subject_to_review", kind);
      assert.equal(await benchmark.getAttribute("data-counted"), "true", `${kind}: counted (从高不重复 picks 二5)`);
      assert.equal(await benchmark.getByTestId("missing").count(), 0, `${kind}: nothing left to ask`);
    }
  });
});

test("other readings: shown with their amounts next to the counted figure, in the clause and in print", async () => {
  await withPage({}, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    await fillRealistic(page);
    await expectPutuoFigures(page);
    // 三（四）: the text is silent on when a qualification must be obtained — said next to the amount.
    const qualifications = clause(page, "putuo", "putuo.3.4.qualifications");
    assert.match(await qualifications.getByTestId("amount-note").textContent(), /条文未规定资质须在何时取得/);
    // Two events of 400万 and 500万: 200万 for the enterprise (counted); 400万 per event (the other reading).
    // (The realistic profile's R&D project is projects-0.)
    for (const [n, cost] of [[1, "400"], [2, "500"]]) {
      await page.getByTestId("add-projects").click();
      const p = page.getByTestId(`projects-${n}`);
      await p.getByLabel(/^项目类型/).selectOption("event_hosting");
      await p.getByLabel("实际发生费用").fill(cost);
      await p.getByLabel(/^同一项目已获其他区级政策扶持/).fill("0");
      await p.getByLabel(/^同一项目已获上海市其他政策支持/).fill("0");
    }
    const hosting = clause(page, "putuo", "putuo.3.10.hosting");
    await expectText(hosting.getByTestId("amount"), "最高 200万元", "三（十） per enterprise");
    await expectText(hosting.getByTestId("reading-line"), "另一读法（每次活动各最高200万元）：最高 400万元，不计入", "the per-event reading");
    await hosting.locator(".clause-head").click();
    const readings = hosting.getByTestId("readings");
    assert.match(await readings.textContent(), /对举办相关领域具有一定影响力的峰会、论坛、展览会、博览会等活动/, "the sentence it rests on");
    // Computing power of 2000万: 600万 counted toward the 500万 ceiling — the item says so.
    await page.getByTestId("add-projects").click();
    const compute = page.getByTestId("projects-3");
    await compute.getByLabel(/^项目类型/).selectOption("computing_power");
    await compute.getByLabel("实际发生费用").fill("2000");
    await compute.getByLabel(/^同一项目已获其他区级政策扶持/).fill("0");
    await compute.getByLabel(/^同一项目已获上海市其他政策支持/).fill("0");
    const power = clause(page, "putuo", "putuo.3.6");
    await expectText(power.getByTestId("amount"), "最高 500万元", "三（六）");
    await power.locator(".clause-head").click();
    const item = power.locator(".item-result").first();
    await expectText(item.locator(".amount"), "最高 500万元", "the item counts up to the ceiling");
    assert.match(await item.textContent(), /每家企业上限 500万元：600万元 → 500万元/, "and shows it");
    // Print: the readings and the note print with every clause.
    await page.emulateMedia({ media: "print" });
    assert.ok(await readings.isVisible(), "readings print");
    assert.ok(await qualifications.getByTestId("amount-note").isVisible(), "the note prints");
  });
});

test("a please-add link opens and focuses the missing field", async () => {
  await withPage({}, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    await fillRealistic(page);
    const missing = clause(page, "putuo", "putuo.3.1").getByTestId("missing");
    await missing.getByRole("button", { name: "在本区新设立或迁入日期" }).click();
    const field = page.getByLabel("在本区新设立或迁入日期", { exact: true });
    await field.waitFor();
    await until(() => field.evaluate((el) => el === document.activeElement), "the field has focus");
    await page.keyboard.type("2025-03-01");
    await expectText(clause(page, "putuo", "putuo.3.1").getByTestId("status"), "需审核认定", "三（一） now on review");
  });
});

test("share link round trip through the URL fragment; a damaged link says so", async () => {
  // A page served over http: its address can be shared (a file:// page says it cannot).
  const server = await serveDist();
  let link;
  try {
    await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
      await page.goto(`${server.origin}/`);
      await expectApp(page);
      await fillRealistic(page);
      await expectPutuoFigures(page);
      await openFileMenu(page);
      await page.getByTestId("share").click();
      link = await page.getByTestId("share-link").inputValue();
    });
    const url = new URL(link);
    assert.equal(url.href.split("#")[0], `${server.origin}/`, "the link is this page");
    assert.match(url.hash, /^#profile=[A-Za-z0-9_-]+(&as_of=2026-11-21)?$/, "the profile is in the fragment only");
    assert.equal(url.search, "", "nothing in the query string (which would reach a server)");
    // A fresh browser profile: nothing stored, only the link: loaded straight away.
    await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
      await page.goto(link);
      await expectApp(page);
      await expectText(page.getByTestId("notice").locator("p").first(), "已从分享链接载入企业信息。");
      await expectPutuoFigures(page);
      assert.deepEqual(await readRealistic(page), REALISTIC_VALUES, "the form is restored");
      assert.equal(new URL(page.url()).hash, "", "the fragment is cleared once read");
    });
  } finally {
    await server.close();
  }
  const url = new URL(link);
  // Damaged: truncated base64, then not JSON at all. The app still works and says why.
  for (const [hash, reason] of [
    [url.hash.slice(0, 40), /分享链接已损坏/],
    ["#profile=bm90IGpzb24", /不是有效的 JSON/],
  ]) {
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html") + hash);
      await expectApp(page);
      const notice = page.getByTestId("notice");
      await notice.waitFor();
      assert.match(await notice.textContent(), /分享链接已损坏/);
      assert.match(await notice.textContent(), reason);
      assert.equal(await notice.getAttribute("role"), "alert");
      // Results are there and the form works.
      await fillRealistic(page);
      await expectPutuoFigures(page);
    });
  }
});

test("inputs persist across reloads; reset clears them", async () => {
  await withPage({}, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    await fillRealistic(page);
    await expectPutuoFigures(page);
    await page.reload();
    await expectApp(page);
    await expectPutuoFigures(page);
    assert.deepEqual(await readRealistic(page), REALISTIC_VALUES, "the form is restored");
    await openFileMenu(page);
    await page.getByTestId("reset").click();
    // Nothing presumed after a reset either: the district is asked first, nothing else is answered.
    assert.equal(await page.getByLabel("工商注册区", { exact: true }).inputValue(), "");
    await page.getByTestId("ask-district").waitFor();
    assert.equal(await page.getByTestId("as-of").inputValue(), todayInShanghai(), "as-of back to today");
    assert.equal(await page.getByTestId("projects-0").count(), 0, "no projects");
    await until(
      () => page.evaluate(() => localStorage.getItem("butie:v1") === null),
      "the stored inputs are deleted",
    );
    // One click away from undo.
    await page.getByTestId("notice-offer").click();
    await expectPutuoFigures(page);
    assert.deepEqual(await readRealistic(page), REALISTIC_VALUES, "undo puts every input back");
    await until(
      () => page.evaluate(() => localStorage.getItem("butie:v1") !== null),
      "and stores them again",
    );
    await openFileMenu(page);
    await page.getByTestId("reset").click();
    await page.reload();
    await expectApp(page);
    assert.equal(await page.getByLabel("工商注册区", { exact: true }).inputValue(), "", "still reset after a reload");
  });
});

test("language switch: English labels, amounts and back", async () => {
  await withPage({}, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    await fillRealistic(page);
    await expectPutuoFigures(page);
    await page.getByTestId("lang").click();
    await page.getByRole("heading", { level: 1 }).filter({ hasText: "butie subsidy calculator" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
    assert.equal(await page.title(), "butie subsidy calculator");
    assert.equal(await page.getByLabel("Registered district", { exact: true }).inputValue(), "putuo");
    await expectText(clause(page, "putuo", "putuo.3.3").getByTestId("amount"), "up to CNY 1,000,000");
    await expectText(clause(page, "putuo", "putuo.3.3").getByTestId("status"), "Subject to review");
    await expectText(page.getByTestId("district-putuo").getByTestId("policy-state"), "Ending soon");
    await expectText(page.getByTestId("available-up-to"), "Up to CNY 2,200,000");
    // The language is remembered.
    await page.reload();
    await page.getByRole("heading", { level: 1 }).filter({ hasText: "butie subsidy calculator" }).waitFor();
    await page.getByTestId("lang").click();
    await page.getByRole("heading", { level: 1 }).filter({ hasText: TITLE }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
    await expectPutuoFigures(page);
  });
});

test("bad values show their field's error; other results stay", async () => {
  await withPage({}, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    await fillRealistic(page);
    await expectPutuoFigures(page);
    const project = page.getByTestId("projects-0");
    const invested = project.getByLabel("实际已投入金额");
    const fieldError = (locator) => locator.locator("xpath=ancestor::div[contains(@class,'field')][1]").getByTestId("field-error");
    for (const [value, message] of [
      ["-5", "金额不能为负数"],
      ["abc", "请输入数字金额（万元），如 200 或 12.5"],
      ["200000000", "金额过大（上限 1 万亿元）"],
      ["1.0000001", "万元最多保留六位小数（精确到分）"],
    ]) {
      await invested.fill(value);
      await expectText(fieldError(invested), message, `error for ${value}`);
      assert.equal(await invested.getAttribute("aria-invalid"), "true");
      // The bad field counts as unknown: 三（三） needs it, the other clauses stay.
      await expectText(clause(page, "putuo", "putuo.3.3").getByTestId("status"), "需补充信息");
      await expectText(clause(page, "putuo", "putuo.3.4.games").getByTestId("amount"), "最高 100万元");
      await expectText(clause(page, "putuo", "putuo.3.4.qualifications").getByTestId("amount"), "最高 20万元");
      await expectText(page.getByTestId("error-summary"), "1 个字段有误，按“未填写”处理，其余结果照常显示。");
    }
    // A malformed date.
    const established = page.getByLabel("在本区新设立或迁入日期", { exact: true });
    await established.fill("2025-13-40");
    await expectText(fieldError(established), "日期格式应为 YYYY-MM-DD，且为有效日期");
    await expectText(page.getByTestId("error-summary"), "2 个字段有误，按“未填写”处理，其余结果照常显示。");
    // Fixed again: everything back, exact conversion shown.
    await invested.fill("200");
    await established.fill("");
    await expectPutuoFigures(page);
    assert.equal(await page.getByTestId("error-summary").count(), 0);
    await expectText(project.getByTestId("converted"), "= 2,000,000.00元");
  });
});

test("profile JSON export/import and results CSV/JSON export", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "butie-export-"));
  try {
    const files = {};
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await fillRealistic(page);
      await expectPutuoFigures(page);
      await openFileMenu(page);
      for (const [id, name] of [
        ["export-profile", "profile.json"],
        ["export-csv", "results.csv"],
        ["export-json", "results.json"],
      ]) {
        const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(id).click()]);
        assert.equal(download.suggestedFilename(), name.replace(".", `-${AS_OF}.`).replace(/^/, "butie-"));
        files[name] = path.join(dir, name);
        await download.saveAs(files[name]);
      }
    });
    const profile = JSON.parse(await fs.readFile(files["profile.json"], "utf8"));
    assert.equal(profile.schema_version, 1);
    assert.equal(profile.enterprise.registered_district, "putuo");
    assert.equal(profile.certifications.cmmi_level, "3");
    assert.equal(profile.projects[0].actual_investment, "2000000.00", "money exported in yuan");
    const results = JSON.parse(await fs.readFile(files["results.json"], "utf8"));
    assert.equal(results.as_of, AS_OF);
    assert.equal(results.available_now.up_to, "2200000.00");
    const putuo = results.districts.find((d) => d.district === "putuo");
    assert.equal(putuo.clauses.find((c) => c.id === "putuo.3.3").amount.value, "1000000.00");
    const csv = await fs.readFile(files["results.csv"], "utf8");
    assert.ok(csv.startsWith("\ufeffas_of,enterprise,mode,district"), "CSV with a BOM and a header");
    assert.match(csv.split("\n")[0], /,counted_now,days_left,ending_soon$/, "the document's days left in every row");
    assert.match(csv, /putuo\.3\.4\.games,三（四）,网络游戏产品（获得版号并上线运营）,[^\n]*eligible_subject_to_review,eligible_subject_to_review,up_to,1000000\.00,100,true,40,true\n/);
    // The same CSV as `butie evaluate --csv` on the exported profile (one writer, in the core).
    // The page evaluates the registered district only (the CLI: --district); compare: all.
    const mode = csv.split("\n")[1].split(",")[2] === "compare_all" ? ["--compare"] : ["--district", profile.enterprise.registered_district];
    const fromCli = await cli(["evaluate", files["profile.json"], "--as-of", AS_OF, "--csv", ...mode]);
    assert.equal(csv, "\ufeff" + fromCli, "the page's results CSV is the CLI's");
    // Import into a fresh browser.
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await page.getByTestId("import").setInputFiles(files["profile.json"]);
      await expectText(page.getByTestId("notice").locator("p").first(), "已导入企业信息。");
      await page.getByTestId("as-of").fill(AS_OF);
      await expectPutuoFigures(page);
      // A broken file is refused with a message.
      const broken = path.join(dir, "broken.json");
      await fs.writeFile(broken, "{ not json");
      await page.getByTestId("import").setInputFiles(broken);
      await until(async () => /导入失败/.test(await page.getByTestId("notice").textContent()), "import error");
      await expectPutuoFigures(page);
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}, { cli: true });

test("keyboard use: every control is labelled, clauses open with Enter", async () => {
  await withPage({}, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    await fillRealistic(page);
    await page.getByTestId("butie-mode-compare").check();
    await page.getByTestId("district-jinshan").waitFor();
    assert.deepEqual(await unlabelledControls(page), [], "controls without a label");
    // Tab reaches the first control; Enter toggles a clause.
    await page.keyboard.press("Tab");
    assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), "BODY");
    const head = clause(page, "putuo", "putuo.3.4.games").locator(".clause-head");
    await head.focus();
    await page.keyboard.press("Enter");
    assert.equal(await head.getAttribute("aria-expanded"), "true");
    await page.keyboard.press("Enter");
    assert.equal(await head.getAttribute("aria-expanded"), "false");
  });
});

/** The realistic profile, all districts compared, everything opened. */
async function realisticComparedOpened(page) {
  await fillRealistic(page);
  await expectPutuoFigures(page);
  await page.getByTestId("butie-mode-compare").check();
  await page.getByTestId("district-jinshan").waitFor();
  await openEverything(page);
}

test("accessibility: axe-core finds no WCAG 2.1 A/AA violation in any state of the page", async () => {
  await withPage({ bypassCSP: true }, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    assert.deepEqual(await accessibilityViolations(page), [], "first screen");
    await realisticComparedOpened(page);
    assert.deepEqual(await accessibilityViolations(page), [], "compare all, every clause open");
    const invested = page.getByTestId("projects-0").getByLabel("实际已投入金额");
    await invested.fill("-5");
    await page.getByTestId("error-summary").waitFor();
    assert.deepEqual(await accessibilityViolations(page), [], "a field error");
    await invested.fill("200");
    await page.getByTestId("lang").click();
    await expectText(page.locator("h1"), "butie subsidy calculator");
    assert.deepEqual(await accessibilityViolations(page), [], "English");
    await page.getByTestId("view-batch").click();
    await page.getByTestId("batch-file").setInputFiles(path.join(ROOT, "docs", "examples", "clients.csv"));
    await page.locator(".batch-table").waitFor();
    assert.deepEqual(await accessibilityViolations(page), [], "the batch view with results");
    await page.getByTestId("view-embed").click();
    await page.getByTestId("embed-snippet").waitFor();
    assert.deepEqual(await accessibilityViolations(page), [], "the embed panel");
  });
  await withPage({ bypassCSP: true, colorScheme: "dark", viewport: { width: 375, height: 740 } }, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    await realisticComparedOpened(page);
    assert.deepEqual(await accessibilityViolations(page), [], "dark, 375 px, every clause open");
  });
}, { timeout: 240_000 }); // many states, each scanned: slow on a loaded 2-core machine

test("print stylesheet: a clean report with the profile and every derivation (PDF artifact)", async () => {
  await withPage({}, async ({ page }) => {
    await page.goto(distFileUrl("butie.html"));
    await expectApp(page);
    await fillRealistic(page);
    await expectPutuoFigures(page);
    await page.emulateMedia({ media: "print" });
    const header = page.locator(".print-header");
    assert.ok(await header.isVisible(), "the report header prints");
    const text = await header.textContent();
    assert.match(text, /补贴测算报告/);
    assert.match(text, /评估日期 2026-11-21/);
    assert.match(text, /普科合规范〔2024〕3号/, "policy versions");
    assert.match(text, /实际已投入金额：200万元/, "the profile as entered");
    assert.ok(!(await page.locator(".form").isVisible()), "the form does not print");
    assert.ok(!(await page.locator(".toolbar").isVisible()), "the toolbar does not print");
    // Every clause body prints, expanded or not.
    const bodies = page.locator(".clause-body");
    const count = await bodies.count();
    assert.ok(count >= 10, `${count} clause bodies`);
    for (let i = 0; i < count; i++) assert.ok(await bodies.nth(i).isVisible(), `clause body ${i} prints`);
    await fs.mkdir(ARTIFACTS, { recursive: true });
    const pdf = path.join(ARTIFACTS, "report.pdf");
    await page.pdf({ path: pdf, format: "A4", printBackground: false });
    const head = await fs.readFile(pdf);
    assert.equal(head.subarray(0, 5).toString(), "%PDF-");
  });
});

for (const { width, height, name } of [
  { width: 1280, height: 800, name: "desktop-1280" },
  { width: 375, height: 812, name: "phone-375" },
]) {
  test(`screenshot at ${width}px fits the width`, async () => {
    await withPage({ viewport: { width, height } }, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await fillRealistic(page);
      await expectPutuoFigures(page);
      await clause(page, "putuo", "putuo.3.3").locator(".clause-head").click();
      await fs.mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
      const fits = () => page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok((await fits()) <= width, `no horizontal scrolling (scrollWidth ${await fits()})`);
      await page.getByTestId("butie-mode-compare").check();
      await page.getByTestId("district-jinshan").waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-compare.png`), fullPage: true });
      assert.ok((await fits()) <= width, `no horizontal scrolling when comparing (scrollWidth ${await fits()})`);
      await page.getByTestId("lang").click();
      await page.getByRole("heading", { level: 1 }).filter({ hasText: "butie subsidy calculator" }).waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-compare-en.png`), fullPage: true });
      assert.ok((await fits()) <= width, `no horizontal scrolling in English (scrollWidth ${await fits()})`);
    });
  });
}

registerEmbeddingTests();
registerPackTests();
registerTimeTests();
registerUxTests();

process.exitCode = await main();
