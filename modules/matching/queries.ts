// Reads of matching, over a caller's transaction (RLS decides what a member
// sees): the pairing a deal's pipeline is in, a deal's matches with their
// history, and ranked suggestions explained by the pairing's criteria.
import { sql, type Tx } from "@/lib/db";
import { type Criterion, type CriterionOperator, type Fit, byFit, fit, type MatchSubject } from "./criteria";
import { type MatchSide, type MatchStatus, statusLabel } from "./schema";

export interface MatchSetting {
  id: string;
  leftPipelineId: string;
  rightPipelineId: string;
  leftLabel: string;
  rightLabel: string;
  leftMatchedStageId: string | null;
  rightMatchedStageId: string | null;
  leftCandidateStageIds: string[];
  rightCandidateStageIds: string[];
}

/** The pairing a pipeline is in, and which side the pipeline is; null when its deals are not matched. */
export async function matchSettingFor(tx: Tx, pipelineId: string): Promise<{ setting: MatchSetting; side: MatchSide } | null> {
  const row = await tx
    .selectFrom("match_settings")
    .selectAll()
    .where((eb) => eb.or([eb("left_pipeline_id", "=", pipelineId), eb("right_pipeline_id", "=", pipelineId)]))
    .executeTakeFirst();
  if (!row) return null;
  return {
    side: row.left_pipeline_id === pipelineId ? "left" : "right",
    setting: {
      id: row.id,
      leftPipelineId: row.left_pipeline_id,
      rightPipelineId: row.right_pipeline_id,
      leftLabel: row.left_label,
      rightLabel: row.right_label,
      leftMatchedStageId: row.left_matched_stage_id,
      rightMatchedStageId: row.right_matched_stage_id,
      leftCandidateStageIds: row.left_candidate_stage_ids,
      rightCandidateStageIds: row.right_candidate_stage_ids,
    },
  };
}

/** Whether the member may propose and advance this pairing's matches (the database's own answer). */
export async function mayMatch(tx: Tx, settingId: string): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select public.may_match(${settingId}::uuid) as ok`.execute(tx);
  return rows[0]?.ok ?? false;
}

export async function listCriteria(tx: Tx, settingId: string): Promise<Criterion[]> {
  const rows = await tx
    .selectFrom("match_criteria")
    .select(["id", "label", "left_field", "left_term", "operator", "right_field", "right_term", "values"])
    .where("setting_id", "=", settingId)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    leftField: r.left_field,
    leftTerm: r.left_term,
    operator: r.operator as CriterionOperator,
    rightField: r.right_field,
    rightTerm: r.right_term,
    values: r.values,
  }));
}

export interface MatchHistoryEntry {
  from: MatchStatus | null;
  to: MatchStatus;
  toLabel: string;
  by: string | null;
  reason: string | null;
  at: Date;
}

export interface DealMatch {
  id: string;
  status: MatchStatus;
  statusLabel: string;
  /** The side the deal the list is for is on. */
  side: MatchSide;
  sides: { left: string; right: string };
  other: { id: string; name: string; personName: string | null };
  declinedBy: MatchSide | null;
  declineReason: string | null;
  createdAt: Date;
  history: MatchHistoryEntry[];
}

/** The deal's matches, open ones first, newest first within each. */
export async function listDealMatches(tx: Tx, dealId: string): Promise<DealMatch[]> {
  const rows = await tx
    .selectFrom("matches as m")
    .innerJoin("match_settings as s", "s.id", "m.setting_id")
    .innerJoin("deals as o", (j) => j.on(sql<boolean>`o.id = case when m.left_deal_id = ${dealId}::uuid then m.right_deal_id else m.left_deal_id end`))
    .leftJoin("people as p", "p.id", "o.person_id")
    .select([
      "m.id",
      "m.status",
      "m.left_deal_id",
      "m.declined_by",
      "m.decline_reason",
      "m.created_at",
      "s.left_label",
      "s.right_label",
      "o.id as other_id",
      "o.name as other_name",
      "p.full_name as person_name",
    ])
    .where((eb) => eb.or([eb("m.left_deal_id", "=", dealId), eb("m.right_deal_id", "=", dealId)]))
    .orderBy(sql`m.status in ('matched', 'declined')`)
    .orderBy("m.created_at", "desc")
    .execute();
  const history = rows.length
    ? await tx
        .selectFrom("match_status_history as h")
        .leftJoin("profiles as pr", "pr.user_id", "h.changed_by")
        .select(["h.match_id", "h.from_status", "h.to_status", "h.reason", "h.changed_at", sql<string | null>`coalesce(nullif(btrim(pr.full_name), ''), pr.email::text)`.as("by")])
        .where("h.match_id", "in", rows.map((r) => r.id))
        .orderBy("h.id")
        .execute()
    : [];
  return rows.map((r) => {
    const sides = { left: r.left_label, right: r.right_label };
    return {
      id: r.id,
      status: r.status as MatchStatus,
      statusLabel: statusLabel(r.status as MatchStatus, sides),
      side: r.left_deal_id === dealId ? "left" : "right",
      sides,
      other: { id: r.other_id, name: r.other_name, personName: r.person_name },
      declinedBy: r.declined_by as MatchSide | null,
      declineReason: r.decline_reason,
      createdAt: r.created_at,
      history: history
        .filter((h) => h.match_id === r.id)
        .map((h) => ({
          from: h.from_status as MatchStatus | null,
          to: h.to_status as MatchStatus,
          toLabel: statusLabel(h.to_status as MatchStatus, sides),
          by: h.by,
          reason: h.reason,
          at: h.changed_at,
        })),
    };
  });
}

async function subjects(tx: Tx, where: { ids?: string[]; pipelineId?: string; stageIds?: string[] }, limit: number) {
  let q = tx
    .selectFrom("deals as d")
    .innerJoin("pipeline_stages as st", "st.id", "d.stage_id")
    .leftJoin("people as p", "p.id", "d.person_id")
    .select([
      "d.id",
      "d.name",
      "d.value_minor",
      "d.currency",
      "d.custom",
      "d.person_id",
      "st.name as stage_name",
      "p.full_name as person_name",
      "p.state",
      "p.country",
      "p.custom as person_custom",
    ])
    .where("d.archived_at", "is", null);
  if (where.ids) q = q.where("d.id", "in", where.ids);
  if (where.pipelineId) {
    q = q.where("d.pipeline_id", "=", where.pipelineId).where("d.status", "=", "open");
    q = where.stageIds?.length ? q.where("d.stage_id", "in", where.stageIds) : q.where("st.is_won", "=", false).where("st.is_lost", "=", false);
    // Not matched already, with anyone.
    q = q.where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("matches as m").select("m.id").where("m.status", "=", "matched").where((eb) => eb.or([eb("m.left_deal_id", "=", eb.ref("d.id")), eb("m.right_deal_id", "=", eb.ref("d.id"))])))),
    );
  }
  const rows = await q.orderBy("d.created_at", "desc").orderBy("d.id").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    stageName: r.stage_name,
    personName: r.person_name,
    state: r.state,
    subject: {
      valueMinor: Number(r.value_minor),
      currency: r.currency.trim(),
      custom: (r.custom ?? {}) as Record<string, unknown>,
      person: r.person_id ? { state: r.state, country: r.country, custom: (r.person_custom ?? {}) as Record<string, unknown> } : null,
    } satisfies MatchSubject,
  }));
}

export interface Suggestion extends Fit {
  dealId: string;
  name: string;
  stageName: string;
  personName: string | null;
  state: string | null;
}

// Candidates are read whole and ranked here, where the criteria are explained;
// a pipeline's open candidates for matching run to hundreds, not millions.
const CANDIDATE_CAP = 1000;

/**
 * Deals of the partner pipeline that could be matched with `dealId`, best
 * fit first, each with its reasons. Deals already matched, and those with an
 * open match with this deal, are left out. Null when the deal's pipeline is
 * not matched with another.
 */
export async function matchSuggestions(tx: Tx, dealId: string, opts: { limit?: number } = {}): Promise<Suggestion[] | null> {
  const deal = await tx.selectFrom("deals").select(["pipeline_id"]).where("id", "=", dealId).executeTakeFirst();
  if (!deal) return null;
  const found = await matchSettingFor(tx, deal.pipeline_id);
  if (!found) return null;
  const { setting, side } = found;
  const [self] = await subjects(tx, { ids: [dealId] }, 1);
  if (!self) return null;
  const criteria = await listCriteria(tx, setting.id);
  const open = await tx
    .selectFrom("matches")
    .select(sql<string>`case when left_deal_id = ${dealId}::uuid then right_deal_id else left_deal_id end`.as("other"))
    .where((eb) => eb.or([eb("left_deal_id", "=", dealId), eb("right_deal_id", "=", dealId)]))
    .where("status", "<>", "declined")
    .execute();
  const taken = new Set(open.map((o) => o.other));
  const candidates = await subjects(
    tx,
    side === "left"
      ? { pipelineId: setting.rightPipelineId, stageIds: setting.rightCandidateStageIds }
      : { pipelineId: setting.leftPipelineId, stageIds: setting.leftCandidateStageIds },
    CANDIDATE_CAP,
  );
  return candidates
    .filter((c) => !taken.has(c.id))
    .map((c) => ({
      dealId: c.id,
      name: c.name,
      stageName: c.stageName,
      personName: c.personName,
      state: c.state,
      ...(side === "left" ? fit(criteria, self.subject, c.subject) : fit(criteria, c.subject, self.subject)),
    }))
    .sort(byFit)
    .slice(0, opts.limit ?? 50);
}
