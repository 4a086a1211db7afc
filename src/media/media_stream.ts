/**
 * `MediaStream` (Media Capture and Streams) over recsim's virtual tracks. Script calls
 * to `addTrack`/`removeTrack` fire no events, as in browsers; the user agent's own
 * changes (`ua.addTrackToStream`, `ua.removeTrackFromStream`) fire `addtrack` /
 * `removetrack`. Recordings watch the track set (spec start() step 15.5).
 *
 * @module
 */
import { type Agent, agentOf } from "../agent.ts";
import { trusted } from "../events/trusted.ts";
import { HarnessError } from "../errors.ts";
import { MediaStreamTrackEvent } from "../events/media_stream_track_event.ts";
import {
  getEventHandler,
  setEventHandler,
  setListenerErrorSink,
  SimEventTarget,
} from "../events/sim_event_target.ts";
import { isTrack, type MediaStreamTrack, trackInternals } from "./media_stream_track.ts";

/**
 * The type of `onaddtrack`/`onremovetrack`: no `this` type and a method-typed (so
 * bivariantly compared) event parameter, which makes a recsim stream assignable to
 * lib.dom's `MediaStream`.
 */
export type StreamEventHandler = ((ev: TrackEventLike) => unknown) | null;

/** What `addtrack`/`removetrack` handlers receive (recsim's `MediaStreamTrackEvent` or lib.dom's). */
export interface TrackEventLike extends Event {
  /** The track added or removed (a recsim `MediaStreamTrack` for recsim's events). */
  readonly track: { readonly id: string; readonly kind: string; readonly label: string };
}

/** Notified when a stream's track set changes (recordings listen). */
export interface StreamObserver {
  /** A track was added to (`added`) or removed from the stream's track set. */
  trackSetChanged(stream: MediaStream, track: MediaStreamTrack, added: boolean): void;
}

/** recsim's internal state of a stream. */
export interface StreamInternals {
  /** The owning agent. */
  readonly agent: Agent;
  /** A short name for traces (`stream#1`). */
  readonly name: string;
  /** The track set, in insertion order. */
  readonly tracks: Set<MediaStreamTrack>;
  /** Observers (recordings). */
  readonly observers: Set<StreamObserver>;
  /** Whether the stream was active when last checked (for `active`/`inactive` events). */
  wasActive: boolean;
  /** Re-checks activity when one of its tracks ends. */
  readonly onTrackEnded: () => void;
}

/**
 * Where the profile says so (Chrome: `MediaStream::StreamEnded`, lab scenarios
 * `tracks/stream-inactive-on-stop`, `tracks/remove-all-then-add`), a stream that becomes
 * inactive (its last live track ended, was stopped or was removed) fires `inactive`, and
 * one that becomes active again (a live track added) fires `active`, each in a task.
 */
function checkActivity(stream: MediaStream): void {
  const mine = streamInternals(stream);
  const active = stream.active;
  if (active === mine.wasActive) return;
  mine.wasActive = active;
  if (!mine.agent.profile.streamActivityEvents) return;
  mine.agent.queueTask(() =>
    stream.dispatchEvent(trusted(new Event(active ? "active" : "inactive")))
  );
}

const internals = new WeakMap<MediaStream, StreamInternals>();

/**
 * recsim's internal state of `stream`.
 *
 * @throws {TypeError} if `stream` is not a recsim MediaStream.
 */
export function streamInternals(stream: MediaStream): StreamInternals {
  const i = internals.get(stream);
  if (!i) throw new TypeError("not a recsim MediaStream");
  return i;
}

/** Whether `value` is a recsim MediaStream. */
export function isStream(value: unknown): value is MediaStream {
  return typeof value === "object" && value !== null && internals.has(value as MediaStream);
}

/**
 * A stream of virtual tracks. Use the agent's class, `new ua.MediaStream(tracks)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * const stream = new ua.MediaStream([ua.createVideoTrack(), ua.createAudioTrack()]);
 * assert.ok(stream.active && stream.getTracks().length === 2);
 * assert.ok(stream.getVideoTracks()[0]!.kind === "video");
 * ```
 */
export class MediaStream extends SimEventTarget {
  #id: string;

  /**
   * `new MediaStream()`, `new MediaStream(stream)` (same tracks) or
   * `new MediaStream(tracks)`.
   *
   * @throws {TypeError} for an argument that is neither, or a track of another agent.
   */
  constructor(streamOrTracks?: MediaStream | MediaStreamTrack[]) {
    let tracks: MediaStreamTrack[] = [];
    if (streamOrTracks !== undefined) {
      if (isStream(streamOrTracks)) tracks = [...streamInternals(streamOrTracks).tracks];
      else if (
        typeof streamOrTracks === "object" && streamOrTracks !== null &&
        typeof (streamOrTracks as Iterable<unknown>)[Symbol.iterator] === "function"
      ) {
        tracks = [...(streamOrTracks as Iterable<MediaStreamTrack>)];
      } else {
        throw new TypeError(
          "MediaStream: the argument must be a MediaStream or a sequence of MediaStreamTracks",
        );
      }
    }
    for (const t of tracks) {
      if (!isTrack(t)) {
        throw new TypeError("MediaStream: every element must be a recsim MediaStreamTrack");
      }
    }
    const agent = agentOf(new.target) ?? (tracks[0] ? trackInternals(tracks[0]).agent : undefined);
    if (!agent) {
      throw new TypeError(
        "MediaStream: use the agent's class (new ua.MediaStream()) to create an empty stream",
      );
    }
    for (const t of tracks) {
      if (trackInternals(t).agent !== agent) {
        throw new HarnessError("MediaStream: a track belongs to another user agent");
      }
    }
    super();
    this.#id = agent.ids.hexId(16);
    const mine: StreamInternals = {
      agent,
      name: agent.name("stream"),
      tracks: new Set(tracks),
      observers: new Set(),
      wasActive: false,
      onTrackEnded: () => checkActivity(this),
    };
    internals.set(this, mine);
    for (const t of mine.tracks) trackInternals(t).endedListeners.add(mine.onTrackEnded);
    mine.wasActive = this.active;
    setListenerErrorSink(this, (e) => agent.reportListenerError(e));
  }

  /** The stream's id. */
  get id(): string {
    return this.#id;
  }

  /** Whether any track is live. */
  get active(): boolean {
    for (const t of streamInternals(this).tracks) if (t.readyState === "live") return true;
    return false;
  }

  /** All tracks, in the order they were added. */
  getTracks(): MediaStreamTrack[] {
    return [...streamInternals(this).tracks];
  }
  /** The audio tracks. */
  getAudioTracks(): MediaStreamTrack[] {
    return this.getTracks().filter((t) => t.kind === "audio");
  }
  /** The video tracks. */
  getVideoTracks(): MediaStreamTrack[] {
    return this.getTracks().filter((t) => t.kind === "video");
  }
  /** The track with this id, or null. */
  getTrackById(trackId: string): MediaStreamTrack | null {
    return this.getTracks().find((t) => t.id === trackId) ?? null;
  }

  /** Adds a track (no event; a recording of this stream takes its error path). */
  addTrack(track: MediaStreamTrack): void {
    changeTrackSet(this, track, true, false);
  }

  /** Removes a track (no event; a recording of this stream takes its error path). */
  removeTrack(track: MediaStreamTrack): void {
    changeTrackSet(this, track, false, false);
  }

  /** A new stream with clones of this stream's tracks. */
  clone(): MediaStream {
    const mine = streamInternals(this);
    const Ctor = this.constructor as new (tracks: MediaStreamTrack[]) => MediaStream;
    return new Ctor([...mine.tracks].map((t) => t.clone()));
  }

  /** The `addtrack` event handler (user-agent changes only). */
  get onaddtrack(): StreamEventHandler {
    return getEventHandler(this, "addtrack");
  }
  set onaddtrack(value: StreamEventHandler) {
    setEventHandler(this, "addtrack", value);
  }
  /** The `removetrack` event handler (user-agent changes only). */
  get onremovetrack(): StreamEventHandler {
    return getEventHandler(this, "removetrack");
  }
  set onremovetrack(value: StreamEventHandler) {
    setEventHandler(this, "removetrack", value);
  }
}

/**
 * Adds or removes a track; `fromUserAgent` also fires `addtrack`/`removetrack` in a task.
 * A no-op when the track is already in (or not in) the set.
 *
 * @throws {TypeError} if `track` is not a recsim track.
 */
export function changeTrackSet(
  stream: MediaStream,
  track: MediaStreamTrack,
  add: boolean,
  fromUserAgent: boolean,
): void {
  if (!isTrack(track)) {
    throw new TypeError(
      `MediaStream.${add ? "addTrack" : "removeTrack"}: argument 1 is not a MediaStreamTrack`,
    );
  }
  const mine = streamInternals(stream);
  if (trackInternals(track).agent !== mine.agent) {
    throw new HarnessError("the track belongs to another user agent");
  }
  if (mine.tracks.has(track) === add) return;
  if (add) {
    mine.tracks.add(track);
    trackInternals(track).endedListeners.add(mine.onTrackEnded);
  } else {
    mine.tracks.delete(track);
    trackInternals(track).endedListeners.delete(mine.onTrackEnded);
  }
  mine.agent.trace.add({
    kind: "track",
    t: mine.agent.clock.now(),
    target: trackInternals(track).name,
    what: add ? "added" : "removed",
    stream: mine.name,
  });
  for (const o of [...mine.observers]) o.trackSetChanged(stream, track, add);
  checkActivity(stream);
  if (fromUserAgent) {
    mine.agent.queueTask(() =>
      stream.dispatchEvent(
        trusted(new MediaStreamTrackEvent(add ? "addtrack" : "removetrack", { track })),
      )
    );
  }
}
