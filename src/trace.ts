/**
 * The trace of a run: every recorder method call with its arguments and outcome,
 * every event with its virtual time and the recorder state at dispatch, every chunk
 * with the media it spans, track changes, and per recording which frames each track
 * produced and which were recorded. It is plain JSON data, designed once for the CLI's
 * `trace.json`, the fuzzer's replays and the timeline picture.
 *
 * @module
 */

/** A method call on a recorder, stream or track. */
export interface CallEntry {
  /** Entry kind. */
  kind: "call";
  /** Virtual time (ms). */
  t: number;
  /** Object name, e.g. `recorder#1`. */
  target: string;
  /** Method name. */
  method: string;
  /** Arguments as given (stringified when not JSON-friendly). */
  args: unknown[];
  /** `"ok"` or the thrown error's name and message. */
  outcome: "ok" | { error: string; message: string };
  /** Recorder state before and after the call, for recorder methods. */
  state?: [string, string];
}

/** An event dispatched by recsim. */
export interface EventEntry {
  /** Entry kind. */
  kind: "event";
  /** Virtual time (ms). */
  t: number;
  /** Object name. */
  target: string;
  /** Event type. */
  type: string;
  /** Recorder state at dispatch. */
  state?: string;
  /** The task that dispatched it (tasks are numbered per agent). */
  task: number;
  /** Recording number on this recorder (1 for the first start()). */
  recording?: number;
  /** For `dataavailable`: the blob size in bytes. */
  size?: number;
  /** For `dataavailable`: the timecode. */
  timecode?: number;
  /** For `dataavailable`: `data.type`. */
  blobType?: string;
  /** For `error`: the DOMException name. */
  error?: string;
  /** For `start`: the recorder's mimeType after the event's steps. */
  mimeType?: string;
}

/** One delivered chunk and the media it holds. */
export interface ChunkEntry {
  /** Entry kind. */
  kind: "chunk";
  /** Virtual time of the cut (ms). */
  t: number;
  /** Recorder name. */
  target: string;
  /** Recording number on this recorder. */
  recording: number;
  /** Chunk index within the recording (0 for the first). */
  index: number;
  /** Bytes in the chunk. */
  size: number;
  /** The chunk's timecode. */
  timecode: number;
  /** Why the chunk was cut. */
  reason: "timeslice" | "requestData" | "stop" | "ended" | "error";
  /** Number of encoded blocks (frames/packets) in the chunk. */
  blocks: number;
  /** Media time span (recording timeline, pauses removed) of the chunk's blocks, ms. */
  media: [number, number] | null;
  /** Capture time span (virtual clock) of the chunk's blocks, ms. */
  capture: [number, number] | null;
}

/** A change to a track or a stream's track set. */
export interface TrackEntry {
  /** Entry kind. */
  kind: "track";
  /** Virtual time (ms). */
  t: number;
  /** Track name, e.g. `video#1`. */
  target: string;
  /** What happened. */
  what:
    | "created"
    | "ended"
    | "stopped"
    | "muted"
    | "unmuted"
    | "enabled"
    | "disabled"
    | "isolated"
    | "unisolated"
    | "added"
    | "removed";
  /** For added/removed: the stream's name. */
  stream?: string;
  /** For created: the source's seed (decode-back needs it to locate audio). */
  seed?: number;
  /** For created: the source's settings (frame rate, frame size, …). */
  settings?: Record<string, number | string>;
}

/** A recording's configuration, written when start() succeeds. */
export interface RecordingEntry {
  /** Entry kind. */
  kind: "recording";
  /** Virtual time of start(). */
  t: number;
  /** Recorder name. */
  target: string;
  /** Recording number on this recorder. */
  recording: number;
  /** The converted timeslice, or null when none was given. */
  timeslice: number | null;
  /** The UA minimum timeslice. */
  minTimeslice: number;
  /** The container/codecs chosen. */
  mimeType: string;
  /** The encoder used. */
  encoder: string;
  /** Names of the recorded tracks. */
  tracks: string[];
}

/**
 * Runs of frames of one track in one recording, by frame index: `recorded` (in the
 * file), `black` (recorded as black/silence: disabled or muted), `paused` (produced
 * while paused, not recorded), `dropped` (never produced by the source).
 */
export interface FramesEntry {
  /** Entry kind. */
  kind: "frames";
  /** Virtual time the recording stopped gathering. */
  t: number;
  /** Recorder name. */
  target: string;
  /** Recording number. */
  recording: number;
  /** Track name. */
  track: string;
  /** `[fromIndex, toIndexExclusive, state]` runs in index order. */
  runs: Array<[number, number, "recorded" | "black" | "paused" | "dropped"]>;
}

/** A listener threw. */
export interface ListenerErrorEntry {
  /** Entry kind. */
  kind: "listener-error";
  /** Virtual time. */
  t: number;
  /** The error's name and message. */
  error: string;
}

/** Any trace entry. */
export type TraceEntry =
  | CallEntry
  | EventEntry
  | ChunkEntry
  | TrackEntry
  | RecordingEntry
  | FramesEntry
  | ListenerErrorEntry;

/**
 * An append-only list of {@link TraceEntry}. A disabled trace records nothing (for
 * long benchmark runs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Trace } from "./trace.ts";
 * const trace = new Trace();
 * trace.add({ kind: "listener-error", t: 0, error: "Error: boom" });
 * assert.ok(trace.entries.length === 1);
 * assert.ok(JSON.parse(trace.toJSON()).entries.length === 1);
 * ```
 */
export class Trace {
  /** Whether entries are recorded. */
  readonly enabled: boolean;
  /** The entries, in the order they happened. */
  readonly entries: TraceEntry[] = [];

  /** Creates a trace; `enabled: false` makes {@link Trace.add} a no-op. */
  constructor(enabled = true) {
    this.enabled = enabled;
  }

  /** Appends an entry. */
  add(entry: TraceEntry): void {
    if (this.enabled) this.entries.push(entry);
  }

  /** The entries of one kind. */
  ofKind<K extends TraceEntry["kind"]>(kind: K): Extract<TraceEntry, { kind: K }>[] {
    return this.entries.filter((e) => e.kind === kind) as Extract<TraceEntry, { kind: K }>[];
  }

  /** The trace as a JSON document `{ version: 1, entries }`. */
  toJSON(): string {
    return JSON.stringify({ version: 1, entries: this.entries });
  }
}
