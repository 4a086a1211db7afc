/**
 * The Media Capture and Streams dictionaries recsim's tracks use, declared here because
 * Deno's default type library has no DOM media types. They match lib.dom's shapes.
 *
 * @module
 */

/** A numeric range (`ULongRange` / `DoubleRange`). */
export interface NumberRange {
  /** Lowest value. */
  min?: number;
  /** Highest value. */
  max?: number;
}

/** A constrainable number: a bare value or `{ exact, ideal, min, max }`. */
export type ConstrainNumber = number | {
  exact?: number;
  ideal?: number;
  min?: number;
  max?: number;
};
/** A constrainable string: a bare value, a list, or `{ exact, ideal }`. */
export type ConstrainString = string | string[] | {
  exact?: string | string[];
  ideal?: string | string[];
};

/** `MediaTrackSettings`: the values a track runs with. */
export interface MediaTrackSettings {
  /** Frame width. */
  width?: number;
  /** Frame height. */
  height?: number;
  /** Frames per second. */
  frameRate?: number;
  /** width / height. */
  aspectRatio?: number;
  /** "none" or "crop-and-scale". */
  resizeMode?: string;
  /** Camera facing mode. */
  facingMode?: string;
  /** Audio sample rate. */
  sampleRate?: number;
  /** Audio sample size in bits. */
  sampleSize?: number;
  /** Audio channels. */
  channelCount?: number;
  /** Device id. */
  deviceId?: string;
  /** Group id. */
  groupId?: string;
  /** Other settings. */
  [key: string]: unknown;
}

/** `MediaTrackCapabilities`: the ranges a source supports. */
export interface MediaTrackCapabilities {
  /** Width range. */
  width?: NumberRange;
  /** Height range. */
  height?: NumberRange;
  /** Frame rate range. */
  frameRate?: NumberRange;
  /** Sample rate range. */
  sampleRate?: NumberRange;
  /** Channel count range. */
  channelCount?: NumberRange;
  /** Device id. */
  deviceId?: string;
  /** Group id. */
  groupId?: string;
  /** Other capabilities. */
  [key: string]: unknown;
}

/** `MediaTrackConstraints`. */
export interface MediaTrackConstraints {
  /** Width. */
  width?: ConstrainNumber;
  /** Height. */
  height?: ConstrainNumber;
  /** Frame rate. */
  frameRate?: ConstrainNumber;
  /** Sample rate. */
  sampleRate?: ConstrainNumber;
  /** Channel count. */
  channelCount?: ConstrainNumber;
  /** Device id. */
  deviceId?: ConstrainString;
  /** Facing mode. */
  facingMode?: ConstrainString;
  /** Advanced constraint sets. */
  advanced?: MediaTrackConstraints[];
  /** Other constraints. */
  [key: string]: unknown;
}
