import assert from "node:assert/strict";
import { createLibAV, type LibAVInstance, loadLibAV } from "./load.ts";
import {
  type EncodedPacket,
  openAudioDecoder,
  openAudioEncoder,
  openVideoDecoder,
  openVideoEncoder,
  type VideoEncoderConfig,
} from "./codecs.ts";

/** A simple deterministic I420 test frame: moving gradient, a moving box, tinted chroma. */
function testFrame(width: number, height: number, index: number): Uint8Array {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const data = new Uint8Array(width * height + 2 * cw * ch);
  const bx = (index * 5) % width;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBox = x >= bx && x < bx + (width >> 2) && y >= height >> 2 && y < height >> 1;
      data[y * width + x] = inBox ? 230 : (x + 2 * y + 3 * index) & 255;
    }
  }
  const u = width * height;
  const v = u + cw * ch;
  for (let i = 0; i < cw * ch; i++) {
    data[u + i] = 128 + ((i + index) % 32);
    data[v + i] = 112 + ((i >> 3) % 32);
  }
  return data;
}

async function sha256(chunks: readonly Uint8Array[]): Promise<string> {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

const FRAME_US = 33_333;

async function encodeVideo(
  libav: LibAVInstance,
  cfg: VideoEncoderConfig,
  frames: number,
  forceKeyAt: ReadonlySet<number> = new Set(),
): Promise<EncodedPacket[]> {
  const enc = await openVideoEncoder(libav, cfg);
  try {
    const out: EncodedPacket[] = [];
    for (let i = 0; i < frames; i++) {
      const frame = testFrame(cfg.width, cfg.height, i);
      out.push(...await enc.encode(frame, i * FRAME_US, forceKeyAt.has(i)));
    }
    out.push(...await enc.flush());
    return out;
  } finally {
    await enc.close();
  }
}

function keyIndices(packets: readonly EncodedPacket[]): number[] {
  return packets.flatMap((p, i) => p.keyframe ? [i] : []);
}

function psnrY(a: Uint8Array, b: Uint8Array, lumaSize: number): number {
  let se = 0;
  for (let i = 0; i < lumaSize; i++) {
    const e = a[i]! - b[i]!;
    se += e * e;
  }
  return 10 * Math.log10((255 * 255) / Math.max(se / lumaSize, 1e-9));
}

for (const codec of ["vp8", "vp9"] as const) {
  const cfg: VideoEncoderConfig = {
    codec,
    width: 160,
    height: 120,
    frameRate: 30,
    bitrate: 300_000,
  };

  Deno.test(`${codec}: 30 frames encode to identical bytes twice, on separate instances`, async () => {
    const first = await encodeVideo(await loadLibAV(), cfg, 30);
    // A fresh instance (fresh WASM heap) must give the same bytes.
    const second = await encodeVideo(await createLibAV(), cfg, 30);
    assert.equal(first.length, 30);
    assert.equal(second.length, 30);
    assert.equal(
      await sha256(first.map((p) => p.data)),
      await sha256(second.map((p) => p.data)),
    );
    assert.deepEqual(first.map((p) => p.pts), second.map((p) => p.pts));
    assert.equal(first[0]!.keyframe, true);
    assert.deepEqual(keyIndices(first), [0]);
    assert.deepEqual(first.map((p) => p.pts), Array.from({ length: 30 }, (_, i) => i * FRAME_US));
  });

  Deno.test(`${codec}: keyFrameInterval and forced key frames`, async () => {
    const libav = await loadLibAV();
    const periodic = await encodeVideo(libav, { ...cfg, keyFrameInterval: 10 }, 30);
    assert.deepEqual(keyIndices(periodic), [0, 10, 20]);
    // A forced key frame restarts the count.
    const forced = await encodeVideo(libav, { ...cfg, keyFrameInterval: 10 }, 30, new Set([15]));
    assert.deepEqual(keyIndices(forced), [0, 10, 15, 25]);
    const onlyForced = await encodeVideo(libav, cfg, 30, new Set([7, 8, 29]));
    assert.deepEqual(keyIndices(onlyForced), [0, 7, 8, 29]);
  });

  Deno.test(`${codec}: decodes back to the right size, count and picture`, async () => {
    const libav = await loadLibAV();
    for (const [width, height] of [[160, 120], [99, 57]] as const) {
      const c = { ...cfg, width, height, keyFrameInterval: 12 };
      const packets = await encodeVideo(libav, c, 30);
      const dec = await openVideoDecoder(libav, { codec });
      try {
        const frames = [...await dec.decode(packets), ...await dec.flush()];
        assert.equal(frames.length, 30);
        frames.forEach((f, i) => {
          assert.equal(f.width, width);
          assert.equal(f.height, height);
          assert.equal(f.pts, i * FRAME_US);
          assert.equal(
            f.data.length,
            width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2),
          );
          const psnr = psnrY(f.data, testFrame(width, height, i), width * height);
          assert.ok(psnr > 28, `frame ${i}: luma PSNR ${psnr.toFixed(1)} dB`);
        });
      } finally {
        await dec.close();
      }
    }
  });
}

Deno.test("video encoder rejects bad input and use after flush/close", async () => {
  const libav = await loadLibAV();
  const enc = await openVideoEncoder(libav, {
    codec: "vp8",
    width: 16,
    height: 16,
    frameRate: 30,
    bitrate: 100_000,
  });
  const frame = new Uint8Array(16 * 16 * 3 / 2);
  await assert.rejects(enc.encode(new Uint8Array(10), 0), RangeError);
  await enc.encode(frame, 0);
  await assert.rejects(enc.encode(frame, 0), RangeError); // pts not increasing
  await assert.rejects(enc.encode(frame, 1.5), RangeError);
  assert.deepEqual(await enc.flush(), []);
  await assert.rejects(enc.encode(frame, 100), /after flush/);
  await enc.close();
  await enc.close();
  await assert.rejects(enc.flush(), /closed/);
  await assert.rejects(
    openVideoEncoder(libav, { codec: "vp8", width: 0, height: 16, frameRate: 30, bitrate: 1e5 }),
    RangeError,
  );
});

function sine(seconds: number, channels: number, hz = 440): Float32Array {
  const n = Math.round(48000 * seconds);
  const out = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    const s = 0.5 * Math.sin((2 * Math.PI * hz * i) / 48000);
    for (let c = 0; c < channels; c++) out[i * channels + c] = c === 0 ? s : 0.8 * s;
  }
  return out;
}

async function encodeAudio(
  libav: LibAVInstance,
  mode: "constant" | "variable",
  input: Float32Array,
  chunk: number,
) {
  const enc = await openAudioEncoder(libav, {
    codec: "opus",
    sampleRate: 48000,
    channels: 2,
    bitrate: 64_000,
    mode,
  });
  try {
    const packets: EncodedPacket[] = [];
    // Feed in chunks that do not line up with the 960-sample frames.
    for (let off = 0; off < input.length / 2; off += chunk) {
      const part = input.subarray(off * 2, Math.min(input.length, (off + chunk) * 2));
      packets.push(...await enc.encode(part, off));
    }
    packets.push(...await enc.flush());
    return { enc, packets };
  } finally {
    await enc.close();
  }
}

Deno.test("opus: 1 s of 440 Hz stereo: packet count, timing, padding, determinism", async () => {
  const libav = await loadLibAV();
  const input = sine(1, 2);
  for (const mode of ["constant", "variable"] as const) {
    const { enc, packets } = await encodeAudio(libav, mode, input, 441);
    assert.equal(enc.preSkip, 312);
    assert.equal(enc.frameSize, 960);
    assert.equal(new TextDecoder().decode(enc.codecPrivate.subarray(0, 8)), "OpusHead");
    assert.equal(enc.codecPrivate[9], 2);
    // 48000 samples + 312 pre-skip = 48312 → ceil(48312 / 960) = 51 packets,
    // the last one carrying 312 real samples and 648 samples of padding.
    assert.equal(packets.length, 51);
    assert.deepEqual(
      packets.map((p) => p.pts),
      Array.from({ length: 51 }, (_, i) => i * 960 - 312),
    );
    assert.ok(packets.slice(0, 50).every((p) => p.duration === 960 && p.keyframe));
    assert.equal(packets[50]!.duration, 312);
    assert.equal(packets[50]!.discardPadding, 648);
    assert.ok(packets.slice(0, 50).every((p) => p.discardPadding === undefined));
    if (mode === "constant") {
      // CBR: 64 kbit/s * 20 ms = 160 bytes, every packet.
      assert.ok(packets.every((p) => p.data.length === 160), "CBR packets are 160 bytes");
    } else {
      assert.ok(new Set(packets.map((p) => p.data.length)).size > 1, "VBR sizes vary");
    }
    // Same input, different chunking, fresh instance → same bytes.
    const again = await encodeAudio(await createLibAV(), mode, input, 960 * 3 + 7);
    assert.equal(
      await sha256(packets.map((p) => p.data)),
      await sha256(again.packets.map((p) => p.data)),
    );
  }
});

Deno.test("opus: decoded samples correlate with the input after pre-skip", async () => {
  const libav = await loadLibAV();
  const input = sine(1, 2);
  const { enc, packets } = await encodeAudio(libav, "variable", input, 960);
  const dec = await openAudioDecoder(libav, { codec: "opus", codecPrivate: enc.codecPrivate });
  let out: Float32Array;
  try {
    const chunks = [...await dec.decode(packets), ...await dec.flush()];
    assert.ok(chunks.every((c) => c.channels === 2));
    out = new Float32Array(chunks.reduce((n, c) => n + c.data.length, 0));
    let off = 0;
    for (const c of chunks) {
      out.set(c.data, off);
      off += c.data.length;
    }
  } finally {
    await dec.close();
  }
  // The decoder drops the 312 pre-skip samples and the 648 padding samples.
  assert.equal(out.length, input.length);
  for (let ch = 0; ch < 2; ch++) {
    // Skip the first 20 ms (encoder start-up), compare sample-aligned.
    let dot = 0, ea = 0, eb = 0;
    for (let i = 960; i < 48000; i++) {
      const a = input[i * 2 + ch]!;
      const b = out[i * 2 + ch]!;
      dot += a * b;
      ea += a * a;
      eb += b * b;
    }
    const r = dot / Math.sqrt(ea * eb);
    assert.ok(r > 0.99, `channel ${ch}: correlation ${r}`);
  }
});
