/**
 * Synthetic audio for virtual microphone tracks, with a position marker that survives
 * lossy (Opus) encoding so a test can recover the absolute sample position of decoded
 * audio.
 *
 * Samples are interleaved `Float32` (`[c0, c1, …, c0, c1, …]`). Sample `n` of a track
 * (its absolute index from the start of the track) is a pure function of `n`, the channel
 * and the spec, so rendering a range at once or in frames of any size gives identical
 * samples.
 *
 * The `"tone"` signal is a sine at `frequency` whose amplitude is keyed per 10 ms block
 * (`block = floor(n / blockLength)`, {@link audioBlockLength}) by the pseudo-random bit
 * `hash32(seed, block) >>> 31` ({@link expectedBlockBits}): `amplitude × 1.25` for a 1
 * bit, `amplitude × 0.75` for a 0 bit (an energy ratio of 2.8, about 4.4 dB). Each step
 * between levels is a raised-cosine ramp over the first 1 ms of the block, so there are
 * no clicks. Every channel carries the identical tone (no phase shift), so any downmix
 * keeps the marker. {@link locateAudio} matches the block energies of decoded audio
 * against these bits.
 *
 * @module
 */

import { hash32, hashUnit } from "../../prng.ts";

/** Relative amplitude change keyed by a block's bit (±25%). */
const KEY_DEPTH = 0.25;
/** Default search span of {@link locateAudio}, in seconds. */
const DEFAULT_SEARCH_SECONDS = 600;
/** {@link locateAudio} needs `MIN_BLOCKS + 1` blocks of input (170 ms). */
const MIN_BLOCKS = 16;
/** Blocks used for the bit search (the rest only confirm it). */
const SEARCH_BLOCKS = 200;
/** How many more mismatched bits the runner-up position must have than the best. */
const MIN_BIT_MARGIN = 1.5;
/** Blocks used for the sample-exact refinement. */
const REFINE_BLOCKS = 50;

/**
 * Samples per keyed block: 10 ms, i.e. `round(sampleRate / 100)` (480 at 48 kHz, 441 at
 * 44.1 kHz).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { audioBlockLength } from "./audio_signal.ts";
 * assert.ok(audioBlockLength(48000) === 480);
 * assert.ok(audioBlockLength(44100) === 441);
 * ```
 */
export function audioBlockLength(sampleRate: number): number {
  checkSampleRate(sampleRate);
  return Math.max(2, Math.round(sampleRate / 100));
}

/**
 * The marker bits (0 or 1) of `count` consecutive blocks starting at block `fromBlock`:
 * bit `i` is `hash32(seed, fromBlock + i) >>> 31`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectedBlockBits } from "./audio_signal.ts";
 * const bits = expectedBlockBits(0, 100, 8);
 * assert.ok(bits.length === 8 && bits.every((b) => b === 0 || b === 1));
 * assert.ok(expectedBlockBits(0, 103, 1)[0] === bits[3]);
 * ```
 */
export function expectedBlockBits(seed: number, fromBlock: number, count: number): Uint8Array {
  if (!Number.isSafeInteger(fromBlock) || !Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`invalid block range ${fromBlock} + ${count}`);
  }
  const bits = new Uint8Array(count);
  for (let i = 0; i < count; i++) bits[i] = hash32(seed, fromBlock + i) >>> 31;
  return bits;
}

/** What {@link renderAudio} produces. */
export interface AudioSignalSpec {
  /** Absolute index (per channel) of the first sample in the track; an integer. */
  firstSample: number;
  /** Samples per channel to render. */
  length: number;
  /** Number of interleaved channels (at least 1). */
  channelCount: number;
  /** Samples per second. */
  sampleRate: number;
  /** `"tone"`: keyed sine (see the module docs); `"noise"`: white noise; `"silence"`: zeros. */
  signal: "tone" | "silence" | "noise";
  /** Tone frequency in Hz; default 440. */
  frequency?: number;
  /** Peak amplitude: of the unkeyed tone, or of the noise; default 0.5. */
  amplitude?: number;
  /** Seeds the marker bits and the noise; default 0. */
  seed?: number;
  /** All zeros whatever `signal` says, as recorded for a muted or disabled track. */
  silent?: boolean;
}

/**
 * Renders `length` interleaved frames of `channelCount` channels starting at absolute
 * sample `firstSample`.
 *
 * - `"tone"`: `amplitude · level(n) · sin(2π · frequency · n / sampleRate)` in every
 *   channel, where `level(n)` is 1.25 or 0.75 by the bit of `n`'s 10 ms block (ramped over
 *   the block's first 1 ms); peaks reach `1.25 · amplitude`.
 * - `"noise"`: `amplitude · (2 · hashUnit(seed, n, channel) − 1)`, uniform white noise.
 * - `"silence"` or `silent: true`: zeros.
 *
 * Writes into `out` when given (it must hold at least `length · channelCount` samples;
 * the result is `out` itself when the length matches exactly, else a view of its start).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderAudio } from "./audio_signal.ts";
 * const spec = { length: 960, channelCount: 2, sampleRate: 48000, signal: "tone" } as const;
 * const frame = renderAudio({ ...spec, firstSample: 960 });
 * assert.ok(frame.length === 1920 && frame[0] === frame[1]);
 * const whole = renderAudio({ ...spec, firstSample: 0, length: 1920 });
 * assert.ok(whole[1920] === frame[0]);
 * ```
 */
export function renderAudio(spec: AudioSignalSpec, out?: Float32Array): Float32Array {
  const { firstSample, length, channelCount, sampleRate, signal } = spec;
  checkSampleRate(sampleRate);
  if (!Number.isSafeInteger(firstSample)) {
    throw new RangeError(`firstSample must be an integer, got ${firstSample}`);
  }
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`length must be a non-negative integer, got ${length}`);
  }
  if (!Number.isSafeInteger(channelCount) || channelCount < 1) {
    throw new RangeError(`channelCount must be a positive integer, got ${channelCount}`);
  }
  const size = length * channelCount;
  let samples: Float32Array;
  if (out === undefined) samples = new Float32Array(size);
  else if (out.length === size) samples = out;
  else if (out.length > size) samples = out.subarray(0, size);
  else throw new RangeError(`out holds ${out.length} samples, ${size} are needed`);

  const amplitude = spec.amplitude ?? 0.5;
  const seed = spec.seed ?? 0;
  if (spec.silent === true || signal === "silence" || amplitude === 0) {
    samples.fill(0);
    return samples;
  }
  if (signal === "noise") {
    for (let i = 0; i < length; i++) {
      const n = firstSample + i;
      for (let c = 0; c < channelCount; c++) {
        samples[i * channelCount + c] = amplitude * (2 * hashUnit(seed, n, c) - 1);
      }
    }
    return samples;
  }
  if (signal !== "tone") throw new TypeError(`unknown signal ${String(signal)}`);
  const frequency = spec.frequency ?? 440;
  if (!Number.isFinite(frequency)) throw new RangeError(`invalid frequency ${frequency}`);
  const envelope = new Envelope(seed, sampleRate);
  for (let i = 0; i < length; i++) {
    const n = firstSample + i;
    const value = amplitude * envelope.at(n) * sine(frequency, n, sampleRate);
    for (let c = 0; c < channelCount; c++) samples[i * channelCount + c] = value;
  }
  return samples;
}

/** What {@link locateAudio} needs to know about the signal. */
export interface LocateAudioSpec {
  /** Samples per second of the input (and of the rendered signal). */
  sampleRate: number;
  /** Seed of the rendered tone; default 0. */
  seed?: number;
  /** Smallest absolute position to consider for `mono[0]`; default 0. */
  searchFrom?: number;
  /** Largest absolute position to consider for `mono[0]`; default 10 minutes. */
  searchTo?: number;
  /**
   * Tone frequency in Hz, used only for the final sample-exact fit; default 440. If it is
   * wrong the fit is skipped and the result is exact to within about half a millisecond.
   */
  frequency?: number;
}

/** Where {@link locateAudio} placed its input. */
export interface AudioLocation {
  /** Absolute sample index (per channel) of the input's first sample. */
  firstSample: number;
  /** Correlation (0..1) of the input's block energies with the marker bits there. */
  confidence: number;
}

/**
 * Finds the absolute sample position of `mono[0]`, given samples of a `"tone"` signal
 * (e.g. channel 0 of decoded audio, possibly after lossy coding, gain, noise or
 * filtering). Returns `null` when the input is silent, too short (under 170 ms), not a
 * keyed tone, or matches no single position with high confidence.
 *
 * How: (1) the block phase is the alignment of 10 ms windows that maximises the jumps
 * between consecutive windows' log energies; (2) the log energies of the aligned blocks
 * are correlated against {@link expectedBlockBits} at every block position in
 * `[searchFrom, searchTo]` (Pearson correlation over the first 2 s); the best position
 * must correlate ≥ 0.7, beat the runner-up by the equivalent of ≥ 1.5 mismatched bits,
 * and show an energy ratio between 1-blocks and 0-blocks of at least 1.5 (a keyed tone
 * has 2.8); (3) the exact sample is the shift, within half a block of the match, whose
 * keyed tone fits the first 0.5 s best by least squares (gain and carrier phase free).
 * `confidence` is the correlation of step (2) over the whole input.
 *
 * Accuracy: exact for the rendered signal under gain, additive noise, or coding that
 * keeps the waveform's timing; a filter that delays the signal shifts the answer by its
 * group delay (a one-pole low-pass `y += a·(x − y)` by about `(1 − a)/a` samples). A
 * result a few samples before `searchFrom` (a delayed signal at position 0) is clamped.
 * Through libopus (20 ms frames), after removing its 312-sample pre-skip, answers were
 * exact at 96 kbit/s and within 3 samples at 12–48 kbit/s or in its SILK ("voip") mode.
 * Uniqueness: each 10 ms block carries one bit; over the default 10-minute range 0.3 s of
 * input almost always gives an answer (0.2 s returns `null` about 4 times in 5, as several
 * positions fit nearly equally well), while 0.2 s suffices for a range of seconds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { locateAudio, renderAudio } from "./audio_signal.ts";
 * const mono = renderAudio({
 *   firstSample: 123457, length: 24000, channelCount: 1, sampleRate: 48000, signal: "tone",
 * });
 * const found = locateAudio(mono, { sampleRate: 48000 });
 * assert.ok(found?.firstSample === 123457);
 * assert.ok(locateAudio(new Float32Array(24000), { sampleRate: 48000 }) === null);
 * ```
 */
export function locateAudio(mono: Float32Array, spec: LocateAudioSpec): AudioLocation | null {
  const { sampleRate } = spec;
  const B = audioBlockLength(sampleRate);
  const seed = spec.seed ?? 0;
  const searchFrom = spec.searchFrom ?? 0;
  const searchTo = spec.searchTo ?? Math.round(DEFAULT_SEARCH_SECONDS * sampleRate);
  if (!Number.isSafeInteger(searchFrom) || !Number.isSafeInteger(searchTo)) {
    throw new RangeError(`search range must be integers, got ${searchFrom}..${searchTo}`);
  }
  const L = mono.length;
  if (searchTo < searchFrom || L < (MIN_BLOCKS + 1) * B) return null;

  // Prefix sums of energy (float64 so differences stay exact enough).
  const energy = new Float64Array(L + 1);
  for (let i = 0; i < L; i++) energy[i + 1] = energy[i]! + mono[i]! * mono[i]!;
  const total = energy[L]!;
  if (!(total / L > 1e-8)) return null; // silence (or NaN)
  const floor = (total / L) * B * 1e-6;
  const logEnergy = (start: number) => Math.log(energy[start + B]! - energy[start]! + floor);

  // (1) Block phase: where 10 ms windows line up with the level steps.
  let phase = 0;
  let bestPhaseScore = -Infinity;
  for (let p = 0; p < B; p++) {
    const K = Math.floor((L - p) / B);
    let score = 0;
    let prev = logEnergy(p);
    for (let k = 1; k < K; k++) {
      const cur = logEnergy(p + k * B);
      score += Math.abs(cur - prev);
      prev = cur;
    }
    score /= K - 1;
    if (score > bestPhaseScore) {
      bestPhaseScore = score;
      phase = p;
    }
  }
  const K = Math.floor((L - phase) / B);
  const values = new Float64Array(K);
  let mean = 0;
  for (let k = 0; k < K; k++) mean += values[k] = logEnergy(phase + k * B);
  mean /= K;
  for (let k = 0; k < K; k++) values[k]! -= mean;

  // (2) Bit search: block m is the absolute block of the input's aligned block 0, so
  // mono[0] sits near m·B − phase.
  const mFrom = Math.floor((searchFrom + phase) / B) - 1;
  const mTo = Math.ceil((searchTo + phase) / B) + 1;
  const Ks = Math.min(K, SEARCH_BLOCKS);
  const signs = new Float64Array(mTo - mFrom + K);
  const signSums = new Float64Array(signs.length + 1);
  for (let i = 0; i < signs.length; i++) {
    signs[i] = (hash32(seed, mFrom + i) >>> 31) * 2 - 1;
    signSums[i + 1] = signSums[i]! + signs[i]!;
  }
  const pearson = (m: number, count: number): number => {
    const o = m - mFrom;
    let dot = 0;
    let vv = 0;
    for (let k = 0; k < count; k++) {
      dot += values[k]! * signs[o + k]!;
      vv += values[k]! * values[k]!;
    }
    const sMean = (signSums[o + count]! - signSums[o]!) / count;
    const sVar = count * (1 - sMean * sMean);
    // values are centred over all K blocks; re-centre over the first `count`.
    let vSum = 0;
    for (let k = 0; k < count; k++) vSum += values[k]!;
    const vVar = vv - (vSum * vSum) / count;
    const cov = dot - vSum * sMean;
    return vVar > 0 && sVar > 0 ? cov / Math.sqrt(vVar * sVar) : 0;
  };
  let best = mFrom;
  let bestR = -Infinity;
  let secondR = -Infinity;
  {
    let vSum = 0;
    let vv = 0;
    for (let k = 0; k < Ks; k++) {
      vSum += values[k]!;
      vv += values[k]! * values[k]!;
    }
    const vVar = vv - (vSum * vSum) / Ks;
    if (!(vVar > 0)) return null;
    for (let m = mFrom; m <= mTo; m++) {
      const o = m - mFrom;
      let dot = 0;
      for (let k = 0; k < Ks; k++) dot += values[k]! * signs[o + k]!;
      const sMean = (signSums[o + Ks]! - signSums[o]!) / Ks;
      const sVar = Ks * (1 - sMean * sMean);
      const r = sVar > 0 ? (dot - vSum * sMean) / Math.sqrt(vVar * sVar) : 0;
      if (r > bestR) {
        secondR = bestR;
        bestR = r;
        best = m;
      } else if (r > secondR) secondR = r;
    }
  }
  const confidence = pearson(best, K);
  // Runner-up margin in units of "bits that disagree": for sign sequences, Pearson r falls
  // by about 2/K per mismatched bit.
  if (bestR < 0.7 || confidence < 0.7 || ((bestR - secondR) * Ks) / 2 < MIN_BIT_MARGIN) {
    return null;
  }
  // Energy contrast between 1-blocks and 0-blocks: a keyed tone has 25/9 ≈ 2.8.
  let sum1 = 0, n1 = 0, sum0 = 0, n0 = 0;
  for (let k = 0; k < K; k++) {
    if (signs[best - mFrom + k]! > 0) {
      sum1 += values[k]!;
      n1++;
    } else {
      sum0 += values[k]!;
      n0++;
    }
  }
  if (n1 === 0 || n0 === 0 || sum1 / n1 - sum0 / n0 < Math.log(1.5)) return null;

  // (3) Sample-exact refinement. The phase search usually lands about half a ramp after
  // the true boundary, but on coded audio it can be off by more; the bit match only pins
  // the position to within half a block, so fit the keyed tone over that whole span.
  const ramp = rampLength(sampleRate);
  const coarse = best * B - phase + (ramp >> 1);
  const refined = refine(mono, coarse, (B >> 1) + ramp, {
    sampleRate,
    seed,
    frequency: spec.frequency ?? 440,
    length: Math.min(L, REFINE_BLOCKS * B),
    step: Math.max(1, Math.floor(ramp / 6)),
  });
  // The bit search stayed inside the range; a refinement just past its ends (a delayed
  // signal at position 0, say) is clamped.
  const firstSample = Math.max(searchFrom, Math.min(searchTo, refined ?? coarse));
  return { firstSample, confidence: Math.max(0, Math.min(1, confidence)) };
}

/**
 * Least-squares fit of `x(i) ≈ env(s + i) · (a·cos θi + b·sin θi)` (amplitude and carrier
 * phase free) for shifts `s` in `center ± radius`: first every `step`-th shift, then every
 * shift around the three best. Returns the best shift, or `null` when even the best fit
 * explains under half of the input's energy (wrong frequency, or not a clean tone).
 */
function refine(
  mono: Float32Array,
  center: number,
  radius: number,
  opts: { sampleRate: number; seed: number; frequency: number; length: number; step: number },
): number | null {
  const { sampleRate, seed, frequency, length: n, step } = opts;
  if (!(frequency > 0 && frequency < sampleRate / 2)) return null;
  const theta = (2 * Math.PI * frequency) / sampleRate;
  const xc = new Float64Array(n), xs = new Float64Array(n);
  const cc = new Float64Array(n), ss = new Float64Array(n), cs = new Float64Array(n);
  let xx = 0;
  for (let i = 0; i < n; i++) {
    const c = Math.cos(theta * i), s = Math.sin(theta * i), x = mono[i]!;
    xc[i] = x * c;
    xs[i] = x * s;
    cc[i] = c * c;
    ss[i] = s * s;
    cs[i] = c * s;
    xx += x * x;
  }
  const envelope = new Envelope(seed, sampleRate);
  const env = new Float64Array(n + 2 * radius);
  const origin = center - radius;
  for (let i = 0; i < env.length; i++) env[i] = envelope.at(origin + i);
  const fits = new Float64Array(2 * radius + 1).fill(Number.NaN);
  const fitAt = (d: number): number => {
    const known = fits[d]!;
    if (!Number.isNaN(known)) return known;
    let suu = 0, svv = 0, suv = 0, sxu = 0, sxv = 0;
    for (let i = 0; i < n; i++) {
      const e = env[d + i]!;
      const e2 = e * e;
      suu += e2 * cc[i]!;
      svv += e2 * ss[i]!;
      suv += e2 * cs[i]!;
      sxu += e * xc[i]!;
      sxv += e * xs[i]!;
    }
    const det = suu * svv - suv * suv;
    const fit = det > 0 ? (sxu * sxu * svv - 2 * sxu * sxv * suv + sxv * sxv * suu) / det : 0;
    return fits[d] = fit;
  };
  const grid: number[] = [];
  for (let d = 0; d <= 2 * radius; d += step) grid.push(d);
  if (grid[grid.length - 1] !== 2 * radius) grid.push(2 * radius);
  grid.sort((a, b) => fitAt(b) - fitAt(a));
  let best = -1;
  let bestFit = -Infinity;
  for (const g of grid.slice(0, 3)) {
    for (let d = Math.max(0, g - step); d <= Math.min(2 * radius, g + step); d++) {
      const fit = fitAt(d);
      if (fit > bestFit) {
        bestFit = fit;
        best = d;
      }
    }
  }
  return best >= 0 && bestFit >= 0.5 * xx ? origin + best : null;
}

/** Samples over which the level ramps at the start of a block: 1 ms. */
function rampLength(sampleRate: number): number {
  return Math.max(1, Math.min(Math.round(sampleRate / 1000), audioBlockLength(sampleRate) >> 1));
}

/** The tone's relative amplitude at absolute sample `n` (1 ± 0.25, ramped). */
class Envelope {
  readonly #seed: number;
  readonly #block: number;
  readonly #ramp: number;
  readonly #weights: Float64Array;
  #cachedBlock = Number.NaN;
  #cachedLevel = 1;
  #cachedPrev = 1;

  constructor(seed: number, sampleRate: number) {
    this.#seed = seed;
    this.#block = audioBlockLength(sampleRate);
    this.#ramp = rampLength(sampleRate);
    this.#weights = new Float64Array(this.#ramp);
    for (let i = 0; i < this.#ramp; i++) {
      this.#weights[i] = 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / this.#ramp);
    }
  }

  at(n: number): number {
    const block = Math.floor(n / this.#block);
    if (block !== this.#cachedBlock) {
      this.#cachedBlock = block;
      this.#cachedLevel = this.#level(block);
      this.#cachedPrev = this.#level(block - 1);
    }
    const pos = n - block * this.#block;
    if (pos >= this.#ramp) return this.#cachedLevel;
    return this.#cachedPrev + (this.#cachedLevel - this.#cachedPrev) * this.#weights[pos]!;
  }

  #level(block: number): number {
    return (hash32(this.#seed, block) >>> 31) === 1 ? 1 + KEY_DEPTH : 1 - KEY_DEPTH;
  }
}

/** `sin(2π·f·n/rate)` with the phase reduced exactly enough for large `n`. */
function sine(frequency: number, n: number, sampleRate: number): number {
  let cycles = (frequency * n) / sampleRate;
  cycles -= Math.floor(cycles);
  return Math.sin(2 * Math.PI * cycles);
}

function checkSampleRate(sampleRate: number): void {
  if (!Number.isFinite(sampleRate) || sampleRate <= 0) {
    throw new RangeError(`sampleRate must be positive, got ${sampleRate}`);
  }
}
