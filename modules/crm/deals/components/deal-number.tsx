import { formatDealNumber } from "../numbers";

/** A numbered deal's number beside its name (00042); nothing for a deal without one. */
export function DealNumber(props: { number: string | number | null }) {
  const shown = formatDealNumber(props.number);
  if (!shown) return null;
  return (
    <span className="font-mono text-base font-medium text-muted-foreground tabular-nums" data-testid="deal-number">
      No. {shown}
    </span>
  );
}
