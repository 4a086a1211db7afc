// Chunking: start() step 15.7 ("once at least max(timeslice, UA minimum) ms of data have
// been collected"), pause/resume, requestData, timecodes (§BlobEvent timecode).
import assert from "node:assert/strict";
import { rig, timeline } from "./_test_util.ts";
import { readWebm } from "../testing.ts";

async function chunkCount(
  timeslice: number | undefined,
  minTimeslice: number,
  ms = 1000,
): Promise<number[]> {
  const { ua, rec, watch } = rig({ ua: { minTimeslice } });
  if (timeslice === undefined) rec.start();
  else rec.start(timeslice);
  await ua.clock.advance(ms);
  rec.stop();
  await ua.clock.settle();
  // every non-final chunk holds at least max(timeslice, minTimeslice) ms of media
  const chunks = ua.trace.ofKind("chunk");
  const threshold = Math.max(timeslice ?? Infinity, minTimeslice);
  for (const c of chunks.slice(0, -1)) {
    assert.ok(c.blocks > 0, "no empty timeslice chunk");
    const next = chunks[chunks.indexOf(c) + 1]!;
    if (next.media) {
      assert.ok(
        next.media[0] - c.media![0] >= threshold,
        `chunk ${c.index} spans ≥ ${threshold} ms`,
      );
    }
  }
  return watch.events.filter((e) => e.type === "dataavailable").map((e) => e.t);
}

Deno.test("15.7: chunk counts for timeslice 1000/100/10/1/0/undefined with minTimeslice 0 (30 fps + 20 ms audio, 1 s)", async () => {
  // 1 s of 30 fps video (frames every 33.3 ms) and 50 audio frames (every 20 ms): 80 blocks at 67 distinct times.
  assert.equal(
    (await chunkCount(1000, 0)).length,
    2,
    "cut at 1000 ms (then an empty final chunk at stop)",
  );
  assert.equal(
    (await chunkCount(100, 0)).length,
    11,
    "cuts at 100..1000 + the (empty) final chunk",
  );
  assert.equal((await chunkCount(undefined, 0)).length, 1, "no timeslice: one chunk at stop");
  // Blocks are captured at 70 distinct instants in [0, 1000) (video and audio coincide
  // every 100 ms); blocks captured at the same instant stay in one chunk.
  // timeslice 10: a cut before the first block at least 10 ms after the chunk's start
  assert.equal((await chunkCount(10, 0)).length, 51);
  // timeslice 0 and 1: a chunk per capture instant (69 cuts in [0, 1000), one at 1000, the final)
  assert.equal(
    (await chunkCount(0, 0)).length,
    71,
    "timeslice 0: one chunk per unit of encoder output",
  );
  assert.equal(
    (await chunkCount(1, 0)).length,
    71,
    "timeslice 1: likewise (blocks are ≥ 6.7 ms apart)",
  );
});

Deno.test("15.7: a UA minimum timeslice of 100 ms bounds chunks for timeslice 0, 1, 10 (chunk count follows the minimum)", async () => {
  for (const ts of [0, 1, 10, 100]) {
    assert.equal((await chunkCount(ts, 100)).length, 11, `timeslice ${ts} with minimum 100`);
  }
  assert.equal((await chunkCount(1000, 100)).length, 2, "a timeslice above the minimum wins");
  assert.equal((await chunkCount(undefined, 100)).length, 1);
});

Deno.test("15.7: chunks are cut at block times; dataavailable fires at the cut", async () => {
  const times = await chunkCount(250, 0, 1000);
  // cuts before the first block ≥ 250, 500, 750 ms after each chunk's start, then stop
  assert.deepEqual(times, [260, 520, 780, 1000]);
});

Deno.test("15.7 + pause(): paused time is not collected, so it does not count toward the timeslice", async () => {
  const { ua, rec, watch } = rig({ audio: false });
  rec.start(1000);
  await ua.clock.advance(400);
  rec.pause();
  await ua.clock.advance(2000);
  rec.resume();
  await ua.clock.advance(1000);
  rec.stop();
  await ua.clock.settle();
  // 400 ms before the pause + 600 ms after resume at 2400 → cut at 3000
  assert.deepEqual(timeline(watch), [
    "start@0",
    "pause@400",
    "resume@2400",
    "dataavailable@3000",
    "dataavailable@3400",
    "stop@3400",
  ]);
  const file = readWebm(await watch.bytes());
  // the container timeline has no gap: 12 frames before the pause, then 30 after, at 33 ms spacing
  const ts = file.blocks.map((b) => b.timestampMs);
  assert.equal(ts.length, 12 + 30);
  assert.equal(ts[12]! - ts[11]!, 33, "no gap for the pause");
  assert.equal(ts.at(-1), Math.round(41 * 1000 / 30));
});

Deno.test("pause() steps 1–3 and resume() steps 1–3: sync state, events in tasks, repeated calls are no-ops", async () => {
  const { ua, rec, watch } = rig();
  assert.throws(() => rec.pause(), (e: Error) => e.name === "InvalidStateError");
  assert.throws(() => rec.resume(), (e: Error) => e.name === "InvalidStateError");
  rec.start();
  rec.resume(); // recording: abort
  rec.pause();
  rec.pause(); // paused: abort, no second event
  assert.equal(rec.state, "paused");
  rec.resume();
  assert.equal(rec.state, "recording");
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(watch.types(), ["start", "pause", "resume", "dataavailable", "stop"]);
  assert.deepEqual(watch.events.map((e) => e.state), [
    "inactive",
    "inactive",
    "inactive",
    "inactive",
    "inactive",
  ]);
});

Deno.test("requestData() in each state: inactive throws; recording and paused deliver the data so far", async () => {
  const { ua, rec, watch } = rig();
  assert.throws(() => rec.requestData(), (e: Error) => e.name === "InvalidStateError");
  rec.start();
  rec.requestData(); // nothing gathered yet: an empty blob
  await ua.clock.advance(500);
  rec.requestData();
  await ua.clock.advance(100);
  rec.pause();
  await ua.clock.advance(100);
  rec.requestData(); // allowed while paused
  await ua.clock.advance(100);
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(timeline(watch), [
    "start@0",
    "dataavailable@0",
    "dataavailable@500",
    "pause@600",
    "dataavailable@700",
    "dataavailable@800",
    "stop@800",
  ]);
  const sizes = watch.chunks.map((c) => c.size);
  assert.equal(sizes[0], 0, "blob empty when nothing was gathered");
  assert.ok(sizes[1]! > 0 && sizes[2]! > 0);
  assert.equal(sizes[3], 0, "paused: nothing gathered after the last request");
  const file = readWebm(await watch.bytes());
  assert.equal(file.blocks.length, 18 + 30, "600 ms recorded: 18 video + 30 audio frames");
});

Deno.test("requestData() restarts the timeslice count (a new Blob)", async () => {
  const { ua, rec, watch } = rig({ audio: false });
  rec.start(1000);
  await ua.clock.advance(700);
  rec.requestData();
  await ua.clock.advance(1500);
  rec.stop();
  await ua.clock.settle();
  assert.deepEqual(timeline(watch), [
    "start@0",
    "dataavailable@700",
    "dataavailable@1700",
    "dataavailable@2200",
    "stop@2200",
  ]);
});

Deno.test("BlobEvent.timecode: 0 first, then each chunk's first capture time minus the first chunk's (pauses included)", async () => {
  const { ua, rec, watch } = rig({ audio: false });
  await ua.clock.advance(10); // the camera's frames are at 0, 33.3, …; start between frames
  rec.start(500);
  await ua.clock.advance(1200);
  rec.pause();
  await ua.clock.advance(1000);
  rec.resume();
  await ua.clock.advance(600);
  rec.stop();
  await ua.clock.settle();
  const timecodes = watch.events.filter((e) => e.type === "dataavailable").map((e) => e.timecode!);
  assert.equal(timecodes[0], 0);
  // chunk 1 starts at the first frame ≥ 510 (533.3), chunk 2 at the first ≥ 1033.3 (1033.3)
  assert.equal(timecodes[1], 500); // 533.3 − 33.3
  assert.equal(timecodes[2], 1000); // 1033.3 − 33.3
  for (let i = 1; i < timecodes.length; i++) {
    assert.ok(timecodes[i]! >= timecodes[i - 1]!, "never decreases");
  }
  // a chunk after the pause includes the paused wall time in its timecode
  assert.ok(timecodes.at(-1)! > 2200);
});

Deno.test("timecodes restart at 0 for each start() (spec profile)", async () => {
  const { ua, rec, watch } = rig();
  rec.start(100);
  await ua.clock.advance(300);
  rec.stop();
  await ua.clock.settle();
  rec.start(100);
  await ua.clock.advance(300);
  rec.stop();
  await ua.clock.settle();
  const da = watch.events.filter((e) => e.type === "dataavailable");
  assert.equal(da[0]!.timecode, 0);
  const second = da.findIndex((e, i) => i > 0 && e.t > 300);
  assert.equal(da[second]!.timecode, 0);
});
