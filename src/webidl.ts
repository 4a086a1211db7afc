/**
 * WebIDL conversions used by the MediaRecorder IDL, implemented as the WebIDL
 * standard defines them (ConvertToInt, restricted double, enumerations).
 *
 * @module
 */

/**
 * WebIDL `unsigned long` (ConvertToInt(V, 32, "unsigned") without `[EnforceRange]`
 * or `[Clamp]`): ToNumber, NaN/±0/±∞ → 0, truncate toward zero, modulo 2^32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toUnsignedLong } from "./webidl.ts";
 * assert.ok(toUnsignedLong(-1) === 4294967295);
 * assert.ok(toUnsignedLong(NaN) === 0);
 * assert.ok(toUnsignedLong(1.9) === 1);
 * assert.ok(toUnsignedLong(2 ** 32 + 5) === 5);
 * assert.ok(toUnsignedLong("100") === 100);
 * ```
 */
export function toUnsignedLong(value: unknown): number {
  // 1. Let x be ? ToNumber(V). (A Symbol or BigInt throws a TypeError here.)
  const x = toNumber(value);
  // 8. If x is NaN, +0, −0, +∞, or −∞, then return +0.
  if (!Number.isFinite(x) || x === 0) return 0;
  // 9. Set x to IntegerPart(x).
  const int = Math.trunc(x);
  // 10. Set x to x modulo 2^32.
  const mod = int % 4294967296;
  return mod < 0 ? mod + 4294967296 : mod + 0;
}

/**
 * WebIDL `long` (ConvertToInt(V, 32, "signed")): like {@link toUnsignedLong}, then
 * values ≥ 2^31 wrap to negative. Chrome declares `start(optional long timeslice)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toLong } from "./webidl.ts";
 * assert.ok(toLong(-1) === -1);
 * assert.ok(toLong(2 ** 31) === -2147483648);
 * assert.ok(toLong(4294967295) === -1);
 * ```
 */
export function toLong(value: unknown): number {
  const x = toUnsignedLong(value);
  return x >= 2147483648 ? x - 4294967296 : x;
}

/**
 * WebIDL restricted `double`: ToNumber, then a `TypeError` if the result is NaN or
 * infinite (used for `videoKeyFrameIntervalDuration`, a `DOMHighResTimeStamp`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toRestrictedDouble } from "./webidl.ts";
 * assert.ok(toRestrictedDouble("2.5", "x") === 2.5);
 * let threw = false;
 * try { toRestrictedDouble(Infinity, "x"); } catch (e) { threw = e instanceof TypeError; }
 * assert.ok(threw);
 * ```
 */
export function toRestrictedDouble(value: unknown, what: string): number {
  const x = toNumber(value);
  if (!Number.isFinite(x)) {
    throw new TypeError(`${what} must be a finite number, got ${String(x)}`);
  }
  return x;
}

/**
 * WebIDL `DOMString`: ToString (a Symbol throws a `TypeError`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toDOMString } from "./webidl.ts";
 * assert.ok(toDOMString(12) === "12");
 * assert.ok(toDOMString(null) === "null");
 * ```
 */
export function toDOMString(value: unknown): string {
  if (typeof value === "symbol") throw new TypeError("Cannot convert a Symbol to a string");
  return String(value);
}

/**
 * WebIDL enumeration: the value is converted to a string and must be one of
 * `allowed`, otherwise a `TypeError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toEnum } from "./webidl.ts";
 * assert.ok(toEnum("constant", ["constant", "variable"], "audioBitrateMode") === "constant");
 * ```
 */
export function toEnum<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  const s = toDOMString(value);
  if (!(allowed as readonly string[]).includes(s)) {
    throw new TypeError(
      `${what}: '${s}' is not a valid enum value (expected ${
        allowed.map((a) => `'${a}'`).join(", ")
      })`,
    );
  }
  return s as T;
}

function toNumber(value: unknown): number {
  if (typeof value === "symbol") throw new TypeError("Cannot convert a Symbol to a number");
  if (typeof value === "bigint") throw new TypeError("Cannot convert a BigInt to a number");
  return Number(value);
}
