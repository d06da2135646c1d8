// Browser tests of issue 13, policy packs: the fictional 虹口 district authored from its text in
// the studio (dist/butie-studio.html: live errors at line and column, quotes found in the text,
// cases, the preview), exported, loaded into the page (kept across reloads, listed with its
// hash) and into a widget on a host page (by URL under a strict CSP, and inline), with the same
// amounts as the CLI; and bad packs refused with nothing else changed.
//
// The example pack's files (examples/packs/hongkou) are what the author types; the CLI's
// `butie evaluate --pack` of the exported pack is the reference.

import assert from "node:assert/strict";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  ROOT,
  STRICT_CSP,
  accessibilityViolations,
  cli,
  distFileUrl,
  expectApp,
  openFileMenu,
  serveDist,
  test,
  until,
  withPage,
} from "./lib.mjs";

const PACK_DIR = path.join(ROOT, "examples", "packs", "hongkou");
const AS_OF = "2026-06-01";
const read = (name) => fs.readFile(path.join(PACK_DIR, name), "utf8");

/** The reference enterprise of the pack's first case (cases/hongkou.yaml), as a profile file. */
const PROFILE = {
  schema_version: 1,
  name: "虚构企业",
  enterprise: {
    registered_district: "hongkou",
    entity_type: "enterprise",
    credit_good: true,
    serious_violation_dates: [],
    is_software_enterprise: true,
  },
  operations: { uses_listed_cloud: true, cloud_service_spend: "300000" },
  certifications: { software_enterprise_assessed: true, cmmi_level: "4", cmmi_issued_on: "2025-03-01" },
  hongkou_fictional: { incubator_resident: true },
  projects: [
    { name: "训练集群", kind: "computing_power", actual_cost: "1000000", other_support_received: "50000" },
    { name: "推理集群", kind: "computing_power", actual_cost: "3000000", other_support_received: "0" },
    { name: "渲染农场", kind: "computing_power", actual_cost: "1234567.89", other_support_received: "8641.97" },
  ],
};

/** Fills the studio's editor of `tab` with `text`. */
async function edit(page, tab, text) {
  await page.getByTestId(`studio-tab-${tab}`).click();
  await page.getByTestId(`studio-${tab}`).fill(text);
}

/** The studio's counts line: problems, quotes found, cases passing. */
const counts = (page) => page.getByTestId("studio-counts").textContent();

/** The text of a district card's totals in a root (page or preview). */
async function totals(root, district) {
  const card = root.getByTestId(`district-${district}`);
  return [await card.getByTestId("definite").first().textContent(), await card.getByTestId("up-to").first().textContent()];
}

export function registerPackTests() {
  test(
    "packs: author the fictional district in the studio, export it, load it into the page and a widget: the CLI's amounts",
    async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "butie-packs-"));
      try {
        const packFile = path.join(dir, "hongkou-fictional.butie.json");
        const policy = await read("hongkou-fictional-2025.toml");

        // ---- 1. The studio: from the text to a checked pack.
        await withPage({}, async ({ page }) => {
          await page.goto(distFileUrl("butie-studio.html"));
          await page.getByTestId("studio-source").waitFor();
          await edit(page, "source", await read("sources/fictional-hongkou.txt"));
          await edit(page, "manifest", await read("pack.toml"));
          await edit(page, "facts", await read("facts.toml"));
          // A typo in a condition: a live error at its line and column, the line marked.
          const typo = policy.replace('"cmmi_level >= 3", "in_window', '"cmmi_levle >= 3", "in_window');
          const line = typo.split("\n").findIndex((l) => l.includes("cmmi_levle")) + 1;
          await edit(page, "policy", typo);
          const problem = `hongkou-fictional-2025.toml:${line}:10: unknown fact \`cmmi_levle\``;
          await until(async () => (await page.getByTestId("studio-problems").textContent()).includes(problem), problem);
          const marked = await page.locator(".editor .gutter .marked").allTextContents();
          assert.ok(marked.includes(String(line)), `line ${line} marked in the gutter: ${marked}`);
          // Clicking the problem puts the cursor there.
          await page.getByTestId("studio-problems").getByRole("button").filter({ hasText: "cmmi_levle" }).click();
          // (the page places the caret after its next paint)
          const caret = () => page.getByTestId("studio-policy").evaluate((t) => t.value.slice(t.selectionStart, t.selectionStart + 10));
          await until(async () => (await caret()) === "cmmi_levle", "the caret at the unknown fact");
          // The text fixed, and the cases: everything passes.
          await edit(page, "policy", policy);
          await edit(page, "cases", await read("cases/hongkou.yaml"));
          await page.getByTestId("studio-ok").waitFor({ timeout: 20_000 });
          assert.match(await counts(page), /0 · .* 9\/9 · .* 5\/5/);
          // Every quote is marked in the source text.
          await page.getByTestId("studio-tab-source").click();
          assert.ok((await page.getByTestId("studio-source-view").locator("mark.found").count()) >= 8);
          // An altered quote is not found (and named), then restored.
          await edit(page, "policy", policy.replace("一次性奖励10万元", "一次性奖励15万元"));
          await until(
            async () => (await page.getByTestId("studio-quotes-missing").textContent()).includes("15万元"),
            "the altered quote listed as not found",
          );
          assert.equal(await page.getByTestId("studio-export").isDisabled(), true, "no export with a failing check");
          await edit(page, "policy", policy);
          await page.getByTestId("studio-ok").waitFor();
          // The preview: the calculator with the pack, on the first case's enterprise.
          await page.getByTestId("studio-preview-case").selectOption({ index: 1 });
          const preview = page.getByTestId("studio-preview");
          await until(async () => (await totals(preview, "hongkou")).join(" ").includes("63万"), "preview amounts");
          assert.deepEqual(await totals(preview, "hongkou"), ["确定 63万元", "最高 143万元"]);
          const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("studio-export").click()]);
          assert.equal(download.suggestedFilename(), "hongkou-fictional.butie.json");
          await download.saveAs(packFile);
        });
        const pack = JSON.parse(await fs.readFile(packFile, "utf8"));
        assert.equal(pack.format, "butie-pack");
        assert.match(pack.hash, /^sha256:[0-9a-f]{64}$/);

        // ---- 2. The CLI's reference.
        const profileFile = path.join(dir, "profile.json");
        await fs.writeFile(profileFile, JSON.stringify(PROFILE));
        assert.match(await cli(["check", packFile]), /^ok /m);
        const expected = JSON.parse(await cli(["evaluate", "--pack", packFile, profileFile, "--json", "--as-of", AS_OF]));
        assert.equal(expected.available_now.definite, "630000.00");
        assert.equal(expected.available_now.up_to, "1430000.00");
        const hongkou = (r) => r.districts.find((d) => d.district === "hongkou");

        // ---- 3. The page: import, amounts, kept across a reload.
        await withPage({}, async ({ page }) => {
          await page.goto(distFileUrl("butie.html"));
          await expectApp(page);
          await page.getByTestId("view-packs").click();
          await page.getByTestId("pack-file").setInputFiles(packFile);
          await page.getByTestId("pack-added").waitFor();
          assert.equal(await page.getByTestId("pack-hash").textContent(), pack.hash, "the pack is listed with its hash");
          assert.match(await page.getByTestId("pack").textContent(), /由您添加.*新增区/);
          await page.getByTestId("view-calculator").click();
          await page.getByTestId("import").setInputFiles(profileFile);
          await page.getByTestId("as-of").fill(AS_OF);
          await until(async () => (await totals(page, "hongkou")).join(" ").includes("63万"), "page amounts");
          assert.deepEqual(await totals(page, "hongkou"), ["确定 63万元", "最高 143万元"]);
          assert.match(await page.getByTestId("pack-note").textContent(), /hongkou-fictional/);
          // The page's result JSON (its registered district only): the CLI's amounts and district.
          await openFileMenu(page);
          const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-json").click()]);
          const results = JSON.parse(await fs.readFile(await download.path(), "utf8"));
          assert.equal(results.available_now.definite, expected.available_now.definite);
          assert.equal(results.available_now.up_to, expected.available_now.up_to);
          assert.deepEqual(hongkou(results), hongkou(expected));
          // The batch view evaluates with the same set (built-in + the pack): the CLI's amounts.
          const listFile = path.join(dir, "clients.jsonl");
          await fs.writeFile(listFile, `${JSON.stringify(PROFILE)}\n`);
          await page.getByTestId("view-batch").click();
          await page.getByTestId("batch-file").setInputFiles(listFile);
          const row = page.locator('[data-testid="batch-row"][data-district="hongkou"]');
          await row.waitFor();
          const district = hongkou(expected);
          assert.equal(Number(await row.getAttribute("data-definite-yuan")), Number(district.totals.definite));
          assert.equal(Number(await row.getAttribute("data-up-to-yuan")), Number(district.totals.up_to));
          await page.getByTestId("view-calculator").click();
          // Reloaded: the pack and the inputs (the pack's own field too) are still there.
          await page.reload();
          await expectApp(page);
          await until(async () => (await totals(page, "hongkou")).join(" ").includes("63万"), "amounts after a reload");
          // Removed: the built-in data only; the pack's field value is kept for later.
          await page.getByTestId("view-packs").click();
          await page.getByTestId("pack-remove").click();
          await until(async () => (await page.getByTestId("pack").count()) === 0, "removed");
          await page.getByTestId("view-calculator").click();
          await until(async () => (await page.getByTestId("district-hongkou").count()) === 0, "district gone");
          await page.getByTestId("view-packs").click();
          await page.getByTestId("pack-file").setInputFiles(packFile);
          await page.getByTestId("pack-added").waitFor();
          await page.getByTestId("view-calculator").click();
          await until(async () => (await totals(page, "hongkou")).join(" ").includes("63万"), "the kept value counts again");
        });

        // ---- 4. A widget on a host page: by URL (strict CSP + connect-src 'self') and inline.
        const packText = await fs.readFile(packFile, "utf8");
        const host = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
<script src="butie-widget.js" defer></script></head><body>
<butie-calculator id="by-url" pack="hongkou-fictional.butie.json" districts="hongkou" as-of="${AS_OF}" lang="en"></butie-calculator>
<script type="application/json" id="inline-pack">${packText}</script>
<butie-calculator id="inline" pack="#inline-pack" districts="hongkou" as-of="${AS_OF}"></butie-calculator>
</body></html>`;
        const server = await serveDist({
          pages: { "pack-host.html": host, "hongkou-fictional.butie.json": packText },
          headers: { "pack-host.html": { "Content-Security-Policy": `${STRICT_CSP}; connect-src 'self'` } },
        });
        try {
          await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
            const events = [];
            await page.exposeFunction("recordPack", (detail) => events.push(detail));
            await page.addInitScript(() =>
              document.addEventListener("butie-pack", (e) => window.recordPack({ id: e.target.id, detail: e.detail })),
            );
            await page.goto(`${server.origin}/pack-host.html`);
            await until(() => events.length === 2, "both widgets' packs loaded");
            for (const { id, detail } of events) {
              assert.equal(detail.pack?.hash, pack.hash, `${id}: ${JSON.stringify(detail)}`);
              assert.deepEqual(detail.pack.documents.map((d) => [d.id, d.relation]), [["hongkou-fictional-2025", "new_district"]]);
              assert.deepEqual(detail.pack.facts_added, ["incubator_resident"]);
            }
            // The packs were read by the widget's second module, fetched once from beside it.
            const extras = await page.evaluate(() =>
              performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/butie-widget-extras.js")).length,
            );
            assert.equal(extras, 1, "butie-widget-extras.js loaded once, for both widgets");
            // The district is there (its attribute now names a known district).
            await page.locator("#by-url").getByTestId("district-hongkou").waitFor();
            // The JS API gives the CLI's JSON.
            const got = await page.evaluate(([p, d]) => window.butie.evaluate(p, { asOf: d }), [PROFILE, AS_OF]);
            assert.deepEqual(got, expected, "butie.evaluate with the pack = butie evaluate --pack --json");
            // The same pack again through the API: answered as loaded, nothing changes.
            const again = await page.evaluate((text) => window.butie.loadPolicies(JSON.parse(text)), packText);
            assert.equal(again.pack.hash, pack.hash);
            // A damaged pack: refused, naming the file and the place, in both languages.
            const edited = JSON.parse(packText.replace("一次性奖励5万元", "一次性奖励50万元"));
            const refused = await page.evaluate((p) => window.butie.loadPolicies(p), edited);
            assert.equal(refused.error, "invalid_pack", JSON.stringify(refused));
            assert.ok(refused.fields.length > 0, JSON.stringify(refused));
            for (const f of refused.fields) {
              assert.match(f.path, /^.+\.butie\.json: \S/, JSON.stringify(f));
              assert.ok(f.message.zh && f.message.en, JSON.stringify(f));
            }
          });
        } finally {
          await server.close();
        }
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
    { cli: true },
  );

  test("packs: a damaged pack is refused naming the place; the built-in documents and the inputs are untouched", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "butie-badpacks-"));
    try {
      const good = path.join(dir, "good.butie.json");
      await cli(["pack", PACK_DIR, "-o", good, "--created", "2026-12-02"]);
      const text = await fs.readFile(good, "utf8");
      const bad = {
        "edited.butie.json": text.replace("一次性奖励5万元", "一次性奖励50万元"),
        "truncated.butie.json": text.slice(0, text.length / 2),
        "future.butie.json": text.replace('"schema_version": 1', '"schema_version": 9'),
      };
      await withPage({}, async ({ page }) => {
        await page.goto(distFileUrl("butie.html"));
        await expectApp(page);
        const districts = () => page.locator("[data-district]").count();
        await page.getByTestId("butie-mode-compare").check();
        await until(async () => (await districts()) === 4, "every built-in district");
        const before = await until(() => page.evaluate(() => localStorage.getItem("butie:v1")), "inputs saved");
        for (const [name, content] of Object.entries(bad)) {
          const file = path.join(dir, name);
          await fs.writeFile(file, content);
          await page.getByTestId("view-packs").click();
          await page.getByTestId("pack-file").setInputFiles(file);
          const refused = page.getByTestId("pack-refused");
          await refused.waitFor();
          const why = await refused.textContent();
          assert.match(why, new RegExp(name.replace(".", "\\.")), `${name}: the file is named`);
          assert.match(why, { "edited.butie.json": /hash/, "truncated.butie.json": /truncated|被截断/, "future.butie.json": /schema_version/ }[name]);
          assert.equal(await page.getByTestId("pack").count(), 0, `${name}: nothing listed`);
          await page.getByTestId("view-calculator").click();
          assert.equal(await districts(), 4, `${name}: the built-in documents are all there`);
        }
        assert.equal(await page.evaluate(() => localStorage.getItem("butie:packs:v1")), null, "nothing stored");
        assert.equal(await page.evaluate(() => localStorage.getItem("butie:v1")), before, "the saved inputs are untouched");
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, { cli: true });

  test("packs: the studio cannot reach the network; the studio and the packs view pass axe-core", async () => {
    // Its own CSP, as the other pages: no fetch, no injected script.
    const refused = [/Refused to/, /Content Security Policy/, /Failed to fetch/, /ERR_/];
    await withPage({ allowedProblems: refused }, async ({ page }) => {
      await page.goto(distFileUrl("butie-studio.html"));
      await page.getByTestId("studio-source").waitFor();
      const seen = await page.evaluate(async () => {
        const fetched = await fetch("http://127.0.0.1:9/x").then(() => "sent", () => "refused");
        const script = document.createElement("script");
        script.textContent = "window.__butieInjected = true;";
        document.body.append(script);
        await new Promise((r) => setTimeout(r, 200));
        const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? "";
        return { fetched, injected: window.__butieInjected === true, meta };
      });
      assert.equal(seen.fetched, "refused");
      assert.equal(seen.injected, false);
      assert.match(seen.meta, /default-src 'none'/);
      assert.doesNotMatch(seen.meta, /connect-src/);
    });
    await withPage({ bypassCSP: true }, async ({ page }) => {
      await page.goto(distFileUrl("butie-studio.html"));
      await page.getByTestId("studio-source").waitFor();
      await edit(page, "source", await read("sources/fictional-hongkou.txt"));
      await edit(page, "manifest", await read("pack.toml"));
      await edit(page, "facts", await read("facts.toml"));
      await edit(page, "policy", (await read("hongkou-fictional-2025.toml")).replace("一次性奖励10万元", "一次性奖励15万元"));
      await edit(page, "cases", await read("cases/hongkou.yaml"));
      await page.getByTestId("studio-quotes-missing").waitFor({ timeout: 20_000 });
      assert.deepEqual(await accessibilityViolations(page), [], "the studio with problems");
      await page.getByTestId("studio-tab-source").click();
      await page.getByTestId("studio-preview-case").selectOption({ index: 1 });
      assert.deepEqual(await accessibilityViolations(page), [], "the studio, source view and preview");
    });
    await withPage({ bypassCSP: true }, async ({ page }) => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "butie-packs-a11y-"));
      try {
        const good = path.join(dir, "hongkou-fictional.butie.json");
        await cli(["pack", PACK_DIR, "-o", good, "--created", "2026-12-02"]);
        const bad = path.join(dir, "edited.butie.json");
        await fs.writeFile(bad, (await fs.readFile(good, "utf8")).replace("5万元", "50万元"));
        await page.goto(distFileUrl("butie.html"));
        await expectApp(page);
        await page.getByTestId("view-packs").click();
        await page.getByTestId("pack-file").setInputFiles(good);
        await page.getByTestId("pack-added").waitFor();
        await page.getByTestId("pack-file").setInputFiles(bad);
        await page.getByTestId("pack-refused").waitFor();
        assert.deepEqual(await accessibilityViolations(page), [], "the packs view, a pack listed, one refused");
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });
  }, { cli: true });
}
