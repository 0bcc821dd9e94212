import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/lib/time";
import type { Delivery } from "../queries";
import { DeliveryStatusBadge } from "./delivery-status";

const Reason = ({ reason }: { reason: string | null }) =>
  reason ? <p className="mt-1 max-w-xs text-xs break-words whitespace-normal text-muted-foreground">“{reason}”</p> : null;

/**
 * Offers with their answers. The org's list (Settings → Partners) has a
 * column each; a lead's own (`showLead` off) sits in the lead page's narrow
 * side column, so each offer is two columns of wrapping lines there
 * instead of a table to scroll sideways.
 */
export function DeliveryTable({ deliveries, zone, showLead = true }: { deliveries: Delivery[]; zone: string; showLead?: boolean }) {
  if (!showLead) return <LeadDeliveryTable deliveries={deliveries} zone={zone} />;
  return (
    <div className="overflow-x-auto">
      <Table aria-label="Partner offers">
        <TableHeader>
          <TableRow>
            <TableHead>Lead</TableHead>
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
              <TableCell>
                <Link href={`/leads/${d.lead_id}`} className="underline-offset-4 hover:underline">
                  {d.lead_name}
                </Link>
              </TableCell>
              <TableCell>{d.partner_name}</TableCell>
              <TableCell className="whitespace-normal">
                <DeliveryStatusBadge status={d.status} />
                <Reason reason={d.reason} />
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

const ENDED: Record<Delivery["status"], string> = { sent: "Expires", accepted: "Answered", rejected: "Answered", expired: "Ended", failed: "Ended" };

function LeadDeliveryTable({ deliveries, zone }: { deliveries: Delivery[]; zone: string }) {
  return (
    <Table aria-label="Partner offers">
      <TableHeader>
        <TableRow>
          <TableHead>Offer</TableHead>
          <TableHead className="text-right">Status</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {deliveries.map((d) => (
          <TableRow key={d.id}>
            <TableCell className="whitespace-normal">
              <p className="font-medium">{d.partner_name}</p>
              <p className="text-xs text-muted-foreground">Offered {formatDateTime(d.created_at, zone)}</p>
              <p className="text-xs text-muted-foreground">
                {ENDED[d.status]} {formatDateTime(d.responded_at ?? d.expires_at, zone)}
              </p>
              {d.rule_name ? <p className="text-xs text-muted-foreground">Rule: {d.rule_name}</p> : null}
            </TableCell>
            <TableCell className="text-right align-top whitespace-normal">
              <DeliveryStatusBadge status={d.status} />
              <Reason reason={d.reason} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
