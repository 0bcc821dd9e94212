"use server";

// The embedded runtime's stand-in for a person filling in a Facebook lead
// form: the lead is created in the Graph API stand-in, and Meta's webhook
// delivery (signed with the app secret, exactly as Meta signs) is POSTed
// to the real meta-webhook Edge Function on the local API. Refused anywhere
// but the embedded runtime.
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { isEmbedded } from "@/lib/env";
import { devLeadSchema } from "./schema";
import { signMetaPayload } from "./webhook";

export async function sendDevMetaLead(input: unknown): Promise<ActionResult<{ leadgenId: string; status: number }>> {
  if (!isEmbedded()) return fail("The Meta dev page exists only on the embedded runtime (npm start).");
  const parsed = devLeadSchema.safeParse(input);
  if (!parsed.success) return fail("Please correct the highlighted fields.", Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message])));
  const { formId, ...answers } = parsed.data;
  const graphUrl = process.env.META_GRAPH_URL;
  const secret = process.env.META_APP_SECRET;
  const apiUrl = process.env.NEXT_PUBLIC_SUPABASE_URL;
  if (!graphUrl || !secret || !apiUrl) return fail("META_GRAPH_URL, META_APP_SECRET and the local API are not set: start Covey with npm start.");
  const fields = Object.fromEntries(Object.entries(answers).filter(([, v]) => v));
  const created = await fetch(`${graphUrl}/_dev/leads`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ form_id: formId, fields }),
  });
  if (!created.ok) return fail(`The Graph API stand-in refused the lead (${created.status}).`);
  const { leadgen_id, webhook } = (await created.json()) as { leadgen_id: string; webhook: unknown };
  const body = JSON.stringify(webhook);
  const delivered = await fetch(`${apiUrl}/functions/v1/meta-webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": await signMetaPayload(body, secret) },
    body,
  });
  await delivered.body?.cancel();
  if (!delivered.ok) return fail(`The meta-webhook function answered ${delivered.status}.`);
  return ok({ leadgenId: leadgen_id, status: delivered.status });
}
