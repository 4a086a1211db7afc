/**
 * `MediaStreamTrackEvent` (Media Capture and Streams), fired as `addtrack` and
 * `removetrack` when the user agent changes a stream's track set.
 *
 * @module
 */
import type { MediaStreamTrack } from "../media/media_stream_track.ts";

/** The init dictionary: `track` is required. */
export interface MediaStreamTrackEventInit extends EventInit {
  /** The track added or removed. */
  track: MediaStreamTrack;
}

/**
 * The event of a simulated track-set change.
 *
 * @example
 * ```ts ignore
 * stream.onaddtrack = (e) => console.log(e.track.kind);
 * ```
 */
export class MediaStreamTrackEvent extends Event {
  #track: MediaStreamTrack;
  /**
   * Creates the event.
   *
   * @throws {TypeError} when `eventInitDict.track` is missing.
   */
  constructor(type: string, eventInitDict: MediaStreamTrackEventInit) {
    if (!eventInitDict?.track) {
      throw new TypeError("MediaStreamTrackEvent: eventInitDict.track is required");
    }
    super(type, eventInitDict);
    this.#track = eventInitDict.track;
  }
  /** The track. */
  get track(): MediaStreamTrack {
    return this.#track;
  }
}
