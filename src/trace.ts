/**
 * The trace of a run: every recorder method call with its arguments and outcome,
 * every event with its virtual time and the recorder state at dispatch, every chunk
 * with the media it spans, track changes, and per recording which frames each track
 * produced and which were recorded. It is plain JSON data, designed once for the CLI's
 * `trace.json`, the fuzzer's replays and the timeline picture.
 *
 * @module
 */
import { utf8Encode, utf8EncodeInto } from "./container/utf8.ts";

/** A method call on a recorder, stream or track. */
export interface CallEntry {
  /** Entry kind. */
  kind: "call";
  /** Virtual time (ms). */
  t: number;
  /** Object name, e.g. `recorder#1`. */
  target: string;
  /** Method name. */
  method: string;
  /** Arguments as given (stringified when not JSON-friendly). */
  args: unknown[];
  /** `"ok"` or the thrown error's name and message. */
  outcome: "ok" | { error: string; message: string };
  /** Recorder state before and after the call, for recorder methods. */
  state?: [string, string];
}

/** An event dispatched by recsim. */
export interface EventEntry {
  /** Entry kind. */
  kind: "event";
  /** Virtual time (ms). */
  t: number;
  /** Object name. */
  target: string;
  /** Event type. */
  type: string;
  /** Recorder state at dispatch. */
  state?: string;
  /** The task that dispatched it (tasks are numbered per agent). */
  task: number;
  /** Recording number on this recorder (1 for the first start()). */
  recording?: number;
  /** For `dataavailable`: the blob size in bytes. */
  size?: number;
  /** For `dataavailable`: the timecode. */
  timecode?: number;
  /** For `dataavailable`: `data.type`. */
  blobType?: string;
  /** For `error`: the DOMException name. */
  error?: string;
  /** For `start`: the recorder's mimeType after the event's steps. */
  mimeType?: string;
}

/** One delivered chunk and the media it holds. */
export interface ChunkEntry {
  /** Entry kind. */
  kind: "chunk";
  /** Virtual time of the cut (ms). */
  t: number;
  /** Recorder name. */
  target: string;
  /** Recording number on this recorder. */
  recording: number;
  /** Chunk index within the recording (0 for the first). */
  index: number;
  /** Bytes in the chunk. */
  size: number;
  /** The chunk's timecode. */
  timecode: number;
  /** Why the chunk was cut. */
  reason: "timeslice" | "requestData" | "stop" | "ended" | "error";
  /** Number of encoded blocks (frames/packets) in the chunk. */
  blocks: number;
  /** Media time span (recording timeline, pauses removed) of the chunk's blocks, ms. */
  media: [number, number] | null;
  /** Capture time span (virtual clock) of the chunk's blocks, ms. */
  capture: [number, number] | null;
}

/** A change to a track or a stream's track set. */
export interface TrackEntry {
  /** Entry kind. */
  kind: "track";
  /** Virtual time (ms). */
  t: number;
  /** Track name, e.g. `video#1`. */
  target: string;
  /** What happened. */
  what:
    | "created"
    | "ended"
    | "stopped"
    | "muted"
    | "unmuted"
    | "enabled"
    | "disabled"
    | "isolated"
    | "unisolated"
    | "added"
    | "removed";
  /** For added/removed: the stream's name. */
  stream?: string;
  /** For created: the source's seed (decode-back needs it to locate audio). */
  seed?: number;
  /** For created: the source's settings (frame rate, frame size, …). */
  settings?: Record<string, number | string>;
}

/** A recording's configuration, written when start() succeeds. */
export interface RecordingEntry {
  /** Entry kind. */
  kind: "recording";
  /** Virtual time of start(). */
  t: number;
  /** Recorder name. */
  target: string;
  /** Recording number on this recorder. */
  recording: number;
  /** The converted timeslice, or null when none was given. */
  timeslice: number | null;
  /** The UA minimum timeslice. */
  minTimeslice: number;
  /** The container/codecs chosen. */
  mimeType: string;
  /** The encoder used. */
  encoder: string;
  /** Names of the recorded tracks. */
  tracks: string[];
}

/**
 * Runs of frames of one track in one recording, by frame index: `recorded` (in the
 * file), `black` (recorded as black/silence: disabled or muted), `paused` (produced
 * while paused, not recorded), `dropped` (never produced by the source).
 */
export interface FramesEntry {
  /** Entry kind. */
  kind: "frames";
  /** Virtual time the recording stopped gathering. */
  t: number;
  /** Recorder name. */
  target: string;
  /** Recording number. */
  recording: number;
  /** Track name. */
  track: string;
  /** `[fromIndex, toIndexExclusive, state]` runs in index order. */
  runs: Array<[number, number, "recorded" | "black" | "paused" | "dropped"]>;
}

/** A listener threw. */
export interface ListenerErrorEntry {
  /** Entry kind. */
  kind: "listener-error";
  /** Virtual time. */
  t: number;
  /** The error's name and message. */
  error: string;
}

/** Any trace entry. */
export type TraceEntry =
  | CallEntry
  | EventEntry
  | ChunkEntry
  | TrackEntry
  | RecordingEntry
  | FramesEntry
  | ListenerErrorEntry;

/**
 * Where a streaming trace sends each entry as it is added: a callback object. The
 * trace then keeps only a bounded window in memory (see {@link TraceOptions.window}).
 * {@link ndjsonSink} writes NDJSON.
 */
export interface TraceSink {
  /** Receives each entry as it is added (the object given to {@link Trace.add}). */
  write(entry: TraceEntry): void;
  /** Writes out anything buffered; called by {@link Trace.flush} and `ua.close()`. */
  flush?(): void;
}

/** Options of a {@link Trace}. */
export interface TraceOptions {
  /** Record entries (default true). */
  enabled?: boolean;
  /** Send every entry to this sink as it is added. */
  sink?: TraceSink | ((entry: TraceEntry) => void);
  /**
   * Keep at least the last `window` entries in memory and free older ones (a page of
   * 4096 entries at a time). Default: everything without a sink, 4096 with one.
   */
  window?: number;
}

// Storage. Each entry is stored as a shape (its kind, its keys in order and each value's
// encoding) and its values: 32-bit integers and interned string ids in one paged Int32
// stream, other numbers in one paged Float64 stream, and the rare structured values (call
// arguments, settings) by reference. Frame runs become ranges in an Int32Array. Entries
// are materialised only when read.
const ENTRY_PAGE = 4096;
const I32_PAGE = 16384;
const F64_PAGE = 8192;
const MAX_WIDTH = 256;

const T_INT = 0;
const T_F64 = 1;
const T_STR = 2;
const T_NULL = 3;
const T_UNDEF = 4;
const T_FALSE = 5;
const T_TRUE = 6;
const T_PAIR = 7;
const T_RUNS = 8;
const T_REF = 9;
const TAG_CHARS = "ifsnuFTprx";
/** The shape of entries kept whole, by reference. */
const WHOLE = 0;

interface Shape {
  readonly kind: string;
  readonly keys: readonly string[];
  readonly tags: Uint8Array;
  /** Int32 slots per entry. */
  readonly i32: number;
  /** Float64 slots per entry. */
  readonly f64: number;
}

// Shapes are immutable and shared by every trace (a fuzz campaign makes thousands).
const SHAPES: Shape[] = [{
  kind: "",
  keys: ["whole"],
  tags: new Uint8Array([T_REF]),
  i32: 1,
  f64: 0,
}];
const SHAPE_IDS = new Map<string, number>();
const LAST_SHAPE = new Map<string, number>();
/** The first page of each stream starts this much smaller and grows (short traces stay small). */
const FIRST_PAGE_DIVISOR = 64;

interface EntryPage {
  readonly shape: Uint16Array;
  readonly i32: Uint32Array;
  readonly f64: Uint32Array;
}

function isInt(v: number): boolean {
  return (v | 0) === v && !(v === 0 && 1 / v < 0);
}

function tagOf(key: string, v: unknown): number {
  switch (typeof v) {
    case "number":
      return isInt(v) ? T_INT : T_F64;
    case "string":
      return T_STR;
    case "undefined":
      return T_UNDEF;
    case "boolean":
      return v ? T_TRUE : T_FALSE;
  }
  if (v === null) return T_NULL;
  if (Array.isArray(v)) {
    if (v.length === 2 && typeof v[0] === "number" && typeof v[1] === "number") return T_PAIR;
    if (key === "runs" && v.every(isRun)) return T_RUNS;
  }
  return T_REF;
}

function isRun(r: unknown): boolean {
  return Array.isArray(r) && r.length === 3 && typeof r[0] === "number" && isInt(r[0]) &&
    typeof r[1] === "number" && isInt(r[1]) && typeof r[2] === "string";
}

/**
 * The trace: an append-only list of {@link TraceEntry}, stored compactly (columnar typed
 * arrays, interned strings, frame runs as ranges; a few bytes per entry) and
 * materialised when read. A disabled trace records nothing. With a
 * {@link TraceOptions.sink} every entry is also streamed out as it is added and only a
 * bounded window stays in memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Trace } from "./trace.ts";
 * const trace = new Trace();
 * trace.add({ kind: "listener-error", t: 0, error: "Error: boom" });
 * assert.ok(trace.entries.length === 1);
 * assert.deepEqual(trace.at(0), { kind: "listener-error", t: 0, error: "Error: boom" });
 * assert.ok(JSON.parse(trace.toJSON()).entries.length === 1);
 * ```
 */
export class Trace {
  /** Whether entries are recorded. */
  readonly enabled: boolean;
  #sink: TraceSink | null;
  #window: number;
  #count = 0;
  /** Index of the first entry still in memory (a multiple of the entry page). */
  #first = 0;
  #strings: string[] = [];
  #stringIds = new Map<string, number>();
  #entryPages: (EntryPage | undefined)[] = [];
  #i32Pages: (Int32Array | undefined)[] = [];
  #f64Pages: (Float64Array | undefined)[] = [];
  #spareEntryPages: EntryPage[] = [];
  #spareI32: Int32Array[] = [];
  #spareF64: Float64Array[] = [];
  #i32Next = 0;
  #f64Next = 0;
  #refs: unknown[] = [];
  /** The first ref index of each entry page (to free refs with the page). */
  #refStarts: number[] = [];
  #cache: WeakRef<TraceEntry[]> | null = null;
  #cacheFirst = 0;

  /**
   * Creates a trace. `new Trace(false)` (or `{ enabled: false }`) makes
   * {@link Trace.add} a no-op.
   */
  constructor(options: boolean | TraceOptions = true) {
    const o: TraceOptions = typeof options === "boolean" ? { enabled: options } : options;
    this.enabled = o.enabled ?? true;
    const sink = o.sink;
    this.#sink = sink === undefined ? null : typeof sink === "function" ? { write: sink } : sink;
    const window = o.window ?? (this.#sink ? ENTRY_PAGE : Infinity);
    if (!(window >= 0)) throw new RangeError(`Trace: window must be >= 0, got ${window}`);
    this.#window = window;
  }

  /** Appends an entry (and sends it to the sink, if any). */
  add(entry: TraceEntry): void {
    if (!this.enabled) return;
    if (this.#sink !== null) this.#sink.write(entry);
    this.#store(entry);
    if (this.#count - this.#first >= this.#window + ENTRY_PAGE) this.#dropPage();
  }

  /** Number of entries in memory (all of them unless a window is set). */
  get length(): number {
    return this.#count - this.#first;
  }

  /** Number of entries added since the trace was created (including those freed). */
  get total(): number {
    return this.#count;
  }

  /** Number of the oldest entries freed from memory by the window. */
  get dropped(): number {
    return this.#first;
  }

  /** Bytes held by the stored entries (typed-array pages, interned strings, references). */
  get bytes(): number {
    let n = this.#refs.length * 8;
    for (const s of this.#strings) n += 16 + s.length * 2;
    for (const p of this.#entryPages) if (p) n += p.shape.length * 10;
    for (const p of this.#i32Pages) if (p) n += p.byteLength;
    for (const p of this.#f64Pages) if (p) n += p.byteLength;
    return n;
  }

  /**
   * The entries in memory, in the order they happened, materialised on first read (the
   * array is cached while someone holds it, and extended as entries are added).
   */
  get entries(): TraceEntry[] {
    let cached = this.#cache?.deref();
    const from = this.#first;
    if (cached !== undefined && this.#cacheFirst !== from) cached = undefined;
    if (cached === undefined) {
      cached = [];
      this.#cacheFirst = from;
      this.#cache = new WeakRef(cached);
    }
    for (let i = from + cached.length; i < this.#count; i++) cached.push(this.#materialise(i));
    return cached;
  }

  /** The entry at `index` among those in memory (negative counts from the end). */
  at(index: number): TraceEntry | undefined {
    const n = this.#count - this.#first;
    const i = index < 0 ? n + index : index;
    if (!(i >= 0 && i < n)) return undefined;
    const cached = this.#cache?.deref();
    if (cached !== undefined && this.#cacheFirst === this.#first) {
      const hit = cached[i];
      if (hit !== undefined) return hit;
    }
    return this.#materialise(this.#first + i);
  }

  /** The entries in memory, one at a time, without building the whole array. */
  *[Symbol.iterator](): IterableIterator<TraceEntry> {
    for (let i = this.#first; i < this.#count; i++) yield this.#materialise(i);
  }

  /** The entries of one kind (in memory), as a new array. */
  ofKind<K extends TraceEntry["kind"]>(kind: K): Extract<TraceEntry, { kind: K }>[] {
    const out: Extract<TraceEntry, { kind: K }>[] = [];
    for (let i = this.#first; i < this.#count; i++) {
      const page = this.#entryPages[Math.floor(i / ENTRY_PAGE)]!;
      const shapeId = page.shape[i % ENTRY_PAGE]!;
      if (shapeId !== WHOLE && SHAPES[shapeId]!.kind !== kind) continue;
      const entry = this.#materialise(i);
      if (entry.kind === kind) out.push(entry as Extract<TraceEntry, { kind: K }>);
    }
    return out;
  }

  /** The trace as a JSON document `{ version: 1, entries }` (the entries in memory). */
  toJSON(): string {
    return JSON.stringify({ version: 1, entries: this.entries });
  }

  /** Flushes the sink. */
  flush(): void {
    this.#sink?.flush?.();
  }

  #intern(s: string): number {
    let id = this.#stringIds.get(s);
    if (id === undefined) {
      id = this.#strings.length;
      this.#strings.push(s);
      this.#stringIds.set(s, id);
    }
    return id;
  }

  #shapeOf(entry: Record<string, unknown>): number {
    // Most entries have the shape of the previous entry of their kind.
    const last = LAST_SHAPE.get(entry.kind as string);
    if (last !== undefined && this.#fits(last, entry)) return last;
    const id = this.#findShape(entry);
    LAST_SHAPE.set(entry.kind as string, id);
    return id;
  }

  #fits(id: number, entry: Record<string, unknown>): boolean {
    const { keys, tags } = SHAPES[id]!;
    let n = 0;
    for (const k in entry) {
      if (keys[n] !== k || tags[n] !== tagOf(k, entry[k])) return false;
      n++;
    }
    return n === keys.length;
  }

  #findShape(entry: Record<string, unknown>): number {
    let key = "";
    for (const k in entry) key += k + TAG_CHARS[tagOf(k, entry[k])]! + ",";
    let id = SHAPE_IDS.get(key);
    if (id !== undefined) return id;
    const keys = Object.keys(entry);
    const tags = new Uint8Array(keys.map((k) => tagOf(k, entry[k])));
    let i32 = 0;
    let f64 = 0;
    for (const tag of tags) {
      if (tag === T_INT || tag === T_STR || tag === T_RUNS || tag === T_REF) i32++;
      else if (tag === T_F64) f64++;
      else if (tag === T_PAIR) f64 += 2;
    }
    // Shapes past the id space, or too wide for a page, are kept whole by reference.
    if (SHAPES.length >= 0xffff || i32 > MAX_WIDTH || f64 > MAX_WIDTH) return WHOLE;
    id = SHAPES.length;
    SHAPES.push({ kind: String(entry.kind), keys, tags, i32, f64 });
    SHAPE_IDS.set(key, id);
    return id;
  }

  #store(entry: TraceEntry): void {
    const e = entry as unknown as Record<string, unknown>;
    const shapeId = this.#shapeOf(e);
    const shape = SHAPES[shapeId]!;
    const at = this.#count % ENTRY_PAGE;
    if (at === 0) {
      const size = this.#count === 0 ? ENTRY_PAGE / FIRST_PAGE_DIVISOR : ENTRY_PAGE;
      this.#entryPages.push(
        this.#spareEntryPages.pop() ?? {
          shape: new Uint16Array(size),
          i32: new Uint32Array(size),
          f64: new Uint32Array(size),
        },
      );
      this.#refStarts.push(this.#refs.length);
    }
    let page = this.#entryPages[this.#entryPages.length - 1]!;
    if (at >= page.shape.length) page = this.#growFirstEntryPage(page);
    // An entry's values never straddle a page.
    if ((this.#i32Next % I32_PAGE) + shape.i32 > I32_PAGE) {
      this.#i32Next = Math.ceil(this.#i32Next / I32_PAGE) * I32_PAGE;
    }
    if ((this.#f64Next % F64_PAGE) + shape.f64 > F64_PAGE) {
      this.#f64Next = Math.ceil(this.#f64Next / F64_PAGE) * F64_PAGE;
    }
    page.shape[at] = shapeId;
    page.i32[at] = this.#i32Next;
    page.f64[at] = this.#f64Next;
    let ip = this.#i32Next % I32_PAGE;
    let fp = this.#f64Next % F64_PAGE;
    const ints = shape.i32 === 0 ? null : this.#i32Page(this.#i32Next, shape.i32);
    const floats = shape.f64 === 0 ? null : this.#f64Page(this.#f64Next, shape.f64);
    const { keys, tags } = shape;
    for (let k = 0; k < keys.length; k++) {
      const v = shapeId === WHOLE ? entry : e[keys[k]!];
      switch (tags[k]) {
        case T_INT:
          ints![ip++] = v as number;
          break;
        case T_STR:
          ints![ip++] = this.#intern(v as string);
          break;
        case T_F64:
          floats![fp++] = v as number;
          break;
        case T_PAIR:
          floats![fp++] = (v as number[])[0]!;
          floats![fp++] = (v as number[])[1]!;
          break;
        case T_RUNS: {
          const runs = v as [number, number, string][];
          const packed = new Int32Array(runs.length * 3);
          for (let r = 0; r < runs.length; r++) {
            packed[r * 3] = runs[r]![0];
            packed[r * 3 + 1] = runs[r]![1];
            packed[r * 3 + 2] = this.#intern(runs[r]![2]);
          }
          ints![ip++] = this.#refs.length;
          this.#refs.push(packed);
          break;
        }
        case T_REF:
          ints![ip++] = this.#refs.length;
          this.#refs.push(v);
          break;
      }
    }
    this.#i32Next += shape.i32;
    this.#f64Next += shape.f64;
    this.#count++;
  }

  #growFirstEntryPage(page: EntryPage): EntryPage {
    const size = Math.min(page.shape.length * 4, ENTRY_PAGE);
    const grown = {
      shape: new Uint16Array(size),
      i32: new Uint32Array(size),
      f64: new Uint32Array(size),
    };
    grown.shape.set(page.shape);
    grown.i32.set(page.i32);
    grown.f64.set(page.f64);
    this.#entryPages[this.#entryPages.length - 1] = grown;
    return grown;
  }

  /** The Int32 page holding `offset`…`offset + width` (the first page grows as needed). */
  #i32Page(offset: number, width: number): Int32Array {
    const p = Math.floor(offset / I32_PAGE);
    while (this.#i32Pages.length <= p) this.#i32Pages.push(undefined);
    let page = this.#i32Pages[p];
    const need = (offset % I32_PAGE) + width;
    if (page === undefined || page.length < need) {
      const old = page;
      page = p > 0 || need > I32_PAGE / 4
        ? (this.#spareI32.pop() ?? new Int32Array(I32_PAGE))
        : new Int32Array(Math.max(I32_PAGE / FIRST_PAGE_DIVISOR, (old?.length ?? 0) * 4, need));
      if (old) page.set(old);
      this.#i32Pages[p] = page;
    }
    return page;
  }

  /** The Float64 page holding `offset`…`offset + width` (the first page grows as needed). */
  #f64Page(offset: number, width: number): Float64Array {
    const p = Math.floor(offset / F64_PAGE);
    while (this.#f64Pages.length <= p) this.#f64Pages.push(undefined);
    let page = this.#f64Pages[p];
    const need = (offset % F64_PAGE) + width;
    if (page === undefined || page.length < need) {
      const old = page;
      page = p > 0 || need > F64_PAGE / 4
        ? (this.#spareF64.pop() ?? new Float64Array(F64_PAGE))
        : new Float64Array(Math.max(F64_PAGE / FIRST_PAGE_DIVISOR, (old?.length ?? 0) * 4, need));
      if (old) page.set(old);
      this.#f64Pages[p] = page;
    }
    return page;
  }

  #materialise(i: number): TraceEntry {
    const page = this.#entryPages[Math.floor(i / ENTRY_PAGE)]!;
    const at = i % ENTRY_PAGE;
    const shapeId = page.shape[at]!;
    const shape = SHAPES[shapeId]!;
    const i32Off = page.i32[at]!;
    const f64Off = page.f64[at]!;
    const ints = shape.i32 === 0 ? null : this.#i32Pages[Math.floor(i32Off / I32_PAGE)]!;
    const floats = shape.f64 === 0 ? null : this.#f64Pages[Math.floor(f64Off / F64_PAGE)]!;
    let ip = i32Off % I32_PAGE;
    let fp = f64Off % F64_PAGE;
    if (shapeId === WHOLE) return this.#refs[ints![ip]!] as TraceEntry;
    const out: Record<string, unknown> = {};
    const { keys, tags } = shape;
    for (let k = 0; k < keys.length; k++) {
      let v: unknown;
      switch (tags[k]) {
        case T_INT:
          v = ints![ip++];
          break;
        case T_STR:
          v = this.#strings[ints![ip++]!];
          break;
        case T_F64:
          v = floats![fp++];
          break;
        case T_NULL:
          v = null;
          break;
        case T_UNDEF:
          v = undefined;
          break;
        case T_FALSE:
          v = false;
          break;
        case T_TRUE:
          v = true;
          break;
        case T_PAIR:
          v = [floats![fp], floats![fp + 1]];
          fp += 2;
          break;
        case T_RUNS: {
          const packed = this.#refs[ints![ip++]!] as Int32Array;
          const runs: [number, number, string][] = [];
          for (let r = 0; r < packed.length; r += 3) {
            runs.push([packed[r]!, packed[r + 1]!, this.#strings[packed[r + 2]!]!]);
          }
          v = runs;
          break;
        }
        default:
          v = this.#refs[ints![ip++]!];
      }
      out[keys[k]!] = v;
    }
    return out as unknown as TraceEntry;
  }

  #dropPage(): void {
    // Freed pages are reused (a soak allocates nothing once the window is full).
    const p = this.#first / ENTRY_PAGE;
    const dropped = this.#entryPages[p]!;
    if (dropped.shape.length === ENTRY_PAGE) this.#spareEntryPages.push(dropped);
    this.#entryPages[p] = undefined;
    this.#first += ENTRY_PAGE;
    const next = this.#entryPages[p + 1]!;
    const i32Keep = Math.floor(next.i32[0]! / I32_PAGE);
    const f64Keep = Math.floor(next.f64[0]! / F64_PAGE);
    for (let q = i32Keep - 1; q >= 0 && this.#i32Pages[q] !== undefined; q--) {
      if (this.#i32Pages[q]!.length === I32_PAGE) this.#spareI32.push(this.#i32Pages[q]!);
      this.#i32Pages[q] = undefined;
    }
    for (let q = f64Keep - 1; q >= 0 && this.#f64Pages[q] !== undefined; q--) {
      if (this.#f64Pages[q]!.length === F64_PAGE) this.#spareF64.push(this.#f64Pages[q]!);
      this.#f64Pages[q] = undefined;
    }
    for (let r = this.#refStarts[p]!; r < this.#refStarts[p + 1]!; r++) this.#refs[r] = undefined;
  }
}

/**
 * A {@link TraceSink} that writes one JSON entry per line (NDJSON) through a reused
 * buffer of `bufferBytes` (default 64 KiB): `write` receives UTF-8 bytes whenever the
 * buffer fills and at {@link TraceSink.flush}, e.g. a Deno file's `writeSync`. The bytes
 * are valid only during the call (the buffer is reused, so a long soak allocates
 * nothing): copy them if you keep them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../mod.ts";
 * import { ndjsonSink } from "./trace.ts";
 * const out: Uint8Array[] = [];
 * const ua = createUserAgent({ trace: { sink: ndjsonSink((b) => out.push(b.slice())) } });
 * ua.createVideoTrack().stop();
 * ua.close();
 * const lines = new TextDecoder().decode(out[0]!).trim().split("\n");
 * assert.equal(JSON.parse(lines[0]!).what, "created");
 * ```
 */
export function ndjsonSink(
  write: (bytes: Uint8Array) => unknown,
  options: { bufferBytes?: number } = {},
): Required<TraceSink> {
  const size = Math.max(options.bufferBytes ?? 65536, 1024);
  let buffer: Uint8Array | null = null;
  let used = 0;
  const flush = (): void => {
    if (used === 0 || buffer === null) return;
    const n = used;
    used = 0;
    write(buffer.subarray(0, n));
  };
  /** Encodes `json` and a newline at `used`; false (nothing kept) when they do not fit. */
  const line = (json: string): boolean => {
    const end = utf8EncodeInto(json, buffer!, used);
    if (end < 0 || end >= size) return false;
    buffer![end] = 0x0a;
    used = end + 1;
    return true;
  };
  return {
    write(entry: TraceEntry): void {
      buffer ??= new Uint8Array(size);
      // Straight into the buffer: no string, array or bytes per entry beyond the JSON
      // text (recsim's own UTF-8 encoder: no TextEncoder in the core, decision 32).
      const json = JSON.stringify(entry);
      if (line(json)) return;
      flush();
      if (line(json)) return;
      // Longer than the whole buffer: written on its own.
      write(utf8Encode(json + "\n"));
    },
    flush,
  };
}
