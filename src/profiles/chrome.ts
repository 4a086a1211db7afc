/**
 * The `chrome` profile: Chromium/Blink's MediaRecorder. Sources (see the README's profile
 * table): CR-IDL `media_recorder.idl`, CR-MR `media_recorder.cc`, CR-MRH
 * `media_recorder_handler.cc`, CR-MUX `media/muxers/*`, CR-OPUS
 * `audio_track_opus_encoder.cc`, CR-VTR `video_track_recorder.cc`.
 *
 * @module
 */
import type { BitrateSplit, Profile } from "./profile.ts";
import { codecIdentifier, codecList, parseMimeType } from "../mime_type.ts";

const WEBM_CODECS = ["vp8", "vp9", "h264", "avc1", "avc3", "av01", "av1", "opus", "pcm"];
/** The codec names Chrome's `mimeType` reports for the names a page may give. */
const CHROME_CODEC_NAMES: Readonly<Record<string, string>> = { av1: "av01", h264: "avc1" };

/**
 * MP4 codecs Debian's Chromium can encode on Linux: no AAC (`mp4a.40.2`, measured false in
 * lab `mime/is-type-supported-table`); Chrome on macOS and Windows has a platform AAC
 * encoder: {@link chromeProfileFor}.
 */
const MP4_CODECS = ["avc1", "avc3", "hvc1", "hev1", "vp9", "av01", "opus"];
const MP4_CODECS_WITH_AAC = [...MP4_CODECS, "mp4a.40.2"];

/**
 * Chrome's `CanSupportMimeType` (CR-MRH): `""` → true; `video/webm`, `video/x-matroska`,
 * `video/matroska` (case-insensitive) and `video/mp4` (case-sensitive); audio likewise
 * with `audio/…`. WebM/Matroska codecs compared case-insensitively after truncating at
 * the first "." (so `vp9.0` passes and `vp09.00.10.08` fails); audio types allow only
 * `opus` and `pcm`. MP4 codecs match exactly (case-sensitive), plus full `avc1.*`/`av01.*`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chromeIsTypeSupported } from "./chrome.ts";
 * assert.equal(chromeIsTypeSupported("video/webm;codecs=vp9.0"), true);
 * assert.equal(chromeIsTypeSupported("video/webm;codecs=vp09.00.10.08"), false);
 * assert.equal(chromeIsTypeSupported("audio/ogg;codecs=opus"), false);
 * assert.equal(chromeIsTypeSupported("video/mp4;codecs=avc1.42E01E"), true);
 * assert.equal(chromeIsTypeSupported("video/mp4;codecs=avc1.42E01E,mp4a.40.2"), false); // Linux
 * assert.equal(chromeIsTypeSupported("video/mp4;codecs=avc1.42E01E,mp4a.40.2", true), true);
 * ```
 */
export function chromeIsTypeSupported(type: string, aac = false): boolean {
  if (type === "") return true;
  const mime = parseMimeType(type);
  if (!mime) return false;
  const essence = `${mime.type}/${mime.subtype}`;
  const rawEssence = type.trim().split(";")[0]!.trim();
  const codecs = codecList(mime) ?? [];
  if (mime.type !== "video" && mime.type !== "audio") return false;
  if (mime.subtype === "mp4") {
    if (rawEssence !== essence) return false; // video/mp4 is matched case-sensitively
    return codecs.every((c) =>
      (aac ? MP4_CODECS_WITH_AAC : MP4_CODECS).includes(c) || /^avc1\..+/.test(c) ||
      /^av01\..+/.test(c)
    );
  }
  if (!["webm", "x-matroska", "matroska"].includes(mime.subtype)) return false;
  const allowed = mime.type === "audio" ? ["opus", "pcm"] : WEBM_CODECS;
  return codecs.every((c) => allowed.includes(codecIdentifier(c)));
}

/**
 * The `chrome` profile. Timeslice is a signed `long`; no minimum; a slice closes at the
 * first muxer write after `timeslice` ms of wall time (paused time counts, origin moves
 * to that write); Opus is written in 60 ms packets; `start` fires at the first muxer
 * output; the mimeType (`video/webm;codecs=vp8,opus`, the constructor's case kept) stays
 * after stop; timecodes are wall-clock ms from the first BlobEvent; `ErrorEvent`; only
 * the first track of each kind is recorded; both key-frame options throw in the
 * constructor; 2.5 Mbit/s / 128 kbit/s, audio = bps/10 in [5000, 510000], video the rest
 * but at least 75000 (CR-MR).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chromeProfile } from "./chrome.ts";
 * assert.equal(chromeProfile.formatMimeType("video/webm", ["vp8", "opus"], "Video/WebM"), "Video/WebM;codecs=vp8,opus");
 * assert.deepEqual(chromeProfile.splitBitsPerSecond(100_000, true, true), { video: 90_000, audio: 10_000 });
 * ```
 */
export const chromeProfile: Profile = Object.freeze({
  name: "chrome",
  timesliceType: "long",
  minTimeslice: 0,
  chunkClock: "wall-writes",
  requestDataRestartsTimeslice: false,
  audioWriteMs: 60,
  startEvent: "first-output",
  mimeTypeAfterStop: "kept",
  formatMimeType(essence: string, codecs: readonly string[], constrained: string): string {
    // Measured (lab mime/av-video-webm-codecs-VP8, -av1, -h264): codec names are Chrome's
    // own, lower case, AV1 as `av01`; H.264 is `avc1` and makes WebM Matroska.
    const names = codecs.map((c) => CHROME_CODEC_NAMES[c.toLowerCase()] ?? c.toLowerCase());
    const matroska = essence === "video/webm" && names.includes("avc1");
    const given = constrained.trim().split(";")[0]!.trim();
    const base = matroska ? "video/x-matroska" : given.toLowerCase() === essence ? given : essence;
    return names.length > 0 ? `${base};codecs=${names.join(",")}` : base;
  },
  timecode: "chrome",
  errorEvent: "ErrorEvent",
  trackSetChange: "data",
  ignoreRemovalOfEndedTrack: false,
  allTracksEnded: "data",
  tracksPerKind: "first",
  bothKeyFrameOptionsThrowIn: "constructor",
  seekableWebmWithoutTimeslice: true,
  getUserMediaLatency: 0,
  emptyTimesliceChunks: true,
  defaultVideoBitsPerSecond: 2_500_000,
  defaultAudioBitsPerSecond: 128_000,
  splitBitsPerSecond(bitsPerSecond: number, hasVideo: boolean, hasAudio: boolean): BitrateSplit {
    const bps = Math.min(bitsPerSecond, 2 ** 31 - 1);
    if (!hasAudio) return { video: Math.max(bps, 75_000), audio: 0 };
    if (!hasVideo) return { video: 0, audio: Math.min(510_000, Math.max(5_000, bps)) };
    const audio = Math.min(510_000, Math.max(5_000, Math.floor(bps / 10)));
    return { video: Math.max(bps - audio, 75_000), audio };
  },
  zeroMissingKindAtStart: true,
  defaultContainer(hasVideo: boolean): string {
    return hasVideo ? "video/webm" : "audio/webm";
  },
  defaultCodec(kind: "video" | "audio", container: string): string {
    if (kind === "audio") return container.endsWith("/mp4") ? "opus" : "opus";
    return container.endsWith("/mp4") ? "vp9" : "vp8"; // CR-VTR GetPreferredCodec without hardware
  },
  isTypeSupported: (type: string) => chromeIsTypeSupported(type),
  streamActivityEvents: true,
  completeCodecs: true,
  chunkPerWrite: true,
  audioClusterMs: 100,
  mimeTypeFromAllTracks: true,
  // Measured on a quiet machine (load 1–2; lab observations chromium-156): start at
  // 96–112 ms with audio+video (timeslice/av-100, av-1000; median of the corpus 113), 59–195
  // ms with video alone (median 89; timeslice/video-100), 50–63 ms with audio alone, i.e.
  // at its first 60 ms Opus packet (timeslice/audio-100).
  encoderLatency: Object.freeze({
    startMs: 110,
    dataMs: 110,
    audioOnly: { startMs: 0, dataMs: 0 },
    videoOnly: { startMs: 85, dataMs: 85 },
  }),
  inactivateSplitsRecordedKinds: true,
  bugs: Object.freeze({ stateStaysRecordingAfterFailedStart: true, silentVideoBelowOneKbps: true }),
});

/**
 * The `chrome` profile for a platform. `profiles.chrome` is Chrome on Linux (what the lab
 * measures: Debian's Chromium), whose MP4 recording has no AAC encoder; on macOS and
 * Windows Chrome uses the platform's AAC encoder, so `mp4a.40.2` is supported there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chromeProfileFor } from "./chrome.ts";
 * assert.equal(chromeProfileFor("mac").isTypeSupported!("audio/mp4;codecs=mp4a.40.2"), true);
 * assert.equal(chromeProfileFor("linux").isTypeSupported!("audio/mp4;codecs=mp4a.40.2"), false);
 * ```
 */
export function chromeProfileFor(platform: "linux" | "mac" | "windows"): Profile {
  if (platform === "linux") return chromeProfile;
  return Object.freeze({
    ...chromeProfile,
    isTypeSupported: (type: string) => chromeIsTypeSupported(type, true),
  });
}
