/**
 * A seekable WebM, as Chrome writes when a recording has no timeslice and `requestData()`
 * was never called (CR-MRH `kMediaRecorderSeekableWebm`, `MemoryWebmMuxerDelegate`): the
 * whole file at once, with a known-size Segment and Clusters, a SeekHead, a Duration in
 * Info and Cues pointing at each Cluster, so players can seek it.
 *
 * @module
 */
import {
  concatBytes,
  decodeId,
  decodeVint,
  floatElement,
  ID,
  masterElement,
  stringElement,
  uintElement,
} from "./ebml.ts";
import { simpleBlock, WebmWriter, type WebmWriterOptions } from "./webm_writer.ts";

/** One block of a seekable file. */
export interface SeekableBlock {
  /** Track number. */
  track: number;
  /** Timestamp in ms. */
  timestampMs: number;
  /** Key frame. */
  keyframe: boolean;
  /** The codec payload. */
  data: Uint8Array;
}

const SEEK = 0x4dbb;
const SEEK_ID = 0x53ab;
const SEEK_POSITION = 0x53ac;

/** Splits the live writer's header into the EBML header and the Tracks element. */
function liveParts(options: WebmWriterOptions): { ebml: Uint8Array; tracks: Uint8Array } {
  const header = new WebmWriter(options).header();
  const elements: Uint8Array[] = [];
  let at = 0;
  while (at < header.length) {
    const id = decodeId(header, at);
    const size = decodeVint(header, at + id.length);
    const start = at;
    if (id.id === ID.Segment) {
      at += id.length + size.length; // step into the (unknown-size) Segment
      continue;
    }
    at += id.length + size.length + size.value;
    elements.push(header.subarray(start, at));
  }
  const tracks = elements.find((e) => decodeId(e, 0).id === ID.Tracks)!;
  return { ebml: elements[0]!, tracks };
}

/** An element with an 8-byte size field (so sizes can be fixed before the body is known). */
function sized(id: number, body: readonly Uint8Array[]): Uint8Array[] {
  const length = body.reduce((n, b) => n + b.length, 0);
  const head = new Uint8Array(idBytes(id).length + 8);
  head.set(idBytes(id));
  const view = new DataView(head.buffer);
  const sizeAt = idBytes(id).length;
  view.setUint8(sizeAt, 0x01);
  view.setUint8(sizeAt + 1, Math.floor(length / 2 ** 48) & 0xff);
  view.setUint16(sizeAt + 2, Math.floor(length / 2 ** 32) & 0xffff);
  view.setUint32(sizeAt + 4, length >>> 0);
  return [head, ...body];
}

function idBytes(id: number): Uint8Array {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Uint8Array.from(out);
}

const partsLength = (parts: readonly Uint8Array[]) => parts.reduce((n, p) => n + p.length, 0);

/**
 * Writes a complete seekable WebM: EBML header, Segment (known size) with SeekHead, Info
 * (with Duration), Tracks, Clusters of known size (split where the live writer would
 * start a new Cluster: at video key frames, or by time without video) and Cues.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeSeekableWebm } from "./webm_seekable.ts";
 * import { readWebm } from "./webm_reader.ts";
 * const bytes = writeSeekableWebm(
 *   { tracks: [{ number: 1, kind: "video", codecId: "V_VP8", width: 64, height: 48 }] },
 *   [0, 33, 67].map((t, i) => ({ track: 1, timestampMs: t, keyframe: i === 0, data: new Uint8Array(10) })),
 *   100,
 * );
 * const file = readWebm(bytes);
 * assert.equal(file.hasCues, true);
 * assert.equal(file.info.duration, 100);
 * assert.equal(file.blocks.length, 3);
 * ```
 */
export function writeSeekableWebm(
  options: WebmWriterOptions,
  blocks: readonly SeekableBlock[],
  durationMs: number,
): Uint8Array {
  const { ebml, tracks } = liveParts(options);
  // Clusters exactly where the live writer would start them.
  const placer = new WebmWriter(options);
  const clusters: Array<{ timecode: number; blocks: Uint8Array[] }> = [];
  for (const b of blocks) {
    const ts = Math.round(b.timestampMs);
    if (placer.place(b.track, ts, b.keyframe) !== undefined) {
      clusters.push({ timecode: ts, blocks: [] });
    }
    clusters[clusters.length - 1]!.blocks.push(
      simpleBlock(b.track, placer.relativeTimecode, b.keyframe, b.data),
    );
  }
  const info = masterElement(ID.Info, [
    uintElement(ID.TimecodeScale, 1_000_000),
    stringElement(ID.MuxingApp, options.muxingApp ?? "recsim"),
    stringElement(ID.WritingApp, options.writingApp ?? "recsim"),
    floatElement(ID.Duration, durationMs),
  ]);
  const clusterParts = clusters.map((c) =>
    sized(ID.Cluster, [uintElement(ID.Timecode, c.timecode), ...c.blocks])
  );
  // The SeekHead has a fixed size (three entries with 8-byte positions), so positions are known.
  const seekEntry = (id: number, position: number) =>
    masterElement(SEEK, [binary(SEEK_ID, idBytes(id)), fixedUint(SEEK_POSITION, position)]);
  const seekHeadSize = masterElement(ID.SeekHead, [
    seekEntry(ID.Info, 0),
    seekEntry(ID.Tracks, 0),
    seekEntry(ID.Cues, 0),
  ])
    .length;
  const infoAt = seekHeadSize;
  const tracksAt = infoAt + info.length;
  let clusterAt = tracksAt + tracks.length;
  const cuePoints: Uint8Array[] = [];
  const trackForCues = options.tracks.find((t) => t.kind === "video")?.number ??
    options.tracks[0]?.number ?? 1;
  for (const [i, c] of clusters.entries()) {
    cuePoints.push(
      masterElement(ID.CuePoint, [
        uintElement(ID.CueTime, c.timecode),
        masterElement(ID.CueTrackPositions, [
          uintElement(ID.CueTrack, trackForCues),
          uintElement(ID.CueClusterPosition, clusterAt),
        ]),
      ]),
    );
    clusterAt += partsLength(clusterParts[i]!);
  }
  const cues = masterElement(ID.Cues, cuePoints);
  const seekHead = masterElement(ID.SeekHead, [
    seekEntry(ID.Info, infoAt),
    seekEntry(ID.Tracks, tracksAt),
    seekEntry(ID.Cues, clusterAt),
  ]);
  const segment = sized(ID.Segment, [seekHead, info, tracks, ...clusterParts.flat(), cues]);
  return concatBytes([ebml, ...segment]);
}

function binary(id: number, body: Uint8Array): Uint8Array {
  return masterElement(id, [body]);
}

/** An unsigned integer element with an 8-byte value (fixed size, for the SeekHead). */
function fixedUint(id: number, value: number): Uint8Array {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setUint32(0, Math.floor(value / 2 ** 32));
  new DataView(body.buffer).setUint32(4, value >>> 0);
  return masterElement(id, [body]);
}
