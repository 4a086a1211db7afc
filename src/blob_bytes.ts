/**
 * Reading a Blob's bytes in every test environment, for the testing helpers.
 *
 * @module
 */
import { utf8Decode } from "./container/utf8.ts";

/**
 * The bytes of `blob`, in any environment a test runs in:
 *
 * - where `Blob` has `arrayBuffer()` (browsers, Deno, Node, Bun, happy-dom), that;
 * - under jsdom (Vitest's and Jest's `jsdom` environments), whose `Blob` has no
 *   `arrayBuffer()` and whose `FileReader` fires on timers (so it never loads under fake
 *   timers), the bytes jsdom holds for the Blob, read synchronously: no timer, no task,
 *   so it works with `vi.useFakeTimers()` or `jest.useFakeTimers()` on;
 * - otherwise a `FileReader` (which needs the environment's timers to run).
 *
 * Do not send a jsdom Blob to Node's `fetch` or `Response`: they read it as the text
 * "[object Blob]". Read it with this function first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blobBytes } from "./blob_bytes.ts";
 * const bytes = await blobBytes(new Blob([new Uint8Array([1, 2]), "A"]));
 * assert.deepEqual([...bytes], [1, 2, 65]);
 * ```
 */
export async function blobBytes(blob: Blob): Promise<Uint8Array<ArrayBuffer>> {
  if (typeof blob?.arrayBuffer === "function") return new Uint8Array(await blob.arrayBuffer());
  const held = jsdomBytes(blob);
  if (held) return held;
  const Reader = (globalThis as { FileReader?: typeof FileReader }).FileReader;
  if (typeof Reader !== "function") {
    throw new TypeError("blobBytes: this Blob has no arrayBuffer() and there is no FileReader");
  }
  return await new Promise((resolve, reject) => {
    const reader = new Reader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(blob);
  });
}

/**
 * Gives a Blob whose class lacks the standard reading methods (jsdom's `Blob` has no
 * `arrayBuffer()`, `bytes()`, `text()` or `stream()`) those methods, as its own
 * properties, reading the bytes jsdom holds; other Blobs are returned untouched. recsim
 * does this to the Blobs of its `dataavailable` events, so that under Vitest's or Jest's
 * jsdom environment an app can `await event.data.arrayBuffer()`, and Node's `fetch`
 * sends the chunk's bytes (it takes a Blob-like object with `stream()`), where it would
 * otherwise send the text "[object Blob]". The Blob stays an instance of the
 * environment's `Blob`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readableBlob } from "./blob_bytes.ts";
 * const blob = new Blob(["x"]);
 * assert.equal(readableBlob(blob), blob); // has arrayBuffer(): nothing to do
 * ```
 */
export function readableBlob<T extends Blob>(blob: T): T {
  if (typeof blob?.arrayBuffer === "function" || !jsdomBytes(blob)) return blob;
  const bytes = () => jsdomBytes(blob)!;
  const methods: Record<string, () => unknown> = {
    arrayBuffer: () => Promise.resolve(bytes().buffer),
    bytes: () => Promise.resolve(bytes()),
    text: () => Promise.resolve(utf8Decode(bytes())),
  };
  const RS = (globalThis as { ReadableStream?: typeof ReadableStream }).ReadableStream;
  if (typeof RS === "function") {
    methods.stream = () =>
      new RS<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes());
          controller.close();
        },
      });
  }
  for (const [name, value] of Object.entries(methods)) {
    Object.defineProperty(blob, name, { value, configurable: true, writable: true });
  }
  return blob;
}

/**
 * jsdom keeps a Blob's bytes in its implementation object (`_buffer`), reached through
 * the wrapper's implementation symbol. Checked with jsdom 26.
 */
function jsdomBytes(blob: Blob): Uint8Array<ArrayBuffer> | undefined {
  for (const symbol of Object.getOwnPropertySymbols(blob)) {
    const impl = (blob as unknown as Record<symbol, { _buffer?: unknown } | undefined>)[symbol];
    const buffer = impl?._buffer;
    if (ArrayBuffer.isView(buffer)) {
      return new Uint8Array(
        buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength),
      ) as Uint8Array<ArrayBuffer>;
    }
  }
  return undefined;
}
