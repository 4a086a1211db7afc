/**
 * UTF-8 encoding and decoding without `TextEncoder`/`TextDecoder`: Jest's stock
 * `jest-environment-jsdom` has neither, and the core must import and run there
 * (decision 32). The strings recsim writes are short (codec IDs, DocTypes, vendor
 * strings), so a plain loop costs nothing.
 *
 * @module
 */

/**
 * The UTF-8 bytes of `text` (lone surrogates become U+FFFD, as `TextEncoder` does).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8Encode } from "./utf8.ts";
 * assert.deepEqual([...utf8Encode("Aé€😀")], [...new TextEncoder().encode("Aé€😀")]);
 * ```
 */
export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  // At most 3 bytes per UTF-16 unit (a surrogate pair's 4 bytes stand for 2 units).
  const out = new Uint8Array(text.length * 3);
  return out.slice(0, utf8EncodeInto(text, out, 0));
}

/**
 * Writes the UTF-8 bytes of `text` into `out` from `offset` (lone surrogates become
 * U+FFFD, as in {@link utf8Encode}) and returns the offset after them, or -1 when they do
 * not fit (`out` from `offset` on may then have been written). Allocates nothing: the
 * trace's NDJSON sink encodes every entry straight into its buffer with it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8Encode, utf8EncodeInto } from "./utf8.ts";
 * const out = new Uint8Array(16);
 * const end = utf8EncodeInto("Aé€😀", out, 2);
 * assert.deepEqual([...out.subarray(2, end)], [...utf8Encode("Aé€😀")]);
 * assert.equal(utf8EncodeInto("too long", out, 10), -1);
 * ```
 */
export function utf8EncodeInto(text: string, out: Uint8Array, offset: number): number {
  let at = offset;
  const end = out.length;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      if (at >= end) return -1;
      out[at++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) {
      if (at + 2 > end) return -1;
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      if (at + 3 > end) return -1;
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 63);
      out[at++] = 0x80 | (c & 63);
    } else {
      if (at + 4 > end) return -1;
      out[at++] = 0xf0 | (c >> 18);
      out[at++] = 0x80 | ((c >> 12) & 63);
      out[at++] = 0x80 | ((c >> 6) & 63);
      out[at++] = 0x80 | (c & 63);
    }
  }
  return at;
}

/**
 * The text of UTF-8 `bytes` (malformed sequences become U+FFFD).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8Decode, utf8Encode } from "./utf8.ts";
 * assert.equal(utf8Decode(utf8Encode("V_VP8 Aé€😀")), "V_VP8 Aé€😀");
 * assert.equal(utf8Decode(new Uint8Array([0x41, 0xff, 0x42])), "A\uFFFDB");
 * ```
 */
export function utf8Decode(bytes: Uint8Array): string {
  // The WHATWG Encoding standard's UTF-8 decoder (one U+FFFD per maximal bad subpart).
  let s = "";
  let cp = 0, seen = 0, needed = 0, lower = 0x80, upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (needed === 0) {
      if (b < 0x80) s += String.fromCharCode(b);
      else if (b >= 0xc2 && b <= 0xdf) [needed, cp] = [1, b & 0x1f];
      else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
        [needed, cp] = [2, b & 0xf];
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
        [needed, cp] = [3, b & 0x7];
      } else s += "\uFFFD";
      continue;
    }
    if (b < lower || b > upper) {
      [cp, needed, seen, lower, upper] = [0, 0, 0, 0x80, 0xbf];
      s += "\uFFFD";
      i--; // reprocess this byte
      continue;
    }
    [lower, upper] = [0x80, 0xbf];
    cp = (cp << 6) | (b & 0x3f);
    if (++seen === needed) {
      s += String.fromCodePoint(cp);
      [cp, needed, seen] = [0, 0, 0];
    }
  }
  if (needed !== 0) s += "\uFFFD";
  return s;
}
