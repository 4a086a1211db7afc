import assert from "node:assert/strict";
import { utf8Decode, utf8Encode } from "./utf8.ts";

Deno.test("utf8Encode gives TextEncoder's bytes, also for astral and lone surrogates", () => {
  for (
    const s of [
      "",
      "webm",
      "OpusHead",
      "Lavf61 é ß ñ",
      "€ 中文 😀🎥",
      "a\uD800b",
      "\uDC00",
      "x\uD83D",
    ]
  ) {
    assert.deepEqual([...utf8Encode(s)], [...new TextEncoder().encode(s)], JSON.stringify(s));
  }
});

Deno.test("utf8Decode gives TextDecoder's text, also for malformed input", () => {
  const cases = [
    new TextEncoder().encode("Chrome é 😀 中"),
    new Uint8Array([0xff, 0x41]),
    new Uint8Array([0xc3]),
    new Uint8Array([0xe2, 0x82]),
    new Uint8Array([0xed, 0xa0, 0x80]),
    new Uint8Array([0xc0, 0x80]),
    new Uint8Array([0xf4, 0x90, 0x80, 0x80]),
  ];
  for (const b of cases) assert.equal(utf8Decode(b), new TextDecoder().decode(b), String([...b]));
});
