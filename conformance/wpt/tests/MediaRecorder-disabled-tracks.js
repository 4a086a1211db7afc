// deno-lint-ignore-file -- ported WPT code is kept as written upstream (var, let, unused test arguments and results, async functions without await), so that it stays comparable with its source.
/**
 * Port of web-platform-tests/wpt `mediacapture-record/MediaRecorder-disabled-tracks.https.html`
 * at ea93b94b618bd5606cccc3f9ebcaaa39350ca9b3 (BSD-3-Clause, © web-platform-tests
 * contributors; see ../LICENSE.md).
 *
 * Port changes: an ES module importing the testharness shim and `setPermission` from
 * `../sources.js`; `for (track of …)` (an assignment to an undeclared global, an error in
 * a module) declares `const track`.
 *
 * @module
 */
import { assert_equals, async_test } from "../testharness.js";
import { setPermission } from "../sources.js";

// This test verifies that MediaStream with disabled tracks can be correctly
// recorded. See crbug.com/878255 for more context.

[
  ["video-only", { video: true, audio: false }],
  ["audio-only", { video: false, audio: true }],
  ["audio-video", { video: true, audio: true }],
]
  .forEach(function (args) {
    async_test(function (test) {
      let recorder;
      const recorderOnDataAvailable = test.step_func(function (event) {
        if (recorder.state != "recording") {
          return;
        }

        recorder.onstop = recorderOnStopExpected;
        recorder.stop();
      });

      const recorderOnStopExpected = test.step_func_done();
      const recorderOnStopUnexpected = test.unreached_func("Recording stopped.");
      const recorderOnError = test.unreached_func("Recording error.");

      const gotStream = test.step_func(function (stream) {
        for (const track of stream.getTracks()) {
          track.enabled = false;
        }

        recorder = new MediaRecorder(stream);

        assert_equals(recorder.state, "inactive");
        recorder.ondataavailable = recorderOnDataAvailable;
        recorder.onstop = recorderOnStopUnexpected;
        recorder.onerror = recorderOnError;
        recorder.start();

        assert_equals(recorder.state, "recording");
        recorder.requestData();
      });

      const onError = test.unreached_func("Error creating MediaStream.");
      setPermission().then(() => navigator.mediaDevices.getUserMedia(args[1])).then(
        gotStream,
        onError,
      );
    }, args[0]);
  });
