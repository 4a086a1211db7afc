/**
 * Types of the conformance lab: scenarios, observation logs and observation files.
 *
 * @module
 */

import type { MediaRecorder, MediaStream, MediaStreamTrack } from "../../mod.ts";

/** A browser engine the lab measures. */
export type Engine = "chromium" | "firefox" | "webkitgtk";

/** One entry of an observation log (see `lab.js` for the fields of each kind). */
export interface LogEntry {
  /** "call", "event", "snapshot", "note", "timeout" or "crash". */
  k: string;
  /** Ms since just before the first start() (null before it). */
  t?: number | null;
  [key: string]: unknown;
}

/** What a scenario run gives: the log and, per recorder, its chunks. */
export interface LabResult {
  /** The observation log. */
  log: LogEntry[];
  /** Per recorder: chunk sizes, the first bytes (hex) of the first non-empty chunk, bytes. */
  recorders: { name: string; chunks: number[]; head: string | null; bytes?: string }[];
}

/** The lab object a scenario receives (implemented in `lab.js`). */
export interface Lab {
  log: LogEntry[];
  call<T>(name: string, fn: () => T): T | undefined;
  gum(constraints: unknown, name?: string): Promise<MediaStream | null>;
  stream(stream: MediaStream, name?: string): MediaStream;
  track(track: MediaStreamTrack): MediaStreamTrack;
  recorder(stream: MediaStream, options: unknown, name?: string): MediaRecorder | null;
  on(rec: MediaRecorder, type: string, fn: (e: Event, rec: MediaRecorder) => void): void;
  snapshot(label: string, rec: MediaRecorder): void;
  note(label: string, value: unknown): void;
  wait(ms: number): Promise<void>;
  until(rec: MediaRecorder, type: string, ms?: number): Promise<boolean>;
  fail(e: unknown): void;
  finish(options?: { bytes?: boolean }): Promise<LabResult>;
}

/** A scenario: browser code against the web API, logging through the lab. */
export type Scenario = (lab: Lab) => Promise<void>;

/** A run of a scenario in a browser, as stored. */
export interface ObservedRun extends LabResult {
  /** The machine's 1-minute load average when the run started. */
  loadavg?: number | undefined;
  /** ffprobe's verdict on each recorder's concatenated chunks. */
  probe?: Record<string, ProbeResult>;
}

/** What ffprobe made of a recording. */
export interface ProbeResult {
  /** Whether ffprobe read it and a full decode found no error. */
  ok: boolean;
  /** Codec names of the streams. */
  codecs: string[];
}

/** An observation file: `conformance/observations/<engine>-<major>/<scenario>.json`. */
export interface Observation {
  /** The scenario's id (`<file>/<name>`). */
  scenario: string;
  /** The engine. */
  engine: Engine;
  /** The browser's full version. */
  version: string;
  /** ISO date of the recording. */
  recorded: string;
  /** The runs (at least three). */
  runs: ObservedRun[];
}
