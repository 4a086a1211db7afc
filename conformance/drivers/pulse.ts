/**
 * A private PulseAudio server with a null sink, so that Firefox has a paced audio output (without
 * one, every `AudioContext` stays "suspended").
 *
 * @module
 */

/** A running private PulseAudio server. */
export interface PulseServer {
  /** Environment for clients: `{ PULSE_SERVER: "unix:<dir>/native" }`. */
  readonly serverEnv: { readonly PULSE_SERVER: string };
  /** The scratch directory (HOME, PULSE_RUNTIME_PATH and XDG_RUNTIME_DIR of the server). */
  readonly dir: string;
  /** The server's process id. */
  readonly pid: number;
  /** Kills the server by its PID and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options for {@linkcode startPulse}. */
export interface StartPulseOptions {
  /** The pulseaudio executable; default `pulseaudio` on PATH. */
  executable?: string;
  /** How long to wait for the socket; default 10 s. */
  timeoutMs?: number;
  /** Receives the server's stderr lines. */
  log?: (line: string) => void;
}

/** Whether a `pulseaudio` executable is on PATH (or at `executable`). */
export function pulseAvailable(executable = "pulseaudio"): boolean {
  const candidates = executable.includes("/")
    ? [executable]
    : (Deno.env.get("PATH") ?? "").split(":").filter((d) => d).map((d) => `${d}/${executable}`);
  return candidates.some((p) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  });
}

async function socketExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isSocket === true;
  } catch {
    return false;
  }
}

/**
 * Starts `pulseaudio` with a 44.1 kHz stereo null sink (`norewinds=1`, so that new streams start
 * at once) and an anonymous unix socket in a fresh temp dir, and resolves once the socket exists.
 */
export async function startPulse(options: StartPulseOptions = {}): Promise<PulseServer> {
  const dir = await Deno.makeTempDir({ prefix: "recsim-pulse-" });
  const socket = `${dir}/native`;
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: dir,
    PULSE_RUNTIME_PATH: dir,
    XDG_RUNTIME_DIR: dir,
  };
  const child = new Deno.Command(options.executable ?? "pulseaudio", {
    args: [
      "-n",
      "--daemonize=no",
      "--exit-idle-time=-1",
      "--use-pid-file=no",
      "--disallow-exit",
      // norewinds=1: 10 ms blocks. Without it the null sink renders 2 s of silence ahead and a
      // new stream waits behind it (Firefox A+V recordings stalled ~1.7 s per page).
      "--load=module-null-sink sink_name=null rate=44100 channels=2 norewinds=1",
      `--load=module-native-protocol-unix socket=${socket} auth-anonymous=1`,
    ],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderrLines: string[] = [];
  const stderrDone = (async () => {
    const decoder = child.stderr.pipeThrough(new TextDecoderStream());
    let buf = "";
    for await (const text of decoder) {
      buf += text;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        stderrLines.push(line);
        if (stderrLines.length > 50) stderrLines.shift();
        options.log?.(`[pulse] ${line}`);
      }
    }
  })().catch(() => {});
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      try {
        Deno.kill(child.pid, "SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          Deno.kill(child.pid, "SIGKILL");
        } catch { /* already gone */ }
      }, 2000);
      await status;
      clearTimeout(timer);
    }
    await stderrDone;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };

  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (!(await socketExists(socket))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(
        `pulseaudio ${exited ? "exited" : "did not create its socket in time"}: ${
          stderrLines.join("\n")
        }`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { serverEnv: { PULSE_SERVER: `unix:${socket}` }, dir, pid: child.pid, stop };
}
