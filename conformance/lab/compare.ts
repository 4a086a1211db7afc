/**
 * The lab's comparison rules, written once (conformance/README.md explains them):
 *
 * - **Exact** (`calls`, `events`, `attributes`): call outcomes and exception names; the
 *   order of events with their state, interface and (for `dataavailable`) whether the
 *   Blob is empty and whether `timecode` exists; the mimeType, Blob type and bitrates at
 *   each point. A sequence passes when it equals the one of any browser run, because
 *   browsers race.
 * - **Tolerant** (`times`, `counts`): an event's time must fall within the browser's
 *   observed range widened by {@link TIME_MARGIN}; the number of chunks must equal one
 *   of the runs' counts, or, where the browser fires a chunk per muxer write (more than
 *   {@link PER_WRITE_COUNT} chunks in a run), fall within the observed range widened by
 *   {@link COUNT_MARGIN}.
 * - **Structural** (`bytes`): the first chunk starts with the same container header
 *   bytes, and where ffprobe read the browser's concatenated chunks it reads recsim's.
 *
 * @module
 */
import type { LabResult, LogEntry, Observation, ProbeResult } from "./types.ts";

/** The categories of checks. */
export type Category = "calls" | "events" | "attributes" | "counts" | "times" | "bytes";

/** The categories in report order. */
export const CATEGORIES: readonly Category[] = [
  "calls",
  "events",
  "attributes",
  "counts",
  "times",
  "bytes",
];

/** One check of one scenario. */
export interface Check {
  /** The category. */
  category: Category;
  /** What is checked (e.g. `rec:start`, `snapshot onstart`). */
  name: string;
  /** Whether recsim matched the browser. */
  pass: boolean;
  /** The browser's value(s), short. */
  browser: string;
  /** recsim's value, short. */
  recsim: string;
}

/** Times: the browser's [min, max] widened by `ms + fraction × max`. */
export const TIME_MARGIN = { ms: 50, fraction: 0.1 } as const;
/** Per-write chunk counts: the browser's [min, max] widened by max(abs, fraction × value). */
export const COUNT_MARGIN = { abs: 2, fraction: 0.15 } as const;
/** A run with more chunks than this is in the per-write regime (counts compared tolerantly). */
export const PER_WRITE_COUNT = 20;

const events = (log: LogEntry[]) =>
  log.filter((e) => e.k === "event" || e.k === "timeout" || e.k === "crash");

/** The signature of an event for the exact order check. */
export function eventSignature(e: LogEntry): string {
  if (e.k === "timeout") return `timeout waiting for ${e.on}:${e.type}`;
  if (e.k === "crash") return `crash ${e.error}`;
  const iface = e.iface === undefined
    ? ""
    : ` ${e.iface}[${(e.instanceOf as string[]).filter((n) => n !== "Event").join(",")}]`;
  let s = `${e.on}:${e.type}`;
  if (e.state !== undefined) s += ` (${e.state})`;
  if (e.readyState !== undefined) s += ` (${e.readyState})`;
  s += iface;
  if (e.type === "dataavailable") {
    s += e.size === 0 ? " empty" : " data";
    s += e.timecode === "absent" ? " no-timecode" : "";
  }
  if (e.type === "error") s += ` ${e.error}`;
  if (e.track !== undefined) s += ` track=${e.track}`;
  return s;
}

/** The event order with runs of identical `dataavailable` signatures collapsed to one `+` item. */
export function eventOrder(log: LogEntry[]): string[] {
  const out: string[] = [];
  for (const e of events(log)) {
    const sig = eventSignature(e);
    const last = out[out.length - 1];
    if (e.type === "dataavailable" && (last === sig || last === `${sig} +`)) {
      out[out.length - 1] = `${sig} +`;
    } else out.push(sig);
  }
  return out;
}

/** Call outcomes, in order. */
export function callOutcomes(log: LogEntry[]): string[] {
  return log.filter((e) => e.k === "call").map((e) => {
    const outcome = e.exception !== undefined ? `throws ${e.exception}` : String(e.result);
    return `${e.name} → ${outcome}${e.constraint ? ` (${e.constraint})` : ""}`;
  });
}

/** Attribute points: snapshots, notes, and the mimeType/Blob type at each event (collapsed). */
export function attributePoints(log: LogEntry[]): Map<string, string> {
  const points = new Map<string, string>();
  const seen = new Map<string, number>();
  const key = (k: string) => {
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return n === 0 ? k : `${k} #${n + 1}`;
  };
  let lastTypes = "";
  for (const e of log) {
    if (e.k === "snapshot") {
      points.set(
        key(`snapshot ${e.label}`),
        `${e.state} mimeType=${
          JSON.stringify(e.mimeType)
        } v=${e.videoBitsPerSecond} a=${e.audioBitsPerSecond} mode=${e.audioBitrateMode}`,
      );
    } else if (e.k === "note") {
      points.set(key(`${e.label}`), JSON.stringify(e.value));
    } else if (e.k === "event" && e.mimeType !== undefined) {
      const types = `mimeType=${JSON.stringify(e.mimeType)}` +
        (e.type === "dataavailable" ? ` blob=${JSON.stringify(e.blobType)}` : "");
      const k = `${e.on}:${e.type}`;
      if (e.type === "dataavailable" && types === lastTypes) continue; // collapsed
      lastTypes = e.type === "dataavailable" ? types : "";
      points.set(key(`at ${k}`), types);
    }
  }
  return points;
}

/** Times of the first start, first dataavailable, first non-empty dataavailable and first stop per recorder. */
export function keyTimes(log: LogEntry[]): Map<string, number> {
  const times = new Map<string, number>();
  for (const e of log) {
    if (e.k !== "event" || typeof e.t !== "number" || e.state === undefined) continue;
    const names = [`${e.on}:${e.type}`];
    if (e.type === "dataavailable" && (e.size as number) > 0) names.push(`${e.on}:first data`);
    for (const name of names) if (!times.has(name)) times.set(name, e.t);
  }
  return times;
}

function chunkCounts(log: LogEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of log) {
    if (e.k === "event" && e.type === "dataavailable") {
      counts.set(e.on as string, (counts.get(e.on as string) ?? 0) + 1);
    }
  }
  return counts;
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const short = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n)}…` : s);
const distinct = (xs: string[]) => [...new Set(xs)];

/**
 * Compares recsim's run of a scenario with the browser's runs.
 *
 * @param probe ffprobe's verdict on recsim's recordings, by recorder (when available).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareRuns } from "./compare.ts";
 * const run = (t: number) => ({
 *   log: [
 *     { k: "call", name: "start()", t: 0, result: "undefined" },
 *     { k: "event", on: "rec", type: "start", t, iface: "Event", instanceOf: ["Event"], state: "recording", mimeType: "video/webm" },
 *   ],
 *   recorders: [],
 * });
 * const checks = compareRuns([run(10), run(20)], run(25));
 * assert.ok(checks.every((c) => c.pass)); // 25 is within [10, 20] widened by 50 ms + 10%
 * assert.ok(compareRuns([run(10)], run(200)).some((c) => c.category === "times" && !c.pass));
 * ```
 */
export function compareRuns(
  runs: Observation["runs"],
  recsim: LabResult,
  probe?: Record<string, ProbeResult>,
): Check[] {
  const checks: Check[] = [];
  const add = (category: Category, name: string, pass: boolean, browser: string, ours: string) =>
    checks.push({ category, name, pass, browser: short(browser), recsim: short(ours) });

  // Exact: whole sequences, matching any run.
  const ourCalls = callOutcomes(recsim.log);
  const theirCalls = runs.map((r) => callOutcomes(r.log));
  add(
    "calls",
    "call outcomes",
    theirCalls.some((c) => same(c, ourCalls)),
    distinct(theirCalls.map((c) => c.join("; "))).join(" | "),
    ourCalls.join("; "),
  );
  const ourOrder = eventOrder(recsim.log);
  const theirOrders = runs.map((r) => eventOrder(r.log));
  add(
    "events",
    "event order",
    theirOrders.some((o) => same(o, ourOrder)),
    distinct(theirOrders.map((o) => o.join("; "))).join(" | "),
    ourOrder.join("; "),
  );

  // Exact, per point: each attribute point matches the value of some run.
  const ours = attributePoints(recsim.log);
  const theirs = runs.map((r) => attributePoints(r.log));
  const keys = new Set<string>();
  for (const m of theirs) for (const k of m.keys()) keys.add(k);
  for (const k of ours.keys()) keys.add(k);
  for (const k of keys) {
    const values = distinct(theirs.map((m) => m.get(k) ?? "(absent)"));
    const mine = ours.get(k) ?? "(absent)";
    add("attributes", k, values.includes(mine), values.join(" | "), mine);
  }

  // Tolerant: chunk counts.
  const ourCounts = chunkCounts(recsim.log);
  const theirCounts = runs.map((r) => chunkCounts(r.log));
  const recNames = new Set<string>([...ourCounts.keys()]);
  for (const c of theirCounts) for (const k of c.keys()) recNames.add(k);
  for (const rec of recNames) {
    const values = theirCounts.map((c) => c.get(rec) ?? 0);
    const mine = ourCounts.get(rec) ?? 0;
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    let pass: boolean;
    let shown: string;
    if (hi > PER_WRITE_COUNT) {
      const wlo = lo - Math.max(COUNT_MARGIN.abs, COUNT_MARGIN.fraction * lo);
      const whi = hi + Math.max(COUNT_MARGIN.abs, COUNT_MARGIN.fraction * hi);
      pass = mine >= wlo && mine <= whi;
      shown = `${lo}–${hi} (accepting ${Math.ceil(wlo)}–${Math.floor(whi)})`;
    } else {
      pass = values.includes(mine);
      shown = distinct(values.map(String)).join(" | ");
    }
    add("counts", `${rec}: dataavailable count`, pass, shown, String(mine));
  }

  // Tolerant: times of key events present in every run.
  const ourTimes = keyTimes(recsim.log);
  const theirTimes = runs.map((r) => keyTimes(r.log));
  const timeKeys = [...(theirTimes[0]?.keys() ?? [])].filter((k) =>
    theirTimes.every((m) => m.has(k))
  );
  for (const k of timeKeys) {
    const values = theirTimes.map((m) => m.get(k)!);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const margin = TIME_MARGIN.ms + TIME_MARGIN.fraction * Math.max(Math.abs(lo), Math.abs(hi));
    const mine = ourTimes.get(k);
    add(
      "times",
      `${k} time`,
      mine !== undefined && mine >= lo - margin && mine <= hi + margin,
      `${lo}–${hi} ms (accepting ${Math.round(lo - margin)}–${Math.round(hi + margin)})`,
      mine === undefined ? "(absent)" : `${mine} ms`,
    );
  }

  // Structural: container header bytes and ffprobe.
  for (const rec of recNames) {
    const heads = distinct(
      runs.map((r) => r.recorders.find((x) => x.name === rec)?.head ?? "none"),
    );
    const mine = recsim.recorders.find((x) => x.name === rec)?.head ?? "none";
    add("bytes", `${rec}: first bytes`, heads.includes(mine), heads.join(" | "), mine);
    const browserProbe = runs.some((r) => r.probe?.[rec]?.ok);
    if (browserProbe && probe) {
      add(
        "bytes",
        `${rec}: ffprobe reads the concatenation`,
        probe[rec]?.ok === true,
        "ok",
        probe[rec]?.ok ? "ok" : "not readable",
      );
    }
  }
  return checks;
}
