/**
 * The CRC-32 of Ogg pages: polynomial 0x04c11db7, not reflected, initial value 0, no
 * final XOR, computed with a 256-entry table.
 *
 * @module
 */

const TABLE = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let r = i << 24;
  for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
  TABLE[i] = r >>> 0;
}

/**
 * Ogg CRC-32 of `bytes[start..end)`, continuing from `crc` (0 to start). A page's
 * checksum is the CRC of the whole page with its 4 CRC bytes (22 to 25) set to zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oggCrc32 } from "./ogg_crc.ts";
 * assert.ok(oggCrc32(new TextEncoder().encode("123456789")) === 0x89a1897f);
 * ```
 */
export function oggCrc32(
  bytes: Uint8Array,
  start = 0,
  end: number = bytes.length,
  crc = 0,
): number {
  let c = crc;
  for (let i = start; i < end; i++) c = (c << 8) ^ TABLE[((c >>> 24) ^ bytes[i]!) & 0xff]!;
  return c >>> 0;
}
