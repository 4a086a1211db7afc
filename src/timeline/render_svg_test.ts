import assert from "node:assert/strict";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { recordScene } from "../scene.ts";
import type { EventEntry, TraceEntry } from "../trace.ts";
import { createUserAgent } from "../user_agent.ts";
import { formatTime, recordingSpans, renderTimeline } from "./render_svg.ts";

/** Parses the SVG with a real XML parser; any warning or error fails. */
function parse(svg: string): Element {
  const problems: string[] = [];
  const doc = new DOMParser({
    onError: (level: string, message: string) => problems.push(`${level}: ${message}`),
  }).parseFromString(svg, "image/svg+xml");
  assert.deepEqual(problems, []);
  const root = doc.documentElement;
  assert.ok(root);
  assert.equal(root.tagName, "svg");
  assert.equal(root.getAttribute("xmlns"), "http://www.w3.org/2000/svg");
  return root;
}

function all(root: Element): Element[] {
  return Array.from(root.getElementsByTagName("*")) as Element[];
}

function hasClass(el: Element, cls: string): boolean {
  return (el.getAttribute("class") ?? "").split(/\s+/).includes(cls);
}

function titleOf(el: Element): string {
  const t = Array.from(el.childNodes).find((n) => (n as Element).tagName === "title");
  return t?.textContent ?? "";
}

function num(el: Element, attr: string): number {
  const v = el.getAttribute(attr);
  assert.ok(
    v !== null && v !== "",
    `missing ${attr} on <${el.tagName} class="${el.getAttribute("class")}">`,
  );
  return Number(v);
}

/** The marks (alone or aggregated) of every lane `lane` (e.g. `rs-calls`), in drawing order. */
function marks(root: Element, lane: string): Element[] {
  const out: Element[] = [];
  for (const g of all(root)) {
    if (g.tagName !== "g" || !hasClass(g, "rs-lane") || !hasClass(g, lane)) continue;
    for (const el of all(g)) if (hasClass(el, "rs-mark") || hasClass(el, "rs-agg")) out.push(el);
  }
  return out;
}

/** Marks counted with their aggregates (`data-count`). */
function count(els: Element[]): number {
  return els.reduce((n, el) => n + (el.hasAttribute("data-count") ? num(el, "data-count") : 1), 0);
}

/** The state bands of one recorder: contiguous from t0 to t1, no overlap, no gap. */
function checkStates(root: Element, recorder: string): Array<[number, number, string]> {
  const t0 = num(root, "data-t0");
  const t1 = num(root, "data-t1");
  const group = all(root).find((e) =>
    hasClass(e, "rs-recorder") && e.getAttribute("data-recorder") === recorder
  );
  assert.ok(group, `no group for ${recorder}`);
  const bands = all(group).filter((e) => hasClass(e, "rs-state"));
  assert.ok(bands.length > 0);
  const spans = bands.map((b) =>
    [num(b, "data-from"), num(b, "data-to"), b.getAttribute("data-state")!] as [
      number,
      number,
      string,
    ]
  );
  const sorted = spans.slice().sort((a, b) => a[0] - b[0]);
  assert.deepEqual(spans, sorted, "bands are drawn in time order");
  assert.equal(sorted[0]![0], t0);
  assert.equal(sorted.at(-1)![1], t1);
  for (const [i, [from, to]] of sorted.entries()) {
    assert.ok(to > from, `band ${i} is empty`);
    if (i > 0) assert.equal(from, sorted[i - 1]![1], `band ${i} starts where band ${i - 1} ends`);
  }
  for (const b of bands) assert.ok(titleOf(b).length > 0);
  return spans;
}

function events(entries: readonly TraceEntry[], type: string): EventEntry[] {
  return entries.filter((e): e is EventEntry => e.kind === "event" && e.type === type);
}

/** A run with pause/resume, a mute, calls that throw, an encoder failure and a removed track. */
async function richTrace(): Promise<TraceEntry[]> {
  const ua = createUserAgent({ seed: 2, minTimeslice: 100 });
  const v = ua.createVideoTrack({ width: 320, height: 240, frameRate: 30, dropRate: 0.05 });
  const a = ua.createAudioTrack();
  const stream = new ua.MediaStream([v, a]);
  const rec = new ua.MediaRecorder(stream, { mimeType: "video/webm" });
  rec.start(50);
  await ua.clock.advance(700);
  rec.pause();
  assert.throws(() => rec.start());
  await ua.clock.advance(400);
  rec.resume();
  v.setMuted(true);
  await ua.clock.advance(300);
  v.setMuted(false);
  rec.requestData();
  await ua.clock.advance(600);
  ua.failEncoder(rec);
  await ua.clock.advance(200);
  assert.throws(() => rec.resume());
  rec.start(1000);
  await ua.clock.advance(500);
  ua.removeTrackFromStream(stream, a);
  await ua.clock.advance(300);
  ua.close();
  return [...ua.trace.entries];
}

Deno.test("default scene: one chunk span per dataavailable, bands cover the run, every mark titled", async () => {
  const { trace } = await recordScene();
  const svg = renderTimeline(trace);
  const root = parse(svg);
  const entries = trace.entries;
  const chunks = entries.filter((e) => e.kind === "chunk");
  const spans = all(root).filter((e) => hasClass(e, "rs-chunk"));
  assert.equal(count(spans), events(entries, "dataavailable").length);
  assert.equal(spans.length, chunks.length); // 5 s at 1000 ms: nothing aggregated
  for (const [i, c] of chunks.entries()) {
    const el = spans[i]!;
    assert.equal(num(el, "data-index"), c.index);
    assert.equal(num(el, "data-size"), c.size);
    assert.equal(num(el, "data-timecode"), c.timecode);
    assert.match(titleOf(el), new RegExp(`^chunk ${c.index} of recorder#1 recording 1: `));
    assert.ok(
      titleOf(el).includes(`${c.size} B`) && titleOf(el).includes(`timecode ${c.timecode} ms`),
    );
    if (c.capture) {
      // The span covers the capture interval: x = x0 + (t - t0)·scale.
      const x0 = num(root, "data-x0");
      const scale = (num(root, "data-x1") - x0) / (num(root, "data-t1") - num(root, "data-t0"));
      assert.ok(Math.abs(num(el, "x") - (x0 + c.capture[0] * scale)) <= 0.1);
      assert.ok(Math.abs(num(el, "width") - (c.capture[1] - c.capture[0]) * scale) <= 0.2);
    } else {
      assert.ok(hasClass(el, "rs-chunk-empty"));
    }
  }
  // Labels: size and timecode on the wide spans.
  assert.ok(svg.includes(">331.7 KiB · tc 0 ms<") || svg.includes("KiB · tc 0 ms<"));
  assert.deepEqual(
    checkStates(root, "recorder#1"),
    [[0, 5000, "recording"], [5000, num(root, "data-t1"), "inactive"]].filter(([a, b]) =>
      (b as number) > (a as number)
    ),
  );
  // Every mark and band has a <title>.
  const legend = new Set(all(all(root).find((e) => hasClass(e, "rs-legend"))!));
  for (const el of all(root)) {
    if (legend.has(el)) continue;
    if (
      ["rs-mark", "rs-agg", "rs-chunk", "rs-state", "rs-fr", "rs-rec-flag"].some((c) =>
        hasClass(el, c)
      )
    ) {
      assert.ok(
        titleOf(el).length > 0,
        `untitled <${el.tagName} class="${el.getAttribute("class")}">`,
      );
    }
  }
  // Calls with their arguments, events at their times, the recording's configuration.
  const calls = marks(root, "rs-calls");
  assert.deepEqual(calls.map((e) => titleOf(e)), [
    "0 ms: recorder#1.start(1000) → ok [inactive → recording]",
    "5 s: recorder#1.stop() → ok [recording → inactive]",
  ]);
  const lifecycle = marks(root, "rs-events");
  assert.deepEqual(lifecycle.map((e) => [e.getAttribute("data-type"), num(e, "data-t")]), [[
    "start",
    0,
  ], ["stop", 5000]]);
  assert.ok(svg.includes("timeslice 1 s · UA min 0 ms"));
  // The timeslice grid: a line at each second inside the recording.
  const grid = all(root).find((e) => hasClass(e, "rs-grid") && e.hasAttribute("data-every"));
  assert.ok(grid);
  assert.equal(num(grid, "data-every"), 1000);
  assert.equal(grid.getElementsByTagName("line").length, 4);
  // Tracks: 150 video frames and 250 audio frames recorded, one run each.
  const runs = all(root).filter((e) => hasClass(e, "rs-fr"));
  assert.deepEqual(
    runs.map((e) => [e.getAttribute("data-state"), num(e, "data-from"), num(e, "data-to")]),
    [["recorded", 0, 150], ["recorded", 0, 250]],
  );
  // The axis has ms/s labels.
  assert.ok(svg.includes(">500 ms<") && svg.includes(">2.5 s<"));
  // The legend.
  assert.ok(all(root).some((e) => hasClass(e, "rs-legend")));
});

Deno.test("pause/resume, errors and exceptions, muted and dropped frames are all drawn", async () => {
  const entries = await richTrace();
  const root = parse(renderTimeline(entries));
  const bands = checkStates(root, "recorder#1");
  assert.deepEqual(bands.map(([, , s]) => s), [
    "recording",
    "paused",
    "recording",
    "inactive",
    "recording",
    "inactive",
  ]);
  assert.deepEqual(bands[1]!.slice(0, 2), [700, 1100]);
  // Every error event, with its name.
  const errorEvents = events(entries, "error");
  assert.deepEqual(errorEvents.map((e) => e.error), ["UnknownError", "InvalidModificationError"]);
  const drawn = marks(root, "rs-errors");
  assert.equal(count(drawn), errorEvents.length);
  for (const [i, e] of errorEvents.entries()) {
    assert.equal(drawn[i]!.getAttribute("data-error"), e.error);
    assert.equal(num(drawn[i]!, "data-t"), e.t);
    assert.ok(titleOf(drawn[i]!).includes(`error: ${e.error}`));
  }
  // Calls that threw: marked, with the exception's name.
  const threw = marks(root, "rs-calls").filter((e) => e.hasAttribute("data-error"));
  assert.deepEqual(threw.map((e) => e.getAttribute("data-method")), ["start", "resume"]);
  for (const e of threw) assert.match(titleOf(e), /→ threw InvalidStateError: /);
  // One chunk span per dataavailable.
  assert.equal(
    count(all(root).filter((e) => hasClass(e, "rs-chunk"))),
    events(entries, "dataavailable").length,
  );
  // Frames: paused, black (muted) and dropped runs; track events.
  const states = new Set(
    all(root).filter((e) => hasClass(e, "rs-fr")).map((e) => e.getAttribute("data-state")),
  );
  for (const s of ["recorded", "paused", "black", "dropped"]) assert.ok(states.has(s), s);
  const whats = marks(root, "rs-track-events").map((e) => e.getAttribute("data-what"));
  for (const w of ["created", "muted", "unmuted", "removed", "stopped"]) {
    assert.ok(whats.includes(w), w);
  }
  // The timeslice is below the UA minimum: grid every 100 ms, and the minimum is drawn.
  const grids = all(root).filter((e) => hasClass(e, "rs-grid") && e.hasAttribute("data-every"));
  assert.equal(num(grids[0]!, "data-every"), 100);
  const uaMin = all(root).filter((e) =>
    hasClass(e, "rs-ua-min") && e.hasAttribute("data-recording")
  );
  assert.deepEqual(uaMin.map((e) => num(e, "data-recording")), [1, 2]);
});

Deno.test("rendering is deterministic: same trace → same bytes, also through trace.json", async () => {
  const entries = await richTrace();
  const a = renderTimeline(entries);
  assert.equal(renderTimeline(entries), a);
  assert.equal(renderTimeline({ version: 1, entries: JSON.parse(JSON.stringify(entries)) }), a);
  const b = renderTimeline((await recordScene({ durationMs: 1000, timeslice: 100 })).trace);
  assert.equal(renderTimeline((await recordScene({ durationMs: 1000, timeslice: 100 })).trace), b);
});

/**
 * The trace of a 1 h recording at timeslice 100 as the recorder writes it (start, a chunk
 * and a dataavailable every 100 ms, stop, the frames), made directly: recording it takes
 * tens of seconds on a loaded 2-core machine, and the renderer only reads the entries.
 */
function hourTrace(): TraceEntry[] {
  const target = "recorder#1";
  const mimeType = 'video/webm;codecs="vp8,opus"';
  const out: TraceEntry[] = [
    {
      kind: "track",
      t: 0,
      target: "video#1",
      what: "created",
      seed: 1,
      settings: { width: 320, height: 240, frameRate: 30 },
    },
    {
      kind: "track",
      t: 0,
      target: "audio#1",
      what: "created",
      seed: 2,
      settings: { sampleRate: 48000, channelCount: 2, frameSize: 960 },
    },
    {
      kind: "recording",
      t: 0,
      target,
      recording: 1,
      timeslice: 100,
      minTimeslice: 0,
      mimeType,
      encoder: "synthetic",
      tracks: ["video#1", "audio#1"],
    },
    {
      kind: "call",
      t: 0,
      target,
      method: "start",
      args: [100],
      outcome: "ok",
      state: ["inactive", "recording"],
    },
    {
      kind: "event",
      t: 0,
      target,
      type: "start",
      state: "recording",
      task: 1,
      recording: 1,
      mimeType,
    },
  ];
  let task = 2;
  for (let i = 0; i < 36_000; i++) {
    const t = (i + 1) * 100;
    const size = 4000 + (i % 7) * 10;
    out.push(
      {
        kind: "chunk",
        t,
        target,
        recording: 1,
        index: i,
        size,
        timecode: i * 100,
        reason: "timeslice",
        blocks: 8,
        media: [i * 100, t],
        capture: [i * 100, t],
      },
      {
        kind: "event",
        t,
        target,
        type: "dataavailable",
        state: "recording",
        task: task++,
        recording: 1,
        size,
        timecode: i * 100,
        blobType: mimeType,
      },
    );
  }
  const end = 3_600_000;
  out.push(
    {
      kind: "call",
      t: end,
      target,
      method: "stop",
      args: [],
      outcome: "ok",
      state: ["recording", "inactive"],
    },
    {
      kind: "chunk",
      t: end,
      target,
      recording: 1,
      index: 36_000,
      size: 0,
      timecode: end,
      reason: "stop",
      blocks: 0,
      media: null,
      capture: null,
    },
    {
      kind: "event",
      t: end,
      target,
      type: "dataavailable",
      state: "inactive",
      task,
      recording: 1,
      size: 0,
      timecode: end,
      blobType: "video/webm",
    },
    { kind: "event", t: end, target, type: "stop", state: "inactive", task, recording: 1 },
    {
      kind: "frames",
      t: end,
      target,
      recording: 1,
      track: "video#1",
      runs: [[0, 108_000, "recorded"]],
    },
    {
      kind: "frames",
      t: end,
      target,
      recording: 1,
      track: "audio#1",
      runs: [[0, 180_000, "recorded"]],
    },
  );
  return out;
}

Deno.test("1 h at timeslice 100: dense marks aggregated with counts, under 2 MB", () => {
  const entries = hourTrace();
  const svg = renderTimeline(entries);
  assert.ok(svg.length < 2_000_000, `${svg.length} bytes`);
  const root = parse(svg);
  const nodes = all(root);
  const spans = nodes.filter((e) => hasClass(e, "rs-chunk"));
  assert.ok(spans.some((e) => hasClass(e, "rs-agg")));
  assert.equal(count(spans), events(entries, "dataavailable").length);
  assert.equal(count(spans), 36_001);
  const data = marks(root, "rs-data");
  assert.equal(count(data), 36_001);
  assert.ok(data.length <= 2 * 1100, `${data.length} marks drawn`);
  assert.ok(
    titleOf(data.find((e) => hasClass(e, "rs-agg"))!).match(/^\d+ dataavailable events, /),
  );
  assert.deepEqual(checkStates(root, "recorder#1"), [[0, 3_600_000, "recording"]]);
  const dense = nodes.find((e) => hasClass(e, "rs-grid-dense"));
  assert.ok(dense && /too dense to draw/.test(titleOf(dense)));
  assert.ok(svg.includes(">1 h<") && svg.includes(">30 min<"), "axis in min/h");
  assert.ok(svg.includes("36000 chunks · "), "aggregated chunks labelled with their count");
});

Deno.test("a real dense recording (60 s at timeslice 100, 480 px): aggregated, counts add up", async () => {
  const { trace } = await recordScene({ durationMs: 60_000, timeslice: 100 });
  const root = parse(renderTimeline(trace, { width: 480, maxMarksPerPixel: 1 }));
  const nodes = all(root);
  const spans = nodes.filter((e) => hasClass(e, "rs-chunk"));
  assert.ok(spans.some((e) => hasClass(e, "rs-agg")));
  assert.equal(count(spans), events(trace.entries, "dataavailable").length);
  assert.equal(count(marks(root, "rs-data")), 601);
  checkStates(root, "recorder#1");
});

Deno.test("thousands of pause/resume toggles: bands stay contiguous, size bounded", async () => {
  const ua = createUserAgent({ seed: 3 });
  const rec = new ua.MediaRecorder(new ua.MediaStream([ua.createVideoTrack({ frameRate: 60 })]));
  rec.start(1000);
  for (let i = 0; i < 3000; i++) {
    await ua.clock.advance(7);
    if (rec.state === "recording") rec.pause();
    else rec.resume();
  }
  rec.stop();
  await ua.clock.settle();
  ua.close();
  const svg = renderTimeline(ua.trace);
  assert.ok(svg.length < 1_000_000, `${svg.length} bytes`); // three lanes dense in every column
  const root = parse(svg);
  const bands = checkStates(root, "recorder#1");
  assert.ok(bands.some(([, , s]) => s === "mixed"));
  const calls = marks(root, "rs-calls");
  assert.equal(count(calls), 3002);
  assert.equal(
    count(all(root).filter((e) => hasClass(e, "rs-chunk"))),
    events(ua.trace.entries, "dataavailable").length,
  );
});

Deno.test("hand-made traces: empty, odd strings escaped, several recorders, listener errors", () => {
  parse(renderTimeline([]));
  parse(renderTimeline({ version: 1, entries: [] }));
  const entries: TraceEntry[] = [
    {
      kind: "recording",
      t: 0,
      target: "rec<&>",
      recording: 1,
      timeslice: 0,
      minTimeslice: 0,
      mimeType: 'video/webm;codecs="vp8"',
      encoder: "x&y",
      tracks: [],
    },
    {
      kind: "call",
      t: 0,
      target: "rec<&>",
      method: "start",
      args: ['<"&">', null, "undefined"],
      outcome: { error: "TypeError", message: 'a <b> & "c"' },
      state: ["inactive", "inactive"],
    },
    {
      kind: "call",
      t: 1,
      target: "recorder#2",
      method: "start",
      args: [],
      outcome: "ok",
      state: ["inactive", "recording"],
    },
    {
      kind: "event",
      t: 2,
      target: "recorder#2",
      type: "error",
      state: "inactive",
      task: 1,
      error: "Security<Error>",
    },
    { kind: "event", t: 2, target: "recorder#2", type: "stop", state: "inactive", task: 1 },
    { kind: "listener-error", t: 2, error: "Error: <boom>" },
  ];
  const svg = renderTimeline(entries, { width: 480, title: "a <title> & more" });
  const root = parse(svg);
  assert.equal(root.getAttribute("width"), "480");
  assert.deepEqual(
    all(root).filter((e) => hasClass(e, "rs-recorder")).map((e) => e.getAttribute("data-recorder")),
    ["rec<&>", "recorder#2"],
  );
  assert.deepEqual(checkStates(root, "recorder#2"), [[0, 1, "inactive"], [1, 2, "recording"]]);
  const err = marks(root, "rs-errors")[0]!;
  assert.equal(err.getAttribute("data-error"), "Security<Error>");
  assert.ok(
    titleOf(marks(root, "rs-listener-errors")[0]!).includes(
      "Error: <boom>",
    ),
  );
  assert.ok(
    titleOf(marks(root, "rs-calls")[0]!).includes(
      'start("<\\"&\\">", null, "undefined") → threw TypeError: a <b> & "c"',
    ),
  );
});

Deno.test("recordingSpans maps media time around pauses; formatTime labels", async () => {
  const entries = await richTrace();
  assert.deepEqual(recordingSpans(entries), [[0, 700], [1100, 2000]]);
  assert.deepEqual(recordingSpans(entries, "recorder#1", 2), [[2200, 2700]]);
  assert.deepEqual(recordingSpans([]), []);
  assert.equal(formatTime(0), "0 ms");
  assert.equal(formatTime(0.25), "0.25 ms");
  assert.equal(formatTime(59_999), "59.999 s");
  assert.equal(formatTime(3_723_500), "1 h 2 min 3.5 s");
});

Deno.test("a lone sub-pixel state keeps its colour; two in one pixel column become 'mixed'", () => {
  const call = (t: number, method: string, state: [string, string]): TraceEntry => ({
    kind: "call",
    t,
    target: "recorder#1",
    method,
    args: [],
    outcome: "ok",
    state,
  });
  const lone = parse(renderTimeline([
    call(0, "requestData", ["inactive", "inactive"]),
    call(1000, "start", ["inactive", "recording"]),
    call(1000.5, "stop", ["recording", "inactive"]),
    { kind: "listener-error", t: 5000, error: "end" },
  ]));
  assert.deepEqual(checkStates(lone, "recorder#1"), [
    [0, 1000, "inactive"],
    [1000, 1000.5, "recording"],
    [1000.5, 5000, "inactive"],
  ]);
  const mixed = parse(renderTimeline([
    { kind: "listener-error", t: 0, error: "start" },
    call(1000, "start", ["inactive", "recording"]),
    call(1000.5, "pause", ["recording", "paused"]),
    call(1001, "stop", ["paused", "inactive"]),
    { kind: "listener-error", t: 5000, error: "end" },
  ]));
  const bands = checkStates(mixed, "recorder#1");
  assert.deepEqual(bands.map(([, , s]) => s), ["inactive", "mixed", "inactive"]);
  const m = all(mixed).find((e) => hasClass(e, "rs-state-mixed"))!;
  assert.equal(titleOf(m), "2 states, 1 s–1.001 s: recording 50%, paused 50%");
});
