// What the fuzzer found once it drew the engine profiles whole and in part (issue 15, item
// 3): one test per bug, through the public API, each with the profile field it needs.
// The shrunk fuzz cases are cited; every test failed before its fix.
import assert from "node:assert/strict";
import { readWebm } from "../container/webm_reader.ts";
import { type Profile, profiles } from "../profiles/mod.ts";
import { createUserAgent, type UserAgent } from "../user_agent.ts";
import type { BlobEvent } from "../events/blob_event.ts";
import type { MediaRecorder } from "./media_recorder.ts";

function agent(profile: Partial<Profile>, minTimeslice?: number): UserAgent {
  return createUserAgent({
    profile: { ...profiles.spec, ...profile } as Profile,
    ...(minTimeslice === undefined ? {} : { minTimeslice }),
  });
}

interface Delivered {
  t: number;
  type: string;
  size: number;
  timecode: number | undefined;
  blob?: Blob;
}

function watch(ua: UserAgent, rec: MediaRecorder): Delivered[] {
  const out: Delivered[] = [];
  for (const type of ["start", "dataavailable", "error", "stop"]) {
    rec.addEventListener(type, (e: Event) => {
      const d = (e as BlobEvent).data;
      out.push({
        t: ua.clock.now(),
        type,
        size: d?.size ?? 0,
        timecode: (e as BlobEvent).timecode,
        ...(d ? { blob: d } : {}),
      });
    });
  }
  return out;
}

async function bytesOf(events: Delivered[]): Promise<Uint8Array> {
  const parts = events.filter((e) => e.blob).map((e) => e.blob!);
  return new Uint8Array(await new Blob(parts).arrayBuffer());
}

Deno.test("safari-seconds timecode: a requestData() task that runs after the recording ended is not negative (fuzz: start(0); track.stop(); requestData() at 20 s)", async () => {
  const ua = agent({ timecode: "safari-seconds" });
  const track = ua.createAudioTrack({ sampleRate: 8000, frameSize: 80 });
  const rec = new ua.MediaRecorder(new ua.MediaStream([track]));
  const events = watch(ua, rec);
  await ua.clock.advance(20_000);
  rec.start(0);
  track.stop();
  rec.requestData();
  await ua.clock.settle();
  const data = events.filter((e) => e.type === "dataavailable");
  assert.equal(data.length, 2);
  assert.deepEqual(data.map((e) => e.timecode), [0, 0]);
  ua.close();
});

Deno.test("requestData() that does not restart the timeslice count: later chunks keep their own timecodes (fuzz: start(); requestData() at 100 and 101; stop())", async () => {
  const ua = agent({ requestDataRestartsTimeslice: false });
  const track = ua.createAudioTrack({ sampleRate: 8000, frameSize: 80 });
  const rec = new ua.MediaRecorder(new ua.MediaStream([track]), { mimeType: "audio/ogg" });
  const events = watch(ua, rec);
  rec.start();
  await ua.clock.advance(100);
  rec.requestData();
  await ua.clock.advance(1);
  rec.requestData();
  await ua.clock.advance(1);
  rec.stop();
  await ua.clock.settle();
  const codes = events.filter((e) => e.type === "dataavailable").map((e) => e.timecode!);
  assert.deepEqual(codes.slice(0, 2), [0, 100]);
  // The final chunk (Ogg's closing page) comes after the second: never back to 0.
  assert.ok(codes[2]! >= 100, `timecodes ${codes}`);
  ua.close();
});

Deno.test("encoder-pushes clock: no timeslice Blob after stop when a track-set change was detected at the same instant (fuzz: start(9); removeTrack() at 0)", async () => {
  const ua = agent({ chunkClock: "encoder-pushes" });
  const video = ua.createVideoTrack({ frameRate: 5 });
  const stream = new ua.MediaStream([video]);
  const rec = new ua.MediaRecorder(stream);
  const events = watch(ua, rec);
  rec.start(9);
  stream.removeTrack(video);
  await ua.clock.advance(100);
  const types = events.map((e) => e.type);
  assert.deepEqual(types, ["start", "error", "dataavailable", "stop"]);
  ua.close();
});

Deno.test("encoder-pushes clock: audio in 10 ms frames is cut at its timeslice (fuzz: 8 kHz, 80-sample frames; the muxed end was never found)", async () => {
  const ua = createUserAgent({ profile: profiles.firefox });
  const audio = ua.createAudioTrack({ sampleRate: 8000, frameSize: 80 });
  const rec = new ua.MediaRecorder(new ua.MediaStream([audio]));
  const events = watch(ua, rec);
  rec.start(100);
  await ua.clock.advance(1000);
  const withData = events.filter((e) => e.type === "dataavailable" && e.size > 0);
  assert.ok(
    withData.length >= 8,
    `${withData.length} Blobs with data in 1 s at a timeslice of 100`,
  );
  rec.stop();
  await ua.clock.settle();
  ua.close();
});

Deno.test("audio in packets (audioWriteMs): two audio tracks are interleaved by timestamp, no encoder failure (fuzz: 60 ms and 10 ms frames with video)", async () => {
  const ua = agent({ audioWriteMs: 60 });
  const tracks = [
    ua.createAudioTrack({ sampleRate: 8000, frameSize: 480 }),
    ua.createAudioTrack({ sampleRate: 8000, frameSize: 80 }),
    ua.createVideoTrack({ frameRate: 5 }),
  ];
  const rec = new ua.MediaRecorder(new ua.MediaStream(tracks));
  const events = watch(ua, rec);
  await ua.clock.advance(1);
  rec.start(9);
  await ua.clock.advance(300);
  tracks[1]!.stop();
  await ua.clock.advance(300);
  rec.stop();
  await ua.clock.settle();
  assert.equal(events.filter((e) => e.type === "error").length, 0);
  const file = readWebm(await bytesOf(events));
  let last = -Infinity;
  for (const b of file.blocks) {
    assert.ok(b.timestampMs >= last, `block at ${b.timestampMs} after ${last}`);
    last = b.timestampMs;
  }
  // The stopped track (number 3: video first) in 60 ms packets: 30 frames of 10 ms → 5.
  assert.equal(file.blocks.filter((b) => b.track === 3).length, 5);
  ua.close();
});

Deno.test("wall-timer clock at a timeslice of 0 without a minimum re-arms a millisecond on, never twice at one instant (fuzz: start('abc'), an endless loop)", async () => {
  const ua = agent({ chunkClock: "wall-timer", emptyTimesliceChunks: true }, 0);
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack({ frameRate: 5 })]));
  const events = watch(ua, rec);
  rec.start(0);
  await ua.clock.advance(50);
  const ticks = events.filter((e) => e.type === "dataavailable").map((e) => e.t);
  assert.equal(ticks.length, 51);
  assert.equal(new Set(ticks).size, ticks.length);
  rec.stop();
  await ua.clock.settle();
  ua.close();
});

Deno.test("wall-timer clock: requestData() while paused restarts the count that resume re-arms (fuzz: start(1001); pause(); requestData(); resume())", async () => {
  const ua = createUserAgent({ profile: profiles.safari, minTimeslice: 0 });
  const rec = new ua.MediaRecorder(
    new ua.MediaStream([ua.createAudioTrack({ sampleRate: 8000, frameSize: 80 })]),
  );
  const events = watch(ua, rec);
  rec.start(1001);
  await ua.clock.advance(1);
  rec.pause();
  rec.requestData();
  rec.resume();
  await ua.clock.advance(1000);
  const late = events.filter((e) => e.type === "dataavailable" && e.t > 1);
  assert.deepEqual(late, [], "no tick before 1 + 1001 ms");
  await ua.clock.advance(1);
  assert.equal(events.filter((e) => e.type === "dataavailable" && e.t === 1002).length, 1);
  rec.stop();
  await ua.clock.settle();
  ua.close();
});

Deno.test("chrome: a requestData() queued before a slice closes at the same instant takes that data, so the Blobs stay in order (fuzz: onresume → requestData())", async () => {
  const ua = createUserAgent({ profile: profiles.chrome });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack({ frameRate: 5 })]));
  const events = watch(ua, rec);
  rec.start(9);
  rec.pause();
  await ua.clock.advance(1500);
  rec.addEventListener("resume", () => rec.requestData(), { once: true });
  rec.resume();
  await ua.clock.settle();
  rec.stop();
  await ua.clock.settle();
  const bytes = await bytesOf(events);
  assert.equal(bytes[0], 0x1a, "the stream starts with the EBML header");
  readWebm(bytes);
  ua.close();
});

Deno.test("chrome: no empty first slice when the header already went out with a requestData() chunk (fuzz: start(9); requestData() twice at 0)", async () => {
  const ua = createUserAgent({ profile: profiles.chrome });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack({ frameRate: 5 })]));
  const events = watch(ua, rec);
  rec.start(9);
  rec.requestData();
  await ua.clock.advance(0);
  rec.requestData();
  await ua.clock.advance(1500);
  rec.stop();
  await ua.clock.settle();
  const data = events.filter((e) => e.type === "dataavailable");
  const timeslice = data.slice(2, -2);
  assert.ok(timeslice.length > 0);
  assert.ok(timeslice.every((e) => e.size > 0), `sizes ${data.map((e) => e.size)}`);
  ua.close();
});

Deno.test("synthetic encoder: a frame is at most 256 KiB whatever the bitrate (fuzz: bitsPerSecond -1, 4 Gbit/s)", async () => {
  const ua = createUserAgent();
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack({ frameRate: 25 })]), {
    bitsPerSecond: -1,
  });
  const events = watch(ua, rec);
  rec.start();
  await ua.clock.advance(200);
  rec.stop();
  await ua.clock.settle();
  const file = readWebm(await bytesOf(events));
  assert.equal(file.blocks.length, 5);
  assert.ok(file.blocks.every((b) => b.data.length <= 256 * 1024 + 16));
  assert.ok(file.blocks.some((b) => b.data.length > 128 * 1024));
  ua.close();
});
