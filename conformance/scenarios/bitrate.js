// The bitrate options: the attributes after the constructor, at start and after stop.
import { record } from "./_common.js";

const cases = {
  "default-av": [{ audio: true, video: true }, {}],
  "bps-1e6-av": [{ audio: true, video: true }, { bitsPerSecond: 1_000_000 }],
  "bps-1e6-audio": [{ audio: true }, { bitsPerSecond: 1_000_000 }],
  "bps-1e6-video": [{ video: true }, { bitsPerSecond: 1_000_000 }],
  "bps-0-av": [{ audio: true, video: true }, { bitsPerSecond: 0 }],
  "bps-12345-av": [{ audio: true, video: true }, { bitsPerSecond: 12345 }],
  "split-av": [{ audio: true, video: true }, {
    videoBitsPerSecond: 800_000,
    audioBitsPerSecond: 64_000,
  }],
  "tiny-av": [{ audio: true, video: true }, { videoBitsPerSecond: 1, audioBitsPerSecond: 1 }],
  "huge-av": [{ audio: true, video: true }, { videoBitsPerSecond: 1e9, audioBitsPerSecond: 1e9 }],
  "bps-and-split-av": [
    { audio: true, video: true },
    { bitsPerSecond: 2_000_000, videoBitsPerSecond: 800_000, audioBitsPerSecond: 64_000 },
  ],
  "mode-constant-audio": [{ audio: true }, { audioBitrateMode: "constant" }],
  "mode-bogus-audio": [{ audio: true }, { audioBitrateMode: "bogus" }],
};

export const scenarios = {};
for (const [name, [constraints, options]] of Object.entries(cases)) {
  scenarios[name] = (lab) =>
    record(lab, { constraints, options, start: ["500", 500, true], duration: 800 });
}
