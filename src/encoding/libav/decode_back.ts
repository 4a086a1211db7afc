/**
 * Decode-back: demux a recording (recsim's WebM/Ogg readers), decode it with libav.js,
 * and read the frame indices out of the decoded pixels and the sample positions out of
 * the decoded audio. {@link checkRecording} then compares what the file holds with what
 * the trace says was recorded: exactly the frames produced while recording (pauses cut
 * out, nothing missing or doubled), black where the track was disabled or muted, and
 * timestamps that never go back.
 *
 * @module
 */
import { readOgg } from "../../container/ogg_reader.ts";
import { readWebm } from "../../container/webm_reader.ts";
import { isBlackFrame, readFrameIndex } from "../../media/pattern/video_pattern.ts";
import { locateAudio } from "../../media/pattern/audio_signal.ts";
import type { FramesEntry, Trace } from "../../trace.ts";
import { type EncodedPacket, openAudioDecoder, openVideoDecoder } from "./codecs.ts";
import { type LibAVInstance, loadLibAV } from "./load.ts";

/** One decoded video track. */
export interface DecodedVideoTrack {
  /** Track number. */
  track: number;
  /** Container timestamps (ms), one per frame. */
  timestamps: number[];
  /** The frame index read from each frame's barcode (`null`: unreadable or black). */
  indices: (number | null)[];
  /** Whether each frame is black. */
  black: boolean[];
  /** Decoded width. */
  width: number;
  /** Decoded height. */
  height: number;
}

/** One decoded audio track. */
export interface DecodedAudioTrack {
  /** Track number (1 for Ogg). */
  track: number;
  /** Container timestamps (ms) of the packets. */
  timestamps: number[];
  /** Channel 0 of the decoded audio (the decoder has removed the pre-skip). */
  mono: Float32Array;
  /** Channels. */
  channels: number;
}

/** A decoded recording. */
export interface DecodedRecording {
  /** Video tracks. */
  video: DecodedVideoTrack[];
  /** Audio tracks. */
  audio: DecodedAudioTrack[];
}

/**
 * Demuxes and decodes a recording (WebM with VP8/VP9/Opus, or Ogg Opus).
 *
 * @example
 * ```ts ignore
 * const decoded = await decodeRecording(bytes);
 * console.log(decoded.video[0]!.indices.slice(0, 3)); // [0, 1, 2]
 * ```
 */
export async function decodeRecording(
  bytes: Uint8Array,
  libav?: LibAVInstance,
): Promise<DecodedRecording> {
  const av = libav ?? await loadLibAV("recsim-decode-back", { logLevel: -8 });
  const out: DecodedRecording = { video: [], audio: [] };
  if (bytes[0] === 0x4f && bytes[1] === 0x67 && bytes[2] === 0x67 && bytes[3] === 0x53) {
    const ogg = readOgg(bytes);
    const head = ogg.packets[0]!.data;
    const packets: EncodedPacket[] = ogg.packets.slice(2).map((p) => ({
      data: p.data,
      pts: 0,
      keyframe: true,
    }));
    out.audio.push({ track: 1, timestamps: [], ...await decodeOpus(av, head, packets) });
    return out;
  }
  const file = readWebm(bytes);
  for (const t of file.tracks) {
    const blocks = file.blocks.filter((b) => b.track === t.number);
    const packets: EncodedPacket[] = blocks.map((b) => ({
      data: b.data,
      pts: Math.round(b.timestampMs * 1000),
      keyframe: b.keyframe,
    }));
    if (t.kind === "video") {
      const dec = await openVideoDecoder(av, { codec: t.codecId === "V_VP9" ? "vp9" : "vp8" });
      try {
        const frames = [...await dec.decode(packets), ...await dec.flush()];
        const width = frames[0]?.width ?? 0, height = frames[0]?.height ?? 0;
        out.video.push({
          track: t.number,
          timestamps: blocks.map((b) => b.timestampMs),
          indices: frames.map((f) => readFrameIndex(f.data, f.width, f.height)),
          black: frames.map((f) => isBlackFrame(f.data, f.width, f.height)),
          width,
          height,
        });
      } finally {
        await dec.close();
      }
    } else if (t.kind === "audio" && t.codecId === "A_OPUS" && t.codecPrivate) {
      out.audio.push({
        track: t.number,
        timestamps: blocks.map((b) => b.timestampMs),
        ...await decodeOpus(av, t.codecPrivate, packets),
      });
    }
  }
  return out;
}

async function decodeOpus(
  av: LibAVInstance,
  head: Uint8Array,
  packets: EncodedPacket[],
): Promise<{ mono: Float32Array; channels: number }> {
  const dec = await openAudioDecoder(av, { codec: "opus", codecPrivate: head });
  try {
    const chunks = [...await dec.decode(packets), ...await dec.flush()];
    const channels = chunks[0]?.channels ?? head[9] ?? 1;
    const total = chunks.reduce((n, c) => n + c.data.length / channels, 0);
    const all = new Float32Array(total);
    let at = 0;
    for (const c of chunks) {
      for (let i = 0; i < c.data.length; i += channels) all[at++] = c.data[i]!;
    }
    // libav.js's Opus decoder already drops the OpusHead pre-skip.
    return { mono: all, channels };
  } finally {
    await dec.close();
  }
}

/** The outcome of {@link checkRecording}. */
export interface RecordingCheck {
  /** Whether every check passed. */
  ok: boolean;
  /** What did not match, one line each. */
  problems: string[];
  /** Video frames checked (per track, in order). */
  videoFrames: number[];
  /** Audio segments located (per track). */
  audioSegments: number[];
}

/**
 * Compares a decoded recording with the trace of the recording that made it: each video
 * track holds exactly the frames the trace says were recorded, in order (black ones
 * black), timestamps never decrease, and each recorded run of audio starts at the
 * expected sample position (within `audioTolerance` samples, default 8).
 *
 * @example
 * ```ts ignore
 * const check = await checkRecording(bytes, ua.trace);
 * if (!check.ok) throw new Error(check.problems.join("\n"));
 * ```
 */
export async function checkRecording(
  bytes: Uint8Array,
  trace: Trace,
  options: {
    recorder?: string;
    recording?: number;
    audioTolerance?: number;
    libav?: LibAVInstance;
  } = {},
): Promise<RecordingCheck> {
  const recorder = options.recorder ?? "recorder#1";
  const recording = options.recording ?? 1;
  const tolerance = options.audioTolerance ?? 8;
  const decoded = await decodeRecording(bytes, options.libav);
  const frames = trace.entries.filter((e): e is FramesEntry =>
    e.kind === "frames" && e.target === recorder && e.recording === recording
  );
  const recordingEntry = trace.ofKind("recording").find((e) =>
    e.target === recorder && e.recording === recording
  );
  const problems: string[] = [];
  const result: RecordingCheck = { ok: true, problems, videoFrames: [], audioSegments: [] };
  if (!recordingEntry) {
    return {
      ...result,
      ok: false,
      problems: [`no recording ${recording} of ${recorder} in the trace`],
    };
  }
  const trackNames = recordingEntry.tracks;
  let vi = 0, ai = 0;
  for (const name of trackNames) {
    const runs = frames.find((f) => f.track === name)?.runs ?? [];
    if (name.startsWith("video")) {
      const v = decoded.video[vi++];
      if (!v) {
        problems.push(`${name}: no video track in the file`);
        continue;
      }
      const expected: Array<{ index: number; black: boolean }> = [];
      for (const [from, to, state] of runs) {
        if (state === "recorded" || state === "black") {
          for (let i = from; i < to; i++) expected.push({ index: i, black: state === "black" });
        }
      }
      if (v.indices.length !== expected.length) {
        problems.push(`${name}: ${v.indices.length} frames decoded, ${expected.length} recorded`);
      }
      for (let i = 0; i < Math.min(expected.length, v.indices.length); i++) {
        const e = expected[i]!;
        if (e.black ? !v.black[i] : v.indices[i] !== e.index) {
          problems.push(
            `${name}: frame ${i} holds ${v.black[i] ? "black" : v.indices[i]}, expected ${
              e.black ? "black" : e.index
            }`,
          );
          if (problems.length > 20) break;
        }
      }
      for (let i = 1; i < v.timestamps.length; i++) {
        if (v.timestamps[i]! < v.timestamps[i - 1]!) {
          problems.push(`${name}: timestamp goes back at frame ${i}`);
        }
      }
      result.videoFrames.push(v.indices.length);
    } else {
      const a = decoded.audio[ai++];
      if (!a) {
        problems.push(`${name}: no audio track in the file`);
        continue;
      }
      // Runs of recorded audio frames become contiguous segments of the decoded stream.
      const frameSize = Number(createdOf(trace, name)?.settings?.frameSize ?? 960);
      let offset = 0, segments = 0;
      const recorded = runs.filter((r) => r[2] === "recorded" || r[2] === "black");
      const merged: Array<[number, number, boolean]> = [];
      for (const [from, to, state] of recorded) {
        const last = merged[merged.length - 1];
        if (last && last[1] === from && last[2] === (state === "recorded")) last[1] = to;
        else merged.push([from, to, state === "recorded"]);
      }
      for (const [from, to, audible] of merged) {
        const length = (to - from) * frameSize;
        if (audible && length >= 0.35 * 48000) {
          const window = a.mono.subarray(offset, offset + Math.min(length, 48000));
          const found = locateAudio(window, {
            sampleRate: 48000,
            seed: sourceSeedOf(trace, name),
            searchFrom: Math.max(0, from * frameSize - 4800),
            searchTo: from * frameSize + 4800,
          });
          if (!found) {
            problems.push(`${name}: the audio of frames ${from}..${to} was not found at ${offset}`);
          } else if (Math.abs(found.firstSample - from * frameSize) > tolerance) {
            problems.push(
              `${name}: audio at ${offset} holds sample ${found.firstSample}, expected ${
                from * frameSize
              }`,
            );
          }
          segments++;
        }
        offset += length;
      }
      if (a.mono.length < offset) {
        problems.push(`${name}: ${a.mono.length} samples decoded, ${offset} recorded`);
      }
      result.audioSegments.push(segments);
    }
  }
  result.ok = problems.length === 0;
  return result;
}

function createdOf(trace: Trace, track: string) {
  return trace.ofKind("track").find((e) => e.target === track && e.what === "created");
}

/** Audio checks need the source's seed: recsim records it in the track's "created" entry. */
function sourceSeedOf(trace: Trace, track: string): number {
  return createdOf(trace, track)?.seed ?? 0;
}
