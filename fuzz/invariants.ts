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
 *   timestamps; nothing is lost except the final chunk of the SecurityError path (and, on
 *   a profile that delivers an empty Blob there, of a track-set change or all tracks
 *   ending: Safari).
 *
 * @module
 */
import { readMp4 } from "../src/container/mp4_reader.ts";
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
  atEnd: (setupIndex: number, index: number) => boolean = () => false,
  blankAt: (setupIndex: number, index: number, time: number) => boolean = (i, _, t) =>
    model.blankAt(i, t),
): ExpectedFrame[] {
  const out: ExpectedFrame[] = [];
  rec.tracks.forEach((setupIndex, k) => {
    const source = sources[setupIndex]!;
    const endedAt = model.tracks[setupIndex]!.endedAt;
    let next = 0;
    for (const [from, to] of rec.intervals) {
      const end = Math.min(to, rec.endTime ?? Infinity, endedAt);
      for (let i = Math.max(next, source.firstIndexAtOrAfter(from));; i++) {
        const time = source.frameTime(i);
        if (time > end || (time === end && !atEnd(setupIndex, i))) break;
        next = i + 1;
        if (source.isDropped(i)) continue;
        out.push({
          track: k + 1,
          setupIndex,
          index: i,
          time,
          blank: blankAt(setupIndex, i, time),
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
  const chunks = trace.entries.filter((e): e is ChunkEntry => e.kind === "chunk" && mine(e));
  checkEventOrder(ev, label, chunks);
  // Chrome's clock closes a slice at a muxer write, the write included: a frame captured
  // at the very instant the recording pauses or ends was delivered when its write closed
  // a slice then, before the pause or end. Such a frame is recorded or not; no other may
  // differ.
  const framesOf = (setupIndex: number) =>
    trace.entries.find((e): e is FramesEntry =>
      e.kind === "frames" && mine(e) && e.track === model.tracks[setupIndex]!.name
    );
  const stateOf = (setupIndex: number, index: number) =>
    framesOf(setupIndex)?.runs.find(([from, to]) => from <= index && index < to)?.[2];
  const wallWrites = model.profile.chunkClock === "wall-writes";
  const atEnd = wallWrites
    ? (setupIndex: number, index: number) => {
      const state = stateOf(setupIndex, index);
      return state === "recorded" || state === "black";
    }
    : undefined;
  // (Likewise a frame captured at the instant its track is disabled, muted or re-enabled
  // may have been written, as it was, before the change.)
  const blankAt = wallWrites
    ? (setupIndex: number, index: number, time: number) =>
      model.tracks[setupIndex]!.blankChanges.some(([at]) => at === time)
        ? stateOf(setupIndex, index) === "black"
        : model.blankAt(setupIndex, time)
    : undefined;
  const frames = rec.aborted ? [] : expectedFrames(model, rec, ev.sources, atEnd, blankAt);
  checkFrames(
    ev,
    label,
    frames,
    trace.entries.filter((e): e is FramesEntry => e.kind === "frames" && mine(e)),
  );
  const discarded = checkChunks(ev, label, chunks, frames);
  // (Chrome's closing write: on the SecurityError path the discarded final chunk holds
  // the rest of the write whose first byte closed the last slice; the bytes delivered end
  // inside that block, so they are not parsed.)
  const truncated = model.discardsFinalData(rec.termination) &&
    model.profile.chunkClock === "wall-writes" &&
    (chunks.findLast((c) => c.reason !== "timeslice" && c.reason !== "requestData")?.size ?? 0) > 0;
  if (!truncated) await checkBytes(ev, label, frames.slice(0, frames.length - discarded));
}

function checkEventOrder(ev: RecordingEvidence, label: string, chunks: ChunkEntry[]): void {
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
  // (Firefox's first Blobs, empty, may come before its start event.)
  expect(
    firstData === -1 || start === -1 || start < firstData ||
      ev.model.profile.startEvent === "all-tracks-data",
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
  const data = ev.events.filter((e) => e.type === "dataavailable");
  const timecodes = data.map((e) => e.timecode!);
  const rule = ev.model.profile.timecode;
  if (rule === "none") return;
  if (rule === "chrome") {
    // Chrome: dispatch time minus the recorder's first BlobEvent's (never reset).
    for (let i = 1; i < data.length; i++) {
      const want = timecodes[0]! + data[i]!.t - data[0]!.t;
      expect(
        // (rounded to the microsecond, as the recorder's own timecodes)
        Math.abs(timecodes[i]! - want) <= 1e-3,
        "media",
        () => `${label}: timecode ${timecodes[i]} at chunk ${i}, dispatch time says ${want}`,
      );
    }
    if (ev.rec.n === 1 && timecodes.length > 0) {
      expect(timecodes[0] === 0, "media", () => `${label}: first timecode ${timecodes[0]}`);
    }
    return;
  }
  // Spec: the first data's capture time minus the first chunk's; Safari: the chunk's media
  // start in seconds. A chunk's timecode is that of its first data, so an empty chunk
  // has none to order by: only chunks holding data must not go back, and none is negative.
  if (timecodes.length > 0 && rule === "spec") {
    expect(
      timecodes[0] === 0,
      "media",
      () => `${label}: first timecode ${timecodes[0]} (must be 0)`,
    );
  }
  for (let i = 0; i < timecodes.length; i++) {
    expect(
      timecodes[i]! >= 0,
      "media",
      () => `${label}: negative timecode at chunk ${i}: ${timecodes.join(", ")}`,
    );
  }
  // Chunks holding media (the trace counts their blocks; a header alone has no time).
  let last = 0;
  for (const c of chunks) {
    if (c.blocks === 0) continue;
    expect(
      c.timecode >= last,
      "media",
      () =>
        `${label}: timecode decreases at chunk ${c.index}: ${
          chunks.map((c) => c.timecode).join(", ")
        }`,
    );
    last = c.timecode;
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
  // (The fallback encoder of decision 23 keeps no log: the frames entries are checked.)
  if (rec.fallback) return;
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

/** Chunk invariants; returns the number of blocks discarded (SecurityError, Safari's ends). */
function checkChunks(
  ev: RecordingEvidence,
  label: string,
  chunks: ChunkEntry[],
  frames: readonly ExpectedFrame[],
): number {
  const expectedBlocks = frames.length;
  const { rec } = ev;
  const data = ev.events.filter((e) => e.type === "dataavailable");
  expect(
    chunks.every((c, i) => c.index === i),
    "trace",
    () => `${label}: chunk indices ${chunks.map((c) => c.index).join()}`,
  );
  // (Firefox delivers a timeslice chunk as one Blob per timeslice the muxed end passed,
  // the data in the first: so at least one event per chunk.)
  const pushes = ev.model.profile.chunkClock === "encoder-pushes" ||
    ev.model.deliversPerWrite(rec);
  // (Per muxer write, a chunk without bytes delivers nothing, one with bytes a Blob per
  // write; the final one ends with an empty Blob.)
  const delivering = ev.model.deliversPerWrite(rec)
    ? chunks.filter((c) => c.size > 0 || (c.reason !== "timeslice" && c.reason !== "requestData"))
    : chunks;
  expect(
    pushes ? data.length >= delivering.length : data.length === chunks.length,
    "media",
    () =>
      `${label}: ${chunks.length} chunks cut (${
        chunks.map((c) => c.reason).join()
      }) but ${data.length} dataavailable events`,
  );
  const timeslice = chunks.filter((c) => c.reason === "timeslice");
  expect(
    pushes ? timeslice.length <= rec.timesliceEvents : timeslice.length === rec.timesliceEvents,
    "media",
    () =>
      `${label}: ${timeslice.length} timeslice chunks cut, ${rec.timesliceEvents} delivered as such`,
  );
  if (timeslice.length > 0) {
    expect(rec.threshold !== null, "media", () => `${label}: timeslice chunks without a timeslice`);
  }
  const clock = ev.model.profile.chunkClock;
  if (clock !== "media") checkClock(ev, label, chunks);
  for (let i = 0; i < chunks.length && clock === "media"; i++) {
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
    // 15.7 "once a minimum of timeslice ms of data have been collected": the slice is cut
    // at the first frame past that minimum, no later.
    // (The chunk's blocks are the frames from its first one on, in gathering order; the
    // blocks of one instant are collected together: at a timeslice of 0 the next instant.)
    const from = chunks.slice(0, i).reduce((n, x) => n + x.blocks, 0);
    const due = c.media[0] + rec.threshold! - EPSILON;
    const first = frames.slice(from).find((f) =>
      f.mediaTime >= due && f.mediaTime > c.media![0] + EPSILON
    );
    // (With encoder latency the encoders' first output is a burst: not checked.)
    expect(
      first === undefined || ev.model.profile.encoderLatency ||
        next.media[0] <= first.mediaTime + EPSILON,
      "timeslice",
      () =>
        `${label}: chunk ${i} (from ${c.media![0]}) was cut before ${
          next.media![0]
        }, later than the first frame past the timeslice (${first!.mediaTime})`,
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
  const discarded = ev.model.discardsFinalData(rec.termination) && last ? last : null;
  const sizes = data.reduce((s, e) => s + (e.data?.size ?? 0), 0);
  const cut = chunks.reduce((s, c) => s + c.size, 0) - (discarded?.size ?? 0);
  expect(
    sizes === cut,
    "media",
    () => `${label}: ${sizes} bytes delivered, ${cut} bytes cut (lost or duplicated data)`,
  );
  return discarded?.blocks ?? 0;
}

/**
 * The timeslice rule of a profile's chunk clock (the spec's `"media"` rule is checked in
 * {@link checkChunks}):
 * - `"wall-writes"` (Chrome): a slice closes at a write stamped strictly after its origin
 *   plus the threshold, so no more slices than thresholds of media (and the first byte's);
 *   a slice is never an empty Blob (per write, a slice without bytes delivers none);
 * - `"wall-timer"` (Safari): a timer of the threshold, re-armed at each tick, after
 *   requestData() when the profile restarts it, and paused with the recording; a tick
 *   with nothing gathered delivers nothing unless the profile delivers empty chunks;
 * - `"encoder-pushes"` (Firefox): a Blob, possibly empty, each time the muxed media end
 *   has advanced a threshold: no more Blobs than thresholds of media gathered.
 */
function checkClock(ev: RecordingEvidence, label: string, chunks: ChunkEntry[]): void {
  const { rec, model } = ev;
  const threshold = rec.threshold;
  if (threshold === null) return;
  const clock = model.profile.chunkClock;
  let origin = rec.t0;
  let count = 0;
  const perWrite = model.deliversPerWrite(rec);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    if (c.reason === "requestData") {
      if (clock === "wall-timer" && model.profile.requestDataRestartsTimeslice) origin = c.t;
      continue;
    }
    if (c.reason !== "timeslice") continue;
    count++;
    if (clock === "wall-writes") {
      // (Per write, a chunk without bytes delivers no Blob at all.)
      expect(
        c.size > 0 || perWrite,
        "media",
        () => `${label}: timeslice chunk ${i} is an empty Blob`,
      );
    } else if (clock === "wall-timer") {
      if (!model.profile.emptyTimesliceChunks) {
        expect(c.size > 0, "media", () => `${label}: timeslice chunk ${i} is an empty Blob`);
      }
      expect(
        c.t - origin >= threshold - EPSILON,
        "timeslice",
        () => `${label}: chunk ${i} cut at ${c.t}, less than ${threshold} ms after ${origin}`,
      );
    }
    origin = c.t;
  }
  if (clock === "wall-writes" && threshold > 0) {
    // Slices close at the first write whose data is stamped more than the threshold
    // after the slice's origin (its closing write's): at most one per threshold of
    // captured media, and the first byte's chunk at the muxer's first write.
    const end = chunks.reduce((m, c) => Math.max(m, c.capture?.[1] ?? 0), rec.t0);
    expect(
      count <= Math.floor((end - rec.t0) / threshold + EPSILON) + 1,
      "timeslice",
      () =>
        `${label}: ${count} timeslice chunks for ${
          end - rec.t0
        } ms of media at a timeslice of ${threshold}`,
    );
  }
  if (clock === "encoder-pushes" && threshold > 0) {
    // (The muxed end counts what was pushed, gathered or not: at most the wall time of
    // the last cut since start(), plus a frame.)
    const lastCut = chunks.reduce((m, c) => (c.reason === "timeslice" ? Math.max(m, c.t) : m), 0);
    const periods = rec.tracks.map((i) => ev.sources[i]!.period);
    const end = Math.max(0, lastCut - rec.t0) + Math.max(0, ...periods);
    const blobs = rec.timesliceEvents;
    expect(
      count <= blobs && blobs <= Math.floor(end / threshold + EPSILON),
      "timeslice",
      () =>
        `${label}: ${blobs} timeslice Blobs (${count} cuts) for ${end} ms of media at a timeslice of ${threshold}`,
    );
  }
}

async function checkBytes(
  ev: RecordingEvidence,
  label: string,
  delivered: ExpectedFrame[],
): Promise<void> {
  const bytes = await bytesOf(ev.events);
  if (bytes.length === 0) {
    // (A failed encoder that still held every frame, in an open audio packet, wrote none;
    // nor did one whose final chunk was discarded.)
    const held = ev.model.profile.audioWriteMs !== null &&
      (ev.rec.termination === "UnknownError" || ev.model.discardsFinalData(ev.rec.termination));
    expect(
      delivered.length === 0 || held,
      "media",
      () => `${label}: no bytes delivered for ${delivered.length} frames`,
    );
    return;
  }
  const ogg = ev.rec.extendedMimeType?.startsWith("audio/ogg") ?? false;
  const mp4 = /^(video|audio)\/mp4/.test(ev.rec.extendedMimeType ?? "");
  const got = ogg
    ? oggBlocks(bytes, label)
    : mp4
    ? mp4Blocks(ev, bytes, label)
    : webmBlocks(ev, bytes, label);
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
  // (MP4 fragments hold each track's samples in turn: compared track by track.)
  const packetMs = ev.model.profile.audioWriteMs;
  if (mp4) return checkPerTrack(ev, label, got, delivered, null, false);
  if (packetMs !== null && !ogg) return checkPerTrack(ev, label, got, delivered, packetMs, true);
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

/**
 * The blocks compared track by track: MP4 fragments, and a profile that writes audio in
 * packets of `packetMs` (Chrome's 60 ms Opus), where per audio track consecutive frames
 * make one block of round(packetMs / frame duration) frames, at its first frame's media
 * time, silent when all are; the last one may be partly filled (it is encoded at the
 * end). Each track's blocks are its expected ones in order; with `interleaved` (WebM)
 * time never goes back across tracks either.
 */
function checkPerTrack(
  ev: RecordingEvidence,
  label: string,
  got: ParsedBlock[],
  delivered: ExpectedFrame[],
  packetMs: number | null,
  interleaved: boolean,
): void {
  const { rec, model } = ev;
  rec.tracks.forEach((setupIndex, k) => {
    const track = k + 1;
    const frames = delivered.filter((f) => f.track === track);
    const want: { mediaTime: number; blank: boolean; index: number }[] = [];
    if (model.tracks[setupIndex]!.kind === "video" || packetMs === null) want.push(...frames);
    else {
      const per = Math.max(1, Math.round(packetMs / ev.sources[setupIndex]!.period));
      for (let i = 0; i < frames.length; i += per) {
        const packet = frames.slice(i, i + per);
        want.push({
          mediaTime: packet[0]!.mediaTime,
          blank: packet.every((f) => f.blank),
          index: packet[0]!.index,
        });
      }
    }
    const blocks = got.filter((b) => b.track === track);
    // (SecurityError discards the final chunk, which may hold the last packet and the
    // video that waited for it; a failed encoder never writes what it still holds:
    // decision 18. Then each track's blocks are a prefix of the expected ones.)
    const prefix = model.discardsFinalData(rec.termination) || rec.termination === "UnknownError";
    expect(
      prefix ? blocks.length <= want.length : blocks.length === want.length,
      "media",
      () => `${label}: track ${track} has ${blocks.length} blocks, ${want.length} expected`,
    );
    let previous = -Infinity;
    for (let j = 0; j < blocks.length; j++) {
      const b = blocks[j]!, w = want[j]!;
      expect(
        b.time === null || b.time >= previous,
        "media",
        () => `${label}: track ${track}'s block timestamps decrease at block ${j}`,
      );
      previous = b.time ?? previous;
      expect(
        (b.time === null || Math.abs(b.time - w.mediaTime) <= 0.5 + EPSILON) &&
          (b.blank === null || b.blank === w.blank),
        "media",
        () =>
          `${label}: track ${track} block ${j} at ${b.time} blank=${b.blank}; expected frame #${w.index} at media ${w.mediaTime} blank=${w.blank}`,
      );
    }
  });
  if (!interleaved) return;
  let last = -Infinity;
  for (let j = 0; j < got.length; j++) {
    const time = got[j]!.time;
    if (time === null) continue;
    expect(time >= last, "media", () => `${label}: block timestamps decrease at block ${j}`);
    last = time;
  }
}

interface ParsedBlock {
  track: number | null;
  time: number | null;
  /** Black/silent, or null when the payload does not say (MP4). */
  blank: boolean | null;
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

function mp4Blocks(ev: RecordingEvidence, bytes: Uint8Array, label: string): ParsedBlock[] {
  let file;
  try {
    file = readMp4(bytes);
  } catch (error) {
    throw new Violation(
      "media",
      `${label}: the concatenated chunks do not parse as fragmented MP4: ${
        (error as Error).message
      }`,
    );
  }
  const kinds = ev.rec.tracks.map((i) => ev.model.tracks[i]!.kind);
  const fileKinds = file.tracks.map((t) => (t.handler === "vide" ? "video" : "audio"));
  expect(
    fileKinds.join() === kinds.join(),
    "media",
    () => `${label}: MP4 tracks ${fileKinds.join()}, recorded ${kinds.join()}`,
  );
  const out: ParsedBlock[] = [];
  for (const fragment of file.fragments) {
    for (const t of fragment.tracks) {
      const info = file.tracks.find((x) => x.id === t.trackId);
      const track = info ? file.tracks.indexOf(info) + 1 : null;
      for (const sample of t.samples) {
        // (Its synthetic samples carry no black/silent mark: decision 23.)
        out.push({ track, time: info ? (sample.pts / info.timescale) * 1000 : null, blank: null });
      }
    }
  }
  return out;
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
