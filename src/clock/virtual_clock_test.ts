// VirtualClock (src/clock/virtual_clock.ts): ordering, time movement, async work,
// errors and harness-misuse checks. No real time passes in these tests.
import assert from "node:assert/strict";
import { VirtualClock } from "./virtual_clock.ts";
import { HarnessError } from "../errors.ts";

/** A promise that resolves after `n` microtask hops (longer than the clock's own turns). */
async function hops(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await null;
}

Deno.test("timers run in (time, creation order), equal times in creation order", async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  const at = (name: string, delay: number) =>
    clock.setTimer(() => seen.push(`${name}@${clock.now()}`), delay);
  at("c", 30);
  at("a1", 10);
  at("b1", 20);
  at("a2", 10);
  at("z", 0);
  at("b2", 20);
  at("a3", 10);
  for (let i = 0; i < 20; i++) at(`e${i}`, 40); // many equal times exercise the heap
  await clock.advance(100);
  assert.deepEqual(seen, [
    "z@0",
    "a1@10",
    "a2@10",
    "a3@10",
    "b1@20",
    "b2@20",
    "c@30",
    ...Array.from({ length: 20 }, (_, i) => `e${i}@40`),
  ]);
  assert.equal(clock.now(), 100);
});

Deno.test("each timer sees now() equal to its own due time, and a timer due exactly at the target runs", async () => {
  const clock = new VirtualClock(1000);
  const times: number[] = [];
  clock.setTimer(() => times.push(clock.now()), 250);
  clock.setTimer(() => times.push(clock.now()), 100);
  clock.setTimer(() => times.push(clock.now()), 250.5); // past the target: stays pending
  await clock.advance(250);
  assert.deepEqual(times, [1100, 1250]);
  assert.equal(clock.now(), 1250);
  assert.equal(clock.pendingTimers, 1);
  assert.equal(clock.nextTimerTime(), 1250.5);
});

Deno.test("a timer scheduled at delay 0 from inside a timer runs in the same advance at the same time, after already-due timers", async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  clock.setTimer(() => {
    seen.push(`outer@${clock.now()}`);
    clock.setTimer(() => {
      seen.push(`inner@${clock.now()}`);
      clock.setTimer(() => seen.push(`inner2@${clock.now()}`), 0);
    }, 0);
    clock.setTimer(() => seen.push(`later@${clock.now()}`), 5);
  }, 10);
  clock.setTimer(() => seen.push(`sibling@${clock.now()}`), 10); // created before "inner"
  await clock.advance(10);
  assert.deepEqual(seen, ["outer@10", "sibling@10", "inner@10", "inner2@10"]);
  assert.equal(clock.now(), 10);
  await clock.advance(5);
  assert.deepEqual(seen.at(-1), "later@15");
});

Deno.test("advance(ms) ends at now + ms even with no timers; advanceTo(t) ends at t", async () => {
  const clock = new VirtualClock();
  await clock.advance(123.5);
  assert.equal(clock.now(), 123.5);
  await clock.advance(0);
  assert.equal(clock.now(), 123.5);
  await clock.advanceTo(500);
  assert.equal(clock.now(), 500);
  await clock.advanceTo(500); // t === now() is allowed
  assert.equal(clock.now(), 500);
});

Deno.test("advanceTo(t) runs the timers due up to t at their times and leaves later ones", async () => {
  const clock = new VirtualClock();
  const seen: number[] = [];
  for (const d of [100, 300, 200, 400]) clock.setTimer(() => seen.push(clock.now()), d);
  await clock.advanceTo(300);
  assert.deepEqual(seen, [100, 200, 300]);
  assert.equal(clock.now(), 300);
  assert.equal(clock.pendingTimers, 1);
});

Deno.test("settle() runs only the timers due now and does not move time", async () => {
  const clock = new VirtualClock(50);
  const seen: string[] = [];
  clock.setTimer(() => seen.push("now"), 0);
  clock.setTimer(() => seen.push("soon"), 1);
  await clock.settle();
  assert.deepEqual(seen, ["now"]);
  assert.equal(clock.now(), 50);
  assert.equal(clock.pendingTimers, 1);
  assert.equal(clock.nextTimerTime(), 51);
});

Deno.test("clearTimer cancels a pending timer; clearing an already-run or unknown id is a no-op", async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  const a = clock.setTimer(() => seen.push("a"), 10);
  const b = clock.setTimer(() => seen.push("b"), 20);
  const c = clock.setTimer(() => seen.push("c"), 30);
  assert.equal(new Set([a, b, c]).size, 3, "ids are distinct");
  clock.clearTimer(b);
  assert.equal(clock.pendingTimers, 2);
  await clock.advance(10);
  assert.deepEqual(seen, ["a"]);
  clock.clearTimer(a); // already ran
  clock.clearTimer(a);
  clock.clearTimer(987654); // never existed
  assert.equal(clock.pendingTimers, 1);
  const d = clock.setTimer(() => seen.push("d"), 0);
  assert.notEqual(d, a, "a new timer never reuses an id");
  await clock.advance(100);
  assert.deepEqual(seen, ["a", "d", "c"]);
});

Deno.test("clearTimer from inside an earlier timer cancels a later timer due at the same time", async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  let second = 0;
  clock.setTimer(() => {
    seen.push("first");
    clock.clearTimer(second);
  }, 5);
  second = clock.setTimer(() => seen.push("second"), 5);
  await clock.advance(5);
  assert.deepEqual(seen, ["first"]);
  assert.equal(clock.pendingTimers, 0);
});

Deno.test("a negative or NaN delay counts as 0 (Clock.setTimer contract)", async () => {
  const clock = new VirtualClock(100);
  const seen: string[] = [];
  clock.setTimer(() => seen.push(`neg@${clock.now()}`), -50);
  clock.setTimer(() => seen.push(`nan@${clock.now()}`), NaN);
  clock.setTimer(() => seen.push(`neg-inf@${clock.now()}`), -Infinity);
  assert.equal(clock.nextTimerTime(), 100);
  await clock.settle();
  assert.deepEqual(seen, ["neg@100", "nan@100", "neg-inf@100"]);
  assert.equal(clock.now(), 100);
});

Deno.test("advance(-1), advance(NaN), advance(Infinity), advanceTo(past) and advanceTo(NaN) reject with HarnessError and run nothing", async () => {
  const clock = new VirtualClock(10);
  let ran = false;
  clock.setTimer(() => (ran = true), 0);
  for (const bad of [-1, NaN, Infinity, "5" as unknown as number]) {
    await assert.rejects(clock.advance(bad), HarnessError, `advance(${String(bad)})`);
  }
  await assert.rejects(clock.advanceTo(9), HarnessError);
  await assert.rejects(clock.advanceTo(NaN), HarnessError);
  await assert.rejects(clock.advanceTo(Infinity), HarnessError);
  assert.equal(ran, false);
  assert.equal(clock.now(), 10);
  await assert.rejects(clock.advance(-1), /ms must be a finite number >= 0, got -1/);
});

Deno.test("the constructor starts at startMs and rejects a non-finite start with HarnessError", () => {
  assert.equal(new VirtualClock().now(), 0);
  assert.equal(new VirtualClock(42).now(), 42);
  assert.throws(() => new VirtualClock(NaN), HarnessError);
  assert.throws(() => new VirtualClock(Infinity), HarnessError);
});

Deno.test("a callback's returned promise is awaited before the next timer runs", async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  clock.setTimer(async () => {
    seen.push("a start");
    await hops(50); // far more than the clock's own microtask turns
    seen.push("a end");
  }, 10);
  clock.setTimer(() => seen.push("b"), 10);
  await clock.advance(10);
  assert.deepEqual(seen, ["a start", "a end", "b"]);
});

Deno.test("trackWork: the next timer does not run until the tracked work settles", async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  clock.setTimer(() => {
    seen.push("a");
    clock.trackWork(hops(50).then(() => seen.push("work done")));
  }, 10);
  clock.setTimer(() => seen.push("b"), 10);
  clock.setTimer(() => seen.push("c"), 20);
  await clock.advance(20);
  assert.deepEqual(seen, ["a", "work done", "b", "c"]);
});

Deno.test("trackWork: work tracked before advance() is awaited before the first timer", async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  clock.trackWork(hops(40).then(() => seen.push("work")));
  clock.setTimer(() => seen.push("timer"), 0);
  await clock.settle();
  assert.deepEqual(seen, ["work", "timer"]);
});

Deno.test("trackWork: a rejected tracked promise does not stop timers and is rethrown by advance()", async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  const failure = new Error("encoder failed");
  clock.setTimer(() => {
    clock.trackWork(hops(10).then(() => Promise.reject(failure)));
  }, 1);
  clock.setTimer(() => seen.push("after"), 2);
  await assert.rejects(clock.advance(5), (e) => e === failure);
  assert.deepEqual(seen, ["after"]);
  assert.equal(clock.now(), 5);
});

Deno.test("microtasks queued by a timer run before the next timer", async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  clock.setTimer(() => {
    seen.push("a");
    Promise.resolve().then(() => seen.push("a micro"));
    queueMicrotask(() => seen.push("a queueMicrotask"));
  }, 0);
  clock.setTimer(() => seen.push("b"), 0);
  await clock.settle();
  assert.deepEqual(seen, ["a", "a micro", "a queueMicrotask", "b"]);
});

Deno.test("an exception in a timer does not stop later timers; advance() rethrows it after all due timers ran", async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  const boom = new Error("boom");
  clock.setTimer(() => {
    seen.push("a");
    throw boom;
  }, 1);
  clock.setTimer(() => seen.push("b"), 2);
  clock.setTimer(() => seen.push("c"), 3);
  clock.setTimer(() => seen.push("late"), 50);
  await assert.rejects(clock.advance(10), (e) => e === boom);
  assert.deepEqual(seen, ["a", "b", "c"]);
  assert.equal(clock.now(), 10, "time still reaches the target");
  // The error was delivered once: the next advance is clean.
  await clock.advance(40);
  assert.deepEqual(seen, ["a", "b", "c", "late"]);
});

Deno.test("two exceptions in one advance() are rethrown together as an AggregateError in order", async () => {
  const clock = new VirtualClock();
  const e1 = new Error("one");
  const e2 = new TypeError("two");
  clock.setTimer(() => {
    throw e1;
  }, 1);
  clock.setTimer(() => Promise.reject(e2), 2); // a rejected returned promise counts too
  let ranAfter = false;
  clock.setTimer(() => (ranAfter = true), 3);
  const error = await clock.advance(3).then(() => null, (e: unknown) => e);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors, [e1, e2]);
  assert.ok(ranAfter);
});

Deno.test("reportError() hands an error to the advance() that is running", async () => {
  const clock = new VirtualClock();
  const reported = new Error("from a listener");
  clock.setTimer(() => clock.reportError(reported), 1);
  await assert.rejects(clock.advance(1), (e) => e === reported);
  await clock.advance(1); // delivered once
});

Deno.test("calling advance() or settle() from inside a timer rejects with HarnessError (no re-entrancy)", async () => {
  const clock = new VirtualClock();
  const inner: unknown[] = [];
  let innerTimerRan = false;
  clock.setTimer(() => {
    clock.setTimer(() => (innerTimerRan = true), 100);
    return Promise.allSettled([clock.advance(1000), clock.settle(), clock.advanceTo(5000)]).then(
      (results) => {
        for (const r of results) inner.push(r.status === "rejected" ? r.reason : "fulfilled");
      },
    );
  }, 10);
  await clock.advance(10);
  assert.equal(inner.length, 3);
  for (const e of inner) assert.ok(e instanceof HarnessError, String(e));
  assert.equal(clock.now(), 10, "the nested calls did not move time");
  assert.equal(innerTimerRan, false);
  // The clock is usable afterwards.
  await clock.advance(100);
  assert.equal(innerTimerRan, true);
});

Deno.test("an awaited re-entrant advance() inside a timer surfaces as a HarnessError from the outer advance()", async () => {
  const clock = new VirtualClock();
  clock.setTimer(async () => {
    await clock.advance(1);
  }, 0);
  await assert.rejects(clock.settle(), HarnessError);
});

Deno.test("runUntil resolves a promise that needs virtual time, stopping at the timer that settles it", async () => {
  const clock = new VirtualClock();
  let later = false;
  const p = new Promise<number>((resolve) => {
    clock.setTimer(() => clock.setTimer(() => resolve(42), 150), 100);
  });
  clock.setTimer(() => (later = true), 1000);
  assert.equal(await clock.runUntil(p), 42);
  assert.equal(clock.now(), 250);
  assert.equal(later, false, "timers after the settling one did not run");
});

Deno.test("runUntil returns an already settled promise's value without moving time, and rethrows a rejection", async () => {
  const clock = new VirtualClock();
  clock.setTimer(() => {}, 10);
  assert.equal(await clock.runUntil(Promise.resolve("done")), "done");
  assert.equal(clock.now(), 0);
  const failure = new Error("failed");
  const p = new Promise((_, reject) => clock.setTimer(() => reject(failure), 30));
  await assert.rejects(clock.runUntil(p), (e) => e === failure);
  assert.equal(clock.now(), 30);
});

Deno.test("runUntil rejects with HarnessError when the promise is pending and nothing is scheduled", async () => {
  const clock = new VirtualClock();
  await assert.rejects(clock.runUntil(new Promise(() => {})), HarnessError);
  clock.setTimer(() => {}, 10);
  await assert.rejects(clock.runUntil(new Promise(() => {})), /no timer is scheduled/);
  assert.equal(clock.now(), 10, "it ran the timers there were");
});

Deno.test("runUntil respects maxMs: a settling timer beyond the limit is not run", async () => {
  const clock = new VirtualClock();
  let resolved = false;
  const p = new Promise<void>((resolve) =>
    clock.setTimer(() => {
      resolved = true;
      resolve();
    }, 5000)
  );
  await assert.rejects(clock.runUntil(p, { maxMs: 1000 }), HarnessError);
  assert.equal(resolved, false);
  assert.equal(clock.now(), 0);
  assert.equal(clock.pendingTimers, 1);
  // Within the limit it works.
  await clock.runUntil(p, { maxMs: 5000 });
  assert.equal(resolved, true);
  assert.equal(clock.now(), 5000);
});

Deno.test("close() cancels every timer and later timers are ignored; [Symbol.dispose] does the same", async () => {
  const clock = new VirtualClock();
  let ran = 0;
  clock.setTimer(() => ran++, 1);
  clock.setTimer(() => ran++, 2);
  clock.close();
  assert.equal(clock.pendingTimers, 0);
  assert.equal(clock.nextTimerTime(), undefined);
  clock.setTimer(() => ran++, 0);
  assert.equal(clock.pendingTimers, 0);
  await clock.advance(10);
  assert.equal(ran, 0);
  assert.equal(clock.now(), 10, "time can still be moved");

  const other = new VirtualClock();
  other.setTimer(() => ran++, 1);
  other[Symbol.dispose]();
  await other.advance(5);
  assert.equal(ran, 0);
});

Deno.test("pendingTimers and nextTimerTime track scheduling, cancelling and running", async () => {
  const clock = new VirtualClock();
  assert.equal(clock.pendingTimers, 0);
  assert.equal(clock.nextTimerTime(), undefined);
  const a = clock.setTimer(() => {}, 30);
  const b = clock.setTimer(() => {}, 10);
  clock.setTimer(() => {}, 20);
  assert.equal(clock.pendingTimers, 3);
  assert.equal(clock.nextTimerTime(), 10);
  clock.clearTimer(b);
  assert.equal(clock.pendingTimers, 2);
  assert.equal(clock.nextTimerTime(), 20, "a cancelled timer is not the next one");
  await clock.advance(20);
  assert.equal(clock.pendingTimers, 1);
  assert.equal(clock.nextTimerTime(), 30);
  clock.clearTimer(a);
  assert.equal(clock.pendingTimers, 0);
  assert.equal(clock.nextTimerTime(), undefined);
});

Deno.test("an advance() called while another runs (from the test, not a callback) is queued and moves time from where the first ended", async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  const ready = new Promise<void>((resolve) => clock.setTimer(resolve, 100));
  clock.setTimer(() => seen.push(`timer at ${clock.now()}`), 1000);
  const first = clock.advance(100);
  await ready; // resolved by the first advance's timer, before that advance() has finished
  await clock.advance(1500); // threw "already being advanced" before issue 14
  await first;
  assert.equal(clock.now(), 1600);
  assert.deepEqual(seen, ["timer at 1000"]);
});

Deno.test("queued advance(), advanceTo(), settle() and runUntil() run one after the other, in call order", async () => {
  const clock = new VirtualClock();
  const order: string[] = [];
  const done = (what: string) => () => order.push(`${what} ended at ${clock.now()}`);
  const calls = [
    clock.advance(10).then(done("advance(10)")),
    clock.advance(20).then(done("advance(20)")),
    clock.advanceTo(25).then(done("advanceTo(25)")), // 25 < 30 when it starts: runs at 30
    clock.settle().then(done("settle()")),
    clock.runUntil(new Promise<void>((resolve) => clock.setTimer(resolve, 50))).then(
      done("runUntil"),
    ),
  ];
  await Promise.all(calls);
  assert.deepEqual(order, [
    "advance(10) ended at 10",
    "advance(20) ended at 30",
    "advanceTo(25) ended at 30",
    "settle() ended at 30",
    "runUntil ended at 50",
  ]);
});

Deno.test("a queued advance() still runs when the one before it rejects", async () => {
  const clock = new VirtualClock();
  clock.setTimer(() => {
    throw new Error("listener failed");
  }, 5);
  const first = clock.advance(10);
  const second = clock.advance(10);
  await assert.rejects(first, /listener failed/);
  await second;
  assert.equal(clock.now(), 20);
});

Deno.test("advance() from inside a timer callback says what happened and how to write it", async () => {
  const clock = new VirtualClock();
  let error: unknown;
  clock.setTimer(() => {
    clock.advance(100).catch((e) => (error = e));
  }, 10);
  await clock.advance(10);
  assert.ok(error instanceof HarnessError);
  assert.match(
    error.message,
    /clock\.advance\(100\) was called from inside a timer callback or event listener that the clock is running \(at 10 ms\).*wait forever.*clock\.setTimer/,
  );
});
