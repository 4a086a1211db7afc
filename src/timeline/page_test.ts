import assert from "node:assert/strict";
import { DOMParser } from "@xmldom/xmldom";
import { recordScene } from "../scene.ts";
import type { TraceEntry } from "../trace.ts";
import { createUserAgent } from "../user_agent.ts";
import { pageChunks, renderPage } from "./page.ts";
import { renderTimeline } from "./render_svg.ts";

function scriptOf(html: string, attrs: string): string {
  const m = new RegExp(`<script${attrs}>([\\s\\S]*?)</script>`).exec(html);
  assert.ok(m, `no <script${attrs}>`);
  return m[1]!;
}

Deno.test("video page: player, chunk table with media times, inline timeline, no network", async () => {
  const { trace, mimeType, chunks } = await recordScene({ durationMs: 3000, timeslice: 1000 });
  const svg = renderTimeline(trace);
  const rows = pageChunks(trace);
  const html = renderPage({
    trace,
    recordingFileName: "recording.webm",
    mimeType,
    timelineSvg: svg,
    chunks: rows,
  });
  assert.ok(html.startsWith("<!doctype html>"));
  assert.match(
    html,
    /<video id="player" controls preload="auto" playsinline src="recording.webm">/,
  );
  assert.ok(!html.includes("<audio"));
  // Self-contained: no external resource of any kind.
  assert.ok(!/<link|<script src|<img|@import|url\(http/i.test(html));
  assert.ok(!/https?:\/\//.test(html.replaceAll("http://www.w3.org/2000/svg", "")));
  // The timeline, inline and still well-formed XML.
  const start = html.indexOf("<svg");
  const end = html.indexOf("</svg>") + "</svg>".length;
  assert.equal(html.slice(start, end), svg.trim());
  new DOMParser({ onError: (_l: string, m: string) => assert.fail(m) }).parseFromString(
    html.slice(start, end),
    "image/svg+xml",
  );
  // One row per chunk, with the media time to seek to (s) and the table's columns.
  assert.equal(rows.length, chunks.length);
  const trs = [...html.matchAll(/<tr tabindex="0" data-index="(\d+)" data-media-start="([^"]*)"/g)];
  assert.deepEqual(trs.map((m) => Number(m[1])), rows.map((r) => r.index));
  assert.deepEqual(
    trs.map((m) => m[2]),
    rows.map((r) => r.mediaStart === null ? "" : String(r.mediaStart / 1000)),
  );
  assert.deepEqual(trs.map((m) => m[2]), ["0", "1", "2", ""]); // the final chunk is empty
  assert.ok(html.includes('class="empty"><td>3</td>'));
  for (const h of ["#", "time", "size", "timecode", "media start"]) {
    assert.ok(html.includes(`<th>${h}</th>`), h);
  }
  // The page's data and script.
  const data = JSON.parse(scriptOf(html, ' type="application/json" id="recsim-data"'));
  assert.deepEqual(data, {
    file: "recording.webm",
    mimeType,
    recorder: "recorder#1",
    recording: 1,
    spans: [[0, 3000]],
  });
  new Function(scriptOf(html, "")); // compiles
  assert.ok(html.includes("<tr><th>video#1 recorded</th><td>90 frames</td></tr>"));
  assert.ok(html.includes('id="f-frames"'));
});

Deno.test("audio-only page uses <audio>; names and types are escaped", async () => {
  const { trace, mimeType } = await recordScene({
    durationMs: 1000,
    timeslice: null,
    mimeType: "audio/ogg",
    video: null,
  });
  const html = renderPage({
    trace,
    recordingFileName: 'a "b" & <c>.ogg',
    mimeType,
    timelineSvg: renderTimeline(trace),
    chunks: pageChunks(trace),
  });
  assert.ok(
    html.includes(
      '<audio id="player" controls preload="auto" src="a &quot;b&quot; &amp; &lt;c&gt;.ogg">',
    ),
  );
  assert.ok(!html.includes("<video"));
  assert.ok(!html.includes('id="f-frames"'));
  assert.ok(html.includes("<title>recsim: a &quot;b&quot; &amp; &lt;c&gt;.ogg</title>"));
  const data = JSON.parse(scriptOf(html, ' type="application/json" id="recsim-data"'));
  assert.equal(data.file, 'a "b" & <c>.ogg');
});

Deno.test("pageChunks picks one recording; the page's spans leave pauses out", async () => {
  const ua = createUserAgent({ seed: 1 });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack()]));
  rec.start(500);
  await ua.clock.advance(1000);
  rec.pause();
  await ua.clock.advance(300);
  rec.resume();
  await ua.clock.advance(200);
  rec.stop();
  await ua.clock.settle();
  rec.start();
  await ua.clock.advance(400);
  rec.stop();
  await ua.clock.settle();
  ua.close();
  const entries: TraceEntry[] = [...ua.trace.entries];
  const first = pageChunks(entries);
  const second = pageChunks(entries, "recorder#1", 2);
  assert.deepEqual(first.map((c) => c.mediaStart), [0, 500, 1000]);
  assert.deepEqual(second.map((c) => [c.index, c.timecode, c.mediaStart]), [[0, 0, 0]]);
  assert.deepEqual(pageChunks(entries, "recorder#9"), []);
  const html = renderPage({
    trace: entries,
    recordingFileName: "recording.webm",
    mimeType: "video/webm",
    timelineSvg: "<svg/>",
    chunks: first,
  });
  const data = JSON.parse(scriptOf(html, ' type="application/json" id="recsim-data"'));
  assert.deepEqual(data.spans, [[0, 1000], [1300, 1500]]);
  const html2 = renderPage({
    trace: entries,
    recordingFileName: "recording.webm",
    mimeType: "video/webm",
    timelineSvg: "<svg/>",
    chunks: second,
    recording: 2,
  });
  const data2 = JSON.parse(scriptOf(html2, ' type="application/json" id="recsim-data"'));
  assert.deepEqual(data2.spans, [[1500, 1900]]);
  assert.equal(data2.recording, 2);
});
