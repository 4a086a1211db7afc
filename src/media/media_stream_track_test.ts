// MediaStreamTrack (src/media/media_stream_track.ts) through createUserAgent(): not
// constructible, ids, ended/mute/unmute events in tasks (Media Capture and Streams),
// enabled, clone().
import assert from "node:assert/strict";
import { createUserAgent } from "../user_agent.ts";
import { MediaStreamTrack } from "./media_stream_track.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

Deno.test("MediaStreamTrack is not constructible: new ua.MediaStreamTrack() throws TypeError", () => {
  const ua = createUserAgent();
  const Ctor = ua.MediaStreamTrack as unknown as new () => unknown;
  assert.throws(() => new Ctor(), TypeError);
  assert.throws(
    () => new (MediaStreamTrack as unknown as new () => unknown)(),
    /Illegal constructor/,
  );
  // A failed construction does not leave state behind: the next direct call throws too.
  assert.throws(() => new Ctor(), TypeError);
  assert.equal(ua.MediaStreamTrack, MediaStreamTrack);
  assert.ok(ua.createVideoTrack() instanceof ua.MediaStreamTrack);
  assert.ok(ua.createVideoTrack() instanceof EventTarget);
  ua.close();
});

Deno.test("track ids are UUID-shaped (version 4, RFC 4122 variant), distinct, and deterministic per seed", () => {
  const ids = (seed: number) => {
    const ua = createUserAgent({ seed });
    const out = [ua.createVideoTrack().id, ua.createAudioTrack().id, ua.createVideoTrack().id];
    ua.close();
    return out;
  };
  const a = ids(1);
  for (const id of a) assert.match(id, UUID);
  assert.equal(new Set(a).size, 3, "tracks of one agent have different ids");
  assert.deepEqual(ids(1), a, "same seed, same ids");
  const b = ids(2);
  for (let i = 0; i < 3; i++) assert.notEqual(b[i], a[i], "another seed, other ids");
});

Deno.test("a new track is live, enabled, unmuted, with an empty contentHint", () => {
  const ua = createUserAgent();
  const t = ua.createAudioTrack();
  assert.equal(t.readyState, "live");
  assert.equal(t.enabled, true);
  assert.equal(t.muted, false);
  assert.equal(t.contentHint, "");
  assert.equal(t.onended, null);
  assert.equal(t.onmute, null);
  assert.equal(t.onunmute, null);
  ua.close();
});

Deno.test("end(): readyState is 'ended' at once, the ended event fires later in a task", async () => {
  const ua = createUserAgent();
  const t = ua.createVideoTrack();
  const seen: string[] = [];
  t.onended = function (this: MediaStreamTrack, e: Event) {
    assert.equal(this, t);
    seen.push(`onended ${e.type} ${t.readyState}`);
  };
  t.addEventListener("ended", () => seen.push("listener"));
  await ua.clock.advance(100);
  t.end();
  assert.equal(t.readyState, "ended");
  assert.deepEqual(seen, [], "not dispatched synchronously");
  await Promise.resolve();
  assert.deepEqual(seen, [], "not dispatched in a microtask either");
  await ua.clock.settle();
  assert.deepEqual(seen, ["onended ended ended", "listener"]);
  assert.equal(ua.clock.now(), 100);
  // Ending again is a no-op: no second event.
  t.end();
  await ua.clock.advance(10);
  assert.equal(seen.length, 2);
  ua.close();
});

Deno.test("stop(): readyState 'ended' and no ended event; end() after stop() does nothing", async () => {
  const ua = createUserAgent();
  const t = ua.createAudioTrack();
  let ended = 0;
  t.onended = () => ended++;
  t.stop();
  assert.equal(t.readyState, "ended");
  t.end();
  t.stop();
  await ua.clock.advance(1000);
  assert.equal(ended, 0);
  const whats = ua.trace.ofKind("track").map((e) => e.what);
  assert.deepEqual(whats, ["created", "stopped"]);
  ua.close();
});

Deno.test("setMuted(): muted changes at once; mute/unmute events fire in tasks, repeated values fire nothing", async () => {
  const ua = createUserAgent();
  const t = ua.createVideoTrack();
  const seen: string[] = [];
  t.onmute = (e) => seen.push(`${e.type} muted=${t.muted}`);
  t.onunmute = (e) => seen.push(`${e.type} muted=${t.muted}`);
  t.setMuted(true);
  assert.equal(t.muted, true);
  assert.deepEqual(seen, []);
  t.setMuted(true); // already muted
  await ua.clock.settle();
  assert.deepEqual(seen, ["mute muted=true"]);
  t.setMuted(false);
  assert.equal(t.muted, false);
  await ua.clock.settle();
  assert.deepEqual(seen, ["mute muted=true", "unmute muted=false"]);
  ua.close();
});

Deno.test("setMuted() on an ended track changes nothing and fires nothing", async () => {
  const ua = createUserAgent();
  const t = ua.createAudioTrack();
  let events = 0;
  t.addEventListener("mute", () => events++);
  t.stop();
  t.setMuted(true);
  assert.equal(t.muted, false);
  await ua.clock.settle();
  assert.equal(events, 0);
  ua.close();
});

Deno.test("enabled toggles synchronously with Boolean conversion, fires no event, and is traced", async () => {
  const ua = createUserAgent();
  const t = ua.createVideoTrack();
  let events = 0;
  for (const type of ["mute", "unmute", "ended"]) t.addEventListener(type, () => events++);
  t.enabled = false;
  assert.equal(t.enabled, false);
  t.enabled = 1 as unknown as boolean;
  assert.equal(t.enabled, true);
  t.enabled = "" as unknown as boolean;
  assert.equal(t.enabled, false);
  t.enabled = false; // unchanged: not traced again
  await ua.clock.settle();
  assert.equal(events, 0);
  const whats = ua.trace.ofKind("track").map((e) => e.what);
  assert.deepEqual(whats, ["created", "disabled", "enabled", "disabled"]);
  ua.close();
});

Deno.test("clone(): new id, same kind/label/settings, copies enabled, muted and readyState", () => {
  const ua = createUserAgent();
  const t = ua.createVideoTrack({ width: 160, height: 120, label: "cam" });
  t.enabled = false;
  t.setMuted(true);
  const c = t.clone();
  assert.notEqual(c, t);
  assert.notEqual(c.id, t.id);
  assert.match(c.id, UUID);
  assert.equal(c.kind, "video");
  assert.equal(c.label, "cam");
  assert.deepEqual(c.getSettings(), t.getSettings(), "clones share the source");
  assert.equal(c.enabled, false);
  assert.equal(c.muted, true);
  assert.equal(c.readyState, "live");
  // Clones are independent afterwards.
  c.enabled = true;
  assert.equal(t.enabled, false);
  t.stop();
  assert.equal(c.readyState, "live");
  const ended = t.clone();
  assert.equal(ended.readyState, "ended");
  ua.close();
});

Deno.test("contentHint stores a string; applyConstraints stores constraints and resolves", async () => {
  const ua = createUserAgent();
  const t = ua.createVideoTrack();
  t.contentHint = "motion";
  assert.equal(t.contentHint, "motion");
  assert.deepEqual(t.getConstraints(), {});
  await t.applyConstraints({ width: 640 });
  assert.deepEqual(t.getConstraints(), { width: 640 });
  assert.equal(t.getSettings().width, 320, "the virtual source keeps its one mode");
  ua.close();
});

Deno.test("a throwing track listener does not stop others; advance() rethrows it and the trace records it", async () => {
  const ua = createUserAgent();
  const t = ua.createAudioTrack();
  const boom = new Error("listener failed");
  let second = false;
  t.addEventListener("ended", () => {
    throw boom;
  });
  t.addEventListener("ended", () => (second = true));
  t.end();
  await assert.rejects(ua.clock.settle(), (e) => e === boom);
  assert.ok(second);
  const errors = ua.trace.ofKind("listener-error");
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.error, "Error: listener failed");
  ua.close();
});

Deno.test("ua.close() stops every track without ended events", async () => {
  const ua = createUserAgent();
  const a = ua.createVideoTrack();
  const b = ua.createAudioTrack();
  let ended = 0;
  a.onended = () => ended++;
  b.onended = () => ended++;
  ua.close();
  assert.equal(a.readyState, "ended");
  assert.equal(b.readyState, "ended");
  await ua.clock.advance(100);
  assert.equal(ended, 0);
});
