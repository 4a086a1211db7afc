/**
 * A polyfill target (issue 12 item 7, "any MediaRecorder as a target"): a script that
 * installs a MediaRecorder into a page, run on the lab's corpus in Chromium and scored with
 * the lab's comparison rules against
 *
 * - **Chromium**: the committed observations of the same Chromium major (or, for a scenario
 *   that has none, live runs of plain Chromium made now), and
 * - **spec**: recsim's `spec` profile running the same scenario with the same fake devices,
 *   wrapped as a single run.
 *
 * In both comparisons the polyfill's run takes the place `compareRuns` gives recsim.
 *
 * A target is a directory with a `target.json`:
 *
 * ```json
 * {
 *   "name": "extendable-media-recorder",
 *   "setup": "dist/setup.js",
 *   "scenarios": ["scenarios/wav.js"],
 *   "build": [["npm", "ci"], ["node", "build.mjs"]],
 *   "explanations": "explanations.json",
 *   "versions": "dist/versions.json",
 *   "settleMs": 1000
 * }
 * ```
 *
 * `setup` is a browser ES module exporting `install()` (imported by the lab's
 * `browser_entry.js` before each scenario); `scenarios` are the target's own scenario files
 * (ids `<file>/<name>`), run after the corpus; `build` makes `setup`; `explanations` is a
 * list of {@link Rule}s that give failed checks their reasons (matched on the check's name
 * and on both values, so they can be re-applied to `results.json` offline with
 * `--rescore`); `versions` is a JSON file of the bundled packages' versions; `settleMs` is
 * how long the page waits after `install()` (see {@link PolyfillTarget.settleMs}); a
 * `NOTES.md` beside `target.json` goes into the summary.
 *
 * `deno run -A conformance/targets/polyfill.ts <target dir> [--build] [--only id…]
 * [--live-baseline] [--baseline-runs 3] [--no-control] [--write] [--rescore]` writes
 * `results.json` and `SUMMARY.md` into the target's directory.
 *
 * @module
 */
import { type BrowserLab, openBrowserLab } from "../lab/record.ts";
import { parseArgs } from "node:util";
import { browserAvailable } from "../drivers/mod.ts";
import { CATEGORIES, type Category, type Check, compareRuns } from "../lab/compare.ts";
import { loadCorpus, loadObservations } from "../lab/corpus.ts";
import { ffprobeAvailable, fromBase64, probeBytes } from "../lab/probe.ts";
import { DEFAULT_DEVICES, runOnRecsim } from "../lab/recsim_host.ts";
import { devicesOf } from "../lab/replay.ts";
import { percent } from "../lab/score.ts";
import type { LogEntry, Observation, ObservedRun, ProbeResult, Scenario } from "../lab/types.ts";

const repoRoot = new URL("../../", import.meta.url);
const scenariosDir = new URL("../scenarios/", import.meta.url);

/** A target's `target.json`, with paths resolved. */
export interface PolyfillTarget {
  /** The target's name, e.g. `extendable-media-recorder`. */
  name: string;
  /** The target's directory. */
  dir: URL;
  /** The setup module (a file under the repository). */
  setup: URL;
  /** The target's own scenario files. */
  scenarios: URL[];
  /** Commands that build `setup`, run in `dir`. */
  build: string[][];
  /** The explanations file, if any. */
  explanations: URL | null;
  /** A JSON file of the bundled packages' versions, if any (written by the build). */
  versions: URL | null;
  /**
   * Ms the page waits after `install()` before the scenario (passed to the setup module as
   * `?settle=<ms>`), so start-up work of the polyfill (workers, a large bundle) does not
   * land in the scenario's first events; 0 for none.
   */
  settleMs: number;
}

/** Reads `<dir>/target.json`. */
export async function loadTarget(dir: string | URL): Promise<PolyfillTarget> {
  const base = new URL(
    typeof dir === "string" ? (dir.endsWith("/") ? dir : `${dir}/`) : dir,
    `file://${Deno.cwd()}/`,
  );
  const spec = JSON.parse(await Deno.readTextFile(new URL("target.json", base))) as {
    name: string;
    setup: string;
    scenarios?: string[];
    build?: string[][];
    explanations?: string;
    versions?: string;
    settleMs?: number;
  };
  return {
    name: spec.name,
    dir: base,
    setup: new URL(spec.setup, base),
    scenarios: (spec.scenarios ?? []).map((s) => new URL(s, base)),
    build: spec.build ?? [],
    explanations: spec.explanations ? new URL(spec.explanations, base) : null,
    versions: spec.versions ? new URL(spec.versions, base) : null,
    settleMs: spec.settleMs ?? 0,
  };
}

/** Whether the target's setup module has been built. */
export function setupBuilt(target: PolyfillTarget): boolean {
  try {
    return Deno.statSync(target.setup).isFile;
  } catch {
    return false;
  }
}

/** Runs the target's build commands (e.g. `npm ci`, then the bundler). */
export async function buildTarget(target: PolyfillTarget, log = console.log): Promise<void> {
  for (const [cmd, ...args] of target.build) {
    log(`$ ${[cmd, ...args].join(" ")}`);
    const out = await new Deno.Command(cmd!, { args, cwd: target.dir, stdout: "inherit" })
      .output();
    if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed (${out.code})`);
  }
}

/** The URL path of the target's setup module on the lab's server, with `?settle=`. */
export function setupUrlPath(target: PolyfillTarget): string {
  return `/${relativePath(repoRoot, target.setup)}${
    target.settleMs ? `?settle=${target.settleMs}` : ""
  }`;
}

/** A scenario the target runs: a corpus scenario or one of the target's own. */
export interface TargetScenario {
  /** `<file>/<name>`. */
  id: string;
  /** The `file` argument of `browser_entry.js`'s `run()` (relative to `scenarios/`). */
  file: string;
  /** The scenario's name in its file. */
  name: string;
  /** The scenario. */
  run: Scenario;
  /** Whether it is one of the target's own scenarios. */
  own: boolean;
  /** The scenario file's URL. */
  url: string;
}

/** The path of `url` relative to the directory `from` (both file URLs). */
function relativePath(from: URL, url: URL): string {
  const a = from.pathname.split("/").filter(Boolean);
  const b = url.pathname.split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}

/** The corpus, then the target's own scenarios. */
export async function targetScenarios(target: PolyfillTarget): Promise<TargetScenario[]> {
  const out: TargetScenario[] = (await loadCorpus()).map((s) => ({
    ...s,
    own: false,
    url: new URL(`${s.file}.js`, scenariosDir).href,
  }));
  for (const url of target.scenarios) {
    const mod = await import(url.href);
    const base = url.pathname.split("/").pop()!.replace(/\.js$/, "");
    const file = relativePath(scenariosDir, url).replace(/\.js$/, "");
    for (const [name, run] of Object.entries(mod.scenarios as Record<string, Scenario>)) {
      out.push({ id: `${base}/${name}`, file, name, run, own: true, url: url.href });
    }
  }
  return out;
}

/**
 * Chromium with the repository served, running scenarios with or without a setup module
 * per call: the lab's own {@link BrowserLab}.
 */
export type PolyfillLab = BrowserLab;

/** The lab's Chromium (`openBrowserLab`); each run names its setup module, or `null`. */
export function openPolyfillLab(
  options: { endpoint?: string | undefined; log?: (line: string) => void } = {},
): Promise<PolyfillLab> {
  return openBrowserLab("chromium", options);
}

/** Virtual ms after which a spec run is abandoned (the corpus's longest scenario takes ~8 s). */
export const SPEC_MAX_MS = 15_000;
/** A spec run's recordings larger than this are not handed to ffprobe. */
const PROBE_MAX_BYTES = 20_000_000;

/**
 * recsim's `spec` profile on `scenario`, as one observed run, probed when ffprobe is
 * present. `finished` is false when the scenario did not end within {@link SPEC_MAX_MS}
 * of virtual time (then its log ends where it was abandoned).
 */
export async function specRun(
  scenario: Scenario,
  devices = DEFAULT_DEVICES.chromium,
): Promise<ObservedRun & { finished: boolean }> {
  let finished = false;
  const wrapped: Scenario = async (lab) => {
    await scenario(lab);
    finished = true;
  };
  const options = { profile: "spec", devices, maxMs: SPEC_MAX_MS };
  let result = await runOnRecsim(wrapped, options);
  const size = result.recorders.reduce((a, r) => a + r.chunks.reduce((p, q) => p + q, 0), 0);
  const probe = ffprobeAvailable() && finished && size <= PROBE_MAX_BYTES;
  if (probe) result = await runOnRecsim(scenario, { ...options, bytes: true });
  const run: ObservedRun & { finished: boolean } = { ...result, finished };
  if (probe) {
    run.probe = {};
    for (const r of result.recorders) {
      run.probe[r.name] = r.bytes
        ? await probeBytes(fromBase64(r.bytes))
        : { ok: false, codecs: [] };
    }
  }
  for (const r of result.recorders) delete r.bytes;
  return run;
}

/** Wall-clock ms after which {@link SpecRunner} gives up on a spec run. */
export const SPEC_WALL_MS = 30_000;

/**
 * Runs {@link specRun} in a worker, reused from run to run, and stops a run after
 * {@link SPEC_WALL_MS} of wall-clock time (a spec run can spin: see SUMMARY.md); a stopped
 * run gives null and the next run gets a fresh worker.
 */
export class SpecRunner {
  #worker: Worker | null = null;
  #next = 0;

  /** Runs `s` on recsim's spec profile with `devices`. */
  run(
    s: TargetScenario,
    devices = DEFAULT_DEVICES.chromium,
  ): Promise<(ObservedRun & { finished: boolean }) | null> {
    const worker = this.#worker ??= new Worker(
      new URL("./spec_worker.ts", import.meta.url).href,
      { type: "module" },
    );
    const id = ++this.#next;
    const { promise, resolve, reject } = Promise.withResolvers<
      (ObservedRun & { finished: boolean }) | null
    >();
    const timer = setTimeout(() => {
      worker.terminate();
      this.#worker = null;
      resolve(null);
    }, SPEC_WALL_MS);
    worker.onmessage = (e) => {
      if (e.data.id !== id) return;
      if (e.data.ok) resolve(e.data.run);
      else reject(new Error(`spec run of ${s.id}: ${e.data.error}`));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      this.#worker = null;
      reject(new Error(`spec run of ${s.id}: ${e.message}`));
    };
    worker.postMessage({ id, url: s.url, name: s.name, devices });
    return promise.finally(() => clearTimeout(timer));
  }

  /** Stops the worker. */
  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}

/** A comparison's checks, counted. */
export interface Tally {
  /** Checks passed. */
  passed: number;
  /** Checks. */
  total: number;
  /** Per category. */
  byCategory: Record<Category, { passed: number; total: number }>;
}

function emptyTally(): Tally {
  return {
    passed: 0,
    total: 0,
    byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, { passed: 0, total: 0 }])) as Tally[
      "byCategory"
    ],
  };
}

function addChecks(t: Tally, checks: Check[]): void {
  for (const c of checks) {
    t.total++;
    t.byCategory[c.category].total++;
    if (c.pass) {
      t.passed++;
      t.byCategory[c.category].passed++;
    }
  }
}

/** A failed check, with the reason the target's explanations give. */
export interface Failure extends Check {
  /** The comparison: against Chromium or against the spec profile. */
  side: "chromium" | "spec";
  /** The reason, or null when unexplained. */
  reason: string | null;
  /** (vs spec only) whether the polyfill's value is Chromium's too (the check did not fail vs Chromium). */
  asChromium?: boolean;
  /**
   * (vs Chromium only) whether plain Chromium, run now beside the polyfill (the control),
   * fails the same check: then the machine (load, timing), not the polyfill, is the likely cause.
   */
  controlFails?: boolean;
}

/** The result of one scenario. */
export interface ScenarioResult {
  /** `<file>/<name>`. */
  id: string;
  /** Whether it is one of the target's own scenarios. */
  own: boolean;
  /** Where the Chromium runs came from, or null when there were none. */
  baseline: string | null;
  /** The browser's error when the polyfill run did not finish. */
  error?: string;
  /** What the polyfill recorded: per recorder, chunk sizes, first bytes and ffprobe's codecs. */
  recorded?: {
    name: string;
    chunks: number;
    bytes: number;
    head: string | null;
    codecs?: string;
  }[];
  /** A crash of the scenario under the polyfill (an exception that escaped it). */
  crash?: string;
  /** Against Chromium (null without a baseline). */
  vsChromium: (Tally & { failed: Failure[] }) | null;
  /** Against recsim's spec profile. */
  vsSpec: (Tally & { failed: Failure[] }) | null;
  /** The control: plain Chromium run now, against the same Chromium observations. */
  control?: Tally | null;
  /** Chromium itself (its first observed run) against the spec run: how far Chromium is from spec. */
  chromiumVsSpec?: Tally | null;
  /**
   * False when recsim's spec run did not finish within SPEC_MAX_MS of virtual time or
   * SPEC_WALL_MS of wall-clock time.
   */
  specFinished: boolean;
  /** Wall-clock seconds for the scenario (baseline, control, spec and polyfill runs). */
  seconds: number;
}

/** What {@link runPolyfillTarget} writes to `results.json`. */
export interface TargetResults {
  /** The target's name. */
  target: string;
  /** The bundled packages' versions, as the setup module reports them. */
  versions: Record<string, string>;
  /** The browser that ran it. */
  browser: string;
  /** The observation directory of the Chromium baseline. */
  observations: string;
  /** ISO date. */
  date: string;
  /** Wall-clock seconds of the run. */
  seconds: number;
  /** Totals against Chromium and against spec (all scenarios, then corpus only). */
  scores: {
    vsChromium: Tally & { scenarios: number };
    vsSpec: Tally & { scenarios: number };
    corpusVsChromium: Tally & { scenarios: number };
    corpusVsSpec: Tally & { scenarios: number };
    corpusControl: Tally & { scenarios: number };
    corpusChromiumVsSpec: Tally & { scenarios: number };
  };
  /** Explanations no failed check used (stale). */
  stale: string[];
  /** Per scenario. */
  scenarios: ScenarioResult[];
}

/**
 * An explanation rule of `explanations.json` (a list, first match wins). Every given field
 * must match: `side` ("chromium" or "spec"), `scenario` (an id, or a prefix ending in `*`),
 * `category`, `check` (a check name, or a prefix ending in `*`), `polyfill` and `other`
 * (regular expressions on the polyfill's value and the other side's), and `sameWithout` (a
 * regular expression: the values are equal once every match is removed from both, so
 * this is the only difference), `asChromium` and `controlFails` (the failure's flags).
 */
export interface Rule {
  /** The comparison. */
  side?: "chromium" | "spec";
  /** Scenario id or prefix*. */
  scenario?: string;
  /** The check's category. */
  category?: Category;
  /** Check name or prefix*. */
  check?: string;
  /** A regular expression the polyfill's value matches. */
  polyfill?: string;
  /** A regular expression the other side's value matches. */
  other?: string;
  /** The only difference: equal once matches of this regular expression are removed. */
  sameWithout?: string;
  /** (spec side) Whether the polyfill's value is Chromium's too. */
  asChromium?: boolean;
  /** (Chromium side) Whether plain Chromium run beside the polyfill fails the check too. */
  controlFails?: boolean;
  /** The explanation. */
  reason: string;
}

/** Reads the target's rules (none without an explanations file). */
export async function loadRules(target: PolyfillTarget): Promise<Rule[]> {
  if (!target.explanations) return [];
  try {
    return JSON.parse(await Deno.readTextFile(target.explanations)) as Rule[];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

const glob = (pattern: string, value: string) =>
  pattern.endsWith("*") ? value.startsWith(pattern.slice(0, -1)) : pattern === value;

/** Whether `rule` explains failure `f` of scenario `id`. */
export function ruleMatches(rule: Rule, id: string, f: Failure): boolean {
  if (rule.side && rule.side !== f.side) return false;
  if (rule.scenario && !glob(rule.scenario, id)) return false;
  if (rule.category && rule.category !== f.category) return false;
  if (rule.asChromium !== undefined && rule.asChromium !== (f.asChromium ?? false)) return false;
  if (rule.controlFails !== undefined && rule.controlFails !== (f.controlFails ?? false)) {
    return false;
  }
  if (rule.check && !glob(rule.check, f.name)) return false;
  if (rule.polyfill && !new RegExp(rule.polyfill).test(f.recsim)) return false;
  if (rule.other && !new RegExp(rule.other).test(f.browser)) return false;
  if (rule.sameWithout) {
    const strip = (v: string) => v.replace(new RegExp(rule.sameWithout!, "g"), "");
    const mine = strip(f.recsim);
    if (!f.browser.split(" | ").some((v) => strip(v) === mine)) return false;
  }
  return true;
}

/** Sets each failure's reason from `rules`; gives the rules nothing matched (stale). */
export function explain(out: TargetResults, rules: Rule[]): string[] {
  const used = new Set<number>();
  for (const r of out.scenarios) {
    for (const f of r.vsChromium?.failed ?? []) f.side = "chromium";
    for (const f of r.vsSpec?.failed ?? []) f.side = "spec";
    if (r.vsChromium) {
      // As Chromium: unless the same check failed against Chromium (a check the Chromium
      // comparison lacks is a point neither Chromium nor the polyfill has).
      const differs = new Set(r.vsChromium.failed.map((f) => `${f.category}|${f.name}`));
      for (const f of r.vsSpec?.failed ?? []) {
        f.asChromium = !differs.has(`${f.category}|${f.name}`);
      }
    }
    for (const f of [...(r.vsChromium?.failed ?? []), ...(r.vsSpec?.failed ?? [])]) {
      const i = rules.findIndex((rule) => ruleMatches(rule, r.id, f));
      f.reason = i < 0 ? null : rules[i]!.reason;
      if (i >= 0) used.add(i);
    }
  }
  return rules.flatMap((rule, i) => (used.has(i) ? [] : [JSON.stringify(rule)]));
}

/** Writes results.json and SUMMARY.md, formatted as `deno fmt` would (best effort). */
async function writeOutputs(target: PolyfillTarget, out: TargetResults): Promise<void> {
  const files = [new URL("results.json", target.dir), new URL("SUMMARY.md", target.dir)];
  // One line per scenario (deno fmt keeps it so), without the per-category tallies of a
  // scenario (the totals have them): the file stays readable in a diff and small.
  const slim = (t: (Tally & { failed?: Failure[] }) | null | undefined) =>
    t ? { passed: t.passed, total: t.total, ...(t.failed ? { failed: t.failed } : {}) } : t;
  const rows = out.scenarios.map((r) =>
    JSON.stringify({
      ...r,
      vsChromium: slim(r.vsChromium),
      vsSpec: slim(r.vsSpec),
      control: slim(r.control),
      chromiumVsSpec: slim(r.chromiumVsSpec),
    })
  );
  const head = JSON.stringify({ ...out, scenarios: [] }, null, 2);
  const json = head.replace('"scenarios": []', `"scenarios": [\n    ${rows.join(",\n    ")}\n  ]`);
  await Deno.writeTextFile(files[0]!, json + "\n");
  await Deno.writeTextFile(files[1]!, await summarize(target, out));
  await new Deno.Command(Deno.execPath(), {
    args: [
      "fmt",
      "--quiet",
      "--config",
      new URL("deno.json", repoRoot).pathname,
      ...files.map((f) => f.pathname),
    ],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => {});
}

/** Re-applies the target's rules to its `results.json` and rewrites it and `SUMMARY.md`. */
export async function rescore(target: PolyfillTarget): Promise<TargetResults> {
  const path = new URL("results.json", target.dir);
  const out = JSON.parse(await Deno.readTextFile(path)) as TargetResults;
  out.stale = explain(out, await loadRules(target));
  await writeOutputs(target, out);
  return out;
}

/** Options of {@link runPolyfillTarget}. */
export interface PolyfillRunOptions {
  /** Only scenarios whose id contains one of these. */
  only?: string[] | undefined;
  /** Run plain Chromium live for corpus scenarios without a committed observation. */
  liveBaseline?: boolean;
  /** Live Chromium runs per scenario when needed (default 3). */
  baselineRuns?: number;
  /** A remote Chromium endpoint. */
  endpoint?: string | undefined;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Write results.json and SUMMARY.md (default true). */
  write?: boolean;
  /**
   * Run plain Chromium once beside each polyfill run of a scenario with committed
   * observations, scored against them too (default true): a control for the machine's load.
   */
  control?: boolean;
}

function recordedOf(run: ObservedRun): NonNullable<ScenarioResult["recorded"]> {
  return run.recorders.map((r) => ({
    name: r.name,
    chunks: r.chunks.length,
    bytes: r.chunks.reduce((a, b) => a + (b ?? 0), 0),
    head: r.head,
    ...(run.probe?.[r.name]
      ? {
        codecs: run.probe[r.name]!.ok ? run.probe[r.name]!.codecs.join(",") : "not readable",
      }
      : {}),
  }));
}

/** The probes of a run as `compareRuns` takes them for its "recsim" side. */
function probesOf(run: ObservedRun): Record<string, ProbeResult> | undefined {
  return run.probe;
}

/**
 * Runs the corpus and the target's own scenarios with the polyfill in Chromium and scores
 * them against Chromium and recsim's spec profile.
 */
export async function runPolyfillTarget(
  target: PolyfillTarget,
  options: PolyfillRunOptions = {},
): Promise<TargetResults> {
  const log = options.log ?? console.log;
  const started = performance.now();
  const scenarios = (await targetScenarios(target)).filter((s) =>
    !options.only || options.only.some((o) => s.id.includes(o))
  );
  const setupPath = setupUrlPath(target);
  const lab = await openPolyfillLab({ endpoint: options.endpoint, log: () => {} });
  const major = lab.target.fullVersion.split(".")[0];
  const obsKey = `chromium-${major}`;
  const observed = (await loadObservations()).get(obsKey) ?? new Map<string, Observation>();
  const results: ScenarioResult[] = [];
  const specRunner = new SpecRunner();
  const versions: Record<string, string> = target.versions
    ? JSON.parse(await Deno.readTextFile(target.versions).catch(() => "{}"))
    : {};
  try {
    log(`${target.name} in chromium ${lab.target.fullVersion}: ${scenarios.length} scenarios`);
    for (const s of scenarios) {
      const t0 = performance.now();
      // The Chromium baseline: committed observations, else live runs of plain Chromium.
      let obs = observed.get(s.id) ?? null;
      let baseline: string | null = obs ? `observations/${obsKey} (${obs.runs.length} runs)` : null;
      if (!obs && (s.own || options.liveBaseline)) {
        const runs: ObservedRun[] = [];
        for (let i = 0; i < (options.baselineRuns ?? 3); i++) {
          try {
            runs.push(await lab.runScenario(s.file, s.name, null));
          } catch (e) {
            log(`  ${s.id}: live chromium run ${i + 1}: ${(e as Error).message}`);
          }
        }
        if (runs.length > 0) {
          obs = {
            scenario: s.id,
            engine: "chromium",
            version: lab.target.fullVersion,
            recorded: new Date().toISOString().slice(0, 10),
            runs,
          };
          baseline = `live chromium ${lab.target.fullVersion} (${runs.length} runs)`;
        }
      }
      const devices = obs ? devicesOf(obs) : DEFAULT_DEVICES.chromium;
      const spec = (await specRunner.run(s, devices)) ??
        {
          log: [{ k: "crash", error: "timeout", message: "spec run stopped" }],
          recorders: [],
          finished: false,
        };
      const result: ScenarioResult = {
        id: s.id,
        own: s.own,
        baseline,
        vsChromium: null,
        vsSpec: null,
        specFinished: spec.finished,
        seconds: 0,
      };
      let control: ObservedRun | null = null;
      if (obs && baseline?.startsWith("observations/") && (options.control ?? true)) {
        try {
          control = await lab.runScenario(s.file, s.name, null);
        } catch (e) {
          log(`  ${s.id}: control run failed: ${(e as Error).message.split("\n")[0]}`);
        }
      }
      let run: ObservedRun;
      try {
        run = await lab.runScenario(s.file, s.name, setupPath);
      } catch (e) {
        result.error = (e as Error).message.split("\n")[0]!;
        result.seconds = Math.round((performance.now() - t0) / 100) / 10;
        results.push(result);
        log(`  ${s.id}: polyfill run failed: ${result.error}`);
        continue;
      }
      result.recorded = recordedOf(run);
      const crash = (run.log as LogEntry[]).find((e) => e.k === "crash");
      if (crash) result.crash = `${crash.error}: ${crash.message}`;
      const score = (key: "chromium" | "spec", checks: Check[]) => {
        const tally = emptyTally();
        addChecks(tally, checks);
        const failed: Failure[] = checks.filter((c) => !c.pass).map((c) => ({
          ...c,
          reason: null,
          side: key,
        }));
        return { ...tally, failed };
      };
      // A spec run that did not finish is recsim's problem, not the target's: not scored.
      if (spec.finished) result.vsSpec = score("spec", compareRuns([spec], run, probesOf(run)));
      if (obs) {
        const checks = compareRuns(obs.runs, run, probesOf(run));
        result.vsChromium = score("chromium", checks);
        if (spec.finished && obs.runs[0]) {
          result.chromiumVsSpec = emptyTally();
          addChecks(result.chromiumVsSpec, compareRuns([spec], obs.runs[0], obs.runs[0].probe));
        }
        if (control) {
          const controlChecks = compareRuns(obs.runs, control, control.probe);
          result.control = emptyTally();
          addChecks(result.control, controlChecks);
          const fails = new Set(
            controlChecks.filter((c) => !c.pass).map((c) => `${c.category}|${c.name}`),
          );
          for (const f of result.vsChromium.failed) {
            f.controlFails = fails.has(`${f.category}|${f.name}`);
          }
        }
      }
      result.seconds = Math.round((performance.now() - t0) / 100) / 10;
      results.push(result);
      const show = (t: Tally | null) => (t ? `${t.passed}/${t.total}` : "—");
      log(
        `  ${s.id}: vs chromium ${show(result.vsChromium)} (control ${
          show(result.control ?? null)
        }), vs spec ${show(result.vsSpec)} (${((performance.now() - t0) / 1000).toFixed(1)} s)${
          result.crash ? ` crash ${result.crash}` : ""
        }`,
      );
    }
  } finally {
    specRunner.close();
    await lab.close();
  }
  const total = (pick: (r: ScenarioResult) => Tally | null, corpusOnly: boolean) => {
    const t = { ...emptyTally(), scenarios: 0 };
    for (const r of results) {
      const x = pick(r);
      if (!x || (corpusOnly && r.own)) continue;
      t.scenarios++;
      t.passed += x.passed;
      t.total += x.total;
      for (const c of CATEGORIES) {
        t.byCategory[c].passed += x.byCategory[c].passed;
        t.byCategory[c].total += x.byCategory[c].total;
      }
    }
    return t;
  };
  const out: TargetResults = {
    target: target.name,
    versions,
    browser: `chromium ${lab.target.fullVersion}`,
    observations: obsKey,
    date: new Date().toISOString().slice(0, 10),
    seconds: Math.round((performance.now() - started) / 1000),
    scores: {
      vsChromium: total((r) => r.vsChromium, false),
      vsSpec: total((r) => r.vsSpec, false),
      corpusVsChromium: total((r) => r.vsChromium, true),
      corpusVsSpec: total((r) => r.vsSpec, true),
      corpusControl: total((r) => r.control ?? null, true),
      corpusChromiumVsSpec: total((r) => r.chromiumVsSpec ?? null, true),
    },
    stale: [],
    scenarios: results,
  };
  const stale = explain(out, await loadRules(target));
  if (!options.only) out.stale = stale;
  if (options.write ?? true) await writeOutputs(target, out);
  return out;
}

function scoreTable(rows: [string, (Tally & { scenarios: number }) | undefined][]): string {
  const head = `| | scenarios | ${CATEGORIES.join(" | ")} | all |`;
  const sep = `|---|---:|${CATEGORIES.map(() => "---:").join("|")}|---:|`;
  const cell = (p: number, t: number) => (t === 0 ? "—" : `${p}/${t} (${percent(p, t)})`);
  const body = rows.filter((r): r is [string, Tally & { scenarios: number }] => !!r[1]).map((
    [label, t],
  ) =>
    `| ${label} | ${t.scenarios} | ${
      CATEGORIES.map((c) => cell(t.byCategory[c].passed, t.byCategory[c].total)).join(" | ")
    } | **${cell(t.passed, t.total)}** |`
  );
  return [head, sep, ...body].join("\n");
}

/** Groups failures by reason: reason → scenario ids and an example. */
function byReason(results: ScenarioResult[], pick: (r: ScenarioResult) => Failure[] | undefined) {
  const groups = new Map<
    string,
    { ids: Set<string>; checks: number; example: Failure & { id: string } }
  >();
  for (const r of results) {
    for (const f of pick(r) ?? []) {
      const key = f.reason ?? `(unexplained) [${f.category}] ${f.name.replace(/ #\d+$/, "")}`;
      const g = groups.get(key) ??
        { ids: new Set<string>(), checks: 0, example: { ...f, id: r.id } };
      g.ids.add(r.id);
      g.checks++;
      groups.set(key, g);
    }
  }
  return [...groups].sort((a, b) => b[1].checks - a[1].checks);
}

const clip = (s: string, n = 100) =>
  (s.length > n ? `${s.slice(0, n)}…` : s).replaceAll("|", "\\|");

/** The markdown summary: scores, then the differences grouped by their explanation. */
export async function summarize(target: PolyfillTarget, out: TargetResults): Promise<string> {
  const s = out.scores;
  const versions = Object.entries(out.versions).map(([k, v]) => `\`${k}@${v}\``).join(", ");
  const lines: string[] = [
    `# ${out.target} as a MediaRecorder target`,
    "",
    "Generated by `deno run -A conformance/targets/polyfill.ts " +
    `${relativePath(repoRoot, target.dir)}\` on ${out.date} (${out.seconds} s): ${versions} ` +
    `installed as \`MediaRecorder\` in ${out.browser}, running the lab's corpus and the ` +
    "target's own scenarios, scored with the lab's comparison rules (`conformance/lab/compare.ts`) " +
    `against Chromium (\`observations/${out.observations}\`, or live runs of plain Chromium where ` +
    "no observation is committed) and against recsim's `spec` profile (one run, same fake devices). " +
    "In both comparisons the polyfill stands where recsim stands in the lab's replay.",
    "",
    "## Scores",
    "",
    scoreTable([
      ["vs Chromium (corpus)", s.corpusVsChromium],
      ["control: plain Chromium now vs Chromium (corpus)", s.corpusControl],
      ["vs spec (corpus)", s.corpusVsSpec],
      ["reference: Chromium's observations vs spec (corpus)", s.corpusChromiumVsSpec],
      ["vs Chromium (all, with the target's own)", s.vsChromium],
      ["vs spec (all, with the target's own)", s.vsSpec],
    ]),
    "",
  ];
  const missing = out.scenarios.filter((r) => !r.vsChromium).map((r) => r.id);
  if (missing.length) {
    lines.push(
      `${missing.length} scenarios had no Chromium baseline (not yet recorded) and are scored ` +
        "against spec only.",
      "",
    );
  }
  const unfinished = out.scenarios.filter((r) => !r.specFinished).map((r) => `\`${r.id}\``);
  if (unfinished.length) {
    lines.push(
      `recsim's spec run did not finish for ${unfinished.join(", ")} (stopped after ` +
        `${SPEC_MAX_MS / 1000} s of virtual or ${SPEC_WALL_MS / 1000} s of wall-clock time); ` +
        "these are not scored against spec.",
      "",
    );
  }
  const errors = out.scenarios.filter((r) => r.error || r.crash);
  if (errors.length) {
    lines.push("Scenarios that did not finish or crashed under the polyfill:", "");
    for (const r of errors) lines.push(`- \`${r.id}\`: ${r.error ?? r.crash}`);
    lines.push("");
  }
  const notes = await Deno.readTextFile(new URL("NOTES.md", target.dir)).catch(() => null);
  if (notes) lines.push(notes.trim(), "");
  for (
    const [title, pick] of [
      [
        "Differences from Chromium caused by the polyfill",
        (r: ScenarioResult) => r.vsChromium?.failed.filter((f) => !f.controlFails),
      ],
      [
        "Differences from Chromium that plain Chromium shows too when run beside it (the machine)",
        (r: ScenarioResult) => r.vsChromium?.failed.filter((f) => f.controlFails),
      ],
      [
        "Differences from the spec profile that Chromium does not share",
        (r: ScenarioResult) => r.vsSpec?.failed.filter((f) => f.asChromium === false),
      ],
      [
        "Differences from the spec profile inherited from Chromium",
        (r: ScenarioResult) => r.vsSpec?.failed.filter((f) => f.asChromium !== false),
      ],
    ] as const
  ) {
    const groups = byReason(out.scenarios, pick);
    const checks = groups.reduce((a, [, g]) => a + g.checks, 0);
    lines.push(`## ${title} (${checks} failed checks)`, "");
    if (groups.length === 0) lines.push("None.", "");
    else {
      lines.push("| checks | scenarios | why | example |", "|---:|---:|---|---|");
      for (const [reason, g] of groups) {
        const e = g.example;
        const side = title.includes("spec") ? "spec" : "chromium";
        lines.push(
          `| ${g.checks} | ${g.ids.size} | ${clip(reason, 400)} | \`${e.id}\` ${e.name}: ${side} ${
            clip(e.browser)
          }; polyfill ${clip(e.recsim)} |`,
        );
      }
      lines.push("");
    }
  }
  const found = JSON.parse(
    await Deno.readTextFile(new URL("fuzz_found.json", target.dir)).catch(() => "[]"),
  ) as { seed: number; date: string; source: string; failed: Failure[] }[];
  if (found.length) {
    lines.push(
      "## Found by the fuzzer",
      "",
      "`polyfill_fuzz.ts`: scripts that differ between the polyfill and plain Chromium on an exact " +
        "check that no rule explains, shrunk (see `fuzz_found.json`).",
      "",
    );
    for (const f of found) {
      lines.push(
        `- seed ${f.seed} (${f.date}): ${
          f.failed.map((c) => `[${c.category}] ${c.name}`).join(", ")
        }`,
        "",
        "  ```js",
        ...f.source.split("\n").map((l) => `  ${l}`),
        "  ```",
        "",
      );
    }
  }
  if (out.stale.length) {
    lines.push("Explanations no failed check used:", "");
    for (const x of out.stale) lines.push(`- ${x}`);
    lines.push("");
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const { positionals, values } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      build: { type: "boolean" },
      only: { type: "string", multiple: true },
      "live-baseline": { type: "boolean" },
      "baseline-runs": { type: "string" },
      endpoint: { type: "string" },
      write: { type: "boolean" },
      "no-control": { type: "boolean" },
      rescore: { type: "boolean" },
    },
  });
  const dir = positionals[0] ?? "conformance/targets/extendable_media_recorder";
  const target = await loadTarget(dir);
  if (values.rescore) {
    const out = await rescore(target);
    console.log(`rescored ${out.scenarios.length} scenarios; ${out.stale.length} stale rules`);
    Deno.exit(0);
  }
  if (values.build || !setupBuilt(target)) await buildTarget(target);
  if (!values.endpoint && !browserAvailable("chromium")) {
    console.error("chromium is missing: apt-get install -y chromium");
    Deno.exit(2);
  }
  const out = await runPolyfillTarget(target, {
    only: values.only,
    liveBaseline: values["live-baseline"] ?? false,
    baselineRuns: values["baseline-runs"] ? Number(values["baseline-runs"]) : 3,
    endpoint: values.endpoint,
    write: values.write ?? !values.only,
    control: !values["no-control"],
  });
  const s = out.scores;
  console.log(
    `${out.target}: vs chromium ${s.vsChromium.passed}/${s.vsChromium.total}, vs spec ${s.vsSpec.passed}/${s.vsSpec.total} over ${out.scenarios.length} scenarios in ${out.seconds} s`,
  );
}
