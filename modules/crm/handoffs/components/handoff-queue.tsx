import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/lib/time";
import { formatMoney } from "@/modules/crm/values/ui";
import type { QueuedHandoff } from "../queries";
import { AcceptHandoffButton } from "./accept-handoff-button";
import { DenyHandoffButton } from "./deny-handoff-dialog";

/** The waiting handoffs, oldest first, with accept and deny for the receiving side. */
export function HandoffQueue({ rows, noun, timeZone }: { rows: QueuedHandoff[]; noun: string; timeZone: string }) {
  if (!rows.length) {
    return <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">Nothing is waiting for a handoff.</p>;
  }
  return (
    <div className="rounded-lg border">
      <Table aria-label="Handoff queue">
        <TableHeader>
          <TableRow>
            <TableHead>{noun}</TableHead>
            <TableHead>From</TableHead>
            <TableHead>Submitted by</TableHead>
            <TableHead>Submitted</TableHead>
            <TableHead className="text-right">Value</TableHead>
            <TableHead className="sr-only">Decision</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.id} data-testid="handoff-row">
              <TableCell className="font-medium">
                <Link href={`/deals/${r.dealId}`} className="underline-offset-4 hover:underline">
                  {r.dealName}
                </Link>
                {r.personName && r.personName !== r.dealName ? <span className="block text-xs text-muted-foreground">{r.personName}</span> : null}
              </TableCell>
              <TableCell>{r.fromStageName ?? "—"}</TableCell>
              <TableCell>{r.submittedByName ?? "—"}</TableCell>
              <TableCell>
                <time dateTime={r.submittedAt.toISOString()}>{formatDateTime(r.submittedAt, timeZone)}</time>
              </TableCell>
              <TableCell className="text-right tabular-nums">{r.valueMinor ? formatMoney(r.valueMinor, r.currency) : "—"}</TableCell>
              <TableCell>
                {r.canDecide ? (
                  <div className="flex justify-end gap-2">
                    <AcceptHandoffButton dealId={r.dealId} dealName={r.dealName} size="sm" />
                    <DenyHandoffButton dealId={r.dealId} dealName={r.dealName} size="sm" />
                  </div>
                ) : (
                  <span className="block text-right text-xs text-muted-foreground">For the receiving team</span>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
