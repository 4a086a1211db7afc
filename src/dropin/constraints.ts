/**
 * Media Capture and Streams constraints: the `SelectSettings` algorithm (fitness
 * distance) over a virtual device's capabilities, and `OverconstrainedError`.
 *
 * A virtual device's capabilities are a box: one range (or one value) per numeric
 * property and a list of values per string property. Because the fitness distance is a
 * sum over properties, the settings dictionary with the smallest distance is found
 * property by property: the `ideal` value clamped into what the required constraints
 * (`exact`, `min`, `max`) and the device allow. Ties (no `ideal`) are broken by the
 * user agent's defaults: 640×480 at 30 fps for video, and for audio the device's
 * preferred sample rate and channel count.
 *
 * Supported constraints: `width`, `height`, `frameRate`, `sampleRate`, `channelCount`
 * (numbers: bare, `ideal`, `exact`, `min`, `max`), `deviceId`, `groupId`, `facingMode`
 * (strings or lists: bare, `ideal`, `exact`), and `advanced` sets (bare values are
 * `exact` there). Other constraints are ignored, as the spec says for constraints a
 * user agent does not support.
 *
 * @module
 */
import type {
  ConstrainNumber,
  ConstrainString,
  MediaTrackConstraints,
  NumberRange,
} from "../media/constraint_types.ts";

/**
 * `OverconstrainedError` (Media Capture and Streams): a `DOMException` named
 * "OverconstrainedError" whose `constraint` names a required constraint no device
 * could satisfy ("" when no single one is to blame). Defined here because Deno and
 * Node have none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OverconstrainedError } from "./constraints.ts";
 * const e = new OverconstrainedError("width", "no camera is 8000 pixels wide");
 * assert.ok(e instanceof DOMException && e.name === "OverconstrainedError");
 * assert.equal(e.constraint, "width");
 * ```
 */
export class OverconstrainedError extends DOMException {
  #constraint: string;
  /** Creates the error for `constraint` with an optional message. */
  constructor(constraint: string, message = "") {
    super(message, "OverconstrainedError");
    this.#constraint = String(constraint);
  }
  /** The name of the constraint that could not be satisfied, or "". */
  get constraint(): string {
    return this.#constraint;
  }
}

/** The numeric properties recsim's devices have. */
export const NUMERIC_PROPERTIES = [
  "width",
  "height",
  "frameRate",
  "sampleRate",
  "channelCount",
] as const;
/** The string properties recsim's devices have. */
export const STRING_PROPERTIES = ["deviceId", "groupId", "facingMode"] as const;

/** A numeric property name. */
export type NumericProperty = typeof NUMERIC_PROPERTIES[number];
/** A string property name. */
export type StringProperty = typeof STRING_PROPERTIES[number];

/** One numeric capability of a device: a closed range and the value preferred on a tie. */
export interface NumericCapability {
  /** Lowest value. */
  min: number;
  /** Highest value. */
  max: number;
  /** Whether the setting is an integer (width, height, sampleRate, channelCount). */
  integer: boolean;
  /** The value chosen when no constraint prefers another (clamped into the range). */
  preferred: number;
}

/** What a device can do: numeric ranges and string values (the capability box). */
export interface DeviceCapabilities {
  /** Numeric capabilities; a property the device lacks is absent. */
  numeric: Partial<Record<NumericProperty, NumericCapability>>;
  /** String capabilities: the values the device can take (a device has one id). */
  strings: Partial<Record<StringProperty, string[]>>;
}

/** The outcome of {@link selectSettings}. */
export type SelectResult =
  | {
    /** A settings dictionary was found. */
    ok: true;
    /** The chosen settings (numeric and string properties). */
    settings: Record<string, number | string>;
    /** The fitness distance of the basic constraint set. */
    distance: number;
  }
  | {
    /** No settings dictionary satisfies the required constraints. */
    ok: false;
    /** The required constraints that failed on this device, in constraint order. */
    failed: string[];
  };

/**
 * The constraints recsim honours (`getSupportedConstraints()`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { supportedConstraints } from "./constraints.ts";
 * assert.equal(supportedConstraints().width, true);
 * ```
 */
export function supportedConstraints(): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const p of [...NUMERIC_PROPERTIES, ...STRING_PROPERTIES]) out[p] = true;
  return out;
}

interface NumericRequirement {
  lo: number;
  hi: number;
  ideal: number | undefined;
}
interface StringRequirement {
  exact: string[] | undefined;
  ideal: string[] | undefined;
}
interface Normalized {
  order: string[];
  numeric: Map<NumericProperty, NumericRequirement>;
  strings: Map<StringProperty, StringRequirement>;
}

function isNumericProperty(key: string): key is NumericProperty {
  return (NUMERIC_PROPERTIES as readonly string[]).includes(key);
}
function isStringProperty(key: string): key is StringProperty {
  return (STRING_PROPERTIES as readonly string[]).includes(key);
}

function num(value: unknown, what: string): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${what} must be a number, got ${String(value)}`);
  }
  return value;
}

function strings(value: unknown, what: string): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return [...value];
  throw new TypeError(`${what} must be a string or a list of strings, got ${String(value)}`);
}

/**
 * Normalizes one constraint set. In the basic set bare values are `ideal`; in an
 * advanced set they are `exact` (and `ideal` is ignored).
 *
 * @throws {TypeError} for values of the wrong type.
 */
function normalize(set: MediaTrackConstraints, advanced: boolean, where: string): Normalized {
  if (set === null || typeof set !== "object") {
    throw new TypeError(`${where} must be a MediaTrackConstraints dictionary`);
  }
  const out: Normalized = { order: [], numeric: new Map(), strings: new Map() };
  for (const key of Object.keys(set)) {
    const value = (set as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (isNumericProperty(key)) {
      const what = `${where}.${key}`;
      const req: NumericRequirement = { lo: -Infinity, hi: Infinity, ideal: undefined };
      if (typeof value === "object" && value !== null) {
        const c = value as Exclude<ConstrainNumber, number>;
        if (c.exact !== undefined) {
          const e = num(c.exact, `${what}.exact`);
          req.lo = Math.max(req.lo, e);
          req.hi = Math.min(req.hi, e);
        }
        if (c.min !== undefined) req.lo = Math.max(req.lo, num(c.min, `${what}.min`));
        if (c.max !== undefined) req.hi = Math.min(req.hi, num(c.max, `${what}.max`));
        if (c.ideal !== undefined && !advanced) req.ideal = num(c.ideal, `${what}.ideal`);
      } else if (advanced) {
        const e = num(value, what);
        req.lo = req.hi = e;
      } else {
        req.ideal = num(value, what);
      }
      out.order.push(key);
      out.numeric.set(key, req);
    } else if (isStringProperty(key)) {
      const what = `${where}.${key}`;
      const req: StringRequirement = { exact: undefined, ideal: undefined };
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const c = value as Exclude<ConstrainString, string | string[]>;
        if (c.exact !== undefined) req.exact = strings(c.exact, `${what}.exact`);
        if (c.ideal !== undefined && !advanced) req.ideal = strings(c.ideal, `${what}.ideal`);
      } else if (advanced) {
        req.exact = strings(value, what);
      } else {
        req.ideal = strings(value, what);
      }
      out.order.push(key);
      out.strings.set(key, req);
    }
  }
  return out;
}

function isRequired(req: NumericRequirement | StringRequirement): boolean {
  if ("lo" in req) return req.lo !== -Infinity || req.hi !== Infinity;
  return req.exact !== undefined;
}

interface Region {
  numeric: Map<NumericProperty, { lo: number; hi: number }>;
  strings: Map<StringProperty, string[]>;
}

function regionOf(caps: DeviceCapabilities): Region {
  const region: Region = { numeric: new Map(), strings: new Map() };
  for (const p of NUMERIC_PROPERTIES) {
    const c = caps.numeric[p];
    if (c) region.numeric.set(p, { lo: c.min, hi: c.max });
  }
  for (const p of STRING_PROPERTIES) {
    const c = caps.strings[p];
    if (c) region.strings.set(p, [...c]);
  }
  return region;
}

/**
 * Narrows `region` by the required part of `set`; returns the constraints that made it
 * empty (a property the device lacks fails any required constraint on it).
 */
function narrow(region: Region, set: Normalized, caps: DeviceCapabilities): string[] {
  const failed: string[] = [];
  for (const key of set.order) {
    if (isNumericProperty(key)) {
      const req = set.numeric.get(key)!;
      if (!isRequired(req)) continue;
      const r = region.numeric.get(key);
      if (!r) {
        failed.push(key);
        continue;
      }
      let lo = Math.max(r.lo, req.lo), hi = Math.min(r.hi, req.hi);
      if (caps.numeric[key]?.integer) {
        lo = Math.ceil(lo);
        hi = Math.floor(hi);
      }
      if (lo > hi) failed.push(key);
      else region.numeric.set(key, { lo, hi });
    } else if (isStringProperty(key)) {
      const req = set.strings.get(key)!;
      if (req.exact === undefined) continue;
      const values = (region.strings.get(key) ?? []).filter((v) => req.exact!.includes(v));
      if (values.length === 0) failed.push(key);
      else region.strings.set(key, values);
    }
  }
  return failed;
}

function cloneRegion(region: Region): Region {
  return {
    numeric: new Map([...region.numeric].map(([k, v]) => [k, { ...v }])),
    strings: new Map([...region.strings].map(([k, v]) => [k, [...v]])),
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function pick(v: number, lo: number, hi: number, integer: boolean): number {
  let x = clamp(v, lo, hi);
  if (integer) {
    x = Math.round(x);
    if (x < lo) x = Math.ceil(lo);
    if (x > hi) x = Math.floor(hi);
  }
  return x;
}

/**
 * The spec's SelectSettings for one device: the settings dictionary within the
 * device's capabilities that satisfies every required constraint of the basic set (and
 * of each `advanced` set that can be satisfied together with those before it) and has
 * the smallest fitness distance to the basic set's ideal values.
 *
 * @throws {TypeError} for malformed constraints (a value of the wrong type).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectSettings } from "./constraints.ts";
 * const camera = {
 *   numeric: {
 *     width: { min: 320, max: 1920, integer: true, preferred: 640 },
 *     height: { min: 240, max: 1080, integer: true, preferred: 480 },
 *     frameRate: { min: 1, max: 30, integer: false, preferred: 30 },
 *   },
 *   strings: { deviceId: ["cam"], groupId: ["g"], facingMode: ["user"] },
 * };
 * const r = selectSettings(camera, { width: { ideal: 1280 }, frameRate: { max: 15 } });
 * assert.ok(r.ok && r.settings.width === 1280 && r.settings.height === 960); // 4:3 kept
 * assert.ok(r.ok && r.settings.frameRate === 15);
 * const bad = selectSettings(camera, { width: { min: 4000 } });
 * assert.ok(!bad.ok && bad.failed[0] === "width");
 * ```
 */
export function selectSettings(
  caps: DeviceCapabilities,
  constraints: MediaTrackConstraints,
  where = "constraints",
): SelectResult {
  const basic = normalize(constraints, false, where);
  const advancedSets: Normalized[] = [];
  const adv = (constraints as { advanced?: unknown }).advanced;
  if (adv !== undefined) {
    if (!Array.isArray(adv)) throw new TypeError(`${where}.advanced must be a list`);
    adv.forEach((s, i) => advancedSets.push(normalize(s, true, `${where}.advanced[${i}]`)));
  }
  let region = regionOf(caps);
  const failed = narrow(region, basic, caps);
  if (failed.length > 0) return { ok: false, failed };
  for (const set of advancedSets) {
    const attempt = cloneRegion(region);
    if (narrow(attempt, set, caps).length === 0) region = attempt;
  }

  const settings: Record<string, number | string> = {};
  let distance = 0;
  const chosen = new Set<NumericProperty>();
  for (const p of NUMERIC_PROPERTIES) {
    const r = region.numeric.get(p);
    const cap = caps.numeric[p];
    const ideal = basic.numeric.get(p)?.ideal;
    if (!r || !cap || ideal === undefined) continue;
    const v = pick(ideal, r.lo, r.hi, cap.integer);
    settings[p] = v;
    chosen.add(p);
    if (v !== ideal) distance += Math.abs(v - ideal) / Math.max(Math.abs(v), Math.abs(ideal));
  }
  // Ties: the user agent's preferred values. A free width or height then follows the
  // preferred aspect ratio when the other one moved away from its preferred value.
  for (const p of NUMERIC_PROPERTIES) {
    const r = region.numeric.get(p);
    const cap = caps.numeric[p];
    if (!r || !cap || chosen.has(p)) continue;
    settings[p] = pick(cap.preferred, r.lo, r.hi, cap.integer);
  }
  const w = caps.numeric.width, h = caps.numeric.height;
  const rw = region.numeric.get("width"), rh = region.numeric.get("height");
  if (w && h && rw && rh) {
    if (!chosen.has("height") && settings.width !== w.preferred) {
      settings.height = pick(
        (settings.width as number) * h.preferred / w.preferred,
        rh.lo,
        rh.hi,
        true,
      );
    } else if (!chosen.has("width") && settings.height !== h.preferred) {
      settings.width = pick(
        (settings.height as number) * w.preferred / h.preferred,
        rw.lo,
        rw.hi,
        true,
      );
    }
  }
  for (const p of STRING_PROPERTIES) {
    const values = region.strings.get(p);
    if (!values || values.length === 0) continue;
    const ideal = basic.strings.get(p)?.ideal;
    const match = ideal ? values.find((v) => ideal.includes(v)) : undefined;
    settings[p] = match ?? values[0]!;
    if (ideal && match === undefined) distance += 1;
  }
  return { ok: true, settings, distance };
}

/** A numeric capability as the user gives it: one value or a `{ min, max }` range. */
export type CapabilityValue = number | NumberRange;

/**
 * Builds a {@link NumericCapability} from a user value (one number or a range) and a
 * default preferred value.
 *
 * @throws {TypeError} for a non-finite, non-positive or inverted range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numericCapability } from "./constraints.ts";
 * assert.deepEqual(numericCapability({ min: 320, max: 1920 }, 640, true, "width"), {
 *   min: 320, max: 1920, integer: true, preferred: 640,
 * });
 * ```
 */
export function numericCapability(
  value: CapabilityValue,
  preferred: number,
  integer: boolean,
  what: string,
): NumericCapability {
  const min = typeof value === "number" ? value : value.min ?? value.max;
  const max = typeof value === "number" ? value : value.max ?? value.min;
  if (
    typeof min !== "number" || typeof max !== "number" || !Number.isFinite(min) ||
    !Number.isFinite(max) || min <= 0 || min > max ||
    (integer && (!Number.isInteger(min) || !Number.isInteger(max)))
  ) {
    throw new TypeError(
      `${what} must be a positive${integer ? " integer" : ""} number or a { min, max } range, got ${
        JSON.stringify(value)
      }`,
    );
  }
  return { min, max, integer, preferred: pick(preferred, min, max, integer) };
}
