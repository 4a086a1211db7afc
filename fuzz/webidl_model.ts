/**
 * The WebIDL conversions the model needs, written from the WebIDL standard
 * (ConvertToInt for `unsigned long`, restricted `double`, enumerations), independently of
 * recsim's `src/webidl.ts`.
 *
 * @module
 */

/**
 * ConvertToInt(V, 32, "unsigned") without `[EnforceRange]`/`[Clamp]`: ToNumber; NaN,
 * ±0 and ±∞ give 0; otherwise the integer part modulo 2^32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unsignedLong } from "./webidl_model.ts";
 * assert.equal(unsignedLong(-1), 4294967295);
 * assert.equal(unsignedLong("100"), 100);
 * assert.equal(unsignedLong(2 ** 32 + 7), 7);
 * assert.equal(unsignedLong(NaN), 0);
 * ```
 */
export function unsignedLong(value: unknown): number {
  const x = Number(value);
  if (Number.isNaN(x) || x === 0 || x === Infinity || x === -Infinity) return 0;
  const integer = x < 0 ? Math.ceil(x) : Math.floor(x);
  const modulo = integer - Math.floor(integer / 4294967296) * 4294967296;
  return modulo === 0 ? 0 : modulo;
}

/**
 * WebIDL `long`: ToNumber; NaN, ±∞ and 0 give 0; otherwise truncate, take it modulo
 * 2^32, and subtract 2^32 from values of 2^31 and up.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { long } from "./webidl_model.ts";
 * assert.equal(long(-1), -1);
 * assert.equal(long(2 ** 31), -(2 ** 31));
 * assert.equal(long("12.9"), 12);
 * ```
 */
export function long(value: unknown): number {
  const n = unsignedLong(value);
  return n >= 2147483648 ? n - 4294967296 : n;
}

/**
 * A restricted `double`: ToNumber, and `null` (meaning "throws a TypeError") for NaN or ±∞.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { restrictedDouble } from "./webidl_model.ts";
 * assert.equal(restrictedDouble("2.5"), 2.5);
 * assert.equal(restrictedDouble(NaN), null);
 * ```
 */
export function restrictedDouble(value: unknown): number | null {
  const x = Number(value);
  return Number.isFinite(x) ? x : null;
}

/** The `BitrateMode` enumeration values. */
export const BITRATE_MODES: readonly string[] = ["constant", "variable"];
