/**
 * The model's reading of the mimeTypes the fuzzer uses, as a table written by hand from
 * the spec's "is type supported" (§1.7 of spec-and-browsers.md) and start() steps 8, 14
 * and 15.1–15.3, for a user agent that writes WebM (VP8, VP9, Opus) and Ogg (Opus):
 *
 * - `constructs`: whether the constructor accepts the type (is type supported(type, true));
 * - `essence`: the container, or null when the UA picks it (video/webm with video,
 *   audio/webm without);
 * - `codecs`: the codec named for each kind, or null when the type names none (the UA
 *   then uses vp8/opus); a kind missing from a given codecs list cannot be recorded
 *   (step 14 throws);
 * - `deferredCodec`: the video codec named is outside the synchronously exposed list and
 *   cannot be produced: a video track takes 15.2 (asynchronous NotSupportedError).
 *
 * @module
 */

/** The model's facts about one mimeType. */
export interface MimeFacts {
  /** The constructor accepts it. */
  constructs: boolean;
  /** The container, or null when the UA chooses. */
  essence: string | null;
  /** Codec per kind as written in the type, or null when the type names no codecs. */
  codecs: { video?: string; audio?: string } | null;
  /** The video codec is one the UA only checks in parallel (start() takes 15.2). */
  deferredCodec: boolean;
}

/** The mimeTypes the fuzzer draws and what the model expects of each. */
export const MIME_TABLE: Readonly<Record<string, MimeFacts>> = {
  "": { constructs: true, essence: null, codecs: null, deferredCodec: false },
  "video/webm": { constructs: true, essence: "video/webm", codecs: null, deferredCodec: false },
  "video/webm;codecs=vp8,opus": {
    constructs: true,
    essence: "video/webm",
    codecs: { video: "vp8", audio: "opus" },
    deferredCodec: false,
  },
  "video/webm;codecs=vp8": {
    constructs: true,
    essence: "video/webm",
    codecs: { video: "vp8" },
    deferredCodec: false,
  },
  "video/webm;codecs=vp9,opus": {
    constructs: true,
    essence: "video/webm",
    codecs: { video: "vp9", audio: "opus" },
    deferredCodec: false,
  },
  "VIDEO/WebM;codecs=VP8,Opus": {
    constructs: true,
    essence: "video/webm",
    codecs: { video: "VP8", audio: "Opus" },
    deferredCodec: false,
  },
  "audio/webm": { constructs: true, essence: "audio/webm", codecs: null, deferredCodec: false },
  "audio/webm;codecs=opus": {
    constructs: true,
    essence: "audio/webm",
    codecs: { audio: "opus" },
    deferredCodec: false,
  },
  "audio/ogg": { constructs: true, essence: "audio/ogg", codecs: null, deferredCodec: false },
  "audio/ogg;codecs=opus": {
    constructs: true,
    essence: "audio/ogg",
    codecs: { audio: "opus" },
    deferredCodec: false,
  },
  // An identifier outside the exposed list: accepted by the constructor (decision 14);
  // a video codec the UA knows but cannot produce: an audio track cannot be recorded
  // (step 14), a video track takes 15.2.
  "video/webm;codecs=vp09.00.10.08": {
    constructs: true,
    essence: "video/webm",
    codecs: { video: "vp09.00.10.08" },
    deferredCodec: true,
  },
  // Containers and combinations the constructor rejects.
  "video/mp4": { constructs: false, essence: null, codecs: null, deferredCodec: false },
  "video/mp4;codecs=avc1.42E01E": {
    constructs: false,
    essence: null,
    codecs: null,
    deferredCodec: false,
  },
  "video/webm;codecs=vp8,vp9": {
    constructs: false,
    essence: null,
    codecs: null,
    deferredCodec: false,
  },
  "audio/webm;codecs=vp8": { constructs: false, essence: null, codecs: null, deferredCodec: false },
  "garbage": { constructs: false, essence: null, codecs: null, deferredCodec: false },
  "text/plain": { constructs: false, essence: null, codecs: null, deferredCodec: false },
};

/** The mimeTypes of {@link MIME_TABLE}. */
export const MIME_TYPES: readonly string[] = Object.keys(MIME_TABLE);

/** What start() decides about the configuration for a set of recorded track kinds. */
export type ConfigurationOutcome =
  | { kind: "unrecordable" }
  | { kind: "deferred-failure" }
  | { kind: "ok"; essence: string; extendedMimeType: string; codecs: string[] };

/**
 * Steps 8, 14 and 15.1/15.3 for the recorded tracks' kinds (`kinds` in recording order):
 * a synchronous NotSupportedError, an asynchronous one (15.2), or the container and the
 * extended mimeType the start event sets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configure } from "./mime_model.ts";
 * assert.deepEqual(configure("", ["video", "audio"]), {
 *   kind: "ok", essence: "video/webm", extendedMimeType: 'video/webm;codecs="vp8,opus"',
 *   codecs: ["vp8", "opus"],
 * });
 * assert.deepEqual(configure("audio/ogg", ["video"]), { kind: "unrecordable" });
 * ```
 */
export function configure(mimeType: string, kinds: readonly string[]): ConfigurationOutcome {
  const facts = MIME_TABLE[mimeType];
  if (!facts || !facts.constructs) throw new Error(`no model facts for mimeType '${mimeType}'`);
  const hasVideo = kinds.includes("video");
  const essence = facts.essence ?? (hasVideo ? "video/webm" : "audio/webm");
  // An audio container cannot hold video (step 14).
  if (hasVideo && essence.startsWith("audio/")) return { kind: "unrecordable" };
  const used: string[] = [];
  for (const kind of ["video", "audio"] as const) {
    if (!kinds.includes(kind)) continue;
    const codec = facts.codecs === null ? (kind === "video" ? "vp8" : "opus") : facts.codecs[kind];
    if (codec === undefined) return { kind: "unrecordable" };
    used.push(codec);
  }
  // Ogg Opus is one audio stream: it cannot hold two audio tracks (step 14).
  if (essence === "audio/ogg" && kinds.filter((k) => k === "audio").length > 1) {
    return { kind: "unrecordable" };
  }
  if (facts.deferredCodec && hasVideo) return { kind: "deferred-failure" };
  const list = used.join(",");
  const codecs = list === "" ? "" : list.includes(",") ? `;codecs="${list}"` : `;codecs=${list}`;
  return { kind: "ok", essence, extendedMimeType: `${essence}${codecs}`, codecs: used };
}
