/**
 * The browser host of the ported WPT tests (loaded by `page.html`): canvas and WebAudio
 * sources, the shim on real timers, uncaught errors reported to the harness, then the test
 * module named by `?test=` with the variant of `?variant=`.
 *
 * @module
 */
import {
  HARNESS_TIMEOUT_MS,
  LONG_TEST_TIMEOUT_MS,
  TEST_TIMEOUT_MS,
  WPT_FILES,
} from "./manifest.js";
import { setSources } from "./sources.js";
import { browserSources } from "./sources_browser.js";
import { finishHarness, reportHarnessError, resetHarness } from "./testharness.js";

async function run() {
  const query = new URLSearchParams(location.search);
  const module = query.get("test") ?? "";
  const variant = query.get("variant") ?? "";
  const file = WPT_FILES.find((f) => f.module === module);
  if (!file) throw new Error(`page.html: unknown test module ${JSON.stringify(module)}`);
  resetHarness({
    params: variant,
    testTimeoutMs: file.long ? LONG_TEST_TIMEOUT_MS : TEST_TIMEOUT_MS,
    harnessTimeoutMs: HARNESS_TIMEOUT_MS,
    title: file.title,
  });
  setSources(browserSources);
  addEventListener("error", (e) => reportHarnessError(e.error ?? e.message));
  addEventListener("unhandledrejection", (e) => reportHarnessError(e.reason));
  try {
    await import(`./${file.module}`);
  } catch (e) {
    reportHarnessError(e);
  }
  const result = await finishHarness();
  return JSON.stringify({ test: file.wpt, variant, userAgent: navigator.userAgent, ...result });
}

run().then(
  (json) => /** @type {any} */ (window).__wptResolve(json),
  (e) => /** @type {any} */ (window).__wptReject(e),
);
