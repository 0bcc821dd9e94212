// Meta's Lead Ads webhook, as the meta-webhook Edge Function serves it:
//
// - GET is the subscription handshake: `hub.mode=subscribe`, the verify
//   token Covey was configured with, and `hub.challenge` echoed back.
// - POST is a change notification, signed in `X-Hub-Signature-256` with
//   `sha256=` + HMAC-SHA256 of the raw body under the app secret, through
//   the shared inbound pipeline (modules/jobs' receiveInbound). A missing
//   or wrong signature is refused (401) before anything is stored. A signed
//   body is stored once (by its SHA-256; Meta redelivers the same body for
//   up to a day), one `meta.fetch_lead` job is queued per leadgen id (keyed
//   `meta-lead:<id>`, so a redelivery or a concurrent duplicate queues
//   nothing more), in one transaction, and the answer is 200 at once: the
//   Graph API is called by the job, never while Meta waits.
//
// Web-standard code on a postgres.js connection acting as service_role.
import { sameSecret } from "../../lib/crypto/compare.ts";
import { hex } from "../../lib/crypto/encoding.ts";
import { enqueueJob, receiveInbound, type TransactionalSql } from "../jobs/edge.ts";

export const FETCH_LEAD_JOB = "meta.fetch_lead";
/** Meta's notifications are a few KB; anything far larger is not one. */
const MAX_BODY_BYTES = 1_000_000;

export interface MetaWebhookDeps {
  /** service_role; `begin` runs one transaction. */
  sql: TransactionalSql;
  appSecret: string;
  verifyToken: string;
  /** Where refusals and failures are told (never with the body). */
  log?: (line: string) => void;
}

export interface LeadgenChange {
  leadgenId: string;
  pageId: string;
  formId: string | null;
  adId: string | null;
  adgroupId: string | null;
  createdTime: number | null;
}

const encoder = new TextEncoder();

function json(body: unknown, status: number): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

function fromHex(s: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** `sha256=<hex>` over `body` with `appSecret`, as Meta signs. */
export async function signMetaPayload(body: Uint8Array<ArrayBuffer> | string, appSecret: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(appSecret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  return `sha256=${hex(new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes)))}`;
}

/** Whether `header` is Meta's signature of `body`; WebCrypto's verify compares in constant time. */
export async function verifyMetaSignature(body: Uint8Array<ArrayBuffer>, header: string | null, appSecret: string): Promise<boolean> {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "");
  if (!m || !appSecret) return false;
  const key = await crypto.subtle.importKey("raw", encoder.encode(appSecret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  return crypto.subtle.verify("HMAC", key, fromHex(m[1].toLowerCase()), body);
}

const ID = /^[0-9]{1,30}$/;
const idOrNull = (v: unknown) => (typeof v === "string" && ID.test(v) ? v : typeof v === "number" && Number.isSafeInteger(v) ? String(v) : null);

/** The leadgen changes of a page notification; anything else in it is ignored. */
export function leadgenChanges(payload: unknown): LeadgenChange[] {
  const out: LeadgenChange[] = [];
  const p = payload as { object?: unknown; entry?: unknown };
  if (p?.object !== "page" || !Array.isArray(p.entry)) return out;
  for (const entry of p.entry as { id?: unknown; changes?: unknown }[]) {
    if (!Array.isArray(entry?.changes)) continue;
    for (const change of entry.changes as { field?: unknown; value?: Record<string, unknown> }[]) {
      if (change?.field !== "leadgen" || !change.value) continue;
      const v = change.value;
      const leadgenId = idOrNull(v.leadgen_id);
      const pageId = idOrNull(v.page_id) ?? idOrNull(entry.id);
      if (!leadgenId || !pageId) continue;
      out.push({
        leadgenId,
        pageId,
        formId: idOrNull(v.form_id),
        adId: idOrNull(v.ad_id),
        adgroupId: idOrNull(v.adgroup_id),
        createdTime: typeof v.created_time === "number" ? v.created_time : null,
      });
    }
  }
  return out;
}

function handshake(url: URL, verifyToken: string): Response {
  const mode = url.searchParams.get("hub.mode");
  const token = url.searchParams.get("hub.verify_token") ?? "";
  const challenge = url.searchParams.get("hub.challenge") ?? "";
  if (mode !== "subscribe" || !verifyToken || !sameSecret(token, verifyToken) || !challenge) {
    return json({ error: "forbidden", message: "The verify token does not match." }, 403);
  }
  return new Response(challenge, { status: 200, headers: { "content-type": "text/plain", "cache-control": "no-store" } });
}

interface Verified {
  changes: LeadgenChange[];
  digest: string;
}

export function handleMetaWebhook(req: Request, deps: MetaWebhookDeps): Promise<Response> {
  const log = deps.log ?? (() => {});
  if (req.method === "GET") return Promise.resolve(handshake(new URL(req.url), deps.verifyToken));
  return receiveInbound<Verified>(req, {
    sql: deps.sql,
    maxBodyBytes: MAX_BODY_BYTES,

    async verify(raw) {
      const header = req.headers.get("x-hub-signature-256");
      if (!(await verifyMetaSignature(raw.bytes, header, deps.appSecret))) {
        log(header ? "refused a delivery with a wrong signature" : "refused a delivery without a signature");
        return json({ error: "unauthorized", message: "X-Hub-Signature-256 is missing or does not match the body." }, 401);
      }
      let payload: unknown;
      try {
        payload = JSON.parse(raw.text);
      } catch {
        return json({ error: "invalid_json", message: "The body is not JSON." }, 400);
      }
      return { changes: leadgenChanges(payload), digest: hex(new Uint8Array(await crypto.subtle.digest("SHA-256", raw.bytes))) };
    },

    event: (v) => ({ provider: "meta", key: v.digest }),

    async onFirst(tx, { changes }) {
      if (changes.length === 0) return;
      const pages = await tx.unsafe("select page_id, org_id from public.meta_pages where page_id = any($1::text[])", [
        [...new Set(changes.map((c) => c.pageId))],
      ]);
      const orgOf = new Map(pages.map((p) => [p.page_id as string, p.org_id as string]));
      for (const c of changes) {
        await enqueueJob(tx, { kind: FETCH_LEAD_JOB, payload: c, orgId: orgOf.get(c.pageId) ?? null, key: `meta-lead:${c.leadgenId}` });
      }
    },

    // A body seen before queued its jobs then; the keys would refuse them again anyway.
    answer: ({ changes }, first) => json({ received: true, leads: first ? changes.length : 0 }, 200),
  });
}
