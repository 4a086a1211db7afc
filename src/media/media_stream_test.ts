// MediaStream (src/media/media_stream.ts) through createUserAgent(): constructor forms,
// track accessors, script vs user-agent track-set changes (Media Capture and Streams
// §4.3: addTrack/removeTrack fire no events; the UA fires addtrack/removetrack in a task).
import assert from "node:assert/strict";
import { createUserAgent } from "../user_agent.ts";
import { MediaStream } from "./media_stream.ts";
import { MediaStreamTrackEvent } from "../events/media_stream_track_event.ts";
import { HarnessError } from "../errors.ts";

const StreamAny = (ctor: unknown) => ctor as new (...args: unknown[]) => MediaStream;

Deno.test("new ua.MediaStream() creates an empty, inactive stream with a hex id", () => {
  const ua = createUserAgent();
  const s = new ua.MediaStream();
  assert.deepEqual(s.getTracks(), []);
  assert.equal(s.active, false);
  assert.match(s.id, /^[0-9a-f]{32}$/);
  assert.ok(s instanceof MediaStream);
  assert.ok(s instanceof EventTarget);
  assert.notEqual(new ua.MediaStream().id, s.id);
  ua.close();
});

Deno.test("stream ids are deterministic per seed", () => {
  const ids = (seed: number) => {
    const ua = createUserAgent({ seed });
    const out = [new ua.MediaStream().id, new ua.MediaStream([ua.createAudioTrack()]).id];
    ua.close();
    return out;
  };
  assert.deepEqual(ids(4), ids(4));
  assert.notDeepEqual(ids(4), ids(5));
});

Deno.test("new MediaStream(tracks) keeps the given order and drops duplicates; new MediaStream(stream) shares its tracks", () => {
  const ua = createUserAgent();
  const a = ua.createAudioTrack();
  const v = ua.createVideoTrack();
  const s = new ua.MediaStream([a, v, a]);
  assert.deepEqual(s.getTracks(), [a, v]);
  assert.equal(s.active, true);
  const copy = new ua.MediaStream(s);
  assert.deepEqual(copy.getTracks(), [a, v]);
  assert.equal(copy.getTracks()[0], a, "the same track objects, not clones");
  assert.notEqual(copy.id, s.id);
  // The copy's track set is its own.
  copy.removeTrack(a);
  assert.deepEqual(s.getTracks(), [a, v]);
  ua.close();
});

Deno.test("the module-level MediaStream takes its agent from the tracks, but cannot make an empty stream", () => {
  const ua = createUserAgent();
  const t = ua.createVideoTrack();
  const s = new MediaStream([t]);
  assert.deepEqual(s.getTracks(), [t]);
  assert.throws(() => new MediaStream(), TypeError);
  assert.throws(() => new MediaStream([]), TypeError);
  // The agent's class works with no tracks.
  assert.equal(new ua.MediaStream([]).getTracks().length, 0);
  ua.close();
});

Deno.test("the MediaStream constructor throws TypeError for an argument that is neither a stream nor tracks", () => {
  const ua = createUserAgent();
  const Ctor = StreamAny(ua.MediaStream);
  for (
    const bad of [null, 42, "abc", {}, [1], [{}], [ua.createVideoTrack(), "x"], new EventTarget()]
  ) {
    assert.throws(() => new Ctor(bad), TypeError, String(bad));
  }
  ua.close();
});

Deno.test("WebIDL sequence<MediaStreamTrack>: any iterable of tracks is accepted", {
  // Regression (fixed): src/media/media_stream.ts:82 (`Array.isArray(streamOrTracks)`) — WebIDL converts a
  // `sequence<MediaStreamTrack>` argument from any iterable object, so `new MediaStream(new
  // Set([track]))` works in browsers; recsim throws a TypeError. Suggested fix: accept any
  // object with a callable Symbol.iterator (`[...iterable]`) after the isStream check.
}, () => {
  const ua = createUserAgent();
  const t = ua.createVideoTrack();
  const Ctor = StreamAny(ua.MediaStream);
  assert.deepEqual(new Ctor(new Set([t])).getTracks(), [t]);
  ua.close();
});

Deno.test("tracks of another agent are a HarnessError (constructor, addTrack, addTrackToStream)", () => {
  const ua = createUserAgent();
  const other = createUserAgent();
  const foreign = other.createVideoTrack();
  const mine = ua.createAudioTrack();
  assert.throws(() => new ua.MediaStream([foreign]), HarnessError);
  assert.throws(() => new ua.MediaStream([mine, foreign]), HarnessError);
  assert.throws(() => new MediaStream([mine, foreign]), HarnessError);
  assert.throws(() => new ua.MediaStream(new other.MediaStream([foreign])), HarnessError);
  const s = new ua.MediaStream([mine]);
  assert.throws(() => s.addTrack(foreign), HarnessError);
  assert.throws(() => s.removeTrack(foreign), HarnessError);
  assert.throws(() => ua.addTrackToStream(s, foreign), HarnessError);
  assert.throws(() => ua.removeTrackFromStream(s, foreign), HarnessError);
  assert.deepEqual(s.getTracks(), [mine]);
  ua.close();
  other.close();
});

Deno.test("getAudioTracks/getVideoTracks filter by kind in order; getTrackById finds a track or returns null", () => {
  const ua = createUserAgent();
  const v1 = ua.createVideoTrack();
  const a1 = ua.createAudioTrack();
  const v2 = ua.createVideoTrack();
  const a2 = ua.createAudioTrack();
  const s = new ua.MediaStream([v1, a1, v2, a2]);
  assert.deepEqual(s.getTracks(), [v1, a1, v2, a2]);
  assert.deepEqual(s.getVideoTracks(), [v1, v2]);
  assert.deepEqual(s.getAudioTracks(), [a1, a2]);
  assert.equal(s.getTrackById(v2.id), v2);
  assert.equal(s.getTrackById(a1.id), a1);
  assert.equal(s.getTrackById("nope"), null);
  assert.equal(s.getTrackById(ua.createAudioTrack().id), null, "a track not in the stream");
  // getTracks returns a new array each time.
  s.getTracks().pop();
  assert.equal(s.getTracks().length, 4);
  ua.close();
});

Deno.test("addTrack/removeTrack change the set, are no-ops for duplicates/missing, and fire no events", async () => {
  const ua = createUserAgent();
  const a = ua.createAudioTrack();
  const v = ua.createVideoTrack();
  const s = new ua.MediaStream([a]);
  let events = 0;
  s.onaddtrack = () => events++;
  s.onremovetrack = () => events++;
  s.addEventListener("addtrack", () => events++);
  s.addEventListener("removetrack", () => events++);
  s.addTrack(v);
  s.addTrack(v);
  s.addTrack(a);
  assert.deepEqual(s.getTracks(), [a, v]);
  s.removeTrack(a);
  s.removeTrack(a);
  assert.deepEqual(s.getTracks(), [v]);
  s.addTrack(a);
  assert.deepEqual(s.getTracks(), [v, a], "a re-added track goes to the end");
  await ua.clock.advance(100);
  assert.equal(events, 0);
  const changes = ua.trace.ofKind("track").filter((e) =>
    e.what === "added" || e.what === "removed"
  );
  assert.deepEqual(
    changes.map((e) => e.what),
    ["added", "removed", "added"],
    "no-ops are not traced",
  );
  ua.close();
});

Deno.test("addTrack/removeTrack of a non-track throw TypeError", () => {
  const ua = createUserAgent();
  const s = new ua.MediaStream();
  assert.throws(() => s.addTrack({} as never), TypeError);
  assert.throws(() => s.removeTrack(null as never), TypeError);
  assert.throws(() => ua.addTrackToStream(s, "x" as never), TypeError);
  ua.close();
});

Deno.test("ua.addTrackToStream/removeTrackFromStream fire addtrack/removetrack (MediaStreamTrackEvent) in a task", async () => {
  const ua = createUserAgent();
  const a = ua.createAudioTrack();
  const v = ua.createVideoTrack();
  const s = new ua.MediaStream([a]);
  const seen: string[] = [];
  const events: MediaStreamTrackEvent[] = [];
  s.onaddtrack = function (this: MediaStream, e) {
    assert.equal(this, s);
    events.push(e as MediaStreamTrackEvent);
    seen.push(`onaddtrack ${e.track.kind}`);
  };
  s.addEventListener("removetrack", (e) => {
    events.push(e as MediaStreamTrackEvent);
    seen.push(`removetrack ${(e as MediaStreamTrackEvent).track.kind}`);
  });
  ua.addTrackToStream(s, v);
  assert.deepEqual(s.getTracks(), [a, v], "the set changes at once");
  assert.deepEqual(seen, [], "the event is not synchronous");
  ua.removeTrackFromStream(s, a);
  assert.deepEqual(s.getTracks(), [v]);
  await ua.clock.settle();
  assert.deepEqual(seen, ["onaddtrack video", "removetrack audio"]);
  assert.ok(events[0] instanceof MediaStreamTrackEvent);
  assert.ok(events[0] instanceof Event);
  assert.equal(events[0]!.track, v);
  assert.equal(events[1]!.track, a);
  assert.equal(events[0]!.type, "addtrack");
  // No-ops fire nothing.
  ua.addTrackToStream(s, v);
  ua.removeTrackFromStream(s, a);
  await ua.clock.settle();
  assert.equal(seen.length, 2);
  ua.close();
});

Deno.test("MediaStreamTrackEvent requires a track", () => {
  const Ctor = MediaStreamTrackEvent as unknown as new (...args: unknown[]) => Event;
  assert.throws(() => new Ctor("addtrack"), TypeError);
  assert.throws(() => new Ctor("addtrack", {}), TypeError);
});

Deno.test("active is false once every track has ended (by stop() or end())", () => {
  const ua = createUserAgent();
  const a = ua.createAudioTrack();
  const v = ua.createVideoTrack();
  const s = new ua.MediaStream([a, v]);
  assert.equal(s.active, true);
  a.stop();
  assert.equal(s.active, true, "one live track keeps the stream active");
  v.end();
  assert.equal(s.active, false);
  assert.equal(s.getTracks().length, 2, "ended tracks stay in the set");
  ua.close();
});

Deno.test("clone() makes a new stream of the same class with clones of the tracks, in order", () => {
  const ua = createUserAgent();
  const a = ua.createAudioTrack();
  const v = ua.createVideoTrack();
  v.enabled = false;
  const s = new ua.MediaStream([a, v]);
  const c = s.clone();
  assert.notEqual(c, s);
  assert.notEqual(c.id, s.id);
  assert.equal(c.constructor, ua.MediaStream);
  const tracks = c.getTracks();
  assert.equal(tracks.length, 2);
  assert.deepEqual(tracks.map((t) => t.kind), ["audio", "video"]);
  assert.notEqual(tracks[0], a);
  assert.notEqual(tracks[0]!.id, a.id);
  assert.equal(tracks[1]!.enabled, false);
  assert.deepEqual(tracks[1]!.getSettings(), v.getSettings());
  // The clone of an empty agent stream works (it uses the agent's class).
  assert.equal(new ua.MediaStream().clone().getTracks().length, 0);
  ua.close();
});

Deno.test("stream activity events: chrome fires inactive when the last track ends or leaves, active when a live track joins (lab tracks/stream-inactive-on-stop, tracks/remove-all-then-add)", async () => {
  for (const profile of ["chrome", "spec"] as const) {
    const ua = createUserAgent({ profile });
    const audio = ua.createAudioTrack();
    const video = ua.createVideoTrack();
    const stream = new ua.MediaStream([audio, video]);
    const seen: string[] = [];
    for (const type of ["active", "inactive"]) {
      stream.addEventListener(type, () => seen.push(`${type}@${ua.clock.now()}`));
    }
    audio.stop();
    await ua.clock.advance(10);
    assert.equal(seen.length, 0, "one live track left: still active");
    video.stop();
    assert.equal(seen.length, 0, "the event comes from a task, not from stop()");
    await ua.clock.advance(10);
    const mixed = new ua.MediaStream([ua.createAudioTrack()]);
    const t = mixed.getTracks()[0]!;
    mixed.addEventListener("inactive", () => seen.push("mixed inactive"));
    mixed.addEventListener("active", () => seen.push("mixed active"));
    mixed.removeTrack(t);
    await ua.clock.settle();
    mixed.addTrack(t);
    await ua.clock.settle();
    assert.deepEqual(
      seen,
      profile === "chrome" ? ["inactive@10", "mixed inactive", "mixed active"] : [],
      profile,
    );
    ua.close();
  }
});
