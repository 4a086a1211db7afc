// Issue 6: the scenario table per profile (event sequence with times, chunk emptiness,
// timecodes, error names, mimeType at the start event and after the end). The expected
// rows are in profiles_expected.json; each scenario in profiles_test_table.ts cites the
// source of its rows. Regenerate only after checking a change against those sources.
import assert from "node:assert/strict";
import { runScenario } from "./_scenarios.ts";
import { scenarios } from "./profiles_test_table.ts";
import { createUserAgent } from "../user_agent.ts";
import { profiles } from "./mod.ts";
import { MediaRecorderErrorEvent } from "../events/media_recorder_error_event.ts";

const expected = JSON.parse(
  await Deno.readTextFile(new URL("./profiles_expected.json", import.meta.url)),
) as Record<string, Record<string, string>>;

for (const scenario of scenarios) {
  Deno.test(`profiles: ${scenario.name} (${scenario.source})`, async () => {
    for (const profile of ["spec", "chrome", "firefox", "safari"] as const) {
      assert.equal(
        await runScenario(profile, scenario),
        expected[scenario.name]![profile],
        `${profile}: ${scenario.name}`,
      );
    }
  });
}

Deno.test("profiles: isTypeSupported answers as each engine does", () => {
  const types = [
    "",
    "video/webm",
    "video/webm;codecs=vp8,opus",
    "video/webm;codecs=vp9",
    "video/webm;codecs=vp09.00.10.08",
    "video/webm;codecs=h264",
    "video/x-matroska;codecs=avc1",
    "audio/webm;codecs=opus",
    "audio/ogg;codecs=opus",
    "video/mp4",
    "video/mp4;codecs=avc1.42000a,mp4a.40.2",
    "audio/wav",
  ];
  const table: Record<string, boolean[]> = {
    // spec over recsim's encoders (synthetic): webm vp8/vp9/opus, ogg opus; vp09 deferred → false
    spec: [true, true, true, true, false, false, false, true, true, false, false, false],
    // CR-MRH CanSupportMimeType: webm/matroska with vp8/vp9/h264/avc1/av1, mp4; no ogg/wav;
    // no AAC on Linux (measured: lab mime/is-type-supported-table)
    chrome: [true, true, true, true, false, true, true, true, false, true, false, false],
    // FF-MR IsTypeSupportedImpl: webm vp8/opus, ogg opus only
    firefox: [true, true, true, false, false, false, false, true, true, false, false, false],
    // WK-AVF: mp4 avc1/mp4a, webm vp8/vp9/vp09/opus
    safari: [true, true, true, true, true, false, false, true, false, true, true, false],
  };
  for (const [name, answers] of Object.entries(table)) {
    const ua = createUserAgent({ profile: name as keyof typeof profiles });
    assert.deepEqual(types.map((t) => ua.MediaRecorder.isTypeSupported(t)), answers, name);
  }
});

Deno.test("profiles: default bitrates and the bitsPerSecond split (CR-MR, FF-MR, WK-PRIV)", async () => {
  const rows: Array<[keyof typeof profiles, [number, number], [number, number], [number, number]]> =
    [
      // [profile, defaults v/a, bitsPerSecond 1 Mbit/s split, after start() with audio only]
      ["spec", [2_500_000, 128_000], [900_000, 100_000], [0, 1_000_000]],
      ["chrome", [2_500_000, 128_000], [900_000, 100_000], [0, 510_000]],
      ["firefox", [2_500_000, 128_000], [952_380, 47_619], [0, 512_000]],
      ["safari", [10_000_000, 192_000], [900_000, 100_000], [0, 1_000_000]],
    ];
  for (const [name, defaults, split, audioOnly] of rows) {
    const ua = createUserAgent({ profile: name });
    const stream = new ua.MediaStream([ua.createAudioTrack()]);
    const plain = new ua.MediaRecorder(stream, { mimeType: "audio/webm" });
    assert.deepEqual(
      [plain.videoBitsPerSecond, plain.audioBitsPerSecond],
      defaults,
      `${name} defaults`,
    );
    const rec = new ua.MediaRecorder(stream, { bitsPerSecond: 1_000_000, mimeType: "audio/webm" });
    assert.deepEqual([rec.videoBitsPerSecond, rec.audioBitsPerSecond], split, `${name} split`);
    rec.start();
    assert.deepEqual(
      [rec.videoBitsPerSecond, rec.audioBitsPerSecond],
      audioOnly,
      `${name} at start`,
    );
    rec.stop();
    await ua.clock.settle();
  }
  // Chrome sets the missing kind to 0 at start() even without bitsPerSecond (CR-MR)
  const ua = createUserAgent({ profile: "chrome" });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack()]));
  rec.start();
  assert.deepEqual([rec.videoBitsPerSecond, rec.audioBitsPerSecond], [2_500_000, 0]);
  rec.stop();
  await ua.clock.settle();
});

Deno.test("profiles: event interfaces: Firefox's BlobEvent has no timecode; Firefox/Safari fire MediaRecorderErrorEvent", async () => {
  for (
    const [name, errorInterface, hasTimecode] of [
      ["spec", "ErrorEvent", true],
      ["chrome", "ErrorEvent", true],
      ["firefox", "MediaRecorderErrorEvent", false],
      ["safari", "MediaRecorderErrorEvent", true],
    ] as const
  ) {
    const ua = createUserAgent({ profile: name });
    const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]), {
      mimeType: "audio/webm",
    });
    const seen: Event[] = [];
    rec.onerror = (e) => seen.push(e);
    rec.ondataavailable = (e) => seen.push(e);
    rec.start();
    await ua.clock.advance(100);
    ua.failEncoder(rec);
    await ua.clock.advance(100);
    const error = seen.find((e) => e.type === "error")!;
    assert.equal(
      error instanceof MediaRecorderErrorEvent,
      errorInterface === "MediaRecorderErrorEvent",
      name,
    );
    assert.equal((error as unknown as { error: DOMException }).error.name, "UnknownError");
    assert.equal("timecode" in seen.find((e) => e.type === "dataavailable")!, hasTimecode, name);
  }
});

Deno.test("profiles: Chrome keeps the constructor's case in mimeType and keeps it after stop (CR-MRH, CR-MR)", async () => {
  const ua = createUserAgent({ profile: "chrome" });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]), {
    mimeType: "Audio/WebM",
  });
  rec.start();
  await ua.clock.advance(200); // start fires after the encoders' 150 ms start-up
  assert.equal(rec.mimeType, "Audio/WebM;codecs=opus");
  rec.stop();
  await ua.clock.settle();
  assert.equal(rec.mimeType, "Audio/WebM;codecs=opus");
});

Deno.test("profiles: derive your own: { ...profiles.chrome, minTimeslice: 50 }", async () => {
  const ua = createUserAgent({ profile: { ...profiles.spec, minTimeslice: 50, name: "mine" } });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
  let chunks = 0;
  rec.ondataavailable = () => chunks++;
  rec.start(0);
  await ua.clock.advance(500);
  // the first 20 ms audio block at least 50 ms after each chunk's start: 60, 120, … 480
  assert.equal(chunks, 8);
  rec.stop();
  await ua.clock.settle();
  assert.equal(createUserAgent({ profile: "safari" }).minTimeslice, 100);
});

Deno.test("profiles: Chrome's opt-in bug leaves state 'recording' after start() on an ended stream throws", async () => {
  for (const bug of [false, true]) {
    const ua = createUserAgent({
      profile: { ...profiles.chrome, bugs: { stateStaysRecordingAfterFailedStart: bug } },
    });
    const t = ua.createAudioTrack();
    const rec = new ua.MediaRecorder(new ua.MediaStream([t]));
    t.stop();
    assert.throws(() => rec.start(), (e: Error) => e.name === "NotSupportedError");
    assert.equal(rec.state, bug ? "recording" : "inactive");
    rec.stop();
    assert.equal(rec.state, "inactive");
    await ua.clock.settle();
  }
});

Deno.test("profiles: Safari's default video/mp4 is a fragmented MP4 (synthetic fallback, decision 23) holding every frame", async () => {
  const { readMp4 } = await import("../container/mp4_reader.ts");
  const ua = createUserAgent({ profile: "safari" });
  const rec = new ua.MediaRecorder(
    new ua.MediaStream([ua.createVideoTrack(), ua.createAudioTrack({ channelCount: 2 })]),
  );
  const chunks: Blob[] = [];
  rec.ondataavailable = (e) => chunks.push(e.data);
  rec.start(100);
  await ua.clock.advance(3000);
  rec.stop();
  await ua.clock.settle();
  assert.equal(ua.trace.ofKind("recording")[0]!.encoder, "synthetic-fallback");
  assert.ok(
    chunks.every((c) => c.size > 0),
    "Safari skips empty timeslice ticks (WK-MR ReturnDataIfEmpty::No)",
  );
  assert.equal(chunks.length, 3, "the init segment, one 2 s fragment, the rest at stop");
  const file = readMp4(new Uint8Array(await new Blob(chunks).arrayBuffer()));
  assert.deepEqual(file.tracks.map((t) => t.codec), ["avc1", "mp4a"]);
  const samples = (id: number) =>
    file.fragments.flatMap((f) =>
      f.tracks.filter((t) => t.trackId === id).flatMap((t) => t.samples)
    );
  assert.equal(samples(1).length, 90);
  assert.equal(samples(2).length, 150);
  assert.equal(samples(1).filter((s) => s.keyframe).length, 2);
});

Deno.test("profiles: Chrome writes a seekable WebM (Duration, Cues, known sizes) without a timeslice; requestData() makes it live (CR-MRH)", async () => {
  const { readWebm } = await import("../container/webm_reader.ts");
  const record = async (profile: "chrome" | "spec", request: boolean, timeslice?: number) => {
    const ua = createUserAgent({ profile });
    const rec = new ua.MediaRecorder(
      new ua.MediaStream([ua.createVideoTrack(), ua.createAudioTrack()]),
    );
    const chunks: Blob[] = [];
    rec.ondataavailable = (e) => chunks.push(e.data);
    rec.start(timeslice);
    await ua.clock.advance(1000);
    if (request) rec.requestData();
    await ua.clock.advance(1500);
    rec.stop();
    await ua.clock.settle();
    return { chunks, file: readWebm(new Uint8Array(await new Blob(chunks).arrayBuffer())) };
  };
  const seekable = await record("chrome", false);
  assert.equal(seekable.chunks.length, 1);
  assert.equal(seekable.file.hasCues, true);
  assert.equal(seekable.file.segmentSize === "unknown", false);
  assert.ok(seekable.file.clusters.every((c) => c.size !== "unknown"));
  assert.ok(
    Math.abs(seekable.file.info.duration! - 2500) < 40,
    `Duration ${seekable.file.info.duration}`,
  );
  // 2.5 s: 75 video frames, and Chrome's Opus in 60 ms packets (the last one partly filled)
  assert.equal(seekable.file.blocks.length, 75 + Math.ceil(2500 / 60));
  const live = await record("chrome", true);
  assert.equal(live.file.hasCues, false, "requestData() flushed and disabled seeking");
  assert.equal(live.file.segmentSize, "unknown");
  assert.equal(live.file.blocks.length, 75 + Math.ceil(2500 / 60));
  const sliced = await record("chrome", false, 500);
  assert.equal(sliced.file.hasCues, false, "with a timeslice Chrome writes live WebM");
  const spec = await record("spec", false);
  assert.equal(spec.file.hasCues, false, "the spec profile always writes live WebM");
  // decision 2: the seekable layout is compared by frames, not bytes
  assert.deepEqual(
    seekable.file.blocks.map((b) => b.timestampMs),
    live.file.blocks.map((b) => b.timestampMs),
  );
});
