/**
 * A "scene": the recording `deno task record` makes, as a library function. It builds an
 * agent with a virtual camera and microphone, records for a duration with a timeslice,
 * and returns the chunks, the events and the trace. Runtime-agnostic (no file output).
 *
 * @module
 */
import type { EncoderProvider } from "./encoding/encoder.ts";
import { createUserAgent, type UserAgent } from "./user_agent.ts";
import type { Trace } from "./trace.ts";

/** What to record. Every field has a default: the default virtual scene. */
export interface SceneOptions {
  /** Recording length in ms (default 5000). */
  durationMs?: number;
  /** The timeslice in ms, or null for none (default 1000). */
  timeslice?: number | null;
  /** The recorder's mimeType (default "video/webm"). */
  mimeType?: string;
  /** Video size (default 320×240); `null` for no video track. */
  video?: { width: number; height: number; frameRate: number } | null;
  /** Audio (default 48 kHz stereo 440 Hz tone); `null` for no audio track. */
  audio?: { sampleRate: number; channelCount: number; frequency: number } | null;
  /** The agent's seed (default 1). */
  seed?: number;
  /** Encoder providers to register (default: only the synthetic encoder). */
  encoders?: EncoderProvider[];
  /** Called after each virtual second with the virtual time reached, for progress output. */
  onProgress?: (virtualMs: number) => void;
}

/** One delivered chunk. */
export interface SceneChunk {
  /** The chunk's bytes. */
  data: Uint8Array;
  /** `BlobEvent.timecode`. */
  timecode: number;
  /** Virtual time of the event. */
  time: number;
  /** `data.type`. */
  type: string;
}

/** The result of {@link recordScene}. */
export interface SceneResult {
  /** The chunks in delivery order. */
  chunks: SceneChunk[];
  /** The chunks concatenated: the whole recording. */
  recording: Uint8Array;
  /** Every recorder event as `time:type` strings. */
  events: string[];
  /** The recorder's mimeType in the start event. */
  mimeType: string;
  /** The agent's trace. */
  trace: Trace;
  /** The agent (closed). */
  agent: UserAgent;
}

/**
 * Records a scene with the given options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordScene } from "./scene.ts";
 * const result = await recordScene({ durationMs: 2000, timeslice: 500 });
 * assert.ok(result.chunks.length === 5); // cuts at 500, 1000, 1500, 2000, then the (empty) final chunk
 * assert.ok(result.events[0] === "0:start" && result.events.at(-1) === "2000:stop");
 * ```
 */
export async function recordScene(options: SceneOptions = {}): Promise<SceneResult> {
  const durationMs = options.durationMs ?? 5000;
  const timeslice = options.timeslice === undefined ? 1000 : options.timeslice;
  const ua = createUserAgent({ seed: options.seed ?? 1, encoders: options.encoders ?? [] });
  const tracks = [];
  const video = options.video === undefined
    ? { width: 320, height: 240, frameRate: 30 }
    : options.video;
  const audio = options.audio === undefined
    ? { sampleRate: 48000, channelCount: 2, frequency: 440 }
    : options.audio;
  if (video) tracks.push(ua.createVideoTrack(video));
  if (audio) tracks.push(ua.createAudioTrack(audio));
  const stream = new ua.MediaStream(tracks);
  const rec = new ua.MediaRecorder(stream, { mimeType: options.mimeType ?? "video/webm" });
  const pending: Promise<SceneChunk>[] = [];
  const events: string[] = [];
  let mimeType = "";
  for (const type of ["start", "pause", "resume", "error", "stop"]) {
    rec.addEventListener(type, () => {
      events.push(`${ua.clock.now()}:${type}`);
      if (type === "start") mimeType = rec.mimeType;
    });
  }
  rec.ondataavailable = (e) => {
    events.push(`${ua.clock.now()}:dataavailable`);
    const time = ua.clock.now();
    pending.push(
      e.data.arrayBuffer().then((b) => ({
        data: new Uint8Array(b),
        timecode: e.timecode,
        time,
        type: e.data.type,
      })),
    );
  };
  if (timeslice === null) rec.start();
  else rec.start(timeslice);
  for (let t = 0; t < durationMs;) {
    const step = Math.min(1000, durationMs - t);
    await ua.clock.advance(step);
    t += step;
    options.onProgress?.(t);
  }
  rec.stop();
  await ua.clock.settle();
  const chunks = await Promise.all(pending);
  const recording = new Uint8Array(chunks.reduce((n, c) => n + c.data.length, 0));
  let offset = 0;
  for (const c of chunks) {
    recording.set(c.data, offset);
    offset += c.data.length;
  }
  ua.close();
  return { chunks, recording, events, mimeType, trace: ua.trace, agent: ua };
}
