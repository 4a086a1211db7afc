import assert from "node:assert/strict";
import { createLibAV, discardLibAV, isFatalLibAVError, loadLibAV } from "./load.ts";

Deno.test("loadLibAV memoises per key and discardLibAV forgets", async () => {
  const a = await loadLibAV("load-test-a");
  assert.equal(await loadLibAV("load-test-a"), a);
  const b = await loadLibAV("load-test-b");
  assert.notEqual(a, b);
  assert.equal(a.libavjsMode, "direct");

  assert.equal(discardLibAV("load-test-a"), true);
  assert.equal(discardLibAV("load-test-a"), false);
  const a2 = await loadLibAV("load-test-a");
  assert.notEqual(a2, a);

  assert.equal(discardLibAV(b), true);
  assert.notEqual(await loadLibAV("load-test-b"), b);
  discardLibAV("load-test-a");
  discardLibAV("load-test-b");
});

Deno.test("a WASM trap is reported as fatal", async () => {
  const libav = await createLibAV();
  // Freeing a wild pointer makes dlmalloc touch memory out of bounds.
  let caught: unknown;
  try {
    libav.free_sync(0x7ffffff0);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof WebAssembly.RuntimeError, String(caught));
  assert.equal(isFatalLibAVError(caught), true);
  assert.equal(isFatalLibAVError(new Error("Could not open codec: Invalid argument")), false);
});

Deno.test("the compiled WebAssembly module is shared by every instance", async () => {
  const { compileLibAVModule } = await import("./load.ts");
  const module = await compileLibAVModule();
  assert.ok(module instanceof WebAssembly.Module);
  assert.equal(await compileLibAVModule(), module);
  const a = await createLibAV({ logLevel: -8 });
  const b = await createLibAV({ logLevel: -8 });
  assert.notEqual(a, b, "separate instances (separate memories)");
  assert.equal(await compileLibAVModule(), module);
  assert.notEqual(a.avcodec_find_encoder_by_name_sync("libvpx"), 0);
  assert.notEqual(b.avcodec_find_encoder_by_name_sync("libopus"), 0);
  assert.equal(typeof (globalThis as { process?: unknown }).process, "object", "process is back");
});
