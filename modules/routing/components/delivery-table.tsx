import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/lib/time";
import type { Delivery } from "../queries";
import { DeliveryStatusBadge } from "./delivery-status";

/** Offers with their answers; `showLead` off on a lead's own page. */
export function DeliveryTable({ deliveries, zone, showLead = true }: { deliveries: Delivery[]; zone: string; showLead?: boolean }) {
  return (
    <div className="overflow-x-auto">
      <Table aria-label="Partner offers">
        <TableHeader>
          <TableRow>
            {showLead ? <TableHead>Lead</TableHead> : null}
            <TableHead>Partner</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Offered</TableHead>
            <TableHead>Answered or expires</TableHead>
            <TableHead>Rule</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {deliveries.map((d) => (
            <TableRow key={d.id}>
              {showLead ? (
                <TableCell>
                  <Link href={`/leads/${d.lead_id}`} className="underline-offset-4 hover:underline">
                    {d.lead_name}
                  </Link>
                </TableCell>
              ) : null}
              <TableCell>{d.partner_name}</TableCell>
              <TableCell className="whitespace-normal">
                <DeliveryStatusBadge status={d.status} />
                {d.reason ? <p className="mt-1 max-w-xs text-xs text-muted-foreground">“{d.reason}”</p> : null}
              </TableCell>
              <TableCell>{formatDateTime(d.created_at, zone)}</TableCell>
              <TableCell>{formatDateTime(d.responded_at ?? d.expires_at, zone)}</TableCell>
              <TableCell>{d.rule_name ?? "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
