/**
 * Prints the top self-time functions of a V8 `.cpuprofile` (as written by
 * `deno run --cpu-prof`), with their share of the profile and where they live.
 *
 * ```sh
 * deno run -A --cpu-prof --cpu-prof-dir=prof bench/run_scenario.ts synthetic
 * deno run -A bench/profile_top.ts prof/*.cpuprofile [--top 25] [--by-file]
 * ```
 *
 * `--by-file` sums self time per script instead (e.g. to see libav.js's WebAssembly
 * against recsim's TypeScript); `--inclusive` ranks functions by total time (self plus
 * callees, each function counted once per sample).
 *
 * @module
 */
import { fmt, table } from "./_scenarios.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time in µs per node id (from the samples' time deltas, else from hit counts). */
function selfTimes(profile: Profile): Map<number, number> {
  const self = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (samples && timeDeltas && samples.length === timeDeltas.length) {
    // timeDeltas[i] is the time before sample i; attribute the time after a sample to it.
    for (let i = 0; i < samples.length; i++) {
      const dt = timeDeltas[i + 1] ?? 0;
      self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + Math.max(0, dt));
    }
  } else {
    const total = profile.endTime - profile.startTime;
    const hits = profile.nodes.reduce((n, p) => n + (p.hitCount ?? 0), 0);
    for (const n of profile.nodes) self.set(n.id, ((n.hitCount ?? 0) * total) / Math.max(1, hits));
  }
  return self;
}

function shortUrl(url: string): string {
  if (url === "") return "";
  const i = url.indexOf("/src/");
  if (i >= 0) return url.slice(i + 1);
  const b = url.indexOf("/bench/");
  if (b >= 0) return url.slice(b + 1);
  const n = url.indexOf("node_modules/");
  if (n >= 0) return url.slice(n).replace(/^node_modules\/\.deno\/[^/]+\/node_modules\//, "npm:");
  return url.replace(/^.*\//, "");
}

/** The rows: name, place, self (or total) ms, share. */
export function topSelf(
  profile: Profile,
  top: number,
  byFile: boolean,
  inclusive = false,
): string[][] {
  const self = selfTimes(profile);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const groups = new Map<string, { name: string; place: string; us: number }>();
  const keyOf = (node: ProfileNode) => {
    const f = node.callFrame;
    const place = shortUrl(f.url);
    const name = byFile ? (place || "(native / idle)") : (f.functionName || "(anonymous)");
    const key = byFile ? name : `${name}@${f.url}:${f.lineNumber}:${f.columnNumber}`;
    return { key, name, place: byFile ? "" : (place ? `${place}:${f.lineNumber + 1}` : "") };
  };
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    const seen = new Set<string>();
    for (
      let n: ProfileNode | undefined = node;
      n !== undefined;
      n = inclusive ? byId.get(parent.get(n.id) ?? -1) : undefined
    ) {
      const { key, name, place } = keyOf(n);
      if (seen.has(key)) continue;
      seen.add(key);
      const g = groups.get(key) ?? { name, place, us: 0 };
      g.us += us;
      groups.set(key, g);
    }
  }
  return [...groups.values()].sort((a, b) => b.us - a.us).slice(0, top).map((g) => [
    g.name,
    g.place,
    fmt(g.us / 1000, 1),
    `${fmt((100 * g.us) / Math.max(1, total), 1)}%`,
  ]);
}

if (import.meta.main) {
  const args = [...Deno.args];
  const byFile = args.includes("--by-file");
  const inclusive = args.includes("--inclusive");
  const t = args.indexOf("--top");
  const top = t >= 0 ? Number(args.splice(t, 2)[1]) : 25;
  for (const file of args.filter((a) => !a.startsWith("--"))) {
    const profile = JSON.parse(await Deno.readTextFile(file)) as Profile;
    const ms = (profile.endTime - profile.startTime) / 1000;
    console.log(`\n${file}: ${fmt(ms)} ms profiled`);
    console.log(
      table(
        [
          byFile ? "script" : "function",
          byFile ? "" : "where",
          inclusive ? "total ms" : "self ms",
          "share",
        ],
        topSelf(profile, top, byFile, inclusive),
      ),
    );
  }
}
