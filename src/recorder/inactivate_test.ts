// "Inactivate the recorder" (src/recorder/inactivate.ts), observed through stop() and the
// ends of a recording: mimeType, state and the bitrates afterwards.
import assert from "node:assert/strict";
import { profiles } from "../profiles/mod.ts";
import { rig } from "./_test_util.ts";

Deno.test("stop() inactivates synchronously: state inactive, mimeType back to the constructor's", async () => {
  const { ua, rec } = rig({ recorder: { mimeType: "video/webm" } });
  rec.start();
  await ua.clock.settle();
  assert.equal(rec.mimeType, 'video/webm;codecs="vp8,opus"');
  rec.stop();
  assert.equal(rec.state, "inactive");
  assert.equal(rec.mimeType, "video/webm");
  await ua.clock.settle();
  assert.equal(rec.mimeType, "video/webm");
  ua.close();
});

Deno.test("a profile that keeps the mimeType keeps the recording's after stop()", async () => {
  const { ua, rec } = rig({ ua: { profile: { ...profiles.spec, mimeTypeAfterStop: "kept" } } });
  rec.start();
  await ua.clock.settle();
  const actual = rec.mimeType;
  assert.notEqual(actual, "");
  rec.stop();
  assert.equal(rec.state, "inactive");
  assert.equal(rec.mimeType, actual);
  ua.close();
});

Deno.test("without bitsPerSecond, inactivating leaves the bitrates as the options set them", async () => {
  const { ua, rec } = rig({
    recorder: { videoBitsPerSecond: 1_234_567, audioBitsPerSecond: 76_543 },
  });
  assert.equal(rec.videoBitsPerSecond, 1_234_567);
  assert.equal(rec.audioBitsPerSecond, 76_543);
  rec.start();
  await ua.clock.advance(100);
  rec.stop();
  assert.equal(rec.videoBitsPerSecond, 1_234_567);
  assert.equal(rec.audioBitsPerSecond, 76_543);
  await ua.clock.settle();
  assert.equal(rec.videoBitsPerSecond, 1_234_567);
  assert.equal(rec.audioBitsPerSecond, 76_543);
  ua.close();
});

Deno.test("with bitsPerSecond, inactivating splits it again for video and audio", async () => {
  const { ua, rec } = rig({ video: false, recorder: { bitsPerSecond: 1_000_000 } });
  // Before start() the recorder does not know the tracks: the split assumes both kinds.
  const before = profiles.spec.splitBitsPerSecond(1_000_000, true, true);
  assert.equal(rec.videoBitsPerSecond, before.video);
  assert.equal(rec.audioBitsPerSecond, before.audio);
  rec.start();
  // start() step 9: an audio-only stream gets all of it for audio.
  assert.equal(rec.videoBitsPerSecond, 0);
  assert.equal(rec.audioBitsPerSecond, 1_000_000);
  rec.stop();
  // Inactivate step 3: split again, for both kinds.
  assert.equal(rec.videoBitsPerSecond, before.video);
  assert.equal(rec.audioBitsPerSecond, before.audio);
  await ua.clock.settle();
  ua.close();
});

Deno.test("a recording that ends by itself (all tracks ended) inactivates the recorder too", async () => {
  const { ua, rec, video, audio, watch } = rig({ recorder: { mimeType: "video/webm" } });
  rec.start();
  await ua.clock.advance(200);
  video.stop();
  audio.stop();
  await ua.clock.settle();
  assert.equal(rec.state, "inactive");
  assert.equal(rec.mimeType, "video/webm");
  assert.deepEqual(watch.events.map((e) => e.type), ["start", "dataavailable", "stop"]);
  ua.close();
});
