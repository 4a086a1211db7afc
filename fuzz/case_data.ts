/**
 * The data vocabulary of a fuzz case: the setup (agent, tracks, encoder mode) and the
 * commands, as plain JSON so that a shrunk case can be printed, saved under
 * `fuzz/regressions/` and replayed without the generator.
 *
 * @module
 */
import type { ProfileData } from "./profile_model.ts";
import type { Literal } from "./literal.ts";

/** Recorder event types. */
export type EventType = "start" | "stop" | "dataavailable" | "pause" | "resume" | "error";

/** Every recorder event type. */
export const EVENT_TYPES: readonly EventType[] = [
  "start",
  "stop",
  "dataavailable",
  "pause",
  "resume",
  "error",
];

/** Recorder methods. */
export type MethodName = "start" | "stop" | "pause" | "resume" | "requestData";

/** Every recorder method. */
export const METHODS: readonly MethodName[] = ["start", "stop", "pause", "resume", "requestData"];

/** What a one-shot listener does when its event fires (reentrancy). */
export type Action =
  | { m: "start"; ts: Literal }
  | { m: "stop" }
  | { m: "pause" }
  | { m: "resume" }
  | { m: "requestData" }
  | { m: "throw" };

/** MediaRecorderOptions as literals; a missing key is an absent member. */
export interface OptionsData {
  /** `mimeType` (one of the model's table, see `mime_model.ts`). */
  mimeType?: string;
  /** `audioBitsPerSecond` literal. */
  audioBitsPerSecond?: Literal;
  /** `videoBitsPerSecond` literal. */
  videoBitsPerSecond?: Literal;
  /** `bitsPerSecond` literal. */
  bitsPerSecond?: Literal;
  /** `audioBitrateMode` (may be invalid). */
  audioBitrateMode?: string;
  /** `videoKeyFrameIntervalDuration` literal. */
  videoKeyFrameIntervalDuration?: Literal;
  /** `videoKeyFrameIntervalCount` literal. */
  videoKeyFrameIntervalCount?: Literal;
}

/** One virtual track of the setup. */
export interface TrackSpec {
  /** Kind. */
  kind: "video" | "audio";
  /** Whether the recorded stream holds it at first. */
  inStream: boolean;
  /** Video: frames per second. */
  frameRate?: number;
  /** Video: capture jitter (ms, < 1000/frameRate). */
  jitterMs?: number;
  /** Video: probability of a dropped frame. */
  dropRate?: number;
  /** Audio: sample rate. */
  sampleRate?: number;
  /** Audio: samples per frame. */
  frameSize?: number;
  /** Audio: channels. */
  channelCount?: number;
}

/** How encoder work completes. */
export type EncoderMode =
  | { mode: "direct" }
  | { mode: "scheduled"; feedInterval: number | "Infinity" };

/** The world a case runs in. */
export interface Setup {
  /** The agent's seed. */
  seed: number;
  /** The agent's minimum timeslice (ms). */
  minTimeslice: number;
  /** The tracks (1–4), in creation order. */
  tracks: TrackSpec[];
  /** The options of the recorder constructed at setup. */
  options: OptionsData;
  /** Encoder completion mode. */
  encoder: EncoderMode;
  /** The agent's profile (absent: the spec's; see `profile_model.ts`). */
  profile?: ProfileData;
}

/** One command. Track numbers index `Setup.tracks` modulo its length. */
export type CommandData =
  | { c: "construct"; options: OptionsData }
  | { c: "start"; ts: Literal }
  | { c: "stop" }
  | { c: "pause" }
  | { c: "resume" }
  | { c: "requestData" }
  | { c: "advance"; ms: number }
  | { c: "settle" }
  | { c: "trackEnd"; track: number }
  | { c: "trackStop"; track: number }
  | { c: "setMuted"; track: number; muted: boolean }
  | { c: "setEnabled"; track: number; enabled: boolean }
  | { c: "addTrack"; track: number; ua: boolean }
  | { c: "removeTrack"; track: number; ua: boolean }
  | { c: "setIsolated"; track: number; isolated: boolean }
  | { c: "failEncoder"; configure: boolean }
  | { c: "arm"; event: EventType; action: Action };

/** A whole case: what `--replay` and the regression corpus run. */
export interface CaseData {
  /** The setup. */
  setup: Setup;
  /** The commands, in order (commands whose precondition fails are skipped). */
  commands: CommandData[];
}

/**
 * A command written as the call it makes, e.g. `rec.start(NaN)` or `video#1.end()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeCommand } from "./case_data.ts";
 * assert.equal(describeCommand({ c: "start", ts: "absent" }), "rec.start()");
 * assert.equal(
 *   describeCommand({ c: "arm", event: "stop", action: { m: "start", ts: "0" } }),
 *   "rec.onstop = once(() => rec.start(0))",
 * );
 * ```
 */
export function describeCommand(d: CommandData): string {
  switch (d.c) {
    case "construct":
      return `rec = new MediaRecorder(stream, ${describeOptions(d.options)})`;
    case "start":
      return `rec.start(${d.ts === "absent" ? "" : d.ts})`;
    case "stop":
    case "pause":
    case "resume":
    case "requestData":
      return `rec.${d.c}()`;
    case "advance":
      return `await clock.advance(${d.ms})`;
    case "settle":
      return "await clock.settle()";
    case "trackEnd":
      return `tracks[${d.track}].end()`;
    case "trackStop":
      return `tracks[${d.track}].stop()`;
    case "setMuted":
      return `tracks[${d.track}].setMuted(${d.muted})`;
    case "setEnabled":
      return `tracks[${d.track}].enabled = ${d.enabled}`;
    case "addTrack":
      return d.ua
        ? `ua.addTrackToStream(stream, tracks[${d.track}])`
        : `stream.addTrack(tracks[${d.track}])`;
    case "removeTrack":
      return d.ua
        ? `ua.removeTrackFromStream(stream, tracks[${d.track}])`
        : `stream.removeTrack(tracks[${d.track}])`;
    case "setIsolated":
      return `ua.setIsolated(tracks[${d.track}], ${d.isolated})`;
    case "failEncoder":
      return d.configure ? `ua.failEncoder(rec, "configure")` : "ua.failEncoder(rec)";
    case "arm":
      return `rec.on${d.event} = once(() => ${describeAction(d.action)})`;
  }
}

/** An action written as code. */
export function describeAction(a: Action): string {
  if (a.m === "throw") return "{ throw new FuzzListenerError() }";
  if (a.m === "start") return `rec.start(${a.ts === "absent" ? "" : a.ts})`;
  return `rec.${a.m}()`;
}

/** Options written as an object literal. */
export function describeOptions(o: OptionsData): string {
  const parts = Object.entries(o).map(([k, v]) =>
    k === "mimeType" || k === "audioBitrateMode" ? `${k}: ${JSON.stringify(v)}` : `${k}: ${v}`
  );
  return `{ ${parts.join(", ")} }`;
}
