/**
 * Pieces shared by the engine drivers: the per-engine session contract, the run wrapper with
 * timeout and restart, and leftover-process cleanup.
 *
 * @module
 */

/** The browser engines the lab drives. */
export type Engine = "chromium" | "firefox" | "webkitgtk";

/** Options of one {@linkcode BrowserTarget.run}. */
export interface RunOptions {
  /** Covers navigation and evaluation; default 60 000 ms. */
  timeoutMs?: number;
}

/** A browser the lab can run scenario pages in: local (started by the lab) or remote (by URL). */
export interface BrowserTarget {
  /** Which engine this is. */
  readonly engine: Engine;
  /** Major version, e.g. `"156"`. */
  readonly version: string;
  /** Full version, e.g. `"156.0.8078.129"`. */
  readonly fullVersion: string;
  /** True when connected to a browser the lab did not start. */
  readonly remote: boolean;
  /**
   * Opens a fresh page at `url`, evaluates `expression` (a JS expression evaluating to a
   * `Promise<string>`) in it and returns that string. Rejects on timeout (default 60 s) and then
   * restarts (or, when remote, reconnects to) the browser so the next run works. Runs on one
   * target are serialized.
   */
  run(url: string, expression: string, options?: RunOptions): Promise<string>;
  /**
   * Closes the browser (or disconnects from a remote one), kills leftovers, removes temp dirs. A
   * run in progress is not waited for: it rejects.
   */
  close(): Promise<void>;
}

/** Options of {@linkcode launchBrowser}. */
export interface LaunchOptions {
  /**
   * A remote browser to connect to instead of starting one. Chromium: a Playwright browser
   * server `ws://…` endpoint, or a CDP endpoint (`http://host:port`, `ws://…/devtools/browser/…`,
   * or any URL prefixed with `cdp+`). Firefox: a WebDriver BiDi endpoint (`ws://host:port` or
   * `ws://host:port/session`).
   */
  endpoint?: string;
  /** Receives driver events, page console errors/warnings, page errors and crashes. */
  log?: (line: string) => void;
}

/** One connection to one browser; the engine files implement it, {@linkcode makeTarget} wraps it. */
export interface EngineSession {
  /** Full version, e.g. `"156.0.8078.129"`. */
  readonly fullVersion: string;
  /** False once the browser has gone away (crash, disconnect). */
  alive(): boolean;
  /** One run in a fresh page, closing the page afterwards; `timeoutMs` bounds inner steps. */
  runOnce(url: string, expression: string, timeoutMs: number): Promise<string>;
  /** Closes everything this session owns; never rejects. */
  close(): Promise<void>;
}

/** The default `run` timeout. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Thrown by `run` when a run does not finish in time. */
export class RunTimeoutError extends Error {
  /** Creates the error for a run of `url` that exceeded `timeoutMs`. */
  constructor(url: string, timeoutMs: number) {
    super(`run of ${url} timed out after ${timeoutMs} ms`);
    this.name = "RunTimeoutError";
  }
}

/** Rejects with `error()` after `ms` unless `promise` settles first; clears its timer either way. */
export function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Wraps engine sessions into a {@linkcode BrowserTarget}: serializes runs, enforces the timeout,
 * replaces the session after a timeout or when it died.
 */
export async function makeTarget(
  engine: Engine,
  remote: boolean,
  open: () => Promise<EngineSession>,
  log: (line: string) => void,
): Promise<BrowserTarget> {
  let session: Promise<EngineSession> = open();
  const first = await session;
  const fullVersion = first.fullVersion;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const replace = (old: EngineSession, why: string) => {
    if (closed) return;
    log(`[${engine}] restarting browser: ${why}`);
    session = (async () => {
      await old.close();
      if (closed) throw new Error(`${engine} target is closed`);
      return await open();
    })();
    // A failed restart is retried by the next run; don't leave an unhandled rejection.
    session.catch((e) => log(`[${engine}] restart failed: ${e}`));
  };

  const runNow = async (url: string, expression: string, timeoutMs: number) => {
    if (closed) throw new Error(`${engine} target is closed`);
    let s: EngineSession;
    try {
      s = await session;
    } catch {
      session = open();
      s = await session;
    }
    if (!s.alive()) {
      replace(s, "browser is gone");
      s = await session;
    }
    const attempt = s.runOnce(url, expression, timeoutMs);
    try {
      return await withTimeout(attempt, timeoutMs, () => new RunTimeoutError(url, timeoutMs));
    } catch (e) {
      if (e instanceof RunTimeoutError) {
        attempt.catch(() => {});
        replace(s, e.message);
      } else if (!s.alive()) {
        replace(s, `browser died during run: ${e}`);
      }
      throw e;
    }
  };

  return {
    engine,
    version: fullVersion.split(".")[0] ?? fullVersion,
    fullVersion,
    remote,
    run(url, expression, options = {}) {
      if (closed) return Promise.reject(new Error(`${engine} target is closed`));
      const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const result = queue.then(() => runNow(url, expression, timeoutMs));
      queue = result.catch(() => {});
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      // Don't wait for a run in progress: closing the browser ends it (it rejects).
      try {
        await (await session).close();
      } catch { /* the session never opened */ }
      await queue;
    },
  };
}

/** Whether `path` is an existing regular file. */
export function fileExists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** PIDs of processes whose command line contains `marker` (Linux /proc; empty elsewhere). */
export function pidsMatching(marker: string): number[] {
  const pids: number[] = [];
  let entries: Iterable<Deno.DirEntry>;
  try {
    entries = Deno.readDirSync("/proc");
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry.name)) continue;
    const pid = Number(entry.name);
    if (pid === Deno.pid) continue;
    try {
      const cmdline = Deno.readTextFileSync(`/proc/${pid}/cmdline`);
      if (cmdline.includes(marker)) pids.push(pid);
    } catch { /* gone or not ours */ }
  }
  return pids;
}

/** Parent PID of `pid` from /proc, or `undefined` when it is gone. */
function parentPid(pid: number): number | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // "pid (comm) state ppid …"; comm may contain spaces and parentheses.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(rest[1]);
  } catch {
    return undefined;
  }
}

/** `roots` and all their descendants (Linux /proc). */
export function processTree(roots: readonly number[]): number[] {
  const all = new Set(roots);
  let pids: number[] = [];
  try {
    pids = [...Deno.readDirSync("/proc")].filter((e) => /^\d+$/.test(e.name)).map((e) =>
      Number(e.name)
    );
  } catch {
    return [...all];
  }
  const parents = new Map(pids.map((pid) => [pid, parentPid(pid)]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (ppid !== undefined && all.has(ppid) && !all.has(pid)) {
        all.add(pid);
        grew = true;
      }
    }
  }
  all.delete(Deno.pid);
  return [...all];
}

/**
 * Kills (SIGKILL) every process whose command line contains `marker` (e.g. a unique temp profile
 * directory) together with its descendants (Firefox content processes do not name the profile),
 * and waits briefly for them to go. Returns how many were killed.
 */
export async function killMatching(marker: string): Promise<number> {
  const pids = processTree(pidsMatching(marker));
  for (const pid of pids) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* already gone */ }
  }
  const alive = () =>
    pids.some((pid) => {
      try {
        // A zombie still has /proc/<pid>; "Z" in stat means it is dead for our purposes.
        const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
      } catch {
        return false;
      }
    });
  for (let i = 0; i < 40 && alive(); i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  return pids.length;
}

/** Removes `dir` recursively, retrying briefly (browsers may still be writing). */
export async function removeDir(dir: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    try {
      await Deno.remove(dir, { recursive: true });
      return;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Settles `promise` within `ms`, swallowing rejection; for best-effort shutdown steps. */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  await withTimeout(promise, ms, () => new Error("timeout")).catch(() => {});
}
