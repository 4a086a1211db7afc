/**
 * The spec's "is type supported" algorithm (MediaStream Recording §isTypeSupported, 2026-03),
 * on top of the WHATWG MIME parsing in `../mime_type.ts`.
 *
 * @module
 */

import { codecIdentifier, codecList, parseMimeType } from "../mime_type.ts";

/**
 * The spec's "synchronously exposed" codec identifiers, with their kind (§isTypeSupported
 * step 8). Identifiers outside this list are checked later ("deferNewerCodecsCheck").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EXPOSED_CODECS } from "./mime_type.ts";
 * assert.ok(EXPOSED_CODECS.get("vp8") === "video" && EXPOSED_CODECS.get("opus") === "audio");
 * assert.ok(!EXPOSED_CODECS.has("vp09"));
 * ```
 */
export const EXPOSED_CODECS: ReadonlyMap<string, "video" | "audio"> = new Map([
  ["vp8", "video"],
  ["vp9", "video"],
  ["h264", "video"],
  ["avc1", "video"],
  ["av1", "video"],
  ["av01", "video"],
  ["hvc1", "video"],
  ["hev1", "video"],
  ["avc3", "video"],
  ["opus", "audio"],
  ["pcm", "audio"],
]);

/**
 * Answers whether an encoder can produce a container, and a codec in it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { TypeSupport } from "./mime_type.ts";
 * const oggOpus: TypeSupport = {
 *   supportsContainer: (e) => e === "audio/ogg",
 *   supportsCodec: (e, c) => e === "audio/ogg" && c === "opus",
 * };
 * assert.ok(oggOpus.supportsCodec("audio/ogg", "opus"));
 * ```
 */
export interface TypeSupport {
  /** Whether `essence` (e.g. `video/webm`) can be produced at all. */
  supportsContainer(essence: string): boolean;
  /** Whether codec identifier `codec` (e.g. `vp8`) can be produced in `essence`. */
  supportsCodec(essence: string, codec: string): boolean;
}

/**
 * The spec's **is type supported**(type, deferNewerCodecsCheck). The constructor passes
 * `true`; `MediaRecorder.isTypeSupported()` passes `false`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isTypeSupportedAlgorithm } from "./mime_type.ts";
 * const webmOnly = {
 *   supportsContainer: (e: string) => e === "video/webm",
 *   supportsCodec: (_e: string, c: string) => c === "vp8" || c === "opus",
 * };
 * assert.ok(isTypeSupportedAlgorithm("", false, webmOnly));
 * assert.ok(isTypeSupportedAlgorithm("video/webm;codecs=vp8,opus", false, webmOnly));
 * assert.ok(!isTypeSupportedAlgorithm("video/webm;codecs=vp8,vp8", false, webmOnly));
 * assert.ok(!isTypeSupportedAlgorithm("video/webm;codecs=vp09.00.10.08", false, webmOnly));
 * assert.ok(isTypeSupportedAlgorithm("video/webm;codecs=vp09.00.10.08", true, webmOnly));
 * ```
 */
export function isTypeSupportedAlgorithm(
  type: string,
  deferNewerCodecsCheck: boolean,
  support: TypeSupport,
): boolean {
  // 1. If type is an empty string, return true.
  if (type === "") return true;
  // 2. If type is not a valid MIME type string, return false.
  const mime = parseMimeType(type);
  if (!mime) return false;
  // 3. If the type/subtype and container are not supported, return false.
  const essence = `${mime.type}/${mime.subtype}`;
  if (!support.supportsContainer(essence)) return false;
  // 4. Let codecStrings be the result of strictly splitting the codecs parameter on ",".
  const codecStrings = codecList(mime) ?? [];
  // 6–7. Each codecIdentifier is the ASCII-lowercased part before the first ".".
  const identifiers = codecStrings.map(codecIdentifier);
  // 5. More than one audio codec or more than one video codec: return false.
  let video = 0, audio = 0;
  for (const id of identifiers) {
    const kind = EXPOSED_CODECS.get(id);
    if (kind === "video") video++;
    if (kind === "audio") audio++;
  }
  if (video > 1 || audio > 1) return false;
  // 8. A synchronously exposed codec that is unsupported in this container: return false.
  let deferred = false;
  for (const id of identifiers) {
    if (EXPOSED_CODECS.has(id)) {
      if (!support.supportsCodec(essence, id)) return false;
    } else {
      deferred = true;
    }
  }
  // 9. An identifier not in the list: return deferNewerCodecsCheck.
  if (deferred) return deferNewerCodecsCheck;
  // 10. Return true.
  return true;
}
