// The dictaphone example (../dictaphone.js), unmodified, under Vitest's jsdom environment
// and vi.useFakeTimers(): recsim's getUserMedia and MediaRecorder on the globals, its
// timers on Vitest's fake ones (globalTimersClock), time moved by vi.advanceTimersByTimeAsync.
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { createUserAgent, installGlobals } from "@recsim/core";
import { globalTimersClock } from "@recsim/core/fake-timers";
import { blobBytes, readWebm, recordedFrames } from "@recsim/core/testing";
import { recordDictation } from "../dictaphone.js";

let ua, globals;
beforeEach(() => {
  vi.useFakeTimers();
  ua = createUserAgent({
    clock: globalTimersClock(),
    getUserMediaLatency: 100,
    seed: 1,
  });
  globals = installGlobals(ua);
});
afterEach(() => {
  globals.uninstall();
  ua.close();
  vi.useRealTimers();
});

test("records 3 s of dictation on fake timers: the app's timer and the recorder on one timeline", async () => {
  let recording;
  const start = Date.now();
  recordDictation(3, (blob) => (recording = blob));
  await vi.advanceTimersByTimeAsync(2000);
  expect(recording).toBeUndefined();
  await vi.advanceTimersByTimeAsync(2000);
  expect(recording).toBeInstanceOf(Blob); // jsdom's own Blob
  expect(recording.type).toBe("audio/webm;codecs=opus");
  const file = readWebm(await blobBytes(recording));
  expect(file.tracks.map((t) => t.codecId)).toEqual(["A_OPUS"]);
  // getUserMedia took 100 ms, the app stops after 3 s: 150 Opus frames of 20 ms
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
  const recorder = recordDictation(3, () => {}, {
    onError: (e) => errors.push(e),
  });
  await vi.advanceTimersByTimeAsync(200);
  expect(await recorder).toBeNull();
  expect(errors.map((e) => e.name)).toEqual(["NotAllowedError"]);
});

test("two runs give the same bytes", async () => {
  const once = async (seed) => {
    const agent = createUserAgent({ clock: globalTimersClock(), seed });
    const rec = new agent.MediaRecorder(
      new agent.MediaStream([agent.createAudioTrack()]),
    );
    const chunks = [];
    rec.ondataavailable = (e) => chunks.push(e.data);
    rec.start(500);
    await vi.advanceTimersByTimeAsync(1200);
    rec.stop();
    await vi.advanceTimersByTimeAsync(0);
    agent.close();
    return Promise.all(chunks.map(blobBytes));
  };
  const a = await once(7);
  expect(a).toHaveLength(3);
  expect(await once(7)).toEqual(a);
});
