/**
 * The media sources the ported tests use (WPT's `mediacapture-record/utils/sources.js` and
 * the permission helper of `mediacapture-streams/permission-helper.js`), behind one module
 * specifier: each test imports `../sources.js`, and the host plugs in an implementation
 * with {@link setSources} before it imports the test (canvas and WebAudio in a browser,
 * `sources_browser.js`; recsim's virtual tracks in Deno, `sources_recsim.ts`).
 *
 * @module
 */

/**
 * @typedef {{ add_cleanup: (f: () => unknown) => void }} TestLike
 * @typedef {{ stream: MediaStream, control?: { addVideoFrame: () => void } }} Source
 * @typedef {{
 *   createAudioStream: (t: TestLike) => Source,
 *   createFlowingAudioStream: (t: TestLike) => Source,
 *   createVideoStream: (t: TestLike) => Source,
 *   createFlowingVideoStream: (t: TestLike) => Source,
 *   createAudioVideoStream: (t: TestLike) => Source,
 *   createFlowingAudioVideoStream: (t: TestLike) => Source,
 *   setMediaPermission: (status?: string, scope?: string[]) => Promise<void>,
 * }} Sources
 */

/** @type {Sources | null} */
let impl = null;

/**
 * Plugs in the host's sources.
 *
 * @param {Sources} sources
 */
export function setSources(sources) {
  impl = sources;
}

function sources() {
  if (impl === null) throw new Error("sources.js: the host has not called setSources()");
  return impl;
}

/** A live audio track that carries silence (WPT: an AudioContext destination). @param {TestLike} t */
export const createAudioStream = (t) => sources().createAudioStream(t);
/** A live audio track that carries a tone (WPT: an oscillator). @param {TestLike} t */
export const createFlowingAudioStream = (t) => sources().createFlowingAudioStream(t);
/** A video track with `control.addVideoFrame()` (WPT: a canvas capture). @param {TestLike} t */
export const createVideoStream = (t) => sources().createVideoStream(t);
/** A video track with frames flowing (WPT: a canvas redrawn every animation frame). @param {TestLike} t */
export const createFlowingVideoStream = (t) => sources().createFlowingVideoStream(t);
/** Audio and video of {@link createAudioStream} and {@link createVideoStream}. @param {TestLike} t */
export const createAudioVideoStream = (t) => sources().createAudioVideoStream(t);
/** Audio and video with media flowing. @param {TestLike} t */
export const createFlowingAudioVideoStream = (t) => sources().createFlowingAudioVideoStream(t);
/**
 * Grants (or sets) the camera and microphone permissions (WPT's `setMediaPermission`).
 *
 * @param {string} [status]
 * @param {string[]} [scope]
 */
export const setMediaPermission = (status, scope) => sources().setMediaPermission(status, scope);
/** The older name of {@link setMediaPermission} (WPT's `setPermission`). */
export const setPermission = setMediaPermission;
