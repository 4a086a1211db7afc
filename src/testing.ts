/**
 * Testing helpers for code that records with recsim (`@recsim/core/testing`): a
 * recorder watcher that logs every event with its virtual time and collects the
 * chunks, the WebM and Ogg readers, and helpers that read the trace.
 *
 * @module
 */
import type { BlobEvent } from "./events/blob_event.ts";
import type { ErrorEvent } from "./events/error_event.ts";
import type { FramesEntry, Trace } from "./trace.ts";
import { blobBytes } from "./blob_bytes.ts";

export { blobBytes } from "./blob_bytes.ts";

export {
  readWebm,
  type ReadWebmOptions,
  type WebmBlock,
  type WebmCluster,
  type WebmFile,
  WebmParseError,
  type WebmTrackInfo,
} from "./container/webm_reader.ts";
export {
  type OggFile,
  type OggPacket,
  type OggPage,
  OggParseError,
  type OpusHeadInfo,
  parseOpusHead,
  readOgg,
  type ReadOggOptions,
} from "./container/ogg_reader.ts";
export type {
  CallEntry,
  ChunkEntry,
  EventEntry,
  FramesEntry,
  ListenerErrorEntry,
  RecordingEntry,
  Trace,
  TraceEntry,
  TrackEntry,
} from "./trace.ts";

/**
 * What {@link watchRecorder} needs of a recorder: any `MediaRecorder`-shaped event
 * target (recsim's, or another implementation's).
 */
export interface RecorderLike extends EventTarget {
  /** The recording state. */
  readonly state: string;
  /** The mimeType. */
  readonly mimeType: string;
}

/** One event a {@link watchRecorder} saw. */
export interface WatchedEvent {
  /** Virtual time of dispatch. */
  t: number;
  /** Event type. */
  type: string;
  /** `recorder.state` at dispatch. */
  state: string;
  /** `recorder.mimeType` at dispatch. */
  mimeType: string;
  /** For `dataavailable`: the chunk. */
  data?: Blob;
  /** For `dataavailable`: the timecode. */
  timecode?: number;
  /** For `error`: the DOMException name. */
  error?: string;
}

/** What {@link watchRecorder} returns. */
export interface RecorderWatch {
  /** Every event, in dispatch order. */
  readonly events: WatchedEvent[];
  /** The `dataavailable` chunks, in order. */
  readonly chunks: Blob[];
  /** The event types, e.g. `["start", "dataavailable", "stop"]`. */
  types(): string[];
  /**
   * All chunks concatenated, as bytes (read with {@link blobBytes}, so it works under
   * jsdom with fake timers on).
   */
  bytes(): Promise<Uint8Array>;
  /** Stops watching. */
  stop(): void;
}

const TYPES = ["start", "stop", "dataavailable", "pause", "resume", "error"] as const;

/**
 * Watches a recorder: logs every event (time, state, mimeType, data) and collects chunks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "./user_agent.ts";
 * import { watchRecorder } from "./testing.ts";
 * const ua = createUserAgent();
 * const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
 * const watch = watchRecorder(rec, ua.clock);
 * rec.start();
 * await ua.clock.advance(100);
 * rec.stop();
 * await ua.clock.settle();
 * assert.ok(watch.types().join() === "start,dataavailable,stop");
 * assert.ok((await watch.bytes()).length === watch.chunks[0]!.size);
 * ```
 */
export function watchRecorder(recorder: RecorderLike, clock: { now(): number }): RecorderWatch {
  const events: WatchedEvent[] = [];
  const chunks: Blob[] = [];
  const listener = (e: Event) => {
    const entry: WatchedEvent = {
      t: clock.now(),
      type: e.type,
      state: recorder.state,
      mimeType: recorder.mimeType,
    };
    if (e.type === "dataavailable") {
      const b = e as BlobEvent;
      entry.data = b.data;
      entry.timecode = b.timecode;
      chunks.push(b.data);
    }
    if (e.type === "error") {
      entry.error = ((e as ErrorEvent).error as DOMException | null)?.name ?? "";
    }
    events.push(entry);
  };
  for (const t of TYPES) recorder.addEventListener(t, listener);
  return {
    events,
    chunks,
    types: () => events.map((e) => e.type),
    bytes: async () => {
      const parts = await Promise.all(chunks.map(blobBytes));
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    },
    stop: () => {
      for (const t of TYPES) recorder.removeEventListener(t, listener);
    },
  };
}

/**
 * The frames a recording recorded, per track name, from the trace: each track's
 * `recorded` and `black` frame indices in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "./user_agent.ts";
 * import { recordedFrames } from "./testing.ts";
 * const ua = createUserAgent();
 * const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack({ frameRate: 10 })]));
 * rec.start();
 * await ua.clock.advance(1000);
 * rec.stop();
 * await ua.clock.settle();
 * assert.ok(recordedFrames(ua.trace).get("video#1")!.length === 10);
 * ```
 */
export function recordedFrames(
  trace: Trace,
  recorder = "recorder#1",
  recording = 1,
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of trace.entries) {
    if (e.kind !== "frames" || e.target !== recorder || e.recording !== recording) continue;
    out.set(e.track, framesIn(e.runs, ["recorded", "black"]));
  }
  return out;
}

/** The frame indices of `runs` whose state is one of `states`. */
export function framesIn(
  runs: FramesEntry["runs"],
  states: FramesEntry["runs"][number][2][],
): number[] {
  const out: number[] = [];
  for (const [from, to, state] of runs) {
    if (states.includes(state)) {
      for (let i = from; i < to; i++) out.push(i);
    }
  }
  return out;
}
