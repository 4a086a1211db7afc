// stop(), pause(), resume() and requestData() (src/recorder/stop.ts): their checks, the
// tasks they queue and the events those tasks fire, in order.
import assert from "node:assert/strict";
import { rig, timeline } from "./_test_util.ts";

function thrown(run: () => void): string {
  try {
    run();
    return "ok";
  } catch (e) {
    assert.ok(e instanceof DOMException, "a DOMException");
    return `${e.name}: ${e.message}`;
  }
}

Deno.test("pause, resume and requestData throw InvalidStateError while inactive; stop does nothing", async () => {
  const { ua, rec, watch } = rig();
  assert.equal(
    thrown(() => rec.pause()),
    "InvalidStateError: pause() called while the recorder is inactive",
  );
  assert.equal(
    thrown(() => rec.resume()),
    "InvalidStateError: resume() called while the recorder is inactive",
  );
  assert.equal(
    thrown(() => rec.requestData()),
    "InvalidStateError: requestData() called while the recorder is inactive",
  );
  assert.equal(thrown(() => rec.stop()), "ok");
  await ua.clock.settle();
  assert.deepEqual(watch.events, []);
  assert.equal(rec.state, "inactive");
  ua.close();
});

Deno.test("pause() sets paused at once and fires pause from a task; a second pause() does nothing", async () => {
  const { ua, rec, watch } = rig();
  rec.start();
  await ua.clock.advance(100);
  rec.pause();
  assert.equal(rec.state, "paused");
  assert.equal(watch.events.filter((e) => e.type === "pause").length, 0, "not synchronously");
  rec.pause();
  await ua.clock.settle();
  assert.deepEqual(watch.events.map((e) => e.type), ["start", "pause"]);
  assert.equal(watch.events[1]!.state, "paused");
  rec.stop();
  await ua.clock.settle();
  ua.close();
});

Deno.test("resume() while recording does nothing; after pause() it fires resume from a task", async () => {
  const { ua, rec, watch } = rig();
  rec.start();
  rec.resume();
  await ua.clock.advance(100);
  assert.deepEqual(watch.events.map((e) => e.type), ["start"]);
  rec.pause();
  await ua.clock.advance(50);
  rec.resume();
  assert.equal(rec.state, "recording");
  assert.equal(watch.events.filter((e) => e.type === "resume").length, 0, "not synchronously");
  await ua.clock.settle();
  assert.deepEqual(watch.events.map((e) => e.type), ["start", "pause", "resume"]);
  assert.equal(watch.events[2]!.state, "recording");
  rec.stop();
  await ua.clock.settle();
  ua.close();
});

Deno.test("paused time gathers nothing: frames while paused are not in the recording", async () => {
  const { ua, rec, watch } = rig({ audio: false });
  rec.start(100);
  await ua.clock.advance(1000);
  const beforePause = watch.events.filter((e) => e.type === "dataavailable").length;
  rec.pause();
  await ua.clock.advance(1000);
  const whilePaused = watch.events.filter((e) => e.type === "dataavailable").length;
  assert.ok(whilePaused - beforePause <= 1, "at most the chunk in progress while paused");
  rec.resume();
  await ua.clock.advance(1000);
  rec.stop();
  await ua.clock.settle();
  const frames = ua.trace.ofKind("frames")[0]!.runs;
  const paused = frames.filter(([, , s]) => s === "paused").reduce((n, [a, b]) => n + b - a, 0);
  assert.ok(paused >= 29 && paused <= 31, `about 30 frames paused, got ${paused}`);
  ua.close();
});

Deno.test("requestData() fires dataavailable from a task with what was gathered, then gathers anew", async () => {
  const { ua, rec, watch } = rig();
  rec.start();
  await ua.clock.advance(500);
  rec.requestData();
  assert.equal(watch.events.filter((e) => e.type === "dataavailable").length, 0);
  await ua.clock.settle();
  const first = watch.events.filter((e) => e.type === "dataavailable");
  assert.equal(first.length, 1);
  assert.ok(first[0]!.data!.size > 0);
  rec.requestData();
  await ua.clock.settle();
  const second = watch.events.filter((e) => e.type === "dataavailable");
  assert.equal(second.length, 2);
  assert.equal(second[1]!.data!.size, 0, "nothing gathered since the last one");
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(timeline(watch).map((s) => s.split("@")[0]), [
    "start",
    "dataavailable",
    "dataavailable",
    "dataavailable",
    "stop",
  ]);
  ua.close();
});

Deno.test("requestData() while paused still delivers the blob", async () => {
  const { ua, rec, watch } = rig();
  rec.start();
  await ua.clock.advance(300);
  rec.pause();
  rec.requestData();
  await ua.clock.settle();
  const data = watch.events.filter((e) => e.type === "dataavailable");
  assert.equal(data.length, 1);
  assert.ok(data[0]!.data!.size > 0);
  assert.equal(data[0]!.state, "paused");
  rec.stop();
  await ua.clock.settle();
  ua.close();
});

Deno.test("stop() fires dataavailable then stop from one task, and start() after it begins anew", async () => {
  const { ua, rec, watch } = rig();
  rec.start();
  await ua.clock.advance(200);
  rec.stop();
  rec.stop();
  assert.equal(rec.state, "inactive");
  await ua.clock.settle();
  assert.deepEqual(watch.events.map((e) => e.type), ["start", "dataavailable", "stop"]);
  assert.equal(watch.events[1]!.state, "inactive");
  rec.start();
  await ua.clock.settle();
  assert.equal(rec.state, "recording");
  assert.equal(watch.events.at(-1)!.type, "start");
  rec.stop();
  await ua.clock.settle();
  ua.close();
});

Deno.test("pause and resume events belong to the recording that queued them, even after a new start()", async () => {
  const { ua, rec } = rig();
  rec.start();
  await ua.clock.settle();
  rec.pause();
  rec.resume();
  rec.stop();
  rec.start();
  await ua.clock.settle();
  const events = ua.trace.ofKind("event").filter((e) => e.type === "pause" || e.type === "resume");
  assert.deepEqual(events.map((e) => [e.type, e.recording]), [["pause", 1], ["resume", 1]]);
  rec.stop();
  await ua.clock.settle();
  ua.close();
});
