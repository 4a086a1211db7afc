/**
 * CPU time of the JS main thread, for campaign figures on shared machines (wall time
 * counts other processes' turns on the CPU; this does not).
 *
 * @module
 */

/**
 * CPU time of the calling thread in ms (Linux `/proc/thread-self/schedstat`), or null
 * where that file does not exist.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { threadCpuMs } from "./cpu_time.ts";
 * const t = threadCpuMs();
 * assert.ok(t === null || t >= 0);
 * ```
 */
export function threadCpuMs(): number | null {
  try {
    return Number(Deno.readTextFileSync("/proc/thread-self/schedstat").split(" ")[0]) / 1e6;
  } catch {
    return null;
  }
}
