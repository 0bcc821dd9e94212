// The Covey server: one Node HTTP server for the whole app. Requests to the
// REST API (`/api/v1/*`) are answered straight from the operations table
// (modules/api/router.ts), the same handlers the Next route files export,
// without the page pipeline (proxy, render) that every other request needs:
// that pipeline alone would cap the API at a few hundred requests per second
// per core. Everything else goes to Next.js.
//
// Production builds only: `npm run dev` runs `next dev`, where the route
// files under app/api/v1 serve the API (and reload on edit), as they do on
// hosts that run Next without this server (e.g. Vercel).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import next from "next";
import type { ApiReply } from "./lib/api/errors.ts";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "0.0.0.0";

const app = next({ dev: false, dir: path.resolve(import.meta.dirname), port, hostname: "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

// Imported after Next has loaded .env files into process.env.
const { API_PREFIX, routeApiRequest } = await import("./modules/api/router.ts");
const { replyJson } = await import("./lib/api/errors.ts");
const { apiSecurityHeaders } = await import("./lib/http/security-headers.ts");
const { log } = await import("./lib/log.ts");
const securityHeaders = apiSecurityHeaders({ https: (process.env.APP_URL ?? "").startsWith("https:") });

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const proto = headers.get("x-forwarded-proto")?.split(",")[0].trim() || "http";
  const url = `${proto}://${headers.get("host") ?? `localhost:${port}`}${req.url}`;
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
  return new Request(url, { method, headers, body, duplex: "half" } as RequestInit);
}

async function serveApi(req: IncomingMessage, res: ServerResponse) {
  let reply: ApiReply;
  try {
    reply = await routeApiRequest(toRequest(req));
  } catch (err) {
    log.error({ err }, "api request failed outside its operation");
    reply = { status: 500, headers: {}, body: { error: { code: "internal_error", message: "Something went wrong on our side" } } };
  }
  res.statusCode = reply.status;
  for (const [k, v] of Object.entries(securityHeaders)) res.setHeader(k, v);
  for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
  if (reply.body === undefined) {
    res.end();
    return;
  }
  // What Response.json would send, without a stream in between.
  const body = Buffer.from(replyJson(reply)!);
  res.setHeader("content-type", "application/json");
  res.setHeader("content-length", body.byteLength);
  res.end(body);
}

const apiPrefix = `${API_PREFIX}/`;
const server = createServer((req, res) => {
  const url = req.url ?? "/";
  if (url.startsWith(apiPrefix) || url === API_PREFIX) {
    serveApi(req, res).catch((err) => {
      log.error({ err }, "api response failed");
      res.destroy();
    });
    return;
  }
  handle(req, res).catch((err) => {
    log.error({ err }, "request failed");
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
server.listen(port, hostname, () => log.info({ port }, "covey listening"));

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    app.close().finally(() => process.exit(0));
  });
}
