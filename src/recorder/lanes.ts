/**
 * The recorded tracks of one recording, as lanes of frames: which frame each lane gathers
 * next, the next block in capture order (time, then track number), and the runs of frame
 * states written to the trace (recorded, black, dropped, paused). Frames are pure
 * functions of their index (`track_source.ts`), so a lane is a cursor, not a queue.
 *
 * @module
 */
import {
  type MediaStreamTrack,
  type TrackInternals,
  trackInternals,
} from "../media/media_stream_track.ts";
import type { TrackSource } from "../media/track_source.ts";
import type { FramesEntry } from "../trace.ts";

/** One recorded track. */
export interface Lane {
  /** The track. */
  readonly track: MediaStreamTrack;
  /** Its internals (observers, end time). */
  readonly internals: TrackInternals;
  /** Its frames. */
  readonly source: TrackSource;
  /** Its track number in the container (1-based, stream order). */
  readonly number: number;
  /** Next frame index not yet gathered or skipped. */
  next: number;
  /** `[from, to, state]` runs of frame indices, for the trace. */
  readonly runs: FramesEntry["runs"];
}

/** A block found by {@link Lanes.find}: its lane, frame index and capture time. */
export interface Found {
  /** The lane. */
  lane: Lane;
  /** The frame index. */
  index: number;
  /** The capture time. */
  time: number;
}

/**
 * The lanes of one recording.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * import { Lanes } from "./lanes.ts";
 * const ua = createUserAgent();
 * const lanes = new Lanes([ua.createVideoTrack({ frameRate: 10 }), ua.createAudioTrack()], 0);
 * const first = lanes.find(-Infinity, Infinity, -Infinity)!;
 * assert.equal(first.time, 0);
 * assert.equal(first.lane.number, 1); // the video track: same time, lower number
 * assert.equal(lanes.find(0, Infinity, -Infinity, "video")!.time, 100); // strictly after 0
 * ua.close();
 * ```
 */
export class Lanes {
  /** The lanes, in stream order. */
  readonly all: Lane[];
  /** The result object {@link find} reuses (no allocation per query). */
  readonly #found: Found;

  /** Frames the encoder drops (it cannot keep up), beside the source's own drops. */
  readonly #encoderDrops: (lane: Lane, index: number) => boolean;

  /**
   * Lanes for `tracks`, each at its first frame at or after `t0`; `encoderDrops` names
   * the frames the encoder drops (default none).
   */
  constructor(
    tracks: MediaStreamTrack[],
    t0: number,
    encoderDrops: (lane: Lane, index: number) => boolean = () => false,
  ) {
    this.#encoderDrops = encoderDrops;
    this.all = tracks.map((track, i) => {
      const internals = trackInternals(track);
      return {
        track,
        internals,
        source: internals.source,
        number: i + 1,
        next: internals.source.firstIndexAtOrAfter(t0),
        runs: [],
      };
    });
    this.#found = { lane: this.all[0]!, index: 0, time: 0 };
  }

  /** Whether a lane of `kind` exists. */
  has(kind: "video" | "audio"): boolean {
    return this.all.some((l) => l.source.kind === kind);
  }

  /** Whether a lane of `kind` has a live track. */
  live(kind: "video" | "audio"): boolean {
    return this.all.some((l) => l.source.kind === kind && l.track.readyState === "live");
  }

  /**
   * The earliest block not yet gathered that comes after block (`afterTime`,
   * `afterNumber`) in capture order and is captured at or after `notBefore`; of one kind
   * or any; null: none before its track ended. The result object is reused by the next
   * call: read it at once.
   */
  find(
    afterTime: number,
    afterNumber: number,
    notBefore: number,
    kind?: "video" | "audio",
  ): Found | null {
    let best: Lane | null = null;
    let bestIndex = 0;
    let bestTime = Infinity;
    const floor = Math.max(notBefore, afterTime);
    for (const lane of this.all) {
      if (kind !== undefined && lane.source.kind !== kind) continue;
      const source = lane.source;
      let index = lane.next;
      let time = source.frameTime(index);
      if (time < floor) {
        index = source.firstIndexAtOrAfter(floor);
        time = source.frameTime(index);
      }
      while (time === afterTime && lane.number <= afterNumber) {
        index = this.#nextProduced(lane, index + 1);
        time = source.frameTime(index);
      }
      if (time >= lane.internals.endedAt) continue;
      if (best === null || time < bestTime || (time === bestTime && lane.number < best.number)) {
        best = lane;
        bestIndex = index;
        bestTime = time;
      }
    }
    if (best === null) return null;
    const found = this.#found;
    found.lane = best;
    found.index = bestIndex;
    found.time = bestTime;
    return found;
  }

  /**
   * The lane whose next frame comes first in capture order if it is before (`time`,
   * `number`), else null.
   */
  nextBefore(time: number, number: number): Lane | null {
    let best: Lane | null = null;
    let bestTime = Infinity;
    for (const lane of this.all) {
      const t = lane.source.frameTime(lane.next);
      if (t >= lane.internals.endedAt) continue;
      if (t < bestTime || (t === bestTime && best !== null && lane.number < best.number)) {
        best = lane;
        bestTime = t;
      }
    }
    if (best === null || bestTime > time || (bestTime === time && best.number >= number)) {
      return null;
    }
    return best;
  }

  /**
   * Capture times of the first lane of `kind` in [`from`, `to`] (frames the source
   * produced, before its track ended), at most 10,000.
   */
  framesBetween(kind: "video" | "audio", from: number, to: number): number[] {
    const lane = this.all.find((l) => l.source.kind === kind);
    const out: number[] = [];
    if (lane === undefined || !(to >= from)) return out;
    const source = lane.source;
    const end = Math.min(to, lane.internals.endedAt - 1e-9);
    for (let i = source.firstIndexAtOrAfter(from); out.length < 10_000; i++) {
      const t = source.frameTime(i);
      if (t > end) break;
      if (!source.isDropped(i)) out.push(t);
    }
    return out;
  }

  /** Marks frame `index` of `lane` gathered (`state`; or dropped) and moves past dropped frames. */
  gathered(lane: Lane, index: number, state: "recorded" | "black" | "dropped"): void {
    addRun(lane.runs, index, index + 1, state);
    const from = index + 1;
    const i = this.#nextProduced(lane, from);
    if (i > from) addRun(lane.runs, from, i, "dropped");
    lane.next = i;
  }

  /** The first frame from `from` that the source produced and the encoder kept. */
  #nextProduced(lane: Lane, from: number): number {
    let i = from;
    while (lane.source.isDropped(i) || this.#encoderDrops(lane, i)) i++;
    return i;
  }

  /** Skips (does not gather) frames captured before `time`, marking them `state`. */
  skipTo(time: number, state: "paused"): void {
    for (const lane of this.all) {
      const limit = Math.min(time, lane.internals.endedAt);
      const to = lane.source.frameTime(lane.next) < limit
        ? lane.source.firstIndexAtOrAfter(limit)
        : lane.next;
      if (to > lane.next) {
        addRun(lane.runs, lane.next, to, state);
        lane.next = to;
      }
    }
  }
}

function addRun(
  runs: FramesEntry["runs"],
  from: number,
  to: number,
  state: FramesEntry["runs"][number][2],
): void {
  const last = runs[runs.length - 1];
  if (last && last[1] === from && last[2] === state) last[1] = to;
  else runs.push([from, to, state]);
}
