import assert from "node:assert/strict";
import { hashUnit, Prng } from "../../prng.ts";
import {
  audioBlockLength,
  type AudioSignalSpec,
  expectedBlockBits,
  locateAudio,
  renderAudio,
} from "./audio_signal.ts";

const SR = 48000;

function tone(firstSample: number, length: number, extra: Partial<AudioSignalSpec> = {}) {
  return renderAudio({
    firstSample,
    length,
    channelCount: 1,
    sampleRate: SR,
    signal: "tone",
    ...extra,
  });
}

/** Offsets within the default 10-minute search range, including non-block-aligned ones. */
function offsets(count: number, seed = 1): number[] {
  const prng = new Prng(seed);
  const list = [0, 1, 479, 480, 481, 123457, 1_000_000, 600 * SR - SR];
  while (list.length < count) list.push(prng.nextUint32() % (599 * SR));
  return list;
}

Deno.test("renderAudio is a pure function of the absolute sample: frame splits agree", () => {
  for (const signal of ["tone", "noise"] as const) {
    for (const channelCount of [1, 2, 3]) {
      const base = { channelCount, sampleRate: SR, signal, seed: 7 } as const;
      const whole = renderAudio({ ...base, firstSample: 0, length: 48000 });
      for (const frame of [960, 480, 441, 1000, 7]) {
        const joined = new Float32Array(48000 * channelCount);
        const out = new Float32Array(frame * channelCount);
        for (let start = 0; start < 48000; start += frame) {
          const length = Math.min(frame, 48000 - start);
          const part = renderAudio(
            { ...base, firstSample: start, length },
            length === frame ? out : undefined,
          );
          joined.set(part, start * channelCount);
        }
        assert.deepEqual(joined, whole, `${signal} ${channelCount}ch frames of ${frame}`);
      }
    }
  }
  // Far into the track too.
  const far = 20_000_000;
  const a = tone(far, 1920);
  const b = new Float32Array(1920);
  b.set(tone(far, 960), 0);
  b.set(tone(far + 960, 960), 960);
  assert.deepEqual(a, b);
});

Deno.test("tone: identical channels, keyed levels follow expectedBlockBits, no clicks", () => {
  const stereo = renderAudio({
    firstSample: 96000,
    length: 48000,
    channelCount: 2,
    sampleRate: SR,
    signal: "tone",
    amplitude: 0.4,
    seed: 3,
  });
  for (let i = 0; i < 48000; i++) assert.equal(stereo[2 * i], stereo[2 * i + 1]);
  const mono = tone(96000, 48000, { amplitude: 0.4, seed: 3 });
  let peak = 0;
  let maxStep = 0;
  for (let i = 0; i < mono.length; i++) {
    assert.equal(mono[i], stereo[2 * i]);
    peak = Math.max(peak, Math.abs(mono[i]!));
    if (i > 0) maxStep = Math.max(maxStep, Math.abs(mono[i]! - mono[i - 1]!));
  }
  assert.ok(peak <= 0.4 * 1.25 + 1e-6 && peak > 0.4 * 1.2, `peak ${peak}`);
  // A 440 Hz sine of peak 0.5 moves at most 0.5·2π·440/48000 ≈ 0.029 per sample; the
  // 1 ms ramps add little to that.
  assert.ok(maxStep < 0.032, `max step ${maxStep}`);
  const B = audioBlockLength(SR);
  const bits = expectedBlockBits(3, 96000 / B, 100);
  for (let k = 0; k < 100; k++) {
    let sum = 0;
    for (let i = k * B + 48; i < (k + 1) * B; i++) sum += mono[i]! ** 2;
    const rms = Math.sqrt(sum / (B - 48));
    const expected = (0.4 * (bits[k] === 1 ? 1.25 : 0.75)) / Math.SQRT2;
    assert.ok(Math.abs(rms - expected) < 0.02 * expected, `block ${k}: ${rms} vs ${expected}`);
  }
  assert.ok(bits.includes(0) && bits.includes(1));
});

Deno.test("expectedBlockBits is consistent across ranges and seeds", () => {
  const a = expectedBlockBits(5, 1000, 64);
  assert.deepEqual(expectedBlockBits(5, 1032, 32), a.subarray(32));
  assert.notDeepEqual(expectedBlockBits(6, 1000, 64), a);
  const many = expectedBlockBits(0, 0, 10000);
  const ones = many.reduce((s, b) => s + b, 0);
  assert.ok(ones > 4800 && ones < 5200, `ones ${ones}`);
  assert.throws(() => expectedBlockBits(0, 0.5, 1), RangeError);
});

Deno.test("silence and silent: all zeros", () => {
  const base = { firstSample: 12345, length: 960, channelCount: 2, sampleRate: SR } as const;
  for (const signal of ["tone", "noise", "silence"] as const) {
    const silent = renderAudio({ ...base, signal, silent: true });
    assert.equal(silent.length, 1920);
    assert.ok(silent.every((v) => v === 0));
  }
  const out = new Float32Array(1920).fill(1);
  assert.equal(renderAudio({ ...base, signal: "silence" }, out), out);
  assert.ok(out.every((v) => v === 0));
});

Deno.test("noise: deterministic per seed, differs across seeds and channels, in range", () => {
  const spec = {
    firstSample: 5000,
    length: 4800,
    channelCount: 2,
    sampleRate: SR,
    signal: "noise",
    amplitude: 0.3,
    seed: 11,
  } as const;
  const a = renderAudio(spec);
  assert.deepEqual(renderAudio(spec), a);
  assert.notDeepEqual(renderAudio({ ...spec, seed: 12 }), a);
  assert.equal(a[0], Math.fround(0.3 * (2 * hashUnit(11, 5000, 0) - 1)));
  let sameChannels = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < 4800; i++) {
    if (a[2 * i] === a[2 * i + 1]) sameChannels++;
    for (const v of [a[2 * i]!, a[2 * i + 1]!]) {
      assert.ok(Math.abs(v) <= 0.3);
      sum += v;
      sumSq += v * v;
    }
  }
  assert.equal(sameChannels, 0);
  const n = 9600;
  assert.ok(Math.abs(sum / n) < 0.01);
  const rms = Math.sqrt(sumSq / n);
  assert.ok(Math.abs(rms - 0.3 / Math.sqrt(3)) < 0.01, `rms ${rms}`);
});

Deno.test("renderAudio validates its input and reuses out", () => {
  const base = { firstSample: 0, length: 10, channelCount: 1, sampleRate: SR } as const;
  assert.throws(() => renderAudio({ ...base, signal: "tone", firstSample: 0.5 }), RangeError);
  assert.throws(() => renderAudio({ ...base, signal: "tone", length: -1 }), RangeError);
  assert.throws(() => renderAudio({ ...base, signal: "tone", channelCount: 0 }), RangeError);
  assert.throws(() => renderAudio({ ...base, signal: "tone", sampleRate: 0 }), RangeError);
  assert.throws(() => renderAudio({ ...base, signal: "tone" }, new Float32Array(9)), RangeError);
  const big = new Float32Array(12).fill(9);
  const view = renderAudio({ ...base, signal: "tone" }, big);
  assert.equal(view.length, 10);
  assert.equal(view.buffer, big.buffer);
  assert.equal(big[11], 9);
});

Deno.test("locateAudio: exact for clean input at many offsets", () => {
  for (const offset of offsets(24)) {
    const found = locateAudio(tone(offset, 24000), { sampleRate: SR });
    assert.equal(found?.firstSample, offset, `offset ${offset}`);
    assert.ok(found.confidence > 0.99);
  }
});

Deno.test("locateAudio: exact with ±0.02 white noise added", () => {
  for (const offset of offsets(12, 2)) {
    const x = tone(offset, 24000);
    for (let i = 0; i < x.length; i++) x[i]! += 0.02 * (2 * hashUnit(99, offset, i) - 1);
    assert.equal(locateAudio(x, { sampleRate: SR })?.firstSample, offset, `offset ${offset}`);
  }
});

Deno.test("locateAudio: exact with a gain of 0.8 and with other amplitudes/seeds", () => {
  for (const offset of offsets(8, 3)) {
    const x = tone(offset, 24000).map((v) => v * 0.8);
    assert.equal(locateAudio(x, { sampleRate: SR })?.firstSample, offset);
    const y = tone(offset, 24000, { amplitude: 0.05, seed: 42 });
    assert.equal(locateAudio(y, { sampleRate: SR, seed: 42 })?.firstSample, offset);
    // The wrong seed finds nothing.
    assert.equal(locateAudio(y, { sampleRate: SR, seed: 43 }), null);
  }
});

/** One-pole low-pass `y += a·(x − y)`; its group delay is about (1 − a)/a samples. */
function lowPass(x: Float32Array, a: number): Float32Array {
  const out = new Float32Array(x.length);
  let y = 0;
  for (let i = 0; i < x.length; i++) out[i] = y += a * (x[i]! - y);
  return out;
}

Deno.test("locateAudio: after a one-pole low-pass, off by the filter's delay only", () => {
  for (const offset of offsets(10, 4).filter((o) => o > 100)) {
    // a = 0.8: cut-off ≈ 12 kHz, delay 0.25 samples → exact.
    const mild = lowPass(tone(offset, 24000), 0.8);
    assert.equal(locateAudio(mild, { sampleRate: SR })?.firstSample, offset);
    // a = 0.2: cut-off ≈ 1.7 kHz, delay ≈ 4 samples.
    const strong = lowPass(tone(offset, 24000), 0.2);
    const found = locateAudio(strong, { sampleRate: SR })?.firstSample;
    assert.ok(found !== undefined && Math.abs(offset - 4 - found) <= 1, `${offset}: ${found}`);
  }
});

Deno.test("locateAudio: other sample rates, frequencies and channel 0 of stereo", () => {
  for (const sampleRate of [8000, 16000, 44100]) {
    for (const offset of [0, 12345, 7 * sampleRate + 3]) {
      const x = renderAudio({
        firstSample: offset,
        length: sampleRate / 2,
        channelCount: 1,
        sampleRate,
        signal: "tone",
      });
      assert.equal(locateAudio(x, { sampleRate })?.firstSample, offset, `${sampleRate}`);
    }
  }
  for (const frequency of [100, 1000, 3000]) {
    const x = tone(777_777, 24000, { frequency });
    assert.equal(locateAudio(x, { sampleRate: SR, frequency })?.firstSample, 777_777);
  }
  // With a wrong frequency the final fit is skipped: right to within half a millisecond.
  const off = tone(777_777, 24000, { frequency: 1000 });
  const rough = locateAudio(off, { sampleRate: SR })?.firstSample;
  assert.ok(rough !== undefined && Math.abs(rough - 777_777) <= 24, `${rough}`);
  const stereo = renderAudio({
    firstSample: 4242,
    length: 24000,
    channelCount: 2,
    sampleRate: SR,
    signal: "tone",
  });
  const left = stereo.filter((_, i) => i % 2 === 0);
  assert.equal(locateAudio(left, { sampleRate: SR })?.firstSample, 4242);
});

Deno.test("locateAudio: search range, short inputs and long inputs", () => {
  // 200 ms is enough within a range of seconds (one bit per 10 ms block).
  for (const offset of offsets(10, 5)) {
    const x = tone(offset, 9600);
    const found = locateAudio(x, {
      sampleRate: SR,
      searchFrom: Math.max(0, offset - 5 * SR),
      searchTo: offset + 5 * SR,
    });
    assert.equal(found?.firstSample, offset, `offset ${offset}`);
  }
  // A range that excludes the true position finds nothing.
  assert.equal(locateAudio(tone(500_000, 24000), { sampleRate: SR, searchTo: 400_000 }), null);
  assert.equal(
    locateAudio(tone(500_000, 24000), { sampleRate: SR, searchFrom: 600_000, searchTo: 900_000 }),
    null,
  );
  // Beyond the default 10 minutes needs a larger searchTo.
  const late = tone(700 * SR + 5, 24000);
  assert.equal(locateAudio(late, { sampleRate: SR }), null);
  assert.equal(
    locateAudio(late, { sampleRate: SR, searchTo: 800 * SR })?.firstSample,
    700 * SR + 5,
  );
  // Too short.
  assert.equal(locateAudio(tone(1000, 4800), { sampleRate: SR }), null);
  // Long input (5 s).
  assert.equal(locateAudio(tone(3_333_333, 5 * SR), { sampleRate: SR })?.firstSample, 3_333_333);
  assert.throws(() => locateAudio(tone(0, 24000), { sampleRate: SR, searchFrom: 0.5 }), RangeError);
});

Deno.test("locateAudio: null for silence, noise and a plain (unkeyed) sine", () => {
  assert.equal(locateAudio(new Float32Array(48000), { sampleRate: SR }), null);
  const silent = renderAudio({
    firstSample: 48000,
    length: 48000,
    channelCount: 1,
    sampleRate: SR,
    signal: "tone",
    silent: true,
  });
  assert.equal(locateAudio(silent, { sampleRate: SR }), null);
  for (const seed of [0, 1, 2, 3]) {
    for (const length of [9600, 24000, 240000]) {
      const noise = renderAudio({
        firstSample: 1000 * seed,
        length,
        channelCount: 1,
        sampleRate: SR,
        signal: "noise",
        seed,
      });
      assert.equal(locateAudio(noise, { sampleRate: SR, seed }), null, `noise ${seed} ${length}`);
    }
  }
  const sine = new Float32Array(48000).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / SR));
  assert.equal(locateAudio(sine, { sampleRate: SR }), null);
  const nan = tone(0, 24000);
  nan[5] = Number.NaN;
  assert.equal(locateAudio(nan, { sampleRate: SR }), null);
});
