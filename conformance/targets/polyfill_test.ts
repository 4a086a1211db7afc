/**
 * Tests of the polyfill target with extendable-media-recorder: its own scenarios and a
 * corpus scenario in Chromium with and without the polyfill, and the scoring against spec.
 *
 * The live tests need Debian's Chromium and the target's npm packages (`npm ci` in
 * `conformance/targets/extendable_media_recorder/`; the bundle is built here when missing).
 * Without them they are skipped with the reason, except that under `CI=true` a missing
 * Chromium fails them.
 *
 * @module
 */
import assert from "node:assert/strict";
import { browserAvailable, INSTALL_HINTS } from "../drivers/mod.ts";
import { ffprobeAvailable } from "../lab/probe.ts";
import type { LogEntry, ObservedRun } from "../lab/types.ts";
import {
  buildTarget,
  loadTarget,
  openPolyfillLab,
  runPolyfillTarget,
  setupBuilt,
  specRun,
  targetScenarios,
} from "./polyfill.ts";

const CI = Deno.env.get("CI") === "true";
const dir = new URL("./extendable_media_recorder/", import.meta.url);
const target = await loadTarget(dir);

function exists(url: URL): boolean {
  try {
    Deno.statSync(url);
    return true;
  } catch {
    return false;
  }
}

/** Why the live tests cannot run here, or null. */
function missing(): string | null {
  if (!browserAvailable("chromium")) {
    return `no chromium; install: ${INSTALL_HINTS.chromium}`;
  }
  if (!setupBuilt(target) && !exists(new URL("node_modules/esbuild/", dir))) {
    return `npm packages missing: run \`npm ci\` in ${dir.pathname}`;
  }
  return null;
}

const reason = missing();
const chromiumMissingUnderCi = CI && !browserAvailable("chromium");
if (reason && !chromiumMissingUnderCi) console.warn(`skipping live polyfill tests: ${reason}`);

function liveTest(name: string, fn: () => Promise<void>): void {
  Deno.test({
    name,
    ignore: reason !== null && !chromiumMissingUnderCi,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      if (chromiumMissingUnderCi) throw new Error(`under CI=true: ${reason}`);
      if (!setupBuilt(target)) await buildTarget({ ...target, build: [["node", "build.mjs"]] });
      await fn();
    },
  });
}

const notes = (run: ObservedRun) =>
  Object.fromEntries(
    (run.log as LogEntry[]).filter((e) => e.k === "note").map((e) => [e.label, e.value]),
  );
const calls = (run: ObservedRun) =>
  (run.log as LogEntry[]).filter((e) => e.k === "call").map((e) =>
    `${e.name} → ${e.exception !== undefined ? `throws ${e.exception}` : e.result}`
  );
const events = (run: ObservedRun, on = "rec") =>
  (run.log as LogEntry[]).filter((e) => e.k === "event" && e.on === on);

Deno.test("polyfill target: the target's scenarios are found and reject audio/wav on spec", async () => {
  const scenarios = await targetScenarios(target);
  const own = scenarios.filter((s) => s.own);
  assert.ok(scenarios.length > own.length + 80, "the corpus comes first");
  assert.deepEqual(own.map((s) => s.id).slice(0, 2), ["wav/identity", "wav/audio-none"]);
  assert.equal(own[0]!.file, "../targets/extendable_media_recorder/scenarios/wav");
  // recsim's spec profile has no WAV: the constructor refuses it, as plain Chromium does.
  const run = await specRun(own.find((s) => s.id === "wav/audio-none")!.run);
  assert.deepEqual(calls(run), [
    'getUserMedia({"audio":true}) → MediaStream',
    'new MediaRecorder(stream, {"mimeType":"audio/wav"}) → throws NotSupportedError',
  ]);
});

liveTest(
  "polyfill target: extendable-media-recorder is the MediaRecorder and records WAV",
  async () => {
    const lab = await openPolyfillLab();
    const setup = `/conformance/targets/extendable_media_recorder/${
      target.setup.pathname.split("/extendable_media_recorder/")[1]
    }`;
    const wav = "../targets/extendable_media_recorder/scenarios/wav";
    try {
      // Which MediaRecorder: the polyfill's with the setup module, the native one without.
      const identity = notes(await lab.runScenario(wav, "identity", setup));
      assert.equal(identity["target"], "extendable-media-recorder");
      assert.equal(identity["MediaRecorder is the target's"], true);
      assert.equal(identity["isTypeSupported(audio/wav)"], true);
      assert.equal(identity["typeof requestData"], "undefined");
      const native = notes(await lab.runScenario(wav, "identity", null));
      assert.equal(native["target"], "native");
      assert.equal(native["isTypeSupported(audio/wav)"], false);
      assert.equal(native["typeof requestData"], "function");

      // audio/wav: one chunk at stop, a RIFF header, ffprobe reads PCM.
      const run = await lab.runScenario(wav, "audio-none", setup);
      assert.deepEqual(
        events(run).map((e) => `${e.type} ${e.iface} ${e.blobType ?? ""}`.trim()),
        ["start Event", "dataavailable BlobEvent audio/wav", "stop Event"],
      );
      const rec = run.recorders[0]!;
      assert.equal(rec.head, "52494646", "RIFF");
      assert.ok(rec.chunks[0]! > 44 + 48000, `about a second of 16-bit PCM: ${rec.chunks}`);
      if (ffprobeAvailable()) assert.deepEqual(run.probe?.["rec"]?.codecs, ["pcm_s16le"]);

      // A corpus scenario: the polyfill wraps the native recorder but has no requestData().
      const corpus = await lab.runScenario("state", "request-data-recording", setup);
      assert.ok(
        calls(corpus).includes("requestData() → throws TypeError"),
        calls(corpus).join("; "),
      );
      const snap = (corpus.log as LogEntry[]).find((e) => e.k === "snapshot");
      assert.equal(snap?.videoBitsPerSecond, undefined);
      assert.equal(events(corpus)[0]?.type, "start");
      assert.equal(corpus.recorders[0]?.head, "1a45dfa3", "WebM from the native recorder");
    } finally {
      await lab.close();
    }
  },
);

liveTest("polyfill target: scored against Chromium and spec", async () => {
  const out = await runPolyfillTarget(target, {
    only: ["wav/audio-none"],
    write: false,
    control: false,
    baselineRuns: 1,
    log: () => {},
  });
  assert.equal(out.scenarios.length, 1);
  const r = out.scenarios[0]!;
  assert.equal(r.recorded?.[0]?.head, "52494646");
  // Plain Chromium and spec both refuse audio/wav, so the call outcomes differ from both.
  for (const side of [r.vsChromium, r.vsSpec]) {
    assert.ok(side, "both comparisons ran");
    const failed = side.failed.find((f) => f.category === "calls");
    assert.ok(failed, "call outcomes differ");
    assert.match(failed.browser, /throws NotSupportedError/);
    assert.match(failed.recsim, /audio\/wav"\}\) → MediaRecorder/);
  }
  assert.ok(r.baseline?.startsWith("live chromium"), String(r.baseline));
  assert.equal(out.scores.vsSpec.total, r.vsSpec!.total);
});
