/**
 * Argument literals: how the fuzzer writes the JavaScript values it passes to WebIDL
 * arguments (`start(timeslice)`, numeric options) as JSON-friendly, human-readable text.
 *
 * Grammar: `absent` (the argument is not passed at all), `undefined`, `NaN`, `Infinity`,
 * `-Infinity`, a decimal number (`-1`, `1.5`, `4294967301`), or a JSON string
 * (`"100"`, `"abc"`), which stays a string.
 *
 * @module
 */

/** A literal as stored in command data, e.g. `"NaN"`, `"-1"` or `"\"100\""`. */
export type Literal = string;

/** The decoded value: `absent` when the argument is omitted. */
export type Decoded = { absent: true } | { absent: false; value: unknown };

/**
 * Decodes a literal into the JavaScript value it denotes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeLiteral } from "./literal.ts";
 * assert.deepEqual(decodeLiteral('"100"'), { absent: false, value: "100" });
 * assert.ok(Number.isNaN((decodeLiteral("NaN") as { value: number }).value));
 * assert.deepEqual(decodeLiteral("absent"), { absent: true });
 * ```
 */
export function decodeLiteral(literal: Literal): Decoded {
  if (literal === "absent") return { absent: true };
  if (literal === "undefined") return { absent: false, value: undefined };
  if (literal.startsWith('"')) return { absent: false, value: JSON.parse(literal) as string };
  const n = Number(literal);
  if (Number.isNaN(n) && literal !== "NaN") {
    throw new Error(`not a literal: ${literal}`);
  }
  return { absent: false, value: n };
}

/**
 * Encodes a value as a literal (numbers, strings and undefined only).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeLiteral } from "./literal.ts";
 * assert.equal(encodeLiteral(NaN), "NaN");
 * assert.equal(encodeLiteral("100"), '"100"');
 * assert.equal(encodeLiteral(2 ** 32 + 5), "4294967301");
 * ```
 */
export function encodeLiteral(value: number | string | undefined): Literal {
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value);
  if (Object.is(value, -0)) return "-0";
  return String(value);
}
