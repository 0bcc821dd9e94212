"use server";

// The embedded runtime's stand-in for a partner's system answering an offer
// (supabase/local/partner-stand-in.ts): asked here, it POSTs the JSON
// answer to the offer's link, as a partner's own system would. Refused
// anywhere but the embedded runtime.
import { revalidatePath } from "next/cache";
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { isEmbedded } from "@/lib/env";

export async function answerAsDemoPartner(webhookId: string, decision: "accept" | "reject"): Promise<ActionResult<{ status: number }>> {
  if (!isEmbedded()) return fail("The partner dev page exists only on the embedded runtime (npm start).");
  const apiUrl = process.env.NEXT_PUBLIC_SUPABASE_URL;
  if (!apiUrl) return fail("The local API is not set: start Covey with npm start.");
  if (decision !== "accept" && decision !== "reject") return fail("Accept or reject the offer.");
  const res = await fetch(`${apiUrl}/partner-stand-in/offers/${encodeURIComponent(webhookId)}/answer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(decision === "reject" ? { decision, reason: "Declined from /dev/partner" } : { decision }),
  });
  if (!res.ok) return fail(`The partner stand-in refused the answer (${res.status}).`);
  const { status } = (await res.json()) as { status: number };
  revalidatePath("/dev/partner");
  return ok({ status });
}
