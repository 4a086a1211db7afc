// The libav.js encoder behind the recorder (issue 3): every supported type decodes back to
// exactly the frames and samples recorded; chunking never changes the stream; pause,
// disabled tracks, requestData and every termination path; a WASM trap; determinism.
import assert from "node:assert/strict";
import { createUserAgent, type UserAgent } from "../../user_agent.ts";
import type { MediaRecorder, MediaRecorderOptions } from "../../recorder/media_recorder.ts";
import type { MediaStreamTrack } from "../../media/media_stream_track.ts";
import { readOgg, readWebm, type RecorderWatch, watchRecorder } from "../../testing.ts";
import { sha256 } from "../../recorder/_test_util.ts";
import { createLibavEncoder } from "./provider.ts";
import { checkRecording, decodeRecording } from "./decode_back.ts";
import { loadLibAV } from "./load.ts";

const shared = createLibavEncoder({ instanceKey: "provider-test" });

interface Run {
  ua: UserAgent;
  rec: MediaRecorder;
  watch: RecorderWatch;
  video: MediaStreamTrack | null;
  audio: MediaStreamTrack | null;
}

function setup(
  options: MediaRecorderOptions & { video?: boolean; audio?: boolean; channels?: number } = {},
  provider = shared,
): Run {
  const ua = createUserAgent({ seed: 4, encoders: [provider] });
  const video = options.video === false
    ? null
    : ua.createVideoTrack({ width: 160, height: 120, frameRate: 30 });
  const audio = options.audio === false
    ? null
    : ua.createAudioTrack({ channelCount: options.channels ?? 2 });
  const { video: _v, audio: _a, channels: _c, ...recorderOptions } = options;
  const rec = new ua.MediaRecorder(
    new ua.MediaStream([video, audio].filter((t) => t !== null)),
    recorderOptions,
  );
  return { ua, rec, watch: watchRecorder(rec, ua.clock), video, audio };
}

async function finish(run: Run): Promise<Uint8Array> {
  await run.ua.clock.settle(); // let pending detections act before stop() would win
  if (run.rec.state !== "inactive") run.rec.stop();
  await run.ua.clock.settle();
  return await run.watch.bytes();
}

async function assertDecodesBack(run: Run, bytes: Uint8Array): Promise<void> {
  const check = await checkRecording(bytes, run.ua.trace);
  assert.deepEqual(check.problems, []);
}

Deno.test("isTypeSupported and the constructor agree on the libav types", () => {
  const ua = createUserAgent({ encoders: [shared] });
  for (
    const type of [
      "video/webm",
      "video/webm;codecs=vp8,opus",
      "video/webm;codecs=vp9,opus",
      "video/webm;codecs=vp9",
      "audio/webm;codecs=opus",
      "audio/ogg;codecs=opus",
    ]
  ) {
    assert.equal(ua.MediaRecorder.isTypeSupported(type), true, type);
    new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]), { mimeType: type });
  }
  for (const type of ["video/mp4", "audio/ogg;codecs=vp8", "video/webm;codecs=h264"]) {
    assert.equal(ua.MediaRecorder.isTypeSupported(type), false, type);
  }
});

for (
  const [mimeType, video, audio, extended, codecs] of [
    ["video/webm", true, true, 'video/webm;codecs="vp8,opus"', ["V_VP8", "A_OPUS"]],
    ["video/webm;codecs=vp9,opus", true, true, 'video/webm;codecs="vp9,opus"', ["V_VP9", "A_OPUS"]],
    ["video/webm;codecs=vp8", true, false, "video/webm;codecs=vp8", ["V_VP8"]],
    ["audio/webm;codecs=opus", false, true, "audio/webm;codecs=opus", ["A_OPUS"]],
    ["audio/ogg;codecs=opus", false, true, "audio/ogg;codecs=opus", []],
  ] as const
) {
  Deno.test(`${mimeType}: recorded frames and samples decode back exactly (timeslice 250)`, async () => {
    const run = setup({ mimeType, video, audio });
    run.rec.start(250);
    await run.ua.clock.advance(1200);
    const bytes = await finish(run);
    assert.equal(run.watch.events[0]!.mimeType, extended);
    assert.ok(run.watch.chunks.length >= 5);
    if (codecs.length > 0) assert.deepEqual(readWebm(bytes).tracks.map((t) => t.codecId), codecs);
    else assert.ok(readOgg(bytes).pages.every((p) => p.crcOk));
    await assertDecodesBack(run, bytes);
    const decoded = await decodeRecording(bytes);
    if (video) assert.equal(decoded.video[0]!.indices.length, 36);
    if (audio) assert.ok(decoded.audio[0]!.mono.length >= 1200 * 48);
  });
}

Deno.test("chunking never changes the stream: timesliced WebM chunks concatenate to the unsliced bytes", async () => {
  const record = async (timeslice: number | undefined) => {
    const run = setup();
    if (timeslice === undefined) run.rec.start();
    else run.rec.start(timeslice);
    await run.ua.clock.advance(700);
    run.rec.pause();
    await run.ua.clock.advance(200);
    run.rec.resume();
    await run.ua.clock.advance(500);
    return { bytes: await finish(run), chunks: run.watch.chunks.length };
  };
  const whole = await record(undefined);
  for (const ts of [0, 100, 1000]) {
    const sliced = await record(ts);
    assert.ok(sliced.chunks > 1);
    assert.equal(await sha256(sliced.bytes), await sha256(whole.bytes), `timeslice ${ts}`);
  }
});

Deno.test("Ogg pages are closed at each cut, so compare decoded samples: equal with and without a timeslice", async () => {
  const record = async (timeslice: number | undefined) => {
    const run = setup({ mimeType: "audio/ogg", video: false });
    if (timeslice === undefined) run.rec.start();
    else run.rec.start(timeslice);
    await run.ua.clock.advance(1000);
    return await finish(run);
  };
  const a = await decodeRecording(await record(undefined));
  const b = await decodeRecording(await record(100));
  assert.deepEqual(b.audio[0]!.mono, a.audio[0]!.mono);
});

Deno.test("pause/resume, a disabled video track and a muted microphone: black frames, silence, no paused frames", async () => {
  const run = setup();
  run.rec.start(300);
  await run.ua.clock.advance(600);
  run.rec.pause();
  await run.ua.clock.advance(400);
  run.rec.resume();
  run.video!.enabled = false;
  run.audio!.setMuted(true);
  await run.ua.clock.advance(300);
  run.video!.enabled = true;
  run.audio!.setMuted(false);
  await run.ua.clock.advance(600);
  const bytes = await finish(run);
  await assertDecodesBack(run, bytes);
  const decoded = await decodeRecording(bytes);
  const black = decoded.video[0]!.black;
  assert.deepEqual(
    [black.indexOf(true), black.lastIndexOf(true)],
    [18, 26],
    "frames 30..38 (after the pause) are black",
  );
  assert.equal(decoded.video[0]!.indices.length, 18 + 27, "[0, 600) and [1000, 1900)");
  // the muted 300 ms decode to near-silence
  const mono = decoded.audio[0]!.mono;
  const rms = (from: number, to: number) =>
    Math.sqrt(mono.subarray(from, to).reduce((s, x) => s + x * x, 0) / (to - from));
  assert.ok(rms(650 * 48, 850 * 48) < 0.01, "silence while muted");
  assert.ok(rms(100 * 48, 500 * 48) > 0.2, "tone before");
});

Deno.test("requestData while recording and paused delivers everything encoded so far", async () => {
  const run = setup();
  run.rec.start();
  await run.ua.clock.advance(500);
  run.rec.requestData();
  await run.ua.clock.advance(300);
  run.rec.pause();
  run.rec.requestData();
  await run.ua.clock.advance(100);
  const bytes = await finish(run);
  assert.deepEqual(run.watch.types(), [
    "start",
    "dataavailable",
    "pause",
    "dataavailable",
    "dataavailable",
    "stop",
  ]);
  const first = readWebm(new Uint8Array(await run.watch.chunks[0]!.arrayBuffer()));
  assert.equal(
    first.blocks.filter((b) => b.track === 1).length,
    15,
    "the first chunk holds the 15 frames before 500 ms",
  );
  await assertDecodesBack(run, bytes);
});

Deno.test("termination paths with the libav encoder: ended, InvalidModificationError, SecurityError, failEncoder", async (t) => {
  await t.step("all tracks ended → dataavailable, stop; data decodes back", async () => {
    const run = setup();
    run.rec.start(200);
    await run.ua.clock.advance(500);
    run.video!.end();
    run.audio!.end();
    const bytes = await finish(run);
    assert.deepEqual(run.watch.types().slice(-2), ["dataavailable", "stop"]);
    assert.equal(run.watch.types().includes("error"), false);
    await assertDecodesBack(run, bytes);
  });
  await t.step("a track added → error(InvalidModificationError), dataavailable, stop", async () => {
    const run = setup({ audio: false });
    run.rec.start();
    await run.ua.clock.advance(400);
    run.ua.addTrackToStream(run.rec.stream, run.ua.createAudioTrack());
    const bytes = await finish(run);
    assert.deepEqual(run.watch.types(), ["start", "error", "dataavailable", "stop"]);
    assert.equal(run.watch.events[1]!.error, "InvalidModificationError");
    await assertDecodesBack(run, bytes);
  });
  await t.step("isolation → error(SecurityError), an empty final chunk, stop", async () => {
    const run = setup();
    run.rec.start(250);
    await run.ua.clock.advance(600);
    run.ua.setIsolated(run.video!, true);
    await finish(run);
    assert.deepEqual(run.watch.types().slice(-3), ["error", "dataavailable", "stop"]);
    assert.equal(run.watch.chunks.at(-1)!.size, 0);
  });
  await t.step(
    "ua.failEncoder → error(UnknownError), dataavailable with what was encoded, stop",
    async () => {
      const run = setup();
      run.rec.start();
      await run.ua.clock.advance(500);
      run.ua.failEncoder(run.rec);
      await run.ua.clock.advance(100);
      const bytes = await run.watch.bytes();
      assert.deepEqual(run.watch.types(), ["start", "error", "dataavailable", "stop"]);
      assert.equal(run.watch.events[1]!.error, "UnknownError");
      assert.equal(readWebm(bytes).blocks.filter((b) => b.track === 1).length, 15);
    },
  );
});

Deno.test("a WebAssembly trap inside the encoder: UnknownError path, the instance is replaced, a new recording works", async () => {
  const provider = createLibavEncoder({ instanceKey: "provider-test-trap" });
  const run = setup({}, provider);
  run.rec.start();
  await run.ua.clock.advance(300);
  const libav = await loadLibAV("provider-test-trap");
  const original = libav.ff_encode_multi_sync;
  let calls = 0;
  libav.ff_encode_multi_sync = ((...args: Parameters<typeof original>) => {
    if (++calls === 5) throw new WebAssembly.RuntimeError("unreachable (simulated trap)");
    return original.apply(libav, args);
  }) as typeof original;
  await run.ua.clock.advance(2000);
  await run.ua.clock.settle();
  libav.ff_encode_multi_sync = original;
  assert.deepEqual(run.watch.types(), ["start", "error", "dataavailable", "stop"]);
  assert.equal(run.watch.events[1]!.error, "UnknownError");
  const fresh = await loadLibAV("provider-test-trap");
  assert.notEqual(fresh, libav, "the trapped instance was discarded");
  // the agent stays usable: a new recorder on the same agent records and decodes back
  const rec2 = new run.ua.MediaRecorder(run.rec.stream);
  const watch2 = watchRecorder(rec2, run.ua.clock);
  rec2.start();
  await run.ua.clock.advance(400);
  rec2.stop();
  await run.ua.clock.settle();
  assert.deepEqual(watch2.types(), ["start", "dataavailable", "stop"]);
  const check = await checkRecording(await watch2.bytes(), run.ua.trace, {
    recorder: "recorder#2",
  });
  assert.deepEqual(check.problems, []);
});

Deno.test("bitrates and key frames reach the encoders", async () => {
  const sizeOf = async (options: MediaRecorderOptions) => {
    const run = setup({ ...options, audio: false });
    run.rec.start();
    await run.ua.clock.advance(1000);
    return readWebm(await finish(run));
  };
  const low = await sizeOf({ videoBitsPerSecond: 100_000 });
  const high = await sizeOf({ videoBitsPerSecond: 800_000 });
  const bytes = (f: ReturnType<typeof readWebm>) => f.blocks.reduce((n, b) => n + b.size, 0);
  assert.ok(bytes(high) > 2 * bytes(low), `${bytes(high)} vs ${bytes(low)}`);
  const keys = (f: ReturnType<typeof readWebm>) =>
    f.blocks.filter((b) => b.keyframe).map((b) => b.timestampMs);
  assert.deepEqual(keys(await sizeOf({ videoKeyFrameIntervalCount: 10 })), [0, 333, 667]);
  assert.deepEqual(keys(await sizeOf({ videoKeyFrameIntervalDuration: 400 })), [0, 400, 800]);
  // audioBitrateMode "constant" → Opus CBR: every packet the same size
  const cbr = setup({ video: false, audioBitrateMode: "constant", audioBitsPerSecond: 64_000 });
  cbr.rec.start();
  await cbr.ua.clock.advance(1000);
  const sizes = new Set(readWebm(await finish(cbr)).blocks.slice(1, -1).map((b) => b.data.length));
  assert.deepEqual([...sizes], [160]);
  const vbr = setup({ video: false, audioBitrateMode: "variable", audioBitsPerSecond: 64_000 });
  vbr.rec.start();
  await vbr.ua.clock.advance(1000);
  assert.ok(new Set(readWebm(await finish(vbr)).blocks.map((b) => b.data.length)).size > 1);
});

Deno.test("determinism: the same scene gives the same bytes with a fresh libav.js instance", async () => {
  const once = async (provider: ReturnType<typeof createLibavEncoder>) => {
    const run = setup({ mimeType: "video/webm;codecs=vp9,opus" }, provider);
    run.rec.start(300);
    await run.ua.clock.advance(800);
    return await sha256(await finish(run));
  };
  assert.equal(await once(createLibavEncoder()), await once(createLibavEncoder()));
});
