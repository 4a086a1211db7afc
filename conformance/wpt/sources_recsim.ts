/**
 * The recsim host's media sources: the streams of WPT's `utils/sources.js` built from a
 * recsim agent's virtual tracks.
 *
 * - `createAudioStream`: a silent virtual microphone (WPT: an AudioContext destination with
 *   nothing connected, which carries silence).
 * - `createFlowingAudioStream`: a 440 Hz tone (WPT: an oscillator at its default 440 Hz).
 * - `createVideoStream`: a 300×150 virtual camera (WPT: a default-size canvas). A canvas
 *   capture only yields a frame when painted; a virtual track has no such mode, so its
 *   frames flow from the start and `control.addVideoFrame()` does nothing.
 * - `createFlowingVideoStream`: the same track (WPT: the canvas repainted every animation
 *   frame, about 60 Hz; here 30 fps, recsim's default).
 * - `setMediaPermission(status)`: `ua.setPermission()` for camera and microphone (WPT asks
 *   testdriver).
 *
 * Every track is stopped by a cleanup of the test, as in WPT.
 *
 * @module
 */
import type { MediaStream, MediaStreamTrack, UserAgent } from "../../mod.ts";

type TestLike = { add_cleanup(f: () => unknown): void };
type Source = { stream: MediaStream; control?: { addVideoFrame(): void } };
type DevicePermission = Parameters<UserAgent["setPermission"]>[1];

/** The sources of `sources.js`, for `setSources()`. */
export interface RecsimSources {
  createAudioStream(t: TestLike): Source;
  createFlowingAudioStream(t: TestLike): Source;
  createVideoStream(t: TestLike): Source;
  createFlowingVideoStream(t: TestLike): Source;
  createAudioVideoStream(t: TestLike): Source;
  createFlowingAudioVideoStream(t: TestLike): Source;
  setMediaPermission(status?: string, scope?: string[]): Promise<void>;
}

/** Width and height of a default HTML canvas. */
const CANVAS = { width: 300, height: 150 } as const;

/** The sources of `ua` (whose globals the tests use, see `installGlobals`). */
export function recsimSources(ua: UserAgent): RecsimSources {
  const stream = (t: TestLike, tracks: MediaStreamTrack[]): MediaStream => {
    t.add_cleanup(() => tracks.forEach((track) => track.stop()));
    return new ua.MediaStream(tracks);
  };
  const audio = (signal: "silence" | "tone") => ua.createAudioTrack({ signal });
  const video = () => ua.createVideoTrack({ ...CANVAS });
  const control = { addVideoFrame() {} };
  return {
    createAudioStream: (t) => ({ stream: stream(t, [audio("silence")]) }),
    createFlowingAudioStream: (t) => ({ stream: stream(t, [audio("tone")]) }),
    createVideoStream: (t) => ({ stream: stream(t, [video()]), control }),
    createFlowingVideoStream: (t) => ({ stream: stream(t, [video()]) }),
    createAudioVideoStream: (t) => ({ stream: stream(t, [audio("silence"), video()]), control }),
    createFlowingAudioVideoStream: (t) => ({ stream: stream(t, [audio("tone"), video()]) }),
    setMediaPermission(status = "granted", scope = ["camera", "microphone"]) {
      for (const name of scope) {
        ua.setPermission(name as "camera" | "microphone", status as DevicePermission);
      }
      return Promise.resolve();
    },
  };
}
