/**
 * Cold start.
 *
 * - In a fresh process (module caching defeats an in-process measurement): `deno run` of
 *   `run_scenario.ts` doing nothing (the baseline: the runtime's own start), importing the
 *   core (`mod.ts`), and importing libav.js and creating an instance (`createLibAV()`).
 *   deno bench times the whole process; the cost of the import itself (measured inside
 *   the child with `performance.now()`) is printed after the table.
 * - In process: `createLibAV()` (a fresh instance each iteration; the module and the
 *   compiled WebAssembly are cached after the first), and the same plus opening the
 *   encoders of the default scene (what the first `start()` of a new provider pays).
 *
 * Run: `deno task bench` (or `deno bench -A bench/cold_start_bench.ts`).
 *
 * @module
 */
import { openAudioEncoder, openVideoEncoder } from "../src/encoding/libav/codecs.ts";
import { createLibAV } from "../src/encoding/libav/load.ts";
import { fmt, median, table } from "./_scenarios.ts";

const ROOT = new URL("../", import.meta.url);
const SCRIPT = new URL("bench/run_scenario.ts", ROOT).pathname;
const CONFIG = new URL("deno.json", ROOT).pathname;

/** Runs `run_scenario.ts <mode>` in a fresh `deno` process and returns its JSON line. */
async function child(mode: string): Promise<Record<string, number>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, SCRIPT, mode],
    cwd: new URL(".", ROOT).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`run_scenario ${mode} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

const PROCESS = "cold start, fresh process (deno run)";
const inner = new Map<string, Record<string, number>[]>();

for (
  const [name, mode] of [
    ["runtime only (empty script)", "empty"],
    ['import("../mod.ts")', "import-core"],
    ["import libav.js + createLibAV()", "cold-libav"],
  ] as const
) {
  const figures: Record<string, number>[] = [];
  inner.set(name, figures);
  Deno.bench({
    name,
    group: PROCESS,
    baseline: mode === "empty",
    n: 10,
    warmup: 2,
    async fn() {
      figures.push(await child(mode));
    },
  });
}

const IN_PROCESS = "libav.js instance, in process (module cached)";
Deno.bench({
  name: "createLibAV()",
  group: IN_PROCESS,
  baseline: true,
  n: 10,
  warmup: 2,
  async fn() {
    await createLibAV({ logLevel: -8 });
  },
});

Deno.bench({
  name: "createLibAV() + open VP8 640×480 and Opus encoders",
  group: IN_PROCESS,
  n: 10,
  warmup: 2,
  async fn() {
    const libav = await createLibAV({ logLevel: -8 });
    const video = await openVideoEncoder(libav, {
      codec: "vp8",
      width: 640,
      height: 480,
      frameRate: 30,
      bitrate: 2_500_000,
    });
    const audio = await openAudioEncoder(libav, {
      codec: "opus",
      sampleRate: 48000,
      channels: 2,
      bitrate: 128_000,
      mode: "variable",
    });
    await video.close();
    await audio.close();
  },
});

globalThis.addEventListener("unload", () => {
  const at = (runs: Record<string, number>[], key: string) =>
    runs.some((r) => typeof r[key] === "number")
      ? `${fmt(median(runs.map((r) => r[key]!)), 1)} ms`
      : "";
  const rows = [...inner].filter(([, runs]) => runs.length > 0).map(([name, runs]) => [
    name,
    at(runs, "ms"),
    at(runs, "importMs"),
    at(runs, "instantiateMs"),
    at(runs, "sinceProcessStartMs"),
  ]);
  if (rows.length === 0) return;
  console.log("\ninside the fresh process (performance.now() around the work), medians:");
  console.log(
    table(["work", "time", "import", "createLibAV()", "since the runtime started"], rows),
  );
  console.log("goal: libav.js cold start (import + createLibAV()) ≤ 120 ms");
});
