/**
 * When the `start` event fires (spec start() step 15.3 and each engine's reading of it),
 * by the profile's policy (`profile.startEvent`):
 *
 * - `"task"` (spec, Safari): in the task start() queued; not planned here;
 * - `"first-output"` (Chrome): at the muxer's first output, the first Opus packet
 *   (`audioWriteMs` after the first audio frame) with audio, else the first video frame;
 * - `"all-tracks-data"` (Firefox): once every track's encoder has data, the last track's
 *   first frame;
 *
 * never before the encoders' start-up (`encoderLatency.startMs`; Chrome's first output not
 * before its first data, `dataMs`).
 *
 * @module
 */
import type { Profile } from "../profiles/profile.ts";
import type { Lanes } from "./lanes.ts";

/** The planned start event: when it fires, and (Chrome) the muxer's first output. */
export interface StartEventPlan {
  /** When the start event's task is queued (virtual ms). */
  at: number;
  /** The muxer's first output, for `"first-output"` profiles; otherwise null. */
  firstOutput: number | null;
}

/**
 * When the start event fires for a recording whose frames not gathered yet are in
 * `lanes`, seen at `now`; null: not known yet (a kind has no frame to come).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * import { profiles } from "../profiles/mod.ts";
 * import { Lanes } from "./lanes.ts";
 * import { startEventTime } from "./start_event.ts";
 * const ua = createUserAgent();
 * const lanes = new Lanes([ua.createAudioTrack(), ua.createVideoTrack({ frameRate: 10 })], 0);
 * // Chrome: the first 60 ms Opus packet, but not before its first data (110 ms)
 * assert.deepEqual(startEventTime(profiles.chrome, lanes, 0, 110, 110), { at: 110, firstOutput: 110 });
 * // Firefox: the last track's first frame, not before its encoders start (32 ms)
 * assert.deepEqual(startEventTime(profiles.firefox, lanes, 0, 230, 32), { at: 32, firstOutput: null });
 * ua.close();
 * ```
 */
export function startEventTime(
  profile: Profile,
  lanes: Lanes,
  now: number,
  dataReady: number,
  startReady: number,
): StartEventPlan | null {
  let at: number | null = null;
  let firstOutput: number | null = null;
  if (profile.startEvent === "first-output") {
    const audio = lanes.find(now, -Infinity, -Infinity, "audio");
    const audioAt = audio === null
      ? null
      : audio.time + (profile.audioWriteMs ?? audio.lane.source.period);
    const video = lanes.find(now, -Infinity, -Infinity, "video");
    if (audioAt !== null) at = audioAt;
    else if (video !== null) at = video.time;
    if (at !== null) firstOutput = at = Math.max(at, dataReady);
  } else {
    const firsts = lanes.all.map((l) =>
      lanes.find(now, -Infinity, -Infinity, l.source.kind)?.time ?? null
    );
    if (firsts.every((f) => f !== null)) at = Math.max(...(firsts as number[]));
  }
  if (at === null) return null;
  // (The encoders' start-up latency: profile.encoderLatency.)
  return { at: Math.max(at, startReady), firstOutput };
}
