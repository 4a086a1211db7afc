/**
 * Measures the drivers (launch time, per-`run` overhead, fake-device settings) and writes the
 * fake devices' settings to `devices.json` next to this file.
 *
 * ```sh
 * deno run -A conformance/drivers/measure.ts [--launches=3] [--runs=10] [--no-write] [--no-remote]
 * ```
 *
 * @module
 */

import {
  browserAvailable,
  type Engine,
  launchBrowser,
  serveStatic,
  startChromiumServer,
  startFirefoxServer,
} from "./mod.ts";

/** Summary statistics of a list of durations in ms. */
export interface Stats {
  /** Number of samples. */
  n: number;
  /** Smallest sample. */
  min: number;
  /** Median sample. */
  median: number;
  /** Largest sample. */
  max: number;
}

/** Summarizes `samples` (ms), rounded to whole ms. */
export function stats(samples: readonly number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return {
    n: s.length,
    min: Math.round(s[0] ?? NaN),
    median: Math.round(mid),
    max: Math.round(s[s.length - 1] ?? NaN),
  };
}

/** Reads the fake devices' settings, WebAudio's defaults, and when the first chunk came. */
export const DEVICES_EXPRESSION = `(async () => {
  const strip = (s) => { const o = { ...s }; delete o.deviceId; delete o.groupId; return o; };
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const [video] = stream.getVideoTracks();
  const [audio] = stream.getAudioTracks();
  const t0 = performance.now();
  const chunks = [];
  const recorder = new MediaRecorder(stream);
  recorder.ondataavailable = (e) => chunks.push([Math.round(performance.now() - t0), e.data.size]);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  recorder.start(100);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  recorder.stop();
  await stopped;
  const stopMs = Math.round(performance.now() - t0);
  const ac = new AudioContext();
  const webAudio = {
    sampleRate: ac.sampleRate,
    maxChannelCount: ac.destination.maxChannelCount,
    baseLatency: ac.baseLatency,
  };
  await ac.close();
  const result = {
    video: { label: video.label, ...strip(video.getSettings()) },
    audio: { label: audio.label, ...strip(audio.getSettings()) },
    webAudio,
    recording: { mimeType: recorder.mimeType, timesliceMs: 100, stopAtMs: 1000, stopMs, chunks },
  };
  stream.getTracks().forEach((t) => t.stop());
  return JSON.stringify(result);
})()`;

function arg(name: string, fallback: number): number {
  const a = Deno.args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
}

async function measure(engine: Engine, url: string, launches: number, runs: number) {
  const launch: number[] = [];
  const close: number[] = [];
  for (let i = 0; i < launches; i++) {
    let t = performance.now();
    const target = await launchBrowser(engine);
    launch.push(performance.now() - t);
    t = performance.now();
    await target.close();
    close.push(performance.now() - t);
  }
  const target = await launchBrowser(engine, { log: (l) => console.error(l) });
  try {
    const trivial: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await target.run(url, "Promise.resolve(document.title)");
      trivial.push(performance.now() - t);
    }
    const devices: unknown[] = [];
    const gum: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      devices.push(JSON.parse(await target.run(url, DEVICES_EXPRESSION)));
      gum.push(performance.now() - t);
    }
    return {
      fullVersion: target.fullVersion,
      launchMs: stats(launch),
      closeMs: stats(close),
      trivialRunMs: stats(trivial),
      deviceRunMs: stats(gum),
      devices,
      remote: Deno.args.includes("--no-remote")
        ? undefined
        : await measureRemote(engine, url, runs),
    };
  } finally {
    await target.close();
  }
}

/** Connect time and per-run overhead through a local browser server (the remote path). */
async function measureRemote(engine: Engine, url: string, runs: number) {
  const server = engine === "chromium" ? await startChromiumServer() : await startFirefoxServer();
  try {
    const connect: number[] = [];
    const trivial: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const target = await launchBrowser(engine, { endpoint: server.endpoint });
      connect.push(performance.now() - t);
      try {
        for (let j = 0; j < (i === 2 ? runs : 0); j++) {
          const t = performance.now();
          await target.run(url, "Promise.resolve(document.title)");
          trivial.push(performance.now() - t);
        }
      } finally {
        await target.close();
      }
    }
    return {
      endpoint: server.endpoint,
      connectMs: connect.map(Math.round),
      trivialRunMs: stats(trivial),
    };
  } finally {
    await server.close();
  }
}

if (import.meta.main) {
  const launches = arg("launches", 3);
  const runs = arg("runs", 10);
  const root = await Deno.makeTempDir({ prefix: "recsim-measure-" });
  await Deno.writeTextFile(`${root}/index.html`, "<!doctype html><title>measure</title>\n");
  const server = await serveStatic(root);
  const out: Record<string, unknown> = {};
  const report: Record<string, unknown> = { loadavg: Deno.loadavg() };
  try {
    for (const engine of ["chromium", "firefox"] as const) {
      if (!browserAvailable(engine)) continue;
      const m = await measure(engine, `${server.origin}/index.html`, launches, runs);
      const first = m.devices[0] as { video: unknown; audio: unknown; webAudio: unknown };
      out[engine] = {
        version: m.fullVersion,
        video: first.video,
        audio: first.audio,
        webAudio: first.webAudio,
      };
      report[engine] = m;
    }
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
  report.loadavgAfter = Deno.loadavg();
  console.log(JSON.stringify(report, null, 2));
  if (!Deno.args.includes("--no-write")) {
    const path = new URL("./devices.json", import.meta.url);
    await Deno.writeTextFile(path, JSON.stringify(out, null, 2) + "\n");
    console.error(`wrote ${path.pathname}`);
  }
}
