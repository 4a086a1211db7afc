/**
 * The offline replay: each committed observation's scenario runs on recsim with the
 * profile that models the engine, and the lab's comparison rules score the result.
 *
 * @module
 */
import type { Profile } from "../../mod.ts";
import { type Check, compareRuns } from "./compare.ts";
import { fromBase64, probeBytes } from "./probe.ts";
import { DEFAULT_DEVICES, type DeviceSettings, runOnRecsim } from "./recsim_host.ts";
import type { Engine, LabResult, LogEntry, Observation, ProbeResult, Scenario } from "./types.ts";

/** The recsim profile that models each engine. */
export const ENGINE_PROFILES: Readonly<Record<Engine, string>> = {
  chromium: "chrome",
  firefox: "firefox",
  webkitgtk: "safari",
};

/** The fake devices an observation saw (the first getUserMedia's track settings). */
export function devicesOf(obs: Observation): DeviceSettings {
  const devices = structuredClone(DEFAULT_DEVICES[obs.engine]) as DeviceSettings;
  for (const run of obs.runs) {
    for (const e of run.log as LogEntry[]) {
      const tracks = e.tracks as { kind: string; settings: Record<string, number> }[] | undefined;
      if (e.k !== "call" || !tracks) continue;
      for (const t of tracks) {
        const s = t.settings;
        if (t.kind === "video" && s.width && s.height && s.frameRate) {
          devices.video = { width: s.width, height: s.height, frameRate: Math.round(s.frameRate) };
        }
        if (t.kind === "audio" && s.sampleRate && s.channelCount) {
          devices.audio = { sampleRate: s.sampleRate, channelCount: s.channelCount };
        }
      }
      return devices;
    }
  }
  return devices;
}

/** What {@link replay} gives. */
export interface Replay {
  /** recsim's observation log. */
  result: LabResult;
  /** The checks. */
  checks: Check[];
}

/**
 * Runs `scenario` on recsim as `profile` with `obs`'s devices and compares it with the
 * browser's runs. With `probe`, recsim's recordings are read by ffprobe too.
 */
export async function replay(
  scenario: Scenario,
  obs: Observation,
  options: { profile?: string | Profile; probe?: boolean } = {},
): Promise<Replay> {
  const result = await runOnRecsim(scenario, {
    profile: options.profile ?? ENGINE_PROFILES[obs.engine],
    devices: devicesOf(obs),
    bytes: options.probe ?? false,
  });
  let probes: Record<string, ProbeResult> | undefined;
  if (options.probe) {
    probes = {};
    for (const r of result.recorders) {
      if (r.bytes) probes[r.name] = await probeBytes(fromBase64(r.bytes));
      else probes[r.name] = { ok: false, codecs: [] };
      delete r.bytes;
    }
  }
  return { result, checks: compareRuns(obs.runs, result, probes) };
}
