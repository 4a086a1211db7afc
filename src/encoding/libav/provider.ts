/**
 * The libav.js encoder provider: real VP8/VP9 and Opus (ffmpeg's libvpx and libopus
 * compiled to WebAssembly) behind recsim's encoder seam, with the container written in
 * TypeScript by the same WebM and Ogg writers the synthetic encoder uses. A chunk cut
 * is only a cut in a byte stream that does not depend on it, so timesliced chunks
 * concatenate to exactly the bytes of an unsliced recording (WebM).
 *
 * Types: `video/webm` (vp8, vp9, opus; any subset that fits the tracks),
 * `audio/webm;codecs=opus`, `audio/ogg;codecs=opus`. Audio must be 48 kHz, 1 or 2
 * channels (other tracks take start()'s asynchronous NotSupportedError path).
 *
 * Timing: encoding takes real CPU time but never changes virtual time. Frames are fed
 * in batches (every `feedInterval` ms of virtual time); the recorder waits for the
 * encoder only where bytes become observable (a chunk cut, requestData, the end), and
 * whenever more than `maxBacklog` frames are waiting.
 *
 * @module
 */
import { OggOpusWriter, type OggOpusWriter as OggWriter } from "../../container/ogg_writer.ts";
import { WebmOutput } from "../webm_output.ts";
import { codecTable, WEBM_OGG_CODECS } from "../codec_table.ts";
import type { EncoderConfig, EncoderProvider, EncoderSink, RecorderEncoder } from "../encoder.ts";
import type { AudioFrameRef, VideoFrameRef } from "../../media/frames.ts";
import {
  type AudioEncoder,
  type EncodedPacket,
  openAudioEncoder,
  openVideoEncoder,
  type VideoEncoder,
} from "./codecs.ts";
import {
  discardLibAV,
  isFatalLibAVError,
  type LibAVInstance,
  loadLibAV,
  prewarmLibAV,
} from "./load.ts";

/** Options of {@link createLibavEncoder}. */
export interface LibavEncoderOptions {
  /** libvpx speed (`cpu-used`); default 12 for VP8 (16% faster than 8 at equal quality) and 8 for VP9. */
  speed?: number;
  /** Virtual ms between feedings of the encoder (default 1000). */
  feedInterval?: number;
  /** Frames waiting to be encoded before the recorder waits for the encoder (default 120). */
  maxBacklog?: number;
  /** Key frame interval in ms when the recorder's options give none (default 2000). */
  defaultKeyFrameIntervalMs?: number;
  /**
   * The key of the libav.js instance this provider uses (see `loadLibAV`); by default each
   * provider gets its own. Providers with the same key share one instance.
   */
  instanceKey?: string;
}

const LIBAV = codecTable(WEBM_OGG_CODECS, "libav");

let providers = 0;

/**
 * Creates a libav.js encoder provider. Its WebAssembly instance is loaded lazily, at the
 * first start() that needs it, and shared by every recording of the agents it is
 * registered on; after a WebAssembly trap the instance is discarded and the next
 * recording loads a fresh one.
 *
 * @example
 * ```ts ignore
 * import { createUserAgent } from "@recsim/core";
 * import { createLibavEncoder } from "@recsim/core/libav";
 * const ua = createUserAgent({ encoders: [createLibavEncoder()] });
 * ```
 */
export function createLibavEncoder(options: LibavEncoderOptions = {}): EncoderProvider {
  const key = options.instanceKey ?? `recsim-libav-${++providers}`;
  // Compile the WebAssembly module now, off the main thread, while the caller sets up.
  prewarmLibAV();
  return Object.freeze({
    name: "libav",
    supportsContainer: LIBAV.supportsContainer,
    supportsCodec: LIBAV.supportsCodec,
    create(config: EncoderConfig, sink: EncoderSink): RecorderEncoder {
      LIBAV.check(config);
      for (const t of config.tracks) {
        if (
          t.kind === "audio" &&
          (t.sampleRate !== 48000 || !(t.channelCount === 1 || t.channelCount === 2))
        ) {
          throw new DOMException(
            `the libav encoder records Opus from 48 kHz mono or stereo tracks (got ${t.sampleRate} Hz, ${t.channelCount} channels)`,
            "NotSupportedError",
          );
        }
      }
      if (config.essence === "audio/ogg" && config.tracks.length !== 1) {
        throw new DOMException("audio/ogg holds exactly one Opus track", "NotSupportedError");
      }
      return new LibavRecorderEncoder(config, sink, key, options);
    },
  });
}

interface VideoLane {
  kind: "video";
  encoder: VideoEncoder;
  framesSinceKey: number;
  lastKeyTime: number;
  buffer: Uint8Array | undefined;
}

interface AudioLane {
  kind: "audio";
  encoder: AudioEncoder;
  /** Recording-timeline sample position of the first sample fed (48 kHz). */
  firstSample: number | null;
}

class LibavRecorderEncoder implements RecorderEncoder {
  readonly feedInterval: number;
  readonly ready: Promise<void>;
  #config: EncoderConfig;
  #sink: EncoderSink;
  #key: string;
  #options: LibavEncoderOptions;
  #libav: LibAVInstance | null = null;
  #lanes = new Map<number, VideoLane | AudioLane>();
  #webm: WebmOutput | null = null;
  #ogg: OggWriter | null = null;
  #headerWritten = false;
  #chain: Promise<void>;
  #pending = 0;
  #failed = false;
  #closed = false;
  #oggGranule = 0;

  constructor(config: EncoderConfig, sink: EncoderSink, key: string, options: LibavEncoderOptions) {
    this.#config = config;
    this.#sink = sink;
    this.#key = key;
    this.#options = options;
    this.feedInterval = options.feedInterval ?? 1000;
    this.ready = this.#open();
    this.#chain = this.ready.catch(() => {});
  }

  async #open(): Promise<void> {
    const libav = await loadLibAV(this.#key, { logLevel: -8 });
    this.#libav = libav;
    const c = this.#config;
    const videos = c.tracks.filter((t) => t.kind === "video");
    const audios = c.tracks.filter((t) => t.kind === "audio");
    try {
      for (const t of c.tracks) {
        if (t.kind === "video") {
          const encoder = await openVideoEncoder(libav, {
            codec: t.codec.toLowerCase() === "vp9" ? "vp9" : "vp8",
            width: t.width ?? 320,
            height: t.height ?? 240,
            frameRate: t.frameRate ?? 30,
            bitrate: Math.max(10_000, Math.round(c.videoBitsPerSecond / videos.length)),
            // VP8 at speed 12: 16% less CPU than 8 at the same quality (±0.3 dB measured at
            // 0.3–2.5 Mbit/s on recsim's pattern); VP9's fastest real-time speed is 8.
            speed: this.#options.speed ?? (t.codec.toLowerCase() === "vp9" ? 8 : 12),
          });
          this.#lanes.set(t.number, {
            kind: "video",
            encoder,
            framesSinceKey: 0,
            lastKeyTime: -Infinity,
            buffer: undefined,
          });
        } else {
          const channels = t.channelCount ?? 1;
          const perTrack = Math.round(c.audioBitsPerSecond / audios.length);
          const encoder = await openAudioEncoder(libav, {
            codec: "opus",
            sampleRate: 48000,
            channels,
            bitrate: Math.min(512_000 * channels, Math.max(6_000, perTrack)),
            mode: c.audioBitrateMode,
          });
          this.#lanes.set(t.number, { kind: "audio", encoder, firstSample: null });
        }
      }
    } catch (error) {
      this.#fatal(error);
      throw error;
    }
    if (c.essence === "audio/ogg") {
      const lane = [...this.#lanes.values()][0] as AudioLane;
      this.#ogg = new OggOpusWriter({
        serial: c.seed >>> 0,
        channels: lane.encoder.config.channels,
        sampleRate: 48000,
        preSkip: lane.encoder.preSkip,
        opusHead: lane.encoder.codecPrivate,
      });
    } else {
      this.#webm = new WebmOutput(
        {
          tracks: c.tracks.map((t) => {
            const lane = this.#lanes.get(t.number)!;
            if (lane.kind === "video") {
              return {
                number: t.number,
                kind: "video" as const,
                codecId: lane.encoder.config.codec === "vp9" ? "V_VP9" : "V_VP8",
                width: t.width ?? 320,
                height: t.height ?? 240,
              };
            }
            return {
              number: t.number,
              kind: "audio" as const,
              codecId: "A_OPUS",
              codecPrivate: lane.encoder.codecPrivate,
              codecDelayNs: Math.round((lane.encoder.preSkip * 1e9) / 48000),
              seekPreRollNs: 80_000_000,
              sampleRate: 48000,
              channels: lane.encoder.config.channels,
              bitDepth: 32,
            };
          }),
          muxingApp: "recsim",
          writingApp: "recsim libav.js encoder",
          ...(c.audioClusterMs === undefined ? {} : { audioClusterMs: c.audioClusterMs }),
        },
        this.#sink,
        c.seekable ?? false,
      );
    }
  }

  /** Queues work after everything queued before; failures go to the sink. */
  #queue(work: () => Promise<void>): void | Promise<void> {
    if (this.#failed || this.#closed) return;
    this.#pending++;
    this.#chain = this.#chain.then(async () => {
      if (this.#failed || this.#closed) return;
      try {
        await work();
      } catch (error) {
        this.#fatal(error);
        this.#failed = true;
        this.#sink.fail(error);
      } finally {
        this.#pending--;
      }
    });
    // Backpressure: past maxBacklog frames, the recorder (and so the clock) waits.
    if (this.#pending > (this.#options.maxBacklog ?? 120)) return this.#chain;
  }

  #fatal(error: unknown): void {
    if (this.#libav && isFatalLibAVError(error)) {
      // Decision 17: a trapped instance is dead; the next recording loads a fresh one.
      discardLibAV(this.#libav);
      this.#libav = null;
    }
  }

  #writeOggHeader(): void {
    if (this.#headerWritten) return;
    this.#headerWritten = true;
    this.#sink.write(this.#ogg!.header());
  }

  #writeVideo(track: number, packets: EncodedPacket[]): void {
    const period = 1000 / (this.#config.tracks.find((t) => t.number === track)?.frameRate ?? 30);
    for (const p of packets) this.#webm!.block(track, p.pts / 1000, p.keyframe, p.data, period);
  }

  #writeAudio(track: number, lane: AudioLane, packets: EncodedPacket[]): void {
    for (const p of packets) {
      // pts includes the encoder delay: the first packet is at -preSkip; with CodecDelay
      // (WebM) or pre-skip (Ogg) the decoder drops those samples, so blocks start at 0.
      const start = p.pts + lane.encoder.preSkip;
      if (this.#webm) {
        this.#webm.block(
          track,
          start / 48,
          true,
          p.data,
          (p.duration ?? lane.encoder.frameSize) / 48,
        );
      } else {
        this.#writeOggHeader();
        this.#oggGranule = start + (p.duration ?? lane.encoder.frameSize);
        this.#sink.write(this.#ogg!.packet(p.data, this.#oggGranule));
      }
    }
  }

  encodeVideo(track: number, frame: VideoFrameRef, mediaTime: number): void | Promise<void> {
    const lane = this.#lanes.get(track) ?? null;
    return this.#queue(async () => {
      const v = (lane ?? this.#lanes.get(track)) as VideoLane;
      const c = this.#config;
      let key: boolean;
      if (v.lastKeyTime === -Infinity) key = true;
      else if (c.videoKeyFrameIntervalCount !== null) {
        key = v.framesSinceKey >= c.videoKeyFrameIntervalCount;
      } else {
        const interval = c.videoKeyFrameIntervalDuration ??
          this.#options.defaultKeyFrameIntervalMs ?? 2000;
        key = mediaTime - v.lastKeyTime >= interval;
      }
      if (key) {
        v.framesSinceKey = 1;
        v.lastKeyTime = mediaTime;
      } else v.framesSinceKey++;
      v.buffer = frame.pixels(v.buffer);
      this.#writeVideo(track, await v.encoder.encode(v.buffer, Math.round(mediaTime * 1000), key));
    });
  }

  encodeAudio(track: number, frame: AudioFrameRef, mediaTime: number): void | Promise<void> {
    return this.#queue(async () => {
      const a = this.#lanes.get(track) as AudioLane;
      const pts = Math.round(mediaTime * 48);
      if (a.firstSample === null) a.firstSample = pts;
      this.#writeAudio(track, a, await a.encoder.encode(frame.samples(), pts));
    });
  }

  boundary(): void {
    // Ogg: close the open page at every cut (as Firefox does); WebM: a seekable output
    // falls back to live.
    if (this.#ogg && this.#headerWritten && !this.#closed) this.#sink.write(this.#ogg.flush());
    this.#webm?.boundary();
  }

  idle(): Promise<void> | undefined {
    return this.#pending > 0 || !this.#libavReady() ? this.#chain : undefined;
  }

  #libavReady(): boolean {
    return this.#lanes.size === this.#config.tracks.length;
  }

  finish(): Promise<void> {
    this.#queue(async () => {
      for (const [track, lane] of this.#lanes) {
        if (lane.kind === "video") this.#writeVideo(track, await lane.encoder.flush());
        else if (lane.firstSample !== null) {
          this.#writeAudio(track, lane, await lane.encoder.flush());
        }
      }
      if (this.#ogg && this.#headerWritten) this.#sink.write(this.#ogg.end());
      this.#webm?.finish();
    });
    return this.#chain;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const lanes = [...this.#lanes.values()];
    this.#lanes.clear();
    // Free the codec contexts once queued work is done (a dead instance is left to the GC).
    const dead = this.#libav === null;
    void this.#chain.then(async () => {
      if (dead) return;
      for (const lane of lanes) await lane.encoder.close().catch(() => {});
    });
  }
}
