// The conformance lab's observation logger. Plain browser JavaScript with no imports and no
// host-specific API: the same file runs in a page in Chromium or Firefox and on recsim
// (through installGlobals and fake timers), so a scenario's log means the same in both.
//
// A scenario is `async (lab) => { ... }` written against the web API. It calls the
// recorder through `lab.call()`, creates recorders with `lab.recorder()` and streams with
// `lab.gum()` so that their events are logged, takes attribute snapshots with
// `lab.snapshot()`, and waits with `lab.wait()` (a plain setTimeout). Times are
// milliseconds since just before the scenario's first `start()` call.

/** The standard global name of each event interface the lab checks `instanceof` against. */
const INTERFACES = [
  "BlobEvent",
  "MediaRecorderErrorEvent",
  "ErrorEvent",
  "MediaStreamTrackEvent",
  "Event",
];

/** Hex of the first `n` bytes. */
function hex(bytes, n) {
  let s = "";
  for (let i = 0; i < Math.min(n, bytes.length); i++) {
    s += bytes[i].toString(16).padStart(2, "0");
  }
  return s;
}

/** The name of an exception: a DOMException's or an Error's name, else its type. */
export function exceptionName(e) {
  if (e && typeof e === "object" && typeof e.name === "string") return e.name;
  return typeof e;
}

/** Base64 of bytes, without host APIs beyond btoa. */
function base64(bytes) {
  let s = "";
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + step));
  }
  return btoa(s);
}

/**
 * Creates a lab: the object a scenario receives.
 *
 * @param {{ now?: () => number }} [options]
 */
export function createLab(options = {}) {
  const now = options.now ?? (() => performance.now());
  const log = [];
  let t0 = null;
  const recorders = [];
  const names = new Map();
  const trackCount = { audio: 0, video: 0 };
  let streamCount = 0;

  const time = () => (t0 === null ? null : Math.round((now() - t0) * 10) / 10);

  function nameOf(target) {
    return names.get(target) ?? "?";
  }

  function interfaceOf(e) {
    const ctor = e && e.constructor ? e.constructor.name : typeof e;
    const instances = INTERFACES.filter((n) =>
      typeof globalThis[n] === "function" && e instanceof globalThis[n]
    );
    return { iface: ctor, instanceOf: instances };
  }

  function recorderState(rec) {
    return { state: rec.state, mimeType: rec.mimeType };
  }

  function watchRecorder(rec, name) {
    const entry = { name, chunks: [], blobs: [] };
    recorders.push(entry);
    for (const type of ["start", "stop", "pause", "resume", "dataavailable", "error"]) {
      rec.addEventListener(type, (e) => {
        const item = {
          k: "event",
          on: name,
          type,
          t: time(),
          ...interfaceOf(e),
          ...recorderState(rec),
        };
        if (type === "dataavailable") {
          const data = e.data;
          item.size = data ? data.size : null;
          item.blobType = data ? data.type : null;
          item.timecode = "timecode" in e ? e.timecode : "absent";
          entry.chunks.push(item.size);
          entry.blobs.push(data);
        }
        if (type === "error") {
          item.error = e.error ? exceptionName(e.error) : null;
        }
        log.push(item);
        const hooks = entry.hooks?.[type];
        if (hooks) { for (const h of hooks) h(e, rec); }
      });
    }
    return entry;
  }

  function watchStream(stream, name) {
    names.set(stream, name);
    for (const type of ["addtrack", "removetrack", "active", "inactive"]) {
      stream.addEventListener(type, (e) => {
        log.push({
          k: "event",
          on: name,
          type,
          t: time(),
          ...interfaceOf(e),
          track: e.track ? nameOf(e.track) : undefined,
        });
      });
    }
  }

  function watchTrack(track) {
    if (names.has(track)) return names.get(track);
    const kind = track.kind;
    const name = trackCount[kind] === 0 ? kind : `${kind}${trackCount[kind]}`;
    trackCount[kind]++;
    names.set(track, name);
    for (const type of ["ended", "mute", "unmute"]) {
      track.addEventListener(type, () => {
        log.push({ k: "event", on: name, type, t: time(), readyState: track.readyState });
      });
    }
    return name;
  }

  const lab = {
    /** The log so far. */
    log,
    /** Calls `fn`, logging its result (if a primitive) or the exception's name. */
    call(name, fn) {
      if (t0 === null && /^(rec\d*\.)?start\(/.test(name)) t0 = now();
      const item = { k: "call", name, t: time() };
      log.push(item);
      try {
        const value = fn();
        if (value === undefined || value === null || typeof value !== "object") {
          item.result = value === undefined ? "undefined" : value;
        } else item.result = "object";
        return value;
      } catch (e) {
        item.exception = exceptionName(e);
        return undefined;
      }
    },
    /** `navigator.mediaDevices.getUserMedia(constraints)`, logged with each track's settings. */
    async gum(constraints, name = "stream") {
      const item = { k: "call", name: `getUserMedia(${JSON.stringify(constraints)})`, t: time() };
      log.push(item);
      try {
        const stream = await navigator.mediaDevices.getUserMedia(constraints);
        item.result = "MediaStream";
        item.tracks = stream.getTracks().map((t) => {
          const s = t.getSettings();
          const settings = {};
          for (
            const key of ["width", "height", "frameRate", "sampleRate", "channelCount"]
          ) if (typeof s[key] === "number") settings[key] = s[key];
          return { kind: t.kind, name: watchTrack(t), settings };
        });
        watchStream(stream, name);
        return stream;
      } catch (e) {
        item.exception = exceptionName(e);
        if (e && e.name === "OverconstrainedError") item.constraint = e.constraint;
        return null;
      }
    },
    /** Names and watches a stream made by the scenario (`new MediaStream(...)`). */
    stream(stream, name = `stream${++streamCount}`) {
      for (const t of stream.getTracks()) watchTrack(t);
      watchStream(stream, name);
      return stream;
    },
    /** Names and watches a track (e.g. a clone). */
    track(track) {
      watchTrack(track);
      return track;
    },
    /** `new MediaRecorder(stream, options)`, logged; the recorder's events are logged. */
    recorder(
      stream,
      options,
      name = recorders.length === 0 ? "rec" : `rec${recorders.length + 1}`,
    ) {
      const label = options === undefined
        ? `new MediaRecorder(${nameOf(stream)})`
        : `new MediaRecorder(${nameOf(stream)}, ${JSON.stringify(options)})`;
      const item = { k: "call", name: label, t: time() };
      log.push(item);
      try {
        const rec = options === undefined
          ? new MediaRecorder(stream)
          : new MediaRecorder(stream, options);
        item.result = "MediaRecorder";
        const entry = watchRecorder(rec, name);
        rec.__lab = entry;
        return rec;
      } catch (e) {
        item.exception = exceptionName(e);
        return null;
      }
    },
    /** Runs `fn(event, rec)` inside each `type` event of `rec`, after it is logged. */
    on(rec, type, fn) {
      const entry = rec.__lab;
      entry.hooks ??= {};
      (entry.hooks[type] ??= []).push(fn);
    },
    /** Logs `rec`'s attributes at a named point. */
    snapshot(label, rec) {
      log.push({
        k: "snapshot",
        label,
        t: time(),
        state: rec.state,
        mimeType: rec.mimeType,
        videoBitsPerSecond: rec.videoBitsPerSecond,
        audioBitsPerSecond: rec.audioBitsPerSecond,
        audioBitrateMode: rec.audioBitrateMode,
      });
    },
    /** Logs a value at a named point (e.g. `MediaRecorder.isTypeSupported(t)`). */
    note(label, value) {
      log.push({ k: "note", label, value });
    },
    /** Waits `ms` milliseconds on the host's `setTimeout`. */
    wait(ms) {
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
    /** Waits until `rec` fires `type` (resolves true) or `ms` pass (false, logged). */
    until(rec, type, ms = 3000) {
      return new Promise((resolve) => {
        let done = false;
        const timer = setTimeout(() => {
          if (done) return;
          done = true;
          log.push({ k: "timeout", on: rec.__lab.name, type, t: time() });
          resolve(false);
        }, ms);
        rec.addEventListener(type, () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve(true);
        }, { once: true });
      });
    },
    /** Records an exception that escaped the scenario. */
    fail(e) {
      log.push({ k: "crash", error: exceptionName(e), message: String(e && e.message) });
    },
    /**
     * Ends the observation: the log, and per recorder its chunk sizes, the first bytes of
     * its first non-empty chunk, and (with `bytes`) the base64 of all chunks concatenated.
     */
    async finish({ bytes = false } = {}) {
      const out = [];
      for (const r of recorders) {
        const first = r.blobs.find((b) => b && b.size > 0);
        const head = first ? hex(new Uint8Array(await first.slice(0, 4).arrayBuffer()), 4) : null;
        const item = { name: r.name, chunks: r.chunks, head };
        if (bytes && r.blobs.length > 0) {
          const all = new Uint8Array(await new Blob(r.blobs).arrayBuffer());
          if (all.length <= 4_000_000) item.bytes = base64(all);
        }
        out.push(item);
      }
      return { log, recorders: out };
    },
  };
  return lab;
}
