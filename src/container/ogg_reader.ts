/**
 * A small Ogg reader for tests and assertions: pages (with CRC check), packets
 * reassembled across pages, and the Opus identification header.
 *
 * @module
 */

import { oggCrc32 } from "./ogg_crc.ts";

/**
 * Thrown by {@link readOgg} and {@link parseOpusHead} on malformed input; the message
 * names the byte offset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OggParseError, readOgg } from "./ogg_reader.ts";
 * try {
 *   readOgg(new TextEncoder().encode("RIFF...................................."));
 * } catch (e) {
 *   assert.ok(e instanceof OggParseError && e.offset === 0);
 * }
 * ```
 */
export class OggParseError extends Error {
  /** Always "OggParseError". */
  override name = "OggParseError";
  /** Byte offset in the input where parsing failed. */
  readonly offset: number;

  /**
   * Creates the error; `message` should mention `offset`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { OggParseError } from "./ogg_reader.ts";
   * assert.ok(new OggParseError("bad page at byte 3", 3).name === "OggParseError");
   * ```
   */
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/**
 * An Ogg page read by {@link readOgg}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { OggPage } from "./ogg_reader.ts";
 * const p: OggPage = {
 *   offset: 0, size: 28, serial: 1, seq: 0, granule: 0n, flags: 2, crcOk: true, segments: [0],
 * };
 * assert.ok((p.flags & 0x02) !== 0); // beginning of stream
 * ```
 */
export interface OggPage {
  /** Byte offset of the page's "OggS". */
  offset: number;
  /** Total page size in bytes (header, segment table and body). */
  size: number;
  /** Bitstream serial number. */
  serial: number;
  /** Page sequence number. */
  seq: number;
  /** Granule position; -1n when no packet ends on the page. */
  granule: bigint;
  /** Header type: 0x01 continued packet, 0x02 beginning of stream, 0x04 end of stream. */
  flags: number;
  /** Whether the stored CRC matches (always true unless `ignoreCrc` is set). */
  crcOk: boolean;
  /** The segment table (lacing values). */
  segments: number[];
}

/**
 * A packet read by {@link readOgg}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { OggPacket } from "./ogg_reader.ts";
 * const p: OggPacket = { data: new Uint8Array(3), granule: 960n, pageIndex: 2, serial: 1 };
 * assert.ok(p.granule === 960n);
 * ```
 */
export interface OggPacket {
  /** The packet: a view into the input, or a copy if it spans pages. */
  data: Uint8Array;
  /** The page's granule position, on the last packet that ends on each page. */
  granule?: bigint;
  /** Index in {@link OggFile.pages} of the page on which the packet ends. */
  pageIndex: number;
  /** Bitstream serial number. */
  serial: number;
}

/**
 * The result of {@link readOgg}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { OggFile } from "./ogg_reader.ts";
 * const f: OggFile = { pages: [], packets: [], truncated: false };
 * assert.ok(f.pages.length === 0);
 * ```
 */
export interface OggFile {
  /** Pages in file order. */
  pages: OggPage[];
  /** Complete packets in file order (of all bitstreams). */
  packets: OggPacket[];
  /** True when `allowTruncated` was set and the data ended mid-page. */
  truncated: boolean;
}

/**
 * Options of {@link readOgg}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ReadOggOptions } from "./ogg_reader.ts";
 * const o: ReadOggOptions = { ignoreCrc: true };
 * assert.ok(o.ignoreCrc);
 * ```
 */
export interface ReadOggOptions {
  /** Report CRC mismatches in `crcOk` instead of throwing. */
  ignoreCrc?: boolean;
  /** Stop at a page cut off by the end of the data instead of throwing. */
  allowTruncated?: boolean;
}

/**
 * Parses Ogg pages and reassembles their packets. Throws an {@link OggParseError} on a
 * missing capture pattern, unknown version, CRC mismatch, truncated page or a packet
 * left unfinished by a page without the continuation flag. A continued packet at the
 * very start (a stream read from its middle) and an unfinished packet at the end are
 * left out of `packets`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OggOpusWriter } from "./ogg_writer.ts";
 * import { readOgg } from "./ogg_reader.ts";
 * const w = new OggOpusWriter({ serial: 5, channels: 1, sampleRate: 48000, preSkip: 0 });
 * const h = w.header(), p = w.packet(Uint8Array.of(1, 2), 960), e = w.end();
 * const bytes = new Uint8Array([...h, ...p, ...e]);
 * const { pages, packets } = readOgg(bytes);
 * assert.ok(pages.length === 3 && packets.length === 3 && packets[2]?.granule === 960n);
 * ```
 */
export function readOgg(bytes: Uint8Array, options: ReadOggOptions = {}): OggFile {
  const file: OggFile = { pages: [], packets: [], truncated: false };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  /** Unfinished packet parts by serial; `null` while skipping a packet begun before the data. */
  const pending = new Map<number, Uint8Array[] | null>();
  for (let at = 0; at < bytes.length;) {
    if (at + 4 <= bytes.length && view.getUint32(at) !== 0x4f676753) {
      throw new OggParseError(`expected the capture pattern "OggS" at byte ${at}`, at);
    }
    if (at + 27 > bytes.length || at + 27 + bytes[at + 26]! > bytes.length) {
      if (options.allowTruncated) return { ...file, truncated: true };
      throw new OggParseError(`expected a page header at byte ${at} but the data ends`, at);
    }
    if (bytes[at + 4] !== 0) {
      throw new OggParseError(`expected stream structure version 0 at byte ${at + 4}`, at + 4);
    }
    const count = bytes[at + 26]!;
    const segments = Array.from(bytes.subarray(at + 27, at + 27 + count));
    const bodyStart = at + 27 + count;
    const size = 27 + count + segments.reduce((a, b) => a + b, 0);
    if (at + size > bytes.length) {
      if (options.allowTruncated) return { ...file, truncated: true };
      throw new OggParseError(`expected a ${size}-byte page at byte ${at} but the data ends`, at);
    }
    const stored = view.getUint32(at + 22, true);
    let crc = oggCrc32(bytes, at, at + 22);
    crc = oggCrc32(Uint8Array.of(0, 0, 0, 0), 0, 4, crc);
    const crcOk = oggCrc32(bytes, at + 26, at + size, crc) === stored;
    if (!crcOk && !options.ignoreCrc) {
      throw new OggParseError(`CRC mismatch in the page at byte ${at}`, at);
    }
    const page: OggPage = {
      offset: at,
      size,
      serial: view.getUint32(at + 14, true),
      seq: view.getUint32(at + 18, true),
      granule: view.getBigInt64(at + 6, true),
      flags: bytes[at + 5]!,
      crcOk,
      segments,
    };
    const pageIndex = file.pages.push(page) - 1;

    let parts = pending.get(page.serial);
    if (page.flags & 0x01) {
      if (parts === undefined) parts = null; // continues a packet we never saw
    } else if (parts) {
      throw new OggParseError(
        `expected the continuation flag on the page at byte ${at}: a packet is unfinished`,
        at,
      );
    } else {
      parts = [];
    }
    let start = bodyStart, end = bodyStart, last = -1;
    for (const lacing of segments) {
      end += lacing;
      if (lacing === 255) continue;
      if (parts !== null) {
        const piece = bytes.subarray(start, end);
        const data = parts.length === 0 ? piece : concat([...parts, piece]);
        last = file.packets.push({ data, pageIndex, serial: page.serial }) - 1;
      }
      parts = [];
      start = end;
    }
    if (start < end) {
      parts?.push(bytes.subarray(start, end));
      pending.set(page.serial, parts);
    } else if (segments.length > 0) {
      pending.delete(page.serial);
    }
    if (last >= 0 && page.granule !== -1n) file.packets[last]!.granule = page.granule;
    at += size;
  }
  return file;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/**
 * The fields of an OpusHead identification header (RFC 7845 §5.1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { OpusHeadInfo } from "./ogg_reader.ts";
 * const h: OpusHeadInfo = {
 *   version: 1, channels: 2, preSkip: 312, inputSampleRate: 48000, outputGain: 0, mappingFamily: 0,
 * };
 * assert.ok(h.channels === 2);
 * ```
 */
export interface OpusHeadInfo {
  /** Version (1). */
  version: number;
  /** Output channel count. */
  channels: number;
  /** Samples at 48 kHz to discard at the start. */
  preSkip: number;
  /** Input sample rate in Hz (informational). */
  inputSampleRate: number;
  /** Output gain in Q7.8 dB. */
  outputGain: number;
  /** Channel mapping family. */
  mappingFamily: number;
  /** Stream count (mapping families other than 0). */
  streamCount?: number;
  /** Coupled stream count (mapping families other than 0). */
  coupledCount?: number;
  /** Channel mapping table (mapping families other than 0). */
  channelMapping?: number[];
}

/**
 * Parses an OpusHead packet (the first packet of an Ogg Opus stream, or an "A_OPUS"
 * WebM CodecPrivate). Throws an {@link OggParseError} (offset within the packet) if it
 * is not one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { opusHead } from "./ogg_writer.ts";
 * import { parseOpusHead } from "./ogg_reader.ts";
 * const h = parseOpusHead(opusHead({ channels: 1, sampleRate: 44100, preSkip: 312 }));
 * assert.ok(h.channels === 1 && h.inputSampleRate === 44100 && h.preSkip === 312);
 * ```
 */
export function parseOpusHead(packet: Uint8Array): OpusHeadInfo {
  const magic = "OpusHead";
  for (let i = 0; i < 8; i++) {
    if (packet[i] !== magic.charCodeAt(i)) {
      throw new OggParseError(`expected "OpusHead" at byte 0 of the packet`, 0);
    }
  }
  if (packet.length < 19) {
    throw new OggParseError(`expected 19 bytes of OpusHead, got ${packet.length}`, packet.length);
  }
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const head: OpusHeadInfo = {
    version: packet[8]!,
    channels: packet[9]!,
    preSkip: view.getUint16(10, true),
    inputSampleRate: view.getUint32(12, true),
    outputGain: view.getInt16(16, true),
    mappingFamily: packet[18]!,
  };
  if (head.mappingFamily !== 0) {
    if (packet.length < 21 + head.channels) {
      throw new OggParseError(
        `expected a channel mapping table at byte 19 of the OpusHead (family ${head.mappingFamily})`,
        19,
      );
    }
    head.streamCount = packet[19]!;
    head.coupledCount = packet[20]!;
    head.channelMapping = Array.from(packet.subarray(21, 21 + head.channels));
  }
  return head;
}
