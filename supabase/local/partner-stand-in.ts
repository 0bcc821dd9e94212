// A fulfillment partner's system on the embedded runtime, served by the
// local API at /partner-stand-in: the receiving end of Covey's signed offer
// webhooks, as a partner would build it. It verifies each offer with the
// published `standardwebhooks` library and the secret Covey gave the demo
// partner, keeps what arrived, and answers an offer the way a partner's
// system does, with a JSON POST of { decision, reason? } to the offer's
// link. /dev/partner shows its offers and answers them.
//   POST /partner-stand-in/offers              an offer (Standard Webhooks headers)
//   GET  /partner-stand-in/offers              what arrived, newest first
//   POST /partner-stand-in/offers/{id}/answer  { decision, reason? } → POSTed to respond_url
import { Webhook } from "standardwebhooks";

/**
 * The demo org's webhook partner (supabase/local/partner-demo.ts seeds it):
 * the secret is fixed so the stand-in, playing the partner, holds it as the
 * partner would after an admin handed it over.
 */
export const DEMO_PARTNER = {
  name: "Cascade Fulfillment",
  email: "offers@cascade-fulfillment.example",
  states: ["WA"],
  secret: "whsec_Y292ZXktZGVtby1wYXJ0bmVyLXNpZ25pbmcta2V5ISE=",
} as const;

export interface StandInOffer {
  webhookId: string;
  receivedAt: string;
  deliveries: number;
  payload: { type: string; data: { offer_id: string; respond_url: string } & Record<string, unknown> };
  answer: { decision: "accept" | "reject"; status: number; body: unknown } | null;
}

const KEEP = 100;

export function createPartnerStandIn(opts: { secret?: string; prefix?: string } = {}) {
  const prefix = opts.prefix ?? "/partner-stand-in";
  const verifier = new Webhook(opts.secret ?? DEMO_PARTNER.secret);
  const offers: StandInOffer[] = [];
  const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

  async function receive(req: Request): Promise<Response> {
    const body = await req.text();
    let payload: StandInOffer["payload"];
    try {
      payload = verifier.verify(body, {
        "webhook-id": req.headers.get("webhook-id") ?? "",
        "webhook-timestamp": req.headers.get("webhook-timestamp") ?? "",
        "webhook-signature": req.headers.get("webhook-signature") ?? "",
      }) as StandInOffer["payload"];
    } catch {
      return json({ error: "invalid_signature" }, 401);
    }
    const webhookId = req.headers.get("webhook-id")!;
    // A retry of an offer already here: the same webhook-id, kept once.
    const known = offers.find((o) => o.webhookId === webhookId);
    if (known) known.deliveries++;
    else {
      offers.unshift({ webhookId, receivedAt: new Date().toISOString(), deliveries: 1, payload, answer: null });
      offers.splice(KEEP);
    }
    return json({ received: true });
  }

  async function answer(req: Request, webhookId: string): Promise<Response> {
    const offer = offers.find((o) => o.webhookId === webhookId);
    if (!offer) return json({ error: "not_found" }, 404);
    const input = (await req.json().catch(() => null)) as { decision?: unknown; reason?: unknown } | null;
    if (input?.decision !== "accept" && input?.decision !== "reject") return json({ error: "decision must be accept or reject" }, 422);
    const res = await fetch(offer.payload.data.respond_url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(typeof input.reason === "string" && input.reason ? { decision: input.decision, reason: input.reason } : { decision: input.decision }),
    });
    const body = await res.json().catch(() => null);
    offer.answer = { decision: input.decision, status: res.status, body };
    return json(offer.answer);
  }

  return {
    offers,
    async handle(req: Request): Promise<Response> {
      const path = new URL(req.url).pathname.slice(prefix.length).replace(/\/+$/, "");
      if (path === "/offers" && req.method === "POST") return receive(req);
      if (path === "/offers" && req.method === "GET") return json(offers);
      const m = /^\/offers\/([^/]+)\/answer$/.exec(path);
      if (m && req.method === "POST") return answer(req, decodeURIComponent(m[1]));
      return json({ error: "not_found" }, 404);
    },
  };
}
