import assert from "node:assert/strict";
import { hash32, Prng } from "../../prng.ts";
import {
  barcodeLayout,
  FRAME_INDEX_MODULUS,
  i420FrameSize,
  isBlackFrame,
  readFrameIndex,
  renderVideoFrame,
} from "./video_pattern.ts";

const SIZES: ReadonlyArray<readonly [number, number]> = [
  [320, 240],
  [640, 480],
  [160, 120],
  [321, 241],
  [64, 48],
  [1280, 720],
  [1920, 1080],
  [8, 256],
  [100, 37],
];

function indices(): number[] {
  const prng = new Prng(2024);
  const list = [0, 1, 2, 3, 255, 256, 65535, 0x800000, FRAME_INDEX_MODULUS - 1];
  for (let i = 0; i < 40; i++) list.push(prng.nextUint32() % FRAME_INDEX_MODULUS);
  return list;
}

function luma(frame: Uint8Array, width: number, height: number): Uint8Array {
  return frame.subarray(0, width * height);
}

/** Adds deterministic noise in [-amount, amount] and clamps to 0..255. */
function addNoise(y: Uint8Array, amount: number, seed: number): Uint8Array {
  const out = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const noise = (hash32(seed, i) % (2 * amount + 1)) - amount;
    out[i] = Math.min(255, Math.max(0, y[i]! + noise));
  }
  return out;
}

/** 3×3 box blur with clamped edges. */
function boxBlur(y: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(y.length);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      let sum = 0;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = Math.min(height - 1, Math.max(0, r + dr));
          const cc = Math.min(width - 1, Math.max(0, c + dc));
          sum += y[rr * width + cc]!;
        }
      }
      out[r * width + c] = Math.round(sum / 9);
    }
  }
  return out;
}

Deno.test("renderVideoFrame → readFrameIndex round-trips many indices and sizes", () => {
  for (const [w, h] of SIZES) {
    assert.notEqual(barcodeLayout(w, h), null, `${w}x${h} should hold a barcode`);
    const out = new Uint8Array(i420FrameSize(w, h));
    for (const index of indices()) {
      const frame = renderVideoFrame({ index, width: w, height: h, seed: 3 }, out);
      assert.equal(frame, out);
      assert.equal(readFrameIndex(luma(frame, w, h), w, h), index, `${w}x${h} #${index}`);
    }
  }
});

Deno.test("barcode layout: cells are multiples of 8 on the 8-pixel grid, inside the band", () => {
  for (const [w, h] of SIZES) {
    const layout = barcodeLayout(w, h)!;
    assert.equal(layout.cellSize % 8, 0);
    assert.ok(layout.cellSize >= 8);
    assert.ok(layout.cellsPerRow * layout.cellSize <= w);
    assert.ok(layout.cellsPerRow * layout.rows >= 32);
    assert.ok(layout.rows * layout.cellSize <= layout.bandHeight);
    assert.ok(layout.bandHeight <= h);
  }
  assert.equal(barcodeLayout(320, 240)?.rows, 1);
  assert.equal(barcodeLayout(640, 480)?.cellSize, 16);
  assert.equal(barcodeLayout(64, 48)?.rows, 4);
  // Too small for 32 cells of 8×8: no barcode, nothing read, rendering still works.
  for (const [w, h] of [[7, 7], [16, 16], [64, 31], [1, 1]] as const) {
    assert.equal(barcodeLayout(w, h), null);
    const frame = renderVideoFrame({ index: 9, width: w, height: h });
    assert.equal(frame.length, i420FrameSize(w, h));
    assert.equal(readFrameIndex(frame, w, h), null);
  }
});

Deno.test("indices wrap modulo 2^24 and the pattern stays deterministic", () => {
  const a = renderVideoFrame({ index: FRAME_INDEX_MODULUS + 5, width: 160, height: 120 });
  assert.equal(readFrameIndex(a, 160, 120), 5);
  const b = renderVideoFrame({ index: FRAME_INDEX_MODULUS + 5, width: 160, height: 120 });
  assert.deepEqual(a, b);
  assert.throws(() => renderVideoFrame({ index: -1, width: 16, height: 16 }), RangeError);
  assert.throws(() => renderVideoFrame({ index: 1.5, width: 16, height: 16 }), RangeError);
  assert.throws(() => renderVideoFrame({ index: 0, width: 0, height: 16 }), RangeError);
  assert.throws(() => renderVideoFrame({ index: 0, width: 4, height: 4 }, new Uint8Array(5)));
});

Deno.test("out: reused when exact, a view of its start when larger", () => {
  const big = new Uint8Array(i420FrameSize(64, 48) + 10).fill(7);
  const frame = renderVideoFrame({ index: 42, width: 64, height: 48 }, big);
  assert.equal(frame.buffer, big.buffer);
  assert.equal(frame.length, i420FrameSize(64, 48));
  assert.equal(big[big.length - 1], 7);
  assert.deepEqual(frame, renderVideoFrame({ index: 42, width: 64, height: 48 }));
});

Deno.test("barcode survives ±40 luma noise and a 3×3 box blur", () => {
  let seed = 1;
  for (const [w, h] of [[320, 240], [640, 480], [160, 120], [321, 241], [64, 48]] as const) {
    for (const index of indices().slice(0, 16)) {
      const y = luma(renderVideoFrame({ index, width: w, height: h }), w, h);
      const noisy = addNoise(y, 40, seed++);
      assert.equal(readFrameIndex(noisy, w, h), index, `noise ${w}x${h} #${index}`);
      const blurred = boxBlur(noisy, w, h);
      assert.equal(readFrameIndex(blurred, w, h), index, `noise+blur ${w}x${h} #${index}`);
    }
  }
});

Deno.test("readFrameIndex honours the stride", () => {
  const w = 160, h = 120, stride = 192;
  const y = luma(renderVideoFrame({ index: 31337, width: w, height: h }), w, h);
  const padded = new Uint8Array(stride * h).fill(200);
  for (let r = 0; r < h; r++) padded.set(y.subarray(r * w, (r + 1) * w), r * stride);
  assert.equal(readFrameIndex(padded, w, h, stride), 31337);
  assert.throws(() => readFrameIndex(padded, w, h, w - 1), RangeError);
  assert.throws(() => readFrameIndex(new Uint8Array(10), w, h), RangeError);
});

Deno.test("flipping any bit cell is detected by the CRC", () => {
  for (const [w, h] of [[320, 240], [160, 120]] as const) {
    const layout = barcodeLayout(w, h)!;
    for (const index of [0, 1, 123456, FRAME_INDEX_MODULUS - 1]) {
      const clean = luma(renderVideoFrame({ index, width: w, height: h }), w, h);
      for (let bit = 0; bit < 32; bit++) {
        const y = clean.slice();
        const x0 = (bit % layout.cellsPerRow) * layout.cellSize;
        const y0 = Math.floor(bit / layout.cellsPerRow) * layout.cellSize;
        for (let r = y0; r < y0 + layout.cellSize; r++) {
          for (let c = x0; c < x0 + layout.cellSize; c++) y[r * w + c] = 251 - y[r * w + c]!;
        }
        assert.equal(readFrameIndex(y, w, h), null, `${w}x${h} #${index} bit ${bit}`);
      }
    }
  }
});

Deno.test("cells near mid-grey are rejected as unreadable", () => {
  const w = 320, h = 240;
  const y = luma(renderVideoFrame({ index: 99, width: w, height: h }), w, h).slice();
  for (let r = 0; r < 8; r++) y.fill(128, r * w, r * w + 8);
  assert.equal(readFrameIndex(y, w, h), null);
});

Deno.test("black frames: all Y=16, U=V=128, no index, isBlackFrame", () => {
  for (const [w, h] of [[320, 240], [321, 241], [64, 48], [3, 5]] as const) {
    const frame = renderVideoFrame({ index: 500, width: w, height: h, black: true });
    assert.ok(frame.subarray(0, w * h).every((v) => v === 16));
    assert.ok(frame.subarray(w * h).every((v) => v === 128));
    assert.equal(readFrameIndex(frame, w, h), null);
    assert.ok(isBlackFrame(frame, w, h));
    assert.ok(isBlackFrame(addNoise(luma(frame, w, h), 3, 1), w, h), "noisy black");
    assert.ok(!isBlackFrame(renderVideoFrame({ index: 500, width: w, height: h }), w, h));
  }
  // A black band with all cells white must not read as an index either.
  const y = new Uint8Array(320 * 240).fill(235);
  assert.equal(readFrameIndex(y, 320, 240), null);
  assert.ok(!isBlackFrame(y, 320, 240));
});

Deno.test("consecutive frames differ outside the barcode, in luma and chroma", () => {
  for (const [w, h] of [[320, 240], [640, 480], [64, 48], [321, 241]] as const) {
    const band = barcodeLayout(w, h)!.bandHeight;
    const cw = (w + 1) >> 1, ch = (h + 1) >> 1;
    let prev = renderVideoFrame({ index: 0, width: w, height: h });
    for (let index = 1; index < 300; index++) {
      const frame = renderVideoFrame({ index, width: w, height: h });
      let lumaDiff = 0;
      for (let i = band * w; i < w * h; i++) if (frame[i] !== prev[i]) lumaDiff++;
      assert.ok(lumaDiff > (w * (h - band)) / 4, `${w}x${h} frame ${index}: ${lumaDiff}`);
      let chromaDiff = 0;
      for (let i = w * h; i < w * h + 2 * cw * ch; i++) if (frame[i] !== prev[i]) chromaDiff++;
      assert.ok(chromaDiff > 0);
      prev = frame;
    }
  }
});

Deno.test("pattern: limited-range values, neutral chroma in the band, seed varies it", () => {
  const w = 320, h = 240;
  const frame = renderVideoFrame({ index: 10, width: w, height: h });
  const band = barcodeLayout(w, h)!.bandHeight;
  for (let i = 0; i < w * h; i++) assert.ok(frame[i]! >= 16 && frame[i]! <= 235);
  for (let i = 0; i < band * w; i++) assert.ok(frame[i] === 16 || frame[i] === 235);
  const cw = w / 2, ch = h / 2;
  for (const plane of [w * h, w * h + cw * ch]) {
    for (let i = 0; i < (band / 2) * cw; i++) assert.equal(frame[plane + i], 128);
  }
  const other = renderVideoFrame({ index: 10, width: w, height: h, seed: 1 });
  assert.notDeepEqual(frame.subarray(band * w), other.subarray(band * w));
  assert.deepEqual(frame.subarray(0, band * w), other.subarray(0, band * w));
});

Deno.test("the red square is drawn and moves", () => {
  const w = 320, h = 240;
  const count = (f: Uint8Array) => {
    let n = 0;
    const v = w * h + (w / 2) * (h / 2);
    const positions: number[] = [];
    for (let i = 0; i < (w / 2) * (h / 2); i++) {
      if (f[v + i] === 240) {
        n++;
        positions.push(i);
      }
    }
    return { n, first: positions[0] };
  };
  const a = count(renderVideoFrame({ index: 3, width: w, height: h }));
  const b = count(renderVideoFrame({ index: 4, width: w, height: h }));
  assert.ok(a.n > 100);
  assert.equal(a.n, b.n);
  assert.notEqual(a.first, b.first);
});
