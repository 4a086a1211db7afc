import assert from "node:assert/strict";
import { concatBytes } from "./ebml.ts";
import { readMp4 } from "./mp4_reader.ts";
import { FragmentedMp4Writer, mp4CodecString, type Mp4Track } from "./mp4_writer.ts";
import { opusHead } from "./ogg_writer.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

const H264: Mp4Track = { id: 1, kind: "video", codec: "avc1", width: 320, height: 240 };
const AAC: Mp4Track = { id: 2, kind: "audio", codec: "mp4a", sampleRate: 48000, channels: 2 };
const VP9: Mp4Track = { id: 1, kind: "video", codec: "vp09", width: 640, height: 480 };
const OPUS: Mp4Track = { id: 2, kind: "audio", codec: "opus", channels: 2, preSkip: 312 };

type Sample = [
  track: number,
  timestampMs: number,
  durationMs: number,
  key: boolean,
  data: Uint8Array,
];

/**
 * A payload FFmpeg's parsers can classify (they set the packets' key flags): for H.264
 * one length-prefixed NAL unit starting with a valid slice header, for VP9 a frame header
 * byte with the frame type. The rest is `fill` bytes, so decoding still fails.
 */
function payload(codec: Mp4Track["codec"], size: number, key: boolean, fill: number): Uint8Array {
  const p = new Uint8Array(size).fill(fill);
  if (codec === "avc1") {
    // NAL length, then an IDR slice (nal_ref_idc 3, type 5: first_mb 0, slice_type 7 (I),
    // pps 0, frame_num 0, idr_pic_id 0, no_output_of_prior_pics 0, long_term_reference 0)
    // or a P slice (nal_ref_idc 2, type 1: first_mb 0, slice_type 5 (P), pps 0,
    // frame_num 0, no overrides, no reordering, no adaptive marking); filler after that.
    p.set([0, 0, 0, size - 4, ...(key ? [0x65, 0x88, 0x84] : [0x41, 0x9a, 0x00])]);
  }
  if (codec === "vp09") p[0] = key ? 0x82 : 0x86; // frame marker, profile 0, frame type
  return p;
}

/**
 * `durationMs` of 30 fps video with a key frame every `gop` frames and audio frames of
 * `audioFrameMs`, sorted by timestamp (video first on ties), like an encoder's output.
 */
function av(
  video: Mp4Track | undefined,
  audio: Mp4Track | undefined,
  durationMs: number,
  gop: number,
  audioFrameMs: number,
): Sample[] {
  const samples: Sample[] = [];
  if (video) {
    for (let i = 0; i * 1000 / 30 < durationMs; i++) {
      const key = i % gop === 0;
      samples.push([
        video.id,
        i * 1000 / 30,
        1000 / 30,
        key,
        payload(video.codec, 100 + (i % 7), key, i),
      ]);
    }
  }
  if (audio) {
    for (let i = 0; i * audioFrameMs < durationMs; i++) {
      samples.push([
        audio.id,
        i * audioFrameMs,
        audioFrameMs,
        true,
        payload(audio.codec, 20 + (i % 5), true, i),
      ]);
    }
  }
  return samples.sort((a, b) => a[1] - b[1]);
}

function write(
  writer: FragmentedMp4Writer,
  samples: Sample[],
): { bytes: Uint8Array; fragmentsReturned: number } {
  const parts = [writer.header()];
  let fragmentsReturned = 0;
  for (const s of samples) {
    const out = writer.sample(...s);
    if (out.length > 0) fragmentsReturned++;
    parts.push(...out);
  }
  const last = writer.flush();
  if (last.length > 0) fragmentsReturned++;
  parts.push(...last);
  return { bytes: concatBytes(parts), fragmentsReturned };
}

const AAC_FRAME_MS = 1024 / 48;

Deno.test("header: ftyp brands, moov layout, fixed times and codec configuration bytes", () => {
  const h = new FragmentedMp4Writer({ tracks: [H264, AAC] }).header();
  // ftyp: size 28, "ftyp", major "iso5", minor 512, compatible iso5 iso6 mp41
  assert.equal(
    hex(h.subarray(0, 28)),
    "00 00 00 1c 66 74 79 70 69 73 6f 35 00 00 02 00 69 73 6f 35 69 73 6f 36 6d 70 34 31",
  );
  // mvhd: version 0, creation and modification time 0, timescale 1000, duration 0
  assert.equal(
    hex(h.subarray(36, 60)),
    "00 00 00 6c 6d 76 68 64 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 e8",
  );
  const file = readMp4(h);
  assert.deepEqual(file.boxes.map((b) => b.type), ["ftyp", "moov"]);
  assert.equal(file.timescale, 1000);
  assert.deepEqual(file.fragments, []);
  const [video, audio] = file.tracks;
  assert.deepEqual(
    { ...video!, config: undefined },
    {
      id: 1,
      handler: "vide",
      codec: "avc1",
      timescale: 90000,
      width: 320,
      height: 240,
      config: undefined,
    },
  );
  // avcC: version 1, Constrained Baseline level 1.3, 4-byte lengths, one SPS and one PPS
  assert.equal(
    hex(video!.config!.data),
    "01 42 c0 0d ff e1 00 08 67 42 c0 0d da 05 07 e4 01 00 04 68 ce 3c 80",
  );
  assert.deepEqual(
    { ...audio!, config: undefined },
    {
      id: 2,
      handler: "soun",
      codec: "mp4a",
      timescale: 48000,
      channels: 2,
      sampleRate: 48000,
      config: undefined,
    },
  );
  // esds: ES_Descriptor > DecoderConfigDescriptor (MPEG-4 audio) > AudioSpecificConfig
  // 11 90 (AAC LC, 48 kHz, 2 channels), SLConfigDescriptor 2
  assert.equal(
    hex(audio!.config!.data),
    "00 00 00 00 03 19 00 00 00 04 11 40 15 00 00 00 00 00 00 00 00 00 00 00 05 02 11 90 06 01 02",
  );
  assert.equal(audio!.config!.type, "esds");
});

Deno.test("header: Opus dOps, vp09 vpcC, codec strings and description overrides", () => {
  const file = readMp4(new FragmentedMp4Writer({ tracks: [VP9, OPUS] }).header());
  const [vp9, opus] = file.tracks;
  assert.equal(vp9!.codec, "vp09");
  assert.equal(vp9!.config!.type, "vpcC");
  // version 1; profile 0, level 3.0, 8-bit 4:2:0 colocated, BT.709, no init data
  assert.equal(hex(vp9!.config!.data), "01 00 00 00 00 1e 82 01 01 01 00 00");
  assert.equal(opus!.codec, "Opus");
  assert.equal(opus!.timescale, 48000);
  assert.equal(opus!.sampleRate, 48000);
  // version 0, 2 channels, pre-skip 312, input rate 48000, gain 0, family 0
  assert.equal(hex(opus!.config!.data), "00 02 01 38 00 00 bb 80 00 00 00");
  assert.equal(mp4CodecString(VP9), "vp09.00.30.08");
  assert.equal(mp4CodecString(OPUS), "opus");
  assert.equal(mp4CodecString(H264), "avc1.42C00D");
  assert.equal(
    mp4CodecString({ ...H264, width: 1920, height: 1080, frameRate: 60 }),
    "avc1.42C02A",
  );

  // Safari's codec string sets the SPS's profile, constraints and level.
  const safari = readMp4(
    new FragmentedMp4Writer({ tracks: [{ ...H264, codecString: "avc1.42000a" }] }).header(),
  );
  assert.equal(hex(safari.tracks[0]!.config!.data.subarray(0, 4)), "01 42 00 0a");
  assert.equal(hex(safari.tracks[0]!.config!.data.subarray(8, 12)), "67 42 00 0a");

  // An OpusHead description becomes dOps (big-endian, without the magic); 6 channels use
  // mapping family 1.
  const head = opusHead({ channels: 1, sampleRate: 44100, preSkip: 3840 });
  const fromHead = readMp4(
    new FragmentedMp4Writer({ tracks: [{ ...OPUS, description: head }] }).header(),
  );
  assert.equal(hex(fromHead.tracks[0]!.config!.data), "00 01 0f 00 00 00 ac 44 00 00 00");
  const surround = readMp4(
    new FragmentedMp4Writer({ tracks: [{ ...OPUS, channels: 6 }] }).header(),
  );
  assert.equal(
    hex(surround.tracks[0]!.config!.data),
    "00 06 01 38 00 00 bb 80 00 00 01 04 02 00 04 01 02 03 05",
  );
  const avcC = Uint8Array.of(1, 0x64, 0, 0x1f, 0xff, 0xe0, 0);
  const real = readMp4(
    new FragmentedMp4Writer({ tracks: [{ ...H264, description: avcC }] }).header(),
  );
  assert.deepEqual(real.tracks[0]!.config!.data, avcC);
  assert.equal(mp4CodecString({ ...H264, description: avcC }), "avc1.64001F");
});

Deno.test("round trip: tracks, fragments at key frames, samples, timestamps, flags and data", () => {
  const samples = av(H264, AAC, 5000, 45, AAC_FRAME_MS); // key frames every 1.5 s
  const { bytes, fragmentsReturned } = write(
    new FragmentedMp4Writer({ tracks: [H264, AAC] }),
    samples,
  );
  const file = readMp4(bytes);
  assert.deepEqual(file.tracks.map((t) => [t.id, t.handler, t.codec, t.timescale]), [
    [1, "vide", "avc1", 90000],
    [2, "soun", "mp4a", 48000],
  ]);
  // Key frames at 0, 1.5, 3 and 4.5 s, each at least 1 s into its fragment.
  assert.equal(file.fragments.length, 4);
  assert.equal(fragmentsReturned, 4);
  assert.deepEqual(file.fragments.map((f) => f.sequence), [1, 2, 3, 4]);
  assert.deepEqual(
    file.boxes.map((b) => b.type),
    ["ftyp", "moov", ...file.fragments.flatMap(() => ["moof", "mdat"])],
  );
  for (const [index, track] of [H264, AAC].entries()) {
    const expected = samples.filter((s) => s[0] === track.id);
    const timescale = index === 0 ? 90000 : 48000;
    const got = file.fragments.flatMap((f) => f.tracks.filter((t) => t.trackId === track.id));
    assert.equal(got.length, 4);
    for (const t of got) assert.equal(t.baseMediaDecodeTime, t.samples[0]!.dts);
    const read = got.flatMap((t) => t.samples);
    assert.equal(read.length, expected.length);
    read.forEach((s, i) => {
      const [, ms, durationMs, key, data] = expected[i]!;
      assert.equal(s.dts, Math.round(ms * timescale / 1000), `dts of sample ${i}`);
      assert.equal(s.pts, s.dts);
      const next = read[i + 1];
      // Durations reach the next sample exactly, also across fragments here (no gaps).
      const end = next ? next.dts : Math.round((ms + durationMs) * timescale / 1000);
      assert.equal(s.duration, end - s.dts, `duration of sample ${i}`);
      assert.equal(s.keyframe, key);
      assert.equal(s.flags, key ? 0x02000000 : 0x01010000);
      assert.equal(s.size, data.length);
      assert.deepEqual(s.data, data);
    });
  }
  // Every fragment starts with a video key frame; video data precedes audio data in mdat.
  for (const f of file.fragments) {
    const [video, audio] = f.tracks;
    assert.equal(video!.trackId, 1);
    assert.ok(video!.samples[0]!.keyframe);
    const mdat = file.boxes.find((b) => b.offset === f.offset + f.size)!;
    assert.equal(mdat.type, "mdat");
    assert.equal(video!.samples[0]!.offset, mdat.offset + 8);
    assert.equal(
      audio!.samples[0]!.offset,
      video!.samples.at(-1)!.offset + video!.samples.at(-1)!.size,
    );
    assert.equal(
      audio!.samples.at(-1)!.offset + audio!.samples.at(-1)!.size,
      mdat.offset + mdat.size,
    );
  }
});

Deno.test("fragmenting: audio-only by duration, Infinity until flush, tracks without samples", () => {
  const opusOnly = av(undefined, OPUS, 2500, 1, 20);
  const byDuration = readMp4(write(new FragmentedMp4Writer({ tracks: [OPUS] }), opusOnly).bytes);
  assert.deepEqual(byDuration.fragments.map((f) => f.tracks[0]!.samples.length), [50, 50, 25]);
  assert.deepEqual(byDuration.fragments.map((f) => f.tracks[0]!.baseMediaDecodeTime), [
    0,
    48000,
    96000,
  ]);

  const w = new FragmentedMp4Writer({ tracks: [OPUS], fragmentDurationMs: Infinity });
  for (const s of opusOnly) assert.deepEqual(w.sample(...s), []);
  const parts = w.flush();
  assert.equal(parts.length, 1 + 125);
  // Payloads are returned by reference, in order.
  parts.slice(1).forEach((p, i) => assert.equal(p, opusOnly[i]![4]));
  assert.deepEqual(w.flush(), []);

  // In a file with video, audio never closes a fragment; a fragment without video
  // samples has no video traf. Track ids need not be 1 and 2.
  const video = { ...H264, id: 7 }, audio = { ...AAC, id: 3 };
  const v = new FragmentedMp4Writer({ tracks: [video, audio], fragmentDurationMs: 0 });
  const out = [v.header()];
  for (let t = 0; t < 3000; t += 100) out.push(...v.sample(3, t, 100, true, Uint8Array.of(1)));
  out.push(...v.sample(7, 3000, 40, true, Uint8Array.of(0, 0, 0, 1, 0x65)));
  out.push(...v.sample(7, 3040, 40, true, Uint8Array.of(0, 0, 0, 1, 0x65)));
  out.push(...v.flush());
  const file = readMp4(concatBytes(out));
  assert.deepEqual(
    file.fragments.map((f) => f.tracks.map((t) => [t.trackId, t.samples.length])),
    [[[3, 30]], [[7, 1]], [[7, 1]]],
  );
  assert.equal(file.fragments[0]!.tracks[0]!.samples.at(-1)!.duration, 4800);
});

Deno.test("timestamps: exact rounding to the timescale, gaps, custom timescale and 64-bit tfdt", () => {
  const track: Mp4Track = { ...H264, timescale: 1000 };
  const w = new FragmentedMp4Writer({ tracks: [track], fragmentDurationMs: Infinity });
  const parts = [w.header()];
  parts.push(...w.sample(1, 0.4, 10, true, Uint8Array.of(1)));
  parts.push(...w.sample(1, 33.6, 10, false, Uint8Array.of(2))); // gap: duration 34 - 0
  assert.throws(() => w.sample(1, 40, 5e9, false, Uint8Array.of(3)), RangeError); // > 2^32
  // 58 days later: the gap does not fit a 32-bit trun duration, so a fragment starts.
  const closed = w.sample(1, 5e9, 0.4, false, Uint8Array.of(3));
  assert.equal(closed.length, 3);
  parts.push(...closed);
  parts.push(...w.flush());
  const fragments = readMp4(concatBytes(parts)).fragments;
  assert.deepEqual(
    fragments.map((f) => f.tracks[0]!.samples.map((x) => [x.dts, x.duration])),
    [[[0, 34], [34, 10]], [[5e9, 0]]],
  );

  const late = new FragmentedMp4Writer({ tracks: [H264] });
  const bytes = concatBytes([
    late.header(),
    ...late.sample(1, 1e8, 40, true, Uint8Array.of(1)),
    ...late.flush(),
  ]);
  const f = readMp4(bytes).fragments[0]!.tracks[0]!;
  assert.equal(f.baseMediaDecodeTime, 9e9); // > 2^32: needs the version 1 tfdt
  assert.equal(f.samples[0]!.duration, 3600);
});

Deno.test("deterministic: the same input gives the same bytes; header() is pure", () => {
  const samples = av(H264, AAC, 3000, 30, AAC_FRAME_MS);
  const a = write(new FragmentedMp4Writer({ tracks: [H264, AAC] }), samples).bytes;
  const b = write(new FragmentedMp4Writer({ tracks: [H264, AAC] }), samples).bytes;
  assert.deepEqual(a, b);
  const w = new FragmentedMp4Writer({ tracks: [VP9, OPUS] });
  assert.deepEqual(w.header(), w.header());
  // Flushing mid-stream (requestData) only moves fragment boundaries.
  const c = new FragmentedMp4Writer({ tracks: [H264, AAC] });
  const parts = [c.header()];
  samples.forEach((s, i) => {
    if (i === 100) parts.push(...c.flush());
    parts.push(...c.sample(...s));
  });
  parts.push(...c.flush());
  const split = readMp4(concatBytes(parts));
  // [0, 1) s, [1, 1.3) s, [1.3, 3) s: the key frame at 2 s is under 1 s into the fragment
  // the flush started, instead of [0, 1), [1, 2), [2, 3) s.
  assert.equal(readMp4(a).fragments.length, 3);
  assert.equal(split.fragments.length, 3);
  assert.equal(split.fragments[2]!.tracks[0]!.samples[0]!.keyframe, false);
  const flat = (bytes: Uint8Array) =>
    readMp4(bytes).fragments.flatMap((f) =>
      f.tracks.flatMap((t) => t.samples.map((s) => [t.trackId, s.dts, s.size]))
    )
      .sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
  assert.deepEqual(flat(concatBytes(parts)), flat(a));
});

Deno.test("validation: bad tracks, options and samples throw RangeErrors", () => {
  const bad: Mp4Track[][] = [
    [{ ...H264, id: 0 }],
    [H264, { ...AAC, id: 1 }],
    [{ id: 1, kind: "video", codec: "avc1" }],
    [{ ...H264, width: 0 }],
    [{ ...AAC, kind: "video" }],
    [{ ...AAC, channels: 7 }],
    [{ ...AAC, channels: 9 }],
    [{ ...AAC, codecString: "mp4a.40.5" }],
    [{ ...H264, codecString: "avc1.42" }],
    [{ ...OPUS, preSkip: -1 }],
    [{ ...OPUS, description: new Uint8Array(19) }],
    [{ ...H264, timescale: 0 }],
  ];
  for (const tracks of bad) {
    assert.throws(() => new FragmentedMp4Writer({ tracks }), RangeError, JSON.stringify(tracks));
  }
  assert.throws(
    () => new FragmentedMp4Writer({ tracks: [H264], fragmentDurationMs: -1 }),
    RangeError,
  );
  const w = new FragmentedMp4Writer({ tracks: [H264, AAC] });
  const one = Uint8Array.of(1);
  assert.throws(() => w.sample(3, 0, 1, true, one), RangeError);
  assert.throws(() => w.sample(1, -1, 1, true, one), RangeError);
  assert.throws(() => w.sample(1, NaN, 1, true, one), RangeError);
  assert.throws(() => w.sample(1, 0, -1, true, one), RangeError);
  w.sample(2, 10, 1, true, one);
  assert.throws(() => w.sample(1, 9, 1, true, one), RangeError);
  assert.deepEqual(w.sample(1, 10, 1, true, one), []); // equal timestamps are fine
});

// --- ffprobe ------------------------------------------------------------------------

interface Probe {
  streams: Record<string, unknown>[];
  packets: { stream_index: number; pts: number; dts: number; size: string; flags: string }[];
  /** stderr lines that are not decoder errors on the placeholder payloads. */
  containerErrors: string[];
}

async function hasFfprobe(): Promise<boolean> {
  try {
    return (await new Deno.Command("ffprobe", {
      args: ["-version"],
      stdout: "null",
      stderr: "null",
    }).output())
      .success;
  } catch {
    return false;
  }
}

/** Decoder complaints about the payloads ("[h264 @ 0x…] …") and their repeat notices. */
const DECODER_LINE =
  /^\[(h264|aac|opus|vp9|libopus|libvpx-vp9) @ 0x[0-9a-f]+\] |^\s+Last message repeated \d+ times$/;

async function probe(bytes: Uint8Array): Promise<Probe> {
  const path = await Deno.makeTempFile({ prefix: "recsim-mp4-", suffix: ".mp4" });
  try {
    await Deno.writeFile(path, bytes);
    const { code, stdout, stderr } = await new Deno.Command("ffprobe", {
      args: ["-v", "error", "-show_streams", "-show_packets", "-of", "json", path],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(stderr);
    assert.equal(code, 0, err);
    const json = JSON.parse(new TextDecoder().decode(stdout));
    return {
      streams: json.streams,
      packets: json.packets,
      containerErrors: err.split("\n").filter((l) => l.trim() !== "" && !DECODER_LINE.test(l)),
    };
  } finally {
    await Deno.remove(path);
  }
}

async function skipWithoutFfprobe(): Promise<boolean> {
  if (await hasFfprobe()) return false;
  if (Deno.env.get("CI") === "true") throw new Error("ffprobe is required in CI");
  console.warn("skipped: ffprobe is not installed (install FFmpeg)");
  return true;
}

function checkPackets(
  result: Probe,
  samples: Sample[],
  tracks: Mp4Track[],
  timescales: number[],
): void {
  assert.deepEqual(result.containerErrors, []);
  tracks.forEach((track, index) => {
    const expected = samples.filter((s) => s[0] === track.id);
    const packets = result.packets.filter((p) => p.stream_index === index);
    assert.equal(packets.length, expected.length, `packets of stream ${index}`);
    packets.forEach((p, i) => {
      const [, ms, , key, data] = expected[i]!;
      const t = Math.round(ms * timescales[index]! / 1000);
      assert.equal(p.pts, t);
      assert.equal(p.dts, t);
      assert.equal(Number(p.size), data.length);
      assert.equal(p.flags[0] === "K", key, `key flag of packet ${i} of stream ${index}`);
    });
  });
}

Deno.test("ffprobe: H.264 320x240 + AAC 48 kHz stereo demux with every packet and timestamp", async () => {
  if (await skipWithoutFfprobe()) return;
  const samples = av(H264, AAC, 4000, 30, AAC_FRAME_MS);
  const result = await probe(
    write(new FragmentedMp4Writer({ tracks: [H264, AAC] }), samples).bytes,
  );
  const [video, audio] = result.streams;
  assert.equal(result.streams.length, 2);
  assert.equal(video!.codec_name, "h264");
  assert.equal(video!.codec_tag_string, "avc1");
  assert.equal(video!.width, 320);
  assert.equal(video!.height, 240);
  assert.equal(video!.time_base, "1/90000");
  assert.equal(audio!.codec_name, "aac");
  assert.equal(audio!.profile, "LC");
  assert.equal(audio!.sample_rate, "48000");
  assert.equal(audio!.channels, 2);
  assert.equal(audio!.time_base, "1/48000");
  checkPackets(result, samples, [H264, AAC], [90000, 48000]);
});

Deno.test("ffprobe: VP9 640x480 + Opus, and cropped High-profile H.264 1366x766 + mono AAC 44.1 kHz", async () => {
  if (await skipWithoutFfprobe()) return;
  const samples = av(VP9, OPUS, 3000, 30, 20);
  const vp9 = await probe(write(new FragmentedMp4Writer({ tracks: [VP9, OPUS] }), samples).bytes);
  assert.deepEqual(
    vp9.streams.map((
      s,
    ) => [s.codec_name, s.codec_tag_string, s.width, s.height, s.sample_rate, s.channels]),
    [["vp9", "vp09", 640, 480, undefined, undefined], [
      "opus",
      "Opus",
      undefined,
      undefined,
      "48000",
      2,
    ]],
  );
  checkPackets(vp9, samples, [VP9, OPUS], [90000, 48000]);

  const high: Mp4Track = { ...H264, width: 1366, height: 766, codecString: "avc1.64001F" };
  const mono: Mp4Track = { ...AAC, sampleRate: 44100, channels: 1 };
  const more = av(high, mono, 2000, 15, 1024 / 44.1);
  const h264 = await probe(write(new FragmentedMp4Writer({ tracks: [high, mono] }), more).bytes);
  assert.deepEqual(
    h264.streams.map((
      s,
    ) => [s.codec_name, s.profile, s.width, s.height, s.sample_rate, s.channels]),
    [["h264", "High", 1366, 766, undefined, undefined], [
      "aac",
      "LC",
      undefined,
      undefined,
      "44100",
      1,
    ]],
  );
  checkPackets(h264, more, [high, mono], [90000, 44100]);
});
