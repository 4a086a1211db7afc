// A well-known third-party recording library, RecordRTC (npm `recordrtc`), unmodified on
// recsim's installed globals. It imports in Deno without a DOM and needs nothing beyond
// installGlobals (it finds MediaRecorder on globalThis and records through it), plus a
// clock for its own setTimeout: with a timeslice, stopRecording() assembles the slices
// 100 ms after stop() with setTimeout, so its timers share recsim's fake clock.
import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import RecordRTC from "recordrtc";
import { fakeTimersClock } from "../src/dropin/fake_timers_clock.ts";
import { createUserAgent } from "../src/user_agent.ts";
import { installGlobals } from "../src/dropin/install_globals.ts";
import { readWebm } from "../src/container/webm_reader.ts";
import { recordedFrames } from "../src/testing.ts";

Deno.test("RecordRTC records a virtual microphone through recsim's MediaRecorder, with timeslices", async () => {
  const fake = FakeTimers.withGlobal(globalThis).install({
    toFake: ["setTimeout", "clearTimeout"],
  });
  using _fake = { [Symbol.dispose]: () => fake.uninstall() };
  using ua = createUserAgent({ clock: fakeTimersClock(fake) });
  using _globals = installGlobals(ua);
  const stream = await ua.clock.runUntil(ua.mediaDevices.getUserMedia({ audio: true }));
  const slices: Blob[] = [];
  const recorder = new RecordRTC(stream as never, {
    type: "audio",
    mimeType: "audio/webm",
    timeSlice: 1000,
    disableLogs: true,
    ondataavailable: (blob: Blob) => slices.push(blob),
  });
  recorder.startRecording();
  await fake.tickAsync(3000);
  let stopped = false;
  recorder.stopRecording(() => (stopped = true));
  await fake.tickAsync(99);
  assert.equal(stopped, false); // RecordRTC's own 100 ms wait, on the shared fake clock
  await fake.tickAsync(1);
  assert.equal(stopped, true);
  const blob = recorder.getBlob();
  assert.equal(recorder.getState(), "stopped");
  assert.equal(blob.type, "audio/webm");
  assert.equal(slices.length, 3);
  const file = readWebm(new Uint8Array(await blob.arrayBuffer()));
  assert.equal(file.tracks[0]!.codecId, "A_OPUS");
  assert.equal(file.blocks.length, 150); // 3 s of 20 ms Opus frames
  assert.equal(recordedFrames(ua.trace).get("audio#1")!.length, 150);
});
