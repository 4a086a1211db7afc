/**
 * recsim: a deterministic simulator and fuzzing harness for the browser `MediaRecorder`
 * API. A simulated user agent owns a virtual clock and virtual camera/microphone tracks;
 * its `MediaRecorder` follows the W3C MediaStream Recording spec step by step and
 * produces real WebM/Ogg bytes.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "./mod.ts";
 * const ua = createUserAgent({ seed: 1 });
 * const stream = new ua.MediaStream([ua.createVideoTrack(), ua.createAudioTrack()]);
 * const rec = new ua.MediaRecorder(stream, { mimeType: "video/webm" });
 * const chunks: Blob[] = [];
 * rec.ondataavailable = (e) => chunks.push(e.data);
 * rec.start(1000);
 * await ua.clock.advance(3500);
 * rec.stop();
 * await ua.clock.settle();
 * assert.ok(chunks.length === 4);
 * ```
 *
 * This module is browser compatible: it imports no WebAssembly and no runtime-specific API.
 *
 * @module
 */
export { createUserAgent, type UserAgent, type UserAgentOptions } from "./src/user_agent.ts";
export type { Clock, DrivableClock, TimerId } from "./src/clock/clock.ts";
export { VirtualClock } from "./src/clock/virtual_clock.ts";
export { RealClock } from "./src/clock/real_clock.ts";
export {
  type BitrateMode,
  type BlobEventLike,
  type ErrorEventLike,
  MediaRecorder,
  type MediaRecorderOptions,
  type RecorderEventHandler,
  type RecordingState,
} from "./src/recorder/media_recorder.ts";
export {
  MediaStream,
  type StreamEventHandler,
  type TrackEventLike,
} from "./src/media/media_stream.ts";
export { MediaStreamTrack } from "./src/media/media_stream_track.ts";
export type { AudioTrackOptions, VideoTrackOptions } from "./src/media/track_source.ts";
export type {
  ConstrainNumber,
  ConstrainString,
  MediaTrackCapabilities,
  MediaTrackConstraints,
  MediaTrackSettings,
  NumberRange,
} from "./src/media/constraint_types.ts";
export type { AudioFrameRef, FrameRef, VideoFrameRef } from "./src/media/frames.ts";
export { SimEventTarget } from "./src/events/sim_event_target.ts";
export {
  BlobEvent,
  type BlobEventInit,
  BlobEventWithoutTimecode,
} from "./src/events/blob_event.ts";
export {
  MediaRecorderErrorEvent,
  type MediaRecorderErrorEventInit,
} from "./src/events/media_recorder_error_event.ts";
export { ErrorEvent, type ErrorEventInit } from "./src/events/error_event.ts";
export {
  MediaStreamTrackEvent,
  type MediaStreamTrackEventInit,
} from "./src/events/media_stream_track_event.ts";
export type {
  EncoderConfig,
  EncoderProvider,
  EncoderSink,
  EncoderTrack,
  RecorderEncoder,
} from "./src/encoding/encoder.ts";
export { syntheticEncoder } from "./src/encoding/synthetic_encoder.ts";
export {
  type BitrateSplit,
  chromeProfile,
  chromeProfileFor,
  type ChunkClock,
  type EncoderLatency,
  firefoxProfile,
  type Profile,
  type ProfileName,
  profiles,
  safariProfile,
  specProfile,
} from "./src/profiles/mod.ts";
export { syntheticFallbackEncoder } from "./src/encoding/synthetic_encoder.ts";
export { HarnessError } from "./src/errors.ts";
export {
  type CallEntry,
  type ChunkEntry,
  type EventEntry,
  type FramesEntry,
  type ListenerErrorEntry,
  ndjsonSink,
  type RecordingEntry,
  Trace,
  type TraceEntry,
  type TraceOptions,
  type TraceSink,
  type TrackEntry,
} from "./src/trace.ts";
export {
  GLOBAL_NAMES,
  type InstalledGlobals,
  installGlobals,
} from "./src/dropin/install_globals.ts";
export {
  type DeviceKind,
  type DevicePermissionName,
  type DevicePermissionState,
  MediaDeviceInfo,
  type MediaDeviceKind,
  MediaDevices,
  type MediaStreamConstraints,
  type VirtualDeviceInfo,
  type VirtualDeviceInit,
} from "./src/dropin/devices.ts";
export { type CapabilityValue, OverconstrainedError } from "./src/dropin/constraints.ts";
export type { AutoAdvance, AutoAdvanceOptions } from "./src/clock/virtual_clock.ts";
export type { TrackEventHandler } from "./src/media/media_stream_track.ts";
