// BlobEvent (MediaStream Recording §BlobEvent): `data` is required, `timecode` is a
// DOMHighResTimeStamp (a restricted double) defaulting to 0.
import assert from "node:assert/strict";
import { BlobEvent, type BlobEventInit } from "./blob_event.ts";

const BlobEventAny = BlobEvent as unknown as new (...args: unknown[]) => BlobEvent;

Deno.test("BlobEvent: data is passed through, timecode defaults to 0, type is kept, it is an Event", () => {
  const data = new Blob([new Uint8Array(5)], { type: "video/webm" });
  const e = new BlobEvent("dataavailable", { data });
  assert.equal(e.data, data);
  assert.equal(e.timecode, 0);
  assert.equal(e.type, "dataavailable");
  assert.ok(e instanceof Event);
  assert.ok(e instanceof BlobEvent);
  assert.equal(e.bubbles, false);
  assert.equal(e.cancelable, false);
});

Deno.test("BlobEvent: timecode and EventInit members are taken from the init dictionary", () => {
  const data = new Blob([]);
  const e = new BlobEvent("x", { data, timecode: 1234.5, bubbles: true, cancelable: true });
  assert.equal(e.timecode, 1234.5);
  assert.equal(e.bubbles, true);
  assert.equal(e.cancelable, true);
  assert.equal(new BlobEvent("x", { data, timecode: -20 }).timecode, -20);
  // WebIDL double conversion: ToNumber.
  assert.equal(new BlobEvent("x", { data, timecode: "250" as unknown as number }).timecode, 250);
});

Deno.test("BlobEvent: a File is a Blob and is accepted as data", () => {
  const file = new File(["abc"], "a.webm");
  assert.equal(new BlobEvent("x", { data: file }).data, file);
});

Deno.test("BlobEvent: TypeError when the init dictionary is missing or data is missing or not a Blob", () => {
  assert.throws(() => new BlobEventAny("dataavailable"), TypeError);
  assert.throws(() => new BlobEventAny("dataavailable", null), TypeError);
  assert.throws(() => new BlobEventAny("dataavailable", {}), TypeError);
  assert.throws(() => new BlobEventAny("dataavailable", { data: undefined }), TypeError);
  assert.throws(() => new BlobEventAny("dataavailable", { data: null }), TypeError);
  assert.throws(() => new BlobEventAny("dataavailable", { data: "bytes" }), TypeError);
  assert.throws(() => new BlobEventAny("dataavailable", { data: new Uint8Array(3) }), TypeError);
  assert.throws(
    () => new BlobEventAny("dataavailable", { data: { size: 0, type: "" } }),
    TypeError,
  );
});

Deno.test("BlobEvent: a non-finite timecode is a TypeError (DOMHighResTimeStamp is a restricted double)", () => {
  const data = new Blob([]);
  for (const timecode of [NaN, Infinity, -Infinity, "abc"]) {
    assert.throws(
      () => new BlobEvent("x", { data, timecode } as BlobEventInit),
      TypeError,
      `timecode ${String(timecode)}`,
    );
  }
});
