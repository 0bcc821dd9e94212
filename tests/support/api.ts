import * as route from "@/app/api/v1/[[...path]]/route";
import { replyToResponse } from "@/lib/api/errors";
import type { ApiScope } from "@/lib/api/scopes";
import type { Operation } from "@/modules/api/core/operation";
import { createApiKey } from "@/modules/api/keys/service";
import type { TestDatabase, TestUser } from "./db.ts";

/** An API key made by `user` (an owner or admin) through the real service, under RLS. */
export async function createTestKey(
  t: TestDatabase,
  user: TestUser,
  scopes: ApiScope[],
  opts: { name?: string; rateLimitPerMinute?: number } = {},
) {
  return t.db.asUser(user.claims, (tx) =>
    createApiKey(tx, { orgId: user.orgId, userId: user.id }, { name: opts.name ?? "Test key", scopes, ...opts }),
  );
}

export interface ApiCall {
  token?: string | null;
  /** Path params, filled into the operation's path. */
  params?: Record<string, string>;
  /** Query string (without `?`) or pairs. */
  query?: string | [string, string][];
  /** A JSON value (sent as application/json) or a raw string. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiReply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

function requestFor(op: Operation, call: ApiCall): Request {
  const qs = typeof call.query === "string" ? call.query : new URLSearchParams(call.query ?? []).toString();
  const path = op.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(call.params?.[k] ?? ""));
  const headers = new Headers(call.headers);
  if (call.token !== null && call.token !== undefined) headers.set("authorization", `Bearer ${call.token}`);
  let body: string | undefined;
  if (call.body !== undefined) {
    body = typeof call.body === "string" ? call.body : JSON.stringify(call.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return new Request(`http://localhost/api/v1${path}${qs ? `?${qs}` : ""}`, { method: op.method.toUpperCase(), headers, body });
}

async function read<T>(res: Response): Promise<ApiReply<T>> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/** Calls an operation through the catch-all route handler with a real Request, as Next (and so Vercel) would. */
export async function callApi<T = any>(op: Operation, call: ApiCall = {}): Promise<ApiReply<T>> {
  return read(await route[op.method.toUpperCase() as Uppercase<typeof op.method>](requestFor(op, call)));
}

/** Calls an operation that is not in the operations table (a test's own), through its own reply. */
export async function callOperation<T = any>(op: Operation, call: ApiCall = {}): Promise<ApiReply<T>> {
  return read(replyToResponse(await op.reply(requestFor(op, call), call.params ?? {})));
}
