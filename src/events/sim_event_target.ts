/**
 * The event target recsim's objects extend: the platform `EventTarget` (so dispatch,
 * `target`, `once`, `signal` and ordering are the platform's), plus
 *
 * - event handler attributes (`onstart`, …) that keep their place among listeners the
 *   way HTML defines (registered when first set to a non-null value);
 * - listeners that throw do not crash the process: the exception is handed to the
 *   owning user agent, which records it and rethrows it from `clock.advance()`.
 *
 * @module
 */

type Listener = EventListenerOrEventListenerObject;
type Sink = (error: unknown) => void;

const sinks = new WeakMap<EventTarget, Sink>();
/** Per target, per listener, per (type, capture): the wrapper registered with the platform. */
const wrappers = new WeakMap<EventTarget, WeakMap<object, Map<string, EventListener>>>();
/** Every wrapper, so that the platform's own removal (an aborted `signal`) passes through. */
const allWrappers = new WeakSet<object>();
const handlers = new WeakMap<
  EventTarget,
  Map<string, { value: unknown; listener: EventListener | null }>
>();

/**
 * Sets where exceptions thrown by `target`'s listeners go (internal to recsim).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SimEventTarget, setListenerErrorSink } from "./sim_event_target.ts";
 * const target = new SimEventTarget();
 * const errors: unknown[] = [];
 * setListenerErrorSink(target, (e) => errors.push(e));
 * target.addEventListener("x", () => { throw new Error("boom"); });
 * target.dispatchEvent(new Event("x"));
 * assert.ok(errors.length === 1);
 * ```
 */
export function setListenerErrorSink(target: EventTarget, sink: Sink): void {
  sinks.set(target, sink);
}

function report(target: EventTarget, error: unknown): void {
  const sink = sinks.get(target);
  if (sink) sink(error);
  else {queueMicrotask(() => {
      throw error;
    });}
}

/**
 * An `EventTarget` whose listener exceptions go to its user agent (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SimEventTarget } from "./sim_event_target.ts";
 * const t = new SimEventTarget();
 * let n = 0;
 * const l = () => n++;
 * t.addEventListener("ping", l);
 * t.dispatchEvent(new Event("ping"));
 * t.removeEventListener("ping", l);
 * t.dispatchEvent(new Event("ping"));
 * assert.ok(n === 1);
 * ```
 */
export class SimEventTarget extends EventTarget {
  /** Adds a listener; see `EventTarget.addEventListener`. */
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    if (listener === null || listener === undefined) return;
    super.addEventListener(type, wrap(this, type, listener, options), options);
  }

  /** Removes a listener; see `EventTarget.removeEventListener`. */
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: EventListenerOptions | boolean,
  ): void {
    if (listener === null || listener === undefined) return;
    if (allWrappers.has(listener)) return super.removeEventListener(type, listener, options);
    const key = `${type}\u0000${capture(options)}`;
    const wrapped = wrappers.get(this)?.get(listener)?.get(key);
    if (wrapped) super.removeEventListener(type, wrapped, options);
  }
}

function capture(options: EventListenerOptions | boolean | undefined): boolean {
  return typeof options === "boolean" ? options : Boolean(options?.capture);
}

function wrap(
  target: EventTarget,
  type: string,
  listener: Listener,
  options: EventListenerOptions | boolean | undefined,
): EventListener {
  const key = `${type}\u0000${capture(options)}`;
  let byListener = wrappers.get(target);
  if (!byListener) wrappers.set(target, byListener = new WeakMap());
  let byKey = byListener.get(listener);
  if (!byKey) byListener.set(listener, byKey = new Map());
  let wrapped = byKey.get(key);
  if (!wrapped) {
    wrapped = function (this: EventTarget, event: Event) {
      try {
        if (typeof listener === "function") listener.call(target, event);
        else listener.handleEvent(event);
      } catch (error) {
        report(target, error);
      }
    };
    byKey.set(key, wrapped);
    allWrappers.add(wrapped);
  }
  return wrapped;
}

/**
 * Reads an event handler attribute (`target.onstart`), `null` when unset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SimEventTarget, getEventHandler, setEventHandler } from "./sim_event_target.ts";
 * const t = new SimEventTarget();
 * const f = () => {};
 * setEventHandler(t, "start", f);
 * assert.ok(getEventHandler(t, "start") === f);
 * ```
 */
export function getEventHandler<T>(target: EventTarget, type: string): T | null {
  return (handlers.get(target)?.get(type)?.value as T | undefined) ?? null;
}

/**
 * Writes an event handler attribute. A non-callable value counts as `null` (WebIDL
 * `EventHandler` is a nullable callback); the handler's listener is added when the
 * attribute is first set and keeps that place until it is set to `null`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SimEventTarget, setEventHandler } from "./sim_event_target.ts";
 * const t = new SimEventTarget();
 * const order: string[] = [];
 * setEventHandler(t, "x", () => order.push("handler"));
 * t.addEventListener("x", () => order.push("listener"));
 * setEventHandler(t, "x", () => order.push("handler 2")); // keeps its first place
 * t.dispatchEvent(new Event("x"));
 * assert.ok(order.join() === "handler 2,listener");
 * ```
 */
export function setEventHandler(target: EventTarget, type: string, value: unknown): void {
  let map = handlers.get(target);
  if (!map) handlers.set(target, map = new Map());
  const callable = typeof value === "function" ? value : null;
  let slot = map.get(type);
  if (!slot) map.set(type, slot = { value: null, listener: null });
  slot.value = callable;
  if (callable === null) {
    if (slot.listener) EventTarget.prototype.removeEventListener.call(target, type, slot.listener);
    slot.listener = null;
    return;
  }
  if (!slot.listener) {
    const s = slot;
    slot.listener = (event: Event) => {
      const fn = s.value as ((this: EventTarget, e: Event) => unknown) | null;
      if (!fn) return;
      try {
        fn.call(target, event);
      } catch (error) {
        report(target, error);
      }
    };
    EventTarget.prototype.addEventListener.call(target, type, slot.listener);
  }
}
