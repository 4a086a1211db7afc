/**
 * The real-encoding scenarios (libav.js): a scene through the recorder with
 * `createLibavEncoder()`, the same frames through a bare libav.js encode loop, and a check
 * that both produce the same packets. Used by `encoding_bench.ts`, `compare.ts`,
 * `summary.ts` and `run_scenario.ts`.
 *
 * @module
 */
import { createUserAgent } from "../mod.ts";
import type { EncoderProvider } from "../src/encoding/encoder.ts";
import { createLibavEncoder } from "../src/encoding/libav/mod.ts";
import {
  type EncodedPacket,
  openAudioEncoder,
  openVideoEncoder,
} from "../src/encoding/libav/codecs.ts";
import { type LibAVInstance, loadLibAV } from "../src/encoding/libav/load.ts";
import { renderAudio } from "../src/media/pattern/audio_signal.ts";
import { i420FrameSize, renderVideoFrame } from "../src/media/pattern/video_pattern.ts";
import { hash32 } from "../src/prng.ts";
import { readWebm } from "../src/testing.ts";
import { type RunResult, stopwatch, yieldToHost } from "./_scenarios.ts";

/** A scene recorded for real: VP8 or VP9 video (or none) and stereo 48 kHz Opus. */
export interface RealScene {
  /** A short label for tables. */
  label: string;
  /** Video codec, or `null` for audio only. */
  video: "vp8" | "vp9" | null;
  /** Frame width. */
  width: number;
  /** Frame height. */
  height: number;
  /** Frames per second. */
  frameRate: number;
  /** Virtual ms recorded. */
  durationMs: number;
}

/** The default scene (`deno task record`): 640×480@30 VP8 + 48 kHz stereo Opus, 5 s. */
export const VP8_SCENE: RealScene = {
  label: "VP8 640×480@30 + Opus",
  video: "vp8",
  width: 640,
  height: 480,
  frameRate: 30,
  durationMs: 5000,
};

/**
 * VP9 at the same size, 1 s (libvpx VP9 in WebAssembly is about three times slower than
 * VP8: about 13 fps here).
 */
export const VP9_SCENE: RealScene = {
  label: "VP9 640×480@30 + Opus",
  video: "vp9",
  width: 640,
  height: 480,
  frameRate: 30,
  durationMs: 1000,
};

/** Audio only: 48 kHz stereo Opus, 30 s, `audio/webm;codecs=opus`. */
export const OPUS_SCENE: RealScene = {
  label: "Opus 48 kHz stereo (audio only)",
  video: null,
  width: 0,
  height: 0,
  frameRate: 0,
  durationMs: 30_000,
};

/** Returns a copy of `scene` with another duration. */
export function withDuration(scene: RealScene, durationMs: number): RealScene {
  return { ...scene, durationMs };
}

/** The recorder's defaults (spec profile), used by the bare loop and by native ffmpeg. */
export const VIDEO_BITS_PER_SECOND = 2_500_000;
/** The spec profile's default audio bitrate (VBR). */
export const AUDIO_BITS_PER_SECOND = 128_000;
/** The libav encoder's default key frame interval when the options give none. */
export const KEY_FRAME_INTERVAL_MS = 2000;
/** The agent seed every scenario uses. */
export const SEED = 1;

/** Number of video frames a scene records. */
export function videoFrameCount(scene: RealScene): number {
  return scene.video === null ? 0 : Math.ceil((scene.durationMs * scene.frameRate) / 1000);
}

/** Number of 20 ms audio frames a scene records. */
export function audioFrameCount(scene: RealScene): number {
  return Math.ceil(scene.durationMs / 20);
}

/** The recorder mimeType of a scene. */
export function sceneMimeType(scene: RealScene): string {
  return scene.video === null ? "audio/webm;codecs=opus" : `video/webm;codecs=${scene.video},opus`;
}

/**
 * The seeds recsim gives the scene's virtual tracks (agent seed 1, tracks created video
 * first): the bare loop and the raw files for ffmpeg render the very same frames.
 * {@link checkSameOutput} checks that the assumption holds.
 */
export function sceneSeeds(scene: RealScene): { video: number; audio: number } {
  return scene.video === null
    ? { video: 0, audio: hash32(SEED, 1) }
    : { video: hash32(SEED, 1), audio: hash32(SEED, 2) };
}

/** Renders video frame `index` of a scene (as the virtual camera does). */
export function sceneVideoFrame(scene: RealScene, index: number, out?: Uint8Array): Uint8Array {
  const { width, height } = scene;
  return renderVideoFrame({ index, width, height, seed: sceneSeeds(scene).video }, out);
}

/** Renders `frames` audio frames from frame `first` (interleaved stereo f32). */
export function sceneAudio(scene: RealScene, first: number, frames = 1): Float32Array {
  return renderAudio({
    firstSample: first * 960,
    length: frames * 960,
    channelCount: 2,
    sampleRate: 48000,
    signal: "tone",
    frequency: 440,
    seed: sceneSeeds(scene).audio,
  });
}

/** Options of {@link recordReal}. */
export interface RealOptions {
  /** The libav.js provider (create it once: its instance is loaded at its first use). */
  provider: EncoderProvider;
  /** The timeslice (default 1000, as `deno task record`). */
  timeslice?: number | null;
  /** Keep the chunks (for {@link checkSameOutput}); by default they are dropped. */
  keep?: boolean;
  /** Keep a trace (default true: the agent's default). */
  trace?: boolean;
  /** Called (and awaited) after each virtual second. */
  onStep?: () => void | Promise<void>;
  /** After each virtual second, let the host run a macrotask (see `yieldToHost`). */
  yieldEachStep?: boolean;
}

/** A real recording's result. */
export interface RealResult extends RunResult {
  /** The recording, when `keep` was set. */
  recording?: Uint8Array;
}

/**
 * Records a scene through the recorder with the libav.js encoder (default options, so the
 * spec profile's bitrates: 2.5 Mbit/s video, 128 kbit/s VBR audio, a key frame every 2 s),
 * advancing the clock a second at a time as `deno task record` does.
 */
export async function recordReal(scene: RealScene, options: RealOptions): Promise<RealResult> {
  const ua = createUserAgent({
    seed: SEED,
    encoders: [options.provider],
    trace: options.trace ?? true,
  });
  const tracks = [];
  if (scene.video !== null) {
    tracks.push(ua.createVideoTrack({
      width: scene.width,
      height: scene.height,
      frameRate: scene.frameRate,
    }));
  }
  tracks.push(ua.createAudioTrack({ sampleRate: 48000, channelCount: 2, frequency: 440 }));
  const stream = new ua.MediaStream(tracks);
  const rec = new ua.MediaRecorder(stream, { mimeType: sceneMimeType(scene) });
  const kept: Blob[] = [];
  let chunks = 0;
  let bytes = 0;
  let error: unknown = null;
  rec.onerror = (e) => error = e.error;
  rec.ondataavailable = (e) => {
    chunks++;
    bytes += e.data.size;
    if (options.keep) kept.push(e.data);
  };
  const timeslice = options.timeslice === undefined ? 1000 : options.timeslice;
  const stop = stopwatch();
  if (timeslice === null) rec.start();
  else rec.start(timeslice);
  for (let t = 0; t < scene.durationMs;) {
    const step = Math.min(1000, scene.durationMs - t);
    await ua.clock.advance(step);
    t += step;
    await options.onStep?.();
    if (options.yieldEachStep) await yieldToHost();
  }
  rec.stop();
  await ua.clock.settle();
  const { wallMs, cpuMs } = stop();
  ua.close();
  if (error !== null) throw new Error(`recording failed: ${String(error)}`);
  const result: RealResult = { wallMs, cpuMs, mediaMs: scene.durationMs, chunks, bytes };
  if (options.keep) result.recording = new Uint8Array(await new Blob(kept).arrayBuffer());
  return result;
}

/** Creates a libav.js provider for the benchmarks (its own instance, or a shared one). */
export function benchProvider(instanceKey?: string): EncoderProvider {
  return createLibavEncoder(instanceKey === undefined ? {} : { instanceKey });
}

/** The bare loop's result. */
export interface BareResult extends RunResult {
  /** The packets, when asked for. */
  packets?: { track: "video" | "audio"; data: Uint8Array }[];
}

/**
 * The same encoding without the recorder: opens the libvpx and libopus encoders with the
 * settings the libav provider uses, renders the same frames with the pattern generators,
 * and feeds them in the same (capture-time) order, one `encode()` per frame, awaiting each.
 * Timed from opening the encoders to closing them, as the recorder is timed from start()
 * to the stop event. `bytes` counts packet payloads only (no container). `speed` is the
 * libvpx speed (default: the provider's, 12 for VP8 and 8 for VP9).
 */
export async function bareLoop(
  scene: RealScene,
  libav: LibAVInstance,
  keepPackets = false,
  speed = scene.video === "vp9" ? 8 : 12,
): Promise<BareResult> {
  const stop = stopwatch();
  const video = scene.video === null ? null : await openVideoEncoder(libav, {
    codec: scene.video,
    width: scene.width,
    height: scene.height,
    frameRate: scene.frameRate,
    bitrate: VIDEO_BITS_PER_SECOND,
    speed,
  });
  const audio = await openAudioEncoder(libav, {
    codec: "opus",
    sampleRate: 48000,
    channels: 2,
    bitrate: AUDIO_BITS_PER_SECOND,
    mode: "variable",
  });
  const packets: BareResult["packets"] = [];
  let bytes = 0;
  let chunks = 0;
  const take = (track: "video" | "audio", out: EncodedPacket[]) => {
    for (const p of out) {
      bytes += p.data.length;
      chunks++;
      if (keepPackets) packets.push({ track, data: p.data });
    }
  };
  const videoFrames = videoFrameCount(scene);
  const audioFrames = audioFrameCount(scene);
  const buffer = new Uint8Array(video ? i420FrameSize(scene.width, scene.height) : 0);
  let lastKey = -Infinity;
  let v = 0;
  let a = 0;
  while (v < videoFrames || a < audioFrames) {
    const tv = v < videoFrames ? (v * 1000) / scene.frameRate : Infinity;
    const ta = a < audioFrames ? a * 20 : Infinity;
    if (video && tv <= ta) {
      // Key frames as the libav provider places them: every 2 s of media time.
      const key = tv - lastKey >= KEY_FRAME_INTERVAL_MS;
      if (key) lastKey = tv;
      sceneVideoFrame(scene, v, buffer);
      take("video", await video.encode(buffer, Math.round(tv * 1000), key));
      v++;
    } else {
      take("audio", await audio.encode(sceneAudio(scene, a), a * 960));
      a++;
    }
  }
  if (video) take("video", await video.flush());
  take("audio", await audio.flush());
  await video?.close();
  await audio.close();
  const { wallMs, cpuMs } = stop();
  const result: BareResult = { wallMs, cpuMs, mediaMs: scene.durationMs, chunks, bytes };
  if (keepPackets) result.packets = packets;
  return result;
}

/** Loads (once) the libav.js instance the benchmarks' bare loops use. */
export function bareLibAV(key = "recsim-bench-bare"): Promise<LibAVInstance> {
  return loadLibAV(key, { logLevel: -8 });
}

/**
 * Checks that the recorder and the bare loop did the same work: every block of the
 * recording has the bytes of the bare loop's packet of the same track and rank. Throws
 * when not (different frames, seeds or encoder settings would show here).
 */
export async function checkSameOutput(
  scene: RealScene,
  provider: EncoderProvider,
  libav: LibAVInstance,
): Promise<{ blocks: number }> {
  const rec = await recordReal(scene, { provider, keep: true });
  const bare = await bareLoop(scene, libav, true);
  const file = readWebm(rec.recording!);
  const kinds = new Map(file.tracks.map((t) => [t.number, t.kind]));
  const expected = { video: [] as Uint8Array[], audio: [] as Uint8Array[] };
  for (const p of bare.packets!) expected[p.track].push(p.data);
  const seen = { video: 0, audio: 0 };
  for (const b of file.blocks) {
    const kind = kinds.get(b.track) as "video" | "audio";
    const want = expected[kind][seen[kind]++];
    if (!want || !sameBytes(want, b.data)) {
      throw new Error(
        `${scene.label}: ${kind} block ${
          seen[kind] - 1
        } of the recording differs from the bare loop's packet`,
      );
    }
  }
  for (const kind of ["video", "audio"] as const) {
    if (seen[kind] !== expected[kind].length) {
      throw new Error(
        `${scene.label}: the recording has ${seen[kind]} ${kind} blocks, the bare loop ${
          expected[kind].length
        } packets`,
      );
    }
  }
  return { blocks: file.blocks.length };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
