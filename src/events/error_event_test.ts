// ErrorEvent (HTML §8.1.5.3 ErrorEventInit): every member is optional with defaults
// message "", filename "", lineno 0, colno 0, error null.
import assert from "node:assert/strict";
import { ErrorEvent } from "./error_event.ts";

Deno.test("ErrorEvent: defaults are message '', filename '', lineno 0, colno 0, error null", () => {
  for (const e of [new ErrorEvent("error"), new ErrorEvent("error", {})]) {
    assert.equal(e.message, "");
    assert.equal(e.filename, "");
    assert.equal(e.lineno, 0);
    assert.equal(e.colno, 0);
    assert.equal(e.error, null);
    assert.equal(e.type, "error");
    assert.ok(e instanceof Event);
    assert.ok(e instanceof ErrorEvent);
  }
});

Deno.test("ErrorEvent: passes the error object and the other members through", () => {
  const error = new DOMException("encoder gone", "UnknownError");
  const e = new ErrorEvent("error", {
    error,
    message: "m",
    filename: "f.js",
    lineno: 12,
    colno: 3,
    cancelable: true,
  });
  assert.equal(e.error, error);
  assert.equal(e.message, "m");
  assert.equal(e.filename, "f.js");
  assert.equal(e.lineno, 12);
  assert.equal(e.colno, 3);
  assert.equal(e.cancelable, true);
  assert.equal(e.type, "error");
  // Any value is a valid `any` error, including falsy ones.
  assert.equal(new ErrorEvent("error", { error: 0 }).error, 0);
  assert.equal(new ErrorEvent("error", { error: "" }).error, "");
});

Deno.test("ErrorEvent: lineno and colno are WebIDL unsigned long (ConvertToInt)", () => {
  const e = new ErrorEvent("error", { lineno: -1, colno: 1.9 });
  assert.equal(e.lineno, 4294967295);
  assert.equal(e.colno, 1);
  assert.equal(new ErrorEvent("error", { lineno: NaN }).lineno, 0);
});

Deno.test(
  "ErrorEvent: the init dictionary is converted at construction (later mutation has no effect)",
  {
    // Regression (fixed): src/events/error_event.ts:41 (and getters :45-62) — the event keeps a reference to
    // the caller's init object and reads its members in the getters, so mutating the dictionary
    // after construction changes the event (and getters run user code on every read). WebIDL
    // converts a dictionary once, in the constructor. Suggested fix: copy the converted members
    // (String(message ?? ""), …) into private fields in the constructor.
  },
  () => {
    const init: { message: string; lineno: number; error: unknown } = {
      message: "first",
      lineno: 1,
      error: "e1",
    };
    const e = new ErrorEvent("error", init);
    init.message = "second";
    init.lineno = 2;
    init.error = "e2";
    assert.equal(e.message, "first");
    assert.equal(e.lineno, 1);
    assert.equal(e.error, "e1");
  },
);

Deno.test("ErrorEvent: message: null converts with WebIDL DOMString to 'null'", {
  // Regression (fixed): src/events/error_event.ts:46 — `String(this.#init.message ?? "")` maps a null message
  // to "" while WebIDL DOMString conversion of null gives "null" (as browsers do for `new
  // ErrorEvent("error", { message: null }).message`); same for filename (:50). Suggested fix:
  // use `message === undefined ? "" : String(message)`.
}, () => {
  const e = new ErrorEvent("error", { message: null, filename: null } as unknown as {
    message: string;
    filename: string;
  });
  assert.equal(e.message, "null");
  assert.equal(e.filename, "null");
});
