/**
 * The timeline picture of a run: renders a trace (see `../trace.ts`) as one SVG
 * document. Pure TypeScript, no DOM, deterministic: the same trace and options give the
 * same bytes.
 *
 * What it shows, top to bottom: a virtual-time axis; per recorder its recordings (mimeType,
 * encoder, timeslice, UA minimum), a state band (inactive, recording, paused), its method
 * calls with their arguments and any exception, its events at their dispatch times (error
 * events with their DOMException name), its `dataavailable` events, and its chunks as spans
 * over the capture interval each holds (labelled with size and timecode) over the timeslice
 * grid; per track the frames (or audio frames) it produced and what became of them in each
 * recording (recorded, black or silent, paused, dropped) and its track events; listener
 * errors; a legend.
 *
 * Dense marks are aggregated: when more than `maxMarksPerPixel` marks of one lane fall in
 * one pixel column, one mark with a count (`data-count`) is drawn instead, so the size stays
 * bounded (a 1 h timeslice-100 recording renders to a few hundred KiB).
 *
 * @module
 */
import type {
  CallEntry,
  ChunkEntry,
  EventEntry,
  FramesEntry,
  ListenerErrorEntry,
  RecordingEntry,
  TraceEntry,
  TrackEntry,
} from "../trace.ts";

/** A trace as `trace.json` holds it (`{ version: 1, entries }`), a `Trace`, or its entries. */
export type TimelineTrace =
  | { readonly version?: number; readonly entries: readonly TraceEntry[] }
  | readonly TraceEntry[];

/** Options of {@link renderTimeline}. */
export interface TimelineOptions {
  /** Width of the picture in px (default 1200, at least 480). */
  width?: number;
  /** At most this many marks of one lane are drawn in one pixel column (default 2); more are drawn as one mark with a count. */
  maxMarksPerPixel?: number;
  /** The picture's title (default "recsim timeline"). */
  title?: string;
}

/** Left column for lane labels, right margin, lane heights (px). */
const LEFT = 150;
const RIGHT = 24;
const LANE = 18;
const LANE2 = 30; // a lane with two rows of labels
const BAND = 16;
const CHUNK_LANE = 26;
const HEADER = 20;
const CHAR_W = 5.6; // average advance of the 10 px sans-serif labels
const GRID_MIN_PX = 4;

/**
 * Formats a virtual time (ms) for labels: ms below 1 s, s below 1 min, then min/h.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTime } from "./render_svg.ts";
 * assert.equal(formatTime(250), "250 ms");
 * assert.equal(formatTime(1500), "1.5 s");
 * assert.equal(formatTime(330_000), "5 min 30 s");
 * assert.equal(formatTime(3_600_000), "1 h");
 * ```
 */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatTime(-ms)}`;
  if (ms < 1000) return `${trim(ms, 3)} ms`;
  if (ms < 60_000) return `${trim(ms / 1000, 3)} s`;
  const totalS = Number((ms / 1000).toFixed(3));
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS - h * 3600) / 60);
  const s = Number((totalS - h * 3600 - m * 60).toFixed(3));
  const parts: string[] = [];
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s) parts.push(`${s} s`);
  return parts.join(" ");
}

/**
 * Formats a byte count: B, KiB (one decimal) or MiB (two decimals).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatBytes } from "./render_svg.ts";
 * assert.equal(formatBytes(512), "512 B");
 * assert.equal(formatBytes(175160), "171.1 KiB");
 * assert.equal(formatBytes(3 * 1024 * 1024), "3 MiB");
 * ```
 */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${trim(n / 1024, 1)} KiB`;
  if (n < 1024 ** 3) return `${trim(n / (1024 * 1024), 2)} MiB`;
  return `${trim(n / 1024 ** 3, 2)} GiB`;
}

function trim(v: number, digits: number): string {
  const r = Number(v.toFixed(digits));
  return String(r === 0 ? 0 : r);
}

/** A coordinate with one decimal (no "-0"). */
function num(v: number): string {
  const r = Math.round(v * 10) / 10;
  return String(r === 0 ? 0 : r);
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/**
 * The entries of any accepted trace shape (`{ version, entries }`, a `Trace`, an array).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { traceEntries } from "./render_svg.ts";
 * const e = { kind: "listener-error" as const, t: 0, error: "Error: x" };
 * assert.equal(traceEntries({ version: 1, entries: [e] })[0], e);
 * assert.equal(traceEntries([e])[0], e);
 * ```
 */
export function traceEntries(trace: TimelineTrace): readonly TraceEntry[] {
  return Array.isArray(trace)
    ? trace as readonly TraceEntry[]
    : (trace as { entries: readonly TraceEntry[] }).entries;
}

/** A recorder state over `[from, to)` of virtual time. */
interface Segment {
  from: number;
  to: number;
  state: string;
}

interface RecorderModel {
  name: string;
  calls: CallEntry[];
  events: EventEntry[];
  chunks: ChunkEntry[];
  recordings: RecordingEntry[];
  /** Calls and events in trace order. */
  ordered: Array<CallEntry | EventEntry>;
  /** The frames entries of its recordings. */
  frames: FramesEntry[];
  states: Segment[];
}

interface TrackModel {
  name: string;
  kind: "video" | "audio" | "other";
  created: TrackEntry | null;
  origin: number;
  period: number | null;
  end: number | null;
  events: TrackEntry[];
  frames: FramesEntry[];
}

interface Model {
  t0: number;
  t1: number;
  recorders: RecorderModel[];
  tracks: TrackModel[];
  listenerErrors: ListenerErrorEntry[];
  counts: { entries: number; events: number; chunks: number; calls: number };
}

function buildModel(entries: readonly TraceEntry[]): Model {
  let t0 = Infinity;
  let t1 = -Infinity;
  const see = (t: number) => {
    if (Number.isFinite(t)) {
      if (t < t0) t0 = t;
      if (t > t1) t1 = t;
    }
  };
  const recorders = new Map<string, RecorderModel>();
  const tracks = new Map<string, TrackModel>();
  const listenerErrors: ListenerErrorEntry[] = [];
  const counts = { entries: entries.length, events: 0, chunks: 0, calls: 0 };
  const recorder = (name: string) => {
    let r = recorders.get(name);
    if (!r) {
      r = {
        name,
        calls: [],
        events: [],
        chunks: [],
        recordings: [],
        ordered: [],
        frames: [],
        states: [],
      };
      recorders.set(name, r);
    }
    return r;
  };
  const track = (name: string) => {
    let t = tracks.get(name);
    if (!t) {
      const kind = name.startsWith("video")
        ? "video"
        : name.startsWith("audio")
        ? "audio"
        : "other";
      t = { name, kind, created: null, origin: 0, period: null, end: null, events: [], frames: [] };
      tracks.set(name, t);
    }
    return t;
  };
  for (const e of entries) {
    see(e.t);
    switch (e.kind) {
      case "call":
        counts.calls++;
        recorder(e.target).calls.push(e);
        recorder(e.target).ordered.push(e);
        break;
      case "event":
        counts.events++;
        recorder(e.target).events.push(e);
        recorder(e.target).ordered.push(e);
        break;
      case "chunk":
        counts.chunks++;
        if (e.capture) {
          see(e.capture[0]);
          see(e.capture[1]);
        }
        recorder(e.target).chunks.push(e);
        break;
      case "recording":
        recorder(e.target).recordings.push(e);
        break;
      case "frames":
        recorder(e.target).frames.push(e);
        track(e.track).frames.push(e);
        break;
      case "track": {
        const t = track(e.target);
        t.events.push(e);
        if (e.what === "created" && !t.created) t.created = e;
        if ((e.what === "ended" || e.what === "stopped") && t.end === null) t.end = e.t;
        break;
      }
      case "listener-error":
        listenerErrors.push(e);
        break;
    }
  }
  if (!Number.isFinite(t0)) t0 = t1 = 0;
  if (!(t1 > t0)) t1 = t0 + 1;
  // Frame schedule of each track: frame i at origin + i·period. Clones share their
  // source (same seed): the origin is the first created track's with that seed.
  const originBySeed = new Map<string, number>();
  for (const t of tracks.values()) {
    const c = t.created;
    if (!c) continue;
    const s = c.settings ?? {};
    if (t.kind === "other") {
      t.kind = typeof s.frameRate === "number"
        ? "video"
        : typeof s.sampleRate === "number"
        ? "audio"
        : "other";
    }
    const key = `${t.kind}:${c.seed}`;
    if (!originBySeed.has(key)) originBySeed.set(key, c.t);
    t.origin = c.seed === undefined ? c.t : originBySeed.get(key)!;
    if (t.kind === "video" && typeof s.frameRate === "number" && s.frameRate > 0) {
      t.period = 1000 / s.frameRate;
    } else if (t.kind === "audio" && typeof s.sampleRate === "number" && s.sampleRate > 0) {
      const frameSize = typeof s.frameSize === "number" ? s.frameSize : s.sampleRate / 50;
      t.period = frameSize * 1000 / s.sampleRate;
    }
  }
  for (const r of recorders.values()) r.states = deriveStates(r, t0, t1);
  return {
    t0,
    t1,
    recorders: [...recorders.values()],
    tracks: [...tracks.values()],
    listenerErrors,
    counts,
  };
}

/**
 * The recorder's state over the whole run, from the calls' `[before, after]` states and
 * the events' dispatch states: contiguous segments from `t0` to `t1`, no overlap, no
 * zero-length segment, no two neighbours with the same state.
 */
function deriveStates(r: RecorderModel, t0: number, t1: number): Segment[] {
  const out: Segment[] = [];
  let cur = "inactive";
  let since = t0;
  const push = (from: number, to: number, state: string) => {
    if (!(to > from)) return;
    const last = out.at(-1);
    if (last && last.state === state && last.to === from) last.to = to;
    else out.push({ from, to, state });
  };
  const set = (t: number, s: string) => {
    if (s === cur) return;
    const at = Math.min(Math.max(t, since), t1);
    push(since, at, cur);
    cur = s;
    since = at;
  };
  for (const e of r.ordered) {
    if (e.kind === "call") {
      if (e.state) {
        set(e.t, e.state[0]);
        set(e.t, e.state[1]);
      }
    } else if (e.state) {
      set(e.t, e.state);
    }
  }
  push(since, t1, cur);
  return out;
}

interface Group<T> {
  items: T[];
  x0: number;
  x1: number;
}

/**
 * Groups marks by pixel column: a mark at least 1 px wide stays alone; when more than
 * `max` narrower marks start in one column, they become one group.
 */
function groupByPixel<T>(
  items: readonly T[],
  span: (item: T) => [number, number],
  max: number,
): Group<T>[] {
  const out: Group<T>[] = [];
  let bucket: Array<{ item: T; a: number; b: number }> = [];
  let col = 0;
  const flush = () => {
    if (bucket.length === 0) return;
    if (bucket.length <= max) {
      for (const m of bucket) out.push({ items: [m.item], x0: m.a, x1: m.b });
    } else {
      let x0 = Infinity;
      let x1 = -Infinity;
      for (const m of bucket) {
        if (m.a < x0) x0 = m.a;
        if (m.b > x1) x1 = m.b;
      }
      out.push({ items: bucket.map((m) => m.item), x0, x1 });
    }
    bucket = [];
  };
  for (const item of items) {
    const [a, b] = span(item);
    if (b - a >= 1) {
      flush();
      out.push({ items: [item], x0: a, x1: b });
      continue;
    }
    const c = Math.floor(a);
    if (bucket.length > 0 && c !== col) flush();
    if (bucket.length === 0) col = c;
    bucket.push({ item, a, b });
  }
  flush();
  return out;
}

/** Counts of a key, as "a ×2, b ×1" in first-seen order. */
function tally(keys: readonly string[]): string {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m].map(([k, n]) => `${k} ×${n}`).join(", ");
}

/** Greedy label placement within one lane: a label is drawn only where it fits. */
class LabelLane {
  #ends: number[];
  constructor(readonly right: number, rows = 1) {
    this.#ends = Array.from({ length: rows }, () => -Infinity);
  }
  /** Returns the row, text-anchor and x for a label of `chars` characters at `x`, or null. */
  place(
    x: number,
    chars: number,
    charW = CHAR_W,
  ): { x: number; anchor: "start" | "end"; row: number } | null {
    const w = chars * charW;
    for (const [row, end] of this.#ends.entries()) {
      if (x + 4 + w <= this.right && x + 4 >= end) {
        this.#ends[row] = x + 4 + w + 6;
        return { x: x + 4, anchor: "start", row };
      }
    }
    for (const [row, end] of this.#ends.entries()) {
      if (x - 4 - w >= end && x - 4 <= this.right) {
        this.#ends[row] = x + 6;
        return { x: x - 4, anchor: "end", row };
      }
    }
    return null;
  }
}

/** A point mark: one entry at one instant. */
interface Point {
  t: number;
  /** CSS class suffix (colour), e.g. `start`, `call-ok`. */
  cls: string;
  /** Short name for aggregate counts, e.g. `start`. */
  key: string;
  /** The tooltip (computed only for marks drawn alone or listed). */
  title: () => string;
  label?: string;
  /** The `data-type` attribute, kept on aggregates whose marks share it. */
  dataType?: string;
  /** Extra attributes (data-*), computed only for marks drawn alone. */
  attrs?: () => Record<string, string | number>;
  /** An exception or an error: aggregates holding one are marked. */
  bad?: boolean;
}

function attrs(a: Record<string, string | number> | undefined): string {
  if (!a) return "";
  let s = "";
  for (const k of Object.keys(a)) s += ` ${k}="${esc(String(a[k]))}"`;
  return s;
}

function callText(c: CallEntry): string {
  return `${c.method}(${c.args.map((a) => JSON.stringify(a) ?? String(a)).join(", ")})`;
}

/** The recorder's `recording` segments within a recording, for the media → capture mapping. */
function activeSpans(r: RecorderModel, rec: RecordingEntry): Array<[number, number]> {
  // The recording ends where it stopped gathering (its frames entries' time), else at its
  // stop event, else where the recorder next became inactive; never after the next start.
  let end = Infinity;
  for (const f of r.frames) if (f.recording === rec.recording) end = Math.min(end, f.t);
  if (end === Infinity) {
    const stop = r.events.find((e) => e.type === "stop" && e.recording === rec.recording);
    if (stop) end = stop.t;
  }
  if (end === Infinity) {
    const inactive = r.states.find((s) => s.state === "inactive" && s.from > rec.t);
    if (inactive) end = inactive.from;
  }
  for (const next of r.recordings) {
    if (next.recording > rec.recording && next.t >= rec.t) end = Math.min(end, next.t);
  }
  const out: Array<[number, number]> = [];
  for (const s of r.states) {
    if (s.state !== "recording") continue;
    const a = Math.max(s.from, rec.t);
    const b = Math.min(s.to, end);
    if (b > a) out.push([a, b]);
  }
  return out;
}

/** Virtual time at which `media` ms of recording time were collected. */
function mediaToCapture(spans: ReadonlyArray<[number, number]>, media: number): number | null {
  let left = media;
  for (const [a, b] of spans) {
    if (left <= b - a) return a + left;
    left -= b - a;
  }
  return null;
}

/** Nice tick step (ms) for the axis. */
function tickStep(range: number, maxTicks: number): number {
  const steps: number[] = [];
  for (let k = -3; k <= 2; k++) for (const m of [1, 2, 5]) steps.push(m * 10 ** k);
  steps.push(
    1000,
    2000,
    5000,
    10_000,
    15_000,
    30_000,
    60_000,
    120_000,
    300_000,
    600_000,
    900_000,
    1_800_000,
    3_600_000,
  );
  for (const s of steps) if (range / s <= maxTicks) return Number(s.toPrecision(6));
  let s = 7_200_000;
  while (range / s > maxTicks) s *= 2;
  return s;
}

const STYLE = `
.rs-timeline{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;font-size:10px;fill:#222}
.rs-timeline .rs-h1{font-size:14px;font-weight:bold}
.rs-timeline .rs-sub{fill:#555}
.rs-timeline .rs-sec{font-weight:bold;font-size:11px}
.rs-timeline .rs-lane-label{fill:#555}
.rs-timeline .rs-lane-bg{fill:#fafafa}
.rs-timeline .rs-axis{stroke:#444;stroke-width:1}
.rs-timeline .rs-tick{stroke:#ddd;stroke-width:1}
.rs-timeline .rs-sep{stroke:#bbb;stroke-width:1}
.rs-timeline .rs-state-inactive{fill:#cfd8dc}
.rs-timeline .rs-state-recording{fill:#e53935}
.rs-timeline .rs-state-paused{fill:#ffb300}
.rs-timeline .rs-state-mixed{fill:url(#rs-hatch)}
.rs-timeline .rs-call-ok{fill:#1e88e5}
.rs-timeline .rs-call-error{fill:#fff;stroke:#c62828;stroke-width:2}
.rs-timeline .rs-ev-start{fill:#2e7d32}
.rs-timeline .rs-ev-stop{fill:#37474f}
.rs-timeline .rs-ev-pause{fill:#ffb300}
.rs-timeline .rs-ev-resume{fill:#00897b}
.rs-timeline .rs-ev-error{fill:#c62828}
.rs-timeline .rs-ev-other{fill:#6d4c41}
.rs-timeline .rs-ev-dataavailable{fill:#8e24aa}
.rs-timeline .rs-agg{fill:#5c6bc0;fill-opacity:.75}
.rs-timeline .rs-agg.rs-bad{fill:#c62828}
.rs-timeline .rs-chunk-0{fill:#90caf9;stroke:#1565c0;stroke-width:.5}
.rs-timeline .rs-chunk-1{fill:#bbdefb;stroke:#1565c0;stroke-width:.5}
.rs-timeline .rs-chunk-empty{fill:#fff;stroke:#1565c0;stroke-width:1}
.rs-timeline .rs-chunk.rs-agg{fill:#42a5f5;fill-opacity:1}
.rs-timeline .rs-chunk-label{font-size:9px;fill:#0d2a4a}
.rs-timeline .rs-chunk-label.rs-on-dark{fill:#fff;font-size:10px}
.rs-timeline .rs-grid line{stroke:#1565c0;stroke-width:1;stroke-dasharray:2 2;opacity:.6}
.rs-timeline .rs-grid-dense{fill:url(#rs-grid-hatch)}
.rs-timeline .rs-ua-min{fill:#ff7043}
.rs-timeline .rs-produced{fill:#eceff1}
.rs-timeline .rs-fr-recorded{fill:#66bb6a}
.rs-timeline .rs-fr-black{fill:#263238}
.rs-timeline .rs-fr-paused{fill:#ffe082}
.rs-timeline .rs-fr-dropped{fill:#e53935}
.rs-timeline .rs-fr-mixed{fill:#8d6e63}
.rs-timeline .rs-tr{fill:#546e7a}
.rs-timeline .rs-tr-bad{fill:#c62828}
.rs-timeline .rs-rec-flag{fill:#2e7d32}
.rs-timeline .rs-bad-label{fill:#c62828;font-weight:bold}
.rs-timeline .rs-note{fill:#333;font-style:italic}
.rs-timeline .rs-lane text{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.rs-timeline .rs-lane text.rs-plain{stroke:none}
`;

/**
 * Renders a trace as an SVG timeline (see the module documentation for what it shows).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordScene } from "../scene.ts";
 * import { renderTimeline } from "./render_svg.ts";
 * const { trace } = await recordScene({ durationMs: 1000, timeslice: 250 });
 * const svg = renderTimeline(trace);
 * assert.ok(svg.startsWith("<svg") && svg.includes("recorder#1"));
 * assert.equal(svg, renderTimeline(JSON.parse(trace.toJSON())));
 * ```
 */
export function renderTimeline(trace: TimelineTrace, options: TimelineOptions = {}): string {
  const width = Math.max(480, Math.round(options.width ?? 1200));
  const maxPer = Math.max(1, Math.floor(options.maxMarksPerPixel ?? 2));
  const model = buildModel(traceEntries(trace));
  const { t0, t1 } = model;
  const plotL = LEFT;
  const plotR = width - RIGHT;
  const scale = (plotR - plotL) / (t1 - t0);
  const x = (t: number) => plotL + (t - t0) * scale;
  const body: string[] = [];
  const defs: string[] = [];
  let y = 0;

  // Title and summary.
  const title = options.title ?? "recsim timeline";
  const summary = `${formatTime(t0)} – ${formatTime(t1)} of virtual time · ${
    plural(model.recorders.length, "recorder")
  } · ${plural(model.tracks.length, "track")} · ${plural(model.counts.calls, "call")} · ${
    plural(model.counts.events, "event")
  } · ${plural(model.counts.chunks, "chunk")} · ${plural(model.counts.entries, "trace entry")}`;
  body.push(`<text class="rs-h1" x="8" y="18">${esc(title)}</text>`);
  body.push(`<text class="rs-sub" x="8" y="34">${esc(summary)}</text>`);
  y = 44;

  // Axis (labels now; the vertical tick lines are drawn once the height is known).
  const step = tickStep(t1 - t0, Math.max(2, Math.floor((plotR - plotL) / 90)));
  const ticks: number[] = [];
  for (let k = Math.ceil(t0 / step - 1e-9); k * step <= t1 + 1e-9; k++) ticks.push(k * step);
  const axisY = y + 14;
  body.push(
    `<g class="rs-axis-labels"><title>virtual time axis, a tick every ${
      esc(formatTime(step))
    }</title>`,
  );
  body.push(
    `<text class="rs-lane-label" x="8" y="${axisY - 3}">virtual time</text>`,
  );
  for (const t of ticks) {
    const tx = x(t);
    const anchor = tx > plotR - 20 ? "end" : tx < plotL + 20 ? "start" : "middle";
    body.push(
      `<text x="${num(tx)}" y="${axisY - 3}" text-anchor="${anchor}">${
        esc(formatTime(Number(t.toPrecision(12))))
      }</text>`,
    );
  }
  body.push(`</g>`);
  body.push(
    `<line class="rs-axis" x1="${plotL}" y1="${axisY}" x2="${plotR}" y2="${axisY}"/>`,
  );
  y = axisY + 6;
  const gridTop = axisY;

  const laneLabel = (text: string, top: number, h: number) => {
    body.push(
      `<text class="rs-lane-label" x="14" y="${num(top + h / 2 + 3.5)}">${esc(text)}</text>`,
    );
  };
  const laneBg = (top: number, h: number) => {
    body.push(
      `<rect class="rs-lane-bg" x="${plotL}" y="${num(top)}" width="${
        num(plotR - plotL)
      }" height="${h}"/>`,
    );
  };

  /** Draws a lane of point marks (aggregated per pixel column). */
  const pointLane = (
    name: string,
    laneCls: string,
    points: Point[],
    h: number,
    shape: "square" | "circle" | "tick" | "diamond",
    noun: string,
    listItems: boolean,
  ) => {
    const top = y;
    const cy = top + h / 2;
    const rows = h >= 28 ? 2 : 1;
    const labels = new LabelLane(plotR, rows);
    const labelY = (row: number) => rows === 1 ? cy + 3.5 : row === 0 ? top + 11 : top + h - 4;
    const sorted = points.slice().sort((a, b) => a.t - b.t);
    const groups = groupByPixel(sorted, (p) => [x(p.t), x(p.t)], maxPer);
    // Dense regions: marks in neighbouring pixel columns with at least one aggregate
    // among them. Such a region gets one count label at its start, and its marks drawn
    // alone get none (they would only be clutter).
    const runTotal = new Map<number, number>();
    const quiet = new Set<number>();
    let maxAgg = 0;
    for (let i = 0; i < groups.length;) {
      let j = i;
      let col = Math.floor(groups[i]!.x0);
      let total = 0;
      let dense = false;
      while (j < groups.length && Math.floor(groups[j]!.x0) <= col + 1) {
        const n = groups[j]!.items.length;
        total += n;
        if (n > 1) {
          dense = true;
          maxAgg = Math.max(maxAgg, n);
        }
        col = Math.floor(groups[j]!.x0);
        j++;
      }
      if (dense) {
        runTotal.set(i, total);
        for (let k = i; k < j; k++) quiet.add(k);
      }
      i = j;
    }
    laneLabel(maxAgg > 0 ? `${name} · ≤${maxAgg}/px` : name, top, h);
    laneBg(top, h);
    // Marks drawn alone but sharing a pixel column are stacked, and labelled together.
    const perCol = new Map<number, number[]>();
    for (const [gi, g] of groups.entries()) {
      if (g.items.length !== 1) continue;
      const col = Math.floor(g.x0);
      const list = perCol.get(col);
      if (list) list.push(gi);
      else perCol.set(col, [gi]);
    }
    body.push(`<g class="rs-lane ${laneCls}">`);
    const texts: string[] = [];
    for (const [gi, g] of groups.entries()) {
      const total = runTotal.get(gi);
      if (total !== undefined) {
        const label = `×${total}`;
        const at = labels.place(Math.floor(g.x0) + 1, label.length);
        if (at) {
          texts.push(
            `<text class="rs-note" x="${num(at.x)}" y="${
              num(labelY(at.row))
            }" text-anchor="${at.anchor}">${esc(label)}</text>`,
          );
        }
      }
      if (g.items.length === 1) {
        const p = g.items[0]!;
        const px = x(p.t);
        const col = perCol.get(Math.floor(g.x0))!;
        const k = col.indexOf(gi);
        const spread = rows === 2 ? 10 : 6;
        const cy = top + h / 2 + (col.length > 1 ? (k / (col.length - 1) - 0.5) * spread : 0);
        const label = k > 0 || quiet.has(gi) ? undefined : col.length === 1 ? p.label : col
          .map((i) => groups[i]!.items[0]!.label)
          .filter((l) => l !== undefined)
          .join(", ") || undefined;
        const bad = col.some((i) => groups[i]!.items[0]!.bad);
        const cls = `rs-mark rs-${p.cls}`;
        const a = attrs({
          "data-t": trim(p.t, 3),
          ...(p.dataType !== undefined ? { "data-type": p.dataType } : {}),
          ...p.attrs?.(),
        });
        const tt = `<title>${esc(p.title())}</title>`;
        if (shape === "circle") {
          body.push(
            `<circle class="${cls}"${a} cx="${num(px)}" cy="${num(cy)}" r="4">${tt}</circle>`,
          );
        } else if (shape === "square") {
          body.push(
            `<rect class="${cls}"${a} x="${num(px - 3.5)}" y="${
              num(cy - 3.5)
            }" width="7" height="7">${tt}</rect>`,
          );
        } else if (shape === "diamond") {
          body.push(
            `<path class="${cls}"${a} d="M${num(px)} ${num(cy - 5)}l4 5l-4 5l-4 -5z">${tt}</path>`,
          );
        } else {
          body.push(
            `<rect class="${cls}"${a} x="${num(px - 1)}" y="${num(top + 3)}" width="2" height="${
              h - 6
            }">${tt}</rect>`,
          );
        }
        if (label) {
          const at = labels.place(px + 2, label.length);
          if (at) {
            texts.push(
              `<text${bad ? ' class="rs-bad-label"' : ""} x="${num(at.x)}" y="${
                num(labelY(at.row))
              }" text-anchor="${at.anchor}">${esc(label)}</text>`,
            );
          }
        }
      } else {
        const n = g.items.length;
        const first = g.items[0]!.t;
        const last = g.items.at(-1)!.t;
        const bad = g.items.some((p) => p.bad);
        let tt = `${n} ${noun}, ${
          first === last ? formatTime(first) : `${formatTime(first)}–${formatTime(last)}`
        }: ${tally(g.items.map((p) => p.key))}`;
        if (listItems && first === last) {
          // A burst at one instant (e.g. calls in one task): list them in order, since
          // the tally loses it. Marks spread over the column only get the tally (size).
          const shown = g.items.slice(0, 6).map((p) => `\n• ${p.title()}`).join("");
          tt += shown + (n > 6 ? `\n… and ${n - 6} more` : "");
        }
        const gx = Math.floor(g.x0);
        body.push(
          `<rect class="rs-agg${bad ? " rs-bad" : ""}" data-count="${n}"${
            attrs(
              g.items[0]!.dataType !== undefined &&
                g.items.every((p) => p.dataType === g.items[0]!.dataType)
                ? { "data-type": g.items[0]!.dataType }
                : undefined,
            )
          } data-t="${trim(first, 3)}" x="${gx}" y="${num(top + 2)}" width="1" height="${
            h - 4
          }"><title>${esc(tt)}</title></rect>`,
        );
      }
    }
    body.push(...texts, `</g>`);
    y += h + 2;
  };

  // Recorders.
  for (const r of model.recorders) {
    y += 4;
    body.push(
      `<line class="rs-sep" x1="0" y1="${num(y)}" x2="${width}" y2="${num(y)}"/>`,
    );
    y += 2;
    body.push(`<g class="rs-recorder" data-recorder="${esc(r.name)}">`);
    // Header: the recorder's name and a flag per recording.
    const headTop = y;
    body.push(
      `<text class="rs-sec" x="8" y="${num(headTop + 14)}">${esc(r.name)}</text>`,
    );
    {
      const labels = new LabelLane(plotR);
      for (const rec of r.recordings) {
        const px = x(rec.t);
        const ts = rec.timeslice === null
          ? "no timeslice"
          : rec.timeslice < rec.minTimeslice
          ? `timeslice ${formatTime(rec.timeslice)} → UA minimum ${formatTime(rec.minTimeslice)}`
          : `timeslice ${formatTime(rec.timeslice)}`;
        const label = `rec ${rec.recording} · ${rec.mimeType} · ${rec.encoder} · ${ts} · UA min ${
          formatTime(rec.minTimeslice)
        }`;
        const tt = `recording ${rec.recording} of ${r.name}, started at ${
          formatTime(rec.t)
        }: mimeType ${rec.mimeType}, encoder ${rec.encoder}, ${ts}, UA minimum timeslice ${
          formatTime(rec.minTimeslice)
        }, tracks ${rec.tracks.join(", ") || "none"}`;
        body.push(
          `<path class="rs-rec-flag" data-recording="${rec.recording}" d="M${num(px)} ${
            num(headTop + 3)
          }v14l7 -4z"><title>${esc(tt)}</title></path>`,
        );
        const at = labels.place(px + 6, label.length);
        if (at) {
          body.push(
            `<text x="${num(at.x)}" y="${num(headTop + 14)}" text-anchor="${at.anchor}">${
              esc(label)
            }</text>`,
          );
        }
      }
    }
    y += HEADER;

    // State band.
    {
      const top = y;
      laneLabel("state", top, BAND);
      const groups = groupByPixel(r.states, (s) => [x(s.from), x(s.to)], 1);
      body.push(`<g class="rs-lane rs-states">`);
      // Two or more sub-pixel segments in one column become one "mixed" rect; a lone
      // sub-pixel segment keeps its colour and is drawn 1 px wide.
      for (const g of groups) {
        const from = g.items[0]!.from;
        const to = g.items.at(-1)!.to;
        const x0 = x(from);
        const w = Math.max(x(to) - x0, g.items.length === 1 ? 1 : 0.1);
        if (g.items.length === 1) {
          const s = g.items[0]!;
          body.push(
            `<rect class="rs-state rs-state-${
              /^[a-z]+$/.test(s.state) ? s.state : "other"
            }" data-state="${esc(s.state)}" data-from="${trim(from, 3)}" data-to="${
              trim(to, 3)
            }" x="${num(x0)}" y="${num(top)}" width="${num(w)}" height="${BAND}"><title>${
              esc(
                `${s.state} from ${formatTime(from)} to ${formatTime(to)} (${
                  formatTime(to - from)
                })`,
              )
            }</title></rect>`,
          );
          if (w > 60 && s.state !== "inactive") {
            body.push(
              `<text class="rs-plain" x="${num(x0 + 4)}" y="${num(top + 12)}" fill="#fff">${
                esc(s.state)
              }</text>`,
            );
          }
        } else {
          const share = new Map<string, number>();
          for (const s of g.items) share.set(s.state, (share.get(s.state) ?? 0) + s.to - s.from);
          const parts = [...share].map(([k, v]) => `${k} ${Math.round((100 * v) / (to - from))}%`);
          body.push(
            `<rect class="rs-state rs-state-mixed" data-state="mixed" data-count="${g.items.length}" data-from="${
              trim(from, 3)
            }" data-to="${trim(to, 3)}" x="${num(x0)}" y="${num(top)}" width="${
              num(w)
            }" height="${BAND}"><title>${
              esc(
                `${g.items.length} states, ${formatTime(from)}–${formatTime(to)}: ${
                  parts.join(", ")
                }`,
              )
            }</title></rect>`,
          );
        }
      }
      body.push(`</g>`);
      y += BAND + 2;
    }

    // Calls.
    pointLane(
      "calls",
      "rs-calls",
      r.calls.map((c) => {
        const text = callText(c);
        const ok = c.outcome === "ok";
        const outcome = ok
          ? "ok"
          : `threw ${(c.outcome as { error: string }).error}: ${
            (c.outcome as { message: string }).message
          }`;
        const states = c.state ? ` [${c.state[0]} → ${c.state[1]}]` : "";
        return {
          t: c.t,
          cls: ok ? "call-ok" : "call-error",
          key: ok ? c.method : `${c.method} ✕`,
          title: () => `${formatTime(c.t)}: ${c.target}.${text} → ${outcome}${states}`,
          label: ok ? text : `${text} ✕ ${(c.outcome as { error: string }).error}`,
          attrs: () => ({ "data-method": c.method, ...(ok ? {} : { "data-error": "1" }) }),
          bad: !ok,
        };
      }),
      LANE2,
      "square",
      "calls",
      true,
    );

    // Events: lifecycle, errors, dataavailable.
    const known = ["start", "stop", "pause", "resume", "error", "dataavailable"];
    const eventPoint = (e: EventEntry): Point => ({
      t: e.t,
      cls: `ev-${known.includes(e.type) ? e.type : "other"}`,
      key: e.type === "error" ? `error ${e.error ?? "?"}` : e.type,
      title: () => {
        const detail = e.type === "dataavailable"
          ? `, ${formatBytes(e.size ?? 0)} (${e.size ?? 0} B), timecode ${
            trim(e.timecode ?? 0, 3)
          } ms, type ${e.blobType ?? ""}`
          : e.type === "error"
          ? `: ${e.error ?? "?"}`
          : e.type === "start" && e.mimeType !== undefined
          ? `, mimeType ${e.mimeType}`
          : "";
        return `${formatTime(e.t)}: ${e.type}${detail} (task ${e.task}${
          e.recording !== undefined ? `, recording ${e.recording}` : ""
        }, state ${e.state ?? "?"})`;
      },
      ...(e.type === "dataavailable"
        ? {}
        : { label: e.type === "error" ? `error: ${e.error ?? "?"}` : e.type }),
      dataType: e.type,
      ...(e.type === "error" ? { attrs: () => ({ "data-error": e.error ?? "?" }) } : {}),
      bad: e.type === "error",
    });
    const lifecycle = r.events.filter((e) => e.type !== "dataavailable" && e.type !== "error");
    const errors = r.events.filter((e) => e.type === "error");
    const data = r.events.filter((e) => e.type === "dataavailable");
    pointLane("events", "rs-events", lifecycle.map(eventPoint), LANE, "circle", "events", true);
    if (errors.length > 0) {
      pointLane(
        "error events",
        "rs-errors",
        errors.map(eventPoint),
        LANE2,
        "circle",
        "errors",
        true,
      );
    }
    const dataTop = y;
    pointLane(
      "dataavailable",
      "rs-data",
      data.map(eventPoint),
      LANE,
      "diamond",
      "dataavailable events",
      false,
    );

    // Chunks over the timeslice grid.
    {
      const top = y;
      const h = CHUNK_LANE;
      const span = (c: ChunkEntry): [number, number] =>
        c.capture ? [x(c.capture[0]), x(c.capture[1])] : [x(c.t), x(c.t)];
      const groups = groupByPixel(r.chunks, span, maxPer);
      const maxAgg = groups.reduce(
        (m, g) => g.items.length > 1 ? Math.max(m, g.items.length) : m,
        0,
      );
      laneLabel(maxAgg > 0 ? `chunks · ≤${maxAgg}/px` : "chunks (capture)", top, h);
      laneBg(top, h);
      // Runs of aggregated chunks in neighbouring columns, labelled once with their totals.
      const runs: Array<{ x0: number; x1: number; n: number; bytes: number }> = [];
      let prevAggCol = -Infinity;
      body.push(`<g class="rs-lane rs-chunks">`);
      for (const g of groups) {
        if (g.items.length > 1) {
          const col = Math.floor(g.x0);
          const bytes = g.items.reduce((n, c) => n + c.size, 0);
          const run = runs.at(-1);
          if (run && col <= prevAggCol + 1) {
            run.x1 = Math.max(run.x1, g.x1);
            run.n += g.items.length;
            run.bytes += bytes;
          } else runs.push({ x0: g.x0, x1: g.x1, n: g.items.length, bytes });
          prevAggCol = col;
        } else prevAggCol = -Infinity;
        if (g.items.length === 1) {
          const c = g.items[0]!;
          const a = attrs({
            "data-recorder": c.target,
            "data-recording": c.recording,
            "data-index": c.index,
            "data-size": c.size,
            "data-timecode": trim(c.timecode, 3),
            ...(c.media ? { "data-media-start": trim(c.media[0], 3) } : {}),
          });
          const tt = `<title>${
            esc(
              `chunk ${c.index} of ${c.target} recording ${c.recording}: ${
                formatBytes(c.size)
              } (${c.size} B), timecode ${trim(c.timecode, 3)} ms, ${
                c.capture
                  ? `captured ${formatTime(c.capture[0])}–${formatTime(c.capture[1])}, media ${
                    formatTime(c.media?.[0] ?? 0)
                  }–${formatTime(c.media?.[1] ?? 0)}, ${c.blocks} blocks`
                  : "no media"
              }, cut at ${formatTime(c.t)} (${c.reason})`,
            )
          }</title>`;
          if (!c.capture) {
            body.push(
              `<rect class="rs-chunk rs-chunk-empty"${a} x="${num(g.x0 - 1.5)}" y="${
                num(top + 4)
              }" width="3" height="${h - 8}">${tt}</rect>`,
            );
            continue;
          }
          const w = Math.max(g.x1 - g.x0, 1);
          body.push(
            `<rect class="rs-chunk rs-chunk-${c.index % 2}"${a} x="${num(g.x0)}" y="${
              num(top + 3)
            }" width="${num(w)}" height="${h - 6}">${tt}</rect>`,
          );
          const long = `${formatBytes(c.size)} · tc ${formatTime(c.timecode)}`;
          const short = formatBytes(c.size);
          const text = long.length * 5 + 6 <= w ? long : short.length * 5 + 6 <= w ? short : null;
          if (text) {
            body.push(
              `<text class="rs-chunk-label rs-plain" x="${num(g.x0 + 3)}" y="${
                num(top + h / 2 + 3)
              }">${esc(text)}</text>`,
            );
          }
        } else {
          const n = g.items.length;
          const first = g.items[0]!;
          const lastC = g.items.at(-1)!;
          const bytes = g.items.reduce((s, c) => s + c.size, 0);
          const from = first.capture?.[0] ?? first.t;
          const to = lastC.capture?.[1] ?? lastC.t;
          body.push(
            `<rect class="rs-chunk rs-agg" data-recorder="${
              esc(r.name)
            }" data-count="${n}" data-first="${first.index}" data-last="${lastC.index}" x="${
              num(g.x0)
            }" y="${num(top + 3)}" width="${num(Math.max(g.x1 - g.x0, 1))}" height="${
              h - 6
            }"><title>${
              esc(`${n} chunks (${first.index}–${lastC.index}${
                first.recording !== lastC.recording
                  ? `, recordings ${first.recording}–${lastC.recording}`
                  : ""
              }): ${formatBytes(bytes)}, captured ${formatTime(from)}–${formatTime(to)}`)
            }</title></rect>`,
          );
        }
      }
      for (const run of runs) {
        const text = `${run.n} chunks · ${formatBytes(run.bytes)}`;
        if (text.length * 5 + 10 <= run.x1 - run.x0) {
          body.push(
            `<text class="rs-chunk-label rs-on-dark rs-plain" x="${num(run.x0 + 4)}" y="${
              num(top + h / 2 + 3)
            }">${esc(text)}</text>`,
          );
        }
      }
      body.push(`</g>`);
      // Grid of each recording: cuts every max(timeslice, minimum) ms of collected media.
      for (const rec of r.recordings) {
        const spans = activeSpans(r, rec);
        if (spans.length === 0) continue;
        const a = spans[0]![0];
        const b = spans.at(-1)![1];
        const total = spans.reduce((n, [s, e]) => n + e - s, 0);
        if (rec.timeslice !== null && Math.max(rec.timeslice, rec.minTimeslice) > 0) {
          const every = Math.max(rec.timeslice, rec.minTimeslice);
          const count = Math.max(0, Math.ceil(total / every - 1e-9) - 1);
          const what = `timeslice grid of recording ${rec.recording}: a cut after every ${
            formatTime(every)
          } of recorded media (timeslice ${formatTime(rec.timeslice)}, UA minimum ${
            formatTime(rec.minTimeslice)
          }; paused time not counted)`;
          if (every * scale < GRID_MIN_PX) {
            body.push(
              `<rect class="rs-grid-dense" data-recording="${rec.recording}" data-every="${
                trim(every, 3)
              }" x="${num(x(a))}" y="${num(dataTop)}" width="${
                num(Math.max(x(b) - x(a), 1))
              }" height="${num(top + h - dataTop)}"><title>${
                esc(`${what}: ${count} lines, too dense to draw`)
              }</title></rect>`,
            );
          } else if (count > 0) {
            body.push(
              `<g class="rs-grid" data-recording="${rec.recording}" data-every="${
                trim(every, 3)
              }" data-count="${count}"><title>${esc(what)}</title>`,
            );
            for (let k = 1; k <= count; k++) {
              const t = mediaToCapture(spans, k * every);
              if (t === null) break;
              body.push(
                `<line x1="${num(x(t))}" y1="${num(dataTop)}" x2="${num(x(t))}" y2="${
                  num(top + h)
                }"/>`,
              );
            }
            body.push(`</g>`);
          }
        }
        if (rec.minTimeslice > 0) {
          const tEnd = mediaToCapture(spans, rec.minTimeslice) ?? b;
          body.push(
            `<rect class="rs-ua-min" data-recording="${rec.recording}" x="${num(x(a))}" y="${
              num(top + h - 3)
            }" width="${num(Math.max(x(tEnd) - x(a), 1))}" height="3"><title>${
              esc(
                `UA minimum timeslice ${
                  formatTime(rec.minTimeslice)
                } (recording ${rec.recording}): a timeslice chunk holds at least this much media`,
              )
            }</title></rect>`,
          );
        }
      }
      y += h + 2;
    }
    body.push(`</g>`);
  }

  // Tracks.
  for (const tr of model.tracks) {
    y += 4;
    body.push(
      `<line class="rs-sep" x1="0" y1="${num(y)}" x2="${width}" y2="${num(y)}"/>`,
    );
    y += 2;
    body.push(`<g class="rs-track" data-track="${esc(tr.name)}">`);
    const s = tr.created?.settings ?? {};
    const desc = tr.kind === "video"
      ? `${s.width ?? "?"}×${s.height ?? "?"} @ ${s.frameRate ?? "?"} fps`
      : tr.kind === "audio"
      ? `${Number(s.sampleRate ?? 0) / 1000} kHz · ${s.channelCount ?? "?"} ch · ${
        tr.period !== null ? formatTime(tr.period) : "?"
      } frames${s.signal ? ` · ${s.signal}` : ""}`
      : "";
    body.push(
      `<text class="rs-sec" x="8" y="${num(y + 14)}">${esc(tr.name)}</text>`,
    );
    body.push(
      `<text class="rs-sub" x="${plotL}" y="${num(y + 14)}">${esc(desc)}${
        tr.created ? "" : " (no created entry in the trace: frame times unknown)"
      }</text>`,
    );
    y += HEADER;

    // Frames: produced (background), and per recording the runs.
    {
      const top = y;
      const h = BAND;
      laneLabel(tr.kind === "audio" ? "audio frames" : "frames", top, h);
      laneBg(top, h);
      if (tr.created) {
        const from = tr.created.t;
        const to = tr.end ?? t1;
        body.push(
          `<rect class="rs-produced" x="${num(x(from))}" y="${num(top)}" width="${
            num(Math.max(x(to) - x(from), 0.5))
          }" height="${h}"><title>${
            esc(
              `${tr.name} produced ${tr.kind === "audio" ? "audio frames" : "frames"} from ${
                formatTime(from)
              } to ${formatTime(to)}${tr.end === null ? "" : " (ended/stopped)"}`,
            )
          }</title></rect>`,
        );
      }
      const period = tr.period;
      if (period !== null && tr.created) {
        type Run = { from: number; to: number; state: string; rec: FramesEntry };
        const runs: Run[] = [];
        for (const f of tr.frames) {
          for (const [a, b, st] of f.runs) runs.push({ from: a, to: b, state: st, rec: f });
        }
        runs.sort((p, q) => p.from - q.from);
        const tOf = (i: number) => tr.origin + i * period;
        const groups = groupByPixel(runs, (rn) => [x(tOf(rn.from)), x(tOf(rn.to))], 1);
        body.push(`<g class="rs-lane rs-frames">`);
        for (const g of groups) {
          const w = Math.max(g.x1 - g.x0, g.items.length === 1 ? 1 : 0.5);
          if (g.items.length === 1) {
            const rn = g.items[0]!;
            const n = rn.to - rn.from;
            body.push(
              `<rect class="rs-fr rs-fr-${rn.state}" data-state="${rn.state}" data-from="${rn.from}" data-to="${rn.to}" data-recording="${rn.rec.recording}" x="${
                num(g.x0)
              }" y="${num(top + 2)}" width="${num(w)}" height="${h - 4}"><title>${
                esc(`${tr.name} ${plural(n, "frame")} ${rn.from}–${rn.to - 1} ${
                  rn.state === "black"
                    ? (tr.kind === "audio" ? "silent (recorded)" : "black (recorded)")
                    : rn.state
                } in ${rn.rec.target} recording ${rn.rec.recording}, captured ${
                  formatTime(tOf(rn.from))
                }–${formatTime(tOf(rn.to))}`)
              }</title></rect>`,
            );
          } else {
            const counts = new Map<string, number>();
            for (const rn of g.items) {
              counts.set(rn.state, (counts.get(rn.state) ?? 0) + rn.to - rn.from);
            }
            const a = g.items[0]!.from;
            const b = g.items.reduce((m, rn) => Math.max(m, rn.to), 0);
            body.push(
              `<rect class="rs-fr rs-fr-mixed" data-state="mixed" data-count="${g.items.length}" x="${
                num(g.x0)
              }" y="${num(top + 2)}" width="${num(w)}" height="${h - 4}"><title>${
                esc(
                  `${tr.name} frames ${a}–${b - 1}, ${g.items.length} runs: ${
                    [...counts].map(([k, v]) => `${k} ${v}`).join(", ")
                  }`,
                )
              }</title></rect>`,
            );
          }
        }
        body.push(`</g>`);
        // Frame boundaries, when frames are wide enough to see one by one.
        if (period * scale >= 4) {
          const id = `rs-fp-${model.tracks.indexOf(tr)}`;
          const ox = x(tr.origin);
          defs.push(
            `<pattern id="${id}" patternUnits="userSpaceOnUse" x="${num(ox)}" y="${
              num(top)
            }" width="${
              period * scale
            }" height="${h}"><line x1="0" y1="0" x2="0" y2="${h}" stroke="#fff" stroke-width="1" opacity=".8"/></pattern>`,
          );
          const from = tr.created.t;
          const to = tr.end ?? t1;
          body.push(
            `<rect class="rs-frame-grid" pointer-events="none" fill="url(#${id})" x="${
              num(x(from))
            }" y="${num(top)}" width="${num(Math.max(x(to) - x(from), 0))}" height="${h}"/>`,
          );
        }
      }
      y += h + 2;
    }

    // Track events.
    pointLane(
      "track events",
      "rs-track-events",
      tr.events.map((e) => ({
        t: e.t,
        cls: e.what === "ended" || e.what === "removed" || e.what === "muted" ||
            e.what === "isolated"
          ? "tr-bad"
          : "tr",
        key: e.what,
        title: () =>
          `${formatTime(e.t)}: ${e.target} ${e.what}${e.stream ? ` (${e.stream})` : ""}${
            e.what === "created" && e.seed !== undefined ? `, seed ${e.seed}` : ""
          }`,
        label: e.stream ? `${e.what} ${e.stream}` : e.what,
        attrs: () => ({ "data-what": e.what }),
      })),
      LANE2,
      "circle",
      "track events",
      true,
    );
    body.push(`</g>`);
  }

  // Listener errors.
  if (model.listenerErrors.length > 0) {
    y += 6;
    pointLane(
      "listener errors",
      "rs-listener-errors",
      model.listenerErrors.map((e) => ({
        t: e.t,
        cls: "ev-error",
        key: "listener error",
        title: () => `${formatTime(e.t)}: a listener threw ${e.error}`,
        label: e.error,
        bad: true,
      })),
      LANE2,
      "circle",
      "listener errors",
      true,
    );
  }

  // Legend.
  y += 10;
  body.push(`<line class="rs-sep" x1="0" y1="${num(y)}" x2="${width}" y2="${num(y)}"/>`);
  y += 4;
  const legendTop = y;
  const legend: Array<[string, string]> = [
    ["rs-state-inactive", "inactive"],
    ["rs-state-recording", "recording"],
    ["rs-state-paused", "paused"],
    ["rs-call-ok", "call"],
    ["rs-call-error", "call that threw"],
    ["rs-ev-start", "start"],
    ["rs-ev-pause", "pause"],
    ["rs-ev-resume", "resume"],
    ["rs-ev-stop", "stop"],
    ["rs-ev-error", "error"],
    ["rs-ev-dataavailable", "dataavailable"],
    ["rs-chunk-0", "chunk (capture span)"],
    ["rs-chunk-empty", "empty chunk"],
    ["rs-grid-swatch", "timeslice grid"],
    ["rs-ua-min", "UA minimum"],
    ["rs-produced", "produced, not recording"],
    ["rs-fr-recorded", "recorded"],
    ["rs-fr-black", "black / silent"],
    ["rs-fr-paused", "paused"],
    ["rs-fr-dropped", "dropped"],
    ["rs-agg", "many marks (count in tooltip)"],
  ];
  body.push(`<g class="rs-legend"><title>legend</title>`);
  body.push(`<text class="rs-sec" x="8" y="${num(legendTop + 12)}">legend</text>`);
  let lx = plotL;
  let ly = legendTop;
  for (const [cls, text] of legend) {
    const w = 14 + 4 + text.length * CHAR_W + 14;
    if (lx + w > plotR) {
      lx = plotL;
      ly += 16;
    }
    if (cls === "rs-grid-swatch") {
      body.push(
        `<g class="rs-grid"><line x1="${num(lx + 6)}" y1="${num(ly + 3)}" x2="${num(lx + 6)}" y2="${
          num(ly + 15)
        }"/></g>`,
      );
    } else {
      body.push(
        `<rect class="${cls}" x="${num(lx)}" y="${num(ly + 4)}" width="12" height="10"/>`,
      );
    }
    body.push(`<text x="${num(lx + 17)}" y="${num(ly + 13)}">${esc(text)}</text>`);
    lx += w;
  }
  body.push(`</g>`);
  y = ly + 24;
  const height = Math.ceil(y);

  // Tick lines behind everything.
  const tickLines = ticks.map((t) =>
    `<line class="rs-tick" x1="${num(x(t))}" y1="${gridTop}" x2="${num(x(t))}" y2="${
      num(legendTop - 14)
    }"/>`
  );
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="rs-timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="rs-title rs-desc" data-t0="${
      trim(t0, 3)
    }" data-t1="${trim(t1, 3)}" data-x0="${plotL}" data-x1="${plotR}">`,
  );
  out.push(`<title id="rs-title">${esc(title)}</title>`);
  out.push(`<desc id="rs-desc">${esc(summary)}</desc>`);
  out.push(`<style>${STYLE}</style>`);
  out.push(
    `<defs><pattern id="rs-hatch" patternUnits="userSpaceOnUse" width="4" height="4"><rect width="4" height="4" fill="#ef9a9a"/><path d="M0 4L4 0" stroke="#ffb300" stroke-width="1.5"/></pattern><pattern id="rs-grid-hatch" patternUnits="userSpaceOnUse" width="6" height="6"><path d="M0 6L6 0" stroke="#1565c0" stroke-width=".6" opacity=".35"/></pattern>${
      defs.join("")
    }</defs>`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(...tickLines);
  out.push(...body);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

function plural(n: number, noun: string): string {
  if (n === 1) return `1 ${noun}`;
  return `${n} ${noun.endsWith("y") ? `${noun.slice(0, -1)}ies` : `${noun}s`}`;
}

/**
 * The spans of virtual time `[from, to)` during which a recording was recording (not
 * paused): the map from media time (pauses cut out) to capture time. Defaults to the
 * trace's first recording.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordScene } from "../scene.ts";
 * import { recordingSpans } from "./render_svg.ts";
 * const { trace } = await recordScene({ durationMs: 1000, timeslice: null });
 * assert.deepEqual(recordingSpans(trace), [[0, 1000]]);
 * ```
 */
export function recordingSpans(
  trace: TimelineTrace,
  recorder?: string,
  recording?: number,
): Array<[number, number]> {
  const entries = traceEntries(trace);
  const first = entries.find((e): e is RecordingEntry =>
    e.kind === "recording" && (recorder === undefined || e.target === recorder) &&
    (recording === undefined || e.recording === recording)
  );
  if (!first) return [];
  const model = buildModel(entries);
  const r = model.recorders.find((m) => m.name === first.target);
  return r ? activeSpans(r, first) : [];
}
