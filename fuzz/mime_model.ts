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
  | {
    kind: "ok";
    essence: string;
    extendedMimeType: string;
    codecs: string[];
    /** No encoder has the codecs: a container with synthetic payloads (decision 23). */
    fallback?: boolean;
  };

/** What the UA's encoders produce (the synthetic encoder's table): container → codecs. */
const PRODUCED: Readonly<Record<string, readonly string[]>> = {
  "video/webm": ["vp8", "vp9", "opus"],
  "audio/webm": ["opus"],
  "audio/ogg": ["opus"],
};

/**
 * The codec identifiers a profile's accepted type can be written with when no encoder has
 * its codecs (decision 23), by container: Matroska labels and MP4 sample entries.
 */
const FALLBACK_CODECS: readonly [RegExp, RegExp][] = [
  [/^(video|audio)\/mp4$/, /^(avc1|avc3|h264|mp4a|opus|vp9|vp09)$/],
  [
    /^(video|audio)\/(webm|x-matroska|matroska)$/,
    /^(vp8|vp9|vp08|vp09|h264|avc1|avc3|av1|av01|hvc1|hev1|opus|pcm|mp4a)$/,
  ],
];

/** Whether the UA's encoders produce `codecs` in `essence`. */
function produced(essence: string, codecs: readonly string[]): boolean {
  return codecs.every((c) => PRODUCED[essence]?.includes(c.toLowerCase()) ?? false);
}

/** Whether a type no encoder produces is written with synthetic payloads (decision 23). */
function fallsBack(
  p: MimeStrategies | null,
  mimeType: string,
  essence: string,
  codecs: readonly string[],
): boolean {
  return (p?.isTypeSupported?.(mimeType) ?? false) && writableAsFallback(essence, codecs);
}

/**
 * Whether the recorded tracks' codecs can be encoded in `essence` (start() 15.2 when
 * not): "ok", "fallback" (decision 23's synthetic container), or "deferred-failure".
 * For Chrome's choice from every track, whose type names codecs of ended tracks too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { production } from "./mime_model.ts";
 * assert.equal(production(null, "", "video/webm", ["opus"]), "ok");
 * assert.equal(production(null, "", "video/webm", ["vp09.00.10.08"]), "deferred-failure");
 * ```
 */
export function production(
  p: MimeStrategies | null,
  mimeType: string,
  essence: string,
  codecs: readonly string[],
): "ok" | "fallback" | "deferred-failure" {
  if (produced(essence, codecs)) return "ok";
  return fallsBack(p, mimeType, essence, codecs) ? "fallback" : "deferred-failure";
}

function writableAsFallback(essence: string, codecs: readonly string[]): boolean {
  const entry = FALLBACK_CODECS.find(([container]) => container.test(essence));
  return entry !== undefined &&
    codecs.every((c) => entry[1].test(c.toLowerCase().split(".")[0]!));
}

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
export function configure(
  mimeType: string,
  kinds: readonly string[],
  resolveOnly = false,
): ConfigurationOutcome {
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
  if (facts.deferredCodec && hasVideo && !resolveOnly) return { kind: "deferred-failure" };
  const list = used.join(",");
  const codecs = list === "" ? "" : list.includes(",") ? `;codecs="${list}"` : `;codecs=${list}`;
  return { kind: "ok", essence, extendedMimeType: `${essence}${codecs}`, codecs: used };
}

/**
 * A profile's own choices of types and codecs (Chrome, Firefox, Safari), followed as data:
 * its `isTypeSupported` answer, its default container and codecs, whether it completes
 * a codecs list with a missing kind's default codec, and whether the container and codecs
 * come from every track of the stream, ended ones included (Chrome).
 */
export interface MimeStrategies {
  /** The engine's own answer, or undefined for the spec's algorithm (the table). */
  isTypeSupported?: (type: string) => boolean;
  /** The container when the type names none. */
  defaultContainer(hasVideo: boolean, hasAudio: boolean): string;
  /** The codec for a kind when the type names none. */
  defaultCodec(kind: "video" | "audio", container: string): string;
  /** A codecs list without a kind is completed with that kind's default codec. */
  completeCodecs: boolean;
}

const VIDEO_CODECS = /^(vp8|vp9|vp08|vp09|avc1|avc3|hvc1|hev1|av01|h264)$/;
const AUDIO_CODECS = /^(opus|vorbis|mp4a|flac|pcm)$/;

/** The kind a codec string names (by its identifier before the first dot), if known. */
export function codecKind(codec: string): "video" | "audio" | undefined {
  const id = codec.toLowerCase().split(".")[0]!;
  return VIDEO_CODECS.test(id) ? "video" : AUDIO_CODECS.test(id) ? "audio" : undefined;
}

/** A drawn type's essence (lowercase) and codecs list (null when it names none). */
function parseDrawn(mimeType: string): { essence: string; codecs: string[] | null } {
  const [head, ...params] = mimeType.split(";");
  const codecs = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith("codecs="));
  return {
    essence: head!.trim().toLowerCase(),
    codecs: codecs === undefined
      ? null
      : codecs.slice(7).replace(/^"|"$/g, "").split(",").map((c) => c.trim()),
  };
}

/**
 * Constructor step 4 on a profile: the engine's own `isTypeSupported`, or the table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { constructsWith } from "./mime_model.ts";
 * const safari = { isTypeSupported: (t: string) => t.startsWith("video/mp4"), defaultContainer: () => "video/mp4", defaultCodec: () => "avc1", completeCodecs: false };
 * assert.equal(constructsWith(safari, "video/mp4"), true);
 * assert.equal(constructsWith(safari, "video/webm"), false);
 * ```
 */
export function constructsWith(p: MimeStrategies, mimeType: string): boolean {
  return p.isTypeSupported ? p.isTypeSupported(mimeType) : MIME_TABLE[mimeType]!.constructs;
}

/**
 * Steps 8 and 14 on a profile with its own strategies: the container (named, or the
 * profile's default for the kinds), a codec per kind (named, or the default when the type
 * names none or, completing, none of that kind), in recording order. An audio container
 * cannot hold video, Ogg holds one audio track, and a kind without a codec cannot be
 * recorded. When no encoder has the codecs, a type the profile's own `isTypeSupported`
 * accepts is written with synthetic payloads (decision 23); otherwise start() takes 15.2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configureWith } from "./mime_model.ts";
 * const p = { defaultContainer: (v: boolean) => (v ? "video/webm" : "audio/ogg"), defaultCodec: (k: string) => (k === "video" ? "vp8" : "opus"), completeCodecs: false };
 * assert.deepEqual(configureWith(p, "", ["audio"]), { kind: "ok", essence: "audio/ogg", extendedMimeType: "audio/ogg;codecs=opus", codecs: ["opus"] });
 * assert.deepEqual(configureWith(p, "video/webm;codecs=vp8", ["video", "audio"]), { kind: "unrecordable" });
 * ```
 */
export function configureWith(
  p: MimeStrategies,
  mimeType: string,
  kinds: readonly string[],
  resolveOnly = false,
): ConfigurationOutcome {
  const hasVideo = kinds.includes("video");
  const hasAudio = kinds.includes("audio");
  const drawn = mimeType === "" ? null : parseDrawn(mimeType);
  const essence = drawn?.essence ?? p.defaultContainer(hasVideo, hasAudio);
  if (hasVideo && essence.startsWith("audio/")) return { kind: "unrecordable" };
  if (essence === "audio/ogg" && kinds.filter((k) => k === "audio").length > 1) {
    return { kind: "unrecordable" };
  }
  const used: string[] = [];
  for (const kind of ["video", "audio"] as const) {
    if (!kinds.includes(kind)) continue;
    const given = drawn?.codecs ?? null;
    const codec = given === null
      ? p.defaultCodec(kind, essence)
      : given.find((c) => codecKind(c) === kind) ??
        given.find((c) => codecKind(c) === undefined) ??
        (p.completeCodecs ? p.defaultCodec(kind, essence) : undefined);
    if (codec === undefined) return { kind: "unrecordable" };
    if (!used.includes(codec)) used.push(codec);
  }
  const fallback = !produced(essence, used);
  if (fallback && !resolveOnly && !fallsBack(p, mimeType, essence, used)) {
    return { kind: "deferred-failure" };
  }
  const list = used.join(",");
  const codecs = list === "" ? "" : list.includes(",") ? `;codecs="${list}"` : `;codecs=${list}`;
  const out: ConfigurationOutcome = {
    kind: "ok",
    essence,
    extendedMimeType: `${essence}${codecs}`,
    codecs: used,
  };
  if (fallback) out.fallback = true;
  return out;
}
