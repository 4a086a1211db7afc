/**
 * The ported tests: for each, its module under `tests/`, the WPT file it comes from, the
 * WPT `<title>` (which names unnamed tests), its variants (WPT's `<meta name=variant>`, the
 * query strings the test reads through `variantParams()`) and whether WPT gives it a long
 * timeout. Both hosts run exactly this list; a run's key is `wpt` plus the variant.
 *
 * @module
 */

/**
 * @typedef {{ module: string, wpt: string, title: string, variants: string[],
 *   long: boolean }} WptFile
 */

/** The `?mimeType=` variants of `MediaRecorder-events-and-exceptions.html`. */
const EVENTS_VARIANTS = [
  "?mimeType=''",
  "?mimeType=video/webm;codecs=vp8,opus",
  "?mimeType=video/webm;codecs=vp9,opus",
  "?mimeType=video/webm;codecs=av1,opus",
  "?mimeType=video/mp4;codecs=avc1,mp4a.40.2",
];

/** The `?mimeType=` variants of `MediaRecorder-stop.html`. */
const STOP_VARIANTS = [
  "?mimeType=''",
  "?mimeType=video/webm;codecs=vp8,opus",
  "?mimeType=video/webm;codecs=vp9,opus",
  "?mimeType=video/webm;codecs=av1,opus",
  "?mimeType=video/mp4;codecs=avc1.64003E,mp4a.40.2",
  "?mimeType=video/mp4;codecs=avc3.64003E,mp4a.40.2",
  "?mimeType=video/mp4;codecs=vp9,opus",
  "?mimeType=video/mp4;codecs=av01,opus",
  "?mimeType=video/mp4;codecs=av01,mp4a.40.2",
  "?mimeType=video/mp4;codecs=hvc1.1.6.L186.B0,opus",
  "?mimeType=video/mp4;codecs=hev1.1.6.L186.B0,opus",
  "?mimeType=video/mp4;codecs=hvc1.1.6.L186.B0,mp4a.40.2",
  "?mimeType=video/mp4;codecs=hev1.1.6.L186.B0,mp4a.40.2",
  "?mimeType=video/x-matroska;codecs=hvc1.1.6.L186.B0,opus",
  "?mimeType=video/x-matroska;codecs=hev1.1.6.L186.B0,opus",
  "?mimeType=video/mp4",
];

/** @type {WptFile[]} */
export const WPT_FILES = [
  {
    module: "tests/BlobEvent-constructor.js",
    wpt: "BlobEvent-constructor.html",
    title: "BlobEvent constructor",
    variants: [""],
    long: false,
  },
  {
    module: "tests/MediaRecorder-bitrate.js",
    wpt: "MediaRecorder-bitrate.https.html",
    title: "MediaRecorder {audio|video}bitsPerSecond attributes",
    variants: [""],
    long: false,
  },
  {
    module: "tests/MediaRecorder-creation.js",
    wpt: "MediaRecorder-creation.https.html",
    title: "MediaRecorder Creation",
    variants: [""],
    long: false,
  },
  {
    module: "tests/MediaRecorder-disabled-tracks.js",
    wpt: "MediaRecorder-disabled-tracks.https.html",
    title: "MediaRecorder Disabled Tracks",
    variants: [""],
    long: false,
  },
  {
    module: "tests/MediaRecorder-error.js",
    wpt: "MediaRecorder-error.html",
    title: "MediaRecorder Error",
    variants: [""],
    long: false,
  },
  {
    module: "tests/MediaRecorder-events-and-exceptions.js",
    wpt: "MediaRecorder-events-and-exceptions.html",
    title: "MediaRecorder events and exceptions",
    variants: EVENTS_VARIANTS,
    long: true,
  },
  {
    module: "tests/MediaRecorder-mimetype.js",
    wpt: "MediaRecorder-mimetype.html",
    title: "MediaRecorder mimeType",
    variants: [""],
    long: false,
  },
  {
    module: "tests/MediaRecorder-pause-resume.js",
    wpt: "MediaRecorder-pause-resume.html",
    title: "MediaRecorder Pause and Resume",
    variants: [""],
    long: false,
  },
  {
    module: "tests/MediaRecorder-stop.js",
    wpt: "MediaRecorder-stop.html",
    title: "MediaRecorder Stop",
    variants: STOP_VARIANTS,
    long: false,
  },
];

/** Per-test timeout, ms (testharness.js: 10 s, 60 s for `<meta name=timeout content=long>`). */
export const TEST_TIMEOUT_MS = 10_000;
/** Per-test timeout of a long test, ms. */
export const LONG_TEST_TIMEOUT_MS = 60_000;
/** Whole-file timeout, ms: past it, running tests are TIMEOUT and the rest NOTRUN. */
export const HARNESS_TIMEOUT_MS = 120_000;

/**
 * The key of one run: the WPT file name plus the variant.
 *
 * @param {WptFile} file
 * @param {string} variant
 */
export function runKey(file, variant) {
  return file.wpt + variant;
}
