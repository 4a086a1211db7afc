import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { createUserAgent } from "../user_agent.ts";
import { globalTimersClock } from "./global_timers_clock.ts";
import { installGlobals } from "./install_globals.ts";
import { readWebm } from "../container/webm_reader.ts";
import { blobBytes } from "../blob_bytes.ts";
import { recordDictation } from "../../examples/dictaphone.js";

const EPOCH = 1_700_000_000_000;
const install = () =>
  FakeTimers.withGlobal(globalThis).install({
    now: EPOCH,
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });

Deno.test("globalTimersClock: the runner's advance moves the app's timers, Date.now and the recorder on one timeline", async () => {
  const fake = install();
  try {
    const ua = createUserAgent({ clock: globalTimersClock() });
    const log: string[] = [];
    const at = (what: string) => log.push(`${Date.now() - EPOCH}:${what}`);
    const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
    rec.onstart = () => at("start");
    rec.ondataavailable = () => at("dataavailable");
    rec.onstop = () => at("stop");
    setTimeout(() => at("app"), 1000); // created before the recorder's 1000 ms timer
    rec.start(1000);
    setTimeout(() => rec.stop(), 1500);
    await fake.tickAsync(2000);
    assert.deepEqual(log, [
      "0:start",
      "1000:app",
      "1000:dataavailable",
      "1500:dataavailable",
      "1500:stop",
    ]);
    assert.equal(ua.clock.now(), 2000);
    ua.close();
  } finally {
    fake.uninstall();
  }
});

Deno.test("globalTimersClock: ua.clock.advance() finds the sinon clock behind the global setTimeout; unmodified app code records the same bytes twice", async () => {
  const once = async () => {
    const fake = install();
    try {
      const ua = createUserAgent({ clock: globalTimersClock(), getUserMediaLatency: 100 });
      using _g = installGlobals(ua);
      let recording: Blob | undefined;
      recordDictation(2, (blob: Blob) => (recording = blob));
      await ua.clock.advance(3000); // calls the fake clock's tickAsync
      assert.equal(Date.now() - EPOCH, 3000);
      ua.close();
      return await blobBytes(recording!);
    } finally {
      fake.uninstall();
    }
  };
  const a = await once();
  const b = await once();
  assert.deepEqual(a, b);
  const file = readWebm(a);
  assert.equal(file.tracks.length, 1);
  assert.ok(file.blocks.length >= 99 && file.blocks.length <= 101, `${file.blocks.length} blocks`);
});

Deno.test("globalTimersClock: an advance option, and a listener's exception from the runner's advance", async () => {
  const fake = install();
  try {
    const advanced: number[] = [];
    const ua = createUserAgent({
      clock: globalTimersClock({ advance: (ms) => (advanced.push(ms), fake.tickAsync(ms)) }),
    });
    const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
    rec.onstart = () => {
      throw new Error("listener failed");
    };
    rec.start();
    await assert.rejects(ua.clock.advance(10), /listener failed/);
    assert.deepEqual(advanced, [10]);
    rec.stop();
    await ua.clock.settle();
    ua.close();
  } finally {
    fake.uninstall();
  }
});

Deno.test("globalTimersClock on real timers is a real-time clock", async () => {
  const ua = createUserAgent({ clock: globalTimersClock() });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
  const types: string[] = [];
  for (const t of ["start", "dataavailable", "stop"]) rec.addEventListener(t, () => types.push(t));
  const t0 = Date.now();
  rec.start();
  await ua.clock.advance(60);
  rec.stop();
  await ua.clock.settle();
  assert.ok(Date.now() - t0 >= 55);
  assert.deepEqual(types, ["start", "dataavailable", "stop"]);
  ua.close();
});
