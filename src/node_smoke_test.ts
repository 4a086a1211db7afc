// Decision 5: the core runs on Node 20. Bundle mod.ts (and the WebM reader) into one ESM
// file with `deno bundle` and record one recording under Node's own test runner.
import assert from "node:assert/strict";
import { hasNode, run } from "./_test_node.ts";

const here = new URL(".", import.meta.url).pathname;

Deno.test("Node 20: the bundled core records a timesliced recording under node --test", async (t) => {
  if (!(await hasNode())) return;
  const dir = await Deno.makeTempDir({ prefix: "recsim-node-" });
  try {
    await Deno.writeTextFile(
      `${dir}/entry.ts`,
      `export * from "${here}../mod.ts";\nexport { readWebm } from "${here}container/webm_reader.ts";\n`,
    );
    const bundle = await run(Deno.execPath(), [
      "bundle",
      "--platform",
      "browser",
      "-o",
      `${dir}/recsim.mjs`,
      `${dir}/entry.ts`,
    ]);
    assert.equal(bundle.code, 0, bundle.out);
    await Deno.writeTextFile(
      `${dir}/smoke.test.mjs`,
      `import test from "node:test";
import assert from "node:assert/strict";
import { createUserAgent, readWebm } from "./recsim.mjs";

test("records on Node", async () => {
  const ua = createUserAgent({ seed: 3 });
  const stream = new ua.MediaStream([ua.createVideoTrack(), ua.createAudioTrack()]);
  const rec = new ua.MediaRecorder(stream, { mimeType: "video/webm" });
  const events = [];
  const chunks = [];
  for (const type of ["start", "stop", "error"]) rec.addEventListener(type, () => events.push(type));
  rec.ondataavailable = (e) => { events.push("dataavailable"); chunks.push(e.data); };
  rec.start(1000);
  await ua.clock.advance(2500);
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(events, ["start", "dataavailable", "dataavailable", "dataavailable", "stop"]);
  const file = readWebm(new Uint8Array(await new Blob(chunks).arrayBuffer()));
  assert.equal(file.blocks.length, 75 + 125);
  assert.match(process.version, /^v\\d+/);
  ua.close();
});
`,
    );
    const node = await run("node", ["--test", "smoke.test.mjs"], dir);
    await t.step("node --test passed", () => assert.equal(node.code, 0, node.out));
    assert.match(node.out, /# pass 1/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
