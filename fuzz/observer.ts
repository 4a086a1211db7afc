/**
 * The observer: the fuzzer's view of a real recorder. One listener per event type logs
 * each event with what the recorder showed at dispatch, the trace entry that announced
 * it (virtual time and task number) and whether it was dispatched synchronously inside a
 * recorder method call; then it runs the one-shot action armed for that event type
 * (reentrancy) and logs the action's outcome.
 *
 * @module
 */
import type { Trace } from "../src/trace.ts";
import type { EventEntry, TraceEntry } from "../src/trace.ts";
import type { Action, EventType, MethodName } from "./case_data.ts";
import { EVENT_TYPES } from "./case_data.ts";
import { decodeLiteral } from "./literal.ts";

/** What a recorder looks like to the observer. */
export interface ObservedRecorder extends EventTarget {
  /** `state`. */
  readonly state: string;
  /** `mimeType`. */
  readonly mimeType: string;
  /** `start()`. */
  start(timeslice?: number): void;
  /** `stop()`. */
  stop(): void;
  /** `pause()`. */
  pause(): void;
  /** `resume()`. */
  resume(): void;
  /** `requestData()`. */
  requestData(): void;
}

/** An event as observed. */
export interface ObservedEvent {
  /** Event type. */
  type: string;
  /** The recorder's trace name. */
  recorder: string;
  /** Virtual time at dispatch. */
  t: number;
  /** recorder.state at dispatch. */
  state: string;
  /** recorder.mimeType at dispatch. */
  mimeType: string;
  /** The trace entry written for this dispatch (undefined if none was). */
  entry: EventEntry | undefined;
  /** Nesting depth of recorder method calls at dispatch (0 = from a task). */
  depth: number;
  /** For error: the exception's name, and whether it is a DOMException on an ErrorEvent. */
  error?: { name: string; wellFormed: boolean };
  /** For dataavailable: the chunk. */
  data?: Blob;
  /** For dataavailable: the timecode. */
  timecode?: number;
  /** The armed action that ran in this event's listener, with its outcome. */
  action?: { action: Action; outcome: string };
  /** The chunk's bytes, once read (see {@link bytesOf}). */
  bytes?: Uint8Array;
}

/**
 * The bytes of the chunks of `events`, concatenated in order. Each Blob is read once
 * (one by one: reading a Blob of many Blobs is much slower in Deno).
 */
export async function bytesOf(events: ObservedEvent[]): Promise<Uint8Array> {
  let total = 0;
  for (const e of events) {
    if (!e.data) continue;
    const fast = e.data as Blob & { bytesSync?: () => Uint8Array };
    e.bytes ??= fast.bytesSync ? fast.bytesSync() : new Uint8Array(await e.data.arrayBuffer());
    total += e.bytes.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of events) {
    if (!e.bytes) continue;
    out.set(e.bytes, at);
    at += e.bytes.length;
  }
  return out;
}

/** An argument as the trace records it: JSON-friendly values as given, others as strings. */
function jsonFriendly(value: unknown): unknown {
  if (value === undefined) return "undefined";
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "string" || typeof value === "boolean" || value === null) return value;
  return String(value);
}

/** Thrown by a `throw` action. */
export class FuzzListenerError extends Error {
  /** Always "FuzzListenerError". */
  override name = "FuzzListenerError";
}

/**
 * Runs a recorder method and returns "ok" or the thrown exception's name (suffixed with
 * "(not a DOMException)" when a DOMException name comes from another class, and with
 * "(no message)" when the exception says nothing: browsers always explain, and so must
 * recsim).
 */
export function outcomeOf(run: () => void): string {
  try {
    run();
    return "ok";
  } catch (error) {
    if ((error instanceof DOMException || error instanceof TypeError) && error.message === "") {
      return `${error.name}(no message)`;
    }
    if (error instanceof DOMException) return error.name;
    if (error instanceof TypeError) return "TypeError";
    const e = error as Error;
    return `${e?.name ?? "Error"}(not a DOMException): ${e?.message ?? String(error)}`;
  }
}

/** The observer of one world (all its recorders share the log and the armed actions). */
export class Observer {
  /** Events observed and not yet drained. */
  #log: ObservedEvent[] = [];
  /** Recorder method calls in progress (commands and listener actions). */
  depth = 0;
  /** One-shot actions by event type. */
  readonly armed: Map<EventType, Action> = new Map();
  /** Errors inside the observer itself (harness bugs), reported by the runner. */
  readonly faults: string[] = [];
  #names = new WeakMap<ObservedRecorder, string>();
  readonly #trace: Trace;
  readonly #errorEvent: abstract new (...args: never[]) => Event;

  /** Observes recorders of an agent with this trace and ErrorEvent class. */
  constructor(trace: Trace, errorEvent: abstract new (...args: never[]) => Event) {
    this.#trace = trace;
    this.#errorEvent = errorEvent;
  }

  /** Starts observing `recorder`, known in the trace as `name`. */
  watch(recorder: ObservedRecorder, name: string): void {
    this.#names.set(recorder, name);
    for (const type of EVENT_TYPES) {
      recorder.addEventListener(type, (event) => this.#onEvent(recorder, name, type, event));
    }
  }

  /** Calls a recorder method with depth tracking; returns its outcome. */
  call(recorder: ObservedRecorder, method: MethodName, timeslice = "absent"): string {
    this.depth++;
    const before = recorder.state;
    const traced = this.#trace.total;
    const ts = decodeLiteral(timeslice);
    let outcome = "";
    try {
      if (method !== "start") outcome = outcomeOf(() => recorder[method]());
      else {
        outcome = outcomeOf(() =>
          ts.absent ? recorder.start() : recorder.start(ts.value as number | undefined)
        );
      }
      return outcome;
    } finally {
      this.depth--;
      const fault = this.#checkCallEntry(recorder, method, ts, outcome, before, traced);
      if (fault !== null) this.faults.push(`trace: ${method}(): ${fault}`);
    }
  }

  /**
   * The trace records every recorder method call: its name, target, arguments (as given,
   * stringified when not JSON-friendly), outcome (the exception's name and a message) and
   * the state before and after. Returns what is wrong, or null.
   */
  #checkCallEntry(
    recorder: ObservedRecorder,
    method: MethodName,
    ts: ReturnType<typeof decodeLiteral>,
    outcome: string,
    before: string,
    traced: number,
  ): string | null {
    if (!this.#trace.enabled) return null;
    const added = this.#trace.total - traced;
    let entry: TraceEntry | undefined;
    for (let i = 1; i <= added && entry === undefined; i++) {
      const e = this.#trace.at(-i);
      if (e?.kind === "call") entry = e;
    }
    if (entry === undefined || entry.kind !== "call") return "no call entry";
    const name = this.#names.get(recorder);
    if (entry.target !== name) return `target ${entry.target}, expected ${name}`;
    if (entry.method !== method) return `method ${entry.method}`;
    const args = method !== "start" || ts.absent ? [] : [jsonFriendly(ts.value)];
    if (JSON.stringify(entry.args) !== JSON.stringify(args)) {
      return `args ${JSON.stringify(entry.args)}, expected ${JSON.stringify(args)}`;
    }
    const ok = outcome === "ok";
    if (ok !== (entry.outcome === "ok")) return `outcome ${JSON.stringify(entry.outcome)}`;
    if (entry.outcome !== "ok") {
      if (!outcome.startsWith(entry.outcome.error)) return `error ${entry.outcome.error}`;
      if (entry.outcome.message === "") return "an error without a message";
    }
    const state = [before, recorder.state];
    if (JSON.stringify(entry.state) !== JSON.stringify(state)) {
      return `state ${JSON.stringify(entry.state)}, expected ${JSON.stringify(state)}`;
    }
    return null;
  }

  /** Returns and clears the events observed since the last drain. */
  drain(): ObservedEvent[] {
    const out = this.#log;
    this.#log = [];
    return out;
  }

  #onEvent(recorder: ObservedRecorder, name: string, type: EventType, event: Event): void {
    let throwAfter = false;
    try {
      const last = this.#trace.at(-1);
      const entry = last && last.kind === "event" && last.type === type && last.target === name
        ? last
        : undefined;
      const observed: ObservedEvent = {
        type,
        recorder: name,
        t: entry?.t ?? NaN,
        state: recorder.state,
        mimeType: recorder.mimeType,
        entry,
        depth: this.depth,
      };
      if (type === "error") {
        const error = (event as Event & { error?: unknown }).error;
        observed.error = {
          name: error instanceof DOMException ? error.name : String(error),
          wellFormed: event instanceof this.#errorEvent && error instanceof DOMException &&
            error.message !== "",
        };
      }
      if (type === "dataavailable") {
        const e = event as Event & { data?: unknown; timecode?: unknown };
        if (e.data instanceof Blob) observed.data = e.data;
        if (typeof e.timecode === "number") observed.timecode = e.timecode;
      }
      this.#log.push(observed);
      const action = this.armed.get(type);
      if (action) {
        this.armed.delete(type);
        if (action.m === "throw") {
          observed.action = { action, outcome: "throw" };
          throwAfter = true;
        } else {
          const outcome = this.call(
            recorder,
            action.m,
            action.m === "start" ? action.ts : "absent",
          );
          observed.action = { action, outcome };
        }
      }
    } catch (error) {
      this.faults.push(`observer: ${(error as Error)?.stack ?? String(error)}`);
    }
    if (throwAfter) throw new FuzzListenerError(`fuzz listener threw on ${type}`);
  }
}
