/**
 * Spec: `start(timeslice)` (MediaStream Recording §start(), steps 1–15).
 *
 * @module
 */
import { domException } from "../errors.ts";
import type { EncoderConfig, EncoderTrack } from "../encoding/encoder.ts";
import { streamInternals } from "../media/media_stream.ts";
import { type MediaStreamTrack, trackInternals } from "../media/media_stream_track.ts";
import { toLong, toUnsignedLong } from "../webidl.ts";
import { codecIdentifier, codecList, type MimeType, parseMimeType } from "../mime_type.ts";
import { EXPOSED_CODECS } from "./mime_type.ts";
import type { RecorderInternals } from "./recorder_internals.ts";
import { RecordingSession } from "./recording_session.ts";

/** The configuration steps 8 and 15.1 settle on, before any state changes. */
export interface Configuration {
  /** Container essence, e.g. `video/webm`. */
  essence: string;
  /** The codec string per recorded track, in track order. */
  codecs: string[];
  /** The extended mimeType the start event will set (15.3). */
  extendedMimeType: string;
}

const MORE_CODECS: ReadonlyMap<string, "video" | "audio"> = new Map([
  ["vp08", "video"],
  ["vp09", "video"],
  ["hev1", "video"],
  ["mp4a", "audio"],
  ["vorbis", "audio"],
  ["flac", "audio"],
]);

/** A codec string's kind, when recsim knows it. */
function codecKind(codec: string): "video" | "audio" | undefined {
  const id = codecIdentifier(codec);
  return EXPOSED_CODECS.get(id) ?? MORE_CODECS.get(id);
}

/**
 * Steps 8 and 14 (with 15.1's choices): constrain the configuration to
 * `[[ConstrainedMimeType]]`, pick what it leaves open, and return `null` for a track
 * the UA cannot record with it (step 14 then throws).
 */
export function resolveConfiguration(
  r: RecorderInternals,
  tracks: readonly MediaStreamTrack[],
): { config: Configuration } | { unrecordable: MediaStreamTrack } {
  const constrained: MimeType | null = r.constrainedMimeType === ""
    ? null
    : parseMimeType(r.constrainedMimeType);
  const hasVideo = tracks.some((t) => t.kind === "video");
  const hasAudio = tracks.some((t) => t.kind === "audio");
  const profile = r.agent.profile;
  const essence = constrained
    ? `${constrained.type}/${constrained.subtype}`
    : profile.defaultContainer(hasVideo, hasAudio);
  const given = constrained ? codecList(constrained) : null;
  const codecs: string[] = [];
  for (const track of tracks) {
    const kind = track.kind as "video" | "audio";
    // An audio container cannot hold video; an Ogg Opus stream holds one audio track.
    if (kind === "video" && essence.startsWith("audio/")) return { unrecordable: track };
    if (
      essence === "audio/ogg" && kind === "audio" &&
      track !== tracks.find((t) => t.kind === "audio")
    ) {
      return { unrecordable: track };
    }
    if (given === null) {
      codecs.push(profile.defaultCodec(kind, essence));
      continue;
    }
    const sameKind = given.find((c) => codecKind(c) === kind);
    const unknown = given.find((c) => codecKind(c) === undefined);
    // (Chrome completes the list with its default codec for the kind.)
    const codec = sameKind ?? unknown ??
      (profile.completeCodecs ? profile.defaultCodec(kind, essence) : undefined);
    if (codec === undefined) return { unrecordable: track };
    codecs.push(codec);
  }
  // extendedMimeType: [[ConstrainedMimeType]] plus type, subtype and a codecs parameter
  // reflecting the codecs used (video first, as browsers write it), in the profile's format.
  const used: string[] = [];
  for (const kind of ["video", "audio"]) {
    for (let i = 0; i < tracks.length; i++) {
      if (tracks[i]!.kind === kind && !used.includes(codecs[i]!)) used.push(codecs[i]!);
    }
  }
  const extendedMimeType = profile.formatMimeType(essence, used, r.constrainedMimeType);
  return { config: { essence, codecs, extendedMimeType } };
}

/** Whether `constrained`'s codecs name a kind (video or audio) that no track has. */
function namesMissingKind(constrained: string, tracks: readonly MediaStreamTrack[]): boolean {
  const mime = constrained === "" ? null : parseMimeType(constrained);
  const codecs = mime ? codecList(mime) ?? [] : [];
  return codecs.some((c) => {
    const kind = codecKind(c);
    return kind !== undefined && !tracks.some((t) => t.kind === kind);
  });
}

/**
 * Chrome's bug (`bugs.stateStaysRecordingAfterFailedStart`, on in the chrome profile;
 * lab `tracks/start-on-ended-stream`, `mime/av-audio-webm`): its handler fails after state
 * was set to "recording", so start() throws NotSupportedError and state stays "recording".
 * The MIME type the handler chose (the constrained container, or the default one, with
 * the default codec of every track in the stream, ended ones included) is what a later
 * stop() reports. A stream without tracks fails before that (state stays inactive).
 */
function failedStart(r: RecorderInternals): void {
  const profile = r.agent.profile;
  const all = [...streamInternals(r.stream).tracks];
  if (!profile.bugs.stateStaysRecordingAfterFailedStart || all.length === 0) return;
  const hasVideo = all.some((t) => t.kind === "video");
  const hasAudio = all.some((t) => t.kind === "audio");
  const constrained = r.constrainedMimeType === "" ? null : parseMimeType(r.constrainedMimeType);
  const essence = constrained
    ? `${constrained.type}/${constrained.subtype}`
    : profile.defaultContainer(hasVideo, hasAudio);
  const codecs = [
    ...(hasVideo ? [profile.defaultCodec("video", essence)] : []),
    ...(hasAudio ? [profile.defaultCodec("audio", essence)] : []),
  ];
  r.state = "recording";
  r.session = null;
  r.phantom = {
    mimeType: profile.formatMimeType(essence, codecs, r.constrainedMimeType),
    endEvents: true,
  };
  // (Its bitrates were set for the tracks before it failed: lab mime/video-audio-webm.)
  if (profile.zeroMissingKindAtStart && r.constrainedBitsPerSecond === null) {
    if (!hasVideo) r.videoBitsPerSecond = 0;
    if (!hasAudio) r.audioBitsPerSecond = 0;
  }
}

/**
 * WebIDL conversion of the timeslice argument: `undefined` (missing) stays undefined;
 * `unsigned long` wraps modulo 2^32; Chrome's `long` maps 2^31−1 to "no timeslice" and
 * values ≤ 0 to 0 ("a chunk at every muxer write").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { convertTimeslice } from "./start.ts";
 * assert.equal(convertTimeslice(-1, "unsigned long"), 4294967295);
 * assert.equal(convertTimeslice(-1, "long"), 0);
 * assert.equal(convertTimeslice(2 ** 31 - 1, "long"), undefined);
 * assert.equal(convertTimeslice(undefined, "long"), undefined);
 * ```
 */
export function convertTimeslice(
  value: unknown,
  type: "unsigned long" | "long",
): number | undefined {
  if (value === undefined) return undefined;
  if (type === "unsigned long") return toUnsignedLong(value);
  const n = toLong(value);
  if (n === 2147483647) return undefined;
  // Stryker disable next-line EqualityOperator: equivalent, `n < 0` also gives 0 for n = 0
  return n <= 0 ? 0 : n;
}

/**
 * The `start(timeslice)` method steps. Throws, with no state changed, on the spec's
 * errors; otherwise sets state to "recording" and starts the in-parallel recording.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserAgent } from "../user_agent.ts";
 * const ua = createUserAgent();
 * const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createAudioTrack()]));
 * rec.start(-1); // WebIDL unsigned long: a timeslice of 4294967295 ms
 * assert.ok(rec.state === "recording");
 * let name = "";
 * try { rec.start(); } catch (e) { name = (e as DOMException).name; }
 * assert.ok(name === "InvalidStateError");
 * rec.stop();
 * await ua.clock.settle();
 * ```
 */
export function start(r: RecorderInternals, timesliceArgument: unknown): void {
  // 1. Let recorder be this. 2. Let timeslice be the method's first argument, if provided,
  // or undefined. (WebIDL: an explicit undefined is "not provided"; otherwise the profile's
  // integer type: the spec's unsigned long, or Chrome's long.)
  const profile = r.agent.profile;
  const timeslice = convertTimeslice(timesliceArgument, profile.timesliceType);
  // 3. Let stream be the value of recorder's stream attribute.
  const stream = r.stream;
  // 4. Let tracks be the set of live tracks in stream's track set.
  //    (Recorded with video tracks first, as browsers number them, so that a video key
  //    frame and an audio packet with the same timestamp open a Cluster in that order.)
  const live = [...streamInternals(stream).tracks].filter((t) => t.readyState === "live");
  let tracks = [
    ...live.filter((t) => t.kind === "video"),
    ...live.filter((t) => t.kind !== "video"),
  ];
  const videos = tracks.filter((t) => t.kind === "video").length;
  const audios = tracks.length - videos;
  //    (Chrome and Safari record only the first track of each kind.)
  if (profile.tracksPerKind === "first") {
    tracks = tracks.filter((t, i) => tracks.findIndex((u) => u.kind === t.kind) === i);
  }
  // 5. If the value of recorder's state attribute is not inactive, throw an InvalidStateError.
  if (r.state !== "inactive") {
    throw domException("InvalidStateError", `start() called while the recorder is ${r.state}`);
  }
  // 6. If the isolation properties of stream disallow access from recorder, throw a SecurityError.
  for (const t of streamInternals(stream).tracks) {
    if (trackInternals(t).isolated) {
      throw domException(
        "SecurityError",
        "the stream's isolation properties disallow recording (a track is not origin-clean)",
      );
    }
  }
  // 7. If stream is inactive, throw a NotSupportedError.
  if (!stream.active) {
    failedStart(r);
    throw domException("NotSupportedError", "the stream is inactive (it has no live track)");
  }
  // 8. If [[ConstrainedMimeType]] specifies a media type, container, or codec, constrain
  //    the configuration of recorder to it.
  let resolved = resolveConfiguration(r, tracks);
  //    (Chrome chooses the container and codecs from every track of the stream, ended
  //    ones included, and records the live ones: lab tracks/start-one-ended-track.)
  if (profile.mimeTypeFromAllTracks && "config" in resolved) {
    const all = [...streamInternals(stream).tracks];
    const ordered = [
      ...all.filter((t) => t.kind === "video"),
      ...all.filter((t) => t.kind !== "video"),
    ]
      .filter((t, i, list) =>
        profile.tracksPerKind !== "first" || list.findIndex((u) => u.kind === t.kind) === i ||
        tracks.includes(t)
      );
    const wide = ordered.length > tracks.length ? resolveConfiguration(r, ordered) : null;
    if (wide !== null && "config" in wide) {
      resolved = {
        config: {
          essence: wide.config.essence,
          codecs: tracks.map((t) => wide.config.codecs[ordered.indexOf(t)]!),
          extendedMimeType: wide.config.extendedMimeType,
        },
      };
    }
  }
  // 9. If [[ConstrainedBitsPerSecond]] is not null, recompute the bitrates for tracks.
  let videoBitsPerSecond = r.videoBitsPerSecond;
  let audioBitsPerSecond = r.audioBitsPerSecond;
  const hasVideo = tracks.some((t) => t.kind === "video");
  const hasAudio = tracks.some((t) => t.kind === "audio");
  if (r.constrainedBitsPerSecond !== null) {
    const split = profile.splitBitsPerSecond(r.constrainedBitsPerSecond, hasVideo, hasAudio);
    videoBitsPerSecond = split.video;
    audioBitsPerSecond = split.audio;
  } else if (profile.zeroMissingKindAtStart) {
    // Chrome: a kind with no track gets 0.
    if (!hasVideo) videoBitsPerSecond = 0;
    if (!hasAudio) audioBitsPerSecond = 0;
  }
  // 10–11. Target videoBitsPerSecond / audioBitsPerSecond as hints (encoder config below).
  // 12. Key frames: both [[VideoKeyFrameIntervalDuration]] and [[VideoKeyFrameIntervalCount]]
  //     non-null → throw a NotSupportedError.
  if (
    profile.bothKeyFrameOptionsThrowIn === "start" &&
    r.videoKeyFrameIntervalDuration !== null && r.videoKeyFrameIntervalCount !== null
  ) {
    throw domException(
      "NotSupportedError",
      "videoKeyFrameIntervalDuration and videoKeyFrameIntervalCount cannot both be given",
    );
  }
  // 13. Constrain audio encoding to audioBitrateMode (encoder config below).
  // 14. For each track in tracks, if the UA cannot record the track using the current
  //     configuration, throw a NotSupportedError.
  if ("unrecordable" in resolved) {
    failedStart(r);
    throw domException(
      "NotSupportedError",
      `a ${resolved.unrecordable.kind} track cannot be recorded as '${r.constrainedMimeType}'`,
    );
  }
  //     (Firefox: more than one video or audio track cannot be recorded.)
  if (profile.tracksPerKind === "reject" && (videos > 1 || audios > 1)) {
    throw domException("NotSupportedError", "only one video and one audio track can be recorded");
  }
  // Every check passed: from here on state changes (a failed start() changed nothing).
  r.videoBitsPerSecond = videoBitsPerSecond;
  r.audioBitsPerSecond = audioBitsPerSecond;
  const { config } = resolved;
  // (Firefox's stall: the codecs name a kind the stream has no track of; its encoder of
  // that kind never starts, so nothing is recorded; lab mime/audio-video-webm-codecs-vp8-opus.)
  if (profile.bugs.stallsOnMissingKind && namesMissingKind(r.constrainedMimeType, tracks)) {
    r.state = "recording";
    r.recordings++;
    r.session = null;
    r.phantom = { mimeType: config.extendedMimeType, endEvents: false };
    return;
  }
  const encoderTracks: EncoderTrack[] = tracks.map((t, i) => {
    const s = trackInternals(t).source.settings;
    return t.kind === "video"
      ? {
        number: i + 1,
        kind: "video",
        codec: config.codecs[i]!,
        width: s.width as number,
        height: s.height as number,
        frameRate: s.frameRate as number,
      }
      : {
        number: i + 1,
        kind: "audio",
        codec: config.codecs[i]!,
        sampleRate: s.sampleRate as number,
        channelCount: s.channelCount as number,
        frameSize: s.frameSize as number,
      };
  });
  const encoderConfig: EncoderConfig = {
    essence: config.essence,
    tracks: encoderTracks,
    videoBitsPerSecond,
    audioBitsPerSecond,
    audioBitrateMode: r.audioBitrateMode,
    videoKeyFrameIntervalDuration: r.videoKeyFrameIntervalDuration,
    videoKeyFrameIntervalCount: r.videoKeyFrameIntervalCount,
    seed: r.agent.seed,
    seekable: profile.seekableWebmWithoutTimeslice && timeslice === undefined,
    ...(profile.audioWriteMs === null ? {} : { audioPacketMs: profile.audioWriteMs }),
    ...(profile.audioClusterMs === undefined ? {} : { audioClusterMs: profile.audioClusterMs }),
  };
  // 15. Set recorder's state to recording, and run the following steps in parallel.
  r.state = "recording";
  r.recordings++;
  const init = {
    recorder: r,
    tracks,
    timeslice,
    config: encoderConfig,
    extendedMimeType: config.extendedMimeType,
  };
  const session = new RecordingSession(init);
  r.session = session;
  session.begin(init);
  r.agent.trace.add({
    kind: "recording",
    t: r.agent.clock.now(),
    target: r.name,
    recording: session.number,
    timeslice: timeslice ?? null,
    minTimeslice: r.agent.minTimeslice,
    mimeType: config.extendedMimeType,
    encoder: session.encoderName,
    tracks: tracks.map((t) => trackInternals(t).name),
  });
}
