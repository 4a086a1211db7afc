/**
 * Tests of the testharness shim: outcomes, messages, promise_test order, cleanups,
 * timeouts on a virtual clock, and the harness timeout (TIMEOUT then NOTRUN).
 *
 * @module
 */
import assert from "node:assert/strict";
import { VirtualClock } from "../../mod.ts";
import { finishHarness, resetHarness } from "./testharness.js";

function virtualHarness(clock: VirtualClock, harnessTimeoutMs = 60_000) {
  resetHarness({
    setTimeout: (f: () => void, ms: number) => clock.setTimer(f, ms),
    clearTimeout: (id: unknown) => clock.clearTimer(id as number),
    testTimeoutMs: 1000,
    harnessTimeoutMs,
    title: "Fixture",
  });
}

Deno.test("testharness shim: statuses, messages, order and cleanups", async () => {
  const clock = new VirtualClock();
  using _auto = clock.autoAdvance();
  virtualHarness(clock);
  const fixture = await import("./testdata/shim_fixture.js?run=1");
  const result = await finishHarness();
  const status = Object.fromEntries(result.tests.map((t) => [t.name, t.status]));
  assert.deepEqual(status, {
    "sync pass": "PASS",
    "sync fail": "FAIL",
    "throws_dom pass": "PASS",
    "throws_dom wrong type": "FAIL",
    "async pass": "PASS",
    "async timeout": "TIMEOUT",
    "unreached": "FAIL",
    "promise pass": "PASS",
    "promise reject": "FAIL",
    "rejects_dom pass": "PASS",
    "promise timeout": "TIMEOUT",
    "optional": "PRECONDITION_FAILED",
    "event watcher": "PASS",
    "Fixture": "PASS",
  });
  const message = (name: string) => result.tests.find((t) => t.name === name)?.message;
  assert.equal(message("sync fail"), "assert_equals: one is two expected 2 but got 1");
  assert.equal(message("promise reject"), "Error: boom");
  assert.equal(result.status, "OK");
  assert.deepEqual(fixture.log, ["p1 start", "async done", "p1 end", "p1 cleanup", "p2 start"]);
});

Deno.test("testharness shim: the harness timeout leaves TIMEOUT and NOTRUN", async () => {
  const clock = new VirtualClock();
  using _auto = clock.autoAdvance();
  virtualHarness(clock, 500);
  await import("./testdata/shim_fixture.js?run=2");
  const result = await finishHarness();
  const status = Object.fromEntries(result.tests.map((t) => [t.name, t.status]));
  assert.equal(result.status, "TIMEOUT");
  assert.equal(status["promise timeout"], "TIMEOUT");
  assert.equal(status["optional"], "NOTRUN");
});
