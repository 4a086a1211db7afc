/**
 * Scores: every committed observation replayed on recsim, checks counted per category,
 * and each failed check matched with its explanation in `divergences.json`.
 *
 * @module
 */
import { CATEGORIES, type Category, type Check } from "./compare.ts";
import { loadCorpus, loadObservations } from "./corpus.ts";
import { ENGINE_PROFILES, replay } from "./replay.ts";
import { ffprobeAvailable } from "./probe.ts";
import type { Engine, Observation } from "./types.ts";

/** A failed check and its explanation, if `divergences.json` has one. */
export interface Divergence extends Check {
  /** The scenario. */
  scenario: string;
  /** The reason given in `divergences.json`, or null when unexplained. */
  reason: string | null;
}

/** The score of one target (a recsim profile) against one engine version. */
export interface Score {
  /** Observation directory, e.g. `chromium-156`. */
  engineVersion: string;
  /** The engine. */
  engine: Engine;
  /** The recsim profile scored. */
  profile: string;
  /** Checks passed and total, per category. */
  byCategory: Record<Category, { passed: number; total: number }>;
  /** Checks passed and total. */
  passed: number;
  /** Total checks. */
  total: number;
  /** Scenarios replayed. */
  scenarios: number;
  /** Failed checks. */
  divergences: Divergence[];
  /** Explanations in `divergences.json` that no failed check uses (stale). */
  stale: string[];
}

/** `divergences.json`: per engine version, per scenario id (or `*`), check name → reason. */
export type Explanations = Record<string, Record<string, Record<string, string>>>;

const root = new URL("../", import.meta.url);

/** Reads `divergences.json`. */
export async function loadExplanations(): Promise<Explanations> {
  try {
    return JSON.parse(await Deno.readTextFile(new URL("divergences.json", root)));
  } catch {
    return {};
  }
}

/**
 * The reason `divergences.json` gives for a failed check: looked up under the scenario,
 * then `<file>/*`, then `*`; a pattern is the check's name, a prefix ending in `*`, or
 * `<category>:*`. `used` collects the patterns that matched.
 */
export function explainCheck(
  explanations: Explanations,
  key: string,
  scenario: string,
  check: Check,
  used: Set<string> = new Set(),
): string | null {
  const table = explanations[key] ?? {};
  for (const s of [scenario, scenario.split("/")[0] + "/*", "*"]) {
    const byCheck = table[s];
    if (!byCheck) continue;
    for (const [pattern, reason] of Object.entries(byCheck)) {
      const hit = pattern === check.name ||
        (pattern.endsWith("*") && check.name.startsWith(pattern.slice(0, -1))) ||
        pattern === `${check.category}:*`;
      if (hit) {
        used.add(`${s} :: ${pattern}`);
        return reason;
      }
    }
  }
  return null;
}

/** Options of {@link scoreAll}. */
export interface ScoreOptions {
  /** Engines to score (default all with observations). */
  engines?: Engine[] | undefined;
  /** Score this recsim profile instead of each engine's own. */
  profile?: string | undefined;
  /** Only scenarios whose id contains one of these. */
  only?: string[] | undefined;
  /** Probe recsim's recordings with ffprobe (default: when ffprobe is present). */
  probe?: boolean;
}

/** Replays every committed observation and scores it. */
export async function scoreAll(options: ScoreOptions = {}): Promise<Score[]> {
  const corpus = new Map((await loadCorpus()).map((s) => [s.id, s]));
  const observations = await loadObservations();
  const explanations = await loadExplanations();
  const probe = options.probe ?? ffprobeAvailable();
  const scores: Score[] = [];
  for (const [key, byScenario] of observations) {
    const engine = key.split("-")[0] as Engine;
    if (options.engines && !options.engines.includes(engine)) continue;
    const profile = options.profile ?? ENGINE_PROFILES[engine];
    const score: Score = {
      engineVersion: key,
      engine,
      profile,
      byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, { passed: 0, total: 0 }])) as Score[
        "byCategory"
      ],
      passed: 0,
      total: 0,
      scenarios: 0,
      divergences: [],
      stale: [],
    };
    const used = new Set<string>();
    for (const [id, obs] of [...byScenario].sort(([a], [b]) => a.localeCompare(b))) {
      if (options.only && !options.only.some((o) => id.includes(o))) continue;
      const scenario = corpus.get(id);
      if (!scenario) continue; // an observation of a scenario no longer in the corpus
      const { checks } = await replay(scenario.run, obs as Observation, { profile, probe });
      score.scenarios++;
      for (const c of checks) {
        score.total++;
        score.byCategory[c.category].total++;
        if (c.pass) {
          score.passed++;
          score.byCategory[c.category].passed++;
        } else if (profile === ENGINE_PROFILES[engine]) {
          score.divergences.push({
            ...c,
            scenario: id,
            reason: explainCheck(explanations, key, id, c, used),
          });
        } else {
          score.divergences.push({ ...c, scenario: id, reason: null });
        }
      }
    }
    if (profile === ENGINE_PROFILES[engine] && !options.only) {
      for (const [s, byCheck] of Object.entries(explanations[key] ?? {})) {
        for (const pattern of Object.keys(byCheck)) {
          if (!used.has(`${s} :: ${pattern}`)) score.stale.push(`${s} :: ${pattern}`);
        }
      }
    }
    scores.push(score);
  }
  return scores;
}

/** Percent with one decimal. */
export function percent(passed: number, total: number): string {
  return total === 0 ? "—" : `${(Math.floor((1000 * passed) / total) / 10).toFixed(1)}%`;
}

/** Prints scores (and with `verbose`, every divergence). */
export function printScores(scores: Score[], verbose: boolean): void {
  for (const s of scores) {
    console.log(
      `${s.profile} vs ${s.engineVersion}: ${s.passed}/${s.total} (${
        percent(s.passed, s.total)
      }) over ${s.scenarios} scenarios`,
    );
    for (const c of CATEGORIES) {
      const b = s.byCategory[c];
      console.log(`  ${c.padEnd(11)} ${b.passed}/${b.total} ${percent(b.passed, b.total)}`);
    }
    if (verbose) {
      for (const d of s.divergences) {
        console.log(`  ✗ ${d.scenario} [${d.category}] ${d.name}`);
        console.log(`      browser: ${d.browser}`);
        console.log(`      recsim:  ${d.recsim}`);
        if (d.reason) console.log(`      why: ${d.reason}`);
      }
    }
  }
}
