/**
 * An Ogg Opus writer (`audio/ogg;codecs=opus`): the OpusHead and OpusTags header pages,
 * then audio packets packed into pages. The output is a pure function of the input.
 *
 * @module
 */

import { oggCrc32 } from "./ogg_crc.ts";
import { utf8Encode } from "./utf8.ts";

const EMPTY = new Uint8Array(0);

/** Ogg page header flags. */
const CONTINUED = 0x01, BOS = 0x02, EOS = 0x04;

/**
 * Options of {@link opusHead}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { OpusHeadOptions } from "./ogg_writer.ts";
 * const o: OpusHeadOptions = { channels: 2, sampleRate: 48000, preSkip: 312 };
 * assert.ok(o.channels === 2);
 * ```
 */
export interface OpusHeadOptions {
  /** 1 or 2 (channel mapping family 0). */
  channels: number;
  /** Input sample rate in Hz (informational; Opus always decodes at 48 kHz). */
  sampleRate: number;
  /** Samples at 48 kHz to discard at the start. */
  preSkip: number;
  /** Output gain in Q7.8 dB; default 0. */
  outputGain?: number;
}

/**
 * Encodes an OpusHead identification header (RFC 7845 §5.1) with channel mapping family
 * 0. It is also the CodecPrivate of an "A_OPUS" WebM track. Throws a RangeError for more
 * than 2 channels (pass your own OpusHead then).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { opusHead } from "./ogg_writer.ts";
 * const head = opusHead({ channels: 2, sampleRate: 48000, preSkip: 312 });
 * assert.ok(head.length === 19 && head[9] === 2);
 * ```
 */
export function opusHead(options: OpusHeadOptions): Uint8Array {
  const { channels, sampleRate, preSkip, outputGain = 0 } = options;
  if (channels !== 1 && channels !== 2) {
    throw new RangeError(`opusHead() supports 1 or 2 channels, got ${channels}`);
  }
  const out = new Uint8Array(19);
  out.set(utf8Encode("OpusHead"));
  const view = new DataView(out.buffer);
  view.setUint8(8, 1);
  view.setUint8(9, channels);
  view.setUint16(10, preSkip, true);
  view.setUint32(12, sampleRate, true);
  view.setInt16(16, outputGain, true);
  view.setUint8(18, 0);
  return out;
}

function opusTags(vendor: string): Uint8Array {
  const v = utf8Encode(vendor);
  const out = new Uint8Array(8 + 4 + v.length + 4);
  out.set(utf8Encode("OpusTags"));
  new DataView(out.buffer).setUint32(8, v.length, true);
  out.set(v, 12);
  return out; // the user comment count stays 0
}

/**
 * Encodes one Ogg page. `granule` -1 means no packet ends on the page; `lacing` holds
 * the segment table and `parts` the body (their total length must match the table).
 */
function page(
  flags: number,
  granule: number,
  serial: number,
  seq: number,
  lacing: Uint8Array,
  parts: readonly Uint8Array[],
  bodyLength: number,
): Uint8Array {
  const out = new Uint8Array(27 + lacing.length + bodyLength);
  const view = new DataView(out.buffer);
  out.set([0x4f, 0x67, 0x67, 0x53]); // "OggS", version 0
  out[5] = flags;
  view.setUint32(6, granule < 0 ? 0xffffffff : granule % 2 ** 32, true);
  view.setUint32(10, granule < 0 ? 0xffffffff : Math.floor(granule / 2 ** 32), true);
  view.setUint32(14, serial, true);
  view.setUint32(18, seq, true);
  out[26] = lacing.length;
  out.set(lacing, 27);
  let at = 27 + lacing.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  view.setUint32(22, oggCrc32(out), true);
  return out;
}

/** A single-page packet of fewer than 255 bytes. */
function headerPage(flags: number, serial: number, seq: number, packet: Uint8Array): Uint8Array {
  if (packet.length >= 255) throw new RangeError("header packets must be under 255 bytes");
  return page(flags, 0, serial, seq, Uint8Array.of(packet.length), [packet], packet.length);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 0) return EMPTY;
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/**
 * Options of an {@link OggOpusWriter}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { OggOpusWriterOptions } from "./ogg_writer.ts";
 * const o: OggOpusWriterOptions = { serial: 1, channels: 1, sampleRate: 48000, preSkip: 312 };
 * assert.ok(o.serial === 1);
 * ```
 */
export interface OggOpusWriterOptions {
  /** The logical stream's serial number (uint32). */
  serial: number;
  /** Channel count, for the OpusHead. */
  channels: number;
  /** Input sample rate in Hz, for the OpusHead. */
  sampleRate: number;
  /** Pre-skip in 48 kHz samples, for the OpusHead. */
  preSkip: number;
  /** A complete OpusHead to use instead of one built from the fields above. */
  opusHead?: Uint8Array;
  /** OpusTags vendor string; default "recsim". */
  vendor?: string;
  /**
   * A page is completed after the packet that ends at least this long (in ms of 48 kHz
   * granule) after the previous page's granule position. Default 1000.
   */
  pageDurationMs?: number;
}

/**
 * Streams an Ogg Opus file: {@link OggOpusWriter.header} once, then
 * {@link OggOpusWriter.packet} per Opus packet, {@link OggOpusWriter.flush} to close
 * the open page early (at a recording chunk boundary, as Firefox does) and
 * {@link OggOpusWriter.end} to close the last page with the EOS flag.
 *
 * Audio pages are numbered from 2. A page is completed when its segment table is full
 * (255 lacing values, so at most 65025 bytes), or after a packet that ends at least
 * `pageDurationMs` after the previous page's granule position. A packet that does not
 * fit in the open page's segment table starts a new page; only packets of 65025 bytes or
 * more are split across pages (with the continuation flag on the following pages).
 * Packets are kept by reference until their page is completed: do not mutate them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OggOpusWriter } from "./ogg_writer.ts";
 * const w = new OggOpusWriter({ serial: 7, channels: 2, sampleRate: 48000, preSkip: 312 });
 * const out = [w.header()];
 * for (let i = 1; i <= 10; i++) out.push(w.packet(new Uint8Array(40), 312 + 960 * i));
 * out.push(w.end());
 * assert.ok(out[1]!.length === 0); // the 10 packets fit one page, closed by end()
 * assert.ok(out.at(-1)![5] === 0x04); // EOS flag
 * ```
 */
export class OggOpusWriter {
  readonly #options: OggOpusWriterOptions;
  readonly #pageSamples: number;
  #seq = 2;
  readonly #lacing = new Uint8Array(255);
  #segments = 0;
  #parts: Uint8Array[] = [];
  #bodyLength = 0;
  /** Granule of the last packet completed on the open page, or -1. */
  #granule = -1;
  /** Whether the open page starts with the continuation of a packet. */
  #continued = false;
  #pageStart = 0;
  #lastGranule = 0;
  #ended = false;

  /**
   * Validates the serial number (uint32).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { OggOpusWriter } from "./ogg_writer.ts";
   * const w = new OggOpusWriter({ serial: 1, channels: 1, sampleRate: 16000, preSkip: 312 });
   * assert.ok(w.flush().length === 0);
   * ```
   */
  constructor(options: OggOpusWriterOptions) {
    if (!Number.isInteger(options.serial) || options.serial < 0 || options.serial > 0xffffffff) {
      throw new RangeError(`serial must be a uint32, got ${options.serial}`);
    }
    this.#options = options;
    this.#pageSamples = (options.pageDurationMs ?? 1000) * 48;
  }

  /**
   * Pages 0 and 1: the OpusHead (with the BOS flag) and the OpusTags (vendor "recsim"
   * unless set). Pure: every call returns the same bytes.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { OggOpusWriter } from "./ogg_writer.ts";
   * const h = new OggOpusWriter({ serial: 1, channels: 1, sampleRate: 48000, preSkip: 312 })
   *   .header();
   * assert.ok(new TextDecoder().decode(h.subarray(0, 4)) === "OggS" && h[5] === 0x02);
   * ```
   */
  header(): Uint8Array {
    const o = this.#options;
    const head = o.opusHead ?? opusHead(o);
    return concat([
      headerPage(BOS, o.serial, 0, head),
      headerPage(0, o.serial, 1, opusTags(o.vendor ?? "recsim")),
    ]);
  }

  /**
   * Adds a packet whose last sample has 48 kHz granule position `granulePos` (pre-skip
   * included, non-decreasing) and returns the bytes of the pages this completed (often
   * none: an empty array).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { OggOpusWriter } from "./ogg_writer.ts";
   * const w = new OggOpusWriter({
   *   serial: 1, channels: 1, sampleRate: 48000, preSkip: 0, pageDurationMs: 40,
   * });
   * assert.ok(w.packet(new Uint8Array(10), 960).length === 0);
   * assert.ok(w.packet(new Uint8Array(10), 1920n).length === 27 + 2 + 20); // 40 ms
   * ```
   */
  packet(data: Uint8Array, granulePos: bigint | number): Uint8Array {
    if (this.#ended) throw new Error("OggOpusWriter: packet() after end()");
    const granule = Number(granulePos);
    if (!Number.isSafeInteger(granule) || granule < this.#lastGranule) {
      throw new RangeError(
        `granule position must be an integer >= ${this.#lastGranule}, got ${granulePos}`,
      );
    }
    const out: Uint8Array[] = [];
    if (this.#segments > 0 && this.#segments + Math.floor(data.length / 255) + 1 > 255) {
      out.push(this.#close(0));
    }
    let at = 0;
    for (;;) {
      const free = 255 - this.#segments;
      const rest = data.length - at;
      const need = Math.floor(rest / 255) + 1;
      const take = need <= free ? rest : free * 255;
      for (let i = 0; i < Math.min(need, free); i++) {
        this.#lacing[this.#segments++] = Math.min(255, rest - 255 * i);
      }
      this.#parts.push(at === 0 && take === data.length ? data : data.subarray(at, at + take));
      this.#bodyLength += take;
      at += take;
      if (need <= free) break;
      out.push(this.#close(0));
      this.#continued = true;
    }
    this.#granule = this.#lastGranule = granule;
    if (this.#segments === 255 || granule - this.#pageStart >= this.#pageSamples) {
      out.push(this.#close(0));
    }
    return concat(out);
  }

  /**
   * Completes the open page, if it holds any data, and returns its bytes.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { OggOpusWriter } from "./ogg_writer.ts";
   * const w = new OggOpusWriter({ serial: 1, channels: 1, sampleRate: 48000, preSkip: 0 });
   * w.packet(new Uint8Array(3), 960);
   * assert.ok(w.flush().length === 27 + 1 + 3 && w.flush().length === 0);
   * ```
   */
  flush(): Uint8Array {
    if (this.#ended) throw new Error("OggOpusWriter: flush() after end()");
    return this.#segments === 0 ? EMPTY : this.#close(0);
  }

  /**
   * Completes the last page with the EOS flag (an empty page if none is open, with the
   * last granule position) and returns its bytes. The writer cannot be used afterwards.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { OggOpusWriter } from "./ogg_writer.ts";
   * const w = new OggOpusWriter({ serial: 1, channels: 1, sampleRate: 48000, preSkip: 0 });
   * assert.ok(w.end().length === 27);
   * ```
   */
  end(): Uint8Array {
    if (this.#ended) throw new Error("OggOpusWriter: end() called twice");
    this.#ended = true;
    if (this.#segments === 0) this.#granule = this.#lastGranule;
    return this.#close(EOS);
  }

  #close(flags: number): Uint8Array {
    const bytes = page(
      flags | (this.#continued ? CONTINUED : 0),
      this.#granule,
      this.#options.serial,
      this.#seq++,
      this.#lacing.subarray(0, this.#segments),
      this.#parts,
      this.#bodyLength,
    );
    if (this.#granule >= 0) this.#pageStart = this.#granule;
    this.#segments = 0;
    this.#parts = [];
    this.#bodyLength = 0;
    this.#granule = -1;
    this.#continued = false;
    return bytes;
  }
}
