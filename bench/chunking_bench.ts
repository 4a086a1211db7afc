/**
 * Chunking throughput with the synthetic encoder: one hour of 640×480@30 video + 48 kHz
 * stereo audio in 20 ms frames, `video/webm`, at timeslice 0, 1, 10, 100, 1000 and none,
 * and at timeslice 1 with a UA minimum of 100 ms. No trace; the consumer counts the chunks
 * and drops them; the clock advances a minute at a time. One iteration is one hour of
 * media: × real time = 3 600 000 ms / (time per iteration); the figures are also printed
 * as × real time after the table.
 *
 * Run: `deno task bench` (or `deno bench -A bench/chunking_bench.ts`).
 *
 * @module
 */
import { expectedChunks, fmt, HOUR_MS, median, recordSynthetic, table } from "./_scenarios.ts";

const GROUP = "synthetic encoder, 1 h A/V (× real time = 3.6e6 ms / time)";

// Setup check (not timed): with a UA minimum of 100 ms, timeslice 1 gives a chunk per
// 100 ms, not per ms, and the 1 ms timeslice alone gives a chunk per capture instant.
{
  const minimum = await recordSynthetic({ durationMs: 60_000, timeslice: 1, minTimeslice: 100 });
  const plain = await recordSynthetic({ durationMs: 60_000, timeslice: 1 });
  if (
    minimum.chunks !== expectedChunks(60_000, 100) || plain.chunks !== expectedChunks(60_000, 0)
  ) {
    throw new Error(
      `chunk counts do not follow the UA minimum: ${minimum.chunks} with minTimeslice 100 (expected ${
        expectedChunks(60_000, 100)
      }), ${plain.chunks} without (expected ${expectedChunks(60_000, 0)})`,
    );
  }
}

interface Case {
  name: string;
  timeslice: number | null;
  minTimeslice?: number;
  baseline?: boolean;
}

const CASES: Case[] = [
  { name: "timeslice 100", timeslice: 100, baseline: true },
  { name: "timeslice 0", timeslice: 0 },
  { name: "timeslice 1", timeslice: 1 },
  { name: "timeslice 10", timeslice: 10 },
  { name: "timeslice 1000", timeslice: 1000 },
  { name: "no timeslice", timeslice: null },
  { name: "timeslice 1, minTimeslice 100", timeslice: 1, minTimeslice: 100 },
];

const measured = new Map<string, { ms: number[]; cpu: number[]; chunks: number }>();

for (const c of CASES) {
  const threshold = c.timeslice === null ? null : Math.max(c.timeslice, c.minTimeslice ?? 0);
  const expected = expectedChunks(HOUR_MS, threshold);
  const entry = { ms: [] as number[], cpu: [] as number[], chunks: expected };
  measured.set(c.name, entry);
  Deno.bench({
    name: c.name,
    group: GROUP,
    baseline: c.baseline ?? false,
    n: 5,
    warmup: 1,
    async fn(b) {
      b.start();
      const r = await recordSynthetic({
        timeslice: c.timeslice,
        ...(c.minTimeslice === undefined ? {} : { minTimeslice: c.minTimeslice }),
      });
      b.end();
      if (r.chunks !== expected) {
        throw new Error(`${c.name}: ${r.chunks} chunks, expected ${expected}`);
      }
      entry.ms.push(r.wallMs);
      if (r.cpuMs !== null) entry.cpu.push(r.cpuMs);
    },
  });
}

globalThis.addEventListener("unload", () => {
  const rows = [...measured].filter(([, m]) => m.ms.length > 0).map(([name, m]) => {
    const ms = median(m.ms);
    const cpu = m.cpu.length > 0 ? `${fmt(median(m.cpu))} ms` : "n/a";
    return [name, fmt(m.chunks), `${fmt(ms)} ms`, `${fmt(HOUR_MS / ms)}×`, cpu];
  });
  if (rows.length === 0) return;
  console.log("\n1 h synthetic A/V, median over every run (warm-up included):");
  console.log(table(["case", "chunks", "wall / h", "× real time", "main-thread CPU / h"], rows));
  console.log("goal: timeslice 100 ≥ 10,000× real time");
});
