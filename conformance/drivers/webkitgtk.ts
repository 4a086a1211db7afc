/**
 * The WebKitGTK driver: Debian's MiniBrowser through WebKitWebDriver, over plain W3C WebDriver
 * (HTTP + JSON, `fetch` is enough), local (Xvfb + WebKitWebDriver started here) or remote (a
 * WebDriver URL, decision 31).
 *
 * WebKitGTK shares WebCore's `MediaRecorder.cpp` with Safari (state machine, events, errors,
 * timeslice timer) but encodes with GStreamer, so it measures the shared parts of the `safari`
 * profile, not Safari's encoder cadence or codec strings. On Debian 12 it runs with the
 * `autovideoflip` stand-in plugin (see `gst_autovideoflip/`): without it every Blob is 0 bytes.
 *
 * @module
 */

import {
  type EngineSession,
  fileExists,
  processTree,
  removeDir,
  settleWithin,
  withTimeout,
} from "./common.ts";
import { ensureAutoVideoFlipPlugin, recsimCacheDir } from "./gst_autovideoflip/build.ts";

export type { EngineSession } from "./common.ts";

/** Debian's MiniBrowser (package `libwebkit2gtk-4.1-0`). */
export const MINIBROWSER_EXECUTABLE = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
/** Debian's WebKitWebDriver (package `webkit2gtk-driver`). */
export const WEBKITWEBDRIVER_EXECUTABLE = "/usr/bin/WebKitWebDriver";
/** Xvfb (package `xvfb`): MiniBrowser has no headless mode. */
export const XVFB_EXECUTABLE = "/usr/bin/Xvfb";
/** What installs all of the above, the GStreamer plugins and the stand-in's build tools. */
export const WEBKITGTK_INSTALL_HINT = "bash conformance/drivers/install_webkitgtk.sh";

/**
 * MiniBrowser flags: mock camera and microphone without a prompt, autoplay (a WebAudio stream
 * stays suspended, 0 bytes, without it), and no accelerated canvas (it crashes the web process
 * now and then on Xvfb).
 */
export const WEBKITGTK_ARGS: readonly string[] = [
  "--automation",
  "--enable-mock-capture-devices=true",
  "--features=-CanvasUsesAcceleratedDrawing,+MockCaptureDevices,-MockCaptureDevicesPrompt",
  "--enable-media-stream=true",
  "--autoplay-policy=allow",
  "--enable-2d-canvas-acceleration=false",
];

/** Whether MiniBrowser, WebKitWebDriver and Xvfb are installed. */
export function webkitGtkAvailable(): boolean {
  return [MINIBROWSER_EXECUTABLE, WEBKITWEBDRIVER_EXECUTABLE, XVFB_EXECUTABLE].every(fileExists);
}

/** The W3C capabilities for a MiniBrowser session with the lab's flags. */
export function webkitGtkCapabilities(
  binary: string = MINIBROWSER_EXECUTABLE,
): Record<string, unknown> {
  return {
    browserName: "MiniBrowser",
    "webkitgtk:browserOptions": { binary, args: [...WEBKITGTK_ARGS] },
  };
}

// ---------------------------------------------------------------------------------------------
// Processes: Xvfb and WebKitWebDriver

async function killTree(pids: readonly number[], child: Deno.ChildProcess): Promise<void> {
  for (const pid of pids) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* gone */ }
  }
  await settleWithin(child.status, 5000);
}

function drainLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): void {
  (async () => {
    let buf = "";
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      buf += text;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    }
    if (buf) onLine(buf);
  })().catch(() => {});
}

/** A running Xvfb. */
export interface XvfbServer {
  /** E.g. `":1"`. */
  readonly display: string;
  /** Its process id. */
  readonly pid: number;
  /** Stops it by its PID. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts Xvfb on a free display (it picks one and reports it with `-displayfd`). */
export async function startXvfb(): Promise<XvfbServer> {
  const child = new Deno.Command(XVFB_EXECUTABLE, {
    args: ["-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  drainLines(child.stderr, (line) => {
    if (stderr.length < 4000) stderr += line + "\n";
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      try {
        Deno.kill(child.pid, "SIGTERM");
      } catch { /* gone */ }
      await settleWithin(child.status, 3000);
      try {
        Deno.kill(child.pid, "SIGKILL");
      } catch { /* gone */ }
      await settleWithin(child.status, 2000);
    })();
    return stopped;
  };
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const find = (async () => {
    let buf = "";
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`Xvfb exited before choosing a display: ${stderr.slice(-2000)}`);
      buf += value;
      const m = /^(\d+)\n/.exec(buf);
      if (m?.[1]) return `:${m[1]}`;
    }
  })();
  let display: string;
  try {
    display = await withTimeout(find, 15_000, () => new Error("Xvfb did not start"));
  } catch (e) {
    await stop();
    throw e;
  }
  (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })().catch(() => {});
  return { display, pid: child.pid, stop };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Lines of WebKit's stderr that are noise: a pair per recording on GStreamer 1.22, and a
 * warning per web process on machines without `dbus-launch`.
 */
const STDERR_NOISE = [
  /^\s*$/,
  /has no property named 'automatic-eos'/,
  /Unable to get session D-Bus address/,
];

/** A WebKitWebDriver on 127.0.0.1 (with its own Xvfb), for local runs and remote-path tests. */
export interface WebKitGtkServer {
  /** The WebDriver base URL, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** The X display MiniBrowser runs on. */
  readonly display: string;
  /** False once WebKitWebDriver has exited. */
  running(): boolean;
  /**
   * Kills WebKitWebDriver and what it started (MiniBrowser and its WebKit processes), then
   * Xvfb, all by PID, and removes the scratch directory. Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * Starts Xvfb and WebKitWebDriver (with `DISPLAY`, and `GST_PLUGIN_PATH` holding the
 * `autovideoflip` stand-in where GStreamer is older than 1.24) and waits until it answers
 * `/status`. No session is opened.
 */
export async function startWebKitGtkServer(
  log: (line: string) => void = () => {},
): Promise<WebKitGtkServer> {
  const pluginDir = await ensureAutoVideoFlipPlugin(log);
  const scratch = await Deno.makeTempDir({ prefix: "recsim-webkitgtk-" });
  let xvfb: XvfbServer;
  try {
    xvfb = await startXvfb();
  } catch (e) {
    await removeDir(scratch);
    throw e;
  }
  const env: Record<string, string> = {
    DISPLAY: xvfb.display,
    // Own runtime dir (GTK wants one) and no accessibility bus.
    XDG_RUNTIME_DIR: scratch,
    NO_AT_BRIDGE: "1",
    GTK_A11Y: "none",
    // A registry of our own: alternating sessions with and without the stand-in on the plugin
    // path would otherwise make every GStreamer user rescan its registry.
    GST_REGISTRY: `${recsimCacheDir()}/gst-registry-webkitgtk.bin`,
  };
  if (pluginDir) {
    const inherited = Deno.env.get("GST_PLUGIN_PATH");
    env.GST_PLUGIN_PATH = inherited ? `${pluginDir}:${inherited}` : pluginDir;
  }
  const port = freePort();
  const child = new Deno.Command(WEBKITWEBDRIVER_EXECUTABLE, {
    args: [`--port=${port}`, "--host=127.0.0.1"],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let exited = false;
  child.status.then(() => {
    exited = true;
  }).catch(() => {});
  const onLine = (line: string) => {
    if (!STDERR_NOISE.some((re) => re.test(line))) log(`[webkitgtk stderr] ${line}`);
  };
  drainLines(child.stdout, onLine);
  drainLines(child.stderr, onLine);
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // Collect the tree first: once the driver is gone, MiniBrowser is reparented.
      const pids = processTree([child.pid]);
      await killTree(pids, child);
      const again = processTree(pids).filter((pid) => !pids.includes(pid));
      if (again.length) await killTree(again, child);
      await xvfb.stop();
      await removeDir(scratch);
    })();
    return closing;
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    while (!exited) {
      try {
        const res = await fetch(`${endpoint}/status`, { signal: AbortSignal.timeout(1000) });
        const body = await res.json() as { value?: { ready?: boolean } };
        if (res.ok && body.value?.ready !== false) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("WebKitWebDriver exited before listening");
  })();
  try {
    await withTimeout(ready, 20_000, () => new Error("WebKitWebDriver did not start listening"));
  } catch (e) {
    await close();
    throw e;
  }
  log(
    `[webkitgtk] WebKitWebDriver ${child.pid} at ${endpoint}, Xvfb ${xvfb.pid} on ${xvfb.display}` +
      (pluginDir ? `, GST_PLUGIN_PATH=${pluginDir}` : ""),
  );
  return { endpoint, display: xvfb.display, running: () => !exited, close };
}

// ---------------------------------------------------------------------------------------------
// WebDriver over HTTP

/** An error answer of a WebDriver server (`error` is the W3C error code). */
export class WebDriverError extends Error {
  /** Creates the error for the code `error` with the server's message. */
  constructor(readonly error: string, message: string) {
    super(`${error}: ${message}`);
    this.name = "WebDriverError";
  }
}

/** Errors after which the session cannot be used again. */
const FATAL_ERRORS = new Set(["invalid session id", "session not created"]);

async function command(
  base: string,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body: unknown,
  timeoutMs: number,
): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json; charset=utf-8" },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: { value?: unknown };
  try {
    parsed = JSON.parse(text) as { value?: unknown };
  } catch {
    throw new WebDriverError("unknown error", `HTTP ${res.status} ${text.slice(0, 500)}`);
  }
  const value = parsed.value as { error?: string; message?: string } | null | undefined;
  if (!res.ok || (value && typeof value === "object" && typeof value.error === "string")) {
    throw new WebDriverError(value?.error ?? `HTTP ${res.status}`, value?.message ?? text);
  }
  return parsed.value;
}

/**
 * The script run by `execute/async`: installs console/error hooks, evaluates the expression and
 * hands back `{ ok, type, value | failure, messages }` (not `error`: an object with a string
 * `error` is how WebDriver reports its own errors). WebDriver classic has no console events, so the
 * page's errors and warnings come back this way (from the expression onwards).
 */
function asyncScript(expression: string): string {
  return `const done = arguments[arguments.length - 1];
const messages = [];
const text = (x) => x instanceof Error
  ? x.name + ": " + x.message + (x.stack ? "\\n" + x.stack : "")
  : String(x);
for (const level of ["error", "warn"]) {
  const original = console[level];
  console[level] = function (...args) {
    if (messages.length < 200) messages.push("console." + level + " " + args.map(text).join(" "));
    return original.apply(this, args);
  };
}
addEventListener("error", (e) => messages.push("pageerror " + text(e.error ?? e.message)));
addEventListener("unhandledrejection", (e) => messages.push("unhandledrejection " + text(e.reason)));
Promise.resolve().then(() => (
${expression}
)).then(
  (value) => done({ ok: true, type: typeof value, value: typeof value === "string" ? value : null, messages }),
  (e) => done({ ok: false, failure: text(e), messages }),
);`;
}

interface ScriptAnswer {
  ok: boolean;
  type?: string;
  value?: string | null;
  failure?: string;
  messages?: string[];
}

/** Options of {@linkcode connectWebKitGtkSession}. */
export interface WebKitGtkConnectOptions {
  /**
   * The `alwaysMatch` capabilities of the new session; default
   * {@linkcode webkitGtkCapabilities} (MiniBrowser at Debian's path with the lab's flags). For
   * another WebDriver (e.g. `safaridriver`) pass its own, e.g. `{ browserName: "safari" }`.
   */
  capabilities?: Record<string, unknown>;
  /** Called once by `close()` after the session is deleted (the local launcher stops its server). */
  onClose?: () => Promise<void>;
  /** Whether the server is still there (local: WebKitWebDriver has not exited). */
  serverRunning?: () => boolean;
}

/** Normalizes a WebDriver endpoint: `webdriver+` prefix and trailing slashes removed. */
export function webDriverBase(endpoint: string): string {
  return endpoint.replace(/^webdriver\+/, "").replace(/\/+$/, "");
}

/**
 * Opens a WebDriver session on `endpoint` (a WebKitWebDriver URL such as
 * `http://127.0.0.1:4444`, or any W3C WebDriver with `options.capabilities`). Each run navigates
 * the session's one window afresh, evaluates the expression with `execute/async`, and leaves
 * the page for `about:blank` (so the mock devices are released). `close()` deletes the session
 * and leaves the server running.
 */
export async function connectWebKitGtkSession(
  endpoint: string,
  log: (line: string) => void,
  options: WebKitGtkConnectOptions = {},
): Promise<EngineSession> {
  const base = webDriverBase(endpoint);
  const created = await command(base, "POST", "/session", {
    capabilities: { alwaysMatch: options.capabilities ?? webkitGtkCapabilities() },
  }, 60_000) as { sessionId: string; capabilities: Record<string, unknown> };
  const id = created.sessionId;
  const caps = created.capabilities;
  const fullVersion = String(caps.browserVersion ?? "0");
  const path = `/session/${id}`;
  let dead = false;
  const call = async (
    method: "GET" | "POST" | "DELETE",
    sub: string,
    body: unknown,
    timeoutMs: number,
  ) => {
    try {
      return await command(base, method, `${path}${sub}`, body, timeoutMs);
    } catch (e) {
      if (e instanceof WebDriverError && FATAL_ERRORS.has(e.error)) dead = true;
      if (e instanceof TypeError) dead = true; // fetch failed: the server is gone
      throw e;
    }
  };
  log(
    `[webkitgtk] session ${id} on ${base}: ${caps.browserName} ${fullVersion} (${caps.platformName})`,
  );
  let closing: Promise<void> | undefined;
  return {
    fullVersion,
    alive: () => !dead && closing === undefined && (options.serverRunning?.() ?? true),
    async runOnce(url, expression, timeoutMs) {
      const slack = timeoutMs + 10_000;
      await call("POST", "/timeouts", { script: timeoutMs, pageLoad: timeoutMs }, slack);
      try {
        await call("POST", "/url", { url }, slack);
        const answer = await call("POST", "/execute/async", {
          script: asyncScript(expression),
          args: [],
        }, slack) as ScriptAnswer;
        for (const m of answer.messages ?? []) {
          const space = m.indexOf(" ");
          log(`[webkitgtk ${m.slice(0, space)}] ${m.slice(space + 1)}`);
        }
        if (!answer.ok) throw new Error(`page: ${answer.failure}`);
        if (answer.type !== "string" || typeof answer.value !== "string") {
          throw new TypeError(`expression must evaluate to a string, got ${answer.type}`);
        }
        return answer.value;
      } finally {
        if (!dead) await settleWithin(call("POST", "/url", { url: "about:blank" }, 5000), 5000);
      }
    },
    close() {
      closing ??= (async () => {
        if (!dead) await settleWithin(call("DELETE", "", undefined, 10_000), 10_000);
        dead = true;
        await options.onClose?.();
      })();
      return closing;
    },
  };
}

/**
 * Starts Xvfb and WebKitWebDriver on 127.0.0.1 (see {@linkcode startWebKitGtkServer}) and opens
 * a MiniBrowser session; `close()` ends the session and stops both by PID.
 */
export async function launchWebKitGtkSession(log: (line: string) => void): Promise<EngineSession> {
  const server = await startWebKitGtkServer(log);
  try {
    return await connectWebKitGtkSession(server.endpoint, log, {
      onClose: () => server.close(),
      serverRunning: () => server.running(),
    });
  } catch (e) {
    await server.close();
    throw e;
  }
}
