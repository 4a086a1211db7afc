/**
 * `deno task timeline <trace.json> [--out dir] [--page] [--width px]`: renders any trace
 * (from `deno task record`, or a fuzz replay's `--trace dir`) into `dir/timeline.svg`
 * (default: next to the trace). With `--page` it also writes `dir/index.html`, the page
 * that plays `recording.webm` (or `.ogg`) from the same directory.
 *
 * `writeTimelineAndPage()` is what `deno task record` calls after writing the recording.
 *
 * @module
 */
import type { TraceEntry } from "../trace.ts";
import { type PageChunk, pageChunks, renderPage } from "../timeline/page.ts";
import {
  formatBytes,
  renderTimeline,
  type TimelineOptions,
  type TimelineTrace,
  traceEntries,
} from "../timeline/render_svg.ts";

/** Options of {@link writeTimelineAndPage}. */
export interface WriteTimelineOptions {
  /** The recording's mimeType (default: the trace's first recording's). */
  mimeType?: string;
  /** The recording's file name in `outDir` (default `recording.ogg` for `audio/ogg`, else `recording.webm`). */
  recordingFileName?: string;
  /** The chunk table (default: from the trace's chunk entries of its first recording). */
  chunks?: readonly PageChunk[];
  /** Whether to write `index.html` too (default true). */
  page?: boolean;
  /** Options for the picture. */
  timeline?: TimelineOptions;
}

/** What {@link writeTimelineAndPage} wrote. */
export interface WrittenTimeline {
  /** Path of `timeline.svg`. */
  svgPath: string;
  /** Its size in bytes. */
  svgBytes: number;
  /** Path of `index.html`, or null when not written. */
  pagePath: string | null;
}

/** The mimeType of the trace's first recording (from its start event, else its config). */
function traceMimeType(entries: readonly TraceEntry[]): string {
  for (const e of entries) {
    if (e.kind === "event" && e.type === "start" && e.mimeType) return e.mimeType;
  }
  for (const e of entries) if (e.kind === "recording") return e.mimeType;
  return "video/webm";
}

/**
 * Writes `outDir/timeline.svg` and (unless `page: false`) `outDir/index.html` for a run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordScene } from "../scene.ts";
 * import { writeTimelineAndPage } from "./timeline.ts";
 * const { trace } = await recordScene({ durationMs: 1000 });
 * const dir = await Deno.makeTempDir();
 * const out = await writeTimelineAndPage(dir, trace, { recordingFileName: "recording.webm" });
 * assert.ok((await Deno.readTextFile(out.svgPath)).startsWith("<svg"));
 * assert.ok((await Deno.readTextFile(out.pagePath!)).includes("recording.webm"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeTimelineAndPage(
  outDir: string,
  trace: TimelineTrace,
  options: WriteTimelineOptions = {},
): Promise<WrittenTimeline> {
  const entries = traceEntries(trace);
  const svg = renderTimeline(entries, options.timeline);
  await Deno.mkdir(outDir, { recursive: true });
  const svgPath = `${outDir}/timeline.svg`;
  const svgBytes = new TextEncoder().encode(svg);
  await Deno.writeFile(svgPath, svgBytes);
  if (options.page === false) return { svgPath, svgBytes: svgBytes.length, pagePath: null };
  const mimeType = options.mimeType ?? traceMimeType(entries);
  const recordingFileName = options.recordingFileName ??
    (mimeType.startsWith("audio/ogg") ? "recording.ogg" : "recording.webm");
  const html = renderPage({
    trace: entries,
    recordingFileName,
    mimeType,
    timelineSvg: svg,
    chunks: options.chunks ?? pageChunks(entries),
  });
  const pagePath = `${outDir}/index.html`;
  await Deno.writeTextFile(pagePath, html);
  return { svgPath, svgBytes: svgBytes.length, pagePath };
}

/** Parsed flags of `deno task timeline`. */
export interface TimelineArgs {
  /** The trace file. */
  trace: string;
  /** The output directory. */
  out: string;
  /** Whether to write index.html too. */
  page: boolean;
  /** Picture width in px. */
  width: number;
}

/**
 * Parses the flags.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTimelineArgs } from "./timeline.ts";
 * assert.deepEqual(parseTimelineArgs(["runs/a/trace.json"]), {
 *   trace: "runs/a/trace.json", out: "runs/a", page: false, width: 1200,
 * });
 * assert.equal(parseTimelineArgs(["t.json", "--out", "x"]).out, "x");
 * ```
 */
export function parseTimelineArgs(args: string[]): TimelineArgs {
  let trace: string | undefined;
  let out: string | undefined;
  let page = false;
  let width = 1200;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const [name, inline] = flag.startsWith("--") && flag.includes("=")
      ? flag.split(/=(.*)/s, 2) as [string, string]
      : [flag, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v.trim() === "") throw new TypeError(`${name}: missing value`);
      return v;
    };
    if (name === "--out") out = value();
    else if (name === "--page") page = true;
    else if (name === "--width") {
      const v = value();
      width = Number(v);
      if (!Number.isInteger(width) || width < 480) {
        throw new TypeError(`--width: expected an integer >= 480, got '${v}'`);
      }
    } else if (name.startsWith("-")) {
      throw new TypeError(`unknown flag '${flag}' (flags: --out DIR, --page, --width PX)`);
    } else if (trace === undefined) trace = flag;
    else throw new TypeError(`one trace file expected, got '${trace}' and '${flag}'`);
  }
  if (trace === undefined) {
    throw new TypeError("usage: deno task timeline <trace.json> [--out dir] [--page] [--width px]");
  }
  const slash = trace.lastIndexOf("/");
  return {
    trace,
    out: out ?? (slash < 0 ? "." : slash === 0 ? "/" : trace.slice(0, slash)),
    page,
    width,
  };
}

/**
 * Runs the CLI. Returns the exit code (2 for bad flags, 1 for an unreadable trace).
 *
 * @example
 * ```ts ignore
 * import { main } from "./timeline.ts";
 * Deno.exit(await main(Deno.args));
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  let args: TimelineArgs;
  try {
    args = parseTimelineArgs(argv);
  } catch (error) {
    console.error(`timeline: ${(error as Error).message}`);
    return 2;
  }
  let entries: TraceEntry[];
  try {
    const json = JSON.parse(await Deno.readTextFile(args.trace));
    const list = Array.isArray(json) ? json : json?.entries;
    if (!Array.isArray(list)) {
      throw new TypeError("not a trace: expected { version: 1, entries: [...] }");
    }
    entries = list as TraceEntry[];
  } catch (error) {
    console.error(`timeline: cannot read ${args.trace}: ${(error as Error).message}`);
    return 1;
  }
  const wall = performance.now();
  const written = await writeTimelineAndPage(args.out, entries, {
    page: args.page,
    timeline: { width: args.width },
  });
  const ms = (performance.now() - wall).toFixed(0);
  console.log(
    `timeline: ${written.svgPath} (${
      formatBytes(written.svgBytes)
    }, ${entries.length} trace entries, ${ms} ms)`,
  );
  if (written.pagePath) console.log(`timeline: ${written.pagePath}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
