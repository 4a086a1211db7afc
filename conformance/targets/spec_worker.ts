/**
 * A worker that runs one scenario on recsim's `spec` profile for the polyfill target
 * (`polyfill.ts`), so that a run that does not end can be stopped by wall-clock time.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { DeviceSettings } from "../lab/recsim_host.ts";
import type { Scenario } from "../lab/types.ts";
import { specRun } from "./polyfill.ts";

self.onmessage = async (
  e: MessageEvent<{ id: number; url: string; name: string; devices: DeviceSettings }>,
) => {
  const { id } = e.data;
  try {
    const mod = await import(e.data.url);
    const scenario = (mod.scenarios as Record<string, Scenario>)[e.data.name]!;
    self.postMessage({ id, ok: true, run: await specRun(scenario, e.data.devices) });
  } catch (err) {
    self.postMessage({ id, ok: false, error: String((err as Error)?.stack ?? err) });
  }
};
