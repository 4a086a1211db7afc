// The setup module of the extendable-media-recorder target, bundled by build.mjs into
// dist/setup.js (one browser ES module). The lab's browser_entry.js imports it before a
// scenario and awaits install(): the WAV encoder is registered and the polyfill's
// MediaRecorder replaces the native one on globalThis, so the unchanged corpus runs on it.
import { MediaRecorder as PolyfillMediaRecorder, register } from "extendable-media-recorder";
import { connect } from "extendable-media-recorder-wav-encoder";

/* global __TARGET_VERSIONS__ */
/** The bundled packages and their versions (filled in by build.mjs). */
export const versions = __TARGET_VERSIONS__;

let installed = null;

/**
 * Registers the WAV encoder and installs the polyfill's MediaRecorder on globalThis.
 * Idempotent within a page. Leaves `globalThis.__recsimTarget` so scenarios can check
 * which MediaRecorder they run on.
 */
export function install() {
  installed ??= (async () => {
    const native = globalThis.MediaRecorder;
    await register(await connect());
    globalThis.MediaRecorder = PolyfillMediaRecorder;
    // `?settle=<ms>` on this module's URL: let the encoder's workers finish booting before
    // the scenario, so its first events measure the recorder rather than the page's start-up.
    const settle = Number(
      new URL(import.meta.url).searchParams.get("settle") ?? 0,
    );
    if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));
    globalThis.__recsimTarget = {
      name: "extendable-media-recorder",
      versions,
      MediaRecorder: PolyfillMediaRecorder,
      NativeMediaRecorder: native,
    };
  })();
  return installed;
}
