/**
 * A thin, deterministic codec layer over libav.js: libvpx VP8/VP9 and libopus
 * encoders (and their decoders, for tests). No container is written here:
 * packets come out as plain bytes plus timing, for the WebM/Ogg writers.
 *
 * Determinism: the same input gives byte-identical packets on every run and at
 * every machine speed. The encoders run single-threaded with fixed speed
 * settings (for VP8 a negative `cpu-used`, which turns off libvpx's wall-clock
 * based speed selection), no look-ahead and no alternate reference frames. Key
 * frame placement is decided here, by frame count, not by libvpx.
 *
 * Timestamps are integers in the encoder's {@linkcode VideoEncoder.timeBase}:
 * microseconds for video, samples at 48 kHz for audio.
 *
 * @example Encode two frames of VP8 and decode them back
 * ```ts
 * import { loadLibAV } from "./load.ts";
 * import { openVideoDecoder, openVideoEncoder } from "./codecs.ts";
 *
 * const libav = await loadLibAV();
 * const enc = await openVideoEncoder(libav, {
 *   codec: "vp8", width: 64, height: 48, frameRate: 30, bitrate: 200_000,
 * });
 * const frame = new Uint8Array(64 * 48 * 3 / 2).fill(128);
 * const packets = [
 *   ...await enc.encode(frame, 0),
 *   ...await enc.encode(frame, 33_333),
 *   ...await enc.flush(),
 * ];
 * await enc.close();
 * console.log(packets.length, packets[0]?.keyframe); // 2 true
 *
 * const dec = await openVideoDecoder(libav, { codec: "vp8" });
 * const frames = [...await dec.decode(packets), ...await dec.flush()];
 * await dec.close();
 * console.log(frames.length, frames[0]?.width, frames[0]?.height); // 2 64 48
 * ```
 *
 * @module
 */

import type { LibAVFrame as Frame, LibAVInstance, LibAVPacket as Packet } from "./load.ts";
import { isFatalLibAVError } from "./load.ts";

const AV_PIX_FMT_YUV420P = 0;
const AV_SAMPLE_FMT_FLT = 3;
const AV_PICTURE_TYPE_I = 1;
const AV_PKT_FLAG_KEY = 1;
const AV_PKT_DATA_SKIP_SAMPLES = 11;
const AV_CH_LAYOUT_MONO = 0x4;
const AV_CH_LAYOUT_STEREO = 0x3;
/** Effectively "never": libvpx must not place key frames by itself. */
const LIBVPX_NO_AUTO_KEYFRAMES = 0x3fffffff;

/** Configuration of a VP8 or VP9 encoder (see {@linkcode openVideoEncoder}). */
export interface VideoEncoderConfig {
  /** `"vp8"` (libvpx) or `"vp9"` (libvpx-vp9). */
  codec: "vp8" | "vp9";
  /** Frame width in pixels, 1 to 16383. Odd sizes are allowed. */
  width: number;
  /** Frame height in pixels, 1 to 16383. Odd sizes are allowed. */
  height: number;
  /**
   * Nominal frame rate. Used by libvpx's rate control to size each frame
   * (every frame is taken to last `1 / frameRate` s); timestamps may differ.
   */
  frameRate: number;
  /** Target bit rate in bits per second. */
  bitrate: number;
  /**
   * Maximum number of frames from one key frame to the next (GOP length): a
   * frame is forced to be a key frame when `keyFrameInterval` frames have been
   * encoded since the last key frame (forced ones included). Omitted or `0`:
   * only the first frame and frames encoded with `forceKey` are key frames.
   */
  keyFrameInterval?: number;
  /**
   * libvpx speed (`cpu-used`). Default 8. Higher is faster and lower quality.
   * VP8: 1-16, passed as `cpu-used=-speed` (a negative value fixes the speed;
   * 0 or positive would let libvpx adapt it to wall-clock encode time). VP9:
   * 0-8 (5-8 are the real-time speeds), passed as is.
   */
  speed?: number;
  /**
   * Extra libavcodec options, applied last (advanced, for measurements). Any
   * option that makes libvpx look at the clock or use threads breaks
   * determinism.
   */
  libavOptions?: Record<string, string>;
}

/** Configuration of an Opus encoder (see {@linkcode openAudioEncoder}). */
export interface AudioEncoderConfig {
  /** Always `"opus"` (libopus). */
  codec: "opus";
  /** Always 48000: input must be resampled before encoding. */
  sampleRate: 48000;
  /** 1 (mono) or 2 (stereo). */
  channels: number;
  /** Target bit rate in bits per second (libopus accepts 500 to 512000 per channel). */
  bitrate: number;
  /**
   * `"constant"`: CBR, every 20 ms packet has the same size.
   * `"variable"`: VBR (unconstrained), packet sizes follow the signal.
   */
  mode: "constant" | "variable";
}

/** One compressed frame as produced by an encoder. */
export interface EncodedPacket {
  /** The codec bitstream of this frame (a VP8/VP9 frame or one Opus packet). */
  data: Uint8Array;
  /**
   * Presentation time in the encoder's time base (integer). Video: the `pts`
   * given to `encode`. Audio: the time of the packet's first decoded sample
   * *including* the encoder delay, so the first packet has `pts = -preSkip`
   * relative to the first input sample.
   */
  pts: number;
  /**
   * Duration in the time base, when the codec knows it. Audio: 960 for a 20 ms
   * packet; the last packet's duration only counts the samples that belong to
   * the input (see {@linkcode EncodedPacket.discardPadding}).
   */
  duration?: number;
  /** Whether the packet can be decoded without the previous ones. */
  keyframe: boolean;
  /**
   * Audio only, last packet: number of decoded samples at the end of this
   * packet that are padding and must be discarded (WebM `DiscardPadding`, in
   * samples; Ogg expresses it through the final granule position).
   */
  discardPadding?: number;
}

/** A VP8/VP9 encoder returned by {@linkcode openVideoEncoder}. */
export interface VideoEncoder {
  /** The configuration it was opened with. */
  readonly config: Readonly<VideoEncoderConfig>;
  /** Time base of `pts` values: `[1, 1_000_000]` (microseconds). */
  readonly timeBase: readonly [1, 1_000_000];
  /**
   * Encodes one I420 frame (Y plane `width*height` bytes, then U and V planes of
   * `ceil(width/2)*ceil(height/2)` bytes each, rows without padding). `pts` is
   * an integer number of microseconds, strictly increasing. `forceKey` makes
   * this frame a key frame. Returns the packets that became ready (with the
   * settings used here, exactly one per frame).
   */
  encode(i420: Uint8Array, pts: number, forceKey?: boolean): Promise<EncodedPacket[]>;
  /** Signals the end of the stream and returns the remaining packets. */
  flush(): Promise<EncodedPacket[]>;
  /** Frees the encoder. Idempotent. */
  close(): Promise<void>;
}

/** An Opus encoder returned by {@linkcode openAudioEncoder}. */
export interface AudioEncoder {
  /** The configuration it was opened with. */
  readonly config: Readonly<AudioEncoderConfig>;
  /** Time base of `pts` values: `[1, 48000]` (samples). */
  readonly timeBase: readonly [1, 48000];
  /** The 19-byte `OpusHead` (RFC 7845 §5.1): WebM `CodecPrivate`, first Ogg page. */
  readonly codecPrivate: Uint8Array;
  /** Encoder delay in samples at 48 kHz (also stored in `codecPrivate`); 312 for libopus. */
  readonly preSkip: number;
  /** Samples per channel in one packet: 960 (20 ms). */
  readonly frameSize: number;
  /**
   * Queues interleaved float samples (`channels` values per sample instant,
   * nominally in [-1, 1]) and encodes every complete 20 ms frame. `pts` is the
   * time of the first sample, in samples; it is only used when no samples are
   * queued (samples are taken to be contiguous with the queued ones).
   */
  encode(interleavedF32: Float32Array, pts: number): Promise<EncodedPacket[]>;
  /** Encodes the queued remainder (padded) and returns all remaining packets. */
  flush(): Promise<EncodedPacket[]>;
  /** Frees the encoder. Idempotent. */
  close(): Promise<void>;
}

/** A decoded video frame, from {@linkcode openVideoDecoder}. */
export interface DecodedVideoFrame {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Presentation time, as given in the decoded packet. */
  pts: number;
  /** Tightly packed I420 (same layout as {@linkcode VideoEncoder.encode} takes). */
  data: Uint8Array;
}

/** Decoded audio, from {@linkcode openAudioDecoder}. */
export interface DecodedAudio {
  /** Presentation time of the first sample, in samples at 48 kHz. */
  pts: number;
  /** Number of channels. */
  channels: number;
  /** Interleaved float samples (`length / channels` sample instants). */
  data: Float32Array;
}

/** A decoder returned by {@linkcode openVideoDecoder} or {@linkcode openAudioDecoder}. */
export interface Decoder<T> {
  /** Decodes packets (in order) and returns the output that became ready. */
  decode(packets: readonly EncodedPacket[]): Promise<T[]>;
  /** Drains the decoder. */
  flush(): Promise<T[]>;
  /** Frees the decoder. Idempotent. */
  close(): Promise<void>;
}

/** Configuration of {@linkcode openAudioDecoder}. */
export interface AudioDecoderConfig {
  /** Always `"opus"`. */
  codec: "opus";
  /** The `OpusHead` from {@linkcode AudioEncoder.codecPrivate}. */
  codecPrivate: Uint8Array;
}

/** Byte length of a tightly packed I420 frame of the given size. */
function i420Size(width: number, height: number): number {
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

function toPacket(libav: LibAVInstance, p: Packet): EncodedPacket {
  const out: EncodedPacket = {
    data: p.data,
    pts: libav.i64tof64(p.pts ?? 0, p.ptshi ?? 0),
    keyframe: ((p.flags ?? 0) & AV_PKT_FLAG_KEY) !== 0,
  };
  const duration = libav.i64tof64(p.duration ?? 0, p.durationhi ?? 0);
  if (duration > 0) out.duration = duration;
  const sides = (p.side_data ?? []) as { type: number; data: Uint8Array }[];
  for (const side of sides) {
    if (side.type === AV_PKT_DATA_SKIP_SAMPLES && side.data.length >= 8) {
      const end = new DataView(side.data.buffer, side.data.byteOffset).getUint32(4, true);
      if (end > 0) out.discardPadding = end;
    }
  }
  return out;
}

/**
 * Runs a libav.js call; on a fatal WASM error, marks the codec dead so that it
 * is not touched again (the instance itself must be discarded by the owner).
 */
class Guard {
  dead = false;
  closed = false;
  constructor(readonly what: string) {}
  run<T>(fn: () => T): T {
    if (this.closed) throw new Error(`${this.what} is closed`);
    if (this.dead) throw new Error(`${this.what} died after a fatal libav.js error`);
    try {
      return fn();
    } catch (e) {
      if (isFatalLibAVError(e)) this.dead = true;
      throw e;
    }
  }
}

/**
 * Opens a deterministic VP8 or VP9 encoder (libvpx, real-time mode,
 * single-threaded, no look-ahead).
 *
 * Settings passed to libavcodec: `deadline=realtime`, `cpu-used=-speed` (VP8;
 * VP9 gets `speed`), `threads=1`, `lag-in-frames=0`, `auto-alt-ref=0`,
 * `error-resilient=0`, VBR rate control at `bitrate`, and a libvpx GOP so long
 * that only this wrapper decides where key frames go.
 *
 * @example
 * ```ts
 * import { loadLibAV } from "./load.ts";
 * import { openVideoEncoder } from "./codecs.ts";
 *
 * const libav = await loadLibAV();
 * const enc = await openVideoEncoder(libav, {
 *   codec: "vp9", width: 32, height: 32, frameRate: 30, bitrate: 100_000, keyFrameInterval: 2,
 * });
 * const gray = new Uint8Array(32 * 32 * 3 / 2).fill(128);
 * const keys: boolean[] = [];
 * for (let i = 0; i < 4; i++) {
 *   for (const p of await enc.encode(gray, i * 33_333)) keys.push(p.keyframe);
 * }
 * await enc.flush();
 * await enc.close();
 * console.log(keys); // [ true, false, true, false ]
 * ```
 */
// Async so that a worker-backed instance can be supported without an API change.
// deno-lint-ignore require-await
export async function openVideoEncoder(
  libav: LibAVInstance,
  cfg: VideoEncoderConfig,
): Promise<VideoEncoder> {
  const { codec, width, height, frameRate, bitrate } = cfg;
  if (codec !== "vp8" && codec !== "vp9") throw new RangeError(`unsupported codec ${codec}`);
  checkInt("width", width, 1, 16383);
  checkInt("height", height, 1, 16383);
  checkInt("bitrate", bitrate, 1000, 2 ** 31 - 1);
  if (!(frameRate > 0 && frameRate <= 1000)) {
    throw new RangeError(`frameRate must be in (0, 1000], got ${frameRate}`);
  }
  const interval = cfg.keyFrameInterval ?? 0;
  checkInt("keyFrameInterval", interval, 0, 2 ** 31 - 1);
  const speed = cfg.speed ?? 8;
  // VP8: cpu-used 0 or positive means "adapt the speed to the wall clock".
  if (codec === "vp8") checkInt("speed", speed, 1, 16);
  else checkInt("speed", speed, 0, 8);

  // Frame rate as a rational with a microsecond-exact denominator.
  const fpsDen = Number.isInteger(frameRate) ? 1 : 1000;
  const fpsNum = Math.round(frameRate * fpsDen);

  const options: Record<string, string> = {
    deadline: "realtime",
    "cpu-used": String(codec === "vp8" ? -speed : speed),
    threads: "1",
    "lag-in-frames": "0",
    "auto-alt-ref": "0",
    "error-resilient": "0",
    ...(codec === "vp9" ? { "row-mt": "0", "frame-parallel": "0" } : {}),
    ...cfg.libavOptions,
  };
  const [, c, frame, pkt] = libav.ff_init_encoder_sync(codec === "vp8" ? "libvpx" : "libvpx-vp9", {
    ctx: {
      pix_fmt: AV_PIX_FMT_YUV420P,
      width,
      height,
      bit_rate: bitrate,
      framerate_num: fpsNum,
      framerate_den: fpsDen,
      gop_size: LIBVPX_NO_AUTO_KEYFRAMES,
      keyint_min: LIBVPX_NO_AUTO_KEYFRAMES,
    },
    time_base: [1, 1_000_000],
    options,
  });

  const guard = new Guard(`${codec} encoder`);
  const size = i420Size(width, height);
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const planes = [
    { offset: 0, w: width, h: height },
    { offset: width * height, w: cw, h: ch },
    { offset: width * height + cw * ch, w: cw, h: ch },
  ];
  let lastPts = -Infinity;
  let sinceKey = -1; // frames encoded since the last key frame; -1: none yet
  let finished = false;

  const collect = (packets: Packet[]): EncodedPacket[] => {
    const out = packets.map((p) => toPacket(libav, p));
    for (const p of out) sinceKey = p.keyframe ? 1 : sinceKey + 1;
    return out;
  };

  return {
    config: { ...cfg },
    timeBase: [1, 1_000_000] as const,
    encode(i420, pts, forceKey = false) {
      return Promise.resolve().then(() =>
        guard.run(() => {
          if (finished) throw new Error("encode after flush");
          if (i420.length !== size) {
            throw new RangeError(`expected ${size} bytes of I420, got ${i420.length}`);
          }
          if (!Number.isSafeInteger(pts) || pts <= lastPts) {
            throw new RangeError(`pts must be an increasing integer, got ${pts} after ${lastPts}`);
          }
          lastPts = pts;
          const key = forceKey || sinceKey < 0 || (interval > 0 && sinceKey >= interval);
          const f = libav.av_frame_alloc_sync();
          if (f === 0) throw new Error("av_frame_alloc failed");
          try {
            libav.AVFrame_format_s_sync(f, AV_PIX_FMT_YUV420P);
            libav.AVFrame_width_s_sync(f, width);
            libav.AVFrame_height_s_sync(f, height);
            const [lo, hi] = libav.f64toi64(pts);
            libav.AVFrame_pts_s_sync(f, lo);
            libav.AVFrame_ptshi_s_sync(f, hi);
            libav.AVFrame_pict_type_s_sync(f, key ? AV_PICTURE_TYPE_I : 0);
            const ret = libav.av_frame_get_buffer_sync(f, 1);
            if (ret < 0) throw new Error(`av_frame_get_buffer: ${libav.ff_error_sync(ret)}`);
            for (let p = 0; p < 3; p++) {
              const plane = planes[p]!;
              const dst = libav.AVFrame_data_a_sync(f, p);
              const stride = libav.AVFrame_linesize_a_sync(f, p);
              if (stride === plane.w) {
                libav.copyin_u8_sync(
                  dst,
                  i420.subarray(plane.offset, plane.offset + plane.w * plane.h),
                );
              } else {
                for (let y = 0; y < plane.h; y++) {
                  const src = plane.offset + y * plane.w;
                  libav.copyin_u8_sync(dst + y * stride, i420.subarray(src, src + plane.w));
                }
              }
            }
          } catch (e) {
            libav.av_frame_free_js_sync(f);
            throw e;
          }
          // ff_encode_multi takes ownership of `f` (refs it, then frees it).
          return collect(libav.ff_encode_multi_sync(c, frame, pkt, [f]));
        })
      );
    },
    flush() {
      return Promise.resolve().then(() =>
        guard.run(() => {
          if (finished) return [];
          finished = true;
          return collect(libav.ff_encode_multi_sync(c, frame, pkt, [], true));
        })
      );
    },
    close() {
      if (!guard.closed && !guard.dead) libav.ff_free_encoder_sync(c, frame, pkt);
      guard.closed = true;
      return Promise.resolve();
    },
  };
}

/**
 * Opens a deterministic Opus encoder (libopus, `application=audio`, 20 ms
 * frames, VBR on or off).
 *
 * @example
 * ```ts
 * import { loadLibAV } from "./load.ts";
 * import { openAudioEncoder } from "./codecs.ts";
 *
 * const libav = await loadLibAV();
 * const enc = await openAudioEncoder(libav, {
 *   codec: "opus", sampleRate: 48000, channels: 2, bitrate: 64_000, mode: "constant",
 * });
 * console.log(enc.preSkip, enc.frameSize, enc.codecPrivate.length); // 312 960 19
 * const silence = new Float32Array(2 * 4800); // 100 ms
 * const packets = [...await enc.encode(silence, 0), ...await enc.flush()];
 * await enc.close();
 * console.log(packets.length, packets[0]?.pts); // 6 -312
 * ```
 */
// Async so that a worker-backed instance can be supported without an API change.
// deno-lint-ignore require-await
export async function openAudioEncoder(
  libav: LibAVInstance,
  cfg: AudioEncoderConfig,
): Promise<AudioEncoder> {
  if (cfg.codec !== "opus") throw new RangeError(`unsupported codec ${cfg.codec}`);
  if (cfg.sampleRate !== 48000) throw new RangeError("sampleRate must be 48000");
  checkInt("channels", cfg.channels, 1, 2);
  checkInt("bitrate", cfg.bitrate, 500 * cfg.channels, 512_000 * cfg.channels);
  if (cfg.mode !== "constant" && cfg.mode !== "variable") {
    throw new RangeError(`mode must be "constant" or "variable", got ${cfg.mode}`);
  }
  const channels = cfg.channels;
  const layout = channels === 1 ? AV_CH_LAYOUT_MONO : AV_CH_LAYOUT_STEREO;
  const [, c, frame, pkt, frameSize] = libav.ff_init_encoder_sync("libopus", {
    ctx: {
      sample_fmt: AV_SAMPLE_FMT_FLT,
      sample_rate: 48000,
      channel_layout: layout,
      channels,
      bit_rate: cfg.bitrate,
    },
    time_base: [1, 48000],
    options: {
      application: "audio",
      frame_duration: "20",
      vbr: cfg.mode === "constant" ? "off" : "on",
    },
  });
  const guard = new Guard("opus encoder");
  let codecPrivate: Uint8Array;
  try {
    const exSize = libav.AVCodecContext_extradata_size_sync(c);
    codecPrivate = libav.copyout_u8_sync(libav.AVCodecContext_extradata_sync(c), exSize).slice();
    if (exSize < 19 || new TextDecoder().decode(codecPrivate.subarray(0, 8)) !== "OpusHead") {
      throw new Error("libopus did not produce an OpusHead");
    }
  } catch (e) {
    libav.ff_free_encoder_sync(c, frame, pkt);
    throw e;
  }
  const preSkip = codecPrivate[10]! | (codecPrivate[11]! << 8);

  // Queue of interleaved samples not yet encoded.
  let queue = new Float32Array(frameSize * channels * 4);
  let queued = 0; // sample instants in the queue
  let queuePts = 0; // pts of queue[0]
  let finished = false;

  const mkFrame = (data: Float32Array, pts: number): Frame => ({
    data,
    format: AV_SAMPLE_FMT_FLT,
    channel_layout: layout,
    channels,
    sample_rate: 48000,
    pts,
  });

  return {
    config: { ...cfg },
    timeBase: [1, 48000] as const,
    codecPrivate,
    preSkip,
    frameSize,
    encode(samples, pts) {
      return Promise.resolve().then(() =>
        guard.run(() => {
          if (finished) throw new Error("encode after flush");
          if (samples.length % channels !== 0) {
            throw new RangeError(`sample count ${samples.length} is not a multiple of ${channels}`);
          }
          if (!Number.isSafeInteger(pts)) throw new RangeError(`pts must be an integer: ${pts}`);
          if (queued === 0) queuePts = pts;
          const n = samples.length / channels;
          if ((queued + n) * channels > queue.length) {
            const bigger = new Float32Array(Math.max(queue.length * 2, (queued + n) * channels));
            bigger.set(queue.subarray(0, queued * channels));
            queue = bigger;
          }
          queue.set(samples, queued * channels);
          queued += n;
          const frames: Frame[] = [];
          let used = 0;
          while (queued - used >= frameSize) {
            frames.push(
              mkFrame(
                queue.slice(used * channels, (used + frameSize) * channels),
                queuePts + used,
              ),
            );
            used += frameSize;
          }
          if (used > 0) {
            queue.copyWithin(0, used * channels, queued * channels);
            queued -= used;
            queuePts += used;
          }
          if (frames.length === 0) return [];
          return libav.ff_encode_multi_sync(c, frame, pkt, frames).map((p) => toPacket(libav, p));
        })
      );
    },
    flush() {
      return Promise.resolve().then(() =>
        guard.run(() => {
          if (finished) return [];
          finished = true;
          const frames: Frame[] = [];
          if (queued > 0) frames.push(mkFrame(queue.slice(0, queued * channels), queuePts));
          queued = 0;
          return libav.ff_encode_multi_sync(c, frame, pkt, frames, true).map((p) =>
            toPacket(libav, p)
          );
        })
      );
    },
    close() {
      if (!guard.closed && !guard.dead) libav.ff_free_encoder_sync(c, frame, pkt);
      guard.closed = true;
      return Promise.resolve();
    },
  };
}

function toLibavPacket(libav: LibAVInstance, p: EncodedPacket): Packet {
  const [lo, hi] = libav.f64toi64(p.pts);
  const out: Packet = {
    data: p.data,
    pts: lo,
    ptshi: hi,
    dts: lo,
    dtshi: hi,
    flags: p.keyframe ? AV_PKT_FLAG_KEY : 0,
  };
  if (p.duration !== undefined) out.duration = p.duration;
  if (p.discardPadding !== undefined) {
    const side = new Uint8Array(10);
    new DataView(side.buffer).setUint32(4, p.discardPadding, true);
    out.side_data = [{ type: AV_PKT_DATA_SKIP_SAMPLES, data: side }];
  }
  return out;
}

/**
 * Opens a VP8 or VP9 decoder (libvpx), for tests: packets in, packed I420
 * frames out.
 *
 * @example
 * ```ts
 * import { loadLibAV } from "./load.ts";
 * import { openVideoDecoder } from "./codecs.ts";
 *
 * const dec = await openVideoDecoder(await loadLibAV(), { codec: "vp9" });
 * console.log((await dec.flush()).length); // 0
 * await dec.close();
 * ```
 */
// Async so that a worker-backed instance can be supported without an API change.
// deno-lint-ignore require-await
export async function openVideoDecoder(
  libav: LibAVInstance,
  cfg: { codec: "vp8" | "vp9" },
): Promise<Decoder<DecodedVideoFrame>> {
  if (cfg.codec !== "vp8" && cfg.codec !== "vp9") {
    throw new RangeError(`unsupported codec ${cfg.codec}`);
  }
  const [, c, pkt, frame] = libav.ff_init_decoder_sync(
    cfg.codec === "vp8" ? "libvpx" : "libvpx-vp9",
    { time_base: [1, 1_000_000] },
  );
  const guard = new Guard(`${cfg.codec} decoder`);
  let finished = false;

  const copyOut = (f: number): DecodedVideoFrame => {
    try {
      const width = libav.AVFrame_width_sync(f);
      const height = libav.AVFrame_height_sync(f);
      if (libav.AVFrame_format_sync(f) !== AV_PIX_FMT_YUV420P) {
        throw new Error(`decoder output format ${libav.AVFrame_format_sync(f)} is not yuv420p`);
      }
      const cw = Math.ceil(width / 2);
      const ch = Math.ceil(height / 2);
      const data = new Uint8Array(i420Size(width, height));
      let off = 0;
      for (const [p, w, h] of [[0, width, height], [1, cw, ch], [2, cw, ch]] as const) {
        const src = libav.AVFrame_data_a_sync(f, p);
        const stride = libav.AVFrame_linesize_a_sync(f, p);
        for (let y = 0; y < h; y++) {
          data.set(libav.copyout_u8_sync(src + y * stride, w), off);
          off += w;
        }
      }
      const pts = libav.i64tof64(libav.AVFrame_pts_sync(f), libav.AVFrame_ptshi_sync(f));
      return { width, height, pts, data };
    } finally {
      libav.av_frame_free_js_sync(f);
    }
  };

  const run = (packets: readonly EncodedPacket[], fin: boolean) =>
    Promise.resolve().then(() =>
      guard.run(() => {
        if (finished) {
          if (fin) return [];
          throw new Error("decode after flush");
        }
        if (fin) finished = true;
        const ptrs = libav.ff_decode_multi_sync(
          c,
          pkt,
          frame,
          packets.map((p) => toLibavPacket(libav, p)),
          { fin, copyoutFrame: "ptr" },
        );
        return ptrs.map(copyOut);
      })
    );

  return {
    decode: (packets) => run(packets, false),
    flush: () => run([], true),
    close() {
      if (!guard.closed && !guard.dead) libav.ff_free_decoder_sync(c, pkt, frame);
      guard.closed = true;
      return Promise.resolve();
    },
  };
}

/**
 * Opens an Opus decoder (libopus), for tests: packets in, interleaved float
 * samples at 48 kHz out. The decoder drops the first `preSkip` samples itself
 * (so the output starts with the first input sample) and honours
 * {@linkcode EncodedPacket.discardPadding}.
 *
 * @example
 * ```ts
 * import { loadLibAV } from "./load.ts";
 * import { openAudioDecoder, openAudioEncoder } from "./codecs.ts";
 *
 * const libav = await loadLibAV();
 * const enc = await openAudioEncoder(libav, {
 *   codec: "opus", sampleRate: 48000, channels: 1, bitrate: 32_000, mode: "variable",
 * });
 * const packets = [...await enc.encode(new Float32Array(1000), 0), ...await enc.flush()];
 * await enc.close();
 * const dec = await openAudioDecoder(libav, { codec: "opus", codecPrivate: enc.codecPrivate });
 * const out = [...await dec.decode(packets), ...await dec.flush()];
 * await dec.close();
 * console.log(out.reduce((n, a) => n + a.data.length, 0)); // 1000
 * ```
 */
// Async so that a worker-backed instance can be supported without an API change.
// deno-lint-ignore require-await
export async function openAudioDecoder(
  libav: LibAVInstance,
  cfg: AudioDecoderConfig,
): Promise<Decoder<DecodedAudio>> {
  if (cfg.codec !== "opus") throw new RangeError(`unsupported codec ${cfg.codec}`);
  const head = cfg.codecPrivate;
  if (head.length < 19) throw new RangeError("codecPrivate is not an OpusHead");
  const channels = head[9]!;
  const [, c, pkt, frame] = libav.ff_init_decoder_sync("libopus", {
    codecpar: {
      codec_type: 1, // AVMEDIA_TYPE_AUDIO
      codec_id: 0, // filled in from the decoder
      format: AV_SAMPLE_FMT_FLT,
      sample_rate: 48000,
      channels,
      channel_layoutmask: channels === 1 ? AV_CH_LAYOUT_MONO : AV_CH_LAYOUT_STEREO,
      extradata: head,
    },
    time_base: [1, 48000],
  });
  const guard = new Guard("opus decoder");
  let finished = false;

  const run = (packets: readonly EncodedPacket[], fin: boolean) =>
    Promise.resolve().then(() =>
      guard.run(() => {
        if (finished) {
          if (fin) return [];
          throw new Error("decode after flush");
        }
        if (fin) finished = true;
        const frames = libav.ff_decode_multi_sync(
          c,
          pkt,
          frame,
          packets.map((p) => toLibavPacket(libav, p)),
          { fin },
        );
        return frames.map((f): DecodedAudio => {
          if (f.format !== AV_SAMPLE_FMT_FLT) {
            throw new Error(`opus decoder output format ${f.format} is not flt`);
          }
          return {
            pts: libav.i64tof64(f.pts ?? 0, f.ptshi ?? 0),
            channels: f.channels ?? channels,
            data: f.data as Float32Array,
          };
        });
      })
    );

  return {
    decode: (packets) => run(packets, false),
    flush: () => run([], true),
    close() {
      if (!guard.closed && !guard.dead) libav.ff_free_decoder_sync(c, pkt, frame);
      guard.closed = true;
      return Promise.resolve();
    },
  };
}
