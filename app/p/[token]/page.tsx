import { Bird } from "lucide-react";
import type { Metadata } from "next";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTimeWithZone } from "@/lib/time";
import { loadOffer, type Offer } from "@/modules/routing";
import { OfferAnswer } from "@/modules/routing/ui";

export const metadata: Metadata = { title: "Lead offer", robots: { index: false } };

// A partner's link (no account): the offer, only what is needed to decide,
// and Accept / Decline. Times in UTC, named: a partner has no profile zone.
export default async function PartnerOfferPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const offer = await loadOffer(token);
  return (
    <div className="flex min-h-svh flex-col items-center justify-center gap-6 bg-muted/40 p-6">
      <div className="flex items-center gap-2 text-lg font-semibold tracking-tight">
        <span className="flex size-8 items-center justify-center rounded-md bg-primary text-primary-foreground">
          <Bird className="size-5" aria-hidden />
        </span>
        Covey
      </div>
      <main id="main" className="w-full max-w-md">
        <Card>{offer ? <OfferCard offer={offer} token={token} /> : <Invalid />}</Card>
      </main>
    </div>
  );
}

function Invalid() {
  return (
    <CardHeader>
      <CardTitle>
        <h1>Link not valid</h1>
      </CardTitle>
      <CardDescription>This link does not open an offer. Check that you opened the whole link from the email.</CardDescription>
    </CardHeader>
  );
}

const CLOSED: Record<Exclude<Offer["status"], "sent">, string> = {
  accepted: "This link has already been used: you accepted this lead.",
  rejected: "This link has already been used: you declined this lead.",
  expired: "This offer has expired and the lead has gone to someone else.",
  failed: "This offer could not be delivered to you and the lead has gone to someone else.",
};

function OfferCard({ offer, token }: { offer: Offer; token: string }) {
  const l = offer.lead;
  const open = offer.status === "sent" && !offer.expired;
  const closed = offer.status === "sent" ? CLOSED.expired : CLOSED[offer.status];
  const rows: [string, string | null][] = [
    ["First name", l.first_name],
    ["State", l.state],
    ["Company", l.company_name],
    ["Source", l.source],
    ["Received", formatDateTimeWithZone(l.received_at, "UTC")],
  ];
  return (
    <>
      <CardHeader>
        <CardTitle>
          <h1>A lead from {offer.org_name}</h1>
        </CardTitle>
        <CardDescription>
          For {offer.partner_name}.{" "}
          {open ? `Answer by ${formatDateTimeWithZone(offer.expires_at, "UTC")}.` : null}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        {open ? (
          <>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              {rows.map(([label, value]) => (
                <div key={label} className="contents">
                  <dt className="text-muted-foreground">{label}</dt>
                  <dd>{value || "—"}</dd>
                </div>
              ))}
            </dl>
            {l.message && (
              <blockquote className="whitespace-pre-wrap border-l-2 pl-3 text-sm text-muted-foreground">{l.message}</blockquote>
            )}
            <p className="text-sm text-muted-foreground">Accept to see how to reach them. The link works once.</p>
            <OfferAnswer token={token} deliveryId={offer.delivery_id} />
          </>
        ) : (
          <p role="alert" className="text-sm">
            {closed}
          </p>
        )}
      </CardContent>
    </>
  );
}
