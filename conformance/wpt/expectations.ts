/**
 * The expectations format (`expectations/<profile>.json`) and its comparison with a run.
 *
 * Per run key (`file.wpt + variant`): the expected harness status and, per subtest,
 * `"PASS"` or `{ status, kind, reason }` where `kind` says why it does not pass:
 * `recsim-bug` (recsim should change), `spec-vs-wpt` (the current spec and WPT disagree;
 * recsim follows the spec) or `wpt-bug` (the WPT file is broken at the ported commit).
 *
 * @module
 */
import type { HarnessResult } from "./testharness.js";

/** Why an expected result is not PASS. */
export type FailureKind = "recsim-bug" | "spec-vs-wpt" | "wpt-bug";

/** The expectation of one subtest. */
export type SubtestExpectation =
  | "PASS"
  | {
    status: "FAIL" | "TIMEOUT" | "NOTRUN" | "PRECONDITION_FAILED";
    kind: FailureKind;
    reason: string;
  };

/** The expectation of one run. */
export interface RunExpectation {
  harness: "OK" | "ERROR" | "TIMEOUT";
  subtests: Record<string, SubtestExpectation>;
}

/** The whole file (keys starting with `$` are comments). */
export type Expectations = Record<string, RunExpectation>;

/**
 * The differences between a run and its expectation, one line each (none: it matches).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareWithExpectations } from "./expectations.ts";
 * const run = { status: "OK" as const, message: null, tests: [{ name: "a", status: "PASS" as const, message: null }] };
 * assert.deepEqual(compareWithExpectations("x.html", run, { harness: "OK", subtests: { a: "PASS" } }), []);
 * ```
 */
export function compareWithExpectations(
  key: string,
  result: HarnessResult,
  expected: RunExpectation | undefined,
): string[] {
  if (!expected) return [`${key}: no expectation (got harness ${result.status})`];
  const diffs: string[] = [];
  if (result.status !== expected.harness) {
    diffs.push(
      `${key}: harness ${result.status} (${result.message}), expected ${expected.harness}`,
    );
  }
  const seen = new Set<string>();
  for (const t of result.tests) {
    seen.add(t.name);
    const e = expected.subtests[t.name];
    if (e === undefined) {
      diffs.push(`${key}: "${t.name}" ${t.status} has no expectation (${t.message})`);
      continue;
    }
    const want = e === "PASS" ? "PASS" : e.status;
    if (t.status !== want) {
      diffs.push(`${key}: "${t.name}" ${t.status}, expected ${want} (${t.message})`);
    }
  }
  for (const name of Object.keys(expected.subtests)) {
    if (!seen.has(name)) diffs.push(`${key}: "${name}" expected but not run`);
  }
  return diffs;
}
