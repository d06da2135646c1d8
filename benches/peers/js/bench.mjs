// Putuo's money clauses (普科合规范〔2024〕3号 三（一）–（十）) in json-rules-engine 7, on the
// profiles the Rust side generated (inputs.json), checked clause by clause against butie's
// amounts (expected-fen.json) before any time counts. Usage: node bench.mjs DIR [ROUNDS]
//
// The engine decides which clauses apply (one rule per clause: the applicant conditions and
// the clause's own); what a clause pays is a fact computed in JavaScript (json-rules-engine
// has no arithmetic), in integer fen so that nothing is lost to floating point. The rules and
// facts are built once; each profile is one `engine.run(facts)`; the amounts of the events
// that fired are added up.

import { readFileSync } from "node:fs";
import path from "node:path";
import { Engine } from "json-rules-engine";

const [dir, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? "5");
const inputs = JSON.parse(readFileSync(path.join(dir, "inputs.json"), "utf8"));
const { clauses, amounts: expected } = JSON.parse(readFileSync(path.join(dir, "expected-fen.json"), "utf8"));

const FEN = 100;
const yuan = (n) => n * FEN;
const min = Math.min;
const max = Math.max;
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const items = (p, kind) => p.projects.filter((x) => x.kind === kind);

// Amounts (fen) of the clauses whose money depends on the profile.
const amounts = {
  c32: (p) => (p.office === "rent" ? min(yuan(p.rent), yuan(1_000_000)) * 3 : min(p.price * 2, yuan(3_000_000))),
  c33: (p) => sum(items(p, "rd_project").map((x) => max(min(yuan(x.investment) / 2, yuan(3_000_000)) - yuan(x.other), 0))),
  c34g: (p) => p.games.length * yuan(1_000_000),
  c35: (p) =>
    sum(
      items(p, "first_of_kind").map((x) =>
        max(min(max(x.sales * 30, x.upperFirstSet ? yuan(5_000_000) : 0), yuan(5_000_000)) - yuan(x.other), 0),
      ),
    ),
  c36: (p) => min(sum(items(p, "computing_power").map((x) => max(x.cost * 30 - yuan(x.other), 0))), yuan(5_000_000)),
  c38p: (p) =>
    sum(
      p.projects
        .filter((x) => x.kind === "park_environment" && (x.level === "municipal" || x.level === "national"))
        .map((x) => max(min(x.investment * 30, yuan(x.level === "national" ? 2_000_000 : 1_000_000)) - yuan(x.other), 0)),
    ),
  c39: (p) => min(sum(items(p, "exhibition_center").map((x) => max(min(yuan(x.cost) / 2, yuan(2_000_000)) - yuan(x.other), 0))), yuan(2_000_000)),
  c310h: (p) => sum(items(p, "event_hosting").map((x) => max(min(yuan(x.cost) / 2, yuan(2_000_000)) - yuan(x.other), 0))),
  c310p: (p) => min(sum(items(p, "event_participation").map((x) => max(yuan(x.cost) / 2 - yuan(x.other), 0))), yuan(200_000)),
};

const applicant = [
  { fact: "district", operator: "equal", value: "putuo" },
  { fact: "entity", operator: "notEqual", value: "individual" },
  { fact: "creditGood", operator: "equal", value: true },
  { fact: "recentViolations", operator: "equal", value: 0 },
];
const company = { fact: "entity", operator: "in", value: ["enterprise", "branch"] };
const newInWindow = { fact: "newInWindow", operator: "equal", value: true };
const positive = (fact) => ({ fact, operator: "greaterThan", value: 0 });

/** One rule per clause: its conditions, and the fixed amount or the amount fact it pays. */
const rules = [
  ["putuo.3.1", [company, newInWindow], { fen: yuan(5_000_000) }],
  ["putuo.3.2", [company, newInWindow, { fact: "office", operator: "notEqual", value: "none" }], { fact: "c32" }],
  ["putuo.3.3", [positive("c33")], { fact: "c33" }],
  [
    "putuo.3.4.qualifications",
    [
      {
        any: [
          { fact: "classifiedA", operator: "equal", value: true },
          { fact: "csLevel", operator: "in", value: ["cs4", "cs5"] },
          { fact: "itssLevel", operator: "in", value: ["2", "1"] },
          { fact: "cmmiLevel", operator: "in", value: ["3", "4", "5"] },
          ...["icp", "cisp", "ccrc", "cesscn", "llmFiling", "publishing", "audioVisual"].map((fact) => ({
            fact,
            operator: "equal",
            value: true,
          })),
        ],
      },
    ],
    { fen: yuan(200_000) },
  ],
  ["putuo.3.4.games", [positive("c34g")], { fact: "c34g" }],
  ["putuo.3.4.overseas", [{ fact: "overseasGame", operator: "equal", value: true }], { fen: yuan(2_000_000) }],
  ["putuo.3.5", [positive("c35")], { fact: "c35" }],
  ["putuo.3.6", [company, positive("c36")], { fact: "c36" }],
  ["putuo.3.7", [{ fact: "entity", operator: "equal", value: "nonprofit" }, newInWindow], { fen: yuan(1_000_000) }],
  ["putuo.3.8.park", [positive("c38p")], { fact: "c38p" }],
  ["putuo.3.8.startup", [{ fact: "startup", operator: "equal", value: true }], { fen: yuan(100_000) }],
  ["putuo.3.9", [positive("c39")], { fact: "c39" }],
  ["putuo.3.10.hosting", [positive("c310h")], { fact: "c310h" }],
  ["putuo.3.10.participation", [positive("c310p")], { fact: "c310p" }],
];

const engine = new Engine([], { allowUndefinedFacts: false });
for (const [id, conditions, pays] of rules) {
  engine.addRule({ name: id, conditions: { all: [...applicant, ...conditions] }, event: { type: "clause", params: { id, ...pays } } });
}
// Facts computed from the profile (the profile itself is the `profile` fact).
const derived = {
  recentViolations: (p) => p.violations.filter((d) => d > 20231121 && d <= 20261121).length,
  newInWindow: (p) => p.established >= 20250101 && p.established <= 20261231,
  overseasGame: (p) => p.games.some((g) => g.overseas && g.settled),
  ...amounts,
};
for (const [name, f] of Object.entries(derived)) {
  engine.addFact(name, async (_params, almanac) => f(await almanac.factValue("profile")));
}

/** One profile: the amount (fen) of each clause that fired, in `clauses` order. */
async function evaluate(profile) {
  const { events, almanac } = await engine.run({ ...profile, profile });
  const out = clauses.map(() => 0);
  for (const e of events) {
    const i = clauses.indexOf(e.params.id);
    if (i < 0) throw new Error(`rule ${e.params.id} is not one of butie's money clauses`);
    out[i] = e.params.fen ?? (await almanac.factValue(e.params.fact));
  }
  return out;
}

let mismatches = 0;
const first = [];
for (let i = 0; i < inputs.length; i++) {
  const got = await evaluate(inputs[i]);
  const diff = clauses
    .map((clause, c) => ({ clause, butie_fen: expected[i][c], peer_fen: got[c] }))
    .filter((d) => d.butie_fen !== d.peer_fen);
  if (diff.length > 0) {
    mismatches++;
    if (first.length < 5) first.push({ profile: i, input: inputs[i], clauses: diff });
  }
}
const times = [];
for (let r = 0; r < rounds; r++) {
  const started = process.hrtime.bigint();
  for (const p of inputs) await evaluate(p);
  times.push(Number(process.hrtime.bigint() - started) / 1e3 / inputs.length);
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    jre_us_per_profile: times[Math.floor(times.length / 2)],
    jre_mismatches: mismatches,
    jre_first_mismatches: first,
    node: process.version,
  }),
);
