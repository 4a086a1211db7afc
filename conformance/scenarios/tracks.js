// Tracks ended, stopped, disabled, added and removed; inactive and empty streams.
import { record, release } from "./_common.js";

export const scenarios = {
  "stop-video-track": (lab) =>
    record(lab, {
      start: ["500", 500, true],
      during: async (lab, _rec, stream) => {
        await lab.wait(600);
        lab.call("video.stop()", () => stream.getVideoTracks()[0].stop());
        await lab.wait(800);
      },
    }),
  "stop-all-tracks": (lab) =>
    record(lab, {
      start: ["500", 500, true],
      during: async (lab, _rec, stream) => {
        await lab.wait(700);
        lab.call("tracks.stop()", () => stream.getTracks().forEach((t) => t.stop()));
        await lab.wait(1500);
      },
    }),
  "stop-only-track-audio": (lab) =>
    record(lab, {
      constraints: { audio: true },
      during: async (lab, _rec, stream) => {
        await lab.wait(700);
        lab.call("audio.stop()", () => stream.getAudioTracks()[0].stop());
        await lab.wait(1500);
      },
    }),
  "disable-video": (lab) =>
    record(lab, {
      start: ["500", 500, true],
      during: async (lab, _rec, stream) => {
        await lab.wait(400);
        lab.call("video.enabled = false", () => {
          stream.getVideoTracks()[0].enabled = false;
        });
        await lab.wait(800);
      },
    }),
  "start-on-ended-stream": async (lab) => {
    const stream = await lab.gum({ audio: true, video: true });
    const rec = lab.recorder(stream, undefined);
    lab.call("tracks.stop()", () => stream.getTracks().forEach((t) => t.stop()));
    lab.call("start()", () => rec.start());
    lab.snapshot("after start", rec);
    await lab.wait(500);
    lab.call("stop()", () => rec.stop());
    lab.snapshot("after stop", rec);
    await lab.wait(800);
  },
  "start-one-ended-track": async (lab) => {
    const stream = await lab.gum({ audio: true, video: true });
    const rec = lab.recorder(stream, undefined);
    lab.call("video.stop()", () => stream.getVideoTracks()[0].stop());
    lab.call("start(500)", () => rec.start(500));
    await lab.wait(1000);
    if (rec.state !== "inactive") lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop", 2000);
    release(stream);
  },
  "empty-stream": async (lab) => {
    const stream = lab.stream(new MediaStream());
    const rec = lab.recorder(stream, undefined);
    lab.call("start()", () => rec.start());
    lab.snapshot("after start", rec);
    await lab.wait(500);
    lab.call("stop()", () => rec.stop());
    await lab.wait(800);
  },
  "remove-track-during": (lab) =>
    record(lab, {
      start: ["500", 500, true],
      during: async (lab, _rec, stream) => {
        await lab.wait(600);
        lab.call("removeTrack(audio)", () => stream.removeTrack(stream.getAudioTracks()[0]));
        await lab.wait(1200);
      },
    }),
  "add-track-during": async (lab) => {
    const stream = await lab.gum({ audio: true, video: true });
    const mixed = lab.stream(new MediaStream([stream.getVideoTracks()[0]]), "mixed");
    const rec = lab.recorder(mixed, undefined);
    lab.call("start(500)", () => rec.start(500));
    await lab.wait(600);
    lab.call("addTrack(audio)", () => mixed.addTrack(stream.getAudioTracks()[0]));
    await lab.wait(1200);
    if (rec.state !== "inactive") lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop", 2000);
    release(stream);
  },
  "add-track-before-start": async (lab) => {
    const stream = await lab.gum({ audio: true, video: true });
    const mixed = lab.stream(new MediaStream([stream.getVideoTracks()[0]]), "mixed");
    const rec = lab.recorder(mixed, undefined);
    lab.call("addTrack(audio)", () => mixed.addTrack(stream.getAudioTracks()[0]));
    lab.call("start(500)", () => rec.start(500));
    await lab.wait(1000);
    lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop");
    release(stream);
  },
  "remove-all-then-add": async (lab) => {
    const stream = await lab.gum({ audio: true });
    const mixed = lab.stream(new MediaStream(stream.getTracks()), "mixed");
    const track = stream.getAudioTracks()[0];
    lab.call("removeTrack(audio)", () => mixed.removeTrack(track));
    await lab.wait(100);
    lab.call("addTrack(audio)", () => mixed.addTrack(track));
    await lab.wait(100);
    lab.note("active", mixed.active);
    release(stream);
  },
  "stream-inactive-on-stop": async (lab) => {
    const stream = await lab.gum({ audio: true, video: true });
    const rec = lab.recorder(stream, undefined);
    lab.call("start(500)", () => rec.start(500));
    await lab.wait(700);
    lab.call("tracks.stop()", () => stream.getTracks().forEach((t) => t.stop()));
    await lab.until(rec, "stop", 2000);
    lab.note("active", stream.active);
  },
  "clone-track-recording": async (lab) => {
    const stream = await lab.gum({ audio: true, video: true });
    const clone = lab.stream(stream.clone(), "clone");
    const rec = lab.recorder(clone, undefined);
    lab.call("start(500)", () => rec.start(500));
    await lab.wait(600);
    lab.call("original.stop()", () => stream.getTracks().forEach((t) => t.stop()));
    await lab.wait(600);
    lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop");
    release(clone);
  },
};
