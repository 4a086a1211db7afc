// Virtual track sources (src/media/track_source.ts) through createUserAgent(): settings,
// option validation, the frame schedule and the lazy frame descriptors.
import assert from "node:assert/strict";
import { createUserAgent } from "../user_agent.ts";
import { type MediaStreamTrack, trackInternals } from "./media_stream_track.ts";
import type { AudioFrameRef, VideoFrameRef } from "./frames.ts";
import type { TrackSource } from "./track_source.ts";
import { i420FrameSize, isBlackFrame, readFrameIndex } from "./pattern/video_pattern.ts";

function sourceOf(track: MediaStreamTrack): TrackSource {
  return trackInternals(track).source;
}

Deno.test("video track defaults: 320x240 at 30 fps, getSettings reports them", () => {
  const ua = createUserAgent();
  const track = ua.createVideoTrack();
  const s = track.getSettings();
  assert.equal(track.kind, "video");
  assert.equal(s.width, 320);
  assert.equal(s.height, 240);
  assert.equal(s.frameRate, 30);
  assert.equal(s.aspectRatio, 320 / 240);
  assert.equal(s.resizeMode, "none");
  assert.equal(typeof s.deviceId, "string");
  assert.equal(s.groupId, "recsim");
  assert.equal(track.label, "recsim virtual camera");
  assert.deepEqual(track.getCapabilities().width, { min: 320, max: 320 });
  ua.close();
});

Deno.test("audio track defaults: 48000 Hz, 1 channel, 20 ms frames, getSettings reports them", () => {
  const ua = createUserAgent();
  const track = ua.createAudioTrack();
  const s = track.getSettings();
  assert.equal(track.kind, "audio");
  assert.equal(s.sampleRate, 48000);
  assert.equal(s.channelCount, 1);
  assert.equal(s.frameSize, 960);
  assert.equal(s.signal, "tone");
  assert.equal(s.frequency, 440);
  assert.equal(track.label, "recsim virtual microphone");
  assert.deepEqual(track.getCapabilities().channelCount, { min: 1, max: 1 });
  ua.close();
});

Deno.test("custom options are reflected in getSettings and labels", () => {
  const ua = createUserAgent();
  const v = ua.createVideoTrack({ width: 641, height: 481, frameRate: 24, label: "cam" });
  assert.deepEqual(
    [v.getSettings().width, v.getSettings().height, v.getSettings().frameRate, v.label],
    [641, 481, 24, "cam"],
  );
  const a = ua.createAudioTrack({
    sampleRate: 44100,
    channelCount: 2,
    signal: "noise",
    label: "mic",
  });
  assert.deepEqual(
    [a.getSettings().sampleRate, a.getSettings().channelCount, a.getSettings().frameSize, a.label],
    [44100, 2, 882, "mic"],
  );
  ua.close();
});

Deno.test("getSettings returns a fresh object each time (mutating it changes nothing)", () => {
  const ua = createUserAgent();
  const v = ua.createVideoTrack();
  const s = v.getSettings();
  s.width = 1;
  assert.equal(v.getSettings().width, 320);
  assert.notEqual(v.getSettings(), v.getSettings());
  ua.close();
});

Deno.test("bad video options throw TypeError naming the option, and no track is created", () => {
  const ua = createUserAgent();
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ width: 0 }, "options.width"],
    [{ width: 1.5 }, "options.width"],
    [{ width: "320" }, "options.width"],
    [{ height: -240 }, "options.height"],
    [{ height: NaN }, "options.height"],
    [{ frameRate: 0 }, "options.frameRate"],
    [{ frameRate: -30 }, "options.frameRate"],
    [{ frameRate: Infinity }, "options.frameRate"],
    [{ frameRate: NaN }, "options.frameRate"],
    [{ jitterMs: -1 }, "options.jitterMs"],
    [{ jitterMs: 1000 / 30 }, "options.jitterMs"], // must be < the frame period
    [{ frameRate: 10, jitterMs: 100 }, "options.jitterMs"],
    [{ jitterMs: NaN }, "options.jitterMs"],
    [{ jitterMs: "1" }, "options.jitterMs"],
    [{ dropRate: 1 }, "options.dropRate"],
    [{ dropRate: -0.1 }, "options.dropRate"],
    [{ dropRate: NaN }, "options.dropRate"],
  ];
  for (const [options, name] of cases) {
    assert.throws(
      () => ua.createVideoTrack(options as never),
      (e: unknown) => e instanceof TypeError && e.message.includes(name),
      JSON.stringify(options),
    );
  }
  assert.equal(ua.trace.ofKind("track").length, 0, "no track was created");
  ua.close();
});

Deno.test("bad audio options throw TypeError naming the option, and no track is created", () => {
  const ua = createUserAgent();
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ sampleRate: 0 }, "options.sampleRate"],
    [{ sampleRate: 44100.5 }, "options.sampleRate"],
    [{ channelCount: 0 }, "options.channelCount"],
    [{ channelCount: 2.5 }, "options.channelCount"],
    [{ frequency: 0 }, "options.frequency"],
    [{ frequency: Infinity }, "options.frequency"],
    [{ frameSize: 0 }, "options.frameSize"],
    [{ frameSize: 10.5 }, "options.frameSize"],
    [{ signal: "loud" }, "options.signal"],
  ];
  for (const [options, name] of cases) {
    assert.throws(
      () => ua.createAudioTrack(options as never),
      (e: unknown) => e instanceof TypeError && e.message.includes(name),
      JSON.stringify(options),
    );
  }
  assert.equal(ua.trace.ofKind("track").length, 0, "no track was created");
  ua.close();
});

Deno.test(
  "a failed createVideoTrack leaves no trace in later tracks (same settings and device id)",
  {
    // Regression (fixed): src/user_agent.ts:235 (and :242 for audio) — `hash32(seed, ++sourceSerial)` is
    // evaluated before createVideoSource validates the options, so a call that throws a
    // TypeError still consumes a source serial: every later track gets a different source seed
    // (deviceId, pixel pattern, jitter and drops) than in the same run without the failed call.
    // Suggested fix: validate first (create the source with a provisional seed, or compute
    // `sourceSerial + 1` and increment only after createVideoSource returns).
  },
  () => {
    const a = createUserAgent({ seed: 3 });
    assert.throws(() => a.createVideoTrack({ width: 0 }), TypeError);
    const ta = a.createVideoTrack({ jitterMs: 5 });
    const b = createUserAgent({ seed: 3 });
    const tb = b.createVideoTrack({ jitterMs: 5 });
    assert.equal(ta.getSettings().deviceId, tb.getSettings().deviceId);
    assert.equal(sourceOf(ta).frameTime(7), sourceOf(tb).frameTime(7));
    a.close();
    b.close();
  },
);

Deno.test("video frame schedule: frameTime(i) = origin + i·1000/frameRate", async () => {
  const ua = createUserAgent();
  const s = sourceOf(ua.createVideoTrack());
  assert.equal(s.kind, "video");
  assert.equal(s.origin, 0);
  assert.equal(s.period, 1000 / 30);
  assert.equal(s.frameTime(0), 0);
  assert.equal(s.frameTime(30), 1000);
  assert.equal(s.frameTime(3), 100);
  assert.equal(s.frameTime(1), 1000 / 30);
  await ua.clock.advance(250);
  const later = sourceOf(ua.createVideoTrack({ frameRate: 25 }));
  assert.equal(later.origin, 250, "frame 0 is captured when the track is created");
  assert.equal(later.frameTime(0), 250);
  assert.equal(later.frameTime(5), 450);
  ua.close();
});

Deno.test("firstIndexAtOrAfter without jitter or drops: the first frame captured at or after t", () => {
  const ua = createUserAgent();
  const s = sourceOf(ua.createVideoTrack());
  assert.equal(s.firstIndexAtOrAfter(-100), 0);
  assert.equal(s.firstIndexAtOrAfter(0), 0);
  assert.equal(s.firstIndexAtOrAfter(0.001), 1);
  assert.equal(s.firstIndexAtOrAfter(1000), 30);
  assert.equal(s.firstIndexAtOrAfter(1000.1), 31);
  assert.equal(s.firstIndexAtOrAfter(33.4), 2);
  for (let k = 0; k < 400; k++) {
    const t = s.frameTime(k);
    assert.equal(s.firstIndexAtOrAfter(t), k, `exactly at frame ${k}`);
    assert.equal(s.firstIndexAtOrAfter(t + 1e-6), k + 1, `just after frame ${k}`);
    assert.equal(s.firstIndexAtOrAfter(t - 1e-6), k, `just before frame ${k}`);
  }
  ua.close();
});

Deno.test("jitter: frame times stay within [i·period, i·period + jitter) and strictly increasing", () => {
  const ua = createUserAgent({ seed: 11 });
  const jitterMs = 30; // just under the 33.3 ms period
  const s = sourceOf(ua.createVideoTrack({ jitterMs }));
  let jittered = 0;
  for (let i = 0; i < 2000; i++) {
    const t = s.frameTime(i);
    const nominal = (i * 1000) / 30;
    assert.ok(t >= nominal && t < nominal + jitterMs, `frame ${i} at ${t}`);
    if (t !== nominal) jittered++;
    if (i > 0) assert.ok(t > s.frameTime(i - 1), `frame ${i} after frame ${i - 1}`);
  }
  assert.ok(jittered > 1900, "jitter is actually applied");
  ua.close();
});

Deno.test("firstIndexAtOrAfter with jitter and drops returns the first produced frame at or after t", () => {
  const ua = createUserAgent({ seed: 5 });
  const s = sourceOf(ua.createVideoTrack({ jitterMs: 20, dropRate: 0.4 }));
  for (let t = -10; t < 3000; t += 7.3) {
    const r = s.firstIndexAtOrAfter(t);
    assert.ok(s.frameTime(r) >= t, `t=${t}: frame ${r} is not before t`);
    assert.equal(s.isDropped(r), false, `t=${t}: frame ${r} was produced`);
    for (let j = r - 1; j >= 0 && s.frameTime(j) >= t; j--) {
      assert.ok(s.isDropped(j), `t=${t}: skipped frame ${j} must be dropped`);
    }
    if (r > 0 && !s.isDropped(r - 1)) assert.ok(s.frameTime(r - 1) < t);
  }
  ua.close();
});

Deno.test("drops are seeded: about dropRate of frames, never frame 0, identical for the same seed", () => {
  const pattern = (seed: number) => {
    const ua = createUserAgent({ seed });
    const s = sourceOf(ua.createVideoTrack({ dropRate: 0.25 }));
    const dropped = Array.from({ length: 4000 }, (_, i) => s.isDropped(i));
    ua.close();
    return dropped;
  };
  const a = pattern(1);
  assert.equal(a[0], false, "frame 0 is always produced");
  const count = a.filter(Boolean).length;
  assert.ok(count > 850 && count < 1150, `about 25% dropped, got ${count}/4000`);
  assert.deepEqual(pattern(1), a, "same seed, same drops");
  assert.notDeepEqual(pattern(2), a, "another seed, other drops");

  const ua = createUserAgent();
  const none = sourceOf(ua.createVideoTrack());
  for (let i = 0; i < 100; i++) assert.equal(none.isDropped(i), false);
  ua.close();
});

Deno.test("two tracks of one agent have different sources (different jitter), same seed reproduces them", () => {
  const times = (seed: number) => {
    const ua = createUserAgent({ seed });
    const a = sourceOf(ua.createVideoTrack({ jitterMs: 10 }));
    const b = sourceOf(ua.createVideoTrack({ jitterMs: 10 }));
    const out = [a.frameTime(1), b.frameTime(1), a.seed, b.seed];
    ua.close();
    return out;
  };
  const first = times(9);
  assert.notEqual(first[0], first[1]);
  assert.notEqual(first[2], first[3]);
  assert.deepEqual(times(9), first);
});

Deno.test("audio frame schedule: 20 ms frames of sampleRate/50 samples; frameTime(j) = origin + j·frameSize/rate", async () => {
  const ua = createUserAgent();
  await ua.clock.advance(40);
  const s = sourceOf(ua.createAudioTrack());
  assert.equal(s.kind, "audio");
  assert.equal(s.period, 20);
  assert.equal(s.origin, 40);
  assert.equal(s.frameTime(0), 40);
  assert.equal(s.frameTime(50), 1040);
  assert.equal(s.firstIndexAtOrAfter(40), 0);
  assert.equal(s.firstIndexAtOrAfter(65), 2);
  assert.equal(s.firstIndexAtOrAfter(80), 2);
  assert.equal(s.isDropped(7), false);
  const cd = sourceOf(ua.createAudioTrack({ sampleRate: 44100 }));
  assert.equal(cd.period, 20);
  assert.equal(cd.frameTime(1) - cd.origin, 20);
  const small = sourceOf(ua.createAudioTrack({ frameSize: 480 }));
  assert.equal(small.period, 10);
  ua.close();
});

Deno.test(
  "audio frames always hold at least one sample (frameSize >= 1) for any accepted sample rate",
  {
    // Regression (fixed): src/media/track_source.ts:186 — the default frameSize is `Math.round(sampleRate /
    // 50)`, which is 0 for sampleRate < 25 (accepted by positiveInt): the period is 0, every
    // frame has time `origin`, and firstIndexAtOrAfter(t > origin) loops forever. Suggested
    // fix: `Math.max(1, Math.round(sampleRate / 50))`, or reject sample rates below 25 Hz.
  },
  () => {
    const ua = createUserAgent();
    const track = ua.createAudioTrack({ sampleRate: 10 });
    assert.ok((track.getSettings().frameSize as number) >= 1);
    assert.ok(sourceOf(track).period > 0);
    ua.close();
  },
);

Deno.test("video frame descriptors: pixels() is an I420 frame whose barcode reads back the index", () => {
  const ua = createUserAgent();
  const s = sourceOf(ua.createVideoTrack());
  for (const index of [0, 1, 29, 12345]) {
    const f = s.frame(index, false) as VideoFrameRef;
    assert.equal(f.kind, "video");
    assert.equal(f.index, index);
    assert.equal(f.time, s.frameTime(index));
    assert.equal(f.black, false);
    assert.equal(f.width, 320);
    assert.equal(f.height, 240);
    const pixels = f.pixels();
    assert.equal(pixels.length, 320 * 240 * 3 / 2);
    assert.equal(readFrameIndex(pixels, 320, 240), index);
    assert.equal(isBlackFrame(pixels, 320, 240), false);
  }
  ua.close();
});

Deno.test("video frame descriptors: odd sizes use ceil(w/2)·ceil(h/2) chroma planes", () => {
  const ua = createUserAgent();
  const s = sourceOf(ua.createVideoTrack({ width: 321, height: 241 }));
  const pixels = (s.frame(77, false) as VideoFrameRef).pixels();
  assert.equal(pixels.length, 321 * 241 + 2 * 161 * 121);
  assert.equal(pixels.length, i420FrameSize(321, 241));
  assert.equal(readFrameIndex(pixels, 321, 241), 77);
  ua.close();
});

Deno.test("video frame descriptors: pixels are computed on demand, deterministically, into `out` when given", () => {
  const ua = createUserAgent();
  const s = sourceOf(ua.createVideoTrack({ width: 64, height: 48 }));
  const f = s.frame(3, false) as VideoFrameRef;
  const a = f.pixels();
  const b = f.pixels();
  assert.notEqual(a, b, "a new buffer per call without `out`");
  assert.deepEqual(a, b);
  const out = new Uint8Array(i420FrameSize(64, 48));
  assert.equal(f.pixels(out), out);
  assert.deepEqual(out, a);
  assert.notDeepEqual((s.frame(4, false) as VideoFrameRef).pixels(), a, "frames differ");
  ua.close();
});

Deno.test("video frame descriptors: black frames are black (Y=16, U=V=128) and carry no barcode", () => {
  const ua = createUserAgent();
  const s = sourceOf(ua.createVideoTrack());
  const f = s.frame(5, true) as VideoFrameRef;
  assert.equal(f.black, true);
  const pixels = f.pixels();
  const luma = 320 * 240;
  assert.ok(pixels.subarray(0, luma).every((v) => v === 16));
  assert.ok(pixels.subarray(luma).every((v) => v === 128));
  assert.equal(readFrameIndex(pixels, 320, 240), null);
  assert.ok(isBlackFrame(pixels, 320, 240));
  ua.close();
});

Deno.test("audio frame descriptors: samples() holds frameSize·channels interleaved samples", () => {
  const ua = createUserAgent();
  const s = sourceOf(ua.createAudioTrack({ channelCount: 2 }));
  const f = s.frame(3, false) as AudioFrameRef;
  assert.equal(f.kind, "audio");
  assert.equal(f.index, 3);
  assert.equal(f.time, 60);
  assert.equal(f.firstSample, 3 * 960);
  assert.equal(f.length, 960);
  assert.equal(f.channelCount, 2);
  assert.equal(f.sampleRate, 48000);
  assert.equal(f.silent, false);
  const samples = f.samples();
  assert.equal(samples.length, 960 * 2);
  assert.ok(samples.some((v) => v !== 0), "a tone is not silent");
  for (let i = 0; i < samples.length; i += 2) assert.equal(samples[i], samples[i + 1]);
  const out = new Float32Array(1920);
  assert.equal(f.samples(out), out);
  assert.deepEqual(out, samples);
  ua.close();
});

Deno.test("audio frame descriptors: consecutive frames continue the same signal", () => {
  const ua = createUserAgent();
  const s = sourceOf(ua.createAudioTrack({ frameSize: 480 }));
  const a = (s.frame(1, false) as AudioFrameRef).samples();
  const b = (s.frame(2, false) as AudioFrameRef).samples();
  assert.equal((s.frame(0, false) as AudioFrameRef).firstSample, 0);
  assert.notDeepEqual(a, b);
  // Frame 2 starts where frame 1 ends: same tone phase advance as between samples.
  const ua2 = createUserAgent();
  const big = sourceOf(ua2.createAudioTrack({ frameSize: 1440 }));
  const all = (big.frame(0, false) as AudioFrameRef).samples();
  assert.deepEqual(all.subarray(480, 960), a);
  assert.deepEqual(all.subarray(960, 1440), b);
  ua.close();
  ua2.close();
});

Deno.test("audio frame descriptors: silent frames and the 'silence' signal are all zeros; noise is not", () => {
  const ua = createUserAgent();
  const tone = sourceOf(ua.createAudioTrack({ channelCount: 2 }));
  const silent = (tone.frame(4, true) as AudioFrameRef).samples();
  assert.equal(silent.length, 1920);
  assert.ok(silent.every((v) => v === 0));
  const silence = sourceOf(ua.createAudioTrack({ signal: "silence" }));
  assert.ok((silence.frame(4, false) as AudioFrameRef).samples().every((v) => v === 0));
  const noise = sourceOf(ua.createAudioTrack({ signal: "noise" }));
  const n = (noise.frame(4, false) as AudioFrameRef).samples();
  assert.ok(n.some((v) => v !== 0));
  assert.deepEqual((noise.frame(4, false) as AudioFrameRef).samples(), n, "noise is deterministic");
  ua.close();
});
