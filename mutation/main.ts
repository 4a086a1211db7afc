/**
 * `deno task mutation [files…] [--suite unit|fuzz] [--fuzz-runs N] [--fuzz-budget 2m]
 * [--concurrency N] [--label name]`: mutation testing with StrykerJS 10 under Deno (the command test
 * runner: every mutant runs the chosen tests in a sandbox copy of the repository) and the
 * score table. StrykerJS is installed from npm into `$RECSIM_STRYKER_DIR` (default
 * `~/.cache/recsim-stryker`) on first use. Not part of CI: it takes minutes.
 *
 * @module
 */
import { parseMutationArgs, STRYKER_VERSION, strykerConfig } from "./config.ts";

const ROOT = new URL("../", import.meta.url).pathname;

async function run(cmd: string, args: string[], cwd: string): Promise<number> {
  const child = new Deno.Command(cmd, { args, cwd, stdout: "inherit", stderr: "inherit" });
  return (await child.output()).code;
}

async function ensureStryker(): Promise<string> {
  const dir = Deno.env.get("RECSIM_STRYKER_DIR") ??
    `${Deno.env.get("HOME") ?? "/tmp"}/.cache/recsim-stryker`;
  const bin = `${dir}/node_modules/@stryker-mutator/core/bin/stryker.js`;
  try {
    await Deno.stat(bin);
    return bin;
  } catch {
    // not installed yet
  }
  await Deno.mkdir(dir, { recursive: true });
  console.log(`installing @stryker-mutator/core@${STRYKER_VERSION} into ${dir}`);
  const code = await run("npm", [
    "install",
    "--prefix",
    dir,
    "--no-audit",
    "--no-fund",
    `@stryker-mutator/core@${STRYKER_VERSION}`,
  ], dir);
  if (code !== 0) throw new Error(`npm install failed (${code})`);
  return bin;
}

if (import.meta.main) {
  const args = parseMutationArgs(Deno.args);
  const bin = await ensureStryker();
  await Deno.mkdir(`${ROOT}out/mutation`, { recursive: true });
  const configFile = `${ROOT}out/mutation/stryker.${args.label}.config.json`;
  await Deno.writeTextFile(
    configFile,
    JSON.stringify(strykerConfig(args, Deno.execPath()), null, 2),
  );
  console.log(`mutating ${args.mutate.join(", ")} against the ${args.suite} suite`);
  Deno.exit(await run(Deno.execPath(), ["run", "-A", bin, "run", configFile], ROOT));
}
