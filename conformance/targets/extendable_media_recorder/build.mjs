// Bundles setup.js and the npm packages it imports into dist/setup.js, one browser ES
// module exporting install(). Run after `npm ci`: `node build.mjs` (or `npm run build`).
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const here = new URL("./", import.meta.url);
const versionOf = (pkg) =>
  JSON.parse(
    readFileSync(new URL(`node_modules/${pkg}/package.json`, here), "utf8"),
  ).version;
const versions = Object.fromEntries(
  ["extendable-media-recorder", "extendable-media-recorder-wav-encoder"].map((
    p,
  ) => [
    p,
    versionOf(p),
  ]),
);

await build({
  entryPoints: [new URL("setup.js", here).pathname],
  outfile: new URL("dist/setup.js", here).pathname,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  legalComments: "none",
  define: { __TARGET_VERSIONS__: JSON.stringify(versions) },
  logLevel: "warning",
});
writeFileSync(
  new URL("dist/versions.json", here),
  JSON.stringify(versions, null, 2) + "\n",
);
console.log(`dist/setup.js: ${JSON.stringify(versions)}`);
