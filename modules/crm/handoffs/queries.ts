// The handoff queue and a deal's handoff state, read under RLS.
import { sql, type Tx } from "@/lib/db";

// Whether the caller may use a stage (its restricted roles and teams), as
// private.may_use_stage decides, for the stage aliased `alias`.
const mayUse = (alias: string) =>
  sql<boolean>`(private.current_org_role() in ('owner', 'admin')
    or (cardinality(${sql.ref(`${alias}.restricted_roles`)}) = 0 and cardinality(${sql.ref(`${alias}.restricted_team_ids`)}) = 0)
    or coalesce(private.current_org_role() = any (${sql.ref(`${alias}.restricted_roles`)}), false)
    or ${sql.ref(`${alias}.restricted_team_ids`)} && public.member_teams())`;

export interface QueuedHandoff {
  id: string;
  dealId: string;
  dealName: string;
  pipelineId: string;
  pipelineName: string;
  stageName: string;
  fromStageName: string | null;
  personName: string | null;
  valueMinor: number;
  currency: string;
  submittedByName: string | null;
  submittedAt: Date;
  /** Whether the caller is on the receiving side (may accept or deny). */
  canDecide: boolean;
}

/** The handoffs waiting for a decision, oldest first; one pipeline's when given. */
export async function listHandoffQueue(tx: Tx, opts: { pipelineId?: string; limit?: number } = {}): Promise<QueuedHandoff[]> {
  let q = tx
    .selectFrom("deal_handoffs as h")
    .innerJoin("deals as d", "d.id", "h.deal_id")
    .innerJoin("pipelines as p", "p.id", "d.pipeline_id")
    .innerJoin("pipeline_stages as s", "s.id", "d.stage_id")
    .innerJoin("pipeline_stages as a", "a.id", "s.handoff_accept_stage_id")
    .leftJoin("pipeline_stages as f", "f.id", "h.from_stage_id")
    .leftJoin("people as pe", "pe.id", "d.person_id")
    .leftJoin("profiles as u", "u.user_id", "h.submitted_by")
    .select([
      "h.id",
      "h.deal_id",
      "d.name as deal_name",
      "p.id as pipeline_id",
      "p.name as pipeline_name",
      "s.name as stage_name",
      "f.name as from_stage_name",
      sql<string | null>`nullif(btrim(concat_ws(' ', pe.first_name, pe.last_name)), '')`.as("person_name"),
      "d.value_minor",
      "d.currency",
      sql<string | null>`coalesce(nullif(btrim(u.full_name), ''), u.email::text)`.as("submitted_by_name"),
      "h.submitted_at",
      mayUse("a").as("can_decide"),
    ])
    .where("h.decision", "is", null)
    .where("d.archived_at", "is", null);
  if (opts.pipelineId) q = q.where("d.pipeline_id", "=", opts.pipelineId);
  const rows = await q.orderBy("h.submitted_at").orderBy("h.id").limit(opts.limit ?? 500).execute();
  return rows.map((r) => ({
    id: r.id,
    dealId: r.deal_id,
    dealName: r.deal_name,
    pipelineId: r.pipeline_id,
    pipelineName: r.pipeline_name,
    stageName: r.stage_name,
    fromStageName: r.from_stage_name,
    personName: r.person_name,
    valueMinor: Number(r.value_minor),
    currency: r.currency.trim(),
    submittedByName: r.submitted_by_name,
    submittedAt: r.submitted_at,
    canDecide: r.can_decide,
  }));
}

/** How many waiting handoffs the caller may decide: the navigation's badge. */
export async function countHandoffsToDecide(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom("deal_handoffs as h")
    .innerJoin("deals as d", "d.id", "h.deal_id")
    .innerJoin("pipeline_stages as s", "s.id", "d.stage_id")
    .innerJoin("pipeline_stages as a", "a.id", "s.handoff_accept_stage_id")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("h.decision", "is", null)
    .where("d.archived_at", "is", null)
    .where(mayUse("a"))
    .executeTakeFirstOrThrow();
  return row.n;
}

export interface DealHandoffState {
  /** The pipeline's handoff stages the deal could be submitted to (empty while it waits, or when there are none). */
  submitTo: { id: string; name: string }[];
  /** The handoff waiting for a decision, if any. */
  waiting: { submittedByName: string | null; submittedAt: Date; acceptStageName: string; denyStageName: string } | null;
  /** Whether the caller may accept or deny the waiting handoff. */
  canDecide: boolean;
  /** The deal sits in a locked stage the caller may not use: they can look, not change. */
  lockedFor: string | null;
  /** Who may change it then: the stage's teams and roles, in words ("the Case management team"). */
  lockedBy: string[];
  /** What the deal's pipeline calls a deal ("Case"). */
  noun: string;
  /** The last decision, to show why a deal came back. */
  lastDecision: { decision: "accepted" | "denied"; reason: string | null; decidedByName: string | null; decidedAt: Date } | null;
}

export async function getDealHandoffState(tx: Tx, dealId: string): Promise<DealHandoffState | null> {
  const deal = await tx
    .selectFrom("deals as d")
    .innerJoin("pipeline_stages as s", "s.id", "d.stage_id")
    .innerJoin("pipelines as p", "p.id", "d.pipeline_id")
    .leftJoin("pipeline_stages as a", "a.id", "s.handoff_accept_stage_id")
    .leftJoin("pipeline_stages as n", "n.id", "s.handoff_deny_stage_id")
    .select([
      "d.pipeline_id",
      "p.noun_singular",
      sql<string[]>`array(select r::text || 's' from unnest(s.restricted_roles) r)
        || array(select 'the ' || t.name || case when t.name ~* '\mteam$' then '' else ' team' end
                 from public.teams t where t.id = any (s.restricted_team_ids) and t.archived_at is null order by lower(t.name))`.as("stage_users"),
      "s.name as stage_name",
      "s.locked",
      mayUse("s").as("may_use_stage"),
      "a.name as accept_name",
      "n.name as deny_name",
      sql<boolean>`a.id is not null and ${mayUse("a")}`.as("can_decide"),
    ])
    .where("d.id", "=", dealId)
    .executeTakeFirst();
  if (!deal) return null;
  const history = await tx
    .selectFrom("deal_handoffs as h")
    .leftJoin("profiles as sb", "sb.user_id", "h.submitted_by")
    .leftJoin("profiles as db", "db.user_id", "h.decided_by")
    .select([
      "h.decision",
      "h.reason",
      "h.submitted_at",
      "h.decided_at",
      sql<string | null>`coalesce(nullif(btrim(sb.full_name), ''), sb.email::text)`.as("submitted_by_name"),
      sql<string | null>`coalesce(nullif(btrim(db.full_name), ''), db.email::text)`.as("decided_by_name"),
    ])
    .where("h.deal_id", "=", dealId)
    .orderBy("h.submitted_at", "desc")
    .limit(5)
    .execute();
  const open = history.find((h) => h.decision === null);
  const decided = history.find((h) => h.decision === "accepted" || h.decision === "denied");
  const submitTo =
    open || deal.accept_name
      ? []
      : await tx
          .selectFrom("pipeline_stages")
          .select(["id", "name"])
          .where("pipeline_id", "=", deal.pipeline_id)
          .where("handoff_accept_stage_id", "is not", null)
          .orderBy("position")
          .execute();
  return {
    submitTo,
    waiting:
      open && deal.accept_name && deal.deny_name
        ? { submittedByName: open.submitted_by_name, submittedAt: open.submitted_at, acceptStageName: deal.accept_name, denyStageName: deal.deny_name }
        : null,
    canDecide: !!open && deal.can_decide,
    lockedFor: deal.locked && !deal.may_use_stage ? deal.stage_name : null,
    lockedBy: deal.stage_users,
    noun: deal.noun_singular ?? "Deal",
    lastDecision: decided
      ? {
          decision: decided.decision as "accepted" | "denied",
          reason: decided.reason,
          decidedByName: decided.decided_by_name,
          decidedAt: decided.decided_at!,
        }
      : null,
  };
}

/** Settings → Pipelines: every active pipeline's handoff and locked stages. */
export async function listHandoffSettings(tx: Tx) {
  const [pipelines, stages] = await Promise.all([
    tx.selectFrom("pipelines").select(["id", "name", "hide_locked_from_others"]).where("archived_at", "is", null).orderBy("position").orderBy("created_at").execute(),
    tx
      .selectFrom("pipeline_stages")
      .select(["id", "pipeline_id", "name", "handoff_accept_stage_id", "handoff_deny_stage_id", "locked"])
      .orderBy("position")
      .orderBy("created_at")
      .execute(),
  ]);
  return pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    hideLocked: p.hide_locked_from_others,
    stages: stages
      .filter((s) => s.pipeline_id === p.id)
      .map((s) => ({ id: s.id, name: s.name, acceptStageId: s.handoff_accept_stage_id, denyStageId: s.handoff_deny_stage_id, locked: s.locked })),
  }));
}
