/**
 * The encoder-latency model (issue 13 item 7): when encoded data reaches the muxer, as
 * profile data (`profile.encoderLatency`), on the virtual clock, so that virtual time stays
 * independent of the machine's speed.
 *
 * - **Start-up.** The encoders initialise for `startMs` (the earliest `start` event) and
 *   deliver nothing before `dataMs` after start(): frames captured before then reach the
 *   muxer together then (a burst), so a small timeslice's first chunk comes late.
 * - **Per frame.** Each frame takes `frameMs` plus a jitter in `[0, jitterMs)` drawn from
 *   the agent's seed (the same seed, the same delays). Arrivals keep capture order: a frame
 *   never overtakes the one before it.
 * - **Queue limit.** An encoder slower than the frame rate (`frameMs` above the frame
 *   period) falls behind; once `queueLimit` frames wait, it drops frames to keep up, as
 *   Chrome's and Firefox's video encoders do: it keeps one frame in ceil(frameMs / period),
 *   and a kept frame waits for the queue (`queueLimit` × period) on top of its own time.
 *
 * The `spec` profile has no latency: data reaches the muxer at its capture instant.
 *
 * @module
 */
import type { EncoderLatency } from "../profiles/profile.ts";
import { hashUnit } from "../prng.ts";

/** One lane of frames, as the model needs it. */
export interface LatencyLane {
  /** The lane's track number (seeds its jitter). */
  readonly number: number;
  /** Its frames. */
  readonly source: {
    /** The frame period, ms. */
    readonly period: number;
    /** The capture time of frame `i`. */
    frameTime(i: number): number;
  };
}

/**
 * A recording's encoder latency.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EncoderLatencyModel } from "./encoder_latency.ts";
 * const lane = { number: 1, source: { period: 50, frameTime: (i: number) => i * 50 } };
 * const model = new EncoderLatencyModel(
 *   { startMs: 20, dataMs: 100, frameMs: 10, jitterMs: 0 }, { video: true, audio: false }, 0, 1, 1,
 * );
 * assert.equal(model.arrival(lane, 0), 100); // start-up: the burst at dataMs
 * assert.equal(model.arrival(lane, 4), 210); // 200 + 10 ms of encoding
 * assert.equal(model.dropped(lane, 3), false); // an encoder that keeps up drops nothing
 * ```
 */
export class EncoderLatencyModel {
  /** Earliest `start` event, ms after start(). */
  readonly startMs: number;
  /** Earliest data at the muxer, ms after start(). */
  readonly dataMs: number;
  readonly #frameMs: number;
  readonly #jitterMs: number;
  readonly #queueLimit: number;
  readonly #t0: number;
  readonly #seed: number;
  readonly #recording: number;

  /**
   * The model for a recording of `kinds` started at `t0`; jitter drawn from `seed` and the
   * recording's number. `latency` undefined: no latency at all.
   */
  constructor(
    latency: Readonly<EncoderLatency> | undefined,
    kinds: { video: boolean; audio: boolean },
    t0: number,
    seed: number,
    recording: number,
  ) {
    const l = latency === undefined
      ? { startMs: 0, dataMs: 0 }
      : (!kinds.video && latency.audioOnly) || (!kinds.audio && latency.videoOnly) || latency;
    this.startMs = l.startMs;
    this.dataMs = l.dataMs;
    this.#frameMs = latency?.frameMs ?? 0;
    this.#jitterMs = latency?.jitterMs ?? 0;
    this.#queueLimit = latency?.queueLimit ?? 0;
    this.#t0 = t0;
    this.#seed = seed;
    this.#recording = recording;
  }

  /** Whether data reaches the muxer at its capture instant (no latency at all). */
  get none(): boolean {
    return this.dataMs === 0 && this.#frameMs === 0 && this.#jitterMs === 0;
  }

  /** Whether the encoder drops frame `i` of `lane` (it cannot keep up). */
  dropped(lane: LatencyLane, i: number): boolean {
    const f = this.#frameMs;
    if (
      // (At frameMs = period one frame in ceil(1) = 1 is kept: with a whole queueLimit (a
      // frame count), (i - queueLimit) % 1 is 0 and nothing is dropped either way.)
      // Stryker disable next-line EqualityOperator: equivalent, see the line above
      !(f > lane.source.period) ||
      this.#queueLimit <= 0 ||
      // (With a queue limit above 0, frame 0 is never at or past it.)
      // Stryker disable next-line ConditionalExpression: equivalent, see the line above
      i === 0
    ) return false;
    // Behind by more than the queue: one frame in ceil(frameMs / period) is kept.
    const keep = Math.ceil(f / lane.source.period);
    return (
      // (At i = queueLimit, (i - queueLimit) % keep is 0: kept either way.)
      // Stryker disable next-line EqualityOperator: equivalent, see the line above
      i >= this.#queueLimit &&
      (i - this.#queueLimit) % keep !== 0
    );
  }

  /** When frame `i` of `lane` reaches the muxer (virtual ms). */
  arrival(lane: LatencyLane, i: number): number {
    const ready = this.#t0 + this.dataMs;
    // (A shortcut: without frame or jitter latency the loop below gives the same.)
    // Stryker disable next-line ConditionalExpression,BlockStatement: equivalent, see above
    if (this.#frameMs === 0 && this.#jitterMs === 0) {
      return Math.max(lane.source.frameTime(i), ready);
    }
    // A frame never overtakes the one before it: the latest of the frames whose delay can
    // reach past this one (at most jitterMs earlier).
    const back = Math.ceil(this.#jitterMs / lane.source.period);
    let at = -Infinity;
    // (Frames before i - back arrive before frame i's own arrival: starting earlier, even at
    // negative indices, changes nothing.)
    // Stryker disable next-line MethodExpression: equivalent, see the line above
    for (let j = Math.max(0, i - back); j <= i; j++) at = Math.max(at, this.#own(lane, j));
    return Math.max(at, ready);
  }

  /** Frame `j`'s own arrival: capture, queue wait when behind, encoding and jitter. */
  #own(lane: LatencyLane, j: number): number {
    const behind = this.#frameMs > lane.source.period && j >= this.#queueLimit;
    const wait = behind ? this.#queueLimit * lane.source.period : 0;
    // (A shortcut: jitterMs × hashUnit(…) is 0 too when jitterMs is 0.)
    // Stryker disable next-line ConditionalExpression: equivalent, see the line above
    const jitter = this.#jitterMs === 0
      ? 0
      : this.#jitterMs * hashUnit(this.#seed, this.#recording, lane.number, j);
    return lane.source.frameTime(j) + wait + this.#frameMs + jitter;
  }
}
