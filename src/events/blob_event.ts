/**
 * `BlobEvent`, as the MediaStream Recording spec defines it (§ BlobEvent).
 *
 * @module
 */
import { readableBlob } from "../blob_bytes.ts";

/** The `BlobEventInit` dictionary: `data` is required. */
export interface BlobEventInit extends EventInit {
  /** The Blob the event carries. */
  data: Blob;
  /** The chunk's timecode in milliseconds (see {@link BlobEvent.timecode}). */
  timecode?: number;
}

/**
 * The event `dataavailable` is fired with. `data` is the recorded chunk; `timecode` is
 * the start of the chunk's media relative to the first chunk of the recording (0 for
 * the first). Under jsdom, whose `Blob` cannot be read, `data` gets the standard reading
 * methods (see `readableBlob`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BlobEvent } from "./blob_event.ts";
 * const e = new BlobEvent("dataavailable", { data: new Blob([new Uint8Array(3)]), timecode: 1000 });
 * assert.ok(e.data.size === 3 && e.timecode === 1000 && e.type === "dataavailable");
 * ```
 */
export class BlobEvent extends Event {
  #data: Blob;
  #timecode: number;

  /**
   * Creates the event.
   *
   * @throws {TypeError} if `eventInitDict.data` is missing or not a Blob, or the
   * timecode is not finite (WebIDL `DOMHighResTimeStamp` is a restricted double).
   */
  constructor(type: string, eventInitDict: BlobEventInit) {
    if (eventInitDict === null || typeof eventInitDict !== "object") {
      throw new TypeError("BlobEvent: eventInitDict with a 'data' member is required");
    }
    if (!(eventInitDict.data instanceof Blob)) {
      throw new TypeError("BlobEvent: eventInitDict.data is required and must be a Blob");
    }
    const timecode = eventInitDict.timecode === undefined ? 0 : Number(eventInitDict.timecode);
    if (!Number.isFinite(timecode)) {
      throw new TypeError("BlobEvent: eventInitDict.timecode must be a finite number");
    }
    super(type, eventInitDict);
    this.#data = readableBlob(eventInitDict.data);
    this.#timecode = timecode;
  }

  /** The recorded data. */
  get data(): Blob {
    return this.#data;
  }

  /** Milliseconds from the first chunk's media to this chunk's; 0 for the first chunk. */
  get timecode(): number {
    return this.#timecode;
  }
}

/**
 * Gecko's `BlobEvent`, which has `data` but no `timecode` attribute (FF-IDL
 * `BlobEvent.webidl`); the `firefox` profile dispatches it, and its agent exposes and
 * installs it as `BlobEvent` (its `name` is "BlobEvent", as in Firefox, where
 * `e instanceof BlobEvent` holds; lab scenario `timeslice/av-1000`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BlobEventWithoutTimecode } from "./blob_event.ts";
 * const e = new BlobEventWithoutTimecode("dataavailable", { data: new Blob([]) });
 * assert.equal("timecode" in e, false);
 * assert.equal(e.data.size, 0);
 * assert.equal(BlobEventWithoutTimecode.name, "BlobEvent");
 * ```
 */
export class BlobEventWithoutTimecode extends Event {
  static {
    Object.defineProperty(this, "name", { value: "BlobEvent" });
  }
  #data: Blob;
  /**
   * Creates the event.
   *
   * @throws {TypeError} if `eventInitDict.data` is missing or not a Blob.
   */
  constructor(type: string, eventInitDict: { data: Blob } & EventInit) {
    if (!(eventInitDict?.data instanceof Blob)) {
      throw new TypeError("BlobEvent: eventInitDict.data is required and must be a Blob");
    }
    super(type, eventInitDict);
    this.#data = readableBlob(eventInitDict.data);
  }
  /** The recorded data. */
  get data(): Blob {
    return this.#data;
  }
}
