/**
 * The README's profile table, generated from what the lab measured: each row is one
 * behaviour, read from one corpus scenario's observation log in each engine, with the
 * value the engine's recsim profile gives in the replay (✓ when equal) and the `spec`
 * profile's value. Each cell names its scenario, so every claim can be re-measured.
 *
 * @module
 */
import { loadCorpus, loadObservations } from "./corpus.ts";
import { devicesOf, ENGINE_PROFILES } from "./replay.ts";
import { DEFAULT_DEVICES, runOnRecsim } from "./recsim_host.ts";
import type { Engine, LabResult, LogEntry } from "./types.ts";

/** One row: a behaviour, the scenario that shows it, and how to read it from a log. */
export interface Row {
  /** What the row shows. */
  label: string;
  /** The scenario id. */
  scenario: string;
  /** The value in one run's log. */
  read(result: LabResult): string;
  /** A time in ms: shown as the runs' range, and recsim's value beside it. */
  time?: boolean;
}

const events = (r: LabResult, type?: string) =>
  r.log.filter((e) => e.k === "event" && e.on === "rec" && (!type || e.type === type));
const snapshot = (r: LabResult, label: string) =>
  r.log.find((e) => e.k === "snapshot" && e.label === label);
const note = (r: LabResult, label: string) =>
  r.log.find((e) => e.k === "note" && e.label === label);
const ms = (
  e: LogEntry | undefined,
) => (e && typeof e.t === "number" ? String(Math.round(e.t)) : "—");
const q = (s: unknown) => (s === "" ? '`""`' : `\`${String(s)}\``);

/** The rows of the table. */
export const ROWS: readonly Row[] = [
  {
    label: "mimeType at the start event",
    scenario: "timeslice/av-1000",
    read: (r) => q(events(r, "start")[0]?.mimeType),
  },
  {
    label: "mimeType after stop",
    scenario: "timeslice/av-1000",
    read: (r) => q(snapshot(r, "onstop")?.mimeType),
  },
  {
    label: "type of the last Blob",
    scenario: "timeslice/av-1000",
    read: (r) => q(events(r, "dataavailable").at(-1)?.blobType),
  },
  {
    label: "dataavailable interface; timecode",
    scenario: "timeslice/av-1000",
    read: (r) => {
      const e = events(r, "dataavailable")[0];
      return e
        ? `${(e.instanceOf as string[]).includes("BlobEvent") ? "BlobEvent" : e.iface}; ${
          e.timecode === "absent" ? "no timecode" : "timecode"
        }`
        : "—";
    },
  },
  {
    label: "error event interface (track removed)",
    scenario: "tracks/remove-track-during",
    read: (r) => {
      const e = events(r, "error")[0];
      return e ? `${e.iface} (${e.error})` : "no error";
    },
  },
  {
    label: "start event, start(1000)",
    time: true,
    scenario: "timeslice/av-1000",
    read: (r) => ms(events(r, "start")[0]),
  },
  {
    label: "first chunk, start(100)",
    time: true,
    scenario: "timeslice/av-100",
    read: (r) => ms(events(r, "dataavailable")[0]),
  },
  {
    label: "chunks in 1.5 s, start(100)",
    scenario: "timeslice/av-100",
    read: (r) => String(events(r, "dataavailable").length),
  },
  {
    label: "chunks in 1.5 s, start(0)",
    scenario: "timeslice/av-0",
    read: (r) => String(events(r, "dataavailable").length),
  },
  {
    label: "requestData() in onstart",
    scenario: "state/request-data-in-onstart",
    read: (r) => (events(r, "dataavailable")[0]?.size === 0 ? "empty Blob" : "data"),
  },
  {
    label: "start() on an ended stream: state after",
    scenario: "tracks/start-on-ended-stream",
    read: (r) =>
      `${r.log.find((e) => e.k === "call" && e.name === "start()")?.exception ?? "ok"}, ${
        snapshot(r, "after start")?.state
      }`,
  },
  {
    label: "stream `inactive` event",
    scenario: "tracks/stream-inactive-on-stop",
    read: (r) => (r.log.some((e) => e.k === "event" && e.type === "inactive") ? "fired" : "none"),
  },
  {
    label: "default bitrates (video, audio)",
    scenario: "bitrate/default-av",
    read: (r) => {
      const s = snapshot(r, "constructed");
      return s ? `${s.videoBitsPerSecond}, ${s.audioBitsPerSecond}` : "—";
    },
  },
  {
    label: "`bitsPerSecond: 1e6` split",
    scenario: "bitrate/bps-1e6-av",
    read: (r) => {
      const s = snapshot(r, "constructed");
      return s ? `${s.videoBitsPerSecond} + ${s.audioBitsPerSecond}` : "—";
    },
  },
  {
    label: "`audioBitrateMode`",
    scenario: "bitrate/default-av",
    read: (r) => q(snapshot(r, "constructed")?.audioBitrateMode),
  },
  {
    label: "`video/webm;codecs=vp8` on audio+video",
    scenario: "mime/av-video-webm-codecs-vp8",
    read: (r) => {
      const start = r.log.find((e) => e.k === "call" && String(e.name).startsWith("start("));
      return start?.exception
        ? `start() throws ${start.exception}`
        : q(events(r, "start")[0]?.mimeType);
    },
  },
  {
    label: "isTypeSupported: webm vp9 / ogg opus / mp4 avc1+aac",
    scenario: "mime/is-type-supported-table",
    read: (r) =>
      [
        '"video/webm;codecs=vp9"',
        '"audio/ogg;codecs=opus"',
        '"video/mp4;codecs=avc1.42E01E,mp4a.40.2"',
      ]
        .map((t) => (note(r, `isTypeSupported(${t})`)?.value ? "yes" : "no")).join(" / "),
  },
];

const ENGINES: readonly [Engine, string][] = [
  ["chromium", "chromium-156"],
  ["firefox", "firefox-153"],
  ["webkitgtk", "webkitgtk-2.50"],
];

/** The table in Markdown. */
export async function profileTable(): Promise<string> {
  const corpus = new Map((await loadCorpus()).map((s) => [s.id, s]));
  const observations = await loadObservations();
  const lines = [
    "| behaviour (scenario) | Chromium 156 (recsim `chrome`) | Firefox 153 (recsim `firefox`) | WebKitGTK 2.50 (recsim `safari`) | recsim `spec` |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const row of ROWS) {
    const scenario = corpus.get(row.scenario);
    if (!scenario) continue;
    const cells: string[] = [];
    for (const [engine, key] of ENGINES) {
      const obs = observations.get(key)?.get(row.scenario);
      if (!obs) {
        cells.push("not measured");
        continue;
      }
      const seen = [...new Set(obs.runs.map((run) => row.read(run)))];
      const ours = row.read(
        await runOnRecsim(scenario.run, {
          profile: ENGINE_PROFILES[engine],
          devices: devicesOf(obs),
        }),
      );
      if (row.time) {
        const values = seen.map(Number).filter(Number.isFinite);
        cells.push(`${Math.min(...values)}–${Math.max(...values)} ms (recsim ${ours} ms)`);
        continue;
      }
      const measured = seen.join(" or ");
      cells.push(seen.includes(ours) ? `${measured} ✓` : `${measured} (recsim: ${ours})`);
    }
    const spec = row.read(
      await runOnRecsim(scenario.run, { profile: "spec", devices: DEFAULT_DEVICES.chromium }),
    );
    lines.push(
      `| ${row.label} (\`${row.scenario}\`) | ${cells.join(" | ")} | ${spec}${
        row.time ? " ms" : ""
      } |`,
    );
  }
  return lines.join("\n");
}
