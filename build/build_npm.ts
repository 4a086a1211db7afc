/**
 * `deno task build:npm`: builds the npm package `@recsim/core` into `npm/` from the same
 * sources as the JSR package.
 *
 * - `npm/esm/`: ES modules, one per entry point (`.`, `./testing`, `./libav`,
 *   `./fake-timers`), shared code split into chunks, so the entry points share one copy
 *   of the core (esbuild);
 * - `npm/cjs/`: the same entry points as CommonJS, for Jest without
 *   `--experimental-vm-modules` and other `require()` users (esbuild);
 * - `npm/types/`: declarations from TypeScript's own compiler (`tsc`), the only tool that
 *   writes `.d.ts` files exactly as the sources declare them;
 * - `npm/browser/recsim.js`: one ES module with the core, the testing helpers and the
 *   clocks, and no Deno or Node API, for a page (`<script type="module">`), and
 *   `npm/browser/recsim.global.js`, the same as a classic script setting
 *   `globalThis.recsim` (for `page.addInitScript`, whose scripts are not modules);
 * - `package.json` (no dependencies; libav.js is an optional peer used by `./libav`
 *   only), `README.md` and `LICENSE`.
 *
 * `--pack DIR` also runs `npm pack` and writes the tarball as `DIR/recsim-core.tgz`.
 *
 * @module
 */
import * as esbuild from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const out = `${root}npm/`;
const LIBAV = "@libav.js/variant-webm-vp9";

/** The package's entry points: export path → source file and output name. */
export const ENTRY_POINTS = [
  { path: ".", source: "mod.ts", name: "mod" },
  { path: "./testing", source: "src/testing.ts", name: "testing" },
  { path: "./libav", source: "src/encoding/libav/mod.ts", name: "libav" },
  { path: "./fake-timers", source: "src/dropin/fake_timers_clock.ts", name: "fake_timers" },
] as const;

/** What the browser bundle exports: the core, the testing helpers and the clocks. */
const BROWSER_ENTRY = `export * from "./mod.ts";
export * from "./src/testing.ts";
export * from "./src/dropin/fake_timers_clock.ts";
`;

async function run(cmd: string, args: string[], cwd = root): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${code}):\n${text}`);
  return text;
}

async function denoJson(): Promise<
  { name: string; version: string; imports: Record<string, string> }
> {
  return JSON.parse(await Deno.readTextFile(`${root}deno.json`));
}

async function buildCode(): Promise<void> {
  const common: esbuild.BuildOptions = {
    absWorkingDir: root,
    bundle: true,
    target: "es2022",
    platform: "neutral",
    // libav.js is the ./libav entry's peer dependency; node:fs is only imported when the
    // libav entry runs in Node without Deno (its WebAssembly file read from disk).
    external: [LIBAV, "node:*"],
    legalComments: "none",
    logLevel: "warning",
  };
  await esbuild.build({
    ...common,
    entryPoints: ENTRY_POINTS.map((e) => ({ in: e.source, out: e.name })),
    outdir: `${out}esm`,
    format: "esm",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
  });
  // CommonJS: one self-contained file per entry point (no code splitting in CJS).
  for (const e of ENTRY_POINTS) {
    await esbuild.build({
      ...common,
      entryPoints: [e.source],
      outfile: `${out}cjs/${e.name}.cjs`,
      format: "cjs",
    });
  }
  await esbuild.build({
    ...common,
    stdin: { contents: BROWSER_ENTRY, resolveDir: root, loader: "ts", sourcefile: "browser.ts" },
    outfile: `${out}browser/recsim.js`,
    format: "esm",
    platform: "browser",
    external: [],
    minify: true,
    keepNames: true, // class names (MediaRecorder, BlobEvent…) stay what pages see
  });
  // The same as a classic script that sets `globalThis.recsim`: what Playwright's
  // `page.addInitScript` and a plain `<script>` take (an init script is not a module).
  await esbuild.build({
    ...common,
    stdin: { contents: BROWSER_ENTRY, resolveDir: root, loader: "ts", sourcefile: "browser.ts" },
    outfile: `${out}browser/recsim.global.js`,
    format: "iife",
    globalName: "recsim",
    minify: true,
    keepNames: true,
    // Also where the script runs inside a function (Playwright wraps init scripts).
    footer: { js: "globalThis.recsim = recsim;" },
    platform: "browser",
    external: [],
  });
  await esbuild.stop();
}

async function buildTypes(): Promise<void> {
  const tsconfig = `${out}tsconfig.build.json`;
  await Deno.writeTextFile(
    tsconfig,
    JSON.stringify(
      {
        compilerOptions: {
          declaration: true,
          emitDeclarationOnly: true,
          allowImportingTsExtensions: true,
          target: "es2022",
          module: "esnext",
          moduleResolution: "bundler",
          lib: ["es2023", "dom", "dom.iterable", "esnext.disposable"],
          types: [],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noImplicitOverride: true,
          skipLibCheck: true,
          rootDir: root,
          outDir: `${out}types`,
        },
        files: ENTRY_POINTS.map((e) => `${root}${e.source}`),
      },
      null,
      2,
    ),
  );
  const tsc = `${root}node_modules/typescript/bin/tsc`;
  await run(Deno.execPath(), ["run", "-A", tsc, "-p", tsconfig]);
  await Deno.remove(tsconfig);
  // Relative imports in the declarations name `.ts` files; the package has `.d.ts` next
  // to `.js` paths, so they are rewritten to `.js` (what TypeScript resolves for ESM).
  for await (const file of walk(`${out}types`)) {
    const text = await Deno.readTextFile(file);
    const fixed = text.replace(
      /((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)\.ts(["'])/g,
      "$1$2.js$3",
    );
    if (fixed !== text) await Deno.writeTextFile(file, fixed);
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else yield path;
  }
}

async function writeManifest(): Promise<void> {
  const deno = await denoJson();
  const libavVersion = deno.imports[LIBAV]!.replace(/^npm:.*@/, "");
  const exportsMap: Record<string, unknown> = {};
  for (const e of ENTRY_POINTS) {
    const types = `./types/${e.source.replace(/\.ts$/, ".d.ts")}`;
    exportsMap[e.path] = {
      types,
      import: `./esm/${e.name}.js`,
      require: `./cjs/${e.name}.cjs`,
    };
  }
  exportsMap["./browser"] = { types: "./types/mod.d.ts", default: "./browser/recsim.js" };
  exportsMap["./browser/recsim.js"] = "./browser/recsim.js";
  exportsMap["./browser/recsim.global.js"] = "./browser/recsim.global.js";
  exportsMap["./package.json"] = "./package.json";
  const manifest = {
    name: deno.name,
    version: deno.version,
    description:
      "A deterministic simulator of the browser MediaRecorder API: virtual clock, virtual camera and microphone, real WebM/Ogg bytes.",
    license: "MIT",
    type: "module",
    keywords: ["MediaRecorder", "testing", "webm", "ogg", "getUserMedia", "fake-timers"],
    engines: { node: ">=20" },
    sideEffects: false,
    main: "./cjs/mod.cjs",
    module: "./esm/mod.js",
    types: "./types/mod.d.ts",
    exports: exportsMap,
    files: ["esm/", "cjs/", "types/", "browser/", "README.md", "LICENSE"],
    peerDependencies: { [LIBAV]: libavVersion },
    peerDependenciesMeta: { [LIBAV]: { optional: true } },
  };
  await Deno.writeTextFile(`${out}package.json`, JSON.stringify(manifest, null, 2) + "\n");
  await Deno.copyFile(`${root}build/npm_readme.md`, `${out}README.md`);
  await Deno.copyFile(`${root}LICENSE`, `${out}LICENSE`);
}

/** Builds `npm/`; returns the sizes of the browser bundle (bytes, raw and gzipped). */
export async function buildNpm(): Promise<{ bundle: number; bundleGzip: number }> {
  await Deno.remove(out, { recursive: true }).catch(() => {});
  await Deno.mkdir(out, { recursive: true });
  await buildCode();
  await buildTypes();
  await writeManifest();
  const bundle = await Deno.readFile(`${out}browser/recsim.js`);
  const gz = await new Response(
    new Blob([bundle]).stream().pipeThrough(new CompressionStream("gzip")),
  ).arrayBuffer();
  return { bundle: bundle.length, bundleGzip: gz.byteLength };
}

/** Runs `npm pack` on `npm/` and moves the tarball to `dir/recsim-core.tgz`; returns its size. */
export async function packNpm(dir: string): Promise<{ tarball: string; size: number }> {
  if (!dir.startsWith("/")) dir = `${Deno.cwd()}/${dir}`;
  await Deno.mkdir(dir, { recursive: true });
  const text = await run("npm", ["pack", "--json", "--pack-destination", dir], out);
  const [info] = JSON.parse(text.slice(text.indexOf("["))) as { filename: string }[];
  const tarball = `${dir}/recsim-core.tgz`;
  await Deno.rename(`${dir}/${info!.filename}`, tarball);
  return { tarball, size: (await Deno.stat(tarball)).size };
}

if (import.meta.main) {
  const t0 = performance.now();
  const sizes = await buildNpm();
  console.log(
    `npm/ built in ${((performance.now() - t0) / 1000).toFixed(1)} s; npm/browser/recsim.js: ${
      (sizes.bundle / 1024).toFixed(0)
    } KiB (${(sizes.bundleGzip / 1024).toFixed(0)} KiB gzipped)`,
  );
  const i = Deno.args.indexOf("--pack");
  if (i >= 0) {
    const packed = await packNpm(Deno.args[i + 1] ?? `${root}out/pack`);
    console.log(`${packed.tarball}: ${(packed.size / 1024).toFixed(0)} KiB`);
  }
}
