/**
 * Draws an observation log with recsim's own timeline renderer: a browser's run and
 * recsim's run of the same scenario become pictures that can be put side by side.
 *
 * @module
 */
import type { TraceEntry } from "../../src/trace.ts";
import { renderTimeline } from "../../src/timeline/render_svg.ts";
import type { LabResult } from "./types.ts";

const recorderName = (name: string) =>
  name === "rec" ? "recorder#1" : `recorder#${name.replace(/^rec/, "")}`;

/**
 * Turns a lab log into trace entries (calls, events, chunks, recordings) that the
 * timeline renderer reads. Times before the first start() are drawn at 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logToTrace } from "./timeline.ts";
 * const entries = logToTrace({
 *   log: [
 *     { k: "call", name: "start(100)", t: 0, result: "undefined" },
 *     { k: "event", on: "rec", type: "start", t: 3, state: "recording", mimeType: "video/webm" },
 *     { k: "event", on: "rec", type: "dataavailable", t: 101, state: "recording", mimeType: "video/webm", size: 900, timecode: 0, blobType: "video/webm" },
 *   ],
 *   recorders: [],
 * });
 * assert.deepEqual(entries.map((e) => e.kind), ["recording", "call", "event", "event", "chunk"]);
 * ```
 */
export function logToTrace(result: LabResult): TraceEntry[] {
  const entries: TraceEntry[] = [];
  const recording = new Map<string, number>();
  const chunkIndex = new Map<string, number>();
  let task = 0;
  let lastState = new Map<string, string>();
  for (const e of result.log) {
    const t = typeof e.t === "number" ? Math.max(0, e.t) : 0;
    if (e.k === "call") {
      const m = /^(?:(rec\d*)\.)?(\w+)\((.*)\)$/.exec(e.name as string);
      if (!m || ["getUserMedia"].includes(m[2]!) || (e.name as string).startsWith("new ")) continue;
      const target = recorderName(m[1] ?? "rec");
      const method = m[2]!;
      if (method === "start" && e.exception === undefined) {
        const n = (recording.get(target) ?? 0) + 1;
        recording.set(target, n);
        chunkIndex.set(target, 0);
        const ts = Number(m[3]);
        entries.push({
          kind: "recording",
          t,
          target,
          recording: n,
          timeslice: m[3] === "" || !Number.isFinite(ts) ? null : ts,
          minTimeslice: 0,
          mimeType: "",
          encoder: "browser",
          tracks: [],
        });
      }
      const before = lastState.get(target) ?? "inactive";
      // The state a successful call leaves (the log has no state on calls).
      const after = e.exception !== undefined
        ? before
        : ({ start: "recording", stop: "inactive", pause: "paused", resume: "recording" } as Record<
          string,
          string
        >)[method] ?? before;
      if (before === "inactive" && method !== "start") lastState.set(target, before);
      else lastState.set(target, after);
      entries.push({
        kind: "call",
        t,
        target,
        method,
        args: m[3] === "" ? [] : [m[3]],
        outcome: e.exception === undefined ? "ok" : { error: e.exception as string, message: "" },
        state: [before, lastState.get(target) ?? before],
      });
    } else if (e.k === "event" && typeof e.on === "string" && e.on.startsWith("rec")) {
      const target = recorderName(e.on);
      lastState.set(target, e.state as string);
      const event: TraceEntry = {
        kind: "event",
        t,
        target,
        type: e.type as string,
        state: e.state as string,
        task: ++task,
        recording: recording.get(target) ?? 1,
        ...(e.type === "dataavailable"
          ? {
            size: e.size as number,
            blobType: e.blobType as string,
            ...(typeof e.timecode === "number" ? { timecode: e.timecode } : {}),
          }
          : {}),
        ...(e.type === "error" ? { error: e.error as string } : {}),
        ...(e.type === "start" ? { mimeType: e.mimeType as string } : {}),
      };
      entries.push(event);
      if (e.type === "dataavailable") {
        const index = chunkIndex.get(target) ?? 0;
        chunkIndex.set(target, index + 1);
        entries.push({
          kind: "chunk",
          t,
          target,
          recording: recording.get(target) ?? 1,
          index,
          size: e.size as number,
          timecode: typeof e.timecode === "number" ? e.timecode : 0,
          reason: e.state === "inactive" ? "stop" : "timeslice",
          blocks: 0,
          media: null,
          capture: null,
        });
      }
    }
  }
  lastState = new Map();
  return entries;
}

/** Renders a lab log as an SVG timeline titled `title`. */
export function renderLog(result: LabResult, title: string): string {
  return renderTimeline(logToTrace(result), { title, width: 900 });
}
