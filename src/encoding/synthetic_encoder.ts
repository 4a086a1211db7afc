/**
 * The synthetic encoder: a fast, pure-TypeScript encoder whose output is a real live
 * WebM (EBML header, unknown-size Segment, Tracks, unknown-size Clusters, SimpleBlocks)
 * or Ogg Opus stream, with deterministic placeholder payloads sized to the target
 * bitrate. It lets chunking, headers-in-the-first-chunk and concatenation be checked
 * without codecs, and simulates hours of recording in seconds.
 *
 * Payloads: each starts with the ASCII marker `RSIM`, a kind byte (`V`/`A`) and a flags
 * byte (bit 0 key frame, bit 1 black/silent), then a fixed filler pattern. Sizes: video
 * frames `videoBitsPerSecond / tracks / 8 / frameRate` bytes (key frames ×2, black frames
 * ÷8), audio packets `audioBitsPerSecond / tracks / 8 × frame duration` (silent ÷8).
 * A key frame starts every `videoKeyFrameIntervalCount` frames, or after
 * `videoKeyFrameIntervalDuration` ms, or (neither given) every 2000 ms.
 *
 * @module
 */
import { OggOpusWriter, opusHead } from "../container/ogg_writer.ts";
import type { WebmWriterOptions } from "../container/webm_writer.ts";
import { WebmOutput } from "./webm_output.ts";
import { FragmentedMp4Writer, type Mp4Track } from "../container/mp4_writer.ts";
import { domException } from "../errors.ts";
import { codecTable, WEBM_OGG_CODECS } from "./codec_table.ts";
import type { AudioFrameRef, VideoFrameRef } from "../media/frames.ts";
import type {
  EncoderConfig,
  EncoderProvider,
  EncoderSink,
  EncoderTrack,
  RecorderEncoder,
} from "./encoder.ts";

/** The default key frame interval of the synthetic encoder, in ms. */
export const SYNTHETIC_KEY_FRAME_INTERVAL_MS = 2000;

const CODEC_IDS: Record<string, string> = {
  vp8: "V_VP8",
  vp9: "V_VP9",
  vp08: "V_VP8",
  vp09: "V_VP9",
  h264: "V_MPEG4/ISO/AVC",
  avc1: "V_MPEG4/ISO/AVC",
  avc3: "V_MPEG4/ISO/AVC",
  av1: "V_AV1",
  av01: "V_AV1",
  hvc1: "V_MPEGH/ISO/HEVC",
  hev1: "V_MPEGH/ISO/HEVC",
  opus: "A_OPUS",
  pcm: "A_PCM/FLOAT/IEEE",
  mp4a: "A_AAC",
};
const codecId = (codec: string) => CODEC_IDS[codec.toLowerCase().split(".")[0]!];

const SYNTHETIC = codecTable(WEBM_OGG_CODECS, "synthetic");

/**
 * The synthetic encoder provider (registered on every agent by default).
 * Containers: `video/webm` (vp8, vp9, opus), `audio/webm` (opus), `audio/ogg` (opus).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticEncoder } from "./synthetic_encoder.ts";
 * assert.ok(syntheticEncoder.supportsCodec("video/webm", "vp9"));
 * assert.ok(!syntheticEncoder.supportsCodec("audio/webm", "vp8"));
 * ```
 */
export const syntheticEncoder: EncoderProvider = Object.freeze({
  name: "synthetic",
  supportsContainer: SYNTHETIC.supportsContainer,
  supportsCodec: SYNTHETIC.supportsCodec,
  create(config: EncoderConfig, sink: EncoderSink): RecorderEncoder {
    SYNTHETIC.check(config);
    return config.essence === "audio/ogg"
      ? new SyntheticOgg(config, sink)
      : new SyntheticWebm(config, sink);
  },
});

/**
 * The synthetic encoder in "label" mode (decision 23): for types an engine profile
 * supports but no registered encoder can produce (H.264, AV1, HEVC, PCM or AAC in
 * WebM/Matroska), it writes the same live WebM with those codec labels and placeholder
 * payloads. The trace names it `synthetic-fallback`; such recordings are not decodable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticFallbackEncoder } from "./synthetic_encoder.ts";
 * assert.equal(syntheticFallbackEncoder.supportsCodec("video/x-matroska", "h264"), true);
 * ```
 */
export const syntheticFallbackEncoder: EncoderProvider = Object.freeze({
  name: "synthetic-fallback",
  supportsContainer(essence: string): boolean {
    return /^(video|audio)\/(webm|x-matroska|matroska|mp4)$/.test(essence);
  },
  supportsCodec(_essence: string, codec: string): boolean {
    return codecId(codec) !== undefined;
  },
  create(config: EncoderConfig, sink: EncoderSink): RecorderEncoder {
    if (config.essence.endsWith("/mp4")) return new SyntheticMp4(config, sink);
    for (const t of config.tracks) {
      if (codecId(t.codec) === undefined) {
        throw domException("NotSupportedError", `no codec label for ${t.codec}`);
      }
    }
    return new SyntheticWebm(config, sink);
  },
});

const FILLER = (() => {
  const b = new Uint8Array(1 << 16);
  let x = 0x12345678;
  for (let i = 0; i < b.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
})();

const payloadCache = new Map<number, Uint8Array>();

/** A deterministic placeholder payload (cached: identical inputs share bytes). */
export function syntheticPayload(
  kind: "video" | "audio",
  size: number,
  key: boolean,
  blank: boolean,
): Uint8Array {
  const n = Math.max(8, Math.round(size));
  const flags = (key ? 1 : 0) | (blank ? 2 : 0);
  const cacheKey = n * 8 + flags * 2 + (kind === "video" ? 1 : 0);
  let p = payloadCache.get(cacheKey);
  if (!p) {
    p = new Uint8Array(n);
    for (let i = 6; i < n; i += FILLER.length) {
      p.set(FILLER.subarray(0, Math.min(FILLER.length, n - i)), i);
    }
    p.set([0x52, 0x53, 0x49, 0x4d, kind === "video" ? 0x56 : 0x41, flags]);
    if (payloadCache.size < 4096) payloadCache.set(cacheKey, p);
  }
  return p;
}

interface VideoState {
  bytesPerFrame: number;
  framesSinceKey: number;
  lastKeyTime: number;
}

class KeyFrames {
  #config: EncoderConfig;
  #state = new Map<number, VideoState>();
  constructor(config: EncoderConfig) {
    this.#config = config;
    const videos = config.tracks.filter((t) => t.kind === "video");
    for (const t of videos) {
      this.#state.set(t.number, {
        bytesPerFrame: config.videoBitsPerSecond / videos.length / 8 / (t.frameRate ?? 30),
        framesSinceKey: 0,
        lastKeyTime: -Infinity,
      });
    }
  }
  /** Whether the last frame {@link next} placed is a key frame. */
  key = false;
  /**
   * Places the frame at `mediaTime`: its size in bytes (whether it is a key frame is in
   * {@link key}: no object per frame); updates the count.
   */
  next(track: number, mediaTime: number): number {
    const s = this.#state.get(track)!;
    const c = this.#config;
    let key: boolean;
    if (s.lastKeyTime === -Infinity) key = true;
    else if (c.videoKeyFrameIntervalCount !== null) {
      key = s.framesSinceKey >= c.videoKeyFrameIntervalCount;
    } else {
      key = mediaTime - s.lastKeyTime >=
        (c.videoKeyFrameIntervalDuration ?? SYNTHETIC_KEY_FRAME_INTERVAL_MS);
    }
    if (key) {
      s.framesSinceKey = 1;
      s.lastKeyTime = mediaTime;
    } else s.framesSinceKey++;
    this.key = key;
    return Math.min(s.bytesPerFrame * (key ? 2 : 1), MAX_SYNTHETIC_FRAME_BYTES);
  }
}

/**
 * The largest synthetic frame or audio packet, 256 KiB: bitrates up to 2^32−1 bit/s are
 * accepted (WebIDL `unsigned long`), which no encoder reaches (a frame at such a rate
 * would take tens of megabytes); 256 KiB per frame is about 50 Mbit/s at 25 fps, more
 * than browsers' encoders produce for camera video.
 */
const MAX_SYNTHETIC_FRAME_BYTES = 1 << 18;

function audioBytes(config: EncoderConfig, track: EncoderTrack): number {
  const audios = config.tracks.filter((t) => t.kind === "audio").length;
  const seconds = (track.frameSize ?? 960) / (track.sampleRate ?? 48000);
  return Math.min((config.audioBitsPerSecond / audios / 8) * seconds, MAX_SYNTHETIC_FRAME_BYTES);
}

/** A block waiting in the muxer for the audio packet before it. */
interface HeldBlock {
  track: number;
  mediaTime: number;
  key: boolean;
  payload: Uint8Array;
  duration: number | undefined;
  audio: boolean;
}

class SyntheticWebm implements RecorderEncoder {
  /** Pure computation: feed lazily, only where bytes become observable. */
  readonly feedInterval = Infinity;
  #out: WebmOutput;
  #keys: KeyFrames;
  #audioBytes = new Map<number, number>();
  #periods = new Map<number, number>();
  /** Source frames per audio packet (`audioPacketMs`), and each track's open packet. */
  #framesPerPacket = new Map<number, number>();
  #packets = new Map<number, { start: number; end: number; frames: number; silent: boolean }>();
  #packetMs = 0;
  /**
   * Blocks waiting for an open audio packet that starts before them (the muxer interleaves
   * by timestamp), in write order: by media time, a packet before video of the same time.
   */
  #held: HeldBlock[] = [];
  /** Marks each frame's muxer write for the recorder (`EncoderSink.block`). */
  #block: (() => void) | undefined;

  constructor(config: EncoderConfig, sink: EncoderSink) {
    this.#keys = new KeyFrames(config);
    this.#block = sink.block?.bind(sink);
    const options: WebmWriterOptions = {
      tracks: config.tracks.map((t) =>
        t.kind === "video"
          ? {
            number: t.number,
            kind: "video",
            codecId: codecId(t.codec) ?? "V_VP8",
            width: t.width ?? 320,
            height: t.height ?? 240,
          }
          : {
            number: t.number,
            kind: "audio",
            codecId: codecId(t.codec) ?? "A_OPUS",
            codecPrivate: opusHead({
              channels: Math.min(2, t.channelCount ?? 1),
              sampleRate: t.sampleRate ?? 48000,
              preSkip: 0,
            }),
            seekPreRollNs: 80_000_000,
            sampleRate: 48000,
            channels: Math.min(2, t.channelCount ?? 1),
          }
      ),
      muxingApp: "recsim",
      writingApp: "recsim synthetic encoder",
      ...(config.audioClusterMs === undefined ? {} : { audioClusterMs: config.audioClusterMs }),
    };
    // SimpleBlocks repeat (same track, relative timecode, flags and size in every Cluster
    // that starts at a key frame), so each distinct one becomes a Blob once and chunks are
    // Blobs of cached Blobs: no bytes are copied per block.
    this.#out = new WebmOutput(
      options,
      sink,
      config.seekable ?? false,
      (track, rel, _key, payload) =>
        ((payload.length * 8 + payload[5]! + (payload[4] === 0x56 ? 4 : 0)) * 65536 + rel + 32768) *
          128 + track,
    );
    for (const t of config.tracks) {
      if (t.kind === "audio") {
        this.#audioBytes.set(t.number, audioBytes(config, t));
        const frameMs = ((t.frameSize ?? 960) * 1000) / (t.sampleRate ?? 48000);
        const packet = config.audioPacketMs;
        if (packet !== undefined) {
          this.#framesPerPacket.set(t.number, Math.max(1, Math.round(packet / frameMs)));
          this.#packetMs = Math.max(this.#packetMs, packet);
        }
      }
      this.#periods.set(
        t.number,
        t.kind === "video"
          ? 1000 / (t.frameRate ?? 30)
          : ((t.frameSize ?? 960) * 1000) / (t.sampleRate ?? 48000),
      );
    }
  }

  encodeVideo(track: number, frame: VideoFrameRef, mediaTime: number): void {
    this.#block?.();
    const size = this.#keys.next(track, mediaTime);
    const key = this.#keys.key;
    const payload = syntheticPayload("video", frame.black ? size / 8 : size, key, frame.black);
    this.#emit(track, mediaTime, key, payload, this.#periods.get(track), false);
  }

  /**
   * Writes a block, or, while audio is written in packets, holds it until no open packet
   * starts before it (with audio in packets, the muxer interleaves by timestamp).
   */
  #emit(
    track: number,
    mediaTime: number,
    key: boolean,
    payload: Uint8Array,
    duration: number | undefined,
    audio: boolean,
  ): void {
    if (this.#framesPerPacket.size === 0) {
      return this.#out.block(track, mediaTime, key, payload, duration);
    }
    this.#hold({ track, mediaTime, key, payload, duration, audio });
    this.#writeHeld(mediaTime);
  }

  #hold(block: HeldBlock): void {
    const { mediaTime, audio } = block;
    const held = this.#held;
    let i = held.length;
    while (
      i > 0 &&
      (held[i - 1]!.mediaTime > mediaTime ||
        (held[i - 1]!.mediaTime === mediaTime && audio && !held[i - 1]!.audio))
    ) i--;
    held.splice(i, 0, block);
  }

  /**
   * Writes the held blocks that come before the open audio packets' start (every block
   * when no audio came for two packets: the audio track is gone).
   */
  #writeHeld(now: number): void {
    let limit = Infinity;
    for (const [track, p] of this.#packets) {
      const next = p.frames > 0 ? p.start : p.end;
      if (now - next <= 2 * this.#packetMs) {
        limit = Math.min(limit, next);
        continue;
      }
      // (A track gone for two packets: its partly filled packet is written in its place,
      // nothing recorded is lost, and it holds nothing back any more.)
      if (p.frames === 0) continue;
      this.#hold({
        track,
        mediaTime: p.start,
        key: true,
        payload: this.#packetPayload(track, p.frames, p.silent),
        duration: this.#periods.get(track)! * p.frames,
        audio: true,
      });
      p.frames = 0;
      p.silent = true;
    }
    const held = this.#held;
    let i = 0;
    for (; i < held.length && held[i]!.mediaTime < limit; i++) {
      const b = held[i]!;
      this.#out.block(b.track, b.mediaTime, b.key, b.payload, b.duration);
    }
    if (i > 0) held.splice(0, i);
  }

  encodeAudio(track: number, frame: AudioFrameRef, mediaTime: number): void {
    this.#block?.();
    const per = this.#framesPerPacket.get(track) ?? 1;
    if (per === 1) return this.#audioBlock(track, mediaTime, 1, frame.silent);
    // Several source frames in one packet (audioPacketMs): written when it is full.
    let p = this.#packets.get(track);
    if (p === undefined) {
      this.#packets.set(track, p = { start: mediaTime, end: mediaTime, frames: 0, silent: true });
    }
    if (p.frames === 0) p.start = mediaTime;
    p.frames++;
    p.end = mediaTime + this.#periods.get(track)!;
    p.silent &&= frame.silent;
    if (p.frames === per) this.#flushPacket(track);
  }

  #flushPacket(track: number): void {
    const p = this.#packets.get(track);
    if (p === undefined || p.frames === 0) return;
    // The packet closes: it and the blocks it held are written in timestamp order.
    const frames = p.frames;
    p.frames = 0;
    this.#audioBlock(track, p.start, frames, p.silent);
    p.silent = true;
    this.#writeHeld(p.end);
  }

  #audioBlock(track: number, mediaTime: number, frames: number, silent: boolean): void {
    const payload = this.#packetPayload(track, frames, silent);
    this.#emit(track, mediaTime, true, payload, this.#periods.get(track)! * frames, true);
  }

  #packetPayload(track: number, frames: number, silent: boolean): Uint8Array {
    const size = (this.#audioBytes.get(track) ?? 320) * frames;
    return syntheticPayload("audio", silent ? size / 8 : size, true, silent);
  }

  writeHeader(): void {
    this.#out.header();
  }

  boundary(): void {
    this.#out.boundary();
  }

  finish(): void {
    // (A partly filled packet is encoded at the end: nothing recorded is lost.)
    for (const track of this.#packets.keys()) this.#flushPacket(track);
    this.#writeHeld(Infinity);
    this.#out.finish();
  }

  close(): void {}
}

class SyntheticOgg implements RecorderEncoder {
  readonly feedInterval = Infinity;
  #writer: OggOpusWriter;
  #sink: EncoderSink;
  #bytes: number;
  #headerWritten = false;
  #ended = false;
  #granule = 0;

  constructor(config: EncoderConfig, sink: EncoderSink) {
    const track = config.tracks[0]!;
    this.#sink = sink;
    this.#bytes = audioBytes(config, track);
    const channels = Math.min(2, track.channelCount ?? 1);
    this.#writer = new OggOpusWriter({
      serial: config.seed >>> 0,
      channels,
      sampleRate: track.sampleRate ?? 48000,
      preSkip: 0,
    });
  }

  encodeVideo(): void {
    throw domException("NotSupportedError", "audio/ogg cannot hold video");
  }

  writeHeader(): void {
    if (this.#headerWritten) return;
    this.#headerWritten = true;
    this.#sink.write(this.#writer.header());
  }

  encodeAudio(_track: number, frame: AudioFrameRef): void {
    this.writeHeader();
    this.#granule += Math.round((frame.length * 48000) / frame.sampleRate);
    const size = frame.silent ? this.#bytes / 8 : this.#bytes;
    this.#sink.write(
      this.#writer.packet(syntheticPayload("audio", size, true, frame.silent), this.#granule),
    );
  }

  boundary(): void {
    // Close the open page at every cut, as Firefox does, so each chunk ends on a page.
    if (this.#headerWritten && !this.#ended) this.#sink.write(this.#writer.flush());
  }

  finish(): void {
    if (this.#headerWritten && !this.#ended) this.#sink.write(this.#writer.end());
    this.#ended = true;
  }

  close(): void {}
}

const MP4_CODECS: Record<string, Mp4Track["codec"]> = {
  avc1: "avc1",
  avc3: "avc1",
  h264: "avc1",
  mp4a: "mp4a",
  opus: "opus",
  vp9: "vp09",
  vp09: "vp09",
};

const mp4PayloadCache = new Map<number, Uint8Array>();

/**
 * A placeholder sample that FFmpeg's parsers still classify: for H.264 a length-prefixed
 * slice NAL header (IDR or P), for VP9 a frame-marker byte, for audio plain filler.
 */
function mp4Payload(codec: Mp4Track["codec"], size: number, key: boolean): Uint8Array {
  const n = Math.max(8, Math.round(size));
  const cacheKey = n * 16 + (key ? 1 : 0) * 8 + ["avc1", "mp4a", "opus", "vp09"].indexOf(codec);
  let p = mp4PayloadCache.get(cacheKey);
  if (!p) {
    p = new Uint8Array(n);
    p.set(FILLER.subarray(0, Math.min(FILLER.length, n)));
    if (codec === "avc1") {
      new DataView(p.buffer).setUint32(0, n - 4);
      p.set(key ? [0x65, 0x88, 0x84] : [0x41, 0x9a, 0x00], 4);
    } else if (codec === "vp09") {
      p[0] = key ? 0x82 : 0x86;
    }
    if (mp4PayloadCache.size < 4096) mp4PayloadCache.set(cacheKey, p);
  }
  return p;
}

/**
 * Fragmented MP4 with placeholder samples (decision 23): what Safari's default
 * `video/mp4` (H.264 + AAC) looks like, fragments of about a second starting at key
 * frames, so sub-second timeslices mostly find nothing new to deliver (as in Safari).
 */
class SyntheticMp4 implements RecorderEncoder {
  readonly feedInterval = Infinity;
  #writer: FragmentedMp4Writer;
  #sink: EncoderSink;
  #keys: KeyFrames;
  #codecs = new Map<number, Mp4Track["codec"]>();
  #audioBytes = new Map<number, number>();
  #headerWritten = false;

  constructor(config: EncoderConfig, sink: EncoderSink) {
    this.#sink = sink;
    this.#keys = new KeyFrames(config);
    const tracks: Mp4Track[] = config.tracks.map((t) => {
      const codec = MP4_CODECS[t.codec.toLowerCase().split(".")[0]!];
      if (!codec) throw domException("NotSupportedError", `no MP4 label for ${t.codec}`);
      this.#codecs.set(t.number, codec);
      if (t.kind === "audio") this.#audioBytes.set(t.number, audioBytes(config, t));
      const codecString = t.codec.includes(".") ? { codecString: t.codec } : {};
      return t.kind === "video"
        ? {
          id: t.number,
          kind: "video",
          codec,
          width: t.width ?? 320,
          height: t.height ?? 240,
          frameRate: t.frameRate ?? 30,
          ...codecString,
        }
        : {
          id: t.number,
          kind: "audio",
          codec,
          sampleRate: t.sampleRate ?? 48000,
          channels: Math.min(2, t.channelCount ?? 1),
          ...codecString,
        };
    });
    this.#writer = new FragmentedMp4Writer({ tracks });
  }

  writeHeader(): void {
    if (this.#headerWritten) return;
    this.#headerWritten = true;
    this.#sink.write(this.#writer.header());
  }

  #write(parts: Uint8Array[]): void {
    this.writeHeader();
    for (const part of parts) this.#sink.write(part);
  }

  encodeVideo(track: number, frame: VideoFrameRef, mediaTime: number): void {
    const size = this.#keys.next(track, mediaTime);
    const key = this.#keys.key;
    const codec = this.#codecs.get(track)!;
    const data = mp4Payload(codec, frame.black ? size / 8 : size, key);
    this.#write(this.#writer.sample(track, mediaTime, 1000 / 30, key, data));
  }

  encodeAudio(track: number, frame: AudioFrameRef, mediaTime: number): void {
    const size = this.#audioBytes.get(track) ?? 320;
    const data = mp4Payload(this.#codecs.get(track)!, frame.silent ? size / 8 : size, true);
    this.#write(
      this.#writer.sample(track, mediaTime, (frame.length * 1000) / frame.sampleRate, true, data),
    );
  }

  finish(): void {
    this.#write(this.#writer.flush());
  }

  close(): void {}
}
