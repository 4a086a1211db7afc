// getUserMedia constraints and errors, and what the recorder makes of the tracks.
import { record, release } from "./_common.js";

export const scenarios = {
  "gum-empty": async (lab) => {
    await lab.gum({});
  },
  "gum-both-false": async (lab) => {
    await lab.gum({ audio: false, video: false });
  },
  "gum-overconstrained": async (lab) => {
    await lab.gum({ video: { width: { exact: 99999 } } });
  },
  "gum-size-320": (lab) =>
    record(lab, {
      constraints: { video: { width: 320, height: 240 }, audio: true },
      start: ["500", 500, true],
      duration: 1000,
    }),
  "gum-two-video-tracks": async (lab) => {
    const a = await lab.gum({ video: true }, "s1");
    const b = await lab.gum({ video: true }, "s2");
    const both = lab.stream(new MediaStream([...a.getTracks(), ...b.getTracks()]), "both");
    const rec = lab.recorder(both, undefined);
    lab.call("start(500)", () => rec.start(500));
    await lab.wait(1000);
    if (rec.state !== "inactive") lab.call("stop()", () => rec.stop());
    await lab.until(rec, "stop", 2000);
    release(a);
    release(b);
  },
};
