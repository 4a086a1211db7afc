/**
 * The Firefox driver: puppeteer-core over WebDriver BiDi, local (fresh profile, private
 * PulseAudio) or remote (a BiDi endpoint).
 *
 * @module
 */

import puppeteer, { type Browser, type Page } from "puppeteer-core";
import {
  type EngineSession,
  killMatching,
  removeDir,
  settleWithin,
  withTimeout,
} from "./common.ts";
import { type PulseServer, startPulse } from "./pulse.ts";

/** Debian's Firefox ESR. */
export const FIREFOX_EXECUTABLE = "/usr/bin/firefox-esr";

/** Prefs for fake media devices, autoplay, paced audio through PulseAudio, and exact timers. */
export const FIREFOX_PREFS: Readonly<Record<string, unknown>> = {
  "media.navigator.streams.fake": true,
  "media.navigator.permission.disabled": true,
  "media.autoplay.default": 0,
  "media.autoplay.blocking_policy": 0,
  "media.autoplay.block-webaudio": false,
  "media.cubeb.backend": "pulse",
  "privacy.reduceTimerPrecision": false,
};

function watchPage(page: Page, log: (line: string) => void): void {
  page.on("console", (msg) => {
    const type = msg.type();
    if (type === "error" || type === "warn") log(`[firefox console.${type}] ${msg.text()}`);
  });
  page.on("pageerror", (err) => {
    log(`[firefox pageerror] ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  });
  page.on("error", (err) => log(`[firefox] page crashed: ${err.message}`));
}

async function makeSession(
  browser: Browser,
  remote: boolean,
  log: (line: string) => void,
  cleanup: () => Promise<void>,
): Promise<EngineSession> {
  let alive = true;
  browser.on("disconnected", () => {
    alive = false;
  });
  let fullVersion: string;
  try {
    // "firefox/153.0.1"
    fullVersion = (await withTimeout(
      browser.version(),
      30_000,
      () => new Error("firefox: version timed out"),
    )).replace(/^[^/]*\//, "");
  } catch (e) {
    await settleWithin(remote ? browser.disconnect() : browser.close(), 10_000);
    await cleanup();
    throw e;
  }
  let closing: Promise<void> | undefined;
  const open = new Set<Page>();
  return {
    fullVersion,
    alive: () => alive && browser.connected,
    async runOnce(url, expression, timeoutMs) {
      const page = await browser.newPage();
      open.add(page);
      try {
        watchPage(page, log);
        page.setDefaultTimeout(timeoutMs);
        page.setDefaultNavigationTimeout(timeoutMs);
        await page.goto(url, { waitUntil: "load" });
        const result: unknown = await page.evaluate(expression);
        if (typeof result !== "string") {
          throw new TypeError(`expression must evaluate to a string, got ${typeof result}`);
        }
        return result;
      } finally {
        open.delete(page);
        void settleWithin(page.close(), 5000);
      }
    },
    close() {
      closing ??= (async () => {
        alive = false;
        if (remote) {
          // Pages of a run that timed out would otherwise stay open in someone else's browser.
          await settleWithin(Promise.all([...open].map((page) => page.close())), 5000);
        }
        await settleWithin(remote ? browser.disconnect() : browser.close(), 10_000);
        await cleanup();
      })();
      return closing;
    },
  };
}

/** Starts a local Firefox ESR with a fresh temp profile and a private PulseAudio server. */
export async function launchFirefoxSession(log: (line: string) => void): Promise<EngineSession> {
  const pulse: PulseServer = await startPulse();
  const userDataDir = await Deno.makeTempDir({ prefix: "recsim-firefox-" });
  const cleanup = async () => {
    const killed = await killMatching(userDataDir);
    if (killed) log(`[firefox] killed ${killed} leftover process(es)`);
    await removeDir(userDataDir);
    await pulse.stop();
  };
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: "firefox",
      protocol: "webDriverBiDi",
      executablePath: FIREFOX_EXECUTABLE,
      headless: true,
      userDataDir,
      extraPrefsFirefox: { ...FIREFOX_PREFS },
      env: { ...Deno.env.toObject(), ...pulse.serverEnv },
      timeout: 60_000,
      protocolTimeout: 120_000,
    });
  } catch (e) {
    await cleanup();
    throw e;
  }
  const session = await makeSession(browser, false, log, cleanup);
  log(`[firefox] launched ${session.fullVersion} with profile ${userDataDir} (pulse ${pulse.pid})`);
  return session;
}

/** Normalizes a BiDi endpoint: `ws://host:port` gets `/session` appended. */
export function bidiEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/session";
  return url.href;
}

/**
 * Connects to a remote Firefox over WebDriver BiDi. The remote browser's prefs (fake devices,
 * audio output) are its own business. `close()` ends our BiDi session and leaves it running.
 */
export async function connectFirefoxSession(
  endpoint: string,
  log: (line: string) => void,
): Promise<EngineSession> {
  const url = bidiEndpoint(endpoint);
  const browser = await puppeteer.connect({
    browserWSEndpoint: url,
    protocol: "webDriverBiDi",
    protocolTimeout: 120_000,
  });
  const session = await makeSession(browser, true, log, async () => {});
  log(`[firefox] connected to ${session.fullVersion} at ${url}`);
  return session;
}

/** A Firefox listening for WebDriver BiDi on 127.0.0.1, for testing the remote path locally. */
export interface FirefoxServer {
  /** The `ws://127.0.0.1:…` endpoint to pass to `launchBrowser` (no session attached). */
  readonly endpoint: string;
  /** Kills the browser and its PulseAudio, removes the profile. */
  close(): Promise<void>;
}

/**
 * Starts Firefox ESR headless with `--remote-debugging-port` (a fresh profile with the lab's
 * prefs in `user.js`, a private PulseAudio), and no client attached, so that a remote connect
 * can open the one BiDi session Firefox allows.
 */
export async function startFirefoxServer(): Promise<FirefoxServer> {
  const pulse = await startPulse();
  const profile = await Deno.makeTempDir({ prefix: "recsim-firefox-server-" });
  const prefs = {
    ...FIREFOX_PREFS,
    // As puppeteer's defaults: no first-run UI, no updates, no telemetry.
    "browser.shell.checkDefaultBrowser": false,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": false,
    "datareporting.policy.dataSubmissionEnabled": false,
    "toolkit.telemetry.reportingpolicy.firstRun": false,
    "app.update.auto": false,
    "app.update.enabled": false,
    "remote.enabled": true,
    "fission.webContentIsolationStrategy": 0,
  };
  await Deno.writeTextFile(
    `${profile}/user.js`,
    Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
      .join("\n") + "\n",
  );
  const child = new Deno.Command(FIREFOX_EXECUTABLE, {
    args: ["--headless", "--no-remote", "--profile", profile, "--remote-debugging-port=0"],
    env: { ...pulse.serverEnv, HOME: profile },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const close = async () => {
    try {
      Deno.kill(child.pid, "SIGTERM");
    } catch { /* gone */ }
    await settleWithin(child.status, 5000);
    await killMatching(profile);
    await removeDir(profile);
    await pulse.stop();
  };
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const find = (async () => {
    let buf = "";
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`firefox exited before listening: ${buf.slice(-2000)}`);
      buf += value;
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(buf);
      if (m?.[1]) return m[1];
    }
  })();
  let endpoint: string;
  try {
    endpoint = await withTimeout(find, 30_000, () => new Error("firefox did not start listening"));
  } catch (e) {
    await close();
    throw e;
  }
  // Keep draining stderr so Firefox never blocks on a full pipe.
  (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })().catch(() => {});
  return { endpoint, close };
}
