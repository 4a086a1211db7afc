// Test fixtures shared by the recorder tests (not published).
import { createUserAgent, type UserAgent, type UserAgentOptions } from "../user_agent.ts";
import type { MediaRecorder, MediaRecorderOptions } from "./media_recorder.ts";
import type { MediaStream } from "../media/media_stream.ts";
import type { MediaStreamTrack } from "../media/media_stream_track.ts";
import { type RecorderWatch, watchRecorder } from "../testing.ts";

export interface Rig {
  ua: UserAgent;
  video: MediaStreamTrack;
  audio: MediaStreamTrack;
  stream: MediaStream;
  rec: MediaRecorder;
  watch: RecorderWatch;
}

/** An agent with a 30 fps video track and a 48 kHz audio track, and a watched recorder. */
export function rig(
  options: {
    ua?: UserAgentOptions;
    recorder?: MediaRecorderOptions;
    video?: boolean;
    audio?: boolean;
  } = {},
): Rig {
  const ua = createUserAgent(options.ua ?? {});
  const video = ua.createVideoTrack({ width: 320, height: 240, frameRate: 30 });
  const audio = ua.createAudioTrack({ sampleRate: 48000, channelCount: 2 });
  const tracks = [];
  if (options.video !== false) tracks.push(video);
  if (options.audio !== false) tracks.push(audio);
  const stream = new ua.MediaStream(tracks);
  const rec = new ua.MediaRecorder(stream, options.recorder ?? {});
  return { ua, video, audio, stream, rec, watch: watchRecorder(rec, ua.clock) };
}

/** `type@time` strings of the watched events. */
export function timeline(watch: RecorderWatch): string[] {
  return watch.events.map((e) => `${e.type}@${e.t}`);
}

/** The DOMException name `fn` throws, or "none". */
export function thrownName(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).name;
  }
  return "none";
}

export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
