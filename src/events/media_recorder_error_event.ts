/**
 * `MediaRecorderErrorEvent`: the error event interface Firefox and Safari still ship
 * (FF-MR `MediaRecorderErrorEvent::Constructor`, WK-MR `dispatchError`), removed from the
 * spec in 2022 in favour of `ErrorEvent`. Its `error` is a `DOMException`.
 *
 * @module
 */

/** The init dictionary: `error` is required. */
export interface MediaRecorderErrorEventInit extends EventInit {
  /** The failure, a DOMException named after it. */
  error: DOMException;
}

/**
 * The event the `firefox` and `safari` profiles fire as `error`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MediaRecorderErrorEvent } from "./media_recorder_error_event.ts";
 * const e = new MediaRecorderErrorEvent("error", { error: new DOMException("x", "UnknownError") });
 * assert.equal(e.error.name, "UnknownError");
 * assert.equal("message" in e, false);
 * ```
 */
export class MediaRecorderErrorEvent extends Event {
  #error: DOMException;
  /**
   * Creates the event.
   *
   * @throws {TypeError} when `eventInitDict.error` is missing.
   */
  constructor(type: string, eventInitDict: MediaRecorderErrorEventInit) {
    if (!(eventInitDict?.error instanceof DOMException)) {
      throw new TypeError("MediaRecorderErrorEvent: eventInitDict.error must be a DOMException");
    }
    super(type, eventInitDict);
    this.#error = eventInitDict.error;
  }
  /** The failure. */
  get error(): DOMException {
    return this.#error;
  }
}
