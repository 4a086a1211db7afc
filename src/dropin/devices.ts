/**
 * Virtual capture devices and `navigator.mediaDevices` (Media Capture and Streams):
 * `getUserMedia()` with constraints and the errors browsers give, `enumerateDevices()`
 * (labels hidden until a permission is granted), `getSupportedConstraints()` and the
 * `devicechange` event. A user agent owns one {@link MediaDevices} (`ua.mediaDevices`)
 * and its devices (`ua.addDevice()`, `ua.removeDevice()`, `ua.setPermission()`).
 *
 * @module
 */
import type { Agent } from "../agent.ts";
import { HarnessError } from "../errors.ts";
import {
  getEventHandler,
  setEventHandler,
  setListenerErrorSink,
  SimEventTarget,
} from "../events/sim_event_target.ts";
import type { MediaTrackCapabilities, MediaTrackConstraints } from "../media/constraint_types.ts";
import type { MediaStream } from "../media/media_stream.ts";
import {
  createTrack,
  type MediaStreamTrack,
  type TrackDevice,
} from "../media/media_stream_track.ts";
import { createAudioSource, createVideoSource, type TrackSource } from "../media/track_source.ts";
import { hash32 } from "../prng.ts";
import {
  type CapabilityValue,
  type DeviceCapabilities,
  NUMERIC_PROPERTIES,
  numericCapability,
  OverconstrainedError,
  selectSettings,
  supportedConstraints,
} from "./constraints.ts";

/** The kinds of capture device recsim simulates. */
export type DeviceKind = "videoinput" | "audioinput";

/** A permission recsim's `getUserMedia` asks for. */
export type DevicePermissionName = "camera" | "microphone";

/** A permission state, as the Permissions API names them. */
export type DevicePermissionState = "granted" | "denied" | "prompt";

/**
 * A virtual device to plug in with `ua.addDevice()`. Capabilities are one value or a
 * `{ min, max }` range; `getUserMedia` chooses settings within them.
 */
export interface VirtualDeviceInit {
  /** "videoinput" (a camera) or "audioinput" (a microphone). */
  kind: DeviceKind;
  /** The label (`MediaDeviceInfo.label`, `track.label`). Default "recsim camera N" / "recsim microphone N". */
  label?: string;
  /** The device id (default: a 64-digit hex id derived from the agent's seed). */
  deviceId?: string;
  /** The group id (default: one of its own). */
  groupId?: string;
  /** Camera: frame widths (default 160–1920). */
  width?: CapabilityValue;
  /** Camera: frame heights (default 120–1080). */
  height?: CapabilityValue;
  /** Camera: frame rates (default 1–60). */
  frameRate?: CapabilityValue;
  /** Camera: the facing mode(s), e.g. "user" or "environment" (default none). */
  facingMode?: string | string[];
  /** Camera: each frame up to this many ms late (seeded; default 0). */
  jitterMs?: number;
  /** Camera: the probability that the source drops a frame (seeded; default 0). */
  dropRate?: number;
  /** Microphone: sample rates (default 8000–48000, preferring 48000). */
  sampleRate?: CapabilityValue;
  /** Microphone: channel counts (default 1–2, preferring 1). */
  channelCount?: CapabilityValue;
  /** Microphone: what it hears (default "tone"). */
  signal?: "tone" | "silence" | "noise";
  /** Microphone: the tone's frequency in Hz (default 440). */
  frequency?: number;
  /** The device is in use by another program: `getUserMedia` rejects with `NotReadableError`. */
  busy?: boolean;
}

/** A plugged-in virtual device, as `ua.devices()` and `ua.addDevice()` report it. */
export interface VirtualDeviceInfo {
  /** The kind. */
  readonly kind: DeviceKind;
  /** The device id. */
  readonly deviceId: string;
  /** The group id. */
  readonly groupId: string;
  /** The label. */
  readonly label: string;
  /** Whether `getUserMedia` fails on it with `NotReadableError`. */
  readonly busy: boolean;
  /** The live tracks taken from it. */
  readonly liveTracks: number;
}

/** Options of the device registry (from `createUserAgent`). */
export interface DeviceRegistryOptions {
  /** Plug in a default camera and microphone (default true). */
  defaultDevices?: boolean;
  /** Virtual ms `getUserMedia` takes to settle (default 0: the next task). */
  getUserMediaLatency?: number;
}

/** What the registry needs from its user agent (internal). */
export interface DeviceHost {
  /** The agent. */
  readonly agent: Agent;
  /** A new source seed (shared with `ua.createVideoTrack()`, so runs stay reproducible). */
  nextSourceSeed(): number;
  /** Registers a track so `ua.close()` stops it. */
  own(track: MediaStreamTrack): MediaStreamTrack;
  /** Makes a stream of the agent's `MediaStream` class. */
  makeStream(tracks: MediaStreamTrack[]): MediaStream;
}

/**
 * A `MediaDeviceInfo`: what `enumerateDevices()` returns for each device.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * ua.setPermission("camera", "granted");
 * const [camera] = (await ua.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
 * assert.equal(camera!.label, "recsim virtual camera");
 * assert.equal(JSON.parse(JSON.stringify(camera)).kind, "videoinput");
 * ```
 */
export class MediaDeviceInfo {
  #deviceId: string;
  #kind: string;
  #label: string;
  #groupId: string;
  /** Not public: objects come from `enumerateDevices()`. */
  constructor(init: { deviceId: string; kind: string; label: string; groupId: string }) {
    this.#deviceId = init.deviceId;
    this.#kind = init.kind;
    this.#label = init.label;
    this.#groupId = init.groupId;
  }
  /** The device id ("" until the kind's permission is granted). */
  get deviceId(): string {
    return this.#deviceId;
  }
  /** "videoinput" or "audioinput". */
  get kind(): MediaDeviceKind {
    return this.#kind as MediaDeviceKind;
  }
  /** The label ("" until the kind's permission is granted). */
  get label(): string {
    return this.#label;
  }
  /** The group id ("" until the kind's permission is granted). */
  get groupId(): string {
    return this.#groupId;
  }
  /** The four attributes as a plain object. */
  toJSON(): { deviceId: string; kind: string; label: string; groupId: string } {
    return {
      deviceId: this.#deviceId,
      kind: this.#kind,
      label: this.#label,
      groupId: this.#groupId,
    };
  }
}

/** lib.dom's `MediaDeviceKind`. */
export type MediaDeviceKind = "audioinput" | "audiooutput" | "videoinput";

/** The `getUserMedia()` argument. */
export interface MediaStreamConstraints {
  /** `true` or the audio track's constraints. */
  audio?: boolean | MediaTrackConstraints;
  /** `true` or the video track's constraints. */
  video?: boolean | MediaTrackConstraints;
  /** Ignored (Chrome only). */
  peerIdentity?: string;
  /** Ignored. */
  preferCurrentTab?: boolean;
}

interface DeviceRecord {
  kind: DeviceKind;
  deviceId: string;
  groupId: string;
  label: string;
  busy: boolean;
  caps: DeviceCapabilities;
  init: VirtualDeviceInit;
  tracks: Set<MediaStreamTrack>;
  plugged: boolean;
}

interface Registry {
  host: DeviceHost;
  devices: DeviceRecord[];
  permissions: Map<DevicePermissionName, DevicePermissionState>;
  latency: number;
  serial: number;
}

const registries = new WeakMap<MediaDevices, Registry>();
let constructing: Registry | null = null;

function permissionOf(kind: DeviceKind): DevicePermissionName {
  return kind === "videoinput" ? "camera" : "microphone";
}

function hexId(seed: number, n: number, salt: number): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += hash32(seed, n, salt, i).toString(16).padStart(8, "0");
  return s;
}

function buildCaps(init: VirtualDeviceInit, deviceId: string, groupId: string): DeviceCapabilities {
  const caps: DeviceCapabilities = {
    numeric: {},
    strings: { deviceId: [deviceId], groupId: [groupId] },
  };
  if (init.kind === "videoinput") {
    caps.numeric.width = numericCapability(
      init.width ?? { min: 160, max: 1920 },
      640,
      true,
      "width",
    );
    caps.numeric.height = numericCapability(
      init.height ?? { min: 120, max: 1080 },
      480,
      true,
      "height",
    );
    caps.numeric.frameRate = numericCapability(
      init.frameRate ?? { min: 1, max: 60 },
      30,
      false,
      "frameRate",
    );
    const facing = init.facingMode === undefined
      ? []
      : typeof init.facingMode === "string"
      ? [init.facingMode]
      : [...init.facingMode];
    caps.strings.facingMode = facing;
  } else {
    caps.numeric.sampleRate = numericCapability(
      init.sampleRate ?? { min: 8000, max: 48000 },
      48000,
      true,
      "sampleRate",
    );
    caps.numeric.channelCount = numericCapability(
      init.channelCount ?? { min: 1, max: 2 },
      1,
      true,
      "channelCount",
    );
  }
  return caps;
}

function validateInit(init: VirtualDeviceInit): void {
  if (init === null || typeof init !== "object") {
    throw new TypeError("addDevice: the argument must be a VirtualDeviceInit object");
  }
  if (init.kind !== "videoinput" && init.kind !== "audioinput") {
    throw new TypeError(
      `addDevice: kind must be "videoinput" or "audioinput", got ${String(init.kind)}`,
    );
  }
  for (const key of ["label", "deviceId", "groupId"] as const) {
    const v = init[key];
    if (v !== undefined && typeof v !== "string") {
      throw new TypeError(`addDevice: ${key} must be a string, got ${String(v)}`);
    }
  }
  if (init.deviceId === "") throw new TypeError("addDevice: deviceId must not be empty");
}

function deviceCapabilities(d: DeviceRecord): MediaTrackCapabilities {
  const out: MediaTrackCapabilities = {};
  for (const p of NUMERIC_PROPERTIES) {
    const c = d.caps.numeric[p];
    if (c) out[p] = { min: c.min, max: c.max };
  }
  if (d.kind === "videoinput") {
    const w = d.caps.numeric.width!, h = d.caps.numeric.height!;
    out.aspectRatio = { min: w.min / h.max, max: w.max / h.min };
    out.facingMode = [...(d.caps.strings.facingMode ?? [])];
    out.resizeMode = ["none"];
  } else {
    out.sampleSize = { min: 32, max: 32 };
  }
  out.deviceId = d.deviceId;
  out.groupId = d.groupId;
  return out;
}

function makeSource(
  d: DeviceRecord,
  settings: Record<string, number | string>,
  origin: number,
  seed: number,
): TrackSource {
  if (d.kind === "videoinput") {
    const frameRate = settings.frameRate as number;
    const period = 1000 / frameRate;
    const jitter = d.init.jitterMs ?? 0;
    return createVideoSource(
      {
        width: settings.width as number,
        height: settings.height as number,
        frameRate,
        // a jitter must stay below the frame period at the chosen rate
        ...(jitter > 0 ? { jitterMs: Math.min(jitter, period * 0.999) } : {}),
        ...(d.init.dropRate !== undefined ? { dropRate: d.init.dropRate } : {}),
      },
      origin,
      seed,
    );
  }
  return createAudioSource(
    {
      sampleRate: settings.sampleRate as number,
      channelCount: settings.channelCount as number,
      ...(d.init.signal !== undefined ? { signal: d.init.signal } : {}),
      ...(d.init.frequency !== undefined ? { frequency: d.init.frequency } : {}),
    },
    origin,
    seed,
  );
}

function extraOf(settings: Record<string, number | string>): Record<string, string> {
  return typeof settings.facingMode === "string" ? { facingMode: settings.facingMode } : {};
}

function trackDevice(reg: Registry, d: DeviceRecord): TrackDevice {
  return {
    deviceId: d.deviceId,
    groupId: d.groupId,
    capabilities: () => deviceCapabilities(d),
    select(constraints, current, keep) {
      if (keep) {
        // Only the current settings are possible: is the request satisfied by them?
        const fixed: DeviceCapabilities = { numeric: {}, strings: { ...d.caps.strings } };
        for (const p of NUMERIC_PROPERTIES) {
          const c = d.caps.numeric[p];
          const v = current.settings[p];
          if (c && typeof v === "number") {
            fixed.numeric[p] = { min: v, max: v, integer: c.integer, preferred: v };
          }
        }
        const k = selectSettings(fixed, constraints ?? {}, "applyConstraints: constraints");
        if (!k.ok) {
          throw new OverconstrainedError(
            k.failed[0] ?? "",
            `recsim cannot change the settings of a track that is being recorded ('${
              k.failed[0]
            }' needs other settings)`,
          );
        }
        return { source: null, extra: extraOf(k.settings) };
      }
      const r = selectSettings(d.caps, constraints ?? {}, "applyConstraints: constraints");
      if (!r.ok) {
        throw new OverconstrainedError(
          r.failed[0] ?? "",
          `the device cannot satisfy the required constraint '${r.failed[0]}'`,
        );
      }
      const same = Object.entries(current.settings).every(([k, v]) =>
        r.settings[k] === undefined || r.settings[k] === v
      );
      const source = same
        ? null
        : makeSource(d, r.settings, reg.host.agent.clock.now(), current.seed);
      return { source, extra: extraOf(r.settings) };
    },
    attach(track) {
      d.tracks.add(track);
      reg.host.own(track);
    },
  };
}

function liveTracks(d: DeviceRecord): number {
  let n = 0;
  for (const t of d.tracks) if (t.readyState === "live") n++;
  return n;
}

function infoOf(d: DeviceRecord): VirtualDeviceInfo {
  return Object.freeze({
    kind: d.kind,
    deviceId: d.deviceId,
    groupId: d.groupId,
    label: d.label,
    busy: d.busy,
    liveTracks: liveTracks(d),
  });
}

function fireDeviceChange(devices: MediaDevices, reg: Registry): void {
  reg.host.agent.queueTask(() => devices.dispatchEvent(new Event("devicechange")));
}

function find(reg: Registry, deviceId: string, what: string): DeviceRecord {
  const d = reg.devices.find((x) => x.deviceId === deviceId);
  if (!d) {
    throw new HarnessError(
      `${what}: no device with id '${deviceId}' (known: ${
        reg.devices.map((x) => x.deviceId).join(", ") || "none"
      })`,
    );
  }
  return d;
}

function domError(name: string, message: string): DOMException {
  return new DOMException(message, name);
}

/**
 * `navigator.mediaDevices` of a simulated user agent (`ua.mediaDevices`). Not
 * constructible: each agent has one.
 *
 * `getUserMedia()` settles on virtual time, after the agent's `getUserMediaLatency`
 * (default 0: in the next task), so drive the clock (`clock.runUntil(promise)`,
 * `clock.advance()`, or `clock.autoAdvance()`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * const stream = await ua.clock.runUntil(
 *   ua.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: true }),
 * );
 * const [video] = stream.getVideoTracks();
 * assert.equal(video!.getSettings().width, 1280);
 * assert.equal(stream.getAudioTracks()[0]!.getSettings().sampleRate, 48000);
 * ```
 */
export class MediaDevices extends SimEventTarget {
  /**
   * Not public: use `ua.mediaDevices`.
   *
   * @throws {TypeError} "Illegal constructor" when called directly.
   */
  constructor() {
    const reg = constructing;
    constructing = null;
    if (!reg) throw new TypeError("Illegal constructor: use ua.mediaDevices");
    super();
    registries.set(this, reg);
    setListenerErrorSink(this, (e) => reg.host.agent.reportListenerError(e));
  }

  /** The `devicechange` event handler. */
  get ondevicechange(): ((ev: Event) => unknown) | null {
    return getEventHandler(this, "devicechange");
  }
  set ondevicechange(value: ((ev: Event) => unknown) | null) {
    setEventHandler(this, "devicechange", value);
  }

  /**
   * The devices, audio inputs first. Until a kind's permission is granted, that kind
   * shows as one entry with empty `deviceId`, `label` and `groupId` (as the spec and
   * browsers do). Resolves without waiting for virtual time.
   */
  enumerateDevices(): Promise<MediaDeviceInfo[]> {
    const reg = registries.get(this)!;
    const out: MediaDeviceInfo[] = [];
    for (const kind of ["audioinput", "videoinput"] as const) {
      const list = reg.devices.filter((d) => d.kind === kind);
      if (list.length === 0) continue;
      if (reg.permissions.get(permissionOf(kind)) !== "granted") {
        out.push(new MediaDeviceInfo({ deviceId: "", kind, label: "", groupId: "" }));
        continue;
      }
      for (const d of list) {
        out.push(
          new MediaDeviceInfo({ deviceId: d.deviceId, kind, label: d.label, groupId: d.groupId }),
        );
      }
    }
    return Promise.resolve(out);
  }

  /** The constraints recsim honours (see `constraints.ts`). */
  getSupportedConstraints(): Record<string, boolean> {
    return supportedConstraints();
  }

  /**
   * Opens virtual devices (Media Capture and Streams `getUserMedia`). Rejects with
   * `TypeError` (neither audio nor video requested, or a malformed constraint),
   * `NotFoundError` (no device of a requested kind), `OverconstrainedError` (no device
   * satisfies the required constraints; `constraint` names one), `NotAllowedError`
   * (the kind's permission is "denied") or `NotReadableError` (the chosen device is
   * busy). Permission "prompt" is answered "granted" by the simulated user.
   */
  getUserMedia(constraints: MediaStreamConstraints = {}): Promise<MediaStream> {
    const reg = registries.get(this)!;
    const agent = reg.host.agent;
    if (constraints === null || typeof constraints !== "object") {
      return Promise.reject(new TypeError("getUserMedia: constraints must be an object"));
    }
    const requests: { kind: DeviceKind; constraints: MediaTrackConstraints }[] = [];
    for (const [key, kind] of [["audio", "audioinput"], ["video", "videoinput"]] as const) {
      const c = constraints[key];
      if (c === undefined || c === false) continue;
      if (c === true) requests.push({ kind, constraints: {} });
      else if (typeof c === "object" && c !== null) requests.push({ kind, constraints: c });
      else {
        return Promise.reject(
          new TypeError(`getUserMedia: constraints.${key} must be a boolean or an object`),
        );
      }
    }
    if (requests.length === 0) {
      return Promise.reject(
        new TypeError("getUserMedia: at least one of audio and video must be requested"),
      );
    }
    // Choose now (malformed constraints reject at once); settle after the latency.
    let outcome: (() => MediaStream) | DOMException | TypeError;
    try {
      outcome = this.#choose(reg, requests);
    } catch (error) {
      if (error instanceof TypeError) return Promise.reject(error);
      throw error;
    }
    return new Promise((resolve, reject) => {
      agent.clock.setTimer(() => {
        if (typeof outcome !== "function") return reject(outcome);
        try {
          resolve(outcome());
        } catch (error) {
          reject(error);
        }
      }, reg.latency);
    });
  }

  /** Not supported by recsim: rejects with `NotSupportedError`. */
  getDisplayMedia(_options?: unknown): Promise<MediaStream> {
    return Promise.reject(
      domError("NotSupportedError", "recsim does not simulate screen capture"),
    );
  }

  #choose(
    reg: Registry,
    requests: { kind: DeviceKind; constraints: MediaTrackConstraints }[],
  ): (() => MediaStream) | DOMException {
    const picks: {
      device: DeviceRecord;
      settings: Record<string, number | string>;
      c: MediaTrackConstraints;
    }[] = [];
    for (const { kind, constraints } of requests) {
      const where = `getUserMedia: constraints.${kind === "videoinput" ? "video" : "audio"}`;
      const candidates = reg.devices.filter((d) => d.kind === kind);
      // Malformed constraints are a TypeError even with no device.
      selectSettings({ numeric: {}, strings: {} }, constraints, where);
      if (candidates.length === 0) {
        return domError("NotFoundError", `no ${kind} device is plugged in`);
      }
      let best: {
        device: DeviceRecord;
        settings: Record<string, number | string>;
        distance: number;
      } | null = null;
      let failedEverywhere: string[] | null = null;
      for (const device of candidates) {
        const r = selectSettings(device.caps, constraints, where);
        if (r.ok) {
          if (!best || r.distance < best.distance) {
            best = { device, settings: r.settings, distance: r.distance };
          }
        } else {
          failedEverywhere = failedEverywhere === null
            ? r.failed
            : failedEverywhere.filter((f) => r.failed.includes(f));
        }
      }
      if (!best) {
        const constraint = failedEverywhere?.[0] ?? "";
        return new OverconstrainedError(
          constraint,
          constraint
            ? `no ${kind} device satisfies the required constraint '${constraint}'`
            : `no ${kind} device satisfies the required constraints`,
        );
      }
      picks.push({ device: best.device, settings: best.settings, c: constraints });
    }
    for (const { kind } of requests) {
      const name = permissionOf(kind);
      if (reg.permissions.get(name) === "denied") {
        return domError("NotAllowedError", `Permission denied (${name})`);
      }
    }
    for (const { device } of picks) {
      if (device.busy) {
        return domError("NotReadableError", `Could not start source: '${device.label}' is in use`);
      }
    }
    return () => {
      const agent = reg.host.agent;
      if (agent.closed) throw new HarnessError("the user agent was closed");
      const tracks: MediaStreamTrack[] = [];
      for (const { device } of picks) {
        // The device may have been unplugged or become busy during the latency.
        if (!device.plugged) {
          throw domError("NotFoundError", `the ${device.kind} '${device.label}' was unplugged`);
        }
        if (device.busy) {
          throw domError("NotReadableError", `Could not start source: '${device.label}' is in use`);
        }
      }
      for (const { device, settings, c } of picks) {
        reg.permissions.set(permissionOf(device.kind), "granted");
        const source = makeSource(device, settings, agent.clock.now(), reg.host.nextSourceSeed());
        tracks.push(
          createTrack(agent, source, device.label, false, {
            device: trackDevice(reg, device),
            constraints: c,
            extra: extraOf(settings),
          }),
        );
      }
      return reg.host.makeStream(tracks);
    };
  }
}

/**
 * The device side of a user agent: creates its {@link MediaDevices} and the controls
 * `ua.addDevice()`, `ua.removeDevice()`, `ua.setDeviceBusy()`, `ua.devices()`,
 * `ua.setPermission()` and `ua.permission()` (internal to `createUserAgent`).
 *
 * @throws {TypeError} for a negative or non-finite latency.
 */
export function createDeviceRegistry(
  host: DeviceHost,
  options: DeviceRegistryOptions = {},
): DeviceControls {
  const latency = options.getUserMediaLatency ?? 0;
  if (typeof latency !== "number" || !Number.isFinite(latency) || latency < 0) {
    throw new TypeError(
      `createUserAgent: options.getUserMediaLatency must be a finite number >= 0, got ${
        String(latency)
      }`,
    );
  }
  const reg: Registry = {
    host,
    devices: [],
    permissions: new Map([["camera", "prompt"], ["microphone", "prompt"]]),
    latency,
    serial: 0,
  };
  constructing = reg;
  let mediaDevices: MediaDevices;
  try {
    mediaDevices = new MediaDevices();
  } finally {
    constructing = null;
  }
  const seed = host.agent.seed;
  const add = (init: VirtualDeviceInit, fire: boolean): VirtualDeviceInfo => {
    validateInit(init);
    const n = ++reg.serial;
    const deviceId = init.deviceId ?? hexId(seed, n, 0x0de1);
    if (reg.devices.some((d) => d.deviceId === deviceId)) {
      throw new HarnessError(`addDevice: a device with id '${deviceId}' is already plugged in`);
    }
    const groupId = init.groupId ?? hexId(seed, n, 0x06f0);
    const count = reg.devices.filter((d) => d.kind === init.kind).length + 1;
    const label = init.label ??
      `recsim ${init.kind === "videoinput" ? "camera" : "microphone"} ${count}`;
    if (init.jitterMs !== undefined || init.dropRate !== undefined) {
      // validated by the source factory
      createVideoSource(
        {
          ...(init.jitterMs !== undefined ? { jitterMs: init.jitterMs } : {}),
          ...(init.dropRate !== undefined ? { dropRate: init.dropRate } : {}),
          frameRate: 1,
        },
        0,
        0,
      );
    }
    if (init.signal !== undefined || init.frequency !== undefined) {
      createAudioSource(
        {
          ...(init.signal !== undefined ? { signal: init.signal } : {}),
          ...(init.frequency !== undefined ? { frequency: init.frequency } : {}),
        },
        0,
        0,
      );
    }
    const d: DeviceRecord = {
      kind: init.kind,
      deviceId,
      groupId,
      label,
      busy: Boolean(init.busy),
      caps: buildCaps(init, deviceId, groupId),
      init: { ...init },
      tracks: new Set(),
      plugged: true,
    };
    reg.devices.push(d);
    if (fire) fireDeviceChange(mediaDevices, reg);
    return infoOf(d);
  };
  if (options.defaultDevices ?? true) {
    add({ kind: "videoinput", label: "recsim virtual camera", facingMode: "user" }, false);
    add({ kind: "audioinput", label: "recsim virtual microphone" }, false);
  }
  return {
    mediaDevices,
    addDevice: (init) => add(init, true),
    removeDevice(deviceId) {
      const d = find(reg, String(deviceId), "removeDevice");
      reg.devices.splice(reg.devices.indexOf(d), 1);
      d.plugged = false;
      for (const t of d.tracks) t.end();
      fireDeviceChange(mediaDevices, reg);
    },
    setDeviceBusy(deviceId, busy) {
      find(reg, String(deviceId), "setDeviceBusy").busy = Boolean(busy);
    },
    devices: () => reg.devices.map(infoOf),
    setPermission(name, state) {
      if (name !== "camera" && name !== "microphone") {
        throw new TypeError(`setPermission: name must be "camera" or "microphone", got ${name}`);
      }
      if (state !== "granted" && state !== "denied" && state !== "prompt") {
        throw new TypeError(
          `setPermission: state must be "granted", "denied" or "prompt", got ${state}`,
        );
      }
      reg.permissions.set(name, state);
    },
    permission: (name) => reg.permissions.get(name) ?? "prompt",
  };
}

/** The device controls a user agent exposes (see {@link createDeviceRegistry}). */
export interface DeviceControls {
  /** The agent's `navigator.mediaDevices`. */
  readonly mediaDevices: MediaDevices;
  /** Plugs in a device (fires `devicechange`). */
  addDevice(init: VirtualDeviceInit): VirtualDeviceInfo;
  /** Unplugs a device: its live tracks end (`ended` events), then `devicechange` fires. */
  removeDevice(deviceId: string): void;
  /** Marks a device busy (`getUserMedia` rejects with `NotReadableError`) or free. */
  setDeviceBusy(deviceId: string, busy: boolean): void;
  /** The plugged-in devices, in order. */
  devices(): VirtualDeviceInfo[];
  /** Sets the camera or microphone permission. */
  setPermission(name: DevicePermissionName, state: DevicePermissionState): void;
  /** The camera or microphone permission. */
  permission(name: DevicePermissionName): DevicePermissionState;
}
