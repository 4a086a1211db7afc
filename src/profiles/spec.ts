/**
 * The `spec` profile: what the current MediaStream Recording spec says (MediaRecorder.bs,
 * 2026-03), with reasonable values where it leaves the choice to the UA.
 *
 * @module
 */
import type { BitrateSplit, Profile } from "./profile.ts";
import { parseMimeType, serializeMimeType } from "../mime_type.ts";

/**
 * The spec's extended mimeType: `[[ConstrainedMimeType]]` plus type, subtype and a
 * `codecs=` parameter reflecting the configuration (start() 15.3), serialized as the MIME
 * standard says (`video/webm;codecs="vp8,opus"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { specMimeType } from "./spec.ts";
 * assert.equal(specMimeType("video/webm", ["vp8", "opus"], ""), 'video/webm;codecs="vp8,opus"');
 * assert.equal(specMimeType("audio/webm", ["opus"], "audio/webm"), "audio/webm;codecs=opus");
 * ```
 */
export function specMimeType(
  essence: string,
  codecs: readonly string[],
  constrained: string,
): string {
  const [type, subtype] = essence.split("/") as [string, string];
  const parameters = new Map(parseMimeType(constrained)?.parameters ?? []);
  parameters.delete("codecs");
  if (codecs.length > 0) parameters.set("codecs", codecs.join(","));
  return serializeMimeType({ type, subtype, parameters });
}

/**
 * The `spec` profile: minimum timeslice 0; chunks cut on collected media time; the start
 * event from the task start() queues; mimeType reverts on Inactivate; timecodes from the
 * chunks' capture times; `ErrorEvent`; every live track recorded. UA choices: the
 * 2.5 Mbit/s and 128 kbit/s defaults that Chromium and Gecko use; audio takes a tenth of
 * `bitsPerSecond`, clamped to [6000, 510000], and video the rest (the sum is exact);
 * `video/webm` (vp8, opus) or `audio/webm` (opus).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { specProfile } from "./spec.ts";
 * const split = specProfile.splitBitsPerSecond(1_000_000, true, true);
 * assert.deepEqual(split, { video: 900_000, audio: 100_000 });
 * assert.equal(specProfile.splitBitsPerSecond(1_000_000, false, true).audio, 1_000_000);
 * assert.deepEqual(specProfile.splitBitsPerSecond(0, true, true), { video: 1, audio: 1 });
 * ```
 */
export const specProfile: Profile = Object.freeze({
  name: "spec",
  timesliceType: "unsigned long",
  minTimeslice: 0,
  chunkClock: "media",
  requestDataRestartsTimeslice: true,
  audioWriteMs: null,
  startEvent: "task",
  mimeTypeAfterStop: "constrained",
  formatMimeType: specMimeType,
  timecode: "spec",
  errorEvent: "ErrorEvent",
  trackSetChange: "data",
  ignoreRemovalOfEndedTrack: false,
  allTracksEnded: "data",
  tracksPerKind: "all",
  bothKeyFrameOptionsThrowIn: "start",
  seekableWebmWithoutTimeslice: false,
  getUserMediaLatency: 0,
  emptyTimesliceChunks: true,
  defaultVideoBitsPerSecond: 2_500_000,
  defaultAudioBitsPerSecond: 128_000,
  splitBitsPerSecond(bitsPerSecond: number, hasVideo: boolean, hasAudio: boolean): BitrateSplit {
    if (!hasAudio) return { video: bitsPerSecond, audio: 0 };
    if (!hasVideo) return { video: 0, audio: bitsPerSecond };
    // "values the User Agent deems reasonable ... whose sum is close to" bitsPerSecond:
    // a tenth for audio within Opus's 6–510 kbit/s but at most half, the rest for video,
    // and never 0 for either, so bitsPerSecond 0 gives 1 + 1 (WPT MediaRecorder-bitrate
    // "targets close to 0" wants both non-zero).
    const tenth = Math.max(6000, Math.min(510_000, Math.round(bitsPerSecond / 10)));
    const audio = Math.max(1, Math.min(tenth, Math.floor(bitsPerSecond / 2)));
    return { video: Math.max(1, bitsPerSecond - audio), audio };
  },
  zeroMissingKindAtStart: false,
  defaultContainer(hasVideo: boolean): string {
    return hasVideo ? "video/webm" : "audio/webm";
  },
  defaultCodec(kind: "video" | "audio"): string {
    return kind === "video" ? "vp8" : "opus";
  },
  bugs: Object.freeze({ stateStaysRecordingAfterFailedStart: false }),
});
