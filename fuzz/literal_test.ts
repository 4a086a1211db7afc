import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeLiteral, encodeLiteral } from "./literal.ts";

Deno.test("literals: the WebIDL edge cases decode to the values they name", () => {
  assert.deepEqual(decodeLiteral("absent"), { absent: true });
  assert.deepEqual(decodeLiteral("undefined"), { absent: false, value: undefined });
  assert.deepEqual(decodeLiteral("-1"), { absent: false, value: -1 });
  assert.deepEqual(decodeLiteral("4294967301"), { absent: false, value: 2 ** 32 + 5 });
  assert.deepEqual(decodeLiteral("1.9"), { absent: false, value: 1.9 });
  assert.deepEqual(decodeLiteral('"100"'), { absent: false, value: "100" });
  assert.deepEqual(decodeLiteral("Infinity"), { absent: false, value: Infinity });
  assert.ok(Number.isNaN((decodeLiteral("NaN") as { value: number }).value));
  assert.throws(() => decodeLiteral("bogus"));
});

Deno.test("literals: encode then decode is the identity on numbers and strings", () => {
  fc.assert(
    fc.property(fc.oneof(fc.double(), fc.string(), fc.integer()), (v) => {
      const d = decodeLiteral(encodeLiteral(v));
      assert.ok(!d.absent && Object.is(d.value, v));
    }),
  );
});
