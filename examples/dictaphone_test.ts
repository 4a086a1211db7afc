// The dictaphone example, unmodified, on recsim's globals, with the app's setTimeout and
// Date on the same fake clock as the recorder (@sinonjs/fake-timers + fakeTimersClock).
import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { createUserAgent } from "../src/user_agent.ts";
import { installGlobals } from "../src/dropin/install_globals.ts";
import { fakeTimersClock } from "../src/dropin/fake_timers_clock.ts";
import { readWebm } from "../src/container/webm_reader.ts";
import { recordedFrames } from "../src/testing.ts";
import { recordDictation } from "./dictaphone.js";

function setup(latency = 120) {
  const fake = FakeTimers.withGlobal(globalThis).install({
    toFake: ["setTimeout", "clearTimeout", "Date"],
  });
  const ua = createUserAgent({ clock: fakeTimersClock(fake), getUserMediaLatency: latency });
  const globals = installGlobals(ua);
  return {
    fake,
    ua,
    [Symbol.dispose]() {
      globals.uninstall();
      ua.close();
      fake.uninstall();
    },
  };
}

async function bytes(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

Deno.test("dictaphone: records N seconds and hands over one playable Blob", async () => {
  using env = setup();
  const got: { blob: Blob; at: number }[] = [];
  const errors: unknown[] = [];
  const recorder = recordDictation(3, (blob) => got.push({ blob, at: Date.now() }), {
    onError: (e) => errors.push(e),
  });
  await env.fake.tickAsync(5000);
  assert.ok(await recorder);
  assert.deepEqual(errors, []);
  assert.equal(got.length, 1);
  const { blob, at } = got[0]!;
  assert.equal(at, 3120); // getUserMedia's 120 ms, then 3 s of recording
  assert.equal(blob.type, "audio/webm;codecs=opus");
  const file = readWebm(await bytes(blob));
  assert.equal(file.tracks.length, 1);
  assert.equal(file.tracks[0]!.codecId, "A_OPUS");
  const frames = recordedFrames(env.ua.trace).get("audio#1")!;
  assert.equal(frames.length, 150); // 3 s of 20 ms frames, every one in the file
  assert.equal(file.blocks.length, 150);
  assert.equal(env.ua.devices()[1]!.liveTracks, 0); // the app stopped its tracks
});

Deno.test("dictaphone: a denied microphone reaches the app's catch", async () => {
  using env = setup();
  env.ua.setPermission("microphone", "denied");
  const errors: unknown[] = [];
  let recordings = 0;
  const recorder = recordDictation(3, () => recordings++, { onError: (e) => errors.push(e) });
  await env.fake.tickAsync(200);
  assert.equal(await recorder, null);
  assert.equal(recordings, 0);
  assert.equal((errors[0] as DOMException).name, "NotAllowedError");
});

Deno.test("dictaphone: the microphone unplugged mid-recording ends it; nothing gathered is lost", async () => {
  using env = setup(0);
  const got: Blob[] = [];
  recordDictation(10, (blob) => got.push(blob), { onError: () => {} });
  await env.fake.tickAsync(1500);
  env.ua.removeDevice(env.ua.devices()[1]!.deviceId);
  await env.fake.tickAsync(100);
  assert.equal(got.length, 1); // onstop ran at once, not after 10 s
  const file = readWebm(await bytes(got[0]!));
  assert.equal(file.blocks.length, 75); // 1.5 s of 20 ms frames
  assert.equal(recordedFrames(env.ua.trace).get("audio#1")!.length, 75);
});

Deno.test("dictaphone: an encoder failure reaches onerror, then onstop with the data so far", async () => {
  using env = setup(0);
  const got: Blob[] = [];
  const errors: unknown[] = [];
  const recorder = recordDictation(10, (blob) => got.push(blob), {
    onError: (e) => errors.push(e),
  });
  await env.fake.tickAsync(2000);
  env.ua.failEncoder((await recorder)!);
  await env.fake.tickAsync(100);
  assert.equal((errors[0] as DOMException).name, "UnknownError");
  assert.equal(got.length, 1);
  const file = readWebm(await bytes(got[0]!));
  assert.ok(file.blocks.length >= 100, `${file.blocks.length} blocks`); // the first 2 s at least
  assert.equal(file.blocks.length, recordedFrames(env.ua.trace).get("audio#1")!.length);
});
