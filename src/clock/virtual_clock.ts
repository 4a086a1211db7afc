/**
 * A deterministic virtual clock: time moves only when the test says so, timers run in
 * (time, creation order), and pending asynchronous work is awaited between timers.
 *
 * @module
 */
import type { DrivableClock, TimerId } from "./clock.ts";
import { HarnessError } from "../errors.ts";

interface Timer {
  time: number;
  seq: number;
  id: TimerId;
  callback: (() => unknown) | null;
}

/** Microtask turns given to user code after each timer, before the next one runs. */
const MICROTASK_TURNS = 3;

/** Options of {@link VirtualClock.autoAdvance}. */
export interface AutoAdvanceOptions {
  /**
   * The most virtual time auto-advance may move the clock, in ms from the moment it was
   * turned on (default 3,600,000: one hour). Past it, auto-advance stops with a
   * `HarnessError`, so a runaway loop of timers ends instead of spinning forever.
   */
  maxMs?: number;
  /** The most steps (jumps to a next timer) auto-advance may take (default 1,000,000). */
  maxSteps?: number;
  /**
   * Resolves when the host has nothing else to do right now. Default: one macrotask of
   * the host (a `MessageChannel` message), so ready I/O callbacks and microtasks run
   * before each jump; where there is no `MessageChannel`, 20 microtask turns.
   */
  idle?: () => Promise<void>;
  /**
   * Receives errors raised while auto-advancing (a listener's exception, the
   * `maxMs`/`maxSteps` limit). Default: they become unhandled promise rejections, which
   * fail a Deno or Node test.
   */
  onError?: (error: unknown) => void;
}

/** The handle {@link VirtualClock.autoAdvance} returns. */
export interface AutoAdvance extends Disposable {
  /** The number of jumps taken so far. */
  readonly steps: number;
  /** Whether auto-advance is still on. */
  readonly active: boolean;
  /** Turns auto-advance off (a jump in progress finishes first). */
  stop(): void;
}

interface AutoState {
  maxMs: number;
  maxSteps: number;
  idle: () => Promise<void>;
  onError: (error: unknown) => void;
  origin: number;
  steps: number;
  scheduled: boolean;
  stopped: boolean;
  running: Promise<void> | null;
}

/** Timers between two host event-loop turns during `advance()`. */
const HOST_TURN_EVERY = 512;

function hostIdle(): Promise<void> {
  const MC = (globalThis as { MessageChannel?: typeof MessageChannel }).MessageChannel;
  if (typeof MC !== "function") {
    return (async () => {
      for (let i = 0; i < 20; i++) await null;
    })();
  }
  return new Promise((resolve) => {
    const channel = new MC();
    channel.port1.onmessage = () => {
      channel.port1.close();
      channel.port2.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Host event-loop turns for one long advance: one `MessageChannel` reused for every turn
 * (creating and closing one per turn cost more than the turn), closed when the advance
 * ends so that it never keeps the process alive.
 */
class HostTurns {
  #channel: MessageChannel | null = null;
  #resolve: (() => void) | null = null;

  turn(): Promise<void> {
    const MC = (globalThis as { MessageChannel?: typeof MessageChannel }).MessageChannel;
    if (typeof MC !== "function") return hostIdle();
    if (this.#channel === null) {
      this.#channel = new MC();
      this.#channel.port1.onmessage = () => {
        const resolve = this.#resolve;
        this.#resolve = null;
        resolve?.();
      };
    }
    const channel = this.#channel;
    return new Promise((resolve) => {
      this.#resolve = resolve;
      channel.port2.postMessage(null);
    });
  }

  close(): void {
    this.#channel?.port1.close();
    this.#channel?.port2.close();
    this.#channel = null;
  }
}

/**
 * A virtual clock. `advance(ms)` runs each due timer at its own virtual time; after each
 * timer it lets microtasks run and waits for the work registered with
 * {@link VirtualClock.trackWork} (encoder calls), so the order of everything that
 * happens is a function of the inputs only, never of wall-clock speed.
 *
 * Errors thrown by timer callbacks (for example by a recorder event listener) do not
 * stop the clock; they are collected and rethrown by the `advance()`/`settle()` call
 * that ran them, once that call's work is done (an `AggregateError` if several).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VirtualClock } from "./virtual_clock.ts";
 * const clock = new VirtualClock();
 * const seen: number[] = [];
 * clock.setTimer(() => seen.push(clock.now()), 100);
 * clock.setTimer(() => seen.push(clock.now()), 50);
 * await clock.advance(120);
 * assert.ok(seen.join() === "50,100" && clock.now() === 120);
 * ```
 */
export class VirtualClock implements DrivableClock, Disposable {
  #now: number;
  #seq = 0;
  #heap: Timer[] = [];
  #byId = new Map<TimerId, Timer>();
  #work = new Set<Promise<unknown>>();
  #errors: unknown[] = [];
  #driving = false;
  /** >0 while a timer callback runs synchronously, or while its returned promise is awaited. */
  #inCallback = 0;
  /** `advance()`/`advanceTo()`/`settle()` calls waiting for the one in progress. */
  #queued = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #timersRun = 0;
  #closed = false;
  #auto: AutoState | null = null;

  /** Creates a clock whose time starts at `startMs` (default 0). */
  constructor(startMs = 0) {
    if (!Number.isFinite(startMs)) {
      throw new HarnessError(`VirtualClock(startMs): must be finite, got ${startMs}`);
    }
    this.#now = startMs;
  }

  /** The current virtual time in milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Schedules `callback` at `now() + delayMs`; see {@link Clock.setTimer}. */
  setTimer(callback: () => unknown, delayMs: number): TimerId {
    const delay = delayMs > 0 ? delayMs : 0; // also maps NaN to 0
    const timer: Timer = { time: this.#now + delay, seq: this.#seq++, id: this.#seq, callback };
    if (this.#closed) return timer.id;
    this.#byId.set(timer.id, timer);
    this.#push(timer);
    if (this.#auto !== null && !this.#driving) this.#kickAuto();
    return timer.id;
  }

  /** Cancels a timer. */
  clearTimer(id: TimerId): void {
    const timer = this.#byId.get(id);
    if (timer) {
      timer.callback = null;
      this.#byId.delete(id);
    }
  }

  /** Registers async work that must finish before the next timer runs. */
  trackWork(work: Promise<unknown>): void {
    const tracked: Promise<unknown> = work.then(
      () => {
        this.#work.delete(tracked);
      },
      (error) => {
        this.#work.delete(tracked);
        this.#errors.push(error);
      },
    );
    this.#work.add(tracked);
  }

  /** Records an error to be rethrown by the current (or next) `advance()`/`settle()`. */
  reportError(error: unknown): void {
    this.#errors.push(error);
  }

  /** The number of timers waiting to run. */
  get pendingTimers(): number {
    return this.#byId.size;
  }

  /** The time of the next timer, or `undefined` when none is scheduled. */
  nextTimerTime(): number | undefined {
    this.#dropCancelled();
    return this.#heap[0]?.time;
  }

  /**
   * Moves time forward by `ms`, running every timer due on the way at its own time.
   *
   * Called while another `advance()`/`advanceTo()`/`settle()`/`runUntil()` is running
   * (from the test, e.g. `clock.advance(100); await somePromise; await
   * clock.advance(1500)`), it is queued: it starts when the one in progress (and any
   * queued before it) has finished, and moves `ms` from the time it starts, as if the
   * calls had been awaited one after the other.
   *
   * @throws {HarnessError} if `ms` is negative or not finite, or if it is called from
   * inside a timer callback or event listener that the clock is running (awaiting it
   * there would wait forever for the advance that runs the caller).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { VirtualClock } from "./virtual_clock.ts";
   * const clock = new VirtualClock();
   * const ready = new Promise<void>((resolve) => clock.setTimer(resolve, 100));
   * const first = clock.advance(100); // not awaited
   * await ready; // settles while the first advance() is still running
   * await clock.advance(1500); // queued: starts at 100 when the first ends
   * await first;
   * assert.equal(clock.now(), 1600);
   * ```
   */
  advance(ms: number): Promise<void> {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      return Promise.reject(
        new HarnessError(`clock.advance(ms): ms must be a finite number >= 0, got ${String(ms)}`),
      );
    }
    return this.#enqueue(`advance(${ms})`, () => this.#now + ms);
  }

  /**
   * Moves time forward to `t`.
   *
   * @throws {HarnessError} if `t` is before `now()`.
   */
  advanceTo(t: number): Promise<void> {
    if (typeof t !== "number" || !Number.isFinite(t) || t < this.#now) {
      return Promise.reject(
        new HarnessError(
          `clock.advanceTo(t): t must be finite and >= now() (${this.#now}), got ${String(t)}`,
        ),
      );
    }
    return this.#enqueue(`advanceTo(${t})`, () => Math.max(t, this.#now));
  }

  /**
   * Runs every timer due now and waits for pending work, without moving time. Queued
   * behind an `advance()` in progress, like {@link VirtualClock.advance}.
   */
  settle(): Promise<void> {
    return this.#enqueue("settle()", () => this.#now);
  }

  /**
   * Advances timer by timer until `promise` settles, then returns its value. Useful when
   * code under test awaits something that needs virtual time to pass.
   *
   * @throws {HarnessError} if nothing is scheduled and the promise is still pending,
   * or if more than `maxMs` (default 1 hour) of virtual time would pass.
   */
  async runUntil<T>(promise: Promise<T>, options: { maxMs?: number } = {}): Promise<T> {
    const limit = this.#now + (options.maxMs ?? 3_600_000);
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    watched.catch(() => {});
    await this.settle();
    while (!settled) {
      const next = this.nextTimerTime();
      if (next === undefined) {
        throw new HarnessError(
          "clock.runUntil(): the promise is pending and no timer is scheduled",
        );
      }
      if (next > limit) {
        throw new HarnessError(
          `clock.runUntil(): still pending after ${options.maxMs ?? 3_600_000} ms`,
        );
      }
      await this.#enqueue("runUntil()", () => Math.max(next, this.#now));
    }
    return await watched;
  }

  /**
   * Turns on auto-advance: whenever the host is idle (nothing else to run right now;
   * see {@link AutoAdvanceOptions.idle}) and no one is driving the clock, it jumps to
   * the next timer and runs it (with everything due at that time). So code that awaits
   * virtual time (`getUserMedia`, a recorder's events) progresses without the test
   * stepping the clock. Explicit `advance()`/`settle()`/`runUntil()` calls still work:
   * they wait for a jump in progress. Bounded by `maxMs` and `maxSteps`: past them it
   * stops with a `HarnessError`. Note that virtual time then runs ahead of real I/O
   * (a `fetch` in flight does not hold it back).
   *
   * @throws {HarnessError} if auto-advance is already on, or for a bad limit.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { VirtualClock } from "./virtual_clock.ts";
   * const clock = new VirtualClock();
   * using _auto = clock.autoAdvance({ maxMs: 60_000 });
   * const later = new Promise<number>((resolve) => clock.setTimer(() => resolve(clock.now()), 5000));
   * assert.equal(await later, 5000); // nobody called advance()
   * ```
   */
  autoAdvance(options: AutoAdvanceOptions = {}): AutoAdvance {
    if (this.#auto !== null) {
      throw new HarnessError("clock.autoAdvance(): auto-advance is already on; stop() it first");
    }
    const maxMs = options.maxMs ?? 3_600_000;
    const maxSteps = options.maxSteps ?? 1_000_000;
    if (typeof maxMs !== "number" || !(maxMs >= 0)) {
      throw new HarnessError(`clock.autoAdvance(): maxMs must be a number >= 0, got ${maxMs}`);
    }
    if (typeof maxSteps !== "number" || !(maxSteps >= 0)) {
      throw new HarnessError(
        `clock.autoAdvance(): maxSteps must be a number >= 0, got ${maxSteps}`,
      );
    }
    const state: AutoState = {
      maxMs,
      maxSteps,
      idle: options.idle ?? hostIdle,
      onError: options.onError ?? ((error) => {
        Promise.reject(error);
      }),
      origin: this.#now,
      steps: 0,
      scheduled: false,
      stopped: false,
      running: null,
    };
    this.#auto = state;
    this.#kickAuto();
    const stop = () => {
      state.stopped = true;
      if (this.#auto === state) this.#auto = null;
    };
    return {
      get steps() {
        return state.steps;
      },
      get active() {
        return !state.stopped;
      },
      stop,
      [Symbol.dispose]: stop,
    };
  }

  /** Cancels every timer; later timers are ignored (and auto-advance stops). */
  close(): void {
    this.#closed = true;
    if (this.#auto) this.#auto.stopped = true;
    this.#auto = null;
    for (const t of this.#heap) t.callback = null;
    this.#heap = [];
    this.#byId.clear();
  }

  /** Same as {@link VirtualClock.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Runs a drive now when the clock is free, else after the drives in progress and queued
   * (decision for issue 14: overlapping calls from outside the clock's callbacks queue;
   * from inside them they are an error, since they would wait for their own caller).
   */
  #enqueue(call: string, target: () => number): Promise<void> {
    if (this.#driving && this.#inCallback > 0) {
      return Promise.reject(
        new HarnessError(
          `clock.${call} was called from inside a timer callback or event listener that the clock is running (at ${this.#now} ms), while an advance() is in progress: awaiting it there would wait forever for the advance() that runs the caller. Let the test's advance() move time, or schedule the work with clock.setTimer(callback, ms)`,
        ),
      );
    }
    if (!this.#driving && this.#queued === 0) {
      const now = this.#driveWhenFree(target());
      this.#queue = now.catch(() => {});
      return now;
    }
    this.#queued++;
    const run = this.#queue.then(async () => {
      this.#queued--;
      await this.#driveWhenFree(target());
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  async #driveWhenFree(target: number): Promise<void> {
    for (;;) {
      const running = this.#auto?.running;
      if (!running) break;
      await running.catch(() => {});
    }
    return this.#drive(target);
  }

  #kickAuto(): void {
    const a = this.#auto;
    if (a === null || a.stopped || a.scheduled || this.#closed) return;
    this.#dropCancelled();
    if (this.#heap.length === 0) return; // park until a timer is set
    a.scheduled = true;
    a.idle().then(() => this.#autoStep(a), (error) => {
      a.scheduled = false;
      a.onError(error);
    });
  }

  async #autoStep(a: AutoState): Promise<void> {
    a.scheduled = false;
    if (a.stopped || this.#auto !== a || this.#driving) return; // a drive kicks again when done
    const next = this.nextTimerTime();
    if (next === undefined) return;
    if (next - a.origin > a.maxMs || a.steps >= a.maxSteps) {
      a.stopped = true;
      this.#auto = null;
      a.onError(
        new HarnessError(
          `clock.autoAdvance(): stopped after ${a.steps} steps at ${this.#now} ms: the next timer (at ${next} ms) is past the limit (maxMs ${a.maxMs}, maxSteps ${a.maxSteps}); a timer loop that never ends?`,
        ),
      );
      return;
    }
    a.steps++;
    const run = this.#drive(Math.max(next, this.#now));
    a.running = run;
    try {
      await run;
    } catch (error) {
      a.onError(error);
    } finally {
      a.running = null;
    }
    this.#kickAuto();
  }

  async #drive(target: number): Promise<void> {
    if (this.#driving) {
      throw new HarnessError(
        "the clock is already being advanced (an internal drive overlapped another)",
      );
    }
    this.#driving = true;
    let host: HostTurns | null = null;
    try {
      await this.#drain();
      for (;;) {
        const timer = this.#popDue(target);
        if (!timer) break;
        if (timer.time > this.#now) this.#now = timer.time;
        const callback = timer.callback!;
        this.#byId.delete(timer.id);
        this.#inCallback++;
        try {
          const result = callback();
          if (result instanceof Promise) await result;
        } catch (error) {
          this.#errors.push(error);
        } finally {
          this.#inCallback--;
        }
        // (#drain inlined: this runs once per timer.)
        for (let i = 0; i < MICROTASK_TURNS; i++) await null;
        if (this.#work.size > 0) await this.#drain();
        // Give the host one event-loop turn every HOST_TURN_EVERY timers, so that what only
        // runs there (Blob memory release, real I/O) keeps up during a long advance. The
        // order of virtual-time events does not depend on it.
        if (++this.#timersRun % HOST_TURN_EVERY === 0) await (host ??= new HostTurns()).turn();
      }
      if (target > this.#now) this.#now = target;
    } finally {
      host?.close();
      this.#driving = false;
      if (this.#auto !== null && this.#auto.running === null) this.#kickAuto();
    }
    if (this.#errors.length > 0) {
      const errors = this.#errors;
      this.#errors = [];
      throw errors.length === 1
        ? errors[0]
        : new AggregateError(errors, `${errors.length} errors during clock advance`);
    }
  }

  async #drain(): Promise<void> {
    for (;;) {
      for (let i = 0; i < MICROTASK_TURNS; i++) await null;
      if (this.#work.size === 0) return;
      await Promise.all([...this.#work]);
    }
  }

  #dropCancelled(): void {
    while (this.#heap.length > 0 && this.#heap[0]!.callback === null) this.#pop();
  }

  #popDue(target: number): Timer | undefined {
    this.#dropCancelled();
    const top = this.#heap[0];
    if (!top || top.time > target) return undefined;
    return this.#pop();
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): Timer {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
