// WebIDL conversions (src/webidl.ts) against the WebIDL standard:
// ConvertToInt (§3.2.4.9, "unsigned long" and "long" without [EnforceRange]/[Clamp]),
// restricted double (§3.2.4.16) and enumerations (§3.2.18).
import assert from "node:assert/strict";
import { toDOMString, toEnum, toLong, toRestrictedDouble, toUnsignedLong } from "./webidl.ts";

/** Asserts `actual` is exactly `expected`, telling +0 from -0 (WebIDL step 8 returns +0). */
function same(actual: number, expected: number, label: string): void {
  assert.ok(
    Object.is(actual, expected),
    `${label}: expected ${String(expected)}, got ${String(actual)}`,
  );
}

const valueOf7 = { valueOf: () => 7 };
const toString9 = { toString: () => "9" };

// [label, input, toUnsignedLong result, toLong result]
const table: Array<[string, unknown, number, number]> = [
  // Step 4: ToNumber(undefined) is NaN, step 8: NaN → +0.
  ["undefined", undefined, 0, 0],
  ["null", null, 0, 0],
  ["true", true, 1, 1],
  ["false", false, 0, 0],
  ['"abc"', "abc", 0, 0],
  ['"100"', "100", 100, 100],
  ['" 12 "', " 12 ", 12, 12],
  ['""', "", 0, 0],
  ['"0x10"', "0x10", 16, 16],
  ['"1e3"', "1e3", 1000, 1000],
  ["+0", 0, 0, 0],
  ["-0 (steps 5, 8 → +0)", -0, 0, 0],
  ["-0.5 (step 9 IntegerPart → -0, result +0)", -0.5, 0, 0],
  ["-1 (step 10 modulo 2^32)", -1, 4294967295, -1],
  ["1.9 (truncated toward zero)", 1.9, 1, 1],
  ["-1.9 (truncated toward zero, then modulo)", -1.9, 4294967295, -1],
  ["2^31 - 1", 2 ** 31 - 1, 2147483647, 2147483647],
  ["2^31 (long step 11 wraps)", 2 ** 31, 2147483648, -2147483648],
  ["-2^31", -(2 ** 31), 2147483648, -2147483648],
  ["-2^31 - 1", -(2 ** 31) - 1, 2147483647, 2147483647],
  ["2^32 - 1", 4294967295, 4294967295, -1],
  ["2^32", 2 ** 32, 0, 0],
  ["2^32 + 5", 2 ** 32 + 5, 5, 5],
  ["-(2^32) - 1", -(2 ** 32) - 1, 4294967295, -1],
  ["2^53", 2 ** 53, 0, 0],
  ["2^53 + 2^32 + 4 (exact in a double)", 2 ** 53 + 2 ** 32 + 4, 4, 4],
  ["Infinity", Infinity, 0, 0],
  ["-Infinity", -Infinity, 0, 0],
  ["NaN", NaN, 0, 0],
  ["Number.MAX_VALUE", Number.MAX_VALUE, 0, 0],
  ["Number.MIN_VALUE (tiny positive → 0)", Number.MIN_VALUE, 0, 0],
  ["object with valueOf() → 7", valueOf7, 7, 7],
  ['object with toString() → "9"', toString9, 9, 9],
  ['[] (ToPrimitive → "")', [], 0, 0],
  ["[5]", [5], 5, 5],
  ["{} (NaN)", {}, 0, 0],
];

Deno.test("WebIDL ConvertToInt (unsigned long): table of inputs, +0 never -0", () => {
  for (const [label, input, unsigned] of table) {
    same(toUnsignedLong(input), unsigned, `toUnsignedLong(${label})`);
  }
});

Deno.test("WebIDL ConvertToInt (long): table of inputs, values >= 2^31 wrap negative (step 11)", () => {
  for (const [label, input, , signed] of table) {
    same(toLong(input), signed, `toLong(${label})`);
  }
  same(toLong(2 ** 31), -2147483648, "toLong(2^31)");
  same(toLong(2 ** 31 - 1), 2147483647, "toLong(2^31 - 1)");
  same(toLong(4294967295), -1, "toLong(4294967295)");
});

Deno.test("WebIDL ConvertToInt step 4: ToNumber of a Symbol or a BigInt throws TypeError", () => {
  for (const f of [toUnsignedLong, toLong]) {
    assert.throws(() => f(Symbol("s")), TypeError);
    assert.throws(() => f(10n), TypeError);
    assert.throws(() => f(0n), TypeError);
  }
});

Deno.test("WebIDL ConvertToInt step 4: ToNumber calls valueOf once and propagates its exception", () => {
  let calls = 0;
  assert.equal(toUnsignedLong({ valueOf: () => (calls++, 3) }), 3);
  assert.equal(calls, 1);
  const boom = new Error("boom");
  assert.throws(
    () =>
      toUnsignedLong({
        valueOf() {
          throw boom;
        },
      }),
    (e) => e === boom,
  );
  // A Symbol.toPrimitive that yields a Symbol makes ToNumber throw a TypeError.
  assert.throws(() => toUnsignedLong({ [Symbol.toPrimitive]: () => Symbol("x") }), TypeError);
});

Deno.test("WebIDL restricted double: NaN, ±Infinity and non-numeric strings throw TypeError naming the member", () => {
  for (const bad of [NaN, Infinity, -Infinity, "abc", undefined, {}]) {
    assert.throws(
      () => toRestrictedDouble(bad, "options.videoKeyFrameIntervalDuration"),
      (e: unknown) =>
        e instanceof TypeError && e.message.includes("options.videoKeyFrameIntervalDuration"),
      `toRestrictedDouble(${String(bad)})`,
    );
  }
  assert.throws(() => toRestrictedDouble(Symbol("s"), "x"), TypeError);
  assert.throws(() => toRestrictedDouble(1n, "x"), TypeError);
});

Deno.test("WebIDL restricted double: finite values convert with ToNumber and keep fractions and -0", () => {
  same(toRestrictedDouble("2.5", "x"), 2.5, '"2.5"');
  same(toRestrictedDouble(2.5, "x"), 2.5, "2.5");
  same(toRestrictedDouble(null, "x"), 0, "null");
  same(toRestrictedDouble(true, "x"), 1, "true");
  same(toRestrictedDouble(-0, "x"), -0, "-0 (a double keeps its sign)");
  same(toRestrictedDouble(" -7.25 ", "x"), -7.25, '" -7.25 "');
  same(toRestrictedDouble(valueOf7, "x"), 7, "valueOf 7");
  same(toRestrictedDouble(Number.MAX_VALUE, "x"), Number.MAX_VALUE, "MAX_VALUE");
});

Deno.test("WebIDL enumeration: an unknown value throws TypeError whose message has the value and the member", () => {
  const allowed = ["constant", "variable"] as const;
  assert.throws(
    () => toEnum("loud", allowed, "options.audioBitrateMode"),
    (e: unknown) =>
      e instanceof TypeError && e.message.includes("'loud'") &&
      e.message.includes("options.audioBitrateMode"),
  );
  // Enumeration values are compared exactly: case matters.
  assert.throws(() => toEnum("Constant", allowed, "m"), /'Constant'/);
  assert.throws(() => toEnum("", allowed, "m"), TypeError);
  assert.throws(() => toEnum(undefined, allowed, "m"), /'undefined'/);
  assert.throws(() => toEnum(Symbol("s"), allowed, "m"), TypeError);
});

Deno.test("WebIDL enumeration: a valid value is returned; non-strings are converted with ToString first", () => {
  const allowed = ["constant", "variable"] as const;
  assert.equal(toEnum("constant", allowed, "m"), "constant");
  assert.equal(toEnum("variable", allowed, "m"), "variable");
  assert.equal(toEnum({ toString: () => "variable" }, allowed, "m"), "variable");
  assert.equal(toEnum(null, ["null"] as const, "m"), "null");
});

Deno.test("WebIDL DOMString: ToString, and a Symbol throws TypeError", () => {
  assert.equal(toDOMString(12), "12");
  assert.equal(toDOMString(null), "null");
  assert.equal(toDOMString(undefined), "undefined");
  assert.equal(toDOMString(-0), "0");
  assert.equal(toDOMString({ toString: () => "x" }), "x");
  assert.throws(() => toDOMString(Symbol("s")), TypeError);
});
