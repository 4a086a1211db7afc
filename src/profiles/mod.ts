/**
 * The built-in user-agent profiles (`spec`, `chrome`, `firefox`, `safari`) and the
 * `profiles` registry; the types are in `./profile.ts`. A profile is plain data plus a few
 * strategy functions; the recorder reads it. Derive your own with
 * `{ ...profiles.chrome, minTimeslice: 50 }`.
 *
 * @module
 */
export type { BitrateSplit, ChunkClock, EncoderLatency, Profile, ProfileName } from "./profile.ts";
export { profiles } from "./registry.ts";
export { specProfile } from "./spec.ts";
export { chromeProfile, chromeProfileFor } from "./chrome.ts";
export { firefoxProfile } from "./firefox.ts";
export { safariProfile } from "./safari.ts";
