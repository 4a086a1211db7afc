/**
 * ffprobe's verdict on a recording: whether it reads the container and its streams, and
 * (optionally) whether a full ffmpeg decode finds no error.
 *
 * @module
 */
import type { ProbeResult } from "./types.ts";

/** Whether ffprobe is on PATH. */
export function ffprobeAvailable(): boolean {
  try {
    return new Deno.Command("ffprobe", { args: ["-version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/**
 * Probes `bytes`: `ok` when ffprobe lists at least one stream without error (container
 * level: recsim's synthetic payloads are placeholders, not codec data), `decoded` when a
 * full `ffmpeg -f null` decode reports no error (only with `decode`).
 *
 * @example
 * ```ts ignore
 * const result = await probeBytes(new Uint8Array(await blob.arrayBuffer()));
 * ```
 */
export async function probeBytes(
  bytes: Uint8Array,
  options: { decode?: boolean } = {},
): Promise<ProbeResult & { decoded?: boolean }> {
  const file = await Deno.makeTempFile({ prefix: "recsim-probe-" });
  try {
    await Deno.writeFile(file, bytes);
    const out = await new Deno.Command("ffprobe", {
      args: ["-v", "error", "-show_entries", "stream=codec_name", "-of", "json", file],
      stdout: "piped",
      stderr: "piped",
    }).output();
    let codecs: string[] = [];
    try {
      const parsed = JSON.parse(new TextDecoder().decode(out.stdout));
      codecs = (parsed.streams ?? []).map((s: { codec_name?: string }) => s.codec_name ?? "?");
    } catch { /* not JSON: not readable */ }
    const ok = out.success && codecs.length > 0;
    const result: ProbeResult & { decoded?: boolean } = { ok, codecs };
    if (options.decode && ok) {
      const dec = await new Deno.Command("ffmpeg", {
        args: ["-v", "error", "-i", file, "-f", "null", "-"],
        stdout: "null",
        stderr: "piped",
      }).output();
      result.decoded = dec.success && dec.stderr.length === 0;
    }
    return result;
  } finally {
    await Deno.remove(file).catch(() => {});
  }
}

/** Decodes the base64 the page returns. */
export function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
