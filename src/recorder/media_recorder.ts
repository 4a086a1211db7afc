/**
 * `MediaRecorder` (MediaStream Recording): attributes, event handlers and methods. Each
 * method is one spec algorithm in its own module (`start.ts`, `stop.ts`,
 * `inactivate.ts`, `mime_type.ts`); this file holds the interface and the constructor
 * steps.
 *
 * @module
 */
import { type Agent, agentOf } from "../agent.ts";
import { domException, HarnessError } from "../errors.ts";
import {
  getEventHandler,
  setEventHandler,
  setListenerErrorSink,
  SimEventTarget,
} from "../events/sim_event_target.ts";
import { isStream, type MediaStream, streamInternals } from "../media/media_stream.ts";
import { specProfile } from "../profiles/mod.ts";
import { syntheticEncoder } from "../encoding/synthetic_encoder.ts";
import { toDOMString, toEnum, toRestrictedDouble, toUnsignedLong } from "../webidl.ts";
import { isTypeSupportedAlgorithm, type TypeSupport } from "./mime_type.ts";
import {
  type BitrateMode,
  type RecorderInternals,
  recorderInternals,
  type RecordingState,
  setRecorderInternals,
} from "./recorder_internals.ts";
import { start } from "./start.ts";
import { pause, requestData, resume, stop } from "./stop.ts";

export type { BitrateMode, RecordingState };

/**
 * The type of a recorder's event handler attributes: no `this` type and a method-typed
 * (so bivariantly compared) event parameter, which makes a recsim recorder assignable
 * to lib.dom's `MediaRecorder`.
 */
export type RecorderEventHandler<E extends Event> = ((ev: E) => unknown) | null;

/** What a `dataavailable` handler receives (recsim's `BlobEvent` or lib.dom's). */
export interface BlobEventLike extends Event {
  /** The chunk. */
  readonly data: Blob;
  /** The chunk's timecode in ms. */
  readonly timecode: number;
}

/** What an `error` handler receives (recsim's `ErrorEvent` or lib.dom's). */
export interface ErrorEventLike extends Event {
  /** The error (a DOMException). */
  readonly error: unknown;
  /** The message. */
  readonly message: string;
}

/** The `MediaRecorderOptions` dictionary. */
export interface MediaRecorderOptions {
  /** The container and codecs to record (default "": the UA chooses). */
  mimeType?: string;
  /** Target bits per second for audio. */
  audioBitsPerSecond?: number;
  /** Target bits per second for video. */
  videoBitsPerSecond?: number;
  /** Target bits per second for audio and video together (overrides the two above). */
  bitsPerSecond?: number;
  /** "constant" or "variable" (default) audio bitrate. */
  audioBitrateMode?: BitrateMode;
  /** A key frame after at least this many ms since the last one. */
  videoKeyFrameIntervalDuration?: number;
  /** A key frame after this many frames. */
  videoKeyFrameIntervalCount?: number;
}

/** The options after WebIDL dictionary conversion (members in lexicographic order). */
interface ConvertedOptions {
  audioBitrateMode: BitrateMode;
  audioBitsPerSecond?: number;
  bitsPerSecond?: number;
  mimeType: string;
  videoBitsPerSecond?: number;
  videoKeyFrameIntervalCount?: number;
  videoKeyFrameIntervalDuration?: number;
}

function convertOptions(options: unknown, bitrateMode = true): ConvertedOptions {
  if (options === undefined || options === null) {
    return { audioBitrateMode: "variable", mimeType: "" };
  }
  if (typeof options !== "object" && typeof options !== "function") {
    throw new TypeError("MediaRecorder: options must be an object (MediaRecorderOptions)");
  }
  const o = options as Record<string, unknown>;
  const out: ConvertedOptions = { audioBitrateMode: "variable", mimeType: "" };
  // WebIDL converts dictionary members in lexicographic order of their names.
  // (An engine without the member, Firefox, ignores it.)
  const mode = bitrateMode ? o.audioBitrateMode : undefined;
  if (mode !== undefined) {
    out.audioBitrateMode = toEnum(
      mode,
      ["constant", "variable"] as const,
      "options.audioBitrateMode",
    );
  }
  if (o.audioBitsPerSecond !== undefined) {
    out.audioBitsPerSecond = toUnsignedLong(o.audioBitsPerSecond);
  }
  if (o.bitsPerSecond !== undefined) out.bitsPerSecond = toUnsignedLong(o.bitsPerSecond);
  if (o.mimeType !== undefined) out.mimeType = toDOMString(o.mimeType);
  if (o.videoBitsPerSecond !== undefined) {
    out.videoBitsPerSecond = toUnsignedLong(o.videoBitsPerSecond);
  }
  if (o.videoKeyFrameIntervalCount !== undefined) {
    out.videoKeyFrameIntervalCount = toUnsignedLong(o.videoKeyFrameIntervalCount);
  }
  if (o.videoKeyFrameIntervalDuration !== undefined) {
    out.videoKeyFrameIntervalDuration = toRestrictedDouble(
      o.videoKeyFrameIntervalDuration,
      "options.videoKeyFrameIntervalDuration",
    );
  }
  return out;
}

/**
 * "is type supported" for an agent: the profile's own table when it has one (an engine
 * answers as it does, whatever recsim can encode), else the spec's algorithm over the
 * registered encoders.
 */
export function isTypeSupportedBy(
  agent: Agent,
  type: string,
  deferNewerCodecsCheck: boolean,
): boolean {
  const table = agent.profile.isTypeSupported;
  return table
    ? table(type)
    : isTypeSupportedAlgorithm(type, deferNewerCodecsCheck, typeSupportOf(agent));
}

/** What `isTypeSupported` asks: the agent's encoder providers. */
export function typeSupportOf(agent: Agent | undefined): TypeSupport {
  const providers = agent?.providers ?? [syntheticEncoder];
  return {
    supportsContainer: (essence) => providers.some((p) => p.supportsContainer(essence)),
    supportsCodec: (essence, codec) =>
      providers.some((p) => p.supportsContainer(essence) && p.supportsCodec(essence, codec)),
  };
}

/**
 * The recorder. Use the agent's class: `new ua.MediaRecorder(stream, options)`; the
 * module-level class also works and takes its agent from the stream.
 *
 * State changes are synchronous; every event comes from a queued task on the agent's
 * clock. Events: `start`, `dataavailable` (`BlobEvent`), `pause`, `resume`,
 * `error` (`ErrorEvent` whose `error` is a `DOMException`), `stop`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * const stream = new ua.MediaStream([ua.createVideoTrack(), ua.createAudioTrack()]);
 * const rec = new ua.MediaRecorder(stream, { mimeType: "video/webm" });
 * const chunks: Blob[] = [];
 * rec.ondataavailable = (e) => chunks.push(e.data);
 * rec.start(1000);
 * await ua.clock.advance(3500);
 * rec.stop();
 * await ua.clock.settle();
 * assert.ok(chunks.length === 4); // 3 timeslice chunks + the final one
 * ```
 */
export class MediaRecorder extends SimEventTarget {
  /**
   * The constructor steps (MediaStream Recording §MediaRecorder constructor, 1–17).
   *
   * @throws {TypeError} if `stream` is not a MediaStream or an option fails its WebIDL conversion.
   * @throws {DOMException} `NotSupportedError` if `options.mimeType` is not supported.
   */
  constructor(stream: MediaStream, options?: MediaRecorderOptions) {
    // WebIDL: argument 1 must be a MediaStream; the options dictionary is converted.
    if (!isStream(stream)) {
      throw new TypeError("MediaRecorder: argument 1 is not a MediaStream");
    }
    const agent = streamInternals(stream).agent;
    const o = convertOptions(options, agent.profile.audioBitrateMode !== false);
    const bound = agentOf(new.target);
    if (bound && bound !== agent) {
      throw new HarnessError("MediaRecorder: the stream belongs to another user agent");
    }
    // 1–3. Let stream, options and type be the arguments and options.mimeType.
    const type = o.mimeType;
    // 4. If is type supported(type, true) is false, throw a NotSupportedError.
    if (!isTypeSupportedBy(agent, type, true)) {
      throw domException("NotSupportedError", `mimeType '${type}' is not supported`);
    }
    // (Chrome rejects both key-frame options here rather than in start() step 12.)
    if (
      agent.profile.bothKeyFrameOptionsThrowIn === "constructor" &&
      o.videoKeyFrameIntervalDuration !== undefined && o.videoKeyFrameIntervalCount !== undefined
    ) {
      throw domException(
        "NotSupportedError",
        "videoKeyFrameIntervalDuration and videoKeyFrameIntervalCount cannot both be given",
      );
    }
    // 5. Let recorder be a newly constructed MediaRecorder object.
    super();
    const profile = agent.profile ?? specProfile;
    // 6–9. [[ConstrainedMimeType]], [[ConstrainedBitsPerSecond]] (null when absent),
    //      [[VideoKeyFrameIntervalDuration]], [[VideoKeyFrameIntervalCount]].
    const constrainedBitsPerSecond = o.bitsPerSecond ?? null;
    const r: RecorderInternals = {
      agent,
      target: this,
      name: agent.name("recorder"),
      // 10. Initialize recorder's stream attribute to stream.
      stream,
      // 11. Initialize recorder's mimeType attribute to [[ConstrainedMimeType]].
      mimeType: type,
      // 12. Initialize recorder's state attribute to inactive.
      state: "inactive",
      // 13. videoBitsPerSecond: the option's value if present, or a reasonable UA value.
      videoBitsPerSecond: o.videoBitsPerSecond ?? profile.defaultVideoBitsPerSecond,
      // 14. audioBitsPerSecond: likewise.
      audioBitsPerSecond: o.audioBitsPerSecond ?? profile.defaultAudioBitsPerSecond,
      // 16. audioBitrateMode: the option if the UA supports it, otherwise "variable".
      audioBitrateMode: o.audioBitrateMode,
      constrainedMimeType: type,
      constrainedBitsPerSecond,
      videoKeyFrameIntervalDuration: o.videoKeyFrameIntervalDuration ?? null,
      videoKeyFrameIntervalCount: o.videoKeyFrameIntervalCount ?? null,
      session: null,
      recordings: 0,
      failNext: null,
      firstBlobEventTime: null,
      phantom: null,
    };
    // 15. If [[ConstrainedBitsPerSecond]] is not null, split it between video and audio.
    if (constrainedBitsPerSecond !== null) {
      const split = profile.splitBitsPerSecond(constrainedBitsPerSecond, true, true);
      r.videoBitsPerSecond = split.video;
      r.audioBitsPerSecond = split.audio;
    }
    setRecorderInternals(this, r);
    setListenerErrorSink(this, (e) => agent.reportListenerError(e));
    // 17. Return recorder.
  }

  /** The stream being recorded. */
  get stream(): MediaStream {
    return recorderInternals(this).stream;
  }
  /** The constructor's mimeType, or while recording the container and codecs used. */
  get mimeType(): string {
    return recorderInternals(this).mimeType;
  }
  /** "inactive", "recording" or "paused". */
  get state(): RecordingState {
    return recorderInternals(this).state;
  }
  /** The video bitrate target. */
  get videoBitsPerSecond(): number {
    return recorderInternals(this).videoBitsPerSecond;
  }
  /** The audio bitrate target. */
  get audioBitsPerSecond(): number {
    return recorderInternals(this).audioBitsPerSecond;
  }
  /** The audio bitrate mode. */
  get audioBitrateMode(): BitrateMode {
    return recorderInternals(this).audioBitrateMode;
  }

  /** The `start` event handler. */
  get onstart(): RecorderEventHandler<Event> {
    return getEventHandler(this, "start");
  }
  set onstart(value: RecorderEventHandler<Event>) {
    setEventHandler(this, "start", value);
  }
  /** The `stop` event handler. */
  get onstop(): RecorderEventHandler<Event> {
    return getEventHandler(this, "stop");
  }
  set onstop(value: RecorderEventHandler<Event>) {
    setEventHandler(this, "stop", value);
  }
  /** The `dataavailable` event handler. */
  get ondataavailable(): RecorderEventHandler<BlobEventLike> {
    return getEventHandler(this, "dataavailable");
  }
  set ondataavailable(value: RecorderEventHandler<BlobEventLike>) {
    setEventHandler(this, "dataavailable", value);
  }
  /** The `pause` event handler. */
  get onpause(): RecorderEventHandler<Event> {
    return getEventHandler(this, "pause");
  }
  set onpause(value: RecorderEventHandler<Event>) {
    setEventHandler(this, "pause", value);
  }
  /** The `resume` event handler. */
  get onresume(): RecorderEventHandler<Event> {
    return getEventHandler(this, "resume");
  }
  set onresume(value: RecorderEventHandler<Event>) {
    setEventHandler(this, "resume", value);
  }
  /** The `error` event handler. */
  get onerror(): RecorderEventHandler<ErrorEventLike> {
    return getEventHandler(this, "error");
  }
  set onerror(value: RecorderEventHandler<ErrorEventLike>) {
    setEventHandler(this, "error", value);
  }

  /**
   * Starts recording; with a `timeslice` (ms, WebIDL `unsigned long`), a chunk is delivered
   * each time that much media has been collected.
   *
   * @throws {DOMException} `InvalidStateError` unless inactive; `SecurityError` for an isolated
   * stream; `NotSupportedError` for an inactive stream, both key-frame options, or a track
   * the configuration cannot record.
   */
  start(timeslice?: number): void {
    traced(
      this,
      "start",
      arguments.length > 0 ? [timeslice] : [],
      () => start(recorderInternals(this), timeslice),
    );
  }
  /** Stops recording (a no-op when inactive). */
  stop(): void {
    traced(this, "stop", [], () => stop(recorderInternals(this)));
  }
  /**
   * Pauses recording.
   *
   * @throws {DOMException} `InvalidStateError` when inactive.
   */
  pause(): void {
    traced(this, "pause", [], () => pause(recorderInternals(this)));
  }
  /**
   * Resumes recording.
   *
   * @throws {DOMException} `InvalidStateError` when inactive.
   */
  resume(): void {
    traced(this, "resume", [], () => resume(recorderInternals(this)));
  }
  /**
   * Delivers the data gathered so far in a `dataavailable` event and starts a new chunk.
   *
   * @throws {DOMException} `InvalidStateError` when inactive.
   */
  requestData(): void {
    traced(this, "requestData", [], () => requestData(recorderInternals(this)));
  }

  /**
   * The spec's "is type supported"(type, false): whether `type` can be recorded. Only the
   * codec identifier before the first "." is checked (the spec, 2026-03).
   */
  static isTypeSupported(type: string): boolean {
    const agent = agentOf(this);
    return agent
      ? isTypeSupportedBy(agent, toDOMString(type), false)
      : isTypeSupportedAlgorithm(toDOMString(type), false, typeSupportOf(undefined));
  }
}

function traced(recorder: MediaRecorder, method: string, args: unknown[], run: () => void): void {
  const r = recorderInternals(recorder);
  const before = r.state;
  const t = r.agent.clock.now();
  try {
    run();
    r.agent.trace.add({
      kind: "call",
      t,
      target: r.name,
      method,
      args: args.map(jsonable),
      outcome: "ok",
      state: [before, r.state],
    });
  } catch (error) {
    const e = error as Error;
    r.agent.trace.add({
      kind: "call",
      t,
      target: r.name,
      method,
      args: args.map(jsonable),
      outcome: { error: e?.name ?? "Error", message: e?.message ?? String(error) },
      state: [before, r.state],
    });
    throw error;
  }
}

function jsonable(value: unknown): unknown {
  if (value === undefined) return "undefined";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (
    typeof value === "number" || typeof value === "string" || typeof value === "boolean" ||
    value === null
  ) return value;
  return String(value);
}

/** Fault injection used by `ua.failEncoder` (internal). */
export function failRecorderEncoder(recorder: MediaRecorder, reason: string): void {
  const r = recorderInternals(recorder);
  if (reason === "configure" || r.state === "inactive" || r.session === null || r.session.ended) {
    r.failNext = reason;
    return;
  }
  r.session.armFailure(reason);
}
