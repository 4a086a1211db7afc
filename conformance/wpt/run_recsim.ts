/**
 * Runs the ported WPT files on recsim: for each file and variant, a fresh agent
 * (`createUserAgent({ profile, seed: 1 })`), its globals installed, virtual time moving by
 * itself (`ua.clock.autoAdvance()`), the testharness shim's timers on the virtual clock, and
 * the sources of `sources_recsim.ts`.
 *
 * `deno run -A conformance/wpt/run_recsim.ts [--profile spec]` prints every result as
 * JSON (the input for `expectations/<profile>.json`).
 *
 * @module
 */
import { createUserAgent } from "../../mod.ts";
import type { ProfileName } from "../../mod.ts";
import { installGlobals } from "../../src/dropin/install_globals.ts";
import {
  HARNESS_TIMEOUT_MS,
  LONG_TEST_TIMEOUT_MS,
  runKey,
  TEST_TIMEOUT_MS,
  WPT_FILES,
  type WptFile,
} from "./manifest.js";
import { setSources } from "./sources.js";
import { recsimSources } from "./sources_recsim.ts";
import {
  finishHarness,
  type HarnessResult,
  reportHarnessError,
  resetHarness,
} from "./testharness.js";

export type { HarnessResult };

let runs = 0;

/** Runs one variant of one ported file on a fresh recsim agent. */
export async function runOnRecsim(
  file: WptFile,
  variant: string,
  profile: ProfileName = "spec",
): Promise<HarnessResult> {
  using ua = createUserAgent({ profile, seed: 1 });
  using _globals = installGlobals(ua);
  const clock = ua.clock;
  resetHarness({
    setTimeout: (f: () => void, ms: number) => clock.setTimer(f, ms),
    clearTimeout: (id: unknown) => clock.clearTimer(id as number),
    params: variant,
    testTimeoutMs: file.long ? LONG_TEST_TIMEOUT_MS : TEST_TIMEOUT_MS,
    harnessTimeoutMs: HARNESS_TIMEOUT_MS,
    title: file.title,
  });
  setSources(recsimSources(ua) as Parameters<typeof setSources>[0]);
  const onRejection = (e: PromiseRejectionEvent) => {
    e.preventDefault();
    reportHarnessError(e.reason);
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  // An exception thrown by a test's event listener outside any step is uncaught in a
  // browser (harness ERROR); recsim rethrows it from the clock, which lands here.
  using _auto = clock.autoAdvance({ maxMs: 2 * HARNESS_TIMEOUT_MS, onError: reportHarnessError });
  try {
    // A query string per run gives a fresh instance of the test module.
    const url = new URL(file.module, import.meta.url);
    url.search = `?run=${++runs}&variant=${encodeURIComponent(variant)}`;
    try {
      await import(url.href);
    } catch (e) {
      reportHarnessError(e);
    }
    return await finishHarness();
  } finally {
    globalThis.removeEventListener("unhandledrejection", onRejection);
  }
}

/** Runs every ported file and variant; results by run key (`file.wpt + variant`). */
export async function runAllOnRecsim(
  profile: ProfileName = "spec",
): Promise<Record<string, HarnessResult>> {
  const out: Record<string, HarnessResult> = {};
  for (const file of WPT_FILES) {
    for (const variant of file.variants) {
      out[runKey(file, variant)] = await runOnRecsim(file, variant, profile);
    }
  }
  return out;
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--profile");
  const profile = (i >= 0 ? Deno.args[i + 1] : "spec") as ProfileName;
  console.log(JSON.stringify(await runAllOnRecsim(profile), null, 2));
}
