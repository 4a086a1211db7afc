/**
 * A small WebM/Matroska reader for tests and assertions: the EBML header, Info, Tracks,
 * Clusters and their blocks, for live files (unknown-size Segment and Clusters) and
 * seekable ones (known sizes, Duration, Cues).
 *
 * @module
 */

import { ID, readFloat, readInt, readUint, vintWidth } from "./ebml.ts";
import { utf8Decode } from "./utf8.ts";

/**
 * Thrown by {@link readWebm} on malformed or truncated input. The message names the
 * byte offset and what was expected there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readWebm, WebmParseError } from "./webm_reader.ts";
 * try {
 *   readWebm(Uint8Array.of(0x42, 0x86, 0x81, 0x01)); // an EBMLVersion, not an EBML header
 * } catch (e) {
 *   assert.ok(e instanceof WebmParseError && e.offset === 0);
 * }
 * ```
 */
export class WebmParseError extends Error {
  /** Always "WebmParseError". */
  override name = "WebmParseError";
  /** Byte offset in the input where parsing failed. */
  readonly offset: number;
  /** True when the input ended in the middle of an element (and is otherwise valid). */
  readonly truncated: boolean;

  /**
   * Creates the error; `message` should mention `offset`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { WebmParseError } from "./webm_reader.ts";
   * const e = new WebmParseError("expected a Cluster at byte 9", 9);
   * assert.ok(e.name === "WebmParseError" && !e.truncated);
   * ```
   */
  constructor(message: string, offset: number, truncated = false) {
    super(message);
    this.offset = offset;
    this.truncated = truncated;
  }
}

/**
 * Options of {@link readWebm}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReadWebmOptions } from "./webm_reader.ts";
 * const options: ReadWebmOptions = { allowTruncated: true };
 * assert.ok(options.allowTruncated);
 * ```
 */
export interface ReadWebmOptions {
  /**
   * When the data ends in the middle of an element, return what was parsed so far
   * (with `truncated: true`) instead of throwing. Blocks are only returned whole.
   */
  allowTruncated?: boolean;
}

/**
 * A track read by {@link readWebm}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WebmTrackInfo } from "./webm_reader.ts";
 * const t: WebmTrackInfo = { number: 1, kind: "video", codecId: "V_VP8", width: 64 };
 * assert.ok(t.kind === "video");
 * ```
 */
export interface WebmTrackInfo {
  /** TrackNumber. */
  number: number;
  /** From TrackType: 1 is video, 2 audio, anything else "other". */
  kind: "video" | "audio" | "other";
  /** CodecID. */
  codecId: string;
  /** TrackUID. */
  uid?: number;
  /** Track Name. */
  name?: string;
  /** CodecPrivate (a view into the input). */
  codecPrivate?: Uint8Array;
  /** CodecDelay in nanoseconds. */
  codecDelayNs?: number;
  /** SeekPreRoll in nanoseconds. */
  seekPreRollNs?: number;
  /** DefaultDuration in nanoseconds. */
  defaultDurationNs?: number;
  /** PixelWidth. */
  width?: number;
  /** PixelHeight. */
  height?: number;
  /** SamplingFrequency in Hz. */
  sampleRate?: number;
  /** Channels. */
  channels?: number;
  /** BitDepth. */
  bitDepth?: number;
}

/**
 * A Cluster read by {@link readWebm}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WebmCluster } from "./webm_reader.ts";
 * const c: WebmCluster = { offset: 100, timecode: 0, size: "unknown" };
 * assert.ok(c.size === "unknown");
 * ```
 */
export interface WebmCluster {
  /** Byte offset of the Cluster's ID. */
  offset: number;
  /** Cluster Timecode, in TimecodeScale units (milliseconds for WebM's default). */
  timecode: number;
  /** Size of the Cluster's data, or "unknown" for live Clusters. */
  size: number | "unknown";
}

/**
 * A SimpleBlock or BlockGroup/Block read by {@link readWebm}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WebmBlock } from "./webm_reader.ts";
 * const b: WebmBlock = {
 *   track: 1, timestampMs: 0, keyframe: true, offset: 0, size: 6, data: new Uint8Array(1), cluster: 0,
 * };
 * assert.ok(b.keyframe);
 * ```
 */
export interface WebmBlock {
  /** Track number. */
  track: number;
  /** Absolute timestamp in ms: (Cluster timecode + relative timecode) × TimecodeScale / 1e6. */
  timestampMs: number;
  /** SimpleBlock key frame flag; for a BlockGroup, true when it has no ReferenceBlock. */
  keyframe: boolean;
  /** Byte offset of the SimpleBlock or BlockGroup element's ID. */
  offset: number;
  /** Total byte size of that element (ID, size and data). */
  size: number;
  /** The frame (a view into the input, not a copy). */
  data: Uint8Array;
  /** Index of the block's Cluster in {@link WebmFile.clusters}. */
  cluster: number;
}

/**
 * The result of {@link readWebm}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WebmFile } from "./webm_reader.ts";
 * const f: WebmFile = {
 *   docType: "webm", info: { timecodeScale: 1e6 }, tracks: [], clusters: [], blocks: [],
 *   hasCues: false, segmentSize: "unknown", truncated: false,
 * };
 * assert.ok(f.docType === "webm");
 * ```
 */
export interface WebmFile {
  /** DocType from the EBML header ("webm", "matroska"); "" if the header was cut off. */
  docType: string;
  /** Segment Info. */
  info: {
    /** Nanoseconds per timecode unit (default 1000000). */
    timecodeScale: number;
    /** MuxingApp. */
    muxingApp?: string;
    /** WritingApp. */
    writingApp?: string;
    /** Duration as stored, in TimecodeScale units (may be fractional). */
    duration?: number;
    /** Duration in milliseconds. */
    durationMs?: number;
  };
  /** Tracks, in file order. */
  tracks: WebmTrackInfo[];
  /** Clusters, in file order. */
  clusters: WebmCluster[];
  /** Blocks of all tracks, in file order. */
  blocks: WebmBlock[];
  /** Whether the Segment has a Cues element. */
  hasCues: boolean;
  /** Size of the Segment's data, or "unknown" for live files. */
  segmentSize: number | "unknown";
  /** True when `allowTruncated` was set and the data ended mid-element. */
  truncated: boolean;
}

const NAMES = new Map<number, string>(Object.entries(ID).map(([k, v]) => [v, k]));
const name = (id: number) => NAMES.get(id) ?? `element 0x${id.toString(16)}`;
const hex = (b: number | undefined) => `0x${(b ?? 0).toString(16).padStart(2, "0")}`;

/** IDs that end an unknown-size Cluster (top-level elements). */
const TOP_LEVEL = new Set<number>([
  ID.EBML,
  ID.Segment,
  ID.SeekHead,
  ID.Info,
  ID.Tracks,
  ID.Cluster,
  ID.Cues,
  ID.Chapters,
  ID.Attachments,
  ID.Tags,
]);

interface Header {
  id: number;
  /** Offset of the ID. */
  offset: number;
  /** Offset of the data. */
  data: number;
  /** Data size; -1 when unknown. */
  size: number;
  /** End of the data (offset + size), or `limit` for unknown sizes. */
  end: number;
}

class Reader {
  readonly b: Uint8Array;
  readonly file: WebmFile = {
    docType: "",
    info: { timecodeScale: 1_000_000 },
    tracks: [],
    clusters: [],
    blocks: [],
    hasCues: false,
    segmentSize: "unknown",
    truncated: false,
  };

  constructor(bytes: Uint8Array) {
    this.b = bytes;
  }

  truncated(what: string, offset: number): never {
    throw new WebmParseError(
      `expected ${what} at byte ${offset} but the data ends at byte ${this.b.length}`,
      offset,
      true,
    );
  }

  /**
   * Reads the element header at `at`. A known-size element must end by `limit`, the end
   * of its known-size parent (Infinity when there is none).
   */
  header(at: number, limit: number): Header {
    const b = this.b;
    if (at >= b.length) this.truncated("an element ID", at);
    const idLength = vintWidth(b[at]!);
    if (idLength === 0 || idLength > 4) {
      throw new WebmParseError(`expected an element ID at byte ${at}, found ${hex(b[at])}`, at);
    }
    if (at + idLength > b.length) this.truncated(`a ${idLength}-byte element ID`, at);
    const id = readUint(b, at, idLength);
    const s = at + idLength;
    if (s >= b.length) this.truncated(`the size of ${name(id)}`, s);
    const sizeLength = vintWidth(b[s]!);
    if (sizeLength === 0) {
      throw new WebmParseError(`expected the size of ${name(id)} at byte ${s}, found 0x00`, s);
    }
    if (s + sizeLength > b.length) this.truncated(`a ${sizeLength}-byte size of ${name(id)}`, s);
    let size = b[s]! & (0xff >> sizeLength);
    let unknown = size === 0xff >> sizeLength;
    for (let i = 1; i < sizeLength; i++) {
      const x = b[s + i]!;
      if (x !== 0xff) unknown = false;
      size = size * 256 + x;
    }
    const data = s + sizeLength;
    if (unknown) return { id, offset: at, data, size: -1, end: limit };
    const end = data + size;
    if (end > limit) {
      throw new WebmParseError(
        `expected ${
          name(id)
        } at byte ${at} (${size} bytes of data) to end by its parent's end at byte ${limit}`,
        at,
      );
    }
    return { id, offset: at, data, size, end };
  }

  /** Requires the whole element to be present and of known size. */
  whole(h: Header): void {
    if (h.size < 0) {
      throw new WebmParseError(
        `expected a known size for ${
          name(h.id)
        } at byte ${h.offset} (only Segment and Cluster may have unknown size)`,
        h.offset,
      );
    }
    if (h.end > this.b.length) this.truncated(`${h.size} bytes of ${name(h.id)} data`, h.data);
  }

  /** Calls `fn` for each child of the whole master element `h`. */
  children(h: Header, fn: (c: Header) => void): void {
    this.whole(h);
    for (let at = h.data; at < h.end;) {
      const c = this.header(at, h.end);
      this.whole(c);
      fn(c);
      at = c.end;
    }
  }

  uint(h: Header): number {
    if (h.size > 8) {
      throw new WebmParseError(
        `expected an unsigned integer of at most 8 bytes at byte ${h.data}`,
        h.data,
      );
    }
    return readUint(this.b, h.data, h.size);
  }

  float(h: Header): number {
    if (h.size !== 0 && h.size !== 4 && h.size !== 8) {
      throw new WebmParseError(`expected a float of 0, 4 or 8 bytes at byte ${h.data}`, h.data);
    }
    return readFloat(this.b, h.data, h.size);
  }

  string(h: Header): string {
    let end = h.end;
    while (end > h.data && this.b[end - 1] === 0) end--;
    return utf8Decode(this.b.subarray(h.data, end));
  }

  read(): void {
    const b = this.b;
    const ebml = this.header(0, Infinity);
    if (ebml.id !== ID.EBML) {
      throw new WebmParseError(`expected the EBML header (1a 45 df a3) at byte 0`, 0);
    }
    let docType = "matroska";
    this.children(ebml, (c) => {
      if (c.id === ID.DocType) docType = this.string(c);
    });
    this.file.docType = docType;
    for (let at = ebml.end; at < b.length;) {
      const h = this.header(at, Infinity);
      if (h.id === ID.Segment) return this.segment(h);
      if (h.id !== ID.Void) {
        throw new WebmParseError(`expected a Segment at byte ${at}, found ${name(h.id)}`, at);
      }
      this.whole(h);
      at = h.end;
    }
    this.truncated("a Segment", b.length);
  }

  segment(seg: Header): void {
    const b = this.b;
    this.file.segmentSize = seg.size < 0 ? "unknown" : seg.size;
    const limit = Math.min(seg.end, b.length);
    let at = seg.data;
    while (at < limit) {
      const h = this.header(at, seg.end);
      if (seg.size < 0 && (h.id === ID.EBML || h.id === ID.Segment)) return;
      if (h.id === ID.Cluster) {
        at = this.cluster(h, seg.end);
        continue;
      }
      this.whole(h);
      if (h.id === ID.Info) this.info(h);
      else if (h.id === ID.Tracks) this.tracks(h);
      else if (h.id === ID.Cues) this.file.hasCues = true;
      at = h.end;
    }
    if (seg.size >= 0 && seg.end > b.length) {
      this.truncated(`${seg.size} bytes of Segment data`, seg.data);
    }
  }

  info(h: Header): void {
    const info = this.file.info;
    let duration: number | undefined;
    this.children(h, (c) => {
      if (c.id === ID.TimecodeScale) info.timecodeScale = this.uint(c);
      else if (c.id === ID.Duration) duration = this.float(c);
      else if (c.id === ID.MuxingApp) info.muxingApp = this.string(c);
      else if (c.id === ID.WritingApp) info.writingApp = this.string(c);
    });
    if (duration !== undefined) {
      info.duration = duration;
      info.durationMs = duration * info.timecodeScale / 1e6;
    }
  }

  tracks(h: Header): void {
    this.children(h, (e) => {
      if (e.id !== ID.TrackEntry) return;
      const t: WebmTrackInfo = { number: 0, kind: "other", codecId: "" };
      this.children(e, (c) => {
        switch (c.id) {
          case ID.TrackNumber:
            t.number = this.uint(c);
            break;
          case ID.TrackUID:
            t.uid = this.uint(c);
            break;
          case ID.TrackType: {
            const type = this.uint(c);
            t.kind = type === 1 ? "video" : type === 2 ? "audio" : "other";
            break;
          }
          case ID.CodecID:
            t.codecId = this.string(c);
            break;
          case ID.Name:
            t.name = this.string(c);
            break;
          case ID.CodecPrivate:
            t.codecPrivate = this.b.subarray(c.data, c.end);
            break;
          case ID.CodecDelay:
            t.codecDelayNs = this.uint(c);
            break;
          case ID.SeekPreRoll:
            t.seekPreRollNs = this.uint(c);
            break;
          case ID.DefaultDuration:
            t.defaultDurationNs = this.uint(c);
            break;
          case ID.Video:
            this.children(c, (v) => {
              if (v.id === ID.PixelWidth) t.width = this.uint(v);
              else if (v.id === ID.PixelHeight) t.height = this.uint(v);
            });
            break;
          case ID.Audio:
            this.children(c, (a) => {
              if (a.id === ID.SamplingFrequency) t.sampleRate = this.float(a);
              else if (a.id === ID.Channels) t.channels = this.uint(a);
              else if (a.id === ID.BitDepth) t.bitDepth = this.uint(a);
            });
            break;
        }
      });
      this.file.tracks.push(t);
    });
  }

  /** Reads a Cluster; returns the offset after it. `limit` is the Segment's end. */
  cluster(h: Header, limit: number): number {
    const b = this.b;
    const unknown = h.size < 0;
    const end = unknown ? limit : h.end;
    const index = this.file.clusters.length;
    const cluster: WebmCluster = {
      offset: h.offset,
      timecode: 0,
      size: unknown ? "unknown" : h.size,
    };
    this.file.clusters.push(cluster);
    let timecode = -1;
    let at = h.data;
    while (at < end && at < b.length) {
      const c = this.header(at, end);
      if (unknown && TOP_LEVEL.has(c.id)) return at;
      this.whole(c);
      if (c.id === ID.Timecode) {
        cluster.timecode = timecode = this.uint(c);
      } else if (c.id === ID.SimpleBlock || c.id === ID.BlockGroup) {
        if (timecode < 0) {
          throw new WebmParseError(
            `expected a Timecode before the first block of the Cluster at byte ${h.offset}, found ${
              name(c.id)
            } at byte ${at}`,
            at,
          );
        }
        if (c.id === ID.SimpleBlock) {
          this.block(c, c, index, timecode, undefined);
        } else {
          const group = { block: undefined as Header | undefined, referenced: false };
          this.children(c, (g) => {
            if (g.id === ID.Block) group.block = g;
            else if (g.id === ID.ReferenceBlock) group.referenced = true;
          });
          if (group.block === undefined) {
            throw new WebmParseError(`expected a Block in the BlockGroup at byte ${at}`, at);
          }
          this.block(group.block, c, index, timecode, !group.referenced);
        }
      }
      at = c.end;
    }
    if (unknown) return at;
    if (end > b.length) this.truncated(`${h.size} bytes of Cluster data`, h.data);
    return end;
  }

  block(h: Header, element: Header, cluster: number, timecode: number, keyframe?: boolean): void {
    const b = this.b;
    const at = h.data;
    const trackLength = vintWidth(b[at] ?? 0);
    if (trackLength === 0 || trackLength > 4 || at + trackLength + 3 > h.end) {
      throw new WebmParseError(
        `expected a track number, a 16-bit timecode and flags in the ${
          name(h.id)
        } at byte ${h.offset}`,
        h.offset,
      );
    }
    const track = readUint(b, at, trackLength) - 2 ** (7 * trackLength);
    const relative = readInt(b, at + trackLength, 2);
    const flags = b[at + trackLength + 2]!;
    const lacing = (flags >> 1) & 3;
    if (lacing !== 0) {
      const kind = lacing === 1 ? "Xiph" : lacing === 2 ? "fixed-size" : "EBML";
      throw new WebmParseError(
        `expected an unlaced ${
          name(h.id)
        } at byte ${h.offset}, found ${kind} lacing (not supported)`,
        h.offset,
      );
    }
    this.file.blocks.push({
      track,
      timestampMs: (timecode + relative) * this.file.info.timecodeScale / 1e6,
      keyframe: keyframe ?? (flags & 0x80) !== 0,
      offset: element.offset,
      size: element.end - element.offset,
      data: b.subarray(at + trackLength + 3, h.end),
      cluster,
    });
  }
}

/**
 * Parses a WebM or Matroska file (only its first Segment). Throws a
 * {@link WebmParseError} on malformed input, laced blocks, or data that ends mid-element
 * (unless `allowTruncated`).
 *
 * An unknown-size Cluster ends where a top-level element (another Cluster, Cues, Tags,
 * ...) begins, or at the end of its Segment or of the data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WebmWriter } from "./webm_writer.ts";
 * import { readWebm } from "./webm_reader.ts";
 * const w = new WebmWriter({ tracks: [{ number: 1, kind: "video", codecId: "V_VP9" }] });
 * const parts = [w.header(), ...w.block(1, 0, true, Uint8Array.of(1, 2, 3))];
 * const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
 * parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
 * const file = readWebm(bytes);
 * assert.ok(file.docType === "webm" && file.segmentSize === "unknown");
 * assert.ok(file.blocks[0]?.data.join() === "1,2,3");
 * ```
 */
export function readWebm(bytes: Uint8Array, options: ReadWebmOptions = {}): WebmFile {
  const reader = new Reader(bytes);
  try {
    reader.read();
  } catch (e) {
    if (!(options.allowTruncated && e instanceof WebmParseError && e.truncated)) throw e;
    reader.file.truncated = true;
  }
  return reader.file;
}
