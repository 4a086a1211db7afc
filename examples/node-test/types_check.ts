// Not run: `tsc` type-checks it against the package's .d.ts files (npm test runs tsc first).
import { createUserAgent, installGlobals } from "@recsim/core";
import { fakeTimersClock, globalTimersClock } from "@recsim/core/fake-timers";
import { blobBytes, readWebm, type RecorderWatch, watchRecorder } from "@recsim/core/testing";
import { createLibavEncoder } from "@recsim/core/libav";

const ua = createUserAgent({
  clock: globalTimersClock(),
  seed: 1,
  encoders: [createLibavEncoder()],
});
const globals = installGlobals(ua);
const rec: MediaRecorder = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
const watch: RecorderWatch = watchRecorder(rec, ua.clock);
const blocks: number = readWebm(await watch.bytes()).blocks.length;
const bytes: Uint8Array = await blobBytes(new Blob([]));
globals.uninstall();
export { blocks, bytes, fakeTimersClock };
