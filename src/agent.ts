/**
 * The internal view of a user agent that recsim's classes share: its clock, task
 * queue, profile, seeded ids, trace and encoder registry. Users hold a
 * {@link UserAgent} (see `user_agent.ts`); this interface is for recsim's modules.
 *
 * @module
 */
import type { Clock } from "./clock/clock.ts";
import type { EncoderProvider } from "./encoding/encoder.ts";
import type { Profile } from "./profiles/profile.ts";
import type { Prng } from "./prng.ts";
import type { Trace } from "./trace.ts";

/** The slot under which a per-agent subclass keeps its agent (`static [AGENT_SLOT]`). */
export const AGENT_SLOT: unique symbol = Symbol("recsim.agent");

/** recsim's internal view of one simulated user agent. */
export interface Agent {
  /** The agent's clock. */
  readonly clock: Clock;
  /** The UA profile. */
  readonly profile: Profile;
  /** The seed every random choice derives from. */
  readonly seed: number;
  /** The UA minimum timeslice in ms. */
  readonly minTimeslice: number;
  /** The trace of this agent's run. */
  readonly trace: Trace;
  /** Sequential ids (track and stream ids). */
  readonly ids: Prng;
  /** Encoder providers, most recently registered first. */
  readonly providers: EncoderProvider[];
  /** Whether `close()` was called. */
  readonly closed: boolean;
  /** A short unique name for traces, e.g. `recorder#2`. */
  name(prefix: string): string;
  /**
   * Queues a task on the DOM manipulation task source. Tasks run in FIFO order on the
   * clock, at the current virtual time; `run` receives the task's number.
   */
  queueTask(run: (task: number) => unknown): void;
  /** Records and rethrows (from the clock) an exception thrown by a listener. */
  reportListenerError(error: unknown): void;
  /** Registers a cleanup to run on `close()`; returns a function that unregisters it. */
  onClose(cleanup: () => void): () => void;
}

/**
 * The agent a per-agent subclass was bound to, read from `new.target`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { agentOf } from "./agent.ts";
 * class Base {
 *   agent;
 *   constructor() {
 *     this.agent = agentOf(new.target);
 *   }
 * }
 * assert.ok(new Base().agent === undefined);
 * ```
 */
export function agentOf(ctor: unknown): Agent | undefined {
  return (ctor as { [AGENT_SLOT]?: Agent } | undefined)?.[AGENT_SLOT];
}
