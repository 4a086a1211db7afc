/**
 * An in-memory `Blob` for fuzz campaigns. Deno reads a native Blob through a
 * ReadableStream per part (and a stack-capturing TypeError when each reader is released),
 * which made reading chunk bytes the largest cost of a campaign. `FastBlob` keeps its
 * parts as JavaScript values and reads them synchronously. {@link useFastBlob} installs
 * it as `globalThis.Blob` for one run (the core creates Blobs with the environment's
 * `Blob`), so every invariant is checked on the same bytes, only faster; a sample of
 * runs keeps the native Blob (see `world.ts`).
 *
 * @module
 */

type Part = Uint8Array | FastBlob;

/**
 * A Blob whose bytes live in JavaScript memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FastBlob } from "./fast_blob.ts";
 * const b = new FastBlob([new Uint8Array([1, 2]), new FastBlob(["ab"])], { type: "Video/WebM" });
 * assert.equal(b.size, 4);
 * assert.equal(b.type, "video/webm");
 * assert.deepEqual([...await b.bytes()], [1, 2, 97, 98]);
 * assert.deepEqual([...await b.slice(1, 3).bytes()], [2, 97]);
 * ```
 */
export class FastBlob {
  /** Size in bytes. */
  readonly size: number;
  /** The MIME type (lower-cased, or "" when not printable ASCII). */
  readonly type: string;
  #parts: Part[] = [];

  /** As `new Blob(parts, options)`. */
  constructor(parts: Iterable<unknown> = [], options: { type?: string } = {}) {
    let size = 0;
    for (const p of parts) {
      let part: Part;
      if (p instanceof FastBlob) part = p;
      else if (p instanceof Uint8Array) part = p.slice();
      else if (ArrayBuffer.isView(p)) {
        part = new Uint8Array(p.buffer, p.byteOffset, p.byteLength).slice();
      } else if (p instanceof ArrayBuffer) part = new Uint8Array(p.slice(0));
      else part = new TextEncoder().encode(String(p));
      size += part instanceof FastBlob ? part.size : part.length;
      this.#parts.push(part);
    }
    this.size = size;
    const type = options.type ?? "";
    this.type = /^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : "";
  }

  /** The bytes, synchronously. */
  bytesSync(): Uint8Array {
    const out = new Uint8Array(this.size);
    this.#copy(out, 0);
    return out;
  }

  #copy(out: Uint8Array, at: number): number {
    for (const p of this.#parts) {
      if (p instanceof FastBlob) at = p.#copy(out, at);
      else {
        out.set(p, at);
        at += p.length;
      }
    }
    return at;
  }

  /** As `Blob.prototype.bytes()`. */
  bytes(): Promise<Uint8Array> {
    return Promise.resolve(this.bytesSync());
  }

  /** As `Blob.prototype.arrayBuffer()`. */
  arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.bytesSync().buffer as ArrayBuffer);
  }

  /** As `Blob.prototype.text()`. */
  text(): Promise<string> {
    return Promise.resolve(new TextDecoder().decode(this.bytesSync()));
  }

  /** As `Blob.prototype.slice()`. */
  slice(start = 0, end = this.size, type = ""): FastBlob {
    const clamp = (v: number) => v < 0 ? Math.max(this.size + v, 0) : Math.min(v, this.size);
    const from = clamp(start);
    const to = Math.max(clamp(end), from);
    return new FastBlob([this.bytesSync().subarray(from, to)], { type });
  }

  /** As `Blob.prototype.stream()`. */
  stream(): ReadableStream<Uint8Array> {
    const bytes = this.bytesSync();
    return new ReadableStream({
      start(controller) {
        if (bytes.length > 0) controller.enqueue(bytes);
        controller.close();
      },
    });
  }

  /** "Blob". */
  get [Symbol.toStringTag](): string {
    return "Blob";
  }
}

/**
 * Installs {@link FastBlob} as `globalThis.Blob` and returns the function that puts the
 * native one back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FastBlob, useFastBlob } from "./fast_blob.ts";
 * const restore = useFastBlob();
 * assert.ok(new Blob([]) instanceof FastBlob);
 * restore();
 * assert.ok(!(new Blob([]) instanceof FastBlob));
 * ```
 */
export function useFastBlob(): () => void {
  const native = globalThis.Blob;
  globalThis.Blob = FastBlob as unknown as typeof Blob;
  return () => {
    globalThis.Blob = native;
  };
}
