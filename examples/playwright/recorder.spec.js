// A real page in Chromium: recsim's browser bundle, injected with page.addInitScript,
// replaces the browser's MediaRecorder and getUserMedia; Playwright's page.clock drives
// time; the test clicks Record and Stop, and checks that the server received chunks that
// decode to exactly the frames the page recorded.
import { expect, test } from "@playwright/test";
import { createRequire } from "node:module";
import { readWebm } from "@recsim/core/testing";
import { startServer } from "./server.js";

const bundle = createRequire(import.meta.url).resolve("@recsim/core/browser/recsim.global.js");
let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(() => server.server.close());

test("record, upload each chunk, stop: the chunks decode to exactly the recorded frames", async ({ page }) => {
  await page.clock.install({ time: 0 });
  await page.addInitScript({ path: bundle }); // sets globalThis.recsim
  await page.addInitScript(() => {
    const ua = recsim.createUserAgent({
      clock: recsim.globalTimersClock(), // recsim's timers on page.clock's fake ones
      getUserMediaLatency: 100,
      seed: 1,
    });
    recsim.installGlobals(ua);
    globalThis.__recsim = ua;
  });
  await page.goto(server.url);
  await page.clock.pauseAt(1000); // from here on, time moves only with runFor
  expect(await page.evaluate(() => MediaRecorder === globalThis.__recsim.MediaRecorder)).toBe(true);

  await page.click("#record");
  await page.clock.runFor(100); // getUserMedia's latency
  await expect(page.locator("#status")).toHaveText("recording");
  await page.clock.runFor(3500);
  await expect(page.locator("#status")).toHaveText("recording: 3 chunks");
  await page.click("#stop");
  await page.clock.runFor(10);
  await expect(page.locator("#status")).toHaveText("uploaded 4 chunks");

  const { chunks, complete } = server.received;
  expect(complete).toEqual({ chunks: 4 });
  expect(chunks.map((c) => c.seq)).toEqual([0, 1, 2, 3]);
  const all = Buffer.concat(chunks.map((c) => c.bytes));
  expect(all.subarray(0, 4)).toEqual(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])); // EBML
  const file = readWebm(new Uint8Array(all));
  const recorded = await page.evaluate(() => {
    const frames = recsim.recordedFrames(globalThis.__recsim.trace);
    return { video: frames.get("video#1"), audio: frames.get("audio#1") };
  });
  expect(recorded.video).toHaveLength(105); // 3.5 s at 30 fps, from the click on Record
  expect(file.blocks.filter((b) => b.track === 1).map((b) => b.timestampMs)).toEqual(
    recorded.video.map((i) => Math.round((i * 1000) / 30)),
  );
  expect(file.blocks.filter((b) => b.track === 2)).toHaveLength(recorded.audio.length);
});

test("libav.js in the page: real VP8 and Opus on recsim's virtual clock, decoded back frame by frame", async ({ page }) => {
  await page.goto(`${server.url}/libav.html`);
  await expect(page.locator("#status")).toHaveText("done", { timeout: 30_000 });
  const result = await page.evaluate(() => globalThis.result);
  expect(result.mimeType).toBe(`video/webm;codecs="vp8,opus"`);
  expect(result.chunks).toBe(3);
  expect(result.problems).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.videoFrames).toEqual([30]); // 2 s at 15 fps, each decoded and identified
  expect(result.virtualTime).toBe(2000);
});
