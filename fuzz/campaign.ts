/**
 * A campaign: fast-check's `fc.check` over (setup, commands, scheduler) with a fixed
 * number of runs or a time budget, a seed (and shard), replay by seed and path, and a
 * summary: runs, commands, speeds, coverage, and on failure the shrunk case with a
 * one-line replay command.
 *
 * @module
 */
import fc from "fast-check";
import { threadCpuMs } from "./cpu_time.ts";
import type { CaseData, EncoderMode, Setup } from "./case_data.ts";
import { describeCommand } from "./case_data.ts";
import { commandsArb, type FuzzCommand, setupArb } from "./commands.ts";
import { mergeCoverage } from "./coverage.ts";
import { tolerance } from "./known_bugs.ts";
import { type Coverage, newCoverage } from "./model.ts";
import type { ProfileData } from "./profile_model.ts";
import { runCase } from "./runner.ts";

/** What to run. */
export interface CampaignOptions {
  /** Number of runs (default 100; with a time budget, the runs stop at the budget). */
  runs?: number;
  /** Stop after this many ms (CI campaigns; not for unit tests, decision 21). */
  timeBudgetMs?: number;
  /** fast-check seed (default 1). */
  seed?: number;
  /** fast-check path, to replay one run (and its shrinking) exactly. */
  path?: string;
  /** With `path`: fc.commands' replayPath (which commands ran in each shrink step). */
  replayPath?: string;
  /** Run shard `index` of `count` (disjoint seeds). */
  shard?: { index: number; count: number };
  /** Longest command list (default 30). */
  maxCommands?: number;
  /** Encoder modes to draw (default: direct and scheduled). */
  encoder?: fc.Arbitrary<EncoderMode>;
  /** Audio sample rates to draw (default: 8, 16, 44.1 and 48 kHz). */
  audioRates?: number[];
  /** Fixes the profile of every run (default: drawn). */
  profile?: ProfileData;
}

/** The shrunk failure of a campaign. */
export interface CampaignFailure {
  /** The seed fast-check used. */
  seed: number;
  /** The counterexample's path, with fc.commands' replayPath after an `@`. */
  path: string;
  /** The shrunk case as data. */
  data: CaseData;
  /** The error message. */
  error: string;
  /** Shell command that replays it. */
  replay: string;
  /** Runs until the first failure (including it). */
  runsToFind: number;
  /** Successful shrink steps. */
  shrinks: number;
}

/** What a campaign did. */
export interface CampaignResult {
  /** Property executions (runs, plus shrinking runs on failure). */
  runs: number;
  /** Commands executed over all runs. */
  commands: number;
  /** Wall time (ms). */
  elapsedMs: number;
  /** Coverage over all runs. */
  coverage: Coverage;
  /** The failure, if any. */
  failure: CampaignFailure | null;
  /** The slowest passing run (wall ms, CPU ms and case), to keep campaigns fast. */
  slowest: { ms: number; cpuMs: number | null; data: CaseData } | null;
  /** The most main-thread CPU time a passing run took (null where unmeasured). */
  slowestCpuMs: number | null;
}

/** The seed a shard runs with: shards of one campaign never share a seed. */
export function shardSeed(seed: number, shard?: { index: number; count: number }): number {
  if (!shard) return seed;
  return (seed + shard.index * 0x1000000) | 0;
}

/** Splits a replay path `path@replayPath` into fast-check's path and fc.commands' replayPath. */
export function splitReplayPath(path: string): { path: string; replayPath?: string } {
  const at = path.indexOf("@");
  return at < 0 ? { path } : { path: path.slice(0, at), replayPath: path.slice(at + 1) };
}

/** Runs a campaign. */
export async function runCampaign(options: CampaignOptions = {}): Promise<CampaignResult> {
  if (options.path !== undefined && options.replayPath === undefined) {
    options = { ...options, ...splitReplayPath(options.path) };
  }
  const seed = shardSeed(options.seed ?? 1, options.shard);
  const coverage = newCoverage();
  let runs = 0;
  let commands = 0;
  let slowest: CampaignResult["slowest"] = null;
  let slowestCpuMs: number | null = null;
  let lastFailure: { setup: Setup; commands: CaseData["commands"]; error: string } | null = null;
  const property = fc.asyncProperty(
    setupArb(options.encoder, options.audioRates, options.profile),
    commandsArb(options.maxCommands ?? 30, options.replayPath),
    fc.scheduler(),
    async (setup: Setup, cmds: Iterable<FuzzCommand>, scheduler: fc.Scheduler) => {
      runs++;
      const t0 = performance.now();
      const c0 = threadCpuMs();
      try {
        const result = await runCase(setup, cmds, scheduler);
        commands += result.executed.length;
        mergeCoverage(coverage, result.coverage);
        const ms = performance.now() - t0;
        const c1 = threadCpuMs();
        const cpuMs = c0 === null || c1 === null ? null : c1 - c0;
        if (cpuMs !== null && cpuMs > (slowestCpuMs ?? 0)) slowestCpuMs = cpuMs;
        if (!slowest || ms > slowest.ms) {
          slowest = { ms, cpuMs, data: { setup, commands: result.executed } };
        }
      } catch (error) {
        const ran: CaseData["commands"] = [];
        for (const c of cmds) {
          const w = c as unknown as { cmd: FuzzCommand; hasRan: boolean };
          if (w.hasRan) ran.push(w.cmd.data);
        }
        commands += ran.length;
        lastFailure = { setup, commands: ran, error: (error as Error)?.message ?? String(error) };
        throw error;
      }
    },
  );
  const params: fc.Parameters<[Setup, Iterable<FuzzCommand>, fc.Scheduler]> = {
    seed,
    numRuns: options.timeBudgetMs !== undefined
      ? (options.runs ?? 1_000_000)
      : (options.runs ?? 100),
  };
  if (options.path !== undefined) {
    params.path = options.path;
    params.endOnFailure = true;
  }
  if (options.timeBudgetMs !== undefined) {
    params.interruptAfterTimeLimit = options.timeBudgetMs;
    params.markInterruptAsFailure = false;
  }
  const started = performance.now();
  const details = await fc.check(property, params);
  const elapsedMs = performance.now() - started;
  let failure: CampaignFailure | null = null;
  if (details.failed && details.counterexamplePath !== null) {
    const f = lastFailure as { setup: Setup; commands: CaseData["commands"]; error: string } | null;
    const data: CaseData = {
      setup: f?.setup ?? details.counterexample![0],
      commands: f?.commands ?? [],
    };
    // fc.commands needs its replayPath to replay a shrunk case: it rides after an "@".
    const replayPath = /replayPath="([^"]*)"/.exec(String(details.counterexample?.[1]))?.[1];
    const path = replayPath
      ? `${details.counterexamplePath}@${replayPath}`
      : details.counterexamplePath;
    failure = {
      seed: details.seed,
      path,
      data,
      error: f?.error ?? String(details.errorInstance),
      replay: `deno task fuzz --replay "${details.seed}:${path}"${
        tolerance.strict ? " --strict" : ""
      }`,
      runsToFind: details.numRuns,
      shrinks: details.numShrinks,
    };
  }
  return { runs, commands, elapsedMs, coverage, failure, slowest, slowestCpuMs };
}

/** A failure as text: seed, error, the shrunk commands, and the replay command. */
export function formatFailure(f: CampaignFailure): string {
  const lines = [
    `FAILED (seed ${f.seed}, path ${f.path}) after ${f.runsToFind} runs, ${f.shrinks} shrinks`,
    f.error,
    "",
    `setup: ${JSON.stringify(f.data.setup)}`,
    `shrunk to ${f.data.commands.length} commands:`,
    ...f.data.commands.map((c, i) => `  ${String(i + 1).padStart(2)}. ${describeCommand(c)}`),
    "",
    `case data: ${JSON.stringify(f.data)}`,
    "",
    `replay: ${f.replay}`,
  ];
  return lines.join("\n");
}
