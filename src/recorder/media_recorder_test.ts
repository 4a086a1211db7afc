// MediaRecorder: constructor steps 1–17, attributes, mimeType lifecycle, events from
// tasks, reentrancy, listener errors, black/silent frames, isolation of agents, determinism.
import assert from "node:assert/strict";
import { rig, sha256, thrownName, timeline } from "./_test_util.ts";
import { createUserAgent } from "../user_agent.ts";
import { MediaRecorder } from "./media_recorder.ts";
import { readWebm, recordedFrames, watchRecorder } from "../testing.ts";
import { trackInternals } from "../media/media_stream_track.ts";

Deno.test("constructor: WebIDL rejects a non-stream first argument with TypeError", () => {
  const ua = createUserAgent();
  for (const bad of [undefined, null, {}, "stream", ua.createAudioTrack()]) {
    assert.throws(() => new ua.MediaRecorder(bad as never), TypeError);
  }
  assert.equal(ua.trace.entries.filter((e) => e.kind === "call").length, 0);
});

Deno.test("constructor: options conversion errors are TypeErrors (enum, restricted double)", () => {
  const ua = createUserAgent();
  const stream = new ua.MediaStream([ua.createAudioTrack()]);
  assert.throws(
    () => new ua.MediaRecorder(stream, { audioBitrateMode: "fast" as never }),
    TypeError,
  );
  for (const d of [NaN, Infinity, -Infinity]) {
    assert.throws(
      () => new ua.MediaRecorder(stream, { videoKeyFrameIntervalDuration: d }),
      TypeError,
    );
  }
  assert.throws(() => new ua.MediaRecorder(stream, 5 as never), TypeError);
});

Deno.test("constructor step 4: an unsupported mimeType throws NotSupportedError", () => {
  const ua = createUserAgent();
  const stream = new ua.MediaStream([ua.createAudioTrack()]);
  for (
    const type of [
      "video/mp4",
      "audio/wav",
      "video/webm;codecs=vp8,vp9",
      "not a type",
      "audio/webm;codecs=vp8",
    ]
  ) {
    assert.equal(
      thrownName(() => new ua.MediaRecorder(stream, { mimeType: type })),
      "NotSupportedError",
      type,
    );
  }
  // the constructor defers codecs outside the synchronously exposed list (is type supported(type, true))
  assert.equal(
    new ua.MediaRecorder(stream, { mimeType: "video/webm;codecs=vp09.00.10.08" }).mimeType,
    "video/webm;codecs=vp09.00.10.08",
  );
  assert.equal(ua.MediaRecorder.isTypeSupported("video/webm;codecs=vp09.00.10.08"), false);
});

Deno.test("constructor steps 10–16: attributes start as the spec says", () => {
  const ua = createUserAgent();
  const stream = new ua.MediaStream([ua.createAudioTrack()]);
  const rec = new ua.MediaRecorder(stream);
  assert.equal(rec.stream, stream);
  assert.equal(rec.mimeType, "");
  assert.equal(rec.state, "inactive");
  assert.equal(rec.videoBitsPerSecond, 2_500_000);
  assert.equal(rec.audioBitsPerSecond, 128_000);
  assert.equal(rec.audioBitrateMode, "variable");
  const custom = new ua.MediaRecorder(stream, {
    mimeType: "audio/webm",
    audioBitsPerSecond: 64_000,
    videoBitsPerSecond: -1, // unsigned long: 4294967295
    audioBitrateMode: "constant",
  });
  assert.equal(custom.mimeType, "audio/webm");
  assert.equal(custom.audioBitsPerSecond, 64_000);
  assert.equal(custom.videoBitsPerSecond, 4294967295);
  assert.equal(custom.audioBitrateMode, "constant");
  // step 15: bitsPerSecond overrides the per-kind options
  const split = new ua.MediaRecorder(stream, {
    bitsPerSecond: 500_000,
    audioBitsPerSecond: 1,
    videoBitsPerSecond: 1,
  });
  assert.equal(split.audioBitsPerSecond + split.videoBitsPerSecond, 500_000);
  assert.equal(split.audioBitsPerSecond, 50_000);
});

Deno.test("the module-level MediaRecorder takes its agent from the stream; isTypeSupported works unbound", async () => {
  const ua = createUserAgent();
  const rec = new MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
  const watch = watchRecorder(rec, ua.clock);
  rec.start();
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(watch.types(), ["start", "dataavailable", "stop"]);
  assert.equal(MediaRecorder.isTypeSupported("video/webm;codecs=vp8,opus"), true);
  const other = createUserAgent();
  assert.throws(
    () => new other.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()])),
    /another user agent/,
  );
});

Deno.test("mimeType lifecycle: constructor value → extended at the start event → constructor value after Inactivate", async () => {
  const { ua, rec, watch } = rig({ recorder: { mimeType: "video/webm" } });
  const inStop: string[] = [];
  rec.onstop = () => inStop.push(rec.mimeType);
  rec.start(500);
  assert.equal(rec.mimeType, "video/webm");
  await ua.clock.advance(700);
  assert.equal(rec.mimeType, 'video/webm;codecs="vp8,opus"');
  rec.stop();
  assert.equal(rec.mimeType, "video/webm", "Inactivate step 1, synchronously in stop()");
  await ua.clock.settle();
  assert.deepEqual(inStop, ["video/webm"]);
  // e.data.type is the recording's MIME type for every chunk, the final one included,
  // although mimeType has reverted by then (decision 16, revised; lab timeslice/av-1000)
  assert.equal(watch.chunks[0]!.type, 'video/webm;codecs="vp8,opus"');
  assert.equal(watch.chunks.at(-1)!.type, 'video/webm;codecs="vp8,opus"');
});

Deno.test("every event comes from a task: nothing is dispatched inside a method call", async () => {
  const { ua, rec } = rig();
  let inCall = false;
  const during: string[] = [];
  for (const t of ["start", "stop", "pause", "resume", "dataavailable", "error"]) {
    rec.addEventListener(t, (e) => {
      if (inCall) during.push(e.type);
    });
  }
  const call = (f: () => void) => {
    inCall = true;
    try {
      f();
    } finally {
      inCall = false;
    }
  };
  call(() => rec.start(0));
  await ua.clock.advance(100);
  call(() => rec.pause());
  call(() => rec.requestData());
  call(() => rec.resume());
  call(() => rec.stop());
  await ua.clock.settle();
  assert.deepEqual(during, []);
  const tasks = ua.trace.ofKind("event").map((e) => e.task);
  assert.ok(tasks.every((t) => t > 0));
});

Deno.test("reentrancy: stop() inside ondataavailable, then start() inside onstop", async () => {
  const { ua, rec, watch } = rig();
  let restarted = false;
  rec.ondataavailable = () => {
    if (rec.state === "recording") rec.stop();
  };
  rec.onstop = () => {
    if (!restarted) {
      restarted = true;
      rec.start();
      assert.equal(rec.state, "recording");
    }
  };
  rec.start(200);
  await ua.clock.advance(1000);
  assert.deepEqual(timeline(watch), [
    "start@0",
    "dataavailable@200",
    "dataavailable@200",
    "stop@200",
    "start@200",
  ]);
  assert.equal(rec.state, "recording");
  rec.onstop = null;
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(watch.types().slice(-2), ["dataavailable", "stop"]);
});

Deno.test("reentrancy: pause() inside onstart, resume() inside onpause, requestData() inside onresume", async () => {
  const { ua, rec, watch } = rig();
  rec.onstart = () => rec.pause();
  rec.onpause = () => rec.resume();
  rec.onresume = () => rec.requestData();
  rec.start();
  await ua.clock.advance(100);
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(watch.types(), [
    "start",
    "pause",
    "resume",
    "dataavailable",
    "dataavailable",
    "stop",
  ]);
});

Deno.test("reentrancy: start() inside onerror of a failed recording starts a new one after the stop event", async () => {
  const { ua, rec, watch } = rig();
  rec.onerror = () => {
    assert.equal(rec.state, "inactive");
    rec.start();
  };
  rec.start();
  await ua.clock.advance(100);
  ua.failEncoder(rec);
  await ua.clock.advance(100);
  assert.deepEqual(watch.types(), ["start", "error", "dataavailable", "stop", "start"]);
  rec.onerror = null;
  rec.stop();
  await ua.clock.settle();
});

Deno.test("decision 15: a throwing listener does not stop dispatch or the recorder; advance() rethrows it after its work", async () => {
  const { ua, rec, watch } = rig();
  rec.addEventListener("dataavailable", () => {
    throw new Error("listener bug");
  });
  rec.start(100);
  await assert.rejects(
    ua.clock.advance(350),
    (e: unknown) => e instanceof AggregateError && e.errors.length === 3,
  );
  assert.equal(ua.clock.now(), 350, "the advance completed");
  assert.equal(
    watch.types().filter((t) => t === "dataavailable").length,
    3,
    "the watcher (a later listener) still saw every chunk",
  );
  assert.equal(ua.trace.ofKind("listener-error").length, 3);
  rec.stop();
  await assert.rejects(ua.clock.settle(), /listener bug/);
  assert.equal(watch.types().at(-1), "stop");
});

Deno.test("disabled and muted tracks record black frames and silence (spec start(): muted/disabled → black/silence)", async () => {
  const { ua, rec, watch, video, audio } = rig();
  rec.start();
  await ua.clock.advance(100);
  video.enabled = false;
  audio.setMuted(true);
  await ua.clock.advance(100);
  video.enabled = true;
  audio.setMuted(false);
  await ua.clock.advance(100);
  rec.stop();
  await ua.clock.settle();
  const file = readWebm(await watch.bytes());
  const blank = (b: { data: Uint8Array }) => (b.data[5]! & 2) !== 0; // synthetic payload flag: black/silent
  const v = file.blocks.filter((b) => b.track === 1);
  const a = file.blocks.filter((b) => b.track === 2);
  assert.deepEqual(v.map(blank), [false, false, false, true, true, true, false, false, false]);
  assert.deepEqual(a.map(blank), [
    false,
    false,
    false,
    false,
    false,
    true,
    true,
    true,
    true,
    true,
    false,
    false,
    false,
    false,
    false,
  ]);
  const runs = ua.trace.ofKind("frames").find((f) => f.track === "video#1")!.runs;
  assert.deepEqual(runs, [[0, 3, "recorded"], [3, 6, "black"], [6, 9, "recorded"]]);
});

Deno.test("two agents in one process never interfere (clocks, tasks, ids)", async () => {
  const a = rig({ ua: { seed: 7 } });
  const b = rig({ ua: { seed: 7 } });
  a.rec.start(100);
  await a.ua.clock.advance(250);
  b.rec.start(50);
  await b.ua.clock.advance(120);
  assert.equal(a.ua.clock.now(), 250);
  assert.equal(b.ua.clock.now(), 120);
  a.rec.stop();
  await a.ua.clock.settle();
  assert.equal(b.watch.types().includes("stop"), false);
  assert.deepEqual(timeline(a.watch), [
    "start@0",
    "dataavailable@100",
    "dataavailable@200",
    "dataavailable@250",
    "stop@250",
  ]);
  assert.deepEqual(timeline(b.watch), ["start@0", "dataavailable@60", "dataavailable@120"]);
  assert.equal(a.video.id, b.video.id, "ids come from each agent's own seeded generator");
  b.rec.stop();
  await b.ua.clock.settle();
});

async function scripted(seed: number): Promise<{ bytes: string; trace: string }> {
  const ua = createUserAgent({ seed });
  const video = ua.createVideoTrack({ frameRate: 24, jitterMs: 10, dropRate: 0.1 });
  const audio = ua.createAudioTrack({ channelCount: 2, signal: "noise" });
  const rec = new ua.MediaRecorder(new ua.MediaStream([video, audio]));
  const watch = watchRecorder(rec, ua.clock);
  rec.start(333);
  await ua.clock.advance(1000);
  rec.pause();
  await ua.clock.advance(250);
  rec.resume();
  video.enabled = false;
  await ua.clock.advance(700);
  rec.requestData();
  await ua.clock.advance(900);
  rec.stop();
  await ua.clock.settle();
  return {
    bytes: await sha256(await watch.bytes()),
    trace: await sha256(new TextEncoder().encode(ua.trace.toJSON())),
  };
}

Deno.test("determinism: the same seed gives the same bytes and the same trace (by hash); another seed differs", async () => {
  const first = await scripted(42);
  const again = await scripted(42);
  assert.deepEqual(again, first);
  const other = await scripted(43);
  assert.notEqual(other.bytes, first.bytes, "seeded jitter and drops change the recording");
});

Deno.test("recorded blocks are exactly the frames produced while recording (jitter, drops, pause)", async () => {
  const ua = createUserAgent({ seed: 5 });
  const video = ua.createVideoTrack({ frameRate: 25, jitterMs: 15, dropRate: 0.2 });
  const audio = ua.createAudioTrack({ frameSize: 480 });
  const rec = new ua.MediaRecorder(new ua.MediaStream([video, audio]));
  const watch = watchRecorder(rec, ua.clock);
  await ua.clock.advance(17);
  rec.start(250);
  await ua.clock.advance(1000);
  rec.pause();
  await ua.clock.advance(500);
  rec.resume();
  await ua.clock.advance(1000);
  rec.stop();
  await ua.clock.settle();
  const file = readWebm(await watch.bytes());
  // Independently of the session: the source's frames captured in [17, 1017) ∪ [1517, 2517), minus drops.
  const source = trackInternals(video).source;
  const inside = (t: number) => (t >= 17 && t < 1017) || (t >= 1517 && t < 2517);
  const expected: number[] = [];
  for (let i = 0; i < 200; i++) {
    if (inside(source.frameTime(i)) && !source.isDropped(i)) expected.push(i);
  }
  const recorded = recordedFrames(ua.trace).get("video#1")!;
  const dropped = ua.trace.ofKind("frames").find((f) => f.track === "video#1")!.runs.filter((r) =>
    r[2] === "dropped"
  );
  assert.ok(dropped.length > 0, "some frames were dropped by the source");
  assert.equal(file.blocks.filter((b) => b.track === 1).length, recorded.length);
  assert.equal(
    file.blocks.filter((b) => b.track === 2).length,
    recordedFrames(ua.trace).get("audio#1")!.length,
  );
  // audio: 10 ms frames in [17, 1017) and [1517, 2517): 20..101 and 152..251 → 100 + 100
  assert.equal(recordedFrames(ua.trace).get("audio#1")!.length, 200);
  // media timestamps never decrease and leave no gap for the pause
  const ts = file.blocks.map((b) => b.timestampMs);
  for (let i = 1; i < ts.length; i++) assert.ok(ts[i]! >= ts[i - 1]!);
  assert.ok(ts.at(-1)! < 2000 + 20, "2000 ms recorded, pause cut out");
  assert.deepEqual(recorded, expected);
});
