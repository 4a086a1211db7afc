/**
 * When an injected encoder failure must be noticed: "at its next step", i.e. when the
 * first frame captured at or after the arming instant, while gathering, is fed. Frame
 * times come from the track sources (the input signal), not from the recorder.
 *
 * @module
 */
import type { TrackSource } from "../src/media/track_source.ts";
import type { Model, RecordingModel } from "./model.ts";
import { expect } from "./violation.ts";

/**
 * The capture time of the first produced frame of a recorded, not-yet-ended track at or
 * after `from`, inside a gathering interval `[from, to)`, or Infinity.
 */
export function firstStep(
  model: Model,
  rec: RecordingModel,
  sources: readonly TrackSource[],
  from: number,
): number {
  let best = Infinity;
  for (const i of rec.tracks) {
    const source = sources[i]!;
    const endedAt = model.tracks[i]!.endedAt;
    for (const [a, b] of rec.intervals) {
      const start = Math.max(a, from);
      if (start >= b) continue;
      const t = source.frameTime(source.firstIndexAtOrAfter(start));
      if (t < b && t < endedAt && t < best) best = t;
    }
  }
  return best;
}

/** Whether a recorded, not-yet-ended track captured a frame at `t`, in a closed interval. */
function frameAt(
  model: Model,
  rec: RecordingModel,
  sources: readonly TrackSource[],
  t: number,
): boolean {
  const inInterval = rec.intervals.some(([a, b]) => a <= t && t <= b);
  return inInterval && rec.tracks.some((i) => {
    const source = sources[i]!;
    return t < model.tracks[i]!.endedAt && source.frameTime(source.firstIndexAtOrAfter(t)) === t;
  });
}

/**
 * Checks the instant `t` at which an armed failure of `rec` was acted on: the first frame
 * gathered at or after the arming — or a frame captured at the very instant a pause began
 * (the pause task and the encoder's step run at that instant in the order they were
 * queued), provided no frame was gathered in between.
 */
export function checkFailureTime(
  model: Model,
  rec: RecordingModel,
  sources: readonly TrackSource[],
  t: number,
): void {
  const armed = rec.failArmedAt!;
  const open = firstStep(model, rec, sources, armed);
  // (Chrome's clock closes a slice at a write, the write included: a frame captured at the
  // instant the failure was armed may have been gathered already; the next one fails.)
  const eager = model.profile.chunkClock === "wall-writes" &&
    t === firstStep(model, rec, sources, armed + 1e-6);
  expect(
    t === open || eager || (t >= armed && t < open && frameAt(model, rec, sources, t)),
    "events",
    () =>
      `the encoder failure armed at ${armed} was acted on at ${t}; the first frame gathered after it is at ${open}`,
  );
}

/** Throws if an armed failure of the live recording `rec` is overdue at `now`. */
export function checkFailureNotOverdue(
  model: Model,
  rec: RecordingModel,
  sources: readonly TrackSource[],
  now: number,
): void {
  if (rec.failArmedAt === null || rec.ended) return;
  const eager = model.profile.chunkClock === "wall-writes" ? 1e-6 : 0;
  const due = firstStep(model, rec, sources, rec.failArmedAt + eager);
  expect(
    due > now,
    "events",
    () =>
      `the encoder failure armed at ${rec.failArmedAt} was not acted on by ${now} (a frame was gathered at ${due})`,
  );
}
