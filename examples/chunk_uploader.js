// A chunk uploader, written the way it is written for a browser: camera and microphone,
// a timeslice, each chunk POSTed in order, a retry with back-off on a failed request,
// and a final "complete" request. Only standard globals (navigator.mediaDevices,
// MediaRecorder, fetch, setTimeout). recsim's tests run it unmodified under
// installGlobals(ua), in Deno and in Node (see chunk_uploader_test.ts).

/**
 * @typedef {object} UploaderOptions
 * @property {string} url the upload endpoint: chunks go to `${url}/chunk?seq=N`, the end to `${url}/complete`
 * @property {number} [timeslice] ms per chunk (default 1000)
 * @property {MediaStreamConstraints} [constraints] getUserMedia constraints (default camera + microphone)
 * @property {string} [mimeType] the recording type (default video/webm when supported)
 * @property {number} [maxRetries] attempts after the first failure (default 3)
 * @property {number} [retryDelayMs] back-off before the first retry, doubled each time (default 100)
 * @property {(result: { chunks: number, bytes: number, reason: string }) => void} [onComplete]
 * @property {(error: unknown) => void} [onError]
 */

/**
 * Starts recording and uploading. Resolves once recording started, with `stop()` and
 * `done` (settles after the "complete" request).
 *
 * @param {UploaderOptions} options
 */
export async function startUploader(options) {
  const {
    url,
    timeslice = 1000,
    maxRetries = 3,
    retryDelayMs = 100,
    onComplete = () => {},
    onError = (error) => console.error(error),
  } = options;
  const stream = await navigator.mediaDevices.getUserMedia(
    options.constraints ?? { video: true, audio: true },
  );
  const mimeType = options.mimeType ??
    (MediaRecorder.isTypeSupported("video/webm") ? "video/webm" : "");
  const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
  let seq = 0;
  let bytes = 0;
  let reason = "stopped";
  let queue = Promise.resolve();
  let failed = null;

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  async function post(path, body, type) {
    for (let attempt = 0;; attempt++) {
      try {
        const response = await fetch(`${url}${path}`, {
          method: "POST",
          body,
          headers: { "content-type": type },
        });
        await response.arrayBuffer();
        if (response.ok) return;
        throw new Error(`${path}: HTTP ${response.status}`);
      } catch (error) {
        if (attempt >= maxRetries) throw error;
        await sleep(retryDelayMs * 2 ** attempt);
      }
    }
  }

  let resolveDone, rejectDone;
  const done = new Promise((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  recorder.ondataavailable = (event) => {
    if (event.data.size === 0) return;
    const n = seq++;
    bytes += event.data.size;
    queue = queue.then(() => {
      if (failed) return;
      return post(`/chunk?seq=${n}`, event.data, event.data.type).catch((error) => {
        failed = error;
      });
    });
  };
  recorder.onerror = (event) => {
    reason = `error: ${event.error?.name}`;
    onError(event.error);
  };
  recorder.onstop = () => {
    for (const track of stream.getTracks()) track.stop();
    queue
      .then(() => {
        if (failed) throw failed;
        const summary = { chunks: seq, bytes, reason };
        return post("/complete", JSON.stringify(summary), "application/json").then(() => summary);
      })
      .then((summary) => {
        onComplete(summary);
        resolveDone(summary);
      }, (error) => {
        onError(error);
        rejectDone(error);
      });
  };
  // a camera unplugged mid-recording ends the track: the recorder stops by itself
  for (const track of stream.getTracks()) {
    track.addEventListener("ended", () => {
      reason = `${track.kind} track ended`;
    });
  }
  recorder.start(timeslice);
  return {
    recorder,
    stream,
    done,
    stop() {
      if (recorder.state !== "inactive") recorder.stop();
    },
  };
}
