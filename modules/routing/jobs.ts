// The routing jobs, run by the `jobs` Edge Function (Deno):
//   partners.deliver   emails one offer to its partner with a fresh link
//   partners.expire    every minute: offers past their time end and the
//                      leads are routed on (private.expire_partner_offers)
import type { JobHandler } from "../jobs/edge.ts";
import { PermanentJobError } from "../jobs/edge.ts";
import { sendMailFromEdge } from "../../lib/mail/edge.ts";
import { partnerOfferEmail } from "./offer-email.ts";
import { newOfferToken, offerTokenHash } from "./token.ts";

export const deliverToPartner: JobHandler = async (job, ctx) => {
  const deliveryId = (job.payload as { delivery_id?: unknown } | null)?.delivery_id;
  if (typeof deliveryId !== "string" || !job.orgId) throw new PermanentJobError("partners.deliver needs a delivery_id and an org");
  const appUrl = (ctx.env("APP_URL") || "http://localhost:3000").replace(/\/+$/, "");
  const token = newOfferToken();
  const [row] = await ctx.sql.unsafe("select private.partner_delivery_sending($1, $2, decode($3, 'hex')) as offer", [
    deliveryId, job.orgId, await offerTokenHash(token),
  ]);
  // Answered, expired or gone since it was queued: nothing to send.
  if (!row?.offer) return;
  const offer = row.offer as OfferToSend;
  await sendMailFromEdge(ctx, {
    to: offer.partner_email,
    orgId: job.orgId,
    ...partnerOfferEmail({
      orgName: offer.org_name,
      partnerName: offer.partner_name,
      state: offer.lead_state,
      source: offer.lead_source,
      url: `${appUrl}/p/${token}`,
      expiresAt: new Date(offer.expires_at),
    }),
  });
};

export const expirePartnerOffers: JobHandler = async (_job, ctx) => {
  await ctx.sql.unsafe("select private.expire_partner_offers()");
};

interface OfferToSend {
  delivery_id: string;
  expires_at: string;
  partner_name: string;
  partner_email: string;
  org_name: string;
  lead_state: string | null;
  lead_source: string;
}
