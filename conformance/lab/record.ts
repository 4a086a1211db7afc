/**
 * Records the corpus in a real browser: every scenario at least three times, each run's
 * log, chunk sizes, first bytes, the machine's load and ffprobe's verdict on the
 * recording, written to `observations/<engine>-<major>/<file>/<name>.json`.
 *
 * @module
 */
import { type BrowserTarget, launchBrowser, serveStatic } from "../drivers/mod.ts";
import { loadCorpus, writeObservation } from "./corpus.ts";
import { ffprobeAvailable, fromBase64, probeBytes } from "./probe.ts";
import type { Engine, LabResult, Observation, ObservedRun } from "./types.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;

function loadavg(): number | undefined {
  try {
    return Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
  } catch {
    return undefined;
  }
}

/** A browser with the repository served on 127.0.0.1: runs scenarios by id. */
export interface BrowserLab {
  /** The browser. */
  readonly target: BrowserTarget;
  /**
   * Runs scenario `file/name` once in a fresh page; `setup` (default the lab's) is a
   * module the page imports first, a polyfill target's (`null`: none).
   */
  runScenario(file: string, name: string, setup?: string | null): Promise<ObservedRun>;
  /** Runs a scenario given as source once in a fresh page (`setup` as for runScenario). */
  runSource(source: string, setup?: string | null): Promise<ObservedRun>;
  /** Closes the browser and the server. */
  close(): Promise<void>;
}

/** Starts a browser (or connects to `endpoint`) and the static server. */
export async function openBrowserLab(
  engine: Engine,
  options: {
    endpoint?: string | undefined;
    log?: (line: string) => void;
    /** A module (path under the repository root) imported before each scenario: a polyfill target. */
    setup?: string | undefined;
  } = {},
): Promise<BrowserLab> {
  const server = await serveStatic(repoRoot);
  let target: BrowserTarget;
  try {
    target = await launchBrowser(engine, {
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  } catch (e) {
    await server.close();
    throw e;
  }
  const probe = ffprobeAvailable();
  return {
    target,
    async runScenario(file, name, setup = options.setup ?? null) {
      const load = loadavg();
      const json = await target.run(
        `${server.origin}/conformance/lab/page.html`,
        `import("/conformance/lab/browser_entry.js").then((m) => m.run(${
          [
            JSON.stringify(file),
            JSON.stringify(name),
            "true",
            JSON.stringify(setup),
          ]
            .join(", ")
        }))`,
        { timeoutMs: 45_000 },
      );
      const result = JSON.parse(json) as LabResult;
      const run: ObservedRun = { ...result, loadavg: load };
      if (probe) {
        run.probe = {};
        for (const r of result.recorders) {
          if (r.bytes) run.probe[r.name] = await probeBytes(fromBase64(r.bytes), { decode: true });
        }
      }
      for (const r of result.recorders) delete r.bytes;
      return run;
    },
    async runSource(source, setup = options.setup ?? null) {
      const load = loadavg();
      const json = await target.run(
        `${server.origin}/conformance/lab/page.html`,
        `import("/conformance/lab/browser_entry.js").then((m) => m.runSource(${
          [JSON.stringify(source), "false", JSON.stringify(setup)].join(", ")
        }))`,
        { timeoutMs: 45_000 },
      );
      return { ...(JSON.parse(json) as LabResult), loadavg: load };
    },
    async close() {
      await target.close().catch(() => {});
      await server.close();
    },
  };
}

/** Options of {@link recordCorpus}. */
export interface RecordOptions {
  /** The engine. */
  engine: Engine;
  /** Runs per scenario (default 3). */
  runs?: number | undefined;
  /** Only scenarios whose id contains one of these. */
  only?: string[] | undefined;
  /** A remote browser endpoint. */
  endpoint?: string | undefined;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Records the corpus (or the `only` part of it) and writes the observation files. */
export async function recordCorpus(options: RecordOptions): Promise<number> {
  const log = options.log ?? console.log;
  const corpus = (await loadCorpus()).filter((s) =>
    !options.only || options.only.some((o) => s.id.includes(o))
  );
  const lab = await openBrowserLab(options.engine, { endpoint: options.endpoint });
  let written = 0;
  try {
    log(`${options.engine} ${lab.target.fullVersion}: ${corpus.length} scenarios`);
    for (const s of corpus) {
      const runs: ObservedRun[] = [];
      for (let i = 0; i < (options.runs ?? 3); i++) {
        try {
          runs.push(await lab.runScenario(s.file, s.name));
        } catch (e) {
          log(`  ${s.id} run ${i + 1}: ${(e as Error).message}`);
        }
      }
      if (runs.length === 0) continue;
      const obs: Observation = {
        scenario: s.id,
        engine: options.engine,
        version: lab.target.fullVersion,
        recorded: new Date().toISOString().slice(0, 10),
        runs,
      };
      await writeObservation(obs);
      written++;
      log(`  ${s.id}: ${runs.length} runs`);
    }
  } finally {
    await lab.close();
  }
  return written;
}
