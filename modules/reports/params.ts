// What a report is asked for, read from the page's URL and the CSV link's
// alike (both carry the same query string): a range of calendar days in the
// reader's time zone, a bucket size, and a pipeline and stage where the
// report has them. Pure, so the controls in the browser and the server agree.

import { DomainError } from "@/lib/errors";

export const PRESETS = ["7d", "30d", "90d", "month", "custom"] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_LABELS: Record<Preset, string> = {
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  month: "This month",
  custom: "Custom",
};

export const GRANULARITIES = ["day", "week", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const GRANULARITY_LABELS: Record<Granularity, string> = { day: "Day", week: "Week", month: "Month" };

export interface ReportParams {
  preset: Preset;
  /** First and last calendar day of the range, inclusive (`YYYY-MM-DD`, the reader's zone). */
  from: string;
  to: string;
  granularity: Granularity;
  pipelineId: string | null;
  stageId: string | null;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** About ten years: enough for any look back, small enough that a month series stays a chart. */
const MAX_RANGE_DAYS = 3660;
/** A day series longer than a year is no longer readable as bars. */
const MAX_DAY_BUCKETS = 366;

const dayMs = 86_400_000;
const toUtc = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `day` moved by `n` calendar days. */
export function addDays(day: string, n: number): string {
  return fromUtc(toUtc(day) + n * dayMs);
}

/** Calendar days from `from` to `to`, both counted. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / dayMs) + 1;
}

function isDay(value: string): boolean {
  return DAY_RE.test(value) && !Number.isNaN(toUtc(value)) && fromUtc(toUtc(value)) === value;
}

/** The days a preset covers, ending today (the reader's today). */
export function presetRange(preset: Exclude<Preset, "custom">, today: string): { from: string; to: string } {
  switch (preset) {
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "90d":
      return { from: addDays(today, -89), to: today };
    case "month":
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

const refuse = (param: string, message: string) => new DomainError("invalid_query", message, { details: { [param]: [message] } });

/**
 * The report's parameters from a query string: `range` (a preset, or custom
 * with `from` and `to`), `by` (day, week, month), `pipeline` and `stage` (ids).
 * Without `range`, `from` and `to` make a custom range; without either, the
 * last 30 days by day. A bad value is refused naming its parameter.
 */
export function parseReportParams(query: URLSearchParams, today: string): ReportParams {
  const rawRange = query.get("range");
  const rawFrom = query.get("from") || null;
  const rawTo = query.get("to") || null;
  let preset: Preset;
  if (rawRange === null || rawRange === "") preset = rawFrom || rawTo ? "custom" : "30d";
  else if ((PRESETS as readonly string[]).includes(rawRange)) preset = rawRange as Preset;
  else throw refuse("range", `Range must be one of ${PRESETS.join(", ")}.`);

  let from: string;
  let to: string;
  if (preset === "custom") {
    if (!rawFrom) throw refuse("from", "Choose the first day of the range.");
    if (!rawTo) throw refuse("to", "Choose the last day of the range.");
    if (!isDay(rawFrom)) throw refuse("from", "The first day must be a date (YYYY-MM-DD).");
    if (!isDay(rawTo)) throw refuse("to", "The last day must be a date (YYYY-MM-DD).");
    from = rawFrom;
    to = rawTo;
    if (from > to) throw refuse("from", "The first day must be on or before the last day.");
    if (daysBetween(from, to) > MAX_RANGE_DAYS) throw refuse("from", "The range can be at most ten years.");
  } else {
    ({ from, to } = presetRange(preset, today));
  }

  const rawBy = query.get("by");
  let granularity: Granularity;
  if (!rawBy) granularity = daysBetween(from, to) > MAX_DAY_BUCKETS ? "month" : "day";
  else if ((GRANULARITIES as readonly string[]).includes(rawBy)) granularity = rawBy as Granularity;
  else throw refuse("by", `Group by day, week or month.`);
  if (granularity === "day" && daysBetween(from, to) > MAX_DAY_BUCKETS) {
    throw refuse("by", "Group a range longer than a year by week or month.");
  }

  const pipelineId = query.get("pipeline") || null;
  if (pipelineId && !UUID_RE.test(pipelineId)) throw refuse("pipeline", "There is no pipeline with this id.");
  const stageId = query.get("stage") || null;
  if (stageId && !UUID_RE.test(stageId)) throw refuse("stage", "There is no stage with this id.");
  return { preset, from, to, granularity, pipelineId, stageId };
}

/** The query string that asks for `params` (a preset by name, a custom range by its days). */
export function reportQuery(params: ReportParams, overrides: Partial<ReportParams> = {}): string {
  const p = { ...params, ...overrides };
  const q = new URLSearchParams();
  if (p.preset === "custom") {
    q.set("from", p.from);
    q.set("to", p.to);
  } else {
    q.set("range", p.preset);
  }
  q.set("by", p.granularity);
  if (p.pipelineId) q.set("pipeline", p.pipelineId);
  if (p.stageId) q.set("stage", p.stageId);
  return q.toString();
}
