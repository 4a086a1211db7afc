/**
 * The reference model: the MediaStream Recording spec's recorder, written from the
 * spec's steps (spec-and-browsers.md §1) and the project's decisions 9, 11, 12, 13, 15,
 * 16 — not from recsim's implementation.
 *
 * It predicts every method's outcome (return or exact exception name) and every task
 * the recorder queues, with the events each task fires and the state and mimeType at
 * dispatch. What it cannot predict frame by frame (when a timeslice chunk is cut, when an
 * armed encoder failure is noticed) it accepts as "spontaneous" events under strict
 * conditions, and the media invariants (`invariants.ts`) check those against the trace
 * and the bytes.
 *
 * Time: the model knows the virtual time of each command. Every task is queued at the
 * instant of the call that queued it and must run at that same instant.
 *
 * @module
 */
import { factsOf, type ProfileFacts } from "./profile_model.ts";
import type { Action, EventType, MethodName, OptionsData, TrackSpec } from "./case_data.ts";
import { type Decoded, decodeLiteral } from "./literal.ts";
import {
  codecKind,
  configure,
  configureWith,
  constructsWith,
  MIME_TABLE,
  production,
} from "./mime_model.ts";
import { BITRATE_MODES, long, restrictedDouble, unsignedLong } from "./webidl_model.ts";

/** `RecordingState`. */
export type State = "inactive" | "recording" | "paused";

/** How a recording ends. */
export type Termination =
  | "stop"
  | "ended"
  | "InvalidModificationError"
  | "SecurityError"
  | "UnknownError"
  | "NotSupportedError";

/** Every termination path, for coverage. */
export const TERMINATIONS: readonly Termination[] = [
  "stop",
  "ended",
  "InvalidModificationError",
  "SecurityError",
  "UnknownError",
  "NotSupportedError",
];

/** `"ok"` or the name of the exception thrown. */
export type Outcome = string;

/** One track as the model sees it. */
export interface TrackModel {
  /** Index in the setup. */
  index: number;
  /** Kind. */
  kind: "video" | "audio";
  /** Trace name (`video#1`). */
  name: string;
  /** readyState is "live". */
  live: boolean;
  /** Virtual time it ended (Infinity while live). */
  endedAt: number;
  /** Not origin-clean. */
  isolated: boolean;
  /** `enabled`. */
  enabled: boolean;
  /** `muted`. */
  muted: boolean;
  /** `[time, blank]` each time "disabled or muted" changed. */
  blankChanges: Array<[number, boolean]>;
}

/** One recording (one successful start()). */
export interface RecordingModel {
  /** Recorder serial (recorder#k). */
  recorder: number;
  /** Recording number on its recorder. */
  n: number;
  /** Virtual time of start(). */
  t0: number;
  /** The converted timeslice (undefined when missing). */
  timeslice: number | undefined;
  /** max(timeslice, minTimeslice), or null without a timeslice. */
  threshold: number | null;
  /** Recorded tracks (setup indices), in recording order (video first). */
  tracks: number[];
  /** The extended mimeType the start task sets (null when 15.2 aborts). */
  extendedMimeType: string | null;
  /** start() step 15.2: no encoder, error NotSupportedError then stop. */
  aborted: boolean;
  /** Written by the synthetic fallback encoder (decision 23), not the fuzz encoder. */
  fallback: boolean;
  /** A termination was decided (stop() called or a detection's task ran). */
  ended: boolean;
  /** Virtual time gathering ended. */
  endTime: number | null;
  /** The termination path. */
  termination: Termination | null;
  /** Gathering into the blob (false while paused and once ended). */
  gathering: boolean;
  /** Gathering intervals `[from, to)` (to = Infinity while open). */
  intervals: Array<[number, number]>;
  /** Time an injected encoder failure was armed for this recording. */
  failArmedAt: number | null;
  /** The start event fired. */
  startFired: boolean;
  /** The final dataavailable fired. */
  finalFired: boolean;
  /** The stop event fired. */
  stopFired: boolean;
  /** Spontaneous (timeslice) dataavailable events accepted. */
  timesliceEvents: number;
}

/** A task the model expects the recorder to queue. */
export interface ModelTask {
  /** What the task does. */
  kind: "start" | "pause" | "resume" | "requestData" | "final" | "terminate";
  /** Its recording. */
  rec: RecordingModel;
  /** The instant it was queued. */
  at: number;
  /** For `terminate`: the path. */
  path?: Exclude<Termination, "stop">;
}

/** An event as the model expects it at dispatch. */
export interface ExpectedEvent {
  /** Event type. */
  type: EventType;
  /** recorder.state at dispatch. */
  state: State;
  /** recorder.mimeType at dispatch. */
  mimeType: string;
  /** For dataavailable: the Blob's type (the recording's MIME type, decision 16). */
  blobType?: string;
  /** Recorder serial. */
  recorder: number;
  /** Recording number. */
  recording: number;
  /** For error: the DOMException name. */
  error?: string;
  /** For dataavailable: the data must be empty (SecurityError discards it). */
  empty?: boolean;
}

/** What the model asserts about the bitrate attributes. */
export interface BitrateExpectation {
  /** videoBitsPerSecond must equal this. */
  video?: number;
  /** audioBitsPerSecond must equal this. */
  audio?: number;
  /** video + audio must be close to this. */
  sum?: number;
}

/** The recorder's slots and attributes. */
export interface RecorderModel {
  /** Serial: recorder#serial. */
  serial: number;
  /** `[[ConstrainedMimeType]]`. */
  constrainedMimeType: string;
  /** `mimeType`. */
  mimeType: string;
  /** `state`. */
  state: State;
  /** Both key-frame options given (start() step 12 throws). */
  keyFrameBoth: boolean;
  /** Bitrate expectations from the options. */
  bitrates: BitrateExpectation;
  /** `[[ConstrainedBitsPerSecond]]` (null when the option is absent). */
  constrainedBitsPerSecond: number | null;
  /** Recordings, in order. */
  recordings: RecordingModel[];
  /** Fault injection for the next recording (`ua.failEncoder` while inactive). */
  failNext: "encode" | "configure" | null;
}

/** Counters of what a run reached. */
export interface Coverage {
  /** `${state}×${method}` → calls. */
  pairs: Map<string, number>;
  /** Termination path → recordings. */
  terminations: Map<string, number>;
}

/** Creates an empty {@link Coverage}. */
export function newCoverage(): Coverage {
  return { pairs: new Map(), terminations: new Map() };
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** The result of a spontaneous-event check: null when allowed, else why not. */
export type Refusal = string | null;

/**
 * The model of one user agent: its tracks, the recorded stream, one recorder at a time,
 * the task queue and the one-shot listeners.
 */
export class Model {
  /** Virtual time. */
  now = 0;
  /** The agent's minimum timeslice. */
  readonly minTimeslice: number;
  /** Tracks by setup index. */
  readonly tracks: TrackModel[];
  /** The stream's track set in insertion order (setup indices). */
  stream: number[];
  /** The current recorder (null before a successful construction). */
  recorder: RecorderModel | null = null;
  /** Recorders constructed so far. */
  recorders = 0;
  /** Every recording of every recorder, in start order. */
  readonly history: RecordingModel[] = [];
  /** Tasks queued and not yet run, FIFO. */
  readonly queue: ModelTask[] = [];
  /** One-shot listener actions by event type. */
  readonly armed: Map<EventType, Action> = new Map();
  /** Listener exceptions thrown by `throw` actions and not yet collected. */
  pendingThrows = 0;
  /** What this run reached. */
  readonly coverage: Coverage = newCoverage();

  /** What the model follows of the agent's profile (see `profile_model.ts`). */
  readonly profile: ProfileFacts;

  /**
   * A user agent with this minimum timeslice and these tracks (created at time 0), on a
   * profile (default: the spec's).
   */
  constructor(minTimeslice: number, tracks: readonly TrackSpec[], profile = factsOf(undefined)) {
    this.minTimeslice = minTimeslice;
    this.profile = profile;
    const perKind = new Map<string, number>();
    this.tracks = tracks.map((spec, index) => {
      const k = (perKind.get(spec.kind) ?? 0) + 1;
      perKind.set(spec.kind, k);
      return {
        index,
        kind: spec.kind,
        name: `${spec.kind}#${k}`,
        live: true,
        endedAt: Infinity,
        isolated: false,
        enabled: true,
        muted: false,
        blankChanges: [],
      };
    });
    this.stream = tracks.flatMap((t, i) => (t.inStream ? [i] : []));
  }

  // ---- helpers ----

  /** The recording in progress (not yet ended), if any. */
  liveRecording(): RecordingModel | null {
    const last = this.recorder?.recordings.at(-1);
    return last && !last.ended ? last : null;
  }

  #queue(kind: ModelTask["kind"], rec: RecordingModel, path?: ModelTask["path"]): void {
    const task: ModelTask = { kind, rec, at: this.now };
    if (path !== undefined) task.path = path;
    this.queue.push(task);
  }

  /** Inactivate the recorder: mimeType reverts, state inactive, bitrates split again. */
  #inactivate(r: RecorderModel, rec: RecordingModel): void {
    // 1. The spec reverts mimeType; a "kept" profile keeps the recording's.
    if (!this.profile.keepsMimeType) r.mimeType = r.constrainedMimeType;
    // 2. state = inactive.
    r.state = "inactive";
    // 3. Split [[ConstrainedBitsPerSecond]] again (a profile may split for the kinds the
    //    recording had).
    if (r.constrainedBitsPerSecond !== null) {
      const kinds = rec.tracks.map((i) => this.tracks[i]!.kind);
      const recorded = this.profile.inactivateSplitsRecordedKinds;
      r.bitrates = this.#split(
        r.constrainedBitsPerSecond,
        !recorded || kinds.includes("video"),
        !recorded || kinds.includes("audio"),
      );
    }
  }

  /** The bitrates expected for `bps`: the spec's sum, or the profile's split exactly. */
  #split(bps: number, hasVideo: boolean, hasAudio: boolean): BitrateExpectation {
    const split = this.profile.splitBitsPerSecond;
    return split === null ? { sum: bps } : split(bps, hasVideo, hasAudio);
  }

  #endGathering(rec: RecordingModel, at: number): void {
    if (rec.gathering) {
      rec.intervals[rec.intervals.length - 1]![1] = at;
      rec.gathering = false;
    }
    rec.ended = true;
    rec.endTime = at;
  }

  #terminate(rec: RecordingModel, path: Termination, at: number): void {
    this.#endGathering(rec, at);
    rec.termination = path;
    bump(this.coverage.terminations, path);
  }

  // ---- constructor ----

  /**
   * `new MediaRecorder(stream, options)`: WebIDL dictionary conversion (members in
   * lexicographic order), then constructor steps 4–17.
   */
  construct(options: OptionsData): Outcome {
    bump(this.coverage.pairs, `${this.recorder?.state ?? "none"}×construct`);
    const get = (key: keyof OptionsData): Decoded => {
      const v = options[key];
      if (v === undefined) return { absent: true };
      if (key === "mimeType" || key === "audioBitrateMode") return { absent: false, value: v };
      return decodeLiteral(v);
    };
    const present = (d: Decoded): d is { absent: false; value: unknown } =>
      !d.absent && d.value !== undefined;
    // audioBitrateMode (enum)
    const mode = get("audioBitrateMode");
    // (An engine without the member ignores it: Firefox, Safari.)
    if (
      this.profile.audioBitrateMode && present(mode) &&
      !BITRATE_MODES.includes(String(mode.value))
    ) return "TypeError";
    const audioBps = get("audioBitsPerSecond");
    const bps = get("bitsPerSecond");
    const mime = get("mimeType");
    const videoBps = get("videoBitsPerSecond");
    const count = get("videoKeyFrameIntervalCount");
    const duration = get("videoKeyFrameIntervalDuration");
    if (present(duration) && restrictedDouble(duration.value) === null) return "TypeError";
    const mimeType = present(mime) ? String(mime.value) : "";
    // 4. If is type supported(type, true) is false, throw a NotSupportedError.
    const facts = MIME_TABLE[mimeType];
    if (!facts) throw new Error(`the model has no facts for mimeType '${mimeType}'`);
    const strategies = this.profile.mime;
    if (!(strategies ? constructsWith(strategies, mimeType) : facts.constructs)) {
      return "NotSupportedError";
    }
    // (A profile may reject both key-frame options here rather than in start() step 12.)
    if (
      this.profile.bothKeyFrameOptionsThrowIn === "constructor" && present(count) &&
      present(duration)
    ) {
      return "NotSupportedError";
    }
    const bitrates: BitrateExpectation = {};
    const constrainedBitsPerSecond = present(bps) ? unsignedLong(bps.value) : null;
    // 15. Split [[ConstrainedBitsPerSecond]]: a sum close to it (spec), or the profile's split.
    if (constrainedBitsPerSecond !== null) {
      Object.assign(bitrates, this.#split(constrainedBitsPerSecond, true, true));
    } else {
      if (present(videoBps)) bitrates.video = unsignedLong(videoBps.value);
      if (present(audioBps)) bitrates.audio = unsignedLong(audioBps.value);
    }
    this.recorders++;
    this.recorder = {
      serial: this.recorders,
      constrainedMimeType: mimeType,
      mimeType,
      state: "inactive",
      keyFrameBoth: present(count) && present(duration),
      bitrates,
      constrainedBitsPerSecond,
      recordings: [],
      failNext: null,
    };
    return "ok";
  }

  // ---- methods ----

  /** Calls a recorder method on the model; the outcome the real call must have. */
  call(method: MethodName, timeslice: Decoded = { absent: true }): Outcome {
    const r = this.recorder;
    if (!r) throw new Error("no recorder");
    bump(this.coverage.pairs, `${r.state}×${method}`);
    switch (method) {
      case "start":
        return this.#start(r, timeslice);
      case "stop":
        return this.#stop(r);
      case "pause":
        return this.#pause(r);
      case "resume":
        return this.#resume(r);
      case "requestData":
        return this.#requestData(r);
    }
  }

  #start(r: RecorderModel, arg: Decoded): Outcome {
    // 2. timeslice: missing (or undefined) stays undefined; otherwise unsigned long.
    //    (Chrome: a long, where 2^31−1 means none and a value ≤ 0 a chunk per write.)
    const timeslice = arg.absent || arg.value === undefined
      ? undefined
      : this.profile.timesliceType === "long"
      ? chromeTimeslice(long(arg.value))
      : unsignedLong(arg.value);
    // 4. tracks: the live tracks of the stream.
    const live = this.stream.filter((i) => this.tracks[i]!.live);
    // 5. Not inactive → InvalidStateError.
    if (r.state !== "inactive") return "InvalidStateError";
    // 6. Isolation properties disallow access → SecurityError.
    if (this.stream.some((i) => this.tracks[i]!.isolated)) return "SecurityError";
    // 7. Inactive stream → NotSupportedError.
    if (live.length === 0) return "NotSupportedError";
    // 12. Both key-frame options → NotSupportedError.
    if (r.keyFrameBoth && this.profile.bothKeyFrameOptionsThrowIn === "start") {
      return "NotSupportedError";
    }
    // 8, 14. Constrain the configuration; a track it cannot record → NotSupportedError.
    let recorded = [
      ...live.filter((i) => this.tracks[i]!.kind === "video"),
      ...live.filter((i) => this.tracks[i]!.kind === "audio"),
    ];
    const videos = recorded.filter((i) => this.tracks[i]!.kind === "video").length;
    const audios = recorded.length - videos;
    // (A "first" profile records only the first live track of each kind.)
    if (this.profile.tracksPerKind === "first") {
      const kinds = recorded.map((i) => this.tracks[i]!.kind);
      recorded = recorded.filter((i, n) => kinds.indexOf(this.tracks[i]!.kind) === n);
    }
    const configureKinds = (indices: number[], resolveOnly = false) => {
      const kinds = indices.map((i) => this.tracks[i]!.kind);
      const mime = this.profile.mime;
      return mime
        ? configureWith(mime, r.constrainedMimeType, kinds, resolveOnly)
        : configure(r.constrainedMimeType, kinds, resolveOnly);
    };
    let config = configureKinds(recorded);
    if (config.kind === "unrecordable") return "NotSupportedError";
    // (Chrome chooses the container and codecs from every track of the stream, ended ones
    // included — the first of each kind, or a recorded one — when every one has a codec;
    // the recorded tracks are then encoded with that choice.)
    if (this.profile.mimeTypeFromAllTracks) {
      const all = [
        ...this.stream.filter((i) => this.tracks[i]!.kind === "video"),
        ...this.stream.filter((i) => this.tracks[i]!.kind === "audio"),
      ].filter((i, n, list) =>
        this.profile.tracksPerKind !== "first" || recorded.includes(i) ||
        list.findIndex((j) => this.tracks[j]!.kind === this.tracks[i]!.kind) === n
      );
      const wide = all.length > recorded.length ? configureKinds(all, true) : null;
      if (wide?.kind === "ok") {
        const kinds = new Set(recorded.map((i) => this.tracks[i]!.kind));
        // (The recorded kinds' codecs are encoded; a codec of no known kind may be either.)
        const codecs = wide.codecs.filter((c) => {
          const kind = codecKind(c);
          return kind === undefined || kinds.has(kind);
        });
        const made = production(this.profile.mime, r.constrainedMimeType, wide.essence, codecs);
        config = made === "deferred-failure"
          ? { kind: "deferred-failure" }
          : { ...wide, ...(made === "fallback" ? { fallback: true } : {}) };
      }
    }
    // (A "reject" profile cannot record two tracks of a kind.)
    if (this.profile.tracksPerKind === "reject" && (videos > 1 || audios > 1)) {
      return "NotSupportedError";
    }
    // 9. Recompute the bitrates for the recorded kinds (a profile may zero a missing kind).
    const hasVideo = recorded.some((i) => this.tracks[i]!.kind === "video");
    const hasAudio = recorded.some((i) => this.tracks[i]!.kind === "audio");
    if (r.constrainedBitsPerSecond !== null) {
      r.bitrates = this.#split(r.constrainedBitsPerSecond, hasVideo, hasAudio);
    } else if (this.profile.zeroMissingKindAtStart) {
      if (!hasVideo) r.bitrates.video = 0;
      if (!hasAudio) r.bitrates.audio = 0;
    }
    // 15. state = recording; the rest runs in parallel.
    r.state = "recording";
    const failNext = r.failNext;
    r.failNext = null;
    const aborted = config.kind === "deferred-failure" || failNext === "configure";
    const rec: RecordingModel = {
      recorder: r.serial,
      n: r.recordings.length + 1,
      t0: this.now,
      timeslice,
      threshold: timeslice === undefined ? null : Math.max(timeslice, this.minTimeslice),
      tracks: recorded,
      extendedMimeType: config.kind === "ok"
        ? this.profile.formatMimeType(config.essence, config.codecs, r.constrainedMimeType)
        : null,
      aborted,
      fallback: config.kind === "ok" && config.fallback === true,
      ended: false,
      endTime: null,
      termination: null,
      gathering: !aborted,
      intervals: aborted ? [] : [[this.now, Infinity]],
      failArmedAt: !aborted && failNext === "encode" ? this.now : null,
      startFired: false,
      finalFired: false,
      stopFired: false,
      timesliceEvents: 0,
    };
    r.recordings.push(rec);
    this.history.push(rec);
    if (aborted) {
      // 15.2: queue a task: Inactivate, error NotSupportedError, stop (no dataavailable).
      this.#queue("terminate", rec, "NotSupportedError");
    } else if (this.profile.startEvent === "task") {
      // 15.3: queue a task: set mimeType, fire start (decision 9: queued now).
      this.#queue("start", rec);
    }
    // (Chrome fires start at the muxer's first output, Firefox once every track has data;
    // both before requestData's or the end's events if those come first: the start event
    // is accepted when it comes, see `startRefusal`.)
    return "ok";
  }

  #stop(r: RecorderModel): Outcome {
    // 2. Inactive → return.
    if (r.state === "inactive") return "ok";
    const rec = r.recordings.at(-1)!;
    // 3. Inactivate the recorder.
    this.#inactivate(r, rec);
    // (Chrome's stop() flushes its muxer, which sets mimeType if start did not fire yet.)
    if (this.profile.startEvent === "first-output" && !rec.startFired && !rec.aborted) {
      r.mimeType = rec.extendedMimeType!;
    }
    // 4. Queue a task: stop gathering, dataavailable, stop.
    this.#terminate(rec, "stop", this.now);
    this.#queue("final", rec);
    return "ok";
  }

  #pause(r: RecorderModel): Outcome {
    if (r.state === "inactive") return "InvalidStateError";
    if (r.state === "paused") return "ok";
    r.state = "paused";
    this.#queue("pause", r.recordings.at(-1)!);
    return "ok";
  }

  #resume(r: RecorderModel): Outcome {
    if (r.state === "inactive") return "InvalidStateError";
    if (r.state === "recording") return "ok";
    r.state = "recording";
    this.#queue("resume", r.recordings.at(-1)!);
    return "ok";
  }

  #requestData(r: RecorderModel): Outcome {
    if (r.state === "inactive") return "InvalidStateError";
    this.#queue("requestData", r.recordings.at(-1)!);
    return "ok";
  }

  // ---- simulation controls (detections, decision 12) ----

  /** `track.end()` or `track.stop()`: 15.8 when every recorded track has ended. */
  endTrack(i: number): void {
    const t = this.tracks[i]!;
    if (!t.live) return;
    t.live = false;
    t.endedAt = this.now;
    const rec = this.liveRecording();
    if (rec && !rec.aborted && rec.tracks.includes(i)) {
      if (rec.tracks.every((j) => !this.tracks[j]!.live)) this.#queue("terminate", rec, "ended");
    }
  }

  /** Adds or removes a track from the stream's track set: 15.5 when it changes. */
  changeTrackSet(i: number, add: boolean): void {
    const has = this.stream.includes(i);
    if (has === add) return;
    this.stream = add ? [...this.stream, i] : this.stream.filter((j) => j !== i);
    // (A profile may ignore the removal of an ended track.)
    if (!add && !this.tracks[i]!.live && this.profile.ignoreRemovalOfEndedTrack) return;
    const rec = this.liveRecording();
    if (rec && !rec.aborted) this.#queue("terminate", rec, "InvalidModificationError");
  }

  /** `ua.setIsolated`: 15.4 when a recorded track becomes isolated. */
  setIsolated(i: number, isolated: boolean): void {
    const t = this.tracks[i]!;
    if (t.isolated === isolated) return;
    t.isolated = isolated;
    const rec = this.liveRecording();
    if (isolated && rec && !rec.aborted && rec.tracks.includes(i)) {
      this.#queue("terminate", rec, "SecurityError");
    }
  }

  /** `track.enabled = v`. */
  setEnabled(i: number, enabled: boolean): void {
    const t = this.tracks[i]!;
    if (t.enabled === enabled) return;
    const before = !t.enabled || t.muted;
    t.enabled = enabled;
    this.#blankChanged(t, before);
  }

  /** `track.setMuted(v)` (ignored on an ended track). */
  setMuted(i: number, muted: boolean): void {
    const t = this.tracks[i]!;
    if (t.muted === muted || !t.live) return;
    const before = !t.enabled || t.muted;
    t.muted = muted;
    this.#blankChanged(t, before);
  }

  #blankChanged(t: TrackModel, before: boolean): void {
    const after = !t.enabled || t.muted;
    if (after !== before) t.blankChanges.push([this.now, after]);
  }

  /**
   * `ua.failEncoder(rec, reason)`: "configure" applies to the next start(); otherwise the
   * current recording's encoder fails at its next step, or the next recording's when the
   * recorder is inactive.
   */
  failEncoder(configureFailure: boolean): void {
    const r = this.recorder;
    if (!r) return;
    if (configureFailure || r.state === "inactive") {
      r.failNext = configureFailure ? "configure" : "encode";
      return;
    }
    const rec = r.recordings.at(-1)!;
    if (!rec.aborted && rec.failArmedAt === null) rec.failArmedAt = this.now;
  }

  /** Arms a one-shot listener. */
  arm(event: EventType, action: Action): void {
    this.armed.set(event, action);
  }

  // ---- running tasks ----

  /** Drops tasks that will fire nothing (a detection after the recording ended). */
  #skipNoOps(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.kind === "terminate" && head.rec.ended) this.queue.shift();
      else return;
    }
  }

  /** The next task that fires events, or null. */
  head(): ModelTask | null {
    this.#skipNoOps();
    return this.queue[0] ?? null;
  }

  /** The events a task fires, as `type` or `error:Name`, fixed when it starts. */
  signature(task: ModelTask): string[] {
    switch (task.kind) {
      case "start":
        return ["start"];
      case "pause":
        return ["pause"];
      case "resume":
        return ["resume"];
      case "requestData":
        return ["dataavailable"];
      case "final":
        return ["dataavailable", "stop"];
      case "terminate":
        return terminationSignature(task.path!);
    }
  }

  /**
   * Runs the head task's steps up to its first event and returns one thunk per event; each
   * thunk gives the event as expected at its dispatch (state and mimeType then).
   */
  beginTask(task: ModelTask): Array<() => ExpectedEvent> {
    if (this.queue[0] !== task) throw new Error("beginTask: not the head task");
    this.queue.shift();
    const rec = task.rec;
    switch (task.kind) {
      case "start":
        return [() => this.#startEvent(rec)];
      case "pause":
        // stop gathering into the blob (kept for resume)
        if (!rec.ended && rec.gathering) {
          rec.intervals[rec.intervals.length - 1]![1] = this.now;
          rec.gathering = false;
        }
        return [() => this.#event("pause", rec)];
      case "resume":
        if (!rec.ended && !rec.gathering && !rec.aborted) {
          rec.intervals.push([this.now, Infinity]);
          rec.gathering = true;
        }
        return [() => this.#event("resume", rec)];
      case "requestData":
        return [() => this.#event("dataavailable", rec)];
      case "final":
        return [
          () => this.#finalData(rec, false),
          () => this.#stopEvent(rec),
        ];
      case "terminate":
        return this.#beginTermination(rec, task.path!);
    }
  }

  /**
   * Whether the final dataavailable of a termination is an empty Blob: SecurityError
   * discards the gathered data (15.4); Safari delivers an empty Blob after a track-set
   * change or when every track ended (profile `trackSetChange`, `allTracksEnded`).
   */
  discardsFinalData(path: Termination | null): boolean {
    return path === "SecurityError" ||
      (path === "InvalidModificationError" && this.profile.trackSetChange === "empty") ||
      (path === "ended" && this.profile.allTracksEnded === "empty");
  }

  /**
   * Whether recording `rec` delivers a Blob per muxer write (Chrome at a timeslice of 0,
   * profile `chunkPerWrite`): its chunks and final data come as runs of dataavailable.
   */
  deliversPerWrite(rec: RecordingModel): boolean {
    return this.profile.chunkPerWrite && this.profile.chunkClock === "wall-writes" &&
      rec.threshold === 0;
  }

  /**
   * Whether `task` may fire no event: requestData() of a recording delivering a Blob per
   * muxer write, when nothing was written (no write, no Blob).
   */
  firesNothingMaybe(task: ModelTask): boolean {
    return task.kind === "requestData" && this.deliversPerWrite(task.rec);
  }

  /** 15.3: set mimeType (unless the recording already ended) and fire start. */
  #startEvent(rec: RecordingModel): ExpectedEvent {
    const r = this.recorder!;
    // A "kept" profile sets it after the end too, while no newer recording started.
    const keeps = this.profile.keepsMimeType && rec === r.recordings.at(-1);
    if (!rec.ended || keeps) r.mimeType = rec.extendedMimeType!;
    rec.startFired = true;
    return this.#event("start", rec);
  }

  /**
   * Whether a start event of recording `n` may fire now on a profile that fires it when
   * data comes (`startEvent` not "task"): the recording was configured, its start did not
   * fire, its stop did not.
   */
  startRefusal(n: number): Refusal {
    if (this.profile.startEvent === "task") return "the profile queues start in a task";
    const rec = this.recording(n);
    if (!rec) return `no recording ${n}`;
    if (rec.aborted) return "the recording was aborted (15.2)";
    if (rec.startFired) return "its start event already fired";
    if (rec.stopFired) return "its stop event already fired";
    return null;
  }

  /** Accepts the start event of recording `n` (see {@link startRefusal}). */
  startEventNow(n: number): ExpectedEvent {
    return this.#startEvent(this.recording(n)!);
  }

  #beginTermination(rec: RecordingModel, path: Exclude<Termination, "stop">): Array<
    () => ExpectedEvent
  > {
    const r = this.recorder!;
    this.#terminate(rec, path, this.now);
    this.#inactivate(r, rec);
    const out: Array<() => ExpectedEvent> = [];
    if (path !== "ended") {
      out.push(() => ({ ...this.#event("error", rec), error: path }));
    }
    if (path !== "NotSupportedError") {
      out.push(() => this.#finalData(rec, this.discardsFinalData(path)));
    }
    out.push(() => this.#stopEvent(rec));
    return out;
  }

  #event(type: EventType, rec: RecordingModel): ExpectedEvent {
    const r = this.recorder!;
    const e: ExpectedEvent = {
      type,
      state: r.state,
      mimeType: r.mimeType,
      recorder: rec.recorder,
      recording: rec.n,
    };
    // Decision 16 (revised): a Blob's type is the recording's extended MIME type; a
    // recording 15.2 aborted was never configured, so its Blob has the constrained type.
    if (type === "dataavailable") {
      e.blobType = rec.aborted ? r.constrainedMimeType : rec.extendedMimeType ?? r.mimeType;
    }
    return e;
  }

  #finalData(rec: RecordingModel, empty: boolean): ExpectedEvent {
    rec.finalFired = true;
    const e = this.#event("dataavailable", rec);
    if (empty) e.empty = true;
    return e;
  }

  #stopEvent(rec: RecordingModel): ExpectedEvent {
    rec.stopFired = true;
    return this.#event("stop", rec);
  }

  // ---- spontaneous events ----

  /** The recording `n` of the current recorder. */
  recording(n: number): RecordingModel | undefined {
    return this.recorder?.recordings[n - 1];
  }

  /**
   * Whether a timeslice `dataavailable` of recording `n` may fire now (15.7): the
   * recording has a timeslice, its start event fired and its final one did not.
   */
  timesliceRefusal(n: number): Refusal {
    const rec = this.recording(n);
    if (!rec) return `no recording ${n}`;
    if (rec.threshold === null) return "the recording has no timeslice";
    if (rec.aborted) return "the recording was aborted (15.2)";
    // (Firefox's first Blobs, empty, come before its start event.)
    if (!rec.startFired && this.profile.startEvent !== "all-tracks-data") {
      return "its start event has not fired";
    }
    if (rec.finalFired) return "its final dataavailable already fired";
    return null;
  }

  /** Accepts a timeslice chunk's event: returns it as expected. */
  timesliceEvent(n: number): ExpectedEvent {
    const rec = this.recording(n)!;
    rec.timesliceEvents++;
    return this.#event("dataavailable", rec);
  }

  /**
   * Whether an UnknownError termination of recording `n` may run now: a failure was armed
   * and the recording is live.
   */
  failureRefusal(n: number): Refusal {
    const rec = this.recording(n);
    if (!rec) return `no recording ${n}`;
    if (rec.failArmedAt === null) return "no encoder failure was armed";
    if (rec.ended) return "the recording already ended";
    return null;
  }

  /** Accepts the UnknownError termination (15.6) of recording `n`. */
  beginFailure(n: number): Array<() => ExpectedEvent> {
    return this.#beginTermination(this.recording(n)!, "UnknownError");
  }

  // ---- listeners ----

  /** Takes the one-shot action armed for `type`, if any. */
  takeAction(type: EventType): Action | undefined {
    const a = this.armed.get(type);
    if (a) this.armed.delete(type);
    return a;
  }

  /** Applies a listener action to the model: the method's outcome, or "throw". */
  applyAction(action: Action): Outcome {
    if (action.m === "throw") {
      this.pendingThrows++;
      return "throw";
    }
    if (action.m === "start") return this.call("start", decodeLiteral(action.ts));
    return this.call(action.m);
  }

  // ---- media expectations ----

  /** Whether track `i` recorded black/silence at capture time `t`. */
  blankAt(i: number, t: number): boolean {
    let blank = false;
    for (const [at, b] of this.tracks[i]!.blankChanges) {
      if (at <= t) blank = b;
      else break;
    }
    return blank;
  }

  /** Paused time before capture time `t` (the recording timeline leaves it out). */
  pausedBefore(rec: RecordingModel, t: number): number {
    let paused = 0;
    for (let k = 1; k < rec.intervals.length; k++) {
      const gapStart = rec.intervals[k - 1]![1];
      const gapEnd = rec.intervals[k]![0];
      if (gapEnd <= t) paused += gapEnd - gapStart;
    }
    return paused;
  }
}

/** The events of a termination task, as `type` or `error:Name`. */
export function terminationSignature(path: Exclude<Termination, "stop">): string[] {
  const out: string[] = [];
  if (path !== "ended") out.push(`error:${path}`);
  if (path !== "NotSupportedError") out.push("dataavailable");
  out.push("stop");
  return out;
}

/** Chrome's reading of its `long` timeslice: 2^31−1 is no timeslice, ≤ 0 is 0 (CR-MR). */
function chromeTimeslice(n: number): number | undefined {
  if (n === 2147483647) return undefined;
  return Math.max(0, n);
}
