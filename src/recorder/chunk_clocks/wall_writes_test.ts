// The `wall-writes` chunk clock (Chrome, CR-MRH `WriteData`; chunk_clocks/wall_writes.ts)
// read through a hand-made host: a slice closes at the first muxer write strictly after
// origin + timeslice; the muxer writes nothing before its first output; with audio it
// writes on the Opus packet grid (lab timeslice/av-100, timeslice/audio-100).
import assert from "node:assert/strict";
import { type Profile, profiles } from "../../profiles/mod.ts";
import type { ChunkClockHost } from "./chunk_clock.ts";
import { WallWritesClock } from "./wall_writes.ts";

interface Setup {
  threshold: number;
  t0?: number;
  /** The muxer's first output (-Infinity: not planned yet). */
  first?: number;
  /** Video frame period from t0 (null: no video to come). */
  video?: number | null;
  /** Audio frame times after t0: every `audio` ms (null: no audio to come). */
  audio?: number | null;
  /** Explicit next audio time, whatever `after` (overrides `audio`). */
  audioAt?: number;
  liveVideo?: boolean;
  profile?: Partial<Profile>;
}

function host(s: Setup): ChunkClockHost {
  const t0 = s.t0 ?? 0;
  // The first frame of period `p` strictly after `after` and at or after `notBefore`.
  const next = (p: number, after: number, notBefore: number) => {
    const k = Math.max(Math.floor((after - t0) / p) + 1, Math.ceil((notBefore - t0) / p), 0);
    return t0 + k * p;
  };
  const video = s.video === undefined ? 50 : s.video;
  const audio = s.audio === undefined ? null : s.audio;
  return {
    profile: { ...profiles.chrome, ...s.profile } as Profile,
    t0,
    threshold: s.threshold,
    now: () => 0,
    pausedTotal: () => 0,
    nextBlockTime: (after, notBefore, kind) => {
      if (kind === "audio") {
        if (s.audioAt !== undefined) return s.audioAt;
        return audio === null ? null : next(audio, after, notBefore);
      }
      return video === null ? null : next(video, after, notBefore);
    },
    chunkBase: () => 0,
    firstOutput: () => s.first ?? -Infinity,
    liveVideo: () => s.liveVideo ?? video !== null,
  };
}

const clock = (s: Setup) => new WallWritesClock(host(s));

Deno.test("CR-MRH WriteData: the slice closes at the first write strictly after origin + timeslice", () => {
  assert.equal(clock({ threshold: 100 }).nextBoundary(-Infinity), 150);
  assert.equal(clock({ threshold: 100, first: 100 }).nextBoundary(-Infinity), 150, "first at 100");
  assert.equal(clock({ threshold: 100, first: 100 }).closesWithFirstByte(150), false);
});

Deno.test("lab timeslice/av-10: the muxer's first write closes a first slice whose deadline passed, once", () => {
  const c = clock({ threshold: 10, first: 110 });
  assert.equal(c.nextBoundary(-Infinity), 110);
  assert.equal(c.closesWithFirstByte(110), true);
  // Planning past that boundary: the next write after it.
  assert.equal(c.nextBoundary(110), 150);
  // After a cut the first output closes nothing by itself, and no write comes before it.
  const cut = clock({ threshold: 10, first: 500, video: 30 });
  cut.cutAt(60);
  assert.equal(cut.nextBoundary(-Infinity), 510);
  assert.equal(cut.closesWithFirstByte(500), false);
  const onFrame = clock({ threshold: 10, first: 500 });
  onFrame.cutAt(50);
  assert.equal(onFrame.nextBoundary(-Infinity), 500, "the write of the frame at the first output");
});

Deno.test("CR-MRH WriteData: no slice boundary past the safe-integer range of the timeline", () => {
  for (const threshold of [Infinity, NaN, 2 ** 53 + 2]) {
    assert.equal(clock({ threshold }).nextBoundary(-Infinity), null, `${threshold}`);
  }
  const at = clock({ threshold: Number.MAX_SAFE_INTEGER }).nextBoundary(-Infinity);
  assert.equal(typeof at, "number");
});

Deno.test("CR-MRH WriteData: a boundary before any block was written plans the next ('later'); else cut once written", () => {
  const c = clock({ threshold: 100 });
  assert.equal(c.atBoundary(150, { blocks: 0, bytes: 0 }), "later");
  assert.equal(c.atBoundary(150, { blocks: 0, bytes: 30 }), "later", "header bytes are no block");
  assert.equal(c.atBoundary(150, { blocks: 2, bytes: 30 }), "if-bytes");
});

Deno.test("lab timeslice/av-0: a delivery per muxer write only at timeslice 0 where chunkPerWrite", () => {
  const parts = [new Uint8Array([0xe7, 0x81, 0x00])]; // a Timecode element: 3 writes
  const perWrite = clock({ threshold: 0 });
  assert.equal(perWrite.closingWrite, false);
  assert.deepEqual(perWrite.deliveries(parts, false).map((d) => d.length), [1, 1, 1]);
  assert.deepEqual(perWrite.deliveries(parts, true).map((d) => d.length), [1, 1, 1, 0]);
  for (
    const c of [
      clock({ threshold: 100 }),
      clock({ threshold: 0, profile: { chunkPerWrite: false } }),
    ]
  ) {
    assert.equal(c.closingWrite, true);
    assert.deepEqual(c.deliveries(parts, true), [parts]);
  }
});

Deno.test("lab timeslice/audio-100: with audio, writes on the 60 ms Opus packet grid from start() (every 120 ms)", () => {
  const c = clock({ threshold: 100, t0: 1000, audio: 20, video: null });
  assert.equal(c.nextBoundary(-Infinity), 1120);
  c.cutAt(1120);
  assert.equal(c.nextBoundary(1120), 1240);
  // An audio block a rounding error past a packet boundary belongs to the packet written at
  // that boundary: the next write strictly after it is the next packet's.
  const edge = clock({ threshold: 120, audioAt: 120 + 1e-8, video: null });
  assert.equal(edge.nextBoundary(-Infinity), 180);
});

Deno.test("CR-MRH WriteData: without a packet grid (audioWriteMs null) writes come with live video frames, else with audio", () => {
  const noGrid = { audioWriteMs: null };
  assert.equal(clock({ threshold: 100, audio: 20, profile: noGrid }).nextBoundary(-Infinity), 150);
  const audioOnly = clock({ threshold: 100, audio: 20, video: null, profile: noGrid });
  assert.equal(audioOnly.nextBoundary(-Infinity), 120);
  // Video alone (Chrome's grid is for audio): at each frame.
  assert.equal(clock({ threshold: 100, video: 30 }).nextBoundary(-Infinity), 120);
  assert.equal(clock({ threshold: 100, video: 70 }).nextBoundary(-Infinity), 140);
  // Nothing more to write: no boundary.
  assert.equal(clock({ threshold: 100, video: null }).nextBoundary(-Infinity), null);
});
