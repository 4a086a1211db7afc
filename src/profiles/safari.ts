/**
 * The `safari` profile: WebKit's MediaRecorder. Sources: WK-MR
 * `Modules/mediarecorder/MediaRecorder.cpp/.h`, WK-PRIV `MediaRecorderPrivate.cpp`, WK-AVF
 * `MediaRecorderPrivateAVFImpl.cpp`, WK-ENC `MediaRecorderPrivateEncoder.cpp` (2026).
 *
 * @module
 */
import type { BitrateSplit, Profile } from "./profile.ts";
import { codecList, parseMimeType } from "../mime_type.ts";

/**
 * WebKit's `isTypeSupported` (WK-AVF): `""` → true; `audio/mp4`, `video/mp4` with codecs
 * starting `avc1` or `mp4a` (case-insensitive), `av01.`, `hev1.`, `hvc1.`, `opus`;
 * `audio/webm`, `video/webm` with `vp8`/`vp08`, `vp9`/`vp09`, `opus` (WebM enabled, as in
 * Safari 18.4+).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { safariIsTypeSupported } from "./safari.ts";
 * assert.equal(safariIsTypeSupported("video/mp4;codecs=avc1.42000a,mp4a.40.2"), true);
 * assert.equal(safariIsTypeSupported("video/webm;codecs=vp09.00.10.08"), true);
 * assert.equal(safariIsTypeSupported("audio/ogg"), false);
 * ```
 */
export function safariIsTypeSupported(type: string): boolean {
  if (type === "") return true;
  const mime = parseMimeType(type);
  if (!mime || (mime.type !== "audio" && mime.type !== "video")) return false;
  const codecs = (codecList(mime) ?? []).map((c) => c.toLowerCase());
  if (mime.subtype === "mp4") {
    return codecs.every((c) =>
      c.startsWith("avc1") || c.startsWith("mp4a") || c.startsWith("av01.") ||
      c.startsWith("hev1.") ||
      c.startsWith("hvc1.") || c === "opus"
    );
  }
  if (mime.subtype === "webm") {
    return codecs.every((c) => /^(vp8|vp08|vp9|vp09)(\..*)?$/.test(c) || c === "opus");
  }
  return false;
}

/**
 * The `safari` profile. `unsigned long` timeslice clamped to at least 100 ms; a
 * wall-clock timer cuts chunks and skips empty ones, its remainder saved across pause;
 * requestData restarts it; `start` in the next task; default `video/mp4` (H.264 + AAC,
 * recorded by the synthetic encoder as fragmented MP4), mimeType
 * `video/mp4; codecs=avc1.42000a,mp4a.40.2`, kept after stop; timecodes in seconds of
 * media time (inference); `MediaRecorderErrorEvent`; a track-set change or all tracks
 * ended deliver an empty final Blob; only the first track of each kind; 10 Mbit/s /
 * 192 kbit/s, audio = bps/10 in [8000, 192000], video = max(rest, 80000) (WK-PRIV).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { safariProfile } from "./safari.ts";
 * assert.equal(safariProfile.minTimeslice, 100);
 * assert.equal(safariProfile.defaultContainer(true, true), "video/mp4");
 * ```
 */
export const safariProfile: Profile = Object.freeze({
  name: "safari",
  timesliceType: "unsigned long",
  minTimeslice: 100,
  chunkClock: "wall-timer",
  requestDataRestartsTimeslice: true,
  audioWriteMs: null,
  startEvent: "task",
  mimeTypeAfterStop: "kept",
  formatMimeType(essence: string, codecs: readonly string[]): string {
    return codecs.length > 0 ? `${essence}; codecs=${codecs.join(",")}` : essence;
  },
  timecode: "safari-seconds",
  errorEvent: "MediaRecorderErrorEvent",
  trackSetChange: "empty",
  ignoreRemovalOfEndedTrack: false,
  allTracksEnded: "empty",
  tracksPerKind: "first",
  bothKeyFrameOptionsThrowIn: "ignored",
  seekableWebmWithoutTimeslice: false,
  getUserMediaLatency: 0,
  emptyTimesliceChunks: false,
  defaultVideoBitsPerSecond: 10_000_000,
  defaultAudioBitsPerSecond: 192_000,
  splitBitsPerSecond(bitsPerSecond: number, hasVideo: boolean, hasAudio: boolean): BitrateSplit {
    if (!hasAudio) return { video: Math.max(80_000, bitsPerSecond), audio: 0 };
    if (!hasVideo) return { video: 0, audio: Math.max(8_000, bitsPerSecond) };
    const audio = Math.min(192_000, Math.max(8_000, Math.floor(bitsPerSecond / 10)));
    return { video: Math.max(bitsPerSecond - audio, 80_000), audio };
  },
  zeroMissingKindAtStart: false,
  defaultContainer(hasVideo: boolean): string {
    return hasVideo ? "video/mp4" : "audio/mp4";
  },
  defaultCodec(kind: "video" | "audio", container: string): string {
    if (container.endsWith("/webm")) return kind === "video" ? "vp8" : "opus";
    return kind === "video" ? "avc1.42000a" : "mp4a.40.2";
  },
  isTypeSupported: safariIsTypeSupported,
  // WebCore's MediaRecorder.idl has no audioBitrateMode (measured in WebKitGTK, which
  // shares it: the attribute reads undefined; lab bitrate/mode-bogus-audio).
  audioBitrateMode: false,
  bugs: Object.freeze({ stateStaysRecordingAfterFailedStart: false }),
});
