/**
 * The source behind a virtual track: its settings and its frame schedule on the
 * virtual clock. Frame `i` of a video source is captured at
 * `origin + i·1000/frameRate (+ seeded jitter)`, unless the seeded drop decides it was
 * never produced; audio frame `j` holds samples `j·frameSize …` and is captured at
 * `origin + j·frameSize·1000/sampleRate`. Everything is a pure function of the index,
 * so the recorder can ask for any range without replaying the past.
 *
 * @module
 */
import { hashUnit } from "../prng.ts";
import type { AudioFrameRef, FrameRef, VideoFrameRef } from "./frames.ts";
import { renderVideoFrame } from "./pattern/video_pattern.ts";
import { renderAudio } from "./pattern/audio_signal.ts";

/** Options of a virtual camera track (`ua.createVideoTrack`). */
export interface VideoTrackOptions {
  /** Width in pixels (default 320). */
  width?: number;
  /** Height in pixels (default 240). */
  height?: number;
  /** Frames per second (default 30). */
  frameRate?: number;
  /** Each frame is captured up to this many ms late (seeded; default 0, must be < 1000/frameRate). */
  jitterMs?: number;
  /** Probability in [0, 1) that a frame is dropped by the source (seeded; default 0). */
  dropRate?: number;
  /** The track's label (default "recsim virtual camera"). */
  label?: string;
  /** Start not origin-clean (start() throws `SecurityError`). */
  isolated?: boolean;
}

/** Options of a virtual microphone track (`ua.createAudioTrack`). */
export interface AudioTrackOptions {
  /** Sample rate in Hz (default 48000). */
  sampleRate?: number;
  /** Channels (default 1). */
  channelCount?: number;
  /** Tone frequency in Hz (default 440). */
  frequency?: number;
  /** What the microphone hears (default "tone"). */
  signal?: "tone" | "silence" | "noise";
  /** Samples per channel in each audio frame (default sampleRate/50, i.e. 20 ms). */
  frameSize?: number;
  /** The track's label (default "recsim virtual microphone"). */
  label?: string;
  /** Start not origin-clean. */
  isolated?: boolean;
}

/** A virtual media source. Clones of a track share it. */
export interface TrackSource {
  /** The kind of media. */
  readonly kind: "video" | "audio";
  /** Virtual time of frame 0. */
  readonly origin: number;
  /** The source's own seed. */
  readonly seed: number;
  /** Frame period in ms. */
  readonly period: number;
  /** The settings a track reports. */
  readonly settings: Readonly<Record<string, number | string>>;
  /** Capture time of frame `i`. */
  frameTime(i: number): number;
  /** Whether frame `i` was never produced (seeded drop). */
  isDropped(i: number): boolean;
  /** The index of the first produced frame captured at or after `t`. */
  firstIndexAtOrAfter(t: number): number;
  /** The frame descriptor for index `i`. */
  frame(i: number, blank: boolean): FrameRef;
}

/** A lazy video frame: its pixels are rendered only when an encoder asks (a class, not a closure per frame). */
class VideoFrameDescriptor implements VideoFrameRef {
  readonly kind = "video";
  constructor(
    readonly index: number,
    readonly time: number,
    readonly black: boolean,
    readonly width: number,
    readonly height: number,
    readonly seed: number,
  ) {}
  pixels(out?: Uint8Array): Uint8Array {
    const { index, width, height, black, seed } = this;
    return renderVideoFrame({ index, width, height, black, seed }, out);
  }
}

/** A lazy audio frame: its samples are rendered only when an encoder asks. */
class AudioFrameDescriptor implements AudioFrameRef {
  readonly kind = "audio";
  readonly firstSample: number;
  constructor(
    readonly index: number,
    readonly time: number,
    readonly silent: boolean,
    readonly length: number,
    readonly channelCount: number,
    readonly sampleRate: number,
    private readonly signal: {
      signal: "tone" | "silence" | "noise";
      frequency: number;
      seed: number;
    },
  ) {
    this.firstSample = index * length;
  }
  samples(out?: Float32Array): Float32Array {
    const { firstSample, length, channelCount, sampleRate, silent } = this;
    return renderAudio(
      { firstSample, length, channelCount, sampleRate, silent, ...this.signal },
      out,
    );
  }
}

function positiveInt(value: unknown, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new TypeError(`${what}, when provided, must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function positiveNumber(value: unknown, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(
      `${what}, when provided, must be a finite number > 0, got ${String(value)}`,
    );
  }
  return value;
}

function firstIndexAtOrAfter(source: TrackSource, t: number): number {
  let i = Math.max(0, Math.ceil((t - source.origin) / source.period) - 1);
  while (i > 0 && source.frameTime(i - 1) >= t) i--;
  while (source.frameTime(i) < t) i++;
  while (source.isDropped(i)) i++;
  return i;
}

/**
 * Creates a video source; throws `TypeError` for bad options (nothing is created).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createVideoSource } from "./track_source.ts";
 * const s = createVideoSource({ frameRate: 30 }, 0, 1);
 * assert.ok(s.frameTime(30) === 1000);
 * assert.ok(s.firstIndexAtOrAfter(1000) === 30 && s.firstIndexAtOrAfter(1000.1) === 31);
 * ```
 */
export function createVideoSource(
  options: VideoTrackOptions,
  origin: number,
  seed: number,
): TrackSource {
  const width = positiveInt(options.width, 320, "options.width");
  const height = positiveInt(options.height, 240, "options.height");
  const frameRate = positiveNumber(options.frameRate, 30, "options.frameRate");
  const period = 1000 / frameRate;
  const jitterMs = options.jitterMs ?? 0;
  if (typeof jitterMs !== "number" || !(jitterMs >= 0 && jitterMs < period)) {
    throw new TypeError(
      `options.jitterMs, when provided, must be in [0, ${period}), got ${String(jitterMs)}`,
    );
  }
  const dropRate = options.dropRate ?? 0;
  if (typeof dropRate !== "number" || !(dropRate >= 0 && dropRate < 1)) {
    throw new TypeError(
      `options.dropRate, when provided, must be in [0, 1), got ${String(dropRate)}`,
    );
  }
  const source: TrackSource = {
    kind: "video",
    origin,
    seed,
    period,
    settings: Object.freeze({
      width,
      height,
      frameRate,
      aspectRatio: width / height,
      resizeMode: "none",
    }),
    frameTime: jitterMs === 0
      ? (i) => origin + (i * 1000) / frameRate
      : (i) => origin + (i * 1000) / frameRate + hashUnit(seed, i, 1) * jitterMs,
    isDropped: dropRate === 0 ? () => false : (i) => i > 0 && hashUnit(seed, i, 2) < dropRate,
    firstIndexAtOrAfter: (t) => firstIndexAtOrAfter(source, t),
    frame(index: number, black: boolean): VideoFrameRef {
      return new VideoFrameDescriptor(index, source.frameTime(index), black, width, height, seed);
    },
  };
  return source;
}

/**
 * Creates an audio source; throws `TypeError` for bad options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAudioSource } from "./track_source.ts";
 * const s = createAudioSource({ sampleRate: 48000 }, 0, 1);
 * assert.ok(s.frameTime(50) === 1000 && s.settings.channelCount === 1);
 * ```
 */
export function createAudioSource(
  options: AudioTrackOptions,
  origin: number,
  seed: number,
): TrackSource {
  const sampleRate = positiveInt(options.sampleRate, 48000, "options.sampleRate");
  const channelCount = positiveInt(options.channelCount, 1, "options.channelCount");
  const frequency = positiveNumber(options.frequency, 440, "options.frequency");
  const frameSize = positiveInt(
    options.frameSize,
    Math.max(1, Math.round(sampleRate / 50)),
    "options.frameSize",
  );
  const signal = options.signal ?? "tone";
  if (signal !== "tone" && signal !== "silence" && signal !== "noise") {
    throw new TypeError(
      `options.signal, when provided, must be "tone", "silence" or "noise", got ${String(signal)}`,
    );
  }
  const period = (frameSize * 1000) / sampleRate;
  // (One object for every frame of the source, not one per frame.)
  const tone = Object.freeze({ signal, frequency, seed });
  const source: TrackSource = {
    kind: "audio",
    origin,
    seed,
    period,
    settings: Object.freeze({
      sampleRate,
      channelCount,
      sampleSize: 32,
      frequency,
      frameSize,
      signal,
    }),
    frameTime: (j) => origin + (j * frameSize * 1000) / sampleRate,
    isDropped: () => false,
    firstIndexAtOrAfter: (t) => firstIndexAtOrAfter(source, t),
    frame(index: number, silent: boolean): AudioFrameRef {
      return new AudioFrameDescriptor(
        index,
        source.frameTime(index),
        silent,
        frameSize,
        channelCount,
        sampleRate,
        tone,
      );
    },
  };
  return source;
}
