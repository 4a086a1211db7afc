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
  #init: ErrorEventInit;

  /** Creates the event; every member of `eventInitDict` is optional. */
  constructor(type: string, eventInitDict: ErrorEventInit = {}) {
    super(type, eventInitDict);
    this.#init = eventInitDict ?? {};
  }

  /** The message (default ""). */
  get message(): string {
    return String(this.#init.message ?? "");
  }
  /** The file name (default ""). */
  get filename(): string {
    return String(this.#init.filename ?? "");
  }
  /** The line number (default 0). */
  get lineno(): number {
    return Number(this.#init.lineno ?? 0) >>> 0;
  }
  /** The column number (default 0). */
  get colno(): number {
    return Number(this.#init.colno ?? 0) >>> 0;
  }
  /** The error (default `null`). */
  get error(): unknown {
    return this.#init.error ?? null;
  }
}
