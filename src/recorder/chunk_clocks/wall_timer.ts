/**
 * The `wall-timer` chunk clock (Safari/WebKit, WK-MR): a one-shot wall-clock timer of
 * max(timeslice, 100 ms). When it fires, the data gathered so far is delivered unless it
 * is empty (`ReturnDataIfEmpty::No`; the profile's `emptyTimesliceChunks`), and the timer
 * is re-armed; pause saves what is left of it and resume re-arms with that; requestData()
 * restarts it where the profile says so.
 *
 * @module
 */
import type { BoundaryVerdict, ChunkClock, ChunkClockHost, Gathering } from "./chunk_clock.ts";

/** The shortest re-arming of the timer, in ms (a 0 ms timeslice without a minimum). */
const MIN_REARM_MS = 1;

/**
 * A wall-clock timer chunk clock for one recording.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WallTimerClock } from "./wall_timer.ts";
 * import { profiles } from "../../profiles/mod.ts";
 * let now = 0;
 * const clock = new WallTimerClock({
 *   profile: profiles.safari, t0: 0, threshold: 100, now: () => now, pausedTotal: () => 0,
 *   nextBlockTime: () => null, chunkBase: () => 0,
 *   firstOutput: () => -Infinity, liveVideo: () => true,
 * });
 * assert.equal(clock.nextBoundary(-Infinity), 100);
 * now = 100;
 * assert.equal(clock.atBoundary(100, { blocks: 0, bytes: 0 }), "if-bytes"); // empty: skipped
 * assert.equal(clock.nextBoundary(100), 200); // re-armed
 * now = 150; clock.paused(150); now = 1000; clock.resumed(1000);
 * assert.equal(clock.nextBoundary(-Infinity), 1050); // the 50 ms left at pause
 * ```
 */
export class WallTimerClock implements ChunkClock {
  readonly name = "wall-timer" as const;
  readonly boundary = "instant" as const;
  /** Frames may be fed ahead: a frame's chunk depends on its time only. */
  readonly paced = true;
  readonly closingWrite = false;
  readonly #host: ChunkClockHost;
  /** When the timer fires, and what was left of it at pause. */
  #due: number;
  #remaining = 0;
  #paused = false;

  /** A clock reading `host`; the timer is armed at start(). */
  constructor(host: ChunkClockHost) {
    this.#host = host;
    this.#due = host.t0 + host.threshold;
  }

  /** The timer's due time, whatever the blocks. */
  nextBoundary(_afterTime: number): number | null {
    const at = this.#due;
    return Number.isFinite(at) && at <= Number.MAX_SAFE_INTEGER ? at : null;
  }

  /** Re-arms the timer; delivers what was gathered unless it is empty. */
  atBoundary(_at: number, gathered: Gathering): BoundaryVerdict {
    const h = this.#host;
    // (Re-armed at least a millisecond on: a timer of 0 fires once per event-loop turn,
    // never twice at one instant of virtual time.)
    this.#due = h.now() + Math.max(h.threshold, MIN_REARM_MS);
    // (Safari: an empty fetch delivers nothing; its MP4 writer only emits whole fragments.)
    return gathered.bytes === 0 && !h.profile.emptyTimesliceChunks ? "if-bytes" : "cut";
  }

  /** (Re-armed at the tick.) */
  cutAt(_at: number): void {}

  /** requestData() restarts the timer where the profile says so. */
  requestDataCut(now: number): void {
    if (!this.#host.profile.requestDataRestartsTimeslice) return;
    // (While paused the timer is stopped: the full timeslice is what resume re-arms.)
    if (this.#paused) this.#remaining = this.#host.threshold;
    else this.#due = now + this.#host.threshold;
  }

  /** (Never.) */
  closesWithFirstByte(_at: number): boolean {
    return false;
  }

  /** Saves what is left of the timer. */
  paused(now: number): void {
    this.#paused = true;
    this.#remaining = Math.max(0, this.#due - now);
  }

  /** Re-arms the timer with what was left at pause. */
  resumed(now: number): void {
    this.#paused = false;
    // (#due is non-finite only for a threshold of +Infinity or NaN, and paused() or a
    // requestData() while paused then left #remaining Infinity or NaN too: now +
    // #remaining is #due again.)
    // Stryker disable next-line ConditionalExpression: equivalent, see the line above
    if (Number.isFinite(this.#due)) this.#due = now + this.#remaining;
  }

  /** One delivery per chunk. */
  deliveries(parts: (Uint8Array | Blob)[], _final: boolean): (Uint8Array | Blob)[][] {
    return [parts];
  }
}
