/**
 * A tiny static file server on 127.0.0.1 for conformance pages.
 *
 * @module
 */

/** Content types by file extension. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webm": "video/webm",
  ".wasm": "application/wasm",
};

/** Options for {@linkcode serveStatic}. */
export interface ServeStaticOptions {
  /** Port to listen on; 0 (the default) picks any free port. */
  port?: number;
  /**
   * Gets the first chance at every request (e.g. for POST endpoints). Return `undefined` to fall
   * through to the static files.
   */
  handler?: (req: Request) => Response | Promise<Response | undefined> | undefined;
}

/** A running static server. */
export interface StaticServer {
  /** E.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly origin: string;
  /** Stops the server and waits for it to finish. */
  close(): Promise<void>;
}

/** Returns the content type for a path by its extension. */
export function contentType(path: string): string {
  const dot = path.lastIndexOf(".");
  const ext = dot >= 0 ? path.slice(dot).toLowerCase() : "";
  return CONTENT_TYPES[ext] ?? "application/octet-stream";
}

/** Joins `root` and a URL path, refusing anything that escapes `root`; `null` when refused. */
function resolvePath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const parts: string[] = [];
  for (const part of decoded.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." || part.includes("\\") || part.includes("\0")) return null;
    parts.push(part);
  }
  const base = root.endsWith("/") ? root.slice(0, -1) : root;
  return parts.length === 0 ? base : `${base}/${parts.join("/")}`;
}

async function serveFile(root: string, req: Request): Promise<Response> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return new Response("method not allowed", { status: 405 });
  }
  let path = resolvePath(root, new URL(req.url).pathname);
  if (path === null) return new Response("forbidden", { status: 403 });
  try {
    let info = await Deno.stat(path);
    if (info.isDirectory) {
      path = `${path}/index.html`;
      info = await Deno.stat(path);
    }
    if (!info.isFile) return new Response("not found", { status: 404 });
    const headers = {
      "content-type": contentType(path),
      "content-length": String(info.size),
      "cache-control": "no-store",
    };
    if (req.method === "HEAD") return new Response(null, { headers });
    const file = await Deno.open(path, { read: true });
    return new Response(file.readable, { headers });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      // Browsers ask for it on every page; a 404 would show up as a console error.
      if (new URL(req.url).pathname === "/favicon.ico") return new Response(null, { status: 204 });
      return new Response("not found", { status: 404 });
    }
    return new Response(String(e), { status: 500 });
  }
}

/**
 * Serves the files under `root` on 127.0.0.1 (a secure context for `getUserMedia`), with correct
 * content types. `options.handler` gets the first chance at each request.
 */
export function serveStatic(root: string, options: ServeStaticOptions = {}): Promise<StaticServer> {
  const { promise, resolve, reject } = Promise.withResolvers<StaticServer>();
  const controller = new AbortController();
  try {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      signal: controller.signal,
      onListen: () => {},
      onError: (e) => new Response(String(e), { status: 500 }),
    }, async (req) => {
      if (options.handler) {
        const res = await options.handler(req);
        if (res !== undefined) return res;
      }
      return serveFile(root, req);
    });
    const addr = server.addr;
    resolve({
      origin: `http://127.0.0.1:${addr.port}`,
      async close() {
        controller.abort();
        await server.finished;
      },
    });
  } catch (e) {
    reject(e);
  }
  return promise;
}
