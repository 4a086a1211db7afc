/**
 * The core scenarios measured by the benchmarks (`*_bench.ts`), `compare.ts` and
 * `summary.ts` (the synthetic encoder and state transitions; the libav.js ones are in
 * `_real_scenarios.ts`, so that importing this module loads no libav.js code): each one is
 * a plain async function that runs once and returns what it did and how long it took, so
 * the same code is timed by `deno bench`, by the comparison scripts and in a fresh
 * subprocess (`run_scenario.ts`, for memory and cold-start figures). Also the statistics
 * and table helpers.
 *
 * Not part of the published package (`bench/` is excluded from publishing).
 *
 * @module
 */
import { type BlobEvent, createUserAgent } from "../mod.ts";

/** One hour in ms. */
export const HOUR_MS = 3_600_000;

// ---------------------------------------------------------------------------------------
// Synthetic encoder: chunking throughput

/** Options of {@link recordSynthetic}. */
export interface SyntheticOptions {
  /** Virtual ms to record (default one hour). */
  durationMs?: number;
  /** `start(timeslice)`, or `null` for `start()` (default 100). */
  timeslice?: number | null;
  /** The UA minimum timeslice (default 0). */
  minTimeslice?: number;
  /** Virtual ms per `clock.advance()` call (default 60 000). */
  stepMs?: number;
  /** Keep a trace (default false). */
  trace?: boolean;
  /** Called after each clock step (e.g. to sample memory). */
  onStep?: () => void;
  /** The recorder's mimeType (default `video/webm`; an `audio/…` type records audio only). */
  mimeType?: string;
  /** After each clock step, let the host run a macrotask (see {@link yieldToHost}). */
  yieldEachStep?: boolean;
}

/**
 * CPU time of the calling thread (the JS main thread) in ms, from Linux
 * `/proc/thread-self/schedstat`, or null elsewhere. Unlike wall time it does not count
 * the time other processes on a busy machine take the CPU away (it still includes their
 * effect on caches and shared cores).
 */
export function threadCpuMs(): number | null {
  try {
    const text = Deno.readTextFileSync("/proc/thread-self/schedstat");
    return Number(text.split(" ")[0]) / 1e6;
  } catch {
    return null;
  }
}

/** Starts measuring wall and main-thread CPU time; the returned function stops. */
export function stopwatch(): () => { wallMs: number; cpuMs: number | null } {
  const wall = performance.now();
  const cpu = threadCpuMs();
  return () => {
    const wallMs = performance.now() - wall;
    const now = threadCpuMs();
    return { wallMs, cpuMs: cpu === null || now === null ? null : now - cpu };
  };
}

/** What one recording did. */
export interface RunResult {
  /** Wall-clock ms from `start()` to the `stop` event. */
  wallMs: number;
  /** CPU ms of the JS main thread over the same span (null where not measurable). */
  cpuMs: number | null;
  /** Media ms recorded. */
  mediaMs: number;
  /** `dataavailable` events. */
  chunks: number;
  /** Bytes delivered (sum of `e.data.size`; the chunks themselves are dropped). */
  bytes: number;
}

/**
 * Lets the host event loop run one macrotask turn (timers, I/O, FinalizationRegistry
 * callbacks). A virtual clock driven in a loop of `await clock.advance()` never gives
 * the event loop a turn by itself: everything it awaits resolves as microtasks.
 */
export function yieldToHost(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Records `durationMs` of 30 fps video + 48 kHz stereo audio in 20 ms frames with the
 * synthetic encoder (audio only for an `audio/…` mimeType), with a consumer that only
 * counts the chunks and drops them, advancing the clock in large steps.
 */
export async function recordSynthetic(options: SyntheticOptions = {}): Promise<RunResult> {
  const durationMs = options.durationMs ?? HOUR_MS;
  const timeslice = options.timeslice === undefined ? 100 : options.timeslice;
  const stepMs = options.stepMs ?? 60_000;
  const ua = createUserAgent({
    trace: options.trace ?? false,
    minTimeslice: options.minTimeslice ?? 0,
  });
  const mimeType = options.mimeType ?? "video/webm";
  const audio = ua.createAudioTrack({ sampleRate: 48000, channelCount: 2 });
  const stream = new ua.MediaStream(
    mimeType.startsWith("audio/")
      ? [audio]
      : [ua.createVideoTrack({ width: 640, height: 480, frameRate: 30 }), audio],
  );
  const rec = new ua.MediaRecorder(stream, { mimeType });
  let chunks = 0;
  let bytes = 0;
  rec.ondataavailable = (e) => {
    chunks++;
    bytes += e.data.size;
  };
  const stop = stopwatch();
  if (timeslice === null) rec.start();
  else rec.start(timeslice);
  for (let t = 0; t < durationMs;) {
    const step = Math.min(stepMs, durationMs - t);
    await ua.clock.advance(step);
    t += step;
    options.onStep?.();
    if (options.yieldEachStep) await yieldToHost();
  }
  rec.stop();
  await ua.clock.settle();
  const { wallMs, cpuMs } = stop();
  ua.close();
  return { wallMs, cpuMs, mediaMs: durationMs, chunks, bytes };
}

/**
 * The chunk count the spec profile gives for `durationMs` of 30 fps video + 20 ms audio
 * frames at threshold `max(timeslice, minTimeslice)` (`null`: no timeslice), computed
 * independently of the recorder: a chunk is cut before the first capture instant at
 * least `threshold` ms after the chunk's first instant (blocks at one instant stay
 * together); the clock stepping onto `durationMs` cuts there too, so stop() then delivers
 * a last, empty chunk.
 */
export function expectedChunks(durationMs: number, threshold: number | null): number {
  if (threshold === null) return 1;
  const instants: number[] = [];
  for (let i = 0; (i * 1000) / 30 <= durationMs; i++) instants.push((i * 1000) / 30);
  for (let j = 0; j * 20 <= durationMs; j++) instants.push(j * 20);
  instants.sort((a, b) => a - b);
  let chunks = 1;
  let chunkStart = 0;
  let previous = Number.NaN;
  for (const t of instants) {
    if (t === previous) continue;
    previous = t;
    if (t > chunkStart && t >= chunkStart + threshold - 1e-6) {
      chunks++;
      chunkStart = t;
    }
  }
  return chunks;
}

// ---------------------------------------------------------------------------------------
// State transitions

/** A recorder on an agent whose only track produces no frame for hours. */
export interface StateRig {
  /** start(); pause(); resume(); requestData(); stop(); then settle (or advance `stepMs`). */
  cycle(): Promise<void>;
  /** start(); stop(); settle. */
  startStop(): Promise<void>;
  /** Events seen so far. */
  readonly events: number;
  /** Bytes delivered so far (0 when no frame was recorded). */
  readonly bytes: number;
  /** Closes the agent. */
  close(): void;
}

/**
 * A recorder on an agent with one video track at 1 frame per 10 000 s, started after
 * its frame 0 (so, within the virtual time a benchmark covers, no frame reaches the encoder: only the methods, their
 * tasks and events are measured). `settleEach`: settle after every method (each task
 * runs before the next call) instead of once per cycle; `stepMs`: advance the clock by
 * that much after each call instead of settling.
 */
export async function createStateRig(
  options: { settleEach?: boolean; stepMs?: number } = {},
): Promise<StateRig> {
  const ua = createUserAgent({ trace: false });
  const stream = new ua.MediaStream([ua.createVideoTrack({ frameRate: 0.0001 })]);
  await ua.clock.advance(1); // past frame 0; the next one is 10 000 s away
  const rec = new ua.MediaRecorder(stream, { mimeType: "video/webm" });
  let events = 0;
  let bytes = 0;
  const count = () => events++;
  for (const type of ["start", "pause", "resume", "dataavailable", "stop"]) {
    rec.addEventListener(type, count);
  }
  rec.addEventListener("dataavailable", (e) => bytes += (e as BlobEvent).data.size);
  const step = options.stepMs ?? 0;
  const after = options.settleEach || step > 0
    ? () => (step > 0 ? ua.clock.advance(step) : ua.clock.settle())
    : null;
  return {
    async cycle() {
      rec.start();
      if (after) await after();
      rec.pause();
      if (after) await after();
      rec.resume();
      if (after) await after();
      rec.requestData();
      if (after) await after();
      rec.stop();
      await (after ? after() : ua.clock.settle());
    },
    async startStop() {
      rec.start();
      rec.stop();
      await ua.clock.settle();
    },
    get events() {
      return events;
    },
    get bytes() {
      return bytes;
    },
    close() {
      ua.close();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Statistics and formatting

/** The median of some numbers (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Formats a number with a thin grouping (`12,345`). */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Prints a markdown table (columns padded for the terminal). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [
    line(header),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...rows.map(line),
  ].join("\n");
}
