/**
 * MIME type parsing (WHATWG MIME Sniffing, "parse a MIME type") and the spec's
 * "is type supported" algorithm (MediaStream Recording §isTypeSupported, 2026-03).
 *
 * @module
 */

/** A parsed MIME type. `type`, `subtype` and parameter names are lowercase. */
export interface MimeType {
  /** e.g. `video`. */
  type: string;
  /** e.g. `webm`. */
  subtype: string;
  /** Parameters in order, names lowercase, values as written (unquoted). */
  parameters: Map<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** ASCII lowercase (the MIME standard never lowercases beyond ASCII). */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const QUOTED_OK = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

/**
 * Parses a MIME type string; `null` when it is not a valid MIME type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMimeType } from "./mime_type.ts";
 * const m = parseMimeType('Video/WebM; codecs="vp8, opus"')!;
 * assert.ok(m.type === "video" && m.subtype === "webm");
 * assert.ok(m.parameters.get("codecs") === "vp8, opus");
 * assert.ok(parseMimeType("video") === null);
 * ```
 */
export function parseMimeType(input: string): MimeType | null {
  const s = input.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  const slash = s.indexOf("/");
  if (slash < 0) return null;
  const type = s.slice(0, slash);
  if (!TOKEN.test(type)) return null;
  let pos = slash + 1;
  let semi = s.indexOf(";", pos);
  if (semi < 0) semi = s.length;
  const subtype = s.slice(pos, semi).replace(/[\t\n\r ]+$/, "");
  if (!TOKEN.test(subtype)) return null;
  const parameters = new Map<string, string>();
  pos = semi;
  while (pos < s.length) {
    pos++; // skip ";"
    while (pos < s.length && /[\t\n\r ]/.test(s[pos]!)) pos++;
    let end = pos;
    while (end < s.length && s[end] !== ";" && s[end] !== "=") end++;
    const name = asciiLower(s.slice(pos, end));
    pos = end;
    if (pos >= s.length) break;
    if (s[pos] === ";") continue;
    pos++; // skip "="
    let value: string;
    if (s[pos] === '"') {
      // collect an HTTP quoted string, then skip to the next ";"
      let v = "";
      pos++;
      while (pos < s.length && s[pos] !== '"') {
        if (s[pos] === "\\" && pos + 1 < s.length) pos++;
        v += s[pos];
        pos++;
      }
      pos++;
      while (pos < s.length && s[pos] !== ";") pos++;
      value = v;
    } else {
      end = s.indexOf(";", pos);
      if (end < 0) end = s.length;
      value = s.slice(pos, end).replace(/[\t\n\r ]+$/, "");
      pos = end;
      if (value === "") continue;
    }
    if (name !== "" && TOKEN.test(name) && QUOTED_OK.test(value) && !parameters.has(name)) {
      parameters.set(name, value);
    }
  }
  return { type: asciiLower(type), subtype: asciiLower(subtype), parameters };
}

/**
 * Serializes a MIME type (WHATWG): values that are not HTTP tokens are quoted, so a
 * codecs list reads `codecs="vp8,opus"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serializeMimeType } from "./mime_type.ts";
 * const s = serializeMimeType({ type: "video", subtype: "webm", parameters: new Map([["codecs", "vp8,opus"]]) });
 * assert.ok(s === 'video/webm;codecs="vp8,opus"');
 * ```
 */
export function serializeMimeType(mime: MimeType): string {
  let out = `${mime.type}/${mime.subtype}`;
  for (const [name, value] of mime.parameters) {
    out += `;${name}=`;
    out += TOKEN.test(value) ? value : `"${value.replace(/(["\\])/g, "\\$1")}"`;
  }
  return out;
}

/** The codec strings of a `codecs=` parameter, strictly split on ",", trimmed. */
export function codecList(mime: MimeType): string[] | null {
  const codecs = mime.parameters.get("codecs");
  if (codecs === undefined) return null;
  return codecs.split(",").map((c) => c.trim());
}

/**
 * The spec's "synchronously exposed" codec identifiers, with their kind (§isTypeSupported
 * step 8). Identifiers outside this list are checked later ("deferNewerCodecsCheck").
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
 * A codec string's identifier: ASCII-lowercased, up to the first "." (steps 6–7).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codecIdentifier } from "./mime_type.ts";
 * assert.ok(codecIdentifier("VP9.0") === "vp9");
 * assert.ok(codecIdentifier("vp09.00.10.08") === "vp09");
 * ```
 */
export function codecIdentifier(codec: string): string {
  const dot = codec.indexOf(".");
  return asciiLower(dot < 0 ? codec : codec.slice(0, dot));
}

/** Answers whether an encoder can produce a container, and a codec in it. */
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
