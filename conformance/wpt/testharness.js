/**
 * A small re-implementation of the parts of web-platform-tests' `testharness.js` that the
 * ported `mediacapture-record` tests use, as an ES module that runs unchanged in a browser
 * page and in Deno (no DOM or Deno APIs).
 *
 * Semantics follow testharness.js: `test()` and `async_test()` bodies run when registered,
 * `promise_test()`s run one after another, cleanups run when a test finishes, and each test
 * ends as PASS, FAIL, TIMEOUT, NOTRUN or PRECONDITION_FAILED with a message. Unlike
 * testharness.js, every test has its own timeout (`testTimeoutMs`), and the clock is the
 * host's: {@link resetHarness} takes the `setTimeout`/`clearTimeout` pair, so a recsim host
 * puts test timeouts and `t.step_timeout` on virtual time.
 *
 * Host protocol: `resetHarness(options)`, import the test module (which registers its
 * tests), then `await finishHarness()` for the results.
 *
 * This file is written for recsim; its API mirrors testharness.js (BSD-3-Clause,
 * web-platform-tests contributors, see LICENSE.md) but none of its code is copied.
 *
 * @module
 */

/** @typedef {"PASS"|"FAIL"|"TIMEOUT"|"NOTRUN"|"PRECONDITION_FAILED"} Status */
/** @typedef {{ name: string, status: Status, message: string | null }} SubtestResult */
/** @typedef {{ status: "OK"|"ERROR"|"TIMEOUT", message: string | null, tests: SubtestResult[] }} HarnessResult */

import { assert_unreached } from "./testharness_asserts.js";
import { AssertionError, OptionalFeatureUnsupportedError } from "./testharness_errors.js";

export { AssertionError, OptionalFeatureUnsupportedError };
export * from "./testharness_asserts.js";
export { EventWatcher } from "./testharness_event_watcher.js";

const defaultTimers = {
  setTimeout: (/** @type {() => void} */ f, /** @type {number} */ ms) =>
    globalThis.setTimeout(f, ms),
  clearTimeout: (/** @type {unknown} */ id) => globalThis.clearTimeout(/** @type {number} */ (id)),
};

/** @type {ReturnType<typeof newState>} */
let state = newState({});

/**
 * @param {{ setTimeout?: (f: () => void, ms: number) => unknown,
 *   clearTimeout?: (id: unknown) => void, params?: string, testTimeoutMs?: number,
 *   harnessTimeoutMs?: number, title?: string }} options
 */
function newState(options) {
  return {
    setTimeout: options.setTimeout ?? defaultTimers.setTimeout,
    clearTimeout: options.clearTimeout ?? defaultTimers.clearTimeout,
    params: new URLSearchParams(options.params ?? ""),
    testTimeoutMs: options.testTimeoutMs ?? 10_000,
    harnessTimeoutMs: options.harnessTimeoutMs ?? 60_000,
    title: options.title ?? "Untitled",
    unnamed: 0,
    /** @type {Test[]} */
    tests: [],
    /** @type {Promise<void>} */
    promiseChain: Promise.resolve(),
    /** @type {string[]} */
    errors: [],
    harnessTimedOut: false,
    /** @type {(() => void) | null} */
    wake: null,
  };
}

/**
 * Starts a fresh harness: forgets every test, sets the timers, the variant's query string
 * (see {@link variantParams}), the timeouts (ms of the host's timers) and the title that
 * names an unnamed test (the WPT file's `<title>`).
 *
 * @param {{ setTimeout?: (f: () => void, ms: number) => unknown,
 *   clearTimeout?: (id: unknown) => void, params?: string, testTimeoutMs?: number,
 *   harnessTimeoutMs?: number, title?: string }} [options]
 */
export function resetHarness(options = {}) {
  state = newState(options);
}

/**
 * The query parameters of the running variant (what WPT tests read from
 * `window.location.search`, e.g. `?mimeType=video/webm;codecs=vp8,opus`).
 */
export function variantParams() {
  return state.params;
}

/**
 * Records an error outside any test (an uncaught exception or unhandled rejection), which
 * makes the harness status ERROR, as in testharness.js.
 *
 * @param {unknown} error
 */
export function reportHarnessError(error) {
  state.errors.push(describe(error));
}

/** @param {unknown} e */
function describe(e) {
  if (e instanceof AssertionError) return e.message;
  if (e && typeof e === "object" && "name" in e && "message" in e) {
    return `${String(e.name)}: ${String(e.message)}`;
  }
  return String(e);
}

/** A test, as the callbacks of testharness.js receive it. */
class Test {
  /**
   * @param {string} name
   * @param {ReturnType<typeof newState>} harness
   * @param {"sync"|"async"|"promise"} kind
   */
  constructor(name, harness, kind) {
    this.name = name;
    this.kind = kind;
    /** @type {Status} */
    this.status = "NOTRUN";
    /** @type {string | null} */
    this.message = null;
    this.phase = "registered"; // registered | started | finished
    this._harness = harness;
    /** @type {Array<() => unknown>} */
    this._cleanups = [];
    /** @type {Set<unknown>} */
    this._timers = new Set();
    /** @type {unknown} */
    this._timeout = null;
    /** @type {() => void} */
    this._resolveFinished = () => {};
    /** Resolves once the test has finished and its cleanups have settled. */
    this.finished = new Promise((resolve) => (this._resolveFinished = () => resolve(undefined)));
  }

  /** Starts the per-test timeout. */
  _start() {
    this.phase = "started";
    const h = this._harness;
    this._timeout = h.setTimeout(() => {
      this._timeout = null;
      this._finish("TIMEOUT", "Test timed out");
    }, h.testTimeoutMs);
  }

  /**
   * Runs `func` as a step of this test: an exception fails the test.
   *
   * @template R
   * @param {(...args: any[]) => R} func
   * @param {unknown} [thisObj]
   * @param {...unknown} args
   * @returns {R | undefined}
   */
  step(func, thisObj, ...args) {
    if (this.phase === "finished") return undefined;
    try {
      return func.apply(thisObj ?? this, args);
    } catch (e) {
      this._fail(e);
      return undefined;
    }
  }

  /**
   * @param {(...args: any[]) => unknown} func
   * @param {unknown} [thisObj]
   */
  step_func(func, thisObj) {
    return (/** @type {unknown[]} */ ...args) => this.step(func, thisObj, ...args);
  }

  /**
   * @param {((...args: any[]) => unknown) | undefined} [func]
   * @param {unknown} [thisObj]
   */
  step_func_done(func, thisObj) {
    return (/** @type {unknown[]} */ ...args) => {
      if (func) this.step(func, thisObj, ...args);
      this.done();
    };
  }

  /** @param {string} [description] */
  unreached_func(description) {
    return this.step_func(() => assert_unreached(description));
  }

  /**
   * `setTimeout` on the harness's timers, running `func` as a step.
   *
   * @param {(...args: any[]) => unknown} func
   * @param {number} ms
   * @param {...unknown} args
   */
  step_timeout(func, ms, ...args) {
    const id = this._harness.setTimeout(() => {
      this._timers.delete(id);
      this.step(func, this, ...args);
    }, ms);
    this._timers.add(id);
    return id;
  }

  /**
   * Resolves after `ms` on the harness's timers.
   *
   * @param {number} ms
   */
  step_wait(ms) {
    return new Promise((resolve) => this.step_timeout(resolve, ms));
  }

  /** @param {() => unknown} callback */
  add_cleanup(callback) {
    this._cleanups.push(callback);
  }

  /** Ends the test; PASS unless it already failed. */
  done() {
    if (this.phase === "finished") return;
    this._finish("PASS", null);
  }

  /** @param {unknown} e */
  _fail(e) {
    if (this.phase === "finished") return;
    if (e instanceof OptionalFeatureUnsupportedError) {
      this._finish("PRECONDITION_FAILED", e.message);
    } else this._finish("FAIL", describe(e));
  }

  /**
   * @param {Status} status
   * @param {string | null} message
   */
  _finish(status, message) {
    if (this.phase === "finished") return;
    this.phase = "finished";
    this.status = status;
    this.message = message;
    const h = this._harness;
    if (this._timeout !== null) h.clearTimeout(this._timeout);
    for (const id of this._timers) h.clearTimeout(id);
    this._timers.clear();
    const pending = [];
    for (const cleanup of this._cleanups) {
      try {
        const r = cleanup();
        if (r && typeof (/** @type {any} */ (r).then) === "function") pending.push(r);
      } catch (e) {
        h.errors.push(`Cleanup of "${this.name}" threw: ${describe(e)}`);
      }
    }
    Promise.all(pending).then(
      () => this._resolveFinished(),
      (e) => {
        h.errors.push(`Cleanup of "${this.name}" rejected: ${describe(e)}`);
        this._resolveFinished();
      },
    ).finally(() => h.wake?.());
  }
}

/**
 * @param {string | undefined} name
 * @param {"sync"|"async"|"promise"} kind
 */
function newTest(name, kind) {
  // testharness.js names an unnamed test after the document's title ("Title", "Title 1"…).
  if (!name) name = state.title + (state.unnamed++ > 0 ? ` ${state.unnamed - 1}` : "");
  const t = new Test(name, state, kind);
  state.tests.push(t);
  return t;
}

/**
 * A synchronous test: `func(t)` runs now; it passes unless it throws.
 *
 * @param {(t: Test) => unknown} func
 * @param {string} [name]
 */
export function test(func, name) {
  const t = newTest(name, "sync");
  t._start();
  t.step(func, t, t);
  t.done();
}

/**
 * An asynchronous test that ends with `t.done()`; with a function, it runs now as a step.
 *
 * @param {((t: Test) => unknown) | string} [func]
 * @param {string} [name]
 * @returns {Test}
 */
export function async_test(func, name) {
  if (typeof func === "string") return async_test(undefined, func);
  const t = newTest(name, "async");
  t._start();
  if (func) t.step(func, t, t);
  return t;
}

/**
 * A test whose function returns a promise; promise tests run one at a time, in order.
 *
 * @param {(t: Test) => PromiseLike<unknown>} func
 * @param {string} [name]
 */
export function promise_test(func, name) {
  const t = newTest(name, "promise");
  const h = state;
  h.promiseChain = h.promiseChain.then(async () => {
    if (h.harnessTimedOut || t.phase === "finished") return;
    t._start();
    let result;
    try {
      result = func.call(t, t);
    } catch (e) {
      t._fail(e);
    }
    if (t.phase !== "finished") {
      if (!result || typeof (/** @type {any} */ (result).then) !== "function") {
        t._fail(new AssertionError("promise_test: test body must return a 'thenable' object"));
      } else {
        // Settle on the result, or stop waiting when the test finishes another way
        // (t.done(), a timeout).
        await Promise.race([
          Promise.resolve(result).then(() => t.done(), (e) => t._fail(e)),
          t.finished,
        ]);
      }
    }
    await t.finished;
  });
}

/**
 * Resolves when every registered test has finished (or the harness timeout struck: tests
 * then running are TIMEOUT, tests never started NOTRUN), with the results in registration
 * order. Call it once the test module has been evaluated.
 *
 * @returns {Promise<HarnessResult>}
 */
export async function finishHarness() {
  const h = state;
  let timedOut = false;
  const timer = h.setTimeout(() => {
    timedOut = true;
    h.harnessTimedOut = true;
    h.wake?.();
  }, h.harnessTimeoutMs);
  for (;;) {
    // Every test registered so far finished (cleanups settled) and the promise_test queue
    // drained; done unless a test registered more tests meanwhile.
    const count = h.tests.length;
    const chain = h.promiseChain;
    let settled = false;
    const waitAll = Promise.all(h.tests.map((t) => t.finished)).then(() => chain).then(() => {
      settled = true;
    });
    const woken = new Promise((resolve) => (h.wake = () => resolve(undefined)));
    await Promise.race([waitAll, woken]);
    if (timedOut) break;
    if (settled && h.tests.length === count && h.promiseChain === chain) break;
  }
  h.clearTimeout(timer);
  for (const t of h.tests) {
    if (t.phase === "started") t._finish("TIMEOUT", "Test timed out (harness timeout)");
    else if (t.phase === "registered") t._finish("NOTRUN", null);
  }
  const status = timedOut ? "TIMEOUT" : h.errors.length > 0 ? "ERROR" : "OK";
  return {
    status,
    message: h.errors.length > 0 ? h.errors.join("\n") : null,
    tests: h.tests.map((t) => ({ name: t.name, status: t.status, message: t.message })),
  };
}
