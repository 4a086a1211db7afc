/**
 * Real encoding with libav.js: a scene through the recorder with `createLibavEncoder()`
 * against a bare libav.js encode loop on the same frames (same pattern generators and
 * seeds, same encoder settings, same feeding order; checked byte for byte before the
 * benchmarks run). The bare loop is each group's baseline, so "× slower" is the recorder's
 * overhead (recorder time / bare loop time; the goal is ≤ 1.10).
 *
 * - VP8: the default scene, 640×480@30 VP8 + 48 kHz stereo Opus, 5 s, timeslice 1000.
 * - VP9: 640×480@30 VP9 + Opus, 1 s (libvpx VP9 in WebAssembly runs at about 13 fps).
 * - Opus: 48 kHz stereo, audio only (`audio/webm;codecs=opus`), 30 s.
 *
 * Both sides share one libav.js instance, loaded before the benchmarks (cold start is
 * measured in `cold_start_bench.ts`). Time per iteration includes opening and closing the
 * encoders and rendering the frames, on both sides.
 *
 * Run: `deno task bench` (or `deno bench -A bench/encoding_bench.ts`).
 *
 * @module
 */
import {
  bareLibAV,
  bareLoop,
  benchProvider,
  checkSameOutput,
  OPUS_SCENE,
  type RealScene,
  recordReal,
  VP8_SCENE,
  VP9_SCENE,
  withDuration,
} from "./_real_scenarios.ts";
import { fmt, median, table } from "./_scenarios.ts";

const INSTANCE = "recsim-bench-encoding";
const provider = benchProvider(INSTANCE);
const libav = await bareLibAV(INSTANCE);

const SCENES: { scene: RealScene; n: number }[] = [
  { scene: VP8_SCENE, n: 3 },
  { scene: VP9_SCENE, n: 3 },
  { scene: OPUS_SCENE, n: 5 },
];

// Setup check (not timed): the recorder's blocks are the bare loop's packets, byte for byte.
for (const { scene } of SCENES) await checkSameOutput(withDuration(scene, 500), provider, libav);

interface Measured {
  label: string;
  media: number;
  recorder: number[];
  bare: number[];
  recorderCpu: number[];
  bareCpu: number[];
}
const measured: Measured[] = [];

for (const { scene, n } of SCENES) {
  const group = `${scene.label}, ${scene.durationMs / 1000} s`;
  const m: Measured = {
    label: group,
    media: scene.durationMs,
    recorder: [],
    bare: [],
    recorderCpu: [],
    bareCpu: [],
  };
  measured.push(m);
  Deno.bench({
    name: "bare libav.js loop",
    group,
    baseline: true,
    n,
    warmup: 1,
    async fn() {
      const r = await bareLoop(scene, libav);
      m.bare.push(r.wallMs);
      if (r.cpuMs !== null) m.bareCpu.push(r.cpuMs);
    },
  });
  Deno.bench({
    name: "recorder + createLibavEncoder()",
    group,
    n,
    warmup: 1,
    async fn() {
      const r = await recordReal(scene, { provider });
      m.recorder.push(r.wallMs);
      if (r.cpuMs !== null) m.recorderCpu.push(r.cpuMs);
    },
  });
}

globalThis.addEventListener("unload", () => {
  const rows = measured.filter((m) => m.bare.length > 0 && m.recorder.length > 0).map((m) => {
    const rec = median(m.recorder);
    const bare = median(m.bare);
    return [
      m.label,
      `${fmt(bare)} ms (${fmt(m.media / bare, 2)}×)`,
      `${fmt(rec)} ms (${fmt(m.media / rec, 2)}×)`,
      fmt(rec / bare, 3),
      m.recorderCpu.length > 0 && m.bareCpu.length > 0
        ? fmt(median(m.recorderCpu) / median(m.bareCpu), 3)
        : "n/a",
    ];
  });
  if (rows.length === 0) return;
  console.log("\nmedians over every run (warm-up included); × = × real time:");
  console.log(
    table(["scene", "bare loop", "recorder", "recorder / bare", "same, main-thread CPU"], rows),
  );
  console.log("goal: recorder / bare ≤ 1.10");
});
