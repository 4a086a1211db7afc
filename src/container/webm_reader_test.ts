import assert from "node:assert/strict";
import {
  binaryElement,
  concatBytes,
  floatElement,
  ID,
  intElement,
  masterElement,
  stringElement,
  uintElement,
  unknownSizeHeader,
  vintWidth,
} from "./ebml.ts";
import { ffmpegWebm } from "./testdata/fixtures.ts";
import { readWebm, type WebmFile, WebmParseError } from "./webm_reader.ts";
import { clusterHeader, simpleBlock, WebmWriter } from "./webm_writer.ts";

/** `ffprobe -show_entries packet=stream_index,pts,size,pos,flags` of the fixture. */
const FFPROBE_PACKETS: [stream: number, pts: number, size: number, pos: number, key: boolean][] = [
  [1, -7, 69, 605, true],
  [0, 7, 1091, 681, true],
  [1, 14, 55, 1778, true],
  [1, 34, 54, 1839, true],
  [1, 54, 62, 1899, true],
  [1, 74, 54, 1967, true],
  [1, 94, 54, 2027, true],
  [0, 107, 63, 2087, false],
  [1, 114, 52, 2156, true],
  [1, 134, 53, 2214, true],
  [1, 154, 57, 2273, true],
  [1, 174, 53, 2336, true],
  [1, 194, 48, 2395, true],
  [0, 207, 70, 2449, false],
  [1, 214, 42, 2525, true],
  [1, 234, 45, 2573, true],
  [1, 254, 45, 2624, true],
  [1, 274, 40, 2675, true],
  [1, 294, 29, 2723, true],
];

/** A file with the writer's header and `body` after it (inside its unknown-size Segment). */
function live(...body: Uint8Array[]): Uint8Array {
  const w = new WebmWriter({ tracks: [{ number: 1, kind: "video", codecId: "V_VP8" }] });
  return concatBytes([w.header(), ...body]);
}

function throwsParseError(bytes: Uint8Array, message: RegExp, offset?: number): WebmParseError {
  let error: unknown;
  try {
    readWebm(bytes);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof WebmParseError, `expected a WebmParseError, got ${error}`);
  assert.equal(error.name, "WebmParseError");
  assert.match(error.message, message);
  assert.match(error.message, new RegExp(`byte ${error.offset}\\b`));
  if (offset !== undefined) assert.equal(error.offset, offset);
  return error;
}

Deno.test("reads a seekable WebM written by FFmpeg (known sizes, Duration, Cues)", () => {
  const file = readWebm(ffmpegWebm);
  assert.equal(file.docType, "webm");
  assert.equal(file.segmentSize, 2737);
  assert.equal(48 + 2737, ffmpegWebm.length); // 36-byte EBML header, 12-byte Segment header
  assert.equal(file.hasCues, true);
  assert.equal(file.truncated, false);
  assert.deepEqual(file.info, {
    timecodeScale: 1_000_000,
    muxingApp: "Lavf",
    writingApp: "Lavf",
    duration: 308,
    durationMs: 308,
  });
  assert.deepEqual(file.clusters, [{ offset: 594, timecode: 0, size: 2163 }]);
  const [video, audio] = file.tracks;
  assert.deepEqual(video, {
    number: 1,
    uid: 1,
    kind: "video",
    codecId: "V_VP8",
    defaultDurationNs: 100_000_000,
    width: 64,
    height: 48,
  });
  assert.equal(audio?.codecId, "A_OPUS");
  assert.equal(audio?.codecDelayNs, 6_500_000);
  assert.equal(audio?.seekPreRollNs, 80_000_000);
  assert.equal(audio?.sampleRate, 48000);
  assert.equal(audio?.channels, 1);
  assert.equal(new TextDecoder().decode(audio?.codecPrivate?.subarray(0, 8)), "OpusHead");
});

Deno.test("blocks of the FFmpeg file match ffprobe's packets", () => {
  const file = readWebm(ffmpegWebm);
  const blocks = file.blocks;
  assert.equal(blocks.length, FFPROBE_PACKETS.length);
  FFPROBE_PACKETS.forEach(([stream, pts, size, pos, key], i) => {
    const b = blocks[i]!;
    assert.equal(b.track, stream + 1);
    assert.equal(b.data.length, size);
    assert.equal(b.data.byteOffset, pos + 4); // ffprobe's pos is the block body (track, timecode, flags)
    assert.equal(b.data.buffer, ffmpegWebm.buffer); // a view, not a copy
    assert.equal(b.keyframe, key);
    if (stream === 0) assert.equal(b.timestampMs, pts); // FFmpeg shifts Opus by CodecDelay
  });
  // The last Opus packet is in a BlockGroup (with DiscardPadding) and has no ReferenceBlock.
  const last = blocks.at(-1)!;
  assert.equal(ffmpegWebm[last.offset], ID.BlockGroup);
  const cluster = file.clusters[0]!;
  const clusterData = cluster.offset + 4 + vintWidth(ffmpegWebm[cluster.offset + 4]!);
  assert.equal(last.offset + last.size, clusterData + 2163);
});

Deno.test("the committed .webm file equals the embedded fixture", {
  ignore: Deno.permissions.querySync({ name: "read" }).state !== "granted",
}, () => {
  const url = new URL("./testdata/ffmpeg_vp8_opus.webm", import.meta.url);
  assert.deepEqual(Deno.readFileSync(url), ffmpegWebm);
});

Deno.test("unknown-size Clusters end at the next Cluster, Cues or end of data", () => {
  const cues = masterElement(ID.Cues, [
    masterElement(ID.CuePoint, [
      uintElement(ID.CueTime, 0),
      masterElement(ID.CueTrackPositions, [
        uintElement(ID.CueTrack, 1),
        uintElement(ID.CueClusterPosition, 0),
      ]),
    ]),
  ]);
  const bytes = live(
    clusterHeader(0),
    simpleBlock(1, 0, true, Uint8Array.of(1)),
    binaryElement(ID.Void, new Uint8Array(3)),
    simpleBlock(1, 40, false, Uint8Array.of(2)),
    clusterHeader(1000),
    simpleBlock(1, 0, true, Uint8Array.of(3)),
    cues,
    masterElement(ID.Tags, []),
    binaryElement(ID.Void, new Uint8Array(2)),
  );
  const file = readWebm(bytes);
  assert.equal(file.segmentSize, "unknown");
  assert.equal(file.hasCues, true);
  assert.deepEqual(file.clusters.map((c) => [c.timecode, c.size]), [[0, "unknown"], [
    1000,
    "unknown",
  ]]);
  assert.deepEqual(file.blocks.map((b) => [b.timestampMs, b.keyframe, b.data[0], b.cluster]), [
    [0, true, 1, 0],
    [40, false, 2, 0],
    [1000, true, 3, 1],
  ]);
});

Deno.test("BlockGroups: key frame unless a ReferenceBlock is present", () => {
  const block = (rel: number, payload: number) =>
    binaryElement(ID.Block, Uint8Array.of(0x81, rel >> 8, rel & 0xff, 0x00, payload));
  const bytes = live(
    clusterHeader(500),
    masterElement(ID.BlockGroup, [block(0, 7), uintElement(ID.BlockDuration, 33)]),
    masterElement(ID.BlockGroup, [block(33, 8), intElement(ID.ReferenceBlock, -33)]),
  );
  const { blocks } = readWebm(bytes);
  assert.deepEqual(blocks.map((b) => [b.timestampMs, b.keyframe, b.data[0]]), [
    [500, true, 7],
    [533, false, 8],
  ]);
  assert.equal(bytes[blocks[1]!.offset], ID.BlockGroup);
  assert.equal(blocks[1]!.offset + blocks[1]!.size, bytes.length);
});

Deno.test("timestamps are scaled by TimecodeScale", () => {
  const ebml = masterElement(ID.EBML, [stringElement(ID.DocType, "matroska")]);
  const bytes = concatBytes([
    ebml,
    masterElement(ID.Segment, [
      masterElement(ID.Info, [
        uintElement(ID.TimecodeScale, 100_000),
        floatElement(ID.Duration, 2500),
      ]),
      masterElement(ID.Cluster, [
        uintElement(ID.Timecode, 20),
        simpleBlock(1, -5, true, Uint8Array.of(0)),
      ]),
    ]),
  ]);
  const file = readWebm(bytes);
  assert.equal(file.docType, "matroska");
  assert.equal(file.segmentSize, bytes.length - ebml.length - 5); // 4-byte ID, 1-byte size
  assert.deepEqual(file.info, { timecodeScale: 100_000, duration: 2500, durationMs: 250 });
  assert.equal(file.blocks[0]?.timestampMs, 1.5);
});

function summary(file: WebmFile) {
  return {
    tracks: file.tracks.length,
    clusters: file.clusters,
    blocks: file.blocks.map((b) => [b.offset, b.size, b.timestampMs, b.keyframe]),
  };
}

Deno.test("allowTruncated reads every prefix of the FFmpeg file", () => {
  const full = summary(readWebm(ffmpegWebm));
  for (let n = 0; n < ffmpegWebm.length; n++) {
    const prefix = ffmpegWebm.subarray(0, n);
    const file = readWebm(prefix, { allowTruncated: true });
    assert.equal(file.truncated, true, `prefix ${n}`);
    const got = summary(file);
    assert.deepEqual(got.blocks, full.blocks.slice(0, got.blocks.length), `prefix ${n}`);
    assert.ok(file.blocks.every((b) => b.offset + b.size <= n));
    const error = throwsParseError(prefix, /data ends at byte/);
    assert.equal(error.truncated, true);
  }
});

Deno.test("a live file cut at a block boundary is not truncated; inside a block it is", () => {
  const w = new WebmWriter({ tracks: [{ number: 1, kind: "audio", codecId: "A_OPUS" }] });
  const chunks = [w.header()];
  for (let t = 0; t < 200; t += 20) chunks.push(...w.block(1, t, true, new Uint8Array(30)));
  const bytes = concatBytes(chunks);
  const blocks = readWebm(bytes).blocks;
  assert.equal(blocks.length, 10);
  let end = 0;
  chunks.forEach((chunk, i) => {
    end += chunk.length;
    const file = readWebm(bytes.subarray(0, end)); // no allowTruncated needed
    assert.equal(file.truncated, false);
    assert.equal(file.blocks.length, Math.max(0, i - 1)); // chunks: header, cluster, blocks...
    const cut = readWebm(bytes.subarray(0, end - 1), { allowTruncated: true });
    assert.equal(cut.truncated, true);
    assert.equal(cut.blocks.length, Math.max(0, i - 2));
  });
});

Deno.test("malformed input throws WebmParseError with the offset", () => {
  throwsParseError(Uint8Array.of(0, 1, 2), /expected an element ID at byte 0, found 0x00/, 0);
  throwsParseError(Uint8Array.of(0x42, 0x86, 0x81, 0x01), /expected the EBML header/, 0);
  const header = live();
  throwsParseError(live(Uint8Array.of(0)), /expected an element ID/, header.length);
  throwsParseError(live(Uint8Array.of(0xec, 0x00)), /expected the size of Void/, header.length + 1);
  // After the EBML header, only a Segment may follow.
  const ebml = masterElement(ID.EBML, []);
  throwsParseError(concatBytes([ebml, uintElement(ID.Timecode, 0)]), /expected a Segment/, 5);
  // A TimecodeScale claiming 5 bytes inside a 4-byte Info.
  const info = Uint8Array.of(0x15, 0x49, 0xa9, 0x66, 0x84, 0x2a, 0xd7, 0xb1, 0x85, 0, 0, 0, 0, 0);
  throwsParseError(live(info), /to end by its parent's end/, header.length + 5);
  // Only Segment and Cluster may have an unknown size.
  throwsParseError(live(unknownSizeHeader(ID.Tags)), /expected a known size for Tags/);
  // A block before the Cluster's Timecode.
  const noTimecode = concatBytes([
    unknownSizeHeader(ID.Cluster),
    simpleBlock(1, 0, true, Uint8Array.of(0)),
  ]);
  throwsParseError(
    live(noTimecode),
    /expected a Timecode before the first block/,
    header.length + 12,
  );
  // A SimpleBlock too short for its header.
  throwsParseError(
    live(clusterHeader(0), Uint8Array.of(0xa3, 0x82, 0x81, 0x00)),
    /16-bit timecode/,
  );
});

Deno.test("laced blocks are rejected clearly", () => {
  const laced = (flags: number) =>
    live(
      clusterHeader(0),
      binaryElement(ID.SimpleBlock, Uint8Array.of(0x81, 0, 0, flags, 1, 5, 5)),
    );
  const at = live().length + 15; // after the Cluster header
  throwsParseError(laced(0x86), /found EBML lacing \(not supported\)/, at);
  throwsParseError(laced(0x82), /found Xiph lacing/, at);
  throwsParseError(laced(0x84), /found fixed-size lacing/, at);
});
