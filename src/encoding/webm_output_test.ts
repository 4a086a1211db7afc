import assert from "node:assert/strict";
import { createUserAgent } from "../user_agent.ts";

async function record(): Promise<Blob[]> {
  const ua = createUserAgent({ seed: 2 });
  const rec = new ua.MediaRecorder(
    new ua.MediaStream([ua.createVideoTrack(), ua.createAudioTrack()]),
  );
  const chunks: Blob[] = [];
  rec.ondataavailable = (e) => chunks.push(e.data);
  rec.start(500);
  await ua.clock.advance(1200);
  rec.stop();
  await ua.clock.settle();
  ua.close();
  return chunks;
}

Deno.test("chunks are Blobs of the environment's Blob, built only from its own Blobs, also after the global Blob is replaced", async () => {
  const native = globalThis.Blob;
  const before = await record(); // fills the cache of block Blobs with native Blobs
  let foreign = 0;
  class EnvBlob extends native {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      for (const p of parts ?? []) if (p instanceof native && !(p instanceof EnvBlob)) foreign++;
      super(parts, options);
    }
  }
  globalThis.Blob = EnvBlob;
  try {
    const after = await record();
    assert.equal(after.length, 3);
    assert.ok(after.every((b) => b instanceof EnvBlob));
    assert.equal(foreign, 0, "a Blob of another implementation was used as a part");
    const bytes = async (list: Blob[]) => new Uint8Array(await new native(list).arrayBuffer());
    assert.deepEqual(await bytes(after), await bytes(before));
  } finally {
    globalThis.Blob = native;
  }
});
