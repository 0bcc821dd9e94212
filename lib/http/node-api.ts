// The REST API on a plain Node HTTP server (server.ts): Node request in,
// web Request to the router, the router's reply back out.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiReply } from "@/lib/api/errors";
import { replyJson } from "@/lib/api/errors";
import { log } from "@/lib/log";

/**
 * The request body as a web stream that reads the socket only when the
 * handler asks. `release` gives up on the rest: it is read and thrown away
 * rather than the request destroyed, which would destroy the keep-alive
 * socket under the client and lose its next request.
 */
function bodyStream(req: IncomingMessage): { stream: ReadableStream<Uint8Array>; release: () => void } {
  let listeners: { data: (chunk: Buffer) => void; end: () => void; error: (err: Error) => void } | undefined;
  const release = () => {
    if (listeners) req.off("data", listeners.data).off("end", listeners.end).off("error", listeners.error);
    listeners = undefined;
    req.resume();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        listeners ??= {
          data: (chunk) => {
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            if ((controller.desiredSize ?? 0) <= 0) req.pause();
          },
          end: () => controller.close(),
          error: (err) => controller.error(err),
        };
        if (!req.listeners("data").includes(listeners.data)) {
          req.on("data", listeners.data).once("end", listeners.end).once("error", listeners.error);
        }
        req.resume();
      },
      cancel: release,
    },
    // Nothing is read ahead of the handler.
    { highWaterMark: 0 },
  );
  return { stream, release };
}

export function toRequest(req: IncomingMessage, fallbackHost: string): { request: Request; release: () => void } {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const proto = headers.get("x-forwarded-proto")?.split(",")[0].trim() || "http";
  const url = `${proto}://${headers.get("host") ?? fallbackHost}${req.url}`;
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : bodyStream(req);
  const request = new Request(url, { method, headers, body: body?.stream, duplex: "half" } as RequestInit);
  return { request, release: body?.release ?? (() => {}) };
}

/**
 * Answers one API request from `route`. A reply sent before the body was read
 * to its end (413) drains the rest, so the connection stays usable.
 */
export async function serveApi(
  req: IncomingMessage,
  res: ServerResponse,
  route: (request: Request) => Promise<ApiReply>,
  opts: { headers: Record<string, string>; fallbackHost: string },
): Promise<void> {
  let reply: ApiReply;
  const { request, release } = toRequest(req, opts.fallbackHost);
  try {
    reply = await route(request);
  } catch (err) {
    log.error({ err }, "api request failed outside its operation");
    reply = { status: 500, headers: {}, body: { error: { code: "internal_error", message: "Something went wrong on our side" } } };
  }
  if (!req.complete) release();
  res.statusCode = reply.status;
  for (const [k, v] of Object.entries(opts.headers)) res.setHeader(k, v);
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
