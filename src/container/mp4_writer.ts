/**
 * A streaming fragmented MP4 (ISO BMFF) writer shaped like the files Safari's and
 * Chrome's MediaRecorder produce for `video/mp4` and `audio/mp4`: an `ftyp` and a `moov`
 * with empty sample tables and an `mvex`, then `moof`+`mdat` fragments. It writes H.264
 * (`avc1`, with a generated SPS/PPS), AAC-LC (`mp4a`), Opus (`Opus`) and VP9 (`vp09`)
 * sample entries. Nothing depends on the clock: the output is a pure function of the
 * input (creation and modification times are 0).
 *
 * @module
 */
import { utf8Decode, utf8Encode } from "./utf8.ts";

/**
 * A track of a {@link FragmentedMp4Writer}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Mp4Track } from "./mp4_writer.ts";
 * const video: Mp4Track = { id: 1, kind: "video", codec: "avc1", width: 320, height: 240 };
 * const audio: Mp4Track = { id: 2, kind: "audio", codec: "mp4a", sampleRate: 48000, channels: 2 };
 * assert.ok(video.kind === "video" && audio.codec === "mp4a");
 * ```
 */
export interface Mp4Track {
  /** track_ID: a distinct integer from 1 to 2^32 - 1. */
  id: number;
  /** "video" (handler `vide`) or "audio" (handler `soun`). */
  kind: "video" | "audio";
  /** Sample entry: `avc1` and `vp09` for video, `mp4a` (AAC-LC) and `opus` for audio. */
  codec: "avc1" | "mp4a" | "opus" | "vp09";
  /** Width in pixels; required for video. */
  width?: number;
  /** Height in pixels; required for video. */
  height?: number;
  /**
   * Frames per second, used only to pick the H.264 level of the generated SPS (and the
   * VP9 level). Default 30.
   */
  frameRate?: number;
  /** Audio sample rate in Hz; default 48000. Opus sample entries always say 48000. */
  sampleRate?: number;
  /** Audio channels; default 2. AAC: 1 to 6 or 8; Opus: 1 to 8. */
  channels?: number;
  /** Opus pre-skip in 48 kHz samples, written to `dOps`; default 0. */
  preSkip?: number;
  /** Media timescale (units per second); default 90000 for video, the sample rate for AAC, 48000 for Opus. */
  timescale?: number;
  /**
   * An RFC 6381 codec string to declare, such as Safari's `avc1.42000a` or Chrome's
   * `avc1.42E01E`: for `avc1` it sets profile_idc, the constraint flags and level_idc of
   * the SPS and `avcC`; for `vp09` (`vp09.PP.LL.DD`) profile, level and bit depth of
   * `vpcC`. For `mp4a` only `mp4a.40.2` is accepted, for `opus` only `opus`. By default
   * they are derived (see {@link mp4CodecString}).
   */
  codecString?: string;
  /**
   * The codec configuration from a real encoder, in WebCodecs' `description` format,
   * used instead of the generated one: the AVCDecoderConfigurationRecord (`avcC` body)
   * for `avc1`, the AudioSpecificConfig for `mp4a`, an OpusHead (RFC 7845, converted to
   * `dOps`) for `opus`, and the `vpcC` body after its version and flags for `vp09`.
   */
  description?: Uint8Array;
}

/**
 * Options of a {@link FragmentedMp4Writer}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Mp4WriterOptions } from "./mp4_writer.ts";
 * const options: Mp4WriterOptions = {
 *   tracks: [{ id: 1, kind: "audio", codec: "opus", channels: 1 }],
 *   fragmentDurationMs: 500,
 * };
 * assert.ok(options.tracks.length === 1);
 * ```
 */
export interface Mp4WriterOptions {
  /** The tracks, written (`trak`, `trex`, `traf` and `mdat` data) in this order. */
  tracks: Mp4Track[];
  /**
   * A sample at least this many milliseconds after the first sample of the current
   * fragment starts a new fragment if it is a video key frame (files with video) or
   * any sample (files without video). Default 1000; `Infinity` leaves it to
   * {@link FragmentedMp4Writer.flush}.
   */
  fragmentDurationMs?: number;
  /** Major brand of `ftyp`; default "iso5". */
  majorBrand?: string;
  /** Compatible brands of `ftyp`; default ["iso5", "iso6", "mp41"]. */
  compatibleBrands?: string[];
}

// ---------------------------------------------------------------------------------------
// Byte and bit writers

/** Append-only big-endian writer for the (small, one-off) header boxes. */
class Writer {
  #b: number[] = [];
  u8(v: number): this {
    this.#b.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    this.#b.push((v >>> 8) & 0xff, v & 0xff);
    return this;
  }
  u24(v: number): this {
    this.#b.push((v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    return this;
  }
  u32(v: number): this {
    this.#b.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    return this;
  }
  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.#b.push(0);
    return this;
  }
  bytes(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.#b.push(bytes[i]! & 0xff);
    return this;
  }
  fourcc(s: string): this {
    if (s.length !== 4) throw new RangeError(`a four-character code needs 4 characters: "${s}"`);
    for (let i = 0; i < 4; i++) this.#b.push(s.charCodeAt(i) & 0xff);
    return this;
  }
  box(type: string, body: (w: this) => void): this {
    const start = this.#b.length;
    this.u32(0).fourcc(type);
    body(this);
    const size = this.#b.length - start;
    this.#b[start] = (size >>> 24) & 0xff;
    this.#b[start + 1] = (size >>> 16) & 0xff;
    this.#b[start + 2] = (size >>> 8) & 0xff;
    this.#b[start + 3] = size & 0xff;
    return this;
  }
  full(type: string, version: number, flags: number, body: (w: this) => void): this {
    return this.box(type, (w) => {
      w.u8(version).u24(flags);
      body(w);
    });
  }
  matrix(): this {
    return this.u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0)
      .u32(0x40000000);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.#b);
  }
}

/** MSB-first bit writer for the SPS/PPS and the AudioSpecificConfig. */
class BitWriter {
  #bits: number[] = [];
  u(n: number, v: number): this {
    for (let i = n - 1; i >= 0; i--) this.#bits.push(Math.floor(v / 2 ** i) % 2);
    return this;
  }
  ue(v: number): this {
    const x = v + 1;
    const n = Math.floor(Math.log2(x));
    return this.u(n, 0).u(n + 1, x);
  }
  se(v: number): this {
    return this.ue(v > 0 ? 2 * v - 1 : -2 * v);
  }
  /** rbsp_trailing_bits: a 1, then zeros to the byte boundary. */
  trailing(): this {
    this.#bits.push(1);
    while (this.#bits.length % 8 !== 0) this.#bits.push(0);
    return this;
  }
  done(): Uint8Array {
    const out = new Uint8Array(Math.ceil(this.#bits.length / 8));
    this.#bits.forEach((b, i) => {
      if (b) out[i >> 3]! |= 0x80 >> (i & 7);
    });
    return out;
  }
}

/** Inserts emulation prevention bytes (00 00 0x → 00 00 03 0x for x <= 3). */
function escapeRbsp(rbsp: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------------------
// Codec configuration

/** [level_idc, MaxMBPS, MaxFS] from H.264 Table A-1. */
const AVC_LEVELS: [number, number, number][] = [
  [10, 1485, 99],
  [11, 3000, 396],
  [12, 6000, 396],
  [13, 11880, 396],
  [20, 11880, 396],
  [21, 19800, 792],
  [22, 20250, 1620],
  [30, 40500, 1620],
  [31, 108000, 3600],
  [32, 216000, 5120],
  [40, 245760, 8192],
  [42, 522240, 8704],
  [50, 589824, 22080],
  [51, 983040, 36864],
  [52, 2073600, 36864],
  [60, 4177920, 139264],
  [61, 8355840, 139264],
  [62, 16711680, 139264],
];

/** Profiles whose SPS carries chroma_format_idc and bit depths. */
const AVC_HIGH_PROFILES = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135];

interface AvcProfile {
  profile: number;
  constraints: number;
  level: number;
}

function dimensions(t: Mp4Track): { width: number; height: number } {
  const { width, height } = t;
  if (
    width === undefined || height === undefined || !Number.isInteger(width) ||
    !Number.isInteger(height) || width < 1 || height < 1 || width > 0xffff || height > 0xffff
  ) {
    throw new RangeError(
      `video track ${t.id} needs an integer width and height in 1..65535, got ${width}x${height}`,
    );
  }
  return { width, height };
}

function avcProfile(t: Mp4Track): AvcProfile {
  if (t.description !== undefined) {
    const d = t.description;
    if (d.length < 4 || d[0] !== 1) throw new RangeError(`track ${t.id}: not an avcC record`);
    return { profile: d[1]!, constraints: d[2]!, level: d[3]! };
  }
  if (t.codecString !== undefined) {
    const m = /^avc1\.([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(t.codecString);
    if (!m) throw new RangeError(`track ${t.id}: expected avc1.PPCCLL, got "${t.codecString}"`);
    return {
      profile: parseInt(m[1]!, 16),
      constraints: parseInt(m[2]!, 16),
      level: parseInt(m[3]!, 16),
    };
  }
  const { width, height } = dimensions(t);
  const fs = Math.ceil(width / 16) * Math.ceil(height / 16);
  const mbps = fs * (t.frameRate ?? 30);
  const level = AVC_LEVELS.find(([, maxMbps, maxFs]) => fs <= maxFs && mbps <= maxMbps)?.[0] ?? 62;
  // Constrained Baseline (constraint_set0 and constraint_set1), as browsers' encoders.
  return { profile: 0x42, constraints: 0xc0, level };
}

/** A sequence parameter set (with emulation prevention) for a `width`×`height` stream. */
function avcSps(p: AvcProfile, width: number, height: number): Uint8Array {
  const mbW = Math.ceil(width / 16), mbH = Math.ceil(height / 16);
  // Crop units are 2 pixels in 4:2:0 progressive video, so odd sizes come out one larger.
  const cropRight = Math.floor((mbW * 16 - width) / 2);
  const cropBottom = Math.floor((mbH * 16 - height) / 2);
  const b = new BitWriter().u(8, p.profile).u(8, p.constraints).u(8, p.level)
    .ue(0); // seq_parameter_set_id
  if (AVC_HIGH_PROFILES.includes(p.profile)) {
    // chroma_format_idc 4:2:0, 8-bit, no transform bypass, no scaling matrices
    b.ue(1).ue(0).ue(0).u(1, 0).u(1, 0);
  }
  b.ue(0) // log2_max_frame_num_minus4
    .ue(2) // pic_order_cnt_type: output order = decode order
    .ue(1) // max_num_ref_frames
    .u(1, 0) // gaps_in_frame_num_value_allowed_flag
    .ue(mbW - 1)
    .ue(mbH - 1)
    .u(1, 1) // frame_mbs_only_flag
    .u(1, 1) // direct_8x8_inference_flag
    .u(1, cropRight || cropBottom ? 1 : 0);
  if (cropRight || cropBottom) b.ue(0).ue(cropRight).ue(0).ue(cropBottom);
  b.u(1, 0).trailing(); // vui_parameters_present_flag
  return Uint8Array.of(0x67, ...escapeRbsp(b.done())); // nal_ref_idc 3, type 7
}

/** A picture parameter set: CAVLC, one slice group, default QP, deblocking control. */
function avcPps(): Uint8Array {
  const b = new BitWriter()
    .ue(0) // pic_parameter_set_id
    .ue(0) // seq_parameter_set_id
    .u(1, 0) // entropy_coding_mode_flag
    .u(1, 0) // bottom_field_pic_order_in_frame_present_flag
    .ue(0) // num_slice_groups_minus1
    .ue(0) // num_ref_idx_l0_default_active_minus1
    .ue(0) // num_ref_idx_l1_default_active_minus1
    .u(1, 0) // weighted_pred_flag
    .u(2, 0) // weighted_bipred_idc
    .se(0) // pic_init_qp_minus26
    .se(0) // pic_init_qs_minus26
    .se(0) // chroma_qp_index_offset
    .u(1, 1) // deblocking_filter_control_present_flag
    .u(1, 0) // constrained_intra_pred_flag
    .u(1, 0) // redundant_pic_cnt_present_flag
    .trailing();
  return Uint8Array.of(0x68, ...escapeRbsp(b.done())); // nal_ref_idc 3, type 8
}

function avcC(t: Mp4Track): Uint8Array {
  if (t.description !== undefined) return t.description;
  const p = avcProfile(t);
  const { width, height } = dimensions(t);
  const sps = avcSps(p, width, height), pps = avcPps();
  const w = new Writer().u8(1).u8(p.profile).u8(p.constraints).u8(p.level)
    .u8(0xff) // lengthSizeMinusOne = 3
    .u8(0xe1).u16(sps.length).bytes(sps)
    .u8(1).u16(pps.length).bytes(pps);
  if ([100, 110, 122, 144].includes(p.profile)) {
    w.u8(0xfc | 1).u8(0xf8).u8(0xf8).u8(0); // 4:2:0, 8-bit luma and chroma, no SPS ext
  }
  return w.done();
}

const AAC_RATES = [
  96000,
  88200,
  64000,
  48000,
  44100,
  32000,
  24000,
  22050,
  16000,
  12000,
  11025,
  8000,
  7350,
];

function audioFormat(t: Mp4Track): { sampleRate: number; channels: number } {
  const sampleRate = t.sampleRate ?? 48000, channels = t.channels ?? 2;
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffff) {
    throw new RangeError(`audio track ${t.id}: bad sample rate ${sampleRate}`);
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > 8) {
    throw new RangeError(`audio track ${t.id}: channels must be 1..8, got ${channels}`);
  }
  return { sampleRate, channels };
}

/** AudioSpecificConfig (ISO 14496-3 §1.6.2.1) of AAC-LC. */
function aacConfig(t: Mp4Track): Uint8Array {
  if (t.description !== undefined) return t.description;
  const { sampleRate, channels } = audioFormat(t);
  if (channels === 7) throw new RangeError(`track ${t.id}: AAC has no 7-channel configuration`);
  const b = new BitWriter().u(5, 2); // audioObjectType: AAC LC
  const index = AAC_RATES.indexOf(sampleRate);
  if (index >= 0) b.u(4, index);
  else b.u(4, 15).u(24, sampleRate);
  // channelConfiguration; GASpecificConfig: 1024-sample frames, no core coder, no extension
  return b.u(4, channels === 8 ? 7 : channels).u(3, 0).done();
}

/** An MPEG-4 descriptor: tag and a one-byte (or longer) size. */
function descriptor(w: Writer, tag: number, body: Uint8Array): void {
  w.u8(tag);
  const n = body.length;
  if (n >= 1 << 21) w.u8(0x80 | (n >>> 21));
  if (n >= 1 << 14) w.u8(0x80 | ((n >>> 14) & 0x7f));
  if (n >= 1 << 7) w.u8(0x80 | ((n >>> 7) & 0x7f));
  w.u8(n & 0x7f).bytes(body);
}

function esdsBody(t: Mp4Track): Uint8Array {
  const decoderConfig = new Writer()
    .u8(0x40) // objectTypeIndication: MPEG-4 Audio
    .u8(0x15) // streamType 5 (audio) << 2 | upStream 0 | reserved 1
    .u24(0) // bufferSizeDB
    .u32(0) // maxBitrate
    .u32(0); // avgBitrate
  descriptor(decoderConfig, 0x05, aacConfig(t));
  const es = new Writer().u16(0).u8(0); // ES_ID, flags
  descriptor(es, 0x04, decoderConfig.done());
  descriptor(es, 0x06, Uint8Array.of(2)); // SLConfigDescriptor: predefined MP4
  const out = new Writer();
  descriptor(out, 0x03, es.done());
  return out.done();
}

/** Opus channel mapping family 1 (Vorbis order): [streams, coupled, mapping]. */
const OPUS_FAMILY1: Record<number, [number, number, number[]]> = {
  3: [2, 1, [0, 2, 1]],
  4: [2, 2, [0, 1, 2, 3]],
  5: [3, 2, [0, 4, 1, 2, 3]],
  6: [4, 2, [0, 4, 1, 2, 3, 5]],
  7: [4, 3, [0, 4, 1, 2, 3, 5, 6]],
  8: [5, 3, [0, 6, 1, 2, 3, 4, 5, 7]],
};

/** The `dOps` body (Encapsulation of Opus in ISO BMFF §4.3.2). */
function dOpsBody(t: Mp4Track): Uint8Array {
  const w = new Writer().u8(0); // Version
  const d = t.description;
  if (d !== undefined) {
    // OpusHead: "OpusHead", version, channels, pre-skip (LE), rate (LE), gain (LE), family...
    if (d.length < 19 || utf8Decode(d.subarray(0, 8)) !== "OpusHead") {
      throw new RangeError(`track ${t.id}: description is not an OpusHead`);
    }
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    return w.u8(d[9]!).u16(v.getUint16(10, true)).u32(v.getUint32(12, true))
      .u16(v.getInt16(16, true)).u8(d[18]!).bytes(d.subarray(19)).done();
  }
  const { sampleRate, channels } = audioFormat(t);
  const preSkip = t.preSkip ?? 0;
  if (!Number.isInteger(preSkip) || preSkip < 0 || preSkip > 0xffff) {
    throw new RangeError(`track ${t.id}: pre-skip must be 0..65535, got ${preSkip}`);
  }
  w.u8(channels).u16(preSkip).u32(sampleRate).u16(0); // OutputGain 0
  const family = OPUS_FAMILY1[channels];
  if (family === undefined) return w.u8(0).done();
  return w.u8(1).u8(family[0]).u8(family[1]).bytes(family[2]).done();
}

/** [level, max luma picture size] from the VP9 level definitions. */
const VP9_LEVELS: [number, number][] = [
  [10, 36864],
  [11, 73728],
  [20, 122880],
  [21, 245760],
  [30, 552960],
  [31, 983040],
  [40, 2228224],
  [50, 8912896],
  [60, 35651584],
];

function vp9Profile(t: Mp4Track): { profile: number; level: number; bitDepth: number } {
  if (t.description !== undefined) {
    const d = t.description;
    if (d.length < 3) throw new RangeError(`track ${t.id}: vpcC too short`);
    return { profile: d[0]!, level: d[1]!, bitDepth: d[2]! >> 4 };
  }
  if (t.codecString !== undefined) {
    const m = /^vp09\.(\d\d)\.(\d\d)\.(\d\d)(\.|$)/.exec(t.codecString);
    if (!m) throw new RangeError(`track ${t.id}: expected vp09.PP.LL.DD, got "${t.codecString}"`);
    return { profile: Number(m[1]), level: Number(m[2]), bitDepth: Number(m[3]) };
  }
  const { width, height } = dimensions(t);
  const level = VP9_LEVELS.find(([, size]) => width * height <= size)?.[0] ?? 62;
  return { profile: 0, level, bitDepth: 8 };
}

/** The `vpcC` body after version and flags (VP Codec ISO Media File Format §2.3). */
function vpcCBody(t: Mp4Track): Uint8Array {
  if (t.description !== undefined) return t.description;
  const p = vp9Profile(t);
  // bitDepth, 4:2:0 colocated with luma (1), limited range; BT.709; no init data
  return Uint8Array.of(p.profile, p.level, (p.bitDepth << 4) | (1 << 1), 1, 1, 1, 0, 0);
}

/**
 * The RFC 6381 codec string of a track as the writer declares it: `avc1.PPCCLL` from
 * the SPS (uppercase hex; by default Constrained Baseline `42C0` and the lowest level
 * whose frame size and rate fit), `mp4a.40.2`, `opus` or `vp09.PP.LL.DD`. A track's
 * `codecString` is returned as given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mp4CodecString } from "./mp4_writer.ts";
 * assert.equal(mp4CodecString({ id: 1, kind: "video", codec: "avc1", width: 320, height: 240 }), "avc1.42C00D");
 * assert.equal(mp4CodecString({ id: 1, kind: "video", codec: "avc1", width: 1280, height: 720 }), "avc1.42C01F");
 * assert.equal(mp4CodecString({ id: 2, kind: "audio", codec: "mp4a" }), "mp4a.40.2");
 * assert.equal(mp4CodecString({ id: 1, kind: "video", codec: "vp09", width: 640, height: 480 }), "vp09.00.30.08");
 * ```
 */
export function mp4CodecString(track: Mp4Track): string {
  if (track.codecString !== undefined) return track.codecString;
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");
  const dec = (n: number) => String(n).padStart(2, "0");
  switch (track.codec) {
    case "avc1": {
      const p = avcProfile(track);
      return `avc1.${hex(p.profile)}${hex(p.constraints)}${hex(p.level)}`;
    }
    case "vp09": {
      const p = vp9Profile(track);
      return `vp09.${dec(p.profile)}.${dec(p.level)}.${dec(p.bitDepth)}`;
    }
    case "mp4a":
      return "mp4a.40.2";
    case "opus":
      return "opus";
  }
}

// ---------------------------------------------------------------------------------------
// Header boxes

function visualSampleEntry(w: Writer, t: Mp4Track, type: string, config: () => void): void {
  const { width, height } = dimensions(t);
  w.box(type, (w) => {
    w.zeros(6).u16(1) // reserved, data_reference_index
      .zeros(16) // pre_defined, reserved, pre_defined[3]
      .u16(width).u16(height)
      .u32(0x00480000).u32(0x00480000) // 72 dpi
      .u32(0) // reserved
      .u16(1) // frame_count
      .zeros(32) // compressorname
      .u16(0x0018) // depth
      .u16(0xffff); // pre_defined = -1
    config();
  });
}

function audioSampleEntry(w: Writer, t: Mp4Track, type: string, config: () => void): void {
  const { sampleRate, channels } = audioFormat(t);
  // Opus sample entries always say 48 kHz; rates that do not fit 16.16 are left to the config.
  const rate = t.codec === "opus" ? 48000 : sampleRate <= 0xffff ? sampleRate : 0;
  w.box(type, (w) => {
    w.zeros(6).u16(1) // reserved, data_reference_index
      .zeros(8) // reserved
      .u16(channels).u16(16) // channelcount, samplesize
      .u16(0).u16(0) // pre_defined, reserved
      .u32(rate * 0x10000);
    config();
  });
}

function sampleEntry(w: Writer, t: Mp4Track): void {
  switch (t.codec) {
    case "avc1":
      return visualSampleEntry(w, t, "avc1", () => w.box("avcC", (w) => w.bytes(avcC(t))));
    case "vp09":
      return visualSampleEntry(
        w,
        t,
        "vp09",
        () => w.full("vpcC", 1, 0, (w) => w.bytes(vpcCBody(t))),
      );
    case "mp4a":
      if (t.codecString !== undefined && t.codecString !== "mp4a.40.2") {
        throw new RangeError(`track ${t.id}: only mp4a.40.2 (AAC-LC) is supported`);
      }
      return audioSampleEntry(
        w,
        t,
        "mp4a",
        () => w.full("esds", 0, 0, (w) => w.bytes(esdsBody(t))),
      );
    case "opus":
      if (t.codecString !== undefined && t.codecString !== "opus") {
        throw new RangeError(`track ${t.id}: expected codec string "opus"`);
      }
      return audioSampleEntry(w, t, "Opus", () => w.box("dOps", (w) => w.bytes(dOpsBody(t))));
  }
}

function timescaleOf(t: Mp4Track): number {
  const ts = t.timescale ??
    (t.kind === "video" ? 90000 : t.codec === "opus" ? 48000 : audioFormat(t).sampleRate);
  if (!Number.isInteger(ts) || ts < 1 || ts > 0xffffffff) {
    throw new RangeError(`track ${t.id}: timescale must be an integer in 1..2^32-1, got ${ts}`);
  }
  return ts;
}

function trak(w: Writer, t: Mp4Track): void {
  const video = t.kind === "video";
  const { width, height } = video ? dimensions(t) : { width: 0, height: 0 };
  w.box("trak", (w) => {
    w.full("tkhd", 0, 3, (w) => { // enabled, in movie
      w.u32(0).u32(0) // creation_time, modification_time
        .u32(t.id).u32(0) // track_ID, reserved
        .u32(0) // duration: unknown (fragmented)
        .zeros(8)
        .u16(0).u16(0) // layer, alternate_group
        .u16(video ? 0 : 0x0100).u16(0) // volume, reserved
        .matrix()
        .u32(width * 0x10000).u32(height * 0x10000);
    });
    w.box("mdia", (w) => {
      w.full("mdhd", 0, 0, (w) => {
        w.u32(0).u32(0).u32(timescaleOf(t)).u32(0)
          .u16(0x55c4) // language "und"
          .u16(0);
      });
      w.full("hdlr", 0, 0, (w) => {
        w.u32(0).fourcc(video ? "vide" : "soun").zeros(12)
          .bytes(utf8Encode(video ? "VideoHandler\0" : "SoundHandler\0"));
      });
      w.box("minf", (w) => {
        if (video) w.full("vmhd", 0, 1, (w) => w.zeros(8)); // graphicsmode, opcolor
        else w.full("smhd", 0, 0, (w) => w.zeros(4)); // balance, reserved
        w.box("dinf", (w) => {
          w.full("dref", 0, 0, (w) => w.u32(1).full("url ", 0, 1, () => {}));
        });
        w.box("stbl", (w) => {
          w.full("stsd", 0, 0, (w) => {
            w.u32(1);
            sampleEntry(w, t);
          });
          w.full("stts", 0, 0, (w) => w.u32(0));
          w.full("stsc", 0, 0, (w) => w.u32(0));
          w.full("stsz", 0, 0, (w) => w.u32(0).u32(0));
          w.full("stco", 0, 0, (w) => w.u32(0));
        });
      });
    });
  });
}

// ---------------------------------------------------------------------------------------
// Fragments

/** sample_flags: sample_depends_on = 2 (an I frame or audio). */
const SYNC_FLAGS = 0x02000000;
/** sample_flags: sample_depends_on = 1, sample_is_non_sync_sample. */
const NON_SYNC_FLAGS = 0x01010000;
/** Payload bytes after which a fragment is closed early (trun data offsets are int32). */
const MAX_FRAGMENT_BYTES = 1 << 30;
/** tfhd flags: default-base-is-moof. */
const TFHD_FLAGS = 0x020000;
/** trun flags: data-offset, sample-duration, sample-size and sample-flags present. */
const TRUN_FLAGS = 0x000701;

interface Pending {
  /** Decode time in timescale units. */
  dts: number;
  /** End time (dts + own duration) in timescale units. */
  end: number;
  key: boolean;
  data: Uint8Array;
}

interface TrackState {
  track: Mp4Track;
  timescale: number;
  video: boolean;
  samples: Pending[];
}

/**
 * Streams a fragmented MP4 file: call {@link FragmentedMp4Writer.header} once, then
 * {@link FragmentedMp4Writer.sample} for every sample in non-decreasing timestamp order
 * (across tracks), and {@link FragmentedMp4Writer.flush} at the end. Append every
 * returned part, in order.
 *
 * Samples are buffered until their fragment is complete: one `moof` (an `mfhd` with the
 * sequence number from 1, then per track with samples a `traf` with `tfhd`
 * default-base-is-moof, a version 1 `tfdt` and a `trun` with the data offset and every
 * sample's duration, size and flags) and one `mdat` holding the tracks' samples, track
 * after track. Decode times are the timestamps converted to the track's timescale with
 * `Math.round`, exactly; a sample's duration is the gap to the next sample of its track
 * in the fragment, and the given `durationMs` only for a track's last sample in a
 * fragment. There are no composition offsets (presentation = decode order) and no edit
 * lists.
 *
 * Besides the {@link Mp4WriterOptions.fragmentDurationMs} rule, a sample starts a new
 * fragment when it is more than 2^32 - 1 timescale units after its track's previous one
 * (a 32-bit `trun` duration) or would take the fragment's payload past 1 GiB (`trun`
 * data offsets are signed 32-bit), so fragments stay valid. Payloads are not inspected:
 * the writer relies on the `keyframe` flags. (FFmpeg's H.264 parser re-derives key
 * flags from the payload, so for `ffprobe -show_packets` to show them, H.264 payloads
 * must be length-prefixed NAL units with real slice headers.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FragmentedMp4Writer } from "./mp4_writer.ts";
 * const w = new FragmentedMp4Writer({
 *   tracks: [{ id: 1, kind: "video", codec: "avc1", width: 320, height: 240 }],
 * });
 * const parts = [w.header()];
 * for (let i = 0; i < 60; i++) {
 *   // a key frame every second: those at 1000 and 2000 ms each close a fragment
 *   parts.push(...w.sample(1, i * 50, 50, i % 20 === 0, new Uint8Array(100)));
 * }
 * assert.equal(parts.length, 1 + 2 * 21); // header, 2 × (moof+mdat header, 20 payloads)
 * parts.push(...w.flush());
 * assert.equal(parts.length, 1 + 3 * 21);
 * ```
 */
export class FragmentedMp4Writer {
  readonly #options: Mp4WriterOptions;
  readonly #states: TrackState[];
  readonly #byId = new Map<number, TrackState>();
  readonly #hasVideo: boolean;
  readonly #fragmentMs: number;
  #sequence = 0;
  #fragmentStartMs = -1;
  #lastMs = -Infinity;
  #bufferedBytes = 0;

  /**
   * Validates the options: throws a RangeError on a duplicate or out-of-range track id,
   * a kind that does not match the codec, a video track without width and height, an
   * unsupported channel count or a bad codec string or description.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { FragmentedMp4Writer } from "./mp4_writer.ts";
   * assert.throws(() => new FragmentedMp4Writer({ tracks: [{ id: 1, kind: "video", codec: "avc1" }] }), RangeError);
   * const w = new FragmentedMp4Writer({ tracks: [{ id: 1, kind: "audio", codec: "mp4a" }] });
   * assert.ok(w.header().length > 0);
   * ```
   */
  constructor(options: Mp4WriterOptions) {
    this.#options = options;
    this.#states = options.tracks.map((track) => {
      const { id, kind, codec } = track;
      if (!Number.isInteger(id) || id < 1 || id > 0xffffffff) {
        throw new RangeError(`track id must be an integer in 1..2^32-1, got ${id}`);
      }
      if (this.#byId.has(id)) throw new RangeError(`duplicate track id ${id}`);
      const video = codec === "avc1" || codec === "vp09";
      if (video !== (kind === "video")) {
        throw new RangeError(`track ${id}: codec ${codec} is not a ${kind} codec`);
      }
      const state = { track, timescale: timescaleOf(track), video, samples: [] };
      this.#byId.set(id, state);
      return state;
    });
    this.#hasVideo = this.#states.some((s) => s.video);
    this.#fragmentMs = options.fragmentDurationMs ?? 1000;
    if (!(this.#fragmentMs >= 0)) {
      throw new RangeError(`fragmentDurationMs must be >= 0, got ${this.#fragmentMs}`);
    }
    this.header(); // validates every sample entry
  }

  /**
   * The initialization segment: `ftyp` (major brand "iso5", minor version 512,
   * compatible "iso5", "iso6", "mp41" unless configured) and `moov` (`mvhd` with
   * timescale 1000, one `trak` per track with empty sample tables, and `mvex` with a
   * `trex` per track). Durations are 0 (unknown). Pure: every call returns the same
   * bytes.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { FragmentedMp4Writer } from "./mp4_writer.ts";
   * const h = new FragmentedMp4Writer({ tracks: [] }).header();
   * assert.equal(new TextDecoder().decode(h.subarray(4, 12)), "ftypiso5");
   * ```
   */
  header(): Uint8Array {
    const o = this.#options;
    const w = new Writer();
    w.box("ftyp", (w) => {
      w.fourcc(o.majorBrand ?? "iso5").u32(512);
      for (const b of o.compatibleBrands ?? ["iso5", "iso6", "mp41"]) w.fourcc(b);
    });
    const nextId = o.tracks.reduce((max, t) => Math.max(max, t.id), 0) + 1;
    w.box("moov", (w) => {
      w.full("mvhd", 0, 0, (w) => {
        w.u32(0).u32(0) // creation_time, modification_time
          .u32(1000).u32(0) // timescale, duration
          .u32(0x00010000).u16(0x0100) // rate 1.0, volume 1.0
          .zeros(10)
          .matrix()
          .zeros(24) // pre_defined
          .u32(nextId > 0xffffffff ? 0xffffffff : nextId);
      });
      for (const t of o.tracks) trak(w, t);
      w.box("mvex", (w) => {
        for (const t of o.tracks) {
          w.full("trex", 0, 0, (w) => w.u32(t.id).u32(1).u32(0).u32(0).u32(0));
        }
      });
    });
    return w.done();
  }

  /**
   * Adds a sample of track `track` (an id) at `timestampMs` lasting `durationMs`, and
   * returns the parts of the fragment it completed, if any (see the class description
   * and {@link Mp4WriterOptions.fragmentDurationMs}): the `moof` with the `mdat` header,
   * then the samples' payloads, else `[]`. Audio samples are always sync samples.
   *
   * Payloads are kept and returned by reference, not copied: do not modify `data`
   * until its fragment has been written. Throws a RangeError (and changes nothing) for
   * an unknown track, a negative or non-finite timestamp or duration, a duration that
   * does not fit 32 bits in the track's timescale, or a timestamp before the previous
   * sample's.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { FragmentedMp4Writer } from "./mp4_writer.ts";
   * const w = new FragmentedMp4Writer({
   *   tracks: [{ id: 1, kind: "audio", codec: "opus", channels: 1 }],
   *   fragmentDurationMs: 40,
   * });
   * assert.deepEqual(w.sample(1, 0, 20, true, Uint8Array.of(1)), []);
   * assert.deepEqual(w.sample(1, 20, 20, true, Uint8Array.of(2)), []);
   * const parts = w.sample(1, 40, 20, true, Uint8Array.of(3)); // closes [0, 40)
   * assert.deepEqual(parts.slice(1), [Uint8Array.of(1), Uint8Array.of(2)]);
   * assert.throws(() => w.sample(1, 39, 20, true, Uint8Array.of(4)), RangeError);
   * ```
   */
  sample(
    track: number,
    timestampMs: number,
    durationMs: number,
    keyframe: boolean,
    data: Uint8Array,
  ): Uint8Array[] {
    const state = this.#byId.get(track);
    if (state === undefined) throw new RangeError(`unknown track ${track}`);
    if (!(timestampMs >= 0) || !Number.isFinite(timestampMs)) {
      throw new RangeError(`timestamp must be finite and >= 0, got ${timestampMs}`);
    }
    if (!(durationMs >= 0) || !Number.isFinite(durationMs)) {
      throw new RangeError(`duration must be finite and >= 0, got ${durationMs}`);
    }
    if (timestampMs < this.#lastMs) {
      throw new RangeError(
        `timestamp ${timestampMs} ms is before the previous sample's ${this.#lastMs} ms`,
      );
    }
    const scale = state.timescale / 1000;
    const dts = Math.round(timestampMs * scale);
    const end = Math.round((timestampMs + durationMs) * scale);
    if (end - dts > 0xffffffff || !Number.isSafeInteger(end)) {
      throw new RangeError(`track ${track}: duration ${durationMs} ms overflows the timescale`);
    }
    this.#lastMs = timestampMs;
    const previous = state.samples.at(-1);
    let out: Uint8Array[] = [];
    if (
      this.#fragmentStartMs >= 0 &&
      ((timestampMs - this.#fragmentStartMs >= this.#fragmentMs &&
        (!this.#hasVideo || (state.video && keyframe))) ||
        // trun durations are 32-bit: a longer gap starts a new fragment; and data offsets
        // are signed 32-bit: a fragment holds at most 1 GiB unless one sample is larger.
        (previous !== undefined && dts - previous.dts > 0xffffffff) ||
        this.#bufferedBytes + data.length > MAX_FRAGMENT_BYTES)
    ) {
      out = this.flush();
    }
    if (this.#fragmentStartMs < 0) this.#fragmentStartMs = timestampMs;
    state.samples.push({ dts, end, key: keyframe || !state.video, data });
    this.#bufferedBytes += data.length;
    return out;
  }

  /**
   * Closes the current fragment (at the end of a recording, or for `requestData()`)
   * and returns its parts as {@link FragmentedMp4Writer.sample} does, or `[]` if no
   * sample is buffered.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { FragmentedMp4Writer } from "./mp4_writer.ts";
   * const w = new FragmentedMp4Writer({ tracks: [{ id: 1, kind: "audio", codec: "mp4a" }] });
   * assert.deepEqual(w.flush(), []);
   * w.sample(1, 0, 21.3, true, new Uint8Array(7));
   * const [head, payload] = w.flush();
   * assert.equal(new TextDecoder().decode(head!.subarray(4, 8)), "moof");
   * assert.equal(payload!.length, 7);
   * ```
   */
  flush(): Uint8Array[] {
    if (this.#fragmentStartMs < 0) return [];
    this.#fragmentStartMs = -1;
    this.#bufferedBytes = 0;
    const states = this.#states.filter((s) => s.samples.length > 0);
    let moofSize = 8 + 16; // moof header, mfhd
    let dataSize = 0;
    for (const s of states) {
      moofSize += 8 + 16 + 20 + 20 + 12 * s.samples.length; // traf, tfhd, tfdt, trun
      for (const p of s.samples) dataSize += p.data.length;
    }
    const large = 8 + dataSize > 0xffffffff;
    const mdatHeaderSize = large ? 16 : 8;
    const head = new Uint8Array(moofSize + mdatHeaderSize);
    const v = new DataView(head.buffer);
    let at = 0;
    const boxHeader = (size: number, type: string) => {
      v.setUint32(at, size);
      for (let i = 0; i < 4; i++) head[at + 4 + i] = type.charCodeAt(i);
      at += 8;
    };
    boxHeader(moofSize, "moof");
    boxHeader(16, "mfhd");
    v.setUint32(at + 4, ++this.#sequence);
    at += 8;
    const parts: Uint8Array[] = [head];
    let dataOffset = moofSize + mdatHeaderSize;
    for (const s of states) {
      const n = s.samples.length;
      boxHeader(8 + 16 + 20 + 20 + 12 * n, "traf");
      boxHeader(16, "tfhd");
      v.setUint32(at, TFHD_FLAGS);
      v.setUint32(at + 4, s.track.id);
      at += 8;
      boxHeader(20, "tfdt");
      const first = s.samples[0]!.dts;
      v.setUint32(at, 0x01000000); // version 1
      v.setUint32(at + 4, Math.floor(first / 0x100000000));
      v.setUint32(at + 8, first >>> 0);
      at += 12;
      boxHeader(20 + 12 * n, "trun");
      v.setUint32(at, TRUN_FLAGS);
      v.setUint32(at + 4, n);
      v.setInt32(at + 8, dataOffset);
      at += 12;
      for (let i = 0; i < n; i++) {
        const p = s.samples[i]!;
        const duration = i + 1 < n ? s.samples[i + 1]!.dts - p.dts : Math.max(0, p.end - p.dts);
        v.setUint32(at, duration);
        v.setUint32(at + 4, p.data.length);
        v.setUint32(at + 8, p.key ? SYNC_FLAGS : NON_SYNC_FLAGS);
        at += 12;
        dataOffset += p.data.length;
        parts.push(p.data);
      }
      s.samples = [];
    }
    if (large) {
      boxHeader(1, "mdat");
      const total = 16 + dataSize;
      v.setUint32(at, Math.floor(total / 0x100000000));
      v.setUint32(at + 4, total >>> 0);
    } else {
      boxHeader(8 + dataSize, "mdat");
    }
    return parts;
  }
}
