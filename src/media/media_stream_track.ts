/**
 * `MediaStreamTrack` for virtual camera and microphone tracks, with simulation
 * controls: `end()` (the source ends: `readyState` becomes "ended" and an `ended` event
 * fires, unlike `stop()`, which fires none) and `setMuted()` (the source mutes or
 * unmutes: `mute`/`unmute` events). Disabled or muted tracks produce black frames or
 * silence.
 *
 * @module
 */
import type { Agent } from "../agent.ts";
import { trusted } from "../events/trusted.ts";
import {
  getEventHandler,
  setEventHandler,
  setListenerErrorSink,
  SimEventTarget,
} from "../events/sim_event_target.ts";
import type { TrackSource } from "./track_source.ts";
import type {
  MediaTrackCapabilities,
  MediaTrackConstraints,
  MediaTrackSettings,
} from "./constraint_types.ts";

/**
 * The type of a track's event handler attributes (`onended`, `onmute`, `onunmute`).
 * It declares no `this` type (lib.dom's handlers take lib.dom's own track as `this`,
 * which a recsim handler type cannot accept), so a recsim track is assignable to
 * lib.dom's `MediaStreamTrack`.
 */
export type TrackEventHandler = ((ev: Event) => unknown) | null;

/** Notified by a track before its state changes and when it ends (recordings listen). */
export interface TrackObserver {
  /** Called before `enabled`, `muted` or `readyState` change, at the current time. */
  trackWillChange(track: MediaStreamTrack): void;
  /** Called after the track ended (`end()` or `stop()`). */
  trackEnded(track: MediaStreamTrack): void;
  /** Called after the track became isolated (not origin-clean). */
  trackIsolated(track: MediaStreamTrack): void;
}

/**
 * The device a track was taken from (`getUserMedia`): its ids, capabilities and how to
 * make a source for new constraints (`applyConstraints`).
 */
export interface TrackDevice {
  /** The device's id (`getSettings().deviceId`). */
  readonly deviceId: string;
  /** The device's group id. */
  readonly groupId: string;
  /** The device's capabilities (`getCapabilities()`). */
  capabilities(): MediaTrackCapabilities;
  /**
   * Chooses settings for `constraints` (SelectSettings on this device) and returns the
   * extra settings to report (e.g. `facingMode`) with a source producing them, or
   * `null` when the current source already has them. With `keepCurrent` (the track is
   * being recorded) only the current settings may be chosen.
   *
   * @throws {DOMException} an OverconstrainedError when no settings satisfy them.
   */
  select(
    constraints: MediaTrackConstraints,
    current: TrackSource,
    keepCurrent: boolean,
  ): { source: TrackSource | null; extra: Record<string, string> };
  /** Called for every track created on this device (the original and its clones). */
  attach(track: MediaStreamTrack): void;
}

/** recsim's internal state of a track. */
export interface TrackInternals {
  /** The owning agent. */
  readonly agent: Agent;
  /** The source (shared by clones; replaced when applyConstraints changes the settings). */
  source: TrackSource;
  /** The device the track came from (getUserMedia), if any. */
  readonly device: TrackDevice | undefined;
  /** A short name for traces (`video#1`). */
  readonly name: string;
  /** Virtual time the track ended, `Infinity` while live. */
  endedAt: number;
  /** Whether the track's content is not origin-clean. */
  isolated: boolean;
  /** Observers (recordings). */
  readonly observers: Set<TrackObserver>;
  /** Called after the track ended, before the observers (the streams that hold it). */
  readonly endedListeners: Set<() => void>;
}

const internals = new WeakMap<MediaStreamTrack, TrackInternals>();
interface TrackInit {
  agent: Agent;
  source: TrackSource;
  label: string;
  isolated: boolean;
  device?: TrackDevice | undefined;
  constraints?: MediaTrackConstraints | undefined;
  extra?: Record<string, string> | undefined;
}
let pendingInit: TrackInit | null = null;

/**
 * recsim's internal state of `track`.
 *
 * @throws {TypeError} if `track` is not a recsim track.
 */
export function trackInternals(track: MediaStreamTrack): TrackInternals {
  const i = internals.get(track);
  if (!i) throw new TypeError("not a recsim MediaStreamTrack");
  return i;
}

/** Whether `value` is a recsim track. */
export function isTrack(value: unknown): value is MediaStreamTrack {
  return typeof value === "object" && value !== null && internals.has(value as MediaStreamTrack);
}

/**
 * A virtual media track. Create tracks with `ua.createVideoTrack()` and
 * `ua.createAudioTrack()`; the constructor is not public (as in browsers).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * const track = ua.createVideoTrack({ width: 640, height: 480 });
 * assert.ok(track.kind === "video" && track.readyState === "live");
 * assert.ok(track.getSettings().width === 640);
 * track.end(); // the camera went away: readyState "ended", an ended event follows
 * await ua.clock.settle();
 * assert.equal(track.readyState as string, "ended");
 * ```
 */
export class MediaStreamTrack extends SimEventTarget {
  #agent: Agent;
  #source: TrackSource;
  #id: string;
  #label: string;
  #enabled = true;
  #muted = false;
  #readyState: "live" | "ended" = "live";
  #contentHint = "";
  #constraints: MediaTrackConstraints = {};
  #device: TrackDevice | undefined;
  #extra: Record<string, string> = {};

  /**
   * Not public: tracks come from `ua.createVideoTrack()` / `ua.createAudioTrack()`.
   *
   * @throws {TypeError} "Illegal constructor" when called directly.
   */
  constructor() {
    const init = pendingInit;
    pendingInit = null;
    if (!init) {
      throw new TypeError(
        "Illegal constructor: use ua.createVideoTrack() or ua.createAudioTrack()",
      );
    }
    super();
    const { agent, source, label, isolated, device } = init;
    this.#agent = agent;
    this.#source = source;
    this.#id = formatUuid(agent.ids.hexId(16));
    this.#label = label;
    this.#device = device;
    this.#constraints = { ...init.constraints };
    this.#extra = { ...init.extra };
    internals.set(this, {
      agent,
      source,
      device,
      name: agent.name(source.kind),
      endedAt: Infinity,
      isolated,
      observers: new Set(),
      endedListeners: new Set(),
    });
    setListenerErrorSink(this, (e) => agent.reportListenerError(e));
    agent.trace.add({
      kind: "track",
      t: agent.clock.now(),
      target: internals.get(this)!.name,
      what: "created",
      seed: source.seed,
      settings: { ...source.settings },
    });
    device?.attach(this);
  }

  /** "video" or "audio". */
  get kind(): string {
    return this.#source.kind;
  }
  /** A unique id (UUID form, from the agent's seeded generator). */
  get id(): string {
    return this.#id;
  }
  /** The device label. */
  get label(): string {
    return this.#label;
  }
  /** When false, the track records black frames or silence. */
  get enabled(): boolean {
    return this.#enabled;
  }
  set enabled(value: boolean) {
    const v = Boolean(value);
    if (v === this.#enabled) return;
    this.#willChange();
    this.#enabled = v;
    this.#log(v ? "enabled" : "disabled");
  }
  /** Whether the source is muted (set by {@link MediaStreamTrack.setMuted}). */
  get muted(): boolean {
    return this.#muted;
  }
  /** "live" or "ended". */
  get readyState(): "live" | "ended" {
    return this.#readyState;
  }
  /** A content hint (stored, not used by the encoders). */
  get contentHint(): string {
    return this.#contentHint;
  }
  set contentHint(value: string) {
    this.#contentHint = String(value);
  }

  /** The `ended` event handler. */
  get onended(): TrackEventHandler {
    return getEventHandler(this, "ended");
  }
  set onended(value: TrackEventHandler) {
    setEventHandler(this, "ended", value);
  }
  /** The `mute` event handler. */
  get onmute(): TrackEventHandler {
    return getEventHandler(this, "mute");
  }
  set onmute(value: TrackEventHandler) {
    setEventHandler(this, "mute", value);
  }
  /** The `unmute` event handler. */
  get onunmute(): TrackEventHandler {
    return getEventHandler(this, "unmute");
  }
  set onunmute(value: TrackEventHandler) {
    setEventHandler(this, "unmute", value);
  }

  /** The current settings (width/height/frameRate or sampleRate/channelCount, …). */
  getSettings(): MediaTrackSettings {
    const device = this.#device;
    return {
      ...this.#source.settings,
      ...this.#extra,
      deviceId: device ? device.deviceId : `${this.#source.kind}-${this.#source.seed}`,
      groupId: device ? device.groupId : "recsim",
    };
  }

  /**
   * The source's capabilities: for a track from `getUserMedia`, its device's ranges;
   * for a track made with `ua.createVideoTrack()`/`createAudioTrack()`, exactly its
   * current settings (such a source has one mode).
   */
  getCapabilities(): MediaTrackCapabilities {
    if (this.#device) return this.#device.capabilities();
    const s = this.#source.settings;
    if (this.#source.kind === "video") {
      return {
        width: { min: s.width as number, max: s.width as number },
        height: { min: s.height as number, max: s.height as number },
        frameRate: { min: s.frameRate as number, max: s.frameRate as number },
        deviceId: `video-${this.#source.seed}`,
        groupId: "recsim",
      };
    }
    return {
      sampleRate: { min: s.sampleRate as number, max: s.sampleRate as number },
      channelCount: { min: s.channelCount as number, max: s.channelCount as number },
      deviceId: `audio-${this.#source.seed}`,
      groupId: "recsim",
    };
  }

  /** The constraints last applied (those given to `getUserMedia` for a device track). */
  getConstraints(): MediaTrackConstraints {
    return { ...this.#constraints };
  }

  /**
   * Applies constraints. On a track from `getUserMedia` this runs SelectSettings over
   * the device's capabilities: the settings change (frames are produced at the new
   * size and rate from now on) or the promise rejects with an `OverconstrainedError`
   * and nothing changes. recsim cannot change the settings of a track that is being
   * recorded: that also rejects with an `OverconstrainedError` (constraints the current
   * settings already satisfy are accepted). On other tracks the constraints are only
   * stored (such a source has one mode). Resolves without waiting for virtual time.
   */
  applyConstraints(constraints: MediaTrackConstraints = {}): Promise<void> {
    const device = this.#device;
    if (!device || this.#readyState === "ended") {
      this.#constraints = { ...constraints };
      return Promise.resolve();
    }
    try {
      const mine = trackInternals(this);
      const { source, extra } = device.select(constraints, this.#source, mine.observers.size > 0);
      if (source) {
        // The new source keeps the seed (the trace's "created" entry stays valid).
        this.#source = source;
        mine.source = source;
      }
      this.#extra = { ...extra };
      this.#constraints = { ...constraints };
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Stops the track: readyState "ended", **no** `ended` event (as in browsers). */
  stop(): void {
    if (this.#readyState === "ended") return;
    this.#finish("stopped");
  }

  /**
   * Simulates the source ending (camera unplugged, screen share stopped):
   * readyState "ended", then an `ended` event in a task.
   */
  end(): void {
    if (this.#readyState === "ended") return;
    this.#finish("ended");
    this.#agent.queueTask(() => this.dispatchEvent(trusted(new Event("ended"))));
  }

  /** Simulates the source muting (`true`) or unmuting: black frames/silence and a `mute`/`unmute` event. */
  setMuted(muted: boolean): void {
    const v = Boolean(muted);
    if (v === this.#muted || this.#readyState === "ended") return;
    this.#willChange();
    this.#muted = v;
    this.#log(v ? "muted" : "unmuted");
    this.#agent.queueTask(() => this.dispatchEvent(trusted(new Event(v ? "mute" : "unmute"))));
  }

  /** A new track on the same source, with this track's enabled/muted/readyState. */
  clone(): MediaStreamTrack {
    const mine = trackInternals(this);
    const copy = createTrack(this.#agent, this.#source, this.#label, mine.isolated, {
      device: this.#device,
      constraints: this.#constraints,
      extra: this.#extra,
    });
    copy.#enabled = this.#enabled;
    copy.#muted = this.#muted;
    if (this.#readyState === "ended") {
      copy.#readyState = "ended";
      trackInternals(copy).endedAt = mine.endedAt;
    }
    return copy;
  }

  #willChange(): void {
    for (const o of [...trackInternals(this).observers]) o.trackWillChange(this);
  }

  #finish(what: "ended" | "stopped"): void {
    this.#willChange();
    this.#readyState = "ended";
    const mine = trackInternals(this);
    mine.endedAt = this.#agent.clock.now();
    this.#log(what);
    // The streams first: Chrome's `inactive` precedes the recorder's reaction to the same
    // ending (lab tracks/stream-inactive-on-stop).
    for (const listener of [...mine.endedListeners]) listener();
    for (const o of [...mine.observers]) o.trackEnded(this);
  }

  #log(what: "ended" | "stopped" | "muted" | "unmuted" | "enabled" | "disabled"): void {
    this.#agent.trace.add({
      kind: "track",
      t: this.#agent.clock.now(),
      target: trackInternals(this).name,
      what,
    });
  }
}

/** Creates a track (internal to recsim's user agent). */
export function createTrack(
  agent: Agent,
  source: TrackSource,
  label: string,
  isolated: boolean,
  from: {
    /** The device the track is taken from. */
    device?: TrackDevice | undefined;
    /** The constraints it was created with (`getConstraints()`). */
    constraints?: MediaTrackConstraints | undefined;
    /** Extra string settings, e.g. `facingMode`. */
    extra?: Record<string, string> | undefined;
  } = {},
): MediaStreamTrack {
  pendingInit = { agent, source, label, isolated, ...from };
  try {
    return new MediaStreamTrack();
  } finally {
    pendingInit = null;
  }
}

/**
 * Marks a track as isolated (not origin-clean) or not, notifying recordings.
 *
 * @example
 * ```ts
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * const t = ua.createAudioTrack();
 * ua.setIsolated(t, true);
 * ```
 */
export function setTrackIsolated(track: MediaStreamTrack, isolated: boolean): void {
  const mine = trackInternals(track);
  const v = Boolean(isolated);
  if (mine.isolated === v) return;
  mine.isolated = v;
  mine.agent.trace.add({
    kind: "track",
    t: mine.agent.clock.now(),
    target: mine.name,
    what: v ? "isolated" : "unisolated",
  });
  if (v) { for (const o of [...mine.observers]) o.trackIsolated(track); }
}

function formatUuid(hex: string): string {
  const h = hex.split("");
  h[12] = "4";
  h[16] = ((parseInt(h[16]!, 16) & 3) | 8).toString(16);
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${
    s.slice(20, 32)
  }`;
}
