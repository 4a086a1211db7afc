/**
 * The generators: fast-check arbitraries for a setup (agent minTimeslice and seed, video
 * and audio tracks with random frame rates, jitter and drops, the encoder mode, the first
 * recorder's options) and for the commands (`fc.commands`), each command a plain
 * {@link CommandData} wrapped in a {@link FuzzCommand}.
 *
 * @module
 */
import fc from "fast-check";
import type {
  Action,
  CommandData,
  EncoderMode,
  EventType,
  OptionsData,
  Setup,
  TrackSpec,
} from "./case_data.ts";
import { describeCommand, EVENT_TYPES } from "./case_data.ts";
import type { Harness } from "./harness.ts";
import { precondition } from "./harness.ts";
import type { Literal } from "./literal.ts";
import { MIME_TABLE, MIME_TYPES } from "./mime_model.ts";
import { type ProfileData, profileDataArb } from "./profile_model.ts";
import type { Model } from "./model.ts";

/** A command for `fc.commands`: data plus the model-run protocol. */
export class FuzzCommand implements fc.AsyncCommand<Model, Harness> {
  /** The command's data. */
  readonly data: CommandData;
  /** Wraps `data`. */
  constructor(data: CommandData) {
    this.data = data;
  }
  /** Whether the command can run now. */
  check(m: Readonly<Model>): boolean {
    return precondition(this.data, m);
  }
  /** Runs it in both and checks. */
  run(m: Model, h: Harness): Promise<void> {
    return h.execute(this.data, m);
  }
  /** The call it makes, for reports. */
  toString(): string {
    return describeCommand(this.data);
  }
}

/** Timeslice literals: WebIDL edge cases, values around the minimums, and plain ones. */
export const timesliceArb: fc.Arbitrary<Literal> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "absent",
      "undefined",
      "0",
      "1",
      "-1",
      "NaN",
      "Infinity",
      "-0.5",
      "0.5",
      "1.9",
      "4294967296",
      "4294967297",
      "4294967396",
      "2147483648",
      '"100"',
      '"abc"',
      '""',
    ),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "9",
      "10",
      "11",
      "33",
      "34",
      "67",
      "99",
      "100",
      "101",
      "250",
      "999",
      "1000",
      "1001",
    ),
  },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 2500 }).map(String) },
);

const bitrateArb: fc.Arbitrary<Literal> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("8000", "16000", "32000", "64000", "100000") },
  {
    weight: 1,
    arbitrary: fc.constantFrom("0", "-1", "1.5", "NaN", "4294967297", '"96000"', "128000"),
  },
);

const validMimes = MIME_TYPES.filter((m) => MIME_TABLE[m]!.constructs);
const invalidMimes = MIME_TYPES.filter((m) => !MIME_TABLE[m]!.constructs);

const keyFrameArb: fc.Arbitrary<OptionsData> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({}) },
  {
    weight: 2,
    arbitrary: fc.constantFrom("500", "1000", "0", "33.3", '"250"', "NaN").map((d) => ({
      videoKeyFrameIntervalDuration: d,
    })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom("1", "10", "30", "0", "NaN", "-1").map((n) => ({
      videoKeyFrameIntervalCount: n,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      videoKeyFrameIntervalDuration: "1000",
      videoKeyFrameIntervalCount: "30",
    }),
  },
);

/**
 * MediaRecorderOptions: valid and invalid mimeTypes, bitrates (WebIDL edge cases among
 * them; sometimes none, leaving the UA's defaults), bitrate modes (some invalid),
 * key-frame options (rarely both, sometimes NaN).
 */
export const optionsArb: fc.Arbitrary<OptionsData> = fc.record({
  mimeType: fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 8, arbitrary: fc.constantFrom(...validMimes) },
    { weight: 1, arbitrary: fc.constantFrom(...invalidMimes) },
  ),
  bitrates: fc.oneof(
    { weight: 6, arbitrary: bitrateArb.map((b): OptionsData => ({ bitsPerSecond: b })) },
    {
      weight: 3,
      arbitrary: fc.record({ audioBitsPerSecond: bitrateArb, videoBitsPerSecond: bitrateArb }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        audioBitsPerSecond: bitrateArb,
        videoBitsPerSecond: bitrateArb,
        bitsPerSecond: bitrateArb,
      }, { requiredKeys: [] }),
    },
  ),
  audioBitrateMode: fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: fc.constantFrom("constant", "variable") },
    { weight: 1, arbitrary: fc.constantFrom("bogus", "CONSTANT", "") },
  ),
  keyFrames: keyFrameArb,
}).map(({ mimeType, bitrates, audioBitrateMode, keyFrames }) => {
  const out: OptionsData = { ...bitrates, ...keyFrames };
  if (mimeType !== undefined) out.mimeType = mimeType;
  if (audioBitrateMode !== undefined) out.audioBitrateMode = audioBitrateMode;
  return out;
});

const videoTrackArb: fc.Arbitrary<TrackSpec> = fc.record({
  inStream: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, fc.constant(false)),
  frameRate: fc.constantFrom(5, 10, 15, 24, 25, 29.97, 30, 60),
  jitter: fc.constantFrom(0, 0, 0.25, 0.9),
  dropRate: fc.constantFrom(0, 0, 0, 0.1, 0.3),
}).map(({ inStream, frameRate, jitter, dropRate }) => {
  const spec: TrackSpec = { kind: "video", inStream, frameRate };
  if (jitter > 0) spec.jitterMs = Math.floor((1000 / frameRate) * jitter * 100) / 100;
  if (dropRate > 0) spec.dropRate = dropRate;
  return spec;
});

const audioTrackArb = (rates: number[]): fc.Arbitrary<TrackSpec> =>
  fc.record({
    inStream: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, fc.constant(false)),
    sampleRate: fc.constantFrom(...rates),
    frameMs: fc.constantFrom(10, 20, 20, 60),
    channelCount: fc.constantFrom(1, 2),
  }).map(({ inStream, sampleRate, frameMs, channelCount }) => ({
    kind: "audio" as const,
    inStream,
    sampleRate,
    frameSize: Math.round((sampleRate * frameMs) / 1000),
    channelCount,
  }));

const encoderArb: fc.Arbitrary<EncoderMode> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ mode: "direct" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      mode: fc.constant("scheduled" as const),
      feedInterval: fc.constantFrom(0, 25, 1000, "Infinity" as const),
    }),
  },
);

/**
 * A setup; `encoder` forces the encoder mode (e.g. direct only); `audioRates` the audio
 * sample rates (a real Opus encoder takes 48 kHz only); `profile` fixes the profile.
 */
export function setupArb(
  encoder: fc.Arbitrary<EncoderMode> = encoderArb,
  audioRates: number[] = [8000, 16000, 44100, 48000],
  profile?: ProfileData,
): fc.Arbitrary<Setup> {
  return fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    minTimeslice: fc.constantFrom(0, 1, 10, 100, 1000),
    tracks: fc.array(fc.oneof(videoTrackArb, audioTrackArb(audioRates)), {
      minLength: 1,
      maxLength: 4,
    }),
    options: optionsArb,
    encoder,
    profile: profileDataArb(profile),
  }).map((s) => {
    if (s.profile !== undefined) return s;
    const { profile: _, ...spec } = s;
    return spec;
  });
}

const trackIndexArb = fc.nat({ max: 3 });

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ m: "stop" as const }) },
  { weight: 2, arbitrary: timesliceArb.map((ts) => ({ m: "start" as const, ts })) },
  { weight: 2, arbitrary: fc.constant({ m: "pause" as const }) },
  { weight: 2, arbitrary: fc.constant({ m: "resume" as const }) },
  { weight: 2, arbitrary: fc.constant({ m: "requestData" as const }) },
  { weight: 1, arbitrary: fc.constant({ m: "throw" as const }) },
);

/** advance(ms): zero, small steps, seconds, and long jumps up to 10 minutes. */
export const advanceArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 10, arbitrary: fc.constant(0) },
  { weight: 30, arbitrary: fc.integer({ min: 1, max: 120 }) },
  { weight: 40, arbitrary: fc.integer({ min: 100, max: 1500 }) },
  { weight: 10, arbitrary: fc.integer({ min: 1500, max: 20_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 600_000 }) },
);

/** One command's data. */
export const commandDataArb: fc.Arbitrary<CommandData> = fc.oneof(
  { weight: 1, arbitrary: optionsArb.map((options) => ({ c: "construct" as const, options })) },
  { weight: 8, arbitrary: timesliceArb.map((ts) => ({ c: "start" as const, ts })) },
  { weight: 5, arbitrary: fc.constant({ c: "stop" as const }) },
  { weight: 4, arbitrary: fc.constant({ c: "pause" as const }) },
  { weight: 4, arbitrary: fc.constant({ c: "resume" as const }) },
  { weight: 4, arbitrary: fc.constant({ c: "requestData" as const }) },
  { weight: 14, arbitrary: advanceArb.map((ms) => ({ c: "advance" as const, ms })) },
  { weight: 2, arbitrary: fc.constant({ c: "settle" as const }) },
  { weight: 1, arbitrary: trackIndexArb.map((track) => ({ c: "trackEnd" as const, track })) },
  { weight: 1, arbitrary: trackIndexArb.map((track) => ({ c: "trackStop" as const, track })) },
  {
    weight: 2,
    arbitrary: fc.record({ track: trackIndexArb, muted: fc.boolean() }).map((r) => ({
      c: "setMuted" as const,
      ...r,
    })),
  },
  {
    weight: 2,
    arbitrary: fc.record({ track: trackIndexArb, enabled: fc.boolean() }).map((r) => ({
      c: "setEnabled" as const,
      ...r,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ track: trackIndexArb, ua: fc.boolean() }).map((r) => ({
      c: "addTrack" as const,
      ...r,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ track: trackIndexArb, ua: fc.boolean() }).map((r) => ({
      c: "removeTrack" as const,
      ...r,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ track: trackIndexArb, isolated: fc.boolean() }).map((r) => ({
      c: "setIsolated" as const,
      ...r,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.boolean().map((configure) => ({ c: "failEncoder" as const, configure })),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      event: fc.constantFrom<EventType>(...EVENT_TYPES),
      action: actionArb,
    }).map((r) => ({ c: "arm" as const, ...r })),
  },
);

/** The commands arbitrary (`fc.commands`); `replayPath` replays a shrunk case. */
export function commandsArb(
  maxCommands = 30,
  replayPath?: string,
): fc.Arbitrary<Iterable<FuzzCommand>> {
  const constraints: fc.CommandsContraints = { maxCommands, size: "max" };
  if (replayPath !== undefined) constraints.replayPath = replayPath;
  return fc.commands([commandDataArb.map((d) => new FuzzCommand(d))], constraints) as fc.Arbitrary<
    Iterable<FuzzCommand>
  >;
}

/** The data of the commands of a generated list that ran. */
export function ranCommands(commands: Iterable<unknown>): CommandData[] {
  const out: CommandData[] = [];
  for (const c of commands) {
    const w = c as { cmd?: FuzzCommand; hasRan?: boolean; data?: CommandData };
    if (w.cmd && w.hasRan) out.push(w.cmd.data);
    else if (!w.cmd && w.data) out.push(w.data);
  }
  return out;
}
