/**
 * Seeded pseudo-random numbers for recsim. The core never calls `Math.random`: every
 * random choice (noise samples, frame jitter, dropped frames) comes from here, so the
 * same seed gives the same recording.
 *
 * @module
 */

/**
 * Hashes a seed and up to three integers into a uniformly distributed 32-bit unsigned
 * integer (a stateless, counter-based generator: the value for frame `i` does not
 * depend on how many other values were drawn before).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hash32 } from "./prng.ts";
 * assert.ok(hash32(1, 2) === hash32(1, 2));
 * assert.ok(hash32(1, 2) !== hash32(1, 3));
 * ```
 */
export function hash32(seed: number, a = 0, b = 0, c = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = mix(h ^ Math.imul(a | 0, 0x85ebca6b));
  h = mix(h ^ Math.imul(b | 0, 0xc2b2ae35));
  h = mix(h ^ Math.imul(c | 0, 0x27d4eb2f));
  return h >>> 0;
}

/**
 * Like {@link hash32}, scaled to a float in `[0, 1)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashUnit } from "./prng.ts";
 * const x = hashUnit(7, 1);
 * assert.ok(x >= 0 && x < 1);
 * ```
 */
export function hashUnit(seed: number, a = 0, b = 0, c = 0): number {
  return hash32(seed, a, b, c) / 4294967296;
}

function mix(h: number): number {
  // murmur3 fmix32
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A small sequential generator (mulberry32) for places where values are drawn in
 * order, such as ids.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Prng } from "./prng.ts";
 * const a = new Prng(42), b = new Prng(42);
 * assert.ok(a.next() === b.next());
 * ```
 */
export class Prng {
  #state: number;
  /** Creates a generator whose sequence is fixed by `seed`. */
  constructor(seed: number) {
    this.#state = hash32(seed) | 0;
  }
  /** The next float in `[0, 1)`. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }
  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** A hex id of `bytes` random bytes, e.g. for track and stream ids. */
  hexId(bytes = 16): string {
    let s = "";
    for (let i = 0; i < bytes; i++) s += (this.nextUint32() & 0xff).toString(16).padStart(2, "0");
    return s;
  }
}
