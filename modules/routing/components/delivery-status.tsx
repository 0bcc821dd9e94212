import { Badge } from "@/components/ui/badge";
import type { Delivery } from "../queries";

const LABELS: Record<Delivery["status"], string> = {
  sent: "Waiting",
  accepted: "Accepted",
  rejected: "Declined",
  expired: "Expired",
  failed: "Undeliverable",
};

export function DeliveryStatusBadge({ status }: { status: Delivery["status"] }) {
  return <Badge variant={status === "accepted" ? "default" : status === "sent" ? "secondary" : "outline"}>{LABELS[status]}</Badge>;
}
