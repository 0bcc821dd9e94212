// Fractional card positions: a moved card takes the midpoint of its new
// neighbours, so one row changes per move. Doubles halve their gap on every
// insert at the same place, so a column is renumbered once gaps get tiny.

export const POSITION_STEP = 1024;
const MIN_GAP = 1e-6;

/** The position between two neighbours (null: the column's edge). */
export function positionBetween(before: number | null, after: number | null): number {
  if (before === null && after === null) return POSITION_STEP;
  if (before === null) return after! - POSITION_STEP;
  if (after === null) return before + POSITION_STEP;
  return (before + after) / 2;
}

/** True when the neighbours are too close (or out of order) for a midpoint to sort between them. */
export function needsRenumber(before: number | null, after: number | null): boolean {
  if (before === null || after === null) return false;
  const mid = (before + after) / 2;
  return !(after - before > MIN_GAP && mid > before && mid < after);
}
