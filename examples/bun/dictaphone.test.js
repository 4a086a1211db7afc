// The dictaphone example (../dictaphone.js), unmodified, under `bun test` with Bun's fake
// timers: recsim's getUserMedia and MediaRecorder on the globals, its timers on Bun's fake
// ones (globalTimersClock), time moved by jest.advanceTimersByTime (synchronous in Bun,
// which runs microtasks between timers).
import { afterEach, beforeEach, expect, jest, test } from "bun:test";
import { createUserAgent, installGlobals } from "@recsim/core";
import { globalTimersClock } from "@recsim/core/fake-timers";
import { blobBytes, readWebm, recordedFrames } from "@recsim/core/testing";
import { recordDictation } from "../dictaphone.js";

let ua, globals;
beforeEach(() => {
  jest.useFakeTimers();
  ua = createUserAgent({ clock: globalTimersClock(), getUserMediaLatency: 100, seed: 1 });
  globals = installGlobals(ua);
});
afterEach(() => {
  globals.uninstall();
  ua.close();
  jest.useRealTimers();
});

test("records 3 s of dictation on fake timers: the app's timer and the recorder on one timeline", async () => {
  let recording;
  const start = Date.now();
  recordDictation(3, (blob) => (recording = blob));
  jest.advanceTimersByTime(2000);
  await null;
  expect(recording).toBeUndefined();
  jest.advanceTimersByTime(2000);
  await null;
  expect(recording).toBeInstanceOf(Blob);
  expect(recording.type).toBe("audio/webm;codecs=opus");
  const file = readWebm(await blobBytes(recording));
  expect(file.tracks.map((t) => t.codecId)).toEqual(["A_OPUS"]);
  expect(file.blocks).toHaveLength(150);
  expect(file.blocks.map((b) => b.timestampMs)).toEqual(
    Array.from({ length: 150 }, (_, i) => i * 20),
  );
  expect(recordedFrames(ua.trace).get("audio#1")).toHaveLength(150);
  expect(Date.now() - start).toBe(4000);
});

test("a denied microphone reaches the app's error handler", async () => {
  ua.setPermission("microphone", "denied");
  const errors = [];
  const recorder = recordDictation(3, () => {}, { onError: (e) => errors.push(e) });
  jest.advanceTimersByTime(200);
  expect(await recorder).toBeNull();
  expect(errors.map((e) => e.name)).toEqual(["NotAllowedError"]);
});
