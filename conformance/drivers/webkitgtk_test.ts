/**
 * Live tests of the WebKitGTK driver: an A+V recording of the mock camera and microphone with
 * `start(1000)`, locally and through the remote path (a WebKitWebDriver on 127.0.0.1), plus a
 * page error and timeout recovery through `makeTarget`.
 *
 * WebKitGTK is optional, in CI too: when MiniBrowser, WebKitWebDriver or Xvfb is absent these
 * tests are skipped with the reason and the install command, also under `CI=true`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { type Engine, makeTarget, RunTimeoutError } from "./common.ts";
import { serveStatic } from "./server.ts";
import {
  connectWebKitGtkSession,
  launchWebKitGtkSession,
  startWebKitGtkServer,
  WEBKITGTK_INSTALL_HINT,
  webkitGtkAvailable,
} from "./webkitgtk.ts";

const present = webkitGtkAvailable();
if (!present) {
  console.warn(
    "skipping the webkitgtk tests: no MiniBrowser/WebKitWebDriver/Xvfb; install: " +
      WEBKITGTK_INSTALL_HINT,
  );
}

/** Records the mock camera and microphone with `start(1000)` for about 2.5 s. */
const RECORD_EXPRESSION = `(async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const t0 = performance.now();
  const events = [];
  const recorder = new MediaRecorder(stream);
  const mimeTypeAfterConstructor = recorder.mimeType;
  let mimeTypeAtStart = null;
  for (const type of ["start", "dataavailable", "pause", "resume", "stop", "error"]) {
    recorder.addEventListener(type, (e) => {
      if (type === "start") mimeTypeAtStart = recorder.mimeType;
      events.push({
        type,
        t: Math.round(performance.now() - t0),
        ...(type === "dataavailable" ? { size: e.data.size, blobType: e.data.type, timecode: e.timecode } : {}),
        ...(type === "error" ? { error: e.error && e.error.name } : {}),
      });
    });
  }
  const stopped = new Promise((resolve) => recorder.addEventListener("stop", resolve));
  recorder.start(1000);
  await new Promise((resolve) => setTimeout(resolve, 2500));
  recorder.stop();
  await stopped;
  const tracks = stream.getTracks().map((t) => ({ kind: t.kind, label: t.label, settings: t.getSettings() }));
  stream.getTracks().forEach((t) => t.stop());
  return JSON.stringify({
    mimeTypeAfterConstructor,
    mimeTypeAtStart,
    videoBitsPerSecond: recorder.videoBitsPerSecond,
    audioBitsPerSecond: recorder.audioBitsPerSecond,
    events,
    tracks,
  });
})()`;

interface RecordResult {
  mimeTypeAtStart: string | null;
  events: { type: string; t: number; size?: number }[];
  tracks: { kind: string; label: string; settings: Record<string, unknown> }[];
}

function checkRecording(json: string): RecordResult {
  const r = JSON.parse(json) as RecordResult;
  const types = r.events.map((e) => e.type);
  assert.equal(types[0], "start", json);
  assert.equal(types.at(-1), "stop", json);
  assert(!types.includes("error"), json);
  const sizes = r.events.filter((e) => e.type === "dataavailable").map((e) => e.size ?? 0);
  assert(
    sizes.filter((s) => s > 0).length >= 2,
    `want >= 2 non-empty chunks (0-byte chunks: is the autovideoflip stand-in loaded?): ${json}`,
  );
  assert.match(r.mimeTypeAtStart ?? "", /^video\/mp4/, json);
  assert(r.tracks.some((t) => t.kind === "video"), json);
  assert(r.tracks.some((t) => t.kind === "audio"), json);
  return r;
}

async function withPage<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const root = await Deno.makeTempDir({ prefix: "recsim-webkitgtk-test-" });
  await Deno.writeTextFile(`${root}/index.html`, "<!doctype html><title>drivers</title>\n");
  const server = await serveStatic(root);
  try {
    return await fn(`${server.origin}/index.html`);
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
}

function collector(): { log: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

function liveTest(name: string, fn: () => Promise<void>): void {
  Deno.test({
    name: `webkitgtk: ${name}`,
    ignore: !present,
    sanitizeResources: false,
    sanitizeOps: false,
    fn,
  });
}

liveTest("local launch records the mock camera and microphone with start(1000)", async () => {
  const { log, lines } = collector();
  await withPage(async (url) => {
    const session = await launchWebKitGtkSession(log);
    try {
      assert.match(session.fullVersion, /^\d+\.\d+\.\d+/);
      assert(session.alive());
      const r = checkRecording(await session.runOnce(url, RECORD_EXPRESSION, 30_000));
      console.log(JSON.stringify({ version: session.fullVersion, ...r }));
    } catch (e) {
      throw new Error(`${e}\nlog:\n${lines.join("\n")}`);
    } finally {
      await session.close();
    }
    assert(!session.alive());
  });
});

liveTest("page errors reject, a timed-out run rejects and the next run works", async () => {
  const { log, lines } = collector();
  await withPage(async (url) => {
    const target = await makeTarget(
      "webkitgtk" as unknown as Engine,
      false,
      () => launchWebKitGtkSession(log),
      log,
    );
    try {
      assert.equal(target.version, target.fullVersion.split(".")[0]);
      await assert.rejects(
        () => target.run(url, `Promise.reject(new Error("nope"))`),
        /page: .*nope/,
      );
      await assert.rejects(() => target.run(url, "Promise.resolve(42)"), /string/);
      assert.equal(
        await target.run(url, `(console.error("seen"), Promise.resolve(document.title))`),
        "drivers",
      );
      assert(lines.some((l) => l.includes("[webkitgtk console.error] seen")), lines.join("\n"));
      await assert.rejects(
        () => target.run(url, "new Promise(() => {})", { timeoutMs: 1500 }),
        RunTimeoutError,
      );
      assert.equal(await target.run(url, "Promise.resolve(document.title)"), "drivers");
    } finally {
      await target.close();
    }
  });
});

liveTest("remote: a WebKitWebDriver endpoint on 127.0.0.1", async () => {
  const { log, lines } = collector();
  const server = await startWebKitGtkServer(log);
  try {
    await withPage(async (url) => {
      const session = await connectWebKitGtkSession(server.endpoint, log);
      try {
        checkRecording(await session.runOnce(url, RECORD_EXPRESSION, 30_000));
      } catch (e) {
        throw new Error(`${e}\nlog:\n${lines.join("\n")}`);
      } finally {
        await session.close();
      }
      // Closing the remote session leaves the server running: a second session works.
      assert(server.running());
      const again = await connectWebKitGtkSession(server.endpoint, log);
      try {
        assert.equal(
          await again.runOnce(url, "Promise.resolve(document.title)", 10_000),
          "drivers",
        );
      } finally {
        await again.close();
      }
    });
  } finally {
    await server.close();
  }
  assert(!server.running());
});
