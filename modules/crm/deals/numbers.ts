// A deal number as people read and type it: zero-padded to five digits
// (00042), longer numbers as they are.

export const DEAL_NUMBER_DIGITS = 5;

export function formatDealNumber(n: number | string | bigint | null | undefined): string | null {
  if (n === null || n === undefined || n === "") return null;
  return String(n).padStart(DEAL_NUMBER_DIGITS, "0");
}
