// The embedded runtime's stand-in for the Supabase API gateway: one HTTP
// server, routing by path prefix to web-standard (Request) => Response
// handlers, like https://<project>.supabase.co does.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type AuthConfig, type AuthHandler, createAuthHandler } from "./auth/index.ts";

export interface LocalApiOptions {
  /** 0 picks a free port (see `url`). */
  port: number;
  host?: string;
  /** apiUrl defaults to this server's own URL (the JWT issuer and emails' site_url derive from it). */
  auth: Omit<AuthConfig, "apiUrl"> & { apiUrl?: string };
  /** Edge Functions by name, served at /functions/v1/<name>. */
  functions?: Record<string, WebHandler>;
  /** Provider stand-ins by path prefix (e.g. `/meta-graph`). */
  routes?: Record<string, WebHandler>;
}

export interface LocalApi {
  /** e.g. http://127.0.0.1:54321: what NEXT_PUBLIC_SUPABASE_URL points at. */
  url: string;
  close(): Promise<void>;
}

export type WebHandler = (req: Request, info: { clientAddress?: string }) => Promise<Response>;

interface Route {
  prefix: string;
  handle: WebHandler;
  close?: () => Promise<void>;
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // Required by Node's fetch for a streamed request body.
    duplex: "half",
  } as RequestInit);
}

async function send(res: ServerResponse, response: Response) {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (!response.body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), res);
}

function notFound(): Response {
  return Response.json({ message: "no Route matched with those values" }, { status: 404 });
}

/**
 * Starts the local API on host:port. Routes are one row per Supabase service
 * (`/auth/v1`, `/functions/v1/<name>`); a path no row claims gets the gateway's 404.
 */
export async function startLocalApi(opts: LocalApiOptions): Promise<LocalApi> {
  const host = opts.host ?? "127.0.0.1";
  // Filled in once the port is known; until then every path is a 404.
  const routes: Route[] = [];

  const server = createServer(async (req, res) => {
    try {
      const path = (req.url ?? "/").split("?")[0];
      const route = routes.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
      const origin = `http://${req.headers.host ?? `${host}`}`;
      const response = route ? await route.handle(toRequest(req, origin), { clientAddress: req.socket.remoteAddress }) : notFound();
      await send(res, response);
    } catch (e) {
      // The handlers answer their own errors; this is a broken connection or a bug.
      console.error("[api] request failed:", e);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "An invalid response was received from the upstream server" }));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let auth: AuthHandler;
  try {
    auth = createAuthHandler({ ...opts.auth, apiUrl: opts.auth.apiUrl ?? url });
  } catch (e) {
    server.close();
    throw e;
  }
  routes.push({ prefix: "/auth/v1", handle: auth, close: auth.close });
  for (const [name, handle] of Object.entries(opts.functions ?? {})) routes.push({ prefix: `/functions/v1/${name}`, handle });
  for (const [prefix, handle] of Object.entries(opts.routes ?? {})) routes.push({ prefix, handle });

  return {
    url,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const route of routes) await route.close?.();
    },
  };
}
