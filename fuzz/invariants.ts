/**
 * Media invariants of one finished recording, checked against the trace, the frames the
 * recorder fed to the encoder and the bytes of its chunks:
 *
 * - the frames recorded are exactly those the sources produced while gathering
 *   (start ≤ t < end, not paused, track not ended), with the model's black/silent flags
 *   and media times (paused time cut out);
 * - every chunk cut is delivered by exactly one dataavailable; each non-final timeslice
 *   chunk holds ≥ max(timeslice, minTimeslice) ms of media (next chunk's media start minus
 *   this one's; requestData and final chunks exempt, decision 20) and is never empty;
 * - timecodes start at 0 and never decrease;
 * - the chunks, concatenated in event order, parse as one WebM (or Ogg) stream whose
 *   blocks are exactly the frames gathered, in capture order, with non-decreasing
 *   timestamps; nothing is lost except the final chunk of the SecurityError path.
 *
 * @module
 */
import { readOgg } from "../src/container/ogg_reader.ts";
import { readWebm } from "../src/container/webm_reader.ts";
import type { TrackSource } from "../src/media/track_source.ts";
import type { ChunkEntry, EventEntry, FramesEntry, RecordingEntry, Trace } from "../src/trace.ts";
import { type LoggedEncoder, wrapped } from "./fuzz_encoder.ts";
import type { Model, RecordingModel } from "./model.ts";
import { bytesOf, type ObservedEvent } from "./observer.ts";
import { expect, Violation } from "./violation.ts";

/** Floating-point slack (ms), as the recorder's own sums of frame times. */
const EPSILON = 1e-6;

/** A frame the model expects in the recording. */
export interface ExpectedFrame {
  /** Container track number (1-based, recording order). */
  track: number;
  /** Setup index of the track. */
  setupIndex: number;
  /** Frame index in the source. */
  index: number;
  /** Capture time. */
  time: number;
  /** Black/silent. */
  blank: boolean;
  /** Media time (paused time removed). */
  mediaTime: number;
}

/**
 * The frames recording `rec` must hold: per recorded track, the produced frames captured
 * in a gathering interval, before the recording's end and before the track ended, in
 * capture order (time, then track number).
 */
export function expectedFrames(
  model: Model,
  rec: RecordingModel,
  sources: readonly TrackSource[],
): ExpectedFrame[] {
  const out: ExpectedFrame[] = [];
  rec.tracks.forEach((setupIndex, k) => {
    const source = sources[setupIndex]!;
    const endedAt = model.tracks[setupIndex]!.endedAt;
    for (const [from, to] of rec.intervals) {
      const end = Math.min(to, rec.endTime ?? Infinity, endedAt);
      for (let i = source.firstIndexAtOrAfter(from);; i++) {
        const time = source.frameTime(i);
        if (time >= end) break;
        if (source.isDropped(i)) continue;
        out.push({
          track: k + 1,
          setupIndex,
          index: i,
          time,
          blank: model.blankAt(setupIndex, time),
          mediaTime: time - rec.t0 - model.pausedBefore(rec, time),
        });
      }
    }
  });
  return out.sort((a, b) => a.time - b.time || a.track - b.track);
}

/** Everything known about one finished recording. */
export interface RecordingEvidence {
  /** The model. */
  model: Model;
  /** The model's recording. */
  rec: RecordingModel;
  /** The recorder's trace name. */
  recorderName: string;
  /** The agent's trace. */
  trace: Trace;
  /** The observed events of this recording, in dispatch order. */
  events: ObservedEvent[];
  /** The encoder the recording used (none on the 15.2 path). */
  encoder: LoggedEncoder | undefined;
  /** Track sources by setup index. */
  sources: readonly TrackSource[];
}

/** Runs every media invariant of a finished recording (throws a {@link Violation}). */
export async function checkRecording(ev: RecordingEvidence): Promise<void> {
  const { model, rec, recorderName, trace } = ev;
  const label = `${recorderName}/${rec.n}`;
  const mine = <T extends { target: string; recording: number }>(e: T) =>
    e.target === recorderName && e.recording === rec.n;
  const entry = trace.entries.find((e): e is RecordingEntry => e.kind === "recording" && mine(e));
  expect(entry !== undefined, "trace", () => `${label}: no recording entry`);
  expect(
    entry!.timeslice === (rec.timeslice ?? null) && entry!.minTimeslice === model.minTimeslice,
    "trace",
    () =>
      `${label}: recording entry says timeslice ${entry!.timeslice}/min ${
        entry!.minTimeslice
      }, the model ${rec.timeslice}/${model.minTimeslice}`,
  );
  const names = rec.tracks.map((i) => model.tracks[i]!.name);
  expect(
    entry!.tracks.join() === names.join(),
    "trace",
    () => `${label}: recorded tracks ${entry!.tracks.join()}, the model says ${names.join()}`,
  );
  checkEventOrder(ev, label);
  const chunks = trace.entries.filter((e): e is ChunkEntry => e.kind === "chunk" && mine(e));
  const frames = rec.aborted ? [] : expectedFrames(model, rec, ev.sources);
  checkFrames(
    ev,
    label,
    frames,
    trace.entries.filter((e): e is FramesEntry => e.kind === "frames" && mine(e)),
  );
  const discarded = checkChunks(ev, label, chunks, frames.length);
  await checkBytes(ev, label, frames.slice(0, frames.length - discarded));
}

function checkEventOrder(ev: RecordingEvidence, label: string): void {
  const types = ev.events.map((e) => e.type);
  const stops = types.filter((t) => t === "stop").length;
  expect(stops === 1, "events", () => `${label}: ${stops} stop events (exactly one expected)`);
  const start = types.indexOf("start");
  expect(
    (start === -1) === ev.rec.aborted,
    "events",
    () =>
      `${label}: ${start === -1 ? "no" : "a"} start event on ${
        ev.rec.aborted ? "the 15.2" : "a"
      } path`,
  );
  const firstData = types.indexOf("dataavailable");
  expect(
    firstData === -1 || start === -1 || start < firstData,
    "events",
    () => `${label}: dataavailable before start`,
  );
  const error = types.indexOf("error");
  const stop = types.indexOf("stop");
  if (error !== -1) {
    expect(
      types.filter((t) => t === "error").length === 1 && error < stop &&
        (types[stop - 1] !== "dataavailable" || error < stop - 1),
      "events",
      () => `${label}: error must precede the final dataavailable and stop: ${types.join()}`,
    );
  }
  const timecodes = ev.events.filter((e) => e.type === "dataavailable").map((e) => e.timecode!);
  if (timecodes.length > 0) {
    expect(
      timecodes[0] === 0,
      "media",
      () => `${label}: first timecode ${timecodes[0]} (must be 0)`,
    );
    for (let i = 1; i < timecodes.length; i++) {
      expect(
        timecodes[i]! >= timecodes[i - 1]!,
        "media",
        () => `${label}: timecode decreases at chunk ${i}: ${timecodes.join(", ")}`,
      );
    }
  }
}

function checkFrames(
  ev: RecordingEvidence,
  label: string,
  frames: ExpectedFrame[],
  entries: FramesEntry[],
): void {
  const { model, rec } = ev;
  if (rec.aborted) {
    expect(entries.length === 0, "trace", () => `${label}: frames entries on the 15.2 path`);
    return;
  }
  rec.tracks.forEach((setupIndex, k) => {
    const name = model.tracks[setupIndex]!.name;
    const entry = entries.find((e) => e.track === name);
    expect(entry !== undefined, "trace", () => `${label}: no frames entry for ${name}`);
    const got: string[] = [];
    for (const [from, to, state] of entry!.runs) {
      if (state !== "recorded" && state !== "black") continue;
      for (let i = from; i < to; i++) got.push(`${i}${state === "black" ? "b" : ""}`);
    }
    const want = frames.filter((f) => f.track === k + 1).map((f) =>
      `${f.index}${f.blank ? "b" : ""}`
    );
    expect(
      got.join() === want.join(),
      "media",
      () =>
        `${label}: ${name} recorded frames differ from the frames produced while gathering ${
          firstDifference(got, want)
        }`,
    );
  });
  const fed = ev.encoder?.fed ?? [];
  expect(
    fed.length === frames.length,
    "media",
    () => `${label}: ${fed.length} frames fed to the encoder, ${frames.length} expected`,
  );
  for (let j = 0; j < fed.length; j++) {
    const f = fed[j]!, w = frames[j]!;
    expect(
      f.track === w.track && f.index === w.index && f.blank === w.blank &&
        Math.abs(f.mediaTime - w.mediaTime) <= EPSILON,
      "media",
      () =>
        `${label}: frame ${j} fed as track ${f.track} #${f.index} blank=${f.blank} media ${f.mediaTime}; expected track ${w.track} #${w.index} (captured ${w.time}) blank=${w.blank} media ${w.mediaTime}`,
    );
  }
}

/** Chunk invariants; returns the number of blocks the spec discards (SecurityError). */
function checkChunks(
  ev: RecordingEvidence,
  label: string,
  chunks: ChunkEntry[],
  expectedBlocks: number,
): number {
  const { rec } = ev;
  const data = ev.events.filter((e) => e.type === "dataavailable");
  expect(
    chunks.every((c, i) => c.index === i),
    "trace",
    () => `${label}: chunk indices ${chunks.map((c) => c.index).join()}`,
  );
  expect(
    data.length === chunks.length,
    "media",
    () =>
      `${label}: ${chunks.length} chunks cut (${
        chunks.map((c) => c.reason).join()
      }) but ${data.length} dataavailable events`,
  );
  const timeslice = chunks.filter((c) => c.reason === "timeslice");
  expect(
    timeslice.length === rec.timesliceEvents,
    "media",
    () =>
      `${label}: ${timeslice.length} timeslice chunks cut, ${rec.timesliceEvents} delivered as such`,
  );
  if (timeslice.length > 0) {
    expect(rec.threshold !== null, "media", () => `${label}: timeslice chunks without a timeslice`);
  }
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    if (c.reason !== "timeslice") continue;
    expect(c.blocks > 0, "media", () => `${label}: timeslice chunk ${i} is empty`);
    const next = chunks[i + 1];
    if (!next?.media || !c.media) continue;
    const held = next.media[0] - c.media[0];
    expect(
      held >= rec.threshold! - EPSILON,
      "timeslice",
      () =>
        `${label}: chunk ${i} holds ${held} ms of media (${c.media![0]}..${
          next.media![0]
        }), less than max(timeslice, minTimeslice) = ${rec.threshold}`,
    );
  }
  const blocks = chunks.reduce((s, c) => s + c.blocks, 0);
  expect(
    blocks === expectedBlocks,
    "media",
    () => `${label}: ${blocks} blocks in chunks, ${expectedBlocks} frames gathered`,
  );
  const last = chunks.findLast((c) => c.reason !== "requestData" && c.reason !== "timeslice");
  if (rec.termination !== "NotSupportedError") {
    const reason = rec.termination === "stop" || rec.termination === "ended"
      ? rec.termination
      : "error";
    expect(
      last?.reason === reason,
      "trace",
      () =>
        `${label}: the final chunk's reason is ${last?.reason}, the recording ended by ${rec.termination}`,
    );
  }
  const discarded = rec.termination === "SecurityError" && last ? last : null;
  const sizes = data.reduce((s, e) => s + (e.data?.size ?? 0), 0);
  const cut = chunks.reduce((s, c) => s + c.size, 0) - (discarded?.size ?? 0);
  expect(
    sizes === cut,
    "media",
    () => `${label}: ${sizes} bytes delivered, ${cut} bytes cut (lost or duplicated data)`,
  );
  return discarded?.blocks ?? 0;
}

async function checkBytes(
  ev: RecordingEvidence,
  label: string,
  delivered: ExpectedFrame[],
): Promise<void> {
  const bytes = await bytesOf(ev.events);
  if (bytes.length === 0) {
    expect(
      delivered.length === 0,
      "media",
      () => `${label}: no bytes delivered for ${delivered.length} frames`,
    );
    return;
  }
  const ogg = ev.rec.extendedMimeType?.startsWith("audio/ogg") ?? false;
  const got = ogg ? oggBlocks(bytes, label) : webmBlocks(ev, bytes, label);
  if (!wrapped.synthetic) {
    // A real codec's packets do not map one to one to frames (decision 18): the stream
    // must parse, with non-decreasing timestamps.
    let last = -Infinity;
    for (const b of got) {
      if (b.time === null) continue;
      expect(b.time >= last, "media", () => `${label}: block timestamps decrease`);
      last = b.time;
    }
    return;
  }
  expect(
    got.length === delivered.length,
    "media",
    () => `${label}: the stream holds ${got.length} blocks, ${delivered.length} frames delivered`,
  );
  let last = -Infinity;
  for (let j = 0; j < got.length; j++) {
    const b = got[j]!, w = delivered[j]!;
    const timeOk = b.time === null || Math.abs(b.time - w.mediaTime) <= 0.5 + EPSILON;
    expect(
      (b.track === null || b.track === w.track) && b.blank === w.blank && timeOk,
      "media",
      () =>
        `${label}: block ${j} is track ${b.track} at ${b.time} blank=${b.blank}; expected track ${w.track} frame #${w.index} at media ${w.mediaTime} blank=${w.blank}`,
    );
    if (b.time !== null) {
      expect(
        b.time >= last,
        "media",
        () => `${label}: block timestamps decrease at block ${j}`,
      );
      last = b.time;
    }
  }
}

interface ParsedBlock {
  track: number | null;
  time: number | null;
  blank: boolean;
}

function payloadBlank(data: Uint8Array, label: string): boolean {
  if (!wrapped.synthetic) return false;
  expect(
    data.length >= 6 && data[0] === 0x52 && data[1] === 0x53 && data[2] === 0x49 &&
      data[3] === 0x4d,
    "media",
    () => `${label}: a block is not a synthetic payload (RSIM)`,
  );
  return (data[5]! & 2) !== 0;
}

function webmBlocks(ev: RecordingEvidence, bytes: Uint8Array, label: string): ParsedBlock[] {
  let file;
  try {
    file = readWebm(bytes);
  } catch (error) {
    throw new Violation(
      "media",
      `${label}: the concatenated chunks do not parse as WebM: ${(error as Error).message}`,
    );
  }
  const kinds = ev.rec.tracks.map((i) => ev.model.tracks[i]!.kind);
  const fileKinds = file.tracks.map((t) => t.kind);
  expect(
    fileKinds.join() === kinds.join(),
    "media",
    () => `${label}: WebM tracks ${fileKinds.join()}, recorded ${kinds.join()}`,
  );
  return file.blocks.map((b) => ({
    track: b.track,
    time: b.timestampMs,
    blank: payloadBlank(b.data, label),
  }));
}

function oggBlocks(bytes: Uint8Array, label: string): ParsedBlock[] {
  let file;
  try {
    file = readOgg(bytes);
  } catch (error) {
    throw new Violation(
      "media",
      `${label}: the concatenated chunks do not parse as Ogg: ${(error as Error).message}`,
    );
  }
  let granule = -1n;
  for (const page of file.pages) {
    if (page.granule === -1n) continue;
    expect(page.granule >= granule, "media", () => `${label}: Ogg granule positions decrease`);
    granule = page.granule;
  }
  expect(
    file.packets.length >= 2,
    "media",
    () => `${label}: Ogg stream without OpusHead/OpusTags`,
  );
  return file.packets.slice(2).map((p) => ({
    track: null,
    time: null,
    blank: payloadBlank(p.data, label),
  }));
}

function firstDifference(got: string[], want: string[]): string {
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  return `(at position ${i}: got ${got.slice(i, i + 4).join() || "nothing"}, want ${
    want.slice(i, i + 4).join() || "nothing"
  }; ${got.length} vs ${want.length} frames)`;
}

/** The trace's event entries of one recording (for reports). */
export function traceEvents(trace: Trace, recorder: string, n: number): EventEntry[] {
  return trace.entries.filter((e): e is EventEntry =>
    e.kind === "event" && e.target === recorder && e.recording === n
  );
}
