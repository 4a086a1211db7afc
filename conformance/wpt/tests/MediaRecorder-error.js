// deno-lint-ignore-file -- ported WPT code is kept as written upstream (var, let, unused test arguments and results, async functions without await), so that it stays comparable with its source.
/**
 * Port of web-platform-tests/wpt `mediacapture-record/MediaRecorder-error.html` at
 * 4f7f12cd2dd3db2482bbc21e259fb22643d02ed0 (BSD-3-Clause, © web-platform-tests
 * contributors; see ../LICENSE.md).
 *
 * Port changes: an ES module importing the testharness shim and `../sources.js`; the test
 * bodies are unchanged.
 *
 * @module
 */
import {
  assert_equals,
  assert_throws_dom,
  assert_true,
  assert_unreached,
  async_test,
  test,
} from "../testharness.js";
import { createAudioStream, createVideoStream } from "../sources.js";

async_test((t) => {
  const { stream: video, control } = createVideoStream(t);
  const { stream: audio } = createAudioStream(t);
  const recorder = new MediaRecorder(video);
  recorder.onerror = t.step_func((mediaRecorderErrorEvent) => {
    assert_true(
      mediaRecorderErrorEvent instanceof ErrorEvent,
      "the type of event should be ErrorEvent",
    );
    assert_equals(
      mediaRecorderErrorEvent.error.name,
      "InvalidModificationError",
      "the type of error should be InvalidModificationError when track has been added or removed",
    );
    assert_true(
      mediaRecorderErrorEvent.isTrusted,
      "isTrusted should be true when the event is created by C++",
    );
    assert_equals(
      recorder.state,
      "inactive",
      "MediaRecorder has been stopped after adding a track to stream",
    );
    t.done();
  });
  recorder.start();
  assert_equals(recorder.state, "recording", "MediaRecorder has been started successfully");
  video.addTrack(audio.getAudioTracks()[0]);
  control.addVideoFrame();
  t.step_timeout(() => {
    assert_unreached("error event is not fired after 2 seconds");
  }, 2000);
}, "MediaRecorder will stop recording when any of track is added and error event will be fired");

async_test((t) => {
  const { stream: video, control } = createVideoStream(t);
  const recorder = new MediaRecorder(video);
  recorder.onerror = t.step_func((mediaRecorderErrorEvent) => {
    assert_true(
      mediaRecorderErrorEvent instanceof ErrorEvent,
      "the type of event should be ErrorEvent",
    );
    assert_equals(
      mediaRecorderErrorEvent.error.name,
      "InvalidModificationError",
      "the type of error should be InvalidModificationError when track has been added or removed",
    );
    assert_true(
      mediaRecorderErrorEvent.isTrusted,
      "isTrusted should be true when the event is created by C++",
    );
    assert_equals(
      recorder.state,
      "inactive",
      "MediaRecorder has been stopped after removing a track from stream",
    );
    t.done();
  });
  recorder.start();
  assert_equals(recorder.state, "recording", "MediaRecorder has been started successfully");
  video.removeTrack(video.getVideoTracks()[0]);
  control.addVideoFrame();
  t.step_timeout(() => {
    assert_unreached("error event is not fired after 2 seconds");
  }, 2000);
}, "MediaRecorder will stop recording when any of track is removed and error event will be fired");

test(
  (t) => {
    const { stream: video } = createVideoStream(t);
    const recorder = new MediaRecorder(video);
    recorder.start();
    assert_equals(recorder.state, "recording", "MediaRecorder has been started successfully");
    assert_throws_dom("InvalidStateError", function () {
      recorder.start();
    });
  },
  "MediaRecorder cannot start recording when MediaRecorder' state is not inactive and an InvalidStateError should be thrown",
);
