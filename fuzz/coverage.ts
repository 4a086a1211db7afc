/**
 * Campaign coverage: (state × method) pairs and termination paths reached, summed over
 * runs, printed as a table in which a pair or path never reached stands out.
 *
 * @module
 */
import { METHODS } from "./case_data.ts";
import { type Coverage, newCoverage, TERMINATIONS } from "./model.ts";

/** Adds `from` into `into`. */
export function mergeCoverage(into: Coverage, from: Coverage): void {
  for (const [k, v] of from.pairs) into.pairs.set(k, (into.pairs.get(k) ?? 0) + v);
  for (const [k, v] of from.terminations) {
    into.terminations.set(k, (into.terminations.get(k) ?? 0) + v);
  }
}

/** The pairs and paths a campaign should reach, as keys of {@link Coverage}. */
export function expectedKeys(): { pairs: string[]; terminations: string[] } {
  const pairs: string[] = [];
  for (const state of ["inactive", "recording", "paused"]) {
    for (const method of METHODS) pairs.push(`${state}×${method}`);
  }
  return { pairs, terminations: [...TERMINATIONS] };
}

/** The keys never reached. */
export function missing(coverage: Coverage): string[] {
  const { pairs, terminations } = expectedKeys();
  return [
    ...pairs.filter((k) => !coverage.pairs.get(k)),
    ...terminations.filter((k) => !coverage.terminations.get(k)).map((k) => `termination ${k}`),
  ];
}

/**
 * The coverage as text: a state × method table of call counts (constructor calls by the
 * current recorder's state, "none" before any) and the termination paths.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCoverage } from "./coverage.ts";
 * import { newCoverage } from "./model.ts";
 * const c = newCoverage();
 * c.pairs.set("inactive×start", 3);
 * const text = formatCoverage(c);
 * assert.ok(text.includes("NOT REACHED"));
 * ```
 */
export function formatCoverage(coverage: Coverage = newCoverage()): string {
  const columns = ["construct", ...METHODS];
  const width = 12;
  const lines: string[] = [];
  lines.push(["state \\ method".padEnd(14), ...columns.map((c) => c.padStart(width))].join(""));
  for (const state of ["none", "inactive", "recording", "paused"]) {
    const cells = columns.map((m) => {
      if (state === "none" && m !== "construct") return "".padStart(width);
      const n = coverage.pairs.get(`${state}×${m}`) ?? 0;
      const mustReach = state !== "none" && m !== "construct";
      return (n === 0 && mustReach ? "0 !" : String(n)).padStart(width);
    });
    lines.push([state.padEnd(14), ...cells].join(""));
  }
  lines.push("");
  lines.push("termination path            recordings");
  for (const t of TERMINATIONS) {
    const n = coverage.terminations.get(t) ?? 0;
    const label = t === "NotSupportedError" ? "NotSupportedError (async)" : t;
    lines.push(`${label.padEnd(28)}${String(n).padStart(10)}${n === 0 ? "   NOT REACHED" : ""}`);
  }
  const gaps = missing(coverage);
  lines.push("");
  lines.push(gaps.length === 0 ? "every pair and path reached" : `NOT REACHED: ${gaps.join(", ")}`);
  return lines.join("\n");
}
