import type { Operation } from "@/lib/api/operation";
import type { ApiScope } from "@/lib/api/scopes";
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
  /** Route params, as Next passes them. */
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

/** Calls an operation's route handler with a real Request, as Next would. */
export async function callApi<T = any>(op: Operation, call: ApiCall = {}): Promise<ApiReply<T>> {
  const qs = typeof call.query === "string" ? call.query : new URLSearchParams(call.query ?? []).toString();
  const path = op.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(call.params?.[k] ?? ""));
  const headers = new Headers(call.headers);
  if (call.token !== null && call.token !== undefined) headers.set("authorization", `Bearer ${call.token}`);
  let body: string | undefined;
  if (call.body !== undefined) {
    body = typeof call.body === "string" ? call.body : JSON.stringify(call.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new Request(`http://localhost/api/v1${path}${qs ? `?${qs}` : ""}`, {
    method: op.method.toUpperCase(),
    headers,
    body,
  });
  const res = await op.handler(request, { params: Promise.resolve(call.params ?? {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
