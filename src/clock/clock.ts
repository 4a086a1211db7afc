/**
 * The clock seam. Everything in recsim that happens "later" (tasks, frames, chunk
 * boundaries) is a timer on a {@link Clock}; a user agent owns one. The default is a
 * {@link VirtualClock} driven by the test; a real clock runs the same code at 1× speed.
 *
 * @module
 */

/** A timer handle returned by {@link Clock.setTimer}. */
export type TimerId = number;

/**
 * What recsim needs from a clock: the current time in milliseconds and one-shot
 * timers. Timers due at the same time run in the order they were created.
 */
export interface Clock {
  /** The current time in milliseconds (monotonic; starts at 0 for a virtual clock). */
  now(): number;
  /**
   * Runs `callback` once, `delayMs` milliseconds from now (negative or NaN counts as 0).
   * If the callback returns a promise, the clock waits for it before the next timer.
   */
  setTimer(callback: () => unknown, delayMs: number): TimerId;
  /** Cancels a timer; unknown or already-run ids are ignored. */
  clearTimer(id: TimerId): void;
  /**
   * Registers asynchronous work (such as an encoder call) that must finish before the
   * clock runs its next timer, so results never depend on how fast the machine is.
   */
  trackWork(work: Promise<unknown>): void;
  /**
   * Hands the clock an error raised inside a timer's work (for example by an event
   * listener). It is rethrown by the `advance()`/`settle()` call that ran it.
   */
  reportError(error: unknown): void;
}

/** A clock that a test (or a real-time loop) can drive forward. */
export interface DrivableClock extends Clock {
  /** Moves time forward by `ms`, running every timer due on the way, in order. */
  advance(ms: number): Promise<void>;
  /** Moves time forward to the absolute time `t` (`t >= now()`). */
  advanceTo(t: number): Promise<void>;
  /** Runs everything due now (tasks, pending work) without moving time. */
  settle(): Promise<void>;
}
