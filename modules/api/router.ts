import { type ApiReply, errorReply } from "@/lib/api/errors";
import { DomainError } from "@/lib/errors";
import { requestIdFrom } from "@/lib/http/request-id";
import type { Operation } from "./core/operation";
import { apiDocument } from "./document";
import { operations } from "./operations";

export const API_PREFIX = "/api/v1";

interface Route {
  pattern: RegExp;
  names: string[];
  byMethod: Map<string, Operation>;
}

/** `/people/{id}/timeline` → a regex with one capture per `{name}`. */
function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split("/")
    .map((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(m[1]);
      return "([^/]+)";
    })
    .join("/");
  return { pattern: new RegExp(`^${source}/?$`), names };
}

function buildRoutes(ops: Operation[]): Route[] {
  const byPath = new Map<string, Route>();
  for (const op of ops) {
    let route = byPath.get(op.path);
    if (!route) {
      route = { ...compile(op.path), byMethod: new Map() };
      byPath.set(op.path, route);
    }
    route.byMethod.set(op.method.toUpperCase(), op);
  }
  // Literal segments win over parameters (`/deals/{id}/move` never matches `/deals/{id}/{x}`): fewer params first.
  return [...byPath.values()].sort((a, b) => a.names.length - b.names.length);
}

let routes: Route[] | undefined;

function allowed(route: Route): string {
  const methods = [...route.byMethod.keys()];
  if (methods.includes("GET")) methods.push("HEAD");
  return [...methods, "OPTIONS"].join(", ");
}

/**
 * Answers `/api/v1/*` from the operations table: the Covey server hands API
 * requests here without the framework's page pipeline (see server.ts), and
 * the catch-all route `app/api/v1/[[...path]]` does on hosts that run Next
 * alone. Unknown paths and methods get the API's JSON error shape.
 */
export async function routeApiRequest(request: Request): Promise<ApiReply> {
  const url = new URL(request.url);
  const path = url.pathname.slice(API_PREFIX.length) || "/";
  if (path === "/openapi.json" && (request.method === "GET" || request.method === "HEAD")) {
    return withoutBodyFor(request, { status: 200, headers: { "Access-Control-Allow-Origin": "*" }, body: apiDocument() });
  }
  const reply = await dispatch(request, path);
  // Records and errors are per key and change with every write: no shared or browser cache may keep them.
  return { ...reply, headers: { ...reply.headers, "Cache-Control": "no-store" } };
}

async function dispatch(request: Request, path: string): Promise<ApiReply> {
  routes ??= buildRoutes(operations);
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    const method = request.method === "HEAD" ? "GET" : request.method;
    const op = route.byMethod.get(method);
    if (!op) {
      if (request.method === "OPTIONS") return { status: 204, headers: { Allow: allowed(route) } };
      return refuse(request, new DomainError("method_not_allowed", `${request.method} is not allowed on ${API_PREFIX}${path}`, { headers: { Allow: allowed(route) } }));
    }
    const params: Record<string, string> = {};
    try {
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
    } catch {
      return refuse(request, new DomainError("not_found", `No such path: ${API_PREFIX}${path}`));
    }
    return withoutBodyFor(request, await op.reply(request, params));
  }
  return refuse(request, new DomainError("not_found", `No such path: ${API_PREFIX}${path}`));
}

function refuse(request: Request, error: DomainError): ApiReply {
  return withoutBodyFor(request, errorReply(error, requestIdFrom(request.headers)));
}

function withoutBodyFor(request: Request, reply: ApiReply): ApiReply {
  return request.method === "HEAD" ? { ...reply, body: undefined } : reply;
}
