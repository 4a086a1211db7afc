// "Runs in Node" as a checked fact: bundle the core, installGlobals and the unmodified
// chunk-uploader example into one ESM file (`deno bundle`), then run it under Node's own
// test runner against a node:http server on 127.0.0.1.
import assert from "node:assert/strict";
import { hasNode, run } from "../src/_test_node.ts";

const here = new URL(".", import.meta.url).pathname;

const NODE_TEST = `import test from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createUserAgent, installGlobals, readWebm, startUploader } from "./bundle.mjs";

function serve(failFirst) {
  const received = { chunks: [], attempts: [], complete: null };
  const failed = new Set();
  const server = http.createServer((req, res) => {
    const parts = [];
    req.on("data", (d) => parts.push(d));
    req.on("end", () => {
      const url = new URL(req.url, "http://127.0.0.1");
      const body = Buffer.concat(parts);
      if (url.pathname === "/chunk") {
        const seq = Number(url.searchParams.get("seq"));
        received.attempts.push(seq);
        if (failFirst.includes(seq) && !failed.has(seq)) {
          failed.add(seq);
          res.writeHead(503).end("try again");
          return;
        }
        received.chunks.push({ seq, bytes: new Uint8Array(body), type: req.headers["content-type"] });
        res.end("ok");
      } else if (url.pathname === "/complete") {
        received.complete = JSON.parse(body.toString());
        res.end("ok");
      } else res.writeHead(404).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, received, url: "http://127.0.0.1:" + server.address().port }))
  );
}

test("the unmodified chunk uploader records and uploads on Node", async () => {
  assert.equal(typeof globalThis.MediaRecorder, "undefined");
  const { server, received, url } = await serve([2]);
  const ua = createUserAgent({ seed: 5, getUserMediaLatency: 50 });
  const globals = installGlobals(ua);
  const auto = ua.clock.autoAdvance({ maxMs: 60_000 });
  try {
    const uploader = await startUploader({ url, timeslice: 1000, retryDelayMs: 10 });
    await new Promise((r) => ua.clock.setTimer(r, 3000));
    uploader.stop();
    const summary = await uploader.done;
    assert.deepEqual(received.chunks.map((c) => c.seq), [0, 1, 2]);
    assert.deepEqual(received.attempts, [0, 1, 2, 2]);
    assert.deepEqual(received.complete, summary);
    assert.equal(summary.reason, "stopped");
    const total = received.chunks.reduce((n, c) => n + c.bytes.length, 0);
    const all = new Uint8Array(total);
    let o = 0;
    for (const c of received.chunks) { all.set(c.bytes, o); o += c.bytes.length; }
    const file = readWebm(all);
    assert.equal(file.blocks.filter((b) => b.track === 1).length, 90); // 3 s of 30 fps video
    assert.match(process.version, /^v\\d+/);
  } finally {
    auto.stop();
    globals.uninstall();
    ua.close();
    server.close();
  }
  assert.equal(typeof globalThis.MediaRecorder, "undefined");
  assert.equal(typeof globalThis.navigator?.mediaDevices, "undefined");
});
`;

Deno.test("Node: the bundled core runs the unmodified chunk-uploader example under node --test", async (t) => {
  if (!(await hasNode())) return;
  const dir = await Deno.makeTempDir({ prefix: "recsim-node-uploader-" });
  try {
    await Deno.writeTextFile(
      `${dir}/entry.ts`,
      [
        `export { createUserAgent } from "${here}../src/user_agent.ts";`,
        `export { installGlobals } from "${here}../src/dropin/install_globals.ts";`,
        `export { readWebm } from "${here}../src/container/webm_reader.ts";`,
        `export { startUploader } from "${here}chunk_uploader.js";`,
      ].join("\n"),
    );
    const bundle = await run(Deno.execPath(), [
      "bundle",
      "--platform",
      "browser",
      "-o",
      `${dir}/bundle.mjs`,
      `${dir}/entry.ts`,
    ]);
    assert.equal(bundle.code, 0, bundle.out);
    await Deno.writeTextFile(`${dir}/uploader.test.mjs`, NODE_TEST);
    const node = await run("node", ["--test", "uploader.test.mjs"], dir);
    await t.step("node --test passed", () => assert.equal(node.code, 0, node.out));
    assert.match(node.out, /# pass 1/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
