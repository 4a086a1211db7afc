/**
 * Spec: `stop()`, `pause()`, `resume()` and `requestData()` (MediaStream Recording §Methods).
 *
 * @module
 */
import { domException } from "../errors.ts";
import { inactivateTheRecorder } from "./inactivate.ts";
import { fireBlobEvent, fireEvent, type RecorderInternals } from "./recorder_internals.ts";

/**
 * stop() on a recording an engine bug left without data (`r.phantom`: Chrome's failed
 * start, Firefox's stall): state becomes inactive and mimeType the type the engine chose,
 * then one task fires start and, for Chrome, an empty dataavailable of that type and stop
 * (lab `tracks/start-on-ended-stream`, `mime/audio-video-webm-codecs-vp8-opus`).
 */
function stopPhantom(r: RecorderInternals): void {
  const { mimeType: type, endEvents } = r.phantom!;
  r.phantom = null;
  r.state = "inactive";
  r.mimeType = type;
  const recording = r.recordings;
  r.agent.queueTask((task) => {
    fireEvent(r, "start", task, recording, { mimeType: type });
    if (!endEvents) return;
    const timecode = r.agent.profile.timecode === "none" ? undefined : 0;
    fireBlobEvent(r, new Blob([], { type }), timecode, task, recording);
    fireEvent(r, "stop", task, recording);
  });
}

/**
 * The `stop()` method steps: silently does nothing when inactive; otherwise
 * Inactivates the recorder now and queues a task that stops gathering and fires
 * `dataavailable` then `stop`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
 * rec.stop(); // inactive: a silent no-op
 * const seen: string[] = [];
 * rec.onstart = rec.ondataavailable = rec.onstop = (e) => seen.push(e.type);
 * rec.start();
 * rec.stop();
 * await ua.clock.settle();
 * assert.ok(seen.join() === "start,dataavailable,stop");
 * ```
 */
export function stop(r: RecorderInternals): void {
  // 1. Let recorder be this.
  // 2. If recorder's state attribute is inactive, return.
  if (r.state === "inactive") return;
  // (An engine bug left a recording without data: stop() reports it as the engine does.)
  if (r.session === null && r.phantom !== null) return stopPhantom(r);
  // 3. Inactivate the recorder with recorder.
  inactivateTheRecorder(r);
  // 4. Queue a task: stop gathering data; fire dataavailable with the blob; fire stop.
  r.session?.stopRequested();
  // 5. return undefined.
}

/**
 * The `pause()` method steps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
 * rec.start();
 * rec.pause();
 * assert.ok(rec.state === "paused"); // synchronously; the pause event comes in a task
 * rec.stop();
 * await ua.clock.settle();
 * ```
 */
export function pause(r: RecorderInternals): void {
  // 1. If state is inactive, throw an InvalidStateError.
  if (r.state === "inactive") {
    throw domException("InvalidStateError", "pause() called while the recorder is inactive");
  }
  // 2. If state is paused, abort these steps.
  if (r.state === "paused") return;
  // 3. Set state to paused, and queue a task: stop gathering data into blob (but keep it
  //    for when recording resumes); fire pause.
  r.state = "paused";
  const session = r.session;
  r.agent.queueTask((task) => {
    session?.pauseGathering();
    fireEvent(r, "pause", task, session?.number ?? r.recordings);
  });
}

/**
 * The `resume()` method steps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
 * rec.start();
 * rec.pause();
 * rec.resume();
 * assert.ok(rec.state === "recording");
 * rec.stop();
 * await ua.clock.settle();
 * ```
 */
export function resume(r: RecorderInternals): void {
  // 1. If state is inactive, throw an InvalidStateError.
  if (r.state === "inactive") {
    throw domException("InvalidStateError", "resume() called while the recorder is inactive");
  }
  // 2. If state is recording, abort these steps.
  if (r.state === "recording") return;
  // 3. Set state to recording, and queue a task: resume gathering into the current blob; fire resume.
  r.state = "recording";
  const session = r.session;
  r.agent.queueTask((task) => {
    session?.resumeGathering();
    fireEvent(r, "resume", task, session?.number ?? r.recordings);
  });
}

/**
 * The `requestData()` method steps: allowed while recording or paused.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
 * const sizes: number[] = [];
 * rec.ondataavailable = (e) => sizes.push(e.data.size);
 * rec.start();
 * await ua.clock.advance(500);
 * rec.requestData();
 * await ua.clock.settle();
 * assert.ok(sizes.length === 1 && sizes[0]! > 0);
 * rec.stop();
 * await ua.clock.settle();
 * ```
 */
export function requestData(r: RecorderInternals): void {
  // 1. If state is inactive, throw an InvalidStateError.
  if (r.state === "inactive") {
    throw domException("InvalidStateError", "requestData() called while the recorder is inactive");
  }
  // 2. Queue a task: fire dataavailable with blob (empty if nothing was gathered), then
  //    create a new Blob and gather subsequent data into it.
  const session = r.session;
  if (session) {
    session.requestDataQueued();
    r.agent.queueTask((task) => session.requestData(task));
  }
}
