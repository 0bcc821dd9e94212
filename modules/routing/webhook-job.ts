// partners.webhook: POSTs one offer to its partner's URL, signed as Covey's
// outbound webhooks are (Standard Webhooks: webhook-id, webhook-timestamp,
// webhook-signature, by modules/webhooks), through the same SSRF guard and
// pinned connection. The body carries the offer, what the partner needs to
// decide, and the URLs to answer by: a JSON POST of
// `{ "decision": "accept" | "reject", "reason"? }` to `respond_url` (or a
// POST to `accept_url` / `reject_url`), or a person following the link.
//
// Each attempt's outcome goes to integration health (integration `partners`,
// account: the partner's id). A failure throws, so the queue retries it on
// its backoff; the last attempt's failure is handed to the database instead
// (private.partner_webhook_result), which raises the partner's alert and,
// when the webhook was the offer's only channel, ends the offer as failed
// and routes the lead on. The job has then done its work: the lead is not
// left waiting, and a second, generic dead-letter alert would only repeat it.
import { parseKeyring, SecretDecryptError } from "../../lib/crypto/envelope.ts";
import { readSecret } from "../../lib/crypto/store.ts";
import type { JobHandler } from "../jobs/edge.ts";
import { PermanentJobError } from "../jobs/edge.ts";
import { checkUrl, describeFetchError, signWebhook } from "../webhooks/edge.ts";
import { offerTokenHash, webhookOfferToken } from "./token.ts";

export const OFFER_WEBHOOK_JOB = "partners.webhook";
export const OFFER_EVENT_TYPE = "lead.offered";
const TIMEOUT_MS = 10_000;
const USER_AGENT = "Covey-Webhooks/1.0";

export const partnerSecretPurpose = (partnerId: string) => `partners.webhook_secret:${partnerId}`;

interface OfferToPost {
  delivery_id: string;
  created_at: string;
  expires_at: string;
  partner_id: string;
  partner_name: string;
  webhook_url: string;
  org_name: string;
  lead: { first_name: string | null; state: string | null; company_name: string | null; message: string | null; source: string; received_at: string };
}

/** The JSON a partner receives; `respondUrl` is the link `/p/{token}`. */
export function offerWebhookBody(offer: OfferToPost, respondUrl: string, now: Date) {
  return {
    type: OFFER_EVENT_TYPE,
    timestamp: now.toISOString(),
    data: {
      offer_id: offer.delivery_id,
      offered_at: new Date(offer.created_at).toISOString(),
      expires_at: new Date(offer.expires_at).toISOString(),
      from: offer.org_name,
      partner: { id: offer.partner_id, name: offer.partner_name },
      lead: offer.lead,
      respond_url: respondUrl,
      accept_url: `${respondUrl}?decision=accept`,
      reject_url: `${respondUrl}?decision=reject`,
    },
  };
}

export const postOfferWebhook: JobHandler = async (job, ctx) => {
  const deliveryId = (job.payload as { delivery_id?: unknown } | null)?.delivery_id;
  if (typeof deliveryId !== "string" || !job.orgId) throw new PermanentJobError("partners.webhook needs a delivery_id and an org");
  const orgId = job.orgId;
  const final = job.attempt >= job.maxAttempts;
  const report = (ok: boolean, error: string | null, last = final) =>
    ctx.sql.unsafe("select private.partner_webhook_result($1, $2, $3, $4, $5)", [deliveryId, orgId, ok, error, last]);
  // Retrying cannot help (no secret, a URL the guard refuses): given up now.
  const giveUp = async (error: string) => {
    await report(false, error, true);
  };

  const [row] = await ctx.sql.unsafe("select partner_id from public.partner_deliveries where id = $1 and org_id = $2", [deliveryId, orgId]);
  if (!row) return;
  const partnerId = row.partner_id as string;
  let secret: string | null;
  try {
    secret = await readSecret(ctx.sql, await parseKeyring(ctx.env("COVEY_SECRET_KEYS")), { orgId, purpose: partnerSecretPurpose(partnerId) });
  } catch (e) {
    if (e instanceof SecretDecryptError) return giveUp("The partner's signing secret cannot be decrypted: rotate it in Settings → Partners");
    throw e;
  }
  if (!secret) return giveUp("The partner has no signing secret: generate one in Settings → Partners");

  const token = await webhookOfferToken(secret, deliveryId);
  const [sending] = await ctx.sql.unsafe("select private.partner_webhook_sending($1, $2, decode($3, 'hex')) as offer", [
    deliveryId, orgId, await offerTokenHash(token),
  ]);
  // Answered, expired or ended since it was queued: nothing to send.
  if (!sending?.offer) return;
  const offer = sending.offer as OfferToPost;
  const fail = async (why: string) => {
    await report(false, why);
    if (!final) throw new Error(`${offer.partner_name} did not take the offer: ${why}`);
  };

  if (!ctx.net) throw new PermanentJobError("partners.webhook needs the host's network (JobContext.net)");
  const target = await checkUrl(offer.webhook_url, { allowLoopback: ctx.env("COVEY_WEBHOOKS_ALLOW_LOOPBACK") === "1", resolve: ctx.net.resolve });
  if (!target.ok) {
    if (target.reason.startsWith("dns:")) return fail(target.reason);
    return giveUp(`ssrf_blocked: ${target.reason}`);
  }

  const appUrl = (ctx.env("APP_URL") || "http://localhost:3000").replace(/\/+$/, "");
  const now = new Date();
  const body = JSON.stringify(offerWebhookBody(offer, `${appUrl}/p/${token}`, now));
  const id = `offer_${deliveryId}`;
  const timestamp = Math.floor(now.getTime() / 1000);
  let error: string;
  try {
    const res = await ctx.net.send(target.url, target.address, {
      method: "POST",
      body,
      redirect: "manual",
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(TIMEOUT_MS)]),
      headers: {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await signWebhook([secret], id, timestamp, body),
      },
    });
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) {
      await report(true, null);
      return;
    }
    error = res.status >= 300 && res.status < 400 ? `redirect: HTTP ${res.status} (redirects are not followed)` : `http_error: HTTP ${res.status}`;
  } catch (e) {
    error = describeFetchError(e, TIMEOUT_MS);
  }
  return fail(error);
};
