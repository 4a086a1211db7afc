// What MediaRecorder's methods write to the trace (media_recorder.ts `traced`): one "call"
// entry per call with the arguments as given (stringified when not JSON-friendly), the
// outcome and the state before and after; and the `on…` event handler attributes.
import assert from "node:assert/strict";
import type { CallEntry } from "../trace.ts";
import { rig } from "./_test_util.ts";

function calls(entries: { kind: string }[]): CallEntry[] {
  return entries.filter((e): e is CallEntry => e.kind === "call");
}

Deno.test("each method call is traced with its arguments, outcome and states", async () => {
  const { ua, rec } = rig();
  rec.start(250);
  rec.pause();
  rec.resume();
  rec.requestData();
  rec.stop();
  assert.throws(() => rec.pause());
  await ua.clock.settle();
  const got = calls(ua.trace.entries).map((e) => [e.target, e.method, e.args, e.outcome, e.state]);
  assert.deepEqual(got, [
    ["recorder#1", "start", [250], "ok", ["inactive", "recording"]],
    ["recorder#1", "pause", [], "ok", ["recording", "paused"]],
    ["recorder#1", "resume", [], "ok", ["paused", "recording"]],
    ["recorder#1", "requestData", [], "ok", ["recording", "recording"]],
    ["recorder#1", "stop", [], "ok", ["recording", "inactive"]],
    [
      "recorder#1",
      "pause",
      [],
      { error: "InvalidStateError", message: "pause() called while the recorder is inactive" },
      ["inactive", "inactive"],
    ],
  ]);
  ua.close();
});

Deno.test("start()'s argument is traced as given: none, undefined, non-finite numbers and others as strings", async () => {
  const { ua, rec } = rig();
  const given: unknown[][] = [[], [undefined], [NaN], [Infinity], [-1], [1.5], ["100"], [null], [
    true,
  ], [{ toString: () => "obj" }]];
  for (const args of given) {
    (rec.start as (...a: unknown[]) => void)(...args);
    rec.stop();
    await ua.clock.settle();
  }
  const starts = calls(ua.trace.entries).filter((e) => e.method === "start").map((e) => e.args);
  assert.deepEqual(starts, [
    [],
    ["undefined"],
    ["NaN"],
    ["Infinity"],
    [-1],
    [1.5],
    ["100"],
    [null],
    [true],
    ["obj"],
  ]);
  ua.close();
});

Deno.test("a failing start() is traced with the error's name and message and an unchanged state", async () => {
  const { ua, rec } = rig();
  rec.start();
  assert.throws(() => rec.start(), (e: Error) => e.name === "InvalidStateError");
  const last = calls(ua.trace.entries).at(-1)!;
  assert.equal(last.method, "start");
  assert.deepEqual(last.state, ["recording", "recording"]);
  assert.ok(typeof last.outcome === "object" && last.outcome.error === "InvalidStateError");
  assert.ok(typeof last.outcome === "object" && last.outcome.message.length > 0);
  rec.stop();
  await ua.clock.settle();
  ua.close();
});

Deno.test("the on… attributes return what was set and fire", async () => {
  const { ua, rec } = rig();
  const seen: string[] = [];
  const handlers = {
    onstart: () => seen.push("start"),
    onstop: () => seen.push("stop"),
    ondataavailable: () => seen.push("dataavailable"),
    onpause: () => seen.push("pause"),
    onresume: () => seen.push("resume"),
    onerror: () => seen.push("error"),
  };
  for (const [name, fn] of Object.entries(handlers)) {
    assert.equal((rec as unknown as Record<string, unknown>)[name], null, `${name} starts null`);
    (rec as unknown as Record<string, unknown>)[name] = fn;
    assert.equal((rec as unknown as Record<string, unknown>)[name], fn, name);
  }
  rec.start();
  await ua.clock.advance(100);
  rec.pause();
  await ua.clock.settle();
  rec.resume();
  await ua.clock.settle();
  ua.failEncoder(rec, "encode");
  await ua.clock.advance(1000);
  await ua.clock.settle();
  assert.deepEqual(seen.slice(0, 3), ["start", "pause", "resume"]);
  assert.ok(seen.includes("error"), seen.join());
  assert.ok(seen.includes("dataavailable"));
  assert.equal(seen.at(-1), "stop");
  ua.close();
});

Deno.test("the options argument: undefined or null are empty options; a primitive is a TypeError with a message", () => {
  const { ua, stream } = rig();
  const MR = ua.MediaRecorder as unknown as new (s: unknown, o?: unknown) => { mimeType: string };
  assert.equal(new MR(stream, undefined).mimeType, "");
  assert.equal(new MR(stream, null).mimeType, "");
  for (const bad of [5, "video/webm", true]) {
    assert.throws(
      () => new MR(stream, bad),
      (e: Error) => e instanceof TypeError && e.message !== "",
    );
  }
  assert.throws(() => new MR({}, {}), (e: Error) => e instanceof TypeError && e.message !== "");
  assert.throws(
    () => new MR(stream, { audioBitrateMode: "loud" }),
    (e: Error) => e instanceof TypeError && /audioBitrateMode/.test(e.message),
  );
  assert.throws(
    () => new MR(stream, { videoKeyFrameIntervalDuration: NaN }),
    (e: Error) => e instanceof TypeError && /videoKeyFrameIntervalDuration/.test(e.message),
  );
  assert.throws(
    () => new MR(stream, { mimeType: "video/nope" }),
    (e: Error) => e.name === "NotSupportedError" && /video\/nope/.test(e.message),
  );
  ua.close();
});
