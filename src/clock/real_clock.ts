/**
 * A real-time {@link Clock}: `performance.now()` and `setTimeout`, so recsim code can run
 * live at 1× speed (for a demo or a manual check). Works in Deno, Node and browsers.
 *
 * @module
 */
import type { DrivableClock, TimerId } from "./clock.ts";
import { HarnessError } from "../errors.ts";

/** The longest delay one `setTimeout` accepts; longer timers re-arm. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * A clock on real time. `advance(ms)` simply waits `ms` real milliseconds; `settle()`
 * waits for the registered work. Timers longer than 2^31−1 ms are re-armed in steps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RealClock } from "./real_clock.ts";
 * const clock = new RealClock();
 * let fired = false;
 * clock.setTimer(() => { fired = true; }, 5);
 * await clock.advance(20);
 * assert.ok(fired);
 * clock.close();
 * ```
 */
export class RealClock implements DrivableClock, Disposable {
  #origin = performance.now();
  #timers = new Map<TimerId, ReturnType<typeof setTimeout>>();
  #next = 1;
  #work = new Set<Promise<unknown>>();
  #errors: unknown[] = [];

  /** Milliseconds since this clock was created. */
  now(): number {
    return performance.now() - this.#origin;
  }

  /** Runs `callback` after `delayMs` real milliseconds. */
  setTimer(callback: () => unknown, delayMs: number): TimerId {
    const id = this.#next++;
    const due = this.now() + (delayMs > 0 ? delayMs : 0);
    const arm = () => {
      const left = Math.max(0, due - this.now());
      this.#timers.set(
        id,
        setTimeout(() => {
          if (due - this.now() > 1) return arm();
          this.#timers.delete(id);
          try {
            const result = callback();
            if (result instanceof Promise) this.trackWork(result);
          } catch (error) {
            this.#errors.push(error);
          }
        }, Math.min(left, MAX_TIMEOUT)),
      );
    };
    arm();
    return id;
  }

  /** Cancels a timer. */
  clearTimer(id: TimerId): void {
    const handle = this.#timers.get(id);
    if (handle !== undefined) clearTimeout(handle);
    this.#timers.delete(id);
  }

  /** Registers async work that `settle()` waits for. */
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

  /** Records an error to be rethrown by the next `advance()`/`settle()`. */
  reportError(error: unknown): void {
    this.#errors.push(error);
  }

  /** Waits `ms` real milliseconds, then settles. */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new HarnessError(`clock.advance(ms): ms must be a finite number >= 0, got ${ms}`);
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
    await this.settle();
  }

  /** Waits until real time reaches `t`. */
  advanceTo(t: number): Promise<void> {
    return this.advance(Math.max(0, t - this.now()));
  }

  /** Waits for registered work and rethrows collected errors. */
  async settle(): Promise<void> {
    while (this.#work.size > 0) await Promise.all([...this.#work]);
    if (this.#errors.length > 0) {
      const errors = this.#errors;
      this.#errors = [];
      throw errors.length === 1 ? errors[0] : new AggregateError(errors);
    }
  }

  /** Cancels all timers. */
  close(): void {
    for (const handle of this.#timers.values()) clearTimeout(handle);
    this.#timers.clear();
  }

  /** Same as {@link RealClock.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
