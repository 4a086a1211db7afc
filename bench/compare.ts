/**
 * `deno task bench:compare`: recsim's libav.js encoder against native ffmpeg on the same
 * raw frames, and peak memory of long recordings.
 *
 * 1. Renders the frames of each scene once (I420 from `renderVideoFrame`, f32le stereo from
 *    `renderAudio`, with the seeds recsim's virtual tracks use) into a temporary directory.
 * 2. Checks that the recorder and a bare libav.js loop give the same packets.
 * 3. Interleaved, in one process run, round after round (median of the rounds): native
 *    `ffmpeg` with `-threads 1` and with its default threads (libvpx at recsim's settings:
 *    `-deadline realtime`, VP8 `-cpu-used -12` (recsim's VP8 speed) / VP9 `-cpu-used 8 -row-mt 0`, no look-ahead,
 *    no alt-ref, a key frame every 60 frames, 2.5 Mbit/s; libopus 128 kbit/s VBR, 20 ms)
 *    reading the raw files; recsim's recorder with `createLibavEncoder()`; and the bare
 *    libav.js loop. Skipped, with a note, when `ffmpeg` is not installed.
 * 4. Peak RSS, each in a fresh process, with a consumer that drops the chunks: the Deno
 *    runtime alone; 10 min and 1 h of synthetic A/V (`video/webm`) and 1 h of synthetic
 *    `audio/ogg` at timeslice 100; a real (libav.js VP8 + Opus) recording. The Ogg and real
 *    ones also with the driving loop yielding a macrotask per step (see `measureMemory`).
 *
 * Flags: `--quick` (2 rounds, VP8 2 s, VP9 0.5 s, real memory 10 s), `--rounds N`,
 * `--real-seconds N` (length of the real recording for memory, default 60; 600 is the
 * issue's 10 minutes, about 10 minutes of wall time per run here), `--no-memory`,
 * `--no-encode`. Default: 4 rounds.
 *
 * Timing: recsim's figures run from `start()` to the `stop` event and include rendering the
 * frames (the virtual camera renders them; printed separately); ffmpeg's are its own
 * `-benchmark` real time for the transcode (process start-up excluded; the whole process's
 * wall time is shown too).
 *
 * @module
 */
import {
  AUDIO_BITS_PER_SECOND,
  bareLibAV,
  bareLoop,
  benchProvider,
  checkSameOutput,
  KEY_FRAME_INTERVAL_MS,
  type RealScene,
  recordReal,
  sceneAudio,
  sceneVideoFrame,
  VIDEO_BITS_PER_SECOND,
  videoFrameCount,
  VP8_SCENE,
  VP9_SCENE,
  withDuration,
} from "./_real_scenarios.ts";
import { fmt, HOUR_MS, median, table } from "./_scenarios.ts";

const ROOT = new URL("../", import.meta.url);
const RUN_SCENARIO = new URL("bench/run_scenario.ts", ROOT).pathname;
const CONFIG = new URL("deno.json", ROOT).pathname;

// ---------------------------------------------------------------------------------------
// Raw frames

/** Where a scene's raw frames were written. */
export interface RawFiles {
  /** I420 frames, concatenated. */
  video: string;
  /** Interleaved stereo f32le at 48 kHz. */
  audio: string;
  /** Wall ms spent rendering the frames with recsim's pattern generators. */
  renderMs: number;
}

/** Renders a scene's frames once and writes them to `dir`. */
export async function writeRawFrames(scene: RealScene, dir: string): Promise<RawFiles> {
  const video = `${dir}/video-${scene.width}x${scene.height}.yuv`;
  const audio = `${dir}/audio-48k-stereo.f32`;
  let renderMs = 0;
  const file = await Deno.open(video, { write: true, create: true, truncate: true });
  try {
    for (let i = 0; i < videoFrameCount(scene); i++) {
      const t = performance.now();
      const frame = sceneVideoFrame(scene, i);
      renderMs += performance.now() - t;
      for (let off = 0; off < frame.length;) off += await file.write(frame.subarray(off));
    }
  } finally {
    file.close();
  }
  const t = performance.now();
  const samples = sceneAudio(scene, 0, Math.ceil(scene.durationMs / 20));
  renderMs += performance.now() - t;
  await Deno.writeFile(
    audio,
    new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength),
  );
  return { video, audio, renderMs };
}

// ---------------------------------------------------------------------------------------
// Native ffmpeg

/** Whether `ffmpeg` runs; its version line, or null. */
export async function ffmpegVersion(): Promise<string | null> {
  try {
    const out = await new Deno.Command("ffmpeg", { args: ["-version"], stdout: "piped" }).output();
    if (!out.success) return null;
    return new TextDecoder().decode(out.stdout).split("\n")[0] ?? "ffmpeg";
  } catch {
    return null;
  }
}

/** The arguments of a native encode of `scene` from the raw files, matching recsim's settings. */
export function ffmpegArgs(
  scene: RealScene,
  files: RawFiles,
  threads: number | null,
  out: string,
  vp8Speed = -12,
): string[] {
  const seconds = String(scene.durationMs / 1000);
  const gop = String(Math.round((KEY_FRAME_INTERVAL_MS * scene.frameRate) / 1000));
  const video = scene.video === "vp9"
    ? ["-c:v", "libvpx-vp9", "-cpu-used", "8", "-row-mt", "0", "-frame-parallel", "0"]
    : ["-c:v", "libvpx", "-cpu-used", String(vp8Speed)];
  return [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-loglevel",
    "info",
    "-benchmark",
    "-y",
    ...["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", `${scene.width}x${scene.height}`],
    ...["-r", String(scene.frameRate), "-t", seconds, "-i", files.video],
    ...["-f", "f32le", "-ar", "48000", "-ac", "2", "-t", seconds, "-i", files.audio],
    ...["-map", "0:v", "-map", "1:a"],
    ...video,
    ...["-b:v", String(VIDEO_BITS_PER_SECOND), "-deadline", "realtime"],
    ...["-lag-in-frames", "0", "-auto-alt-ref", "0", "-error-resilient", "0"],
    ...["-g", gop, "-keyint_min", gop],
    ...["-c:a", "libopus", "-b:a", String(AUDIO_BITS_PER_SECOND), "-vbr", "on"],
    ...["-application", "audio", "-frame_duration", "20"],
    ...(threads === null ? [] : ["-threads", String(threads)]),
    ...["-f", "webm", out],
  ];
}

/** One native run. */
export interface NativeRun {
  /** ffmpeg's own `-benchmark` rtime, ms (the transcode, without process start-up). */
  encodeMs: number;
  /** The whole process, ms. */
  processMs: number;
  /** Output bytes. */
  bytes: number;
}

/** Runs ffmpeg once. */
export async function runNative(args: string[], out: string): Promise<NativeRun> {
  const t0 = performance.now();
  const result = await new Deno.Command("ffmpeg", { args, stdout: "null", stderr: "piped" })
    .output();
  const processMs = performance.now() - t0;
  const log = new TextDecoder().decode(result.stderr);
  if (!result.success) throw new Error(`ffmpeg failed:\n${log.slice(-2000)}`);
  const m = /bench: utime=[\d.]+s stime=[\d.]+s rtime=([\d.]+)s/.exec(log);
  const encodeMs = m ? Number(m[1]) * 1000 : processMs;
  return { encodeMs, processMs, bytes: (await Deno.stat(out)).size };
}

// ---------------------------------------------------------------------------------------
// Peak memory in a fresh process

/** `run_scenario.ts` in a fresh process; its JSON. */
export async function runScenarioProcess(args: string[]): Promise<Record<string, unknown>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, RUN_SCENARIO, ...args],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `run_scenario ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** One memory measurement. */
export interface MemoryRow {
  /** What was recorded. */
  label: string;
  /** Peak RSS (VmHWM), bytes. */
  peak: number;
  /** Wall ms of the recording. */
  ms: number;
  /** Chunks delivered. */
  chunks: number;
}

/**
 * Peak RSS of the runtime alone, of synthetic recordings (10 min and 1 h of `video/webm`,
 * 1 h of `audio/ogg`) and of a real one, each with chunks dropped. The Ogg and real ones
 * run twice: as a plain `await clock.advance()` loop, and with the loop letting the event
 * loop run a macrotask after each step (Deno frees the bytes of a dropped Blob from a
 * FinalizationRegistry callback, which only a macrotask turn runs).
 */
export async function measureMemory(realSeconds: number | null): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  const add = async (label: string, args: string[]) => {
    const r = await runScenarioProcess(args);
    rows.push({
      label,
      peak: r.peakRssBytes as number,
      ms: (r.wallMs as number | undefined) ?? (r.ms as number),
      chunks: (r.chunks as number | undefined) ?? 0,
    });
  };
  const synthetic = (duration: number, mime: string) => [
    "synthetic",
    "--duration",
    String(duration),
    "--timeslice",
    "100",
    "--mime",
    mime,
  ];
  const YIELD = " (+ a macrotask per step)";
  await add("Deno runtime alone (empty script)", ["empty"]);
  await add("synthetic video/webm A/V, 10 min", synthetic(HOUR_MS / 6, "video/webm"));
  await add("synthetic video/webm A/V, 1 h", synthetic(HOUR_MS, "video/webm"));
  await add("synthetic audio/ogg, 1 h", synthetic(HOUR_MS, "audio/ogg"));
  await add(`synthetic audio/ogg, 1 h${YIELD}`, [...synthetic(HOUR_MS, "audio/ogg"), "--yield"]);
  if (realSeconds !== null) {
    const real = ["real", "--codec", "vp8", "--duration", String(realSeconds * 1000)];
    const label = `real VP8 640×480@30 + Opus, ${fmt(realSeconds)} s, timeslice 1000`;
    await add(label, real);
    await add(`${label}${YIELD}`, [...real, "--yield"]);
  }
  return rows;
}

/** Prints the memory table. */
export function memoryTable(rows: MemoryRow[]): string {
  const base = rows[0]?.peak ?? 0;
  return table(
    [
      "recording, chunks dropped, timeslice 100 unless said (fresh process)",
      "peak RSS (VmHWM)",
      "above runtime alone",
      "wall",
      "chunks",
    ],
    rows.map((r, i) => [
      r.label,
      `${fmt(r.peak / 2 ** 20, 1)} MiB (${fmt(r.peak / 1e6, 1)} MB)`,
      i === 0 ? "" : `${fmt((r.peak - base) / 2 ** 20, 1)} MiB`,
      i === 0 ? "" : `${fmt(r.ms / 1000, 2)} s`,
      i === 0 ? "" : fmt(r.chunks),
    ]),
  );
}

// ---------------------------------------------------------------------------------------
// The encode comparison

/** Median figures of one runner on one scene. */
export interface EncodeRow {
  /** The scene. */
  scene: RealScene;
  /** The runner. */
  runner: string;
  /** Median encode ms. */
  ms: number;
  /** Every round's ms. */
  all: number[];
  /** Every round's main-thread CPU ms (in-process runners on Linux; empty otherwise). */
  cpu: number[];
  /** Median process ms (native only). */
  processMs?: number;
  /** Output bytes of the last round. */
  bytes: number;
}

/** The name of the reference row. */
export const NATIVE_1 = "ffmpeg -threads 1 (native)";
/** The name of the recorder's row. */
export const RECORDER = "recsim recorder + libav.js";
/** The name of the bare loop's row. */
export const BARE = "bare libav.js loop";

/** The runners of {@link compareScene}. */
export type RunnerId = "native-1" | "native-default" | "native-adaptive" | "recorder" | "bare";

/** What to run for one scene. */
interface Runner {
  name: string;
  run(): Promise<{ ms: number; cpuMs?: number | null; processMs?: number; bytes: number }>;
}

/** Runs the runners interleaved (A, B, C, … then again), `rounds` times. */
export async function compareScene(
  scene: RealScene,
  files: RawFiles | null,
  rounds: number,
  dir: string,
  only?: readonly RunnerId[],
): Promise<EncodeRow[]> {
  const wanted = (id: RunnerId) => only === undefined || only.includes(id);
  const provider = benchProvider("recsim-compare");
  const libav = await bareLibAV("recsim-compare");
  // Warms the shared instance and proves both sides encode the same frames the same way.
  await checkSameOutput(withDuration(scene, Math.min(scene.durationMs, 500)), provider, libav);
  const runners: Runner[] = [];
  const native = (name: string, threads: number | null, vp8Speed?: number) => {
    const out = `${dir}/native-${runners.length}.webm`;
    const args = ffmpegArgs(scene, files!, threads, out, vp8Speed);
    runners.push({
      name,
      async run() {
        const r = await runNative(args, out);
        return { ms: r.encodeMs, processMs: r.processMs, bytes: r.bytes };
      },
    });
  };
  if (files && wanted("native-1")) native(NATIVE_1, 1);
  if (wanted("recorder")) {
    runners.push({
      name: RECORDER,
      async run() {
        const r = await recordReal(scene, { provider });
        return { ms: r.wallMs, cpuMs: r.cpuMs, bytes: r.bytes };
      },
    });
  }
  if (files && wanted("native-default")) native("ffmpeg, default threads (native)", null);
  if (wanted("bare")) {
    runners.push({
      name: BARE,
      async run() {
        const r = await bareLoop(scene, libav);
        return { ms: r.wallMs, cpuMs: r.cpuMs, bytes: r.bytes };
      },
    });
  }
  if (files && scene.video === "vp8" && wanted("native-adaptive")) {
    native("ffmpeg -threads 1, -cpu-used 8 (adaptive speed)", 1, 8);
  }
  const results = runners.map(() => ({
    ms: [] as number[],
    cpu: [] as number[],
    proc: [] as number[],
    bytes: 0,
  }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, runner] of runners.entries()) {
      const r = await runner.run();
      results[i]!.ms.push(r.ms);
      if (typeof r.cpuMs === "number") results[i]!.cpu.push(r.cpuMs);
      if (r.processMs !== undefined) results[i]!.proc.push(r.processMs);
      results[i]!.bytes = r.bytes;
    }
    progress(`  ${scene.label}: round ${round + 1}/${rounds} done`);
  }
  return runners.map((runner, i) => {
    const r = results[i]!;
    const row: EncodeRow = {
      scene,
      runner: runner.name,
      ms: median(r.ms),
      all: r.ms,
      cpu: r.cpu,
      bytes: r.bytes,
    };
    if (r.proc.length > 0) row.processMs = median(r.proc);
    return row;
  });
}

/** Prints a progress line on stderr (overwritten by the next one on a terminal). */
export function progress(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(line + "\n"));
}

/**
 * The median over rounds of `a`'s time / `b`'s time in the same round (wall time, or
 * main-thread CPU time with `cpu`: NaN when either was not measured).
 */
export function pairedRatio(a: EncodeRow, b: EncodeRow, cpu = false): number {
  const x = cpu ? a.cpu : a.all;
  const y = cpu ? b.cpu : b.all;
  if (x.length === 0 || x.length !== y.length) return Number.NaN;
  return median(x.map((ms, i) => ms / y[i]!));
}

/** Prints the encode table of one scene. */
export function encodeTable(rows: EncodeRow[]): string {
  const reference = rows.find((r) => r.runner === NATIVE_1);
  return table(
    [
      "encoder",
      "median time",
      "range",
      "main-thread CPU",
      "fps",
      "× real time",
      "vs ffmpeg -threads 1",
      "bytes",
    ],
    rows.map((r) => {
      const frames = videoFrameCount(r.scene);
      const min = Math.min(...r.all);
      const max = Math.max(...r.all);
      const proc = r.processMs === undefined ? "" : ` (process ${fmt(r.processMs)} ms)`;
      return [
        r.runner,
        `${fmt(r.ms)} ms${proc}`,
        `${fmt(min)}–${fmt(max)} ms`,
        r.cpu.length > 0 ? `${fmt(median(r.cpu))} ms` : "",
        fmt((frames * 1000) / r.ms, 1),
        `${fmt(r.scene.durationMs / r.ms, 2)}×`,
        reference ? `${fmt(pairedRatio(r, reference), 2)}×` : "n/a",
        fmt(r.bytes),
      ];
    }),
  );
}

/** The system's 1, 5 and 15 minute load averages (Linux), or "n/a". */
export function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

// ---------------------------------------------------------------------------------------

interface Args {
  quick: boolean;
  rounds: number;
  realSeconds: number;
  memory: boolean;
  encode: boolean;
}

function parseArgs(argv: string[]): Args {
  const quick = argv.includes("--quick");
  const a: Args = {
    quick,
    rounds: quick ? 2 : 4,
    realSeconds: quick ? 10 : 60,
    memory: !argv.includes("--no-memory"),
    encode: !argv.includes("--no-encode"),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--rounds") a.rounds = Math.max(1, Number(argv[++i]));
    else if (flag === "--real-seconds") a.realSeconds = Math.max(1, Number(argv[++i]));
    else if (!["--quick", "--no-memory", "--no-encode"].includes(flag)) {
      throw new TypeError(
        `unknown flag ${flag} (--quick, --rounds N, --real-seconds N, --no-memory, --no-encode)`,
      );
    }
  }
  if (!Number.isFinite(a.rounds) || !Number.isFinite(a.realSeconds)) {
    throw new TypeError("--rounds and --real-seconds take numbers");
  }
  return a;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const started = performance.now();
  console.log(
    `recsim bench:compare: ${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}, ` +
      `load average ${loadAverage()}${args.quick ? ", --quick" : ""}`,
  );
  if (args.encode) {
    const version = await ffmpegVersion();
    if (version === null) {
      console.log("ffmpeg is not installed (not on PATH): the native rows are skipped.");
    } else console.log(version);
    const scenes = args.quick
      ? [withDuration(VP8_SCENE, 2000), withDuration(VP9_SCENE, 500)]
      : [VP8_SCENE, VP9_SCENE];
    const dir = await Deno.makeTempDir({ prefix: "recsim-compare-" });
    try {
      for (const scene of scenes) {
        const files = version === null ? null : await writeRawFrames(scene, dir);
        console.log(
          `\n${scene.label}, ${fmt(scene.durationMs / 1000, 1)} s (${
            videoFrameCount(scene)
          } frames), ${args.rounds} interleaved rounds, medians` +
            (files
              ? `; rendering the frames takes ${fmt(files.renderMs)} ms of recsim's time`
              : ""),
        );
        const rows = await compareScene(scene, files, args.rounds, dir);
        console.log(encodeTable(rows));
        const rec = rows.find((r) => r.runner === RECORDER)!;
        const bare = rows.find((r) => r.runner === BARE)!;
        console.log(
          `recorder / bare libav.js loop: ${fmt(pairedRatio(rec, bare), 3)} wall, ${
            fmt(pairedRatio(rec, bare, true), 3)
          } main-thread CPU (goal ≤ 1.10)`,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    console.log(
      "fps = video frames / median time; ffmpeg time = its -benchmark rtime (process start-up " +
        "excluded); ratios are medians of the rounds' ratios.",
    );
  }
  if (args.memory) {
    console.log(
      `\nPeak memory, each in a fresh process (real recording: ${args.realSeconds} s measured, ` +
        `nothing scaled${args.realSeconds < 600 ? "; the 10-minute one: --real-seconds 600" : ""})`,
    );
    console.log(memoryTable(await measureMemory(args.realSeconds)));
  }
  console.log(
    `\ndone in ${fmt((performance.now() - started) / 1000, 1)} s; load average ${loadAverage()}`,
  );
}

if (import.meta.main) await main(Deno.args);
