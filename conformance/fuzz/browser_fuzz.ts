/**
 * `deno task conformance fuzz`: generated scripts run in the browser and on recsim. A
 * script diverges when an exact check (call outcomes, event order, attributes) fails
 * against every browser run; a first divergence is confirmed with two more browser runs
 * (browsers race). fast-check then shrinks the script, re-running the browser, within the
 * time budget; the shrunk script is saved to `scenarios/found.js` with its browser
 * observations, so it joins the corpus. The same seed gives the same scripts.
 *
 * @module
 */
import fc from "fast-check";
import { type Check, compareRuns } from "../lab/compare.ts";
import { writeObservation } from "../lab/corpus.ts";
import { type BrowserLab, openBrowserLab } from "../lab/record.ts";
import { runOnRecsim } from "../lab/recsim_host.ts";
import { devicesOf, ENGINE_PROFILES } from "../lab/replay.ts";
import type { Engine, LogEntry, Observation, ObservedRun, Scenario } from "../lab/types.ts";
import { type Script, scriptArb, scriptSource } from "./script.ts";

/** The categories whose failure is a divergence for the fuzzer (times are too noisy). */
export const FUZZ_CATEGORIES: readonly string[] = ["calls", "events", "attributes"];

/** Options of {@link runBrowserFuzz}. */
export interface BrowserFuzzOptions {
  /** The engine. */
  engine: Engine;
  /** The seed (default 1). */
  seed?: number | undefined;
  /** The time budget in ms, shrinking included. */
  budgetMs: number;
  /** A remote browser endpoint. */
  endpoint?: string | undefined;
  /** The recsim profile (default the engine's). */
  profile?: string | undefined;
  /** Save a shrunk divergence to the corpus (default true). */
  save?: boolean | undefined;
  /** Progress lines. */
  log?: ((line: string) => void) | undefined;
}

/** Turns a scenario's source into a scenario. */
export function scenarioFromSource(source: string): Scenario {
  return new Function(`return (${source});`)() as Scenario;
}

/** The failed exact checks of `recsim` against `runs`. */
function divergences(
  runs: ObservedRun[],
  recsim: Awaited<ReturnType<typeof runOnRecsim>>,
): Check[] {
  // A stream event queued as the script stops its tracks at its very end is logged on
  // recsim but not in the page (the recsim host runs tasks queued during a tick as
  // microtasks; REPORT.md explains it): the order is compared without such trailing events.
  const trailing = (log: LogEntry[]) => {
    const out = [...log];
    while (out.length > 0) {
      const last = out[out.length - 1]!;
      if (last.k !== "event" || String(last.on).startsWith("rec")) break;
      out.pop();
    }
    return out;
  };
  const trimmed = { ...recsim, log: trailing(recsim.log) };
  const theirs = runs.map((r) => ({ ...r, log: trailing(r.log) }));
  return compareRuns(theirs, trimmed).filter((c) =>
    !c.pass && FUZZ_CATEGORIES.includes(c.category)
  );
}

/** What a campaign found. */
export interface FuzzOutcome {
  /** Scripts run. */
  runs: number;
  /** The shrunk script, its id in the corpus, and the checks that failed, when one diverged. */
  found?: { script: Script; id: string; checks: Check[] };
}

/** Runs a campaign; returns what it found. */
export async function browserFuzz(options: BrowserFuzzOptions): Promise<FuzzOutcome> {
  const log = options.log ?? console.log;
  const seed = options.seed ?? 1;
  const lab: BrowserLab = await openBrowserLab(options.engine, { endpoint: options.endpoint });
  const profile = options.profile ?? ENGINE_PROFILES[options.engine];
  let runs = 0;
  let last: { script: Script; runs: ObservedRun[]; checks: Check[] } | undefined;
  const started = Date.now();
  try {
    const property = fc.asyncProperty(scriptArb, async (script) => {
      runs++;
      const source = scriptSource(script);
      const scenario = scenarioFromSource(source);
      const observed = [await lab.runSource(source)];
      const devices = devicesOf({ engine: options.engine, runs: observed } as Observation);
      const ours = await runOnRecsim(scenario, { profile, devices });
      let failed = divergences(observed, ours);
      if (failed.length > 0) {
        // Confirm: browsers race, so compare with three runs.
        observed.push(await lab.runSource(source), await lab.runSource(source));
        failed = divergences(observed, ours);
      }
      if (failed.length > 0) {
        last = { script, runs: observed, checks: failed };
        log(
          `  diverges (${script.commands.length} commands): ${
            failed.map((c) => c.name).join(", ")
          }`,
        );
        return false;
      }
      return true;
    });
    const result = await fc.check(property, {
      seed,
      numRuns: 1_000_000,
      interruptAfterTimeLimit: options.budgetMs,
      markInterruptAsFailure: false,
    });
    log(
      `${options.engine} fuzz, seed ${seed}: ${runs} scripts in ${
        ((Date.now() - started) / 1000).toFixed(0)
      } s` +
        (result.failed ? `, divergence shrunk in ${result.numShrinks} steps` : ", no divergence"),
    );
    if (!result.failed || !result.counterexample || !last) return { runs };
    const script = result.counterexample[0] as Script;
    // `last` is the last failing run, which fast-check's shrinking ends on.
    const id = `found/${options.engine}-s${seed}-${hash(JSON.stringify(script))}`;
    if (options.save ?? true) await saveFound(id, script, options.engine, lab, last.runs);
    log(`${options.save ?? true ? "saved" : "found (not saved)"} ${id}:\n${scriptSource(script)}`);
    return { runs, found: { script, id, checks: last.checks } };
  } finally {
    await lab.close();
  }
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Appends the script to `scenarios/found.js` and writes its observation. */
async function saveFound(
  id: string,
  script: Script,
  engine: Engine,
  lab: BrowserLab,
  runs: ObservedRun[],
): Promise<void> {
  const name = id.split("/")[1]!;
  const file = new URL("../scenarios/found.js", import.meta.url);
  const text = await Deno.readTextFile(file);
  if (!text.includes(`scenarios[${JSON.stringify(name)}]`)) {
    const source = scriptSource(script).replace(/\n/g, "\n");
    await Deno.writeTextFile(
      file,
      `${text}\n// ${JSON.stringify(script)}\nscenarios[${JSON.stringify(name)}] = ${source};\n`,
    );
  }
  while (runs.length < 3) runs.push(await lab.runSource(scriptSource(script)));
  await writeObservation({
    scenario: id,
    engine,
    version: lab.target.fullVersion,
    recorded: new Date().toISOString().slice(0, 10),
    runs,
  });
}

/**
 * `deno task conformance fuzz`: false when a divergence was found and `failOnDivergence`
 * is set (a campaign that finds a known class of divergence is a finding, not a broken
 * build: CI runs it without the flag and prints what it found).
 */
export async function runBrowserFuzz(
  options: BrowserFuzzOptions & { failOnDivergence?: boolean | undefined },
): Promise<boolean> {
  const outcome = await browserFuzz(options);
  return outcome.found === undefined || !options.failOnDivergence;
}
