/**
 * `installGlobals(ua)`: puts a simulated user agent's classes and
 * `navigator.mediaDevices` on `globalThis` (or another object), so recording code
 * written for browsers runs unmodified on recsim; the returned handle restores exactly
 * what was there before. Nothing is installed on import.
 *
 * @module
 */
import type { Clock } from "../clock/clock.ts";
import { HarnessError } from "../errors.ts";
import { MediaStreamTrackEvent } from "../events/media_stream_track_event.ts";
import type { UserAgent } from "../user_agent.ts";
import { OverconstrainedError } from "./constraints.ts";
import { MediaDeviceInfo, MediaDevices } from "./devices.ts";

/** The handle {@link installGlobals} returns. */
export interface InstalledGlobals extends Disposable {
  /** The agent whose globals are installed. */
  readonly ua: UserAgent<Clock>;
  /** The object the globals were put on. */
  readonly target: object;
  /** The names defined on `target` (and `navigator.mediaDevices`). */
  readonly names: readonly string[];
  /** Whether the globals are still installed. */
  readonly installed: boolean;
  /** Restores every property exactly as it was before (idempotent). */
  uninstall(): void;
}

/** The global names {@link installGlobals} defines on the target. */
export const GLOBAL_NAMES: readonly string[] = Object.freeze([
  "MediaRecorder",
  "MediaStream",
  "MediaStreamTrack",
  "BlobEvent",
  "ErrorEvent",
  "MediaRecorderErrorEvent",
  "MediaStreamTrackEvent",
  "OverconstrainedError",
  "MediaDevices",
  "MediaDeviceInfo",
]);

const installedOn = new WeakMap<object, InstalledGlobals>();

type Saved = { object: object; key: string; descriptor: PropertyDescriptor | undefined };

function save(object: object, key: string): Saved {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (descriptor && !descriptor.configurable) {
    throw new HarnessError(
      `installGlobals: '${key}' is a non-configurable property of the target and cannot be replaced`,
    );
  }
  return { object, key, descriptor };
}

function restore({ object, key, descriptor }: Saved): void {
  if (descriptor) Object.defineProperty(object, key, descriptor);
  else delete (object as Record<string, unknown>)[key];
}

function define(object: object, key: string, value: unknown, enumerable = false): void {
  Object.defineProperty(object, key, { value, writable: true, configurable: true, enumerable });
}

/**
 * Installs `ua`'s `MediaRecorder`, `MediaStream`, `MediaStreamTrack`, `BlobEvent`,
 * `ErrorEvent`, `MediaRecorderErrorEvent` (where the profile's engine ships it), `MediaStreamTrackEvent`, `OverconstrainedError`, `MediaDevices`,
 * `MediaDeviceInfo` and `navigator.mediaDevices` on `target` (default `globalThis`).
 * Where `target` has no `navigator` (Node 20), one is created; otherwise only its
 * `mediaDevices` is defined. `uninstall()` (or `using`) puts every property back
 * exactly as it was, including ones that were absent.
 *
 * @throws {HarnessError} if an agent (this one or another) is already installed on
 * `target`: uninstall it first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * import { installGlobals } from "./install_globals.ts";
 * const ua = createUserAgent();
 * const target: Record<string, unknown> = {};
 * {
 *   using _globals = installGlobals(ua, target);
 *   assert.ok(target.MediaRecorder === ua.MediaRecorder);
 *   assert.ok((target.navigator as { mediaDevices: unknown }).mediaDevices === ua.mediaDevices);
 * }
 * assert.deepEqual(Object.keys(target), []); // restored
 * ```
 */
export function installGlobals(
  ua: UserAgent<Clock>,
  target: object = globalThis,
): InstalledGlobals {
  if (ua === null || typeof ua !== "object" || !(ua.mediaDevices instanceof MediaDevices)) {
    throw new TypeError("installGlobals: argument 1 must be a recsim user agent");
  }
  if (target === null || (typeof target !== "object" && typeof target !== "function")) {
    throw new TypeError("installGlobals: the target must be an object");
  }
  const current = installedOn.get(target);
  if (current?.installed) {
    throw new HarnessError(
      current.ua === ua
        ? "installGlobals: this user agent is already installed on the target"
        : "installGlobals: another user agent is already installed on the target; call uninstall() on its handle first",
    );
  }
  const values: Record<string, unknown> = {
    MediaRecorder: ua.MediaRecorder,
    MediaStream: ua.MediaStream,
    MediaStreamTrack: ua.MediaStreamTrack,
    BlobEvent: ua.BlobEvent,
    ErrorEvent: ua.ErrorEvent,
    MediaRecorderErrorEvent: ua.MediaRecorderErrorEvent,
    MediaStreamTrackEvent,
    OverconstrainedError,
    MediaDevices,
    MediaDeviceInfo,
  };
  // Save everything first, so a failure changes nothing.
  const saved = GLOBAL_NAMES.map((name) => save(target, name));
  const nav = (target as { navigator?: unknown }).navigator;
  let navSaved: Saved;
  let onNavigator = false;
  if (nav !== null && typeof nav === "object" && Object.isExtensible(nav)) {
    const own = Object.getOwnPropertyDescriptor(nav, "mediaDevices");
    if (!own || own.configurable) {
      navSaved = save(nav, "mediaDevices");
      onNavigator = true;
    } else navSaved = save(target, "navigator");
  } else {
    navSaved = save(target, "navigator");
  }
  for (const name of GLOBAL_NAMES) {
    // A class the profile's engine does not ship (MediaRecorderErrorEvent under spec and
    // chrome) is left as it was.
    if (values[name] !== undefined) define(target, name, values[name]);
  }
  if (onNavigator) {
    Object.defineProperty(nav as object, "mediaDevices", {
      get: () => ua.mediaDevices,
      configurable: true,
      enumerable: true,
    });
  } else {
    // No navigator (Node 20) or one that cannot take a property: a navigator that
    // inherits from the old one (if any) and has mediaDevices.
    const replacement = Object.create(
      nav !== null && typeof nav === "object" ? nav : Object.prototype,
    );
    Object.defineProperty(replacement, "mediaDevices", {
      get: () => ua.mediaDevices,
      configurable: true,
      enumerable: true,
    });
    define(target, "navigator", replacement, true);
  }
  let installed = true;
  const handle: InstalledGlobals = {
    ua,
    target,
    names: Object.freeze([...GLOBAL_NAMES, "navigator.mediaDevices"]),
    get installed() {
      return installed;
    },
    uninstall(): void {
      if (!installed) return;
      installed = false;
      restore(navSaved);
      for (const s of saved) restore(s);
      if (installedOn.get(target) === handle) installedOn.delete(target);
    },
    [Symbol.dispose](): void {
      handle.uninstall();
    },
  };
  installedOn.set(target, handle);
  return handle;
}
