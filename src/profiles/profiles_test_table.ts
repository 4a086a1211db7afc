// The scenarios of the profile table test (issue 6). Each cites where the rows come from.
import type { Scenario } from "./_scenarios.ts";

const record =
  (timeslice: number | undefined | "none", ms = 350): Scenario["run"] => async ({ ua, rec }) => {
    if (timeslice === "none") rec.start();
    else rec.start(timeslice);
    await ua.clock.advance(ms);
  };

export const scenarios: Scenario[] = [
  {
    name: "no timeslice",
    source:
      "spec 15.7 (undefined: one chunk); Chrome start at first output (CR-MR MaybeEmitStartEvent): 60 ms Opus",
    run: record("none"),
  },
  {
    name: "timeslice 1000",
    source: "a slice longer than the recording: one chunk",
    run: record(1000),
  },
  {
    name: "timeslice 100",
    source:
      "spec/Firefox: media time per block (FF-ENC); Chrome: first write > origin+100, origin moves (CR-MRH WriteData); Safari: 100 ms timer (WK-MR)",
    run: record(100),
  },
  {
    name: "timeslice 10, audio only",
    source:
      "Chrome: 60 ms Opus writes (CR-OPUS, simpl#178); Safari: 100 ms minimum (WK-MR m_mimimumTimeSlice)",
    tracks: "audio",
    run: record(10),
  },
  {
    name: "timeslice 1",
    source: "spec: a chunk per capture instant; Chrome: per muxer write after the first output",
    run: record(1),
  },
  {
    name: "timeslice 0, audio only",
    source: "spec decision 10: a chunk per unit of output; Chrome: per 60 ms write",
    tracks: "audio",
    run: record(0),
  },
  {
    name: "timeslice -1",
    source:
      "WebIDL: unsigned long 4294967295 (spec, Firefox, Safari); Chrome long -1 → every write (CR-IDL)",
    run: record(-1),
  },
  { name: "timeslice NaN", source: "WebIDL ConvertToInt: NaN → 0", run: record(NaN) },
  { name: "timeslice 1.7", source: "WebIDL ConvertToInt: IntegerPart → 1", run: record(1.7) },
  {
    name: "timeslice 2**32+5",
    source: "WebIDL: modulo 2^32 → 5 (Chrome long → 5 too)",
    run: record(2 ** 32 + 5),
  },
  {
    name: "pause/resume",
    source:
      "spec: paused time not collected; Chrome: paused wall time counts and start fires at first output, after pause/resume (issue 6); Safari: timer remainder saved",
    run: async ({ ua, rec }) => {
      rec.start(100);
      rec.pause();
      rec.resume();
      await ua.clock.advance(150);
      rec.pause();
      await ua.clock.advance(200);
      rec.resume();
      await ua.clock.advance(100);
    },
  },
  {
    name: "requestData",
    source:
      "spec: a new Blob (count restarts, Firefox mLastBlobTime, Safari timer); Chrome: no reset, start emitted first",
    run: async ({ ua, rec }) => {
      rec.start(100);
      await ua.clock.advance(50);
      rec.requestData();
      await ua.clock.advance(120);
    },
  },
  {
    name: "start twice",
    source: "start() step 5: InvalidStateError",
    run: ({ rec }) => {
      rec.start();
      rec.start();
      return Promise.resolve();
    },
  },
  {
    name: "stop twice",
    source: "stop() step 2: a no-op when inactive",
    run: async ({ ua, rec }) => {
      rec.start();
      await ua.clock.advance(50);
      rec.stop();
      rec.stop();
    },
  },
  {
    name: "all tracks ended",
    source: "spec 15.8: data, stop, no error; Safari: an empty Blob (WK-MR trackEnded)",
    run: async ({ ua, rec, video, audio }) => {
      rec.start(100);
      await ua.clock.advance(150);
      video.end();
      audio.end();
      await ua.clock.settle();
    },
  },
  {
    name: "add a track",
    source:
      "spec 15.5: error(InvalidModificationError), data, stop; Chrome the same (lab tracks/add-track-during); Safari: an empty Blob",
    run: async ({ ua, rec, stream }) => {
      rec.start(100);
      await ua.clock.advance(150);
      stream.addTrack(ua.createAudioTrack());
      await ua.clock.settle();
    },
  },
  {
    name: "remove an ended track",
    source: "Firefox ignores the removal of an already-ended track (FF-MR)",
    run: async ({ ua, rec, stream }) => {
      const extra = ua.createAudioTrack();
      stream.addTrack(extra);
      extra.stop();
      rec.start(100);
      await ua.clock.advance(150);
      stream.removeTrack(extra);
      await ua.clock.settle();
    },
  },
  {
    name: "audio-only",
    source: "default containers: Firefox audio/ogg (FF-MR SelectMimeType)",
    tracks: "audio",
    options: {},
    run: record(100),
  },
  {
    name: "video-only",
    source: "Chrome: start at the first video frame; audioBitsPerSecond 0 (CR-MR)",
    tracks: "video",
    run: record(100),
  },
  {
    name: "stop in ondataavailable, start in onstop",
    source: "reentrancy; Chrome timecodes never reset by a new start() (CR-MR)",
    run: async ({ ua, rec }) => {
      let again = true;
      rec.ondataavailable = () => {
        if (rec.state === "recording") rec.stop();
      };
      rec.onstop = () => {
        if (again) {
          again = false;
          rec.start();
        }
      };
      rec.start(100);
      await ua.clock.advance(150);
      rec.ondataavailable = null;
    },
  },
  {
    name: "an empty stream",
    source: "start() step 7: NotSupportedError",
    tracks: "none",
    run: record(100),
  },
  {
    name: "two video tracks",
    source: "spec: all recorded; Chrome/Safari: first only; Firefox: NotSupportedError (FF-MR)",
    run: async ({ ua, rec, stream }) => {
      stream.addTrack(ua.createVideoTrack());
      rec.start();
      await ua.clock.advance(100);
    },
  },
  {
    name: "both key-frame options",
    source:
      "spec: NotSupportedError in start() step 12; Chrome: in the constructor; Firefox, Safari: options not implemented",
    options: { videoKeyFrameIntervalDuration: 100, videoKeyFrameIntervalCount: 3 },
    run: record(100),
  },
];
