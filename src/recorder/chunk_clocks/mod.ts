/**
 * The chunk clocks (spec start() 15.7), one per profile policy, and the factory the
 * recording session uses.
 *
 * @module
 */
import type { ChunkClock, ChunkClockHost } from "./chunk_clock.ts";
import { EncoderPushesClock } from "./encoder_pushes.ts";
import { MediaTimeClock } from "./media_time.ts";
import { WallTimerClock } from "./wall_timer.ts";
import { WallWritesClock } from "./wall_writes.ts";

export type { BoundaryVerdict, ChunkClock, ChunkClockHost, Gathering } from "./chunk_clock.ts";

/**
 * The chunk clock the profile names (`profile.chunkClock`), reading `host`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chunkClockFor } from "./mod.ts";
 * import { profiles } from "../../profiles/mod.ts";
 * const host = {
 *   profile: profiles.safari, t0: 0, threshold: 100, now: () => 0, pausedTotal: () => 0,
 *   nextBlockTime: () => null, chunkBase: () => 0,
 *   firstOutput: () => -Infinity, liveVideo: () => false,
 * };
 * assert.equal(chunkClockFor(host).name, "wall-timer");
 * ```
 */
export function chunkClockFor(host: ChunkClockHost): ChunkClock {
  switch (host.profile.chunkClock) {
    case "wall-timer":
      return new WallTimerClock(host);
    case "wall-writes":
      return new WallWritesClock(host);
    case "encoder-pushes":
      return new EncoderPushesClock(host);
    default:
      return new MediaTimeClock(host);
  }
}
