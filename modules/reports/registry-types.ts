import type { Tx } from "@/lib/db";
import type { Nouns } from "@/modules/crm/pipelines/ui";
import type { ReportContext } from "./context";
import type { ReportResult } from "./format";

/**
 * One report: a query run in the request's transaction under RLS (a report
 * counts only what the reader may read), returning its rows, its columns and
 * how to chart them. The page frame, the table and the CSV are shared.
 */
export interface ReportDefinition {
  /** Its address: /reports/<slug>, /api/reports/<slug>/csv, and the CSV's file name. */
  slug: string;
  group: "pipeline" | "leads";
  /** Named by what the pipeline calls its deals ("Cases by stage"); `stage` is the stage asked for, if any. */
  title: (noun: Nouns, stage?: string) => string;
  description: (noun: Nouns) => string;
  /** Which controls the page shows, and which parameters the result depends on. */
  uses: { range: boolean; granularity: boolean; pipeline: boolean };
  /** A report that looks at a stage has a stage picker: its label, and the choice that leaves the report's default. */
  stagePicker?: { label: string; default: string };
  run: (tx: Tx, context: ReportContext) => Promise<ReportResult>;
}
