import { Badge } from "@/components/ui/badge";
import { TOKEN_STATUS_LABELS, type TokenStatus } from "../token-status";

const TONE: Record<TokenStatus, string> = {
  unknown: "",
  valid: "border-emerald-600/40 text-emerald-700 dark:text-emerald-400",
  expiring: "border-amber-500/50 text-amber-700 dark:text-amber-400",
  expired: "border-destructive/50 text-destructive",
  invalid: "border-destructive/50 text-destructive",
};

export function TokenStatusBadge({ status }: { status: TokenStatus }) {
  return (
    <Badge variant="outline" className={TONE[status]}>
      {TOKEN_STATUS_LABELS[status]}
    </Badge>
  );
}
