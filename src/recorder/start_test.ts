// start(): every step and every error (MediaStream Recording §start(), steps 1–15).
import assert from "node:assert/strict";
import { rig, thrownName, timeline } from "./_test_util.ts";
import { createUserAgent } from "../user_agent.ts";

Deno.test("start() step 5: InvalidStateError when recording or paused, state unchanged", async () => {
  const { ua, rec } = rig();
  rec.start();
  assert.equal(thrownName(() => rec.start()), "InvalidStateError");
  assert.equal(rec.state, "recording");
  rec.pause();
  assert.equal(thrownName(() => rec.start(100)), "InvalidStateError");
  assert.equal(rec.state, "paused");
  rec.stop();
  await ua.clock.settle();
});

Deno.test("start() step 6: SecurityError for a stream with an isolated track, before the inactive check", async () => {
  const ua = createUserAgent();
  const t = ua.createAudioTrack({ isolated: true });
  const stream = new ua.MediaStream([t]);
  const rec = new ua.MediaRecorder(stream);
  assert.equal(thrownName(() => rec.start()), "SecurityError");
  t.stop(); // now also inactive: the SecurityError check (6) comes before the inactive check (7)
  assert.equal(thrownName(() => rec.start()), "SecurityError");
  assert.equal(rec.state, "inactive");
  await ua.clock.settle();
  assert.equal(ua.trace.ofKind("event").length, 0, "a failed start() fires nothing");
});

Deno.test("start() step 6: ua.setIsolated() on a track makes start() throw SecurityError; clearing it allows start", async () => {
  const { ua, rec, video } = rig();
  ua.setIsolated(video, true);
  assert.equal(thrownName(() => rec.start()), "SecurityError");
  ua.setIsolated(video, false);
  rec.start();
  assert.equal(rec.state, "recording");
  rec.stop();
  await ua.clock.settle();
});

Deno.test("start() step 7: NotSupportedError for an inactive stream (no tracks, or all ended)", async () => {
  const ua = createUserAgent();
  const empty = new ua.MediaRecorder(new ua.MediaStream());
  assert.equal(thrownName(() => empty.start()), "NotSupportedError");
  const t = ua.createVideoTrack();
  const rec = new ua.MediaRecorder(new ua.MediaStream([t]));
  t.stop();
  assert.equal(thrownName(() => rec.start()), "NotSupportedError");
  assert.equal(rec.state, "inactive");
  await ua.clock.settle();
});

Deno.test("start() step 12: both key-frame options → NotSupportedError in start(), not in the constructor", async () => {
  const { ua, rec } = rig({
    recorder: { videoKeyFrameIntervalDuration: 1000, videoKeyFrameIntervalCount: 30 },
  });
  assert.equal(thrownName(() => rec.start()), "NotSupportedError");
  assert.equal(rec.state, "inactive");
  await ua.clock.settle();
});

Deno.test("start() step 14: a track the configuration cannot record → NotSupportedError", async () => {
  // a video track into an audio container
  const a = rig({ recorder: { mimeType: "audio/webm" } });
  assert.equal(thrownName(() => a.rec.start()), "NotSupportedError");
  // an audio track when the codecs name only a video codec
  const b = rig({ recorder: { mimeType: "video/webm;codecs=vp8" } });
  assert.equal(thrownName(() => b.rec.start()), "NotSupportedError");
  // the same type with a video-only stream is fine
  const c = rig({ recorder: { mimeType: "video/webm;codecs=vp8" }, audio: false });
  c.rec.start();
  assert.equal(c.rec.state, "recording");
  c.rec.stop();
  await Promise.all([a.ua.clock.settle(), b.ua.clock.settle(), c.ua.clock.settle()]);
});

Deno.test("start() step 9 and a failed start(): bitrates are recomputed only when start() succeeds", async () => {
  const { ua, rec } = rig({
    recorder: {
      bitsPerSecond: 1_000_000,
      videoKeyFrameIntervalDuration: 1,
      videoKeyFrameIntervalCount: 1,
    },
    audio: false,
  });
  assert.equal(rec.videoBitsPerSecond, 900_000);
  assert.equal(rec.audioBitsPerSecond, 100_000);
  assert.equal(thrownName(() => rec.start()), "NotSupportedError"); // step 12 throws after step 9
  assert.equal(rec.videoBitsPerSecond, 900_000, "no state changed by a failed start()");
  assert.equal(rec.audioBitsPerSecond, 100_000);
  await ua.clock.settle();
  const ok = rig({ recorder: { bitsPerSecond: 1_000_000 }, audio: false });
  ok.rec.start();
  // step 9: recomputed for the tracks recorded: no audio track, so all of it goes to video
  assert.equal(ok.rec.videoBitsPerSecond, 1_000_000);
  assert.equal(ok.rec.audioBitsPerSecond, 0);
  ok.rec.stop();
  // Inactivate step 3: recomputed again (for both kinds)
  assert.equal(ok.rec.videoBitsPerSecond, 900_000);
  assert.equal(ok.rec.audioBitsPerSecond, 100_000);
  await ok.ua.clock.settle();
});

Deno.test("start() step 15: state is recording synchronously; the start event comes from a task", async () => {
  const { ua, rec, watch } = rig();
  rec.start();
  assert.equal(rec.state, "recording");
  assert.deepEqual(watch.types(), [], "no event inside the call");
  await ua.clock.settle();
  assert.deepEqual(timeline(watch), ["start@0"]);
  rec.stop();
  await ua.clock.settle();
});

Deno.test("start() step 15.3: the start event sets mimeType to the extended type (container and codecs used)", async () => {
  const cases: Array<[string, boolean, boolean, string]> = [
    ["", true, true, 'video/webm;codecs="vp8,opus"'],
    ["", false, true, "audio/webm;codecs=opus"],
    ["", true, false, "video/webm;codecs=vp8"],
    ["video/webm", true, true, 'video/webm;codecs="vp8,opus"'],
    ["video/webm;codecs=vp9", true, false, "video/webm;codecs=vp9"],
    ["video/webm;codecs=vp9,opus", true, true, 'video/webm;codecs="vp9,opus"'],
    ["audio/ogg", false, true, "audio/ogg;codecs=opus"],
  ];
  for (const [mimeType, video, audio, extended] of cases) {
    const { ua, rec, watch } = rig({ recorder: { mimeType }, video, audio });
    rec.start();
    assert.equal(rec.mimeType, mimeType, "unchanged until the start task");
    await ua.clock.settle();
    assert.equal(
      watch.events[0]!.mimeType,
      extended,
      `${mimeType} with video=${video} audio=${audio}`,
    );
    rec.stop();
    await ua.clock.settle();
  }
});

Deno.test("start() step 15.2: an encoder that cannot be configured → error(NotSupportedError), stop, no dataavailable", async () => {
  const { ua, rec, watch } = rig();
  ua.failEncoder(rec, "configure");
  rec.start(100);
  assert.equal(rec.state, "recording");
  await ua.clock.advance(500);
  assert.deepEqual(timeline(watch), ["error@0", "stop@0"]);
  assert.equal(watch.events[0]!.error, "NotSupportedError");
  assert.equal(watch.events[0]!.state, "inactive", "Inactivate runs before the events");
  assert.equal(rec.state, "inactive");
  // the agent stays usable: the next start() records
  rec.start();
  await ua.clock.advance(100);
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(watch.types().slice(2), ["start", "dataavailable", "stop"]);
});

Deno.test("start() step 15.2: a codec the constructor defers (vp09…) but no encoder produces takes the async path", async () => {
  const { ua, rec, watch } = rig({
    recorder: { mimeType: "video/webm;codecs=vp09.00.10.08" },
    audio: false,
  });
  rec.start();
  await ua.clock.settle();
  assert.deepEqual(watch.types(), ["error", "stop"]);
  assert.equal(watch.events[0]!.error, "NotSupportedError");
});

Deno.test("start() then stop() synchronously: start, dataavailable, stop (decision: start's task is queued first)", async () => {
  const { ua, rec, watch } = rig();
  rec.start();
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(timeline(watch), ["start@0", "dataavailable@0", "stop@0"]);
  assert.equal(
    watch.events[0]!.mimeType,
    "",
    "start's task does not set mimeType after stop() inactivated",
  );
  assert.equal(rec.mimeType, "");
});

Deno.test("start() step 2: timeslice follows WebIDL unsigned long (recorded in the trace)", async () => {
  const table: Array<[unknown, number | null]> = [
    [undefined, null],
    [0, 0],
    [-1, 4294967295],
    [NaN, 0],
    [1.9, 1],
    [2 ** 32 + 5, 5],
    ["100", 100],
    [null, 0],
    [Infinity, 0],
  ];
  for (const [arg, expected] of table) {
    const { ua, rec } = rig();
    (rec.start as (t?: unknown) => void)(arg);
    const entry = ua.trace.ofKind("recording")[0]!;
    assert.equal(entry.timeslice, expected, `start(${String(arg)})`);
    rec.stop();
    await ua.clock.settle();
  }
  const { ua, rec } = rig();
  assert.throws(() => (rec.start as (t?: unknown) => void)(Symbol("x")), TypeError);
  assert.equal(rec.state, "inactive", "a conversion error changes nothing");
  await ua.clock.settle();
});

Deno.test("start() step 4: only live tracks are recorded; an ended track in the stream is ignored", async () => {
  const { ua, rec, video } = rig();
  video.stop();
  rec.start();
  await ua.clock.advance(100);
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(ua.trace.ofKind("recording")[0]!.tracks, ["audio#1"]);
  assert.equal(ua.trace.ofKind("recording")[0]!.mimeType, "audio/webm;codecs=opus");
});
