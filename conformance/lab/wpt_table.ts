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
  const columns: [string, Record<string, unknown>][] = [["recsim spec", spec]];
  try {
    for (
      const f of [...Deno.readDirSync(new URL("results/", dir))].sort((a, b) =>
        a.name.localeCompare(b.name)
      )
    ) {
      if (f.name.endsWith(".json")) {
        columns.push([f.name.replace(/\.json$/, ""), await read(`results/${f.name}`)]);
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

type Results = Record<string, unknown>;

/** Counts PASS per file for each column; accepts `{ file: { subtest: "PASS" | {status} } }`. */
function wptRows(columns: [string, Results][]): string[] {
  const files = new Set<string>();
  for (const [, r] of columns) for (const f of Object.keys(r ?? {})) files.add(f);
  const status = (v: unknown): string =>
    typeof v === "string" ? v : (v as { status?: string; expected?: string })?.status ??
      (v as { expected?: string })?.expected ?? "?";
  const rows = [
    `| file | ${columns.map(([n]) => n).join(" | ")} |`,
    `| --- | ${columns.map(() => "--:").join(" | ")} |`,
  ];
  const totals: [number, number][] = columns.map(() => [0, 0]);
  for (const f of [...files].sort()) {
    const cells = columns.map(([, r], i) => {
      const subs = (r?.[f] ?? {}) as Record<string, unknown>;
      const all = Object.values(subs);
      const pass = all.filter((v) => status(v) === "PASS").length;
      totals[i]![0] = totals[i]![0] + pass;
      totals[i]![1] = totals[i]![1] + all.length;
      return all.length ? `${pass}/${all.length}` : "—";
    });
    rows.push(`| ${f} | ${cells.join(" | ")} |`);
  }
  rows.push(`| **all** | ${totals.map(([p, t]) => `**${p}/${t}**`).join(" | ")} |`);
  return rows;
}
