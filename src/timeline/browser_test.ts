// A real browser as the independent check (issue 9, decisions 25–26): record short scenes
// with the libav.js encoder, write the page, serve it on 127.0.0.1 and let headless
// Chromium play the recording: no media error, played to `ended`, the duration (read
// after `ended`: live WebM has none before) within one frame of the recorded media, and
// every recorded video frame decoded. Skipped (with the install command) when Chromium is
// missing, and a failure under CI=true.
import assert from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";
import { createLibavEncoder } from "../encoding/libav/mod.ts";
import { recordScene } from "../scene.ts";
import type { TraceEntry } from "../trace.ts";
import { createUserAgent } from "../user_agent.ts";
import { writeTimelineAndPage } from "../cli/timeline.ts";

const INSTALL = "apt-get install -y chromium";

// What the page-side functions (run by page.evaluate in Chromium) use of the DOM; this
// module is type-checked without the DOM library.
interface MediaElement {
  readonly error: { code: number; message: string } | null;
  readonly readyState: number;
  readonly duration: number;
  readonly currentTime: number;
  readonly seeking: boolean;
  muted: boolean;
  play(): Promise<void>;
  addEventListener(type: string, listener: () => void, options?: { once: boolean }): void;
  getVideoPlaybackQuality?(): { totalVideoFrames: number; droppedVideoFrames: number };
}
declare const document: {
  getElementById(id: string): unknown;
  body: { dataset: Record<string, string | undefined> };
};

/**
 * `$RECSIM_CHROMIUM` when set (another Chromium build; a missing path counts as absent),
 * else `/usr/bin/chromium`, else `chromium` or `chromium-browser` on PATH, else null.
 */
function findChromium(): string | null {
  const override = Deno.env.get("RECSIM_CHROMIUM");
  const candidates = override ? [override] : ["/usr/bin/chromium"];
  for (const dir of override ? [] : (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir) candidates.push(`${dir}/chromium`, `${dir}/chromium-browser`);
  }
  for (const path of candidates) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not there
    }
  }
  return null;
}

interface Recorded {
  name: string;
  bytes: Uint8Array;
  mimeType: string;
  entries: TraceEntry[];
}

/** End of the recorded media (ms): the last media time any chunk holds. */
function mediaEnd(entries: readonly TraceEntry[]): number {
  let end = 0;
  for (const e of entries) if (e.kind === "chunk" && e.media) end = Math.max(end, e.media[1]);
  return end;
}

/** Video frames in the file (recorded or black), from the trace's frames entries. */
function videoFramesRecorded(entries: readonly TraceEntry[]): number {
  let n = 0;
  for (const e of entries) {
    if (e.kind !== "frames" || !e.track.startsWith("video")) continue;
    for (const [a, b, state] of e.runs) if (state === "recorded" || state === "black") n += b - a;
  }
  return n;
}

/** Serves `root` on 127.0.0.1 (a random port), with byte ranges as a browser expects. */
function serve(root: string): Deno.HttpServer<Deno.NetAddr> {
  const types: Record<string, string> = {
    html: "text/html; charset=utf-8",
    svg: "image/svg+xml",
    webm: "video/webm",
    ogg: "audio/ogg",
  };
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    if (path.includes("..")) return new Response("bad path", { status: 400 });
    let data: Uint8Array<ArrayBuffer>;
    try {
      data = await Deno.readFile(`${root}${path}`);
    } catch {
      return new Response("not found", { status: 404 });
    }
    const headers: Record<string, string> = {
      "content-type": types[path.slice(path.lastIndexOf(".") + 1)] ?? "application/octet-stream",
      "accept-ranges": "bytes",
      "cache-control": "no-store",
    };
    const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.get("range") ?? "");
    if (m && (m[1] || m[2])) {
      const start = m[1] ? Number(m[1]) : Math.max(0, data.length - Number(m[2]));
      const end = m[1] && m[2] ? Math.min(Number(m[2]), data.length - 1) : data.length - 1;
      if (start > end) {
        return new Response(null, {
          status: 416,
          headers: { "content-range": `bytes */${data.length}` },
        });
      }
      return new Response(data.slice(start, end + 1), {
        status: 206,
        headers: { ...headers, "content-range": `bytes ${start}-${end}/${data.length}` },
      });
    }
    return new Response(data, { headers });
  });
}

/** 2 s of 320×240@30 VP8 + Opus, paused from 0.8 s to 1.3 s (1.5 s of media). */
async function recordWithPause(encoder: ReturnType<typeof createLibavEncoder>): Promise<Recorded> {
  const ua = createUserAgent({ seed: 7, encoders: [encoder] });
  try {
    const stream = new ua.MediaStream([
      ua.createVideoTrack({ width: 320, height: 240, frameRate: 30 }),
      ua.createAudioTrack({ channelCount: 2 }),
    ]);
    const rec = new ua.MediaRecorder(stream, { mimeType: "video/webm" });
    const parts: Promise<ArrayBuffer>[] = [];
    let mimeType = "";
    rec.onstart = () => (mimeType = rec.mimeType);
    rec.ondataavailable = (e) => parts.push(e.data.arrayBuffer());
    rec.start(500);
    await ua.clock.advance(800);
    rec.pause();
    await ua.clock.advance(500);
    rec.resume();
    await ua.clock.advance(700);
    rec.stop();
    await ua.clock.settle();
    const bytes = new Uint8Array(await new Blob(await Promise.all(parts)).arrayBuffer());
    return { name: "pause-resume", bytes, mimeType, entries: [...ua.trace.entries] };
  } finally {
    ua.close();
  }
}

interface Played {
  state: string;
  error: string | null;
  duration: number;
  totalVideoFrames: number | null;
  droppedVideoFrames: number | null;
  durationBeforeEnd: number;
}

/** Opens the page, plays the recording to its end (or an error) and reports. */
async function play(browser: Browser, url: string, timeoutMs: number) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  const played: Played = await page.evaluate(async (timeout: number) => {
    const player = document.getElementById("player") as MediaElement;
    const until = (events: string[]) =>
      new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve("timeout"), timeout);
        for (const type of events) {
          player.addEventListener(type, () => {
            clearTimeout(timer);
            resolve(type);
          }, { once: true });
        }
      });
    if (player.error === null && player.readyState < 1) await until(["loadedmetadata", "error"]);
    const durationBeforeEnd = player.duration;
    let state = player.error ? "error" : "ready";
    if (!player.error) {
      player.muted = true;
      const ended = until(["ended", "error"]);
      await player.play().catch(() => {});
      state = await ended;
    }
    const q = player.getVideoPlaybackQuality ? player.getVideoPlaybackQuality() : null;
    return {
      state,
      error: player.error ? `${player.error.code} ${player.error.message}` : null,
      duration: player.duration,
      totalVideoFrames: q ? q.totalVideoFrames : null,
      droppedVideoFrames: q ? q.droppedVideoFrames : null,
      durationBeforeEnd,
    };
  }, timeoutMs);
  return { page, played, errors };
}

const CHROMIUM = findChromium();
const CI = Deno.env.get("CI") === "true";
const MISSING = `chromium not found (${
  Deno.env.get("RECSIM_CHROMIUM")
    ? `RECSIM_CHROMIUM=${Deno.env.get("RECSIM_CHROMIUM")}`
    : "/usr/bin/chromium or on PATH"
}); install it with: ${INSTALL}`;
if (CHROMIUM === null && !CI) console.warn(`browser test skipped: ${MISSING}`);

Deno.test({
  name: "chromium plays the recordings the page shows",
  // Decision 26: skipped with the reason when Chromium is absent, but never under CI=true.
  ignore: CHROMIUM === null && !CI,
}, async (t) => {
  if (CHROMIUM === null) throw new Error(`CI=true: ${MISSING}`);
  const exe = CHROMIUM;
  const encoder = createLibavEncoder();
  const video = { width: 320, height: 240, frameRate: 30 };
  const audio = { sampleRate: 48000, channelCount: 2, frequency: 440 };
  const scene = async (
    name: string,
    options: { timeslice: number; mimeType: string; video: typeof video | null },
  ): Promise<Recorded> => {
    const r = await recordScene({ durationMs: 2000, audio, encoders: [encoder], ...options });
    return { name, bytes: r.recording, mimeType: r.mimeType, entries: [...r.trace.entries] };
  };
  const root = await Deno.makeTempDir({ prefix: "recsim-browser-" });
  const server = serve(root);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: exe,
      // Playwright gives each launch a fresh temporary user-data-dir (it rejects one in args).
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--autoplay-policy=no-user-gesture-required",
      ],
      timeout: 30_000,
    });
    const check = async (
      rec: Recorded,
      extra?: (page: Page) => Promise<void>,
    ) => {
      const dir = `${root}/${rec.name}`;
      const ext = rec.mimeType.startsWith("audio/ogg") ? "ogg" : "webm";
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeFile(`${dir}/recording.${ext}`, rec.bytes);
      await writeTimelineAndPage(dir, rec.entries, {
        mimeType: rec.mimeType,
        recordingFileName: `recording.${ext}`,
      });
      const expectedMs = mediaEnd(rec.entries);
      const url = `http://127.0.0.1:${server.addr.port}/${rec.name}/index.html`;
      const { page, played, errors } = await play(browser!, url, expectedMs * 4 + 10_000);
      try {
        const what = `${rec.name} (${rec.mimeType}): ${JSON.stringify(played)}`;
        console.log(
          `  ${rec.name}: ${played.state}, duration ${played.duration} s (before the end ${played.durationBeforeEnd}), recorded ${expectedMs} ms; video frames ${played.totalVideoFrames} decoded (${played.droppedVideoFrames} dropped), ${
            videoFramesRecorded(rec.entries)
          } recorded`,
        );
        assert.equal(played.error, null, what);
        assert.equal(played.state, "ended", what);
        assert.deepEqual(errors, [], `page errors: ${errors.join("; ")}`);
        const audioOnly = rec.mimeType.startsWith("audio/");
        const frameMs = audioOnly ? 20 : 1000 / 30;
        assert.ok(
          Math.abs(played.duration * 1000 - expectedMs) <= frameMs,
          `${what}: duration ${played.duration * 1000} ms, recorded ${expectedMs} ms (±${frameMs})`,
        );
        if (!audioOnly) {
          assert.equal(played.totalVideoFrames, videoFramesRecorded(rec.entries), what);
        }
        assert.equal(await page.evaluate(() => document.body.dataset.player), "ended");
        await extra?.(page);
      } finally {
        await page.close();
      }
    };

    await t.step("VP8+Opus WebM, 2 s, timeslice 1000 (screenshot out/index.png)", async () => {
      const rec = await scene("default", { timeslice: 1000, mimeType: "video/webm", video });
      await check(rec, async (page) => {
        // Clicking a chunk row seeks the player to the chunk's media time.
        const start = await page.getAttribute('#chunks tr[data-index="1"]', "data-media-start");
        await page.click('#chunks tr[data-index="1"]');
        await page.waitForFunction(
          (s: number) => {
            const p = document.getElementById("player") as MediaElement;
            return Math.abs(p.currentTime - s) < 0.002 && !p.seeking;
          },
          Number(start),
          { timeout: 5000 },
        );
        assert.match(await page.textContent("#status") ?? "", /chunk 1: seeked to 1\.000 s/);
        const out = new URL("../../out/", import.meta.url).pathname;
        await Deno.mkdir(out, { recursive: true });
        await page.screenshot({ path: `${out}index.png`, fullPage: true });
      });
    });
    await t.step("VP8+Opus WebM with pause/resume", async () => {
      const rec = await recordWithPause(encoder);
      assert.equal(mediaEnd(rec.entries), 1500);
      await check(rec);
    });
    await t.step("VP8+Opus WebM cut into 10 ms chunks", async () => {
      const rec = await scene("timeslice-10", { timeslice: 10, mimeType: "video/webm", video });
      assert.ok(rec.entries.filter((e) => e.kind === "chunk").length > 100);
      await check(rec);
    });
    await t.step("audio-only Ogg Opus", async () => {
      await check(await scene("ogg-opus", { timeslice: 1000, mimeType: "audio/ogg", video: null }));
    });
    await t.step("audio-only WebM Opus", async () => {
      await check(
        await scene("webm-opus", { timeslice: 1000, mimeType: "audio/webm", video: null }),
      );
    });
  } finally {
    await browser?.close();
    await server.shutdown();
    await Deno.remove(root, { recursive: true });
  }
});
