// What every report runs with: its parameters, the reader's zone, and the
// pipeline and stage it looks at, read under RLS (a pipeline the reader
// cannot see is one that does not exist), plus the SQL pieces that turn
// calendar days of the reader's zone into instants and buckets.

import type { RawBuilder } from "kysely";
import { sql, type Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { type Nouns, nounsOf } from "@/modules/crm/pipelines/ui";
import { minorToDecimal } from "@/modules/crm/values/ui";
import type { Amount } from "./format";
import type { ReportParams } from "./params";

export interface ReportPipeline {
  id: string;
  name: string;
  /** What its deals are called ("Deal"/"Deals", "Case"/"Cases"). */
  noun: Nouns;
}

export interface ReportStage {
  id: string;
  name: string;
  position: number;
  isWon: boolean;
  isLost: boolean;
}

export interface ReportContext {
  params: ReportParams;
  timeZone: string;
  pipelines: ReportPipeline[];
  /** The chosen pipeline, else the first; null when the org has none. */
  pipeline: ReportPipeline | null;
  /** The pipeline's stages in board order. */
  stages: ReportStage[];
  /** The stage asked for (funnel's end, Meta's "reached"), null when none was. */
  stage: ReportStage | null;
}

const invalid = (param: string, message: string) => new DomainError("invalid_query", message, { details: { [param]: [message] } });

/** The org's live pipelines in their order, each with what it calls its deals. */
export async function listReportPipelines(tx: Tx): Promise<ReportPipeline[]> {
  const rows = await tx
    .selectFrom("pipelines")
    .select(["id", "name", "noun_singular", "noun_plural"])
    .where("archived_at", "is", null)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  return rows.map((p) => ({ id: p.id, name: p.name, noun: nounsOf({ nounSingular: p.noun_singular, nounPlural: p.noun_plural }) }));
}

export async function loadContext(tx: Tx, params: ReportParams, timeZone: string): Promise<ReportContext> {
  const pipelines = await listReportPipelines(tx);
  let pipeline: ReportPipeline | null = pipelines[0] ?? null;
  if (params.pipelineId) {
    pipeline = pipelines.find((p) => p.id === params.pipelineId) ?? null;
    if (!pipeline) throw invalid("pipeline", "There is no pipeline with this id.");
  }
  const stages = pipeline
    ? (
        await tx
          .selectFrom("pipeline_stages")
          .select(["id", "name", "position", "is_won", "is_lost"])
          .where("pipeline_id", "=", pipeline.id)
          .orderBy("position")
          .orderBy("id")
          .execute()
      ).map((s) => ({ id: s.id, name: s.name, position: s.position, isWon: s.is_won, isLost: s.is_lost }))
    : [];
  let stage: ReportStage | null = null;
  if (params.stageId) {
    stage = stages.find((s) => s.id === params.stageId) ?? null;
    if (!stage) throw invalid("stage", "There is no stage with this id in the pipeline.");
  }
  return { params, timeZone, pipelines, pipeline, stages, stage };
}

/** The instant the range's first day begins in the reader's zone. */
export const rangeStart = (c: ReportContext) => sql`(${c.params.from}::date::timestamp at time zone ${c.timeZone})`;
/** The instant after the range's last day ends in the reader's zone. */
export const rangeEnd = (c: ReportContext) => sql`((${c.params.to}::date + 1)::timestamp at time zone ${c.timeZone})`;
/** `column` (an instant) within the range. */
export const inRange = (c: ReportContext, column: RawBuilder<unknown>) => sql`(${column} >= ${rangeStart(c)} and ${column} < ${rangeEnd(c)})`;
/** The first day of the bucket `column` (an instant) falls in, by the reader's calendar (weeks start on Monday). */
export const bucketOf = (c: ReportContext, column: RawBuilder<unknown>) =>
  sql`date_trunc(${c.params.granularity}, ${column} at time zone ${c.timeZone})::date`;
/** Every bucket of the range, empty ones too, as rows of `bucket` (a date). */
export const bucketSeries = (c: ReportContext) => sql`
  select g::date as bucket
  from generate_series(date_trunc(${c.params.granularity}, ${c.params.from}::date::timestamp), ${c.params.to}::date::timestamp,
                       ('1 ' || ${c.params.granularity})::interval) g`;

/** Sums per currency in minor units, as the database aggregates them (`[{currency, minor}]`), in major units. */
export function amounts(value: unknown): Amount[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((v): v is { currency: string; minor: string } => typeof v?.currency === "string" && v.minor !== null && v.minor !== undefined)
    .map((v) => ({ currency: v.currency, amount: minorToDecimal(String(v.minor), v.currency) }));
}

/** `part` as a share of `whole`, in percent with one decimal; null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part * 1000) / whole) / 10 : null;
}
