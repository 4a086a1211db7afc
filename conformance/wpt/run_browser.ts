/**
 * Runs the ported WPT files in a real browser through the lab's driver API: each file and
 * variant in a fresh page (`page.html?test=…&variant=…`) of `origin`, a static server of
 * the repository root.
 *
 * `deno run -A conformance/wpt/run_browser.ts chromium|firefox` launches the browser with
 * `conformance/drivers/`, serves the repository and writes
 * `conformance/wpt/results/<engine>-<major>.json`.
 *
 * @module
 */
import { runKey, WPT_FILES, type WptFile } from "./manifest.js";
import type { HarnessResult } from "./testharness.js";

/** What `runWptInBrowser` needs of a driver (`BrowserTarget` of `conformance/drivers`). */
export interface WptTarget {
  run(url: string, expression: string, options?: { timeoutMs?: number }): Promise<string>;
}

/** One run's result in a browser: the harness result plus the page's user agent. */
export interface BrowserRunResult extends HarnessResult {
  userAgent?: string;
}

/** Options of {@link runWptInBrowser}. */
export interface RunWptOptions {
  /** The files to run (default: all of the manifest). */
  files?: readonly WptFile[];
  /** Per-page limit for the driver, ms (default 150 000: past the harness timeout). */
  timeoutMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/**
 * Runs every ported file and variant on `target`; `origin` (`http://127.0.0.1:port`)
 * serves the repository root (`/work/main/`). A page that fails to report (driver error,
 * timeout) becomes a harness ERROR with the driver's message and no subtests.
 */
export async function runWptInBrowser(
  target: WptTarget,
  origin: string,
  options: RunWptOptions = {},
): Promise<Record<string, BrowserRunResult>> {
  const out: Record<string, BrowserRunResult> = {};
  for (const file of options.files ?? WPT_FILES) {
    for (const variant of file.variants) {
      const key = runKey(file, variant);
      const url = new URL("/conformance/wpt/page.html", origin);
      url.searchParams.set("test", file.module);
      if (variant) url.searchParams.set("variant", variant);
      try {
        const json = await target.run(url.href, "window.__wptRun()", {
          timeoutMs: options.timeoutMs ?? 150_000,
        });
        const { test: _test, variant: _variant, ...result } = JSON.parse(json);
        out[key] = result;
      } catch (e) {
        out[key] = { status: "ERROR", message: `driver: ${String(e)}`, tests: [] };
      }
      const r = out[key]!;
      const passed = r.tests.filter((t) => t.status === "PASS").length;
      options.log?.(`${key}: ${r.status}, ${passed}/${r.tests.length} PASS`);
    }
  }
  return out;
}

if (import.meta.main) {
  const { launchBrowser, serveStatic } = await import("../drivers/mod.ts");
  const engine = (Deno.args[0] ?? "chromium") as "chromium" | "firefox";
  const root = new URL("../../", import.meta.url).pathname;
  const server = await serveStatic(root);
  const target = await launchBrowser(engine, { log: (l) => console.error(l) });
  try {
    const results = await runWptInBrowser(target, server.origin, { log: console.log });
    const out = new URL(`./results/${engine}-${target.version}.json`, import.meta.url);
    const report = {
      engine,
      version: target.fullVersion,
      userAgent: Object.values(results).find((r) => r.userAgent)?.userAgent ?? null,
      results: Object.fromEntries(
        Object.entries(results).map(([k, { userAgent: _ua, ...r }]) => [k, r]),
      ),
    };
    await Deno.writeTextFile(out, JSON.stringify(report, null, 2) + "\n");
    console.log(`wrote ${out.pathname}`);
  } finally {
    await target.close();
    await server.close();
  }
}
