/**
 * The flags of `deno task fuzz`.
 *
 * @module
 */

/** Parsed flags. */
export interface FuzzArgs {
  /** `--runs N`. */
  runs?: number;
  /** `--time-budget 60s` in ms. */
  timeBudgetMs?: number;
  /** `--seed S`. */
  seed: number;
  /** `--replay "<seed:path>"`. */
  replay?: { seed: number; path: string };
  /** `--shard i/n` (i from 0 to n−1). */
  shard?: { index: number; count: number };
  /** `--encoder synthetic|libav`. */
  encoder: "synthetic" | "libav";
  /** `--trace DIR`. */
  traceDir?: string;
  /** `--strict`: report known bugs too. */
  strict: boolean;
  /** `--profile spec|chrome|firefox|safari`: every run on that profile (default: drawn). */
  profile?: "spec" | "chrome" | "firefox" | "safari";
  /** `--show-slowest`: print the slowest run's case data. */
  showSlowest?: boolean;
  /** `--max-commands N`. */
  maxCommands?: number;
  /** `--help`. */
  help: boolean;
}

/** The usage text. */
export const USAGE = `deno task fuzz [flags]

  --runs N              number of runs (default 1000; with --time-budget: no limit, or N)
  --time-budget 60s     stop after this long (ms, s or m); for CI campaigns
  --seed S              fast-check seed (default: random, printed)
  --shard i/n           run shard i of n (0-based), disjoint seeds: seed S + i·2^24
  --replay "seed:path"  replay a failure's shrunk case exactly (copy it from the failure's
                        replay line: seed:path@replayPath)
  --trace DIR           with --replay: write the failing run's trace.json into DIR
  --encoder synthetic|libav   encoder to fuzz (libav: smaller campaigns)
  --max-commands N      longest command list (default 30)
  --strict              also report the known bugs listed in fuzz/known_bugs.ts
  --show-slowest        print the slowest run's case data (to see what costs)
  --profile NAME        every run on one profile: spec, chrome, firefox or safari
                        (default: drawn, engine profiles whole or in part)
`;

/**
 * A duration: `60s`, `2m`, `500ms` or a number of seconds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDuration } from "./cli_args.ts";
 * assert.equal(parseDuration("2m"), 120_000);
 * assert.equal(parseDuration("60s"), 60_000);
 * assert.equal(parseDuration("250ms"), 250);
 * ```
 */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text} (use 60s, 2m or 500ms)`);
  const n = Number(m[1]);
  return m[2] === "ms" ? n : m[2] === "m" ? n * 60_000 : n * 1000;
}

function integer(text: string | undefined, flag: string, min = 0): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n < min) {
    throw new Error(`${flag} needs an integer >= ${min}, got ${text}`);
  }
  return n;
}

/**
 * Parses the command line. `randomSeed` supplies the seed when none is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseArgs } from "./cli_args.ts";
 * const a = parseArgs(["--runs", "200", "--shard", "1/4", "--seed", "7"]);
 * assert.deepEqual([a.runs, a.shard, a.seed], [200, { index: 1, count: 4 }, 7]);
 * assert.deepEqual(parseArgs(["--replay", "5:3:0:1"]).replay, { seed: 5, path: "3:0:1" });
 * assert.equal(parseArgs(["--profile", "firefox"]).profile, "firefox");
 * ```
 */
export function parseArgs(argv: readonly string[], randomSeed: () => number = () => 1): FuzzArgs {
  const out: FuzzArgs = { seed: NaN, encoder: "synthetic", strict: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.indexOf("=");
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const value = () => (eq > 0 ? raw.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case "--runs":
        out.runs = integer(value(), flag, 1);
        break;
      case "--time-budget":
        out.timeBudgetMs = parseDuration(value() ?? "");
        break;
      case "--seed":
        out.seed = integer(value(), flag, -(2 ** 31)) | 0;
        break;
      case "--replay": {
        const v = value() ?? "";
        const colon = v.indexOf(":");
        const seed = Number(v.slice(0, colon));
        if (colon < 0 || !Number.isInteger(seed)) {
          throw new Error(`--replay needs "seed:path", got ${v}`);
        }
        out.replay = { seed, path: v.slice(colon + 1) };
        break;
      }
      case "--shard": {
        const v = value() ?? "";
        const m = /^(\d+)\/(\d+)$/.exec(v);
        if (!m || Number(m[1]) >= Number(m[2])) {
          throw new Error(`--shard needs i/n with 0 <= i < n, got ${v}`);
        }
        out.shard = { index: Number(m[1]), count: Number(m[2]) };
        break;
      }
      case "--encoder": {
        const v = value();
        if (v !== "synthetic" && v !== "libav") {
          throw new Error(`--encoder is synthetic or libav, got ${v}`);
        }
        out.encoder = v;
        break;
      }
      case "--trace": {
        const v = value();
        if (!v) throw new Error("--trace needs a directory");
        out.traceDir = v;
        break;
      }
      case "--max-commands":
        out.maxCommands = integer(value(), flag, 1);
        break;
      case "--show-slowest":
        out.showSlowest = true;
        break;
      case "--profile": {
        const v = value();
        if (v !== "spec" && v !== "chrome" && v !== "firefox" && v !== "safari") {
          throw new Error(`--profile is spec, chrome, firefox or safari, got ${v}`);
        }
        out.profile = v;
        break;
      }
      case "--strict":
        out.strict = true;
        break;
      case "--help":
      case "-h":
        out.help = true;
        break;
      default:
        throw new Error(`unknown flag ${raw}\n\n${USAGE}`);
    }
  }
  if (Number.isNaN(out.seed)) out.seed = out.replay?.seed ?? randomSeed();
  return out;
}
