/**
 * The trace's cost (issue 15), as a new user would meet it: 1 h of 320×240@30 video and
 * 48 kHz stereo audio, `start(100)`, chunks counted and dropped, **default** options (the
 * trace on). Each figure comes from a fresh process (`run_scenario.ts trace`), since peak
 * RSS is the process's VmHWM:
 *
 * - 1 h with the default options (goal: ≤ 70 MB peak RSS), and with `trace: false`;
 * - the trace's own bytes per recorded hour (goal: ≤ 8 MB);
 * - 10 h streaming the trace as NDJSON to `/dev/null` (goal: peak within 10% of the 1 h
 *   run's, with no flags), also with `--v8-flags=--max-semi-space-size=2` as a diagnostic
 *   (no user needs it): V8 doubles its young generation each time the bytes that survived
 *   scavenges since the last growth exceed its size, so a long run grows it unless few
 *   objects outlive a scavenge. What survives is what lives longer than a few chunks,
 *   e.g. a part held by a finalizer until a full GC; `--v8-flags=--trace-gc-nvp` shows
 *   `new_space_capacity` and `new_space_survived` per scavenge.
 *
 * deno bench times the 1 h default run in a fresh process; the table follows it.
 *
 * Run: `deno task bench` (or `deno bench -A bench/trace_memory_bench.ts`).
 *
 * @module
 */
import { fmt, median, table } from "./_scenarios.ts";

const ROOT = new URL("../", import.meta.url);
const SCRIPT = new URL("bench/run_scenario.ts", ROOT).pathname;
const CONFIG = new URL("deno.json", ROOT).pathname;
const HOUR = 3_600_000;

/** Runs `run_scenario.ts trace …` in a fresh `deno` process and returns its JSON line. */
async function child(args: string[], v8: string[] = []): Promise<Record<string, number>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...v8, "--config", CONFIG, SCRIPT, "trace", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`run_scenario trace failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

const runs = new Map<string, Record<string, number>[]>();
const SMALL_YOUNG = ["--v8-flags=--max-semi-space-size=2"];
const CASES: [string, string[], string[]][] = [
  ["1 h, default options (trace on)", [], []],
  ["1 h, trace: false", ["--trace", "off"], []],
  [
    "10 h, trace streamed (NDJSON sink)",
    ["--duration", String(10 * HOUR), "--sink", "/dev/null"],
    [],
  ],
  ["10 h, trace: false", ["--duration", String(10 * HOUR), "--trace", "off"], []],
  ["1 h, default options, small young gen", [], SMALL_YOUNG],
  [
    "10 h, trace streamed, small young gen",
    ["--duration", String(10 * HOUR), "--sink", "/dev/null"],
    SMALL_YOUNG,
  ],
];

Deno.bench({
  name: "1 h 320×240@30 + 48 kHz stereo, start(100), default options (fresh process)",
  group: "trace memory",
  n: 3,
  warmup: 0,
  async fn() {
    // Every case once per iteration, interleaved.
    for (const [name, args, v8] of CASES) {
      const r = await child(args, v8);
      runs.set(name, [...(runs.get(name) ?? []), r]);
    }
  },
});

globalThis.addEventListener("unload", () => {
  if (runs.size === 0) return;
  const mb = (v: number) => `${fmt(v / 1e6, 1)} MB`;
  const rows = [...runs].map(([name, rs]) => {
    const hours = rs[0]!.mediaMs! / HOUR;
    const traceBytes = rs.map((r) => r.traceBytes!).filter((b) => typeof b === "number");
    return [
      name,
      mb(median(rs.map((r) => r.peakRssBytes!))),
      name.includes("streamed")
        ? `${mb(median(traceBytes))} window`
        : traceBytes.length
        ? mb(median(traceBytes) / hours)
        : "",
      `${fmt(median(rs.map((r) => r.traceEntries!)))}`,
      `${fmt(median(rs.map((r) => r.wallMs!)))} ms`,
    ];
  });
  console.log("\ntrace memory, medians of fresh processes:");
  console.log(
    table(["run", "peak RSS (VmHWM)", "trace bytes per hour in memory", "entries", "wall"], rows),
  );
  const peak = (name: string) => median(runs.get(name)?.map((r) => r.peakRssBytes!) ?? []);
  const ratio = peak(CASES[2]![0]) / peak(CASES[0]![0]);
  const ratioSmall = peak(CASES[5]![0]) / peak(CASES[4]![0]);
  console.log(
    `10 h streamed / 1 h default: ${fmt(ratio, 2)}× (small young gen: ${fmt(ratioSmall, 2)}×)`,
  );
  console.log(
    "goals: 1 h default ≤ 70 MB; trace ≤ 8 MB per recorded hour; 10 h streamed ≤ 1.10× of 1 h",
  );
});
