import assert from "node:assert/strict";
import { concatBytes } from "./ebml.ts";
import { oggCrc32 } from "./ogg_crc.ts";
import { OggParseError, parseOpusHead, readOgg } from "./ogg_reader.ts";
import { OggOpusWriter } from "./ogg_writer.ts";
import { ffmpegOgg } from "./testdata/fixtures.ts";

function throwsOggError(fn: () => unknown, message: RegExp, offset: number): void {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof OggParseError);
    assert.equal(e.name, "OggParseError");
    assert.match(e.message, message);
    assert.equal(e.offset, offset);
    return true;
  });
}

Deno.test("reads an Ogg Opus file written by FFmpeg/libogg", () => {
  const { pages, packets, truncated } = readOgg(ffmpegOgg);
  assert.equal(truncated, false);
  assert.deepEqual(
    pages.map((p) => [p.offset, p.size, p.seq, p.granule, p.flags, p.crcOk, p.segments.length]),
    [
      [0, 47, 0, 0n, 0x02, true, 1],
      [47, 74, 1, 0n, 0x00, true, 1],
      [121, 375, 2, 5112n, 0x04, true, 6],
    ],
  );
  assert.ok(pages.every((p) => p.serial === pages[0]!.serial));
  assert.deepEqual(parseOpusHead(packets[0]!.data), {
    version: 1,
    channels: 1,
    preSkip: 312,
    inputSampleRate: 48000,
    outputGain: 0,
    mappingFamily: 0,
  });
  assert.equal(new TextDecoder().decode(packets[1]!.data.subarray(0, 8)), "OpusTags");
  // Sizes from `ffprobe -show_packets`; the page granule is on the page's last packet.
  assert.deepEqual(packets.slice(2).map((p) => p.data.length), [69, 55, 54, 62, 54, 48]);
  assert.deepEqual(packets.map((p) => p.granule), [0n, 0n, ...Array(5), 5112n]);
  assert.deepEqual(packets.map((p) => p.pageIndex), [0, 1, 2, 2, 2, 2, 2, 2]);
  assert.equal(packets[2]!.data.buffer, ffmpegOgg.buffer); // a view, not a copy
});

Deno.test("the committed .ogg file equals the embedded fixture", {
  ignore: Deno.permissions.querySync({ name: "read" }).state !== "granted",
}, () => {
  const url = new URL("./testdata/ffmpeg_opus.ogg", import.meta.url);
  assert.deepEqual(Deno.readFileSync(url), ffmpegOgg);
});

Deno.test("CRC mismatch throws, or is reported with ignoreCrc", () => {
  const bytes = ffmpegOgg.slice();
  bytes[200]! ^= 1; // inside the audio page
  throwsOggError(() => readOgg(bytes), /CRC mismatch in the page at byte 121/, 121);
  const { pages } = readOgg(bytes, { ignoreCrc: true });
  assert.deepEqual(pages.map((p) => p.crcOk), [true, true, false]);
});

Deno.test("a bad capture pattern or version throws with the offset", () => {
  const bytes = ffmpegOgg.slice();
  bytes[48] = 0x68; // "OhgS"
  throwsOggError(() => readOgg(bytes), /expected the capture pattern "OggS" at byte 47/, 47);
  throwsOggError(() => readOgg(new TextEncoder().encode("RIFF")), /"OggS" at byte 0/, 0);
  const v1 = ffmpegOgg.slice();
  v1[4] = 1;
  throwsOggError(() => readOgg(v1), /expected stream structure version 0 at byte 4/, 4);
});

Deno.test("truncated data throws, or returns the whole pages with allowTruncated", () => {
  for (const n of [1, 26, 27, 46, 47 + 27, 200, ffmpegOgg.length - 1]) {
    const prefix = ffmpegOgg.subarray(0, n);
    const start = n < 47 ? 0 : n < 121 ? 47 : 121;
    throwsOggError(() => readOgg(prefix), new RegExp(`at byte ${start} but the data ends`), start);
    const file = readOgg(prefix, { allowTruncated: true });
    assert.equal(file.truncated, true);
    assert.equal(file.pages.length, start === 0 ? 0 : start === 47 ? 1 : 2);
  }
});

Deno.test("packets spanning pages are reassembled; a stream read from its middle skips the partial packet", () => {
  const w = new OggOpusWriter({ serial: 9, channels: 1, sampleRate: 48000, preSkip: 0 });
  const big = new Uint8Array(100_000).map((_, i) => i % 251);
  const bytes = concatBytes([
    w.header(),
    w.packet(big, 960),
    w.packet(Uint8Array.of(1, 2, 3), 1920),
    w.end(),
  ]);
  const file = readOgg(bytes);
  assert.deepEqual(file.pages.map((p) => p.flags), [0x02, 0, 0, 0x01 | 0x04]);
  assert.deepEqual(file.packets[2]!.data, big);
  assert.deepEqual(file.packets[2]!.pageIndex, 3);
  assert.equal(file.packets[2]!.granule, undefined); // not the last packet of its page
  assert.deepEqual(file.packets[3]!.data, Uint8Array.of(1, 2, 3));
  assert.equal(file.packets[3]!.granule, 1920n);
  // From the continued page on: only the packet that starts there.
  const middle = readOgg(bytes.subarray(file.pages[3]!.offset));
  assert.deepEqual(middle.packets.map((p) => p.data), [Uint8Array.of(1, 2, 3)]);
});

Deno.test("a page without the continuation flag after an unfinished packet throws", () => {
  const w = new OggOpusWriter({ serial: 9, channels: 1, sampleRate: 48000, preSkip: 0 });
  const first = w.packet(new Uint8Array(70_000), 960); // a full page, packet unfinished
  const second = w.end();
  const page = second.slice();
  page[5] = 0x04; // drop the continuation flag and recompute the CRC
  page.fill(0, 22, 26);
  new DataView(page.buffer).setUint32(22, oggCrc32(page), true);
  const bytes = concatBytes([first, page]);
  throwsOggError(
    () => readOgg(bytes),
    new RegExp(`continuation flag on the page at byte ${first.length}`),
    first.length,
  );
});

Deno.test("interleaved streams are separated by serial", () => {
  const a = new OggOpusWriter({ serial: 1, channels: 1, sampleRate: 48000, preSkip: 0 });
  const b = new OggOpusWriter({ serial: 2, channels: 2, sampleRate: 48000, preSkip: 0 });
  a.packet(Uint8Array.of(0xa), 960);
  b.packet(Uint8Array.of(0xb), 960);
  const bytes = concatBytes([a.header(), b.header(), a.end(), b.end()]);
  const { packets } = readOgg(bytes);
  assert.deepEqual(packets.map((p) => [p.serial, p.data.length]), [
    [1, 19],
    [1, 22],
    [2, 19],
    [2, 22],
    [1, 1],
    [2, 1],
  ]);
  assert.equal(parseOpusHead(packets[2]!.data).channels, 2);
});

Deno.test("parseOpusHead: mapping table, and errors", () => {
  const head = Uint8Array.of(
    ...new TextEncoder().encode("OpusHead"),
    ...[1, 3], // version, channels
    ...[0x38, 0x01], // pre-skip 312
    ...[0x80, 0xbb, 0, 0], // 48000 Hz
    ...[0, 0], // output gain
    ...[1, 2, 1], // mapping family 1, 2 streams, 1 coupled
    ...[0, 2, 1], // channel mapping
  );
  assert.deepEqual(parseOpusHead(head), {
    version: 1,
    channels: 3,
    preSkip: 312,
    inputSampleRate: 48000,
    outputGain: 0,
    mappingFamily: 1,
    streamCount: 2,
    coupledCount: 1,
    channelMapping: [0, 2, 1],
  });
  throwsOggError(() => parseOpusHead(head.subarray(0, 22)), /channel mapping table/, 19);
  throwsOggError(() => parseOpusHead(head.subarray(0, 18)), /expected 19 bytes/, 18);
  throwsOggError(() => parseOpusHead(new TextEncoder().encode("OpusTags")), /"OpusHead"/, 0);
});
