/**
 * Lockstep: the events observed while the clock ran, matched task by task against the
 * model's queue. Observed events are grouped by the trace's task number; each group must
 * be the model's next task (same events in the same order, at the instant the task was
 * queued) or an event the model allows spontaneously (a timeslice chunk, an armed
 * encoder failure). Field by field, each event must show the state, mimeType, recording
 * and error the model computes at its dispatch, and the one-shot listener action must
 * have had the outcome the model predicts.
 *
 * @module
 */
import type { ExpectedEvent, Model, RecordingModel } from "./model.ts";
import type { ObservedEvent } from "./observer.ts";
import { expect, Violation } from "./violation.ts";

/**
 * Checks every observed event on its own: from a task, traced, well-formed (a BlobEvent
 * without a timecode on a `"none"` profile, Firefox's).
 */
export function checkEventShape(e: ObservedEvent, timecode: "none" | "number" = "number"): void {
  expect(
    e.depth === 0,
    "events",
    () => `${e.type} was dispatched synchronously inside a recorder method call`,
  );
  expect(e.entry !== undefined, "events", () => `${e.type} was dispatched without a trace entry`);
  expect(
    e.entry!.task > 0,
    "events",
    () => `${e.type} was not dispatched from a task (trace task ${e.entry!.task})`,
  );
  if (e.type === "error") {
    expect(
      e.error?.wellFormed === true,
      "events",
      () => "error is not the profile's error event carrying a DOMException with a message",
    );
  }
  if (e.type === "dataavailable") {
    expect(e.data !== undefined, "events", () => "dataavailable without a Blob");
    if (timecode === "none") {
      expect(e.timecode === undefined, "events", () => "a timecode on a profile that has none");
    } else {
      expect(
        typeof e.timecode === "number" && Number.isFinite(e.timecode),
        "events",
        () => "dataavailable without a finite timecode",
      );
    }
  }
}

function signatureOf(events: ObservedEvent[]): string[] {
  return events.map((e) => (e.type === "error" ? `error:${e.error?.name}` : e.type));
}

function show(events: ObservedEvent[]): string {
  return events.map((e) =>
    `${
      e.type === "error" ? `error(${e.error?.name})` : e.type
    }@${e.t}[task ${e.entry?.task}, ${e.recorder}/${e.entry?.recording}]`
  ).join(", ");
}

/** Splits events into runs of the same task. */
export function groupByTask(events: ObservedEvent[]): ObservedEvent[][] {
  const groups: ObservedEvent[][] = [];
  for (const e of events) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.entry?.task === e.entry?.task) last.push(e);
    else groups.push([e]);
  }
  return groups;
}

function matchEvent(model: Model, expected: ExpectedEvent, e: ObservedEvent): void {
  const where = `${e.type}@${e.t} (${e.recorder}/${e.entry?.recording})`;
  expect(e.type === expected.type, "events", () => `${where}: expected ${expected.type}`);
  expect(
    e.recorder === `recorder#${expected.recorder}` && e.entry?.recording === expected.recording,
    "events",
    () => `${where}: expected recorder#${expected.recorder}/${expected.recording}`,
  );
  expect(
    e.state === expected.state,
    "state",
    () => `${where}: state at dispatch is ${e.state}, the model says ${expected.state}`,
  );
  expect(
    e.entry?.state === e.state,
    "events",
    () => `${where}: the trace says state ${e.entry?.state}, the listener saw ${e.state}`,
  );
  expect(
    e.mimeType === expected.mimeType,
    "state",
    () =>
      `${where}: mimeType at dispatch is '${e.mimeType}', the model says '${expected.mimeType}'`,
  );
  if (expected.error !== undefined) {
    expect(
      e.error?.name === expected.error,
      "events",
      () => `${where}: error ${e.error?.name}, expected ${expected.error}`,
    );
  }
  if (e.type === "dataavailable") {
    // Decision 16 (revised): data.type is the recording's MIME type, the last chunk's
    // too (ASCII-lowercased by the Blob).
    const type = (expected.blobType ?? expected.mimeType).toLowerCase();
    expect(
      e.data?.type === type,
      "events",
      () => `${where}: data.type '${e.data?.type}', expected the recording's type '${type}'`,
    );
    if (expected.empty) {
      expect(
        e.data?.size === 0,
        "media",
        () =>
          `${where}: the final Blob must be empty, the gathered data discarded (size ${e.data?.size})`,
      );
    }
  }
  // The one-shot listener action, run by both.
  const action = model.takeAction(expected.type);
  if (action === undefined) {
    expect(
      e.action === undefined,
      "events",
      () => `${where}: a listener action ran that the model did not expect`,
    );
    return;
  }
  const outcome = model.applyAction(action);
  expect(
    e.action !== undefined,
    "events",
    () => `${where}: the armed listener action did not run`,
  );
  expect(
    e.action!.outcome === outcome,
    "outcome",
    () =>
      `${where}: listener action ${JSON.stringify(action)} gave ${
        e.action!.outcome
      }, the model says ${outcome}`,
  );
}

function matchGroup(
  model: Model,
  thunks: Array<() => ExpectedEvent>,
  group: ObservedEvent[],
): void {
  expect(
    thunks.length === group.length,
    "events",
    () => `task fired ${show(group)}; expected ${thunks.length} events`,
  );
  for (let i = 0; i < group.length; i++) matchEvent(model, thunks[i]!(), group[i]!);
}

/** What the lockstep needs besides the model. */
export interface LockstepContext {
  /** Checks the time of an accepted encoder failure (throws a Violation). */
  checkFailureTime(rec: RecordingModel, t: number): void;
}

/**
 * Consumes the events observed while the clock ran, in order, against the model.
 * Throws a {@link Violation} on the first disagreement.
 */
export function consumeEvents(model: Model, events: ObservedEvent[], ctx: LockstepContext): void {
  const timecode = model.profile.timecode === "none" ? "none" : "number";
  for (const e of events) checkEventShape(e, timecode);
  for (const group of groupByTask(events)) {
    const first = group[0]!;
    expect(
      group.every((e) => e.recorder === first.recorder),
      "events",
      () => `one task fired events at two recorders: ${show(group)}`,
    );
    expect(
      first.t >= model.now,
      "events",
      () => `${show(group)} fired at ${first.t}, before ${model.now}`,
    );
    model.now = first.t;
    const signature = signatureOf(group);
    // (Chrome at a timeslice of 0: requestData() with nothing written delivers no Blob.)
    while (
      model.head() !== null && model.firesNothingMaybe(model.head()!) &&
      !sameList(model.signature(model.head()!), collapse(signature))
    ) {
      model.beginTask(model.head()!);
    }
    const head = model.head();
    const n = first.entry!.recording ?? -1;
    const current = model.recorder ? `recorder#${model.recorder.serial}` : null;
    const multi = head !== null && model.deliversPerWrite(head.rec);
    if (head && sameList(model.signature(head), multi ? collapse(signature) : signature)) {
      expect(
        head.at === first.t,
        "events",
        () => `a ${head.kind} task queued at ${head.at} ran at ${first.t}: ${show(group)}`,
      );
      const steps = model.beginTask(head);
      matchGroup(model, multi ? expand(steps, model.signature(head), signature) : steps, group);
      continue;
    }
    if (signature[0] === "start" && first.recorder === current && model.startRefusal(n) === null) {
      if (matchWithStart(model, group, signature.slice(1), n, first.t, ctx)) continue;
    }
    const refusals: string[] = [];
    if (head) {
      refusals.push(
        `the next task is ${head.kind} (recording ${head.rec.n}, queued at ${head.at}) firing ${
          model.signature(head).join(", ")
        }`,
      );
    } else refusals.push("no task is queued");
    if (first.recorder !== current) refusals.push(`${first.recorder} is not the current recorder`);
    else if (
      sameList(signature, ["dataavailable"]) ||
      // (Firefox gathers a Blob per timeslice the muxed end passed, Chrome at a timeslice
      // of 0 delivers a Blob per muxer write: several in one task.)
      (signature.every((t) => t === "dataavailable") &&
        (model.profile.chunkClock === "encoder-pushes" ||
          (model.recording(n) !== undefined && model.deliversPerWrite(model.recording(n)!))))
    ) {
      const why = model.timesliceRefusal(n);
      if (why === null) {
        matchGroup(model, group.map(() => () => model.timesliceEvent(n)), group);
        continue;
      }
      refusals.push(`not a timeslice chunk: ${why}`);
    } else if (sameList(perWrite(model, n) ? collapse(signature) : signature, FAILURE)) {
      const why = model.failureRefusal(n);
      if (why === null) {
        ctx.checkFailureTime(model.recording(n)!, first.t);
        matchGroup(model, expand(model.beginFailure(n), FAILURE, signature), group);
        continue;
      }
      refusals.push(`not an encoder failure: ${why}`);
    }
    throw new Violation("events", `unexpected ${show(group)}: ${refusals.join("; ")}`);
  }
}

/**
 * A start event fired when data came (Chrome, Firefox): alone, before a timeslice chunk
 * (Chrome), or before the events of the next queued task (requestData's chunk, the end's
 * events) or of an encoder failure. Returns false when the group is none of these.
 */
function matchWithStart(
  model: Model,
  group: ObservedEvent[],
  rest: string[],
  n: number,
  t: number,
  ctx: LockstepContext,
): boolean {
  const start = () => model.startEventNow(n);
  if (rest.length === 0) {
    matchGroup(model, [start], group);
    return true;
  }
  const head = model.head();
  const multi = head !== null && model.deliversPerWrite(head.rec);
  if (
    head && head.rec.n === n && head.at === t &&
    sameList(model.signature(head), multi ? collapse(rest) : rest)
  ) {
    // (The task's steps run first: at the end, start fires after Inactivate.)
    const steps = model.beginTask(head);
    const expanded = multi ? expand(steps, model.signature(head), rest) : steps;
    matchGroup(model, [start, ...expanded], group);
    return true;
  }
  if (
    sameList(perWrite(model, n) ? collapse(rest) : rest, FAILURE) &&
    model.failureRefusal(n) === null
  ) {
    ctx.checkFailureTime(model.recording(n)!, t);
    const steps = expand(model.beginFailure(n), FAILURE, rest);
    matchGroup(model, [start, ...steps], group);
    return true;
  }
  if (rest.every((type) => type === "dataavailable")) {
    const thunks = [start, ...rest.map(() => () => model.timesliceEvent(n))];
    matchGroup(model, thunks, group);
    return model.recording(n)!.threshold !== null;
  }
  return false;
}

/** Throws unless every queued task has run (all tasks run at the instant they are queued). */
export function expectQueueDrained(model: Model): void {
  while (model.head() !== null && model.firesNothingMaybe(model.head()!)) {
    model.beginTask(model.head()!);
  }
  const head = model.head();
  if (head) {
    throw new Violation(
      "events",
      `the ${head.kind} task of recording ${head.rec.n} queued at ${head.at} did not run (expected ${
        model.signature(head).join(", ")
      })`,
    );
  }
}

/** An encoder failure's events (15.6), a run of Blobs where a profile delivers per write. */
const FAILURE = ["error:UnknownError", "dataavailable", "stop"];

/** Whether recording `n` delivers a Blob per muxer write. */
function perWrite(model: Model, n: number): boolean {
  const rec = model.recording(n);
  return rec !== undefined && model.deliversPerWrite(rec);
}

/** A signature with each run of dataavailable events as one. */
function collapse(signature: string[]): string[] {
  return signature.filter((t, i) => t !== "dataavailable" || signature[i - 1] !== "dataavailable");
}

/** The task's thunks with its dataavailable repeated for each Blob of the run observed. */
function expand(
  thunks: Array<() => ExpectedEvent>,
  expected: string[],
  observed: string[],
): Array<() => ExpectedEvent> {
  const out: Array<() => ExpectedEvent> = [];
  let j = 0;
  expected.forEach((type, i) => {
    do out.push(thunks[i]!); while (type === "dataavailable" && observed[++j] === "dataavailable");
    if (type !== "dataavailable") j++;
  });
  return out;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
