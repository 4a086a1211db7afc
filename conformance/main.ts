/**
 * `deno task conformance <command>`: the conformance lab.
 *
 * - `record --engine chromium|firefox [--runs 3] [--only id…] [--endpoint URL]`: runs the
 *   corpus in the browser and writes `observations/<engine>-<major>/`.
 * - `replay [--engine E] [--profile P] [--only id…] [--verbose]`: replays the committed
 *   observations on recsim and prints the score (what `deno task test` checks).
 * - `live --engine E [--endpoint URL] [--runs 2]`: runs the live subset in the browser
 *   and on recsim now, and compares them.
 * - `fuzz --engine E [--seed N] [--time-budget D] [--no-save] [--fail-on-divergence]`:
 *   generated scenarios in the browser and on recsim; a divergence is shrunk and saved to
 *   the corpus.
 * - `report`: regenerates `REPORT.md`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { Engine } from "./lab/types.ts";

const { positionals, values } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    engine: { type: "string" },
    runs: { type: "string" },
    only: { type: "string", multiple: true },
    endpoint: { type: "string" },
    profile: { type: "string" },
    seed: { type: "string" },
    "time-budget": { type: "string" },
    verbose: { type: "boolean" },
    "fail-on-divergence": { type: "boolean" },
    "no-save": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});

function engineOf(value: string | undefined): Engine {
  if (value === "chromium" || value === "firefox" || value === "webkitgtk") return value;
  throw new Error(`--engine must be chromium, firefox or webkitgtk (got ${value})`);
}

/** Parses "2m", "90s", "1500ms" or a number of seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text}`);
  const n = Number(m[1]);
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "s"] ?? 1000);
}

const command = positionals[0];
if (values.help || !command) {
  console.log(
    "usage: deno task conformance record|replay|live|fuzz|report [--engine chromium|firefox] …",
  );
  Deno.exit(command ? 0 : 2);
}
switch (command) {
  case "record": {
    const { recordCorpus } = await import("./lab/record.ts");
    const n = await recordCorpus({
      engine: engineOf(values.engine),
      runs: values.runs ? Number(values.runs) : 3,
      only: values.only,
      endpoint: values.endpoint,
    });
    console.log(`${n} observations written`);
    break;
  }
  case "replay": {
    const { scoreAll, printScores } = await import("./lab/score.ts");
    const scores = await scoreAll({
      engines: values.engine ? [engineOf(values.engine)] : undefined,
      profile: values.profile,
      only: values.only,
    });
    printScores(scores, values.verbose ?? false);
    break;
  }
  case "live": {
    const { runLive } = await import("./lab/live.ts");
    const ok = await runLive({
      engine: engineOf(values.engine),
      endpoint: values.endpoint,
      runs: values.runs ? Number(values.runs) : 2,
    });
    if (!ok) Deno.exit(1);
    break;
  }
  case "fuzz": {
    const { runBrowserFuzz } = await import("./fuzz/browser_fuzz.ts");
    const ok = await runBrowserFuzz({
      engine: engineOf(values.engine),
      seed: values.seed ? Number(values.seed) : 1,
      budgetMs: parseDuration(values["time-budget"] ?? "2m"),
      endpoint: values.endpoint,
      save: !values["no-save"],
      failOnDivergence: values["fail-on-divergence"],
    });
    if (!ok) Deno.exit(1);
    break;
  }
  case "report": {
    const { writeReport } = await import("./lab/report.ts");
    console.log(await writeReport());
    break;
  }
  default:
    console.error(`unknown command: ${command}`);
    Deno.exit(2);
}
