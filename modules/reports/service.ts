// Running a report for a reader: its parameters from the query string, its
// context under RLS, its rows, and the names the page and the file carry.

import type { Tx } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { dayKey } from "@/lib/time";
import { DEFAULT_NOUNS } from "@/modules/crm/pipelines/ui";
import { listReportPipelines, loadContext, type ReportContext } from "./context";
import { type Column, csvCellText, type ReportResult } from "./format";
import { GRANULARITY_LABELS, parseReportParams } from "./params";
import { reportOf } from "./registry";
import type { ReportDefinition } from "./registry-types";

export interface ReportRun {
  definition: ReportDefinition;
  context: ReportContext;
  result: ReportResult;
  title: string;
  description: string;
  /** The reader's today (`YYYY-MM-DD`), from which presets count back. */
  today: string;
  /** "cases-by-owner-2026-11-08-to-2026-12-07.csv": the report as titled, and its range (or the day, for a snapshot). */
  fileName: string;
}

const slugify = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** The report `slug` as `query` asks for it, for a reader in `timeZone`; unknown reports are a 404, bad parameters a 400 naming them. */
export async function runReport(tx: Tx, slug: string, query: URLSearchParams, timeZone: string, now = new Date()): Promise<ReportRun> {
  const definition = reportOf(slug);
  if (!definition) throw notFound("There is no such report.");
  const today = dayKey(now, timeZone);
  const params = parseReportParams(query, today);
  const context = await loadContext(tx, params, timeZone);
  const drawn = await definition.run(tx, context);
  // A period column is named by its buckets, on the page and in the file alike.
  const result = { ...drawn, columns: drawn.columns.map((c) => (c.kind === "period" ? { ...c, label: GRANULARITY_LABELS[params.granularity] } : c)) };
  const noun = context.pipeline?.noun ?? DEFAULT_NOUNS;
  const title = definition.title(noun, context.stage?.name);
  const span = definition.uses.range ? `${params.from}-to-${params.to}` : today;
  return { definition, context, result, title, description: definition.description(noun), today, fileName: `${slugify(title)}-${span}.csv` };
}

/** The CSV of a run: its columns as headers and its rows, each cell as the table shows it. */
export function reportCsvRows(run: ReportRun): { headers: string[]; rows: (string | null)[][] } {
  const { columns, rows } = run.result;
  const g = run.context.params.granularity;
  return {
    headers: columns.map((c: Column) => c.label),
    rows: rows.map((row) => columns.map((c) => csvCellText(c, row[c.key], g))),
  };
}

/** The report's title for the browser tab, named by the asked-for pipeline (else the first); parameters are not checked here, the page does. */
export async function reportTitle(tx: Tx, slug: string, query: URLSearchParams): Promise<string | null> {
  const definition = reportOf(slug);
  if (!definition) return null;
  const pipelines = await listReportPipelines(tx);
  const pipeline = pipelines.find((p) => p.id === query.get("pipeline")) ?? pipelines[0];
  return definition.title(pipeline?.noun ?? DEFAULT_NOUNS);
}
