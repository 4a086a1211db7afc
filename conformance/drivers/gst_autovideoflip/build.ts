/**
 * Builds the `autovideoflip` stand-in GStreamer plugin (`autovideoflip.c` beside this file) at
 * first use, into a cache directory, for the WebKitGTK driver.
 *
 * Why this exists: WebKitGTK 2.50's MediaRecorder encoder asks GStreamer for the element
 * `autovideoflip`, which only GStreamer 1.24+ has. Debian 12 ships GStreamer 1.22, so there the
 * encoder pipeline never links and every recorded Blob is 0 bytes, with no error event at all.
 * The stand-in is a bin around the old `videoflip` that forwards `video-direction`. With
 * GStreamer 1.24+ nothing is built and the real element is used.
 *
 * Why at run time and not at install: it must be compiled against the machine's own GStreamer
 * headers (a binary in the repository would be tied to one ABI and architecture), and a source
 * hash in the cache path rebuilds it when `autovideoflip.c` changes. Needs `gcc`, `pkg-config`
 * and `libgstreamer1.0-dev` (see `install_webkitgtk.sh`).
 *
 * @module
 */

/** The plugin file name; GStreamer derives the descriptor symbol from it, so it is fixed. */
export const AUTOVIDEOFLIP_LIBRARY = "libgstrecsimautovideoflip.so";

const SOURCE = new URL("./autovideoflip.c", import.meta.url);

/** The cache root: `$XDG_CACHE_HOME/recsim` or `~/.cache/recsim` (or a temp dir without HOME). */
export function recsimCacheDir(): string {
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  if (xdg) return `${xdg}/recsim`;
  const home = Deno.env.get("HOME");
  return home ? `${home}/.cache/recsim` : "/tmp/recsim-cache";
}

async function output(cmd: string, args: string[]): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  } catch (e) {
    throw new Error(
      `${cmd} is needed to build the autovideoflip stand-in (${e}); install: ` +
        "bash conformance/drivers/install_webkitgtk.sh",
    );
  }
  if (!out.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  return new TextDecoder().decode(out.stdout).trim();
}

/** The installed GStreamer version (from `pkg-config`), e.g. `"1.22.0"`. */
export async function gstreamerVersion(): Promise<string> {
  try {
    return await output("pkg-config", ["--modversion", "gstreamer-1.0"]);
  } catch (e) {
    throw new Error(
      `cannot tell the GStreamer version (libgstreamer1.0-dev missing?): ${
        (e as Error).message
      }; install: bash conformance/drivers/install_webkitgtk.sh`,
    );
  }
}

/** Whether GStreamer `version` lacks `autovideoflip` (added in 1.24). */
export function needsAutoVideoFlip(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major < 1 || (major === 1 && minor < 24);
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Returns the directory to put on `GST_PLUGIN_PATH` for the stand-in, building it first when
 * the cache has none for this source and GStreamer version; `undefined` when GStreamer has the
 * real `autovideoflip` (1.24+). Concurrent callers are safe: each compiles to a unique temp
 * name and renames it into place.
 */
export async function ensureAutoVideoFlipPlugin(
  log: (line: string) => void = () => {},
): Promise<string | undefined> {
  const version = await gstreamerVersion();
  if (!needsAutoVideoFlip(version)) return undefined;
  const source = await Deno.readTextFile(SOURCE);
  const key = (await sha256Hex(`${version}\n${source}`)).slice(0, 16);
  const dir = `${recsimCacheDir()}/gst-autovideoflip-${key}`;
  const library = `${dir}/${AUTOVIDEOFLIP_LIBRARY}`;
  try {
    if ((await Deno.stat(library)).isFile) return dir;
  } catch { /* not built yet */ }
  await Deno.mkdir(dir, { recursive: true });
  const flags = (await output("pkg-config", ["--cflags", "--libs", "gstreamer-1.0"]))
    .split(/\s+/).filter((f) => f);
  const tmp = `${dir}/.build-${Deno.pid}-${crypto.randomUUID()}.so`;
  const started = performance.now();
  try {
    await output("gcc", [
      "-shared",
      "-fPIC",
      "-O2",
      "-Wall",
      "-o",
      tmp,
      SOURCE.pathname,
      ...flags,
    ]);
    await Deno.rename(tmp, library);
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
  log(
    `[webkitgtk] built the autovideoflip stand-in for GStreamer ${version} in ${
      Math.round(performance.now() - started)
    } ms: ${library}`,
  );
  return dir;
}
