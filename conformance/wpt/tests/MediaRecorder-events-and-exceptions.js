// deno-lint-ignore-file -- ported WPT code is kept as written upstream (var, let, unused test arguments and results, async functions without await), so that it stays comparable with its source.
/**
 * Port of web-platform-tests/wpt `mediacapture-record/MediaRecorder-events-and-exceptions.html`
 * at d1f3a400925ec10b69637a8e54ba283eecf58ae3 (BSD-3-Clause, © web-platform-tests
 * contributors; see ../LICENSE.md). Variants: `?mimeType=…` (see ../manifest.js).
 *
 * Port changes: an ES module importing the testharness shim and `../sources.js`; the
 * handlers that the original assigns to undeclared (global) names are `const`s; the variant
 * comes from `variantParams()` instead of `window.location.search`.
 *
 * @module
 */
import {
  assert_equals,
  assert_not_equals,
  assert_throws_dom,
  assert_unreached,
  async_test,
  variantParams,
} from "../testharness.js";
import { createVideoStream } from "../sources.js";

// This test exercises the MediaRecorder API event sequence:
//   onStart -> onPause -> onResume -> onDataAvailable -> onStop
// verifying the |state| and a few exceptions that are supposed to be thrown
// when doing the wrong thing.

async_test((test) => {
  const recorderOnUnexpectedEvent = test.step_func(() => {
    assert_unreached("Unexpected event.");
  });

  const recorderOnDataAvailable = test.step_func((event) => {
    assert_equals(recorder.state, "inactive");
    assert_not_equals(event.data.size, 0, "We should get a Blob with data");
  });

  const recorderOnStop = test.step_func(function () {
    assert_equals(recorder.state, "inactive");
    recorder.onstop = recorderOnUnexpectedEvent;
    recorder.stop();
    assert_equals(recorder.state, "inactive", "stop() is idempotent");
    assert_throws_dom("InvalidStateError", function () {
      recorder.pause();
    }, "recorder cannot be pause()ed in |inactive| state");
    assert_throws_dom("InvalidStateError", function () {
      recorder.resume();
    }, "recorder cannot be resume()d in |inactive| state");
    assert_throws_dom("InvalidStateError", function () {
      recorder.requestData();
    }, "cannot requestData() if recorder is in |inactive| state");
    test.done();
  });

  const recorderOnResume = test.step_func(function () {
    assert_equals(recorder.state, "recording");
    recorder.onresume = recorderOnUnexpectedEvent;
    recorder.onstop = recorderOnStop;
    recorder.stop();
  });

  const recorderOnPause = test.step_func(function () {
    assert_equals(recorder.state, "paused");
    recorder.onpause = recorderOnUnexpectedEvent;
    recorder.onresume = recorderOnResume;
    recorder.resume();
  });

  const recorderOnStart = test.step_func(function () {
    assert_equals(recorder.state, "recording");
    recorder.onstart = recorderOnUnexpectedEvent;
    recorder.onpause = recorderOnPause;
    recorder.pause();
  });

  const { stream, control } = createVideoStream(test);
  assert_equals(stream.getAudioTracks().length, 0);
  assert_equals(stream.getVideoTracks().length, 1);
  assert_equals(stream.getVideoTracks()[0].readyState, "live");

  assert_throws_dom(
    "NotSupportedError",
    function () {
      new MediaRecorder(
        new MediaStream(),
        { mimeType: "video/invalid" },
      );
    },
    "recorder should throw() with unsupported mimeType",
  );

  const params = variantParams();
  const mimeType = params.get("mimeType");
  if (mimeType && !MediaRecorder.isTypeSupported(mimeType)) {
    test.done();
    return;
  }

  const recorder = new MediaRecorder(new MediaStream(), { mimeType });
  assert_equals(recorder.state, "inactive");

  recorder.stop();
  assert_equals(recorder.state, "inactive", "stop() is idempotent");
  assert_throws_dom("InvalidStateError", function () {
    recorder.pause();
  }, "recorder cannot be pause()ed in |inactive| state");
  assert_throws_dom("InvalidStateError", function () {
    recorder.resume();
  }, "recorder cannot be resume()d in |inactive| state");
  assert_throws_dom("InvalidStateError", function () {
    recorder.requestData();
  }, "cannot requestData() if recorder is in |inactive| state");

  assert_throws_dom(
    "NotSupportedError",
    function () {
      recorder.start();
    },
    "recorder should throw() when starting with inactive stream",
  );

  recorder.stream.addTrack(stream.getTracks()[0]);

  control.addVideoFrame();

  recorder.onstop = recorderOnUnexpectedEvent;
  recorder.onpause = recorderOnUnexpectedEvent;
  recorder.onresume = recorderOnUnexpectedEvent;
  recorder.onerror = recorderOnUnexpectedEvent;
  recorder.ondataavailable = recorderOnDataAvailable;
  recorder.onstart = recorderOnStart;

  recorder.start();
  assert_equals(recorder.state, "recording");
});
