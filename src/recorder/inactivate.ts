/**
 * Spec: "Inactivate the recorder".
 *
 * @module
 */
import type { RecorderInternals } from "./recorder_internals.ts";

/**
 * Inactivate the recorder (MediaStream Recording §Inactivate the recorder):
 * mimeType reverts to the constructor's value, state becomes "inactive", and the
 * bitrates are recomputed from `[[ConstrainedBitsPerSecond]]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
 * rec.start();
 * rec.stop(); // stop() runs "Inactivate the recorder" synchronously
 * assert.ok(rec.state === "inactive" && rec.mimeType === "");
 * await ua.clock.settle();
 * ```
 */
export function inactivateTheRecorder(r: RecorderInternals): void {
  // 1. Set recorder's mimeType attribute to the value of [[ConstrainedMimeType]].
  //    (Chrome and Safari keep the actual type: their profiles say "kept".)
  if (r.agent.profile.mimeTypeAfterStop === "constrained") r.mimeType = r.constrainedMimeType;
  // 2. Set recorder's state attribute to inactive.
  r.state = "inactive";
  // 3. If [[ConstrainedBitsPerSecond]] is not undefined (read: not null, the slot's
  //    "absent" value), set videoBitsPerSecond and audioBitsPerSecond to values the UA
  //    deems reasonable for the respective media types, whose sum is close to it.
  if (r.constrainedBitsPerSecond !== null) {
    //    (Chrome splits for the kinds it recorded.)
    const kinds = r.agent.profile.inactivateSplitsRecordedKinds && r.session
      ? r.session.kinds
      : { video: true, audio: true };
    const split = r.agent.profile.splitBitsPerSecond(
      r.constrainedBitsPerSecond,
      kinds.video,
      kinds.audio,
    );
    r.videoBitsPerSecond = split.video;
    r.audioBitsPerSecond = split.audio;
  }
}
