/**
 * A clock on the global timers, whatever installed them: a test runner's fake timers
 * (Vitest, Jest, Bun, sinon) or the real ones.
 *
 * @module
 */
import { type FakeTimersClock, fakeTimersClock, type FakeTimersLike } from "./fake_timers_clock.ts";

/** Options of {@link globalTimersClock}. */
export interface GlobalTimersClockOptions {
  /**
   * What `clock.advance(ms)` calls to move the runner's fake time, e.g.
   * `(ms) => vi.advanceTimersByTimeAsync(ms)`. Not needed under Vitest's or Jest's fake
   * timers (their `@sinonjs/fake-timers` clock is found on the global `setTimeout`), nor
   * when the test moves time itself; without fake timers, `advance(ms)` waits `ms` of
   * real time.
   */
  advance?: (ms: number) => unknown;
  /** The time source in ms (default `Date.now()`, which every fake-timer library fakes). */
  now?: () => number;
}

/** What a sinon clock hangs on the functions it installs (`setTimeout.clock`). */
interface SinonInstalled {
  clock?: FakeTimersLike & { countTimers?(): number };
}

/**
 * recsim's clock on the global `setTimeout`, `clearTimeout` and `Date.now`, looked up at
 * each call: so with `vi.useFakeTimers()`, `jest.useFakeTimers()`, sinon's `install()` or
 * Bun's `jest.useFakeTimers()`, the runner's own `vi.advanceTimersByTimeAsync(ms)` (or
 * `jest.advanceTimersByTimeAsync`, `clock.tickAsync`, Bun's `jest.advanceTimersByTime`)
 * moves the app's timers and the recorder's frames, chunks and events on one timeline.
 * Create the user agent after the fake timers are installed (recsim's time 0 is the
 * fake time then).
 *
 * It is {@link fakeTimersClock} over the globals, so it behaves the same: recsim's
 * timers are timers of the runner, ordered with the app's; recsim's tasks (events)
 * queued during a timer run at that same instant; encoder work (libav.js) is waited for
 * before the next recsim timer; a listener's exception is rethrown from the runner's
 * advance call. `ua.clock.advance(ms)` calls the `advance` option, else the sinon clock
 * behind the global `setTimeout` (Vitest, Jest), else waits on the global timers.
 *
 * Determinism: with fake timers, as deterministic as the runner's fake timers are (the
 * sinon-based ones of Vitest and Jest run timers in (time, creation) order, like
 * `VirtualClock`); the recorder's output depends only on the inputs. With real
 * timers it is a real-time clock, like `RealClock`: the bytes are the same, but which
 * chunk a frame lands in can depend on the machine's speed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import FakeTimers from "npm:@sinonjs/fake-timers@15.5.0";
 * import { createUserAgent } from "../user_agent.ts";
 * import { globalTimersClock } from "./global_timers_clock.ts";
 * const fake = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout", "Date"] });
 * try {
 *   const ua = createUserAgent({ clock: globalTimersClock() });
 *   const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
 *   const log: string[] = [];
 *   rec.ondataavailable = () => log.push(`data at ${Date.now()}`);
 *   rec.start(1000);
 *   setTimeout(() => rec.stop(), 1500); // the app's own timer
 *   await fake.tickAsync(2000); // the runner's advance drives both
 *   assert.deepEqual(log, ["data at 1000", "data at 1500"]);
 *   ua.close();
 * } finally {
 *   fake.uninstall();
 * }
 * ```
 */
export function globalTimersClock(options: GlobalTimersClockOptions = {}): FakeTimersClock {
  const g = globalThis as unknown as {
    setTimeout: ((cb: () => void, ms: number) => unknown) & SinonInstalled;
    clearTimeout: (id: unknown) => void;
  };
  const timeNow = options.now ?? (() => Date.now());
  const sinon = () => {
    const c = g.setTimeout.clock;
    return c && typeof c.tickAsync === "function" ? c : undefined;
  };
  const adapter: FakeTimersLike = {
    get now() {
      return timeNow();
    },
    setTimeout: (callback, delay) => g.setTimeout(callback, delay),
    clearTimeout: (id) => g.clearTimeout(id),
    async tickAsync(ms: number) {
      if (options.advance) return await options.advance(ms);
      const s = sinon();
      if (s) return await s.tickAsync(ms);
      await new Promise<void>((resolve) => g.setTimeout(resolve, ms));
    },
    get duringTick() {
      return sinon()?.duringTick === true;
    },
  };
  Object.defineProperty(adapter, "countTimers", {
    get: () => {
      const s = sinon();
      return s?.countTimers ? () => s.countTimers!() : undefined;
    },
  });
  Object.defineProperty(adapter, "nextAsync", {
    get: () => {
      const s = sinon();
      return s?.nextAsync ? () => s.nextAsync!() : undefined;
    },
  });
  return fakeTimersClock(adapter);
}
