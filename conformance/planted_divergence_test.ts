// A divergence planted in recsim (src/recorder/_mutations.ts `blobTypeEmpty`: every
// Blob's type is "") is caught by the offline replay and by the live lab (issue 12, CI).
import assert from "node:assert/strict";
import { mutations } from "../src/recorder/_mutations.ts";
import { browserAvailable } from "./drivers/mod.ts";
import { loadCorpus, loadObservations } from "./lab/corpus.ts";
import { liveCheck } from "./lab/live.ts";
import { replay } from "./lab/replay.ts";

const SCENARIO = "timeslice/av-1000";

async function withPlant<T>(fn: () => Promise<T>): Promise<T> {
  mutations.blobTypeEmpty = true;
  try {
    return await fn();
  } finally {
    mutations.blobTypeEmpty = false;
  }
}

const blobTypeChecks = (checks: { name: string; category: string; pass: boolean }[]) =>
  checks.filter((c) => c.category === "attributes" && c.name.startsWith("at rec:dataavailable"));

Deno.test("planted divergence: the offline replay catches it", async () => {
  const scenario = (await loadCorpus()).find((s) => s.id === SCENARIO)!;
  const observations = await loadObservations();
  let compared = 0;
  for (const [key, byScenario] of observations) {
    // The engines whose profile matches the Blob type there (WebKitGTK's codec strings are
    // GStreamer's, so the safari profile differs from it in any case).
    if (!key.startsWith("chromium-") && !key.startsWith("firefox-")) continue;
    const obs = byScenario.get(SCENARIO);
    if (!obs) continue;
    compared++;
    const clean = blobTypeChecks((await replay(scenario.run, obs)).checks);
    assert.ok(
      clean.length > 0 && clean.every((c) => c.pass),
      `${obs.engine}: passes without the plant`,
    );
    const planted = blobTypeChecks((await withPlant(() => replay(scenario.run, obs))).checks);
    assert.ok(planted.some((c) => !c.pass), `${obs.engine}: the plant is caught`);
  }
  assert.ok(compared > 0, `no observation of ${SCENARIO}`);
});

Deno.test({
  name: "planted divergence: the live lab catches it (Chromium)",
  ignore: !browserAvailable("chromium") && Deno.env.get("CI") !== "true",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    assert.ok(browserAvailable("chromium"), "chromium is missing: apt-get install -y chromium");
    const options = { engine: "chromium" as const, runs: 1, scenarios: [SCENARIO], log: () => {} };
    const clean = await liveCheck(options);
    assert.ok(blobTypeChecks(clean.checks).every((c) => c.pass), "passes live without the plant");
    const planted = await withPlant(() => liveCheck(options));
    assert.equal(planted.ok, false);
    assert.ok(blobTypeChecks(planted.checks).some((c) => !c.pass));
  },
});
