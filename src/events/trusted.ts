/**
 * Events the user agent fires are trusted: "fire an event" sets `isTrusted` to true,
 * while `dispatchEvent()` from script leaves it false (DOM §2.10). WPT's MediaRecorder
 * tests check it.
 *
 * @module
 */

/**
 * Marks `event` as fired by the user agent (`isTrusted` true) and returns it. Where the
 * runtime makes `isTrusted` an unforgeable own property (Node's and jsdom's `Event`), it
 * stays as the runtime set it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trusted } from "./trusted.ts";
 * const e = trusted(new Event("start"));
 * assert.equal(e.isTrusted, true);
 * assert.equal(new Event("start").isTrusted, false);
 * ```
 */
export function trusted<T extends Event>(event: T): T {
  const own = Object.getOwnPropertyDescriptor(event, "isTrusted");
  if (own && !own.configurable) return event;
  Object.defineProperty(event, "isTrusted", TRUSTED);
  return event;
}

/** One descriptor for every event (defining with it costs about half as much as a fresh one). */
const TRUSTED: PropertyDescriptor = Object.freeze({ value: true, enumerable: true });
