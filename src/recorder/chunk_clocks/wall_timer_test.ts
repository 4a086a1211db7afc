// The `wall-timer` chunk clock (Safari/WebKit, WK-MR; chunk_clocks/wall_timer.ts): a
// one-shot timer of max(timeslice, 100 ms) armed at start(), re-armed at each tick, restarted
// by requestData() where the profile says so. Through a recording of a custom profile (empty
// ticks delivered, so each tick shows) and through a hand-made host.
import assert from "node:assert/strict";
import { type Profile, profiles } from "../../profiles/mod.ts";
import { createUserAgent } from "../../user_agent.ts";
import type { ChunkClockHost } from "./chunk_clock.ts";
import { WallTimerClock } from "./wall_timer.ts";

function host(
  threshold: number,
  options: { t0?: number; now?: () => number; profile?: Partial<Profile> } = {},
): ChunkClockHost {
  return {
    profile: { ...profiles.safari, ...options.profile } as Profile,
    t0: options.t0 ?? 0,
    threshold,
    now: options.now ?? (() => 0),
    pausedTotal: () => 0,
    nextBlockTime: () => null,
    chunkBase: () => 0,
    firstOutput: () => -Infinity,
    liveVideo: () => true,
  };
}

/** dataavailable times (virtual ms) of start(200) at 250, requestData() at 750, stop() at 1550. */
async function ticks(requestDataRestartsTimeslice: boolean): Promise<number[]> {
  const ua = createUserAgent({
    profile: {
      ...profiles.safari,
      emptyTimesliceChunks: true,
      requestDataRestartsTimeslice,
    } as Profile,
  });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack({ frameRate: 2 })]));
  const times: number[] = [];
  rec.ondataavailable = () => times.push(ua.clock.now());
  await ua.clock.advance(250);
  rec.start(200);
  await ua.clock.advance(500);
  rec.requestData();
  await ua.clock.advance(800);
  rec.stop();
  await ua.clock.settle();
  ua.close();
  return times;
}

Deno.test("WK-MR wall timer: armed at start() (not at time 0); requestData() restarts it where requestDataRestartsTimeslice", async () => {
  // Safari's rule (requestDataRestartsTimeslice): ticks 200 ms after start() at 250, then
  // 200 ms after the requestData() at 750.
  assert.deepEqual(await ticks(true), [450, 650, 750, 950, 1150, 1350, 1550, 1550]);
  // Without it the timer keeps its own beat from start().
  assert.deepEqual(await ticks(false), [450, 650, 750, 850, 1050, 1250, 1450, 1550]);
});

Deno.test("WK-MR wall timer: the due time is t0 + threshold, then the tick's time + threshold", () => {
  let now = 1000;
  const clock = new WallTimerClock(host(100, { t0: 1000, now: () => now }));
  assert.equal(clock.nextBoundary(-Infinity), 1100);
  now = 1130; // a late tick re-arms from when it ran
  clock.atBoundary(1100, { blocks: 1, bytes: 10 });
  assert.equal(clock.nextBoundary(1100), 1230);
  clock.requestDataCut(1150); // Safari restarts the timer
  assert.equal(clock.nextBoundary(-Infinity), 1250);
  const kept = new WallTimerClock(
    host(100, { t0: 1000, profile: { requestDataRestartsTimeslice: false } }),
  );
  kept.requestDataCut(1050);
  assert.equal(kept.nextBoundary(-Infinity), 1100, "not restarted");
});

Deno.test("WK-MR wall timer: no tick is planned past the safe-integer range of the timeline", () => {
  for (const threshold of [Infinity, NaN, 2 ** 60]) {
    assert.equal(new WallTimerClock(host(threshold)).nextBoundary(-Infinity), null, `${threshold}`);
  }
  const max = Number.MAX_SAFE_INTEGER;
  assert.equal(new WallTimerClock(host(max)).nextBoundary(-Infinity), max);
});

Deno.test("WK-MR wall timer: an empty tick delivers nothing (ReturnDataIfEmpty::No) unless emptyTimesliceChunks", () => {
  const safari = new WallTimerClock(host(100));
  assert.equal(safari.atBoundary(100, { blocks: 0, bytes: 0 }), "if-bytes");
  assert.equal(safari.atBoundary(200, { blocks: 0, bytes: 7 }), "cut", "bytes without blocks");
  assert.equal(safari.atBoundary(300, { blocks: 2, bytes: 7 }), "cut");
  const empties = new WallTimerClock(host(100, { profile: { emptyTimesliceChunks: true } }));
  assert.equal(empties.atBoundary(100, { blocks: 0, bytes: 0 }), "cut");
  assert.equal(empties.atBoundary(200, { blocks: 1, bytes: 9 }), "cut");
});

Deno.test("WK-MR wall timer: no chunk closes with the muxer's first byte (a Chrome rule)", () => {
  const clock = new WallTimerClock(host(100));
  assert.equal(clock.closesWithFirstByte(100), false);
  assert.equal(clock.closingWrite, false);
});
