// The example projects are real consumers of the npm package: this test builds `npm/`
// once (`deno task build:npm`), packs it (`npm pack` → out/pack/recsim-core.tgz), and in
// each example installs its committed lockfile with `npm ci` (the tarball is a `file:`
// dependency) and runs the example's own `npm test`. A missing tool (node, npm) skips an
// example with the reason; under CI=true it is a failure (decision 26).
import assert from "node:assert/strict";
import { buildNpm, packNpm } from "../build/build_npm.ts";
import { stripIntegrity } from "../build/lock_examples.ts";

const root = new URL("..", import.meta.url).pathname;

async function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; ms: number }> {
  const t0 = performance.now();
  const { code, stdout, stderr } = await new Deno.Command(cmd, {
    args,
    cwd,
    env: { NO_COLOR: "1", FORCE_COLOR: "0", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  return { code, out, ms: performance.now() - t0 };
}

/** Whether `cmd --version` runs; under CI=true a missing tool is an error. */
async function have(cmd: string, install: string): Promise<boolean> {
  let ok = false;
  try {
    ok = (await run(cmd, ["--version"], root)).code === 0;
  } catch {
    ok = false;
  }
  if (!ok && Deno.env.get("CI") === "true") throw new Error(`${cmd} is required in CI`);
  if (!ok) console.warn(`skipped: ${cmd} is not installed (${install})`);
  return ok;
}

let packed: Promise<{ bundle: number; bundleGzip: number; size: number }> | undefined;
/** Builds and packs once per test process. */
function buildAndPack() {
  return packed ??= (async () => {
    const sizes = await buildNpm();
    const { size } = await packNpm(`${root}out/pack`);
    console.log(
      `npm/browser/recsim.js ${sizes.bundle} B (${sizes.bundleGzip} B gzipped); recsim-core.tgz ${size} B`,
    );
    return { ...sizes, size };
  })();
}

/** `npm ci` in the example, then checks that it installed this build, not a cached one. */
async function install(dir: string): Promise<number> {
  const lock = await Deno.readTextFile(`${dir}/package-lock.json`);
  assert.equal(
    stripIntegrity(lock),
    lock,
    `${dir}/package-lock.json pins @recsim/core's integrity: run deno task examples:lock`,
  );
  const ci = await run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], dir);
  assert.equal(ci.code, 0, ci.out);
  const installed = await Deno.readFile(`${dir}/node_modules/@recsim/core/esm/mod.js`);
  const built = await Deno.readFile(`${root}npm/esm/mod.js`);
  assert.deepEqual(installed, built, "npm ci installed another @recsim/core than this build");
  return ci.ms;
}

/** Builds, installs and runs one example's `npm test`; returns its output. */
async function example(
  t: Deno.TestContext,
  name: string,
  env: Record<string, string> = {},
): Promise<string> {
  const dir = `${root}examples/${name}`;
  await buildAndPack();
  const installMs = await install(dir);
  const test = await run("npm", ["test"], dir, env);
  console.log(
    `examples/${name}: npm ci ${(installMs / 1000).toFixed(1)} s, npm test ${
      (test.ms / 1000).toFixed(1)
    } s`,
  );
  await t.step(`examples/${name}: npm test passed`, () => assert.equal(test.code, 0, test.out));
  return test.out;
}

const tools = async () =>
  await have("node", "Node.js 20 or later") && await have("npm", "it comes with Node.js");

Deno.test("examples/node-test: node --test from the packed tarball", async (t) => {
  if (!(await tools())) return;
  const out = await example(t, "node-test");
  assert.match(out, /# pass 3\n# fail 0/);
});

Deno.test("examples/vitest: Vitest 4, jsdom and happy-dom, vi.useFakeTimers(), from the packed tarball", async (t) => {
  if (!(await tools())) return;
  const out = await example(t, "vitest");
  assert.match(out, /Tests\s+5 passed \(5\)/);
});

Deno.test("examples/jest: Jest 30, jest-environment-jsdom, modern fake timers, ESM and CommonJS", async (t) => {
  if (!(await tools())) return;
  const out = await example(t, "jest");
  assert.match(out, /Tests:\s+5 passed, 5 total/);
});

Deno.test("examples/bun: bun test (Bun from npm) with Bun's fake timers, from the packed tarball", async (t) => {
  if (!(await tools())) return;
  const out = await example(t, "bun");
  assert.match(out, /\b3 pass\n\s*0 fail/);
});

Deno.test("examples/playwright: a recording page in Chromium with the browser bundle and page.clock; libav.js VP8 in the page", async (t) => {
  if (!(await tools())) return;
  if (!(await have("/usr/bin/chromium", "apt-get install chromium"))) return;
  const out = await example(t, "playwright");
  assert.match(out, /\b2 passed\b/);
});

Deno.test("the browser bundles are one file each, with no Deno or Node API and no import", async () => {
  await buildAndPack();
  for (const file of ["recsim.js", "recsim.global.js"]) {
    const code = await Deno.readTextFile(`${root}npm/browser/${file}`);
    assert.doesNotMatch(code, /\bDeno\.|\bprocess\.|\brequire\(|["']node:|\bBuffer\b/, file);
    assert.doesNotMatch(code, /^\s*import\s|\bimport\(/m, `${file} imports nothing`);
  }
  const manifest = JSON.parse(await Deno.readTextFile(`${root}npm/package.json`));
  assert.equal(manifest.dependencies, undefined, "the core has no runtime dependencies");
  assert.deepEqual(Object.keys(manifest.peerDependencies), ["@libav.js/variant-webm-vp9"]);
  assert.equal(manifest.peerDependenciesMeta["@libav.js/variant-webm-vp9"].optional, true);
});
