// "A fuzzer that finds nothing proves nothing" (issue 4): each planted bug of
// src/recorder/_mutations.ts is found by a fixed-seed campaign with a fixed number of runs
// (decision 21) and shrunk to a short case; without a planted bug the same campaign passes.
import assert from "node:assert/strict";
import { mutations } from "../src/recorder/_mutations.ts";
import { describeCommand } from "./case_data.ts";
import { formatFailure, runCampaign } from "./campaign.ts";

const SEED = 1;
const RUNS = 200;
const MAX_SHRUNK = 6;

const planted: Array<[keyof typeof mutations, RegExp]> = [
  ["timesliceOffByOne", /^\[timeslice\]/],
  ["syncStartEvent", /^\[events\] start fired synchronously/],
  ["noStopAfterModification", /^\[events\]/],
  ["dropChunkAtBoundary", /^\[media\]/],
];

for (const [flag, symptom] of planted) {
  Deno.test(`planted bug ${flag}: found within ${RUNS} runs (seed ${SEED}) and shrunk to ≤ ${MAX_SHRUNK} commands`, async () => {
    mutations[flag] = true;
    try {
      const { failure } = await runCampaign({ seed: SEED, runs: RUNS });
      assert.ok(failure, `${flag} was not found`);
      assert.match(failure.error, symptom, formatFailure(failure));
      assert.ok(
        failure.data.commands.length <= MAX_SHRUNK,
        `shrunk to ${failure.data.commands.length} commands:\n${
          failure.data.commands.map(describeCommand).join("\n")
        }`,
      );
    } finally {
      mutations[flag] = false;
    }
  });
}

Deno.test(`no planted bug: the same campaign (seed ${SEED}, ${RUNS} runs) passes`, async () => {
  assert.ok(Object.values(mutations).every((on) => !on));
  const { failure } = await runCampaign({ seed: SEED, runs: RUNS });
  assert.equal(failure, null, failure ? formatFailure(failure) : "");
});
