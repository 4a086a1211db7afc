/**
 * `deno task mutation` settings: what is mutated by default, which tests kill mutants,
 * and the StrykerJS configuration built from them.
 *
 * @module
 */

/** StrykerJS, installed from npm into a scratch directory outside the repository. */
export const STRYKER_VERSION = "10";

/**
 * The default scope: the recorder's spec algorithms, the profile strategies and the
 * virtual clock. `recording_session.ts` (the data plane, 990 lines) is left out by
 * default: name it to include it.
 */
export const DEFAULT_MUTATE: readonly string[] = [
  "src/recorder/start.ts",
  "src/recorder/media_recorder.ts",
  "src/recorder/stop.ts",
  "src/recorder/inactivate.ts",
  "src/recorder/recorder_internals.ts",
  "src/recorder/chunk_clocks/*.ts",
  "src/recorder/encoder_latency.ts",
  "src/recorder/lanes.ts",
  "src/recorder/mime_type.ts",
  "src/mime_type.ts",
  "src/profiles/spec.ts",
  "src/profiles/chrome.ts",
  "src/profiles/firefox.ts",
  "src/profiles/safari.ts",
  "src/clock/virtual_clock.ts",
];

/** The test suites that can judge mutants. */
export type Suite = "unit" | "fuzz";

/** Options of one mutation run. */
export interface MutationArgs {
  /** Files or globs to mutate. */
  mutate: string[];
  /** Which tests run against each mutant. */
  suite: Suite;
  /** Fuzz runs per mutant (suite `fuzz`). */
  fuzzRuns: number;
  /** Fuzz time budget per mutant in ms (suite `fuzz`), instead of a run count. */
  fuzzBudgetMs: number | null;
  /** Parallel test processes. */
  concurrency: number;
  /** Names the report and sandbox (default: the suite), to run several at once. */
  label: string;
}

/**
 * Parses `deno task mutation [files…] [--suite unit|fuzz] [--fuzz-runs N]
 * [--fuzz-budget 2m] [--concurrency N] [--label name]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MUTATE, parseMutationArgs } from "./config.ts";
 * assert.deepEqual(parseMutationArgs([]).mutate, DEFAULT_MUTATE);
 * const a = parseMutationArgs(["src/recorder/stop.ts", "--suite", "fuzz", "--fuzz-runs", "300"]);
 * assert.deepEqual(a.mutate, ["src/recorder/stop.ts"]);
 * assert.equal(a.suite, "fuzz");
 * assert.equal(a.fuzzRuns, 300);
 * ```
 */
export function parseMutationArgs(argv: readonly string[]): MutationArgs {
  const out: MutationArgs = {
    mutate: [],
    suite: "unit",
    fuzzRuns: 300,
    fuzzBudgetMs: null,
    concurrency: 2,
    label: "",
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new TypeError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case "--suite": {
        const v = value();
        if (v !== "unit" && v !== "fuzz") throw new TypeError(`--suite: unit or fuzz, got ${v}`);
        out.suite = v;
        break;
      }
      case "--fuzz-runs":
        out.fuzzRuns = positive(value(), a);
        break;
      case "--fuzz-budget": {
        const v = value();
        const m = /^(\d+)(ms|s|m)$/.exec(v);
        if (!m) throw new TypeError(`--fuzz-budget: e.g. 30s or 2m, got ${v}`);
        out.fuzzBudgetMs = Number(m[1]) * (m[2] === "m" ? 60_000 : m[2] === "s" ? 1000 : 1);
        break;
      }
      case "--concurrency":
        out.concurrency = positive(value(), a);
        break;
      case "--label":
        out.label = value();
        break;
      default:
        if (a.startsWith("--")) throw new TypeError(`unknown flag ${a}`);
        out.mutate.push(a);
    }
  }
  if (out.mutate.length === 0) out.mutate = [...DEFAULT_MUTATE];
  if (out.label === "") out.label = out.suite;
  return out;
}

function positive(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`${flag}: a positive integer, got ${v}`);
  return n;
}

/**
 * The command StrykerJS runs against each mutant (in its sandbox copy of the repository):
 * the unit tests beside the mutated code (`--no-check`: Stryker's instrumented code is
 * not meant to type-check), or a fixed-seed fuzz campaign.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMutationArgs, testCommand } from "./config.ts";
 * assert.match(testCommand(parseMutationArgs([]), "deno"), /deno test -A --no-check src\/mime_type_test\.ts src\/recorder\//);
 * assert.match(testCommand(parseMutationArgs(["--suite", "fuzz"]), "deno"), /--runs 300 --seed 1/);
 * ```
 */
export function testCommand(args: MutationArgs, deno: string): string {
  if (args.suite === "fuzz") {
    const limit = args.fuzzBudgetMs === null
      ? `--runs ${args.fuzzRuns}`
      : `--time-budget ${args.fuzzBudgetMs}ms`;
    return `${deno} run -A --no-check fuzz/main.ts ${limit} --seed 1`;
  }
  return `${deno} test -A --no-check src/mime_type_test.ts src/recorder/ src/profiles/ src/events/ src/clock/`;
}

/**
 * The StrykerJS configuration (JSON) for `args`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMutationArgs, strykerConfig } from "./config.ts";
 * const c = strykerConfig(parseMutationArgs(["src/recorder/stop.ts"]), "deno");
 * assert.equal(c.testRunner, "command");
 * assert.deepEqual(c.mutate, ["src/recorder/stop.ts"]);
 * ```
 */
export function strykerConfig(args: MutationArgs, deno: string): Record<string, unknown> {
  return {
    testRunner: "command",
    commandRunner: { command: testCommand(args, deno) },
    mutate: args.mutate,
    coverageAnalysis: "off",
    concurrency: args.concurrency,
    timeoutMS: 15_000,
    timeoutFactor: 2,
    reporters: ["clear-text", "progress-append-only", "json"],
    jsonReporter: { fileName: `out/mutation/${args.label}.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: true },
    tempDirName: `out/.stryker-tmp-${args.label}`,
    ignorePatterns: ["out", ".git", "coverage", "fixtures/**/*.webm"],
    disableTypeChecks: false,
    cleanTempDir: true,
  };
}
