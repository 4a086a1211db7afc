// A short fixed-seed campaign (decision 21: fixed seed and runs, no time budget): the
// current src/ passes it (open known bugs tolerated, if any) and it reaches every (state × method)
// pair and every termination path.
import assert from "node:assert/strict";
import { formatFailure, runCampaign, shardSeed } from "./campaign.ts";
import { missing } from "./coverage.ts";

Deno.test("campaign: 100 runs with seed 101 pass and reach every pair and termination path", async () => {
  const result = await runCampaign({ seed: 101, runs: 100 });
  assert.equal(result.failure, null, result.failure ? formatFailure(result.failure) : "");
  assert.equal(result.runs, 100);
  assert.ok(result.commands > 500, `${result.commands} commands`);
  assert.deepEqual(missing(result.coverage), []);
});

Deno.test("campaign: shards run disjoint seeds", () => {
  const seeds = [0, 1, 2, 3].map((index) => shardSeed(5, { index, count: 4 }));
  assert.equal(new Set(seeds).size, 4);
  assert.equal(shardSeed(5), 5);
});

Deno.test("campaign: a failure's seed and path replay it", async () => {
  const { mutations } = await import("../src/recorder/_mutations.ts");
  mutations.syncStartEvent = true;
  try {
    const found = await runCampaign({ seed: 3, runs: 50 });
    assert.ok(found.failure);
    const replayed = await runCampaign({ seed: found.failure.seed, path: found.failure.path });
    assert.ok(replayed.failure);
    assert.equal(replayed.runs, 1, "the path leads straight to the shrunk case");
    assert.deepEqual(replayed.failure.data, found.failure.data);
    assert.match(found.failure.replay, /^deno task fuzz --replay "3:[\d:]+@[^"]+"$/);
  } finally {
    mutations.syncStartEvent = false;
  }
});
