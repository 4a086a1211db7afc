/**
 * The Chromium driver: playwright-core, local (persistent context with a fresh profile) or remote
 * (a Playwright browser server, or CDP).
 *
 * @module
 */

import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import {
  type EngineSession,
  killMatching,
  removeDir,
  settleWithin,
  withTimeout,
} from "./common.ts";

/** Debian's Chromium. */
export const CHROMIUM_EXECUTABLE = "/usr/bin/chromium";

/** Flags for fake media devices and a quiet, headless, root-friendly browser. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--autoplay-policy=no-user-gesture-required",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

function parseVersion(product: string): string {
  return /(\d+(?:\.\d+)+)/.exec(product)?.[1] ?? product;
}

function watchPage(page: Page, log: (line: string) => void): void {
  page.on("console", (msg) => {
    const type = msg.type();
    if (type === "error" || type === "warning") log(`[chromium console.${type}] ${msg.text()}`);
  });
  page.on("pageerror", (err) => log(`[chromium pageerror] ${err.stack ?? err.message}`));
  page.on("crash", () => log(`[chromium] page crashed: ${page.url()}`));
}

async function runInPage(
  page: Page,
  url: string,
  expression: string,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<string> {
  watchPage(page, log);
  page.setDefaultTimeout(timeoutMs);
  page.setDefaultNavigationTimeout(timeoutMs);
  await page.goto(url, { waitUntil: "load" });
  const result: unknown = await page.evaluate(expression);
  if (typeof result !== "string") {
    throw new TypeError(`expression must evaluate to a string, got ${typeof result}`);
  }
  return result;
}

/** Starts a local Chromium with a fresh temp profile directory. */
export async function launchChromiumSession(log: (line: string) => void): Promise<EngineSession> {
  const userDataDir = await Deno.makeTempDir({ prefix: "recsim-chromium-" });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_EXECUTABLE,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
  } catch (e) {
    await killMatching(userDataDir);
    await removeDir(userDataDir);
    throw e;
  }
  let alive = true;
  context.on("close", () => {
    alive = false;
  });
  let fullVersion = context.browser()?.version() ?? "";
  if (!fullVersion) {
    const page = context.pages()[0] ?? await context.newPage();
    const cdp = await context.newCDPSession(page);
    const info = await cdp.send("Browser.getVersion");
    fullVersion = info.product;
    await cdp.detach();
  }
  fullVersion = parseVersion(fullVersion);
  log(`[chromium] launched ${fullVersion} with profile ${userDataDir}`);
  let closing: Promise<void> | undefined;
  return {
    fullVersion,
    alive: () => alive,
    async runOnce(url, expression, timeoutMs) {
      const page = await context.newPage();
      try {
        return await runInPage(page, url, expression, timeoutMs, log);
      } finally {
        void settleWithin(page.close(), 5000);
      }
    },
    close() {
      closing ??= (async () => {
        alive = false;
        await settleWithin(context.close(), 10_000);
        const killed = await killMatching(userDataDir);
        if (killed) log(`[chromium] killed ${killed} leftover process(es)`);
        await removeDir(userDataDir);
      })();
      return closing;
    },
  };
}

/** Whether `endpoint` names a CDP endpoint rather than a Playwright browser server. */
export function isCdpEndpoint(endpoint: string): boolean {
  return endpoint.startsWith("cdp+") || /^https?:/.test(endpoint) ||
    endpoint.includes("/devtools/browser/");
}

/**
 * Connects to a remote Chromium: a Playwright browser server (`ws://…`, from
 * `chromium.launchServer()` or `playwright run-server`) or a CDP endpoint (see
 * {@linkcode isCdpEndpoint}). Each run gets a fresh browser context with camera and microphone
 * permission; fake devices are the remote browser's business (its flags).
 */
export async function connectChromiumSession(
  endpoint: string,
  log: (line: string) => void,
): Promise<EngineSession> {
  const cdp = isCdpEndpoint(endpoint);
  const url = endpoint.replace(/^cdp\+/, "");
  const browser: Browser = cdp ? await chromium.connectOverCDP(url) : await chromium.connect(url);
  let alive = true;
  browser.on("disconnected", () => {
    alive = false;
  });
  const fullVersion = parseVersion(browser.version());
  log(`[chromium] connected to ${fullVersion} at ${url} (${cdp ? "CDP" : "Playwright server"})`);
  let closing: Promise<void> | undefined;
  return {
    fullVersion,
    alive: () => alive && browser.isConnected(),
    async runOnce(pageUrl, expression, timeoutMs) {
      const context = await browser.newContext({ permissions: ["camera", "microphone"] });
      try {
        const page = await context.newPage();
        return await runInPage(page, pageUrl, expression, timeoutMs, log);
      } finally {
        void settleWithin(context.close(), 5000);
      }
    },
    close() {
      // For a Playwright server or CDP connection, Browser.close() disconnects and closes only
      // the contexts we created; the remote browser keeps running.
      closing ??= (async () => {
        alive = false;
        await settleWithin(browser.close(), 10_000);
      })();
      return closing;
    },
  };
}

/** A Chromium browser server on 127.0.0.1 for testing the remote path locally. */
export interface ChromiumServer {
  /** The Playwright `ws://127.0.0.1:…/…` endpoint to pass to `launchBrowser`. */
  readonly endpoint: string;
  /** Stops the server and its browser. */
  close(): Promise<void>;
}

/** Starts a Playwright browser server for the local Chromium with the lab's flags. */
export async function startChromiumServer(): Promise<ChromiumServer> {
  const server = await chromium.launchServer({
    executablePath: CHROMIUM_EXECUTABLE,
    headless: true,
    args: [...CHROMIUM_ARGS],
    host: "127.0.0.1",
  });
  const pid = server.process().pid;
  return {
    endpoint: server.wsEndpoint(),
    async close() {
      await settleWithin(server.close(), 10_000);
      if (pid !== undefined) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
      }
    },
  };
}

/**
 * Starts the local Chromium headless with `--remote-debugging-port=0` on 127.0.0.1 (a fresh
 * profile, the lab's flags) and no client attached; its endpoint is the CDP
 * `ws://127.0.0.1:…/devtools/browser/…` URL.
 */
export async function startChromiumCdpServer(): Promise<ChromiumServer> {
  const profile = await Deno.makeTempDir({ prefix: "recsim-chromium-cdp-" });
  const child = new Deno.Command(CHROMIUM_EXECUTABLE, {
    args: [
      ...CHROMIUM_ARGS,
      "--headless",
      `--user-data-dir=${profile}`,
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      "about:blank",
    ],
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
  };
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const find = (async () => {
    let buf = "";
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`chromium exited before listening: ${buf.slice(-2000)}`);
      buf += value;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(buf);
      if (m?.[1]) return m[1];
    }
  })();
  let endpoint: string;
  try {
    endpoint = await withTimeout(find, 30_000, () => new Error("chromium did not start listening"));
  } catch (e) {
    await close();
    throw e;
  }
  // Keep draining stderr so Chromium never blocks on a full pipe.
  (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })().catch(() => {});
  return { endpoint, close };
}
