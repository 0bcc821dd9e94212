// A partner's answer by machine: a POST to the offer's link (`/p/{token}`,
// which proxy.ts hands here unless it is the page's own server action) with
// `{ "decision": "accept" | "reject", "reason"? }`, or an empty POST to the
// `accept_url` / `reject_url` of the webhook (`?decision=…`). Answered in
// JSON. The token is the credential, as on the page: single use, expiring,
// and it opens only its own offer.
import { z } from "zod";
import { DomainError, errorResponse, invalidFields, parseInput } from "@/lib/errors";
import { answerOffer, loadOffer } from "./offer";

const MAX_BODY_BYTES = 16 * 1024;
const DECISIONS = { accept: "accepted", reject: "rejected" } as const;

const answerBody = z.object(
  {
    decision: z.enum(["accept", "reject"], "Send accept or reject").optional(),
    reason: z.string("Send the reason as text").trim().max(1000, "At most 1,000 characters").optional(),
  },
  "Send a JSON object",
).strict();

async function readAnswer(request: Request): Promise<z.output<typeof answerBody>> {
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > MAX_BODY_BYTES) throw new DomainError("payload_too_large", "The answer is larger than 16 KB.");
  if (!text.trim()) return {};
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new DomainError("unsupported_media_type", "Send the answer as Content-Type: application/json.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new DomainError("invalid_json", `The body is not valid JSON: ${(e as Error).message}`);
  }
  return parseInput(answerBody, body);
}

const CLOSED = {
  accepted: "This offer was already answered: the lead was accepted.",
  rejected: "This offer was already answered: the lead was declined.",
  expired: "This offer has expired and the lead has gone to someone else.",
  failed: "This offer ended because it could not be delivered; the lead has gone to someone else.",
} as const;

export async function answerOfferRequest(request: Request, token: string, log: (e: unknown) => void): Promise<Response> {
  const noStore = { "cache-control": "no-store" };
  try {
    const body = await readAnswer(request);
    const fromQuery = new URL(request.url).searchParams.get("decision");
    if (fromQuery !== null && !(fromQuery in DECISIONS)) throw invalidFields({ decision: "Send accept or reject" });
    if (body.decision && fromQuery && body.decision !== fromQuery) {
      throw invalidFields({ decision: `The body says ${body.decision} but the URL says ${fromQuery}` });
    }
    const decision = body.decision ?? (fromQuery as keyof typeof DECISIONS | null);
    if (!decision) throw invalidFields({ decision: "Send accept or reject" });
    if (decision === "accept" && body.reason) throw invalidFields({ reason: "A reason goes with a rejection only" });

    const offer = await loadOffer(token);
    if (!offer) throw new DomainError("not_found", "This link does not open an offer.");
    const answer = await answerOffer(token, offer.delivery_id, DECISIONS[decision], body.reason || null);
    switch (answer.outcome) {
      case "accepted":
        return Response.json({ offer_id: offer.delivery_id, status: "accepted", lead: answer.lead }, { headers: noStore });
      case "rejected":
        return Response.json({ offer_id: offer.delivery_id, status: "rejected" }, { headers: noStore });
      case "expired":
        throw new DomainError("gone", CLOSED.expired, { data: { offer_id: offer.delivery_id, status: "expired" } });
      case "answered":
        throw new DomainError(answer.status === "expired" || answer.status === "failed" ? "gone" : "conflict", CLOSED[answer.status as keyof typeof CLOSED], {
          data: { offer_id: offer.delivery_id, status: answer.status },
        });
      default:
        throw new DomainError("not_found", "This link does not open an offer.");
    }
  } catch (e) {
    return errorResponse(e, log);
  }
}
