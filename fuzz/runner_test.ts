import assert from "node:assert/strict";
import type { CaseData, CommandData, Setup } from "./case_data.ts";
import { replayCase } from "./runner.ts";

const setup = (over: Partial<Setup> = {}): Setup => ({
  seed: 7,
  minTimeslice: 0,
  tracks: [
    { kind: "video", inStream: true, frameRate: 29.97, jitterMs: 9, dropRate: 0.1 },
    { kind: "audio", inStream: true, sampleRate: 48000, frameSize: 960, channelCount: 2 },
    { kind: "audio", inStream: false, sampleRate: 16000, frameSize: 160, channelCount: 1 },
  ],
  options: { mimeType: "video/webm", bitsPerSecond: "64000" },
  encoder: { mode: "direct" },
  ...over,
});

async function passes(commands: CommandData[], over: Partial<Setup> = {}) {
  const data: CaseData = { setup: setup(over), commands };
  const result = await replayCase(data);
  assert.equal(result.executed.length, commands.length);
  return result;
}

Deno.test("runner: reentrant listeners (stop in ondataavailable, start in onstop, pause in onstart, requestData in onresume)", async () => {
  await passes([
    { c: "arm", event: "dataavailable", action: { m: "stop" } },
    { c: "arm", event: "stop", action: { m: "start", ts: "250" } },
    { c: "arm", event: "start", action: { m: "pause" } },
    { c: "arm", event: "resume", action: { m: "requestData" } },
    { c: "start", ts: "100" },
    { c: "advance", ms: 450 },
    { c: "resume" },
    { c: "advance", ms: 1200 },
  ]);
});

Deno.test("runner: every termination path, one after another", async () => {
  const { coverage } = await passes([
    { c: "start", ts: "0" },
    { c: "advance", ms: 300 },
    { c: "setIsolated", track: 1, isolated: true }, // SecurityError
    { c: "advance", ms: 10 },
    { c: "setIsolated", track: 1, isolated: false },
    { c: "start", ts: "absent" },
    { c: "advance", ms: 200 },
    { c: "addTrack", track: 2, ua: true }, // InvalidModificationError
    { c: "settle" },
    { c: "failEncoder", configure: false },
    { c: "start", ts: "40" },
    { c: "advance", ms: 500 }, // UnknownError at the first frame
    { c: "failEncoder", configure: true },
    { c: "start", ts: "40" },
    { c: "advance", ms: 5 }, // NotSupportedError (15.2)
    { c: "start", ts: '"100"' },
    { c: "pause" },
    { c: "advance", ms: 1000 },
    { c: "resume" },
    { c: "advance", ms: 1000 },
    { c: "trackEnd", track: 0 },
    { c: "trackStop", track: 1 },
    { c: "trackStop", track: 2 }, // all recorded tracks ended
    { c: "advance", ms: 1 },
  ]);
  assert.deepEqual(Object.fromEntries(coverage.terminations), {
    SecurityError: 1,
    InvalidModificationError: 1,
    UnknownError: 1,
    NotSupportedError: 1,
    ended: 1,
  });
});

Deno.test("runner: a listener that throws does not stop the recorder (decision 15)", async () => {
  await passes([
    { c: "arm", event: "dataavailable", action: { m: "throw" } },
    { c: "arm", event: "start", action: { m: "throw" } },
    { c: "start", ts: "100" },
    { c: "advance", ms: 350 },
    { c: "stop" },
    { c: "settle" },
  ]);
});

Deno.test("runner: the same commands give the same trace and bytes whatever the schedule", async () => {
  const commands: CommandData[] = [
    { c: "start", ts: "33" },
    { c: "advance", ms: 700 },
    { c: "setMuted", track: 0, muted: true },
    { c: "requestData" },
    { c: "pause" },
    { c: "advance", ms: 300 },
    { c: "resume" },
    { c: "advance", ms: 480 },
    { c: "stop" },
    { c: "start", ts: "0" },
    { c: "advance", ms: 120 },
  ];
  for (const feedInterval of [0, 25, "Infinity" as const]) {
    for (const schedulerSeed of [1, 2, 3]) {
      // replayCase compares the scheduled run with the synchronous one and throws if they differ
      await replayCase(
        { setup: setup({ encoder: { mode: "scheduled", feedInterval } }), commands },
        schedulerSeed,
      );
    }
  }
});

Deno.test("runner: long jumps and an Ogg recording", async () => {
  await passes([
    { c: "start", ts: "1000" },
    { c: "advance", ms: 600_000 },
    { c: "requestData" },
    { c: "advance", ms: 20_000 },
  ], {
    tracks: [{
      kind: "audio",
      inStream: true,
      sampleRate: 48000,
      frameSize: 2880,
      channelCount: 1,
    }],
    options: { mimeType: "audio/ogg" },
  });
});
