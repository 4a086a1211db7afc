// The package under Node's own test runner (Node 20 and later): a recording on recsim's
// virtual clock, checked with the testing helpers.
import test from "node:test";
import assert from "node:assert/strict";
import { createUserAgent } from "@recsim/core";
import { readWebm, watchRecorder } from "@recsim/core/testing";
import { checkRecording, createLibavEncoder } from "@recsim/core/libav";

test("a timesliced recording on the virtual clock", async () => {
  const ua = createUserAgent({ seed: 3 });
  const stream = new ua.MediaStream([ua.createVideoTrack(), ua.createAudioTrack()]);
  const rec = new ua.MediaRecorder(stream, { mimeType: "video/webm" });
  const watch = watchRecorder(rec, ua.clock);
  rec.start(1000);
  await ua.clock.advance(2500);
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(watch.types(), [
    "start",
    "dataavailable",
    "dataavailable",
    "dataavailable",
    "stop",
  ]);
  assert.deepEqual(watch.events.map((e) => e.t), [0, 1000, 2000, 2500, 2500]);
  const file = readWebm(await watch.bytes());
  assert.equal(file.blocks.filter((b) => b.track === 1).length, 75); // 2.5 s at 30 fps
  assert.equal(file.blocks.filter((b) => b.track === 2).length, 125); // 20 ms Opus frames
  ua.close();
});

test("real VP8 and Opus from the ./libav entry point (libav.js installed as its peer)", async () => {
  const ua = createUserAgent({ seed: 4, encoders: [createLibavEncoder()] });
  const stream = new ua.MediaStream([
    ua.createVideoTrack({ width: 160, height: 120, frameRate: 10 }),
    ua.createAudioTrack(),
  ]);
  const rec = new ua.MediaRecorder(stream, { mimeType: "video/webm;codecs=vp8,opus" });
  const watch = watchRecorder(rec, ua.clock);
  rec.start(500);
  await ua.clock.advance(1500);
  rec.stop();
  await ua.clock.settle();
  const check = await checkRecording(await watch.bytes(), ua.trace);
  assert.deepEqual(check.problems, []);
  assert.deepEqual(check.videoFrames, [15]); // 1.5 s at 10 fps, each frame decoded back
  ua.close();
});
