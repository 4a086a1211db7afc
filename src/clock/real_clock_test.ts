// RealClock (src/clock/real_clock.ts). Uses real time (≤ 30 ms in total) with the
// default op and resource sanitizers on: no timer may be left behind.
import assert from "node:assert/strict";
import { RealClock } from "./real_clock.ts";
import { HarnessError } from "../errors.ts";

Deno.test("RealClock: a timer fires within advance(30) and a cleared timer never fires", async () => {
  const clock = new RealClock();
  const seen: string[] = [];
  clock.setTimer(() => seen.push("fired"), 5);
  const cleared = clock.setTimer(() => seen.push("cleared"), 5);
  clock.clearTimer(cleared);
  clock.clearTimer(cleared); // twice is harmless
  clock.clearTimer(123456); // unknown id is ignored
  const before = clock.now();
  await clock.advance(30);
  assert.deepEqual(seen, ["fired"]);
  assert.ok(clock.now() - before >= 25, `now() moved with real time (${clock.now() - before} ms)`);
  clock.close();
});

Deno.test("RealClock: close() clears pending timers so no timer op leaks", () => {
  const clock = new RealClock();
  let ran = false;
  clock.setTimer(() => (ran = true), 10_000);
  clock.setTimer(() => (ran = true), 0);
  clock.close();
  assert.equal(ran, false);
  // The op sanitizer fails this test if either setTimeout is still pending.
});

Deno.test("RealClock: advance(-1) and advance(NaN) reject with HarnessError", async () => {
  const clock = new RealClock();
  await assert.rejects(clock.advance(-1), HarnessError);
  await assert.rejects(clock.advance(NaN), HarnessError);
  clock.close();
});

Deno.test("RealClock: settle() waits for tracked work and rethrows reported errors once", async () => {
  const clock = new RealClock();
  let done = false;
  clock.trackWork(Promise.resolve().then(() => (done = true)));
  await clock.settle();
  assert.equal(done, true);
  const reported = new Error("reported");
  clock.reportError(reported);
  await assert.rejects(clock.settle(), (e) => e === reported);
  await clock.settle();
  clock.close();
});
