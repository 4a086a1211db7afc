/**
 * The `firefox` profile: Gecko's MediaRecorder. Sources: FF-MR `dom/media/MediaRecorder.cpp`,
 * FF-ENC `dom/media/encoder/MediaEncoder.cpp`, FF-IDL `MediaRecorder.webidl`,
 * `BlobEvent.webidl`, FF-EBML `EbmlComposer.cpp`.
 *
 * @module
 */
import type { BitrateSplit, Profile } from "./profile.ts";
import { codecList, parseMimeType } from "../mime_type.ts";

/**
 * Gecko's `IsTypeSupportedImpl`: `""` → true ("because the spec mandates it");
 * `video/webm` with `vp8`, `vp8.0`, `opus`; `audio/webm` and `audio/ogg` with `opus`;
 * codec names compared case-sensitively; duplicates → false; anything else false.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firefoxIsTypeSupported } from "./firefox.ts";
 * assert.equal(firefoxIsTypeSupported("audio/ogg;codecs=opus"), true);
 * assert.equal(firefoxIsTypeSupported("video/webm;codecs=vp9"), false);
 * assert.equal(firefoxIsTypeSupported("video/webm;codecs=VP8"), false);
 * ```
 */
export function firefoxIsTypeSupported(type: string): boolean {
  if (type === "") return true;
  const mime = parseMimeType(type);
  if (!mime) return false;
  const essence = `${mime.type}/${mime.subtype}`;
  const allowed: Record<string, string[]> = {
    "video/webm": ["vp8", "vp8.0", "opus"],
    "audio/webm": ["opus"],
    "audio/ogg": ["opus"],
  };
  const codecs = codecList(mime) ?? [];
  if (!(essence in allowed)) return false;
  if (new Set(codecs).size !== codecs.length) return false;
  return codecs.every((c) => allowed[essence]!.includes(c));
}

/**
 * The `firefox` profile. `unsigned long` timeslice, no minimum; chunks cut on media time
 * per encoded frame (paused time not counted); requestData restarts the count; `start`
 * fires once every encoder has data; mimeType `video/webm; codecs="vp8, opus"` (audio
 * only: `audio/ogg; codecs=opus`), reverted on Inactivate; no BlobEvent timecode;
 * `MediaRecorderErrorEvent`; removal of an already-ended track ignored; more than one
 * track of a kind → NotSupportedError; no key-frame or bitrate-mode options; bitsPerSecond
 * split 20:1 by track count, video in [10e3, 100e6], audio in [500, 512e3] (FF-MR).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firefoxProfile } from "./firefox.ts";
 * assert.equal(firefoxProfile.formatMimeType("video/webm", ["vp8", "opus"], ""), 'video/webm; codecs="vp8, opus"');
 * assert.equal(firefoxProfile.defaultContainer(false, true), "audio/ogg");
 * ```
 */
export const firefoxProfile: Profile = Object.freeze({
  name: "firefox",
  timesliceType: "unsigned long",
  minTimeslice: 0,
  chunkClock: "encoder-pushes",
  requestDataRestartsTimeslice: true,
  audioWriteMs: null,
  startEvent: "all-tracks-data",
  mimeTypeAfterStop: "constrained",
  formatMimeType(essence: string, codecs: readonly string[], constrained: string): string {
    // "a constrained type that already has codecs is used verbatim" (FF-MR SelectMimeType)
    if (constrained !== "" && parseMimeType(constrained)?.parameters.has("codecs")) {
      return constrained;
    }
    if (codecs.length === 0) return essence;
    return codecs.length === 1
      ? `${essence}; codecs=${codecs[0]}`
      : `${essence}; codecs="${codecs.join(", ")}"`;
  },
  timecode: "none",
  errorEvent: "MediaRecorderErrorEvent",
  trackSetChange: "data",
  ignoreRemovalOfEndedTrack: true,
  allTracksEnded: "data",
  tracksPerKind: "reject",
  bothKeyFrameOptionsThrowIn: "ignored",
  seekableWebmWithoutTimeslice: false,
  getUserMediaLatency: 0,
  emptyTimesliceChunks: true,
  defaultVideoBitsPerSecond: 2_500_000,
  defaultAudioBitsPerSecond: 128_000,
  splitBitsPerSecond(bitsPerSecond: number, hasVideo: boolean, hasAudio: boolean): BitrateSplit {
    // Rounded down (measured: 1,000,000 → 952,380 + 47,619; lab bitrate/bps-1e6-av).
    const clampV = (v: number) => Math.min(100e6, Math.max(10e3, Math.floor(v)));
    const clampA = (a: number) => Math.min(512e3, Math.max(500, Math.floor(a)));
    const parts = (hasVideo ? 20 : 0) + (hasAudio ? 1 : 0);
    if (parts === 0) return { video: 0, audio: 0 };
    return {
      video: hasVideo ? clampV((bitsPerSecond * 20) / parts) : 0,
      audio: hasAudio ? clampA(bitsPerSecond / parts) : 0,
    };
  },
  zeroMissingKindAtStart: false,
  defaultContainer(hasVideo: boolean): string {
    return hasVideo ? "video/webm" : "audio/ogg";
  },
  defaultCodec(kind: "video" | "audio"): string {
    return kind === "video" ? "vp8" : "opus";
  },
  isTypeSupported: firefoxIsTypeSupported,
  audioBitrateMode: false,
  headerAtStartEvent: false,
  // Measured on a quiet machine (load 1–2; lab observations firefox-153): with video, start
  // at 27–38 ms and the first data at 218–249 ms whatever the timeslice (timeslice/av-0,
  // av-100, video-100); audio alone, start at 6–12 ms and data at 27–31 ms
  // (timeslice/audio-0, audio-100). Audio frames reach the muxer 30–40 ms after they are
  // complete (av-0's empty Blobs at 49, 70, 87, 107 ms; av-10's start-up burst).
  encoderLatency: Object.freeze({
    startMs: 32,
    dataMs: 230,
    audioOnly: { startMs: 10, dataMs: 25 },
    audioFrameMs: 35,
  }),
  bugs: Object.freeze({ stallsOnMissingKind: true, dataAfterStop: true }),
});
