/**
 * The harness: runs one command on the real world and on the model, then checks the
 * per-command invariants (method outcomes, state, mimeType, bitrates, no event inside a
 * synchronous call, the events of the clock's tasks in the model's order, listener
 * exceptions, overdue failures) and, once a recording has finished, its media
 * invariants.
 *
 * @module
 */
import { trackInternals } from "../src/media/media_stream_track.ts";
import type { MediaRecorder } from "../src/recorder/media_recorder.ts";
import { MAX_FUZZ_BITS_PER_SECOND } from "./fuzz_encoder.ts";
import type { TrackSource } from "../src/media/track_source.ts";
import type { CommandData, MethodName, Setup } from "./case_data.ts";
import { checkFailureNotOverdue, checkFailureTime } from "./failure_timing.ts";
import { checkRecording } from "./invariants.ts";
import { decodeLiteral } from "./literal.ts";
import { consumeEvents, expectQueueDrained } from "./lockstep.ts";
import { Model, type RecordingModel } from "./model.ts";
import { factsOf } from "./profile_model.ts";
import { bytesOf, FuzzListenerError, type ObservedEvent } from "./observer.ts";
import type { Scheduler } from "fast-check";
import { closeWorld, constructRecorder, createWorld, type World } from "./world.ts";
import { expect, Violation } from "./violation.ts";

/**
 * Whether a command can run in the model's current state (fast-check's `check`).
 * Recorder commands need a recorder; a new recorder replaces the current one only once
 * it is inactive and every task has run.
 */
export function precondition(d: CommandData, m: Readonly<Model>): boolean {
  switch (d.c) {
    case "construct":
      return m.queue.length === 0 && (m.recorder === null || m.recorder.state === "inactive");
    case "start":
    case "stop":
    case "pause":
    case "resume":
    case "requestData":
    case "failEncoder":
    case "arm":
      return m.recorder !== null;
    default:
      return true;
  }
}

/**
 * What one run may cost, in frames produced by its tracks (a frame costs 1, a chunk cut
 * at a timeslice {@link CHUNK_COST}; a scheduled run, which runs twice, double).
 */
export const RUN_BUDGET = 2500;
/** The cost of one timeslice chunk (its event, lockstep check and bytes) in frames. */
export const CHUNK_COST = 8;

/**
 * Frames per virtual ms of the setup's tracks together.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { framesPerMs } from "./harness.ts";
 * const setup = { tracks: [{ kind: "video", inStream: true, frameRate: 30 }] };
 * assert.equal(framesPerMs(setup as never), 0.03);
 * ```
 */
export function framesPerMs(setup: Setup): number {
  let perMs = 0;
  for (const t of setup.tracks) {
    perMs += t.kind === "video"
      ? (t.frameRate ?? 30) / 1000
      : (t.sampleRate ?? 48000) / (t.frameSize ?? 960) / 1000;
  }
  return perMs;
}

/**
 * The longest advance a run may still make: long advances at small timeslices (a chunk per
 * frame for 10 minutes, every chunk checked) cost seconds and find nothing that a few
 * thousand frames do not, so each advance is cut to what is left of {@link RUN_BUDGET}.
 * Never below 1 ms (0 is settle()).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { advanceCap } from "./harness.ts";
 * // 30 fps, no live timeslice, budget 2500: 83,333 ms.
 * assert.equal(advanceCap(2500, 0.03, null, 1), 83_333);
 * // Timeslice 0 (a chunk per frame): nine times less.
 * assert.equal(advanceCap(2500, 0.03, 0, 1), 9_259);
 * // A wall timer of 1 ms ticks without frames: 2500 / (0.03 + 8) ms.
 * assert.equal(advanceCap(2500, 0.03, 1, 1, true), 311);
 * ```
 */
export function advanceCap(
  budget: number,
  perMs: number,
  threshold: number | null,
  runs: number,
  timer = false,
): number {
  // (A wall timer ticks every threshold, at least every ms, with or without frames.)
  const chunksPerMs = threshold === null
    ? 0
    : timer
    ? 1 / Math.max(threshold, 1)
    : Math.min(perMs, 1 / Math.max(threshold, 1e-9));
  const costPerMs = (perMs + chunksPerMs * CHUNK_COST) * runs;
  return Math.max(Math.floor(budget / Math.max(costPerMs, 1e-9)), 1);
}

/**
 * How much a frame of the live recording costs against the run budget: 1, or for a
 * recording written by the fallback encoder (decision 23) its bitrate over the fuzz
 * encoder's cap, at most 1000 (a 4 Gbit/s recording's 256 KiB frames).
 */
function fallbackWeight(model: Model, recorder: MediaRecorder | null): number {
  if (!model.liveRecording()?.fallback || recorder === null) return 1;
  const bps = recorder.videoBitsPerSecond + recorder.audioBitsPerSecond;
  return Math.min(Math.max(bps / MAX_FUZZ_BITS_PER_SECOND, 1), 1000);
}

/** The real side of a fuzz run, with the checks that tie it to the model. */
export class Harness {
  /** The real system. */
  readonly world: World;
  /** Every event observed, in order. */
  readonly events: ObservedEvent[] = [];
  readonly #sources: TrackSource[];
  readonly #checked = new Set<RecordingModel>();
  /** What the run may still cost (see {@link advanceCap}). */
  #budget = RUN_BUDGET;
  readonly #perMs: number;
  readonly #runs: number;

  /**
   * Builds the world of `setup` and constructs its first recorder in both. `runs`: how
   * many times the case runs (2 for a scheduled case compared with its direct run; both
   * runs must cut advances alike).
   */
  constructor(setup: Setup, scheduler: Scheduler | null, runs = 1) {
    this.world = createWorld(setup, scheduler);
    this.#sources = this.world.tracks.map((t) => trackInternals(t).source);
    this.#perMs = framesPerMs(setup);
    this.#runs = runs;
  }

  /** The track sources by setup index. */
  get sources(): readonly TrackSource[] {
    return this.#sources;
  }

  /** Constructs the setup's first recorder in both (not counted as a command). */
  init(model: Model, options: Setup["options"]): void {
    const want = model.construct(options);
    const got = constructRecorder(this.world, options);
    expectOutcome("new MediaRecorder()", got, want);
    this.checkState(model);
  }

  /** The trace and every delivered byte, hashed: equal runs have equal fingerprints. */
  async fingerprint(traceJson = this.world.ua.trace.toJSON()): Promise<string> {
    const bytes = await bytesOf(this.events);
    let h = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    return `${(h >>> 0).toString(16)}:${bytes.length}:${traceJson}`;
  }

  /** Runs one command in both and checks the invariants. */
  async execute(d: CommandData, model: Model): Promise<void> {
    const w = this.world;
    const track = (i: number) => w.tracks[i % w.tracks.length]!;
    const index = (i: number) => i % w.tracks.length;
    switch (d.c) {
      case "construct": {
        const want = model.construct(d.options);
        const got = constructRecorder(w, d.options);
        expectOutcome("new MediaRecorder()", got, want);
        break;
      }
      case "start":
        this.#call(model, "start", d.ts);
        break;
      case "stop":
      case "pause":
      case "resume":
      case "requestData":
        this.#call(model, d.c);
        break;
      case "advance":
      case "settle": {
        // Long advances are cut to the run's budget.
        let ms = 0;
        if (d.c === "advance") {
          const threshold = model.liveRecording()?.threshold ?? null;
          const timer = model.profile.chunkClock === "wall-timer";
          // (Decision 23's fallback encoder is recsim's own: the fuzz encoder's bitrate cap
          // does not reach it, and its frames grow with the bitrate, up to 256 KiB each.)
          const perMs = this.#perMs * fallbackWeight(model, this.world.recorder);
          const cap = advanceCap(this.#budget, perMs, threshold, this.#runs, timer);
          ms = Math.min(d.ms, cap);
          this.#budget = Math.max(this.#budget * (1 - ms / cap), 0);
        }
        await this.#runClock(model, ms);
        return;
      }
      case "trackEnd":
        track(d.track).end();
        model.endTrack(index(d.track));
        break;
      case "trackStop":
        track(d.track).stop();
        model.endTrack(index(d.track));
        break;
      case "setMuted":
        track(d.track).setMuted(d.muted);
        model.setMuted(index(d.track), d.muted);
        break;
      case "setEnabled":
        track(d.track).enabled = d.enabled;
        model.setEnabled(index(d.track), d.enabled);
        break;
      case "addTrack":
      case "removeTrack": {
        const add = d.c === "addTrack";
        if (d.ua) {
          if (add) w.ua.addTrackToStream(w.stream, track(d.track));
          else w.ua.removeTrackFromStream(w.stream, track(d.track));
        } else if (add) w.stream.addTrack(track(d.track));
        else w.stream.removeTrack(track(d.track));
        model.changeTrackSet(index(d.track), add);
        break;
      }
      case "setIsolated":
        w.ua.setIsolated(track(d.track), d.isolated);
        model.setIsolated(index(d.track), d.isolated);
        break;
      case "failEncoder":
        if (d.configure) w.ua.failEncoder(w.recorder!, "configure");
        else w.ua.failEncoder(w.recorder!);
        model.failEncoder(d.configure);
        break;
      case "arm":
        w.observer.armed.set(d.event, d.action);
        model.arm(d.event, d.action);
        break;
    }
    const events = w.observer.drain();
    this.events.push(...events);
    expect(
      events.length === 0,
      "events",
      () =>
        `${
          events.map((e) => e.type).join(", ")
        } fired synchronously during a command (events come only from tasks)`,
    );
    this.checkState(model);
  }

  #call(model: Model, method: MethodName, timeslice = "absent"): void {
    const w = this.world;
    const want = model.call(method, decodeLiteral(timeslice));
    const got = w.observer.call(w.recorder!, method, timeslice);
    expectOutcome(`rec.${method}(${timeslice === "absent" ? "" : timeslice})`, got, want);
  }

  async #runClock(model: Model, ms: number): Promise<void> {
    const w = this.world;
    const clock = w.ua.clock;
    const target = clock.now() + ms;
    const run = ms === 0 ? clock.settle() : clock.advance(ms);
    let thrown: unknown[] = [];
    try {
      if (w.scheduler) await w.scheduler.waitFor(run);
      else await run;
    } catch (error) {
      thrown = error instanceof AggregateError ? error.errors : [error];
    }
    const events = w.observer.drain();
    this.events.push(...events);
    consumeEvents(model, events, {
      checkFailureTime: (rec, t) => checkFailureTime(model, rec, this.#sources, t),
    });
    expect(
      clock.now() === target,
      "clock",
      () => `the clock is at ${clock.now()} after advancing to ${target}`,
    );
    model.now = target;
    expectQueueDrained(model);
    const foreign = thrown.filter((e) => !(e instanceof FuzzListenerError));
    if (foreign.length > 0) {
      const e = foreign[0] as Error;
      throw new Violation("clock", `advance() threw ${e?.stack ?? String(e)}`);
    }
    expect(
      thrown.length === model.pendingThrows,
      "listeners",
      () =>
        `${thrown.length} listener exceptions rethrown by advance(), ${model.pendingThrows} thrown`,
    );
    model.pendingThrows = 0;
    const live = model.liveRecording();
    if (live) checkFailureNotOverdue(model, live, this.#sources, model.now);
    this.checkState(model);
    await this.checkFinishedRecordings(model);
  }

  /** State, mimeType and bitrate attributes against the model; observer health. */
  checkState(model: Model): void {
    const w = this.world;
    expect(
      w.observer.faults.length === 0,
      "harness",
      () => w.observer.faults.join("\n"),
    );
    const r = model.recorder;
    expect(
      (r === null) === (w.recorder === null),
      "state",
      () => `recorder exists: real ${w.recorder !== null}, model ${r !== null}`,
    );
    if (!r || !w.recorder) return;
    const rec = w.recorder;
    expect(
      w.recorderName === `recorder#${r.serial}`,
      "state",
      () => `current recorder ${w.recorderName}, model recorder#${r.serial}`,
    );
    expect(rec.state === r.state, "state", () => `state ${rec.state}, the model says ${r.state}`);
    expect(
      rec.mimeType === r.mimeType,
      "state",
      () => `mimeType '${rec.mimeType}', the model says '${r.mimeType}'`,
    );
    const b = r.bitrates;
    if (b.video !== undefined) {
      expect(
        rec.videoBitsPerSecond === b.video,
        "state",
        () => `videoBitsPerSecond ${rec.videoBitsPerSecond}, the option says ${b.video}`,
      );
    }
    if (b.audio !== undefined) {
      expect(
        rec.audioBitsPerSecond === b.audio,
        "state",
        () => `audioBitsPerSecond ${rec.audioBitsPerSecond}, the option says ${b.audio}`,
      );
    }
    if (b.sum !== undefined) {
      const sum = rec.videoBitsPerSecond + rec.audioBitsPerSecond;
      expect(
        // (2 bits/s absolute: bitsPerSecond 0 gives 1 + 1, as WPT wants both non-zero.)
        Math.abs(sum - b.sum) <= Math.max(2, b.sum * 0.01),
        "state",
        () => `video + audio bits per second = ${sum}, not close to bitsPerSecond ${b.sum}`,
      );
    }
  }

  /** Runs the media invariants of every recording whose stop event has fired. */
  async checkFinishedRecordings(model: Model): Promise<void> {
    for (const rec of model.history) {
      if (!rec.stopFired || this.#checked.has(rec)) continue;
      this.#checked.add(rec);
      await this.#checkRecording(model, rec);
    }
  }

  async #checkRecording(model: Model, rec: RecordingModel): Promise<void> {
    const name = `recorder#${rec.recorder}`;
    const events = this.events.filter((e) => e.recorder === name && e.entry?.recording === rec.n);
    await checkRecording({
      model,
      rec,
      recorderName: name,
      trace: this.world.ua.trace,
      events,
      encoder: this.#encoderOf(model, rec),
      sources: this.#sources,
    });
  }

  /**
   * The encoder of a recording: one is created per recording not on the 15.2 path and
   * not written by the fallback encoder, in order.
   */
  #encoderOf(model: Model, rec: RecordingModel) {
    if (rec.aborted || rec.fallback) return undefined;
    const k = model.history.filter((h) => !h.aborted && !h.fallback).indexOf(rec);
    return this.world.provider.created[k];
  }

  /**
   * Ends the run: disarms the listeners, stops a recording in progress, runs every task,
   * then checks that every recording ended with exactly one stop and passed its media
   * invariants.
   */
  async finish(model: Model): Promise<void> {
    this.world.observer.armed.clear();
    model.armed.clear();
    if (model.recorder && model.recorder.state !== "inactive") {
      await this.execute({ c: "stop" }, model);
    }
    await this.execute({ c: "settle" }, model);
    for (const rec of model.history) {
      expect(
        rec.stopFired,
        "events",
        () => `recording ${rec.n} never fired stop (one stop per successful start)`,
      );
    }
    if (this.world.scheduler) await this.world.scheduler.waitIdle();
  }

  /** Releases the agent. */
  close(): void {
    closeWorld(this.world);
  }
}

function expectOutcome(call: string, got: string, want: string): void {
  expect(
    got === want,
    "outcome",
    () =>
      `${call} ${got === "ok" ? "returned" : `threw ${got}`}; the model says ${
        want === "ok" ? "it returns" : `it throws ${want}`
      }`,
  );
}

/** Creates the model of a setup (tracks at time 0, no recorder yet). */
export function modelOf(setup: Setup): Model {
  return new Model(setup.minTimeslice, setup.tracks, factsOf(setup.profile));
}
