import assert from "node:assert/strict";
import { parseArgs, parseDuration } from "./cli_args.ts";

Deno.test("parseArgs: every flag", () => {
  const a = parseArgs([
    "--runs",
    "200",
    "--time-budget=2m",
    "--seed",
    "42",
    "--shard",
    "3/8",
    "--encoder",
    "libav",
    "--trace",
    "out/",
    "--max-commands",
    "12",
    "--strict",
  ]);
  assert.deepEqual(a, {
    runs: 200,
    timeBudgetMs: 120_000,
    seed: 42,
    shard: { index: 3, count: 8 },
    encoder: "libav",
    traceDir: "out/",
    maxCommands: 12,
    strict: true,
    help: false,
  });
});

Deno.test("parseArgs: replay takes the seed from seed:path; a random seed otherwise", () => {
  const r = parseArgs(["--replay", "-17:4:0:2"]);
  assert.deepEqual(r.replay, { seed: -17, path: "4:0:2" });
  assert.equal(r.seed, -17);
  assert.equal(parseArgs([], () => 99).seed, 99);
});

Deno.test("parseArgs: bad flags are errors", () => {
  assert.throws(() => parseArgs(["--shard", "4/4"]), /0 <= i < n/);
  assert.throws(() => parseArgs(["--encoder", "x"]), /synthetic or libav/);
  assert.throws(() => parseArgs(["--runs", "0"]), /integer/);
  assert.throws(() => parseArgs(["--replay", "nope"]), /seed:path/);
  assert.throws(() => parseArgs(["--what"]), /unknown flag/);
  assert.throws(() => parseDuration("soon"), /duration/);
});
