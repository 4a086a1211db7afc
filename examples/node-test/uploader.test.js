// The chunk-uploader example (../chunk_uploader.js), unmodified, under node --test:
// recsim's globals, its clock auto-advancing, each chunk POSTed with Node's fetch to a
// node:http server on 127.0.0.1.
import test from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createUserAgent, installGlobals } from "@recsim/core";
import { readWebm, recordedFrames } from "@recsim/core/testing";
import { startUploader } from "../chunk_uploader.js";

function serve(failFirst) {
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
        if (failFirst.includes(seq) && received.attempts.filter((s) => s === seq).length === 1) {
          res.writeHead(503).end("try again");
          return;
        }
        received.chunks.push({ seq, bytes: new Uint8Array(body) });
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
      () => resolve({ server, received, url: `http://127.0.0.1:${server.address().port}` }),
    )
  );
}

test("the unmodified chunk uploader records and uploads; the file holds exactly the recorded frames", async () => {
  assert.equal(typeof globalThis.MediaRecorder, "undefined");
  const { server, received, url } = await serve([2]);
  const ua = createUserAgent({ seed: 5, getUserMediaLatency: 50 });
  const globals = installGlobals(ua);
  const auto = ua.clock.autoAdvance({ maxMs: 60_000 });
  try {
    const uploader = await startUploader({ url, timeslice: 1000, retryDelayMs: 10 });
    await new Promise((r) => ua.clock.setTimer(r, 3000));
    uploader.stop();
    const summary = await uploader.done;
    assert.deepEqual(received.chunks.map((c) => c.seq), [0, 1, 2]);
    assert.deepEqual(received.attempts, [0, 1, 2, 2]);
    assert.deepEqual(received.complete, summary);
    assert.equal(summary.reason, "stopped");
    const all = Buffer.concat(received.chunks.map((c) => c.bytes));
    const file = readWebm(new Uint8Array(all));
    const frames = recordedFrames(ua.trace).get("video#1");
    assert.equal(frames.length, 90); // 3 s of 30 fps video
    assert.deepEqual(
      file.blocks.filter((b) => b.track === 1).map((b) => b.timestampMs),
      frames.map((i) => Math.round((i * 1000) / 30)),
    );
  } finally {
    auto.stop();
    globals.uninstall();
    ua.close();
    server.close();
  }
  assert.equal(typeof globalThis.MediaRecorder, "undefined");
});
