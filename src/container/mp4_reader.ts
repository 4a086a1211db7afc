/**
 * A small fragmented MP4 (ISO BMFF) reader for tests and assertions: the `ftyp`, the
 * tracks of the `moov` (handler, sample entry, dimensions or audio format, timescale,
 * codec configuration box) and every `moof` fragment's samples with decode times,
 * durations, sizes, sync flags and payloads. Sample tables of non-fragmented files
 * (`stts`, `stsz`, ...) are not read.
 *
 * @module
 */

/**
 * Thrown by {@link readMp4} on malformed or truncated input. The message names the byte
 * offset and what was wrong there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Mp4ParseError, readMp4 } from "./mp4_reader.ts";
 * try {
 *   readMp4(Uint8Array.of(0, 0, 0, 16, 0x66, 0x74, 0x79, 0x70)); // 16-byte ftyp, 8 bytes given
 *   assert.fail("should throw");
 * } catch (e) {
 *   assert.ok(e instanceof Mp4ParseError && e.offset === 0 && e.truncated);
 * }
 * ```
 */
export class Mp4ParseError extends Error {
  /** Always "Mp4ParseError". */
  override name = "Mp4ParseError";
  /** Byte offset in the input where parsing failed. */
  readonly offset: number;
  /**
   * True when a top-level box or a sample's data extends past the end of the input (the
   * input was cut off), false when the structure is malformed.
   */
  readonly truncated: boolean;

  /**
   * Creates the error; `message` should mention `offset`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Mp4ParseError } from "./mp4_reader.ts";
   * const e = new Mp4ParseError("bad box at byte 9", 9);
   * assert.ok(e.name === "Mp4ParseError" && e.offset === 9 && !e.truncated);
   * ```
   */
  constructor(message: string, offset: number, truncated = false) {
    super(message);
    this.offset = offset;
    this.truncated = truncated;
  }
}

/**
 * A box header located by {@link readMp4}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Mp4Box } from "./mp4_reader.ts";
 * const b: Mp4Box = { type: "moov", offset: 24, size: 700 };
 * assert.ok(b.type === "moov");
 * ```
 */
export interface Mp4Box {
  /** The four-character type. */
  type: string;
  /** Byte offset of the box's size field. */
  offset: number;
  /** Total size including the header. */
  size: number;
}

/**
 * A track of the `moov`, read by {@link readMp4}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Mp4TrackInfo } from "./mp4_reader.ts";
 * const t: Mp4TrackInfo = { id: 1, handler: "vide", codec: "avc1", timescale: 90000, width: 320, height: 240 };
 * assert.ok(t.handler === "vide");
 * ```
 */
export interface Mp4TrackInfo {
  /** track_ID from `tkhd`. */
  id: number;
  /** handler_type from `hdlr`: "vide", "soun", ... */
  handler: string;
  /** Type of the first sample entry in `stsd`: "avc1", "mp4a", "Opus", "vp09", ... */
  codec: string;
  /** Media timescale from `mdhd`. */
  timescale: number;
  /** Width from the visual sample entry. */
  width?: number;
  /** Height from the visual sample entry. */
  height?: number;
  /** Integer part of the audio sample entry's 16.16 samplerate. */
  sampleRate?: number;
  /** channelcount of the audio sample entry. */
  channels?: number;
  /**
   * The sample entry's codec configuration box (`avcC`, `hvcC`, `av1C`, `vpcC`, `esds`,
   * `dOps` or `dfLa`): its type and body after the 8-byte header (a view into the input;
   * for the full boxes `vpcC` and `esds` it starts with version and flags).
   */
  config?: { type: string; data: Uint8Array };
}

/**
 * A sample of a track fragment, read by {@link readMp4}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Mp4Sample } from "./mp4_reader.ts";
 * const s: Mp4Sample = {
 *   dts: 0, pts: 0, duration: 3000, size: 1, keyframe: true, flags: 0x02000000, offset: 900,
 *   data: Uint8Array.of(7),
 * };
 * assert.ok(s.keyframe);
 * ```
 */
export interface Mp4Sample {
  /** Decode time in the track's timescale. */
  dts: number;
  /** Presentation time: dts plus the composition time offset. */
  pts: number;
  /** Duration in the track's timescale. */
  duration: number;
  /** Size in bytes. */
  size: number;
  /** True unless sample_is_non_sync_sample is set in the sample's flags. */
  keyframe: boolean;
  /** The sample_flags that apply (from `trun`, `tfhd` or `trex`). */
  flags: number;
  /** Byte offset of the sample's data in the input. */
  offset: number;
  /** The sample's data (a view into the input, not a copy). */
  data: Uint8Array;
}

/**
 * One `traf` of a fragment, read by {@link readMp4}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Mp4TrackFragment } from "./mp4_reader.ts";
 * const t: Mp4TrackFragment = { trackId: 2, baseMediaDecodeTime: 48000, samples: [] };
 * assert.ok(t.trackId === 2);
 * ```
 */
export interface Mp4TrackFragment {
  /** track_ID from `tfhd`. */
  trackId: number;
  /**
   * baseMediaDecodeTime from `tfdt`; without a `tfdt`, the end of the track's previous
   * fragment (0 for the first).
   */
  baseMediaDecodeTime: number;
  /** The samples of all the `trun` boxes, in order. */
  samples: Mp4Sample[];
}

/**
 * A `moof` and its samples, read by {@link readMp4}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Mp4Fragment } from "./mp4_reader.ts";
 * const f: Mp4Fragment = { sequence: 1, offset: 800, size: 120, tracks: [] };
 * assert.ok(f.sequence === 1);
 * ```
 */
export interface Mp4Fragment {
  /** sequence_number from `mfhd`. */
  sequence: number;
  /** Byte offset of the `moof`. */
  offset: number;
  /** Size of the `moof` box. */
  size: number;
  /** One entry per `traf`, in file order. */
  tracks: Mp4TrackFragment[];
}

/**
 * The result of {@link readMp4}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Mp4File } from "./mp4_reader.ts";
 * const f: Mp4File = {
 *   majorBrand: "iso5", minorVersion: 512, compatibleBrands: ["iso5"], timescale: 1000,
 *   tracks: [], fragments: [], boxes: [],
 * };
 * assert.ok(f.majorBrand === "iso5");
 * ```
 */
export interface Mp4File {
  /** major_brand of `ftyp` ("" without one). */
  majorBrand: string;
  /** minor_version of `ftyp`. */
  minorVersion: number;
  /** compatible_brands of `ftyp`. */
  compatibleBrands: string[];
  /** Movie timescale from `mvhd` (0 without one). */
  timescale: number;
  /** Tracks of the `moov`, in file order. */
  tracks: Mp4TrackInfo[];
  /** Fragments, in file order. */
  fragments: Mp4Fragment[];
  /** The top-level boxes, in file order. */
  boxes: Mp4Box[];
}

const CONFIG_BOXES = new Set(["avcC", "hvcC", "av1C", "vpcC", "esds", "dOps", "dfLa"]);

interface Trex {
  duration: number;
  size: number;
  flags: number;
}

class Reader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /**
   * Throws unless `length` bytes from `offset` fit before `end`. `truncated` marks
   * failures against the end of the input (top-level boxes, sample data); an overrun of a
   * complete parent box is malformed instead.
   */
  need(offset: number, length: number, end: number, what: string, truncated = false): void {
    if (offset + length > end) {
      throw new Mp4ParseError(
        `${what} at byte ${offset} needs ${length} bytes, ${Math.max(0, end - offset)} left`,
        offset,
        truncated,
      );
    }
  }
  u8(at: number): number {
    return this.view.getUint8(at);
  }
  u16(at: number): number {
    return this.view.getUint16(at);
  }
  u32(at: number): number {
    return this.view.getUint32(at);
  }
  i32(at: number): number {
    return this.view.getInt32(at);
  }
  u64(at: number): number {
    return this.view.getUint32(at) * 0x100000000 + this.view.getUint32(at + 4);
  }
  fourcc(at: number): string {
    return String.fromCharCode(...this.bytes.subarray(at, at + 4));
  }
}

interface Box {
  type: string;
  start: number;
  /** First byte after the header. */
  body: number;
  end: number;
}

function* boxes(r: Reader, start: number, end: number, top = false): Generator<Box> {
  let at = start;
  while (at < end) {
    r.need(at, 8, end, "box header", top);
    let size = r.u32(at);
    const type = r.fourcc(at + 4);
    let body = at + 8;
    if (size === 1) {
      r.need(at, 16, end, `"${type}" box largesize`, top);
      size = r.u64(at + 8);
      body = at + 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < body - at) {
      throw new Mp4ParseError(`"${type}" box at byte ${at} has size ${size}`, at);
    }
    r.need(at, size, end, `"${type}" box`, top);
    yield { type, start: at, body, end: at + size };
    at += size;
  }
}

function child(r: Reader, parent: Box, type: string): Box | undefined {
  for (const b of boxes(r, parent.body, parent.end)) if (b.type === type) return b;
  return undefined;
}

function need(r: Reader, box: Box, length: number): void {
  r.need(box.body, length, box.end, `"${box.type}" box body`);
}

function readTrak(r: Reader, trak: Box): Mp4TrackInfo {
  const tkhd = child(r, trak, "tkhd");
  const mdia = child(r, trak, "mdia");
  if (!tkhd || !mdia) {
    throw new Mp4ParseError(`trak at byte ${trak.start} lacks tkhd or mdia`, trak.start);
  }
  need(r, tkhd, 24);
  const id = r.u32(tkhd.body + (r.u8(tkhd.body) === 1 ? 20 : 12));
  const mdhd = child(r, mdia, "mdhd");
  const hdlr = child(r, mdia, "hdlr");
  if (!mdhd || !hdlr) {
    throw new Mp4ParseError(`mdia at byte ${mdia.start} lacks mdhd or hdlr`, mdia.start);
  }
  need(r, mdhd, 24);
  const timescale = r.u32(mdhd.body + (r.u8(mdhd.body) === 1 ? 20 : 12));
  need(r, hdlr, 12);
  const track: Mp4TrackInfo = { id, handler: r.fourcc(hdlr.body + 8), codec: "", timescale };
  const minf = child(r, mdia, "minf");
  const stbl = minf && child(r, minf, "stbl");
  const stsd = stbl && child(r, stbl, "stsd");
  if (!stsd) return track;
  need(r, stsd, 8);
  const entry = boxes(r, stsd.body + 8, stsd.end).next().value;
  if (!entry) return track;
  track.codec = entry.type;
  let configStart: number;
  if (track.handler === "vide") {
    r.need(entry.body, 78, entry.end, "visual sample entry");
    track.width = r.u16(entry.body + 24);
    track.height = r.u16(entry.body + 26);
    configStart = entry.body + 78;
  } else if (track.handler === "soun") {
    r.need(entry.body, 28, entry.end, "audio sample entry");
    const version = r.u16(entry.body + 8); // QuickTime sound description version
    track.channels = r.u16(entry.body + 16);
    track.sampleRate = r.u16(entry.body + 24);
    configStart = entry.body + 28 + (version === 1 ? 16 : version === 2 ? 36 : 0);
  } else {
    return track;
  }
  for (const b of boxes(r, Math.min(configStart, entry.end), entry.end)) {
    if (CONFIG_BOXES.has(b.type)) {
      track.config = { type: b.type, data: r.bytes.subarray(b.body, b.end) };
      break;
    }
  }
  return track;
}

function readMoof(
  r: Reader,
  moof: Box,
  trex: Map<number, Trex>,
  nextDts: Map<number, number>,
): Mp4Fragment {
  const mfhd = child(r, moof, "mfhd");
  if (!mfhd) throw new Mp4ParseError(`moof at byte ${moof.start} lacks mfhd`, moof.start);
  need(r, mfhd, 8);
  const fragment: Mp4Fragment = {
    sequence: r.u32(mfhd.body + 4),
    offset: moof.start,
    size: moof.end - moof.start,
    tracks: [],
  };
  let previousDataEnd = moof.start;
  for (const traf of boxes(r, moof.body, moof.end)) {
    if (traf.type !== "traf") continue;
    const tfhd = child(r, traf, "tfhd");
    if (!tfhd) throw new Mp4ParseError(`traf at byte ${traf.start} lacks tfhd`, traf.start);
    need(r, tfhd, 8);
    const tfFlags = r.u32(tfhd.body) & 0xffffff;
    const trackId = r.u32(tfhd.body + 4);
    const defaults: Trex = { ...(trex.get(trackId) ?? { duration: 0, size: 0, flags: 0 }) };
    let at = tfhd.body + 8;
    const field = (bytes: number) => {
      r.need(at, bytes, tfhd.end, "tfhd field");
      const v = bytes === 8 ? r.u64(at) : r.u32(at);
      at += bytes;
      return v;
    };
    let base = tfFlags & 0x020000 ? moof.start : previousDataEnd;
    if (tfFlags & 0x01) base = field(8);
    if (tfFlags & 0x02) field(4); // sample_description_index
    if (tfFlags & 0x08) defaults.duration = field(4);
    if (tfFlags & 0x10) defaults.size = field(4);
    if (tfFlags & 0x20) defaults.flags = field(4);
    const tfdt = child(r, traf, "tfdt");
    let dts = nextDts.get(trackId) ?? 0;
    if (tfdt) {
      const v1 = r.u8(tfdt.body) === 1;
      need(r, tfdt, v1 ? 12 : 8);
      dts = v1 ? r.u64(tfdt.body + 4) : r.u32(tfdt.body + 4);
    }
    const tf: Mp4TrackFragment = { trackId, baseMediaDecodeTime: dts, samples: [] };
    let dataAt = base;
    for (const trun of boxes(r, traf.body, traf.end)) {
      if (trun.type !== "trun") continue;
      need(r, trun, 8);
      const version = r.u8(trun.body);
      const flags = r.u32(trun.body) & 0xffffff;
      const count = r.u32(trun.body + 4);
      at = trun.body + 8;
      if (flags & 0x01) {
        r.need(at, 4, trun.end, "trun data_offset");
        dataAt = base + r.i32(at);
        at += 4;
      }
      let firstFlags: number | undefined;
      if (flags & 0x04) {
        r.need(at, 4, trun.end, "trun first_sample_flags");
        firstFlags = r.u32(at);
        at += 4;
      }
      const perSample = ((flags >> 8) & 1) + ((flags >> 9) & 1) + ((flags >> 10) & 1) +
        ((flags >> 11) & 1);
      r.need(at, count * perSample * 4, trun.end, "trun samples");
      const next = (signed: boolean) => {
        at += 4;
        return signed ? r.i32(at - 4) : r.u32(at - 4);
      };
      for (let i = 0; i < count; i++) {
        let duration = defaults.duration, size = defaults.size;
        let sampleFlags = i === 0 && firstFlags !== undefined ? firstFlags : defaults.flags;
        let cto = 0;
        if (flags & 0x100) duration = next(false);
        if (flags & 0x200) size = next(false);
        if (flags & 0x400) sampleFlags = next(false);
        if (flags & 0x800) cto = next(version !== 0);
        r.need(dataAt, size, r.bytes.length, `sample ${i} of track ${trackId}`, true);
        tf.samples.push({
          dts,
          pts: dts + cto,
          duration,
          size,
          keyframe: (sampleFlags & 0x00010000) === 0,
          flags: sampleFlags,
          offset: dataAt,
          data: r.bytes.subarray(dataAt, dataAt + size),
        });
        dts += duration;
        dataAt += size;
      }
    }
    previousDataEnd = dataAt;
    nextDts.set(trackId, dts);
    fragment.tracks.push(tf);
  }
  return fragment;
}

/**
 * Reads a fragmented MP4 file: `ftyp`, the `moov` tracks and `trex` defaults, and every
 * `moof` with the samples its `trun` boxes describe (resolving data offsets for
 * default-base-is-moof, explicit base data offsets and the implicit rules). Throws an
 * {@link Mp4ParseError} on a box that overruns its parent or the input, or a sample
 * outside the input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FragmentedMp4Writer } from "./mp4_writer.ts";
 * import { readMp4 } from "./mp4_reader.ts";
 * const w = new FragmentedMp4Writer({ tracks: [{ id: 1, kind: "audio", codec: "mp4a" }] });
 * const parts = [w.header(), ...w.sample(1, 0, 20, true, Uint8Array.of(1, 2)), ...w.flush()];
 * const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
 * parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
 * const file = readMp4(bytes);
 * assert.equal(file.tracks[0]!.codec, "mp4a");
 * assert.equal(file.tracks[0]!.sampleRate, 48000);
 * const [sample] = file.fragments[0]!.tracks[0]!.samples;
 * assert.deepEqual([sample!.dts, sample!.duration, [...sample!.data]], [0, 960, [1, 2]]);
 * ```
 */
export function readMp4(bytes: Uint8Array): Mp4File {
  const r = new Reader(bytes);
  const file: Mp4File = {
    majorBrand: "",
    minorVersion: 0,
    compatibleBrands: [],
    timescale: 0,
    tracks: [],
    fragments: [],
    boxes: [],
  };
  const trex = new Map<number, Trex>();
  const nextDts = new Map<number, number>();
  for (const box of boxes(r, 0, bytes.length, true)) {
    file.boxes.push({ type: box.type, offset: box.start, size: box.end - box.start });
    if (box.type === "ftyp") {
      need(r, box, 8);
      file.majorBrand = r.fourcc(box.body);
      file.minorVersion = r.u32(box.body + 4);
      for (let at = box.body + 8; at + 4 <= box.end; at += 4) {
        file.compatibleBrands.push(r.fourcc(at));
      }
    } else if (box.type === "moov") {
      for (const b of boxes(r, box.body, box.end)) {
        if (b.type === "mvhd") {
          need(r, b, 24);
          file.timescale = r.u32(b.body + (r.u8(b.body) === 1 ? 20 : 12));
        } else if (b.type === "trak") {
          file.tracks.push(readTrak(r, b));
        } else if (b.type === "mvex") {
          for (const t of boxes(r, b.body, b.end)) {
            if (t.type !== "trex") continue;
            need(r, t, 24);
            trex.set(r.u32(t.body + 4), {
              duration: r.u32(t.body + 12),
              size: r.u32(t.body + 16),
              flags: r.u32(t.body + 20),
            });
          }
        }
      }
    } else if (box.type === "moof") {
      file.fragments.push(readMoof(r, box, trex, nextDts));
    }
  }
  return file;
}
