import assert from "node:assert/strict";
import { blobBytes, readableBlob } from "./blob_bytes.ts";

Deno.test("blobBytes reads a Blob with arrayBuffer()", async () => {
  assert.deepEqual([...(await blobBytes(new Blob(["ab", new Uint8Array([0, 255])])))], [
    97,
    98,
    0,
    255,
  ]);
});

Deno.test("blobBytes reads a jsdom-style Blob (no arrayBuffer(), bytes held by its implementation) without timers", async () => {
  const impl = Symbol("impl");
  const bytes = new Uint8Array([9, 8, 7, 6]).subarray(1, 3);
  const blob = Object.assign(Object.create(null), { [impl]: { _buffer: bytes }, size: 2 }) as Blob;
  assert.deepEqual([...(await blobBytes(blob))], [8, 7]);
});

Deno.test("blobBytes falls back to FileReader", async () => {
  const blob = new Blob([new Uint8Array([4, 5])]);
  const plain = { size: 2, type: "", slice: blob.slice.bind(blob) };
  // FileReader reads real Blobs; hand it the real one behind a Blob without arrayBuffer().
  const saved = globalThis.FileReader;
  let used = false;
  globalThis.FileReader = class extends saved {
    override readAsArrayBuffer(_b: Blob) {
      used = true;
      super.readAsArrayBuffer(blob);
    }
  };
  try {
    assert.deepEqual([...(await blobBytes(plain as unknown as Blob))], [4, 5]);
    assert.ok(used);
  } finally {
    globalThis.FileReader = saved;
  }
});

Deno.test("readableBlob gives a jsdom-style Blob arrayBuffer(), bytes(), text() and stream(); Response reads it", async () => {
  const impl = Symbol("impl");
  class JsdomLikeBlob {
    [impl] = { _buffer: new TextEncoder().encode("chunk") };
    get size() {
      return 5;
    }
    get type() {
      return "";
    }
    get [Symbol.toStringTag]() {
      return "Blob";
    }
  }
  const blob = readableBlob(new JsdomLikeBlob() as unknown as Blob);
  assert.ok(blob instanceof JsdomLikeBlob);
  assert.equal(await blob.text(), "chunk");
  assert.deepEqual([...new Uint8Array(await blob.arrayBuffer())], [
    ...new TextEncoder().encode("chunk"),
  ]);
  assert.equal(await new Response(blob.stream()).text(), "chunk");
  const plain = new Blob(["x"]);
  assert.equal(readableBlob(plain), plain);
  assert.equal(Object.getOwnPropertyNames(plain).length, 0);
});
