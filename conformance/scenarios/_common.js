// Shared steps of the lab's scenarios: plain browser code (see ../lab/lab.js).

/** Stops every track of a stream so the next scenario gets fresh devices. */
export function release(stream) {
  if (stream) { for (const t of stream.getTracks()) t.stop(); }
}

/**
 * The usual recording: getUserMedia(constraints), new MediaRecorder(stream, options),
 * snapshots after the constructor, at start, after start(), at stop and after stop();
 * `start` is called as `startCall` says; after `duration` ms `stop()`; then the stop
 * event is awaited. `during(lab, rec, stream)` runs after start() returned.
 */
export async function record(lab, {
  constraints = { audio: true, video: true },
  options,
  start = ["", undefined, false],
  duration = 1200,
  during,
  beforeStart,
  stopWait = 3000,
} = {}) {
  const stream = await lab.gum(constraints);
  if (!stream) return null;
  const rec = lab.recorder(stream, options);
  if (!rec) return release(stream), null;
  lab.snapshot("constructed", rec);
  lab.on(rec, "start", (_e, r) => lab.snapshot("onstart", r));
  lab.on(rec, "stop", (_e, r) => lab.snapshot("onstop", r));
  if (beforeStart) await beforeStart(lab, rec, stream);
  const [label, value, given] = start;
  lab.call(`start(${label})`, () => (given ? rec.start(value) : rec.start()));
  lab.snapshot("started", rec);
  if (during) await during(lab, rec, stream);
  else await lab.wait(duration);
  if (rec.state !== "inactive") {
    lab.call("stop()", () => rec.stop());
    lab.snapshot("stopped", rec);
  }
  await lab.until(rec, "stop", stopWait);
  release(stream);
  return rec;
}
