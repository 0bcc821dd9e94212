// The partner's side of an offer, for the link's page (/p/{token}): no
// account, so it runs as service_role and the token is the only key. The
// database holds the token's hash and decides everything else (open,
// answered, expired, the token belonging to the offer the page showed).
import { database, sql } from "@/lib/db";
import { isOfferToken, offerTokenHash } from "./token";

export interface Offer {
  delivery_id: string;
  status: "sent" | "accepted" | "rejected" | "expired" | "failed";
  expired: boolean;
  expires_at: string;
  partner_name: string;
  org_name: string;
  lead: {
    first_name: string | null;
    state: string | null;
    company_name: string | null;
    message: string | null;
    source: string;
    received_at: string;
  };
}

export type OfferAnswer =
  | { outcome: "accepted"; lead: { name: string; email: string | null; phone: string | null; state: string | null; company_name: string | null; message: string | null } }
  | { outcome: "rejected" | "expired" | "unknown" }
  | { outcome: "answered"; status: Offer["status"] };

/** The offer this token opens, or null for a token that is no offer's. */
export async function loadOffer(token: string): Promise<Offer | null> {
  if (!isOfferToken(token)) return null;
  const hash = await offerTokenHash(token);
  const row = await database().asService((tx) =>
    sql<{ offer: Offer | null }>`select private.partner_offer(decode(${hash}, 'hex')) as offer`.execute(tx),
  );
  return row.rows[0]?.offer ?? null;
}

/** Accepts or rejects the offer `deliveryId` with its token; once only. */
export async function answerOffer(token: string, deliveryId: string, answer: "accepted" | "rejected", reason?: string | null): Promise<OfferAnswer> {
  if (!isOfferToken(token) || !/^[0-9a-f-]{36}$/i.test(deliveryId)) return { outcome: "unknown" };
  const hash = await offerTokenHash(token);
  const row = await database().asService((tx) =>
    sql<{ answer: OfferAnswer }>`select private.answer_partner_offer(${deliveryId}::uuid, decode(${hash}, 'hex'), ${answer}, ${reason ?? null}) as answer`.execute(tx),
  );
  return row.rows[0]!.answer;
}
