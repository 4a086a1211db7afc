/**
 * Frames and audio frames as the recorder hands them to an encoder. They are
 * descriptors: pixels and samples are computed only when an encoder asks for them
 * (a synthetic encoder never does), so simulating an hour costs no pixel work.
 *
 * @module
 */

/** One video frame of a virtual track. */
export interface VideoFrameRef {
  /** Frame kind. */
  readonly kind: "video";
  /** The frame's index in its source (0 for the source's first frame). */
  readonly index: number;
  /** Capture time on the virtual clock, ms. */
  readonly time: number;
  /** Black (the track was disabled or muted at capture time). */
  readonly black: boolean;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** The frame's I420 pixels (computed on demand; `out` is reused when given). */
  pixels(out?: Uint8Array): Uint8Array;
}

/** One frame of audio samples of a virtual track. */
export interface AudioFrameRef {
  /** Frame kind. */
  readonly kind: "audio";
  /** The frame's index in its source. */
  readonly index: number;
  /** Capture time of the first sample on the virtual clock, ms. */
  readonly time: number;
  /** Silent (the track was disabled or muted at capture time). */
  readonly silent: boolean;
  /** Absolute index of the first sample in the source. */
  readonly firstSample: number;
  /** Samples per channel. */
  readonly length: number;
  /** Channels (samples are interleaved). */
  readonly channelCount: number;
  /** Sample rate in Hz. */
  readonly sampleRate: number;
  /** The interleaved float samples (computed on demand). */
  samples(out?: Float32Array): Float32Array;
}

/** A video or audio frame. */
export type FrameRef = VideoFrameRef | AudioFrameRef;
