// The page's server on 127.0.0.1: the page, recsim's package files (/recsim/), libav.js
// (/libav/), and the upload endpoints, which keep what they receive.
import http from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const roots = {
  "/recsim/": join(here, "node_modules/@recsim/core/"),
  "/libav/": join(here, "node_modules/@libav.js/variant-webm-vp9/dist/"),
  "/": join(here, "page/"),
};
const types = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
};

/** Starts the server; `received` collects the uploads. */
export function startServer() {
  const received = { chunks: [], complete: null };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    if (req.method === "POST") {
      const parts = [];
      for await (const part of req) parts.push(part);
      const body = Buffer.concat(parts);
      if (url.pathname === "/chunk") {
        received.chunks.push({
          seq: Number(url.searchParams.get("seq")),
          bytes: new Uint8Array(body),
        });
      } else if (url.pathname === "/complete") received.complete = JSON.parse(body.toString());
      res.end("ok");
      return;
    }
    const path = url.pathname === "/" ? "/index.html" : url.pathname;
    const prefix = Object.keys(roots).find((p) => path.startsWith(p));
    const file = normalize(join(roots[prefix], path.slice(prefix.length)));
    if (!file.startsWith(roots[prefix])) return res.writeHead(403).end();
    try {
      const data = await readFile(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      res.end(data);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(
      0,
      "127.0.0.1",
      () => resolve({ server, received, url: `http://127.0.0.1:${server.address().port}` }),
    )
  );
}
