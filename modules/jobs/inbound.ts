// What every inbound provider webhook does with a delivery, in one place
// (meta-webhook, twilio-sms, twilio-voice, gmail-push):
//
// 1. read the raw body, refusing one larger than any the provider sends;
// 2. check the provider's credential over it (the `verify` hook): a refusal
//    is answered as it is and nothing is stored;
// 3. store the raw event once (private.inbound_events, unique by provider
//    and the provider's own dedupe key), and in the same transaction queue
//    its jobs the first time it is seen (`onFirst`) and apply what must be
//    applied on every delivery (`onEvery`, idempotent row updates such as a
//    status callback);
// 4. answer at once: the slow work (provider fetches, matching records,
//    notifications) is the jobs', never done while the provider waits.
//
// Web-standard code on a postgres.js connection acting as service_role.
import type { SqlClient } from "./runner.ts";

export interface RawBody {
  bytes: Uint8Array<ArrayBuffer>;
  text: string;
}

export type TransactionalSql = SqlClient & { begin<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> };

export interface InboundWebhook<V> {
  /** service_role; `begin` runs one transaction. */
  sql: TransactionalSql;
  /** Larger bodies are refused with 413 before they are read further. */
  maxBodyBytes: number;
  /** The credential check over the raw body: what it verified, or the refusal to answer (nothing is stored). */
  verify(raw: RawBody, req: Request): Promise<V | Response>;
  /** Where the raw event is kept once: `private.inbound_events` (provider, key), or a 400 for a verified body Covey cannot use. */
  event(verified: V, raw: RawBody): { provider: string; key: string } | Response;
  /** In the storing transaction, only the first time the event is seen: queue its jobs. */
  onFirst?(tx: SqlClient, verified: V): Promise<void>;
  /** In the storing transaction, on every delivery (a redelivery too): idempotent updates. */
  onEvery?(tx: SqlClient, verified: V): Promise<void>;
  /** The provider's answer; `first` is false for a redelivery. */
  answer(verified: V, first: boolean): Response | Promise<Response>;
}

const noStore = { "cache-control": "no-store" };

export function inboundRefusal(status: number, error: string, message?: string): Response {
  return Response.json(message ? { error, message } : { error }, { status, headers: noStore });
}

/** The body as sent, or a 413 when it is larger than `maxBytes` (declared or read). */
export async function readRawBody(req: Request, maxBytes: number): Promise<RawBody | Response> {
  const tooLarge = () => inboundRefusal(413, "payload_too_large", "The body is larger than any delivery of this webhook.");
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes) return tooLarge();
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.length > maxBytes) return tooLarge();
  return { bytes, text: new TextDecoder().decode(bytes) };
}

export async function receiveInbound<V>(req: Request, hook: InboundWebhook<V>): Promise<Response> {
  if (req.method !== "POST") return inboundRefusal(405, "method_not_allowed");
  const raw = await readRawBody(req, hook.maxBodyBytes);
  if (raw instanceof Response) return raw;
  const verified = await hook.verify(raw, req);
  if (verified instanceof Response) return verified;
  const event = hook.event(verified, raw);
  if (event instanceof Response) return event;
  const first = await hook.sql.begin(async (tx) => {
    const [stored] = await tx.unsafe(
      `insert into private.inbound_events (provider, dedupe_key, body) values ($1, $2, $3)
       on conflict (provider, dedupe_key) do nothing returning id`,
      [event.provider, event.key.slice(0, 200), raw.text],
    );
    // A redelivery queued its jobs when it was first stored.
    if (stored) await hook.onFirst?.(tx, verified);
    await hook.onEvery?.(tx, verified);
    return Boolean(stored);
  });
  return hook.answer(verified, first);
}
