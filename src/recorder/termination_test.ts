// The ways a recording ends (MediaStream Recording start() steps 15.4, 15.5, 15.6, 15.8, and stop()).
import assert from "node:assert/strict";
import { rig, timeline } from "./_test_util.ts";
import { readWebm, recordedFrames } from "../testing.ts";

Deno.test("stop() steps 2–4: Inactivate synchronously, then dataavailable and stop in one task", async () => {
  const { ua, rec, watch } = rig();
  rec.stop(); // step 2: inactive → return
  rec.start();
  await ua.clock.advance(200);
  rec.stop();
  assert.equal(rec.state, "inactive", "step 3 Inactivate is synchronous");
  assert.deepEqual(watch.types(), ["start"]);
  await ua.clock.settle();
  assert.deepEqual(timeline(watch), ["start@0", "dataavailable@200", "stop@200"]);
  const tasks = ua.trace.ofKind("event").map((e) => e.task);
  assert.equal(tasks[1], tasks[2], "dataavailable and stop come from the same task");
  assert.ok(watch.chunks[0]!.size > 0);
  rec.stop(); // inactive again: silent no-op
  await ua.clock.settle();
  assert.equal(watch.events.length, 3);
});

Deno.test("15.8: all recorded tracks ended → dataavailable, stop, no error", async () => {
  const { ua, rec, watch, video, audio } = rig();
  rec.start();
  await ua.clock.advance(500);
  video.end();
  await ua.clock.advance(100);
  assert.equal(rec.state, "recording", "one track left: still recording");
  audio.stop(); // stop() ends a track too (without an ended event)
  assert.equal(rec.state, "recording", "acted on in a task, not synchronously");
  await ua.clock.settle();
  assert.deepEqual(timeline(watch), ["start@0", "dataavailable@600", "stop@600"]);
  assert.equal(watch.events[1]!.state, "inactive", "Inactivate runs before the events");
  assert.equal(rec.mimeType, "");
  // nothing recorded was lost: the video frames before 500 ms and audio before 600 ms
  const frames = recordedFrames(ua.trace);
  assert.equal(frames.get("video#1")!.length, 15);
  assert.equal(frames.get("audio#1")!.length, 30);
  const file = readWebm(await watch.bytes());
  assert.equal(file.blocks.filter((b) => b.track === 1).length, 15);
  assert.equal(file.blocks.filter((b) => b.track === 2).length, 30);
});

Deno.test("15.5: a track added to the stream → error(InvalidModificationError), dataavailable with the data, stop", async () => {
  const { ua, rec, watch, stream } = rig({ audio: false });
  rec.start();
  await ua.clock.advance(300);
  stream.addTrack(ua.createAudioTrack());
  await ua.clock.settle();
  assert.deepEqual(timeline(watch), ["start@0", "error@300", "dataavailable@300", "stop@300"]);
  assert.equal(watch.events[1]!.error, "InvalidModificationError");
  assert.equal(watch.events[1]!.state, "inactive");
  assert.equal(
    readWebm(await watch.bytes()).blocks.length,
    9,
    "the 9 frames gathered are delivered",
  );
});

Deno.test("15.5: a track removed by the UA → InvalidModificationError path, and removetrack fires", async () => {
  const { ua, rec, watch, stream, audio } = rig();
  const removed: string[] = [];
  stream.onremovetrack = (e) => removed.push(e.track.kind);
  rec.start(100);
  await ua.clock.advance(250);
  ua.removeTrackFromStream(stream, audio);
  await ua.clock.settle();
  assert.deepEqual(removed, ["audio"]);
  assert.deepEqual(watch.types(), [
    "start",
    "dataavailable",
    "dataavailable",
    "error",
    "dataavailable",
    "stop",
  ]);
  assert.equal(watch.events[3]!.error, "InvalidModificationError");
});

Deno.test("decision 12: removeTrack then stop() in the same task → stop wins, no error", async () => {
  const { ua, rec, watch, stream, audio } = rig();
  rec.start();
  await ua.clock.advance(100);
  stream.removeTrack(audio);
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(watch.types(), ["start", "dataavailable", "stop"]);
});

Deno.test("15.6: encoder failure → error(UnknownError), dataavailable with the data gathered so far, stop", async () => {
  const { ua, rec, watch } = rig();
  rec.start(1000);
  await ua.clock.advance(1500);
  ua.failEncoder(rec);
  await ua.clock.advance(100);
  assert.deepEqual(timeline(watch), [
    "start@0",
    "dataavailable@1000",
    "error@1500",
    "dataavailable@1500",
    "stop@1500",
  ]);
  assert.equal(watch.events[2]!.error, "UnknownError");
  const file = readWebm(await watch.bytes());
  // frames before 1500 ms: 45 video + 75 audio; nothing gathered is lost
  assert.equal(file.blocks.length, 45 + 75);
  // the agent stays usable
  rec.start();
  await ua.clock.advance(100);
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(watch.types().slice(-3), ["start", "dataavailable", "stop"]);
});

Deno.test("15.6: an encoder that throws (a provider's bug) takes the UnknownError path", async () => {
  const { ua, rec, watch } = rig({ audio: false });
  let calls = 0;
  using _ = ua.registerEncoder({
    name: "flaky",
    supportsContainer: (e) => e === "video/webm",
    supportsCodec: (_e, c) => c === "vp8",
    create: (_config, sink) => ({
      encodeVideo() {
        if (++calls === 5) throw new Error("boom");
        sink.write(new Uint8Array([calls]));
      },
      encodeAudio() {},
      finish() {},
      close() {},
    }),
  });
  rec.start();
  await ua.clock.advance(1000);
  assert.deepEqual(watch.types(), ["start", "error", "dataavailable", "stop"]);
  assert.deepEqual(
    [...await watch.bytes()],
    [1, 2, 3, 4],
    "the four frames written before the failure",
  );
});

Deno.test("15.6: an encoder whose async work rejects takes the UnknownError path", async () => {
  const { ua, rec, watch } = rig({ audio: false });
  using _ = ua.registerEncoder({
    name: "async-fail",
    supportsContainer: (e) => e === "video/webm",
    supportsCodec: () => true,
    create: (_config, sink) => {
      let n = 0;
      return {
        encodeVideo: async () => {
          await Promise.resolve();
          if (++n === 3) throw new Error("wasm trap");
          sink.write(new Uint8Array([n]));
        },
        encodeAudio() {},
        finish() {},
        close() {},
      };
    },
  });
  rec.start();
  await ua.clock.advance(500);
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(watch.types(), ["start", "error", "dataavailable", "stop"]);
  assert.equal(watch.events[1]!.error, "UnknownError");
});

Deno.test("15.4: isolation change while recording → error(SecurityError), dataavailable with gathered data discarded, stop", async () => {
  const { ua, rec, watch, video } = rig();
  rec.start(1000);
  await ua.clock.advance(1500);
  ua.setIsolated(video, true);
  await ua.clock.settle();
  assert.deepEqual(timeline(watch), [
    "start@0",
    "dataavailable@1000",
    "error@1500",
    "dataavailable@1500",
    "stop@1500",
  ]);
  assert.equal(watch.events[2]!.error, "SecurityError");
  assert.ok(watch.chunks[0]!.size > 0, "chunks delivered before stay delivered");
  assert.equal(watch.chunks[1]!.size, 0, "the gathered data is discarded");
});

Deno.test("termination while paused: all tracks ended → dataavailable and stop; paused frames not recorded", async () => {
  const { ua, rec, watch, video, audio } = rig();
  rec.start();
  await ua.clock.advance(1000);
  rec.pause();
  await ua.clock.advance(1000);
  video.end();
  audio.end();
  await ua.clock.settle();
  assert.deepEqual(watch.types(), ["start", "pause", "dataavailable", "stop"]);
  assert.equal(recordedFrames(ua.trace).get("video#1")!.length, 30);
});

Deno.test("ua.close() cancels the recording's timers and releases it (no leak)", async () => {
  const { ua, rec } = rig();
  rec.start(100);
  await ua.clock.advance(150);
  ua.close();
  assert.equal(ua.clock.pendingTimers, 0);
});
