/**
 * `@recsim/core/libav`: real encoding with ffmpeg's libvpx (VP8, VP9) and libopus
 * compiled to WebAssembly (libav.js), and decode-back helpers that prove what a
 * recording holds. Kept out of `mod.ts` so the core stays free of WebAssembly.
 *
 * ```ts ignore
 * import { createUserAgent } from "@recsim/core";
 * import { checkRecording, createLibavEncoder } from "@recsim/core/libav";
 * const ua = createUserAgent({ encoders: [createLibavEncoder()] });
 * // … record, collect the chunks into `bytes` …
 * const check = await checkRecording(bytes, ua.trace);
 * ```
 *
 * @module
 */
export { createLibavEncoder, type LibavEncoderOptions } from "./provider.ts";
export {
  checkRecording,
  type DecodedAudioTrack,
  type DecodedRecording,
  type DecodedVideoTrack,
  decodeRecording,
  type RecordingCheck,
} from "./decode_back.ts";
export {
  isFatalLibAVError,
  type LibAVFrame,
  type LibAVInstance,
  type LibAVPacket,
  loadLibAV,
  type LoadLibAVOptions,
} from "./load.ts";
