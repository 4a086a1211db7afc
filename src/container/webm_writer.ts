/**
 * A live (streaming) WebM writer shaped like the files browsers' MediaRecorder
 * produces: an unknown-size Segment without Duration, SeekHead or Cues, and
 * unknown-size Clusters of SimpleBlocks. The output is a pure function of the input.
 *
 * @module
 */

import {
  binaryElement,
  concatBytes,
  floatElement,
  ID,
  masterElement,
  stringElement,
  uintElement,
  unknownSizeHeader,
  vintLength,
  writeVint,
} from "./ebml.ts";

/**
 * A track of a {@link WebmWriter}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WebmTrack } from "./webm_writer.ts";
 * const video: WebmTrack = { number: 1, kind: "video", codecId: "V_VP8", width: 640, height: 480 };
 * assert.ok(video.number === 1);
 * ```
 */
export interface WebmTrack {
  /** 1-based TrackNumber; also used as the TrackUID so output stays deterministic. */
  number: number;
  /** TrackType: 1 for video, 2 for audio. */
  kind: "video" | "audio";
  /** CodecID such as "V_VP8", "V_VP9", "V_AV1", "A_OPUS". */
  codecId: string;
  /** CodecPrivate, e.g. the OpusHead for "A_OPUS". */
  codecPrivate?: Uint8Array;
  /** CodecDelay in nanoseconds (Opus pre-skip). */
  codecDelayNs?: number;
  /** SeekPreRoll in nanoseconds (80 ms for Opus). */
  seekPreRollNs?: number;
  /** PixelWidth (video). */
  width?: number;
  /** PixelHeight (video). */
  height?: number;
  /** Frames per second, written as DefaultDuration (rounded to whole nanoseconds). */
  frameRate?: number;
  /** SamplingFrequency in Hz (audio). */
  sampleRate?: number;
  /** Channels (audio). */
  channels?: number;
  /** BitDepth (audio). */
  bitDepth?: number;
  /** Track Name. */
  name?: string;
}

/**
 * Options of a {@link WebmWriter}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WebmWriterOptions } from "./webm_writer.ts";
 * const options: WebmWriterOptions = {
 *   tracks: [{ number: 1, kind: "audio", codecId: "A_OPUS", sampleRate: 48000, channels: 2 }],
 *   maxClusterDurationMs: 2000,
 * };
 * assert.ok(options.tracks.length === 1);
 * ```
 */
export interface WebmWriterOptions {
  /** The tracks, written in this order. Track numbers must be distinct integers >= 1. */
  tracks: WebmTrack[];
  /** MuxingApp; default "recsim". */
  muxingApp?: string;
  /** WritingApp; default "recsim". */
  writingApp?: string;
  /**
   * In files without a video track, a block whose timestamp is at least this many
   * milliseconds after the current Cluster's timecode starts a new Cluster. Default 5000.
   */
  maxClusterDurationMs?: number;
  /**
   * An audio block at least this many milliseconds after the current Cluster's timecode
   * starts a new Cluster, with or without video (Chrome's muxer: a Cluster every second
   * 60 ms Opus packet; lab `timeslice/audio-0`, `timeslice/av-0`). Default: none.
   */
  audioClusterMs?: number;
}

/** The Cluster ID and its unknown size (the start of every Cluster header). */
const CLUSTER_PREFIX = unknownSizeHeader(ID.Cluster);
/** The Timecode element's one-byte ID. */
const TIMECODE_ID = (() => {
  const id = uintElement(ID.Timecode, 0);
  if (id.length !== 3) throw new Error("the Timecode ID is one byte");
  return id[0]!;
})();

// Allocating a fresh ArrayBuffer per block costs ~1-2 µs; carving small blocks out of a
// shared slab is ~20x cheaper. Slabs are never reused, so earlier views stay valid.
const SLAB_SIZE = 256 * 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;

function alloc(length: number): Uint8Array {
  if (length > SLAB_SIZE / 16) return new Uint8Array(length);
  // byteLength is 0 if a caller transferred (detached) the slab.
  if (slabUsed + length > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, length);
  slabUsed += length;
  return out;
}

/**
 * Encodes a Cluster header: the Cluster ID, the unknown size and its Timecode element
 * (in milliseconds, TimecodeScale 1000000). Pure, so callers may cache it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clusterHeader } from "./webm_writer.ts";
 * const h = clusterHeader(0);
 * assert.ok(h.length === 15 && h[12] === 0xe7 && h[14] === 0);
 * ```
 */
export function clusterHeader(timecodeMs: number): Uint8Array {
  if (!Number.isSafeInteger(timecodeMs) || timecodeMs < 0) {
    // (The same check and message as uintElement's.)
    uintElement(ID.Timecode, timecodeMs);
  }
  // Written in place (one slab view, not four fresh arrays of ~1.6 µs together): the
  // Cluster ID and unknown size, then a Timecode element of the fewest bytes (at least one).
  let n = 1;
  while (timecodeMs >= 2 ** (8 * n)) n++;
  const out = alloc(CLUSTER_PREFIX.length + 2 + n);
  out.set(CLUSTER_PREFIX);
  let at = CLUSTER_PREFIX.length;
  out[at++] = TIMECODE_ID;
  out[at++] = 0x80 | n;
  let v = timecodeMs;
  for (let i = at + n - 1; i >= at; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

/**
 * Encodes one SimpleBlock element: track number VINT, signed 16-bit timecode relative to
 * its Cluster, flags (0x80 for a key frame, no lacing) and the payload (copied). Pure,
 * so identical arguments give identical bytes and callers may cache the result.
 *
 * Small blocks are views into a shared ArrayBuffer: use the returned bytes, not their
 * `.buffer`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { simpleBlock } from "./webm_writer.ts";
 * const b = simpleBlock(1, -2, true, Uint8Array.of(0xaa));
 * // ID a3, size 85, track 81, timecode ff fe, flags 80, payload aa
 * assert.ok(b.join() === [0xa3, 0x85, 0x81, 0xff, 0xfe, 0x80, 0xaa].join());
 * ```
 */
export function simpleBlock(
  track: number,
  relativeTimecode: number,
  keyframe: boolean,
  payload: Uint8Array,
): Uint8Array {
  if (
    !Number.isInteger(relativeTimecode) || relativeTimecode < -32768 || relativeTimecode > 32767
  ) {
    throw new RangeError(`relative timecode must be an int16, got ${relativeTimecode}`);
  }
  const trackLength = vintLength(track);
  const bodyLength = trackLength + 3 + payload.length;
  const sizeLength = vintLength(bodyLength);
  const out = alloc(1 + sizeLength + bodyLength);
  out[0] = ID.SimpleBlock;
  let at = writeVint(out, 1, bodyLength, sizeLength);
  at = writeVint(out, at, track, trackLength);
  out[at++] = (relativeTimecode >> 8) & 0xff;
  out[at++] = relativeTimecode & 0xff;
  out[at++] = keyframe ? 0x80 : 0x00;
  out.set(payload, at);
  return out;
}

function trackEntry(t: WebmTrack): Uint8Array {
  const parts = [
    uintElement(ID.TrackNumber, t.number),
    uintElement(ID.TrackUID, t.number),
    uintElement(ID.TrackType, t.kind === "video" ? 1 : 2),
    stringElement(ID.CodecID, t.codecId),
  ];
  if (t.name !== undefined) parts.push(stringElement(ID.Name, t.name));
  if (t.codecPrivate !== undefined) parts.push(binaryElement(ID.CodecPrivate, t.codecPrivate));
  if (t.codecDelayNs !== undefined) parts.push(uintElement(ID.CodecDelay, t.codecDelayNs));
  if (t.seekPreRollNs !== undefined) parts.push(uintElement(ID.SeekPreRoll, t.seekPreRollNs));
  if (t.frameRate !== undefined) {
    parts.push(uintElement(ID.DefaultDuration, Math.round(1e9 / t.frameRate)));
  }
  if (t.kind === "video") {
    const video = [];
    if (t.width !== undefined) video.push(uintElement(ID.PixelWidth, t.width));
    if (t.height !== undefined) video.push(uintElement(ID.PixelHeight, t.height));
    parts.push(masterElement(ID.Video, video));
  } else {
    const audio = [];
    if (t.sampleRate !== undefined) audio.push(floatElement(ID.SamplingFrequency, t.sampleRate));
    if (t.channels !== undefined) audio.push(uintElement(ID.Channels, t.channels));
    if (t.bitDepth !== undefined) audio.push(uintElement(ID.BitDepth, t.bitDepth));
    parts.push(masterElement(ID.Audio, audio));
  }
  return masterElement(ID.TrackEntry, parts);
}

/**
 * Streams a live WebM file: call {@link WebmWriter.header} once, then
 * {@link WebmWriter.block} for every frame in non-decreasing timestamp order, and append
 * the returned bytes. Live WebM has no trailer, so there is nothing to finish.
 *
 * A new Cluster starts at the first block; at every video key frame (so each Cluster of
 * a file with video starts with a video key frame); when the block's timecode relative
 * to the Cluster would not fit a signed 16-bit integer; and, in files without video,
 * when the block is `maxClusterDurationMs` or more after the Cluster's timecode.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WebmWriter } from "./webm_writer.ts";
 * const w = new WebmWriter({ tracks: [{ number: 1, kind: "video", codecId: "V_VP8" }] });
 * const chunks = [w.header(), ...w.block(1, 0, true, new Uint8Array(10))];
 * chunks.push(...w.block(1, 33, false, new Uint8Array(5)));
 * assert.ok(chunks.length === 4); // header, cluster header, two SimpleBlocks
 * ```
 */
export class WebmWriter {
  readonly #options: WebmWriterOptions;
  /** Track kind by track number. */
  readonly #kinds: ("video" | "audio" | undefined)[] = [];
  readonly #hasVideo: boolean;
  readonly #maxClusterMs: number;
  readonly #audioClusterMs: number;
  #clusterTimecode = -1;
  #lastTimestamp = -Infinity;
  #relative = 0;

  /**
   * Validates the tracks. Throws a RangeError on a duplicate track number or one that is
   * not an integer from 1 to 65535.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { WebmWriter } from "./webm_writer.ts";
   * const w = new WebmWriter({ tracks: [{ number: 1, kind: "audio", codecId: "A_OPUS" }] });
   * assert.ok(w.header().length > 0);
   * ```
   */
  constructor(options: WebmWriterOptions) {
    this.#options = options;
    for (const t of options.tracks) {
      if (!Number.isInteger(t.number) || t.number < 1 || t.number > 0xffff) {
        throw new RangeError(`track number must be an integer in 1..65535, got ${t.number}`);
      }
      if (this.#kinds[t.number] !== undefined) {
        throw new RangeError(`duplicate track number ${t.number}`);
      }
      this.#kinds[t.number] = t.kind;
    }
    this.#hasVideo = options.tracks.some((t) => t.kind === "video");
    this.#maxClusterMs = options.maxClusterDurationMs ?? 5000;
    this.#audioClusterMs = options.audioClusterMs ?? Infinity;
  }

  /**
   * The file header: EBML header (DocType "webm", DocTypeVersion 4, DocTypeReadVersion
   * 2), the Segment ID with unknown size, Info (TimecodeScale 1000000, MuxingApp,
   * WritingApp, no Duration) and Tracks. Pure: every call returns the same bytes.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { WebmWriter } from "./webm_writer.ts";
   * const h = new WebmWriter({ tracks: [] }).header();
   * assert.ok(h[0] === 0x1a && h[1] === 0x45 && h[2] === 0xdf && h[3] === 0xa3);
   * ```
   */
  header(): Uint8Array {
    const o = this.#options;
    return concatBytes([
      masterElement(ID.EBML, [
        uintElement(ID.EBMLVersion, 1),
        uintElement(ID.EBMLReadVersion, 1),
        uintElement(ID.EBMLMaxIDLength, 4),
        uintElement(ID.EBMLMaxSizeLength, 8),
        stringElement(ID.DocType, "webm"),
        uintElement(ID.DocTypeVersion, 4),
        uintElement(ID.DocTypeReadVersion, 2),
      ]),
      unknownSizeHeader(ID.Segment),
      masterElement(ID.Info, [
        uintElement(ID.TimecodeScale, 1_000_000),
        stringElement(ID.MuxingApp, o.muxingApp ?? "recsim"),
        stringElement(ID.WritingApp, o.writingApp ?? "recsim"),
      ]),
      masterElement(ID.Tracks, o.tracks.map(trackEntry)),
    ]);
  }

  /**
   * Places a block (see the class description for the Cluster rules) without encoding
   * it: returns the Cluster header to append first, or `undefined` if the block goes in
   * the current Cluster. Afterwards {@link WebmWriter.relativeTimecode} holds the
   * block's timecode relative to its Cluster. Use with {@link simpleBlock} to cache
   * encoded blocks; {@link WebmWriter.block} does both.
   *
   * Fractional timestamps are rounded to whole milliseconds with `Math.round`. Throws a
   * RangeError for an unknown track, a negative or non-finite timestamp, or a timestamp
   * (after rounding) before the previous block's.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { simpleBlock, WebmWriter } from "./webm_writer.ts";
   * const w = new WebmWriter({ tracks: [{ number: 1, kind: "audio", codecId: "A_OPUS" }] });
   * assert.ok(w.place(1, 0, true) !== undefined); // first block: new Cluster
   * assert.ok(w.place(1, 20, true) === undefined && w.relativeTimecode === 20);
   * const bytes = simpleBlock(1, w.relativeTimecode, true, new Uint8Array(3));
   * assert.ok(bytes.length === 9);
   * ```
   */
  place(track: number, timestampMs: number, keyframe: boolean): Uint8Array | undefined {
    const kind = this.#kinds[track];
    if (kind === undefined) throw new RangeError(`unknown track ${track}`);
    const ts = Math.round(timestampMs);
    if (!(ts >= 0) || !Number.isSafeInteger(ts)) {
      throw new RangeError(`timestamp must be finite and >= 0, got ${timestampMs}`);
    }
    if (ts < this.#lastTimestamp) {
      throw new RangeError(
        `timestamp ${ts} ms is before the previous block's ${this.#lastTimestamp} ms`,
      );
    }
    this.#lastTimestamp = ts;
    let header: Uint8Array | undefined;
    const age = ts - this.#clusterTimecode;
    if (
      this.#clusterTimecode < 0 ||
      (kind === "video" && keyframe) ||
      age > 32767 ||
      (!this.#hasVideo && age >= this.#maxClusterMs) ||
      (kind === "audio" && age >= this.#audioClusterMs)
    ) {
      this.#clusterTimecode = ts;
      header = clusterHeader(ts);
    }
    this.#relative = ts - this.#clusterTimecode;
    return header;
  }

  /**
   * The timecode of the last placed block relative to its Cluster (0 before any block).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { WebmWriter } from "./webm_writer.ts";
   * const w = new WebmWriter({ tracks: [{ number: 1, kind: "video", codecId: "V_VP8" }] });
   * w.block(1, 100, true, new Uint8Array(1));
   * w.block(1, 133.4, false, new Uint8Array(1));
   * assert.ok(w.relativeTimecode === 33);
   * ```
   */
  get relativeTimecode(): number {
    return this.#relative;
  }

  /**
   * The timecode (ms) of the current Cluster, or `undefined` before the first block.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { WebmWriter } from "./webm_writer.ts";
   * const w = new WebmWriter({ tracks: [{ number: 1, kind: "video", codecId: "V_VP8" }] });
   * assert.ok(w.clusterTimecode === undefined);
   * w.block(1, 100, true, new Uint8Array(1));
   * assert.ok(w.clusterTimecode === 100);
   * ```
   */
  get clusterTimecode(): number | undefined {
    return this.#clusterTimecode < 0 ? undefined : this.#clusterTimecode;
  }

  /**
   * Encodes a frame of `track` at `timestampMs` (rounded to whole ms) and returns the
   * bytes to append: `[clusterHeader, simpleBlock]` when it starts a new Cluster, else
   * `[simpleBlock]`. Audio blocks are always flagged as key frames. The payload is copied
   * (see {@link simpleBlock}: the parts may be views into a shared ArrayBuffer).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { WebmWriter } from "./webm_writer.ts";
   * const w = new WebmWriter({
   *   tracks: [
   *     { number: 1, kind: "video", codecId: "V_VP8" },
   *     { number: 2, kind: "audio", codecId: "A_OPUS" },
   *   ],
   * });
   * assert.ok(w.block(1, 0, true, new Uint8Array(100)).length === 2);
   * assert.ok(w.block(2, 10, false, new Uint8Array(50)).length === 1);
   * assert.ok(w.block(1, 33, false, new Uint8Array(20)).length === 1);
   * assert.ok(w.block(1, 66, true, new Uint8Array(100)).length === 2);
   * ```
   */
  block(track: number, timestampMs: number, keyframe: boolean, payload: Uint8Array): Uint8Array[] {
    const header = this.place(track, timestampMs, keyframe);
    const block = simpleBlock(
      track,
      this.#relative,
      keyframe || this.#kinds[track] === "audio",
      payload,
    );
    return header === undefined ? [block] : [header, block];
  }
}
