// A dictaphone, written the way it is written for a browser: only standard globals
// (navigator.mediaDevices, MediaRecorder, Blob, setTimeout). recsim's tests run it
// unmodified under installGlobals(ua) (see dictaphone_test.ts).

/**
 * Records the microphone for `seconds`, then hands the recording to `onRecording`.
 *
 * @param {number} seconds how long to record
 * @param {(recording: Blob) => void} onRecording receives the assembled recording
 * @param {{ onError?: (error: unknown) => void, mimeType?: string }} [options]
 * @returns {Promise<MediaRecorder | null>} the recorder, or null when the microphone could not be opened
 */
export async function recordDictation(seconds, onRecording, options = {}) {
  const onError = options.onError ?? ((error) => console.error(error));
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    onError(error); // NotAllowedError, NotFoundError, ...
    return null;
  }
  const mimeType = options.mimeType ??
    (MediaRecorder.isTypeSupported("audio/webm;codecs=opus") ? "audio/webm;codecs=opus" : "");
  const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
  const chunks = [];
  recorder.ondataavailable = (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  };
  recorder.onerror = (event) => onError(event.error);
  recorder.onstop = () => {
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    // rec.mimeType is the constructor's again after stop: take the type from the data
    onRecording(new Blob(chunks, { type: chunks[0]?.type ?? recorder.mimeType }));
  };
  recorder.start();
  const timer = setTimeout(() => {
    if (recorder.state !== "inactive") recorder.stop();
  }, seconds * 1000);
  return recorder;
}
