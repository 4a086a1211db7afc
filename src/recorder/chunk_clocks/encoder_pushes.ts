/**
 * The `encoder-pushes` chunk clock (Firefox, FF-ENC `MaybeExtractOrGatherBlob`): on every
 * encoded frame the encoders push to the muxer, a Blob is gathered when
 * `muxedEndTime − lastBlobTime ≥ timeslice`, where `muxedEndTime` is the media end of the
 * muxed data, the *minimum* over the recorded kinds (the WebM muxer interleaves: it holds
 * one kind until the other catches up). The Blob holds what the muxer has output, and may
 * be empty; paused time is not counted; `requestData()` restarts the count.
 *
 * So at a timeslice of 0 every push gives a Blob, empty until the video encoder's first
 * output (lab `timeslice/av-0`: empty Blobs every audio frame from ~17 ms, then the data
 * at ~220 ms followed by one empty Blob per video frame of the start-up burst); at small
 * timeslices the burst still gives a Blob per pushed video frame (`timeslice/av-10`); and
 * when one recorded track ends, the minimum stops and no timeslice Blob comes until the
 * end (`tracks/stop-video-track`). Audio frames are pushed when complete; video frames
 * when the encoder-latency model says they reach the muxer.
 *
 * @module
 */
import type { BoundaryVerdict, ChunkClock, ChunkClockHost, Gathering } from "./chunk_clock.ts";

type Kind = "video" | "audio";

/** Above this timeslice the next boundary is found in closed form, not push by push. */
const WALK_LIMIT_MS = 60_000;

/**
 * An encoder-push chunk clock for one recording.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EncoderPushesClock } from "./encoder_pushes.ts";
 * import { profiles } from "../../profiles/mod.ts";
 * // Audio alone, 20 ms frames from 0, pushed when complete; timeslice 0: a Blob a push.
 * const grid = (from: number, to: number) => {
 *   const out: number[] = [];
 *   for (let c = Math.max(0, Math.ceil(from / 20) * 20); c <= to; c += 20) out.push(c);
 *   return out;
 * };
 * const clock = new EncoderPushesClock({
 *   profile: profiles.spec, t0: 0, threshold: 0, now: () => 0, pausedTotal: () => 0,
 *   nextBlockTime: (after, notBefore) => Math.max(0, Math.ceil(Math.max(after + 1e-9, notBefore) / 20) * 20),
 *   chunkBase: () => 0, firstOutput: () => -Infinity,
 *   liveVideo: () => false, kinds: () => ["audio"], period: () => 20, arrivalAt: (c) => c,
 *   framesBetween: (_kind, from, to) => grid(from, to),
 * });
 * assert.equal(clock.nextBoundary(-Infinity), 20); // the first frame is pushed at 20
 * assert.equal(clock.atBoundary(20, { blocks: 0, bytes: 0 }), "cut"); // even if empty
 * assert.equal(clock.nextBoundary(20), 40);
 * ```
 */
export class EncoderPushesClock implements ChunkClock {
  readonly name = "encoder-pushes" as const;
  readonly boundary = "instant" as const;
  /** (Fed only where the clock looks: a chunk ends at a muxer write.) */
  readonly paced = false;
  readonly closingWrite = false;
  readonly #host: ChunkClockHost;
  /** Media time of the last Blob (`mLastBlobTime`). */
  #last = 0;
  /** Blobs gathered at the current boundary (pushes at one instant each give one). */
  #blobs = 1;

  /** A clock reading `host`. */
  constructor(host: ChunkClockHost) {
    this.#host = host;
  }

  #period(kind: Kind): number {
    return this.#host.period!(kind);
  }

  /** When the encoder pushes the frame of `kind` captured at `capture`. */
  #push(kind: Kind, capture: number): number {
    return kind === "audio"
      ? capture + this.#period("audio") + (this.#host.profile.encoderLatency?.audioFrameMs ?? 0)
      : this.#host.arrivalAt!(capture, "video");
  }

  /** Media end of a frame of `kind` captured at `capture`. */
  #end(kind: Kind, capture: number): number {
    const h = this.#host;
    return capture - h.t0 - h.pausedTotal() + this.#period(kind);
  }

  /** The frames of `kind` pushed in (`from`, `to`], by capture. */
  #pushedIn(kind: Kind, from: number, to: number): number[] {
    const h = this.#host;
    const p = this.#period(kind);
    if (kind === "audio") {
      const delay = p + (h.profile.encoderLatency?.audioFrameMs ?? 0);
      return h.framesBetween!(kind, from - delay + 1e-9, to - delay);
    }
    // Video: pushed at arrival (≥ capture): look back as far as the latest arrival lag.
    // (the earliest frames wait longest: the encoder's start-up)
    const lag = Math.max(0, h.arrivalAt!(h.t0, kind) - h.t0, h.arrivalAt!(to, kind) - to) + p;
    return h.framesBetween!(kind, from - lag, to).filter((c) => {
      const at = this.#push(kind, c);
      return at > from && at <= to;
    });
  }

  /** Media end of the last frame of `kind` pushed by `time` (0: none yet). */
  #endBy(kind: Kind, time: number): number {
    const h = this.#host;
    const p = this.#period(kind);
    // (Look back past the push delay: audio is pushed a frame and `audioFrameMs` late.)
    const delay = kind === "audio" ? p + (h.profile.encoderLatency?.audioFrameMs ?? 0) : 0;
    const frames = h.framesBetween!(
      kind,
      time - 3 * p - delay - Math.max(0, h.arrivalAt!(time, kind) - time),
      time,
    )
      .filter((c) => this.#push(kind, c) <= time);
    return frames.length === 0 ? 0 : this.#end(kind, frames[frames.length - 1]!);
  }

  #muxedBy(time: number): number {
    let m = Infinity;
    for (const kind of this.#host.kinds!()) m = Math.min(m, this.#endBy(kind, time));
    return Number.isFinite(m) ? m : 0;
  }

  /** The next push (of any kind) strictly after `time`, or null. */
  #nextPush(time: number): number | null {
    let best: number | null = null;
    for (const kind of this.#host.kinds!()) {
      const p = this.#period(kind);
      // a window wide enough to hold the next push of this kind
      for (let span = 4 * p; span < 4 * p * 2 ** 12; span *= 4) {
        const pushes = this.#pushedIn(kind, time, time + span).map((c) => this.#push(kind, c));
        if (pushes.length > 0) {
          const at = Math.min(...pushes);
          if (best === null || at < best) best = at;
          break;
        }
        if (this.#host.framesBetween!(kind, time, time + span).length === 0 && span > 60_000) {
          break;
        }
      }
    }
    return best;
  }

  /** The first push after `afterTime` at which the muxed end reaches the last Blob + timeslice. */
  nextBoundary(afterTime: number): number | null {
    const h = this.#host;
    const target = this.#last + h.threshold;
    if (!Number.isFinite(target) || target > Number.MAX_SAFE_INTEGER) return null;
    // When the lagging kind's frame that reaches the target is pushed; none when a kind
    // has no such frame (it ended: the minimum stops, no walk can reach the target).
    let reached = -Infinity;
    for (const kind of h.kinds!()) {
      const c = h.nextBlockTime(
        -Infinity,
        h.t0 + h.pausedTotal() + target - this.#period(kind) - 1e-6,
        kind,
      );
      if (c === null) return null;
      reached = Math.max(reached, this.#push(kind, c));
    }
    if (h.threshold > WALK_LIMIT_MS) {
      // closed form
      return reached > afterTime ? reached : this.#nextPush(Math.max(afterTime, h.t0 - 1));
    }
    let at = Math.max(afterTime, h.t0 - 1);
    // (The walk gives up a second and a timeslice past the push the lagging kind needs:
    // there the muxed end has stopped, as when a track's frames no longer reach it.)
    const horizon = Math.max(reached, afterTime) + h.threshold + 1000;
    for (let i = 0; i < 100_000; i++) {
      const next = this.#nextPush(at);
      if (next === null || next > horizon) return null;
      if (this.#muxedBy(next) - this.#last >= h.threshold) return next;
      at = next;
    }
    return null;
  }

  /** One Blob per push at this instant that moves the muxed end past the timeslice. */
  atBoundary(at: number, _gathered: Gathering): BoundaryVerdict {
    const h = this.#host;
    const kinds = h.kinds!();
    const before = at - 1e-6;
    const ends = new Map<Kind, number>(kinds.map((k) => [k, this.#endBy(k, before)]));
    const pushes = kinds.flatMap((kind) =>
      this.#pushedIn(kind, before, at).map((c) => ({ kind, end: this.#end(kind, c) }))
    ).sort((a, b) => a.end - b.end);
    let blobs = 0;
    for (const p of pushes) {
      ends.set(p.kind, Math.max(ends.get(p.kind)!, p.end));
      const m = Math.min(...kinds.map((k) => ends.get(k)!));
      if (m - this.#last >= h.threshold) {
        blobs++;
        this.#last = m;
      }
    }
    if (blobs === 0) this.#last = Math.max(this.#last, this.#muxedBy(at));
    this.#blobs = Math.max(1, blobs);
    return "cut";
  }

  /**
   * The muxer's output so far: the frames whose media ends are within the muxed end, the
   * minimum over the kinds (the rest is still in an encoder or held for interleaving).
   */
  gatherLimit(at: number): number {
    const h = this.#host;
    return h.t0 + h.pausedTotal() + this.#muxedBy(at);
  }

  /** (The count moved at the boundary.) */
  cutAt(_at: number): void {}

  /** (Never.) */
  closesWithFirstByte(_at: number): boolean {
    return false;
  }

  /** requestData() sets the last Blob time to the muxed end now (FF-ENC `RequestData`). */
  requestDataCut(now: number): void {
    this.#last = Math.max(this.#last, this.#muxedBy(now));
  }

  /** (Media time does not run while paused.) */
  paused(_now: number): void {}

  /** (Media time does not run while paused.) */
  resumed(_now: number): void {}

  /** The gathered data, then an empty Blob for each further push at this instant. */
  deliveries(parts: (Uint8Array | Blob)[], final: boolean): (Uint8Array | Blob)[][] {
    if (final) return [parts];
    const out: (Uint8Array | Blob)[][] = [parts];
    for (let i = 1; i < this.#blobs; i++) out.push([]);
    return out;
  }
}
