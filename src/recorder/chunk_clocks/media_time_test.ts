// The `media` chunk clock (spec, Firefox; chunk_clocks/media_time.ts) read through a
// hand-made host: start() step 15.7 counts media time from the chunk's first block, and
// never cuts a chunk empty of blocks.
import assert from "node:assert/strict";
import { profiles } from "../../profiles/mod.ts";
import type { ChunkClockHost } from "./chunk_clock.ts";
import { MediaTimeClock } from "./media_time.ts";

/** Blocks every 50 ms from 0 (the first one strictly after `after`, at or after `notBefore`). */
function host(threshold: number): ChunkClockHost {
  return {
    profile: profiles.spec,
    t0: 0,
    threshold,
    now: () => 0,
    pausedTotal: () => 0,
    nextBlockTime: (after, notBefore) =>
      Math.max(Math.floor(after / 50) * 50 + 50, Math.ceil(notBefore / 50) * 50),
    chunkBase: () => 0,
    firstOutput: () => -Infinity,
    liveVideo: () => true,
  };
}

Deno.test("15.7 media clock: the boundary is the first block whose media time reaches the timeslice", () => {
  assert.equal(new MediaTimeClock(host(100)).nextBoundary(-Infinity), 100);
  assert.equal(new MediaTimeClock(host(120)).nextBoundary(-Infinity), 150);
  assert.equal(new MediaTimeClock(host(100)).nextBoundary(100), 150, "strictly after afterTime");
});

Deno.test("15.7 media clock: no boundary is planned past the safe-integer range of the timeline", () => {
  for (const threshold of [Infinity, NaN, 2 ** 53 + 2]) {
    assert.equal(new MediaTimeClock(host(threshold)).nextBoundary(-Infinity), null, `${threshold}`);
  }
  // A due time of exactly Number.MAX_SAFE_INTEGER (the 1e-6 slack rounds away) is planned.
  const at = new MediaTimeClock(host(Number.MAX_SAFE_INTEGER)).nextBoundary(-Infinity);
  assert.equal(typeof at, "number");
  assert.ok(at! >= Number.MAX_SAFE_INTEGER);
});

Deno.test("15.7 media clock: a boundary with no block gathered plans the next one ('later'); otherwise cut", () => {
  const clock = new MediaTimeClock(host(100));
  assert.equal(clock.atBoundary(100, { blocks: 0, bytes: 0 }), "later");
  assert.equal(clock.atBoundary(100, { blocks: 0, bytes: 42 }), "later", "bytes are not blocks");
  assert.equal(clock.atBoundary(100, { blocks: 1, bytes: 42 }), "cut");
});

Deno.test("15.7 media clock: no chunk ever closes with the muxer's first byte (a Chrome rule)", () => {
  const clock = new MediaTimeClock(host(100));
  assert.equal(clock.closesWithFirstByte(0), false);
  assert.equal(clock.closesWithFirstByte(100), false);
  assert.equal(clock.closingWrite, false);
});
