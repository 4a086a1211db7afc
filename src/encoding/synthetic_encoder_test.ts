// The synthetic encoder: a real live WebM / Ogg Opus stream with placeholder payloads.
import assert from "node:assert/strict";
import { createUserAgent, type UserAgent } from "../user_agent.ts";
import { readOgg, readWebm, watchRecorder } from "../testing.ts";
import { sha256 } from "../recorder/_test_util.ts";
import type { MediaRecorderOptions } from "../recorder/media_recorder.ts";

async function record(
  options: MediaRecorderOptions,
  timeslice: number | undefined,
  script: (ua: UserAgent, rec: InstanceType<UserAgent["MediaRecorder"]>) => Promise<void>,
  tracks: { video?: boolean; audio?: boolean } = {},
) {
  const ua = createUserAgent({ seed: 9 });
  const list = [];
  if (tracks.video !== false) {
    list.push(ua.createVideoTrack({ width: 640, height: 480, frameRate: 30 }));
  }
  if (tracks.audio !== false) list.push(ua.createAudioTrack({ channelCount: 2 }));
  const rec = new ua.MediaRecorder(new ua.MediaStream(list), options);
  const watch = watchRecorder(rec, ua.clock);
  if (timeslice === undefined) rec.start();
  else rec.start(timeslice);
  await script(ua, rec);
  rec.stop();
  await ua.clock.settle();
  return { watch, bytes: await watch.bytes(), ua };
}

const fiveSeconds = async (ua: UserAgent) => {
  await ua.clock.advance(5000);
};

Deno.test("live WebM layout: EBML header, unknown-size Segment and Clusters, Tracks, no Duration or Cues", async () => {
  const { bytes } = await record({ mimeType: "video/webm" }, undefined, fiveSeconds);
  const file = readWebm(bytes);
  assert.equal(file.docType, "webm");
  assert.equal(file.segmentSize, "unknown");
  assert.equal(file.info.duration, undefined);
  assert.equal(file.hasCues, false);
  assert.deepEqual(file.tracks.map((t) => [t.number, t.kind, t.codecId]), [[1, "video", "V_VP8"], [
    2,
    "audio",
    "A_OPUS",
  ]]);
  assert.equal(file.tracks[0]!.width, 640);
  assert.ok(file.clusters.every((c) => c.size === "unknown"));
  assert.equal(file.blocks.length, 150 + 250);
  // each Cluster starts with a video key frame (default key frame interval 2000 ms)
  assert.deepEqual(file.clusters.map((c) => c.timecode), [0, 2000, 4000]);
  const keys = file.blocks.filter((b) => b.track === 1 && b.keyframe).map((b) => b.timestampMs);
  assert.deepEqual(keys, [0, 2000, 4000]);
});

Deno.test("chunking never changes the stream: timesliced chunks concatenate to the same bytes as no timeslice", async () => {
  const script = async (
    ua: UserAgent,
    rec: { requestData(): void; pause(): void; resume(): void },
  ) => {
    await ua.clock.advance(1234);
    rec.pause();
    await ua.clock.advance(300);
    rec.resume();
    await ua.clock.advance(2000);
  };
  const whole = await record({}, undefined, script);
  for (const ts of [0, 1, 10, 100, 1000]) {
    const sliced = await record({}, ts, script);
    assert.ok(sliced.watch.chunks.length > 2);
    assert.equal(await sha256(sliced.bytes), await sha256(whole.bytes), `timeslice ${ts}`);
  }
});

Deno.test("the container header is in the first chunk only", async () => {
  const { watch } = await record({}, 100, async (ua) => {
    await ua.clock.advance(1000);
  });
  const chunks = await Promise.all(
    watch.chunks.map(async (c) => new Uint8Array(await c.arrayBuffer())),
  );
  const isHeader = (b: Uint8Array) =>
    b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3;
  assert.ok(isHeader(chunks[0]!));
  assert.equal(chunks.slice(1).filter(isHeader).length, 0);
  // a later chunk alone is not a file; the prefix from chunk 0 always is
  assert.throws(() => readWebm(chunks[3]!));
  let prefix = new Uint8Array(0);
  for (const c of chunks) {
    const next = new Uint8Array(prefix.length + c.length);
    next.set(prefix);
    next.set(c, prefix.length);
    prefix = next;
    readWebm(prefix);
  }
});

Deno.test("payload sizes follow the bitrates: videoBitsPerSecond, audioBitsPerSecond, bitsPerSecond", async () => {
  const sizes = async (options: MediaRecorderOptions) => {
    const { bytes } = await record(options, undefined, fiveSeconds);
    const file = readWebm(bytes);
    const sum = (track: number) =>
      file.blocks.filter((b) => b.track === track).reduce((n, b) => n + b.size, 0);
    return { video: sum(1), audio: sum(2) };
  };
  const low = await sizes({ videoBitsPerSecond: 500_000, audioBitsPerSecond: 32_000 });
  const high = await sizes({ videoBitsPerSecond: 2_000_000, audioBitsPerSecond: 128_000 });
  // 5 s at 500 kbit/s ≈ 312 KB of video (key frames ×2); at 2 Mbit/s four times that
  assert.ok(low.video > 300_000 && low.video < 360_000, `video ${low.video}`);
  assert.ok(Math.abs(high.video / low.video - 4) < 0.1);
  assert.ok(Math.abs(high.audio / low.audio - 4) < 0.2);
  // 32 kbit/s × 5 s = 20 KB of Opus payload (plus block headers)
  assert.ok(low.audio > 20_000 && low.audio < 22_000, `audio ${low.audio}`);
  const split = await sizes({ bitsPerSecond: 1_000_000 });
  assert.ok(split.video > 2 * low.video * 0.85, "900 kbit/s video");
});

Deno.test("key frame options reach the encoder: videoKeyFrameIntervalCount and videoKeyFrameIntervalDuration", async () => {
  const keys = async (options: MediaRecorderOptions) => {
    const { bytes } = await record(options, undefined, async (ua) => {
      await ua.clock.advance(2000);
    }, { audio: false });
    return readWebm(bytes).blocks.filter((b) => b.keyframe).map((b) => b.timestampMs);
  };
  assert.deepEqual(await keys({ videoKeyFrameIntervalCount: 15 }), [0, 500, 1000, 1500]);
  assert.deepEqual(await keys({ videoKeyFrameIntervalDuration: 700 }), [0, 700, 1400]);
});

Deno.test("audio/ogg: Ogg Opus with OpusHead/OpusTags, CRC-valid pages, a page closed at every chunk cut", async () => {
  const { watch, bytes } = await record({ mimeType: "audio/ogg" }, 500, async (ua) => {
    await ua.clock.advance(2000);
  }, { video: false });
  assert.equal(watch.events[0]!.mimeType, "audio/ogg;codecs=opus");
  const ogg = readOgg(bytes);
  assert.ok(ogg.pages.every((p) => p.crcOk));
  assert.equal(new TextDecoder().decode(ogg.packets[0]!.data.subarray(0, 8)), "OpusHead");
  assert.equal(new TextDecoder().decode(ogg.packets[1]!.data.subarray(0, 8)), "OpusTags");
  assert.equal(ogg.packets.length, 2 + 100, "2 s of 20 ms packets");
  // every chunk ends at a page boundary: each chunk, read alone after the first, is whole pages
  const chunks = await Promise.all(
    watch.chunks.map(async (c) => new Uint8Array(await c.arrayBuffer())),
  );
  for (const c of chunks.slice(1)) {
    if (c.length > 0) assert.ok(readOgg(c, { allowTruncated: false }).pages.length > 0);
  }
  assert.equal(ogg.pages.at(-1)!.flags & 4, 4, "the last page has end-of-stream");
});

Deno.test("audioPacketMs (Chrome's 60 ms Opus): three 20 ms frames a block, video interleaved by timestamp, a partly filled packet written at the end", async () => {
  const ua = createUserAgent({ profile: "chrome", seed: 9 });
  const rec = new ua.MediaRecorder(
    new ua.MediaStream([ua.createAudioTrack(), ua.createVideoTrack({ frameRate: 20 })]),
  );
  const watch = watchRecorder(rec, ua.clock);
  rec.start(100);
  await ua.clock.advance(1030); // 52 audio frames: 17 packets and one partly filled
  rec.stop();
  await ua.clock.settle();
  const file = readWebm(await watch.bytes());
  const audioTrack = file.tracks.find((t) => t.kind === "audio")!.number;
  const audio = file.blocks.filter((b) => b.track === audioTrack);
  const video = file.blocks.filter((b) => b.track !== audioTrack);
  assert.deepEqual(
    audio.map((b) => b.timestampMs),
    [...Array.from({ length: 17 }, (_, i) => i * 60), 1020],
  );
  assert.equal(video.length, 21);
  // The muxer's order: timestamps never go back, whatever the track.
  const times = file.blocks.map((b) => b.timestampMs);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  // A Cluster begins at every second packet (audioClusterMs 100), with video too.
  assert.deepEqual(
    file.clusters.map((c) => c.timecode).slice(0, 5),
    [0, 120, 240, 360, 480],
  );
  ua.close();
});
