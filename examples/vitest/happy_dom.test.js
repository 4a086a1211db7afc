// @vitest-environment happy-dom
// The dictaphone again, under Vitest's stock happy-dom environment (chosen per file by
// the comment above) with vi.useFakeTimers().
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { createUserAgent, installGlobals } from "@recsim/core";
import { globalTimersClock } from "@recsim/core/fake-timers";
import { blobBytes, readWebm } from "@recsim/core/testing";
import { recordDictation } from "../dictaphone.js";

let ua, globals;
beforeEach(() => {
  vi.useFakeTimers();
  ua = createUserAgent({ clock: globalTimersClock(), getUserMediaLatency: 100, seed: 1 });
  globals = installGlobals(ua);
});
afterEach(() => {
  globals.uninstall();
  ua.close();
  vi.useRealTimers();
});

test("happy-dom: records 3 s of dictation on fake timers", async () => {
  expect(navigator.userAgent).toMatch(/HappyDOM/);
  let recording;
  recordDictation(3, (blob) => (recording = blob));
  await vi.advanceTimersByTimeAsync(4000);
  expect(recording).toBeInstanceOf(Blob); // happy-dom's own Blob
  const file = readWebm(await blobBytes(recording));
  expect(file.blocks).toHaveLength(150);
});
