import { Badge } from "@/components/ui/badge";
import type { EndpointStatus } from "../queries";

const LABELS: Record<EndpointStatus, string> = {
  enabled: "Enabled",
  disabled: "Disabled",
  failing: "Disabled: failing",
};

const VARIANTS = { enabled: "secondary", disabled: "outline", failing: "destructive" } as const;

export function EndpointStatusBadge({ status }: { status: EndpointStatus }) {
  return <Badge variant={VARIANTS[status]}>{LABELS[status]}</Badge>;
}

/** An HTTP status or the transport error of an attempt, as a compact badge. */
export function OutcomeBadge(props: { succeeded: boolean; statusCode: number | null; error: string | null }) {
  const text = props.statusCode ? String(props.statusCode) : (props.error ?? "failed");
  return (
    <Badge variant={props.succeeded ? "secondary" : "destructive"} className="font-mono">
      {props.succeeded ? "✓ " : "✗ "}
      {text}
    </Badge>
  );
}
