/**
 * The encoder seam: what the recorder needs from an encoder, and what an encoder
 * provider tells the user agent it can produce. recsim ships a pure-TypeScript
 * synthetic encoder (real container, placeholder payloads) in the core and a
 * libav.js encoder behind its own entry point.
 *
 * The recorder feeds frames in capture order, tells the encoder when a chunk is
 * about to be cut, and cuts the byte stream the encoder has written so far; it never
 * asks the encoder to drain its codecs at a chunk boundary.
 *
 * @module
 */
import type { AudioFrameRef, VideoFrameRef } from "../media/frames.ts";

/** One track as the encoder sees it. Track numbers start at 1, in feeding order. */
export interface EncoderTrack {
  /** Container track number (1-based). */
  number: number;
  /** Track kind. */
  kind: "video" | "audio";
  /** The codec string chosen for this track (e.g. `vp8`, `opus`). */
  codec: string;
  /** Video width. */
  width?: number;
  /** Video height. */
  height?: number;
  /** Video frame rate. */
  frameRate?: number;
  /** Audio sample rate. */
  sampleRate?: number;
  /** Audio channels. */
  channelCount?: number;
  /** Audio samples per frame. */
  frameSize?: number;
}

/** The configuration start() settled on (steps 8–13 and 15.1). */
export interface EncoderConfig {
  /** The container essence, e.g. `video/webm` or `audio/ogg`. */
  essence: string;
  /** The tracks to encode. */
  tracks: EncoderTrack[];
  /** Aggregate bits per second for all video tracks (a hint, step 10). */
  videoBitsPerSecond: number;
  /** Aggregate bits per second for all audio tracks (a hint, step 11). */
  audioBitsPerSecond: number;
  /** `constant` or `variable` (step 13). */
  audioBitrateMode: "constant" | "variable";
  /** Key frame after this many ms since the last one, or null (step 12). */
  videoKeyFrameIntervalDuration: number | null;
  /** Key frame after this many frames, or null (step 12). */
  videoKeyFrameIntervalCount: number | null;
  /** The agent's seed. */
  seed: number;
  /**
   * Write a seekable file (Duration and Cues) at the end, unless a chunk is cut earlier:
   * Chrome's layout for a recording without a timeslice (the `chrome` profile).
   */
  seekable?: boolean;
  /**
   * Audio packet duration in ms, when the encoder gathers several source frames into one
   * packet (Chrome encodes Opus in 60 ms packets: the `chrome` profile's `audioWriteMs`);
   * undefined: one packet per source frame.
   */
  audioPacketMs?: number;
  /**
   * WebM: an audio block this many ms after the Cluster's start begins a new Cluster, with
   * or without video (the `chrome` profile's `audioClusterMs`); undefined: none.
   */
  audioClusterMs?: number;
}

/** Where an encoder writes. */
export interface EncoderSink {
  /**
   * Appends container bytes to the recording (they go into the current chunk). A Blob is
   * kept by reference (no copy), so an encoder may pass cached Blobs for repeated bytes.
   * Written bytes must not be modified afterwards.
   */
  write(bytes: Uint8Array | Blob): void;
  /**
   * Marks the start of one frame's muxer write: the bytes written next, up to the next
   * mark, are what the muxer wrote for it (Chrome's closing write splits a chunk there).
   * Optional: an encoder that does not mark gives chunks without the split.
   */
  block?(): void;
  /** Reports an asynchronous failure (the spec's UnknownError path). */
  fail(error: unknown): void;
}

/**
 * A running encoder for one recording. Methods may return a promise; the recorder
 * waits for it only where bytes become observable (a chunk cut, the end). An
 * exception (or rejected promise) takes the spec's UnknownError path.
 */
export interface RecorderEncoder {
  /**
   * How often the recorder feeds frames, in ms of virtual time: 0 (the default) feeds
   * each frame once the clock has passed its capture time; a larger value feeds in
   * batches; `Infinity` feeds only where bytes become observable (chunk cuts,
   * requestData, the end, track changes). Frames and bytes are the same either way; a
   * failure is noticed when the failing frame is fed.
   */
  readonly feedInterval?: number;
  /** Resolves when the encoder is ready (e.g. WASM loaded). Rejection = UnknownError. */
  readonly ready?: Promise<void>;
  /** Encodes one video frame for `track` at `mediaTime` ms on the recording timeline. */
  encodeVideo(track: number, frame: VideoFrameRef, mediaTime: number): void | Promise<void>;
  /** Encodes one audio frame for `track` at `mediaTime` ms. */
  encodeAudio(track: number, frame: AudioFrameRef, mediaTime: number): void | Promise<void>;
  /** A chunk is about to be cut: write out whatever belongs before the cut (e.g. close an Ogg page). */
  boundary?(): void;
  /**
   * Writes the container header now, if it is not written yet. The recorder calls it when
   * the start event's steps run, so that data is there when `start` fires (decision 9:
   * every engine has the header by then). An encoder that cannot write it yet (the
   * libav.js encoder before its codecs are open) omits this and writes it with its first
   * packet.
   */
  writeHeader?(): void;
  /** Resolves once everything fed so far has been written (`undefined` when nothing is pending). */
  idle?(): Promise<void> | undefined;
  /** The recording ends: drain the codecs and write any trailing bytes. */
  finish(): void | Promise<void>;
  /** Releases resources; always called once, after `finish` or a failure. */
  close(): void;
}

/** Something that can create encoders for some containers and codecs. */
export interface EncoderProvider {
  /** A short name for traces and errors (e.g. `synthetic`, `libav`). */
  readonly name: string;
  /** Whether this provider can produce `essence` (e.g. `audio/ogg`). */
  supportsContainer(essence: string): boolean;
  /** Whether it can produce codec identifier `codec` in `essence`. */
  supportsCodec(essence: string, codec: string): boolean;
  /**
   * Creates an encoder. Throwing a `NotSupportedError` here takes start()'s step 15.2
   * path (error, stop, no dataavailable).
   */
  create(config: EncoderConfig, sink: EncoderSink): RecorderEncoder;
}
