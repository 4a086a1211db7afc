import assert from "node:assert/strict";
import type { TrackSpec } from "./case_data.ts";
import { decodeLiteral } from "./literal.ts";
import { Model } from "./model.ts";

const video: TrackSpec = { kind: "video", inStream: true };
const audio: TrackSpec = { kind: "audio", inStream: true };

/** Runs every queued task; events as `type(state)` or `error:Name(state)`. */
function runTasks(m: Model): string[] {
  const out: string[] = [];
  for (let task = m.head(); task; task = m.head()) {
    for (const thunk of m.beginTask(task)) {
      const e = thunk();
      out.push(`${e.type === "error" ? `error:${e.error}` : e.type}(${e.state})`);
      const action = m.takeAction(e.type);
      if (action) m.applyAction(action);
    }
  }
  return out;
}

function model(tracks: TrackSpec[] = [video, audio], min = 0): Model {
  const m = new Model(min, tracks);
  assert.equal(m.construct({ mimeType: "" }), "ok");
  return m;
}

Deno.test("model: start(); stop(); fires start, dataavailable, stop (decision 9)", () => {
  const m = model();
  assert.equal(m.call("start"), "ok");
  assert.equal(m.recorder!.state, "recording");
  assert.equal(m.call("stop"), "ok");
  assert.equal(m.recorder!.state, "inactive");
  assert.deepEqual(runTasks(m), ["start(inactive)", "dataavailable(inactive)", "stop(inactive)"]);
  assert.equal(m.recorder!.mimeType, "", "stop() before the start task: mimeType never set");
  assert.equal(m.history[0]!.termination, "stop");
});

Deno.test("model: the start task sets the extended mimeType; Inactivate reverts it", () => {
  const m = model();
  m.call("start");
  assert.deepEqual(runTasks(m), ["start(recording)"]);
  assert.equal(m.recorder!.mimeType, 'video/webm;codecs="vp8,opus"');
  m.call("stop");
  assert.equal(m.recorder!.mimeType, "");
});

Deno.test("model: pause/resume/requestData outcomes and no-ops", () => {
  const m = model();
  assert.equal(m.call("pause"), "InvalidStateError");
  assert.equal(m.call("resume"), "InvalidStateError");
  assert.equal(m.call("requestData"), "InvalidStateError");
  assert.equal(m.call("stop"), "ok", "stop() when inactive returns silently");
  m.call("start");
  assert.equal(m.call("resume"), "ok");
  assert.equal(m.call("pause"), "ok");
  assert.equal(m.call("pause"), "ok");
  assert.equal(m.call("requestData"), "ok", "allowed while paused");
  assert.equal(m.call("start"), "InvalidStateError");
  assert.deepEqual(runTasks(m), ["start(paused)", "pause(paused)", "dataavailable(paused)"]);
});

Deno.test("model: start() check order (steps 5, 6, 7, 12, 14)", () => {
  const m = model([video]);
  m.setIsolated(0, true);
  m.endTrack(0);
  assert.equal(m.call("start"), "SecurityError", "isolation before the inactive stream");
  m.setIsolated(0, false);
  assert.equal(m.call("start"), "NotSupportedError", "inactive stream");
  const k = new Model(0, [video]);
  k.construct({ videoKeyFrameIntervalCount: "1", videoKeyFrameIntervalDuration: "1" });
  assert.equal(k.call("start"), "NotSupportedError", "both key-frame options");
  const a = new Model(0, [video]);
  a.construct({ mimeType: "audio/webm" });
  assert.equal(a.call("start"), "NotSupportedError", "a video track in an audio container");
});

Deno.test("model: constructor conversions (TypeError before NotSupportedError)", () => {
  const m = new Model(0, [audio]);
  assert.equal(m.construct({ audioBitrateMode: "bogus", mimeType: "video/mp4" }), "TypeError");
  assert.equal(m.construct({ videoKeyFrameIntervalDuration: "NaN" }), "TypeError");
  assert.equal(m.construct({ mimeType: "video/mp4" }), "NotSupportedError");
  assert.equal(m.recorder, null);
  assert.equal(m.construct({ videoKeyFrameIntervalCount: "NaN", bitsPerSecond: "-1" }), "ok");
  assert.deepEqual(m.recorder!.bitrates, { sum: 4294967295 });
});

Deno.test("model: timeslice conversion and the minimum", () => {
  const m = model([audio], 100);
  const threshold = (ts: string) => {
    m.call("start", decodeLiteral(ts));
    const rec = m.recorder!.recordings.at(-1)!;
    m.call("stop");
    runTasks(m);
    return [rec.timeslice, rec.threshold];
  };
  assert.deepEqual(threshold("absent"), [undefined, null]);
  assert.deepEqual(threshold("undefined"), [undefined, null]);
  assert.deepEqual(threshold("NaN"), [0, 100]);
  assert.deepEqual(threshold("-1"), [4294967295, 4294967295]);
  assert.deepEqual(threshold("4294967301"), [5, 100]);
  assert.deepEqual(threshold('"250"'), [250, 250]);
});

Deno.test("model: detections act in a later task; a method called before it wins (decision 12)", () => {
  const m = model();
  m.call("start");
  runTasks(m);
  m.changeTrackSet(1, false);
  m.call("stop");
  assert.deepEqual(runTasks(m), ["dataavailable(inactive)", "stop(inactive)"]);
  assert.equal(m.history[0]!.termination, "stop");

  const n = model();
  n.call("start");
  runTasks(n);
  n.changeTrackSet(1, false);
  assert.equal(n.recorder!.state, "recording", "state changes only in the task");
  assert.deepEqual(runTasks(n), [
    "error:InvalidModificationError(inactive)",
    "dataavailable(inactive)",
    "stop(inactive)",
  ]);
});

Deno.test("model: all recorded tracks ended → dataavailable, stop, no error (15.8)", () => {
  const m = model();
  m.call("start");
  runTasks(m);
  m.endTrack(0);
  assert.equal(m.queue.length, 0, "one track still live");
  m.endTrack(1);
  assert.deepEqual(runTasks(m), ["dataavailable(inactive)", "stop(inactive)"]);
  assert.equal(m.history[0]!.termination, "ended");
});

Deno.test("model: SecurityError discards the data; 15.2 fires no dataavailable", () => {
  const m = model();
  m.call("start");
  runTasks(m);
  m.setIsolated(0, true);
  const events: Array<{ type: string; empty?: boolean }> = [];
  for (let t = m.head(); t; t = m.head()) for (const th of m.beginTask(t)) events.push(th());
  assert.deepEqual(events.map((e) => e.type), ["error", "dataavailable", "stop"]);
  assert.equal(events[1]!.empty, true);

  const n = model();
  n.failEncoder(true);
  n.call("start");
  assert.deepEqual(runTasks(n), ["error:NotSupportedError(inactive)", "stop(inactive)"]);
});

Deno.test("model: an armed failure is accepted only while the recording is live", () => {
  const m = model();
  assert.equal(m.call("start"), "ok");
  assert.match(m.failureRefusal(1)!, /no encoder failure/);
  m.failEncoder(false);
  assert.equal(m.history[0]!.failArmedAt, 0);
  assert.equal(m.failureRefusal(1), null);
  m.call("stop");
  assert.match(m.failureRefusal(1)!, /already ended/);
  const inactive = model();
  inactive.failEncoder(false);
  assert.equal(inactive.recorder!.failNext, "encode", "applies to the next recording");
  inactive.call("start");
  assert.equal(inactive.history[0]!.failArmedAt, 0);
});

Deno.test("model: one-shot listener actions run in the task (reentrancy)", () => {
  const m = model();
  m.arm("start", { m: "pause" });
  m.arm("stop", { m: "start", ts: "100" });
  m.call("start");
  m.call("stop");
  assert.deepEqual(runTasks(m), [
    "start(inactive)",
    "dataavailable(inactive)",
    "stop(inactive)",
    "start(recording)",
  ]);
  assert.equal(m.recorder!.state, "recording");
  assert.equal(m.history.length, 2);
  assert.equal(m.history[1]!.threshold, 100);
});

Deno.test("model: timeslice events only between start and the final dataavailable", () => {
  const m = model();
  m.call("start", decodeLiteral("100"));
  assert.match(m.timesliceRefusal(1)!, /start event/);
  runTasks(m);
  assert.equal(m.timesliceRefusal(1), null);
  m.call("stop");
  runTasks(m);
  assert.match(m.timesliceRefusal(1)!, /final/);
  const n = model();
  n.call("start");
  runTasks(n);
  assert.match(n.timesliceRefusal(1)!, /no timeslice/);
});

Deno.test("model: black frames and paused time", () => {
  const m = model();
  m.call("start");
  m.now = 100;
  m.setEnabled(0, false);
  m.now = 200;
  m.setMuted(0, true);
  m.setEnabled(0, true);
  m.now = 300;
  m.setMuted(0, false);
  assert.deepEqual([50, 100, 250, 300].map((t) => m.blankAt(0, t)), [false, true, true, false]);
  m.setMuted(1, true);
  m.endTrack(1);
  m.setMuted(1, false);
  assert.equal(m.blankAt(1, 400), true, "an ended track cannot unmute");
  const rec = m.history[0]!;
  rec.intervals = [[0, 100], [150, 300], [400, Infinity]];
  assert.deepEqual([50, 200, 500].map((t) => m.pausedBefore(rec, t)), [0, 50, 150]);
});
