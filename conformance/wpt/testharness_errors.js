/**
 * The error classes of the testharness shim (see `testharness.js`).
 *
 * @module
 */

/** Thrown by failed assertions (testharness.js's AssertionError). */
export class AssertionError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "AssertionError";
  }
}

/** Thrown by `assert_implements_optional` (testharness.js's OptionalFeatureUnsupportedError). */
export class OptionalFeatureUnsupportedError extends AssertionError {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "OptionalFeatureUnsupportedError";
  }
}
