// deno-lint-ignore-file -- ported WPT code is kept as written upstream (var, let, unused test arguments and results, async functions without await), so that it stays comparable with its source.
/**
 * Port of web-platform-tests/wpt `mediacapture-record/MediaRecorder-creation.https.html` at
 * ea93b94b618bd5606cccc3f9ebcaaa39350ca9b3 (BSD-3-Clause, © web-platform-tests
 * contributors; see ../LICENSE.md).
 *
 * Port changes: an ES module importing the testharness shim and `setPermission` from
 * `../sources.js` (WPT: `mediacapture-streams/permission-helper.js` and testdriver); the
 * test bodies are unchanged.
 *
 * @module
 */
import { assert_equals, assert_not_equals, async_test } from "../testharness.js";
import { setPermission } from "../sources.js";

// This test verifies that MediaRecorder can be created with different Media
// Stream Track combinations: 1 Video Track only, 1 Audio Track only and finally
// a Media Stream with both a Video and an Audio Track. Note that recording is
// _not_ started in this test, see MediaRecorder-audio-video.html for it.

function makeAsyncTest(constraints, verifyStream, message) {
  async_test(function (test) {
    const gotStream = test.step_func(function (stream) {
      verifyStream(stream);

      var recorder = new MediaRecorder(stream);
      assert_equals(recorder.state, "inactive");
      assert_not_equals(recorder.videoBitsPerSecond, 0);
      assert_not_equals(recorder.audioBitsPerSecond, 0);
      test.done();
    });

    const onError = test.unreached_func("Error creating MediaStream.");
    setPermission().then(() => navigator.mediaDevices.getUserMedia(constraints)).then(
      gotStream,
      onError,
    );
  }, message);
}

function verifyVideoOnlyStream(stream) {
  assert_equals(stream.getAudioTracks().length, 0);
  assert_equals(stream.getVideoTracks().length, 1);
  assert_equals(stream.getVideoTracks()[0].readyState, "live");
}
function verifyAudioOnlyStream(stream) {
  assert_equals(stream.getAudioTracks().length, 1);
  assert_equals(stream.getVideoTracks().length, 0);
  assert_equals(stream.getAudioTracks()[0].readyState, "live");
}
function verifyAudioVideoStream(stream) {
  assert_equals(stream.getAudioTracks().length, 1);
  assert_equals(stream.getVideoTracks().length, 1);
  assert_equals(stream.getVideoTracks()[0].readyState, "live");
  assert_equals(stream.getAudioTracks()[0].readyState, "live");
}

// Note: webkitGetUserMedia() must be called with at least video or audio true.
makeAsyncTest({ video: true }, verifyVideoOnlyStream, "Video-only MediaRecorder");
makeAsyncTest({ audio: true }, verifyAudioOnlyStream, "Audio-only MediaRecorder");
makeAsyncTest({ audio: true, video: true }, verifyAudioVideoStream, "Video+Audio MediaRecorder");
