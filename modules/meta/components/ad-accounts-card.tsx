import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { maskedSecret } from "@/lib/crypto/envelope";
import { formatCalendarDate, formatRelative, formatShortCalendarDate } from "@/lib/time";
import type { AdAccountRow } from "../ad-spend-queries";
import { AdAccountActions, AdAccountEnabledToggle, ConnectAdAccountDialog } from "./ad-account-controls";

/** A decimal string as money of the account's currency, exactly (no float on the way). */
function money(amount: string, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount as `${number}`);
}

/** Settings → Integrations → Meta: each ad account with its last 7 days of spend, leads and cost per lead. */
export function AdAccountsCard(props: { accounts: AdAccountRow[]; canConnect: boolean }) {
  return (
    <Card aria-label="Ad accounts">
      <CardHeader className="flex flex-wrap items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle>Ad accounts</CardTitle>
          <CardDescription>
            Spend per campaign is imported daily, so cost per lead sits beside the leads the campaigns brought. Leads are the Covey leads
            whose Meta campaign is one of the account&apos;s, over the account&apos;s last 7 days.
          </CardDescription>
        </div>
        {props.canConnect ? <ConnectAdAccountDialog /> : null}
      </CardHeader>
      <CardContent>
        {props.accounts.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            No ad account connected. Connect one with its ID and a token with ads_read to see what each lead costs.
          </p>
        ) : (
          <div className="overflow-x-auto">
            <Table aria-label="Ad spend, last 7 days">
              <TableHeader>
                <TableRow>
                  <TableHead>Ad account</TableHead>
                  <TableHead className="text-right">Spend, 7 days</TableHead>
                  <TableHead className="text-right">Leads</TableHead>
                  <TableHead className="text-right">Cost per lead</TableHead>
                  <TableHead>Last import</TableHead>
                  <TableHead>Import</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {props.accounts.map((a) => (
                  <TableRow key={a.id} data-testid={`ad-account-${a.accountId}`} className="[&>td]:align-top">
                    <TableCell className="min-w-72 whitespace-normal">
                      <span className="font-medium">{a.name}</span>
                      <span className="block font-mono text-xs text-muted-foreground">
                        {a.accountId} · {a.currency} · {a.timeZone}
                      </span>
                      <span className="block font-mono text-xs text-muted-foreground" data-testid="ad-account-token">
                        {maskedSecret(a.tokenHint)}
                      </span>
                      {props.canConnect ? (
                        <div className="mt-3">
                          <AdAccountActions id={a.id} name={a.name} accountId={a.accountId} />
                        </div>
                      ) : null}
                    </TableCell>
                    <TableCell className="text-right tabular-nums" data-testid="ad-spend-week">
                      {money(a.week.spend, a.currency)}
                      <span className="block text-xs text-muted-foreground">
                        {formatShortCalendarDate(a.week.from)} – {formatCalendarDate(a.week.to)}
                      </span>
                    </TableCell>
                    <TableCell className="text-right tabular-nums" data-testid="ad-leads-week">
                      {a.week.leads}
                    </TableCell>
                    <TableCell className="text-right tabular-nums" data-testid="ad-cpl-week">
                      {a.week.costPerLead ? money(a.week.costPerLead, a.currency) : "—"}
                    </TableCell>
                    <TableCell className="whitespace-normal">
                      {a.lastImportAt ? (
                        <>
                          {a.lastImportStatus === "failed" ? <Badge variant="destructive">Failed</Badge> : <Badge variant="outline">Imported</Badge>}{" "}
                          <span className="text-muted-foreground">{formatRelative(a.lastImportAt)}</span>
                          {a.lastImportStatus === "failed" && a.lastImportError ? (
                            <span className="block text-xs text-destructive">{a.lastImportError}</span>
                          ) : null}
                        </>
                      ) : (
                        <span className="text-muted-foreground">Waiting for the first import</span>
                      )}
                    </TableCell>
                    <TableCell>{props.canConnect ? <AdAccountEnabledToggle id={a.id} name={a.name} enabled={a.enabled} /> : a.enabled ? "Daily" : "Paused"}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
