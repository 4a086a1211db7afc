/**
 * EBML primitives: variable-size integers (VINTs) for element IDs and sizes, element
 * encoders, a tiny byte builder and the Matroska/WebM element IDs recsim uses.
 *
 * Runtime-neutral: no Deno or Node APIs.
 *
 * @module
 */
import { utf8Encode } from "./utf8.ts";

/**
 * Matroska element IDs, written with their VINT marker bits (as in the Matroska
 * specification), so `ID.EBML` is `0x1a45dfa3` and is stored as the bytes `1a 45 df a3`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ID } from "./ebml.ts";
 * assert.ok(ID.Cluster === 0x1f43b675);
 * ```
 */
export const ID = {
  // EBML header
  EBML: 0x1a45dfa3,
  EBMLVersion: 0x4286,
  EBMLReadVersion: 0x42f7,
  EBMLMaxIDLength: 0x42f2,
  EBMLMaxSizeLength: 0x42f3,
  DocType: 0x4282,
  DocTypeVersion: 0x4287,
  DocTypeReadVersion: 0x4285,
  // Global
  Void: 0xec,
  CRC32: 0xbf,
  // Segment and its top-level children
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Info: 0x1549a966,
  Tracks: 0x1654ae6b,
  Cluster: 0x1f43b675,
  Cues: 0x1c53bb6b,
  Chapters: 0x1043a770,
  Attachments: 0x1941a469,
  Tags: 0x1254c367,
  // Info
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  // Tracks
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackUID: 0x73c5,
  TrackType: 0x83,
  Name: 0x536e,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  CodecDelay: 0x56aa,
  SeekPreRoll: 0x56bb,
  DefaultDuration: 0x23e383,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Audio: 0xe1,
  SamplingFrequency: 0xb5,
  Channels: 0x9f,
  BitDepth: 0x6264,
  // Cluster
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  BlockDuration: 0x9b,
  ReferenceBlock: 0xfb,
  // Cues
  CuePoint: 0xbb,
  CueTime: 0xb3,
  CueTrackPositions: 0xb7,
  CueTrack: 0xf7,
  CueClusterPosition: 0xf1,
} as const;

/**
 * The 8-byte "unknown size" VINT (`01 ff ff ff ff ff ff ff`) used by live WebM for the
 * Segment and Cluster sizes. Do not mutate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UNKNOWN_SIZE } from "./ebml.ts";
 * assert.ok(UNKNOWN_SIZE.length === 8 && UNKNOWN_SIZE[0] === 0x01);
 * ```
 */
export const UNKNOWN_SIZE: Uint8Array = Uint8Array.of(
  0x01,
  0xff,
  0xff,
  0xff,
  0xff,
  0xff,
  0xff,
  0xff,
);

/**
 * Largest value a VINT can hold here: 8-byte VINTs carry 56 bits, but JavaScript
 * numbers are exact only up to 2^53 - 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_VINT } from "./ebml.ts";
 * assert.ok(MAX_VINT === Number.MAX_SAFE_INTEGER);
 * ```
 */
export const MAX_VINT: number = Number.MAX_SAFE_INTEGER;

/**
 * The number of bytes of the VINT that starts with `firstByte` (1 to 8), read from its
 * leading zero bits; 0 when `firstByte` is 0 (not a valid VINT start).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vintWidth } from "./ebml.ts";
 * assert.ok(vintWidth(0x81) === 1 && vintWidth(0x40) === 2 && vintWidth(0x01) === 8);
 * ```
 */
export function vintWidth(firstByte: number): number {
  return firstByte === 0 ? 0 : Math.clz32(firstByte & 0xff) - 23;
}

/**
 * The minimal VINT length for a size `value`. A width of `n` bytes holds values up to
 * `2^(7n) - 2`, because all value bits set means "unknown size" (so 127 needs 2 bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vintLength } from "./ebml.ts";
 * assert.ok(vintLength(126) === 1 && vintLength(127) === 2 && vintLength(16383) === 3);
 * ```
 */
export function vintLength(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`VINT value must be a safe non-negative integer, got ${value}`);
  }
  let n = 1;
  while (value >= 2 ** (7 * n) - 1) n++;
  return n;
}

/**
 * Writes `value` as a VINT of `length` bytes (default: minimal) into `out` at `offset`;
 * returns the offset after it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeVint } from "./ebml.ts";
 * const out = new Uint8Array(2);
 * assert.ok(writeVint(out, 0, 127) === 2 && out[0] === 0x40 && out[1] === 0x7f);
 * ```
 */
export function writeVint(
  out: Uint8Array,
  offset: number,
  value: number,
  length: number = vintLength(value),
): number {
  if (length < 1 || length > 8 || value > 2 ** (7 * length) - 2) {
    throw new RangeError(`VINT value ${value} does not fit in ${length} bytes`);
  }
  let v = value;
  for (let i = length - 1; i > 0; i--) {
    out[offset + i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[offset] = v | (0x80 >> (length - 1));
  return offset + length;
}

/**
 * Encodes a size VINT (minimal length unless `length` is given).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeVint } from "./ebml.ts";
 * assert.ok(encodeVint(5)[0] === 0x85);
 * assert.ok(encodeVint(5, 2).join() === "64,5");
 * ```
 */
export function encodeVint(value: number, length?: number): Uint8Array {
  const n = length ?? vintLength(value);
  const out = new Uint8Array(n);
  writeVint(out, 0, value, n);
  return out;
}

/**
 * Decodes the VINT at `offset` with its marker bit removed. `value` is -1 for the
 * reserved "unknown size" pattern (all value bits set, at any width). Throws a
 * RangeError if the first byte is 0, the VINT runs past the end of `bytes`, or the
 * value exceeds {@link MAX_VINT}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeVint, UNKNOWN_SIZE } from "./ebml.ts";
 * const { value, length } = decodeVint(Uint8Array.of(0x40, 0x7f), 0);
 * assert.ok(value === 127 && length === 2);
 * assert.ok(decodeVint(UNKNOWN_SIZE, 0).value === -1);
 * ```
 */
export function decodeVint(bytes: Uint8Array, offset: number): { value: number; length: number } {
  const first = bytes[offset] ?? 0;
  const length = vintWidth(first);
  if (length === 0) throw new RangeError(`invalid VINT at offset ${offset}`);
  if (offset + length > bytes.length) {
    throw new RangeError(`truncated VINT at offset ${offset}`);
  }
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const b = bytes[offset + i]!;
    if (b !== 0xff) allOnes = false;
    value = value * 256 + b;
  }
  if (allOnes) return { value: -1, length };
  if (value > MAX_VINT) throw new RangeError(`VINT too large at offset ${offset}`);
  return { value, length };
}

/**
 * The byte length of an element ID (1 to 4 bytes; IDs keep their marker bits).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ID, idLength } from "./ebml.ts";
 * assert.ok(idLength(ID.SimpleBlock) === 1 && idLength(ID.Segment) === 4);
 * ```
 */
export function idLength(id: number): number {
  return id < 0x100 ? 1 : id < 0x10000 ? 2 : id < 0x1000000 ? 3 : 4;
}

/**
 * Writes element ID `id` big-endian into `out` at `offset`; returns the offset after it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ID, writeId } from "./ebml.ts";
 * const out = new Uint8Array(4);
 * assert.ok(writeId(out, 0, ID.EBML) === 4 && out[0] === 0x1a);
 * ```
 */
export function writeId(out: Uint8Array, offset: number, id: number): number {
  const n = idLength(id);
  for (let i = n - 1; i >= 0; i--) out[offset++] = (id >>> (8 * i)) & 0xff;
  return offset;
}

/**
 * Decodes the element ID at `offset`, keeping its marker bits. Throws a RangeError on
 * an invalid first byte, an ID longer than 4 bytes, or truncation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeId, ID } from "./ebml.ts";
 * const { id, length } = decodeId(Uint8Array.of(0x1f, 0x43, 0xb6, 0x75), 0);
 * assert.ok(id === ID.Cluster && length === 4);
 * ```
 */
export function decodeId(bytes: Uint8Array, offset: number): { id: number; length: number } {
  const length = vintWidth(bytes[offset] ?? 0);
  if (length === 0 || length > 4) throw new RangeError(`invalid element ID at offset ${offset}`);
  if (offset + length > bytes.length) {
    throw new RangeError(`truncated element ID at offset ${offset}`);
  }
  let id = 0;
  for (let i = 0; i < length; i++) id = id * 256 + bytes[offset + i]!;
  return { id, length };
}

/**
 * Reads a big-endian unsigned integer of `length` bytes (0 to 7 exactly, 8 when the
 * value is at most 2^53 - 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readUint } from "./ebml.ts";
 * assert.ok(readUint(Uint8Array.of(0x0f, 0x42, 0x40), 0, 3) === 1_000_000);
 * ```
 */
export function readUint(bytes: Uint8Array, offset: number, length: number): number {
  let v = 0;
  for (let i = 0; i < length; i++) v = v * 256 + bytes[offset + i]!;
  return v;
}

/**
 * Reads a big-endian two's complement signed integer of `length` bytes (up to 6).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readInt } from "./ebml.ts";
 * assert.ok(readInt(Uint8Array.of(0xff, 0xfe), 0, 2) === -2);
 * ```
 */
export function readInt(bytes: Uint8Array, offset: number, length: number): number {
  if (length === 0) return 0;
  const v = readUint(bytes, offset, length);
  return v >= 2 ** (8 * length - 1) ? v - 2 ** (8 * length) : v;
}

/**
 * Reads a big-endian IEEE float of 0, 4 or 8 bytes (EBML float element payloads).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { floatElement, ID, readFloat } from "./ebml.ts";
 * const e = floatElement(ID.Duration, 1.5);
 * assert.ok(readFloat(e, e.length - 8, 8) === 1.5);
 * ```
 */
export function readFloat(bytes: Uint8Array, offset: number, length: number): number {
  if (length === 0) return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length);
  if (length === 4) return view.getFloat32(0);
  if (length === 8) return view.getFloat64(0);
  throw new RangeError(`float element must be 0, 4 or 8 bytes, got ${length}`);
}

/**
 * Encodes a complete element: ID, minimal size VINT, then `body`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { binaryElement } from "./ebml.ts";
 * assert.ok(binaryElement(0xec, Uint8Array.of(0)).join() === "236,129,0");
 * ```
 */
export function binaryElement(id: number, body: Uint8Array): Uint8Array {
  const sizeLength = vintLength(body.length);
  const out = new Uint8Array(idLength(id) + sizeLength + body.length);
  const at = writeVint(out, writeId(out, 0, id), body.length, sizeLength);
  out.set(body, at);
  return out;
}

/**
 * Encodes an unsigned integer element with the fewest bytes (at least one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ID, uintElement } from "./ebml.ts";
 * assert.ok(uintElement(ID.TrackNumber, 1).join() === "215,129,1");
 * ```
 */
export function uintElement(id: number, value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`uint element value must be a safe non-negative integer, got ${value}`);
  }
  let n = 1;
  while (value >= 2 ** (8 * n)) n++;
  const body = new Uint8Array(n);
  let v = value;
  for (let i = n - 1; i >= 0; i--) {
    body[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return binaryElement(id, body);
}

/**
 * Encodes a signed integer element (two's complement, fewest bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { intElement } from "./ebml.ts";
 * assert.ok(intElement(0xfb, -1).join() === "251,129,255");
 * ```
 */
export function intElement(id: number, value: number): Uint8Array {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`int element value must be a safe integer, got ${value}`);
  }
  let n = 1;
  while (n < 7 && (value < -(2 ** (8 * n - 1)) || value >= 2 ** (8 * n - 1))) n++;
  const body = new Uint8Array(n);
  let v = value < 0 ? value + 2 ** (8 * n) : value;
  for (let i = n - 1; i >= 0; i--) {
    body[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return binaryElement(id, body);
}

/**
 * Encodes a float element as an 8-byte big-endian double.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { floatElement, ID } from "./ebml.ts";
 * assert.ok(floatElement(ID.SamplingFrequency, 48000).length === 10);
 * ```
 */
export function floatElement(id: number, value: number): Uint8Array {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setFloat64(0, value);
  return binaryElement(id, body);
}

/**
 * Encodes a string element as UTF-8 (ASCII strings such as DocType are a subset).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ID, stringElement } from "./ebml.ts";
 * assert.ok(stringElement(ID.DocType, "webm").join() === "66,130,132,119,101,98,109");
 * ```
 */
export function stringElement(id: number, value: string): Uint8Array {
  return binaryElement(id, utf8Encode(value));
}

/**
 * Encodes a master element of known size from its already-encoded children.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ID, masterElement, uintElement } from "./ebml.ts";
 * const e = masterElement(ID.Video, [uintElement(ID.PixelWidth, 64)]);
 * assert.ok(e.join() === "224,131,176,129,64");
 * ```
 */
export function masterElement(id: number, children: readonly Uint8Array[]): Uint8Array {
  return binaryElement(id, concatBytes(children));
}

/**
 * Encodes the header of a master element of unknown size: its ID followed by
 * {@link UNKNOWN_SIZE}. Its children follow as separate bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ID, unknownSizeHeader } from "./ebml.ts";
 * assert.ok(unknownSizeHeader(ID.Segment).length === 12);
 * ```
 */
export function unknownSizeHeader(id: number): Uint8Array {
  const out = new Uint8Array(idLength(id) + 8);
  out.set(UNKNOWN_SIZE, writeId(out, 0, id));
  return out;
}

/**
 * Concatenates byte arrays into a new one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { concatBytes } from "./ebml.ts";
 * assert.ok(concatBytes([Uint8Array.of(1), Uint8Array.of(2, 3)]).join() === "1,2,3");
 * ```
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A tiny append-only byte builder: collects parts and joins them once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ByteBuilder, ID, uintElement } from "./ebml.ts";
 * const b = new ByteBuilder().push(uintElement(ID.Timecode, 0)).push(Uint8Array.of(9));
 * assert.ok(b.length === 4 && b.bytes().join() === "231,129,0,9");
 * ```
 */
export class ByteBuilder {
  #parts: Uint8Array[] = [];
  #length = 0;

  /**
   * Appends `parts` (kept by reference until {@link ByteBuilder.bytes} is called).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ByteBuilder } from "./ebml.ts";
   * assert.ok(new ByteBuilder().push(Uint8Array.of(1), Uint8Array.of(2)).length === 2);
   * ```
   */
  push(...parts: Uint8Array[]): this {
    for (const p of parts) {
      this.#parts.push(p);
      this.#length += p.length;
    }
    return this;
  }

  /**
   * Total bytes appended so far.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ByteBuilder } from "./ebml.ts";
   * assert.ok(new ByteBuilder().length === 0);
   * ```
   */
  get length(): number {
    return this.#length;
  }

  /**
   * All appended bytes joined into a new array.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ByteBuilder } from "./ebml.ts";
   * assert.ok(new ByteBuilder().push(Uint8Array.of(7)).bytes()[0] === 7);
   * ```
   */
  bytes(): Uint8Array {
    return concatBytes(this.#parts);
  }
}
