/**
 * Synthetic video frames for virtual camera tracks: a deterministic moving pattern plus a
 * barcode of the frame index that survives lossy encoding (VP8/VP9 at modest bitrates), so
 * a test can decode a recording and tell which source frame each decoded frame came from.
 *
 * Frames are I420 (YUV 4:2:0 planar, limited range): a `width`×`height` luma plane, then
 * the U and V planes of `ceil(width/2)`×`ceil(height/2)` samples each.
 *
 * Barcode layout (see {@link barcodeLayout}): a band across the top of the frame holding
 * 32 square bit cells, row-major from the top-left corner, each a flat block of pure black
 * (Y=16) or white (Y=235) with neutral chroma. The 32 bits are the frame index modulo 2^24
 * (24 bits, most significant first) followed by a CRC-8 of it (poly 0x07, init 0x00,
 * xor-out 0x55, i.e. CRC-8/I-432-1), so a misread is detected. The cell size is a multiple
 * of 8 (`max(8, 8·floor(width/256))`) and cells start at (0, 0), so every cell lies on the
 * codecs' 8×8 block grid; the band's height is rounded up to a multiple of 16 (the padding
 * is black) so the band does not share a macroblock row with the moving pattern.
 * Through libvpx (VP8 and VP9, realtime, cpu-used 8) every frame's index read back
 * correctly at 100–300 kbit/s for 160×120, 320×240, 321×241 and 640×480.
 *
 * Pure functions of their inputs: no randomness, no clocks, no runtime APIs.
 *
 * @module
 */

import { hash32 } from "../../prng.ts";

/** Number of frame-index bits in the barcode. */
const INDEX_BITS = 24;
/** Number of check bits (CRC-8) in the barcode. */
const CHECK_BITS = 8;
/** Total number of bit cells in the barcode. */
const CODE_BITS = INDEX_BITS + CHECK_BITS;

/**
 * Frame indices are stored modulo this value (2^24): at 30 frames per second it wraps
 * after about 6.5 days.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FRAME_INDEX_MODULUS } from "./video_pattern.ts";
 * assert.ok(FRAME_INDEX_MODULUS === 16777216);
 * ```
 */
export const FRAME_INDEX_MODULUS = 2 ** INDEX_BITS;

/** Luma of black in limited-range video. */
const Y_BLACK = 16;
/** Luma of white in limited-range video. */
const Y_WHITE = 235;
/** Neutral chroma. */
const C_NEUTRAL = 128;
/** Decision threshold for a bit cell: mid-grey between black and white. */
const Y_MID = (Y_BLACK + Y_WHITE) / 2;
/** A cell whose mean luma is closer than this to mid-grey is unreadable. */
const Y_MARGIN = 32;

/** Where the barcode sits in a frame of a given size. */
export interface BarcodeLayout {
  /** Side of a square bit cell in pixels (a multiple of 8, at least 8). */
  cellSize: number;
  /** Cells per row of the band (the last row may be partly used). */
  cellsPerRow: number;
  /** Rows of cells. */
  rows: number;
  /** Luma rows from the top covered by the band (cells plus black padding). */
  bandHeight: number;
}

/**
 * The barcode layout for a frame size, or `null` when the frame is too small to hold 32
 * cells of at least 8×8 pixels (then frames carry the moving pattern only, and
 * {@link readFrameIndex} returns `null`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { barcodeLayout } from "./video_pattern.ts";
 * assert.ok(barcodeLayout(640, 480)?.cellSize === 16);
 * assert.ok(barcodeLayout(160, 120)?.rows === 2);
 * assert.ok(barcodeLayout(16, 16) === null);
 * ```
 */
export function barcodeLayout(width: number, height: number): BarcodeLayout | null {
  checkSize(width, height);
  const cellSize = Math.max(8, 8 * Math.floor(width / 256));
  const fit = Math.floor(width / cellSize);
  if (fit < 1) return null;
  const cellsPerRow = Math.min(fit, CODE_BITS);
  const rows = Math.ceil(CODE_BITS / cellsPerRow);
  const cellsHeight = rows * cellSize;
  if (cellsHeight > height) return null;
  const bandHeight = Math.min(height, Math.ceil(cellsHeight / 16) * 16);
  return { cellSize, cellsPerRow, rows, bandHeight };
}

/**
 * Bytes in one I420 frame: `width·height + 2·ceil(width/2)·ceil(height/2)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { i420FrameSize } from "./video_pattern.ts";
 * assert.ok(i420FrameSize(320, 240) === 115200);
 * assert.ok(i420FrameSize(3, 3) === 9 + 2 * 4);
 * ```
 */
export function i420FrameSize(width: number, height: number): number {
  checkSize(width, height);
  return width * height + 2 * ((width + 1) >> 1) * ((height + 1) >> 1);
}

/** What {@link renderVideoFrame} draws. */
export interface VideoFrameSpec {
  /** Frame number in the track (a non-negative integer); drives motion and the barcode. */
  index: number;
  /** Width in pixels (a positive integer). */
  width: number;
  /** Height in pixels (a positive integer). */
  height: number;
  /** All-black frame (Y=16, U=V=128), as recorded for a disabled or muted track. */
  black?: boolean;
  /** Varies the pattern's phase and colours (not the barcode); default 0. */
  seed?: number;
}

/**
 * Renders one I420 frame: a diagonal luma gradient that moves 3 px per frame, vertical
 * colour bars and horizontal chroma bands that shift with the index, a bouncing red square,
 * and the frame-index barcode across the top (see the module docs). With `black: true` the
 * whole frame is black.
 *
 * Writes into `out` when given (it must hold at least {@link i420FrameSize} bytes; the
 * result is `out` itself when the length matches exactly, else a view of its start),
 * otherwise allocates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readFrameIndex, renderVideoFrame } from "./video_pattern.ts";
 * const frame = renderVideoFrame({ index: 1234, width: 320, height: 240 });
 * assert.ok(frame.length === 320 * 240 * 3 / 2);
 * assert.ok(readFrameIndex(frame.subarray(0, 320 * 240), 320, 240) === 1234);
 * ```
 */
export function renderVideoFrame(spec: VideoFrameSpec, out?: Uint8Array): Uint8Array {
  const { index, width, height } = spec;
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`frame index must be a non-negative integer, got ${index}`);
  }
  const size = i420FrameSize(width, height);
  let frame: Uint8Array;
  if (out === undefined) frame = new Uint8Array(size);
  else if (out.length === size) frame = out;
  else if (out.length > size) frame = out.subarray(0, size);
  else {throw new RangeError(
      `out holds ${out.length} bytes, a ${width}x${height} frame needs ${size}`,
    );}

  const lumaSize = width * height;
  if (spec.black === true) {
    frame.fill(Y_BLACK, 0, lumaSize);
    frame.fill(C_NEUTRAL, lumaSize);
    return frame;
  }
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  const uOff = lumaSize;
  const vOff = lumaSize + cw * ch;
  const h = hash32(spec.seed ?? 0, 0x5eed);
  const phase = index % 256; // motion repeats every 256 frames; exact for any safe integer
  const layout = barcodeLayout(width, height);
  const band = layout === null ? 0 : layout.bandHeight;

  // Luma: triangle wave along x + y, shifted 3 px per frame.
  const diag = new Uint8Array(width + height);
  const shift = phase * 3 + (h & 255);
  for (let k = 0; k < diag.length; k++) {
    const t = (k + shift) & 255;
    diag[k] = 32 + ((t < 128 ? t : 255 - t) * 3 >> 1); // 32..222
  }
  for (let y = band; y < height; y++) {
    frame.set(diag.subarray(y, y + width), y * width);
  }

  // Chroma: U as 8 vertical bars moving 2 chroma px per frame, V as horizontal bands.
  const uRow = new Uint8Array(cw);
  const barWidth = Math.max(1, Math.ceil(cw / 8));
  const uShift = phase * 2 + ((h >>> 8) & 255);
  for (let x = 0; x < cw; x++) uRow[x] = U_BARS[Math.floor((x + uShift) / barWidth) & 7]!;
  const cBand = Math.min(ch, (band + 1) >> 1);
  const vShift = phase + ((h >>> 16) & 255);
  for (let y = cBand; y < ch; y++) {
    frame.set(uRow, uOff + y * cw);
    const t = (y + vShift) & 63;
    frame.fill(96 + (t < 32 ? t : 63 - t) * 2, vOff + y * cw, vOff + (y + 1) * cw); // 96..158
  }

  // A red square bouncing around the area below the band.
  const areaH = height - band;
  const side = Math.min(width, areaH, Math.max(4, Math.floor(Math.min(width, areaH) / 5))) & ~1;
  if (side >= 2) {
    const x0 = bounce(phase * 5 + ((h >>> 4) & 255), width - side) & ~1;
    const y0 = (band + bounce(phase * 3 + ((h >>> 12) & 255), areaH - side)) & ~1;
    for (let y = Math.max(y0, band); y < Math.min(y0 + side, height); y++) {
      frame.fill(81, y * width + x0, y * width + Math.min(x0 + side, width));
    }
    const cx0 = x0 >> 1, cx1 = Math.min(cw, (x0 + side) >> 1);
    for (let y = Math.max(y0 >> 1, cBand); y < Math.min((y0 + side) >> 1, ch); y++) {
      frame.fill(90, uOff + y * cw + cx0, uOff + y * cw + cx1);
      frame.fill(240, vOff + y * cw + cx0, vOff + y * cw + cx1);
    }
  }

  // The barcode band: black background, white cells for 1 bits, neutral chroma.
  if (layout !== null) {
    frame.fill(Y_BLACK, 0, band * width);
    frame.fill(C_NEUTRAL, uOff, uOff + cBand * cw);
    frame.fill(C_NEUTRAL, vOff, vOff + cBand * cw);
    const code = encodeIndex(index % FRAME_INDEX_MODULUS);
    const { cellSize, cellsPerRow } = layout;
    for (let i = 0; i < CODE_BITS; i++) {
      if (((code >>> (CODE_BITS - 1 - i)) & 1) === 0) continue;
      const x = (i % cellsPerRow) * cellSize;
      const top = Math.floor(i / cellsPerRow) * cellSize;
      for (let y = top; y < top + cellSize; y++) {
        frame.fill(Y_WHITE, y * width + x, y * width + x + cellSize);
      }
    }
  }
  return frame;
}

/**
 * Reads the frame index back from the luma plane of a (possibly lossily encoded and
 * decoded) frame rendered by {@link renderVideoFrame}. Each cell is judged by the mean of
 * its central half (a quarter of the cell is skipped on every side) against mid-grey;
 * returns `null` when the frame is too small for a barcode, a cell's mean is within 32 of
 * mid-grey (unreadable), or the CRC-8 does not match (black frames, corruption, frames
 * without a barcode). The result is the index modulo {@link FRAME_INDEX_MODULUS}.
 *
 * @param y luma samples, row `r` starting at `r * stride`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readFrameIndex, renderVideoFrame } from "./video_pattern.ts";
 * const frame = renderVideoFrame({ index: 77, width: 160, height: 120 });
 * assert.ok(readFrameIndex(frame, 160, 120) === 77);
 * const black = renderVideoFrame({ index: 77, width: 160, height: 120, black: true });
 * assert.ok(readFrameIndex(black, 160, 120) === null);
 * ```
 */
export function readFrameIndex(
  y: Uint8Array,
  width: number,
  height: number,
  stride: number = width,
): number | null {
  checkPlane(y, width, height, stride);
  const layout = barcodeLayout(width, height);
  if (layout === null) return null;
  const { cellSize, cellsPerRow } = layout;
  const m = cellSize >> 2;
  const inner = cellSize - 2 * m;
  let code = 0;
  for (let i = 0; i < CODE_BITS; i++) {
    const x0 = (i % cellsPerRow) * cellSize + m;
    const y0 = Math.floor(i / cellsPerRow) * cellSize + m;
    let sum = 0;
    for (let r = y0; r < y0 + inner; r++) {
      const row = r * stride + x0;
      for (let c = 0; c < inner; c++) sum += y[row + c]!;
    }
    const mean = sum / (inner * inner);
    if (Math.abs(mean - Y_MID) < Y_MARGIN) return null;
    code = (code * 2 + (mean > Y_MID ? 1 : 0)) >>> 0;
  }
  const index = code >>> CHECK_BITS;
  return (code & 0xff) === crc8(index) ? index : null;
}

/**
 * Whether a luma plane is (close to) black: mean luma at most 24 and standard deviation
 * at most 6, which accepts black frames after lossy coding (and full-range black, Y=0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isBlackFrame, renderVideoFrame } from "./video_pattern.ts";
 * const spec = { index: 5, width: 64, height: 48 };
 * assert.ok(isBlackFrame(renderVideoFrame({ ...spec, black: true }), 64, 48));
 * assert.ok(!isBlackFrame(renderVideoFrame(spec), 64, 48));
 * ```
 */
export function isBlackFrame(
  y: Uint8Array,
  width: number,
  height: number,
  stride: number = width,
): boolean {
  checkPlane(y, width, height, stride);
  let sum = 0;
  let sumSq = 0;
  for (let r = 0; r < height; r++) {
    const row = r * stride;
    for (let c = 0; c < width; c++) {
      const v = y[row + c]!;
      sum += v;
      sumSq += v * v;
    }
  }
  const n = width * height;
  const mean = sum / n;
  const variance = Math.max(0, sumSq / n - mean * mean);
  return mean <= 24 && variance <= 36;
}

/** U values of the eight colour bars. */
const U_BARS = [128, 64, 192, 96, 160, 48, 208, 128] as const;

/** Triangle wave of `t` between 0 and `range` (inclusive), period `2·range`. */
function bounce(t: number, range: number): number {
  if (range <= 0) return 0;
  const p = t % (2 * range);
  return p <= range ? p : 2 * range - p;
}

/** The 32-bit code word: 24 index bits then 8 CRC bits. */
function encodeIndex(index24: number): number {
  return ((index24 << CHECK_BITS) | crc8(index24)) >>> 0;
}

/** CRC-8 (poly 0x07, init 0, xor-out 0x55) of a 24-bit value, most significant byte first. */
function crc8(value24: number): number {
  let crc = 0;
  for (let shift = 16; shift >= 0; shift -= 8) {
    crc ^= (value24 >>> shift) & 0xff;
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc ^ 0x55;
}

function checkSize(width: number, height: number): void {
  if (!Number.isSafeInteger(width) || width < 1 || !Number.isSafeInteger(height) || height < 1) {
    throw new RangeError(`frame size must be positive integers, got ${width}x${height}`);
  }
}

function checkPlane(y: Uint8Array, width: number, height: number, stride: number): void {
  checkSize(width, height);
  if (!Number.isSafeInteger(stride) || stride < width) {
    throw new RangeError(`stride ${stride} is smaller than width ${width}`);
  }
  if (y.length < stride * (height - 1) + width) {
    throw new RangeError(`luma plane of ${y.length} bytes is too small for ${width}x${height}`);
  }
}
