import assert from "node:assert/strict";
import { oggCrc32 } from "./ogg_crc.ts";
import { ffmpegOgg } from "./testdata/fixtures.ts";

/** Bit-at-a-time reference: MSB first, polynomial 0x04c11db7, initial value 0, no final XOR. */
function reference(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let i = 0; i < 8; i++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

Deno.test("check value and empty input", () => {
  assert.equal(oggCrc32(new TextEncoder().encode("123456789")), 0x89a1897f);
  assert.equal(oggCrc32(new Uint8Array(0)), 0);
  assert.equal(oggCrc32(Uint8Array.of(0x80)), 0x690ce0ee); // 0x04c11db7 shifted through 8 steps
});

Deno.test("the table matches the bitwise definition", () => {
  const bytes = new Uint8Array(4096);
  let x = 1;
  for (let i = 0; i < bytes.length; i++) bytes[i] = (x = Math.imul(x, 1103515245) + 12345) >>> 24;
  for (const n of [1, 2, 3, 27, 255, 4096]) {
    assert.equal(oggCrc32(bytes.subarray(0, n)), reference(bytes.subarray(0, n)), `${n} bytes`);
  }
});

Deno.test("ranges and continuation compose", () => {
  const bytes = new TextEncoder().encode("OggS and more bytes");
  const whole = oggCrc32(bytes);
  assert.equal(oggCrc32(bytes, 7, bytes.length, oggCrc32(bytes, 0, 7)), whole);
  assert.equal(oggCrc32(bytes, 4, 9), oggCrc32(bytes.subarray(4, 9)));
});

Deno.test("reproduces the checksums of pages written by FFmpeg/libogg", () => {
  // Page sizes of the fixture: OpusHead 47, OpusTags 74, audio 375 bytes.
  let offset = 0;
  for (const size of [47, 74, 375]) {
    const page = ffmpegOgg.slice(offset, offset + size);
    const stored = new DataView(page.buffer).getUint32(22, true);
    page.fill(0, 22, 26);
    assert.equal(oggCrc32(page), stored, `page at ${offset}`);
    offset += size;
  }
  assert.equal(offset, ffmpegOgg.length);
});
