// The chunk-uploader example, unmodified, on recsim's globals, uploading to a real local
// HTTP server (Deno.serve on 127.0.0.1). The clock auto-advances, so the app's awaits of
// getUserMedia and of recorder events progress on virtual time while fetch runs for real.
import assert from "node:assert/strict";
import { createUserAgent, type UserAgentOptions } from "../src/user_agent.ts";
import { installGlobals } from "../src/dropin/install_globals.ts";
import { readWebm } from "../src/container/webm_reader.ts";
import { checkRecording, createLibavEncoder } from "../src/encoding/libav/mod.ts";
import { startUploader } from "./chunk_uploader.js";

interface Received {
  chunks: { seq: number; bytes: Uint8Array; type: string }[];
  attempts: number[];
  complete: { chunks: number; bytes: number; reason: string } | null;
}

/** A local upload server; `failFirst` answers 503 to the first attempt of those chunks. */
function serve(failFirst: number[] = []) {
  const received: Received = { chunks: [], attempts: [], complete: null };
  const failed = new Set<number>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const body = new Uint8Array(await req.arrayBuffer());
    if (url.pathname === "/chunk") {
      const seq = Number(url.searchParams.get("seq"));
      received.attempts.push(seq);
      if (failFirst.includes(seq) && !failed.has(seq)) {
        failed.add(seq);
        return new Response("try again", { status: 503 });
      }
      received.chunks.push({ seq, bytes: body, type: req.headers.get("content-type") ?? "" });
      return new Response("ok");
    }
    if (url.pathname === "/complete") {
      received.complete = JSON.parse(new TextDecoder().decode(body));
      return new Response("ok");
    }
    return new Response("not found", { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    received,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

function setup(options: UserAgentOptions = {}) {
  const ua = createUserAgent({ getUserMediaLatency: 80, ...options });
  const globals = installGlobals(ua);
  const auto = ua.clock.autoAdvance({ maxMs: 120_000 });
  return {
    ua,
    /** Resolves at virtual time `t`. */
    at: (t: number) => new Promise<void>((r) => ua.clock.setTimer(r, t - ua.clock.now())),
    [Symbol.dispose]() {
      auto.stop();
      globals.uninstall();
      ua.close();
    },
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

Deno.test("uploader: every chunk reaches the server once, in order, after a retry; the file decodes to exactly the recorded frames", async () => {
  await using server = serve([1]);
  using env = setup({ encoders: [createLibavEncoder()] });
  const uploader = await startUploader({
    url: server.url,
    timeslice: 1000,
    retryDelayMs: 20,
    constraints: { video: { width: 320, height: 240, frameRate: 15 }, audio: true },
  });
  assert.equal(env.ua.clock.now(), 80); // getUserMedia's latency, on virtual time
  await env.at(3580);
  uploader.stop();
  const summary = await uploader.done;

  const { chunks, attempts, complete } = server.received;
  assert.deepEqual(chunks.map((c) => c.seq), [0, 1, 2, 3]);
  assert.deepEqual(attempts, [0, 1, 1, 2, 3]); // chunk 1 was retried
  assert.deepEqual(complete, summary);
  assert.deepEqual(complete, {
    chunks: 4,
    bytes: chunks.reduce((n, c) => n + c.bytes.length, 0),
    reason: "stopped",
  });
  assert.match(chunks[0]!.type, /^video\/webm;codecs=/);
  const file = concat(chunks.map((c) => c.bytes));
  const check = await checkRecording(file, env.ua.trace);
  assert.deepEqual(check.problems, []);
  assert.ok(check.ok);
  assert.deepEqual(check.videoFrames, [53]); // 3.5 s at 15 fps: frames 0..52, each decoded
});

Deno.test("uploader: camera and microphone unplugged mid-recording end it; every chunk and the complete request still arrive", async () => {
  await using server = serve();
  using env = setup();
  const uploader = await startUploader({ url: server.url, timeslice: 500 });
  await env.at(1780);
  for (const d of env.ua.devices()) env.ua.removeDevice(d.deviceId);
  const summary = await uploader.done;
  assert.equal(summary.reason, "audio track ended");
  const { chunks } = server.received;
  assert.deepEqual(chunks.map((c) => c.seq), [0, 1, 2, 3]);
  const file = readWebm(concat(chunks.map((c) => c.bytes)));
  const video = file.blocks.filter((b) => b.track === 1);
  assert.equal(video.length, 51); // 1.7 s of 30 fps frames, none lost
  assert.equal(uploader.recorder.state, "inactive");
});

Deno.test("uploader: an encoder failure reaches onerror and onstop; what was gathered is uploaded", async () => {
  await using server = serve();
  using env = setup();
  const errors: unknown[] = [];
  const uploader = await startUploader({
    url: server.url,
    onError: (e: unknown) => errors.push(e),
  });
  await env.at(2580);
  env.ua.failEncoder(uploader.recorder);
  const summary = await uploader.done;
  assert.equal((errors[0] as DOMException).name, "UnknownError");
  assert.equal(summary.reason, "error: UnknownError");
  assert.equal(server.received.chunks.length, 3); // two timeslice chunks and the final one
  const file = readWebm(concat(server.received.chunks.map((c) => c.bytes)));
  assert.ok(file.blocks.filter((b) => b.track === 1).length >= 75);
});

Deno.test("uploader: a denied camera reaches the app's catch; nothing is uploaded", async () => {
  await using server = serve();
  using env = setup();
  env.ua.setPermission("camera", "denied");
  await assert.rejects(startUploader({ url: server.url }), { name: "NotAllowedError" });
  assert.equal(server.received.attempts.length, 0);
});

Deno.test("uploader: a server that keeps failing exhausts the retries and reaches onError", async () => {
  await using server = serve();
  using env = setup();
  const errors: unknown[] = [];
  const uploader = await startUploader({
    url: `${server.url}/missing`,
    maxRetries: 2,
    retryDelayMs: 5,
    onError: (e: unknown) => errors.push(e),
  });
  await env.at(1100);
  uploader.stop();
  await assert.rejects(uploader.done, /HTTP 404/);
  assert.match(String(errors[0]), /HTTP 404/);
});
