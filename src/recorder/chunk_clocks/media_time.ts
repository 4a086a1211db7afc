/**
 * The `media` chunk clock (spec, Firefox): "once at least max(timeslice, minimum) ms of
 * data have been collected" (start() 15.7), counted in media time from the chunk's first
 * block. A chunk is cut just before the first block whose media time reaches the
 * threshold, never before its first block; with a minimum of 0, `start(0)` gives a chunk
 * per block, and no chunk is cut empty by the timeslice.
 *
 * @module
 */
import {
  type BoundaryVerdict,
  type ChunkClock,
  type ChunkClockHost,
  type Gathering,
  TIME_EPSILON,
} from "./chunk_clock.ts";

/**
 * A media-time chunk clock for one recording.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MediaTimeClock } from "./media_time.ts";
 * import { profiles } from "../../profiles/mod.ts";
 * // Blocks every 50 ms from 0; the chunk's first block at 0; a 100 ms timeslice.
 * const clock = new MediaTimeClock({
 *   profile: profiles.spec, t0: 0, threshold: 100, now: () => 0, pausedTotal: () => 0,
 *   nextBlockTime: (after, notBefore) => Math.ceil(Math.max(after + 1e-9, notBefore) / 50) * 50,
 *   chunkBase: () => 0, firstOutput: () => -Infinity, liveVideo: () => true,
 * });
 * assert.equal(clock.nextBoundary(-Infinity), 100);
 * assert.equal(clock.atBoundary(100, { blocks: 0, bytes: 0 }), "later");
 * ```
 */
export class MediaTimeClock implements ChunkClock {
  readonly name = "media" as const;
  readonly boundary = "block" as const;
  /** Frames may be fed ahead: a frame's chunk depends on its time only. */
  readonly paced = true;
  readonly closingWrite = false;
  readonly #host: ChunkClockHost;

  /** A clock reading `host`. */
  constructor(host: ChunkClockHost) {
    this.#host = host;
  }

  /** The capture time of the first block whose media time reaches the threshold. */
  nextBoundary(afterTime: number): number | null {
    const h = this.#host;
    // "data collected": counted from the chunk's first block (its first gathered block, or
    // the next one to be gathered), not from the instant the Blob began.
    const due = h.t0 + h.pausedTotal() + h.chunkBase() + h.threshold - TIME_EPSILON;
    if (!Number.isFinite(due) || due > Number.MAX_SAFE_INTEGER) return null;
    // (The session waits for the block to reach the muxer: the encoder-latency model.)
    return h.nextBlockTime(afterTime, due);
  }

  /** Cut, unless no block was gathered: the blocks at `at` then start this chunk. */
  atBoundary(_at: number, gathered: Gathering): BoundaryVerdict {
    return gathered.blocks === 0 ? "later" : "cut";
  }

  /** (The next chunk counts from its own first block.) */
  cutAt(_at: number): void {}

  /** (The new Blob counts from its own first block.) */
  requestDataCut(_now: number): void {}

  /** (Never.) */
  closesWithFirstByte(_at: number): boolean {
    return false;
  }

  /** (Media time does not run while paused.) */
  paused(_now: number): void {}

  /** (Media time does not run while paused.) */
  resumed(_now: number): void {}

  /** One delivery per chunk. */
  deliveries(parts: (Uint8Array | Blob)[], _final: boolean): (Uint8Array | Blob)[][] {
    return [parts];
  }
}
