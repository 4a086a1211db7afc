/**
 * Tests of the testharness shim itself (not WPT): one of each outcome, used by
 * `testharness_test.ts`.
 *
 * @module
 */
import {
  assert_equals,
  assert_implements_optional,
  assert_throws_dom,
  async_test,
  EventWatcher,
  promise_rejects_dom,
  promise_test,
  test,
} from "../testharness.js";

/** What ran, in order. */
export const log = [];

test(() => assert_equals(1, 1), "sync pass");
test(() => assert_equals(1, 2, "one is two"), "sync fail");
test(() =>
  assert_throws_dom("InvalidStateError", () => {
    throw new DOMException("x", "InvalidStateError");
  }), "throws_dom pass");
test(() =>
  assert_throws_dom("InvalidStateError", () => {
    throw new TypeError("x");
  }), "throws_dom wrong type");
async_test((t) => {
  t.step_timeout(t.step_func_done(() => log.push("async done")), 50);
}, "async pass");
async_test(() => {}, "async timeout");
async_test((t) => t.step_timeout(t.unreached_func("reached"), 10), "unreached");
promise_test(async (t) => {
  log.push("p1 start");
  t.add_cleanup(() => log.push("p1 cleanup"));
  await t.step_wait(100);
  log.push("p1 end");
}, "promise pass");
promise_test(() => {
  log.push("p2 start");
  return Promise.reject(new Error("boom"));
}, "promise reject");
promise_test(
  (t) => promise_rejects_dom(t, "AbortError", Promise.reject(new DOMException("", "AbortError"))),
  "rejects_dom pass",
);
promise_test(() => new Promise(() => {}), "promise timeout");
promise_test(
  () => Promise.resolve().then(() => assert_implements_optional(false, "nope")),
  "optional",
);
promise_test(async (t) => {
  const target = new EventTarget();
  const watcher = new EventWatcher(t, target, ["a", "b"]);
  const done = watcher.wait_for(["a", "b"]);
  target.dispatchEvent(new Event("a"));
  target.dispatchEvent(new Event("b"));
  const events = await done;
  assert_equals(events.length, 2);
}, "event watcher");
async_test((t) => t.done());
