// Browser tests of issue 12 (a guided start, no presumed answers, money words, share links
// that never overwrite, kept inputs, the phone and desktop layouts, client profiles, exports).
// Registered by run.mjs; helpers in lib.mjs.

import assert from "node:assert/strict";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  AS_OF,
  accessibilityViolations,
  answerApplicant,
  clause,
  distFileUrl,
  expectApp,
  expectPutuoFigures,
  expectText,
  fillRealistic,
  openFileMenu,
  serveDist,
  test,
  until,
  withPage,
} from "./lib.mjs";

/** The status a clause would have in force (`data-status-if-in-force`). */
async function statusOf(page, district, id) {
  return clause(page, district, id).getAttribute("data-status-if-in-force");
}

/** Heights (px) of the visible controls in `root` lower than `min`, as "text: height" lines. */
async function smallTargets(root, min) {
  return root.locator("button, select, input[type=text], summary, label.button").evaluateAll(
    (els, min) =>
      els
        .filter((el) => el.checkVisibility())
        .map((el) => [el, el.getBoundingClientRect()])
        .filter(([, r]) => r.height > 0 && r.height < min - 0.5)
        .map(([el, r]) => `${(el.textContent || el.id || el.tagName).trim().slice(0, 30)}: ${r.height.toFixed(1)}`),
    min,
  );
}

export function registerUxTests() {
  test("issue 12: a blank form presumes nothing; 普陀's owner is asked what 普陀 pays for, most money first", async () => {
    await withPage({ bypassCSP: true }, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      // The district first: nothing else is asked before it, nothing is answered for the user.
      await page.getByTestId("ask-district").waitFor();
      assert.equal(await page.getByTestId("asked").count(), 0);
      assert.equal(await page.getByTestId("others-toggle").getAttribute("aria-expanded"), "false");
      assert.deepEqual(await accessibilityViolations(page), [], "the first screen");
      await page.getByTestId("as-of").fill(AS_OF);
      await page.getByLabel("工商注册区", { exact: true }).selectOption("putuo");
      const asked = page.getByTestId("asked");
      await asked.waitFor();
      // Unanswered is unknown: the office clause waits for answers, it is not "not eligible".
      for (const id of ["putuo.3.1", "putuo.3.2", "putuo.3.4.qualifications"]) {
        assert.equal(await statusOf(page, "putuo", id), "needs_information", id);
      }
      assert.doesNotMatch(await page.getByTestId("district-putuo").textContent(), /✓ 满足/, "no condition is met unanswered");
      for (const select of await asked.locator("select").all()) {
        assert.equal(await select.inputValue(), "", "every question starts unanswered");
      }
      // What every clause needs first, then the most money; each with its stake.
      const stakes = await asked.locator(":scope > .field, :scope > .list").evaluateAll((els) =>
        els.map((el) => [el.dataset.field ?? el.dataset.list, el.querySelector("[data-testid=stake]")?.textContent ?? null]),
      );
      assert.deepEqual(stakes.slice(0, 4).map(([, s]) => s), Array(4).fill("每一条的前提"), JSON.stringify(stakes));
      assert.ok(stakes.every(([, s]) => s !== null), `every field asked says what depends on it: ${JSON.stringify(stakes)}`);
      // Fields no 普陀 clause reads are not shown (reachable under the other fields).
      for (const label of ["税务登记（依法纳税）也在注册区", "CMMI 证书颁发日期", "DCMM 数据管理能力成熟度等级"]) {
        assert.equal(await page.getByLabel(label, { exact: true }).count(), 0, label);
      }
      const remaining = async () => Number((await page.getByTestId("remaining").textContent()).match(/还有 (\d+) 项/)?.[1] ?? 0);
      const before = await remaining();
      assert.ok(before > 5, `还有 ${before} 项会影响金额`);
      // 可能还能申请: the largest unknowns as questions; following one focuses its field.
      const questions = page.getByTestId("questions");
      assert.match(await questions.textContent(), /普陀区的每一条都要求：填写主体类型/);
      await answerApplicant(page);
      assert.ok((await remaining()) < before, "the count goes down as questions are answered");
      await until(async () => /如租赁办公场地自用（每年，最多三年），填写年租金/.test(await questions.textContent()), "the office question");
      await questions.getByRole("button", { name: /^如租赁办公场地自用/ }).click();
      const premises = page.getByLabel("自用办公（生产）用房", { exact: true });
      await until(() => premises.evaluate((el) => el === document.activeElement), "the office field has focus");
      // The owner: rents the office (30万 a year), set up in 普陀 in 2025, CMMI 3, one R&D project.
      await premises.selectOption("rent");
      await asked.getByLabel("年租金").fill("30");
      await asked.getByLabel("在本区新设立或迁入日期", { exact: true }).fill("2025-03-01");
      await asked.getByLabel("CMM/CMMI 等级", { exact: true }).selectOption("3");
      await page.getByTestId("add-projects").click();
      const project = page.getByTestId("projects-0");
      await project.getByLabel(/^项目类型/).selectOption("rd_project");
      await project.getByLabel("实际已投入金额").fill("200");
      await project.getByLabel(/^同一项目已获其他区级政策扶持/).fill("0");
      await project.getByLabel(/^同一项目已获上海市其他政策支持/).fill("0");
      // 三（二）: the rent, at most 100万 a year, for three years.
      await expectText(clause(page, "putuo", "putuo.3.2").getByTestId("amount"), "最高 90万元", "三（二） the rent");
      assert.equal(await statusOf(page, "putuo", "putuo.3.2"), "eligible_subject_to_review");
      // Money words: the legend, and the total split into formula-based and discretionary.
      await page.getByTestId("legend").locator("summary").click();
      assert.match(await page.getByTestId("legend").textContent(), /酌定上限.*不随企业的投入计算/s);
      // 三（一） 500万, 三（四） 20万: fixed ceilings; 三（二） 90万, 三（三） 100万: from the figures.
      await expectText(page.getByTestId("available-up-to"), "最高 710万元", "available now");
      await expectText(page.getByTestId("available-split"), "其中 按公式计算 190万元 · 酌定上限 520万元", "the split");
      // "Spend more" hints say the net cost beside the extra subsidy.
      const rd = clause(page, "putuo", "putuo.3.3");
      await rd.locator(".clause-head").click();
      assert.match(await rd.getByTestId("hints").textContent(), /可再增最高 200万元（需多支出 400万元，扣除补贴后净支出至少 200万元）/);
      assert.deepEqual(await accessibilityViolations(page), [], "the owner's profile entered");
      // Every field shown before the owner's last one is one 普陀 reads.
      assert.equal(await page.getByTestId("others-toggle").getAttribute("aria-expanded"), "false", "nothing collapsed was opened");
    });
  });

  test("issue 12: no hints for expired or draft policies, none that change a past date", async () => {
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await fillRealistic(page);
      await page.getByTestId("butie-mode-compare").check();
      await page.getByTestId("district-jinshan").waitFor();
      await page.getByLabel("CMMI 证书颁发日期", { exact: true }).fill("2023-05-10");
      for (const district of ["jinshan", "songjiang", "jiading"]) {
        assert.equal(await page.getByTestId(`district-${district}`).getByTestId("hints").count(), 0, `${district}: no hints`);
      }
      const putuo = await page.getByTestId("district-putuo").textContent();
      assert.doesNotMatch(putuo, /颁发日期：\d{4}-\d\d-\d\d →/, "no hint asks to change a certificate's date");
    });
  });

  test("issue 12: a share link opens as a preview and never overwrites; from a file the page says it cannot be shared", async () => {
    const server = await serveDist();
    try {
      let link;
      await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
        await page.goto(`${server.origin}/`);
        await expectApp(page);
        await fillRealistic(page);
        await page.getByLabel("企业名称（可选，仅用于报告）", { exact: true }).fill("乙公司");
        await openFileMenu(page);
        await page.getByTestId("share").click();
        link = await page.getByTestId("share-link").inputValue();
      });
      await withPage({ allowOrigins: [server.origin], bypassCSP: true }, async ({ page }) => {
        // The recipient's own inputs.
        await page.goto(`${server.origin}/`);
        await expectApp(page);
        await page.getByLabel("工商注册区", { exact: true }).selectOption("jiading");
        await page.getByLabel("企业名称（可选，仅用于报告）", { exact: true }).fill("甲公司");
        await until(() => page.evaluate(() => localStorage.getItem("butie:v1") !== null), "stored");
        // Opening the link (a fresh load): a preview, the form unchanged, nothing stored over.
        await page.goto("about:blank");
        await page.goto(link);
        await expectApp(page);
        const preview = page.getByTestId("preview");
        await preview.waitFor();
        assert.match(await page.getByTestId("preview-summary").textContent(), /^乙公司 · 普陀区 · \d+ 项信息 · 最高 220万元$/);
        assert.equal(await page.getByLabel("工商注册区", { exact: true }).inputValue(), "jiading", "mine stay");
        assert.deepEqual(await accessibilityViolations(page), [], "the preview");
        // Keep mine: gone, and mine survive a reload.
        await page.getByTestId("preview-keep").click();
        assert.equal(await preview.count(), 0);
        await page.reload();
        await expectApp(page);
        assert.equal(await page.getByLabel("企业名称（可选，仅用于报告）", { exact: true }).inputValue(), "甲公司");
        // Save as another profile: mine in the form, theirs in the client list.
        await page.goto("about:blank");
        await page.goto(link);
        await page.getByTestId("preview-save").click();
        assert.equal(await page.getByLabel("企业名称（可选，仅用于报告）", { exact: true }).inputValue(), "甲公司");
        await page.getByTestId("clients-menu").locator("summary").click();
        assert.deepEqual(await page.getByTestId("client-select").locator("option").allTextContents(), ["（当前输入，未存为档案）", "乙公司"]);
        // Load: theirs in the form, mine one undo away.
        await page.goto("about:blank");
        await page.goto(link);
        await page.getByTestId("preview-load").click();
        await expectPutuoFigures(page);
        await page.getByTestId("notice-offer").click();
        assert.equal(await page.getByLabel("企业名称（可选，仅用于报告）", { exact: true }).inputValue(), "甲公司", "undone");
        assert.equal(await page.getByLabel("工商注册区", { exact: true }).inputValue(), "jiading");
      });
    } finally {
      await server.close();
    }
    // The single file: its address cannot be shared; it says so and offers the profile file.
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await fillRealistic(page);
      await openFileMenu(page);
      await page.getByTestId("share").click();
      const local = page.getByTestId("share-local");
      assert.match(await local.textContent(), /无法作为链接分享/);
      assert.equal(await page.getByTestId("share-link").count(), 0, "no link that opens nowhere");
      const [download] = await Promise.all([page.waitForEvent("download"), local.getByRole("button").click()]);
      assert.equal(download.suggestedFilename(), `butie-profile-${AS_OF}.json`);
    });
  });

  test("issue 12: saved inputs with a bad field keep every other field and are not deleted", async () => {
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      const saved = JSON.stringify({
        lang: "fr",
        full_yuan: false,
        as_of: AS_OF,
        draft: { name: "甲公司", unit: "wan", facts: [["registered_district", "putuo"], ["cmmi_level", "3"], ["icp_licence", 1]], lists: [] },
      });
      await page.evaluate((saved) => localStorage.setItem("butie:v1", saved), saved);
      await page.reload();
      await expectApp(page);
      const notice = page.getByTestId("notice");
      assert.match(await notice.textContent(), /无法读取，已跳过/);
      assert.match(await notice.textContent(), /lang = "fr"/);
      assert.match(await notice.textContent(), /icp_licence/);
      assert.equal(await page.getByLabel("工商注册区", { exact: true }).inputValue(), "putuo", "the rest is kept");
      assert.equal(await page.getByLabel("CMM/CMMI 等级", { exact: true }).inputValue(), "3");
      assert.equal(await page.getByTestId("as-of").inputValue(), AS_OF);
      // Nothing is written or deleted before the user changes something; the original is backed up.
      assert.equal(await page.evaluate(() => localStorage.getItem("butie:v1")), saved);
      assert.equal(await page.evaluate(() => localStorage.getItem("butie:v1:unreadable")), saved);
    });
  });

  test("issue 12: the skip link moves focus to the results", async () => {
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.textContent), "跳到结果");
      await page.keyboard.press("Enter");
      await until(() => page.evaluate(() => document.activeElement?.id === "butie-results-title"), "the results have focus");
      await page.keyboard.press("Tab");
      const next = await page.evaluate(() => document.activeElement.closest(".results") !== null);
      assert.ok(next, "the next Tab stays in the results, not back at the top");
    });
  });

  test("issue 12: phones (375×740): the first field on the first screen, file actions in one menu, 44 px targets", async () => {
    await withPage({ viewport: { width: 375, height: 740 } }, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      const district = await page.getByLabel("工商注册区", { exact: true }).boundingBox();
      assert.ok(district.y + district.height <= 740, `the first field is on the first screen (at ${district.y} px)`);
      const tools = await page.locator(".tools > *").evaluateAll((els) => els.filter((el) => el.checkVisibility()).length);
      assert.ok(tools <= 4, `${tools} toolbar controls`);
      await fillRealistic(page);
      await expectPutuoFigures(page);
      await openFileMenu(page);
      assert.deepEqual(await smallTargets(page.locator(".butie"), 44), [], "every target at least 44 px high");
    });
  });

  test("issue 12: desktop: the total stays in sight while filling the lower fields", async () => {
    await withPage({ viewport: { width: 1280, height: 800 } }, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await fillRealistic(page);
      await page.getByTestId("as-of").scrollIntoViewIfNeeded();
      const bar = page.getByTestId("summary-bar");
      const box = await bar.boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 800, `the summary is on screen (${JSON.stringify(box)})`);
      assert.match(await bar.textContent(), /最高 220万元/);
    });
  });

  test("issue 12: several named client profiles: save, switch, rename, delete, export all, import", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "butie-clients-"));
    try {
      await withPage({ bypassCSP: true }, async ({ page }) => {
        await page.goto(distFileUrl("butie.html"));
        await expectApp(page);
        const menu = page.getByTestId("clients-menu");
        const open = async () => {
          if (!(await menu.evaluate((d) => d.open))) await menu.locator("summary").click();
        };
        const district = page.getByLabel("工商注册区", { exact: true });
        await district.selectOption("putuo");
        await open();
        await page.getByTestId("client-name").fill("甲公司");
        await page.getByTestId("client-save").click();
        await open();
        await page.getByTestId("client-name").fill("乙公司");
        await page.getByTestId("client-save").click();
        await district.selectOption("jiading");
        await open();
        const select = page.getByTestId("client-select");
        assert.deepEqual(await select.locator("option").allTextContents(), ["甲公司", "乙公司"]);
        await openFileMenu(page);
        assert.deepEqual(await accessibilityViolations(page), [], "both menus open");
        await select.selectOption({ label: "甲公司" });
        assert.equal(await district.inputValue(), "putuo");
        await select.selectOption({ label: "乙公司" });
        assert.equal(await district.inputValue(), "jiading", "each profile keeps its own inputs");
        await page.getByTestId("client-name").fill("乙科技");
        await page.getByTestId("client-rename").click();
        await page.reload();
        await expectApp(page);
        await open();
        assert.deepEqual(await select.locator("option").allTextContents(), ["甲公司", "乙科技"], "kept across reloads");
        const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("clients-export").click()]);
        const file = path.join(dir, "clients.jsonl");
        await download.saveAs(file);
        const lines = (await fs.readFile(file, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
        assert.deepEqual(lines.map((p) => [p.name, p.enterprise.registered_district]), [["甲公司", "putuo"], ["乙科技", "jiading"]]);
        await page.getByTestId("client-delete").click();
        await page.getByTestId("client-delete-confirm").click();
        assert.equal(await district.inputValue(), "jiading", "the form keeps the deleted profile's inputs");
        await open();
        await page.getByTestId("clients-import").setInputFiles(file);
        await expectText(page.getByTestId("notice").locator("p").first(), "已导入客户档案。");
        await open();
        assert.equal(await select.locator("option").count(), 4, "unsaved inputs + 甲公司 + two imported");
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test("issue 12: exports carry the enterprise's name; the print report names no data files", async () => {
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await fillRealistic(page);
      await page.getByLabel("企业名称（可选，仅用于报告）", { exact: true }).fill("云栈科技");
      await openFileMenu(page);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
      assert.equal(download.suggestedFilename(), `butie-results-云栈科技-${AS_OF}.csv`);
      const csv = await fs.readFile(await download.path(), "utf8");
      assert.match(csv.split("\n")[1], new RegExp(`^${AS_OF},云栈科技,registered,putuo,`));
      await page.emulateMedia({ media: "print" });
      const header = await page.locator(".print-header").textContent();
      assert.doesNotMatch(header, /\.toml|数据文件/, "no data-file names");
      // English: "Project 1", and no run-together labels.
      await page.emulateMedia({ media: "screen" });
      await page.getByTestId("lang").click();
      await expectText(page.getByTestId("projects-0").locator("legend").first(), "Project 1");
    });
  });

  test("issue 12: the batch by registered district shows each client's own district; comparing, each client's total", async () => {
    await withPage({ bypassCSP: true }, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await page.getByTestId("view-batch").click();
      await page.getByTestId("batch-as-of").fill(AS_OF);
      await page.getByTestId("batch-example").click();
      await page.getByTestId("batch-done").waitFor();
      // By registered district: one line a client, its own district; 宝山 is not encoded.
      const districts = () =>
        page.locator("tbody tr").evaluateAll((els) => els.map((e) => [e.dataset.row, e.dataset.district ?? null]));
      assert.deepEqual(await districts(), [
        ["2", "putuo"], ["3", "jiading"], ["4", "songjiang"], ["5", "jinshan"], ["6", null], ["7", "putuo"],
      ]);
      assert.match(await page.getByTestId("batch-not-encoded").textContent(), /注册区的政策尚未收录/);
      assert.equal(await page.getByTestId("sort-total").count(), 0, "one line a client: no total column");
      // Comparing every district: four lines a client, the client's total on its first line.
      await page.getByTestId("butie-batch-compare").check();
      await until(async () => (await page.getByTestId("batch-row").count()) === 24, "24 lines (6 clients × 4 districts)");
      const totals = page.getByTestId("batch-total");
      assert.equal(await totals.count(), 6, "one total a client");
      for (const row of ["2", "3", "7"]) {
        const lines = page.locator(`[data-testid="batch-row"][data-row="${row}"]`);
        const sum = (await lines.evaluateAll((els) => els.map((e) => Number(e.dataset.upToYuan)))).reduce((a, b) => a + b, 0);
        const total = Number(await lines.first().getByTestId("batch-total").getAttribute("data-total-yuan"));
        assert.equal(total, sum, `line ${row}: the total adds up its districts`);
      }
      // Sorted by the total, largest first: clients stay together, the largest first.
      await page.getByTestId("sort-total").click();
      const shown = await totals.evaluateAll((els) => els.map((e) => Number(e.dataset.totalYuan)));
      assert.deepEqual(shown, [...shown].sort((x, y) => y - x));
      assert.equal(await totals.count(), 6, "still one total a client");
      assert.deepEqual(await accessibilityViolations(page), []);
    });
  });

  test("issue 12: a batch line opens its client in the calculator (a preview when the form has inputs); the list stays", async () => {
    await withPage({ bypassCSP: true }, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await page.getByTestId("view-batch").click();
      await page.getByTestId("batch-as-of").fill(AS_OF);
      await page.getByTestId("batch-example").click();
      await page.getByTestId("batch-done").waitFor();
      // Nothing entered yet: the client is loaded at once, with the batch's date.
      await page.locator('[data-testid="batch-row"][data-row="2"]').getByTestId("batch-open").click();
      await page.getByTestId("available-up-to").waitFor();
      const name = page.getByLabel("企业名称（可选，仅用于报告）", { exact: true });
      assert.equal(await name.inputValue(), "上海云栈智能软件有限公司");
      assert.equal(await page.getByTestId("as-of").inputValue(), AS_OF);
      // The figure the batch line showed.
      await expectText(page.getByTestId("available-up-to"), "最高 220万元", "as in the batch");
      await expectText(page.getByTestId("notice").locator("p").first(), "已载入这份企业信息。");
      // Back to the list: still there, not run again.
      await page.getByTestId("view-batch").click();
      assert.equal(await page.getByTestId("batch-row").count(), 5);
      // With inputs of one's own, another client is a preview: nothing replaced until asked.
      await page.getByTestId("view-calculator").click();
      await name.fill("我的公司");
      await page.getByTestId("view-batch").click();
      await page.locator('[data-testid="batch-row"][data-row="7"]').getByTestId("batch-open").click();
      await page.getByTestId("preview").waitFor();
      assert.match(await page.getByTestId("preview-summary").textContent(), /上海算境科技有限公司/);
      assert.equal(await name.inputValue(), "我的公司", "mine stay");
      assert.deepEqual(await accessibilityViolations(page), [], "the preview of a batch client");
      await page.getByTestId("preview-load").click();
      assert.equal(await name.inputValue(), "上海算境科技有限公司");
    });
  });

  test("issue 12: with only the single file a consultant can embed: the page itself in an iframe", async () => {
    // Opened from a file, the panel offers the file itself first.
    let snippet;
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await page.getByTestId("view-embed").click();
      assert.ok(await page.getByTestId("embed-kind-page").isChecked(), "this page file, from a file");
      assert.match(await page.getByTestId("embed").textContent(), /原样上传到您的网站/);
      await page.getByTestId("embed-lang-en").check();
      for (const d of ["jiading", "jinshan", "songjiang"]) await page.getByTestId(`embed-district-${d}`).uncheck();
      await page.getByTestId("embed-consultant").fill("Zhang & Partners");
      await page.getByTestId("embed-accent").fill("#c0392b");
      snippet = await page.getByTestId("embed-snippet").inputValue();
      assert.equal(
        snippet,
        '<iframe src="butie.html#embed&amp;lang=en&amp;districts=putuo&amp;consultant=Zhang%20%26%20Partners&amp;accent=%23c0392b" ' +
          'title="butie subsidy calculator" width="100%" height="900" frameborder="0" loading="lazy" data-butie-embed></iframe>\n' +
          '<script>addEventListener("message",function(e){var d=e.data,f=document.querySelectorAll("iframe[data-butie-embed]");' +
          'for(var i=0;i<f.length;i++)if(f[i].contentWindow===e.source&&d&&d.type==="butie:height"&&isFinite(d.height))' +
          'f[i].style.height=Math.max(80,Math.ceil(d.height))+"px"})</script>\n',
      );
    });
    // Pasted into a page next to the uploaded file, it works as it is: embedded, configured.
    const host = `<!doctype html><html><head><meta charset="utf-8"><title>host</title><link rel="icon" href="data:,"></head><body>\n${snippet}</body></html>\n`;
    const server = await serveDist({ pages: { "host.html": host } });
    try {
      await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
        await page.goto(`${server.origin}/host.html`);
        const frame = page.frameLocator("iframe[data-butie-embed]");
        await expectText(frame.locator("h2.title"), "butie subsidy calculator");
        assert.match(await frame.getByTestId("consultant").textContent(), /Zhang & Partners/);
        await until(async () => (await frame.locator("[data-district]").count()) > 0, "the district cards");
        assert.deepEqual(await frame.locator("[data-district]").evaluateAll((els) => [...new Set(els.map((e) => e.dataset.district))]), ["putuo"]);
        assert.equal(await frame.getByTestId("view-batch").count(), 0, "no consultant tools in the frame");
        assert.equal(await frame.locator(".available .up-to").evaluate((el) => getComputedStyle(el).color), "rgb(192, 57, 43)");
        assert.equal(await frame.locator("body").evaluate(() => localStorage.length), 0, "nothing stored");
        // The frame takes its content's height (the snippet's listener), as the iframe page does.
        const contentHeight = () => frame.locator("#app").evaluate((el) => Math.ceil(el.getBoundingClientRect().bottom));
        const frameHeight = () => page.locator("iframe[data-butie-embed]").evaluate((el) => el.getBoundingClientRect().height);
        await until(async () => Math.abs((await frameHeight()) - (await contentHeight())) <= 1, "the frame's height follows its content");
        assert.notEqual(await frameHeight(), 900, "resized from the snippet's 900 px");
      });
    } finally {
      await server.close();
    }
  });
  test("issue 12: a list not answered is unknown; “没有项目” answers none; a project is evaluated", async () => {
    await withPage({ bypassCSP: true }, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await page.getByTestId("as-of").fill(AS_OF);
      await page.getByLabel("工商注册区", { exact: true }).selectOption("putuo");
      await page.getByTestId("asked").waitFor();
      await answerApplicant(page);
      const perProject = ["putuo.3.3", "putuo.3.5", "putuo.3.6", "putuo.3.9"];
      const statuses = async () => Promise.all(perProject.map((id) => statusOf(page, "putuo", id)));
      // Nothing said about projects: every per-project clause needs information, none is "not eligible".
      await until(async () => (await statuses()).every((s) => s === "needs_information"), "per-project clauses need information");
      const rd = clause(page, "putuo", "putuo.3.3");
      await rd.locator(".clause-head").click();
      assert.match(await rd.getByTestId("missing").textContent(), /项目（或选择没有）/, "the clause asks for the list");
      assert.doesNotMatch(await rd.textContent(), /✗ 项目类型/, "what it selects is not failed unanswered");
      const none = page.getByTestId("none-projects");
      assert.equal(await none.isChecked(), false, "the list starts unanswered");
      // 可能还能申请: the list asked once, for every clause waiting for it; following it focuses "没有项目".
      const questions = page.getByTestId("questions");
      const ask = questions.getByRole("button", { name: /条条款按项目计，填写项目（或选择没有）/ });
      assert.equal(await ask.count(), 1, await questions.textContent());
      await ask.click();
      await until(() => none.evaluate((el) => el === document.activeElement), "the “没有项目” answer has focus");
      assert.deepEqual(await accessibilityViolations(page), [], "a list not answered");
      // "没有项目": answered none, the clauses are not eligible.
      await page.getByLabel("没有项目", { exact: true }).check();
      await until(async () => (await statuses()).every((s) => s === "not_eligible"), "per-project clauses not eligible");
      assert.deepEqual(await accessibilityViolations(page), [], "answered none");
      // Kept across a reload (the saved inputs say "none", not only "no items").
      await page.reload();
      await expectApp(page);
      assert.equal(await page.getByTestId("none-projects").isChecked(), true, "still answered none after a reload");
      await until(async () => (await statuses()).every((s) => s === "not_eligible"), "still not eligible after a reload");
      // Adding a project answers the list with it: the answer "none" goes away, the project is evaluated.
      await page.getByTestId("add-projects").click();
      assert.equal(await page.getByTestId("none-projects").count(), 0, "no “none” beside an item");
      const project = page.getByTestId("projects-0");
      await project.getByLabel(/^项目类型/).selectOption("rd_project");
      await project.getByLabel("实际已投入金额").fill("200");
      await project.getByLabel(/^同一项目已获其他区级政策扶持/).fill("0");
      await project.getByLabel(/^同一项目已获上海市其他政策支持/).fill("0");
      await expectText(clause(page, "putuo", "putuo.3.3").getByTestId("amount"), "最高 100万元", "三（三） 50% × 200万");
      assert.equal(await statusOf(page, "putuo", "putuo.3.6"), "not_eligible", "an R&D project is no computing power");
      // Removing the last project leaves the list unanswered again: "none" is said only by the user.
      await project.getByRole("button", { name: /^删除/ }).click();
      await until(async () => (await statuses()).every((s) => s === "needs_information"), "unanswered again");
      assert.equal(await page.getByTestId("none-projects").isChecked(), false);
      // On a phone the answer is a 44 px target.
      await page.setViewportSize({ width: 375, height: 740 });
      const box = await page.locator("label.none-answer").first().boundingBox();
      assert.ok(box && box.height >= 44 - 0.5, `“没有项目” is ${box?.height} px high`);
    });
  });
}
