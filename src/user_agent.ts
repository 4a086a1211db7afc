/**
 * `createUserAgent()`: one simulated user agent, owning a clock, a task queue, a UA
 * profile, an encoder registry, a seeded generator and a trace. Many agents can live in
 * one process and never interfere.
 *
 * @module
 */
import { type Agent, AGENT_SLOT } from "./agent.ts";
import type { Clock } from "./clock/clock.ts";
import { VirtualClock } from "./clock/virtual_clock.ts";
import type { EncoderProvider } from "./encoding/encoder.ts";
import { syntheticEncoder } from "./encoding/synthetic_encoder.ts";
import { HarnessError } from "./errors.ts";
import { BlobEvent, BlobEventWithoutTimecode } from "./events/blob_event.ts";
import { MediaRecorderErrorEvent } from "./events/media_recorder_error_event.ts";
import { ErrorEvent } from "./events/error_event.ts";
import { changeTrackSet, MediaStream } from "./media/media_stream.ts";
import {
  createTrack,
  MediaStreamTrack,
  setTrackIsolated,
  trackInternals,
} from "./media/media_stream_track.ts";
import {
  type AudioTrackOptions,
  createAudioSource,
  createVideoSource,
  type VideoTrackOptions,
} from "./media/track_source.ts";
import { hash32, Prng } from "./prng.ts";
import {
  createDeviceRegistry,
  type DevicePermissionName,
  type DevicePermissionState,
  type MediaDevices,
  type VirtualDeviceInfo,
  type VirtualDeviceInit,
} from "./dropin/devices.ts";
import { type Profile, type ProfileName, profiles } from "./profiles/mod.ts";
import { failRecorderEncoder, MediaRecorder } from "./recorder/media_recorder.ts";
import { Trace, type TraceOptions } from "./trace.ts";

/** Options of {@link createUserAgent}; all are optional. */
export interface UserAgentOptions<C extends Clock = VirtualClock> {
  /** A built-in profile name or a profile object (default "spec"). */
  profile?: ProfileName | Profile;
  /** The UA minimum timeslice in ms (default: the profile's). */
  minTimeslice?: number;
  /** The seed of every random choice (default 1). */
  seed?: number;
  /** The clock (default: a new {@link VirtualClock} at 0). */
  clock?: C;
  /**
   * Record a trace (default true). `false` turns it off; {@link TraceOptions} stream it to
   * a sink (e.g. {@link ndjsonSink}) keeping only a bounded window in memory.
   */
  trace?: boolean | TraceOptions;
  /** Encoder providers, tried in order before the built-in synthetic encoder. */
  encoders?: EncoderProvider[];
  /**
   * Virtual ms `mediaDevices.getUserMedia()` takes to resolve or reject (default: the
   * profile's `getUserMediaLatency` if it has one, else 0, i.e. the next task).
   */
  getUserMediaLatency?: number;
  /** Plug in a default camera and microphone (default true). */
  defaultDevices?: boolean;
}

/** One simulated user agent. */
export interface UserAgent<C extends Clock = VirtualClock> extends Disposable {
  /** The agent's clock: `advance(ms)`, `settle()`, `advanceTo(t)` on a virtual clock. */
  readonly clock: C;
  /** The UA profile. */
  readonly profile: Profile;
  /** The seed. */
  readonly seed: number;
  /** The UA minimum timeslice in ms. */
  readonly minTimeslice: number;
  /** The trace of everything that happened. */
  readonly trace: Trace;
  /** `MediaRecorder`, bound to this agent. */
  readonly MediaRecorder: typeof MediaRecorder;
  /** `MediaStream`, bound to this agent. */
  readonly MediaStream: typeof MediaStream;
  /** `MediaStreamTrack` (not constructible, as in browsers). */
  readonly MediaStreamTrack: typeof MediaStreamTrack;
  /**
   * `BlobEvent`: the class the profile's `dataavailable` events are instances of. Under
   * `firefox` it is Gecko's, {@link BlobEventWithoutTimecode}, with no `timecode`
   * attribute (typed as lib.dom types Firefox's own `BlobEvent`: as if it had one).
   */
  readonly BlobEvent: typeof BlobEvent;
  /** `ErrorEvent`. */
  readonly ErrorEvent: typeof ErrorEvent;
  /**
   * `MediaRecorderErrorEvent`, the class of the profile's `error` events where the engine
   * still ships it (`firefox`, `safari`); `undefined` where it does not (spec, chrome).
   */
  readonly MediaRecorderErrorEvent: typeof MediaRecorderErrorEvent | undefined;
  /** A virtual camera track: frames on the clock with the frame index in the pixels. */
  createVideoTrack(options?: VideoTrackOptions): MediaStreamTrack;
  /** A virtual microphone track: a tone (default), silence or seeded noise. */
  createAudioTrack(options?: AudioTrackOptions): MediaStreamTrack;
  /**
   * Makes a track not origin-clean (`true`) or clean again. start() on a stream with an
   * isolated track throws `SecurityError`; isolating a recorded track takes the spec's
   * SecurityError path (error, dataavailable with the gathered data discarded, stop).
   */
  setIsolated(track: MediaStreamTrack, isolated: boolean): void;
  /**
   * Fault injection: the recorder's encoder fails at its next step, taking the spec's
   * UnknownError path (error, dataavailable with the data gathered so far, stop). With
   * reason `"configure"` the next start() fails to configure its encoder instead
   * (start() step 15.2: error NotSupportedError, stop, no dataavailable). When the
   * recorder is inactive, the failure applies to its next recording.
   */
  failEncoder(recorder: MediaRecorder, reason?: string): void;
  /** The UA adds a track to a stream (fires `addtrack`; a recording of it takes the InvalidModificationError path). */
  addTrackToStream(stream: MediaStream, track: MediaStreamTrack): void;
  /** The UA removes a track from a stream (fires `removetrack`). */
  removeTrackFromStream(stream: MediaStream, track: MediaStreamTrack): void;
  /** Registers an encoder provider, tried before those registered earlier. Returns a handle that unregisters it. */
  registerEncoder(provider: EncoderProvider): Disposable;
  /**
   * The agent's `navigator.mediaDevices`: `getUserMedia()` on its virtual devices,
   * `enumerateDevices()`, `getSupportedConstraints()`, `devicechange`. Put it on
   * `navigator` with `installGlobals(ua)`.
   */
  readonly mediaDevices: MediaDevices;
  /**
   * Plugs in a virtual camera or microphone (fires `devicechange`). Capabilities are a
   * value or a `{ min, max }` range, e.g. `{ kind: "videoinput", width: { min: 320,
   * max: 1920 } }`; `getUserMedia` picks settings within them.
   */
  addDevice(init: VirtualDeviceInit): VirtualDeviceInfo;
  /** Unplugs a device: the tracks taken from it end (`ended` events), then `devicechange` fires. */
  removeDevice(deviceId: string): void;
  /** Marks a device as in use elsewhere (`getUserMedia` rejects with `NotReadableError`) or free. */
  setDeviceBusy(deviceId: string, busy: boolean): void;
  /** The plugged-in devices (the default camera and microphone first). */
  devices(): VirtualDeviceInfo[];
  /**
   * Sets the page's camera or microphone permission: "denied" makes `getUserMedia`
   * reject with `NotAllowedError`; "prompt" (the initial state) is answered "granted"
   * by the simulated user at the next `getUserMedia`. Labels and ids show in
   * `enumerateDevices()` once granted.
   */
  setPermission(name: DevicePermissionName, state: DevicePermissionState): void;
  /** The page's camera or microphone permission. */
  permission(name: DevicePermissionName): DevicePermissionState;
  /** Cancels timers, ends tracks and releases encoders; the agent is unusable afterwards. */
  close(): void;
}

/**
 * Creates a simulated user agent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "./user_agent.ts";
 * const ua = createUserAgent({ profile: "spec", minTimeslice: 0, seed: 1 });
 * const video = ua.createVideoTrack({ width: 320, height: 240, frameRate: 30 });
 * const audio = ua.createAudioTrack({ sampleRate: 48000, channelCount: 2, frequency: 440 });
 * const stream = new ua.MediaStream([video, audio]);
 * const rec = new ua.MediaRecorder(stream, { mimeType: "video/webm" });
 * const chunks: Blob[] = [];
 * rec.ondataavailable = (e) => chunks.push(e.data);
 * rec.start(1000);
 * await ua.clock.advance(3500);
 * rec.stop();
 * await ua.clock.settle();
 * assert.ok(chunks.length === 4);
 * ua.close();
 * ```
 */
export function createUserAgent<C extends Clock = VirtualClock>(
  options: UserAgentOptions<C> = {},
): UserAgent<C> {
  const profileOption = options.profile ?? "spec";
  let profile: Profile;
  if (typeof profileOption === "string") {
    const found = (profiles as Record<string, Profile>)[profileOption];
    if (!found) {
      throw new TypeError(
        `createUserAgent: unknown profile '${profileOption}' (known: ${
          Object.keys(profiles).join(", ")
        })`,
      );
    }
    profile = found;
  } else {
    profile = profileOption;
  }
  const minTimeslice = options.minTimeslice ?? profile.minTimeslice;
  if (typeof minTimeslice !== "number" || !Number.isFinite(minTimeslice) || minTimeslice < 0) {
    throw new TypeError(
      `createUserAgent: options.minTimeslice must be a finite number >= 0, got ${
        String(minTimeslice)
      }`,
    );
  }
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) {
    throw new TypeError(`createUserAgent: options.seed must be an integer, got ${String(seed)}`);
  }
  const clock = (options.clock ?? new VirtualClock()) as C;
  const trace = new Trace(options.trace ?? true);
  const counters = new Map<string, number>();
  const cleanups = new Set<() => void>();
  let tasks = 0;
  let closed = false;
  let sourceSerial = 0;

  const agent: Agent = {
    clock,
    profile,
    seed,
    minTimeslice,
    trace,
    ids: new Prng(seed),
    providers: [...(options.encoders ?? []), syntheticEncoder],
    get closed() {
      return closed;
    },
    name(prefix: string): string {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}#${n}`;
    },
    queueTask(run: (task: number) => unknown): void {
      if (closed) return;
      const task = ++tasks;
      clock.setTimer(() => run(task), 0);
    },
    reportListenerError(error: unknown): void {
      const e = error as Error;
      trace.add({
        kind: "listener-error",
        t: clock.now(),
        error: `${e?.name ?? "Error"}: ${e?.message ?? String(error)}`,
      });
      clock.reportError(error);
    },
    onClose(cleanup: () => void): () => void {
      cleanups.add(cleanup);
      return () => cleanups.delete(cleanup);
    },
  };

  const BoundRecorder = class MediaRecorder_ extends MediaRecorder {
    static [AGENT_SLOT] = agent;
  };
  Object.defineProperty(BoundRecorder, "name", { value: "MediaRecorder" });
  if (profile.audioBitrateMode === false) {
    // The engine has no such attribute (Firefox): reading it gives undefined.
    Object.defineProperty(BoundRecorder.prototype, "audioBitrateMode", {
      get: () => undefined,
      configurable: true,
    });
  }
  const BoundStream = class MediaStream_ extends MediaStream {
    static [AGENT_SLOT] = agent;
  };
  Object.defineProperty(BoundStream, "name", { value: "MediaStream" });

  const tracks = new Set<MediaStreamTrack>();
  function ensureOpen(): void {
    if (closed) throw new HarnessError("this user agent was closed");
  }
  function own(track: MediaStreamTrack): MediaStreamTrack {
    tracks.add(track);
    return track;
  }
  function checkTrack(track: MediaStreamTrack, what: string): void {
    if (!(track instanceof MediaStreamTrack)) {
      throw new TypeError(`${what}: argument 1 is not a MediaStreamTrack`);
    }
    if (trackInternals(track).agent !== agent) {
      throw new HarnessError(`${what}: the track belongs to another user agent`);
    }
  }

  const profileLatency = profile.getUserMediaLatency;
  const latency = options.getUserMediaLatency ?? profileLatency;
  const devices = createDeviceRegistry(
    {
      agent,
      nextSourceSeed: () => hash32(seed, ++sourceSerial),
      own,
      makeStream: (list) => new BoundStream(list),
    },
    {
      ...(latency !== undefined ? { getUserMediaLatency: latency } : {}),
      ...(options.defaultDevices !== undefined ? { defaultDevices: options.defaultDevices } : {}),
    },
  );

  const ua: UserAgent<C> = {
    clock,
    profile,
    seed,
    minTimeslice,
    trace,
    MediaRecorder: BoundRecorder,
    MediaStream: BoundStream,
    MediaStreamTrack,
    BlobEvent: profile.timecode === "none"
      ? BlobEventWithoutTimecode as unknown as typeof BlobEvent
      : BlobEvent,
    ErrorEvent,
    MediaRecorderErrorEvent: profile.errorEvent === "MediaRecorderErrorEvent"
      ? MediaRecorderErrorEvent
      : undefined,
    createVideoTrack(o: VideoTrackOptions = {}): MediaStreamTrack {
      ensureOpen();
      const source = createVideoSource(o, clock.now(), hash32(seed, sourceSerial + 1));
      sourceSerial++;
      return own(
        createTrack(agent, source, o.label ?? "recsim virtual camera", o.isolated ?? false),
      );
    },
    createAudioTrack(o: AudioTrackOptions = {}): MediaStreamTrack {
      ensureOpen();
      const source = createAudioSource(o, clock.now(), hash32(seed, sourceSerial + 1));
      sourceSerial++;
      return own(
        createTrack(agent, source, o.label ?? "recsim virtual microphone", o.isolated ?? false),
      );
    },
    setIsolated(track: MediaStreamTrack, isolated: boolean): void {
      checkTrack(track, "setIsolated");
      setTrackIsolated(track, isolated);
    },
    failEncoder(recorder: MediaRecorder, reason = "encode"): void {
      if (!(recorder instanceof MediaRecorder)) {
        throw new TypeError("failEncoder: argument 1 is not a MediaRecorder");
      }
      failRecorderEncoder(recorder, String(reason));
    },
    addTrackToStream(stream: MediaStream, track: MediaStreamTrack): void {
      checkTrack(track, "addTrackToStream");
      changeTrackSet(stream, track, true, true);
    },
    removeTrackFromStream(stream: MediaStream, track: MediaStreamTrack): void {
      checkTrack(track, "removeTrackFromStream");
      changeTrackSet(stream, track, false, true);
    },
    mediaDevices: devices.mediaDevices,
    addDevice(init: VirtualDeviceInit): VirtualDeviceInfo {
      ensureOpen();
      return devices.addDevice(init);
    },
    removeDevice(deviceId: string): void {
      ensureOpen();
      devices.removeDevice(deviceId);
    },
    setDeviceBusy(deviceId: string, busy: boolean): void {
      devices.setDeviceBusy(deviceId, busy);
    },
    devices(): VirtualDeviceInfo[] {
      return devices.devices();
    },
    setPermission(name: DevicePermissionName, state: DevicePermissionState): void {
      devices.setPermission(name, state);
    },
    permission(name: DevicePermissionName): DevicePermissionState {
      return devices.permission(name);
    },
    registerEncoder(provider: EncoderProvider): Disposable {
      agent.providers.unshift(provider);
      return {
        [Symbol.dispose]() {
          const i = agent.providers.indexOf(provider);
          if (i >= 0) agent.providers.splice(i, 1);
        },
      };
    },
    close(): void {
      if (closed) return;
      for (const cleanup of [...cleanups]) cleanup();
      cleanups.clear();
      closed = true;
      for (const t of tracks) t.stop();
      (clock as Partial<{ close(): void }>).close?.();
      trace.flush();
    },
    [Symbol.dispose](): void {
      ua.close();
    },
  };
  return ua;
}
