import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { asMember, requireSession } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { formatDateTime } from "@/lib/time";
import { listDealMatches, matchSettingFor, mayMatch } from "../queries";
import { MATCH_FLOW, nextStatus, statusLabel } from "../schema";
import { MatchStepButtons, ProposeMatchButton } from "./match-controls";

const TONE = { matched: "default", declined: "destructive" } as const;

/**
 * The Matches panel of a deal whose pipeline is paired with another (a
 * case's intended parents, intended parents' cases): its matches with their
 * status and history, the next step and Decline, and Propose a match, for
 * whoever may use the matched stages; everyone else reads. Nothing for a
 * deal whose pipeline is not paired.
 */
export async function MatchesPanel({ dealId, pipelineId, open }: { dealId: string; pipelineId: string; open: boolean }) {
  const session = await requireSession();
  const data = await asMember(session, async (tx) => {
    const found = await matchSettingFor(tx, pipelineId);
    if (!found) return null;
    const [matches, may] = await Promise.all([listDealMatches(tx, dealId), mayMatch(tx, found.setting.id)]);
    return { ...found, matches, may };
  });
  if (!data) return null;
  const timeZone = await getTimeZone();
  const sides = { left: data.setting.leftLabel, right: data.setting.rightLabel };
  const otherLabel = data.side === "left" ? sides.right : sides.left;
  const matched = data.matches.some((m) => m.status === "matched");

  return (
    <Card>
      <CardHeader className="flex flex-wrap items-center justify-between gap-2">
        <CardTitle>
          <h2 className="text-base">Matches</h2>
        </CardTitle>
        {data.may && open && !matched ? <ProposeMatchButton dealId={dealId} otherLabel={otherLabel} /> : null}
      </CardHeader>
      <CardContent>
        {data.matches.length === 0 ? (
          <p className="text-sm text-muted-foreground">No matches yet.</p>
        ) : (
          <ul className="grid gap-4" aria-label="Matches">
            {data.matches.map((m) => {
              const next = nextStatus(m.status);
              const step = MATCH_FLOW.indexOf(m.status);
              return (
                <li key={m.id} className="grid gap-2 rounded-md border p-3" data-testid="match">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="grid">
                      <Link href={`/deals/${m.other.id}`} className="font-medium underline-offset-4 hover:underline">
                        {m.other.name}
                      </Link>
                      {m.other.personName && m.other.personName !== m.other.name ? (
                        <span className="text-xs text-muted-foreground">{m.other.personName}</span>
                      ) : null}
                    </span>
                    <Badge variant={TONE[m.status as keyof typeof TONE] ?? "secondary"} data-testid="match-status">
                      {m.statusLabel}
                    </Badge>
                  </div>
                  {step >= 0 ? (
                    <ol className="flex gap-1" aria-label={`Step ${step + 1} of ${MATCH_FLOW.length}: ${m.statusLabel}`}>
                      {MATCH_FLOW.map((s, i) => (
                        <li key={s} title={statusLabel(s, m.sides)} className={`h-1.5 flex-1 rounded-full ${i <= step ? "bg-primary" : "bg-muted"}`} />
                      ))}
                    </ol>
                  ) : null}
                  {m.status === "declined" && m.declineReason ? (
                    <p className="text-sm">
                      {m.declinedBy ? `${m.sides[m.declinedBy]} declined` : "Closed"}: “{m.declineReason}”
                    </p>
                  ) : null}
                  {data.may && next ? (
                    <MatchStepButtons matchId={m.id} status={m.status} nextLabel={statusLabel(next, m.sides)} sides={m.sides} otherName={m.other.name} />
                  ) : null}
                  <details className="text-sm">
                    <summary className="cursor-pointer text-muted-foreground">History</summary>
                    <ol className="mt-2 grid gap-2" aria-label={`History of the match with ${m.other.name}`}>
                      {m.history.map((h, i) => (
                        <li key={i} className="grid border-l-2 pl-3">
                          <span>{h.toLabel}</span>
                          <span className="text-xs text-muted-foreground">
                            {h.by ?? "Covey"} · <time dateTime={h.at.toISOString()}>{formatDateTime(h.at, timeZone)}</time>
                          </span>
                          {h.reason ? <span className="text-xs">“{h.reason}”</span> : null}
                        </li>
                      ))}
                    </ol>
                  </details>
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
