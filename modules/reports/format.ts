// A report's result and how its cells read: the table on the page and the
// CSV download write each cell through these functions, so the file holds
// exactly the rows and figures the page shows. Browser-safe.

import { formatCalendarDate } from "@/lib/time";
import type { Granularity } from "./params";

/**
 * `period`: a bucket's first day (`YYYY-MM-DD`); `count`: a whole number;
 * `days`: a duration in days (one decimal); `percent`: a share from 0 to 100;
 * `money`: amounts per currency (a report may sum deals in several).
 */
export type ColumnKind = "text" | "period" | "count" | "days" | "percent" | "money";

export interface Column {
  key: string;
  label: string;
  kind: ColumnKind;
}

/** A decimal amount (major units, e.g. "1250.50") in a currency. */
export interface Amount {
  currency: string;
  amount: string;
}

export type Cell = string | number | null | Amount[];
export type Row = Record<string, Cell>;

export interface ChartSpec {
  /** `bar`: bars side by side; `stacked`: one bar per row split by series; `line`: a trend; `funnel`: horizontal bars. */
  kind: "bar" | "stacked" | "line" | "funnel";
  /** The column naming each row (the x axis, or the funnel's steps). */
  x: string;
  /** The columns drawn, each a number column. */
  series: string[];
}

export interface ReportResult {
  columns: Column[];
  rows: Row[];
  chart: ChartSpec;
  /** Said under the title: what the figures count, in the reader's words. */
  note?: string;
}

const number = new Intl.NumberFormat("en-US");
const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function money({ currency, amount }: Amount): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

/** "Dec 7, 2026", "Week of Dec 7, 2026", "Dec 2026": a bucket as people name it. */
export function periodLabel(day: string, granularity: Granularity): string {
  if (granularity === "month") {
    return new Intl.DateTimeFormat("en-US", { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
  }
  const date = formatCalendarDate(day);
  return granularity === "week" ? `Week of ${date}` : date;
}

/** A cell as the table shows it; an empty cell (nothing to divide by, no currency) is a dash. */
export function cellText(column: Column, value: Cell | undefined, granularity: Granularity): string {
  if (value === null || value === undefined) return "—";
  switch (column.kind) {
    case "period":
      return periodLabel(String(value), granularity);
    case "count":
      return number.format(Number(value));
    case "days":
      return oneDecimal.format(Number(value));
    case "percent":
      return `${oneDecimal.format(Number(value))}%`;
    case "money":
      return Array.isArray(value) && value.length ? value.map(money).join("; ") : "—";
    default:
      return String(value);
  }
}

/**
 * A cell as the CSV holds it: what the table shows, except a period, written
 * as its first day (`2026-12-07`) so a spreadsheet sorts it, an empty cell,
 * left empty, and bare numbers without thousands separators.
 */
export function csvCellText(column: Column, value: Cell | undefined, granularity: Granularity): string | null {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case "period":
      return String(value);
    case "count":
      return String(value);
    case "days":
      return Number(value).toFixed(1);
    case "percent":
      return `${Number(value).toFixed(1)}%`;
    case "money":
      return Array.isArray(value) && value.length ? value.map(money).join("; ") : null;
    default:
      return cellText(column, value, granularity);
  }
}
