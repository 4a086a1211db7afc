/**
 * A violated invariant: the fuzzer's failure, with the check that failed.
 *
 * @module
 */

/**
 * Thrown when the implementation disagrees with the model or an invariant.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Violation } from "./violation.ts";
 * const v = new Violation("events", "start fired synchronously");
 * assert.equal(v.message, "[events] start fired synchronously");
 * ```
 */
export class Violation extends Error {
  /** Always "Violation". */
  override name = "Violation";
  /** Which family of invariant failed (state, outcome, events, media, …). */
  readonly check: string;

  /** Creates the violation of `check`. */
  constructor(check: string, detail: string) {
    super(`[${check}] ${detail}`);
    this.check = check;
  }
}

/**
 * Throws a {@link Violation} unless `ok`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expect, Violation } from "./violation.ts";
 * assert.throws(() => expect(false, "state", () => "x"), Violation);
 * ```
 */
export function expect(ok: boolean, check: string, detail: () => string): asserts ok {
  if (!ok) throw new Violation(check, detail());
}
