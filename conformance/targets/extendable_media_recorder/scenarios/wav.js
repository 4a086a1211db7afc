// The extendable-media-recorder target's own scenarios: its main feature, audio/wav through
// the registered WAV encoder, which no browser records natively, and which MediaRecorder the
// page runs on. Plain browser code against the web API, like the corpus (../../../lab/lab.js);
// the same file runs on the polyfill in Chromium, in plain Chromium and on recsim.
import { record } from "../../../scenarios/_common.js";

const WAV = { mimeType: "audio/wav" };

export const scenarios = {
  /** Which MediaRecorder the page has, and what it supports and exposes. */
  "identity": async (lab) => {
    const target = globalThis.__recsimTarget;
    lab.note("target", target ? target.name : "native");
    lab.note(
      "MediaRecorder is the target's",
      target ? MediaRecorder === target.MediaRecorder : false,
    );
    for (
      const type of [
        "audio/wav",
        "audio/webm",
        "audio/webm;codecs=pcm",
        "video/webm",
        "video/mp4",
      ]
    ) {
      lab.note(`isTypeSupported(${type})`, MediaRecorder.isTypeSupported(type));
    }
    const stream = await lab.gum({ audio: true });
    const rec = lab.recorder(stream, undefined);
    if (rec) {
      lab.note("constructor.name", rec.constructor.name);
      lab.note("instanceof MediaRecorder", rec instanceof MediaRecorder);
      lab.note("instanceof EventTarget", rec instanceof EventTarget);
      for (const m of ["start", "stop", "pause", "resume", "requestData"]) {
        lab.note(`typeof ${m}`, typeof rec[m]);
      }
      for (
        const a of [
          "stream",
          "videoBitsPerSecond",
          "audioBitsPerSecond",
          "audioBitrateMode",
        ]
      ) {
        lab.note(`has ${a}`, a in rec);
      }
    }
    if (stream) { for (const t of stream.getTracks()) t.stop(); }
  },
  /** audio/wav on the microphone, no timeslice. */
  "audio-none": (lab) =>
    record(lab, {
      constraints: { audio: true },
      options: WAV,
      beforeStart: (lab) => lab.note("isTypeSupported", MediaRecorder.isTypeSupported("audio/wav")),
      duration: 1200,
    }),
  /** audio/wav with a 500 ms timeslice; the first chunk's timecode as a string (NaN shows). */
  "audio-500": (lab) =>
    record(lab, {
      constraints: { audio: true },
      options: WAV,
      beforeStart: (lab, rec) => {
        let first = true;
        lab.on(rec, "dataavailable", (e) => {
          if (first) lab.note("first timecode", String(e.timecode));
          first = false;
        });
      },
      start: ["500", 500, true],
      duration: 1600,
    }),
  /** audio/wav paused and resumed. */
  "audio-pause-resume": (lab) =>
    record(lab, {
      constraints: { audio: true },
      options: WAV,
      during: async (lab, rec) => {
        await lab.wait(400);
        lab.call("pause()", () => rec.pause());
        lab.snapshot("paused", rec);
        await lab.wait(400);
        lab.call("resume()", () => rec.resume());
        lab.snapshot("resumed", rec);
        await lab.wait(400);
      },
    }),
  /** audio/wav asked of an audio+video stream. */
  "av-none": (lab) => record(lab, { options: WAV, duration: 1200 }),
  /** audio/wav: stop() twice, then start() again on the same recorder. */
  "audio-stop-twice-restart": (lab) =>
    record(lab, {
      constraints: { audio: true },
      options: WAV,
      during: async (lab, rec) => {
        await lab.wait(600);
        lab.call("stop()", () => rec.stop());
        lab.call("stop()", () => rec.stop());
        await lab.until(rec, "stop", 3000);
        lab.call("start()", () => rec.start());
        await lab.wait(600);
      },
    }),
};
