/**
 * Runs a lab scenario on recsim: the profile that models the engine, virtual devices
 * set like the engine's fake devices, recsim's globals installed, and the page's
 * `setTimeout`, `Date` and `performance.now` on one fake clock with the recorder, so a
 * scenario written for a browser runs unchanged on virtual time.
 *
 * @module
 */
import FakeTimers from "@sinonjs/fake-timers";
import { createUserAgent, installGlobals, type Profile } from "../../mod.ts";
import { fakeTimersClock } from "../../src/dropin/fake_timers_clock.ts";
import { createLab } from "./lab.js";
import type { Engine, LabResult, Scenario } from "./types.ts";

/** Fake camera and microphone settings, as the engine's `getSettings()` reported them. */
export interface DeviceSettings {
  /** The camera. */
  video: { width: number; height: number; frameRate: number };
  /** The microphone. */
  audio: { sampleRate: number; channelCount: number };
}

/** The engines' fake devices when an observation does not say (measured; see conformance/README.md). */
export const DEFAULT_DEVICES: Readonly<Record<Engine, DeviceSettings>> = {
  chromium: {
    video: { width: 640, height: 480, frameRate: 20 },
    audio: { sampleRate: 48000, channelCount: 1 },
  },
  firefox: {
    video: { width: 640, height: 480, frameRate: 30 },
    audio: { sampleRate: 48000, channelCount: 1 },
  },
  webkitgtk: {
    video: { width: 640, height: 480, frameRate: 30 },
    audio: { sampleRate: 44100, channelCount: 1 },
  },
};

/** Options of {@link runOnRecsim}. */
export interface RecsimRunOptions {
  /** The profile (a recsim profile name or object). */
  profile: string | Profile;
  /** The fake devices to model. */
  devices: DeviceSettings;
  /** The agent's seed (default 1). */
  seed?: number;
  /** Virtual ms after which a scenario that has not finished is abandoned (default 60 s). */
  maxMs?: number;
  /** Include the recordings' bytes (base64) in the result. */
  bytes?: boolean;
}

/**
 * Runs `scenario` on a fresh recsim agent and returns its observation log.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_DEVICES, runOnRecsim } from "./recsim_host.ts";
 * const result = await runOnRecsim(async (lab) => {
 *   const stream = await lab.gum({ audio: true });
 *   const rec = lab.recorder(stream!, undefined);
 *   lab.call("start()", () => rec!.start());
 *   await lab.wait(500);
 *   lab.call("stop()", () => rec!.stop());
 *   await lab.until(rec!, "stop");
 * }, { profile: "spec", devices: DEFAULT_DEVICES.chromium });
 * assert.deepEqual(
 *   result.log.filter((e) => e.k === "event").map((e) => e.type),
 *   ["start", "dataavailable", "stop"],
 * );
 * ```
 */
export async function runOnRecsim(
  scenario: Scenario,
  options: RecsimRunOptions,
): Promise<LabResult> {
  const fake = FakeTimers.withGlobal(globalThis).install({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"],
    now: 1_000_000,
  });
  const clock = fakeTimersClock(fake);
  const ua = createUserAgent({
    clock,
    profile: options.profile as Profile,
    seed: options.seed ?? 1,
    defaultDevices: false,
  });
  const { video, audio } = options.devices;
  ua.addDevice({
    kind: "videoinput",
    label: "fake camera",
    width: video.width,
    height: video.height,
    frameRate: video.frameRate,
  });
  ua.addDevice({
    kind: "audioinput",
    label: "fake microphone",
    sampleRate: audio.sampleRate,
    channelCount: audio.channelCount,
  });
  ua.setPermission("camera", "granted");
  ua.setPermission("microphone", "granted");
  const globals = installGlobals(ua);
  const lab = createLab();
  try {
    const run = (async () => {
      try {
        await scenario(lab);
      } catch (e) {
        lab.fail(e);
      }
    })();
    // Timer by timer until the scenario resolves; it is checked after the microtasks of
    // each timer and before the next one runs, as a page's script continues before the
    // next task (so an event queued at the instant the scenario ends is not logged).
    let done = false;
    run.finally(() => (done = true));
    const deadline = Number(fake.now) + (options.maxMs ?? 60_000);
    while (!done) {
      for (let i = 0; i < 20 && !done; i++) await null;
      if (done) break;
      if (fake.countTimers() === 0 || Number(fake.now) > deadline) {
        throw new Error("the scenario did not finish on virtual time");
      }
      await fake.nextAsync();
    }
    // In the page, finish() awaits the first non-empty chunk's bytes (and, when it reads
    // the bytes, the concatenation of every chunk, even empty ones), which gives the tasks
    // queued at that instant (a stream's `inactive` after the tracks were stopped) a turn
    // before the log is read; without such a chunk the log is read at once.
    const chunks = lab.log.filter((e) => e.k === "event" && e.type === "dataavailable");
    if (chunks.some((e) => Number(e.size) > 0) || (options.bytes && chunks.length > 0)) {
      await fake.tickAsync(0);
    }
  } finally {
    globals.uninstall();
    fake.uninstall();
  }
  const result = await lab.finish({ bytes: options.bytes ?? false });
  ua.close();
  return result as LabResult;
}
