/**
 * Planted bugs for the fuzzer's self-test (issue 4: "a fuzzer that finds nothing proves
 * nothing"). Each flag, when set by a test, breaks one spec rule on purpose; all are off
 * in normal use. Internal: not exported from `mod.ts`.
 *
 * @module
 */

/** The planted bugs. */
export const mutations: {
  /** Timeslice accounting cuts a chunk 1 ms early (max(timeslice, min) − 1). */
  timesliceOffByOne: boolean;
  /** The start event is dispatched synchronously inside start() instead of from a task. */
  syncStartEvent: boolean;
  /** The InvalidModificationError path forgets to fire stop. */
  noStopAfterModification: boolean;
  /** A timeslice chunk is dropped instead of delivered. */
  dropChunkAtBoundary: boolean;
  /** The conformance lab's planted divergence: every Blob's type is "". */
  blobTypeEmpty: boolean;
} = {
  timesliceOffByOne: false,
  syncStartEvent: false,
  noStopAfterModification: false,
  dropChunkAtBoundary: false,
  blobTypeEmpty: false,
};
