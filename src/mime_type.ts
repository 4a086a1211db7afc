/**
 * MIME types: WHATWG MIME Sniffing "parse a MIME type" and "serialize a MIME type", and the
 * codec identifiers of a `codecs=` parameter. Used by the recorder (`src/recorder/mime_type.ts`,
 * the spec's "is type supported") and by the profiles alike.
 *
 * @module
 */

/**
 * A parsed MIME type. `type`, `subtype` and parameter names are lowercase.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type MimeType, serializeMimeType } from "./mime_type.ts";
 * const m: MimeType = { type: "audio", subtype: "ogg", parameters: new Map([["codecs", "opus"]]) };
 * assert.ok(serializeMimeType(m) === "audio/ogg;codecs=opus");
 * ```
 */
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

/**
 * The codec strings of a `codecs=` parameter, strictly split on ",", trimmed; `null` when
 * there is no `codecs=` parameter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codecList, parseMimeType } from "./mime_type.ts";
 * assert.deepEqual(codecList(parseMimeType('video/webm;codecs="vp8, opus"')!), ["vp8", "opus"]);
 * assert.ok(codecList(parseMimeType("video/webm")!) === null);
 * ```
 */
export function codecList(mime: MimeType): string[] | null {
  const codecs = mime.parameters.get("codecs");
  if (codecs === undefined) return null;
  return codecs.split(",").map((c) => c.trim());
}

/**
 * A codec string's identifier: ASCII-lowercased, up to the first "." (MediaStream
 * Recording §isTypeSupported steps 6–7).
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
