import assert from "node:assert/strict";
import { createAudioSource } from "../src/media/track_source.ts";
import { checkFailureNotOverdue, checkFailureTime, firstStep } from "./failure_timing.ts";
import { Model } from "./model.ts";

// One 10 ms audio track: frames at 0, 10, 20, …
const sources = [createAudioSource({ sampleRate: 8000, frameSize: 80 }, 0, 1)];

function armedRecording(intervals: Array<[number, number]>, armedAt: number) {
  const m = new Model(0, [{ kind: "audio", inStream: true }]);
  m.construct({});
  m.call("start");
  const rec = m.history[0]!;
  rec.intervals = intervals;
  rec.gathering = intervals.at(-1)![1] === Infinity;
  rec.failArmedAt = armedAt;
  return { m, rec };
}

Deno.test("failure timing: the first frame gathered at or after the arming", () => {
  const { m, rec } = armedRecording([[0, 35], [100, Infinity]], 5);
  assert.equal(firstStep(m, rec, sources, 5), 10);
  assert.equal(firstStep(m, rec, sources, 36), 100, "paused frames do not count");
  checkFailureTime(m, rec, sources, 10);
  assert.throws(
    () => checkFailureTime(m, rec, sources, 20),
    /first frame gathered after it is at 10/,
  );
  checkFailureNotOverdue(m, rec, sources, 9);
  assert.throws(() => checkFailureNotOverdue(m, rec, sources, 10), /not acted on by 10/);
});

Deno.test("failure timing: a frame at the instant a pause began may be the step", () => {
  const { m, rec } = armedRecording([[0, 0], [100, 100]], 0);
  assert.equal(firstStep(m, rec, sources, 0), Infinity);
  checkFailureTime(m, rec, sources, 100);
  checkFailureTime(m, rec, sources, 0);
  assert.throws(() => checkFailureTime(m, rec, sources, 50), /acted on at 50/);
});
