import assert from "node:assert/strict";
import { HarnessError } from "../errors.ts";
import { VirtualClock } from "./virtual_clock.ts";

Deno.test("autoAdvance: awaited virtual timers progress without the test stepping the clock", async () => {
  const clock = new VirtualClock();
  using auto = clock.autoAdvance();
  const seen: number[] = [];
  const sleep = (ms: number) => new Promise<void>((r) => clock.setTimer(r, ms));
  const app = (async () => {
    for (let i = 0; i < 5; i++) {
      await sleep(1000);
      seen.push(clock.now());
    }
    return "done";
  })();
  assert.equal(await app, "done");
  assert.deepEqual(seen, [1000, 2000, 3000, 4000, 5000]);
  assert.equal(auto.steps, 5);
  assert.equal(auto.active, true);
  auto.stop();
  assert.equal(auto.active, false);
  let fired = false;
  clock.setTimer(() => (fired = true), 10);
  await new Promise((r) => setTimeout(r, 5)); // a real macrotask: nothing moves now
  assert.equal(fired, false);
  assert.equal(clock.now(), 5000);
});

Deno.test("autoAdvance: timers run in (time, creation) order, and explicit advance() still works", async () => {
  const clock = new VirtualClock();
  const order: string[] = [];
  using _auto = clock.autoAdvance();
  clock.setTimer(() => order.push("b@20"), 20);
  clock.setTimer(() => order.push("a@10"), 10);
  clock.setTimer(() => order.push("c@20"), 20);
  await clock.advance(15); // waits for a jump in progress, then drives
  assert.ok(clock.now() >= 15);
  await new Promise<void>((r) => clock.setTimer(r, 100));
  assert.deepEqual(order, ["a@10", "b@20", "c@20"]);
});

Deno.test("autoAdvance is bounded: a runaway timer loop ends with a HarnessError", async () => {
  const clock = new VirtualClock();
  const errors: unknown[] = [];
  let ticks = 0;
  const loop = () => {
    ticks++;
    clock.setTimer(loop, 100);
  };
  clock.setTimer(loop, 100);
  const stopped = new Promise<void>((resolve) => {
    clock.autoAdvance({
      maxMs: 10_000,
      onError: (e) => {
        errors.push(e);
        resolve();
      },
    });
  });
  await stopped;
  assert.equal(ticks, 100);
  assert.ok(errors[0] instanceof HarnessError);
  assert.match(String((errors[0] as Error).message), /past the limit \(maxMs 10000/);
  // it is off now, and can be turned on again
  const again = clock.autoAdvance({ maxSteps: 3, onError: (e) => errors.push(e) });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(ticks, 103);
  assert.equal(again.active, false);
  assert.match(String((errors[1] as Error).message), /maxSteps 3/);
  clock.close();
});

Deno.test("autoAdvance: listener errors go to onError; a second autoAdvance() is refused; close() stops it", async () => {
  const clock = new VirtualClock();
  const errors: unknown[] = [];
  const auto = clock.autoAdvance({ onError: (e) => errors.push(e) });
  assert.throws(() => clock.autoAdvance(), /already on/);
  clock.setTimer(() => {
    throw new Error("listener failed");
  }, 50);
  await new Promise<void>((r) => clock.setTimer(r, 60));
  assert.equal((errors[0] as Error).message, "listener failed");
  clock.close();
  assert.equal(auto.active, false);
  assert.throws(() => clock.autoAdvance({ maxMs: -1 }), HarnessError);
});

Deno.test("autoAdvance with a custom idle and runUntil together", async () => {
  const clock = new VirtualClock();
  let idles = 0;
  using _auto = clock.autoAdvance({
    idle: async () => {
      idles++;
      await null;
    },
  });
  const p = new Promise<number>((r) => clock.setTimer(() => r(clock.now()), 300));
  assert.equal(await clock.runUntil(p), 300);
  assert.ok(idles >= 0);
});
