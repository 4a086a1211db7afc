/**
 * The containers and codecs recsim's WebM/Ogg encoders produce, and the support checks
 * both the synthetic and the libav.js providers answer from it.
 *
 * @module
 */
import { domException } from "../errors.ts";
import type { EncoderConfig } from "./encoder.ts";

/** Codec identifiers per container essence. */
export const WEBM_OGG_CODECS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  "video/webm": ["vp8", "vp9", "opus"],
  "audio/webm": ["opus"],
  "audio/ogg": ["opus"],
});

/**
 * Support checks over a codec table, for an `EncoderProvider`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codecTable, WEBM_OGG_CODECS } from "./codec_table.ts";
 * const t = codecTable(WEBM_OGG_CODECS, "test");
 * assert.ok(t.supportsCodec("video/webm", "vp9"));
 * assert.ok(!t.supportsCodec("audio/webm", "vp8"));
 * assert.throws(() => t.check({ essence: "audio/ogg", tracks: [{ codec: "vp8" }] } as never), /cannot write/);
 * ```
 */
export function codecTable(table: Readonly<Record<string, readonly string[]>>, encoder: string): {
  supportsContainer(essence: string): boolean;
  supportsCodec(essence: string, codec: string): boolean;
  check(config: EncoderConfig): void;
} {
  const supportsCodec = (essence: string, codec: string) =>
    table[essence]?.includes(codec) ?? false;
  return {
    supportsContainer: (essence) => essence in table,
    supportsCodec,
    check(config) {
      for (const t of config.tracks) {
        if (!supportsCodec(config.essence, t.codec.toLowerCase())) {
          throw domException(
            "NotSupportedError",
            `the ${encoder} encoder cannot write ${t.codec} in ${config.essence}`,
          );
        }
      }
    },
  };
}
