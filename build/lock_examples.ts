/**
 * `deno task examples:lock`: refreshes each example's `package-lock.json` after its
 * `package.json` changed, against the freshly packed tarball (`deno task build:npm --pack
 * out/pack` first), and drops the lock's integrity hash of `@recsim/core`: the tarball
 * is rebuilt on every run, and with a hash `npm ci` would install a stale copy from its
 * cache (npm caches by integrity).
 *
 * @module
 */
const root = new URL("..", import.meta.url).pathname;

/** The example projects that install the packed tarball. */
export const EXAMPLES = ["vitest", "jest", "bun", "node-test", "playwright"];

/** Removes `@recsim/core`'s integrity from a lockfile's text; returns the new text. */
export function stripIntegrity(lockText: string): string {
  const lock = JSON.parse(lockText);
  delete lock.packages?.["node_modules/@recsim/core"]?.integrity;
  return JSON.stringify(lock, null, 2) + "\n";
}

if (import.meta.main) {
  for (const name of Deno.args.length > 0 ? Deno.args : EXAMPLES) {
    const dir = `${root}examples/${name}`;
    const { code } = await new Deno.Command("npm", {
      args: ["install", "--package-lock-only", "--no-audit", "--no-fund"],
      cwd: dir,
    }).spawn().status;
    if (code !== 0) Deno.exit(code);
    const lock = `${dir}/package-lock.json`;
    await Deno.writeTextFile(lock, stripIntegrity(await Deno.readTextFile(lock)));
    console.log(`${lock}: written`);
  }
}
