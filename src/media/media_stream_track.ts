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

/** Notified by a track before its state changes and when it ends (recordings listen). */
export interface TrackObserver {
  /** Called before `enabled`, `muted` or `readyState` change, at the current time. */
  trackWillChange(track: MediaStreamTrack): void;
  /** Called after the track ended (`end()` or `stop()`). */
  trackEnded(track: MediaStreamTrack): void;
  /** Called after the track became isolated (not origin-clean). */
  trackIsolated(track: MediaStreamTrack): void;
}

/** recsim's internal state of a track. */
export interface TrackInternals {
  /** The owning agent. */
  readonly agent: Agent;
  /** The source (shared by clones). */
  readonly source: TrackSource;
  /** A short name for traces (`video#1`). */
  readonly name: string;
  /** Virtual time the track ended, `Infinity` while live. */
  endedAt: number;
  /** Whether the track's content is not origin-clean. */
  isolated: boolean;
  /** Observers (recordings). */
  readonly observers: Set<TrackObserver>;
}

const internals = new WeakMap<MediaStreamTrack, TrackInternals>();
let pendingInit: { agent: Agent; source: TrackSource; label: string; isolated: boolean } | null =
  null;

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
    const { agent, source, label, isolated } = init;
    this.#agent = agent;
    this.#source = source;
    this.#id = formatUuid(agent.ids.hexId(16));
    this.#label = label;
    internals.set(this, {
      agent,
      source,
      name: agent.name(source.kind),
      endedAt: Infinity,
      isolated,
      observers: new Set(),
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
  get onended(): ((this: MediaStreamTrack, ev: Event) => unknown) | null {
    return getEventHandler(this, "ended");
  }
  set onended(value: ((this: MediaStreamTrack, ev: Event) => unknown) | null) {
    setEventHandler(this, "ended", value);
  }
  /** The `mute` event handler. */
  get onmute(): ((this: MediaStreamTrack, ev: Event) => unknown) | null {
    return getEventHandler(this, "mute");
  }
  set onmute(value: ((this: MediaStreamTrack, ev: Event) => unknown) | null) {
    setEventHandler(this, "mute", value);
  }
  /** The `unmute` event handler. */
  get onunmute(): ((this: MediaStreamTrack, ev: Event) => unknown) | null {
    return getEventHandler(this, "unmute");
  }
  set onunmute(value: ((this: MediaStreamTrack, ev: Event) => unknown) | null) {
    setEventHandler(this, "unmute", value);
  }

  /** The current settings (width/height/frameRate or sampleRate/channelCount, …). */
  getSettings(): MediaTrackSettings {
    return {
      ...this.#source.settings,
      deviceId: `${this.#source.kind}-${this.#source.seed}`,
      groupId: "recsim",
    };
  }

  /** The source's capabilities (exactly its current settings: a virtual source has one mode). */
  getCapabilities(): MediaTrackCapabilities {
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

  /** The constraints last applied. */
  getConstraints(): MediaTrackConstraints {
    return { ...this.#constraints };
  }

  /** Stores the constraints (the virtual source keeps its one mode). */
  applyConstraints(constraints: MediaTrackConstraints = {}): Promise<void> {
    this.#constraints = { ...constraints };
    return Promise.resolve();
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
    this.#agent.queueTask(() => this.dispatchEvent(new Event("ended")));
  }

  /** Simulates the source muting (`true`) or unmuting: black frames/silence and a `mute`/`unmute` event. */
  setMuted(muted: boolean): void {
    const v = Boolean(muted);
    if (v === this.#muted || this.#readyState === "ended") return;
    this.#willChange();
    this.#muted = v;
    this.#log(v ? "muted" : "unmuted");
    this.#agent.queueTask(() => this.dispatchEvent(new Event(v ? "mute" : "unmute")));
  }

  /** A new track on the same source, with this track's enabled/muted/readyState. */
  clone(): MediaStreamTrack {
    const mine = trackInternals(this);
    const copy = createTrack(this.#agent, this.#source, this.#label, mine.isolated);
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
): MediaStreamTrack {
  pendingInit = { agent, source, label, isolated };
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
