/**
 * Lazy, memoised loading of libav.js (ffmpeg compiled to WebAssembly).
 *
 * One variant is used: `@libav.js/variant-webm-vp9`, the smallest published
 * variant that has the libvpx VP8 and VP9 encoders and decoders together with
 * the libopus encoder and decoder. Instances run in "direct" mode (no worker,
 * no threads): every call runs synchronously on the calling thread, which keeps
 * the encoders deterministic and the API simple.
 *
 * Loading needs read permission on the package directory (the WASM file is read
 * from disk by the Emscripten glue code).
 *
 * @module
 */

import LibAVWrapper from "@libav.js/variant-webm-vp9";

/** A packet as exchanged with libav.js (`LibAV.Packet`): 64-bit values as lo/hi pairs. */
export interface LibAVPacket {
  /** Packet payload. */
  data: Uint8Array;
  /** Presentation timestamp, low 32 bits (signed). */
  pts?: number;
  /** Presentation timestamp, high 32 bits. */
  ptshi?: number;
  /** Decoding timestamp, low 32 bits (signed). */
  dts?: number;
  /** Decoding timestamp, high 32 bits. */
  dtshi?: number;
  /** `AV_PKT_FLAG_*` bits (1: key frame). */
  flags?: number;
  /** Duration, low 32 bits. */
  duration?: number;
  /** Duration, high 32 bits. */
  durationhi?: number;
  /** Side data entries (`AV_PKT_DATA_*` type and bytes), or null. */
  side_data?: { type: number; data: Uint8Array }[] | null;
}

/** A raw frame as given to libav.js (`LibAV.Frame`); only the fields used here. */
export interface LibAVFrame {
  /** Samples (audio: a typed array, interleaved) or picture bytes. */
  data: unknown;
  /** `AV_SAMPLE_FMT_*` or `AV_PIX_FMT_*`. */
  format: number;
  /** Presentation timestamp, low 32 bits. */
  pts?: number;
  /** Presentation timestamp, high 32 bits. */
  ptshi?: number;
  /** Audio: channel count. */
  channels?: number;
  /** Audio: channel layout mask. */
  channel_layout?: number;
  /** Audio: sample rate. */
  sample_rate?: number;
  /** Audio: samples per channel. */
  nb_samples?: number;
}

/**
 * The part of a direct-mode libav.js instance that this package uses (all
 * synchronous). The object is a complete libav.js instance: cast it to
 * `LibAV.LibAV & LibAV.LibAVSync` from `@libav.js/variant-webm-vp9` to reach the
 * rest of the API.
 */
export interface LibAVInstance {
  /** How the instance runs; always `"direct"` here. */
  readonly libavjsMode: "direct" | "worker" | "threads";
  /** Joins a lo/hi pair into a number (exact up to 2^53). */
  i64tof64(lo: number, hi: number): number;
  /** Splits an integer into a lo/hi pair. */
  f64toi64(val: number): [number, number];
  /** `av_log_set_level`. */
  av_log_set_level_sync(level: number): void;
  /** Message for an `AVERROR` code. */
  ff_error_sync(err: number): string;
  /** `free` on the WASM heap. */
  free_sync(ptr: number): void;
  /** Copies bytes into the WASM heap. */
  copyin_u8_sync(ptr: number, arr: Uint8Array): void;
  /** Copies bytes out of the WASM heap. */
  copyout_u8_sync(ptr: number, len: number): Uint8Array;
  /** `avcodec_find_encoder_by_name`: an `AVCodec*` or 0. */
  avcodec_find_encoder_by_name_sync(name: string): number;
  /** `avcodec_find_decoder_by_name`: an `AVCodec*` or 0. */
  avcodec_find_decoder_by_name_sync(name: string): number;
  /** Opens an encoder: `[AVCodec*, AVCodecContext*, AVFrame*, AVPacket*, frame_size]`. */
  ff_init_encoder_sync(name: string, opts?: {
    ctx?: Record<string, number>;
    time_base?: [number, number];
    options?: Record<string, string>;
  }): [number, number, number, number, number];
  /** Opens a decoder: `[AVCodec*, AVCodecContext*, AVPacket*, AVFrame*]`. */
  ff_init_decoder_sync(name: string, config?: {
    codecpar?: {
      codec_type: number;
      codec_id: number;
      format: number;
      extradata?: Uint8Array;
      sample_rate?: number;
      channels?: number;
      channel_layoutmask?: number;
    };
    time_base?: [number, number];
  }): [number, number, number, number];
  /** Frees what `ff_init_encoder` allocated. */
  ff_free_encoder_sync(c: number, frame: number, pkt: number): void;
  /** Frees what `ff_init_decoder` allocated. */
  ff_free_decoder_sync(c: number, pkt: number, frame: number): void;
  /** Sends frames (objects, or `AVFrame*` that it takes over) and drains packets. */
  ff_encode_multi_sync(
    ctx: number,
    frame: number,
    pkt: number,
    inFrames: (LibAVFrame | number)[],
    config?: boolean | { fin?: boolean },
  ): LibAVPacket[];
  /** Sends packets and drains frames, copied out as objects. */
  ff_decode_multi_sync(
    ctx: number,
    pkt: number,
    frame: number,
    inPackets: LibAVPacket[],
    config?: boolean | { fin?: boolean },
  ): (LibAVFrame & { data: unknown })[];
  /** Sends packets and drains frames, returned as cloned `AVFrame*`. */
  ff_decode_multi_sync(
    ctx: number,
    pkt: number,
    frame: number,
    inPackets: LibAVPacket[],
    config: { fin?: boolean; copyoutFrame: "ptr" },
  ): number[];
  /** `av_frame_alloc`. */
  av_frame_alloc_sync(): number;
  /** `av_frame_free` (by value). */
  av_frame_free_js_sync(ptr: number): void;
  /** `av_frame_get_buffer`. */
  av_frame_get_buffer_sync(frame: number, align: number): number;
  /** `AVFrame.format`. */
  AVFrame_format_sync(ptr: number): number;
  /** Sets `AVFrame.format`. */
  AVFrame_format_s_sync(ptr: number, val: number): void;
  /** `AVFrame.width`. */
  AVFrame_width_sync(ptr: number): number;
  /** Sets `AVFrame.width`. */
  AVFrame_width_s_sync(ptr: number, val: number): void;
  /** `AVFrame.height`. */
  AVFrame_height_sync(ptr: number): number;
  /** Sets `AVFrame.height`. */
  AVFrame_height_s_sync(ptr: number, val: number): void;
  /** `AVFrame.pts`, low 32 bits. */
  AVFrame_pts_sync(ptr: number): number;
  /** Sets `AVFrame.pts`, low 32 bits. */
  AVFrame_pts_s_sync(ptr: number, val: number): void;
  /** `AVFrame.pts`, high 32 bits. */
  AVFrame_ptshi_sync(ptr: number): number;
  /** Sets `AVFrame.pts`, high 32 bits. */
  AVFrame_ptshi_s_sync(ptr: number, val: number): void;
  /** Sets `AVFrame.pict_type` (1: I, which libvpx turns into a key frame). */
  AVFrame_pict_type_s_sync(ptr: number, val: number): void;
  /** `AVFrame.data[idx]`. */
  AVFrame_data_a_sync(ptr: number, idx: number): number;
  /** `AVFrame.linesize[idx]`. */
  AVFrame_linesize_a_sync(ptr: number, idx: number): number;
  /** `AVCodecContext.extradata`. */
  AVCodecContext_extradata_sync(ptr: number): number;
  /** `AVCodecContext.extradata_size`. */
  AVCodecContext_extradata_size_sync(ptr: number): number;
}

/** Options for {@linkcode loadLibAV}. */
export interface LoadLibAVOptions {
  /**
   * ffmpeg log level set on the new instance (`av_log_set_level`). Default:
   * `16` (`AV_LOG_ERROR`): warnings such as libvpx's informational messages are
   * not printed. Use `-8` (`AV_LOG_QUIET`) to silence everything but aborts.
   */
  logLevel?: number;
}

interface Entry {
  promise: Promise<LibAVInstance>;
  instance?: LibAVInstance;
}

const instances = new Map<string, Entry>();

/**
 * Returns the libav.js instance memoised under `key`, loading it on first use.
 *
 * Calls with the same key share one instance (one WASM memory); use distinct
 * keys for independent instances, e.g. one per recording if a crash of one must
 * not affect the others. A load that fails is forgotten, so a later call
 * retries. After a fatal error (see {@linkcode isFatalLibAVError}) call
 * {@linkcode discardLibAV} so that the next call loads a fresh instance.
 * `options` only apply when this call is the one that loads the instance.
 *
 * @example Load the shared instance
 * ```ts
 * import { loadLibAV } from "./load.ts";
 * const libav = await loadLibAV();
 * console.log(libav.libavjsMode); // "direct"
 * console.log(libav.avcodec_find_encoder_by_name_sync("libvpx") !== 0); // true
 * ```
 */
export function loadLibAV(
  key = "default",
  options: LoadLibAVOptions = {},
): Promise<LibAVInstance> {
  const existing = instances.get(key);
  if (existing !== undefined) return existing.promise;
  const entry: Entry = { promise: createLibAV(options) };
  instances.set(key, entry);
  entry.promise.then(
    (instance) => {
      entry.instance = instance;
    },
    () => {
      if (instances.get(key) === entry) instances.delete(key);
    },
  );
  return entry.promise;
}

type EmscriptenFactory = (module: Record<string, unknown>) => Promise<unknown>;

interface LibAVStatics {
  base: string;
  VER: string;
  CONFIG: string;
}

const statics = LibAVWrapper as unknown as LibAVStatics;
let compiled: Promise<WebAssembly.Module> | null = null;
let glue: Promise<EmscriptenFactory> | null = null;

/** Whether this runs on a page's main thread (where large modules must load asynchronously). */
function inPage(): boolean {
  return typeof (globalThis as { document?: unknown }).document !== "undefined";
}

async function readWasm(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  if (url.protocol === "file:") {
    // Deno's own file API: Node's built-in modules cost ~35 ms to set up in Deno.
    const deno = (globalThis as { Deno?: { readFile(u: URL): Promise<Uint8Array> } }).Deno;
    if (deno) return (await deno.readFile(url)) as Uint8Array<ArrayBuffer>;
    // (A computed specifier: bundlers and the npm build's type check leave Node's module
    // to the runtime that has it.)
    const fsModule = "node:fs/promises";
    const { readFile } = (await import(fsModule)) as {
      readFile(path: URL): Promise<Uint8Array>;
    };
    return new Uint8Array(await readFile(url)) as Uint8Array<ArrayBuffer>;
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`libav.js: ${url} answered ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Compiles libav.js's WebAssembly module once per process (about 70 ms of a cold start)
 * and returns it; every later instance, of every provider and agent, instantiates the
 * same compiled module. The compilation runs off the main thread, so calling this early
 * (`createLibavEncoder()` does) lets it overlap the caller's own work, e.g. the first
 * frames of a recording. A failed compilation is forgotten, so a later call retries.
 *
 * @example
 * ```ts
 * import { compileLibAVModule } from "./load.ts";
 * const module = await compileLibAVModule();
 * console.log(module === await compileLibAVModule()); // true
 * ```
 */
export function compileLibAVModule(): Promise<WebAssembly.Module> {
  if (compiled === null) {
    const url = new URL(`${statics.base}/libav-${statics.VER}-${statics.CONFIG}.wasm.wasm`);
    const promise = readWasm(url).then((bytes) => WebAssembly.compile(bytes));
    compiled = promise;
    promise.catch(() => {
      if (compiled === promise) compiled = null;
    });
  }
  return compiled;
}

function emscriptenFactory(): Promise<EmscriptenFactory> {
  if (glue === null) {
    const url = `${statics.base}/libav-${statics.VER}-${statics.CONFIG}.wasm.mjs`;
    const promise = import(url).then((m) => m.default as EmscriptenFactory);
    glue = promise;
    promise.catch(() => {
      if (glue === promise) glue = null;
    });
  }
  return glue;
}

/**
 * Starts what a first libav.js instance needs (the Emscripten glue's import and the
 * WebAssembly compilation, both cached for the process) without waiting for it; errors
 * surface at the first {@linkcode createLibAV}.
 *
 * @example
 * ```ts
 * import { prewarmLibAV } from "./load.ts";
 * prewarmLibAV(); // returns at once
 * ```
 */
export function prewarmLibAV(): void {
  compileLibAVModule().catch(() => {});
  emscriptenFactory().catch(() => {});
}

/**
 * Loads a new, unshared libav.js instance in direct mode (no worker).
 *
 * Prefer {@linkcode loadLibAV}, which memoises. Each instance has its own WASM
 * memory: 24 MiB at start, growing with use (a 1280x720 VP8 encoder adds about
 * 13-26 MiB, a VP9 one 28-56 MiB) and never shrinking, even after the codecs
 * are closed; it is freed only when the instance is garbage collected. The
 * compiled WebAssembly module is shared ({@linkcode compileLibAVModule}): the first
 * instance in a process pays the import and the compilation (run in parallel), later
 * ones only instantiate.
 *
 * @example
 * ```ts
 * import { createLibAV } from "./load.ts";
 * const libav = await createLibAV({ logLevel: -8 });
 * console.log(libav.avcodec_find_decoder_by_name_sync("libopus") !== 0); // true
 * ```
 */
export async function createLibAV(options: LoadLibAVOptions = {}): Promise<LibAVInstance> {
  const [factory, module] = await Promise.all([emscriptenFactory(), compileLibAVModule()]);
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const withModule: EmscriptenFactory = (arg) => {
    // Under Deno, Emscripten's glue would take the Node.js path (it tests
    // `process.versions.node`), whose set-up of Node's built-in modules costs ~35 ms;
    // with the module given, the glue needs nothing of Node. The test runs in the
    // factory's synchronous start, so `process` is hidden only for that call.
    const g = globalThis as { Deno?: unknown; process?: unknown };
    const hide = g.Deno !== undefined && g.process !== undefined;
    const process = g.process;
    if (hide) g.process = undefined;
    try {
      return startFactory(arg);
    } finally {
      if (hide) g.process = process;
    }
  };
  const startFactory: EmscriptenFactory = (arg) =>
    factory({
      ...arg,
      instantiateWasm(
        imports: WebAssembly.Imports,
        done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
      ) {
        // Outside a page (Node, Deno, Bun, workers) the compiled module is instantiated at
        // once: Node 20 can leave an asynchronous instantiation unfinished while its event
        // loop has nothing else to wake it (seen under `node --test` on a loaded machine:
        // the decode-back instance never came, with no CPU used). A page's main thread
        // keeps the asynchronous form, which large modules need there.
        if (!inPage()) {
          try {
            done(new WebAssembly.Instance(module, imports), module);
          } catch (error) {
            fail(error);
          }
          return {};
        }
        WebAssembly.instantiate(module, imports).then((instance) => done(instance, module), fail);
        return {};
      },
    });
  const libav = await Promise.race([
    LibAVWrapper.LibAV(
      // `factory` is a libav.js option its typings do not list.
      { noworker: true, nothreads: true, factory: withModule } as {
        noworker: true;
        nothreads: true;
      },
    ),
    failed,
  ]);
  if (libav.libavjsMode !== "direct") {
    throw new Error(`libav.js loaded in ${libav.libavjsMode} mode, expected direct`);
  }
  libav.av_log_set_level_sync(options.logLevel ?? 16);
  const instance: LibAVInstance = libav;
  return instance;
}

/**
 * Forgets the instance memoised under `key` (or, given an instance, every key
 * that resolves to it), so the next {@linkcode loadLibAV} call loads a fresh
 * one. The old instance's memory is freed by the garbage collector once nothing
 * references it; it must not be used any more.
 *
 * Returns `true` if something was forgotten.
 *
 * @example
 * ```ts
 * import { discardLibAV, loadLibAV } from "./load.ts";
 * const a = await loadLibAV("example-discard");
 * discardLibAV("example-discard");
 * const b = await loadLibAV("example-discard");
 * console.log(a !== b); // true
 * discardLibAV(b);
 * ```
 */
export function discardLibAV(keyOrInstance: string | LibAVInstance): boolean {
  if (typeof keyOrInstance === "string") {
    return instances.delete(keyOrInstance);
  }
  let found = false;
  for (const [key, entry] of instances) {
    if (entry.instance === keyOrInstance) {
      instances.delete(key);
      found = true;
    }
  }
  return found;
}

/**
 * Tells whether an error thrown by a libav.js call leaves the instance unusable.
 *
 * A WebAssembly trap (`WebAssembly.RuntimeError`: `unreachable`, out-of-bounds
 * access, Emscripten `abort()`, out of memory) unwinds through the C stack
 * without restoring it, so the instance's state is undefined afterwards. Plain
 * `Error`s thrown by libav.js's JavaScript helpers (e.g. "Could not open codec")
 * are ordinary failures and leave the instance usable.
 *
 * @example
 * ```ts
 * import { isFatalLibAVError } from "./load.ts";
 * console.log(isFatalLibAVError(new WebAssembly.RuntimeError("unreachable"))); // true
 * console.log(isFatalLibAVError(new Error("Could not open codec"))); // false
 * ```
 */
export function isFatalLibAVError(error: unknown): boolean {
  if (error instanceof WebAssembly.RuntimeError) return true;
  return error instanceof Error && /^Aborted\(/.test(error.message);
}
