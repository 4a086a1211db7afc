import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { createUserAgent } from "../user_agent.ts";
import { fakeTimersClock } from "./fake_timers_clock.ts";
import { installGlobals } from "./install_globals.ts";

const EPOCH = 1_700_000_000_000;

function install() {
  return FakeTimers.withGlobal(globalThis).install({
    now: EPOCH,
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
}

Deno.test("app timers, Date.now and the recorder's events share one timeline driven by tickAsync", async () => {
  const fake = install();
  try {
    const ua = createUserAgent({ clock: fakeTimersClock(fake) });
    const log: string[] = [];
    const at = (what: string) => log.push(`${Date.now() - EPOCH}:${what}`);
    const stream = new ua.MediaStream([ua.createAudioTrack()]);
    const rec = new ua.MediaRecorder(stream, { mimeType: "audio/webm" });
    rec.onstart = () => at("start");
    rec.ondataavailable = () => at("dataavailable");
    rec.onstop = () => at("stop");
    setTimeout(() => at("app 500"), 500);
    setTimeout(() => at("app 1000"), 1000); // created before the recorder's 1000 ms chunk timer
    const interval = setInterval(() => at("tick"), 700);
    rec.start(1000);
    setTimeout(() => rec.stop(), 2500);
    await fake.tickAsync(3000);
    clearInterval(interval);
    assert.deepEqual(log, [
      "0:start",
      "500:app 500",
      "700:tick",
      "1000:app 1000",
      "1000:dataavailable",
      "1400:tick",
      "2000:dataavailable",
      "2100:tick",
      "2500:dataavailable",
      "2500:stop",
      "2800:tick",
    ]);
    assert.equal(ua.clock.now(), 3000); // recsim's time 0 is the fake clock's start
    ua.close();
  } finally {
    fake.uninstall();
  }
});

Deno.test("a listener's exception is rethrown from the fake clock's tickAsync", async () => {
  const fake = install();
  try {
    const ua = createUserAgent({ clock: fakeTimersClock(fake) });
    const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
    rec.onstart = () => {
      throw new Error("listener failed");
    };
    rec.start();
    await assert.rejects(fake.tickAsync(10), /listener failed/);
    rec.stop();
    await ua.clock.settle();
    ua.close();
  } finally {
    fake.uninstall();
  }
});

Deno.test("getUserMedia under installGlobals resolves on the fake clock; advance/settle/runUntil drive it too", async () => {
  const fake = install();
  try {
    const clock = fakeTimersClock(fake);
    const ua = createUserAgent({ clock, getUserMediaLatency: 300 });
    using _g = installGlobals(ua);
    const nav = (globalThis as unknown as { navigator: { mediaDevices: typeof ua.mediaDevices } })
      .navigator;
    let resolvedAt = -1;
    const p = nav.mediaDevices.getUserMedia({ audio: true }).then((s) => {
      resolvedAt = Date.now() - EPOCH;
      return s;
    });
    await clock.advance(299);
    assert.equal(resolvedAt, -1);
    await clock.advance(1);
    await clock.settle();
    assert.equal(resolvedAt, 300);
    assert.equal((await p).getAudioTracks().length, 1);
    const q = nav.mediaDevices.getUserMedia({ video: true });
    const stream = await clock.runUntil(q);
    assert.equal(stream.getVideoTracks().length, 1);
    assert.equal(clock.now(), 600);
    await assert.rejects(clock.runUntil(new Promise(() => {})), /no timer is scheduled/);
    await assert.rejects(clock.advance(-1), /finite number >= 0/);
    ua.close();
  } finally {
    fake.uninstall();
  }
});

Deno.test("a timer that comes due while tracked work is pending runs after it, at its own time", async () => {
  const fake = FakeTimers.createClock(0);
  const clock = fakeTimersClock(fake);
  const seen: string[] = [];
  let release!: () => void;
  clock.trackWork(new Promise<void>((r) => (release = r)));
  clock.setTimer(() => seen.push(`timer@${clock.now()}`), 100);
  await fake.tickAsync(500);
  assert.equal(seen.length, 0);
  release();
  await clock.settle();
  assert.deepEqual(seen, ["timer@100"]);
  assert.equal(clock.now(), 500);
  clock.setTimer(() => seen.push("cancelled"), 10);
  clock.close();
  await fake.tickAsync(100);
  assert.deepEqual(seen, ["timer@100"]);
  assert.throws(() => fakeTimersClock({} as never), TypeError);
});

Deno.test("fakeTimersClock: a delay above 2^31−1 ms waits in steps instead of firing at once (decision 10; lab timeslice/av-minus-1)", async () => {
  const fake = FakeTimers.createClock(0);
  const clock = fakeTimersClock(fake);
  const fired: number[] = [];
  clock.setTimer(() => void fired.push(clock.now()), 2 ** 32 - 1);
  await fake.tickAsync(1000);
  assert.deepEqual(fired, []);
  await fake.tickAsync(2 ** 32);
  assert.deepEqual(fired, [2 ** 32 - 1]);
  clock.close();
});
