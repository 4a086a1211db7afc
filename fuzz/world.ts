/**
 * The real system a fuzz case drives: one simulated user agent with the setup's tracks,
 * one stream, the fuzz encoder provider, the current recorder and its observer.
 *
 * @module
 */
import type { Scheduler } from "fast-check";
import type { MediaRecorder, MediaRecorderOptions } from "../src/recorder/media_recorder.ts";
import type { MediaStream } from "../src/media/media_stream.ts";
import type { MediaStreamTrack } from "../src/media/media_stream_track.ts";
import { createUserAgent, type UserAgent } from "../src/user_agent.ts";
import type { OptionsData, Setup } from "./case_data.ts";
import { FuzzEncoderProvider } from "./fuzz_encoder.ts";
import { decodeLiteral } from "./literal.ts";
import { useFastBlob } from "./fast_blob.ts";
import { profileOf } from "./profile_model.ts";
import { MediaRecorderErrorEvent } from "../src/events/media_recorder_error_event.ts";
import { Observer, outcomeOf } from "./observer.ts";

/** The real system of one run. */
export interface World {
  /** The agent. */
  ua: UserAgent;
  /** Tracks by setup index. */
  tracks: MediaStreamTrack[];
  /** The recorded stream. */
  stream: MediaStream;
  /** The current recorder. */
  recorder: MediaRecorder | null;
  /** Its trace name. */
  recorderName: string | null;
  /** Recorders constructed so far. */
  recorders: number;
  /** The fuzz encoder provider. */
  provider: FuzzEncoderProvider;
  /** The observer. */
  observer: Observer;
  /** The scheduler (scheduled mode only). */
  scheduler: Scheduler | null;
  /** Puts the native Blob back (null when this run uses it). */
  restoreBlob: (() => void) | null;
}

/** Creates the world of `setup` (tracks at virtual time 0, no recorder yet). */
export function createWorld(setup: Setup, scheduler: Scheduler | null): World {
  const restoreBlob = nativeBlobRun(setup.seed) ? null : useFastBlob();
  const ua = createUserAgent({
    seed: setup.seed,
    minTimeslice: setup.minTimeslice,
    profile: profileOf(setup.profile),
  });
  const provider = new FuzzEncoderProvider(setup.encoder, scheduler);
  ua.registerEncoder(provider);
  const tracks = setup.tracks.map((spec) => {
    if (spec.kind === "video") {
      const o: { frameRate?: number; jitterMs?: number; dropRate?: number } = {};
      if (spec.frameRate !== undefined) o.frameRate = spec.frameRate;
      if (spec.jitterMs !== undefined) o.jitterMs = spec.jitterMs;
      if (spec.dropRate !== undefined) o.dropRate = spec.dropRate;
      return ua.createVideoTrack({ width: 32, height: 24, ...o });
    }
    const o: { sampleRate?: number; frameSize?: number; channelCount?: number } = {};
    if (spec.sampleRate !== undefined) o.sampleRate = spec.sampleRate;
    if (spec.frameSize !== undefined) o.frameSize = spec.frameSize;
    if (spec.channelCount !== undefined) o.channelCount = spec.channelCount;
    return ua.createAudioTrack(o);
  });
  const stream = new ua.MediaStream(tracks.filter((_, i) => setup.tracks[i]!.inStream));
  return {
    ua,
    tracks,
    stream,
    recorder: null,
    recorderName: null,
    recorders: 0,
    provider,
    observer: new Observer(
      ua.trace,
      ua.profile.errorEvent === "ErrorEvent" ? ua.ErrorEvent : MediaRecorderErrorEvent,
    ),
    scheduler,
    restoreBlob,
  };
}

/**
 * Whether a run keeps the native `Blob` (one setup seed in 16); the others use
 * {@link useFastBlob}, whose bytes read synchronously.
 */
export function nativeBlobRun(seed: number): boolean {
  return (Math.imul(seed, 0x9e3779b1) >>> 28) === 0;
}

/** The options object the constructor receives (decoded literals). */
export function optionsObject(o: OptionsData): MediaRecorderOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o)) {
    if (value === undefined) continue;
    if (key === "mimeType" || key === "audioBitrateMode") out[key] = value;
    else {
      const d = decodeLiteral(value);
      if (!d.absent) out[key] = d.value;
    }
  }
  return out as MediaRecorderOptions;
}

/** `new ua.MediaRecorder(stream, options)`; on success it becomes the current recorder. */
export function constructRecorder(world: World, options: OptionsData): string {
  let created: MediaRecorder | null = null;
  const outcome = outcomeOf(() => {
    created = new world.ua.MediaRecorder(world.stream, optionsObject(options));
  });
  if (created !== null) {
    world.recorders++;
    world.recorder = created;
    world.recorderName = `recorder#${world.recorders}`;
    world.observer.watch(created, world.recorderName);
  }
  return outcome;
}

/** Closes the agent (timers, tracks, encoders). */
export function closeWorld(world: World): void {
  world.ua.close();
  world.restoreBlob?.();
}
