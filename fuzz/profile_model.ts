/**
 * Which user-agent profile a fuzz run uses, and what the model knows of it.
 *
 * A case's setup names a profile as data ({@link ProfileData}): the spec profile, an
 * engine profile (chrome, firefox, safari) with its engine bugs off (`bugs: {}`: the
 * model follows the profile's data fields, never an engine bug), or a custom profile
 * derived from the spec one with some of an engine's fields. The model follows the
 * fields in {@link MODELLED_FIELDS} (today every field a built-in profile sets);
 * {@link unmodelledFields} names the others in which a profile differs from the spec, and
 * the drawer ({@link profileDataArb}) draws an engine whole only when it has none, so a
 * campaign never reports a difference the model does not know.
 *
 * Kept apart from `model.ts` on purpose: the engine profiles change to match measured
 * browsers, so this file is where the model learns each new field.
 *
 * @module
 */
import fc from "fast-check";
import type { MimeStrategies } from "./mime_model.ts";
import {
  chromeProfile,
  firefoxProfile,
  type Profile,
  safariProfile,
  specProfile,
} from "../src/profiles/mod.ts";

/** The profile of a case, as JSON-able data. */
export interface ProfileData {
  /** The profile the fields come from. */
  base: "spec" | "chrome" | "firefox" | "safari";
  /**
   * Custom: the spec profile with these fields taken from `base`. Absent: `base` as it is
   * (engine bugs off).
   */
  fields?: ModelledField[];
}

/**
 * The profile fields the model follows:
 * - `formatMimeType`: the extended mimeType the start event sets (and the Blobs' type);
 * - `mimeTypeAfterStop`: whether `mimeType` reverts when the recording ends ("kept": the
 *   start task also sets it after the end);
 * - `errorEvent`: the error event's interface;
 * - `bothKeyFrameOptionsThrowIn`: where both key-frame options throw (constructor, start()
 *   or nowhere);
 * - `tracksPerKind`: all tracks of a kind recorded, only the first, or start() rejects;
 * - `ignoreRemovalOfEndedTrack`: removing an ended track does not end the recording;
 * - `minTimeslice`: every setup sets the agent's own (`createUserAgent({ minTimeslice })`);
 * - `defaultVideoBitsPerSecond`, `defaultAudioBitsPerSecond`, `getUserMediaLatency`: not
 *   observed by the model's checks (bitrates are checked where the options give them);
 * - `splitBitsPerSecond`, `zeroMissingKindAtStart`, `inactivateSplitsRecordedKinds`: the
 *   bitrates at construction, start() and Inactivate;
 * - `chunkClock`, `requestDataRestartsTimeslice`, `emptyTimesliceChunks`, `chunkPerWrite`,
 *   `audioClusterMs`, `encoderLatency`: each clock's rule in `invariants.ts`, Firefox's
 *   several Blobs in one task, Chrome's Blob per write at 0;
 * - `timecode`, `audioWriteMs`: timecodes by rule, audio blocks in packets;
 * - `startEvent`, `trackSetChange`, `allTracksEnded`, `headerAtStartEvent`: when start
 *   fires, an empty final Blob;
 * - `timesliceType`: Chrome's `long` timeslice;
 * - `isTypeSupported`, `defaultContainer`, `defaultCodec`, `completeCodecs`,
 *   `mimeTypeFromAllTracks`, `audioBitrateMode`: the type and codec choices
 *   (`mime_model.ts`) and the option the engine may lack;
 * - `seekableWebmWithoutTimeslice`, `streamActivityEvents`: the bytes still parse as one
 *   stream; stream events are not the recorder's.
 */
export const MODELLED_FIELDS = [
  "formatMimeType",
  "mimeTypeAfterStop",
  "errorEvent",
  "bothKeyFrameOptionsThrowIn",
  "tracksPerKind",
  "ignoreRemovalOfEndedTrack",
  "minTimeslice",
  "defaultVideoBitsPerSecond",
  "defaultAudioBitsPerSecond",
  "getUserMediaLatency",
  "splitBitsPerSecond",
  "zeroMissingKindAtStart",
  "inactivateSplitsRecordedKinds",
  "chunkClock",
  "requestDataRestartsTimeslice",
  "emptyTimesliceChunks",
  "timecode",
  "audioWriteMs",
  "audioClusterMs",
  "encoderLatency",
  "seekableWebmWithoutTimeslice",
  "streamActivityEvents",
  "headerAtStartEvent",
  "timesliceType",
  "chunkPerWrite",
  "startEvent",
  "trackSetChange",
  "allTracksEnded",
  "isTypeSupported",
  "defaultContainer",
  "defaultCodec",
  "completeCodecs",
  "mimeTypeFromAllTracks",
  "audioBitrateMode",
] as const;

/** One of {@link MODELLED_FIELDS}. */
export type ModelledField = typeof MODELLED_FIELDS[number];

const ENGINES = {
  spec: specProfile,
  chrome: chromeProfile,
  firefox: firefoxProfile,
  safari: safariProfile,
};

/** Fields that name or describe a profile rather than change behaviour. */
const IGNORED = new Set(["name", "bugs"]);

/**
 * The profile a case runs with: engine bugs always off.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { profileOf } from "./profile_model.ts";
 * const p = profileOf({ base: "firefox", fields: ["mimeTypeAfterStop"] });
 * assert.equal(p.mimeTypeAfterStop, "constrained");
 * assert.equal(p.chunkClock, "media");
 * assert.equal(profileOf({ base: "chrome", fields: ["mimeTypeAfterStop"] }).mimeTypeAfterStop, "kept");
 * ```
 */
export function profileOf(data: ProfileData | undefined): Profile {
  if (data === undefined || data.base === "spec") return specProfile;
  const engine = ENGINES[data.base];
  const noBugs = {} as Profile["bugs"];
  if (data.fields === undefined) return { ...engine, bugs: noBugs };
  const picked: Record<string, unknown> = {};
  for (const f of data.fields) picked[f] = engine[f];
  return {
    ...specProfile,
    ...picked,
    name: `spec+${data.base}(${data.fields.join(",")})`,
    bugs: noBugs,
  } as Profile;
}

/**
 * The fields in which `profile` differs from the spec profile and that the model does not
 * follow (functions compare by identity).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { profileOf, unmodelledFields } from "./profile_model.ts";
 * assert.deepEqual(unmodelledFields(profileOf({ base: "chrome", fields: ["errorEvent"] })), []);
 * assert.deepEqual(unmodelledFields(profileOf({ base: "safari" })), []);
 * const future = { ...profileOf({ base: "safari" }), muxerQueueMs: 20 } as never;
 * assert.deepEqual(unmodelledFields(future), ["muxerQueueMs"]);
 * ```
 */
export function unmodelledFields(profile: Profile): string[] {
  const modelled = new Set<string>(MODELLED_FIELDS);
  const keys = new Set([...Object.keys(specProfile), ...Object.keys(profile)]);
  const out: string[] = [];
  for (const k of keys) {
    if (IGNORED.has(k) || modelled.has(k)) continue;
    const a = (specProfile as unknown as Record<string, unknown>)[k];
    const b = (profile as unknown as Record<string, unknown>)[k];
    if (a !== b) out.push(k);
  }
  return out;
}

/** The engine profiles whose every difference from the spec the model follows. */
export function fullyModelledEngines(): ("chrome" | "firefox" | "safari")[] {
  return (["chrome", "firefox", "safari"] as const).filter((e) =>
    unmodelledFields(profileOf({ base: e })).length === 0
  );
}

/**
 * Draws a profile: the spec one (3 runs in 8), a custom one (the spec with some modelled
 * fields of an engine; 3 in 8), or an engine profile as it is (2 in 8), of those whose
 * every field the model follows ({@link fullyModelledEngines}: all three). `only` fixes
 * it (`deno task fuzz --profile chrome`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "fast-check";
 * import { profileDataArb } from "./profile_model.ts";
 * assert.deepEqual(fc.sample(profileDataArb({ base: "firefox" }), 1), [{ base: "firefox" }]);
 * assert.deepEqual(fc.sample(profileDataArb({ base: "spec" }), 1), [undefined]);
 * ```
 */
export function profileDataArb(only?: ProfileData): fc.Arbitrary<ProfileData | undefined> {
  if (only !== undefined) return fc.constant(only.base === "spec" ? undefined : only);
  const engines = fullyModelledEngines();
  const custom = fc.record({
    base: fc.constantFrom("chrome" as const, "firefox" as const, "safari" as const),
    fields: fc.subarray([...MODELLED_FIELDS], { minLength: 1 }),
  });
  const arbs: fc.WeightedArbitrary<ProfileData | undefined>[] = [
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: custom },
  ];
  if (engines.length > 0) {
    arbs.push({ weight: 2, arbitrary: fc.constantFrom(...engines).map((base) => ({ base })) });
  }
  return fc.oneof(...arbs);
}

/** What the model needs to know of a profile. */
export interface ProfileFacts {
  /** The extended mimeType for the recorded codecs. */
  formatMimeType(essence: string, codecs: readonly string[], constrained: string): string;
  /** Whether mimeType stays the extended one after the recording ends. */
  keepsMimeType: boolean;
  /** The error event's interface name. */
  errorEvent: Profile["errorEvent"];
  /** Where both key-frame options throw. */
  bothKeyFrameOptionsThrowIn: Profile["bothKeyFrameOptionsThrowIn"];
  /** Which tracks of a kind are recorded. */
  tracksPerKind: Profile["tracksPerKind"];
  /** Whether removing an ended track is ignored. */
  ignoreRemovalOfEndedTrack: boolean;
  /**
   * The profile's bitrate split, followed exactly; null for the spec's, where the model
   * checks only that the sum is close to `bitsPerSecond`.
   */
  splitBitsPerSecond: Profile["splitBitsPerSecond"] | null;
  /** start() without `bitsPerSecond` sets a kind with no recorded track to 0. */
  zeroMissingKindAtStart: boolean;
  /** Inactivate splits `bitsPerSecond` for the recorded kinds only. */
  inactivateSplitsRecordedKinds: boolean;
  /** Which clock cuts timeslice chunks (the invariants check each clock's rule). */
  chunkClock: Profile["chunkClock"];
  /** Whether `requestData()` restarts the timeslice count. */
  requestDataRestartsTimeslice: boolean;
  /** Whether a wall timer delivers empty chunks. */
  emptyTimesliceChunks: boolean;
  /** `BlobEvent.timecode`'s rule. */
  timecode: Profile["timecode"];
  /** Audio written in packets of this many ms (null: a block per frame). */
  audioWriteMs: number | null;
  /** WebIDL type of start()'s timeslice (Chrome: `long`). */
  timesliceType: Profile["timesliceType"];
  /** When the start event fires. */
  startEvent: Profile["startEvent"];
  /** The final Blob of a track-set change. */
  trackSetChange: Profile["trackSetChange"];
  /** The final Blob when every track ended. */
  allTracksEnded: Profile["allTracksEnded"];
  /** The profile's own type and codec choices; null: the spec's (the model's table). */
  mime: MimeStrategies | null;
  /** Container and codecs come from every track of the stream, ended ones too (Chrome). */
  mimeTypeFromAllTracks: boolean;
  /** Whether the engine has `audioBitrateMode` (the option's enum is checked). */
  audioBitrateMode: boolean;
  /** At a timeslice of 0, a Blob per muxer write (Chrome's wall-writes clock). */
  chunkPerWrite: boolean;
  /** The encoders take time (start-up bursts and queues make later cuts legitimate). */
  encoderLatency: boolean;
}

/**
 * The facts of {@link profileOf}`(data)` that the model follows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { factsOf } from "./profile_model.ts";
 * const f = factsOf({ base: "firefox", fields: ["formatMimeType"] });
 * assert.equal(f.formatMimeType("video/webm", ["vp8", "opus"], ""), 'video/webm; codecs="vp8, opus"');
 * assert.equal(f.keepsMimeType, false);
 * ```
 */
export function factsOf(data: ProfileData | undefined): ProfileFacts {
  const p = profileOf(data);
  return {
    formatMimeType: (e, c, k) => p.formatMimeType(e, c, k),
    keepsMimeType: p.mimeTypeAfterStop === "kept",
    errorEvent: p.errorEvent,
    bothKeyFrameOptionsThrowIn: p.bothKeyFrameOptionsThrowIn,
    tracksPerKind: p.tracksPerKind,
    ignoreRemovalOfEndedTrack: p.ignoreRemovalOfEndedTrack,
    splitBitsPerSecond: p.splitBitsPerSecond === specProfile.splitBitsPerSecond
      ? null
      : (bps, v, a) => p.splitBitsPerSecond(bps, v, a),
    zeroMissingKindAtStart: p.zeroMissingKindAtStart,
    inactivateSplitsRecordedKinds: p.inactivateSplitsRecordedKinds ?? false,
    chunkClock: p.chunkClock,
    requestDataRestartsTimeslice: p.requestDataRestartsTimeslice,
    emptyTimesliceChunks: p.emptyTimesliceChunks,
    timecode: p.timecode,
    audioWriteMs: p.audioWriteMs,
    timesliceType: p.timesliceType,
    startEvent: p.startEvent,
    trackSetChange: p.trackSetChange,
    allTracksEnded: p.allTracksEnded,
    mime: mimeStrategiesOf(p),
    mimeTypeFromAllTracks: p.mimeTypeFromAllTracks ?? false,
    audioBitrateMode: p.audioBitrateMode !== false,
    chunkPerWrite: p.chunkPerWrite === true,
    encoderLatency: p.encoderLatency !== undefined,
  };
}

function mimeStrategiesOf(p: Profile): MimeStrategies | null {
  const spec = specProfile;
  if (
    p.isTypeSupported === spec.isTypeSupported && p.defaultContainer === spec.defaultContainer &&
    p.defaultCodec === spec.defaultCodec && (p.completeCodecs ?? false) === false
  ) return null;
  const out: MimeStrategies = {
    defaultContainer: (v, a) => p.defaultContainer(v, a),
    defaultCodec: (k, c) => p.defaultCodec(k, c),
    completeCodecs: p.completeCodecs ?? false,
  };
  if (p.isTypeSupported) out.isTypeSupported = (t) => p.isTypeSupported!(t);
  return out;
}
