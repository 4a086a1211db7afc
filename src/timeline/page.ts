/**
 * `index.html` of a recording: one self-contained page (no network: the CSS, the script
 * and the timeline SVG are inline) with a `<video>` (or `<audio>`) element playing the
 * recording file next to it, the chunk table, and the timeline with a playhead. Clicking a
 * chunk (a table row or its span in the timeline) seeks the player to the chunk's media
 * time, within the ranges the browser has buffered or can seek (live WebM has no index or
 * duration: a browser may report `Infinity` until the end has been played).
 *
 * @module
 */
import type { ChunkEntry, FramesEntry, RecordingEntry } from "../trace.ts";
import {
  formatBytes,
  formatTime,
  recordingSpans,
  type TimelineTrace,
  traceEntries,
} from "./render_svg.ts";

/** One row of the chunk table. */
export interface PageChunk {
  /** Chunk index (0 for the first). */
  index: number;
  /** Virtual time of its `dataavailable` event (ms). */
  time: number;
  /** Size in bytes. */
  size: number;
  /** `BlobEvent.timecode` (ms). */
  timecode: number;
  /** Media time (ms, the recording's timeline, pauses cut out) of its first block, or null when it holds no media. */
  mediaStart: number | null;
}

/** What {@link renderPage} needs. */
export interface PageOptions {
  /** The run's trace. */
  trace: TimelineTrace;
  /** The recording's file name, relative to the page (e.g. `recording.webm`). */
  recordingFileName: string;
  /** The recording's mimeType (an `audio/…` type gets an `<audio>` element). */
  mimeType: string;
  /** The timeline, from `renderTimeline`. */
  timelineSvg: string;
  /** The chunk table (see {@link pageChunks}). */
  chunks: readonly PageChunk[];
  /** The recorder whose recording the page shows (default: the trace's first recording's). */
  recorder?: string;
  /** Which of its recordings (default: the first). */
  recording?: number;
  /** The page title (default "recsim: " + the file name). */
  title?: string;
}

/** Picks the recording a page shows: the given one, else the trace's first. */
function pickRecording(
  trace: TimelineTrace,
  recorder?: string,
  recording?: number,
): RecordingEntry | null {
  for (const e of traceEntries(trace)) {
    if (
      e.kind === "recording" && (recorder === undefined || e.target === recorder) &&
      (recording === undefined || e.recording === recording)
    ) return e;
  }
  return null;
}

/**
 * The chunk table of one recording, from the trace's chunk entries (default: the trace's
 * first recording).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordScene } from "../scene.ts";
 * import { pageChunks } from "./page.ts";
 * const { trace, chunks } = await recordScene({ durationMs: 2000, timeslice: 1000 });
 * const rows = pageChunks(trace);
 * assert.equal(rows.length, chunks.length);
 * assert.deepEqual(rows[1], { index: 1, time: 2000, size: chunks[1]!.data.length, timecode: 1000, mediaStart: 1000 });
 * ```
 */
export function pageChunks(
  trace: TimelineTrace,
  recorder?: string,
  recording?: number,
): PageChunk[] {
  const rec = pickRecording(trace, recorder, recording);
  if (!rec && (recorder !== undefined || recording !== undefined)) return [];
  const out: PageChunk[] = [];
  for (const e of traceEntries(trace)) {
    if (e.kind !== "chunk") continue;
    if (rec ? e.target !== rec.target || e.recording !== rec.recording : false) continue;
    out.push({
      index: e.index,
      time: e.t,
      size: e.size,
      timecode: e.timecode,
      mediaStart: e.media ? e.media[0] : null,
    });
  }
  return out;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/** JSON for a `<script>` element (no `</script>`, no `<!--`). */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(
    /\u2029/g,
    "\\u2029",
  );
}

const CSS = `
:root{color-scheme:light;font-family:"DejaVu Sans",Verdana,Arial,sans-serif;font-size:14px;color:#222;background:#fff}
body{margin:0 auto;padding:12px 20px 40px;max-width:1260px}
h1{font-size:20px;margin:4px 0}
h2{font-size:15px;margin:14px 0 6px}
.meta{color:#555;margin:0 0 8px}
.top{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap}
.player{flex:0 0 auto}
video{display:block;width:480px;max-width:100%;background:#000}
audio{display:block;width:480px;max-width:100%}
#status{min-height:1.4em;margin:6px 0;color:#333}
#status.bad{color:#c62828;font-weight:bold}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{padding:3px 10px;text-align:right;border-bottom:1px solid #e0e0e0}
th{background:#f5f5f5;font-weight:600}
.facts th{text-align:left}
.chunks{flex:1 1 420px;max-height:480px;overflow:auto}
.chunks tbody tr{cursor:pointer}
.chunks tbody tr:hover{background:#e3f2fd}
.chunks tbody tr.empty{cursor:default;color:#888}
.chunks tbody tr.current{background:#bbdefb}
.chunks tbody tr:focus{outline:2px solid #1565c0;outline-offset:-2px}
.timeline{overflow-x:auto;border:1px solid #e0e0e0}
.timeline svg{display:block}
.timeline .rs-chunk[data-media-start]{cursor:pointer}
.rs-playhead{stroke:#000;stroke-width:1.5;pointer-events:none}
footer{color:#777;margin-top:10px;font-size:12px}
`;

const SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("recsim-data").textContent);
  var player = document.getElementById("player");
  var status = document.getElementById("status");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#chunks tbody tr"));
  var svg = document.querySelector(".timeline svg");
  var body = document.body;
  function say(text, bad) { status.textContent = text; status.className = bad ? "bad" : ""; }
  function secs(s) { return isFinite(s) ? s.toFixed(3) + " s" : String(s); }
  function fact(id, text) { var el = document.getElementById(id); if (el) el.textContent = text; }
  function ranges(r) {
    var out = [];
    for (var i = 0; i < r.length; i++) out.push(secs(r.start(i)) + "–" + secs(r.end(i)));
    return out.join(", ") || "none";
  }
  function inRanges(r, s) {
    for (var i = 0; i < r.length; i++) if (s >= r.start(i) - 0.001 && s <= r.end(i) + 0.001) return true;
    return false;
  }
  function showDuration() {
    var d = player.duration;
    fact("f-duration", isFinite(d) ? secs(d) : d === Infinity
      ? "unknown until the end is played (live WebM has no duration)" : "…");
  }
  function showFrames() {
    if (player.getVideoPlaybackQuality) {
      var q = player.getVideoPlaybackQuality();
      fact("f-frames", q.totalVideoFrames + " decoded, " + q.droppedVideoFrames + " not shown" +
        (endedOnce ? " (first playback)" : ""));
    }
  }
  // Media time (s) → virtual time (ms) through the recording's unpaused spans.
  function virtualTime(s) {
    var left = s * 1000;
    for (var i = 0; i < data.spans.length; i++) {
      var a = data.spans[i][0], b = data.spans[i][1];
      if (left <= b - a) return a + left;
      left -= b - a;
    }
    return data.spans.length ? data.spans[data.spans.length - 1][1] : null;
  }
  var playhead = null;
  var endedOnce = false; // the frame counts of the first playback stay on show
  if (svg) {
    playhead = document.createElementNS("http://www.w3.org/2000/svg", "line");
    playhead.setAttribute("class", "rs-playhead");
    playhead.setAttribute("y1", "44");
    playhead.setAttribute("y2", svg.getAttribute("height"));
    playhead.setAttribute("visibility", "hidden");
    svg.appendChild(playhead);
  }
  function movePlayhead() {
    if (!playhead) return;
    var t = virtualTime(player.currentTime);
    if (t === null) return;
    var t0 = Number(svg.dataset.t0), t1 = Number(svg.dataset.t1);
    var x0 = Number(svg.dataset.x0), x1 = Number(svg.dataset.x1);
    var x = x0 + (t - t0) / (t1 - t0) * (x1 - x0);
    playhead.setAttribute("x1", String(x));
    playhead.setAttribute("x2", String(x));
    playhead.setAttribute("visibility", "visible");
  }
  function markCurrent() {
    var s = player.currentTime, current = null;
    rows.forEach(function (row) {
      var m = Number(row.dataset.mediaStart);
      if (row.dataset.mediaStart !== "" && m <= s + 0.0005) current = row;
    });
    rows.forEach(function (row) { row.classList.toggle("current", row === current); });
  }
  function seekTo(index) {
    var row = rows.filter(function (r) { return r.dataset.index === String(index); })[0];
    if (!row) return false;
    if (row.dataset.mediaStart === "") { say("chunk " + index + " holds no media"); return false; }
    var s = Number(row.dataset.mediaStart);
    if (inRanges(player.buffered, s) || inRanges(player.seekable, s)) {
      player.currentTime = s;
      say("chunk " + index + ": seeked to " + secs(s));
      return true;
    }
    say("chunk " + index + " starts at " + secs(s) + ", outside the buffered ranges (" +
      ranges(player.buffered) + "): live WebM has no index, play further and click again");
    return false;
  }
  window.recsimSeekToChunk = seekTo;
  rows.forEach(function (row) {
    row.addEventListener("click", function () { seekTo(row.dataset.index); });
    row.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); seekTo(row.dataset.index); }
    });
  });
  if (svg) {
    svg.addEventListener("click", function (e) {
      var el = e.target.closest ? e.target.closest(".rs-chunk[data-media-start]") : null;
      if (el && el.dataset.recorder === data.recorder && el.dataset.recording === String(data.recording)) {
        seekTo(el.dataset.index);
      }
    });
  }
  function state(s) { body.dataset.player = s; }
  state("loading");
  say("loading " + data.file + " …");
  player.addEventListener("loadedmetadata", function () {
    state("ready");
    showDuration();
    say("ready: " + data.file + " (" + data.mimeType + ")");
  });
  player.addEventListener("durationchange", showDuration);
  player.addEventListener("progress", function () { fact("f-buffered", ranges(player.buffered)); });
  player.addEventListener("play", function () { state("playing"); });
  player.addEventListener("timeupdate", function () {
    fact("f-time", secs(player.currentTime)); movePlayhead(); markCurrent();
    if (!endedOnce) showFrames();
  });
  player.addEventListener("seeked", function () { movePlayhead(); markCurrent(); });
  player.addEventListener("ended", function () {
    state("ended");
    showDuration();
    if (!endedOnce) showFrames();
    endedOnce = true;
    fact("f-buffered", ranges(player.buffered));
    say("played to the end: duration " + secs(player.duration));
  });
  player.addEventListener("error", function () {
    state("error");
    var e = player.error;
    say("the browser could not play " + data.file + ": " + (e ? "code " + e.code + " " + e.message : "error"), true);
  });
  if (player.readyState >= 1) { state("ready"); showDuration(); }
})();
`;

/**
 * Renders the page (see the module documentation).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordScene } from "../scene.ts";
 * import { renderTimeline } from "./render_svg.ts";
 * import { pageChunks, renderPage } from "./page.ts";
 * const { trace, mimeType } = await recordScene({ durationMs: 1000, timeslice: 500 });
 * const html = renderPage({
 *   trace,
 *   recordingFileName: "recording.webm",
 *   mimeType,
 *   timelineSvg: renderTimeline(trace),
 *   chunks: pageChunks(trace),
 * });
 * assert.ok(html.includes('<video id="player"') && html.includes('src="recording.webm"'));
 * assert.ok(!/https?:\/\//.test(html.replaceAll("http://www.w3.org/", "")));
 * ```
 */
export function renderPage(options: PageOptions): string {
  const { trace, recordingFileName, mimeType, timelineSvg, chunks } = options;
  const rec = pickRecording(trace, options.recorder, options.recording);
  const audioOnly = mimeType.startsWith("audio/");
  const title = options.title ?? `recsim: ${recordingFileName}`;
  const entries = traceEntries(trace);
  let mediaEnd = 0;
  let bytes = 0;
  const frames = new Map<string, number>();
  for (const e of entries) {
    if (rec && "target" in e && e.target !== rec.target) continue;
    if (rec && "recording" in e && e.recording !== rec.recording) continue;
    if (e.kind === "chunk") {
      const c = e as ChunkEntry;
      bytes += c.size;
      if (c.media && c.media[1] > mediaEnd) mediaEnd = c.media[1];
    } else if (e.kind === "frames") {
      const f = e as FramesEntry;
      let n = 0;
      for (const [a, b, st] of f.runs) if (st === "recorded" || st === "black") n += b - a;
      frames.set(f.track, n);
    }
  }
  const videoFrames = [...frames].filter(([t]) => t.startsWith("video")).reduce(
    (n, [, v]) => n + v,
    0,
  );
  const spans = rec ? recordingSpans(trace, rec.target, rec.recording) : [];
  const data = {
    file: recordingFileName,
    mimeType,
    recorder: rec?.target ?? null,
    recording: rec?.recording ?? null,
    spans,
  };
  const meta = [
    esc(mimeType),
    rec ? `${esc(rec.encoder)} encoder` : "",
    rec
      ? rec.timeslice === null ? "no timeslice" : `timeslice ${esc(formatTime(rec.timeslice))}`
      : "",
    `${chunks.length} chunk${chunks.length === 1 ? "" : "s"}`,
    esc(formatBytes(bytes || chunks.reduce((n, c) => n + c.size, 0))),
  ].filter((s) => s !== "").join(" · ");
  const media = audioOnly
    ? `<audio id="player" controls preload="auto" src="${esc(recordingFileName)}"></audio>`
    : `<video id="player" controls preload="auto" playsinline src="${
      esc(recordingFileName)
    }"></video>`;
  const rows = chunks.map((c) =>
    `<tr tabindex="0" data-index="${c.index}" data-media-start="${
      c.mediaStart === null ? "" : String(c.mediaStart / 1000)
    }"${c.mediaStart === null ? ' class="empty"' : ""}><td>${c.index}</td><td>${
      esc(formatTime(c.time))
    }</td><td title="${c.size} B">${esc(formatBytes(c.size))}</td><td>${
      esc(formatTime(c.timecode))
    }</td><td>${c.mediaStart === null ? "—" : esc(formatTime(c.mediaStart))}</td></tr>`
  ).join("\n");
  const trackRows = [...frames].map(([t, n]) =>
    `<tr><th>${esc(t)} recorded</th><td>${n} ${
      t.startsWith("audio") ? "audio frames" : "frames"
    }</td></tr>`
  ).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body data-player="loading">
<header>
<h1>${esc(title)}</h1>
<p class="meta">${meta}</p>
</header>
<main>
<div class="top">
<section class="player" aria-labelledby="h-player">
<h2 id="h-player">Recording</h2>
${media}
<p id="status" role="status" aria-live="polite"></p>
<table class="facts">
<tr><th>media recorded (trace)</th><td>${esc(formatTime(mediaEnd))}</td></tr>
${trackRows}
<tr><th>duration (browser)</th><td id="f-duration">…</td></tr>
${
    audioOnly || videoFrames === 0
      ? ""
      : `<tr><th>video frames (browser)</th><td id="f-frames">…</td></tr>\n`
  }<tr><th>current time</th><td id="f-time">0.000 s</td></tr>
<tr><th>buffered</th><td id="f-buffered">…</td></tr>
</table>
</section>
<section class="chunks" aria-labelledby="h-chunks">
<h2 id="h-chunks">Chunks <small>(click to seek)</small></h2>
<table id="chunks">
<thead><tr><th>#</th><th>time</th><th>size</th><th>timecode</th><th>media start</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>
</div>
<section aria-labelledby="h-timeline">
<h2 id="h-timeline">Timeline</h2>
<div class="timeline">
${timelineSvg.trim()}
</div>
</section>
</main>
<footer>Made by recsim from the run's trace. Virtual time: the simulated clock; media time: the recording's timeline, pauses cut out.</footer>
<script type="application/json" id="recsim-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
