/**
 * `deno task record`: records the default virtual scene (or one set by flags) into
 * `out/`: every chunk as its own file, `recording.webm` (the concatenation),
 * `trace.json`, and a printed summary.
 *
 * Flags: `--duration 5s`, `--timeslice 1000` (`none` for no timeslice), `--mime video/webm`,
 * `--size 640x480`, `--fps 30`, `--seed 1`, `--out out`, `--encoder libav|synthetic` (default libav).
 *
 * @module
 */
import { recordScene } from "../scene.ts";
import { writeTimelineAndPage } from "./timeline.ts";

/** Parsed command-line options. */
export interface RecordArgs {
  /** Duration in ms. */
  durationMs: number;
  /** Timeslice in ms or null. */
  timeslice: number | null;
  /** mimeType. */
  mime: string;
  /** Video width. */
  width: number;
  /** Video height. */
  height: number;
  /** Frames per second. */
  fps: number;
  /** Seed. */
  seed: number;
  /** Output directory. */
  out: string;
  /** Encoder name. */
  encoder: "synthetic" | "libav";
}

function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|min|h)?$/.exec(text.trim());
  if (!m) throw new TypeError(`--duration: expected e.g. 5s, 1500ms, 2m or 1h, got '${text}'`);
  const unit = m[2] ?? "s";
  const factor = unit === "ms" ? 1 : unit === "s" ? 1000 : unit === "h" ? 3_600_000 : 60_000;
  return Number(m[1]) * factor;
}

/**
 * Parses the flags.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRecordArgs } from "./record.ts";
 * const a = parseRecordArgs(["--duration", "2s", "--size", "640x480", "--timeslice", "none"]);
 * assert.ok(a.durationMs === 2000 && a.width === 640 && a.timeslice === null);
 * ```
 */
export function parseRecordArgs(args: string[]): RecordArgs {
  const a: RecordArgs = {
    durationMs: 5000,
    timeslice: 1000,
    mime: "video/webm",
    width: 640,
    height: 480,
    fps: 30,
    seed: 1,
    out: "out",
    encoder: "libav",
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const [name, inline] = flag.includes("=")
      ? flag.split(/=(.*)/s, 2) as [string, string]
      : [flag, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v.trim() === "") throw new TypeError(`${name}: missing value`);
      return v;
    };
    switch (name) {
      case "--duration":
        a.durationMs = duration(value());
        break;
      case "--timeslice": {
        const v = value();
        a.timeslice = v === "none" ? null : Number(v);
        if (a.timeslice !== null && !(Number.isFinite(a.timeslice) && a.timeslice >= 0)) {
          throw new TypeError(`--timeslice: expected a number of ms >= 0 or 'none', got '${v}'`);
        }
        break;
      }
      case "--mime":
        a.mime = value();
        break;
      case "--size": {
        const v = value();
        const m = /^(\d+)x(\d+)$/.exec(v);
        if (!m) throw new TypeError(`--size: expected WxH, e.g. 640x480, got '${v}'`);
        a.width = Number(m[1]);
        a.height = Number(m[2]);
        if (a.width < 1 || a.height < 1) {
          throw new TypeError(`--size: width and height must be at least 1, got '${v}'`);
        }
        break;
      }
      case "--fps":
        a.fps = Number(value());
        if (!(a.fps > 0 && Number.isFinite(a.fps))) {
          throw new TypeError("--fps: expected a finite number > 0");
        }
        break;
      case "--seed":
        a.seed = Number(value());
        if (!Number.isInteger(a.seed)) throw new TypeError("--seed: expected an integer");
        break;
      case "--out":
        a.out = value();
        break;
      case "--encoder": {
        const v = value();
        if (v !== "synthetic" && v !== "libav") {
          throw new TypeError(`--encoder: expected synthetic or libav, got '${v}'`);
        }
        a.encoder = v;
        break;
      }
      default:
        throw new TypeError(
          `unknown flag '${flag}' (flags: --duration --timeslice --mime --size --fps --seed --out --encoder)`,
        );
    }
  }
  return a;
}

/**
 * Runs the CLI: records and writes the files. Returns the process exit code.
 *
 * @example
 * ```ts ignore
 * import { main } from "./record.ts";
 * Deno.exit(await main(Deno.args));
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  let args: RecordArgs;
  try {
    args = parseRecordArgs(argv);
  } catch (error) {
    console.error(`record: ${(error as Error).message}`);
    return 2;
  }
  const encoders = [];
  if (args.encoder === "libav") {
    const { createLibavEncoder } = await import("../encoding/libav/mod.ts");
    encoders.push(createLibavEncoder());
  }
  const audioOnly = args.mime.startsWith("audio/");
  const wall = performance.now();
  const long = args.durationMs >= 30_000;
  const total = (args.durationMs / 1000).toFixed(0);
  const progress = (t: number) => {
    if (t % 10_000 !== 0 && t !== args.durationMs) return;
    const elapsed = (performance.now() - wall) / 1000;
    console.error(
      `  … ${(t / 1000).toFixed(0)} s of ${total} s recorded (${elapsed.toFixed(1)} s wall)`,
    );
  };
  const result = await recordScene({
    durationMs: args.durationMs,
    timeslice: args.timeslice,
    mimeType: args.mime,
    seed: args.seed,
    encoders,
    video: audioOnly ? null : { width: args.width, height: args.height, frameRate: args.fps },
    audio: { sampleRate: 48000, channelCount: 2, frequency: 440 },
    ...(long ? { onProgress: progress } : {}),
  });
  const seconds = (performance.now() - wall) / 1000;
  const ext = result.mimeType.startsWith("audio/ogg") ? "ogg" : "webm";
  await Deno.mkdir(args.out, { recursive: true });
  for (const entry of Deno.readDirSync(args.out)) {
    if (/^chunk-\d+\.(webm|ogg)$/.test(entry.name)) await Deno.remove(`${args.out}/${entry.name}`);
  }
  for (const [i, c] of result.chunks.entries()) {
    await Deno.writeFile(`${args.out}/chunk-${String(i).padStart(3, "0")}.${ext}`, c.data);
  }
  await Deno.writeFile(`${args.out}/recording.${ext}`, result.recording);
  await Deno.writeTextFile(`${args.out}/trace.json`, result.trace.toJSON());
  await writeTimelineAndPage(args.out, result.trace, {
    mimeType: result.mimeType,
    recordingFileName: `recording.${ext}`,
  });
  const sizes = result.chunks.map((c) => c.data.length);
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const scene = audioOnly
    ? "48 kHz stereo tone"
    : `${args.width}×${args.height}@${args.fps} video + 48 kHz stereo tone`;
  console.log(
    `recsim: recorded ${
      (args.durationMs / 1000).toFixed(1)
    } s of ${scene} with the ${args.encoder} encoder`,
  );
  console.log(`  mimeType   ${result.mimeType}`);
  console.log(`  chunks     ${sizes.length} (${sizes.map(kib).join(", ")})`);
  console.log(`  total      ${kib(result.recording.length)}`);
  console.log(`  events     ${result.events.length}: ${summarize(result.events)}`);
  console.log(
    `  speed      ${(args.durationMs / 1000 / seconds).toFixed(2)}× real time (${
      seconds.toFixed(2)
    } s wall)`,
  );
  console.log(
    `  files      ${args.out}/recording.${ext}, ${args.out}/chunk-*.${ext}, ${args.out}/trace.json, ${args.out}/timeline.svg, ${args.out}/index.html`,
  );
  return 0;
}

function summarize(events: string[]): string {
  const counts = new Map<string, number>();
  for (const e of events) {
    const type = e.slice(e.indexOf(":") + 1);
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts].map(([type, n]) => `${type}×${n}`).join(" ");
}

if (import.meta.main) Deno.exit(await main(Deno.args));
