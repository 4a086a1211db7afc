/**
 * `deno task fuzz`: model-based fuzzing of the recorder's state machine and timeslice
 * behaviour. See `cli_args.ts` for the flags, `campaign.ts` for what a campaign does.
 *
 * ```sh
 * deno task fuzz --runs 200                   # a quick campaign
 * deno task fuzz --time-budget 2m --seed 1    # CI: fixed seed, time budget
 * deno task fuzz --shard 3/8 --seed 42        # one machine of an 8-way matrix
 * deno task fuzz --replay "42:17:0:3" --trace out/   # replay a failure, write its trace
 * ```
 *
 * @module
 */
import fc from "fast-check";
import { type CampaignOptions, formatFailure, runCampaign, shardSeed } from "./campaign.ts";
import { parseArgs, USAGE } from "./cli_args.ts";
import { formatCoverage } from "./coverage.ts";
import { threadCpuMs } from "./cpu_time.ts";
import { wrapped } from "./fuzz_encoder.ts";
import { KNOWN_BUGS, tolerance } from "./known_bugs.ts";
import { failedRun } from "./runner.ts";
import type { EncoderProvider } from "../src/encoding/encoder.ts";

/** The message when `--encoder libav` is asked for before the libav encoder exists. */
export const LIBAV_MISSING = "libav campaigns arrive with the libav encoder";

const LIBAV_PROVIDER = new URL("../src/encoding/libav/provider.ts", import.meta.url);

function isProvider(value: unknown): value is EncoderProvider {
  const p = value as Partial<EncoderProvider> | null;
  return !!p && typeof p === "object" && typeof p.create === "function" &&
    typeof p.supportsContainer === "function" && typeof p.supportsCodec === "function";
}

/**
 * Finds an EncoderProvider among a module's exports: a provider object, or one made by a
 * `create…Encoder()` factory.
 */
export function providerIn(module: Record<string, unknown>): EncoderProvider | null {
  for (const value of Object.values(module)) if (isProvider(value)) return value;
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === "function" && /^create\w*Encoder$/.test(name)) {
      const made = (value as () => unknown)();
      if (isProvider(made)) return made;
    }
  }
  return null;
}

async function exists(url: URL): Promise<boolean> {
  try {
    await Deno.stat(url);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the CLI with `argv`; returns the exit code (0 passed, 1 a failure, 2 bad flags).
 * Output goes to `print`.
 */
export async function main(
  argv: readonly string[],
  print: (line: string) => void = console.log,
): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, () => Math.floor(Math.random() * 2 ** 31));
  } catch (error) {
    print((error as Error).message);
    return 2;
  }
  if (args.help) {
    print(USAGE);
    return 0;
  }
  tolerance.strict = args.strict;
  const options: CampaignOptions = { seed: args.seed };
  if (args.encoder === "libav") {
    if (!(await exists(LIBAV_PROVIDER))) {
      print(LIBAV_MISSING);
      return 0;
    }
    const provider = providerIn(await import(LIBAV_PROVIDER.href));
    if (!provider) {
      print(`${LIBAV_PROVIDER.pathname} exports no EncoderProvider`);
      return 2;
    }
    wrapped.provider = provider;
    wrapped.synthetic = false;
    options.encoder = fc.constant({ mode: "direct" as const });
    options.audioRates = [48000];
    options.runs = args.runs ?? 20; // real codecs: smaller campaigns
  } else if (args.runs !== undefined || args.timeBudgetMs === undefined) {
    options.runs = args.runs ?? 1000;
  }
  if (args.timeBudgetMs !== undefined) options.timeBudgetMs = args.timeBudgetMs;
  if (args.maxCommands !== undefined) options.maxCommands = args.maxCommands;
  if (args.profile !== undefined) options.profile = { base: args.profile };
  if (args.replay) {
    options.seed = args.replay.seed;
    options.path = args.replay.path;
  } else if (args.shard) options.shard = args.shard;
  const known = Object.keys(KNOWN_BUGS);
  const what = args.replay ? `replay ${args.replay.seed}:${args.replay.path}` : [
    `seed ${args.seed}`,
    args.shard
      ? `shard ${args.shard.index}/${args.shard.count} (fast-check seed ${
        shardSeed(args.seed, args.shard)
      })`
      : "",
    options.timeBudgetMs === undefined
      ? `${options.runs} runs`
      : `${options.timeBudgetMs / 1000} s${options.runs ? ` or ${options.runs} runs` : ""}`,
  ].filter((x) => x !== "").join(", ");
  print(`recsim fuzz: ${what}, encoder ${args.encoder}`);
  // Stack traces of the many expected exceptions (InvalidStateError, …) cost a tenth of a
  // campaign; a failure's replay line reproduces it with full stacks.
  const stackTraceLimit = Error.stackTraceLimit;
  if (!args.replay) Error.stackTraceLimit = 1;
  const cpu0 = threadCpuMs();
  const result = await runCampaign(options).finally(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });
  const cpu1 = threadCpuMs();
  const seconds = result.elapsedMs / 1000;
  print("");
  print(`runs           ${result.runs}`);
  print(`commands       ${result.commands}`);
  print(`elapsed        ${seconds.toFixed(1)} s`);
  print(`runs/s         ${(result.runs / seconds).toFixed(1)}`);
  print(`commands/s     ${(result.commands / seconds).toFixed(0)}`);
  if (cpu0 !== null && cpu1 !== null && cpu1 > cpu0) {
    // On a shared machine wall time counts other processes' turns; this does not.
    print(`per CPU-second ${(result.commands / ((cpu1 - cpu0) / 1000)).toFixed(0)} commands`);
  }
  if (result.slowest) {
    const cpu = result.slowest.cpuMs;
    print(
      `slowest run    ${result.slowest.ms.toFixed(0)} ms${
        cpu === null ? "" : ` (${cpu.toFixed(0)} ms of CPU)`
      }; slowest in CPU ${result.slowestCpuMs?.toFixed(0) ?? "n/a"} ms`,
    );
  }
  if (args.showSlowest && result.slowest) print(JSON.stringify(result.slowest.data));
  print(
    known.length === 0
      ? "known bugs     none open"
      : args.strict
      ? `known bugs     ${known.length} reported (strict)`
      : `known bugs     ${known.length} tolerated (--strict reports them): ${known.join(", ")}`,
  );
  print("");
  print(formatCoverage(result.coverage));
  if (!result.failure) return 0;
  print("");
  print(formatFailure(result.failure));
  if (args.traceDir && failedRun.traceJson !== null) {
    await Deno.mkdir(args.traceDir, { recursive: true });
    const file = `${args.traceDir.replace(/\/$/, "")}/trace.json`;
    await Deno.writeTextFile(file, failedRun.traceJson);
    print(`trace written to ${file}`);
  }
  return 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
