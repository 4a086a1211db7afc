/**
 * Runs one fuzz case: builds the model and the world of a setup, constructs the first
 * recorder in both, runs the commands whose preconditions hold (as fast-check's
 * `asyncModelRun` does), ends the run (stop, settle, final checks) and returns what it
 * executed, what it reached and a fingerprint of the trace and bytes.
 *
 * In scheduled mode the same commands run a second time with the synchronous encoder:
 * "same command list ⇒ same bytes and trace whatever the schedule" (decision 19).
 *
 * @module
 */
import fc, { type Scheduler } from "fast-check";
import type { CaseData, CommandData, Setup } from "./case_data.ts";
import { FuzzCommand } from "./commands.ts";
import { Harness, modelOf } from "./harness.ts";
import type { Coverage, Model } from "./model.ts";
import { expect, Violation } from "./violation.ts";

/** What a run did. */
export interface RunResult {
  /** The commands that ran (preconditions held), in order. */
  executed: CommandData[];
  /** Pairs and termination paths reached. */
  coverage: Coverage;
  /** The trace and chunk bytes, for comparing runs ("" unless asked for). */
  fingerprint: string;
  /** The trace as JSON (for `--trace`). */
  traceJson: string;
}

/** Something `runCommands` can run: fast-check's command wrappers or {@link FuzzCommand}s. */
export interface RunnableCommand {
  /** Precondition. */
  check(m: Readonly<Model>): boolean;
  /** Execution. */
  run(m: Model, h: Harness): Promise<void>;
}

/** The trace of the last run that failed, as JSON (`--trace`). */
export const failedRun: { traceJson: string | null } = { traceJson: null };

/**
 * Runs commands on a fresh world. A {@link Violation} (or any error) propagates after the
 * world is closed; {@link failedRun} keeps the failed run's trace.
 */
export async function runCommands(
  setup: Setup,
  commands: Iterable<RunnableCommand>,
  scheduler: Scheduler | null,
  fingerprint = false,
): Promise<RunResult> {
  const model = modelOf(setup);
  const harness = new Harness(setup, scheduler, fingerprint ? 2 : 1);
  try {
    await harness.init(model, setup.options);
    const executed: CommandData[] = [];
    for (const command of commands) {
      if (!command.check(model)) continue;
      executed.push(dataOf(command));
      await command.run(model, harness);
    }
    await harness.finish(model);
    const traceJson = fingerprint ? harness.world.ua.trace.toJSON() : "";
    return {
      executed,
      coverage: model.coverage,
      fingerprint: fingerprint ? await harness.fingerprint(traceJson) : "",
      traceJson,
    };
  } catch (error) {
    failedRun.traceJson = harness.world.ua.trace.toJSON();
    throw error;
  } finally {
    harness.close();
  }
}

/**
 * Runs a case; in scheduled mode, runs it again with the synchronous encoder and
 * requires the same trace and bytes.
 */
export async function runCase(
  setup: Setup,
  commands: Iterable<RunnableCommand>,
  scheduler: Scheduler | null,
): Promise<RunResult> {
  const scheduled = setup.encoder.mode === "scheduled";
  const result = await runCommands(setup, commands, scheduled ? scheduler : null, scheduled);
  if (!scheduled) return result;
  const direct = await runCommands(
    { ...setup, encoder: { mode: "direct" } },
    result.executed.map((d) => new FuzzCommand(d)),
    null,
    true,
  );
  if (direct.fingerprint !== result.fingerprint) {
    failedRun.traceJson = result.traceJson;
    throw new Violation(
      "schedule",
      `the scheduled encoder (feedInterval ${
        setup.encoder.mode === "scheduled" ? setup.encoder.feedInterval : ""
      }) changed the outcome: ${firstDifference(direct.traceJson, result.traceJson)}`,
    );
  }
  return result;
}

/**
 * Replays saved case data (every command must still run). Scheduled cases get a
 * scheduler drawn from `schedulerSeed`.
 */
export async function replayCase(data: CaseData, schedulerSeed = 1): Promise<RunResult> {
  const scheduler = data.setup.encoder.mode === "scheduled"
    ? fc.sample(fc.scheduler(), { seed: schedulerSeed, numRuns: 1 })[0]!
    : null;
  const result = await runCase(data.setup, data.commands.map((d) => new FuzzCommand(d)), scheduler);
  expect(
    result.executed.length === data.commands.length,
    "replay",
    () => `only ${result.executed.length} of ${data.commands.length} saved commands could run`,
  );
  return result;
}

function dataOf(command: RunnableCommand): CommandData {
  const c = command as { cmd?: { data: CommandData }; data?: CommandData };
  const data = c.cmd?.data ?? c.data;
  if (!data) throw new Error("not a fuzz command");
  return data;
}

function firstDifference(a: string, b: string): string {
  const ea = (JSON.parse(a) as { entries: unknown[] }).entries;
  const eb = (JSON.parse(b) as { entries: unknown[] }).entries;
  for (let i = 0; i < Math.max(ea.length, eb.length); i++) {
    const x = JSON.stringify(ea[i]), y = JSON.stringify(eb[i]);
    if (x !== y) return `trace entry ${i}: direct ${x}, scheduled ${y}`;
  }
  return "the chunk bytes differ";
}
