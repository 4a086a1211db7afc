// Listeners that call back into the recorder.
import { record, release } from "./_common.js";

export const scenarios = {
  "stop-in-onstart": (lab) =>
    record(lab, {
      beforeStart: (lab, rec) =>
        lab.on(rec, "start", (_e, r) => lab.call("stop()", () => r.stop())),
      duration: 600,
    }),
  "pause-in-onstart": (lab) =>
    record(lab, {
      beforeStart: (lab, rec) =>
        lab.on(rec, "start", (_e, r) => lab.call("pause()", () => r.pause())),
      duration: 600,
    }),
  "stop-in-first-dataavailable": (lab) =>
    record(lab, {
      start: ["200", 200, true],
      beforeStart: (lab, rec) => {
        let first = true;
        lab.on(rec, "dataavailable", (_e, r) => {
          if (first) lab.call("stop()", () => r.stop());
          first = false;
        });
      },
      duration: 1500,
    }),
  "start-in-onstop": async (lab) => {
    const stream = await lab.gum({ audio: true, video: true });
    const rec = lab.recorder(stream, undefined);
    let again = true;
    lab.on(rec, "stop", (_e, r) => {
      if (again) lab.call("start(300)", () => r.start(300));
      again = false;
    });
    lab.call("start(300)", () => rec.start(300));
    await lab.wait(600);
    lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop");
    await lab.wait(700);
    if (rec.state !== "inactive") lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop");
    release(stream);
  },
  "request-data-in-dataavailable": (lab) =>
    record(lab, {
      start: ["300", 300, true],
      beforeStart: (lab, rec) => {
        let n = 0;
        lab.on(rec, "dataavailable", (_e, r) => {
          if (n++ === 0 && r.state === "recording") {
            lab.call("requestData()", () => r.requestData());
          }
        });
      },
      duration: 1000,
    }),
  "pause-in-first-dataavailable": (lab) =>
    record(lab, {
      start: ["300", 300, true],
      beforeStart: (lab, rec) => {
        let n = 0;
        lab.on(rec, "dataavailable", (_e, r) => {
          if (n++ === 0) lab.call("pause()", () => r.pause());
        });
      },
      duration: 1000,
    }),
};
