// The example host page's own script (a file: the page's CSP allows no inline script).
// It shows what a consultant can do with the widget: capture each result from the
// `butie-result` event, and evaluate a profile with the JS API.
"use strict";

document.addEventListener("butie-result", (event) => {
  const result = event.detail;
  const now = result.available_now;
  document.getElementById("last-result").textContent =
    `${event.target.id}: as of ${result.as_of}, definite ${now.definite} yuan, up to ${now.up_to} yuan`;
});

document.getElementById("api-demo").addEventListener("click", async () => {
  const profile = {
    schema_version: 1,
    name: "示例企业",
    enterprise: { registered_district: "putuo", entity_type: "enterprise", credit_good: true, serious_violation_dates: [] },
    certifications: { cmmi_level: "3", cmmi_issued_on: "2025-05-10", icp_licence: true },
  };
  const result = await window.butie.evaluate(profile, { asOf: "2026-11-21" });
  document.getElementById("api-result").textContent = result.error
    ? `error: ${result.fields.map((f) => `${f.path}: ${f.message.en}`).join("; ")}`
    : `up to ${result.available_now.up_to} yuan`;
});
