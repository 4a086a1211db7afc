// Scenario runner for the profile table test (not published).
import { createUserAgent, type UserAgent } from "../user_agent.ts";
import type { MediaRecorder, MediaRecorderOptions } from "../recorder/media_recorder.ts";
import type { MediaStream } from "../media/media_stream.ts";
import type { MediaStreamTrack } from "../media/media_stream_track.ts";
import { watchRecorder } from "../testing.ts";
import type { ProfileName } from "./profile.ts";

export interface Scene {
  ua: UserAgent;
  rec: MediaRecorder;
  stream: MediaStream;
  video: MediaStreamTrack;
  audio: MediaStreamTrack;
}

export interface Scenario {
  name: string;
  /** Why each profile's row is what it is. */
  source: string;
  tracks?: "av" | "audio" | "video" | "none";
  options?: MediaRecorderOptions;
  run(scene: Scene): Promise<void>;
}

/**
 * Runs a scenario and returns a compact timeline: `type@ms`, dataavailable as
 * `da@ms[+|0/timecode]` (+ non-empty, 0 empty; no timecode when the event has none),
 * error as `error(Name)@ms`, a thrown exception as `THROW Name`, then `| mimeType` at the
 * start event and after the end.
 */
export async function runScenario(profile: ProfileName, s: Scenario): Promise<string> {
  const ua = createUserAgent({ profile });
  const video = ua.createVideoTrack();
  const audio = ua.createAudioTrack();
  const tracks = s.tracks === "audio"
    ? [audio]
    : s.tracks === "video"
    ? [video]
    : s.tracks === "none"
    ? []
    : [video, audio];
  const stream = new ua.MediaStream(tracks);
  let rec: MediaRecorder;
  const options = s.options ?? (profile === "safari" ? { mimeType: "video/webm" } : {});
  try {
    rec = new ua.MediaRecorder(stream, options);
  } catch (e) {
    return `constructor THROW ${(e as Error).name}`;
  }
  const watch = watchRecorder(rec, ua.clock);
  let thrown = "";
  try {
    await s.run({ ua, rec, stream, video, audio });
  } catch (e) {
    thrown = ` THROW ${(e as Error).name}`;
  }
  if (rec.state !== "inactive") rec.stop();
  await ua.clock.settle();
  const events = watch.events.map((e) => {
    const t = Math.round(e.t);
    if (e.type === "error") return `error(${e.error})@${t}`;
    if (e.type !== "dataavailable") return `${e.type}@${t}`;
    const tc = e.timecode === undefined ? "" : `/${Math.round(e.timecode * 1000) / 1000}`;
    return `da@${t}[${e.data!.size > 0 ? "+" : "0"}${tc}]`;
  });
  const start = watch.events.find((e) => e.type === "start");
  ua.close();
  return `${events.join(" ")}${thrown} | ${start?.mimeType ?? "-"} → ${rec.mimeType}`;
}
