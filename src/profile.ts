/**
 * User-agent profiles: the values the spec leaves to each user agent (minimum
 * timeslice, default bitrates, how `bitsPerSecond` is split, the default container).
 * A profile is plain data plus a few strategy functions; the recorder reads it.
 * This release ships the `spec` profile; engine profiles come with their own issue.
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

/** A user-agent profile. */
export interface Profile {
  /** The profile's name. */
  readonly name: string;
  /**
   * The UA's minimum timeslice in ms: chunks hold at least
   * max(timeslice, minTimeslice) ms of media (spec start() step 15.7).
   */
  readonly minTimeslice: number;
  /** `videoBitsPerSecond` when the options give none (constructor step 13). */
  readonly defaultVideoBitsPerSecond: number;
  /** `audioBitsPerSecond` when the options give none (constructor step 14). */
  readonly defaultAudioBitsPerSecond: number;
  /**
   * Splits `bitsPerSecond` into video and audio "whose sum is close to it"
   * (constructor step 15, start() step 9, Inactivate step 3).
   */
  splitBitsPerSecond(bitsPerSecond: number, hasVideo: boolean, hasAudio: boolean): BitrateSplit;
  /** The container chosen when the constructor's mimeType is empty (start() step 15.1). */
  defaultContainer(hasVideo: boolean): string;
  /** The codec chosen for a kind when the mimeType names none (start() step 15.1). */
  defaultCodec(kind: "video" | "audio", container: string): string;
}

/**
 * The `spec` profile: what the current MediaStream Recording spec says, with
 * reasonable values where it leaves the choice to the UA (the 2.5 Mbit/s and
 * 128 kbit/s defaults that Chromium and Gecko use; audio takes a tenth of
 * `bitsPerSecond`, clamped to [6000, 510000], the rest goes to video, so the sum is
 * exact). Minimum timeslice 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { specProfile } from "./profile.ts";
 * const split = specProfile.splitBitsPerSecond(1_000_000, true, true);
 * assert.ok(split.audio === 100_000 && split.video === 900_000);
 * assert.ok(specProfile.splitBitsPerSecond(1_000_000, false, true).audio === 1_000_000);
 * ```
 */
export const specProfile: Profile = Object.freeze({
  name: "spec",
  minTimeslice: 0,
  defaultVideoBitsPerSecond: 2_500_000,
  defaultAudioBitsPerSecond: 128_000,
  splitBitsPerSecond(bitsPerSecond: number, hasVideo: boolean, hasAudio: boolean): BitrateSplit {
    if (!hasAudio) return { video: bitsPerSecond, audio: 0 };
    if (!hasVideo) return { video: 0, audio: bitsPerSecond };
    const audio = Math.min(
      bitsPerSecond,
      Math.max(6000, Math.min(510_000, Math.round(bitsPerSecond / 10))),
    );
    return { video: bitsPerSecond - audio, audio };
  },
  defaultContainer(hasVideo: boolean): string {
    return hasVideo ? "video/webm" : "audio/webm";
  },
  defaultCodec(kind: "video" | "audio", container: string): string {
    return kind === "video" ? "vp8" : container === "audio/ogg" ? "opus" : "opus";
  },
});

/** The names of the built-in profiles. */
export type ProfileName = "spec";

/**
 * The built-in profiles by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { profiles } from "./profile.ts";
 * assert.ok(profiles.spec.minTimeslice === 0);
 * ```
 */
export const profiles: Readonly<Record<ProfileName, Profile>> = Object.freeze({
  spec: specProfile,
});
