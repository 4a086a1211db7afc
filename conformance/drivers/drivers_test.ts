/**
 * Live tests of the browser drivers: a fake-device A+V recording in each engine, locally and
 * through the remote path (a browser server on 127.0.0.1), plus timeout recovery.
 *
 * A missing browser skips its tests (with the install command), except under `CI=true`, where
 * it fails them.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  browserAvailable,
  type Engine,
  INSTALL_HINTS,
  launchBrowser,
  RunTimeoutError,
  serveStatic,
  startChromiumCdpServer,
  startChromiumServer,
  startFirefoxServer,
} from "./mod.ts";
import { contentType } from "./server.ts";

const CI = Deno.env.get("CI") === "true";

/** Records the fake camera and microphone with `start(100)` for about 600 ms. */
const RECORD_EXPRESSION = `(async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const sizes = [];
  const recorder = new MediaRecorder(stream);
  recorder.ondataavailable = (e) => sizes.push(e.data.size);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  recorder.start(100);
  // (long enough for the encoders' start-up even on a loaded machine: up to ~700 ms seen)
  await new Promise((resolve) => setTimeout(resolve, 1500));
  recorder.stop();
  await stopped;
  const tracks = stream.getTracks().map((t) => ({ kind: t.kind, label: t.label, settings: t.getSettings() }));
  stream.getTracks().forEach((t) => t.stop());
  return JSON.stringify({ chunks: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0), tracks });
})()`;

interface RecordResult {
  chunks: number;
  bytes: number;
  tracks: { kind: string; label: string; settings: Record<string, unknown> }[];
}

function checkRecording(json: string): void {
  const r = JSON.parse(json) as RecordResult;
  assert(r.chunks > 0, `no chunks: ${json}`);
  assert(r.bytes > 0, `no bytes: ${json}`);
  const video = r.tracks.find((t) => t.kind === "video");
  const audio = r.tracks.find((t) => t.kind === "audio");
  assert(video && typeof video.settings.width === "number", `video settings: ${json}`);
  assert(typeof video.settings.frameRate === "number", `video frameRate: ${json}`);
  assert(audio && typeof audio.settings.channelCount === "number", `audio settings: ${json}`);
}

async function withPage<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const root = await Deno.makeTempDir({ prefix: "recsim-drivers-test-" });
  await Deno.writeTextFile(`${root}/index.html`, "<!doctype html><title>drivers</title>\n");
  const server = await serveStatic(root);
  try {
    return await fn(`${server.origin}/index.html`);
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
}

/** Registers a live test for `engine`: skipped (or, under CI, failed) when it is absent. */
function liveTest(engine: Engine, name: string, fn: () => Promise<void>): void {
  const present = browserAvailable(engine);
  if (!present && !CI) {
    console.warn(`skipping "${engine}: ${name}": no ${engine}; install: ${INSTALL_HINTS[engine]}`);
  }
  Deno.test({
    name: `${engine}: ${name}`,
    ignore: !present && !CI,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      if (!present) {
        throw new Error(`${engine} is missing under CI=true; install: ${INSTALL_HINTS[engine]}`);
      }
      await fn();
    },
  });
}

function collector(): { log: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

Deno.test("serveStatic: content types, handler first, no escape from root", async () => {
  assert.equal(contentType("a/b.mjs"), "text/javascript; charset=utf-8");
  const root = await Deno.makeTempDir({ prefix: "recsim-drivers-test-" });
  await Deno.writeTextFile(`${root}/index.html`, "<p>hi</p>");
  await Deno.writeTextFile(`${root}/a.js`, "export {};");
  await Deno.writeTextFile(`${root}/b.json`, "{}");
  const server = await serveStatic(root, {
    handler: (req) =>
      req.method === "POST" ? new Response("posted:" + new URL(req.url).pathname) : undefined,
  });
  try {
    const get = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${server.origin}${path}`, init);
      return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
    };
    assert.equal((await get("/")).body, "<p>hi</p>");
    assert.equal((await get("/index.html")).type, "text/html; charset=utf-8");
    assert.equal((await get("/a.js")).type, "text/javascript; charset=utf-8");
    assert.equal((await get("/b.json")).type, "application/json; charset=utf-8");
    assert.equal((await get("/missing.js")).status, 404);
    assert.equal((await get("/x%2F..%2F..%2Fetc%2Fpasswd")).status, 403);
    assert.equal((await get("/x", { method: "POST", body: "1" })).body, "posted:/x");
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
});

for (const engine of ["chromium", "firefox"] as const) {
  liveTest(engine, "local: records fake A+V; a timed-out run rejects, the next works", async () => {
    const { log, lines } = collector();
    await withPage(async (url) => {
      const target = await launchBrowser(engine, { log });
      try {
        assert.equal(target.engine, engine);
        assert.equal(target.remote, false);
        assert.match(target.version, /^\d+$/);
        assert.ok(target.fullVersion.startsWith(`${target.version}.`), target.fullVersion);
        checkRecording(await target.run(url, RECORD_EXPRESSION));
        await assert.rejects(
          () => target.run(url, "new Promise(() => {})", { timeoutMs: 1500 }),
          RunTimeoutError,
        );
        assert.equal(await target.run(url, "Promise.resolve(document.title)"), "drivers");
        await assert.rejects(() => target.run(url, "Promise.resolve(42)"), /string/);
      } catch (e) {
        throw new Error(`${e}\nlog:\n${lines.join("\n")}`);
      } finally {
        await target.close();
      }
    });
  });
}

liveTest("chromium", "remote: a Playwright browser server on 127.0.0.1", async () => {
  const server = await startChromiumServer();
  try {
    await withPage(async (url) => {
      const target = await launchBrowser("chromium", { endpoint: server.endpoint });
      try {
        assert.equal(target.remote, true);
        checkRecording(await target.run(url, RECORD_EXPRESSION));
      } finally {
        await target.close();
      }
    });
  } finally {
    await server.close();
  }
});

liveTest("chromium", "remote: a CDP endpoint on 127.0.0.1", async () => {
  const server = await startChromiumCdpServer();
  try {
    assert.match(server.endpoint, /^ws:\/\/127\.0\.0\.1:\d+\/devtools\/browser\//);
    await withPage(async (url) => {
      const target = await launchBrowser("chromium", { endpoint: server.endpoint });
      try {
        assert.equal(target.remote, true);
        checkRecording(await target.run(url, RECORD_EXPRESSION));
      } finally {
        await target.close();
      }
    });
  } finally {
    await server.close();
  }
});

liveTest("firefox", "remote: a WebDriver BiDi endpoint on 127.0.0.1", async () => {
  const server = await startFirefoxServer();
  try {
    await withPage(async (url) => {
      const target = await launchBrowser("firefox", { endpoint: server.endpoint });
      try {
        assert.equal(target.remote, true);
        checkRecording(await target.run(url, RECORD_EXPRESSION));
      } finally {
        await target.close();
      }
      // The session was ended, so a second client can connect.
      const again = await launchBrowser("firefox", { endpoint: server.endpoint });
      try {
        assert.equal(await again.run(url, "Promise.resolve(document.title)"), "drivers");
      } finally {
        await again.close();
      }
    });
  } finally {
    await server.close();
  }
});
