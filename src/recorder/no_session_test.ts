// A recorder whose state says "recording" with no recording session behind it: what
// Chrome's opt-in bug `stateStaysRecordingAfterFailedStart` leaves after a start() that
// failed on an inactive stream. pause(), resume(), requestData() and stop() must cope
// (src/recorder/stop.ts reads the session with `?.`). The profile is the spec's with only
// that bug on, so the test holds however the engine profiles evolve.
import assert from "node:assert/strict";
import { type Profile, profiles } from "../profiles/mod.ts";
import { createUserAgent } from "../user_agent.ts";
import { watchRecorder } from "../testing.ts";

function sessionLess() {
  const profile = {
    ...profiles.spec,
    bugs: { ...profiles.spec.bugs, stateStaysRecordingAfterFailedStart: true },
  } as Profile;
  const ua = createUserAgent({ profile });
  const track = ua.createAudioTrack();
  const rec = new ua.MediaRecorder(new ua.MediaStream([track]));
  track.stop();
  assert.throws(() => rec.start(), (e: Error) => e.name === "NotSupportedError");
  assert.equal(rec.state, "recording", "the bug leaves the state at recording");
  return { ua, rec, watch: watchRecorder(rec, ua.clock) };
}

Deno.test("without a session, pause() and resume() still switch state and fire their events", async () => {
  const { ua, rec, watch } = sessionLess();
  rec.pause();
  assert.equal(rec.state, "paused");
  await ua.clock.settle();
  rec.resume();
  assert.equal(rec.state, "recording");
  await ua.clock.settle();
  assert.deepEqual(watch.events.map((e) => e.type), ["pause", "resume"]);
  // With no session the events are numbered by the recorder's count of recordings (0).
  const traced = ua.trace.ofKind("event").map((e) => [e.type, e.recording]);
  assert.deepEqual(traced, [["pause", 0], ["resume", 0]]);
  ua.close();
});

Deno.test("without a session, requestData() queues nothing; stop() inactivates and fires start, an empty Blob and stop, as Chrome does (lab tracks/start-on-ended-stream)", async () => {
  const { ua, rec, watch } = sessionLess();
  rec.requestData();
  await ua.clock.settle();
  assert.equal(watch.events.length, 0);
  rec.stop();
  assert.equal(rec.state, "inactive");
  await ua.clock.settle();
  assert.deepEqual(watch.events.map((e) => `${e.type}:${e.state}`), [
    "start:inactive",
    "dataavailable:inactive",
    "stop:inactive",
  ]);
  assert.equal(watch.chunks[0]!.size, 0);
  ua.close();
});
