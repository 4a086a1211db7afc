// The encoder-latency model (issue 13 item 7; src/recorder/encoder_latency.ts): per-frame
// encoding time, jitter from the seed, and frames dropped past the queue limit, through a
// whole recording. Each test derives a profile from the spec's with latency added, so it
// holds however the engine profiles' measured figures move.
import assert from "node:assert/strict";
import { type EncoderLatency, type Profile, profiles } from "../profiles/mod.ts";
import { createUserAgent } from "../user_agent.ts";
import { EncoderLatencyModel } from "./encoder_latency.ts";

async function record(
  latency: EncoderLatency | undefined,
  options: { seed?: number; timeslice?: number; ms?: number; frameRate?: number } = {},
) {
  const ua = createUserAgent({
    profile: { ...profiles.spec, encoderLatency: latency } as Profile,
    seed: options.seed ?? 1,
  });
  const track = ua.createVideoTrack({ frameRate: options.frameRate ?? 20 });
  const rec = new ua.MediaRecorder(new ua.MediaStream([track]));
  const chunks: { t: number; size: number }[] = [];
  rec.ondataavailable = (e) => chunks.push({ t: ua.clock.now(), size: e.data.size });
  rec.start(options.timeslice ?? 100);
  await ua.clock.advance(options.ms ?? 1000);
  rec.stop();
  await ua.clock.settle();
  const frames = ua.trace.ofKind("frames")[0]!.runs;
  const chunkEntries = ua.trace.ofKind("chunk");
  ua.close();
  return { chunks, frames, chunkEntries };
}

const count = (runs: [number, number, string][], state: string) =>
  runs.filter((r) => r[2] === state).reduce((n, r) => n + r[1] - r[0], 0);

Deno.test("encoder latency: each chunk is cut when its boundary block has been encoded (frameMs later)", async () => {
  const none = await record(undefined);
  const slow = await record({ startMs: 0, dataMs: 0, frameMs: 30 });
  // spec: a 20 fps video track, start(100): cuts at 100, 200, …; with 30 ms per frame,
  // the block that closes each chunk reaches the muxer 30 ms later.
  assert.deepEqual(none.chunks.slice(0, 3).map((c) => c.t), [100, 200, 300]);
  assert.deepEqual(slow.chunks.slice(0, 3).map((c) => c.t), [130, 230, 330]);
  // Nothing is lost: the same frames are recorded, and the same bytes in all.
  assert.equal(count(slow.frames, "recorded"), count(none.frames, "recorded"));
  const total = (cs: { size: number }[]) => cs.reduce((n, c) => n + c.size, 0);
  assert.equal(total(slow.chunks), total(none.chunks));
});

Deno.test("encoder latency: jitter comes from the seed (the same seed, the same cut times; another seed, others)", async () => {
  const latency = { startMs: 0, dataMs: 0, frameMs: 5, jitterMs: 40 };
  const a = await record(latency, { seed: 7 });
  const b = await record(latency, { seed: 7 });
  const c = await record(latency, { seed: 8 });
  assert.deepEqual(a.chunks, b.chunks);
  assert.notDeepEqual(a.chunks.map((x) => x.t), c.chunks.map((x) => x.t));
  // Every cut comes between 5 and 45 ms after its boundary; chunks stay in order.
  for (const [i, chunk] of a.chunks.slice(0, -1).entries()) {
    const boundary = (i + 1) * 100;
    assert.ok(chunk.t >= boundary + 5 && chunk.t < boundary + 45, `${chunk.t} vs ${boundary}`);
  }
});

Deno.test("encoder latency: an encoder slower than the frame rate drops frames past its queue limit, and says so in the trace", async () => {
  // 20 fps (50 ms a frame) with 120 ms per frame: after 4 queued frames it keeps one in 3.
  const { frames, chunks } = await record(
    { startMs: 0, dataMs: 0, frameMs: 120, queueLimit: 4 },
    { ms: 2000 },
  );
  const recorded = count(frames, "recorded");
  const dropped = count(frames, "dropped");
  assert.equal(recorded + dropped, 40, "2 s of 20 fps");
  assert.equal(recorded, 4 + Math.ceil((40 - 4) / 3));
  assert.ok(chunks.length > 2);
  // Without a queue limit nothing is dropped (it only falls behind).
  const unbounded = await record({ startMs: 0, dataMs: 0, frameMs: 120 }, { ms: 2000 });
  assert.equal(count(unbounded.frames, "dropped"), 0);
});

Deno.test("encoder latency: requestData() delivers only what has reached the muxer", async () => {
  const ua = createUserAgent({
    profile: {
      ...profiles.spec,
      encoderLatency: { startMs: 0, dataMs: 0, frameMs: 80 },
    } as Profile,
  });
  const rec = new ua.MediaRecorder(
    new ua.MediaStream([ua.createVideoTrack({ frameRate: 20 })]),
  );
  const blocks: number[] = [];
  rec.ondataavailable = () => blocks.push(ua.trace.ofKind("chunk").at(-1)!.blocks);
  rec.start();
  await ua.clock.advance(500);
  rec.requestData(); // frames captured at 0…450; those before 420 are encoded by 500
  await ua.clock.advance(0);
  rec.stop(); // stop drains the encoder: the rest comes in the last chunk
  await ua.clock.settle();
  assert.deepEqual(blocks, [9, 1]);
  ua.close();
});

// The model itself (EncoderLatencyModel), frame by frame, on a lane of 20 fps from 0.
const lane20 = { number: 1, source: { period: 50, frameTime: (i: number) => i * 50 } };
const model = (latency: EncoderLatency | undefined, seed = 1) =>
  new EncoderLatencyModel(latency, { video: true, audio: false }, 0, seed, 1);

Deno.test("encoder latency: 'none' only without data, frame or jitter latency (start-up alone delays no data)", () => {
  assert.equal(model(undefined).none, true);
  assert.equal(model({ startMs: 30, dataMs: 0 }).none, true);
  assert.equal(model({ startMs: 0, dataMs: 100 }).none, false);
  assert.equal(model({ startMs: 0, dataMs: 0, frameMs: 10 }).none, false);
  assert.equal(model({ startMs: 0, dataMs: 0, jitterMs: 10 }).none, false);
});

Deno.test("encoder latency: jitter alone delays each frame by [0, jitterMs), keeping capture order", () => {
  const m = model({ startMs: 0, dataMs: 0, frameMs: 0, jitterMs: 40 });
  const arrivals = Array.from({ length: 100 }, (_, i) => m.arrival(lane20, i));
  assert.ok(arrivals.every((a, i) => a >= i * 50 && a < i * 50 + 40));
  assert.ok(arrivals.some((a, i) => a > i * 50), "some frame is late");
  assert.ok(arrivals.every((a, i) => i === 0 || a >= arrivals[i - 1]!));
});

Deno.test("encoder latency: a frame never overtakes the one before it, even with jitter spanning many frame periods", () => {
  // Frames every 0.5 ms with up to 10 ms of jitter: up to 20 frames can reach past a frame.
  const fast = { number: 2, source: { period: 0.5, frameTime: (i: number) => i * 0.5 } };
  for (const seed of [1, 2, 3]) {
    const m = model({ startMs: 0, dataMs: 0, frameMs: 1, jitterMs: 10 }, seed);
    let last = -Infinity;
    for (let i = 0; i < 400; i++) {
      const at = m.arrival(fast, i);
      assert.ok(at >= last, `seed ${seed}: frame ${i} at ${at} before ${last}`);
      assert.ok(at >= i * 0.5 + 1 && at < i * 0.5 + 11 + 10);
      last = at;
    }
  }
});

Deno.test("encoder latency: a slow encoder (frameMs > period) queues: frames from queueLimit on wait queueLimit × period, and one in ceil(frameMs / period) is kept", () => {
  // 50 ms frames, 120 ms to encode, a queue of 4: keep one in 3 from frame 4.
  const m = model({ startMs: 0, dataMs: 0, frameMs: 120, queueLimit: 4 });
  assert.equal(m.arrival(lane20, 0), 120);
  assert.equal(m.arrival(lane20, 3), 150 + 120, "in the queue: its own time only");
  assert.equal(m.arrival(lane20, 4), 200 + 4 * 50 + 120, "behind: waits for the queue");
  assert.equal(m.arrival(lane20, 7), 350 + 4 * 50 + 120);
  const dropped = Array.from({ length: 11 }, (_, i) => m.dropped(lane20, i));
  assert.deepEqual(dropped.map((d) => (d ? "x" : ".")).join(""), ".....xx.xx.");
});

Deno.test("encoder latency: an encoder that keeps up (frameMs ≤ period) neither queues nor drops, whatever its queueLimit", () => {
  for (const frameMs of [0, 30, 50]) {
    const m = model({ startMs: 0, dataMs: 0, frameMs, queueLimit: 4 });
    for (let i = 0; i < 12; i++) {
      assert.equal(m.arrival(lane20, i), i * 50 + frameMs, `frameMs ${frameMs}, frame ${i}`);
      assert.equal(m.dropped(lane20, i), false, `frameMs ${frameMs}, frame ${i}`);
    }
  }
});
