/**
 * The fuzz encoder provider, registered on every fuzzed agent with `ua.registerEncoder`.
 * It wraps recsim's synthetic encoder and logs every frame the recorder feeds (track,
 * index, capture time, black/silent flag, media time) so the invariants can compare the
 * frames fed with the frames the model expects.
 *
 * In `scheduled` mode (decision 19) its work completes asynchronously through promises
 * that fast-check's scheduler releases in an order it picks: each call's "computation"
 * is a scheduled promise, released in any order, while the bytes are written in feeding
 * order (as an encoder with per-call workers and an in-order muxer would). `ready`,
 * `idle()` and `finish()` are asynchronous too, and `feedInterval` is configurable. The
 * virtual clock waits for tracked work before its next timer, so the bytes and the trace
 * must not depend on the scheduler's choices.
 *
 * @module
 */
import type { Scheduler } from "fast-check";
import type {
  EncoderConfig,
  EncoderProvider,
  EncoderSink,
  RecorderEncoder,
} from "../src/encoding/encoder.ts";
import { syntheticEncoder } from "../src/encoding/synthetic_encoder.ts";
import type { AudioFrameRef, VideoFrameRef } from "../src/media/frames.ts";
import type { EncoderMode } from "./case_data.ts";

/**
 * The encoder the fuzz provider wraps: recsim's synthetic encoder unless a campaign sets
 * another (`--encoder libav`). Only the synthetic encoder's payloads are checked
 * block by block.
 */
export const wrapped: { provider: EncoderProvider; synthetic: boolean } = {
  provider: syntheticEncoder,
  synthetic: true,
};

/** The highest bitrate (per kind) the fuzz encoder produces. */
export const MAX_FUZZ_BITS_PER_SECOND = 64_000;

/** One frame as the recorder fed it. */
export interface FedFrame {
  /** Container track number. */
  track: number;
  /** Frame index in its source. */
  index: number;
  /** Capture time (virtual ms). */
  time: number;
  /** Recorded as black/silence. */
  blank: boolean;
  /** Media time given to the encoder. */
  mediaTime: number;
}

/** An encoder created by the provider: the frames fed to it. */
export interface LoggedEncoder extends RecorderEncoder {
  /** The frames fed so far, in feeding order. */
  readonly fed: FedFrame[];
  /** The configuration it was created with. */
  readonly config: EncoderConfig;
}

/**
 * The provider: same containers and codecs as the wrapped encoder, named "fuzz".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FuzzEncoderProvider } from "./fuzz_encoder.ts";
 * const p = new FuzzEncoderProvider({ mode: "direct" }, null);
 * assert.ok(p.supportsCodec("video/webm", "vp8") && !p.supportsContainer("video/mp4"));
 * ```
 */
export class FuzzEncoderProvider implements EncoderProvider {
  /** Provider name in the trace. */
  readonly name = "fuzz";
  /** Encoders created, in order. */
  readonly created: LoggedEncoder[] = [];
  readonly #mode: EncoderMode;
  readonly #scheduler: Scheduler | null;

  /** A provider for `mode`; `scheduler` is required in scheduled mode. */
  constructor(mode: EncoderMode, scheduler: Scheduler | null) {
    if (mode.mode === "scheduled" && scheduler === null) {
      throw new Error("scheduled mode needs a scheduler");
    }
    this.#mode = mode;
    this.#scheduler = scheduler;
  }

  /** Same as the wrapped encoder. */
  supportsContainer(essence: string): boolean {
    return wrapped.provider.supportsContainer(essence);
  }

  /** Same as the wrapped encoder. */
  supportsCodec(essence: string, codec: string): boolean {
    return wrapped.provider.supportsCodec(essence, codec);
  }

  /**
   * Wraps an encoder (which may throw NotSupportedError: start() step 15.2). The
   * bitrates are hints (start() steps 10–11): this encoder caps them at
   * {@link MAX_FUZZ_BITS_PER_SECOND} so that WebIDL edge cases such as
   * `audioBitsPerSecond: -1` (4294967295) and long jumps keep recordings small.
   */
  create(config: EncoderConfig, sink: EncoderSink): RecorderEncoder {
    const inner = wrapped.provider.create({
      ...config,
      videoBitsPerSecond: Math.min(config.videoBitsPerSecond, MAX_FUZZ_BITS_PER_SECOND),
      audioBitsPerSecond: Math.min(config.audioBitsPerSecond, MAX_FUZZ_BITS_PER_SECOND),
    }, sink);
    const mode = this.#mode;
    const encoder = mode.mode === "direct"
      ? new DirectEncoder(inner, config)
      : new ScheduledEncoder(
        inner,
        config,
        this.#scheduler!,
        mode.feedInterval === "Infinity" ? Infinity : mode.feedInterval,
      );
    this.created.push(encoder);
    return encoder;
  }
}

function logFrame(
  fed: FedFrame[],
  track: number,
  frame: VideoFrameRef | AudioFrameRef,
  mediaTime: number,
): void {
  fed.push({
    track,
    index: frame.index,
    time: frame.time,
    blank: frame.kind === "video" ? frame.black : frame.silent,
    mediaTime,
  });
}

/** Synchronous: the synthetic encoder plus the frame log. */
class DirectEncoder implements LoggedEncoder {
  readonly fed: FedFrame[] = [];
  readonly config: EncoderConfig;
  readonly feedInterval: number;
  readonly #inner: RecorderEncoder;

  constructor(inner: RecorderEncoder, config: EncoderConfig) {
    this.#inner = inner;
    this.config = config;
    this.feedInterval = inner.feedInterval ?? 0;
  }
  encodeVideo(track: number, frame: VideoFrameRef, mediaTime: number): void | Promise<void> {
    logFrame(this.fed, track, frame, mediaTime);
    return this.#inner.encodeVideo(track, frame, mediaTime);
  }
  encodeAudio(track: number, frame: AudioFrameRef, mediaTime: number): void | Promise<void> {
    logFrame(this.fed, track, frame, mediaTime);
    return this.#inner.encodeAudio(track, frame, mediaTime);
  }
  boundary(): void {
    this.#inner.boundary?.();
  }
  writeHeader(): void {
    this.#inner.writeHeader?.();
  }
  idle(): Promise<void> | undefined {
    return this.#inner.idle?.();
  }
  finish(): void | Promise<void> {
    return this.#inner.finish();
  }
  close(): void {
    this.#inner.close();
  }
}

/** Asynchronous: completion order chosen by the scheduler, output in feeding order. */
class ScheduledEncoder implements LoggedEncoder {
  readonly fed: FedFrame[] = [];
  readonly config: EncoderConfig;
  readonly feedInterval: number;
  readonly ready: Promise<void>;
  readonly #inner: RecorderEncoder;
  readonly #scheduler: Scheduler;
  #tail: Promise<void>;
  #pending = 0;
  #serial = 0;

  constructor(
    inner: RecorderEncoder,
    config: EncoderConfig,
    scheduler: Scheduler,
    feedInterval: number,
  ) {
    this.#inner = inner;
    this.config = config;
    this.#scheduler = scheduler;
    this.feedInterval = feedInterval;
    this.ready = scheduler.schedule(Promise.resolve(), "ready").then(() => {});
    this.#tail = this.ready;
  }

  /** Queues `write` after a scheduler-released computation and after earlier writes. */
  #enqueue(label: string, write: () => void): Promise<void> {
    const computed = this.#scheduler.schedule(Promise.resolve(), `${label} (${++this.#serial})`);
    const previous = this.#tail;
    this.#pending++;
    const done = Promise.all([computed, previous]).then(() => {
      this.#pending--;
      write();
    }, (error) => {
      this.#pending--;
      throw error;
    });
    this.#tail = done;
    return done;
  }

  encodeVideo(track: number, frame: VideoFrameRef, mediaTime: number): Promise<void> {
    logFrame(this.fed, track, frame, mediaTime);
    return this.#enqueue(
      `video ${track}:${frame.index}`,
      () => void this.#inner.encodeVideo(track, frame, mediaTime),
    );
  }
  encodeAudio(track: number, frame: AudioFrameRef, mediaTime: number): Promise<void> {
    logFrame(this.fed, track, frame, mediaTime);
    return this.#enqueue(
      `audio ${track}:${frame.index}`,
      () => void this.#inner.encodeAudio(track, frame, mediaTime),
    );
  }
  boundary(): void {
    // Called at a cut, after idle(): everything fed is written, so closing a page is in order.
    this.#inner.boundary?.();
  }
  writeHeader(): void {
    // The header precedes every block (the inner encoder writes it once): written now,
    // it comes before the blocks still being computed.
    this.#inner.writeHeader?.();
  }
  idle(): Promise<void> | undefined {
    return this.#pending > 0 ? this.#tail : undefined;
  }
  finish(): Promise<void> {
    return this.#enqueue("finish", () => void this.#inner.finish());
  }
  close(): void {
    this.#inner.close();
  }
}
