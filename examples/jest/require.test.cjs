// The CommonJS build: what a Jest project that compiles its tests to CommonJS (babel-jest,
// ts-jest) gets from require("@recsim/core"), with no --experimental-vm-modules.
// CommonJS test files get `jest`, `test` and `expect` as globals.
const { createUserAgent } = require("@recsim/core");
const { globalTimersClock } = require("@recsim/core/fake-timers");
const { blobBytes, readWebm } = require("@recsim/core/testing");

afterEach(() => jest.useRealTimers());

test("require(): a timesliced recording on jest.useFakeTimers()", async () => {
  jest.useFakeTimers();
  const ua = createUserAgent({ clock: globalTimersClock(), seed: 3 });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack()]), {
    mimeType: "video/webm",
  });
  const chunks = [];
  rec.ondataavailable = (e) => chunks.push(e.data);
  rec.start(1000);
  await jest.advanceTimersByTimeAsync(2500);
  rec.stop();
  await jest.advanceTimersByTimeAsync(0);
  expect(chunks).toHaveLength(3);
  const bytes = await Promise.all(chunks.map(blobBytes));
  const all = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  bytes.reduce((at, b) => (all.set(b, at), at + b.length), 0);
  expect(readWebm(all).blocks).toHaveLength(75); // 2.5 s at 30 fps
  ua.close();
});
