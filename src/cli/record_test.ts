// The record CLI (src/cli/record.ts): flag parsing and an end-to-end run into a temp dir.
import assert from "node:assert/strict";
import { parseRecordArgs, type RecordArgs } from "./record.ts";

const DEFAULTS: RecordArgs = {
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

/** Asserts that parsing throws a TypeError whose message names `flag`. */
function rejects(args: string[], flag: string): void {
  assert.throws(
    () => parseRecordArgs(args),
    (e: unknown) => e instanceof TypeError && e.message.includes(flag),
    JSON.stringify(args),
  );
}

Deno.test("parseRecordArgs: no flags give the defaults", () => {
  assert.deepEqual(parseRecordArgs([]), DEFAULTS);
});

Deno.test("parseRecordArgs: every flag in `--flag value` and `--flag=value` form", () => {
  const values: Array<[string, string, Partial<RecordArgs>]> = [
    ["--duration", "7s", { durationMs: 7000 }],
    ["--timeslice", "250", { timeslice: 250 }],
    ["--mime", "audio/ogg;codecs=opus", { mime: "audio/ogg;codecs=opus" }],
    ["--size", "640x480", { width: 640, height: 480 }],
    ["--fps", "24", { fps: 24 }],
    ["--seed", "42", { seed: 42 }],
    ["--out", "/tmp/rec", { out: "/tmp/rec" }],
    ["--encoder", "libav", { encoder: "libav" }],
    ["--encoder", "synthetic", { encoder: "synthetic" }],
  ];
  for (const [flag, value, expected] of values) {
    assert.deepEqual(
      parseRecordArgs([flag, value]),
      { ...DEFAULTS, ...expected },
      `${flag} ${value}`,
    );
    assert.deepEqual(
      parseRecordArgs([`${flag}=${value}`]),
      { ...DEFAULTS, ...expected },
      `${flag}=${value}`,
    );
  }
});

Deno.test("parseRecordArgs: flags combine, later ones win, and an inline value may contain '='", () => {
  const a = parseRecordArgs([
    "--duration=2s",
    "--timeslice",
    "500",
    "--size=160x120",
    "--fps",
    "15",
    "--seed=-3",
    "--out",
    "dir",
    "--mime=video/webm;codecs=vp9",
    "--duration",
    "3s",
  ]);
  assert.deepEqual(a, {
    ...DEFAULTS,
    durationMs: 3000,
    timeslice: 500,
    width: 160,
    height: 120,
    fps: 15,
    seed: -3,
    out: "dir",
    mime: "video/webm;codecs=vp9",
  });
  assert.equal(parseRecordArgs(["--out=a=b"]).out, "a=b");
  assert.equal(parseRecordArgs(['--mime=video/webm;x="a=b"']).mime, 'video/webm;x="a=b"');
});

Deno.test("parseRecordArgs: duration units ms, s, m, min, h; a bare number is seconds", () => {
  const cases: Array<[string, number]> = [
    ["5s", 5000],
    ["1500ms", 1500],
    ["2m", 120_000],
    ["2min", 120_000],
    ["1h", 3_600_000],
    ["3", 3000],
    ["1.5s", 1500],
    ["0.5", 500],
    [" 4s ", 4000],
    ["0ms", 0],
  ];
  for (const [text, ms] of cases) {
    assert.equal(parseRecordArgs(["--duration", text]).durationMs, ms, text);
  }
});

Deno.test("parseRecordArgs: --timeslice none means no timeslice; 0 is a timeslice", () => {
  assert.equal(parseRecordArgs(["--timeslice", "none"]).timeslice, null);
  assert.equal(parseRecordArgs(["--timeslice=none"]).timeslice, null);
  assert.equal(parseRecordArgs(["--timeslice", "0"]).timeslice, 0);
  assert.equal(parseRecordArgs(["--timeslice", "12.5"]).timeslice, 12.5);
});

Deno.test("parseRecordArgs: unknown flags and positional arguments are TypeErrors naming them", () => {
  rejects(["--verbose"], "--verbose");
  rejects(["--verbose=1"], "--verbose=1");
  rejects(["recording.webm"], "recording.webm");
  rejects(["-d", "5s"], "-d");
  rejects(["--duration", "5s", "extra"], "extra");
});

Deno.test("parseRecordArgs: bad values are TypeErrors naming the flag", () => {
  const cases: Array<[string[], string]> = [
    [["--duration", "5 s"], "--duration"],
    [["--duration", "-1s"], "--duration"],
    [["--duration", "5sec"], "--duration"],
    [["--duration", "abc"], "--duration"],
    [["--duration", ""], "--duration"],
    [["--duration=5x"], "--duration"],
    [["--timeslice", "-5"], "--timeslice"],
    [["--timeslice", "abc"], "--timeslice"],
    [["--timeslice", "Infinity"], "--timeslice"],
    [["--timeslice=NaN"], "--timeslice"],
    [["--size", "640"], "--size"],
    [["--size", "640x"], "--size"],
    [["--size", "640X480"], "--size"],
    [["--size=-1x5"], "--size"],
    [["--fps", "0"], "--fps"],
    [["--fps", "-30"], "--fps"],
    [["--fps", "abc"], "--fps"],
    [["--seed", "1.5"], "--seed"],
    [["--seed", "abc"], "--seed"],
    [["--encoder", "ffmpeg"], "--encoder"],
    [["--encoder="], "--encoder"],
  ];
  for (const [args, flag] of cases) rejects(args, flag);
});

Deno.test("parseRecordArgs: a flag without its value is a TypeError naming the flag", () => {
  for (
    const flag of [
      "--duration",
      "--timeslice",
      "--mime",
      "--size",
      "--fps",
      "--seed",
      "--out",
      "--encoder",
    ]
  ) {
    rejects([flag], flag);
  }
  rejects(["--seed", "1", "--out"], "--out");
});

Deno.test("parseRecordArgs: empty or non-finite numeric values are rejected", {
  // Regression (fixed): src/cli/record.ts:82, :95-96, :100-101, :104-105 — `Number("")` is 0 and only `> 0` is
  // checked for --fps, so `--seed=` / `--seed ""` give seed 0, `--timeslice=` gives a timeslice
  // of 0, `--fps Infinity` is accepted (the recording then fails with an uncaught TypeError
  // from createVideoTrack instead of exit code 2), and `--size 0x0` is accepted (same).
  // Suggested fix: reject empty strings, require Number.isFinite for --fps, and width/height >=
  // 1 for --size.
}, () => {
  rejects(["--seed="], "--seed");
  rejects(["--seed", ""], "--seed");
  rejects(["--timeslice="], "--timeslice");
  rejects(["--timeslice", " "], "--timeslice");
  rejects(["--fps", "Infinity"], "--fps");
  rejects(["--size", "0x0"], "--size");
});

/** Runs `fn` with console.log/console.error captured (and restored afterwards). */
async function quietly<T>(fn: () => Promise<T>): Promise<{ result: T; out: string; err: string }> {
  const log = console.log;
  const error = console.error;
  let out = "";
  let err = "";
  console.log = (...a: unknown[]) => void (out += a.join(" ") + "\n");
  console.error = (...a: unknown[]) => void (err += a.join(" ") + "\n");
  try {
    return { result: await fn(), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("record CLI end to end: chunk files, recording.webm = their concatenation, trace.json", async () => {
  const dir = await Deno.makeTempDir({ prefix: "recsim_record_test_" });
  try {
    // A stale chunk from an earlier run must be removed; other files are kept.
    await Deno.writeFile(`${dir}/chunk-009.webm`, new Uint8Array([1, 2, 3]));
    await Deno.writeTextFile(`${dir}/notes.txt`, "keep me");
    const { main } = await import("./record.ts");
    const { result, out } = await quietly(() =>
      main(["--out", dir, "--duration", "2s", "--timeslice", "500", "--encoder", "synthetic"])
    );
    assert.equal(result, 0);
    assert.match(out, /recorded 2\.0 s/);

    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    const chunkNames = names.filter((n) => /^chunk-\d{3}\.webm$/.test(n));
    // Four timeslice chunks (500, 1000, 1500, 2000 ms) and the final one from stop(),
    // which fires dataavailable even when nothing was gathered since the last cut.
    assert.deepEqual(chunkNames, [
      "chunk-000.webm",
      "chunk-001.webm",
      "chunk-002.webm",
      "chunk-003.webm",
      "chunk-004.webm",
    ]);
    assert.ok(names.includes("recording.webm"));
    assert.ok(names.includes("trace.json"));
    assert.ok(names.includes("notes.txt"));

    const chunks = chunkNames.map((n) => Deno.readFileSync(`${dir}/${n}`));
    for (const c of chunks.slice(0, 4)) assert.ok(c.length > 0, "timeslice chunks hold media");
    // The first chunk starts with the EBML header magic.
    assert.deepEqual([...chunks[0]!.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3]);
    const recording = Deno.readFileSync(`${dir}/recording.webm`);
    const concatenated = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      concatenated.set(c, offset);
      offset += c.length;
    }
    assert.deepEqual(recording, concatenated);

    const trace = JSON.parse(Deno.readTextFileSync(`${dir}/trace.json`));
    assert.equal(trace.version, 1);
    assert.ok(Array.isArray(trace.entries) && trace.entries.length > 0);
    const chunkEntries = trace.entries.filter((e: { kind: string }) => e.kind === "chunk");
    assert.equal(chunkEntries.length, chunks.length);
    assert.deepEqual(
      chunkEntries.map((e: { size: number }) => e.size),
      chunks.map((c) => c.length),
      "the trace's chunk sizes match the files",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("record CLI: bad flags exit with code 2 and write nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "recsim_record_test_" });
  try {
    const { main } = await import("./record.ts");
    const bad = await quietly(() => main(["--out", dir, "--bogus"]));
    assert.equal(bad.result, 2);
    assert.match(bad.err, /--bogus/);
    const encoder = await quietly(() => main(["--out", dir, "--encoder", "ffmpeg"]));
    assert.equal(encoder.result, 2);
    assert.match(encoder.err, /--encoder/);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
