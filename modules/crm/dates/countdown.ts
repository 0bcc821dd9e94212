// How far a calendar date is from today (both YYYY-MM-DD, today in the
// reader's zone), in whole days and in words. Pure, so pages, components and
// tests agree.

export function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** "today", "tomorrow", "in 3 days", "yesterday", "5 days ago". */
export function countdown(today: string, date: string): string {
  const n = daysBetween(today, date);
  if (n === 0) return "today";
  if (n === 1) return "tomorrow";
  if (n === -1) return "yesterday";
  return n > 0 ? `in ${n} days` : `${-n} days ago`;
}
