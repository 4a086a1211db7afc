// Trace (src/trace.ts): enabled/disabled recording, ofKind, toJSON; and the trace a
// user agent writes.
import assert from "node:assert/strict";
import { Trace, type TraceEntry } from "./trace.ts";
import { createUserAgent } from "./user_agent.ts";

const entries: TraceEntry[] = [
  { kind: "track", t: 0, target: "video#1", what: "created" },
  { kind: "listener-error", t: 5, error: "Error: boom" },
  { kind: "track", t: 10, target: "video#1", what: "ended" },
  {
    kind: "call",
    t: 12,
    target: "recorder#1",
    method: "start",
    args: [1000],
    outcome: { error: "InvalidStateError", message: "m" },
    state: ["recording", "recording"],
  },
];

Deno.test("an enabled trace (the default) appends entries in order", () => {
  const trace = new Trace();
  assert.equal(trace.enabled, true);
  assert.deepEqual(trace.entries, []);
  for (const e of entries) trace.add(e);
  assert.deepEqual(trace.entries, entries);
  assert.equal(trace.entries[0], trace.entries[0], "a held entries array is reused");
});

Deno.test("a disabled trace records nothing", () => {
  const trace = new Trace(false);
  assert.equal(trace.enabled, false);
  for (const e of entries) trace.add(e);
  assert.equal(trace.entries.length, 0);
  assert.deepEqual(trace.ofKind("track"), []);
  assert.deepEqual(JSON.parse(trace.toJSON()), { version: 1, entries: [] });
});

Deno.test("ofKind returns the entries of one kind, in order, as a new array", () => {
  const trace = new Trace();
  for (const e of entries) trace.add(e);
  const tracks = trace.ofKind("track");
  assert.deepEqual(tracks.map((e) => e.what), ["created", "ended"]);
  assert.equal(trace.ofKind("listener-error").length, 1);
  assert.equal(trace.ofKind("call")[0]!.method, "start");
  assert.deepEqual(trace.ofKind("chunk"), []);
  tracks.pop();
  assert.equal(trace.ofKind("track").length, 2, "the result is a copy");
});

Deno.test("toJSON is a JSON document { version: 1, entries } that round-trips the entries", () => {
  const trace = new Trace();
  for (const e of entries) trace.add(e);
  const json = trace.toJSON();
  assert.equal(typeof json, "string");
  assert.deepEqual(JSON.parse(json), { version: 1, entries });
});

Deno.test("a user agent traces track creation and changes; with trace: false it records nothing", async () => {
  const ua = createUserAgent();
  assert.equal(ua.trace.enabled, true);
  const t = ua.createVideoTrack();
  await ua.clock.advance(40);
  t.end();
  assert.deepEqual(
    ua.trace.ofKind("track").map((e) => [e.t, e.target, e.what]),
    [[0, "video#1", "created"], [40, "video#1", "ended"]],
  );
  ua.close();

  const quiet = createUserAgent({ trace: false });
  assert.equal(quiet.trace.enabled, false);
  const q = quiet.createAudioTrack();
  q.end();
  await quiet.clock.settle();
  assert.equal(quiet.trace.entries.length, 0);
  quiet.close();
});

Deno.test("entries round-trip through the compact store: numbers, strings, null, pairs, runs, refs", () => {
  const trace = new Trace();
  const given: TraceEntry[] = [
    {
      kind: "chunk",
      t: 33.333333333333336,
      target: "recorder#1",
      recording: 1,
      index: 0,
      size: 2 ** 40,
      timecode: -0,
      reason: "timeslice",
      blocks: 3,
      media: [0, 66.66666666666667],
      capture: null,
    },
    {
      kind: "event",
      t: 5,
      target: "recorder#1",
      type: "dataavailable",
      task: 7,
      size: 10,
      blobType: "vidéo/webm ✓",
    },
    {
      kind: "frames",
      t: 9,
      target: "recorder#1",
      recording: 1,
      track: "video#1",
      runs: [[0, 3, "recorded"], [3, 5, "paused"], [5, 6, "black"]],
    },
    { kind: "track", t: 0, target: "audio#1", what: "created", settings: { sampleRate: 48000 } },
    {
      kind: "event",
      t: 6,
      target: "recorder#1",
      type: "stop",
      task: 8,
      state: undefined,
    } as unknown as TraceEntry,
  ];
  for (const e of given) trace.add(e);
  assert.deepEqual(trace.entries, given);
  assert.ok(Object.is((trace.at(0) as { timecode: number }).timecode, -0));
  assert.deepEqual(trace.at(-1), given[4]);
  assert.equal(trace.at(5), undefined);
  assert.deepEqual([...trace], given);
  assert.deepEqual(trace.ofKind("event"), [given[1], given[4]]);
  assert.equal(JSON.stringify(JSON.parse(trace.toJSON()).entries), JSON.stringify(given));
  assert.equal(trace.length, 5);
});

Deno.test("a chunk costs tens of bytes in the store, not an object", () => {
  const trace = new Trace();
  for (let i = 0; i < 10_000; i++) {
    trace.add({
      kind: "chunk",
      t: i * 100,
      target: "recorder#1",
      recording: 1,
      index: i,
      size: 33_000,
      timecode: i * 100 + 0.5,
      reason: "timeslice",
      blocks: 8,
      media: [i * 100, i * 100 + 99.5],
      capture: [i * 100, i * 100 + 99.5],
    });
  }
  assert.ok(trace.bytes < 10_000 * 100, `${trace.bytes} bytes`);
  assert.equal(trace.entries[9_999]!.t, 999_900);
});

Deno.test("a sink receives every entry; the window keeps the last entries in memory", () => {
  const seen: TraceEntry[] = [];
  const trace = new Trace({ sink: (e) => seen.push(e), window: 10 });
  for (let i = 0; i < 10_000; i++) trace.add({ kind: "listener-error", t: i, error: `e${i % 3}` });
  assert.equal(seen.length, 10_000);
  assert.equal(trace.total, 10_000);
  assert.ok(trace.length >= 10 && trace.length < 10 + 4096, String(trace.length));
  assert.equal(trace.dropped + trace.length, 10_000);
  assert.deepEqual(trace.at(-1), { kind: "listener-error", t: 9_999, error: "e0" });
  assert.equal(trace.entries[0]!.t, trace.dropped);
  const first = trace.entries;
  for (let i = 10_000; i < 20_000; i++) trace.add({ kind: "listener-error", t: i, error: "x" });
  assert.equal(trace.entries.at(-1)!.t, 19_999);
  assert.equal(trace.entries[0]!.t, trace.dropped);
  assert.ok(first.length < 20_000);
});

Deno.test("ndjsonSink writes one JSON entry per line, in buffers, and flushes on ua.close()", async () => {
  const { ndjsonSink } = await import("./trace.ts");
  const parts: Uint8Array[] = [];
  const ua = createUserAgent({
    trace: { sink: ndjsonSink((b) => parts.push(b.slice()), { bufferBytes: 1024 }) },
  });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack()]));
  rec.start(100);
  await ua.clock.advance(2000);
  rec.stop();
  await ua.clock.settle();
  ua.close();
  const expected = ua.trace.total;
  assert.ok(parts.length > 1, "the buffer was written more than once");
  const text = new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p])));
  const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, expected);
  assert.deepEqual(lines.slice(-ua.trace.length), JSON.parse(ua.trace.toJSON()).entries);
});
