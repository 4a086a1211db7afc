import assert from "node:assert/strict";
import { concatBytes, ID, uintElement, unknownSizeHeader } from "./ebml.ts";
import { opusHead } from "./ogg_writer.ts";
import { readWebm } from "./webm_reader.ts";
import { clusterHeader, simpleBlock, type WebmTrack, WebmWriter } from "./webm_writer.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

const VIDEO: WebmTrack = {
  number: 1,
  kind: "video",
  codecId: "V_VP8",
  width: 320,
  height: 240,
  frameRate: 30,
};
const AUDIO: WebmTrack = {
  number: 2,
  kind: "audio",
  codecId: "A_OPUS",
  codecPrivate: opusHead({ channels: 2, sampleRate: 48000, preSkip: 312 }),
  codecDelayNs: 6_500_000,
  seekPreRollNs: 80_000_000,
  sampleRate: 48000,
  channels: 2,
  bitDepth: 32,
  name: "mic",
};

type Frame = [track: number, timestampMs: number, keyframe: boolean, payload: Uint8Array];

function write(writer: WebmWriter, frames: Frame[]): Uint8Array {
  const parts = [writer.header()];
  for (const f of frames) parts.push(...writer.block(...f));
  return concatBytes(parts);
}

/** 30 fps video with a key frame every `gop` frames, plus 20 ms audio, video first on ties. */
function av(durationMs: number, gop: number): Frame[] {
  const frames: Frame[] = [];
  for (let i = 0; i * 1000 / 30 < durationMs; i++) {
    frames.push([1, i * 1000 / 30, i % gop === 0, Uint8Array.of(1, i & 255, 9)]);
  }
  for (let t = 0; t < durationMs; t += 20) frames.push([2, t, false, Uint8Array.of(2, t & 255)]);
  // Stable sort: video frames were pushed first, so they stay first on equal timestamps.
  return frames.sort((a, b) => Math.round(a[1]) - Math.round(b[1]));
}

Deno.test("header: exact EBML header, unknown-size Segment and Info bytes", () => {
  const h = new WebmWriter({ tracks: [VIDEO] }).header();
  const expected = [
    "1a 45 df a3 9f", // EBML, 31 bytes
    "42 86 81 01", // EBMLVersion 1
    "42 f7 81 01", // EBMLReadVersion 1
    "42 f2 81 04", // EBMLMaxIDLength 4
    "42 f3 81 08", // EBMLMaxSizeLength 8
    "42 82 84 77 65 62 6d", // DocType "webm"
    "42 87 81 04", // DocTypeVersion 4
    "42 85 81 02", // DocTypeReadVersion 2
    "18 53 80 67 01 ff ff ff ff ff ff ff", // Segment, unknown size
    "15 49 a9 66 99", // Info, 25 bytes
    "2a d7 b1 83 0f 42 40", // TimecodeScale 1000000
    "4d 80 86 72 65 63 73 69 6d", // MuxingApp "recsim"
    "57 41 86 72 65 63 73 69 6d", // WritingApp "recsim"
    "16 54 ae 6b", // Tracks
  ].join(" ");
  assert.equal(hex(h.subarray(0, expected.split(" ").length)), expected);
});

Deno.test("SimpleBlock and Cluster header bytes", () => {
  // ID a3, size 7, track 2, timecode +300 (01 2c), flags 00, payload.
  assert.equal(
    hex(simpleBlock(2, 300, false, Uint8Array.of(1, 2, 3))),
    "a3 87 82 01 2c 00 01 02 03",
  );
  // Key frame, negative timecode, 2-byte track number VINT.
  assert.equal(hex(simpleBlock(200, -1, true, Uint8Array.of(7))), "a3 86 40 c8 ff ff 80 07");
  // A 200-byte payload needs a 2-byte size VINT.
  assert.equal(
    hex(simpleBlock(1, 0, true, new Uint8Array(200)).subarray(0, 7)),
    "a3 40 cc 81 00 00 80",
  );
  assert.throws(() => simpleBlock(1, 32768, true, new Uint8Array(1)), RangeError);
  assert.equal(hex(clusterHeader(0)), "1f 43 b6 75 01 ff ff ff ff ff ff ff e7 81 00");
  assert.equal(hex(clusterHeader(70000).subarray(12)), "e7 83 01 11 70");
});

Deno.test("clusterHeader: the Cluster's unknown-size header and uintElement(Timecode) at every width", () => {
  for (
    const t of [0, 1, 255, 256, 65535, 65536, 2 ** 24 - 1, 2 ** 24, 2 ** 32, 2 ** 48, 2 ** 53 - 1]
  ) {
    assert.equal(
      hex(clusterHeader(t)),
      hex(concatBytes([unknownSizeHeader(ID.Cluster), uintElement(ID.Timecode, t)])),
      `at ${t}`,
    );
  }
  for (const bad of [-1, 0.5, Number.NaN, 2 ** 53]) {
    assert.throws(() => clusterHeader(bad), RangeError);
  }
});

Deno.test("round trip: tracks, unknown sizes, no Duration or Cues", () => {
  const w = new WebmWriter({ tracks: [VIDEO, AUDIO], muxingApp: "Chrome", writingApp: "Chrome" });
  const file = readWebm(write(w, av(1000, 10)));
  assert.equal(file.docType, "webm");
  assert.equal(file.segmentSize, "unknown");
  assert.equal(file.hasCues, false);
  assert.equal(file.truncated, false);
  assert.deepEqual(file.info, {
    timecodeScale: 1_000_000,
    muxingApp: "Chrome",
    writingApp: "Chrome",
  });
  assert.deepEqual(file.tracks, [
    {
      number: 1,
      uid: 1,
      kind: "video",
      codecId: "V_VP8",
      defaultDurationNs: 33_333_333,
      width: 320,
      height: 240,
    },
    {
      number: 2,
      uid: 2,
      kind: "audio",
      codecId: "A_OPUS",
      name: "mic",
      codecPrivate: AUDIO.codecPrivate,
      codecDelayNs: 6_500_000,
      seekPreRollNs: 80_000_000,
      sampleRate: 48000,
      channels: 2,
      bitDepth: 32,
    },
  ]);
  assert.ok(file.clusters.every((c) => c.size === "unknown"));
});

Deno.test("round trip: a Cluster per video key frame, exact timestamps and payloads", () => {
  const frames = av(2000, 10);
  const file = readWebm(write(new WebmWriter({ tracks: [VIDEO, AUDIO] }), frames));
  assert.equal(file.blocks.length, frames.length);
  frames.forEach(([track, ts, key, payload], i) => {
    const b = file.blocks[i]!;
    assert.equal(b.track, track);
    assert.equal(b.timestampMs, Math.round(ts)); // e.g. 33.33 -> 33, 66.67 -> 67
    assert.equal(b.keyframe, key || track === 2); // audio blocks are always key frames
    assert.deepEqual(b.data, payload);
  });
  // Key frames every 10 video frames: 0, 333, 667, 1000, 1333, 1667 ms.
  assert.deepEqual(file.clusters.map((c) => c.timecode), [0, 333, 667, 1000, 1333, 1667]);
  file.clusters.forEach((c, i) => {
    const first = file.blocks.find((b) => b.cluster === i)!;
    assert.equal(first.offset, c.offset + clusterHeader(c.timecode).length);
    assert.deepEqual([first.track, first.keyframe, first.timestampMs], [1, true, c.timecode]);
  });
});

Deno.test("a relative timecode past int16 forces a new Cluster", () => {
  const frames: Frame[] = [];
  for (let t = 0; t <= 70_000; t += 1000) frames.push([1, t, t === 0, Uint8Array.of(t / 1000)]);
  const file = readWebm(write(new WebmWriter({ tracks: [VIDEO] }), frames));
  assert.deepEqual(file.clusters.map((c) => c.timecode), [0, 33_000, 66_000]);
  assert.deepEqual(file.blocks.map((b) => b.timestampMs), frames.map((f) => f[1]));
  assert.equal(file.blocks.find((b) => b.timestampMs === 32_000)!.cluster, 0);
  assert.equal(file.blocks.find((b) => b.timestampMs === 33_000)!.keyframe, false);
});

Deno.test("audio only: a new Cluster every maxClusterDurationMs", () => {
  const frames: Frame[] = [];
  for (let t = 0; t < 12_000; t += 20) frames.push([2, t, false, Uint8Array.of(1)]);
  const byDefault = readWebm(write(new WebmWriter({ tracks: [AUDIO] }), frames));
  assert.deepEqual(byDefault.clusters.map((c) => c.timecode), [0, 5000, 10_000]);
  assert.equal(byDefault.blocks.filter((b) => b.cluster === 0).length, 250);
  const short = readWebm(
    write(new WebmWriter({ tracks: [AUDIO], maxClusterDurationMs: 1000 }), frames),
  );
  assert.equal(short.clusters.length, 12);
  assert.ok(short.blocks.every((b) => b.keyframe));
});

Deno.test("with video, audio alone does not start Clusters by age", () => {
  const frames: Frame[] = [[1, 0, true, Uint8Array.of(0)]];
  for (let t = 20; t < 12_000; t += 20) frames.push([2, t, true, Uint8Array.of(1)]);
  const file = readWebm(write(new WebmWriter({ tracks: [VIDEO, AUDIO] }), frames));
  assert.equal(file.clusters.length, 1);
});

Deno.test("deterministic: same input, same bytes", () => {
  const frames = av(3000, 15);
  const a = write(new WebmWriter({ tracks: [VIDEO, AUDIO] }), frames);
  const b = write(new WebmWriter({ tracks: [VIDEO, AUDIO] }), frames);
  assert.deepEqual(a, b);
  const w = new WebmWriter({ tracks: [VIDEO, AUDIO] });
  assert.deepEqual(w.header(), w.header());
});

Deno.test("place() + simpleBlock() give the same bytes as block(), so blocks can be cached", () => {
  const frames = av(1500, 10);
  const expected = write(new WebmWriter({ tracks: [VIDEO, AUDIO] }), frames);
  const w = new WebmWriter({ tracks: [VIDEO, AUDIO] });
  const cache = new Map<string, Uint8Array>();
  const parts = [w.header()];
  for (const [track, ts, key, payload] of frames) {
    const header = w.place(track, ts, key);
    if (header) parts.push(header);
    const k = key || track === 2;
    const id = `${track}/${w.relativeTimecode}/${k}/${payload.join()}`;
    let block = cache.get(id);
    if (!block) cache.set(id, block = simpleBlock(track, w.relativeTimecode, k, payload));
    parts.push(block);
  }
  assert.deepEqual(concatBytes(parts), expected);
});

Deno.test("invalid input throws", () => {
  assert.throws(() => new WebmWriter({ tracks: [VIDEO, { ...AUDIO, number: 1 }] }), /duplicate/);
  assert.throws(() => new WebmWriter({ tracks: [{ ...VIDEO, number: 0 }] }), RangeError);
  const w = new WebmWriter({ tracks: [VIDEO] });
  assert.throws(() => w.block(3, 0, true, new Uint8Array(1)), /unknown track 3/);
  assert.throws(() => w.block(1, -1, true, new Uint8Array(1)), RangeError);
  assert.throws(() => w.block(1, NaN, true, new Uint8Array(1)), RangeError);
  w.block(1, 100, true, new Uint8Array(1));
  w.block(1, 99.5, false, new Uint8Array(1)); // rounds to 100: allowed
  assert.throws(() => w.block(1, 99, false, new Uint8Array(1)), /before the previous/);
});

Deno.test("blocks stay intact when later blocks are written, even if a caller detaches a buffer", () => {
  const a = simpleBlock(1, 0, true, Uint8Array.of(1, 2, 3));
  const b = simpleBlock(1, 1, false, Uint8Array.of(4, 5, 6));
  assert.equal(hex(a), "a3 87 81 00 00 80 01 02 03");
  assert.equal(hex(b), "a3 87 81 00 01 00 04 05 06");
  const shared = b.buffer as ArrayBuffer;
  structuredClone(shared, { transfer: [shared] }); // detaches the shared buffer
  assert.equal(hex(simpleBlock(1, 2, true, Uint8Array.of(7))), "a3 85 81 00 02 80 07");
  const big = simpleBlock(1, 0, true, new Uint8Array(100_000).fill(9));
  assert.equal(big.byteLength, 100_008);
  assert.equal(big.at(-1), 9);
});

Deno.test("audioClusterMs: an audio block that old starts a Cluster, with video too (Chrome's muxer)", () => {
  const frames: Frame[] = [];
  for (let t = 0; t < 600; t += 20) {
    if (t % 100 === 0) frames.push([1, t, t === 0, Uint8Array.of(2)]); // one key frame
    if (t % 60 === 0) frames.push([2, t, true, Uint8Array.of(1)]); // 60 ms packets
  }
  const file = readWebm(
    write(new WebmWriter({ tracks: [VIDEO, AUDIO], audioClusterMs: 100 }), frames),
  );
  // at every second packet: 0, 120, 240, 360, 480 (video alone never starts one)
  assert.deepEqual(file.clusters.map((c) => c.timecode), [0, 120, 240, 360, 480]);
  assert.deepEqual(file.blocks.map((b) => b.timestampMs), frames.map((f) => f[1]));
});
