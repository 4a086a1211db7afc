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
  assert.equal(trace.entries[0], entries[0], "entries are stored as given");
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
