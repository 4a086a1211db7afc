import assert from "node:assert/strict";
import fc from "fast-check";
import type { EncoderConfig, RecorderEncoder } from "../src/encoding/encoder.ts";
import { createAudioSource, createVideoSource } from "../src/media/track_source.ts";
import { FuzzEncoderProvider, MAX_FUZZ_BITS_PER_SECOND } from "./fuzz_encoder.ts";

const config: EncoderConfig = {
  essence: "video/webm",
  tracks: [
    { number: 1, kind: "video", codec: "vp8", width: 32, height: 24, frameRate: 30 },
    { number: 2, kind: "audio", codec: "opus", sampleRate: 48000, channelCount: 1, frameSize: 960 },
  ],
  videoBitsPerSecond: 4294967295,
  audioBitsPerSecond: 64000,
  audioBitrateMode: "variable",
  videoKeyFrameIntervalDuration: null,
  videoKeyFrameIntervalCount: 5,
  seed: 1,
};
const video = createVideoSource({ width: 32, height: 24, frameRate: 30 }, 0, 1);
const audio = createAudioSource({ sampleRate: 48000, frameSize: 960 }, 0, 2);

/** Feeds 12 frames of each track, in capture order; returns the bytes written. */
async function encode(
  encoder: RecorderEncoder,
  parts: (Uint8Array | Blob)[],
  wait: (p: Promise<unknown>) => Promise<unknown>,
): Promise<Uint8Array> {
  const work: Promise<unknown>[] = [];
  const order = [
    ...Array.from({ length: 12 }, (_, i) => ({ track: 1, i, t: video.frameTime(i) })),
    ...Array.from({ length: 12 }, (_, i) => ({ track: 2, i, t: audio.frameTime(i) })),
  ].sort((a, b) => a.t - b.t || a.track - b.track);
  for (const { track, i, t } of order) {
    const done = track === 1
      ? encoder.encodeVideo(1, video.frame(i, i % 4 === 0) as never, t)
      : encoder.encodeAudio(2, audio.frame(i, false) as never, t);
    if (done) work.push(done);
  }
  const idle = encoder.idle?.();
  if (idle) await wait(idle);
  await wait(Promise.all(work));
  const finished = encoder.finish();
  if (finished) await wait(finished);
  encoder.close();
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}

Deno.test("fuzz encoder: the scheduler reorders completions, never the bytes", async () => {
  const direct = new FuzzEncoderProvider({ mode: "direct" }, null);
  const parts: (Uint8Array | Blob)[] = [];
  const reference = await encode(
    direct.create(config, { write: (b) => parts.push(b), fail: () => {} }),
    parts,
    (p) => p,
  );
  assert.equal(direct.created[0]!.fed.length, 24);
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.constantFrom(0, 25, "Infinity" as const),
      async (s, feedInterval) => {
        const provider = new FuzzEncoderProvider({ mode: "scheduled", feedInterval }, s);
        const out: (Uint8Array | Blob)[] = [];
        const encoder = provider.create(config, { write: (b) => out.push(b), fail: () => {} });
        assert.equal(encoder.feedInterval, feedInterval === "Infinity" ? Infinity : feedInterval);
        const bytes = await encode(encoder, out, (p) => s.waitFor(p));
        assert.deepEqual(bytes, reference);
      },
    ),
    { numRuns: 30 },
  );
});

Deno.test("fuzz encoder: logs the frames fed and caps the bitrate hints", () => {
  const provider = new FuzzEncoderProvider({ mode: "direct" }, null);
  const encoder = provider.create(config, { write: () => {}, fail: () => {} });
  encoder.encodeVideo(1, video.frame(3, true) as never, 42);
  assert.deepEqual(provider.created[0]!.fed, [
    { track: 1, index: 3, time: video.frameTime(3), blank: true, mediaTime: 42 },
  ]);
  assert.equal(provider.created[0]!.config.videoBitsPerSecond, 4294967295, "as configured");
  assert.ok(MAX_FUZZ_BITS_PER_SECOND < 1_000_000);
  assert.throws(() => new FuzzEncoderProvider({ mode: "scheduled", feedInterval: 0 }, null));
});
