import assert from "node:assert/strict";
import { recordScene } from "../scene.ts";
import { main, parseTimelineArgs, writeTimelineAndPage } from "./timeline.ts";

Deno.test("parseTimelineArgs: trace, --out, --page, --width; errors", () => {
  assert.deepEqual(parseTimelineArgs(["trace.json"]), {
    trace: "trace.json",
    out: ".",
    page: false,
    width: 1200,
  });
  assert.deepEqual(parseTimelineArgs(["/a/b/trace.json", "--page", "--width=800"]), {
    trace: "/a/b/trace.json",
    out: "/a/b",
    page: true,
    width: 800,
  });
  assert.equal(parseTimelineArgs(["--out", "o", "t.json"]).out, "o");
  assert.equal(parseTimelineArgs(["/t.json"]).out, "/");
  assert.throws(() => parseTimelineArgs([]), /usage: deno task timeline/);
  assert.throws(() => parseTimelineArgs(["a.json", "b.json"]), /one trace file expected/);
  assert.throws(() => parseTimelineArgs(["a.json", "--out"]), /--out: missing value/);
  assert.throws(() => parseTimelineArgs(["a.json", "--width", "100"]), /--width/);
  assert.throws(() => parseTimelineArgs(["a.json", "--nope"]), /unknown flag '--nope'/);
});

Deno.test("deno task timeline renders a trace.json next to it, or into --out", async () => {
  const dir = await Deno.makeTempDir({ prefix: "recsim-timeline-" });
  const log = console.log;
  const error = console.error;
  const printed: string[] = [];
  console.log = (...a: unknown[]) => printed.push(a.join(" "));
  console.error = (...a: unknown[]) => printed.push(a.join(" "));
  try {
    const { trace } = await recordScene({ durationMs: 2000, timeslice: 500 });
    await Deno.writeTextFile(`${dir}/trace.json`, trace.toJSON());
    assert.equal(await main([`${dir}/trace.json`]), 0);
    const svg = await Deno.readTextFile(`${dir}/timeline.svg`);
    assert.ok(svg.startsWith("<svg") && svg.includes("recorder#1"));
    await assert.rejects(Deno.stat(`${dir}/index.html`)); // only with --page
    assert.match(
      printed.join("\n"),
      /timeline: .*timeline\.svg \(\d+(\.\d)? KiB, 21 trace entries/,
    );

    // A bare array of entries (a fuzz replay may write one), into another directory, with the page.
    await Deno.writeTextFile(`${dir}/entries.json`, JSON.stringify(trace.entries));
    assert.equal(await main([`${dir}/entries.json`, "--out", `${dir}/o`, "--page"]), 0);
    assert.equal(await Deno.readTextFile(`${dir}/o/timeline.svg`), svg);
    const html = await Deno.readTextFile(`${dir}/o/index.html`);
    assert.ok(html.includes('src="recording.webm"') && html.includes(svg.trim()));

    assert.equal(await main([`${dir}/missing.json`]), 1);
    await Deno.writeTextFile(`${dir}/bad.json`, '{"version":1}');
    assert.equal(await main([`${dir}/bad.json`]), 1);
    assert.equal(await main(["--bogus"]), 2);
    assert.match(printed.join("\n"), /cannot read .*missing\.json/);
    assert.match(printed.join("\n"), /not a trace/);
  } finally {
    console.log = log;
    console.error = error;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeTimelineAndPage: the page plays recording.ogg for audio/ogg; page: false", async () => {
  const dir = await Deno.makeTempDir({ prefix: "recsim-timeline-" });
  try {
    const { trace } = await recordScene({
      durationMs: 1000,
      mimeType: "audio/ogg",
      video: null,
    });
    const out = await writeTimelineAndPage(dir, trace);
    assert.equal(out.svgPath, `${dir}/timeline.svg`);
    assert.equal(out.pagePath, `${dir}/index.html`);
    assert.equal(out.svgBytes, (await Deno.readFile(out.svgPath)).length);
    const html = await Deno.readTextFile(out.pagePath!);
    assert.ok(html.includes('<audio id="player" controls preload="auto" src="recording.ogg">'));
    assert.ok(html.includes("audio/ogg;codecs=opus"));
    const only = await writeTimelineAndPage(`${dir}/svg-only`, trace, { page: false });
    assert.equal(only.pagePath, null);
    await assert.rejects(Deno.stat(`${dir}/svg-only/index.html`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
