/**
 * `EventWatcher` of the testharness shim: `new EventWatcher(t, target, types)` then
 * `await watcher.wait_for(type | types)`; an event of a watched type that nobody waits
 * for fails the test, as in testharness.js. Written for recsim; no code copied.
 *
 * @module
 */
import { AssertionError } from "./testharness_errors.js";

/** Watches `types` events on `target` for test `t`. */
export class EventWatcher {
  /**
   * @param {{ step_func: (f: (...a: any[]) => unknown) => (...a: any[]) => unknown,
   *   add_cleanup: (f: () => unknown) => void }} t
   * @param {{ addEventListener: Function, removeEventListener: Function }} target
   * @param {string | string[]} types
   */
  constructor(t, target, types) {
    const list = typeof types === "string" ? [types] : [...types];
    /** @type {string[]} */
    let waiting = [];
    /** @type {((e: Event) => void) | null} */
    let resolveNext = null;
    /** @type {Event[]} */
    let record = [];
    const listener = t.step_func((/** @type {Event} */ e) => {
      if (waiting.length === 0 || resolveNext === null) {
        throw new AssertionError(`EventWatcher: unexpected ${e.type} event`);
      }
      const expected = waiting.shift();
      if (e.type !== expected) {
        throw new AssertionError(`EventWatcher: expected ${expected} event but got ${e.type}`);
      }
      record.push(e);
      if (waiting.length === 0) {
        const resolve = resolveNext;
        const events = record;
        resolveNext = null;
        record = [];
        resolve(/** @type {any} */ (events));
      }
    });
    for (const type of list) target.addEventListener(type, listener);
    const stop = () => {
      for (const type of list) target.removeEventListener(type, listener);
    };
    t.add_cleanup(stop);
    /**
     * Resolves with the event (or, for a list, the events) once they fire in order.
     *
     * @param {string | string[]} typeOrTypes
     * @returns {Promise<any>}
     */
    this.wait_for = (typeOrTypes) => {
      if (resolveNext !== null) throw new AssertionError("EventWatcher: already waiting");
      const wanted = typeof typeOrTypes === "string" ? [typeOrTypes] : [...typeOrTypes];
      waiting = wanted;
      return new Promise((resolve) => {
        resolveNext = (events) => {
          const all = /** @type {Event[]} */ (/** @type {unknown} */ (events));
          resolve(typeof typeOrTypes === "string" ? all[0] : all);
        };
      });
    };
    /** Stops watching. */
    this.stop_watching = stop;
  }
}
