import assert from "node:assert/strict";
import { createUserAgent } from "../user_agent.ts";
import { OverconstrainedError } from "./constraints.ts";
import { GLOBAL_NAMES, installGlobals } from "./install_globals.ts";

type Globals = Record<string, unknown> & {
  navigator?: { mediaDevices?: unknown; userAgent?: string };
};

function snapshot(target: object, nav?: object): unknown[] {
  const names = [...GLOBAL_NAMES, "navigator"];
  const own = names.map((n) => Object.getOwnPropertyDescriptor(target, n));
  const md = nav ? Object.getOwnPropertyDescriptor(nav, "mediaDevices") : undefined;
  return [...own, md];
}

Deno.test("installs the agent's classes and navigator.mediaDevices on globalThis and restores them exactly", async () => {
  const g = globalThis as unknown as Globals;
  const nav = g.navigator as object | undefined;
  const before = snapshot(globalThis, nav);
  const platformErrorEvent = g.ErrorEvent;
  const ua = createUserAgent();
  {
    using handle = installGlobals(ua);
    assert.equal(handle.installed, true);
    assert.equal(g.MediaRecorder, ua.MediaRecorder);
    assert.equal(g.MediaStream, ua.MediaStream);
    assert.equal(g.MediaStreamTrack, ua.MediaStreamTrack);
    assert.equal(g.BlobEvent, ua.BlobEvent);
    assert.equal(g.ErrorEvent, ua.ErrorEvent);
    assert.equal(g.OverconstrainedError, OverconstrainedError);
    assert.equal(g.navigator!.mediaDevices, ua.mediaDevices);
    // the installed globals work as a page's would
    const code = new Function(
      "return navigator.mediaDevices.getUserMedia({ audio: true }).then((s) => new MediaRecorder(s))",
    ) as () => Promise<{ state: string; stream: unknown }>;
    const rec = await ua.clock.runUntil(code());
    assert.equal(rec.state, "inactive");
    assert.ok(rec instanceof (g.MediaRecorder as typeof ua.MediaRecorder));
    assert.equal(Object.getOwnPropertyDescriptor(globalThis, "MediaRecorder")!.enumerable, false);
  }
  assert.deepEqual(snapshot(globalThis, nav), before);
  assert.equal(g.ErrorEvent, platformErrorEvent);
  assert.equal(g.MediaRecorder, undefined);
  assert.equal((g.navigator as { mediaDevices?: unknown } | undefined)?.mediaDevices, undefined);
  ua.close();
});

Deno.test("a second agent over the first is an error; after uninstall() another may install", () => {
  const a = createUserAgent(), b = createUserAgent();
  const target: Globals = {};
  const first = installGlobals(a, target);
  assert.throws(() => installGlobals(b, target), /another user agent is already installed/);
  assert.throws(() => installGlobals(a, target), /already installed/);
  assert.equal(target.MediaRecorder, a.MediaRecorder); // untouched by the failed calls
  first.uninstall();
  first.uninstall(); // idempotent
  assert.equal(first.installed, false);
  const second = installGlobals(b, target);
  assert.equal(target.MediaRecorder, b.MediaRecorder);
  second.uninstall();
  assert.deepEqual(Object.getOwnPropertyNames(target), []);
  // separate targets are independent
  const t1: Globals = {}, t2: Globals = {};
  using _1 = installGlobals(a, t1);
  using _2 = installGlobals(b, t2);
  assert.notEqual(t1.MediaStream, t2.MediaStream);
  a.close();
  b.close();
});

Deno.test("what was there before comes back: values, descriptors, an existing navigator and its mediaDevices", () => {
  const ua = createUserAgent();
  const oldRecorder = function OldRecorder() {};
  const navigator = { userAgent: "test", mediaDevices: "old" };
  const target: Globals = { navigator };
  Object.defineProperty(target, "MediaRecorder", {
    value: oldRecorder,
    writable: false,
    enumerable: true,
    configurable: true,
  });
  const before = snapshot(target, navigator);
  const h = installGlobals(ua, target);
  assert.equal(target.navigator, navigator); // the same navigator object
  assert.equal(navigator.mediaDevices, ua.mediaDevices as unknown);
  assert.equal(target.MediaRecorder, ua.MediaRecorder);
  h.uninstall();
  assert.deepEqual(snapshot(target, navigator), before);
  assert.equal(navigator.mediaDevices, "old");
  ua.close();
});

Deno.test("a frozen navigator is shadowed by one inheriting from it; non-configurable globals are refused", () => {
  const ua = createUserAgent();
  const frozen = Object.freeze({ userAgent: "frozen" });
  const target: Globals = { navigator: frozen };
  const h = installGlobals(ua, target);
  const nav = target.navigator as { userAgent: string; mediaDevices: unknown };
  assert.equal(nav.userAgent, "frozen");
  assert.equal(nav.mediaDevices, ua.mediaDevices);
  h.uninstall();
  assert.equal(target.navigator, frozen);

  const locked: Globals = {};
  Object.defineProperty(locked, "MediaStream", { value: 1, configurable: false });
  assert.throws(() => installGlobals(ua, locked), /non-configurable/);
  assert.equal(locked.MediaRecorder, undefined); // nothing was installed
  assert.throws(() => installGlobals({} as never), TypeError);
  assert.throws(() => installGlobals(ua, null as never), TypeError);
  ua.close();
});
