// pause, resume, requestData, start and stop in every state.
import { record, release } from "./_common.js";

export const scenarios = {
  "inactive-methods": async (lab) => {
    const stream = await lab.gum({ audio: true, video: true });
    const rec = lab.recorder(stream, undefined);
    for (const m of ["pause", "resume", "requestData", "stop"]) lab.call(`${m}()`, () => rec[m]());
    lab.snapshot("after", rec);
    await lab.wait(300);
    release(stream);
  },
  "request-data-recording": (lab) =>
    record(lab, {
      start: ["", undefined, false],
      during: async (lab, rec) => {
        await lab.wait(600);
        lab.call("requestData()", () => rec.requestData());
        await lab.wait(600);
      },
    }),
  "request-data-sync-after-start": (lab) =>
    record(lab, {
      during: async (lab, rec) => {
        lab.call("requestData()", () => rec.requestData());
        await lab.wait(800);
      },
    }),
  "request-data-in-onstart": (lab) =>
    record(lab, {
      beforeStart: (lab, rec) =>
        lab.on(rec, "start", (_e, r) => lab.call("requestData()", () => r.requestData())),
      duration: 800,
    }),
  "request-data-twice-100": (lab) =>
    record(lab, {
      start: ["100", 100, true],
      during: async (lab, rec) => {
        await lab.wait(350);
        lab.call("requestData()", () => rec.requestData());
        lab.call("requestData()", () => rec.requestData());
        await lab.wait(400);
      },
    }),
  "pause-resume": (lab) =>
    record(lab, {
      start: ["500", 500, true],
      during: async (lab, rec) => {
        await lab.wait(400);
        lab.call("pause()", () => rec.pause());
        lab.snapshot("paused", rec);
        await lab.wait(600);
        lab.call("resume()", () => rec.resume());
        lab.snapshot("resumed", rec);
        await lab.wait(600);
      },
    }),
  "pause-twice-resume-twice": (lab) =>
    record(lab, {
      during: async (lab, rec) => {
        await lab.wait(300);
        lab.call("pause()", () => rec.pause());
        lab.call("pause()", () => rec.pause());
        await lab.wait(300);
        lab.call("resume()", () => rec.resume());
        lab.call("resume()", () => rec.resume());
        await lab.wait(300);
      },
    }),
  "request-data-paused": (lab) =>
    record(lab, {
      during: async (lab, rec) => {
        await lab.wait(400);
        lab.call("pause()", () => rec.pause());
        await lab.wait(200);
        lab.call("requestData()", () => rec.requestData());
        await lab.wait(200);
      },
    }),
  "stop-while-paused": (lab) =>
    record(lab, {
      start: ["250", 250, true],
      during: async (lab, rec) => {
        await lab.wait(600);
        lab.call("pause()", () => rec.pause());
        await lab.wait(300);
      },
    }),
  "stop-twice": (lab) =>
    record(lab, {
      during: async (lab, rec) => {
        await lab.wait(600);
        lab.call("stop()", () => rec.stop());
        lab.call("stop()", () => rec.stop());
      },
    }),
  "start-twice": (lab) =>
    record(lab, {
      during: async (lab, rec) => {
        lab.call("start()", () => rec.start());
        await lab.wait(600);
      },
    }),
  "start-stop-same-task": (lab) =>
    record(lab, {
      during: (lab, rec) => {
        lab.call("stop()", () => rec.stop());
      },
    }),
  "start-after-stop": async (lab) => {
    const stream = await lab.gum({ audio: true, video: true });
    const rec = lab.recorder(stream, undefined);
    lab.call("start(300)", () => rec.start(300));
    await lab.wait(700);
    lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop");
    lab.call("start(300)", () => rec.start(300));
    await lab.wait(700);
    lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop");
    release(stream);
  },
  "two-recorders-one-stream": async (lab) => {
    const stream = await lab.gum({ audio: true, video: true });
    const a = lab.recorder(stream, undefined, "rec");
    const b = lab.recorder(stream, { mimeType: "audio/webm" }, "rec2");
    lab.call("rec.start(500)", () => a.start(500));
    lab.call("rec2.start(500)", () => b.start(500));
    await lab.wait(1200);
    lab.call("rec.stop()", () => a.stop());
    lab.call("rec2.stop()", () => b.stop());
    await Promise.all([lab.until(a, "stop"), lab.until(b, "stop")]);
    release(stream);
  },
};
