/**
 * The live check: a fixed subset of the corpus runs in the browser now and on recsim,
 * and is compared with the same rules as the offline replay, against the fresh runs
 * together with the committed ones of the same browser version (a browser's behaviour is
 * the set of its runs; races make a few fresh runs alone a flaky reference). Failed
 * checks explained in `divergences.json` are reported, not failed; the run fails on an
 * unexplained failure of an exact or structural check (times and counts are printed: a
 * loaded CI machine stretches real time, and decision 30 forbids widening margins per
 * run). Fresh runs whose exact sequences match no committed run are printed as drift: the
 * browser changed, or raced in a new way; re-record when it persists.
 *
 * @module
 */
import type { Profile } from "../../mod.ts";
import { callOutcomes, type Check, compareRuns, eventOrder } from "./compare.ts";
import { engineVersionKey, loadCorpus, loadObservations } from "./corpus.ts";
import { openBrowserLab } from "./record.ts";
import { DEFAULT_DEVICES, runOnRecsim } from "./recsim_host.ts";
import { devicesOf, ENGINE_PROFILES } from "./replay.ts";
import { explainCheck, loadExplanations, percent } from "./score.ts";
import type { Engine, Observation, ObservedRun } from "./types.ts";

/** The live subset: ten scenarios that cover chunking, types, bitrates, state and tracks. */
export const LIVE_SUBSET: readonly string[] = [
  "timeslice/av-1000",
  "timeslice/av-100",
  "timeslice/audio-none",
  "mime/av-video-webm-codecs-vp8-opus",
  "bitrate/bps-1e6-av",
  "state/inactive-methods",
  "state/pause-resume",
  "state/request-data-in-onstart",
  "tracks/stop-all-tracks",
  "reentrant/stop-in-onstart",
];

/** Options of {@link runLive}. */
export interface LiveOptions {
  /** The engine. */
  engine: Engine;
  /** A remote browser endpoint. */
  endpoint?: string | undefined;
  /** Browser runs per scenario (default 2). */
  runs?: number | undefined;
  /** The scenarios (default {@link LIVE_SUBSET}). */
  scenarios?: readonly string[] | undefined;
  /** The recsim profile (default the engine's). */
  profile?: string | Profile | undefined;
  /** Progress lines. */
  log?: ((line: string) => void) | undefined;
}

/** The outcome of a live check. */
export interface LiveResult {
  /** Whether no exact or structural check failed unexplained. */
  ok: boolean;
  /** Every check, with its scenario and explanation. */
  checks: (Check & { scenario: string; reason: string | null })[];
}

/** Runs the live subset and compares; see the module documentation. */
export async function liveCheck(options: LiveOptions): Promise<LiveResult> {
  const log = options.log ?? console.log;
  const corpus = new Map((await loadCorpus()).map((s) => [s.id, s]));
  const explanations = await loadExplanations();
  const lab = await openBrowserLab(options.engine, { endpoint: options.endpoint });
  const key = engineVersionKey(options.engine, lab.target.fullVersion);
  const committed = (await loadObservations()).get(key);
  const out: LiveResult = { ok: true, checks: [] };
  try {
    for (const id of options.scenarios ?? LIVE_SUBSET) {
      const s = corpus.get(id);
      if (!s) throw new Error(`no scenario ${id}`);
      const runs: ObservedRun[] = [];
      for (let i = 0; i < (options.runs ?? 2); i++) {
        runs.push(await lab.runScenario(s.file, s.name));
      }
      const known = committed?.get(id)?.runs ?? [];
      const same = (a: string[], b: string[]) => a.join("\n") === b.join("\n");
      for (const run of runs) {
        if (
          known.length > 0 &&
          !known.some((k) =>
            same(eventOrder(k.log), eventOrder(run.log)) &&
            same(callOutcomes(k.log), callOutcomes(run.log))
          )
        ) log(`drift: ${id}: a fresh ${key} run matches no committed run`);
      }
      const obs: Observation = {
        scenario: id,
        engine: options.engine,
        version: lab.target.fullVersion,
        recorded: "live",
        runs: [...known, ...runs],
      };
      const ours = await runOnRecsim(s.run, {
        profile: options.profile ?? ENGINE_PROFILES[options.engine],
        devices: runs.length ? devicesOf(obs) : DEFAULT_DEVICES[options.engine],
      });
      for (const c of compareRuns(obs.runs, ours)) {
        const reason = c.pass ? null : explainCheck(explanations, key, id, c);
        out.checks.push({ ...c, scenario: id, reason });
        if (!c.pass && !reason && ["calls", "events", "attributes", "bytes"].includes(c.category)) {
          out.ok = false;
          log(
            `✗ ${id} [${c.category}] ${c.name}\n    browser: ${c.browser}\n    recsim:  ${c.recsim}`,
          );
        }
      }
    }
  } finally {
    await lab.close();
  }
  const passed = out.checks.filter((c) => c.pass).length;
  log(
    `live ${key}: ${passed}/${out.checks.length} checks (${percent(passed, out.checks.length)}), ` +
      `${out.checks.filter((c) => !c.pass && c.reason).length} explained divergences, ` +
      (out.ok ? "no unexplained exact divergence" : "UNEXPLAINED DIVERGENCES"),
  );
  return out;
}

/** `deno task conformance live`: true when the live check passes. */
export async function runLive(options: LiveOptions): Promise<boolean> {
  return (await liveCheck(options)).ok;
}
