/**
 * One recording: the steps start() runs "in parallel" (spec start() step 15). It
 * gathers frames of the recorded tracks into the current Blob through the encoder,
 * cuts chunks when enough media has been collected (15.7), and notices the events
 * that end a recording (15.4–15.6, 15.8), acting on them in a queued task.
 *
 * Time model. Frames are pure functions of their index (see `track_source.ts`), so
 * the session does not run a timer per frame: it collects every frame captured before
 * "now" whenever something observable happens (a chunk boundary, a method's task, a
 * track change) and keeps one timer for the next chunk boundary. A frame captured at
 * `t` belongs to the recording when `start ≤ t < end` and the recorder was not paused
 * at `t`; the recording timeline (container timestamps) leaves the paused time out.
 *
 * Chunk boundaries (15.7). A chunk is cut just before the first block (encoded frame)
 * whose media time is at least max(timeslice, UA minimum) ms after the chunk's start,
 * and never before the chunk's first block; so with a minimum of 0, `start(0)` gives a
 * chunk per block, and no chunk is ever cut empty by the timeslice.
 *
 * @module
 */
import type { TimerId } from "../clock/clock.ts";
import type { EncoderConfig, RecorderEncoder } from "../encoding/encoder.ts";
import type { MediaStream, StreamObserver } from "../media/media_stream.ts";
import { streamInternals } from "../media/media_stream.ts";
import type { MediaStreamTrack, TrackObserver } from "../media/media_stream_track.ts";
import { inactivateTheRecorder } from "./inactivate.ts";
import type { Profile } from "../profiles/profile.ts";
import type { EncoderProvider } from "../encoding/encoder.ts";
import { syntheticFallbackEncoder } from "../encoding/synthetic_encoder.ts";
import { codecIdentifier } from "../mime_type.ts";
import { mutations } from "./_mutations.ts";
import { hashUnit } from "../prng.ts";
import { type Lane, Lanes } from "./lanes.ts";
import { EncoderLatencyModel } from "./encoder_latency.ts";
import { startEventTime } from "./start_event.ts";
import { type ChunkClock, chunkClockFor } from "./chunk_clocks/mod.ts";
import {
  fireBlobEvent,
  fireErrorEvent,
  fireEvent,
  type RecorderInternals,
} from "./recorder_internals.ts";

/** Why a recording ends. */
export type Termination =
  | "stop"
  | "ended"
  | "InvalidModificationError"
  | "SecurityError"
  | "UnknownError"
  | "NotSupportedError";

/** A block's place in capture order: time, then track number. */
interface Key {
  time: number;
  number: number;
}

interface Gathered {
  parts: (Uint8Array | Blob)[];
  bytes: number;
  blocks: number;
  /** Recording-timeline time this blob started collecting (for the timeslice count). */
  startRec: number;
  /** Virtual time this blob started gathering. */
  startCapture: number;
  media: [number, number] | null;
  capture: [number, number] | null;
}

/** What start() hands to a new session. */
export interface SessionInit {
  /** The recorder. */
  recorder: RecorderInternals;
  /** The live tracks recorded (step 4), in stream order. */
  tracks: MediaStreamTrack[];
  /** The converted timeslice, or undefined (step 2). */
  timeslice: number | undefined;
  /** The encoder configuration (steps 8–13, 15.1). */
  config: EncoderConfig;
  /** The extended mimeType for the start event (15.3). */
  extendedMimeType: string;
}

/**
 * A recording in progress; created by start() step 15.
 */
export class RecordingSession implements TrackObserver, StreamObserver {
  readonly #r: RecorderInternals;
  readonly #stream: MediaStream;
  readonly #lanes: Lanes;
  readonly #threshold: number | null;
  readonly #t0: number;
  readonly #number: number;
  #encoder: RecorderEncoder | null = null;
  /** A termination has been decided (stop() called or a detection acted on). */
  #ended = false;
  /** A detection queued the termination task (it has not run yet). */
  #terminating = false;
  /** requestData() tasks queued and not yet run. */
  #requestsPending = 0;
  /** Frames are being gathered (false while paused, and once gathering stopped). */
  #gathering = true;
  #failed = false;
  #pausedTotal = 0;
  #pauseStart = 0;
  #blob: Gathered;
  #chunks = 0;
  #timecodeBase: number | null = null;
  #cutTimer: TimerId | null = null;
  #stepTimer: TimerId | null = null;
  #pumpTimer: TimerId | null = null;
  #failArmed: string | null;
  #unregisterClose: () => void;
  /** The UA profile (which clock cuts chunks, when start fires, timecodes, …). */
  readonly #profile: Profile;
  /**
   * Chrome's bug `silentVideoBelowOneKbps`: the encoders output nothing, so the muxer
   * writes nothing (frames are dropped, no start event before stop(), no header).
   */
  #silent = false;
  /** Index in the current blob's parts where the last frame's muxer write began. */
  #groupStart = -1;
  /** A frame's write was marked (`EncoderSink.block`) and has not begun: the parts index. */
  #blockStart = -1;
  /** When encoded data reaches the muxer (`encoder_latency.ts`). */
  readonly #latency: EncoderLatencyModel;
  /** When timesliced chunks are cut (null: no timeslice); see `chunk_clocks/`. */
  readonly #clock: ChunkClock | null;
  #startFired = false;
  /** Chrome: the time of the muxer's first output (before it, nothing is written). */
  #firstOutput = -Infinity;
  #startTimer: TimerId | null = null;
  #extendedMimeType = "";
  /** The name of the encoder provider chosen (for the trace). */
  encoderName = "none";

  constructor(init: SessionInit) {
    const r = init.recorder;
    this.#r = r;
    this.#stream = r.stream;
    this.#number = r.recordings;
    this.#t0 = r.agent.clock.now();
    this.#profile = r.agent.profile;
    this.#threshold = init.timeslice === undefined
      ? null
      : Math.max(init.timeslice, r.agent.minTimeslice);
    this.#failArmed = r.failNext;
    r.failNext = null;
    this.#blob = this.#newBlob(0, this.#t0);
    const kinds = {
      video: init.tracks.some((t) => t.kind === "video"),
      audio: init.tracks.some((t) => t.kind === "audio"),
    };
    this.#latency = new EncoderLatencyModel(
      this.#profile.encoderLatency,
      kinds,
      this.#t0,
      r.agent.seed,
      this.#number,
    );
    this.#lanes = new Lanes(
      init.tracks,
      this.#t0,
      (lane, i) => this.#latency.dropped(lane, i),
    );
    this.#unregisterClose = r.agent.onClose(() => this.#dispose());
    this.#clock = this.#threshold === null ? null : this.#chunkClock(this.#threshold);
  }

  /** The profile's chunk clock, reading this recording. */
  #chunkClock(threshold: number): ChunkClock {
    // deno-lint-ignore no-this-alias
    const session = this;
    return chunkClockFor({
      profile: this.#profile,
      t0: this.#t0,
      get threshold() {
        // "once at least max(timeslice, minimum) ms of data have been collected"
        return mutations.timesliceOffByOne ? threshold - 1 : threshold;
      },
      now: () => this.#now(),
      pausedTotal: () => this.#pausedTotal,
      nextBlockTime: (after, notBefore, kind) =>
        session.#lanes.find(after, Infinity, notBefore, kind)?.time ?? null,
      chunkBase: () => this.#chunkBase(),
      firstOutput: () => this.#firstOutput,
      liveVideo: () => this.#lanes.live("video"),
      kinds: () => {
        const { video, audio } = this.kinds;
        return [...(video ? ["video" as const] : []), ...(audio ? ["audio" as const] : [])];
      },
      period: (kind) => this.#lanes.all.find((l) => l.source.kind === kind)!.source.period,
      arrivalAt: (capture, kind) => {
        if (kind === undefined) return this.#arrivalAt(capture);
        const lane = this.#lanes.all.find((l) => l.source.kind === kind);
        if (lane === undefined) return capture;
        const index = lane.source.firstIndexAtOrAfter(capture - 1e-9);
        return Math.max(capture, this.#latency.arrival(lane, index));
      },
      framesBetween: (kind, from, to) => this.#lanes.framesBetween(kind, from, to),
    });
  }

  /** The recording's number on its recorder. */
  get number(): number {
    return this.#number;
  }

  /** Whether the recording holds a video track and an audio track. */
  get kinds(): { video: boolean; audio: boolean } {
    return {
      video: this.#lanes.has("video"),
      audio: this.#lanes.has("audio"),
    };
  }

  /** Whether a termination (stop or an error path) has been decided. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Starts gathering (15.3) and queues the start event's task; or, when the encoder
   * cannot be created for this configuration, takes the 15.2 path.
   */
  begin(init: SessionInit): void {
    const r = this.#r;
    // The recording's MIME type: every Blob of it carries it (decision 16, revised).
    this.#extendedMimeType = init.extendedMimeType;
    // 15.2. If the UA cannot record with this type, codecs and container: abort and
    // queue a task (Inactivate, error NotSupportedError, stop; no dataavailable).
    let encoder: RecorderEncoder | null = null;
    let chosen: EncoderProvider | undefined;
    let failure: unknown = null;
    if (this.#failArmed === "configure") {
      this.#failArmed = null;
      failure = new DOMException(
        "the encoder could not be configured (ua.failEncoder)",
        "NotSupportedError",
      );
    } else {
      const provider = r.agent.providers.find((p) =>
        p.supportsContainer(init.config.essence) &&
        init.config.tracks.every((t) =>
          p.supportsCodec(init.config.essence, codecIdentifier(t.codec))
        )
      ) ?? fallbackFor(this.#profile, r.constrainedMimeType, init.config.essence);
      chosen = provider;
      if (!provider) {
        failure = new DOMException(
          `no encoder can produce ${init.extendedMimeType}`,
          "NotSupportedError",
        );
      } else {
        try {
          encoder = provider.create(init.config, {
            write: (bytes) => this.#write(bytes),
            block: () => {
              this.#blockStart = this.#blob.parts.length;
            },
            fail: (error) => this.#encoderFailed(error),
          });
        } catch (error) {
          failure = error;
        }
      }
    }
    if (!encoder) {
      // (15.2: no recording was configured, so a Blob of it, the empty one stop() may
      // deliver first, has the constrained type.)
      this.#extendedMimeType = r.constrainedMimeType;
      this.#pauseStart = this.#now();
      this.#gathering = false;
      this.#queueTermination("NotSupportedError", failure);
      return;
    }
    this.#encoder = encoder;
    this.encoderName = chosen?.name ?? "none";
    this.#silent = this.#profile.bugs.silentVideoBelowOneKbps === true && this.kinds.video &&
      init.config.videoBitsPerSecond < 1000;
    if (encoder.ready) this.#watch(encoder.ready);
    for (const lane of this.#lanes.all) lane.internals.observers.add(this);
    streamInternals(this.#stream).observers.add(this);
    // 15.3. Start recording; queue a task that sets mimeType to extendedMimeType and
    // fires start. (Queued now: recording begins at the virtual instant of start(). The
    // chrome and firefox profiles fire it when the muxer/encoders first have data.)
    if (mutations.syncStartEvent) this.#emitStart(0);
    else if (this.#profile.startEvent === "task") {
      r.agent.queueTask((task) => this.#emitStart(task));
    } else this.#planStartEvent();
    this.#planCut();
    this.#planPump();
    if (this.#failArmed !== null) this.#planFailStep();
  }

  // ---- methods' effects (called from the recorder's tasks) ----

  /** stop(): after Inactivate, queue the task that stops gathering and fires dataavailable and stop. */
  stopRequested(): void {
    this.#ended = true;
    // Chrome sets mimeType when its muxer first writes, and stop() flushes the muxer
    // synchronously: an event queued before stop() (pause) already sees the type (lab
    // found/firefox-s7-4752cec4: start(9); pause(); stop()).
    if (
      !this.#startFired && this.#profile.startEvent === "first-output" && this.#encoder !== null &&
      this.#r.session === this
    ) this.#r.mimeType = this.#extendedMimeType;
    this.#queueFinal("stop", null);
  }

  /** pause()'s task: stop gathering into the blob (kept for resume). */
  pauseGathering(): void {
    if (!this.#gathering || this.#ended) return;
    this.#collect({ time: this.#now(), number: 0 });
    this.#gathering = false;
    this.#pauseStart = this.#now();
    this.#clock?.paused(this.#pauseStart);
    this.#cancelTimers();
  }

  /** resume()'s task: resume gathering into the current blob. */
  resumeGathering(): void {
    if (this.#gathering || this.#ended || this.#failed || this.#encoder === null) return;
    const now = this.#now();
    this.#pausedTotal += now - this.#pauseStart;
    this.#lanes.skipTo(now, "paused");
    this.#gathering = true;
    this.#clock?.resumed(now);
    if (!this.#startFired && this.#profile.startEvent !== "task") this.#planStartEvent();
    this.#planCut();
    this.#planPump();
    if (this.#failArmed !== null) this.#planFailStep();
  }

  /**
   * requestData() queued its task: until it runs, no timeslice chunk is cut (its event
   * would come after the requestData chunk, which holds later data): the data goes to
   * the requestData chunk.
   */
  requestDataQueued(): void {
    this.#requestsPending++;
  }

  /**
   * requestData()'s task: the blob gathered so far (possibly empty) and its timecode;
   * gathering continues into a new blob. Resolves after pending encoder output is in.
   */
  requestData(task: number): void | Promise<void> {
    this.#requestsPending--;
    // (Nothing has left the encoders before their start-up latency: profile.encoderLatency.)
    // (What the muxer has output: Firefox's muxer holds what it interleaves.)
    if (this.#gathering) {
      const now = this.#now();
      this.#collectArrived(now, this.#clock?.gatherLimit?.(now) ?? now);
    }
    return this.#afterIdle(() => {
      // Chrome (and the spec's queued start task) fire a pending start before
      // requestData's chunk; Firefox fires the chunk first, with mimeType still ""
      // (measured: lab state/request-data-sync-after-start).
      if (this.#profile.startEvent !== "all-tracks-data") this.#emitStart(task);
      const restart = this.#profile.requestDataRestartsTimeslice;
      const { startRec } = this.#blob;
      const chunk = this.#cut("requestData");
      // (The timeslice count goes on from the old blob's start; its timecode does not.)
      if (!restart) this.#blob.startRec = startRec;
      this.#clock?.requestDataCut(this.#now());
      fireBlobEvent(
        this.#r,
        this.#blobOf(chunk.parts),
        this.#dispatchTimecode(chunk.timecode),
        task,
        this.#number,
      );
      if (this.#gathering && !this.#ended) this.#planCut();
    });
  }

  /** Fault injection: the encoder fails at its next step (`ua.failEncoder`). */
  armFailure(reason: string): void {
    if (this.#ended || this.#failed) return;
    // Everything captured before the failure was gathered.
    if (this.#gathering) this.#collect({ time: this.#now(), number: 0 });
    this.#failArmed = reason;
    if (this.#gathering) this.#planFailStep();
  }

  // ---- in-parallel detections ----

  /** TrackObserver: gather what was captured before the change. */
  trackWillChange(_track: MediaStreamTrack): void {
    // (Also after stop(): frames captured before the change keep the state they had.)
    if (this.#gathering && !this.#failed) {
      this.#collect({ time: this.#now(), number: 0 });
    }
  }

  /** TrackObserver: 15.8, all recorded tracks ended. */
  trackEnded(_track: MediaStreamTrack): void {
    if (this.#ended) return;
    if (this.#lanes.all.every((l) => l.track.readyState === "ended")) {
      this.#queueTermination("ended", null);
    } else if (this.#gathering) {
      this.#planCut();
      if (this.#failArmed !== null) this.#planFailStep();
    }
  }

  /** TrackObserver: 15.4, the isolation properties changed. */
  trackIsolated(_track: MediaStreamTrack): void {
    if (this.#ended) return;
    // "stop gathering data, discard any data that it has gathered"
    this.#queueTermination("SecurityError", null);
  }

  /** StreamObserver: 15.5, a track was added to or removed from the stream's track set. */
  trackSetChanged(_stream: MediaStream, track: MediaStreamTrack, added: boolean): void {
    if (this.#ended) return;
    // Firefox ignores the removal of a track that had already ended.
    if (!added && track.readyState === "ended" && this.#profile.ignoreRemovalOfEndedTrack) return;
    if (track.kind === "video" || track.kind === "audio") {
      this.#queueTermination("InvalidModificationError", null);
    }
  }

  // ---- gathering ----

  #now(): number {
    return this.#r.agent.clock.now();
  }

  #recNow(): number {
    const end = this.#gathering ? this.#now() : this.#pauseStart;
    return end - this.#t0 - this.#pausedTotal;
  }

  #newBlob(startRec: number, startCapture: number): Gathered {
    this.#groupStart = -1;
    return { parts: [], bytes: 0, blocks: 0, startRec, startCapture, media: null, capture: null };
  }

  #write(bytes: Uint8Array | Blob): void {
    const size = bytes instanceof Blob ? bytes.size : bytes.length;
    if (size === 0) return;
    // (The first write after a frame's mark begins that frame's muxer write.)
    if (this.#blockStart >= 0) {
      this.#groupStart = this.#blockStart;
      this.#blockStart = -1;
    }
    this.#blob.parts.push(bytes);
    this.#blob.bytes += size;
  }

  /** Gathers every block before `limit` (exclusive) in capture order. */
  #collect(limit: Key): void {
    if (this.#failed || this.#encoder === null) return;
    for (;;) {
      const lane = this.#lanes.nextBefore(limit.time, limit.number);
      if (lane === null) return;
      if (!this.#feed(lane, lane.source.frameTime(lane.next))) return;
    }
  }

  /**
   * Gathers, in capture order, every block captured before `wall` (and before `before`)
   * that has reached the muxer by then (the encoder-latency model); a block that has not
   * holds back the blocks captured after it (the muxer interleaves in capture order).
   */
  #collectArrived(wall: number, before = wall, number = 0): void {
    if (this.#latency.none) return this.#collect({ time: Math.min(wall, before), number });
    if (this.#failed || this.#encoder === null) return;
    for (;;) {
      const lane = this.#lanes.nextBefore(Math.min(wall, before), number);
      if (lane === null || this.#latency.arrival(lane, lane.next) > wall) return;
      if (!this.#feed(lane, lane.source.frameTime(lane.next))) return;
    }
  }

  /** Feeds one block to the encoder; false when the encoder failed. */
  #feed(lane: Lane, time: number): boolean {
    const index = lane.next;
    if (this.#silent) {
      this.#lanes.gathered(lane, index, "dropped");
      return true;
    }
    const blank = !lane.track.enabled || lane.track.muted;
    const mediaTime = time - this.#t0 - this.#pausedTotal;
    if (this.#failArmed !== null) {
      const reason = this.#failArmed;
      this.#failArmed = null;
      this.#encoderFailed(new Error(`injected encoder failure (${reason})`));
      return false;
    }
    try {
      const frame = lane.source.frame(index, blank);
      const encoder = this.#encoder!;
      const result = frame.kind === "video"
        ? encoder.encodeVideo(lane.number, frame, mediaTime)
        : encoder.encodeAudio(lane.number, frame, mediaTime);
      if (result instanceof Promise) this.#watch(result);
    } catch (error) {
      this.#encoderFailed(error);
      return false;
    }
    const blob = this.#blob;
    blob.blocks++;
    const end = mediaTime + lane.source.period;
    if (blob.media === null) blob.media = [mediaTime, end];
    else if (end > blob.media[1]) blob.media[1] = end;
    if (blob.capture === null) blob.capture = [time, time + lane.source.period];
    else if (time + lane.source.period > blob.capture[1]) {
      blob.capture[1] = time + lane.source.period;
    }
    this.#lanes.gathered(lane, index, blank ? "black" : "recorded");
    return true;
  }

  #watch(work: Promise<unknown>): void {
    const watched = work.catch((error) => this.#encoderFailed(error));
    this.#r.agent.clock.trackWork(watched);
  }

  /** Runs `then` once the encoder has written everything fed so far. */
  #afterIdle(then: () => void): void | Promise<void> {
    // Also after a failure: what the encoder already accepted is muxed and delivered
    // (a broken encoder's queue settles at once).
    const idle = this.#encoder?.idle?.();
    if (idle) {
      return idle.then(then, (error) => {
        this.#encoderFailed(error);
        then();
      });
    }
    then();
  }

  // ---- chunk boundaries (15.7) ----

  #cancelTimers(): void {
    const clock = this.#r.agent.clock;
    if (this.#cutTimer !== null) clock.clearTimer(this.#cutTimer);
    if (this.#stepTimer !== null) clock.clearTimer(this.#stepTimer);
    if (this.#pumpTimer !== null) clock.clearTimer(this.#pumpTimer);
    this.#cutTimer = this.#stepTimer = this.#pumpTimer = null;
  }

  /**
   * Plans the next feeding of the encoder, at the pace it asked for (`feedInterval`):
   * 0 feeds each frame once the clock has passed its capture time; a finite interval
   * feeds in batches; Infinity feeds only where bytes become observable (chunk cuts,
   * requestData, stop, track changes).
   */
  #planPump(): void {
    const clock = this.#r.agent.clock;
    if (this.#pumpTimer !== null) clock.clearTimer(this.#pumpTimer);
    this.#pumpTimer = null;
    const interval = this.#encoder?.feedInterval ?? 0;
    if (!this.#gathering || this.#ended || this.#failed || interval === Infinity) return;
    // (A clock whose chunks end at muxer writes feeds only where it looks: fed ahead, a
    // frame's data would reach a Blob before the muxer writes it there.)
    if (this.#clock !== null && !this.#clock.paced) return;
    const now = clock.now();
    let at = now + interval;
    if (interval <= 0) {
      const next = this.#lanes.find(now, Infinity, -Infinity);
      if (next === null) return;
      at = Math.max(now, this.#arrivalAt(next.time));
    }
    this.#pumpTimer = clock.setTimer(() => {
      this.#pumpTimer = null;
      if (!this.#gathering || this.#ended || this.#failed) return;
      this.#collectArrived(clock.now());
      this.#planPump();
    }, at - now);
  }

  /**
   * Plans the timer for the next timeslice boundary (15.7), at the instant the
   * recording's chunk clock names (`chunk_clocks/`).
   */
  #planCut(afterTime = -Infinity): void {
    const clock = this.#r.agent.clock;
    if (this.#cutTimer !== null) clock.clearTimer(this.#cutTimer);
    this.#cutTimer = null;
    if (this.#clock === null || !this.#gathering || this.#ended || this.#failed) return;
    const at = this.#clock.nextBoundary(afterTime);
    if (at === null) return;
    // (A block boundary is cut when that block reaches the muxer: encoder_latency.ts.)
    const wall = this.#clock.boundary === "block" && !this.#clock.closesWithFirstByte(at)
      ? this.#arrivalAt(at)
      : at;
    this.#cutTimer = clock.setTimer(() => this.#onBoundary(at, wall), wall - clock.now());
  }

  /** The earliest instant encoded data reaches the muxer (profile.encoderLatency.dataMs). */
  get #dataReady(): number {
    return this.#t0 + this.#latency.dataMs;
  }

  /** When the block captured at `capture` (or the next one) reaches the muxer. */
  #arrivalAt(capture: number): number {
    const next = this.#lanes.find(-Infinity, 0, capture);
    if (next === null) return Math.max(capture, this.#dataReady);
    return Math.max(capture, this.#latency.arrival(next.lane, next.index));
  }

  /** Recording-timeline time of the current chunk's first block (gathered or next). */
  #chunkBase(): number {
    const media = this.#blob.media;
    if (media !== null) return media[0];
    const next = this.#lanes.find(-Infinity, 0, -Infinity);
    return next === null ? this.#blob.startRec : next.time - this.#t0 - this.#pausedTotal;
  }

  /**
   * The block at the boundary the chunk clock planned (captured at `at`) reached the muxer
   * (at `wall`): cut there, or plan the next.
   */
  #onBoundary(at: number, wall: number): void | Promise<void> {
    this.#cutTimer = null;
    if (!this.#gathering || this.#ended || this.#terminating || this.#failed) return;
    if (this.#requestsPending > 0) return this.#planCut(at);
    if (this.#clock!.closesWithFirstByte(at)) return this.#cutFirstByte(at);
    // The blocks before the boundary block; at start-up, all that the encoders deliver
    // together (a burst) when they first output.
    const closing = this.#clock!.closingWrite;
    const limit = this.#clock!.gatherLimit?.(at) ?? Math.max(at, this.#dataReady);
    this.#collectArrived(wall, limit, closing ? Infinity : 0);
    if (this.#failed) return;
    const verdict = this.#clock!.atBoundary(at, this.#blob);
    // Never cut a chunk empty of blocks: the blocks at `at` start this one.
    if (verdict === "later") return this.#planCut(at);
    return this.#afterIdle(() => {
      if (this.#ended || this.#terminating || this.#failed) return;
      if (this.#requestsPending > 0) return this.#planCut(at);
      // (An empty tick delivers nothing where the profile skips empty chunks.)
      if (verdict === "if-bytes" && this.#blob.bytes === 0) return this.#planCut(at);
      const chunk = this.#cut("timeslice", at, closing ? this.#groupStart : -1);
      this.#clock!.cutAt(at);
      if (mutations.dropChunkAtBoundary) return this.#planCut(at);
      this.#queueChunk(chunk);
      this.#planCut(at);
    });
  }

  #queueChunk(chunk: { parts: (Uint8Array | Blob)[]; timecode: number }): void {
    this.#r.agent.queueTask((task) => {
      // (A pending start fires first, but in Firefox, whose start waits for every track's
      // data: its first Blobs, empty, come before start; lab timeslice/av-0.)
      if (this.#profile.startEvent !== "all-tracks-data") this.#emitStart(task);
      for (const parts of this.#deliveries(chunk.parts, false)) {
        fireBlobEvent(
          this.#r,
          this.#blobOf(parts),
          this.#dispatchTimecode(chunk.timecode),
          task,
          this.#number,
        );
      }
    });
  }

  /**
   * Chrome: the muxer's first write closes the first slice. The container header is
   * written now; its first byte is the chunk, the rest begins the next one.
   */
  #cutFirstByte(at: number): void | Promise<void> {
    try {
      this.#encoder!.writeHeader?.();
    } catch (error) {
      this.#encoderFailed(error);
      return;
    }
    return this.#afterIdle(() => {
      if (this.#ended || this.#terminating || this.#failed) return;
      if (this.#requestsPending > 0) return this.#planCut(at);
      // (The header already went out with a requestData() chunk: no write closes it.)
      if (this.#blob.bytes === 0) return this.#planCut(at);
      const chunk = this.#cut("timeslice", at, 0);
      this.#clock!.cutAt(at);
      this.#queueChunk(chunk);
      this.#planCut(at);
    });
  }

  /** A chunk's parts as delivered, by the chunk clock (Chrome at 0: one per muxer write). */
  #deliveries(parts: (Uint8Array | Blob)[], final: boolean): (Uint8Array | Blob)[][] {
    return this.#clock === null ? [parts] : this.#clock.deliveries(parts, final);
  }

  // ---- the start event ----

  /** Fires `start` once, setting mimeType to the extended type (15.3). */
  #emitStart(task: number): void {
    // No start event on start()'s 15.2 path (the encoder could not be configured).
    if (this.#startFired || this.#encoder === null && this.encoderName === "none") return;
    this.#startFired = true;
    const r = this.#r;
    if (this.#startTimer !== null) r.agent.clock.clearTimer(this.#startTimer);
    this.#startTimer = null;
    const kept = this.#profile.mimeTypeAfterStop === "kept";
    if (r.session === this && (!this.#ended || kept)) r.mimeType = this.#extendedMimeType;
    // The container header is gathered in a task queued as start fires (decision 9):
    // requestData() in onstart gives it, while one called synchronously after start(),
    // whose task is already queued, still gives an empty Blob (lab
    // state/request-data-in-onstart, state/request-data-sync-after-start). (A block
    // written earlier brings the header with it; then this is a no-op.) Not in Firefox,
    // whose header comes with the first encoded data (measured: an empty Blob in onstart).
    if (this.#profile.headerAtStartEvent !== false) {
      r.agent.queueTask(() => {
        if (this.#failed || this.#encoder === null || this.#silent) return;
        try {
          this.#encoder.writeHeader?.();
        } catch (error) {
          this.#encoderFailed(error);
        }
      });
    }
    fireEvent(r, "start", task, this.#number, { mimeType: r.mimeType });
  }

  /** Plans the start event's task by the profile's policy (`start_event.ts`). */
  #planStartEvent(): void {
    const clock = this.#r.agent.clock;
    if (this.#startTimer !== null) clock.clearTimer(this.#startTimer);
    this.#startTimer = null;
    if (this.#startFired || !this.#gathering || this.#ended || this.#silent) return;
    const now = clock.now();
    const plan = startEventTime(
      this.#profile,
      this.#lanes,
      now,
      this.#dataReady,
      this.#t0 + this.#latency.startMs,
    );
    if (plan === null) return;
    if (plan.firstOutput !== null && this.#firstOutput === -Infinity) {
      this.#firstOutput = plan.firstOutput;
    }
    const at = plan.at;
    this.#startTimer = clock.setTimer(() => {
      this.#startTimer = null;
      if (this.#startFired) return;
      if (!this.#gathering) return; // paused: planned again at resume
      this.#r.agent.queueTask((task) => this.#emitStart(task));
    }, at - now);
  }

  /**
   * Whether this recording hits Firefox's bug `dataAfterStop`: at a timeslice of at most
   * 10 ms, drawn from the seed for one recording in three (lab timeslice/av-nan,
   * timeslice/av-2pow32-plus-5: 2 runs of 6).
   */
  #blobAfterStop(): boolean {
    if (!this.#profile.bugs.dataAfterStop || this.#threshold === null || this.#threshold > 10) {
      return false;
    }
    return hashUnit(this.#r.agent.seed, this.#number, 0x5a) < 1 / 3;
  }

  /** The timecode a BlobEvent carries, by profile (undefined: no timecode attribute). */
  #dispatchTimecode(specTimecode: number): number | undefined {
    const r = this.#r;
    switch (this.#profile.timecode) {
      case "none":
        return undefined;
      case "chrome": {
        // dispatch time minus the recorder's first BlobEvent's, never reset by start()
        const now = this.#now();
        r.firstBlobEventTime ??= now;
        return Math.round((now - r.firstBlobEventTime) * 1000) / 1000;
      }
      default:
        return specTimecode;
    }
  }

  /**
   * Cuts the current blob: returns its parts and timecode and starts a new blob whose
   * collected-time count starts at `at` (the first block of the new chunk) or now.
   */
  #cut(
    reason: "timeslice" | "requestData" | "stop" | "ended" | "error",
    at?: number,
    closingWrite = -1,
  ): { parts: (Uint8Array | Blob)[]; timecode: number } {
    // (A marked frame that wrote nothing, held by the muxer, begins no write here.)
    this.#blockStart = -1;
    try {
      // Also after a failure: what the writer already holds (an Ogg page) is delivered.
      this.#encoder?.boundary?.();
    } catch (error) {
      this.#encoderFailed(error);
    }
    const blob = this.#blob;
    // Chrome: the write at the boundary (part `closingWrite` on) closes this chunk with its
    // first byte; the rest opens the next one.
    const carried = closingWrite >= 0 ? closeWithFirstByte(blob, closingWrite) : [];
    const first = blob.capture?.[0] ?? blob.startCapture;
    if (this.#timecodeBase === null) this.#timecodeBase = first;
    // DOMHighResTimeStamp in ms; rounded to the microsecond so frame-time sums read cleanly.
    // (Safari: the chunk's media start time in seconds.)
    const timecode = this.#profile.timecode === "safari-seconds"
      ? Math.round(blob.startRec) / 1000
      : Math.round((first - this.#timecodeBase) * 1000) / 1000;
    const r = this.#r;
    if (r.agent.trace.enabled) {
      r.agent.trace.add({
        kind: "chunk",
        t: this.#now(),
        target: r.name,
        recording: this.#number,
        index: this.#chunks++,
        size: blob.bytes,
        timecode,
        reason,
        blocks: blob.blocks,
        media: blob.media,
        capture: blob.capture,
      });
    }
    const startCapture = at ?? this.#now();
    const startRec = at === undefined ? this.#recNow() : at - this.#t0 - this.#pausedTotal;
    this.#blob = this.#newBlob(startRec, startCapture);
    for (const part of carried) this.#write(part);
    return { parts: blob.parts, timecode };
  }

  #blobOf(parts: (Uint8Array | Blob)[]): Blob {
    // The Blob's type is the MIME type of the recording its data belongs to, for every
    // chunk including the last one, in every profile (decision 16, revised: Chrome and
    // Firefox do this even after mimeType has reverted; lab scenario timeslice/av-1000).
    return new Blob(parts as BlobPart[], { type: this.#extendedMimeType });
  }

  // ---- fault injection ----

  #planFailStep(): void {
    const clock = this.#r.agent.clock;
    if (this.#stepTimer !== null) clock.clearTimer(this.#stepTimer);
    this.#stepTimer = null;
    const next = this.#lanes.find(-Infinity, 0, -Infinity);
    if (next === null) return;
    const key = { time: next.time, number: next.lane.number };
    this.#stepTimer = clock.setTimer(() => {
      this.#stepTimer = null;
      if (this.#gathering && !this.#ended) {
        this.#collect({ time: key.time, number: key.number + 0.5 });
        // The aimed block's track ended first: aim at the next block.
        if (this.#failArmed !== null && !this.#failed) this.#planFailStep();
      }
    }, key.time - clock.now());
  }

  #encoderFailed(error: unknown): void {
    if (this.#failed || this.#ended) return;
    this.#failed = true;
    this.#cancelTimers();
    // 15.6. "If the UA at any point is unable to continue gathering data for reasons other
    // than isolation properties or stream's track set, it MUST stop gathering data" and
    // queue Inactivate, error UnknownError, dataavailable, stop.
    this.#queueTermination("UnknownError", error);
  }

  // ---- termination ----

  #queueTermination(kind: Exclude<Termination, "stop">, cause: unknown): void {
    const r = this.#r;
    // (What is gathered from now on belongs to the final chunk: no timeslice chunk is
    // cut, whose event would come after stop.)
    this.#terminating = true;
    if (kind === "SecurityError" || kind === "InvalidModificationError" || kind === "ended") {
      // stop gathering at the moment of detection
      if (this.#gathering && !this.#failed) this.#collect({ time: this.#now(), number: 0 });
    }
    r.agent.queueTask((task) => {
      // A method called synchronously before this task ran wins (stop(), or an earlier detection).
      if (this.#ended) return;
      this.#ended = true;
      return this.#finalize(kind, cause, task);
    });
  }

  #queueFinal(kind: "stop", cause: unknown): void {
    this.#r.agent.queueTask((task) => this.#finalize(kind, cause, task));
  }

  #finalize(kind: Termination, cause: unknown, task: number): void | Promise<void> {
    const r = this.#r;
    // An injected failure that no step reached before the end did not happen.
    this.#failArmed = null;
    // stop gathering
    if (this.#gathering && !this.#failed && kind !== "SecurityError") {
      this.#collect({ time: this.#now(), number: 0 });
    }
    if (!this.#gathering && this.#encoder !== null && !this.#failed) {
      this.#lanes.skipTo(this.#now(), "paused");
    }
    // (The recording's timeline stops here, as at a pause: a requestData() task queued
    // before the end still cuts its blob at this media time.)
    if (this.#gathering) this.#pauseStart = this.#now();
    this.#gathering = false;
    this.#cancelTimers();
    // A recording that ends before any data was gathered still delivers the container
    // header (decision 9; lab state/start-stop-same-task, reentrant/stop-in-onstart; a
    // no-op when it is written already). Not Chrome's live muxer, which writes nothing
    // before its first output (lab found/chromium-s1-5780dbaa: start(0); stop() gives
    // one empty Blob); its seekable file without a timeslice has the header at stop.
    const liveFirstOutput = this.#profile.startEvent === "first-output" &&
      !(this.#profile.seekableWebmWithoutTimeslice && this.#threshold === null);
    if (
      kind !== "NotSupportedError" && this.#encoder !== null && !this.#failed && !this.#silent &&
      !(liveFirstOutput && this.#firstOutput > this.#now())
    ) {
      try {
        this.#encoder.writeHeader?.();
      } catch (error) {
        this.#failed = true;
        cause = error;
      }
    }
    const drain = kind === "stop" || kind === "ended" || kind === "InvalidModificationError";
    let finished: void | Promise<void> = undefined;
    if (drain && this.#encoder !== null && !this.#failed && !this.#silent) {
      try {
        finished = this.#encoder.finish();
      } catch (error) {
        this.#failed = true;
        cause = error;
      }
    }
    const complete = () => {
      const reason = kind === "stop" ? "stop" : kind === "ended" ? "ended" : "error";
      const profile = this.#profile;
      // Chrome, with a timeslice, delivers the gathered data as one more chunk before the
      // error of a track-set change; the final chunk is then empty.
      const extraChunk = kind === "InvalidModificationError" &&
        profile.trackSetChange === "data-plus-chunk" &&
        this.#threshold !== null;
      // (start()'s 15.2 path delivers no chunk at all.)
      const chunk = kind === "NotSupportedError" ? { parts: [], timecode: 0 } : this.#cut(reason);
      if (kind !== "stop") {
        // Inactivate the recorder (stop() already did, synchronously).
        if (r.session === this) inactivateTheRecorder(r);
      }
      // Chrome and Firefox fire a start event that has not fired yet before the end events.
      if (kind !== "NotSupportedError") this.#emitStart(task);
      if (extraChunk) {
        fireBlobEvent(
          r,
          this.#blobOf(chunk.parts),
          this.#dispatchTimecode(chunk.timecode),
          task,
          this.#number,
        );
      }
      if (kind !== "stop" && kind !== "ended") {
        fireErrorEvent(r, kind, messageOf(kind, cause), task, this.#number);
      }
      if (kind !== "NotSupportedError") {
        // SecurityError: "discard any data that it has gathered"; Safari delivers an empty
        // Blob after a track-set change or when every track ended.
        const empty = kind === "SecurityError" || extraChunk ||
          (kind === "InvalidModificationError" && profile.trackSetChange === "empty") ||
          (kind === "ended" && profile.allTracksEnded === "empty");
        const timecode = empty && profile.timecode === "safari-seconds" ? 0 : chunk.timecode;
        // (Per write: the last writes one by one, then Chrome's empty final Blob.)
        const finals = empty ? [[]] : this.#deliveries(chunk.parts, true);
        for (const parts of finals) {
          fireBlobEvent(
            r,
            this.#blobOf(parts),
            this.#dispatchTimecode(timecode),
            task,
            this.#number,
          );
        }
      }
      if (!(mutations.noStopAfterModification && kind === "InvalidModificationError")) {
        fireEvent(r, "stop", task, this.#number);
      }
      if (kind === "stop" && this.#blobAfterStop()) {
        // Firefox's bug `dataAfterStop`: a Blob its encoders pushed during the flush is
        // dispatched after the stop event, in a later task.
        const timecode = this.#dispatchTimecode(chunk.timecode);
        r.agent.queueTask((later) =>
          fireBlobEvent(r, this.#blobOf([]), timecode, later, this.#number)
        );
      }
      this.#dispose();
    };
    if (finished instanceof Promise) {
      return finished.then(() => this.#afterIdle(complete), (error) => {
        cause = error;
        complete();
      });
    }
    return this.#afterIdle(complete);
  }

  #dispose(): void {
    this.#cancelTimers();
    this.#unregisterClose();
    for (const lane of this.#lanes.all) lane.internals.observers.delete(this);
    streamInternals(this.#stream).observers.delete(this);
    if (this.#encoder !== null) {
      const encoder = this.#encoder;
      this.#encoder = null;
      try {
        encoder.close();
      } catch {
        // closing a failed encoder may throw; nothing is lost
      }
      const r = this.#r;
      for (const lane of this.#lanes.all) {
        if (r.agent.trace.enabled) {
          r.agent.trace.add({
            kind: "frames",
            t: this.#now(),
            target: r.name,
            recording: this.#number,
            track: lane.internals.name,
            runs: lane.runs,
          });
        }
      }
    }
    this.#ended = true;
    this.#gathering = false;
  }
}

/**
 * Types an engine supports but no registered encoder can produce (H.264, AAC, AV1, MP4)
 * are recorded by the synthetic encoder with the same container and codec labels
 * (decision 23), when the profile's own `isTypeSupported` accepts the type.
 */
function fallbackFor(
  profile: Profile,
  constrained: string,
  essence: string,
): EncoderProvider | undefined {
  if (!profile.isTypeSupported) return undefined;
  if (!profile.isTypeSupported(constrained)) return undefined;
  return syntheticFallbackEncoder.supportsContainer(essence) ? syntheticFallbackEncoder : undefined;
}

function messageOf(kind: Termination, cause: unknown): string {
  switch (kind) {
    case "InvalidModificationError":
      return "a track was added to or removed from the recorded stream";
    case "SecurityError":
      return "the stream's isolation properties no longer allow recording";
    case "NotSupportedError":
      return cause instanceof Error ? cause.message : "the configuration cannot be recorded";
    default:
      return cause instanceof Error ? `the encoder failed: ${cause.message}` : "the encoder failed";
  }
}

/**
 * Closes `blob` with the first byte of part `index` (Chrome's closing write): that byte
 * stays, the rest of the part and the parts after it are returned, to open the next blob.
 */
function closeWithFirstByte(blob: Gathered, index: number): (Uint8Array | Blob)[] {
  if (index >= blob.parts.length) return [];
  const [first, ...rest] = blob.parts.splice(index);
  const size = first instanceof Blob ? first.size : first!.length;
  const carried: (Uint8Array | Blob)[] = [];
  if (size > 0) {
    blob.parts.push(first instanceof Blob ? first.slice(0, 1) : first!.subarray(0, 1));
    if (size > 1) carried.push(first instanceof Blob ? first.slice(1) : first!.subarray(1));
  }
  carried.push(...rest);
  for (const part of carried) blob.bytes -= part instanceof Blob ? part.size : part.length;
  return carried;
}
