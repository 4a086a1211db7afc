import assert from "node:assert/strict";
import { expectedKeys, formatCoverage, mergeCoverage, missing } from "./coverage.ts";
import { newCoverage } from "./model.ts";

Deno.test("coverage: merged counts, and what was never reached stands out", () => {
  const a = newCoverage();
  a.pairs.set("inactive×start", 2);
  a.terminations.set("stop", 1);
  const b = newCoverage();
  b.pairs.set("inactive×start", 3);
  mergeCoverage(b, a);
  assert.equal(b.pairs.get("inactive×start"), 5);
  assert.equal(b.terminations.get("stop"), 1);
  const gaps = missing(b);
  assert.ok(gaps.includes("paused×requestData"));
  assert.ok(gaps.includes("termination SecurityError"));
  assert.ok(!gaps.includes("inactive×start"));
  const text = formatCoverage(b);
  assert.match(text, /SecurityError\s+0\s+NOT REACHED/);
  assert.match(text, /NOT REACHED: /);
});

Deno.test("coverage: a full table says so", () => {
  const c = newCoverage();
  const { pairs, terminations } = expectedKeys();
  for (const k of pairs) c.pairs.set(k, 1);
  for (const k of terminations) c.terminations.set(k, 1);
  assert.deepEqual(missing(c), []);
  assert.match(formatCoverage(c), /every pair and path reached/);
});
