/**
 * A {@link DrivableClock} on a `@sinonjs/fake-timers` clock (duck-typed: recsim does
 * not depend on the package), so an app's `setTimeout`/`Date.now` under fake timers and
 * a recorder's frames, chunks and events run on one timeline, in one order, driven by
 * the fake clock's `tickAsync()` (or this clock's `advance()`).
 *
 * Also {@link globalTimersClock}: the same on whatever global timers a test runner
 * installed (Vitest, Jest, Bun, sinon), driven by the runner's own advance calls.
 *
 * Kept out of `mod.ts` (it calls the fake clock's timer functions); import it from
 * `@recsim/core/fake-timers`.
 *
 * @module
 */
import type { DrivableClock, TimerId } from "../clock/clock.ts";
import { HarnessError } from "../errors.ts";

export { globalTimersClock, type GlobalTimersClockOptions } from "./global_timers_clock.ts";

/**
 * What recsim needs of a `@sinonjs/fake-timers` clock (`FakeTimers.install()`,
 * `FakeTimers.createClock()` or `withGlobal(g).install()`).
 */
export interface FakeTimersLike {
  /** The fake time in ms. */
  now: number | { valueOf(): number };
  /** Schedules a fake timer. */
  setTimeout(callback: () => void, delay: number): unknown;
  /** Cancels a fake timer. */
  clearTimeout(id: unknown): void;
  /** Advances fake time, running timers and letting promises settle between them. */
  tickAsync(ms: number): Promise<unknown>;
  /** Runs the next timer (optional; used by `runUntil`). */
  nextAsync?(): Promise<unknown>;
  /** The number of pending timers (optional; used by `runUntil`). */
  countTimers?(): number;
  /** Whether the fake clock is running timers (sinon sets it during a tick). */
  duringTick?: boolean;
}

/** The longest delay one host timer can wait (HTML: a 32-bit signed integer of ms). */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** Options of {@link fakeTimersClock}. */
export interface FakeTimersClockOptions {
  /**
   * The fake time that is recsim's time 0 (default: the fake clock's time now), so
   * traces start at 0 even when the fake clock starts at a calendar date.
   */
  origin?: number;
}

/** The clock {@link fakeTimersClock} returns. */
export interface FakeTimersClock extends DrivableClock, Disposable {
  /** The fake-timers clock underneath. */
  readonly fake: FakeTimersLike;
  /**
   * Ticks the fake clock timer by timer until `promise` settles, and returns its value.
   *
   * @throws {HarnessError} if it is still pending when no timer is left or after
   * `maxMs` (default one hour) of fake time.
   */
  runUntil<T>(promise: Promise<T>, options?: { maxMs?: number }): Promise<T>;
  /** Cancels recsim's timers on the fake clock. */
  close(): void;
}

/**
 * Wraps a `@sinonjs/fake-timers` clock as recsim's clock: `createUserAgent({ clock:
 * fakeTimersClock(fake) })`. recsim's timers become fake timers, ordered with the app's
 * by (time, creation). Between timers `tickAsync()` lets promises settle (one host
 * macrotask), which is all the synthetic encoder needs. recsim's tasks (zero-delay
 * timers: events) queued during a tick run at that same instant, before the fake
 * clock's next timer (sinon itself would run a zero-delay timer set during a tick 1 ms
 * later). Work that takes longer (a
 * WebAssembly encoder) still runs in recsim's order: a recsim timer that comes due
 * while such work is pending runs after it, seeing its own due time as `now()`.
 * Exceptions of recorder listeners are rethrown from the fake clock's `tickAsync()`
 * (the current one, or for an event dispatched between two fake timers, the next one)
 * and from `settle()`.
 *
 * @example
 * ```ts ignore
 * import FakeTimers from "@sinonjs/fake-timers";
 * import { createUserAgent, installGlobals } from "@recsim/core";
 * import { fakeTimersClock } from "@recsim/core/fake-timers";
 * const fake = FakeTimers.withGlobal(globalThis).install({ toFake: ["setTimeout", "clearTimeout", "Date"] });
 * const ua = createUserAgent({ clock: fakeTimersClock(fake) });
 * using _g = installGlobals(ua);
 * const stream = navigator.mediaDevices.getUserMedia({ audio: true });
 * await fake.tickAsync(10); // runs getUserMedia, the app's timers and the recorder together
 * fake.uninstall();
 * ```
 */
export function fakeTimersClock(
  fake: FakeTimersLike,
  options: FakeTimersClockOptions = {},
): FakeTimersClock {
  if (
    fake === null || typeof fake !== "object" || typeof fake.setTimeout !== "function" ||
    typeof fake.clearTimeout !== "function" || typeof fake.tickAsync !== "function"
  ) {
    throw new TypeError(
      "fakeTimersClock: argument 1 must be a @sinonjs/fake-timers clock (setTimeout, clearTimeout, tickAsync, now)",
    );
  }
  const fakeNow = () => Number(fake.now);
  const origin = options.origin ?? fakeNow();
  const handles = new Map<TimerId, unknown>();
  const work = new Set<Promise<unknown>>();
  let errors: unknown[] = [];
  let next = 1;
  let runningAt: number | null = null;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  const takeErrors = (): void => {
    if (errors.length === 0) return;
    const list = errors;
    errors = [];
    throw list.length === 1 ? list[0] : new AggregateError(list, `${list.length} errors`);
  };
  const waitWork = async (): Promise<void> => {
    while (work.size > 0) await Promise.all([...work]);
  };
  const body = (due: number, callback: () => unknown): void => {
    runningAt = due;
    try {
      const result = callback();
      if (result instanceof Promise) clock.trackWork(result);
    } catch (error) {
      errors.push(error);
    } finally {
      runningAt = null;
    }
  };
  const run = (due: number, callback: () => unknown): void => {
    if (work.size === 0) {
      body(due, callback);
      takeErrors(); // surfaces from the fake clock's tick
      return;
    }
    // Pending work: keep recsim's order by running after it.
    chain = chain.then(waitWork).then(() => body(due, callback));
  };
  // Tasks (zero-delay timers) queued while the fake clock is ticking: sinon would run
  // them 1 ms later (its rule against endless zero-delay loops), so they run here, at
  // the same instant, in order, with microtasks between them, before the fake clock's
  // next timer (tickAsync yields a host macrotask between timers).
  const tasks: { id: TimerId; due: number; callback: () => unknown }[] = [];
  let draining = false;
  const drain = (): void => {
    if (draining) return;
    draining = true;
    chain = chain.then(async () => {
      try {
        while (tasks.length > 0) {
          for (let i = 0; i < 3; i++) await null;
          await waitWork();
          const task = tasks.shift();
          if (task) body(task.due, task.callback);
        }
      } finally {
        draining = false;
      }
    });
  };

  const clock: FakeTimersClock = {
    fake,
    now(): number {
      return runningAt ?? fakeNow() - origin;
    },
    setTimer(callback: () => unknown, delayMs: number): TimerId {
      const id = next++;
      if (closed) return id;
      const delay = delayMs > 0 ? delayMs : 0;
      const due = clock.now() + delay;
      if (delay === 0 && (runningAt !== null || draining || fake.duringTick === true)) {
        tasks.push({ id, due, callback });
        drain();
        return id;
      }
      // Timers, fake ones too, fire at once for a delay above 2^31−1 ms (HTML's timer
      // steps clamp it; sinon follows): wait in steps of at most that and re-arm
      // (decision 10; e.g. start(-1) → a 4294967295 ms timeslice).
      const arm = (remaining: number): void => {
        handles.set(
          id,
          fake.setTimeout(() => {
            if (remaining > MAX_TIMER_DELAY) return arm(remaining - MAX_TIMER_DELAY);
            handles.delete(id);
            run(due, callback);
          }, Math.min(remaining, MAX_TIMER_DELAY)),
        );
      };
      arm(delay);
      return id;
    },
    clearTimer(id: TimerId): void {
      const i = tasks.findIndex((t) => t.id === id);
      if (i >= 0) tasks.splice(i, 1);
      const h = handles.get(id);
      if (h !== undefined) fake.clearTimeout(h);
      handles.delete(id);
    },
    trackWork(promise: Promise<unknown>): void {
      const tracked: Promise<unknown> = promise.then(
        () => void work.delete(tracked),
        (error) => {
          work.delete(tracked);
          errors.push(error);
        },
      );
      work.add(tracked);
    },
    reportError(error: unknown): void {
      errors.push(error);
    },
    async advance(ms: number): Promise<void> {
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
        throw new HarnessError(`clock.advance(ms): ms must be a finite number >= 0, got ${ms}`);
      }
      await fake.tickAsync(ms);
      await clock.settle();
    },
    advanceTo(t: number): Promise<void> {
      return clock.advance(Math.max(0, t - clock.now()));
    },
    async settle(): Promise<void> {
      do {
        await fake.tickAsync(0);
        await waitWork();
        await chain;
      } while (tasks.length > 0 || work.size > 0);
      takeErrors();
    },
    async runUntil<T>(promise: Promise<T>, o: { maxMs?: number } = {}): Promise<T> {
      const limit = clock.now() + (o.maxMs ?? 3_600_000);
      let settled = false;
      const watched = promise.finally(() => {
        settled = true;
      });
      watched.catch(() => {});
      await clock.settle();
      while (!settled) {
        if (fake.countTimers && fake.countTimers() === 0 && tasks.length === 0) {
          throw new HarnessError("runUntil(): the promise is pending and no timer is scheduled");
        }
        if (clock.now() > limit) {
          throw new HarnessError(`runUntil(): still pending after ${o.maxMs ?? 3_600_000} ms`);
        }
        if (fake.nextAsync) await fake.nextAsync();
        else await fake.tickAsync(1);
        await waitWork();
        await chain;
        takeErrors();
      }
      return await watched;
    },
    close(): void {
      closed = true;
      tasks.length = 0;
      for (const h of handles.values()) fake.clearTimeout(h);
      handles.clear();
    },
    [Symbol.dispose](): void {
      clock.close();
    },
  };
  return clock;
}
