import assert from "node:assert/strict";
import { concatBytes } from "./ebml.ts";
import { parseOpusHead, readOgg } from "./ogg_reader.ts";
import { OggOpusWriter, type OggOpusWriterOptions, opusHead } from "./ogg_writer.ts";

const OPTIONS: OggOpusWriterOptions = {
  serial: 0x1234,
  channels: 2,
  sampleRate: 44100,
  preSkip: 312,
};
const PRE_SKIP = 312;

/** 20 ms packets: packet `i` (from 1) ends at granule pre-skip + 960 i. */
function packets(count: number, size = 40): [Uint8Array, number][] {
  return Array.from({ length: count }, (_, i) => {
    const data = new Uint8Array(size).fill((i + 1) & 255);
    return [data, PRE_SKIP + 960 * (i + 1)];
  });
}

function write(options: OggOpusWriterOptions, input: [Uint8Array, number][]): Uint8Array {
  const w = new OggOpusWriter(options);
  return concatBytes([w.header(), ...input.map(([d, g]) => w.packet(d, g)), w.end()]);
}

Deno.test("header pages: OpusHead with BOS, then OpusTags with vendor recsim", () => {
  const h = new OggOpusWriter(OPTIONS).header();
  const { pages, packets } = readOgg(h);
  assert.deepEqual(
    pages.map((p) => [p.offset, p.serial, p.seq, p.granule, p.flags, p.segments]),
    [[0, 0x1234, 0, 0n, 0x02, [19]], [47, 0x1234, 1, 0n, 0x00, [22]]],
  );
  assert.deepEqual(parseOpusHead(packets[0]!.data), {
    version: 1,
    channels: 2,
    preSkip: 312,
    inputSampleRate: 44100,
    outputGain: 0,
    mappingFamily: 0,
  });
  const tags = packets[1]!.data;
  assert.equal(new TextDecoder().decode(tags.subarray(0, 8)), "OpusTags");
  assert.deepEqual(Array.from(tags.subarray(8)), [
    6,
    0,
    0,
    0,
    ...new TextEncoder().encode("recsim"),
    0,
    0,
    0,
    0,
  ]);
  // Byte-level check of the first page header.
  assert.deepEqual(
    Array.from(h.subarray(0, 22)),
    [0x4f, 0x67, 0x67, 0x53, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0],
  );
});

Deno.test("a given OpusHead is used verbatim", () => {
  const head = opusHead({ channels: 1, sampleRate: 8000, preSkip: 100, outputGain: -256 });
  const h = new OggOpusWriter({ ...OPTIONS, opusHead: head }).header();
  assert.deepEqual(readOgg(h).packets[0]!.data, head);
  assert.equal(parseOpusHead(head).outputGain, -256);
  assert.throws(() => opusHead({ channels: 6, sampleRate: 48000, preSkip: 0 }), RangeError);
});

Deno.test("packets round trip; pages close after pageDurationMs; EOS on the last page", () => {
  const input = packets(120); // 2.4 s
  const file = readOgg(write(OPTIONS, input));
  const audio = file.pages.slice(2);
  // The first page closes at the packet reaching 1000 ms of granule (312 + 960 * 50 >= 48000).
  assert.deepEqual(audio.map((p) => p.seq), [2, 3, 4]);
  assert.deepEqual(audio.map((p) => p.granule), [
    BigInt(PRE_SKIP + 960 * 50),
    BigInt(PRE_SKIP + 960 * 100),
    BigInt(PRE_SKIP + 960 * 120),
  ]);
  assert.deepEqual(audio.map((p) => p.flags), [0, 0, 0x04]);
  assert.deepEqual(audio.map((p) => p.segments.length), [50, 50, 20]);
  const got = file.packets.slice(2);
  assert.deepEqual(got.map((p) => p.data), input.map(([d]) => d));
  // The granule is reported on the last packet of each page.
  assert.deepEqual(
    got.flatMap((p, i) => p.granule === undefined ? [] : [[i, p.granule]]),
    [[49, audio[0]!.granule], [99, audio[1]!.granule], [119, audio[2]!.granule]],
  );
});

Deno.test("packet() returns only completed pages; flush() closes the open page", () => {
  const w = new OggOpusWriter({ ...OPTIONS, pageDurationMs: 100 });
  const out = packets(12).map(([d, g]) => w.packet(d, g));
  // Pages complete at granules >= 4800 after the previous page: packets 5 and 10.
  assert.deepEqual(out.map((b) => b.length > 0), [
    false,
    false,
    false,
    false,
    true,
    false,
    false,
    false,
    false,
    true,
    false,
    false,
  ]);
  const flushed = w.flush();
  assert.equal(w.flush().length, 0);
  const { pages } = readOgg(concatBytes([...out, flushed]), {});
  assert.deepEqual(pages.map((p) => [p.seq, p.segments.length, p.granule]), [
    [2, 5, BigInt(PRE_SKIP + 960 * 5)],
    [3, 5, BigInt(PRE_SKIP + 960 * 10)],
    [4, 2, BigInt(PRE_SKIP + 960 * 12)],
  ]);
  const last = w.end();
  assert.deepEqual(readOgg(last).pages.map((p) => [p.seq, p.flags, p.segments, p.granule]), [
    [5, 0x04, [], BigInt(PRE_SKIP + 960 * 12)], // an empty EOS page with the last granule
  ]);
  assert.throws(() => w.packet(new Uint8Array(1), 99_999), /after end/);
  assert.throws(() => w.end(), /twice/);
});

Deno.test("a page closes at 255 segments", () => {
  const file = readOgg(write({ ...OPTIONS, pageDurationMs: 1e9 }, packets(300, 10)));
  assert.deepEqual(file.pages.slice(2).map((p) => p.segments.length), [255, 45]);
  assert.equal(file.pages[2]!.granule, BigInt(PRE_SKIP + 960 * 255));
});

Deno.test("lacing: 255-byte multiples end with a 0 lacing value", () => {
  const w = new OggOpusWriter(OPTIONS);
  w.packet(new Uint8Array(255), 1272);
  w.packet(new Uint8Array(510), 2232);
  w.packet(new Uint8Array(0), 3192);
  const { pages, packets } = readOgg(w.flush());
  assert.deepEqual(pages[0]!.segments, [255, 0, 255, 255, 0, 0]);
  assert.deepEqual(packets.map((p) => p.data.length), [255, 510, 0]);
});

Deno.test("a packet that does not fit the open page starts a new one", () => {
  const w = new OggOpusWriter({ ...OPTIONS, pageDurationMs: 1e9 });
  const small = packets(250, 10).map(([d, g]) => w.packet(d, g));
  const closed = w.packet(new Uint8Array(2000), PRE_SKIP + 960 * 251); // needs 8 segments
  const { pages } = readOgg(concatBytes([...small, closed, w.end()]));
  assert.deepEqual(pages.map((p) => [p.flags, p.segments.length, p.granule]), [
    [0, 250, BigInt(PRE_SKIP + 960 * 250)],
    [0x04, 8, BigInt(PRE_SKIP + 960 * 251)],
  ]);
});

Deno.test("packets of 65025 bytes or more span pages with the continuation flag", () => {
  const big = new Uint8Array(140_000).map((_, i) => i * 7);
  const w = new OggOpusWriter(OPTIONS);
  const bytes = concatBytes([
    w.header(),
    w.packet(new Uint8Array(5), 1272),
    w.packet(big, 2232),
    w.packet(new Uint8Array(255 * 255), 3192),
    w.end(),
  ]);
  const file = readOgg(bytes);
  assert.deepEqual(file.pages.slice(2).map((p) => [p.flags, p.segments.length, p.granule]), [
    [0, 1, 1272n], // the small packet's page is closed first
    [0, 255, -1n], // 65025 bytes of the big packet, none ends here
    [0x01, 255, -1n], // 130050 bytes
    [0x01, 40, 2232n], // the last 9950 bytes: 39 x 255 + 5
    [0, 255, -1n], // exactly 255 x 255 bytes ...
    [0x01 | 0x04, 1, 3192n], // ... end with a 0 lacing value on the next page
  ]);
  assert.deepEqual(file.packets[3]!.data, big);
  assert.equal(file.packets[4]!.data.length, 255 * 255);
  assert.equal(file.packets.length, 5);
});

Deno.test("deterministic: same input, same bytes", () => {
  const input = packets(200, 77);
  assert.deepEqual(write(OPTIONS, input), write(OPTIONS, input));
  const w = new OggOpusWriter(OPTIONS);
  assert.deepEqual(w.header(), w.header());
});

Deno.test("invalid input throws", () => {
  assert.throws(() => new OggOpusWriter({ ...OPTIONS, serial: -1 }), RangeError);
  assert.throws(() => new OggOpusWriter({ ...OPTIONS, serial: 2 ** 32 }), RangeError);
  const w = new OggOpusWriter(OPTIONS);
  w.packet(new Uint8Array(1), 2000);
  assert.throws(
    () => w.packet(new Uint8Array(1), 1999),
    /granule position must be an integer >= 2000/,
  );
  assert.throws(() => w.packet(new Uint8Array(1), 2000.5), RangeError);
  w.packet(new Uint8Array(1), 2000n); // equal is fine
});
