/**
 * The errors recsim throws. Spec errors are `DOMException`s with the names the
 * MediaStream Recording spec uses; misuse of the simulator itself is a {@link HarnessError}.
 *
 * @module
 */

/** The `DOMException` names the recorder algorithms use. */
export type RecorderErrorName =
  | "InvalidStateError"
  | "NotSupportedError"
  | "SecurityError"
  | "InvalidModificationError"
  | "UnknownError"
  | "EncodingError";

/**
 * Creates a `DOMException` with the given spec name (never `new DOMException(name)`,
 * which would set the message and leave the name "Error").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { domException } from "./errors.ts";
 * const e = domException("InvalidStateError", "start() called while recording");
 * assert.ok(e.name === "InvalidStateError" && e instanceof DOMException);
 * ```
 */
export function domException(name: RecorderErrorName, message: string): DOMException {
  return new DOMException(message, name);
}

/**
 * Thrown for misuse of the simulator (not of the MediaRecorder API), such as
 * advancing a clock by a negative amount or mixing objects of two user agents.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HarnessError } from "./errors.ts";
 * const e = new HarnessError("clock.advance(ms): ms must be a finite number >= 0, got -1");
 * assert.ok(e.name === "HarnessError");
 * ```
 */
export class HarnessError extends Error {
  /** Creates the error; `options.cause` keeps an underlying error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HarnessError";
  }
}
