import assert from "node:assert/strict";
import fc from "fast-check";
import { toUnsignedLong } from "../src/webidl.ts";
import { restrictedDouble, unsignedLong } from "./webidl_model.ts";

Deno.test("unsignedLong: WebIDL ConvertToInt(V, 32, unsigned) on the edge cases", () => {
  const cases: Array<[unknown, number]> = [
    [undefined, 0],
    [null, 0],
    [NaN, 0],
    [Infinity, 0],
    [-Infinity, 0],
    [-0, 0],
    [-0.5, 0],
    [0.5, 0],
    [1.9, 1],
    [-1, 4294967295],
    [-1.5, 4294967295],
    [2 ** 32, 0],
    [2 ** 32 + 5, 5],
    [2 ** 31, 2147483648],
    ["100", 100],
    ["abc", 0],
    ["", 0],
    [" 7 ", 7],
  ];
  for (const [input, want] of cases) assert.equal(unsignedLong(input), want, String(input));
});

Deno.test("unsignedLong agrees with recsim's toUnsignedLong (independent implementations)", () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(undefined)),
      (v) => {
        assert.equal(unsignedLong(v), toUnsignedLong(v));
      },
    ),
  );
});

Deno.test("restrictedDouble: NaN and infinities are rejected", () => {
  assert.equal(restrictedDouble("2.5"), 2.5);
  assert.equal(restrictedDouble(NaN), null);
  assert.equal(restrictedDouble(-Infinity), null);
  assert.equal(restrictedDouble("x"), null);
});
