/**
 * State transitions: start/pause/resume/requestData/stop cycles on a recorder whose only
 * track produces no frame during the run, so no encoder work is done: what is measured is
 * the methods, their queued tasks and events, and the clock settling. One iteration is one
 * cycle, so deno bench's iter/s is cycles per second.
 *
 * Run: `deno task bench` (or `deno bench -A bench/state_bench.ts`).
 *
 * @module
 */
import { createStateRig } from "./_scenarios.ts";

// Setup check (not timed): a cycle fires start, pause, resume, dataavailable (requestData),
// dataavailable (stop) and stop, and no frame is recorded (the chunks are empty).
{
  const rig = await createStateRig({ stepMs: 10 });
  for (let i = 0; i < 100; i++) await rig.cycle();
  rig.close();
  if (rig.events !== 600 || rig.bytes !== 0) {
    throw new Error(`100 cycles fired ${rig.events} events (expected 600), ${rig.bytes} bytes`);
  }
}

const GROUP = "state transitions (no encoder work)";

const startStop = await createStateRig();
Deno.bench({
  name: "start, stop; settle",
  group: GROUP,
  baseline: true,
  async fn() {
    await startStop.startStop();
  },
});

const cycle = await createStateRig();
Deno.bench({
  name: "start, pause, resume, requestData, stop; settle once",
  group: GROUP,
  async fn() {
    await cycle.cycle();
  },
});

const settleEach = await createStateRig({ settleEach: true });
Deno.bench({
  name: "same cycle, settle after every call",
  group: GROUP,
  async fn() {
    await settleEach.cycle();
  },
});

const advanceEach = await createStateRig({ stepMs: 10 });
Deno.bench({
  name: "same cycle, advance 10 ms after every call",
  group: GROUP,
  async fn() {
    await advanceEach.cycle();
  },
});

globalThis.addEventListener("unload", () => {
  for (const rig of [startStop, cycle, settleEach, advanceEach]) rig.close();
});
