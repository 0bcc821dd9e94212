import { formatDateTime } from "@/lib/time";
import type { Delivery, RoutingEvent } from "../queries";
import { DeliveryTable } from "./delivery-table";
import { RouteAgainButton } from "./route-again-button";

function describe(e: RoutingEvent): string {
  const d = e.data;
  switch (e.kind) {
    case "routed":
      return `Routed by "${d.rule_name}" to ${d.partner_name ? `partner ${d.partner_name}` : (d.user_name ?? "a member")}`;
    case "route_requested":
      return d.routed ? "Routed again on request" : "Routed again on request: no rule took it";
    case "routing_failed":
      return "Routing failed; the lead was kept unassigned";
    case "partner_accepted":
      return `${d.partner_name} accepted the lead`;
    case "partner_rejected":
      return `${d.partner_name} declined the lead${d.reason ? `: “${d.reason}”` : ""}`;
    case "partner_expired":
      return `${d.partner_name} did not answer in time`;
    case "partner_failed":
      return `The offer could not be delivered to ${d.partner_name}`;
  }
}

/** A lead's routing: which rules took it and partners' answers; `deliveries` empty below manager. */
export function LeadRouting(props: { leadId: string; history: RoutingEvent[]; deliveries: Delivery[]; zone: string; canRoute: boolean }) {
  return (
    <section aria-labelledby="lead-routing-heading" className="grid gap-3">
      <div className="flex items-center justify-between gap-2">
        <h2 id="lead-routing-heading" className="text-base font-semibold">
          Routing
        </h2>
        {props.canRoute ? <RouteAgainButton leadId={props.leadId} /> : null}
      </div>
      {props.history.length ? (
        <ol className="grid gap-1 text-sm">
          {props.history.map((e) => (
            <li key={e.id} className="flex flex-wrap gap-x-2">
              <span className="text-muted-foreground">{formatDateTime(e.occurred_at, props.zone)}</span>
              <span>{describe(e)}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-muted-foreground">No rule has routed this lead.</p>
      )}
      {props.deliveries.length ? <DeliveryTable deliveries={props.deliveries} zone={props.zone} showLead={false} /> : null}
    </section>
  );
}
