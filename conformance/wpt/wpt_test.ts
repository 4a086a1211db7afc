/**
 * The ported WPT `mediacapture-record` tests on recsim's `spec` profile, one Deno test per
 * file and variant, each against `expectations/spec.json`: a subtest whose status differs
 * from its expectation (or that is missing, or not listed) fails the Deno test, and so
 * does a harness status other than the expected one.
 *
 * @module
 */
import assert from "node:assert/strict";
import { runKey, WPT_FILES } from "./manifest.js";
import { runOnRecsim } from "./run_recsim.ts";
import { compareWithExpectations, type Expectations } from "./expectations.ts";

const expectations: Expectations = JSON.parse(
  await Deno.readTextFile(new URL("./expectations/spec.json", import.meta.url)),
);

for (const file of WPT_FILES) {
  for (const variant of file.variants) {
    const key = runKey(file, variant);
    Deno.test(`WPT mediacapture-record on recsim spec: ${key}`, async () => {
      const result = await runOnRecsim(file, variant, "spec");
      assert.deepEqual(compareWithExpectations(key, result, expectations[key]), []);
    });
  }
}

Deno.test("WPT expectations list no run that the manifest lacks", () => {
  const keys = new Set(WPT_FILES.flatMap((f) => f.variants.map((v) => runKey(f, v))));
  const stale = Object.keys(expectations).filter((k) => !k.startsWith("$") && !keys.has(k));
  assert.deepEqual(stale, []);
});

Deno.test("WPT runs on recsim are deterministic (same results and messages twice)", async () => {
  const file = WPT_FILES.find((f) => f.wpt === "MediaRecorder-stop.html")!;
  const variant = "?mimeType=video/webm;codecs=vp8,opus";
  const first = await runOnRecsim(file, variant, "spec");
  const second = await runOnRecsim(file, variant, "spec");
  assert.deepEqual(second, first);
});
