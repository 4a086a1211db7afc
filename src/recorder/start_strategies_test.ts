// start() and the constructor under each profile strategy they read (src/recorder/start.ts,
// media_recorder.ts): tracks per kind, where both key-frame options throw, the bitrates at
// start, a seekable WebM without a timeslice. Each test derives a profile from the spec's
// with one field changed, so it holds however the engine profiles evolve.
import assert from "node:assert/strict";
import { type Profile, profiles } from "../profiles/mod.ts";
import { createUserAgent } from "../user_agent.ts";

function agent(field: Partial<Profile>) {
  return createUserAgent({ profile: { ...profiles.spec, ...field } as Profile });
}

function outcome(run: () => void): string {
  try {
    run();
    return "ok";
  } catch (e) {
    return (e as Error).name;
  }
}

Deno.test("tracksPerKind 'all' records every track; 'first' only the first of each kind", async () => {
  for (const [mode, expected] of [["all", 2], ["first", 1]] as const) {
    const ua = agent({ tracksPerKind: mode });
    const [a, b] = [ua.createVideoTrack(), ua.createVideoTrack()];
    const rec = new ua.MediaRecorder(new ua.MediaStream([a, ua.createAudioTrack(), b]));
    rec.start();
    await ua.clock.advance(100);
    rec.stop();
    await ua.clock.settle();
    const recording = ua.trace.ofKind("recording")[0]!;
    assert.equal(recording.tracks.filter((t) => t.startsWith("video")).length, expected, mode);
    assert.equal(recording.tracks[0], "video#1", mode);
    assert.ok(recording.tracks.includes("audio#1"), mode);
    ua.close();
  }
});

Deno.test("tracksPerKind 'reject': two tracks of a kind make start() throw NotSupportedError, state unchanged", async () => {
  const ua = agent({ tracksPerKind: "reject" });
  const rec = new ua.MediaRecorder(
    new ua.MediaStream([ua.createAudioTrack(), ua.createAudioTrack()]),
  );
  assert.equal(outcome(() => rec.start()), "NotSupportedError");
  assert.equal(rec.state, "inactive");
  await ua.clock.settle();
  assert.equal(ua.trace.ofKind("recording").length, 0);
  const one = new ua.MediaRecorder(
    new ua.MediaStream([ua.createAudioTrack(), ua.createVideoTrack()]),
  );
  assert.equal(outcome(() => one.start()), "ok", "one of each kind is fine");
  one.stop();
  await ua.clock.settle();
  ua.close();
});

Deno.test("both key-frame options throw where the profile says: start(), the constructor, or nowhere", async () => {
  const both = { videoKeyFrameIntervalCount: 10, videoKeyFrameIntervalDuration: 1000 };
  const expected = {
    start: ["ok", "NotSupportedError"],
    constructor: ["NotSupportedError", "-"],
    ignored: ["ok", "ok"],
  } as const;
  for (const where of ["start", "constructor", "ignored"] as const) {
    const ua = agent({ bothKeyFrameOptionsThrowIn: where });
    const stream = new ua.MediaStream([ua.createVideoTrack()]);
    let rec: InstanceType<typeof ua.MediaRecorder> | null = null;
    const made = outcome(() => {
      rec = new ua.MediaRecorder(stream, both);
    });
    assert.equal(made, expected[where][0], `constructor, ${where}`);
    if (rec !== null) {
      const r = rec as InstanceType<typeof ua.MediaRecorder>;
      assert.equal(outcome(() => r.start()), expected[where][1], `start(), ${where}`);
      if (r.state !== "inactive") r.stop();
    }
    // One option alone never throws.
    const single = new ua.MediaRecorder(stream, { videoKeyFrameIntervalCount: 10 });
    assert.equal(outcome(() => single.start()), "ok");
    single.stop();
    await ua.clock.settle();
    ua.close();
  }
});

Deno.test("zeroMissingKindAtStart: a kind without a track gets 0 at start() unless bitsPerSecond was given", () => {
  for (const zero of [false, true]) {
    const ua = agent({ zeroMissingKindAtStart: zero });
    const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]), {
      videoBitsPerSecond: 500_000,
      audioBitsPerSecond: 64_000,
    });
    rec.start();
    assert.equal(rec.videoBitsPerSecond, zero ? 0 : 500_000, `zero: ${zero}`);
    assert.equal(rec.audioBitsPerSecond, 64_000);
    rec.stop();
    ua.close();
  }
});

Deno.test("a failed start() changes no bitrate, even where start() would zero a kind", () => {
  const ua = agent({ zeroMissingKindAtStart: true, tracksPerKind: "reject" });
  const rec = new ua.MediaRecorder(
    new ua.MediaStream([ua.createAudioTrack(), ua.createAudioTrack()]),
    { videoBitsPerSecond: 500_000 },
  );
  assert.equal(outcome(() => rec.start()), "NotSupportedError");
  assert.equal(rec.videoBitsPerSecond, 500_000);
  ua.close();
});

Deno.test("seekableWebmWithoutTimeslice: without a timeslice the one chunk is a seekable file (Cues)", async () => {
  for (const seekable of [false, true]) {
    const ua = agent({ seekableWebmWithoutTimeslice: seekable });
    const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack()]));
    const blobs: Blob[] = [];
    rec.ondataavailable = (e) => blobs.push(e.data);
    rec.start();
    await ua.clock.advance(1000);
    rec.stop();
    await ua.clock.settle();
    assert.equal(blobs.length, 1);
    const bytes = new Uint8Array(await blobs[0]!.arrayBuffer());
    assert.ok(bytes.length > 0);
    // A seekable file has a Cues element (ID 0x1C53BB6B); a live one has none.
    const hasCues = bytes.some((b, i) =>
      b === 0x1c && bytes[i + 1] === 0x53 && bytes[i + 2] === 0xbb && bytes[i + 3] === 0x6b
    );
    assert.equal(hasCues, seekable, `seekable: ${seekable}`);
    ua.close();
  }
});

Deno.test("a 'long' timeslice (Chrome's IDL): 2^31−1 means no timeslice, ≤ 0 a chunk at every write", async () => {
  const ua = agent({ timesliceType: "long" });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack()]));
  for (const ts of [2 ** 31 - 1, -5, 0, 250]) {
    rec.start(ts);
    rec.stop();
    await ua.clock.settle();
  }
  const slices = ua.trace.ofKind("recording").map((e) => e.timeslice);
  assert.deepEqual(slices, [null, 0, 0, 250]);
  ua.close();
});

Deno.test("trackSetChange 'data-plus-chunk': the data as one more chunk before the error, then an empty Blob (a custom profile; Chromium 156 measures 'data')", async () => {
  for (
    const [mode, expected] of [
      ["data", "error da:data stop"],
      ["data-plus-chunk", "da:data error da:empty stop"],
    ] as const
  ) {
    const ua = agent({ trackSetChange: mode });
    const stream = new ua.MediaStream([ua.createVideoTrack()]);
    const rec = new ua.MediaRecorder(stream);
    const log: string[] = [];
    rec.ondataavailable = (e) => log.push(`da:${e.data.size > 0 ? "data" : "empty"}`);
    rec.onerror = () => log.push("error");
    rec.onstop = () => log.push("stop");
    rec.start(1000);
    await ua.clock.advance(200);
    stream.addTrack(ua.createAudioTrack());
    await ua.clock.settle();
    assert.equal(log.join(" "), expected, mode);
    ua.close();
  }
});
