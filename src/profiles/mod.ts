/**
 * The built-in user-agent profiles (`spec`, `chrome`, `firefox`, `safari`) and the
 * `profiles` registry; the types are in `./profile.ts`. A profile is plain data plus a few
 * strategy functions; the recorder reads it. Derive your own with
 * `{ ...profiles.chrome, minTimeslice: 50 }`.
 *
 * @module
 */
import type { Profile, ProfileName } from "./profile.ts";
import { specProfile } from "./spec.ts";
import { chromeProfile, chromeProfileFor } from "./chrome.ts";
import { firefoxProfile } from "./firefox.ts";
import { safariProfile } from "./safari.ts";

export type { BitrateSplit, ChunkClock, EncoderLatency, Profile, ProfileName } from "./profile.ts";

/**
 * The built-in profiles by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { profiles } from "./mod.ts";
 * assert.equal(profiles.spec.minTimeslice, 0);
 * assert.equal(profiles.safari.minTimeslice, 100);
 * const mine = { ...profiles.chrome, minTimeslice: 50 };
 * assert.equal(mine.timesliceType, "long");
 * ```
 */
export const profiles: Readonly<Record<ProfileName, Profile>> = Object.freeze({
  spec: specProfile,
  chrome: chromeProfile,
  firefox: firefoxProfile,
  safari: safariProfile,
});

export { chromeProfile, chromeProfileFor, firefoxProfile, safariProfile, specProfile };
