import assert from "node:assert/strict";
import { DEFAULT_MUTATE, parseMutationArgs, strykerConfig, testCommand } from "./config.ts";

Deno.test("parseMutationArgs: defaults, files, suites and limits", () => {
  const d = parseMutationArgs([]);
  assert.deepEqual(d.mutate, DEFAULT_MUTATE);
  assert.equal(d.suite, "unit");
  assert.equal(d.concurrency, 2);
  assert.equal(parseMutationArgs(["--fuzz-budget", "2m"]).fuzzBudgetMs, 120_000);
  assert.equal(parseMutationArgs(["--fuzz-budget", "30s"]).fuzzBudgetMs, 30_000);
  assert.equal(parseMutationArgs(["--concurrency", "4"]).concurrency, 4);
  assert.throws(() => parseMutationArgs(["--suite", "e2e"]), TypeError);
  assert.throws(() => parseMutationArgs(["--fuzz-runs", "0"]), TypeError);
  assert.throws(() => parseMutationArgs(["--fuzz-budget", "soon"]), TypeError);
  assert.throws(() => parseMutationArgs(["--nope"]), TypeError);
  assert.throws(() => parseMutationArgs(["--suite"]), TypeError);
});

Deno.test("testCommand: the unit tests beside the code, or a fixed-seed fuzz campaign", () => {
  assert.equal(
    testCommand(parseMutationArgs([]), "deno"),
    "deno test -A --no-check src/mime_type_test.ts src/recorder/ src/profiles/ src/events/ src/clock/",
  );
  assert.equal(
    testCommand(parseMutationArgs(["--suite", "fuzz", "--fuzz-budget", "2m"]), "deno"),
    "deno run -A --no-check fuzz/main.ts --time-budget 120000ms --seed 1",
  );
});

Deno.test("strykerConfig: the command runner, no coverage analysis, a report per suite", () => {
  const c = strykerConfig(parseMutationArgs(["--suite", "fuzz"]), "/bin/deno");
  assert.equal(c.testRunner, "command");
  assert.equal(c.coverageAnalysis, "off");
  assert.deepEqual(c.commandRunner, {
    command: "/bin/deno run -A --no-check fuzz/main.ts --runs 300 --seed 1",
  });
  assert.deepEqual(c.jsonReporter, { fileName: "out/mutation/fuzz.json" });
  assert.equal(c.tempDirName, "out/.stryker-tmp-fuzz");
});
