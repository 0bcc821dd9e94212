import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { isEmbedded } from "@/lib/env";
import { formatDateTimeWithZone } from "@/lib/time";
import { DevPartnerAnswer } from "@/modules/routing/ui";

export const metadata: Metadata = { title: "Dev: partner" };
export const dynamic = "force-dynamic";

interface StandInOffer {
  webhookId: string;
  receivedAt: string;
  deliveries: number;
  payload: {
    data: {
      offer_id: string;
      from: string;
      expires_at: string;
      partner: { name: string };
      lead: { first_name: string | null; state: string | null; source: string; message: string | null };
    };
  };
  answer: { decision: "accept" | "reject"; status: number } | null;
}

/** Plays a fulfillment partner's system receiving signed offers (supabase/local/partner-stand-in.ts). Absent in production. */
export default async function DevPartnerPage() {
  if (!isEmbedded()) notFound();
  const res = await fetch(`${process.env.NEXT_PUBLIC_SUPABASE_URL}/partner-stand-in/offers`, { cache: "no-store" }).catch(() => null);
  const offers = res?.ok ? ((await res.json()) as StandInOffer[]) : null;
  return (
    <main id="main" className="mx-auto grid max-w-2xl gap-4 p-6">
      <h1 className="text-2xl font-semibold">Dev: a partner&apos;s system</h1>
      <p className="text-sm text-muted-foreground">
        Offers Covey POSTed to the demo webhook partner, Cascade Fulfillment, each verified with its signing secret (Standard Webhooks).
        Answering sends the partner&apos;s JSON answer to the offer&apos;s link. Submit a web form lead from Washington (WA) to the demo
        org to see one arrive.
      </p>
      {offers === null ? (
        <p role="alert" className="text-sm text-destructive">
          The partner stand-in is not reachable: start Covey with npm start.
        </p>
      ) : offers.length === 0 ? (
        <p className="text-sm text-muted-foreground">No offers yet.</p>
      ) : (
        offers.map((o) => {
          const d = o.payload.data;
          return (
            <section key={o.webhookId} aria-labelledby={`offer-${o.webhookId}`}>
              <Card>
                <CardHeader>
                  <CardTitle>
                    <h2 id={`offer-${o.webhookId}`}>
                      {d.lead.first_name ?? "A lead"}
                      {d.lead.state ? `, ${d.lead.state}` : ""} · {d.lead.source}
                    </h2>
                  </CardTitle>
                  <CardDescription>
                    From {d.from} to {d.partner.name}, received {formatDateTimeWithZone(o.receivedAt, "UTC")}
                    {o.deliveries > 1 ? ` (delivered ${o.deliveries} times)` : ""}; answer by {formatDateTimeWithZone(d.expires_at, "UTC")}.
                  </CardDescription>
                </CardHeader>
                <CardContent className="flex flex-wrap items-center justify-between gap-3">
                  <Badge variant="outline">Signature verified</Badge>
                  {o.answer ? (
                    <p className="text-sm">
                      {o.answer.decision === "accept" ? "Accepted" : "Declined"}; Covey answered {o.answer.status}.
                    </p>
                  ) : (
                    <DevPartnerAnswer webhookId={o.webhookId} />
                  )}
                </CardContent>
              </Card>
            </section>
          );
        })
      )}
    </main>
  );
}
