/**
 * Tiny real files made by FFmpeg 5.1 (Debian 12), embedded so tests need no read
 * permission. The same bytes are committed beside this module as
 * `ffmpeg_vp8_opus.webm` and `ffmpeg_opus.ogg` (for ffprobe); a test checks they match.
 *
 * ```sh
 * ffmpeg -f lavfi -i testsrc=size=64x48:rate=10 -f lavfi -i sine=frequency=440:sample_rate=48000 \
 *   -t 0.3 -c:v libvpx -c:a libopus -b:a 16k -fflags +bitexact -f webm ffmpeg_vp8_opus.webm
 * ffmpeg -f lavfi -i sine=frequency=440:sample_rate=48000 -t 0.1 -c:a libopus -b:a 16k \
 *   -fflags +bitexact ffmpeg_opus.ogg
 * ```
 *
 * @module
 */

function decode(base64: readonly string[]): Uint8Array {
  const text = atob(base64.join(""));
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * `ffmpeg_vp8_opus.webm`: a seekable WebM (known sizes, SeekHead, Duration 308 ms, Cues,
 * Tags) with a 64x48 VP8 track (3 frames at 10 fps) and a mono Opus track (16 packets, the
 * last in a BlockGroup with DiscardPadding), all in one Cluster. `ffprobe -show_packets`
 * lists 19 packets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ffmpegWebm } from "./fixtures.ts";
 * assert.ok(ffmpegWebm.length === 2785);
 * ```
 */
export const ffmpegWebm: Uint8Array = decode([
  "GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQRChYECGFOAZwEAAAAAAAqxEU2bdLpNu4tTq4QVSalmU6yBoU",
  "27i1OrhBZUrmtTrIHGTbuMU6uEElTDZ1OsggF5TbuMU6uEHFO7a1Osggqb7AEAAAAAAABZAAAAAAAAAAAAAAAAAAAA",
  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  "AAAAAAAAAVSalmoCrXsYMPQkBNgIRMYXZmV0GETGF2ZkSJiEBzQAAAAAAAFlSua0CtrgEAAAAAAAA/14EBc8WIAAAA",
  "AAAAAAGcgQAitZyDdW5kiIEAhoVWX1ZQOIOBASPjg4QF9eEA4JCwgUC6gTCagQJVsIRVuYEBrgEAAAAAAABc14ECc8",
  "WIAAAAAAAAAAKcgQAitZyDdW5kiIEAhoZBX09QVVNWqoNjLqBWu4QExLQAg4EC4ZGfgQG1iEDncAAAAAAAYmSBEGOi",
  "k09wdXNIZWFkAQE4AYC7AAAAAAASVMNnQKNzc85jwItjxYgAAAAAAAAAAWfImEWjh0VOQ09ERVJEh4tMYXZjIGxpYn",
  "ZweGfIokWjiERVUkFUSU9ORIeUMDA6MDA6MDAuMzA3MDAwMDAwAABzc89jwItjxYgAAAAAAAAAAmfImUWjh0VOQ09E",
  "RVJEh4xMYXZjIGxpYm9wdXNnyKJFo4hEVVJBVElPTkSHlDAwOjAwOjAwLjMwODAwMDAwMAAAH0O2dUhz54EAo8mCAA",
  "CAeIIBt2xHJOoCRm/6tgOMgTTW6F4B6xuxXu/JeBjyCrMhQczRpp/hipuGnWuB6gSe60CKK0dQKAnQRlMAdE22n3rD",
  "9AD5o0RHgQAHgFAaAJ0BKkAAMAAARwiFhYiFhIgCAgJ1uiTtfhf4W/q98BNIfjX2J/VnLF+E/5f+Rn9L9gH8AewB/Q",
  "H+N/g9wAf0h/r/8a4QH+7f1XrAfQB/Xf0ZP6d/dPg7/VP/Nf3f4Cv4t/Ivn/0gHsy/rH4bdBp615Oj7R+OmiU/mv42",
  "ZZl8i/sX5AaMBr0P8Z9gPwq6J3j7/gfz34C/4P/JP8J+Uv9y///KA/odxQ15FZ5gEmkiN8DWu2ce9tUMw0pPWp8iXN",
  "etPmV9zQ+eBdAd7/FjBwyz0MJJDP63lRvtTAD+//FuA8G/lcG/P1rDTvJ7kMXAbOZZMLw1q3jT26s3cL1SDE4vMqVb",
  "f5PJDu5ElXiO5Gi4H/x0upIrQ2lxetHtlV4fsQx80zJCj0McsrXC+M2YkGYIeUHVQsD65+gnWBSVZZp7Rm8fqIkTse",
  "gnm+0gFiJlmtya3I3oIVU8rECM1ylFe7QBCePMYJ36Ox66rWSUbOWTHC5KotFHnHOii6ip//55vXUGi++w2T5QzwnH",
  "j+o85rtCnEvQfaUOO0GDAunfCOcK1oj8mWtrKoyC0RxHTknYuJmBd890QZH+mrzznZgvsSj3YJKTBjNp81fL+wDBP4",
  "w2s51Mdf+GmOdwxv/40rb+17/1Yw6H/lrsGalXFx0wT+vZvPEvbzoPS3iDXBlieuhZ6lMJp9+eYwcVRvK/EXlZp4Nl",
  "GZLiwSrQzkNj8nz/VSv//ZBUnLji0eoMfWdT+DYniAG7IeAG7IeATg0E3qCsnIfh5HLzwUlwQENBWAEK0AEK0FGf/L",
  "owz/gj0mZghf/pW6Rg50ukktNP2IaiKVRT0TIiRvdbfk4rZz9/A2XaZdlfWtaLAFGPRU5nlG2SnGNp8TWYLdjQkCR/",
  "/9Zf0XtAu8YSibOfBAeHBzChpFDtlf8p/71DMf3Xte51XXO//20O6gjyaK3CXmRlsJ+LOWnOxcCsjQgX0JKjs7fxph",
  "gs/thaOz8NJKveOKDaQvPmbMv+B0NCfijUxo94eOuHG//6HKwnjmqXYQ67njv3e0xSsF/RDc/eTSNUt6ygx+Ddvj+D",
  "xJuEkeIQxZaFrb2enAk8B49qxUUcg8MpT9P+JvRm12UPGB5BSIvdGJdL2BlxXO/9oNPSHSWihkgjXBMjDDoCyIk6EQ",
  "EGR2frbAKDN+RZS5DvyZRaS/VyBclFGR7oIESxRDs7pwTDElV5/tHqtbqF84rzCeriZC3ezIKX83B/utxORokctO5g",
  "EY9BGrgENTUWo25ezBMc9fbV6U/9L7mb6WG8PXeQIKj+g01Z+O0zzGdyPD6Qjw175p09fxuJ5qynRxLmIT//z8LQg/",
  "BvpcMMitq1TjMd7xh4Hlm/84hWP7EvKe+LJvPnEK0giR22q+ctilvmhhi6cv+aaGNEtq0TivGrT+jArJlfqA1gAxTu",
  "NxlwkXx9LmF+IcOjcu/9cf/nYc3Ao7uCABWAeKM/96yYhQNcJgqr/0FaEEaVYsSyF9mZD/iQifIVQoBi1zeWtpPve7",
  "FLT8uJ5Jh3FZfvDpTp5aO6ggApgHiboxJRRQCs49WszOHceZwlA8eThtNg4pymngjd5BG+M6Nd3J/EqWObUpWuTdey",
  "z+X9PpQpi6PCggA9gHiboxG0HL9SKIx4GxYgwntIoZZ7XeZF8Ops8TYBLcvMfSL9Lurq/gBVtMfksMVx1Ajk4o2r9p",
  "kCGBI1RJUCo7qCAFGAeJujX3Wc/Ekzv8VH7zXJxvOK+GJRHvfbi9JLaGVcRaxjKt4gnavLHu/gTRkfbCHplKmr8OmD",
  "o7qCAGWAeJujF1FfJiUupsQbEd/rMiQaukrs4tW493Cmhfni9Nh2hCj7K+8cWiNEQ26gu35yIJLLIFIjo8OBAGsAMQ",
  "MACRCsABgMAgTKf9cO23/8GE9kduC/LuNYSl5gJhezF9q5HWUvQ4GYEh74fOBMdBvqrw9gUj8SI0RIRuQAo7iCAHmA",
  "eJujX3Wc/EXvX9q6XWLdu8Lk1xzEzoT5yxdl066QgdsEn/QegwyQIjs7Lztyrzcm7WlLRaO5ggCNgHiboxJRRQCs43",
  "0TEN4lWecVDZuvFw24pMJDUCnZwcUNpBzLaN1u6OGy8mvl9ILgwt/pShTFo72CAKGAeJujElbOH+oRjfsT15e61/j4",
  "jL144b4BaUzPFOApPzBfstkqMSknpmCnBy+FbsxvU7GhYF7Lakmjo7mCALWASJujX3Wc/Ekzs0W5lxwUfre03Dp2cf",
  "ZZUlA8/k8LaLd9patnyo0lIt2tuUSft3BfczjTJBSjtIIAyYBIm35gkr+7A/VPBIs3fCju/9jpwZfy66QgOx+3ALvX",
  "7/AU4bTgfUaq416rr6nmZnSjyoEAzwBRAgAKEKwAGAAgOC3v6PP5FH0jxoBeYvO/mrctyerUE64mcNLW+zYA2i9205",
  "EZ2XIyPCvde8upCqFP68MVGG+DItiK/HlAo66CAN2ASJsrH3Wc/ElKMCPkip5EJa5VeUzBoCI1gjqP+71kixQT/oYr",
  "hNIo4wAyo7GCAPGASJsq0lOqSE6hn3OCjU/C0FKX/0yuIB8UXQmnDAEe9mHWzP08APZpKTVGOit4o7GCAQWASJsrH3",
  "Wc/ElKOAbIQmoqs45V79rwHsJxlLtx3IjbtzCNSweFLwZnri8KJNJQo6yCARmASJsrH3Wc/EtVEyU4qRQaS3JL2Tf8",
  "6NAbq6r1QwUjHZoBCqc2yFf+MqCqoaGCAS0ASIJYNh6wya50K1qr1sXylaxo6GQePyT/Q6ibWYB1ooQAzf5gHFO7a5",
  "G7j7OBB7eK94EB8YICIvCBTg==",
]);

/**
 * `ffmpeg_opus.ogg`: 100 ms of a 440 Hz sine as mono Ogg Opus, in 3 pages (OpusHead,
 * OpusTags, then 6 audio packets on one page with the EOS flag, granule 5112).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ffmpegOgg } from "./fixtures.ts";
 * assert.ok(ffmpegOgg.length === 496);
 * ```
 */
export const ffmpegOgg: Uint8Array = decode([
  "T2dnUwACAAAAAAAAAAAAAAAAAAAAAAIotXIBE09wdXNIZWFkAQE4AYC7AAAAAABPZ2dTAAAAAAAAAAAAAAAAAAABAA",
  "AASZW+VAEuT3B1c1RhZ3MGAAAAZmZtcGVnAQAAABQAAABlbmNvZGVyPUxhdmMgbGlib3B1c09nZ1MABPgTAAAAAAAA",
  "AAAAAAIAAAAW8H1NBkU3Nj42MHiCAbdsRyTqAkZv+rYDjIE01uheAesbsV7vyXgY8gqzIUHM0aaf4Yqbhp1rgeoEnu",
  "tAiitHUCgJ0EZTAHRNtp96w/QA+XijP/esmIUDXCYKq/9BWhBGlWLEshfZmQ/4kInyFUKAYtc3lraT73uxS0/LieSY",
  "dxWX7w6U6eV4m6MSUUUArOPVrMzh3HmcJQPHk4bTYOKcpp4I3eQRvjOjXdyfxKljm1KVrk3Xss/l/T6UKYt4m6MRtB",
  "y/UiiMeBsWIMJ7SKGWe13mRfDqbPE2AS3LzH0i/S7q6v4AVbTH5LDFcdQI5OKNq/aZAhgSNUSVAnibo191nPxJM7/F",
  "R+81ycbzivhiUR7324vSS2hlXEWsYyreIJ2ryx7v4E0ZH2wh6ZSpq/Dpg3iCWDYesMmuidw/m/uOFWmwO4RX/fDut+",
  "yPNFmP0+sSLjH5uhwKyeosKgV3DPP/hQ==",
]);
