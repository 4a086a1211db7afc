/**
 * HTML's `ErrorEvent`, which the MediaStream Recording spec uses to "fire an error
 * event". recsim defines its own so the core does not depend on a global that Node 20
 * lacks.
 *
 * @module
 */

/** The `ErrorEventInit` dictionary (HTML). */
export interface ErrorEventInit extends EventInit {
  /** A human-readable message. */
  message?: string;
  /** The script URL, when there is one. */
  filename?: string;
  /** The line number. */
  lineno?: number;
  /** The column number. */
  colno?: number;
  /** The error object; for a recorder, a `DOMException` named after the failure. */
  error?: unknown;
}

/**
 * The event a recorder fires with type `error`; `error` holds a `DOMException` such
 * as `InvalidModificationError` or `UnknownError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ErrorEvent } from "./error_event.ts";
 * const e = new ErrorEvent("error", { error: new DOMException("gone", "UnknownError") });
 * assert.ok((e.error as DOMException).name === "UnknownError" && e.message === "");
 * ```
 */
export class ErrorEvent extends Event {
  #message: string;
  #filename: string;
  #lineno: number;
  #colno: number;
  #error: unknown;

  /** Creates the event; every member of `eventInitDict` is optional (converted now, as WebIDL does). */
  constructor(type: string, eventInitDict: ErrorEventInit = {}) {
    const init = eventInitDict ?? {};
    const text = (v: unknown) => (v === undefined ? "" : String(v));
    const colno = init.colno === undefined ? 0 : Number(init.colno) >>> 0;
    const error = init.error === undefined ? null : init.error;
    const filename = text(init.filename);
    const lineno = init.lineno === undefined ? 0 : Number(init.lineno) >>> 0;
    const message = text(init.message);
    super(type, init);
    this.#message = message;
    this.#filename = filename;
    this.#lineno = lineno;
    this.#colno = colno;
    this.#error = error;
  }

  /** The message (default ""). */
  get message(): string {
    return this.#message;
  }
  /** The file name (default ""). */
  get filename(): string {
    return this.#filename;
  }
  /** The line number (default 0). */
  get lineno(): number {
    return this.#lineno;
  }
  /** The column number (default 0). */
  get colno(): number {
    return this.#colno;
  }
  /** The error (default `null`). */
  get error(): unknown {
    return this.#error;
  }
}
