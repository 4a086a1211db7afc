/**
 * The WebM byte stream an encoder writes through: live by default (header with the first
 * block, unknown-size Clusters, each SimpleBlock written as soon as it exists), or, for a
 * recording that asked for it (Chrome with no timeslice), seekable: blocks are kept and
 * the whole file is written at the end with Duration and Cues, unless a chunk is cut
 * before the end (`requestData()`), which falls back to live, as Chrome's
 * `FlushAndDisableSeeking` does.
 *
 * @module
 */
import { type SeekableBlock, writeSeekableWebm } from "../container/webm_seekable.ts";
import { simpleBlock, WebmWriter, type WebmWriterOptions } from "../container/webm_writer.ts";
import type { EncoderSink } from "./encoder.ts";

/**
 * Cached SimpleBlock Blobs (their bytes never change), shared by all outputs, one cache
 * per `Blob` class: a chunk is a Blob of the environment's own `Blob` (jsdom's under
 * Jest or Vitest), and a Blob of one implementation is not a valid part of another's
 * (jsdom stringifies a foreign Blob to "[object Blob]"), so when the global `Blob` is
 * replaced (a test environment installed after import) the cache starts afresh.
 */
const blockCaches = new WeakMap<typeof Blob, Map<number, Blob>>();
const BLOCK_CACHE_LIMIT = 50_000;

/**
 * One cached 1-byte Blob per byte value, per `Blob` class: a Cluster header is written as
 * these (a fresh Uint8Array part would cost each chunk Blob a copy into the runtime's blob
 * store and a finalizer, ~6–9 µs in Deno, and keep a young object alive until a full GC).
 * One byte per part keeps the muxer's writes what they were (`muxerWrites`: a write per
 * byte of an element header).
 */
const byteBlobs = new WeakMap<typeof Blob, Blob[]>();

function byteBlob(value: number): Blob {
  let table = byteBlobs.get(Blob);
  if (!table) byteBlobs.set(Blob, table = []);
  return table[value] ??= new Blob([Uint8Array.of(value)]);
}

/**
 * A WebM output on an encoder sink.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WebmOutput } from "./webm_output.ts";
 * const written: (Uint8Array | Blob)[] = [];
 * const out = new WebmOutput({ tracks: [{ number: 1, kind: "audio", codecId: "A_OPUS" }] }, {
 *   write: (b) => written.push(b),
 *   fail: () => {},
 * });
 * out.block(1, 0, true, new Uint8Array(4));
 * assert.equal(written.length, 3); // header, Cluster header, SimpleBlock
 * ```
 */
export class WebmOutput {
  #options: WebmWriterOptions;
  #sink: EncoderSink;
  #live: WebmWriter;
  #headerWritten = false;
  #headerWanted = false;
  #pending: SeekableBlock[] | null;
  #end = 0;

  /**
   * @param seekable keep blocks and write a seekable file at {@link WebmOutput.finish}.
   * @param cacheKey when given, SimpleBlocks are cached as Blobs under this key function
   * (the synthetic encoder's repeated placeholder blocks).
   */
  constructor(
    options: WebmWriterOptions,
    sink: EncoderSink,
    seekable = false,
    readonly cacheKey?: (
      track: number,
      relative: number,
      keyframe: boolean,
      payload: Uint8Array,
    ) => number,
  ) {
    this.#options = options;
    this.#sink = sink;
    this.#live = new WebmWriter(options);
    this.#pending = seekable ? [] : null;
  }

  /** Writes (or, seekable, keeps) one block. `durationMs` extends the file's Duration. */
  block(
    track: number,
    timestampMs: number,
    keyframe: boolean,
    payload: Uint8Array,
    durationMs = 0,
  ): void {
    this.#end = Math.max(this.#end, timestampMs + durationMs);
    if (this.#pending) {
      this.#pending.push({ track, timestampMs, keyframe, data: payload });
      return;
    }
    if (!this.#headerWritten) {
      this.#headerWritten = true;
      this.#sink.write(this.#live.header());
    }
    const cluster = this.#live.place(track, Math.round(timestampMs), keyframe);
    if (cluster) {
      if (!this.cacheKey) this.#sink.write(cluster);
      else for (const b of cluster) this.#sink.write(byteBlob(b));
    }
    const rel = this.#live.relativeTimecode;
    if (!this.cacheKey) {
      this.#sink.write(simpleBlock(track, rel, keyframe, payload));
      return;
    }
    const key = this.cacheKey(track, rel, keyframe, payload);
    let blockCache = blockCaches.get(Blob);
    if (!blockCache) blockCaches.set(Blob, blockCache = new Map());
    let blob = blockCache.get(key);
    if (!blob) {
      blob = new Blob([simpleBlock(track, rel, keyframe, payload) as Uint8Array<ArrayBuffer>]);
      if (blockCache.size >= BLOCK_CACHE_LIMIT) blockCache.clear();
      blockCache.set(key, blob);
    }
    this.#sink.write(blob);
  }

  /** Writes the live header now if it is not written yet (a seekable output writes all at the end). */
  header(): void {
    this.#headerWanted = true;
    if (this.#pending || this.#headerWritten) return;
    this.#headerWritten = true;
    this.#sink.write(this.#live.header());
  }

  /** A chunk is cut before the end: a seekable output falls back to live from here on. */
  boundary(): void {
    if (!this.#pending) return;
    const kept = this.#pending;
    this.#pending = null;
    for (const b of kept) this.block(b.track, b.timestampMs, b.keyframe, b.data);
  }

  /** The end: a seekable output writes its whole file now. */
  finish(): void {
    if (!this.#pending) return;
    const kept = this.#pending;
    this.#pending = null;
    if (kept.length > 0 || this.#headerWanted) {
      this.#sink.write(writeSeekableWebm(this.#options, kept, this.#end));
    }
  }
}
