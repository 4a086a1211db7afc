/**
 * The browser host's media sources: canvas `captureStream()` and WebAudio, as WPT's
 * `mediacapture-record/utils/sources.js` builds them.
 *
 * Ported from web-platform-tests/wpt `mediacapture-record/utils/sources.js` at
 * a2b6dd730232ba1145cc2f27279bffa4c186bdc4 (BSD-3-Clause, see LICENSE.md): the same
 * streams, as an object for `setSources()` instead of global functions.
 * `setMediaPermission` resolves at once: the browser is expected to be launched with its
 * fake-media and auto-accept flags (WPT's version asks testdriver to set the permission).
 *
 * @module
 */

/** @typedef {{ add_cleanup: (f: () => unknown) => void }} TestLike */

/** @param {TestLike} t */
function createAudioStream(t) {
  const ac = new AudioContext();
  const { stream } = ac.createMediaStreamDestination();
  const [track] = stream.getTracks();
  t.add_cleanup(() => {
    ac.close();
    track.stop();
  });
  return { stream };
}

/** @param {TestLike} t */
function createFlowingAudioStream(t) {
  const ac = new AudioContext();
  const dest = ac.createMediaStreamDestination();
  const osc = ac.createOscillator();
  osc.connect(dest);
  osc.start();
  const [track] = dest.stream.getTracks();
  t.add_cleanup(() => {
    ac.close();
    track.stop();
  });
  return { stream: dest.stream };
}

/** @param {TestLike} t */
function createVideoStream(t) {
  const canvas = document.createElement("canvas");
  canvas.id = "canvas";
  document.body.appendChild(canvas);
  const ctx = canvas.getContext("2d");
  const stream = canvas.captureStream();
  const [track] = stream.getTracks();
  t.add_cleanup(() => {
    document.body.removeChild(canvas);
    track.stop();
  });
  const addVideoFrame = () => {
    ctx.fillStyle = "red";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  };
  return { stream, control: { addVideoFrame } };
}

/** @param {TestLike} t */
function createFlowingVideoStream(t) {
  const { stream } = createVideoStream(t);
  const [track] = stream.getTracks();
  const canvas = document.getElementById("canvas");
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "green";
  requestAnimationFrame(function draw() {
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (track.readyState == "live") {
      requestAnimationFrame(draw);
    }
  });
  return { stream };
}

/** @param {TestLike} t */
function createAudioVideoStream(t) {
  const { stream: audio } = createAudioStream(t);
  const { stream: video, control } = createVideoStream(t);
  return {
    stream: new MediaStream([...audio.getTracks(), ...video.getTracks()]),
    control,
  };
}

/** @param {TestLike} t */
function createFlowingAudioVideoStream(t) {
  return {
    stream: new MediaStream([
      ...createFlowingAudioStream(t).stream.getTracks(),
      ...createFlowingVideoStream(t).stream.getTracks(),
    ]),
  };
}

/** The browser's sources, for `setSources()`. */
export const browserSources = {
  createAudioStream,
  createFlowingAudioStream,
  createVideoStream,
  createFlowingVideoStream,
  createAudioVideoStream,
  createFlowingAudioVideoStream,
  setMediaPermission: () => Promise.resolve(),
};
