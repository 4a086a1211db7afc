/**
 * The browser fuzzer against a polyfill target: the lab's generated scripts
 * (`conformance/fuzz/script.ts`) run in Chromium with the polyfill and in plain Chromium,
 * compared with the lab's exact checks (call outcomes, event order, attributes). Differences
 * that the target's explanation rules already explain are known, and two known ones can be
 * left out of the scripts (`--no-request-data`: no `requestData()`;
 * `--no-audio-type-on-video`: an `audio/*` type only on an audio stream), so a divergence
 * is something new. A first divergence is
 * confirmed with five plain runs and three polyfill runs, all of which must differ (both
 * race); fast-check then shrinks it within the
 * time budget, and the shrunk script is appended to `<target>/fuzz_found.json`.
 *
 * `deno run -A conformance/targets/polyfill_fuzz.ts <target dir> [--seed 1]
 * [--time-budget 120] [--no-request-data] [--no-audio-type-on-video]`
 *
 * @module
 */
import fc from "fast-check";
import { parseArgs } from "node:util";
import { browserAvailable } from "../drivers/mod.ts";
import { compareRuns } from "../lab/compare.ts";
import type { ObservedRun } from "../lab/types.ts";
import { type Script, scriptArb, type ScriptCommand, scriptSource } from "../fuzz/script.ts";
import {
  type Failure,
  loadRules,
  loadTarget,
  openPolyfillLab,
  type PolyfillTarget,
  type Rule,
  ruleMatches,
  setupUrlPath,
} from "./polyfill.ts";

/** The exact categories: times and counts are too noisy for a fuzzer. */
const EXACT = ["calls", "events", "attributes"];

const usesRequestData = (c: ScriptCommand) =>
  c.op === "requestData" || (c.op === "onEvent" && c.call === "requestData");

/**
 * Scripts, optionally without `requestData()` and without an `audio/*` type on a stream
 * with video (known differences of extendable-media-recorder, explained in its summary).
 */
export function polyfillScriptArb(
  options: { requestData?: boolean; audioTypeOnVideo?: boolean } = {},
): fc.Arbitrary<Script> {
  return scriptArb.map((s) => ({
    ...s,
    kinds: options.audioTypeOnVideo === false && s.mimeType?.startsWith("audio/")
      ? "audio" as const
      : s.kinds,
    commands: options.requestData === false
      ? s.commands.filter((c) => !usesRequestData(c))
      : s.commands,
  }));
}

/** The exact checks the polyfill run fails against the plain runs that no rule explains. */
export function unexplained(
  plain: ObservedRun[],
  poly: ObservedRun,
  rules: Rule[],
): Failure[] {
  return compareRuns(plain, poly)
    .filter((c) => !c.pass && EXACT.includes(c.category))
    .map((c) => ({ ...c, side: "chromium" as const, reason: null }))
    .filter((f) => !rules.some((r) => ruleMatches(r, "fuzz/script", f)));
}

/** What a campaign found. */
export interface PolyfillFuzzOutcome {
  /** Scripts run. */
  runs: number;
  /** The shrunk script and its unexplained differences. */
  found?: { script: Script; source: string; failed: Failure[] };
}

/** Runs a campaign against the target. */
export async function polyfillFuzz(
  target: PolyfillTarget,
  options: {
    seed?: number;
    budgetMs: number;
    requestData?: boolean;
    audioTypeOnVideo?: boolean;
    log?: (line: string) => void;
  },
): Promise<PolyfillFuzzOutcome> {
  const log = options.log ?? console.log;
  const seed = options.seed ?? 1;
  const rules = await loadRules(target);
  const setup = setupUrlPath(target);
  const lab = await openPolyfillLab();
  let runs = 0;
  let last: { script: Script; failed: Failure[] } | undefined;
  const started = Date.now();
  try {
    const property = fc.asyncProperty(
      polyfillScriptArb(options),
      async (script) => {
        runs++;
        const source = scriptSource(script);
        const poly = [await lab.runSource(source, setup)];
        const plain = [await lab.runSource(source, null)];
        let failed = unexplained(plain, poly[0]!, rules);
        if (failed.length > 0) {
          // Confirm: both race (e.g. start() right after stop()), so five plain runs, and
          // three polyfill runs that must all differ from every one of them.
          for (let i = 0; i < 4; i++) plain.push(await lab.runSource(source, null));
          poly.push(await lab.runSource(source, setup), await lab.runSource(source, setup));
          const each = poly.map((p) => unexplained(plain, p, rules));
          failed = each.some((f) => f.length === 0) ? [] : each[0]!;
        }
        if (failed.length === 0) return true;
        last = { script, failed };
        log(
          `  differs (${script.commands.length} commands): ${failed.map((f) => f.name).join(", ")}`,
        );
        return false;
      },
    );
    const result = await fc.check(property, {
      seed,
      numRuns: 1_000_000,
      interruptAfterTimeLimit: options.budgetMs,
      markInterruptAsFailure: false,
    });
    log(
      `${target.name} fuzz, seed ${seed}: ${runs} scripts in ${
        ((Date.now() - started) / 1000).toFixed(0)
      } s` +
        (result.failed
          ? `, difference shrunk in ${result.numShrinks} steps`
          : ", no new difference"),
    );
    if (!result.failed || !result.counterexample || !last) return { runs };
    const script = result.counterexample[0] as Script;
    const source = scriptSource(script);
    const found = { script, source, failed: last.failed };
    const file = new URL("fuzz_found.json", target.dir);
    const saved = JSON.parse(await Deno.readTextFile(file).catch(() => "[]")) as unknown[];
    saved.push({ seed, date: new Date().toISOString().slice(0, 10), ...found });
    await Deno.writeTextFile(file, JSON.stringify(saved, null, 1) + "\n");
    log(`saved to ${file.pathname}:\n${source}`);
    for (const f of found.failed) {
      log(`  [${f.category}] ${f.name}\n    chromium: ${f.browser}\n    polyfill: ${f.recsim}`);
    }
    return { runs, found };
  } finally {
    await lab.close();
  }
}

if (import.meta.main) {
  const { positionals, values } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      seed: { type: "string" },
      "time-budget": { type: "string" },
      "no-request-data": { type: "boolean" },
      "no-audio-type-on-video": { type: "boolean" },
    },
  });
  if (!browserAvailable("chromium")) {
    console.error("chromium is missing: apt-get install -y chromium");
    Deno.exit(2);
  }
  const target = await loadTarget(
    positionals[0] ?? "conformance/targets/extendable_media_recorder",
  );
  await polyfillFuzz(target, {
    seed: values.seed ? Number(values.seed) : 1,
    budgetMs: Number(values["time-budget"] ?? 120) * 1000,
    requestData: !values["no-request-data"],
    audioTypeOnVideo: !values["no-audio-type-on-video"],
  });
}
