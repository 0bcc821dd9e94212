import Link from "next/link";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { asMember, type Session } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/time";
import { listDealLeadSources } from "../source-deals";

const IDS: [string, string][] = [
  ["campaign_id", "campaign"],
  ["adgroup_id", "ad set"],
  ["ad_id", "ad"],
  ["form_id", "form"],
];

/**
 * A deal's "Source" card: the leads it came from, each as "Source: Meta ·
 * campaign …, form …" with a link to the lead's attribution. Renders nothing
 * for a deal no lead became. Fetches for itself, so the deal page only
 * places it.
 */
export async function DealLeadSources(props: { session: Session; dealId: string; timeZone: string }) {
  const sources = await asMember(props.session, (tx) => listDealLeadSources(tx, props.dealId));
  if (!sources.length) return null;
  return (
    <Card role="region" aria-labelledby="deal-source-heading">
      <CardHeader>
        <CardTitle className="text-base">
          <h2 id="deal-source-heading">Source</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <ul className="grid gap-3 text-sm" aria-label="Leads this came from">
          {sources.map((s) => {
            const ids = IDS.filter(([k]) => s.attribution[k]).map(([k, label]) => `${label} ${s.attribution[k]}`);
            const utm = s.utm.campaign ? [`UTM campaign ${s.utm.campaign}`] : [];
            return (
              <li key={s.leadId} className="grid gap-0.5" data-testid="deal-lead-source">
                <span>
                  Source: <strong className="font-medium">{s.sourceLabel}</strong>
                  {[...ids, ...utm].length ? <> · {[...ids, ...utm].join(", ")}</> : null}
                </span>
                <span className="text-xs text-muted-foreground">
                  <Link className="underline-offset-4 hover:underline" href={`/leads/${s.leadId}`}>
                    Lead
                  </Link>{" "}
                  received <time dateTime={s.receivedAt.toISOString()}>{formatDateTime(s.receivedAt, props.timeZone)}</time>
                </span>
              </li>
            );
          })}
        </ul>
      </CardContent>
    </Card>
  );
}
