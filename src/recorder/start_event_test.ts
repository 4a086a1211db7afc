// When the start event fires by the profile's policy (spec start() step 15.3 as each engine
// reads it; src/recorder/start_event.ts), on lanes of real tracks: Chrome at the muxer's
// first output, Firefox once every track has data.
import assert from "node:assert/strict";
import { profiles } from "../profiles/mod.ts";
import { createUserAgent } from "../user_agent.ts";
import { Lanes } from "./lanes.ts";
import { startEventTime } from "./start_event.ts";

/** A 20 ms audio track and a 10 fps video track, both with frames from 0. */
function tracks() {
  const ua = createUserAgent();
  return { ua, audio: ua.createAudioTrack(), video: ua.createVideoTrack({ frameRate: 10 }) };
}

Deno.test("start event 'first-output' (Chrome): video alone, its first frame, even one captured at the instant seen", () => {
  const { ua, video } = tracks();
  assert.deepEqual(startEventTime(profiles.chrome, new Lanes([video], 0), 0, 0, 0), {
    at: 0,
    firstOutput: 0,
  });
  // Not before the encoders' first data (dataReady) nor their start-up (startReady).
  assert.deepEqual(startEventTime(profiles.chrome, new Lanes([video], 0), 0, 110, 20), {
    at: 110,
    firstOutput: 110,
  });
  ua.close();
});

Deno.test("start event 'first-output' (Chrome): with audio, the first Opus packet (audioWriteMs after the first audio frame)", () => {
  const { ua, audio, video } = tracks();
  // Seen at 5: the next audio frame at 20, its 60 ms packet written at 80.
  assert.deepEqual(startEventTime(profiles.chrome, new Lanes([audio, video], 0), 5, 0, 0), {
    at: 80,
    firstOutput: 80,
  });
  ua.close();
});

Deno.test("start event 'first-output' (Chrome): no frame to come of either kind: not known yet", () => {
  const { ua, audio, video } = tracks();
  audio.stop();
  video.stop();
  assert.equal(startEventTime(profiles.chrome, new Lanes([audio, video], 0), 5, 0, 0), null);
  assert.equal(startEventTime(profiles.chrome, new Lanes([video], 0), 5, 0, 0), null);
  ua.close();
});

Deno.test("start event 'all-tracks-data' (Firefox): the last track's first frame, not before the encoders' start-up", () => {
  const { ua, audio, video } = tracks();
  const lanes = new Lanes([audio, video], 0);
  // Seen at 5: audio next at 20, video at 100: the start waits for the video.
  assert.deepEqual(startEventTime(profiles.firefox, lanes, 5, 0, 0), {
    at: 100,
    firstOutput: null,
  });
  assert.deepEqual(startEventTime(profiles.firefox, lanes, 0, 0, 32), {
    at: 32,
    firstOutput: null,
  });
  ua.close();
});

Deno.test("start event 'all-tracks-data' (Firefox): a track with no frame to come: not known yet", () => {
  const { ua, audio, video } = tracks();
  video.stop();
  assert.equal(startEventTime(profiles.firefox, new Lanes([audio, video], 0), 5, 0, 0), null);
  ua.close();
});
