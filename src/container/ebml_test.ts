import assert from "node:assert/strict";
import {
  ByteBuilder,
  decodeId,
  decodeVint,
  encodeVint,
  floatElement,
  ID,
  idLength,
  intElement,
  masterElement,
  readFloat,
  readInt,
  stringElement,
  uintElement,
  UNKNOWN_SIZE,
  unknownSizeHeader,
  vintLength,
  vintWidth,
} from "./ebml.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

Deno.test("VINT lengths switch at 2^(7n) - 1 (all ones is reserved)", () => {
  const cases: [number, number][] = [
    [0, 1],
    [126, 1],
    [127, 2],
    [16382, 2],
    [16383, 3],
    [2 ** 21 - 2, 3],
    [2 ** 21 - 1, 4],
    [2 ** 28 - 2, 4],
    [2 ** 28 - 1, 5],
    [2 ** 49 - 1, 8],
    [Number.MAX_SAFE_INTEGER, 8],
  ];
  for (const [value, length] of cases) assert.equal(vintLength(value), length, `${value}`);
});

Deno.test("VINT encodings of boundary values", () => {
  assert.equal(hex(encodeVint(0)), "80");
  assert.equal(hex(encodeVint(126)), "fe");
  assert.equal(hex(encodeVint(127)), "40 7f");
  assert.equal(hex(encodeVint(16382)), "7f fe");
  assert.equal(hex(encodeVint(16383)), "20 3f ff");
  assert.equal(hex(encodeVint(1, 8)), "01 00 00 00 00 00 00 01");
  assert.throws(() => encodeVint(127, 1), RangeError);
  assert.throws(() => encodeVint(-1), RangeError);
  assert.throws(() => encodeVint(1.5), RangeError);
});

Deno.test("VINT round trips, at minimal and every wider length", () => {
  const values = [0, 1, 126, 127, 128, 16382, 16383, 16384, 2 ** 21 - 2, 2 ** 21, 2 ** 35 + 7];
  values.push(Number.MAX_SAFE_INTEGER);
  for (const value of values) {
    for (let length = vintLength(value); length <= 8; length++) {
      const bytes = encodeVint(value, length);
      assert.equal(bytes.length, length);
      assert.equal(vintWidth(bytes[0]!), length);
      assert.deepEqual(decodeVint(bytes, 0), { value, length }, `${value} in ${length} bytes`);
    }
  }
});

Deno.test("the unknown-size marker decodes as -1 at any width", () => {
  assert.equal(hex(UNKNOWN_SIZE), "01 ff ff ff ff ff ff ff");
  assert.deepEqual(decodeVint(UNKNOWN_SIZE, 0), { value: -1, length: 8 });
  assert.deepEqual(decodeVint(Uint8Array.of(0xff), 0), { value: -1, length: 1 });
  assert.deepEqual(decodeVint(Uint8Array.of(0x7f, 0xff), 0), { value: -1, length: 2 });
  assert.equal(hex(unknownSizeHeader(ID.Cluster)), "1f 43 b6 75 01 ff ff ff ff ff ff ff");
});

Deno.test("decodeVint and decodeId reject invalid and truncated input", () => {
  assert.throws(() => decodeVint(Uint8Array.of(0x00, 0x01), 0), /invalid VINT at offset 0/);
  assert.throws(() => decodeVint(Uint8Array.of(0x81, 0x40), 1), /truncated VINT at offset 1/);
  assert.throws(() => decodeId(Uint8Array.of(0x08, 0, 0, 0, 0), 0), /invalid element ID/);
  assert.throws(() => decodeId(Uint8Array.of(0x1a, 0x45), 0), /truncated element ID/);
  assert.deepEqual(decodeId(Uint8Array.of(0, 0xa3), 1), { id: ID.SimpleBlock, length: 1 });
});

Deno.test("element IDs keep their marker bits", () => {
  assert.equal(idLength(ID.EBML), 4);
  assert.equal(idLength(ID.TimecodeScale), 3);
  assert.equal(idLength(ID.CodecPrivate), 2);
  assert.equal(idLength(ID.TrackEntry), 1);
  for (const [name, id] of Object.entries(ID)) {
    const bytes = new Uint8Array(4);
    bytes.set(uintElement(id, 0).subarray(0, idLength(id)));
    assert.deepEqual(decodeId(bytes, 0), { id, length: idLength(id) }, name);
  }
});

Deno.test("integer, float and string elements", () => {
  assert.equal(hex(uintElement(ID.TrackNumber, 0)), "d7 81 00");
  assert.equal(hex(uintElement(ID.TimecodeScale, 1_000_000)), "2a d7 b1 83 0f 42 40");
  assert.equal(hex(uintElement(ID.Timecode, 256)), "e7 82 01 00");
  assert.equal(hex(uintElement(ID.Timecode, 2 ** 40)), "e7 86 01 00 00 00 00 00");
  assert.equal(hex(intElement(ID.ReferenceBlock, -33)), "fb 81 df");
  assert.equal(hex(intElement(ID.ReferenceBlock, 128)), "fb 82 00 80");
  assert.equal(hex(intElement(ID.ReferenceBlock, -129)), "fb 82 ff 7f");
  const f = floatElement(ID.SamplingFrequency, 48000);
  assert.equal(hex(f), "b5 88 40 e7 70 00 00 00 00 00"); // as written by FFmpeg
  assert.equal(readFloat(f, 2, 8), 48000);
  assert.equal(readInt(intElement(ID.ReferenceBlock, -129), 2, 2), -129);
  assert.equal(hex(stringElement(ID.CodecID, "A_OPUS")), "86 86 41 5f 4f 50 55 53");
  assert.equal(hex(stringElement(ID.Name, "é")), "53 6e 82 c3 a9");
  assert.throws(() => uintElement(ID.Timecode, -1), RangeError);
});

Deno.test("master elements and the byte builder", () => {
  const video = masterElement(ID.Video, [
    uintElement(ID.PixelWidth, 64),
    uintElement(ID.PixelHeight, 48),
  ]);
  assert.equal(hex(video), "e0 86 b0 81 40 ba 81 30");
  const big = masterElement(ID.CodecPrivate, [new Uint8Array(200)]);
  assert.equal(hex(big.subarray(0, 4)), "63 a2 40 c8");
  const b = new ByteBuilder().push(video).push(Uint8Array.of(1, 2));
  assert.equal(b.length, 10);
  assert.equal(hex(b.bytes()), "e0 86 b0 81 40 ba 81 30 01 02");
});
