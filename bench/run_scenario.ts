/**
 * Runs one scenario in this (fresh) process and prints one line of JSON: what
 * `cold_start_bench.ts`, `compare.ts` and `summary.ts` run as a subprocess, for figures
 * that module caching or a shared heap would spoil in-process (cold start, peak RSS). Also
 * a handy target for `deno run --cpu-prof`.
 *
 * ```sh
 * deno run -A bench/run_scenario.ts empty
 * deno run -A bench/run_scenario.ts import-core
 * deno run -A bench/run_scenario.ts cold-libav
 * deno run -A bench/run_scenario.ts synthetic --duration 3600000 --timeslice 100
 * deno run -A bench/run_scenario.ts real --codec vp8 --duration 60000
 * deno run -A bench/run_scenario.ts bare --codec vp8 --duration 5000
 * deno run -A --cpu-prof --cpu-prof-dir=prof bench/run_scenario.ts synthetic
 * ```
 *
 * Output fields: `ms` (the scenario's own wall time), `sinceProcessStartMs`
 * (`performance.now()` at the end: time since the runtime started), `mainThreadCpuMs`
 * (the main thread's CPU time since the process started; unlike wall time it does not
 * count other processes' turns on a busy machine), `peakRssBytes` (Linux
 * `VmHWM`, or the largest sampled `Deno.memoryUsage().rss` elsewhere), and the scenario's
 * own figures. `synthetic` takes `--duration ms`, `--timeslice ms|none`, `--min ms` (UA
 * minimum), `--step ms` (clock step), `--mime type` (default `video/webm`; `audio/…`
 * records audio only) and `--repeat n` (runs in one process, for profiles); `real` and
 * `bare` take `--codec vp8|vp9|opus`, `--duration ms`, and `real` `--timeslice`. `--yield`
 * (`synthetic`, `real`): let the event loop run a macrotask after each clock step.
 *
 * Nothing is imported statically: `import-core` and `cold-libav` must pay the whole import.
 *
 * @module
 */

interface Flags {
  duration?: number;
  timeslice?: number | null;
  min?: number;
  codec?: "vp8" | "vp9" | "opus";
  step?: number;
  repeat?: number;
  mime?: string;
  yield?: boolean;
  sink?: string;
  trace?: string;
  core?: string;
}

function parseFlags(args: string[]): Flags {
  const flags: Flags = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    if (name === "--yield") {
      flags.yield = true;
      i--;
      continue;
    }
    const value = args[i + 1];
    if (value === undefined) throw new TypeError(`${name}: missing value`);
    switch (name) {
      case "--duration":
        flags.duration = Number(value);
        break;
      case "--timeslice":
        flags.timeslice = value === "none" ? null : Number(value);
        break;
      case "--min":
        flags.min = Number(value);
        break;
      case "--step":
        flags.step = Number(value);
        break;
      case "--repeat":
        flags.repeat = Number(value);
        break;
      case "--mime":
        flags.mime = value;
        break;
      case "--sink":
        flags.sink = value;
        break;
      case "--trace":
        flags.trace = value;
        break;
      case "--core":
        flags.core = value;
        break;
      case "--codec":
        if (value !== "vp8" && value !== "vp9" && value !== "opus") {
          throw new TypeError(`--codec: vp8, vp9 or opus, got ${value}`);
        }
        flags.codec = value;
        break;
      default:
        throw new TypeError(`unknown flag ${name}`);
    }
  }
  return flags;
}

/** CPU time of the main thread since the process started (Linux), or null. */
function mainThreadCpuMs(): number | null {
  try {
    return Number(Deno.readTextFileSync("/proc/thread-self/schedstat").split(" ")[0]) / 1e6;
  } catch {
    return null;
  }
}

function vmHwm(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(Deno.readTextFileSync("/proc/self/status"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

// Where VmHWM exists, the kernel tracks the peak: sampling (which costs a little) is
// only a fallback, done after each clock step.
const HAS_VMHWM = vmHwm() !== null;
let sampled = 0;
function sample(): void {
  if (HAS_VMHWM && sampled > 0) return;
  const rss = Deno.memoryUsage().rss;
  if (rss > sampled) sampled = rss;
}

/**
 * The issue-15 memory scenario, as a new user would run it: the default options (trace
 * on), 320×240@30 video and 48 kHz stereo audio, `start(100)`, chunks counted and
 * dropped. `--sink FILE` streams the trace as NDJSON to FILE (e.g. `/dev/null`);
 * `--trace off` turns it off; `--core path/to/mod.ts` runs another checkout's core.
 */
async function traceScenario(flags: Flags): Promise<Record<string, unknown>> {
  const core = await import(flags.core ?? "../mod.ts") as typeof import("../mod.ts");
  const durationMs = flags.duration ?? 3_600_000;
  let file: Deno.FsFile | null = null;
  let trace: boolean | import("../mod.ts").TraceOptions | undefined;
  if (flags.trace === "off") trace = false;
  else if (flags.sink !== undefined) {
    const out = Deno.openSync(flags.sink, { write: true, create: true, truncate: true });
    file = out;
    trace = { sink: core.ndjsonSink((b) => out.writeSync(b)) };
  }
  const ua = core.createUserAgent(trace === undefined ? {} : { trace });
  const stream = new ua.MediaStream([
    ua.createVideoTrack({ width: 320, height: 240, frameRate: 30 }),
    ua.createAudioTrack({ sampleRate: 48000, channelCount: 2 }),
  ]);
  const rec = new ua.MediaRecorder(stream);
  let chunks = 0;
  let bytes = 0;
  rec.ondataavailable = (e) => {
    chunks++;
    bytes += e.data.size;
  };
  const t0 = performance.now();
  rec.start(100);
  for (let t = 0; t < durationMs; t += 60_000) {
    await ua.clock.advance(Math.min(60_000, durationMs - t));
    sample();
  }
  rec.stop();
  await ua.clock.settle();
  const wallMs = performance.now() - t0;
  const t = ua.trace as { bytes?: number; total?: number; entries: unknown[] };
  const traceBytes = t.bytes ?? null;
  const traceEntries = t.total ?? t.entries.length;
  ua.close();
  file?.close();
  return { wallMs, mediaMs: durationMs, chunks, bytes, traceBytes, traceEntries };
}

/** Runs `mode` and returns the JSON-able result. */
export async function runScenario(
  mode: string,
  args: string[],
): Promise<Record<string, unknown>> {
  const flags = parseFlags(args);
  const t0 = performance.now();
  let extra: Record<string, unknown> = {};
  switch (mode) {
    case "empty":
      break;
    case "import-core": {
      const core = await import("../mod.ts");
      extra = { exports: Object.keys(core).length };
      break;
    }
    case "cold-libav": {
      const { createLibAV } = await import("../src/encoding/libav/load.ts");
      const imported = performance.now();
      const libav = await createLibAV({ logLevel: -8 });
      extra = {
        importMs: imported - t0,
        instantiateMs: performance.now() - imported,
        ok: libav.avcodec_find_encoder_by_name_sync("libvpx") !== 0,
      };
      break;
    }
    case "synthetic": {
      const s = await import("./_scenarios.ts");
      const runs = [];
      for (let k = 0; k < (flags.repeat ?? 1); k++) {
        runs.push(
          await s.recordSynthetic({
            durationMs: flags.duration ?? s.HOUR_MS,
            timeslice: flags.timeslice === undefined ? 100 : flags.timeslice,
            minTimeslice: flags.min ?? 0,
            stepMs: flags.step ?? 60_000,
            mimeType: flags.mime ?? "video/webm",
            yieldEachStep: flags.yield ?? false,
            onStep: sample,
          }),
        );
      }
      extra = {
        ...runs.at(-1)!,
        ...(runs.length > 1 ? { allWallMs: runs.map((r) => r.wallMs) } : {}),
      };
      break;
    }
    case "trace": {
      extra = await traceScenario(flags);
      break;
    }
    case "real":
    case "bare": {
      const s = await import("./_real_scenarios.ts");
      const codec = flags.codec ?? "vp8";
      const base = codec === "vp8" ? s.VP8_SCENE : codec === "vp9" ? s.VP9_SCENE : s.OPUS_SCENE;
      const scene = s.withDuration(base, flags.duration ?? base.durationMs);
      if (mode === "real") {
        // A fresh provider: the libav.js instance is loaded at the first start(), as a
        // user's first recording loads it (included in `ms`).
        const r = await s.recordReal(scene, {
          provider: s.benchProvider(),
          timeslice: flags.timeslice === undefined ? 1000 : flags.timeslice,
          trace: false,
          yieldEachStep: flags.yield ?? false,
          onStep: sample,
        });
        extra = { scene: scene.label, ...r };
      } else {
        const libav = await s.bareLibAV();
        extra = { scene: scene.label, ...(await s.bareLoop(scene, libav)) };
      }
      break;
    }
    default:
      throw new TypeError(
        `unknown scenario '${mode}' (empty, import-core, cold-libav, synthetic, real, bare)`,
      );
  }
  const ms = performance.now() - t0;
  sample();
  return {
    mode,
    ms,
    sinceProcessStartMs: performance.now(),
    mainThreadCpuMs: mainThreadCpuMs(),
    peakRssBytes: vmHwm() ?? sampled,
    ...extra,
  };
}

if (import.meta.main) {
  const [mode = "", ...rest] = Deno.args;
  console.log(JSON.stringify(await runScenario(mode, rest)));
}
