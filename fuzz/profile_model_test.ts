import assert from "node:assert/strict";
import { profiles } from "../src/profiles/mod.ts";
import { runCampaign } from "./campaign.ts";
import {
  factsOf,
  fullyModelledEngines,
  MODELLED_FIELDS,
  profileOf,
  unmodelledFields,
} from "./profile_model.ts";

Deno.test("profileOf: engine profiles with their bugs off; custom ones are the spec plus engine fields", () => {
  for (const base of ["chrome", "firefox", "safari"] as const) {
    const p = profileOf({ base });
    assert.deepEqual(p.bugs, {});
    assert.equal(p.chunkClock, profiles[base].chunkClock);
    const custom = profileOf({ base, fields: ["errorEvent"] });
    assert.equal(custom.errorEvent, profiles[base].errorEvent);
    assert.equal(custom.chunkClock, profiles.spec.chunkClock);
    assert.deepEqual(unmodelledFields(custom), []);
  }
  assert.equal(profileOf(undefined), profiles.spec);
});

Deno.test("unmodelledFields names what the model does not follow; engines are drawn only without any", () => {
  assert.deepEqual(unmodelledFields(profiles.spec), []);
  const safari = unmodelledFields(profileOf({ base: "safari" }));
  assert.ok(safari.includes("chunkClock"));
  for (const f of MODELLED_FIELDS) assert.ok(!safari.includes(f));
  for (const e of fullyModelledEngines()) {
    assert.deepEqual(unmodelledFields(profileOf({ base: e })), []);
  }
});

Deno.test("factsOf: the model's view of mimeType formatting and its lifecycle", () => {
  assert.equal(factsOf(undefined).keepsMimeType, false);
  assert.equal(factsOf({ base: "chrome", fields: ["mimeTypeAfterStop"] }).keepsMimeType, true);
  assert.equal(
    factsOf({ base: "chrome", fields: ["formatMimeType"] }).formatMimeType(
      "video/webm",
      ["vp8", "opus"],
      "VIDEO/WEBM",
    ),
    profiles.chrome.formatMimeType("video/webm", ["vp8", "opus"], "VIDEO/WEBM"),
  );
});

Deno.test("a fixed-seed campaign draws custom profiles and passes", async () => {
  const result = await runCampaign({ seed: 7, runs: 60 });
  assert.equal(result.failure, null);
});
