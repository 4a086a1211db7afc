import assert from "node:assert/strict";
import { concatBytes } from "./ebml.ts";
import { Mp4ParseError, readMp4 } from "./mp4_reader.ts";
import { FragmentedMp4Writer, type Mp4Track } from "./mp4_writer.ts";

type Part = number[] | Uint8Array;

const u16 = (v: number) => [v >>> 8 & 255, v & 255];
const u32 = (v: number) => [v >>> 24 & 255, v >>> 16 & 255, v >>> 8 & 255, v & 255];
const u64 = (v: number) => [...u32(Math.floor(v / 2 ** 32)), ...u32(v >>> 0)];
const fourcc = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

function box(type: string, ...parts: Part[]): Uint8Array {
  const body = concatBytes(parts.map((p) => Uint8Array.from(p)));
  return concatBytes([Uint8Array.from([...u32(8 + body.length), ...fourcc(type)]), body]);
}

function fullBox(type: string, version: number, flags: number, ...parts: Part[]): Uint8Array {
  return box(type, [version, flags >>> 16 & 255, flags >>> 8 & 255, flags & 255], ...parts);
}

/** A moov with an audio track 1 (mp4a + esds) and a video track 2 (avc1 + avcC), v1 boxes. */
function moov(): Uint8Array {
  const trak = (id: number, handler: string, entry: Uint8Array, timescale: number) =>
    box(
      "trak",
      fullBox("tkhd", 1, 3, u64(0), u64(0), u32(id), u32(0), u64(0), new Uint8Array(60)),
      box(
        "mdia",
        fullBox("mdhd", 1, 0, u64(0), u64(0), u32(timescale), u64(0), u16(0x55c4), u16(0)),
        fullBox("hdlr", 0, 0, u32(0), fourcc(handler), new Uint8Array(13)),
        box("minf", box("stbl", fullBox("stsd", 0, 0, u32(1), entry))),
      ),
    );
  const audioEntry = box(
    "mp4a",
    new Uint8Array(6),
    u16(1),
    new Uint8Array(8),
    u16(1), // channelcount
    u16(16),
    u32(0),
    u32(44100 * 0x10000),
    fullBox("esds", 0, 0, [3, 1, 0]),
  );
  const videoEntry = box(
    "avc1",
    new Uint8Array(6),
    u16(1),
    new Uint8Array(16),
    u16(64),
    u16(48),
    new Uint8Array(50),
    box("pasp", u32(1), u32(1)), // not a configuration box: skipped
    box("avcC", [1, 0x64, 0, 0x1f]),
  );
  return box(
    "moov",
    fullBox("mvhd", 1, 0, u64(0), u64(0), u32(600), u64(0), new Uint8Array(80)),
    trak(1, "soun", audioEntry, 44100),
    trak(2, "vide", videoEntry, 90000),
    box(
      "mvex",
      fullBox("trex", 0, 0, u32(1), u32(1), u32(1024), u32(10), u32(0)),
      fullBox("trex", 0, 0, u32(2), u32(1), u32(1), u32(1), u32(0x01010000)),
    ),
  );
}

Deno.test("hand-made file: implicit and explicit data bases, defaults, composition offsets, largesize", () => {
  const ftyp = box("ftyp", fourcc("isom"), u32(1), fourcc("isom"), fourcc("avc1"));
  const head = concatBytes([ftyp, moov(), box("styp", fourcc("msdh"), u32(0))]);
  // Fragment 1. traf 1: no base flags (base = moof start), tfdt v0 100, trun with only a
  // data offset: trex's size 10, duration 1024, flags 0. traf 2: defaults in tfhd,
  // implicit base (end of traf 1's data), no tfdt, a version 1 trun with first-sample
  // flags and signed composition offsets, then a trun with sizes continuing the data.
  const traf1 = (dataOffset: number) =>
    box(
      "traf",
      fullBox("tfhd", 0, 0, u32(1)),
      fullBox("tfdt", 0, 0, u32(100)),
      fullBox("trun", 0, 0x001, u32(2), u32(dataOffset)),
    );
  const traf2 = box(
    "traf",
    fullBox("tfhd", 0, 0x38, u32(2), u32(3000), u32(4), u32(0x01010000)),
    fullBox("trun", 1, 0x804, u32(3), u32(0x02000000), u32(3000), u32(-1500 >>> 0), u32(0)),
    fullBox("trun", 0, 0x200, u32(1), u32(2)),
  );
  const moofSize = box("moof", fullBox("mfhd", 0, 0, u32(5)), traf1(0), traf2).length;
  const moof1 = box("moof", fullBox("mfhd", 0, 0, u32(5)), traf1(moofSize + 8), traf2);
  const data1 = Uint8Array.from({ length: 34 }, (_, i) => i);
  const mdat1 = box("mdat", data1);
  // Fragment 2: traf 2 with an absolute base-data-offset into a largesize mdat, no tfdt.
  const moof2At = head.length + moof1.length + mdat1.length;
  const moof2Size = box(
    "moof",
    fullBox("mfhd", 0, 0, u32(6)),
    box("traf", fullBox("tfhd", 0, 0x01, u32(2), u64(0)), fullBox("trun", 0, 0, u32(1))),
  ).length;
  const moof2 = box(
    "moof",
    fullBox("mfhd", 0, 0, u32(6)),
    box(
      "traf",
      fullBox("tfhd", 0, 0x01, u32(2), u64(moof2At + moof2Size + 16 + 1)),
      fullBox("trun", 0, 0, u32(1)),
    ),
  );
  const mdat2 = Uint8Array.from([...u32(1), ...fourcc("mdat"), ...u64(16 + 5), 9, 8, 7, 6, 5]);
  const free = Uint8Array.from([...u32(0), ...fourcc("free"), 1, 2, 3]); // size 0: to the end
  const bytes = concatBytes([head, moof1, mdat1, moof2, mdat2, free]);

  const file = readMp4(bytes);
  assert.deepEqual(
    [file.majorBrand, file.minorVersion, file.compatibleBrands, file.timescale],
    ["isom", 1, ["isom", "avc1"], 600],
  );
  assert.deepEqual(file.boxes.map((b) => b.type), [
    "ftyp",
    "moov",
    "styp",
    "moof",
    "mdat",
    "moof",
    "mdat",
    "free",
  ]);
  assert.deepEqual(file.boxes.at(-4), {
    type: "mdat",
    offset: head.length + moof1.length,
    size: 42,
  });
  assert.deepEqual(file.boxes.at(-1), { type: "free", offset: bytes.length - 11, size: 11 });
  assert.deepEqual(
    file.tracks.map((t) => ({ ...t, config: t.config && [t.config.type, [...t.config.data]] })),
    [
      {
        id: 1,
        handler: "soun",
        codec: "mp4a",
        timescale: 44100,
        channels: 1,
        sampleRate: 44100,
        config: ["esds", [0, 0, 0, 0, 3, 1, 0]],
      },
      {
        id: 2,
        handler: "vide",
        codec: "avc1",
        timescale: 90000,
        width: 64,
        height: 48,
        config: ["avcC", [1, 0x64, 0, 0x1f]],
      },
    ],
  );
  assert.deepEqual(file.fragments.map((f) => [f.sequence, f.offset, f.size]), [
    [5, head.length, moof1.length],
    [6, moof2At, moof2.length],
  ]);
  const rows = file.fragments.map((f) =>
    f.tracks.map((t) => [
      t.trackId,
      t.baseMediaDecodeTime,
      t.samples.map((s) => [s.dts, s.pts, s.duration, s.size, s.keyframe, s.flags, [...s.data]]),
    ])
  );
  const K = 0x02000000, N = 0x01010000;
  assert.deepEqual(rows, [
    [
      [1, 100, [
        [100, 100, 1024, 10, true, 0, [...data1.subarray(0, 10)]],
        [1124, 1124, 1024, 10, true, 0, [...data1.subarray(10, 20)]],
      ]],
      [2, 0, [
        [0, 3000, 3000, 4, true, K, [20, 21, 22, 23]],
        [3000, 1500, 3000, 4, false, N, [24, 25, 26, 27]],
        [6000, 6000, 3000, 4, false, N, [28, 29, 30, 31]],
        [9000, 9000, 3000, 2, false, N, [32, 33]],
      ]],
    ],
    [[2, 12000, [[12000, 12000, 1, 1, false, N, [8]]]]],
  ]);
  assert.equal(file.fragments[1]!.tracks[0]!.samples[0]!.offset, moof2At + moof2.length + 17);
});

Deno.test("errors: truncated input, boxes overrunning their parent, samples outside the input", () => {
  const w = new FragmentedMp4Writer({ tracks: [{ id: 1, kind: "audio", codec: "opus" }] });
  const whole = concatBytes([
    w.header(),
    ...w.sample(1, 0, 20, true, new Uint8Array(50)),
    ...w.flush(),
  ]);
  assert.equal(readMp4(whole).fragments[0]!.tracks[0]!.samples.length, 1);
  for (const cut of [3, 20, whole.length - 100, whole.length - 1]) {
    assert.throws(() => readMp4(whole.subarray(0, cut)), (e: unknown) => {
      assert.ok(e instanceof Mp4ParseError);
      assert.ok(e.truncated, `cut at ${cut}: ${e.message}`);
      assert.match(e.message, /at byte \d+/);
      return true;
    });
  }
  // A child box larger than its parent is malformed, not truncated.
  const overrun = box("moov", Uint8Array.from([...u32(100), ...fourcc("trak")]));
  assert.throws(
    () => readMp4(overrun),
    (e: unknown) => e instanceof Mp4ParseError && !e.truncated && e.offset === 8,
  );
  // A box size below its header size.
  assert.throws(() => readMp4(Uint8Array.from([...u32(4), ...fourcc("free")])), Mp4ParseError);
  // A trun pointing past the end of the input (mdat cut off but its header present).
  const mdatAt = readMp4(whole).boxes.at(-1)!.offset;
  const lying = whole.slice(0, mdatAt + 8 + 10);
  new DataView(lying.buffer).setUint32(mdatAt, 18);
  assert.throws(() => readMp4(lying), (e: unknown) => e instanceof Mp4ParseError && e.truncated);
  assert.deepEqual(readMp4(new Uint8Array(0)).boxes, []);
});

// --- FFmpeg's fragmented MP4 muxer --------------------------------------------------

async function hasFfmpeg(): Promise<boolean> {
  try {
    return (await new Deno.Command("ffmpeg", { args: ["-version"], stdout: "null", stderr: "null" })
      .output())
      .success;
  } catch {
    return false;
  }
}

Deno.test("FFmpeg's remuxes (fragmented with defaults, base-data-offset; and plain) read back the same samples", async () => {
  if (!(await hasFfmpeg())) {
    if (Deno.env.get("CI") === "true") throw new Error("ffmpeg is required in CI");
    console.warn("skipped: ffmpeg is not installed (install FFmpeg)");
    return;
  }
  const video: Mp4Track = { id: 1, kind: "video", codec: "avc1", width: 160, height: 120 };
  const audio: Mp4Track = { id: 2, kind: "audio", codec: "mp4a", sampleRate: 48000, channels: 1 };
  const w = new FragmentedMp4Writer({ tracks: [video, audio] });
  const parts = [w.header()];
  const events: [number, number, number, boolean, Uint8Array][] = [];
  for (let i = 0; i < 60; i++) {
    const key = i % 15 === 0;
    const nal = Uint8Array.of(
      0,
      0,
      0,
      36,
      ...(key ? [0x65, 0x88, 0x84] : [0x41, 0x9a, 0x00]),
      ...new Uint8Array(33).fill(i),
    );
    events.push([1, i * 40, 40, key, nal]);
  }
  for (let i = 0; i * 64 / 3 < 2400; i++) {
    events.push([2, i * 64 / 3, 64 / 3, true, new Uint8Array(12).fill(i)]);
  }
  events.sort((a, b) => a[1] - b[1]);
  for (const e of events) parts.push(...w.sample(...e));
  parts.push(...w.flush());
  const original = readMp4(concatBytes(parts));

  const dir = await Deno.makeTempDir({ prefix: "recsim-mp4-" });
  try {
    await Deno.writeFile(`${dir}/in.mp4`, concatBytes(parts));
    const samplesOf = (file: ReturnType<typeof readMp4>, id: number) =>
      file.fragments.flatMap((f) =>
        f.tracks.filter((t) => t.trackId === id).flatMap((t) => t.samples)
      )
        .map((s) => [s.dts, s.size, s.keyframe, [...s.data].join()]);
    for (
      const flags of ["frag_keyframe+empty_moov+default_base_moof", "frag_keyframe+empty_moov", ""]
    ) {
      const out = `${dir}/out${flags.length}.mp4`;
      const args = ["-v", "error", "-y", "-i", `${dir}/in.mp4`, "-c", "copy"];
      const { success, stderr } = await new Deno.Command("ffmpeg", {
        args: [...args, ...(flags ? ["-movflags", flags] : []), out],
        stdout: "null",
        stderr: "piped",
      }).output();
      assert.ok(success, new TextDecoder().decode(stderr));
      const remux = readMp4(await Deno.readFile(out));
      // (FFmpeg writes channelcount 2 in every MP4 AudioSampleEntry; its esds says 1.)
      const summary = remux.tracks.map((t) => [t.id, t.handler, t.codec, t.width ?? t.sampleRate]);
      assert.deepEqual(summary, [[1, "vide", "avc1", 160], [2, "soun", "mp4a", 48000]]);
      assert.equal(remux.tracks[0]!.height, 120);
      assert.deepEqual(remux.tracks[0]!.config, original.tracks[0]!.config);
      if (flags === "") {
        assert.deepEqual(remux.fragments, []); // sample tables are not read
        continue;
      }
      assert.ok(remux.fragments.length >= 4, flags);
      // FFmpeg shifts the video by the AAC priming it assumes; compare from each start.
      for (const id of [1, 2]) {
        const a = samplesOf(original, id), b = samplesOf(remux, id);
        const shift = (b[0]![0] as number) - (a[0]![0] as number);
        assert.deepEqual(
          b.map((s) => [(s[0] as number) - shift, ...s.slice(1)]),
          a,
          `${flags} track ${id}`,
        );
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
