/**
 * Browser drivers for the conformance lab: a {@linkcode BrowserTarget} is a real Chromium or
 * Firefox, either started here or reached by URL (decision 31), that runs one scenario page at a
 * time and hands back one string.
 *
 * ```ts ignore
 * const target = await launchBrowser("chromium");
 * const json = await target.run(`${origin}/scenario.html`, "runScenario()");
 * await target.close();
 * ```
 *
 * @module
 */

import { CHROMIUM_EXECUTABLE, connectChromiumSession, launchChromiumSession } from "./chromium.ts";
import {
  type BrowserTarget,
  type Engine,
  fileExists,
  type LaunchOptions,
  makeTarget,
} from "./common.ts";
import { connectFirefoxSession, FIREFOX_EXECUTABLE, launchFirefoxSession } from "./firefox.ts";
import {
  connectWebKitGtkSession,
  launchWebKitGtkSession,
  MINIBROWSER_EXECUTABLE,
  WEBKITGTK_INSTALL_HINT,
  webkitGtkAvailable,
} from "./webkitgtk.ts";

export {
  type BrowserTarget,
  DEFAULT_TIMEOUT_MS,
  type Engine,
  type LaunchOptions,
  type RunOptions,
  RunTimeoutError,
} from "./common.ts";
export {
  CHROMIUM_ARGS,
  CHROMIUM_EXECUTABLE,
  startChromiumCdpServer,
  startChromiumServer,
} from "./chromium.ts";
export type { ChromiumServer } from "./chromium.ts";
export { FIREFOX_EXECUTABLE, FIREFOX_PREFS, startFirefoxServer } from "./firefox.ts";
export type { FirefoxServer } from "./firefox.ts";
export { serveStatic } from "./server.ts";
export { startWebKitGtkServer, WEBKITGTK_ARGS } from "./webkitgtk.ts";
export type { WebKitGtkServer } from "./webkitgtk.ts";
export type { ServeStaticOptions, StaticServer } from "./server.ts";

/** The executable each engine launches locally. */
export const EXECUTABLES: Readonly<Record<Engine, string>> = {
  chromium: CHROMIUM_EXECUTABLE,
  firefox: FIREFOX_EXECUTABLE,
  webkitgtk: MINIBROWSER_EXECUTABLE,
};

/** The Debian command that installs each engine's executable. */
export const INSTALL_HINTS: Readonly<Record<Engine, string>> = {
  chromium: "apt-get install -y chromium",
  firefox: "apt-get install -y --no-install-recommends firefox-esr pulseaudio",
  webkitgtk: WEBKITGTK_INSTALL_HINT,
};

/** Whether the engine's local executable is present (a remote endpoint needs none). */
export function browserAvailable(engine: Engine): boolean {
  if (engine === "webkitgtk") return webkitGtkAvailable(); // also WebKitWebDriver and Xvfb
  return fileExists(EXECUTABLES[engine]);
}

/**
 * Starts a local browser of `engine` (fresh temp profile; Firefox also gets a private
 * PulseAudio), or connects to `options.endpoint` when given.
 */
export function launchBrowser(engine: Engine, options: LaunchOptions = {}): Promise<BrowserTarget> {
  const log = options.log ?? (() => {});
  const endpoint = options.endpoint;
  if (engine === "chromium") {
    return endpoint === undefined
      ? makeTarget(engine, false, () => launchChromiumSession(log), log)
      : makeTarget(engine, true, () => connectChromiumSession(endpoint, log), log);
  }
  if (engine === "firefox") {
    return endpoint === undefined
      ? makeTarget(engine, false, () => launchFirefoxSession(log), log)
      : makeTarget(engine, true, () => connectFirefoxSession(endpoint, log), log);
  }
  if (engine === "webkitgtk") {
    return endpoint === undefined
      ? makeTarget(engine, false, () => launchWebKitGtkSession(log), log)
      : makeTarget(engine, true, () => connectWebKitGtkSession(endpoint, log), log);
  }
  return Promise.reject(new TypeError(`unknown engine: ${engine}`));
}
