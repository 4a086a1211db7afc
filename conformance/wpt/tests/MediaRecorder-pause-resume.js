// deno-lint-ignore-file -- ported WPT code is kept as written upstream (var, let, unused test arguments and results, async functions without await), so that it stays comparable with its source.
/**
 * Port of web-platform-tests/wpt `mediacapture-record/MediaRecorder-pause-resume.html` at
 * a2b6dd730232ba1145cc2f27279bffa4c186bdc4 (BSD-3-Clause, © web-platform-tests
 * contributors; see ../LICENSE.md).
 *
 * Port changes: an ES module importing the testharness shim and `../sources.js`; the test
 * bodies are unchanged. At this commit the second test calls `createVideoStream()` without
 * a test and passes its `{stream, control}` result to `new MediaRecorder()`, so it fails in
 * every host (a bug of the WPT file, kept as is).
 *
 * @module
 */
import { assert_array_equals, assert_equals, assert_true, promise_test } from "../testharness.js";
import { createVideoStream } from "../sources.js";

function recordEvents(target, events) {
  let arr = [];
  for (let ev of events) {
    target.addEventListener(ev, (_) => arr.push(ev));
  }
  return arr;
}

promise_test(async (t) => {
  const { stream: video, control } = createVideoStream(t);
  control.addVideoFrame();
  const recorder = new MediaRecorder(video);
  const events = recordEvents(recorder, [
    "start",
    "stop",
    "dataavailable",
    "pause",
    "resume",
    "error",
  ]);

  recorder.start();
  assert_equals(recorder.state, "recording", "MediaRecorder has been started successfully");
  await new Promise((r) => recorder.onstart = r);

  recorder.pause();
  assert_equals(
    recorder.state,
    "paused",
    "MediaRecorder should be paused immediately following pause()",
  );

  // A second call to pause should be idempotent
  recorder.pause();
  assert_equals(
    recorder.state,
    "paused",
    "MediaRecorder should be paused immediately following pause()",
  );

  let event = await new Promise((r) => recorder.onpause = r);
  assert_equals(event.type, "pause", "the event type should be pause");
  assert_true(event.isTrusted, "isTrusted should be true when the event is created by C++");

  recorder.resume();
  assert_equals(
    recorder.state,
    "recording",
    "MediaRecorder state should be recording immediately following resume() call",
  );

  // A second call to resume should be idempotent
  recorder.resume();
  assert_equals(
    recorder.state,
    "recording",
    "MediaRecorder state should be recording immediately following resume() call",
  );

  event = await new Promise((r) => recorder.onresume = r);
  assert_equals(event.type, "resume", "the event type should be resume");
  assert_true(event.isTrusted, "isTrusted should be true when the event is created by C++");

  recorder.stop();
  await new Promise((r) => recorder.onstop = r);

  assert_array_equals(
    events,
    ["start", "pause", "resume", "dataavailable", "stop"],
    "Should have gotten expected events",
  );
}, "MediaRecorder handles pause() and resume() calls appropriately in state and events");

promise_test(async () => {
  let video = createVideoStream();
  let recorder = new MediaRecorder(video);
  let events = recordEvents(recorder, [
    "start",
    "stop",
    "dataavailable",
    "pause",
    "resume",
    "error",
  ]);

  recorder.start();
  assert_equals(recorder.state, "recording", "MediaRecorder has been started successfully");
  await new Promise((r) => recorder.onstart = r);

  recorder.pause();
  assert_equals(
    recorder.state,
    "paused",
    "MediaRecorder should be paused immediately following pause()",
  );
  let event = await new Promise((r) => recorder.onpause = r);
  assert_equals(event.type, "pause", "the event type should be pause");
  assert_true(event.isTrusted, "isTrusted should be true when the event is created by C++");

  recorder.stop();
  assert_equals(recorder.state, "inactive", "MediaRecorder should be inactive after being stopped");
  await new Promise((r) => recorder.onstop = r);

  recorder.start();
  assert_equals(recorder.state, "recording", "MediaRecorder has been started successfully");
  await new Promise((r) => recorder.onstart = r);

  assert_array_equals(
    events,
    ["start", "pause", "dataavailable", "stop", "start"],
    "Should have gotten expected events",
  );
}, "MediaRecorder handles stop() in paused state appropriately");
