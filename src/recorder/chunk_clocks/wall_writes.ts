/**
 * The `wall-writes` chunk clock (Chrome, CR-MRH `WriteData`): at each muxer write, the
 * slice closes when `now > sliceOrigin + timeslice` (strictly), that write included; the
 * origin moves to that write, so slices never catch up; paused wall time counts. Writes
 * come with each Opus packet of `audioWriteMs` when there is audio, else with each video
 * frame. Chrome's muxer holds everything until its first output, so no boundary comes
 * earlier.
 *
 * At a timeslice of 0 (after Chrome's `long` conversion: also -1, NaN, 2^31…) Chrome fires
 * a `dataavailable` per muxer *write*: its WebM muxer writes element ids and sizes a byte
 * at a time and each payload whole (measured: lab `timeslice/av-0`, `timeslice/av-nan`).
 *
 * @module
 */
import { ebmlWriteSizes, simpleBlockWriteSizes } from "../../container/ebml_writes.ts";
import type { BoundaryVerdict, ChunkClock, ChunkClockHost, Gathering } from "./chunk_clock.ts";

/**
 * A wall-clock-at-each-write chunk clock for one recording.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WallWritesClock } from "./wall_writes.ts";
 * import { profiles } from "../../profiles/mod.ts";
 * // Video alone, frames every 50 ms from 0 (the muxer writes each one).
 * const clock = new WallWritesClock({
 *   profile: profiles.chrome, t0: 0, threshold: 100, now: () => 0, pausedTotal: () => 0,
 *   nextBlockTime: (after, notBefore, kind) =>
 *     kind === "audio" ? null : Math.floor(Math.max(after, notBefore - 1e-9) / 50 + 1) * 50,
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
  /** (Fed only where the clock looks: a chunk ends at a muxer write.) */
  readonly paced = false;
  /** (Per write at a timeslice of 0, each write is a chunk already.) */
  get closingWrite(): boolean {
    return !this.#perWrite;
  }
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
    // The muxer's first write (the EBML header, at its first output) closes a first slice
    // whose deadline passed before it: a 1-byte chunk (lab timeslice/av-10, av-1).
    const first = h.firstOutput();
    if (this.#origin === h.t0 && Number.isFinite(first) && first > due && first > afterTime) {
      return first;
    }
    // Chrome's muxer holds video until the first audio packet: no write comes earlier.
    return this.#nextWrite(Math.max(due, afterTime, first - 1e-3));
  }

  /** The first slice closed by the muxer's first write holds that one byte. */
  closesWithFirstByte(at: number): boolean {
    return this.#origin === this.#host.t0 && at === this.#host.firstOutput();
  }

  /**
   * Cut once the encoder has written: a slice closes at a muxer write, so it is never
   * empty (an Opus packet still filling, and the video frames the muxer holds for it,
   * are not written yet).
   */
  atBoundary(_at: number, gathered: Gathering): BoundaryVerdict {
    return gathered.blocks === 0 ? "later" : "if-bytes";
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
   * One delivery per chunk, or at a timeslice of 0 (`chunkPerWrite`) one per muxer write
   * ({@link muxerWrites}); the final chunk's writes are followed by an empty Blob.
   */
  deliveries(parts: (Uint8Array | Blob)[], final: boolean): (Uint8Array | Blob)[][] {
    if (!this.#perWrite) return [parts];
    return final ? [...muxerWrites(parts), []] : muxerWrites(parts);
  }

  /** Whether chunks are delivered a muxer write each (`chunkPerWrite`, timeslice 0). */
  get #perWrite(): boolean {
    return this.#host.profile.chunkPerWrite === true && this.#host.threshold === 0;
  }

  /**
   * The first muxer write strictly after `time`. With audio, the muxer interleaves by
   * timestamp and writes when an Opus packet comes in (the video frames up to it with
   * it): slices close on the 60 ms packet grid (measured: lab `timeslice/av-100` and
   * `timeslice/audio-100` both deliver every 120 ms). Without audio, at each video frame.
   */
  #nextWrite(time: number): number | null {
    const h = this.#host;
    const packet = h.profile.audioWriteMs;
    const audio = h.nextBlockTime(time, -Infinity, "audio");
    if (audio === null || (packet === null && h.liveVideo())) {
      const video = h.nextBlockTime(time, -Infinity, "video");
      // (Reached with audio only where a video track is live, and a live track always has a
      // next block: video is null only when audio is too.)
      // Stryker disable next-line ConditionalExpression: equivalent, see the line above
      if (video !== null || audio === null) return video;
    }
    if (packet === null) return audio;
    // Opus packets of `packet` ms from the recording's start: the packet holding that
    // audio block is written when it is full.
    const k = Math.ceil((audio - h.t0) / packet - 1e-9);
    const grid = h.t0 + Math.max(1, k) * packet;
    return grid > time ? grid : grid + packet;
  }
}

/**
 * Chrome's WebM muxer writes (libwebm, `container/ebml_writes.ts`): element IDs, sizes and
 * numbers a byte at a time, strings and binary whole; per SimpleBlock its ID, size,
 * track, timecode and flags a byte at a time, then the frame. A Blob part is a cached
 * SimpleBlock.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { muxerWrites } from "./wall_writes.ts";
 * // a Timecode element (ID, size, value) and a SimpleBlock of a 3-byte frame
 * const writes = muxerWrites([new Uint8Array([0xe7, 0x81, 0x00]), new Blob([new Uint8Array(9)])]);
 * assert.deepEqual(writes.map((w) => w.map((p) => p instanceof Blob ? p.size : p.length)), [
 *   [1], [1], [1], [1], [1], [1], [1], [1], [1], [3],
 * ]);
 * ```
 */
export function muxerWrites(parts: (Uint8Array | Blob)[]): (Uint8Array | Blob)[][] {
  const writes: (Uint8Array | Blob)[][] = [];
  for (const part of parts) {
    const sizes = part instanceof Uint8Array
      ? ebmlWriteSizes(part)
      : simpleBlockWriteSizes(part.size);
    let at = 0;
    for (const size of sizes) {
      writes.push([
        part instanceof Uint8Array ? part.subarray(at, at + size) : part.slice(at, at + size),
      ]);
      at += size;
    }
  }
  return writes;
}
