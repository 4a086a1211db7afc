/**
 * User-agent profiles: what the spec leaves to each user agent (minimum timeslice, which
 * clock cuts chunks, when `start` fires, the mimeType's format and lifecycle, timecodes,
 * error events, bitrates, supported types) and where Chrome, Firefox and Safari differ
 * from the spec. A profile is plain data plus a few strategy functions; the recorder
 * reads it. This module holds the types; the built-in profiles and the `profiles`
 * registry are in `./mod.ts`.
 *
 * @module
 */

/** How a profile's `bitsPerSecond` split came out. */
export interface BitrateSplit {
  /** Bits per second for all video tracks together. */
  video: number;
  /** Bits per second for all audio tracks together. */
  audio: number;
}

/**
 * How chunk boundaries are found (start() step 15.7 and each engine's reading of it).
 *
 * - `"media"`: a chunk is cut before the first encoded block at least
 *   max(timeslice, minimum) ms of collected media after the chunk's start (paused time
 *   is not collected). Spec.
 * - `"wall-writes"`: Chrome. At each muxer write, the slice closes when
 *   `now > sliceOrigin + timeslice` (strictly), the write included; the origin moves to
 *   that write, so slices never catch up; paused wall time counts (CR-MRH `WriteData`).
 * - `"wall-timer"`: Safari. A one-shot wall-clock timer of max(timeslice, 100 ms); on
 *   fire, the data so far is delivered unless empty, and the timer is re-armed; pause
 *   saves the remainder and resume re-arms with it (WK-MR).
 * - `"encoder-pushes"`: Firefox. At each encoded frame pushed to the muxer, a Blob
 *   (possibly empty) when the muxed media end, the minimum over the kinds, is at least
 *   `timeslice` past the last Blob's (FF-ENC; measured: lab `timeslice/av-0`).
 */
export type ChunkClock = "media" | "wall-writes" | "wall-timer" | "encoder-pushes";

/** A user-agent profile. Every field cites its source in its own doc comment. */
export interface Profile {
  /** The profile's name. */
  readonly name: string;
  /**
   * WebIDL type of `start(timeslice)`. Spec, Gecko, WebKit: `unsigned long`. Chromium:
   * `long` (CR-IDL), where -1, 0, NaN and 2^31 all mean "a chunk at every muxer write"
   * and 2^31−1 means "no timeslice" (CR-MR: `start()` calls `start(INT_MAX)`).
   */
  readonly timesliceType: "unsigned long" | "long";
  /**
   * The UA's minimum timeslice in ms: chunks hold at least max(timeslice, minimum) ms
   * (spec start() 15.7). Safari clamps to 100 ms (WK-MR `m_mimimumTimeSlice`); Chrome and
   * Firefox have none.
   */
  readonly minTimeslice: number;
  /** Which clock cuts chunks; see {@link ChunkClock}. */
  readonly chunkClock: ChunkClock;
  /**
   * Whether `requestData()` restarts the timeslice count. Spec: it starts a new Blob;
   * Firefox resets `mLastBlobTime` (FF-ENC); Safari restarts its timer (WK-MR); Chrome
   * does not reset `slice_origin_timestamp_` (CR-MRH).
   */
  readonly requestDataRestartsTimeslice: boolean;
  /**
   * Duration of one muxer write of audio, in ms: chunk boundaries snap to these. Spec and
   * Firefox: one encoded frame (20 ms here). Chrome encodes Opus in 60 ms buffers
   * (CR-OPUS `kOpusPreferredBufferDurationMs`), so `start(10)` gives ~60 ms chunks.
   */
  readonly audioWriteMs: number | null;
  /**
   * When `start` fires. `"task"`: in the task queued by start() (spec; Safari queues it
   * right after its synchronous start). `"first-output"`: Chrome, lazily at the first
   * muxer output, or at requestData()/stop() if earlier (CR-MR `MaybeEmitStartEvent`).
   * `"all-tracks-data"`: Firefox, once every track's encoder has data, or before the end
   * events if the recording ends first (FF-MR `OnStarted`, `DoSessionEndTask`).
   */
  readonly startEvent: "task" | "first-output" | "all-tracks-data";
  /** Whether `mimeType` reverts to the constructor's value when recording ends (spec Inactivate step 1; Firefox) or keeps the actual type (Chrome CR-MR `StopRecording`, Safari). */
  readonly mimeTypeAfterStop: "constrained" | "kept";
  /**
   * Formats the extended mimeType the start event sets. Spec: MIME serialization
   * (`video/webm;codecs="vp8,opus"`); Chrome `video/webm;codecs=vp8,opus` keeping the
   * constructor's case (CR-MRH `ActualMimeType`); Firefox `video/webm; codecs="vp8, opus"`
   * (FF-MR `SelectMimeType`); Safari `video/mp4; codecs=avc1.42000a,mp4a.40.2` (WK-ENC).
   */
  formatMimeType(essence: string, codecs: readonly string[], constrained: string): string;
  /**
   * `BlobEvent.timecode`. `"spec"`: capture time of the chunk's first data minus the
   * first chunk's (§1.8). `"chrome"`: dispatch time minus the first BlobEvent's, never
   * reset by a new start() on the same recorder (CR-MR). `"none"`: Firefox's BlobEvent
   * has no timecode attribute (FF-IDL). `"safari-seconds"`: start-of-chunk media time in
   * seconds (WK-ENC `m_timeCode = currentTime.toDouble()`; an inference from source).
   */
  readonly timecode: "spec" | "chrome" | "none" | "safari-seconds";
  /** The error event's interface: `ErrorEvent` (spec, Chrome) or `MediaRecorderErrorEvent` (Firefox, Safari; FF-MR, WK-MR). */
  readonly errorEvent: "ErrorEvent" | "MediaRecorderErrorEvent";
  /**
   * The final `dataavailable` when a track is added or removed. `"data"`: the gathered
   * data after the error (spec; Firefox; Chrome, measured: lab `tracks/add-track-during`,
   * `tracks/remove-track-during` give error, data, stop). `"empty"`: an empty Blob
   * (Safari, WK-MR). `"data-plus-chunk"`: the data as one more chunk before the error,
   * then an empty Blob (read from CR-MR `OnStreamChanged` posted as a task; not what
   * Chromium 156 does, kept for custom profiles).
   */
  readonly trackSetChange: "data" | "empty" | "data-plus-chunk";
  /** Firefox ignores the removal of an already-ended track (FF-MR). */
  readonly ignoreRemovalOfEndedTrack: boolean;
  /**
   * When every recorded track ended: `"data"` delivers the gathered data (spec, Chrome,
   * Firefox); `"empty"` an empty Blob (Safari `trackEnded`, WK-MR; to verify).
   */
  readonly allTracksEnded: "data" | "empty";
  /**
   * More than one track of a kind: `"all"` recorded (spec), `"first"` only the first of
   * each kind, silently (Chrome "Only recording first video track", Safari `selectTracks`),
   * `"reject"`: start() throws NotSupportedError (Firefox).
   */
  readonly tracksPerKind: "all" | "first" | "reject";
  /** Where both key-frame options throw NotSupportedError: in start() (spec step 12), in the constructor (Chrome), or nowhere because the engine ignores key-frame options (Firefox: not in FF-IDL; Safari: GOP fixed at 2 s, WK-ENC). */
  readonly bothKeyFrameOptionsThrowIn: "start" | "constructor" | "ignored";
  /**
   * Whether a WebM recording without a timeslice is written seekable (Duration and Cues,
   * the whole file at stop) until `requestData()` makes it live: Chrome
   * (`kMediaRecorderSeekableWebm`, `MemoryWebmMuxerDelegate`, CR-MRH/CR-MUX). Others: live.
   */
  readonly seekableWebmWithoutTimeslice: boolean;
  /**
   * Virtual ms from `getUserMedia()` to its promise settling (device start-up and the
   * permission prompt). No engine source fixes a figure, so every built-in profile says 0
   * (the next task); set it per test: `{ ...profiles.chrome, getUserMediaLatency: 300 }`
   * or `createUserAgent({ getUserMediaLatency })`.
   */
  readonly getUserMediaLatency?: number;
  /**
   * Whether a MediaStream fires `inactive` when it becomes inactive and `active` when it
   * becomes active again, each in a task (Chrome, measured: lab scenarios
   * `tracks/stream-inactive-on-stop`, `tracks/remove-all-then-add`). The events left
   * Media Capture and Streams in 2013; default false.
   */
  readonly streamActivityEvents?: boolean;
  /**
   * Whether a codecs list that names no codec for one of the recorded kinds is completed
   * with the profile's default codec for that kind instead of failing start() with
   * NotSupportedError (Chrome, measured: `video/webm;codecs=vp8` on audio+video records
   * `vp8,opus`, and on audio only `video/webm;codecs=opus`; lab `mime/av-video-webm-codecs-vp8`,
   * `mime/audio-video-webm-codecs-vp8`). Default false.
   */
  readonly completeCodecs?: boolean;
  /**
   * Whether Inactivate's bitrate split (step 3) uses the kinds actually recorded (Chrome,
   * measured: `bitsPerSecond` on an audio-only stream reads `0` and `510000` after stop();
   * lab `bitrate/bps-1e6-audio`) instead of both kinds. Default false.
   */
  readonly inactivateSplitsRecordedKinds?: boolean;
  /**
   * Whether the engine has `audioBitrateMode` (the option and the attribute). Firefox has
   * neither (measured: the attribute reads `undefined` and `{ audioBitrateMode: "bogus" }`
   * is ignored; lab `bitrate/mode-bogus-audio`). Default true.
   */
  readonly audioBitrateMode?: boolean;
  /**
   * Whether the container header is gathered by the time `start` fires (decision 9;
   * Chrome, WebKit, the spec profile). Firefox writes it with the first encoded data, so
   * `requestData()` in `onstart` gives an empty Blob there (measured: lab
   * `state/request-data-in-onstart`). Default true.
   */
  readonly headerAtStartEvent?: boolean;
  /**
   * The encoders' start-up latency (issue 13 item 7), in virtual ms after start():
   * `startMs`, the earliest `start` event (encoders initialised); `dataMs`, the earliest
   * instant encoded data reaches the muxer: frames captured before then are delivered
   * together then (a burst), so a small timeslice's first chunk comes late. Virtual time
   * stays independent of the machine's speed. The spec profile has none. Measured on this
   * lab's machines (lab `timeslice/av-100`, `state/request-data-in-onstart`): Chrome
   * 150/150 ms, Firefox 25/230 ms (the browsers' own spread was 110–700 ms under load).
   */
  readonly encoderLatency?: Readonly<EncoderLatency>;
  /**
   * Whether a timeslice of 0 (after the profile's WebIDL conversion) delivers one chunk per
   * muxer *write* rather than per encoded block (Chrome, measured: its WebM muxer writes
   * element ids and sizes a byte at a time and each payload whole, and fires a
   * `dataavailable` per write, hundreds a second, then an empty Blob at stop; lab
   * `timeslice/av-0`, `timeslice/av-nan`). Modelled as one write per byte of a
   * Uint8Array part (headers, Cluster starts) and, per cached block, seven 1-byte writes
   * and the rest. Default false.
   */
  readonly chunkPerWrite?: boolean;
  /**
   * WebM Clusters: an audio block at least this many ms after the current Cluster's start
   * begins a new one, with or without video. Chrome's muxer starts a Cluster at every
   * second 60 ms Opus packet (measured: the write sizes of lab `timeslice/audio-0` and
   * `timeslice/av-0`); default none (Clusters at video key frames, or every 5 s without
   * video).
   */
  readonly audioClusterMs?: number;
  /**
   * Whether start() chooses the container and codecs (and so `mimeType` and the Blob
   * type) from every track of the stream, ended ones included, while recording the live
   * ones. Chrome does (measured: lab `tracks/start-one-ended-track` gives
   * `video/webm;codecs=vp8,opus` for a stream whose video track ended). Default false.
   */
  readonly mimeTypeFromAllTracks?: boolean;
  /** Whether timesliced chunks that would be empty are delivered (Safari skips empty ticks, WK-MR `ReturnDataIfEmpty::No`). */
  readonly emptyTimesliceChunks: boolean;
  /** `videoBitsPerSecond` when the options give none (constructor step 13). */
  readonly defaultVideoBitsPerSecond: number;
  /** `audioBitsPerSecond` when the options give none (constructor step 14). */
  readonly defaultAudioBitsPerSecond: number;
  /** Splits `bitsPerSecond` into video and audio "whose sum is close to it" (constructor 15, start 9, Inactivate 3). */
  splitBitsPerSecond(bitsPerSecond: number, hasVideo: boolean, hasAudio: boolean): BitrateSplit;
  /**
   * Bitrates when start() knows the tracks. Chrome sets the missing kind's rate to 0 and
   * gives the other all of `bitsPerSecond` (CR-MR); others keep the attributes unless
   * `bitsPerSecond` was given (spec step 9).
   */
  readonly zeroMissingKindAtStart: boolean;
  /** The container chosen when the constructor's mimeType is empty (start() 15.1). */
  defaultContainer(hasVideo: boolean, hasAudio: boolean): string;
  /** The codec chosen for a kind when the mimeType names none (start() 15.1). */
  defaultCodec(kind: "video" | "audio", container: string): string;
  /**
   * The engine's own `isTypeSupported` answer, or `undefined` to use the spec's algorithm
   * over the registered encoders. The constructor uses it too.
   */
  isTypeSupported?(type: string): boolean;
  /**
   * Known engine bugs a page can observe. An engine's profile is the engine as shipped, so
   * they are on in its profile (decision 28); `{ ...profiles.chrome, bugs: {} }` turns
   * them off; the spec profile has none.
   * - `stateStaysRecordingAfterFailedStart` (chrome): start() throws NotSupportedError on
   *   an inactive or ended stream, or an audio container for a stream with video, but
   *   state stays "recording"; a later stop() fires start, an empty dataavailable and
   *   stop (measured: lab `tracks/start-on-ended-stream`, `mime/av-audio-webm`).
   * - `stallsOnMissingKind` (firefox): when the codecs name a kind the stream has no
   *   track of (`video/webm;codecs=vp8,opus` on audio alone), nothing is recorded; stop()
   *   fires start and never stop (measured: lab `mime/audio-video-webm-codecs-vp8-opus`).
   * - `silentVideoBelowOneKbps` (chrome): a video target below 1000 bit/s (libvpx's
   *   `rc_target_bitrate` is in kbit/s: 0) gives a video encoder that outputs nothing, and
   *   the muxer, waiting for video, writes nothing at all: no start event until stop(),
   *   then start, an empty Blob and stop (measured: lab `bitrate/tiny-av`).
   * - `dataAfterStop` (firefox): at a timeslice of at most 10 ms, a Blob the encoders
   *   pushed during the final flush can be dispatched after the stop event (measured: 2
   *   runs of 6 of lab `timeslice/av-nan`, `timeslice/av-2pow32-plus-5`); recsim draws it
   *   from the seed for one recording in three, and the Blob is empty.
   */
  readonly bugs: Readonly<{
    stateStaysRecordingAfterFailedStart?: boolean;
    stallsOnMissingKind?: boolean;
    silentVideoBelowOneKbps?: boolean;
    dataAfterStop?: boolean;
  }>;
}

/**
 * An engine's encoder start-up latency (see {@link Profile.encoderLatency}): for
 * audio+video recordings, and optionally other figures for audio-only and video-only
 * ones (Chrome starts its audio encoder alone much sooner).
 */
export interface EncoderLatency {
  /** Earliest `start` event, ms after start(). */
  startMs: number;
  /** Earliest encoded data at the muxer, ms after start(). */
  dataMs: number;
  /** The figures for an audio-only recording. */
  audioOnly?: { startMs: number; dataMs: number };
  /** The figures for a video-only recording. */
  videoOnly?: { startMs: number; dataMs: number };
  /** Each frame's encoding time once the encoders run, ms (default 0). */
  frameMs?: number;
  /**
   * The audio encoder's own delay before a complete frame reaches the muxer, ms (default
   * 0; read by the `encoder-pushes` chunk clock). Firefox: ~30 ms (lab `timeslice/av-0`:
   * pushes at 49, 70, 87, 107 ms… for 20 ms frames from 0).
   */
  audioFrameMs?: number;
  /** Each frame's extra delay is drawn from the seed in `[0, jitterMs)` (default 0). */
  jitterMs?: number;
  /**
   * Frames the encoder queue holds before an encoder slower than the frame rate drops
   * frames (default 0: never drops).
   */
  queueLimit?: number;
}

/** The names of the built-in profiles. */
export type ProfileName = "spec" | "chrome" | "firefox" | "safari";
