import assert from "node:assert/strict";
import fc from "fast-check";
import { type Profile, profiles } from "../src/profiles/mod.ts";
import { runCampaign } from "./campaign.ts";
import {
  factsOf,
  fullyModelledEngines,
  MODELLED_FIELDS,
  profileDataArb,
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
  // Every field the engine profiles set is followed: all three are drawn whole.
  for (const base of ["chrome", "firefox", "safari"] as const) {
    assert.deepEqual(unmodelledFields(profileOf({ base })), [], base);
  }
  assert.deepEqual(fullyModelledEngines(), ["chrome", "firefox", "safari"]);
  // A field the model does not know keeps a profile from being drawn whole.
  const added = { ...profiles.safari, newEngineField: true } as unknown as Profile;
  assert.deepEqual(unmodelledFields(added), ["newEngineField"]);
  // A modelled strategy is followed whatever its function (the model calls it as data).
  const split = { ...profiles.spec, splitBitsPerSecond: () => ({ video: 1, audio: 1 }) };
  assert.ok(!unmodelledFields(split as Profile).includes("splitBitsPerSecond"));
  assert.ok(MODELLED_FIELDS.includes("splitBitsPerSecond"));
});

Deno.test("profileDataArb: the spec, engines whole and custom profiles; --profile fixes one", () => {
  const drawn = fc.sample(profileDataArb(), { seed: 3, numRuns: 400 });
  const whole = new Set(drawn.filter((d) => d && !d.fields).map((d) => d!.base));
  assert.deepEqual([...whole].sort(), ["chrome", "firefox", "safari"]);
  assert.ok(drawn.some((d) => d === undefined));
  assert.ok(drawn.some((d) => d?.fields !== undefined));
  assert.deepEqual(fc.sample(profileDataArb({ base: "chrome" }), 3), [
    { base: "chrome" },
    { base: "chrome" },
    { base: "chrome" },
  ]);
});

Deno.test("factsOf: the profile's own strategies, or null where the model keeps its own table", () => {
  assert.equal(factsOf(undefined).splitBitsPerSecond, null);
  assert.equal(factsOf(undefined).mime, null);
  const chrome = factsOf({ base: "chrome" });
  assert.deepEqual(chrome.splitBitsPerSecond!(100_000, true, true), {
    video: 90_000,
    audio: 10_000,
  });
  assert.equal(
    chrome.mime!.isTypeSupported!("video/mp4"),
    profiles.chrome.isTypeSupported!("video/mp4"),
  );
  assert.equal(chrome.timesliceType, "long");
  assert.equal(chrome.startEvent, "first-output");
  assert.equal(factsOf({ base: "firefox" }).audioBitrateMode, false);
  assert.equal(factsOf({ base: "safari" }).trackSetChange, "empty");
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
