/**
 * Bugs the fuzzer found in `src/` that are not fixed yet. Each has a regression case in
 * `fuzz/regressions/` (replayed strictly, `"expect": "fail"`). Campaigns tolerate them by
 * default — the model or the invariant accepts the implementation's current behaviour
 * for that one rule — so a campaign keeps looking for other bugs; `--strict` turns the
 * tolerance off. When a bug is fixed: delete its entry here and flip its regression to
 * `"expect": "pass"`.
 *
 * @module
 */

/**
 * The known bugs: id → what is wrong. Empty: the seven bugs this fuzzer found first
 * (fuzz/regressions/*.json) were fixed in 6b062e9 and their regressions expect "pass".
 */
export const KNOWN_BUGS: Readonly<Record<string, string>> = {};

/**
 * Which known bugs are reported rather than tolerated: all of them (`strict`), or those
 * listed in `report` (a regression case replays with its own bug reported).
 */
export const tolerance: { strict: boolean; report: string[] } = { strict: false, report: [] };

/**
 * Whether the rule broken by known bug `id` is relaxed in this run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tolerated } from "./known_bugs.ts";
 * assert.equal(tolerated("no-such-bug"), false);
 * ```
 */
export function tolerated(id: string): boolean {
  return !tolerance.strict && !tolerance.report.includes(id) && id in KNOWN_BUGS;
}

/**
 * Runs `fn` reporting the known bugs `ids` (all of them when `ids` is "all"), restoring
 * the setting after.
 */
export async function reporting<T>(ids: string[] | "all", fn: () => Promise<T>): Promise<T> {
  const before = { ...tolerance };
  if (ids === "all") tolerance.strict = true;
  else tolerance.report = [...ids];
  try {
    return await fn();
  } finally {
    Object.assign(tolerance, before);
  }
}
