/**
 * `deno run -A bench/summary.ts`: runs the key scenarios of issue 5 once more each (small
 * medians, interleaved where two things are compared) and prints a table of the measured
 * figures against the goals:
 *
 * - synthetic encoder, 1 h A/V at timeslice 100: ≥ 10,000× real time;
 * - VP8 640×480@30 + Opus through the recorder: within 4× of native `ffmpeg -threads 1`;
 * - the recorder adds ≤ 10% over a bare libav.js loop;
 * - 1 h synthetic with a consumer that drops the chunks: ≤ 80 MB peak RSS;
 * - libav.js cold start (import + instantiate, in a fresh process): ≤ 120 ms.
 *
 * Flags: `--rounds N` (default 3) for the interleaved VP8 comparison.
 * Takes about a minute on a 2-core machine.
 *
 * @module
 */
import { videoFrameCount, VP8_SCENE } from "./_real_scenarios.ts";
import { createStateRig, fmt, HOUR_MS, median, recordSynthetic, table } from "./_scenarios.ts";
import {
  BARE,
  compareScene,
  type EncodeRow,
  ffmpegVersion,
  loadAverage,
  NATIVE_1,
  pairedRatio,
  progress,
  RECORDER,
  runScenarioProcess,
  writeRawFrames,
} from "./compare.ts";

interface Goal {
  goal: string;
  measured: string;
  met: boolean | null;
  note: string;
}

async function main(argv: string[]): Promise<void> {
  const i = argv.indexOf("--rounds");
  const rounds = i >= 0 ? Math.max(1, Number(argv[i + 1])) : 3;
  console.log(
    `recsim bench summary: ${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}, ` +
      `load average ${loadAverage()}`,
  );
  const goals: Goal[] = [];

  // 1. Synthetic throughput (a warm-up, then the median of 3).
  progress("  synthetic 1 h at timeslice 100 …");
  await recordSynthetic({ timeslice: 100 });
  const synthetic: number[] = [];
  const syntheticCpu: number[] = [];
  for (let k = 0; k < 5; k++) {
    const r = await recordSynthetic({ timeslice: 100 });
    synthetic.push(r.wallMs);
    if (r.cpuMs !== null) syntheticCpu.push(r.cpuMs);
  }
  const speed = HOUR_MS / median(synthetic);
  goals.push({
    goal: "synthetic 1 h A/V, timeslice 100: ≥ 10,000× real time",
    measured: `${fmt(speed)}× (${fmt(median(synthetic))} ms per hour)`,
    met: speed >= 10_000,
    note: `in process, median of 5 after a warm-up (fastest ${fmt(Math.min(...synthetic))} ms` +
      (syntheticCpu.length > 0 ? `; main-thread CPU ${fmt(median(syntheticCpu))} ms)` : ")"),
  });

  // 2–3. VP8 + Opus: native -threads 1, recorder, bare loop, interleaved.
  progress(`  VP8 640×480@30 + Opus, ${rounds} interleaved rounds …`);
  const version = await ffmpegVersion();
  const dir = await Deno.makeTempDir({ prefix: "recsim-summary-" });
  try {
    const files = version === null ? null : await writeRawFrames(VP8_SCENE, dir);
    const rows = await compareScene(VP8_SCENE, files, rounds, dir, [
      "native-1",
      "recorder",
      "bare",
    ]);
    const byName = new Map(rows.map((r) => [r.runner, r]));
    const rec = byName.get(RECORDER)!;
    const bare = byName.get(BARE)!;
    const native = byName.get(NATIVE_1);
    const fps = (ms: number) => fmt((videoFrameCount(VP8_SCENE) * 1000) / ms, 1);
    const perRound = (a: EncodeRow, b: EncodeRow) =>
      a.all.map((ms, k) => fmt(ms / b.all[k]!, 2)).join(", ");
    if (native) {
      const ratio = pairedRatio(rec, native);
      goals.push({
        goal: "VP8 640×480@30 + Opus through the recorder: ≤ 4× native ffmpeg -threads 1",
        measured: `${fmt(ratio, 2)}× (median fps ${fps(rec.ms)} vs ${fps(native.ms)})`,
        met: ratio <= 4,
        note: `rounds: ${perRound(rec, native)}; bare libav.js loop: ${
          fmt(pairedRatio(bare, native), 2)
        }× native`,
      });
    } else {
      goals.push({
        goal: "VP8 640×480@30 + Opus through the recorder: ≤ 4× native ffmpeg -threads 1",
        measured: "not measured",
        met: null,
        note: "ffmpeg is not installed",
      });
    }
    const overhead = pairedRatio(rec, bare);
    const cpuOverhead = pairedRatio(rec, bare, true);
    goals.push({
      goal: "recorder ≤ 10% over a bare libav.js loop",
      measured: `${fmt((overhead - 1) * 100, 1)}% (median fps ${fps(rec.ms)} vs ${fps(bare.ms)})`,
      met: overhead <= 1.1,
      note: `median of the rounds' ratios (${perRound(rec, bare)}); main-thread CPU: ${
        Number.isNaN(cpuOverhead) ? "n/a" : `${fmt((cpuOverhead - 1) * 100, 1)}%`
      }`,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }

  // 4. Peak RSS of 1 h synthetic, in a fresh process.
  progress("  peak RSS of 1 h synthetic …");
  const empty = await runScenarioProcess(["empty"]);
  const hour = await runScenarioProcess(["synthetic", "--duration", String(HOUR_MS)]);
  const peak = hour.peakRssBytes as number;
  goals.push({
    goal: "1 h synthetic, chunks dropped: ≤ 80 MB peak RSS",
    measured: `${fmt(peak / 1e6, 1)} MB`,
    met: peak <= 80e6,
    note: `Deno runtime alone: ${fmt((empty.peakRssBytes as number) / 1e6, 1)} MB`,
  });

  // 5. libav.js cold start, in fresh processes (median of 5).
  progress("  libav.js cold start …");
  const cold: { ms: number; importMs: number; instantiateMs: number }[] = [];
  for (let k = 0; k < 5; k++) {
    cold.push(await runScenarioProcess(["cold-libav"]) as unknown as (typeof cold)[number]);
  }
  const coldMs = median(cold.map((c) => c.ms));
  goals.push({
    goal: "libav.js cold start ≤ 120 ms",
    measured: `${fmt(coldMs)} ms`,
    met: coldMs <= 120,
    note: `import ${fmt(median(cold.map((c) => c.importMs)))} ms + createLibAV() ${
      fmt(median(cold.map((c) => c.instantiateMs)))
    } ms, fresh process, median of 5`,
  });

  // Informational: state transitions (no goal).
  progress("  state transitions …");
  const rig = await createStateRig();
  for (let k = 0; k < 2000; k++) await rig.cycle();
  const cycles = 20_000;
  const t0 = performance.now();
  for (let k = 0; k < cycles; k++) await rig.cycle();
  const perSecond = cycles / ((performance.now() - t0) / 1000);
  rig.close();
  goals.push({
    goal: "(no goal) start/pause/resume/requestData/stop cycles, no encoder work",
    measured: `${fmt(perSecond)} cycles/s`,
    met: null,
    note: "one settle per cycle; 20,000 cycles after 2,000 warm-up",
  });

  console.log(
    table(
      ["goal", "measured", "met", "notes"],
      goals.map((g) => [g.goal, g.measured, g.met === null ? "" : g.met ? "yes" : "no", g.note]),
    ),
  );
  console.log(`load average at the end: ${loadAverage()}`);
}

if (import.meta.main) await main(Deno.args);
