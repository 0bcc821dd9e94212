// Leads that arrive as deals (migration 20261209600000): a source may name
// the stage of a pipeline where every lead arriving by it becomes a deal at
// once; the database converts in the transaction that inserts the lead.
// Here: reading and setting that per source, owners and admins only, as the
// lead_sources policies say again.

import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { sql, type Tx } from "@/lib/db";
import { fieldError, forbidden, parseInput } from "@/lib/errors";
import { fromDbError, notFound } from "@/modules/crm/records/ui";
import { sourceDealStageSchema } from "./source-deals-schema";

export interface SourceDealTarget {
  key: string;
  label: string;
  archived: boolean;
  /** The stage its arriving leads become deals at; null: they stay leads. */
  stageId: string | null;
}

export async function listSourceDealTargets(tx: Tx): Promise<SourceDealTarget[]> {
  const { rows } = await sql<{ key: string; label: string; archived: boolean; deal_stage_id: string | null }>`
    select s.key, s.label, s.archived_at is not null as archived, s.deal_stage_id
    from public.lead_sources s
    order by s.archived_at is not null, s.position, s.label`.execute(tx);
  return rows.map((r) => ({ key: r.key, label: r.label, archived: r.archived, stageId: r.deal_stage_id }));
}

/** Says where the source's arriving leads become deals (`stageId`), or that they stay leads (null). */
export async function setLeadSourceDealStage(tx: Tx, actor: Actor, input: unknown): Promise<void> {
  if (!can(actor.role, "settings.manage")) throw forbidden("Only owners and admins change lead sources and statuses.");
  const { key, stageId } = parseInput(sourceDealStageSchema, input);
  let pipelineId: string | null = null;
  if (stageId) {
    const stage = await tx
      .selectFrom("pipeline_stages as s")
      .innerJoin("pipelines as p", "p.id", "s.pipeline_id")
      .select(["s.pipeline_id", "s.is_won", "s.is_lost", "p.archived_at"])
      .where("s.id", "=", stageId)
      .executeTakeFirst();
    if (!stage || stage.archived_at) throw fieldError("stageId", "Choose a stage of one of your pipelines");
    if (stage.is_won || stage.is_lost) throw fieldError("stageId", "Choose an open stage: a new deal starts open");
    pipelineId = stage.pipeline_id;
  }
  const row = await tx
    .updateTable("lead_sources")
    .set({ deal_pipeline_id: pipelineId, deal_stage_id: stageId } as never)
    .where("key", "=", key)
    .returning("key")
    .executeTakeFirst()
    .catch((e: unknown) => {
      throw fromDbError(e);
    });
  if (!row) throw notFound("lead source");
}

export interface DealLeadSource {
  leadId: string;
  sourceLabel: string;
  externalId: string | null;
  utm: Record<string, string>;
  attribution: Record<string, string>;
  receivedAt: Date;
}

/** The leads a deal came from (or that joined it), oldest first: where the case came from. */
export async function listDealLeadSources(tx: Tx, dealId: string): Promise<DealLeadSource[]> {
  const rows = await tx
    .selectFrom("leads as l")
    .innerJoin("lead_sources as s", (j) => j.onRef("s.org_id", "=", "l.org_id").onRef("s.key", "=", "l.source"))
    .select(["l.id", "s.label", "l.external_id", "l.utm", "l.attribution", "l.created_at"])
    .where("l.deal_id", "=", dealId)
    .orderBy("l.created_at")
    .orderBy("l.id")
    .execute();
  return rows.map((r) => ({
    leadId: r.id,
    sourceLabel: r.label,
    externalId: r.external_id,
    utm: r.utm as Record<string, string>,
    attribution: r.attribution as Record<string, string>,
    receivedAt: r.created_at,
  }));
}
