import assert from "node:assert/strict";
import { checkEventShape, consumeEvents, groupByTask } from "./lockstep.ts";
import { Model } from "./model.ts";
import type { ObservedEvent } from "./observer.ts";
import { Violation } from "./violation.ts";

function observed(type: string, task: number, over: Partial<ObservedEvent> = {}): ObservedEvent {
  return {
    type,
    recorder: "recorder#1",
    t: 0,
    state: "recording",
    mimeType: "audio/webm;codecs=opus",
    depth: 0,
    entry: {
      kind: "event",
      t: 0,
      target: "recorder#1",
      type,
      state: "recording",
      task,
      recording: 1,
    },
    ...over,
  };
}

const noFailure = { checkFailureTime: () => {} };

Deno.test("lockstep: an event inside a method call or outside a task is a violation", () => {
  assert.throws(() => checkEventShape(observed("start", 1, { depth: 1 })), /synchronously/);
  assert.throws(() => checkEventShape(observed("start", 0)), /not dispatched from a task/);
  assert.throws(() => checkEventShape(observed("start", 1, { entry: undefined })), /trace/);
});

Deno.test("lockstep: events grouped by task match the model's next task", () => {
  const m = new Model(0, [{ kind: "audio", inStream: true }]);
  m.construct({});
  m.call("start");
  consumeEvents(m, [observed("start", 1)], noFailure);
  assert.equal(m.recorder!.mimeType, "audio/webm;codecs=opus");
  assert.equal(m.head(), null);
  m.call("stop");
  const final = [
    observed("dataavailable", 2, {
      state: "inactive",
      mimeType: "",
      // the final Blob carries the recording's type although mimeType reverted (decision 16)
      data: new Blob([], { type: "audio/webm;codecs=opus" }),
      timecode: 0,
    }),
    observed("stop", 2, { state: "inactive", mimeType: "" }),
  ];
  for (const e of final) e.entry!.state = "inactive";
  assert.equal(groupByTask(final).length, 1);
  consumeEvents(m, final, noFailure);
  assert.equal(m.history[0]!.stopFired, true);
});

Deno.test("lockstep: an event the model does not expect is reported with the expected task", () => {
  const m = new Model(0, [{ kind: "audio", inStream: true }]);
  m.construct({});
  m.call("start");
  assert.throws(
    () => consumeEvents(m, [observed("pause", 1)], noFailure),
    (e: Error) => e instanceof Violation && /next task is start/.test(e.message),
  );
});
