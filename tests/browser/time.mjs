// Browser tests of issue 10 (policies over time): the ending-soon banners, window notes that
// never contradict the state on the evaluation date (page and widget), payment schedules past a
// document's end, the calendar download (the same file as `butie calendar`), evaluation dates
// outside 1900–2100, and the fictional successor chosen by the date on the fixture page — built
// by `cargo xtask dist --extra-policies tests/fixtures/policies --extra-policies examples/packs/hongkou
// --out target/dist-fixtures`
// through the same build script and bundle as the real files.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  ROOT,
  cli,
  clause,
  distFileUrl,
  expectApp,
  expectText,
  fillRealistic,
  openEverything,
  openFileMenu,
  serveDist,
  test,
  until,
  withPage,
} from "./lib.mjs";

/** The fixture page's directory (real policies plus tests/fixtures/policies and the example pack's
 * fictional district, examples/packs/hongkou, as plain policy files). */
const FIXTURE_DIST = path.resolve(process.env.BUTIE_FIXTURE_DIST ?? path.join(ROOT, "target", "dist-fixtures"));
const FIXTURE_POLICIES = [
  ["policies"],
  ["tests", "fixtures", "policies"],
  ["examples", "packs", "hongkou"],
].flatMap((parts) => ["--policies", path.join(...parts)]);

/** Sets the as-of field (the results follow). */
async function asOf(root, date) {
  await root.getByTestId("as-of").fill(date);
}

/**
 * What each state's own words are (zh and en), for checking that no card uses the words of a
 * state it is not in: "在施行" next to "若仍有效" is the contradiction issue 10 found.
 */
const STATE_WORDS = {
  in_force: ["在施行：", "距失效还有", "In force until", "left: in force until"],
  not_yet_in_force: ["尚未施行：", "施行后", "Not yet in force:", "Once in force"],
  expired: ["若仍有效", "已失效", "If still in force", "Expired on"],
  draft: ["若正式施行", "草案：", "If adopted", "Draft:"],
};

/**
 * Every card under `root` (a page or a widget), as [district, state, text]; the text leaves out
 * the district's history, which names other documents' states on purpose.
 */
function cardTexts(root) {
  return root.locator("[data-district]").evaluateAll((cards) =>
    cards.map((card) => {
      const copy = card.cloneNode(true);
      copy.querySelectorAll(".history").forEach((h) => h.remove());
      return [card.dataset.district, card.dataset.state, copy.textContent];
    }),
  );
}

/** The phrases of other states found in each card. */
function contradictions(cards) {
  const found = [];
  for (const [district, state, text] of cards) {
    assert.ok(STATE_WORDS[state], `${district}: unexpected state ${state}`);
    for (const [other, words] of Object.entries(STATE_WORDS)) {
      if (other === state) continue;
      for (const w of words) if (text.includes(w)) found.push(`${district} (${state}) says “${w}” (${other})`);
    }
  }
  return found;
}

/** Checks the cards of `root` at 2024-06-01: 普陀 not yet in force, 金山 and 嘉定 in force, 松江 a draft. */
async function expectNoContradiction(root, what) {
  await until(async () => {
    const states = Object.fromEntries((await cardTexts(root)).map(([d, s]) => [d, s]));
    return states.putuo === "not_yet_in_force" && states.jinshan === "in_force" && states.songjiang === "draft";
  }, `${what}: the states of 2024-06-01`);
  const cards = await cardTexts(root);
  assert.ok(cards.some(([, , t]) => /施行后|Once in force/.test(t)), `${what}: 普陀's amounts say what they would be once in force`);
  assert.deepEqual(contradictions(cards), [], what);
}

/** Parses an iCalendar text into events: unfolded properties by name (parameters dropped). */
function parseIcs(text) {
  assert.ok(text.startsWith("BEGIN:VCALENDAR\r\n") && text.endsWith("END:VCALENDAR\r\n"), "a VCALENDAR");
  const lines = text.replace(/\r\n[ \t]/g, "").split("\r\n").filter(Boolean);
  for (const line of text.split("\r\n")) assert.ok(Buffer.byteLength(line) <= 75, `folded at 75 octets: ${line}`);
  const events = [];
  let event = null;
  let inAlarm = false;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") event = { alarm: false };
    else if (line === "END:VEVENT") events.push(event), (event = null);
    else if (line === "BEGIN:VALARM") (inAlarm = true), (event.alarm = true);
    else if (line === "END:VALARM") inAlarm = false;
    else if (event && !inAlarm) {
      const [key, ...rest] = line.split(":");
      event[key.split(";")[0]] = rest.join(":");
    }
  }
  return events;
}

/** Imports the profile JSON file `file` through the toolbar. */
async function importProfile(page, file) {
  await page.getByTestId("import").setInputFiles(file);
  await expectText(page.getByTestId("notice").locator("p").first(), "已导入企业信息。");
}

/** New in 普陀 (三（一）500万 分三年拨付), renting offices at 80万元 a year (三（二）). */
const NEW_IN_PUTUO = {
  schema_version: 1,
  enterprise: {
    registered_district: "putuo",
    entity_type: "enterprise",
    credit_good: true,
    serious_violation_dates: [],
    other_violation_dates: [],
    established_in_district_on: "2025-03-01",
  },
  operations: { office_premises: "rent", office_annual_rent: "800000" },
};

export function registerTimeTests() {
  test("time: the ending-soon banner on the district card and on the total, printed too", async () => {
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await fillRealistic(page);
      const card = page.getByTestId("district-putuo");
      // 2026-10-15 (the pages' clock) is 77 days before the end: no banner.
      await asOf(page, "2026-10-15");
      await expectText(card.getByTestId("policy-state"), "在施行");
      assert.equal(await card.locator(".banner").count(), 0);
      assert.equal(await page.getByTestId("ending-soon-total").count(), 0);
      await asOf(page, "2026-12-01");
      await expectText(card.getByTestId("policy-state"), "即将失效");
      const banner = card.locator(".lifecycle.banner");
      await expectText(banner, "距失效还有 30 天：有效期至 2026-12-31，请尽快按区主管部门通知申报。", "card banner");
      assert.equal(await banner.getAttribute("role"), "status");
      const total = page.getByTestId("ending-soon-total");
      await expectText(total, "普陀区 普科合规范〔2024〕3号 · 距失效还有 30 天：有效期至 2026-12-31，请尽快按区主管部门通知申报。", "total banner");
      // The total's banner sits with what is available now, which still counts 普陀.
      await expectText(page.getByTestId("available-up-to"), "最高 220万元");
      // The last day.
      await asOf(page, "2026-12-31");
      await expectText(banner, "今天（2026-12-31）是有效期最后一天：请尽快按区主管部门通知申报。", "last day");
      // Past the end: no banner; the card and the total say why nothing is available, never a bare 0.
      await asOf(page, "2027-01-02");
      const coverage = "本工具收录的该区政策已于 2026-12-31 失效；该区可能已有新政策，本工具尚未收录。";
      await expectText(card.getByTestId("coverage"), coverage, "the card's coverage line");
      await expectText(page.getByTestId("coverage-total"), `普陀区：${coverage}`, "the total's coverage line");
      assert.equal(await page.getByTestId("ending-soon-total").count(), 0);
      // Printed: both banners, the verified date and what to do next.
      await asOf(page, "2026-12-01");
      await page.emulateMedia({ media: "print" });
      assert.ok(await banner.isVisible(), "the card's banner prints");
      assert.ok(await total.isVisible(), "the total's banner prints");
      assert.match(await card.locator(".window").textContent(), /已于 2026-12-01 对照原文核对/);
      const next = card.locator(".next");
      assert.ok(await next.isVisible(), "what to do next prints");
      assert.match(await next.textContent(), /发文单位：上海市普陀区科学技术委员会、/);
      assert.match(await next.textContent(), /四、使用管理（二） 向所在重点地区投资促进中心申请（申请、形式审查、答复）：“各重点地区投资促进中心负责/);
      assert.match(await page.locator(".print-header").textContent(), /普科合规范〔2024〕3号 《[^》]+》 · 2025-01-01 至 2026-12-31 · 即将失效/);
      // English.
      await page.emulateMedia({ media: "screen" });
      await page.getByTestId("lang").click();
      await expectText(banner, "30 days left: in force until 2026-12-31; apply soon, as the district's call directs.", "English banner");
      assert.match(await card.getByTestId("history").textContent(), /普科合规范〔2023〕4号: repealed by this policy · not encoded/);
    });
  });

  test("time: no window note contradicts the state on 2024-06-01, in the page and the widget", async () => {
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await fillRealistic(page);
      await asOf(page, "2024-06-01");
      await page.getByTestId("butie-mode-compare").check();
      await page.getByTestId("district-songjiang").waitFor();
      await openEverything(page);
      await expectNoContradiction(page, "page, 中文");
      const putuo = page.getByTestId("district-putuo");
      assert.match(await putuo.getByTestId("lifecycle").textContent(), /^尚未施行：自 2025-01-01 起施行（还有 214 天）/);
      assert.match(await putuo.getByTestId("totals").textContent(), /^施行后：确定 [^·]+ · 最高 [^（]+（不计入当前可得）/);
      assert.match(await clause(page, "putuo", "putuo.3.3").getByTestId("amount").textContent(), /^施行后 最高 /);
      await page.getByTestId("lang").click();
      await expectText(page.locator("h1"), "butie subsidy calculator");
      await expectNoContradiction(page, "page, English");
    });
    const server = await serveDist();
    try {
      await withPage({ allowOrigins: [server.origin] }, async ({ page }) => {
        await page.goto(`${server.origin}/widget-host.html`);
        const widget = page.locator("#calc-a");
        await widget.getByTestId("available-now").waitFor();
        await widget.evaluate((el) => {
          el.setAttribute("districts", "putuo,jiading,jinshan,songjiang");
          el.setAttribute("as-of", "2024-06-01");
        });
        await until(async () => (await widget.getByTestId("as-of").inputValue()) === "2024-06-01", "as-of applied");
        await widget.getByTestId("butie-mode-compare").check();
        await widget.getByTestId("district-songjiang").waitFor();
        await openEverything(widget);
        await expectNoContradiction(widget, "widget");
        // The widget's banners at 2026-12-01: on 普陀's card and on the total.
        await widget.evaluate((el) => el.setAttribute("as-of", "2026-12-01"));
        await expectText(
          widget.getByTestId("ending-soon-total"),
          "普陀区 普科合规范〔2024〕3号 · 距失效还有 30 天：有效期至 2026-12-31，请尽快按区主管部门通知申报。",
          "widget: the total's banner",
        );
        await expectText(
          widget.getByTestId("district-putuo").locator(".lifecycle.banner"),
          "距失效还有 30 天：有效期至 2026-12-31，请尽快按区主管部门通知申报。",
          "widget: the card's banner",
        );
      });
    } finally {
      await server.close();
    }
  });

  test("time: payment schedules show their years and mark those after the policy's end", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "butie-time-"));
    const file = path.join(dir, "new-in-putuo.json");
    await fs.writeFile(file, JSON.stringify(NEW_IN_PUTUO));
    try {
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await importProfile(page, file);
      await asOf(page, "2026-12-01");
      const years = (id) =>
        clause(page, "putuo", id)
          .locator(".schedule li")
          .evaluateAll((items) => items.map((li) => [li.textContent.trim(), li.classList.contains("past-end")]));
      for (const id of ["putuo.3.1", "putuo.3.2"]) {
        const row = clause(page, "putuo", id);
        // The sentence is on the clause, opened or not.
        await expectText(
          row.getByTestId("past-end"),
          "2027–2028 年的款项在政策有效期（至 2026-12-31）之后：原文未说明届时是否仍会拨付。",
          `${id}: the sentence`,
        );
        await row.locator(".clause-head").click();
      }
      // No split stated: said once for the schedule, not once a year (issue 12).
      await expectText(
        clause(page, "putuo", "putuo.3.1").locator(".schedule-split"),
        "分 3 年拨付，各年比例未规定",
        "putuo.3.1: the split, once",
      );
      assert.deepEqual(await years("putuo.3.1"), [
        ["第1年（2026年）", false],
        ["第2年（2027年，有效期后）", true],
        ["第3年（2028年，有效期后）", true],
      ]);
      // Renting: up to the rent (80万元) each year for three years.
      assert.deepEqual(await years("putuo.3.2"), [
        ["第1年（2026年）：最高 80万元", false],
        ["第2年（2027年，有效期后）：最高 80万元", true],
        ["第3年（2028年，有效期后）：最高 80万元", true],
      ]);
      // The same years in the core's JSON (the results export and the widget's event carry it).
      const report = JSON.parse(await cli(["evaluate", file, "--json", "--as-of", "2026-12-01"]));
      const c31 = report.districts.find((d) => d.district === "putuo").clauses.find((c) => c.id === "putuo.3.1");
      assert.deepEqual(c31.schedule.map((i) => [i.calendar_year, i.past_end]), [[2026, false], [2027, true], [2028, true]]);
      // Within the window with nothing past the end: no sentence (as of 2025-06-01 the third
      // year, 2027, is past it; as of 2024-06-01, before the start, the first year is 2025).
      await asOf(page, "2024-06-01");
      assert.deepEqual((await years("putuo.3.1")).map(([t]) => t), [
        "第1年（2025年）",
        "第2年（2026年）",
        "第3年（2027年，有效期后）",
      ]);
    });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, { cli: true });

  test("time: the calendar downloads, the same file as butie calendar", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "butie-ics-"));
    try {
      await withPage({}, async ({ page }) => {
        await page.goto(distFileUrl("butie.html"));
        await expectApp(page);
        await asOf(page, "2026-12-01");
        // In the toolbar's file menu (issue 12).
        await openFileMenu(page);
        await until(async () => !(await page.getByTestId("export-ics").isDisabled()), "the calendar button");
        const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-ics").click()]);
        assert.equal(download.suggestedFilename(), "butie-calendar-2026-12-01.ics");
        const file = path.join(dir, "calendar.ics");
        await download.saveAs(file);
        const text = await fs.readFile(file, "utf8");
        const events = parseIcs(text);
        // Shanghai's zone, named and described (UTC+8).
        assert.match(text, /\r\nX-WR-TIMEZONE:Asia\/Shanghai\r\n/);
        assert.match(text, /\r\nBEGIN:VTIMEZONE\r\nTZID:Asia\/Shanghai\r\nBEGIN:STANDARD\r\n[^]*?TZOFFSETTO:\+0800\r\n[^]*?END:VTIMEZONE\r\n/);
        assert.match(text, /\r\nSUMMARY;LANGUAGE=zh-CN:/);
        const end = events.find((e) => e.SUMMARY.includes("普科合规范〔2024〕3号"));
        assert.ok(end, `普陀's event in ${JSON.stringify(events)}`);
        assert.equal(end.DTSTART, "20261231");
        assert.equal(end.DTEND, "20270101");
        assert.equal(end.UID, "putuo-2024-3.end@butie");
        assert.match(end.DTSTAMP, /^\d{8}T\d{6}Z$/);
        assert.ok(end.alarm, "a reminder before the last day");
        // The CLI writes the same file (apart from when it was made).
        const withoutStamp = (t) => t.replace(/\r\nDTSTAMP:\d{8}T\d{6}Z/g, "");
        assert.equal(withoutStamp(text), withoutStamp(await cli(["calendar", "--as-of", "2026-12-01"])));
        // Nothing in force or upcoming (every encoded document has ended): no file to offer.
        await asOf(page, "2027-01-02");
        await until(() => page.getByTestId("export-ics").isDisabled(), "the calendar button disabled");
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, { cli: true });

  test("time: an evaluation date outside 1900–2100 is refused, naming the field", async () => {
    await withPage({}, async ({ page }) => {
      await page.goto(distFileUrl("butie.html"));
      await expectApp(page);
      await asOf(page, "2101-01-01");
      await expectText(page.getByTestId("as-of-error"), "评估日期须在 1900 至 2100 年之间；暂按今天计算");
      assert.equal(await page.getByTestId("as-of").getAttribute("aria-invalid"), "true");
      await asOf(page, "2100-12-31");
      assert.equal(await page.getByTestId("as-of-error").count(), 0);
    });
  });

  test("time: on the fixture page the successor is chosen by the date, its predecessor is history", async () => {
    const page_ = path.join(FIXTURE_DIST, "butie.html");
    assert.ok(
      existsSync(page_),
      `${page_} missing: run cargo xtask dist --extra-policies tests/fixtures/policies --extra-policies examples/packs/hongkou --out target/dist-fixtures`,
    );
    const url = pathToFileURL(page_).href;
    const profile = path.join("docs", "examples", "software-firm-putuo.json");
    await withPage({ now: "2027-02-01T10:00:00+08:00" }, async ({ page }) => {
      await page.goto(url);
      await expectApp(page);
      await importProfile(page, path.join(ROOT, profile));
      const card = page.getByTestId("district-putuo");
      // Today (2027-02-01): the fictional successor, in force; the real document is history.
      await expectText(card.locator(".doc"), "虚构〔2026〕9号 《【虚构示例，非真实文件】普陀区智能软件产业扶持意见（测试用）》");
      await expectText(card.getByTestId("policy-state"), "在施行");
      const history = card.getByTestId("history");
      assert.match(await history.textContent(), /普科合规范〔2024〕3号：被本政策取代 · 已失效/);
      assert.match(await history.textContent(), /普科合规范〔2024〕3号：被本政策废止 · 未收录/);
      assert.match(await card.locator(".next").textContent(), /2027-03-31 三、附则（一） 2027年度申报截止（虚构）/);
      // The same figures as the CLI reading the same files.
      const later = JSON.parse(await cli([...FIXTURE_POLICIES, "evaluate", profile, "--json", "--as-of", "2027-02-01"]));
      const putuoLater = later.districts.find((d) => d.district === "putuo");
      assert.equal(putuoLater.policy.id, "putuo-2027-fictional");
      assert.equal(await card.getByTestId("totals").getAttribute("data-up-to-yuan"), putuoLater.totals.up_to);
      // Before the successor starts: the real document, ending soon, with the successor as history.
      await asOf(page, "2026-12-01");
      await expectText(card.locator(".doc"), "普科合规范〔2024〕3号 《普陀区加快发展智能软件产业实施意见》");
      await expectText(card.getByTestId("policy-state"), "即将失效");
      assert.match(await history.textContent(), /虚构〔2026〕9号：接替本政策 · 尚未施行/);
      const earlier = JSON.parse(await cli([...FIXTURE_POLICIES, "evaluate", profile, "--json", "--as-of", "2026-12-01"]));
      const putuoEarlier = earlier.districts.find((d) => d.district === "putuo");
      assert.equal(await card.getByTestId("totals").getAttribute("data-up-to-yuan"), putuoEarlier.totals.up_to);
      // The fictional fifth district is there too.
      await page.getByTestId("butie-mode-compare").check();
      await expectText(page.getByTestId("district-hongkou").getByTestId("policy-state"), "在施行");
      assert.equal(await page.locator("[data-district]").count(), 5);
    });
  }, { cli: true });
}
