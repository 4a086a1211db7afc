/**
 * The `wall-writes` chunk clock (Chrome, CR-MRH `WriteData`): at each muxer write, the
 * slice closes when `now > sliceOrigin + timeslice` (strictly), that write included; the
 * origin moves to that write, so slices never catch up; paused wall time counts. Writes
 * are video frames, or Opus packets of `audioWriteMs` without video. Chrome's muxer holds
 * everything until its first output, so no boundary comes earlier.
 *
 * At a timeslice of 0 (after Chrome's `long` conversion: also -1, NaN, 2^31…) Chrome fires
 * a `dataavailable` per muxer *write*: its WebM muxer writes element ids and sizes a byte
 * at a time and each payload whole (measured: lab `timeslice/av-0`, `timeslice/av-nan`).
 *
 * @module
 */
import type { BoundaryVerdict, ChunkClock, ChunkClockHost, Gathering } from "./chunk_clock.ts";

/**
 * A wall-clock-at-each-write chunk clock for one recording.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WallWritesClock } from "./wall_writes.ts";
 * import { profiles } from "../../profiles/mod.ts";
 * // Video frames every 50 ms from 0 (the muxer writes each one).
 * const clock = new WallWritesClock({
 *   profile: profiles.chrome, t0: 0, threshold: 100, now: () => 0, pausedTotal: () => 0,
 *   nextBlockTime: (after, notBefore) => Math.floor(Math.max(after, notBefore - 1e-9) / 50 + 1) * 50,
 *   chunkBase: () => 0, firstOutput: () => 0, liveVideo: () => true,
 * });
 * assert.equal(clock.nextBoundary(-Infinity), 150); // the first write strictly after 100
 * clock.cutAt(150);
 * assert.equal(clock.nextBoundary(150), 300); // the origin moved to that write
 * ```
 */
export class WallWritesClock implements ChunkClock {
  readonly name = "wall-writes" as const;
  readonly boundary = "block" as const;
  readonly #host: ChunkClockHost;
  /** The slice origin: start(), then the previous cut's write time. */
  #origin: number;

  /** A clock reading `host`; the first slice counts from start(). */
  constructor(host: ChunkClockHost) {
    this.#host = host;
    this.#origin = host.t0;
  }

  /** The first muxer write strictly after `origin + timeslice` (and after `afterTime`). */
  nextBoundary(afterTime: number): number | null {
    const h = this.#host;
    const due = this.#origin + h.threshold;
    if (!Number.isFinite(due) || due > Number.MAX_SAFE_INTEGER) return null;
    // Chrome's muxer holds video until the first audio packet: no write comes earlier.
    return this.#nextWrite(Math.max(due, afterTime, h.firstOutput() - 1e-3));
  }

  /** Cut, unless no block was gathered. */
  atBoundary(_at: number, gathered: Gathering): BoundaryVerdict {
    return gathered.blocks === 0 ? "later" : "cut";
  }

  /** The origin moves to the write that closed the slice. */
  cutAt(at: number): void {
    this.#origin = at;
  }

  /** requestData() does not reset `slice_origin_timestamp_` (CR-MRH). */
  requestDataCut(_now: number): void {}

  /** (Paused wall time counts.) */
  paused(_now: number): void {}

  /** (Paused wall time counts.) */
  resumed(_now: number): void {}

  /**
   * One delivery per chunk, or at a timeslice of 0 (`chunkPerWrite`) one per muxer write:
   * every byte of a Uint8Array part (EBML headers and Cluster starts are written field by
   * field), and for a block Blob seven 1-byte writes (its id, size, track, timecode and
   * flags) then the payload; the final chunk's writes are followed by an empty Blob.
   */
  deliveries(parts: (Uint8Array | Blob)[], final: boolean): (Uint8Array | Blob)[][] {
    if (!(this.#host.profile.chunkPerWrite === true && this.#host.threshold === 0)) {
      return [parts];
    }
    return final ? [...muxerWrites(parts), []] : muxerWrites(parts);
  }

  /** The first muxer write strictly after `time` (video frames, else Opus packets). */
  #nextWrite(time: number): number | null {
    const h = this.#host;
    const video = h.nextBlockTime(time, -Infinity, "video");
    if (video !== null) return video;
    if (h.liveVideo()) return null;
    const packet = h.profile.audioWriteMs;
    const audio = h.nextBlockTime(time, -Infinity, "audio");
    if (audio === null) return null;
    if (packet === null) return audio;
    // Opus packets of `packet` ms from the recording's start: the packet holding that
    // audio block is written when it is full.
    const k = Math.ceil((audio - h.t0) / packet - 1e-9);
    const grid = h.t0 + Math.max(1, k) * packet;
    return grid > time ? grid : grid + packet;
  }
}

/**
 * Chrome's WebM muxer writes: one per byte of a Uint8Array part (EBML ids and sizes) and,
 * per block Blob, seven 1-byte writes then the payload.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { muxerWrites } from "./wall_writes.ts";
 * const writes = muxerWrites([new Uint8Array([1, 2]), new Blob([new Uint8Array(10)])]);
 * assert.deepEqual(writes.map((w) => w.map((p) => p instanceof Blob ? p.size : p.length)), [
 *   [1], [1], [1], [1], [1], [1], [1], [1], [1], [3],
 * ]);
 * ```
 */
export function muxerWrites(parts: (Uint8Array | Blob)[]): (Uint8Array | Blob)[][] {
  const writes: (Uint8Array | Blob)[][] = [];
  for (const part of parts) {
    if (part instanceof Uint8Array) {
      for (let i = 0; i < part.length; i++) writes.push([part.subarray(i, i + 1)]);
      continue;
    }
    const head = Math.min(7, part.size);
    for (let i = 0; i < head; i++) writes.push([part.slice(i, i + 1)]);
    if (part.size > head) writes.push([part.slice(head)]);
  }
  return writes;
}
