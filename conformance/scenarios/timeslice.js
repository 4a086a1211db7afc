// Every form of start()'s timeslice argument, on an audio+video stream of the fake devices.
import { record } from "./_common.js";

const forms = {
  "none": ["", undefined, false],
  "0": ["0", 0, true],
  "1": ["1", 1, true],
  "10": ["10", 10, true],
  "100": ["100", 100, true],
  "1000": ["1000", 1000, true],
  "minus-1": ["-1", -1, true],
  "nan": ["NaN", NaN, true],
  "1.7": ["1.7", 1.7, true],
  "2pow31-1": ["2147483647", 2 ** 31 - 1, true],
  "2pow31": ["2147483648", 2 ** 31, true],
  "2pow32-plus-5": ["4294967301", 2 ** 32 + 5, true],
  "string-250": ['"250"', "250", true],
  "null": ["null", null, true],
  "undefined": ["undefined", undefined, true],
  "infinity": ["Infinity", Infinity, true],
};

export const scenarios = {};
for (const [name, start] of Object.entries(forms)) {
  scenarios[`av-${name}`] = (lab) => record(lab, { start, duration: 1500 });
}
// The same forms that matter most on single-kind streams.
for (const name of ["none", "0", "100", "1000"]) {
  scenarios[`audio-${name}`] = (lab) =>
    record(lab, { constraints: { audio: true }, start: forms[name], duration: 1500 });
  scenarios[`video-${name}`] = (lab) =>
    record(lab, { constraints: { video: true }, start: forms[name], duration: 1500 });
}
// A longer recording at 1 s chunks: the cadence and timecodes over several chunks.
scenarios["av-1000-long"] = (lab) =>
  record(lab, { start: forms["1000"], duration: 3500, stopWait: 4000 });
