/**
 * The internal slots of a MediaRecorder (spec `[[ConstrainedMimeType]]`, …) and the
 * "fire an event" helpers the algorithms share. Internal to recsim.
 *
 * @module
 */
import type { Agent } from "../agent.ts";
import { BlobEvent, BlobEventWithoutTimecode } from "../events/blob_event.ts";
import { mutations } from "./_mutations.ts";
import { trusted } from "../events/trusted.ts";
import { MediaRecorderErrorEvent } from "../events/media_recorder_error_event.ts";
import { ErrorEvent } from "../events/error_event.ts";
import type { MediaStream } from "../media/media_stream.ts";
import type { RecordingSession } from "./recording_session.ts";

/** `RecordingState`. */
export type RecordingState = "inactive" | "recording" | "paused";
/** `BitrateMode`. */
export type BitrateMode = "constant" | "variable";

/** A recorder's internal slots and attributes. */
export interface RecorderInternals {
  /** The owning agent. */
  readonly agent: Agent;
  /** The recorder itself (the event target). */
  readonly target: EventTarget;
  /** Name for traces (`recorder#1`). */
  readonly name: string;
  /** The `stream` attribute. */
  readonly stream: MediaStream;
  /** The `mimeType` attribute. */
  mimeType: string;
  /** The `state` attribute. */
  state: RecordingState;
  /** The `videoBitsPerSecond` attribute. */
  videoBitsPerSecond: number;
  /** The `audioBitsPerSecond` attribute. */
  audioBitsPerSecond: number;
  /** The `audioBitrateMode` attribute. */
  audioBitrateMode: BitrateMode;
  /** `[[ConstrainedMimeType]]`. */
  readonly constrainedMimeType: string;
  /** `[[ConstrainedBitsPerSecond]]` (null when the option was absent). */
  readonly constrainedBitsPerSecond: number | null;
  /** `[[VideoKeyFrameIntervalDuration]]`. */
  readonly videoKeyFrameIntervalDuration: number | null;
  /** `[[VideoKeyFrameIntervalCount]]`. */
  readonly videoKeyFrameIntervalCount: number | null;
  /** The recording in progress (or ending), if any. */
  session: RecordingSession | null;
  /** Recordings started so far (the current one's number). */
  recordings: number;
  /** Fault injection: the next recording's or the current encoder's failure. */
  failNext: string | null;
  /** Chrome timecodes: the dispatch time of this recorder's first BlobEvent. */
  firstBlobEventTime: number | null;
  /**
   * A recording that an engine bug left without data: Chrome's failed start
   * (`bugs.stateStaysRecordingAfterFailedStart`: start() threw but state stayed
   * "recording"; a later stop() fires start, an empty dataavailable and stop) or Firefox's
   * stall (`bugs.stallsOnMissingKind`: a later stop() fires start only). The MIME type the
   * engine had chosen, and whether stop() fires the end events. Null otherwise.
   */
  phantom: { mimeType: string; endEvents: boolean } | null;
}

const slots = new WeakMap<object, RecorderInternals>();

/** Associates internals with a recorder. */
export function setRecorderInternals(recorder: object, internals: RecorderInternals): void {
  slots.set(recorder, internals);
}

/**
 * The internals of `recorder`.
 *
 * @throws {TypeError} "Illegal invocation" when `recorder` is not a recsim MediaRecorder.
 */
export function recorderInternals(recorder: unknown): RecorderInternals {
  const r = slots.get(recorder as object);
  if (!r) throw new TypeError("Illegal invocation: not a recsim MediaRecorder");
  return r;
}

/** Fires a plain event named `type` at the recorder, from task `task`. */
export function fireEvent(
  r: RecorderInternals,
  type: string,
  task: number,
  recording: number,
  extra: { mimeType?: string } = {},
): void {
  if (r.agent.trace.enabled) {
    r.agent.trace.add({
      kind: "event",
      t: r.agent.clock.now(),
      target: r.name,
      type,
      state: r.state,
      task,
      recording,
      ...extra,
    });
  }
  r.target.dispatchEvent(trusted(new Event(type)));
}

/**
 * "Fire a blob event": a `BlobEvent` named `dataavailable` with `data` and `timecode`
 * (without a timecode attribute when `timecode` is undefined, as Gecko's BlobEvent).
 */
export function fireBlobEvent(
  r: RecorderInternals,
  data: Blob,
  timecode: number | undefined,
  task: number,
  recording: number,
): void {
  if (mutations.blobTypeEmpty) data = new Blob([data]);
  if (r.agent.trace.enabled) {
    // (Two literals rather than a spread: one object per chunk, the same keys in order.)
    const t = r.agent.clock.now();
    r.agent.trace.add(
      timecode === undefined
        ? {
          kind: "event",
          t,
          target: r.name,
          type: "dataavailable",
          state: r.state,
          task,
          recording,
          size: data.size,
          blobType: data.type,
        }
        : {
          kind: "event",
          t,
          target: r.name,
          type: "dataavailable",
          state: r.state,
          task,
          recording,
          size: data.size,
          timecode,
          blobType: data.type,
        },
    );
  }
  r.target.dispatchEvent(trusted(
    timecode === undefined
      ? new BlobEventWithoutTimecode("dataavailable", { data })
      : new BlobEvent("dataavailable", { data, timecode }),
  ));
}

/**
 * "Fire an error event": an `ErrorEvent` (or the profile's `MediaRecorderErrorEvent`)
 * named `error` whose `error` is a DOMException named `name`.
 */
export function fireErrorEvent(
  r: RecorderInternals,
  name: string,
  message: string,
  task: number,
  recording: number,
): void {
  if (r.agent.trace.enabled) {
    r.agent.trace.add({
      kind: "event",
      t: r.agent.clock.now(),
      target: r.name,
      type: "error",
      state: r.state,
      task,
      recording,
      error: name,
    });
  }
  const error = new DOMException(message, name);
  r.target.dispatchEvent(trusted(
    r.agent.profile.errorEvent === "MediaRecorderErrorEvent"
      ? new MediaRecorderErrorEvent("error", { error })
      : new ErrorEvent("error", { message, error }),
  ));
}
