/**
 * The policy that decides when a timesliced chunk is cut (spec start() step 15.7), behind
 * one small interface. The recording session owns the data (blocks gathered, bytes,
 * timers) and asks its clock "when is the next boundary?" and "cut here?"; it never
 * branches on the policy's name. One file per policy:
 *
 * - `media_time.ts` (spec, Firefox): media time collected since the chunk's first block;
 * - `wall_writes.ts` (Chrome): wall time at each muxer write, per write at timeslice 0;
 * - `wall_timer.ts` (Safari/WebKit): a one-shot wall-clock timer, empty ticks skipped;
 * - `encoder_pushes.ts` (Firefox): at each encoded frame pushed, by the muxed media time.
 *
 * @module
 */
import type { ChunkClock as ChunkClockName, Profile } from "../../profiles/profile.ts";

/** What a chunk clock may read of its recording (all times are virtual ms). */
export interface ChunkClockHost {
  /** The profile of the user agent (read-only data). */
  readonly profile: Profile;
  /** The instant start() ran. */
  readonly t0: number;
  /** max(timeslice, UA minimum), the converted timeslice (start() steps 2, 15.7). */
  readonly threshold: number;
  /** The clock's current time. */
  now(): number;
  /** Paused time so far (left out of the recording timeline). */
  pausedTotal(): number;
  /**
   * The capture time of the first block not yet gathered that is captured strictly after
   * `after` and at or after `notBefore`, of one kind or any; null: none.
   */
  nextBlockTime(after: number, notBefore: number, kind?: "video" | "audio"): number | null;
  /** Recording-timeline time of the current chunk's first block (gathered or next). */
  chunkBase(): number;
  /** The instant of the muxer's first output (Chrome), -Infinity until planned. */
  firstOutput(): number;
  /** Whether a recorded video track is live. */
  liveVideo(): boolean;
  /** The kinds recorded (encoder pushes). */
  kinds?(): ("video" | "audio")[];
  /** The frame period of a kind's first track, ms (encoder pushes). */
  period?(kind: "video" | "audio"): number;
  /**
   * When the block captured at `capture` (of `kind`, gathered or not; or the next block
   * not gathered yet) reaches the muxer (the encoder-latency model).
   */
  arrivalAt?(capture: number, kind?: "video" | "audio"): number;
  /** Capture times of the first track of `kind` in [`from`, `to`], while it is live. */
  framesBetween?(kind: "video" | "audio", from: number, to: number): number[];
}

/** What the current chunk holds when a boundary is reached. */
export interface Gathering {
  /** Encoded blocks gathered into it. */
  readonly blocks: number;
  /** Bytes written into it. */
  readonly bytes: number;
}

/**
 * The answer at a boundary: `"cut"` delivers the chunk; `"later"` plans the next boundary
 * after this one (the chunk is never cut empty of blocks); `"if-bytes"` delivers it once
 * the encoder is idle if it then holds bytes, else waits for the next tick.
 */
export type BoundaryVerdict = "cut" | "later" | "if-bytes";

/** A policy for when timesliced chunks are cut; one per recording. */
export interface ChunkClock {
  /** The policy's name (for the trace and tests). */
  readonly name: ChunkClockName;
  /**
   * What {@link nextBoundary} names: `"block"`, the capture time of the block that starts
   * the next chunk (cut when it reaches the muxer); `"instant"`, a wall-clock instant.
   */
  readonly boundary: "block" | "instant";
  /**
   * Whether the muxer write at a boundary belongs to the chunk it closes: its first byte
   * ends that chunk and the rest begins the next (Chrome checks the deadline as each
   * write comes in, so its chunks end a byte into an element; lab
   * `state/request-data-twice-100`). The boundary block is then gathered too.
   */
  readonly closingWrite: boolean;
  /**
   * Whether the encoder may be fed ahead of the boundaries, at its own pace
   * (`feedInterval`): true where the chunk a frame belongs to depends only on its time;
   * false where it depends on when the muxer writes it (Chrome, Firefox), so frames are
   * fed only where the clock looks.
   */
  readonly paced: boolean;
  /**
   * The next boundary after `afterTime` (see {@link boundary}), or null: none to plan.
   */
  nextBoundary(afterTime: number): number | null;
  /** The boundary planned at `at` was reached with `gathered` in the chunk. */
  atBoundary(at: number, gathered: Gathering): BoundaryVerdict;
  /**
   * Whether the boundary at `at` closes a chunk holding only the first byte the muxer
   * writes (Chrome: when the first slice's deadline passed before the muxer's first
   * write, that write, the EBML header's first byte, closes it).
   */
  closesWithFirstByte(at: number): boolean;
  /**
   * The capture time before which blocks belong to the chunk cut at boundary `at` (the
   * muxer's output so far), or undefined: the session's own rule.
   */
  gatherLimit?(at: number): number | undefined;
  /** A timeslice chunk was cut at `at`. */
  cutAt(at: number): void;
  /** requestData() cut a chunk now (restarts the count where the profile says so). */
  requestDataCut(now: number): void;
  /** Gathering paused at `now`. */
  paused(now: number): void;
  /** Gathering resumed at `now`. */
  resumed(now: number): void;
  /**
   * A chunk's parts as delivered: one `dataavailable` per element (Chrome at a timeslice
   * of 0 delivers one per muxer write; its `final` chunk at stop ends with an empty one).
   */
  deliveries(parts: (Uint8Array | Blob)[], final: boolean): (Uint8Array | Blob)[][];
}

/** Slack for floating-point sums of frame times (ms). */
export const TIME_EPSILON = 1e-6;
