// What Settings → Integrations → Meta shows, read under RLS. The token
// appears only as its last four characters (org_secrets.hint).
import { sql, type Tx } from "@/lib/db";
import type { FieldMapping } from "./mapping";
import type { TokenStatus } from "./token-status";

export interface MetaFormRow {
  id: string;
  formId: string;
  name: string;
  status: string;
  createsLeads: boolean;
  questions: { key: string; label: string; type: string }[];
  mapping: FieldMapping;
  syncedAt: Date;
}

export interface ConversionEventRow {
  id: string;
  /** Null once the lead is deleted: the log keeps what Meta was told. */
  leadId: string | null;
  eventName: string;
  status: string;
  error: string | null;
  sentAt: Date;
}

export interface MetaPageRow {
  id: string;
  pageId: string;
  name: string;
  tokenHint: string;
  tokenStatus: TokenStatus;
  tokenExpiresAt: Date | null;
  tokenCheckedAt: Date | null;
  tokenError: string | null;
  createdAt: Date;
  conversionsDatasetId: string | null;
  forms: MetaFormRow[];
  /** The latest Conversions API sends, newest first. */
  conversions: ConversionEventRow[];
}

const RECENT_CONVERSIONS = 5;

export async function listMetaPages(tx: Tx): Promise<MetaPageRow[]> {
  const pages = await tx
    .selectFrom("meta_pages as p")
    .leftJoin("org_secrets as s", (j) => j.onRef("s.id", "=", "p.token_secret_id").onRef("s.org_id", "=", "p.org_id"))
    .select([
      "p.id",
      "p.page_id",
      "p.name",
      "s.hint",
      "p.token_status",
      "p.token_expires_at",
      "p.token_checked_at",
      "p.token_error",
      "p.created_at",
      "p.conversions_dataset_id",
    ])
    .orderBy("p.created_at")
    .execute();
  const forms = pages.length
    ? await tx
        .selectFrom("meta_lead_forms")
        .select(["id", "page_id", "form_id", "name", "status", "creates_leads", "questions", "field_mapping", "synced_at"])
        .where(
          "page_id",
          "in",
          pages.map((p) => p.id),
        )
        .orderBy("name")
        .execute()
    : [];
  const conversions = pages.length
    ? await tx
        .selectFrom("meta_conversion_events")
        .select(["id", "page_id", "lead_id", "event_name", "status", "error", "sent_at"])
        .where(
          "page_id",
          "in",
          pages.map((p) => p.id),
        )
        .orderBy("sent_at", "desc")
        .orderBy("id", "desc")
        .limit(RECENT_CONVERSIONS * pages.length)
        .execute()
    : [];
  return pages.map((p) => ({
    id: p.id,
    pageId: p.page_id,
    name: p.name,
    tokenHint: p.hint ?? "",
    tokenStatus: p.token_status as TokenStatus,
    tokenExpiresAt: p.token_expires_at,
    tokenCheckedAt: p.token_checked_at,
    tokenError: p.token_error,
    createdAt: p.created_at,
    conversionsDatasetId: p.conversions_dataset_id,
    conversions: conversions
      .filter((c) => c.page_id === p.id)
      .slice(0, RECENT_CONVERSIONS)
      .map((c) => ({ id: String(c.id), leadId: c.lead_id, eventName: c.event_name, status: c.status, error: c.error, sentAt: c.sent_at })),
    forms: forms
      .filter((f) => f.page_id === p.id)
      .map((f) => ({
        id: f.id,
        formId: f.form_id,
        name: f.name,
        status: f.status,
        createsLeads: f.creates_leads,
        questions: f.questions as MetaFormRow["questions"],
        mapping: f.field_mapping as FieldMapping,
        syncedAt: f.synced_at,
      })),
  }));
}

export interface ConversionStageRow {
  /** The lead status that reports the event; null: converted leads, or a deal stage. */
  status: string | null;
  /** The pipeline stage whose deals' Meta leads report the event. */
  stageId: string | null;
  eventName: string;
}

/** The org's Conversions API stages: statuses in their order, Convert, then deal stages in board order. */
export async function listConversionStages(tx: Tx): Promise<ConversionStageRow[]> {
  const rows = await tx
    .selectFrom("meta_conversion_stages as m")
    .leftJoin("lead_statuses as s", (j) => j.onRef("s.org_id", "=", "m.org_id").onRef("s.key", "=", "m.status"))
    .leftJoin("pipeline_stages as ps", "ps.id", "m.stage_id")
    .leftJoin("pipelines as p", "p.id", "ps.pipeline_id")
    .select(["m.status", "m.stage_id", "m.event_name"])
    .orderBy(sql`m.stage_id is not null`)
    .orderBy(sql`s.position is null`)
    .orderBy("s.position")
    .orderBy("p.position")
    .orderBy("ps.position")
    .execute();
  return rows.map((r) => ({ status: r.status, stageId: r.stage_id, eventName: r.event_name }));
}
