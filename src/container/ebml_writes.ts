/**
 * How libwebm's muxer (Chrome's `WebmMuxer`) hands EBML to its writer: each element's ID
 * and size a byte at a time (`SerializeInt` writes byte by byte), numbers a byte at a
 * time, strings and binary payloads in one write; a SimpleBlock's track number,
 * timecode and flags a byte at a time, then its frame in one write. Chrome fires a
 * `dataavailable` per write at a timeslice of 0 (measured: lab `timeslice/av-0`,
 * `timeslice/audio-0`, `timeslice/video-0`, where the sizes match this layout).
 *
 * @module
 */
import { decodeId, ID, vintWidth } from "./ebml.ts";

/** Elements whose body is more elements. */
const MASTER = new Set<number>([
  ID.EBML,
  ID.Segment,
  ID.SeekHead,
  0x4dbb, // Seek
  ID.Info,
  ID.Tracks,
  ID.TrackEntry,
  ID.Video,
  ID.Audio,
  ID.Cluster,
  ID.Cues,
  ID.CuePoint,
  ID.CueTrackPositions,
  ID.BlockGroup,
  ID.Chapters,
  ID.Tags,
  0x7373, // Tag
  0x63c0, // Targets
  0x67c8, // SimpleTag
]);

/** Elements whose body is written whole: strings and binary. */
const WHOLE = new Set<number>([
  ID.DocType,
  ID.MuxingApp,
  ID.WritingApp,
  ID.Name,
  ID.CodecID,
  ID.CodecPrivate,
  ID.Void,
  0x22b59c, // Language
  0x53ab, // SeekID
  0x45a3, // TagName
  0x4487, // TagString
]);

/**
 * The sizes of the writes libwebm makes for `bytes`, a run of whole EBML elements (or
 * element headers of masters whose body follows). Bytes it cannot parse are one write
 * each.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ebmlWriteSizes } from "./ebml_writes.ts";
 * import { stringElement, uintElement } from "./ebml.ts";
 * // DocType "webm": its ID (2 bytes) and size a byte at a time, then the string whole;
 * // DocTypeVersion 4: ID, size and value a byte at a time.
 * const bytes = new Uint8Array([...stringElement(0x4282, "webm"), ...uintElement(0x4287, 4)]);
 * assert.deepEqual(ebmlWriteSizes(bytes), [1, 1, 1, 4, 1, 1, 1, 1]);
 * ```
 */
export function ebmlWriteSizes(bytes: Uint8Array): number[] {
  const writes: number[] = [];
  let at = 0;
  const ones = (n: number) => {
    for (let i = 0; i < n; i++) writes.push(1);
  };
  while (at < bytes.length) {
    let id: { id: number; length: number };
    let sizeLength: number;
    try {
      id = decodeId(bytes, at);
      sizeLength = vintWidth(bytes[at + id.length]!);
    } catch {
      ones(bytes.length - at);
      break;
    }
    const head = id.length + sizeLength;
    if (at + head > bytes.length) {
      ones(bytes.length - at);
      break;
    }
    let size = bytes[at + id.length]! & (0xff >> sizeLength);
    let unknown = size === (0xff >> sizeLength);
    for (let i = 1; i < sizeLength; i++) {
      const b = bytes[at + id.length + i]!;
      unknown &&= b === 0xff;
      size = size * 256 + b;
    }
    ones(head);
    at += head;
    if (MASTER.has(id.id) || unknown) continue; // its children follow
    const body = Math.min(size, bytes.length - at);
    if (id.id === ID.SimpleBlock || id.id === ID.Block) {
      // track number (a 1-byte VINT here), timecode (2), flags (1), then the frame
      const fields = Math.min(body, vintWidth(bytes[at]!) + 3);
      ones(fields);
      if (body > fields) writes.push(body - fields);
    } else if (WHOLE.has(id.id)) {
      if (body > 0) writes.push(body);
    } else ones(body);
    at += body;
  }
  return writes;
}

/**
 * The writes for a SimpleBlock element of `size` bytes whose content is not at hand (a
 * cached Blob): its ID, size VINT, track number, timecode and flags a byte at a time,
 * then the frame.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { simpleBlockWriteSizes } from "./ebml_writes.ts";
 * assert.deepEqual(simpleBlockWriteSizes(1 + 1 + 4 + 8), [1, 1, 1, 1, 1, 1, 8]); // 8-byte frame
 * assert.deepEqual(simpleBlockWriteSizes(1 + 2 + 4 + 962).length, 8); // a 2-byte size
 * ```
 */
export function simpleBlockWriteSizes(size: number): number[] {
  // size = 1 (ID) + L (size VINT) + content, content < 2^(7L) − 1
  let l = 1;
  while (l < 8 && size - 1 - l >= 2 ** (7 * l) - 1) l++;
  const head = Math.min(size, 1 + l + 4);
  const writes = new Array<number>(head).fill(1);
  if (size > head) writes.push(size - head);
  return writes;
}
