/**
 * The registry of built-in user-agent profiles by name.
 *
 * @module
 */
import type { Profile, ProfileName } from "./profile.ts";
import { specProfile } from "./spec.ts";
import { chromeProfile } from "./chrome.ts";
import { firefoxProfile } from "./firefox.ts";
import { safariProfile } from "./safari.ts";

/**
 * The built-in profiles by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { profiles } from "./registry.ts";
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
