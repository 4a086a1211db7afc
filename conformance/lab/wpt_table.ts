/**
 * The WPT port's three columns for the report: recsim's `spec` profile, Chromium and
 * Firefox, per ported test file (from `wpt/expectations/` and `wpt/results/`).
 *
 * @module
 */

/** Markdown lines for the WPT section (empty when the port has no results yet). */
export async function wptTable(): Promise<string[]> {
  const dir = new URL("../wpt/", import.meta.url);
  const read = async (path: string) => {
    try {
      return JSON.parse(await Deno.readTextFile(new URL(path, dir)));
    } catch {
      return null;
    }
  };
  const spec = await read("expectations/spec.json");
  if (!spec) return [];
  const columns: [string, WptColumn][] = [["recsim spec", wptColumn(spec)]];
  try {
    for (
      const f of [...Deno.readDirSync(new URL("results/", dir))].sort((a, b) =>
        a.name.localeCompare(b.name)
      )
    ) {
      if (f.name.endsWith(".json")) {
        columns.push([
          f.name.replace(/\.json$/, ""),
          wptColumn(await read(`results/${f.name}`)),
        ]);
      }
    }
  } catch { /* no browser results yet */ }
  return [
    "## WPT (`mediacapture-record`, ported)",
    "",
    ...wptRows(columns),
    "",
  ];
}

/** One column: per ported run key, the status of each subtest. */
export type WptColumn = Record<string, Record<string, string>>;

/**
 * Reads either file format into a column: an expectations file (`{ key: { harness,
 * subtests: { name: "PASS" | { status } } } }`, keys starting with `$` are comments) or a
 * browser's results (`{ engine, version, results: { key: { status, tests: [{ name,
 * status }] } } }`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wptColumn } from "./wpt_table.ts";
 * assert.deepEqual(
 *   wptColumn({ $comment: "x", "a.html": { harness: "OK", subtests: { t: "PASS", u: { status: "FAIL" } } } }),
 *   { "a.html": { t: "PASS", u: "FAIL" } },
 * );
 * assert.deepEqual(
 *   wptColumn({ engine: "chromium", results: { "a.html": { status: "OK", tests: [{ name: "t", status: "FAIL" }] } } }),
 *   { "a.html": { t: "FAIL" } },
 * );
 * ```
 */
export function wptColumn(file: unknown): WptColumn {
  const out: WptColumn = {};
  if (!file || typeof file !== "object") return out;
  const f = file as Record<string, unknown>;
  if (f.results && typeof f.results === "object") {
    for (const [key, run] of Object.entries(f.results as Record<string, unknown>)) {
      const tests = (run as { tests?: { name: string; status: string }[] })?.tests ?? [];
      out[key] = Object.fromEntries(tests.map((t) => [t.name, t.status]));
    }
    return out;
  }
  for (const [key, run] of Object.entries(f)) {
    if (key.startsWith("$")) continue;
    const subs = (run as { subtests?: Record<string, unknown> })?.subtests ?? {};
    out[key] = Object.fromEntries(
      Object.entries(subs).map((
        [name, v],
      ) => [name, typeof v === "string" ? v : (v as { status?: string })?.status ?? "?"]),
    );
  }
  return out;
}

/**
 * Counts PASS per ported run key for each column, and in all.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wptRows } from "./wpt_table.ts";
 * const rows = wptRows([["a", { "x.html": { t: "PASS", u: "FAIL" } }], ["b", {}]]);
 * assert.equal(rows[2], "| x.html | 1/2 | — |");
 * assert.equal(rows[3], "| **all** | **1/2** | **0/0** |");
 * ```
 */
export function wptRows(columns: [string, WptColumn][]): string[] {
  const files = new Set<string>();
  for (const [, r] of columns) for (const f of Object.keys(r)) files.add(f);
  const rows = [
    `| file | ${columns.map(([n]) => n).join(" | ")} |`,
    `| --- | ${columns.map(() => "--:").join(" | ")} |`,
  ];
  const totals: [number, number][] = columns.map(() => [0, 0]);
  for (const f of [...files].sort()) {
    const cells = columns.map(([, r], i) => {
      const all = Object.values(r[f] ?? {});
      const pass = all.filter((v) => v === "PASS").length;
      totals[i]![0] += pass;
      totals[i]![1] += all.length;
      return all.length ? `${pass}/${all.length}` : "—";
    });
    rows.push(`| ${f} | ${cells.join(" | ")} |`);
  }
  rows.push(`| **all** | ${totals.map(([p, t]) => `**${p}/${t}**`).join(" | ")} |`);
  return rows;
}
