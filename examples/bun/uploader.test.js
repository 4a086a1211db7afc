// The chunk-uploader example (../chunk_uploader.js), unmodified, under `bun test` with
// Bun's fake timers, POSTing each chunk with Bun's fetch to a real HTTP server on
// 127.0.0.1. Virtual time moves with jest.advanceTimersByTime; the network is real.
import { afterEach, beforeEach, expect, jest, test } from "bun:test";
import http from "node:http";
import { createUserAgent, installGlobals } from "@recsim/core";
import { globalTimersClock } from "@recsim/core/fake-timers";
import { readWebm, recordedFrames, watchRecorder } from "@recsim/core/testing";
import { startUploader } from "../chunk_uploader.js";

/** An upload server; the first attempt of each chunk in `failFirst` gets a 503. */
function serve(failFirst = []) {
  const received = { chunks: [], attempts: [], complete: null };
  const server = http.createServer((req, res) => {
    const parts = [];
    req.on("data", (d) => parts.push(d));
    req.on("end", () => {
      const url = new URL(req.url, "http://127.0.0.1");
      const body = Buffer.concat(parts);
      if (url.pathname === "/chunk") {
        const seq = Number(url.searchParams.get("seq"));
        received.attempts.push(seq);
        if (
          failFirst.includes(seq) &&
          received.attempts.filter((s) => s === seq).length === 1
        ) {
          res.writeHead(503).end("try again");
          return;
        }
        received.chunks.push({
          seq,
          bytes: new Uint8Array(body),
          type: req.headers["content-type"],
        });
        res.end("ok");
      } else if (url.pathname === "/complete") {
        received.complete = JSON.parse(body.toString());
        res.end("ok");
      } else res.writeHead(404).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(
      0,
      "127.0.0.1",
      () =>
        resolve({
          server,
          received,
          url: `http://127.0.0.1:${server.address().port}`,
        }),
    )
  );
}

/** Moves fake time in small steps, letting real I/O run between them, until `promise` settles. */
async function drive(promise) {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  while (!settled) {
    jest.advanceTimersByTime(10);
    await new Promise((resolve) => setImmediate(resolve)); // Bun's fake timers leave it real
  }
  return promise;
}

const concat = (parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

let ua, globals, http_;
beforeEach(async () => {
  jest.useFakeTimers();
  ua = createUserAgent({
    clock: globalTimersClock(),
    getUserMediaLatency: 80,
    seed: 5,
  });
  globals = installGlobals(ua);
  http_ = await serve([1]);
});
afterEach(() => {
  globals.uninstall();
  ua.close();
  jest.useRealTimers();
  http_.server.close();
});

test("every chunk reaches the server once, in order, after a retry; the bytes are the recorder's and hold exactly the recorded frames", async () => {
  const started = startUploader({
    url: http_.url,
    timeslice: 1000,
    retryDelayMs: 20,
  });
  jest.advanceTimersByTime(80); // getUserMedia's latency
  const uploader = await started;
  const watch = watchRecorder(uploader.recorder, ua.clock);
  jest.advanceTimersByTime(3500);
  await null;
  uploader.stop();
  const summary = await drive(uploader.done);

  const { chunks, attempts, complete } = http_.received;
  expect(chunks.map((c) => c.seq)).toEqual([0, 1, 2, 3]);
  expect(attempts).toEqual([0, 1, 1, 2, 3]); // chunk 1 was retried
  expect(complete).toEqual(summary);
  expect(summary).toEqual({
    chunks: 4,
    bytes: watch.chunks.reduce((n, b) => n + b.size, 0),
    reason: "stopped",
  });
  expect(chunks[0].type).toMatch(/^video\/webm;codecs=/);
  const uploaded = concat(chunks.map((c) => c.bytes));
  // what the server got is what was recorded (compared as Buffers: a deep equality of
  // a megabyte, element by element, is slow)
  expect(Buffer.from(uploaded).equals(Buffer.from(await watch.bytes()))).toBe(true);
  const file = readWebm(uploaded);
  const frames = recordedFrames(ua.trace);
  const video = file.blocks.filter((b) => b.track === 1);
  expect(frames.get("video#1")).toHaveLength(105); // 3.5 s at 30 fps
  expect(video.map((b) => b.timestampMs)).toEqual(
    frames.get("video#1").map((i) => Math.round((i * 1000) / 30)),
  );
  expect(file.blocks.filter((b) => b.track === 2)).toHaveLength(
    frames.get("audio#1").length,
  );
});
