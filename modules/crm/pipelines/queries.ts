// Pipelines and their stages, read under RLS. Free of React/Next so the
// REST API and the board loader can share them.
import { sql, type Tx } from "@/lib/db";
import type { Role } from "@/lib/auth/permissions";

export interface Stage {
  id: string;
  pipelineId: string;
  name: string;
  position: number;
  probability: number;
  isWon: boolean;
  isLost: boolean;
  restrictedRoles: Role[];
  /** Teams (active ones of the org) whose members may move deals into and out of the stage, besides the roles. */
  restrictedTeamIds: string[];
}

// uuid[] as text[], which the driver reads as an array of strings.
export const stageTeams = sql<string[]>`restricted_team_ids::text[]`.as("restricted_team_ids");

export interface Pipeline {
  id: string;
  name: string;
  /** What its deals are called (null: "Deal"/"Deals"); read them through nounsOf. */
  nounSingular: string | null;
  nounPlural: string | null;
  /** Its deals take the org's sequential numbers (cases: 00042). */
  numbered: boolean;
  /** Each of its deals is about one person, made person first ("New case"). */
  personRequired: boolean;
  position: number;
  archivedAt: Date | null;
  stages: Stage[];
}

/** The org's pipelines in order with their stages; archived ones only when asked. */
export async function listPipelines(tx: Tx, opts: { includeArchived?: boolean } = {}): Promise<Pipeline[]> {
  let q = tx.selectFrom("pipelines").select(["id", "name", "noun_singular", "noun_plural", "numbered", "person_required", "position", "archived_at"]);
  if (!opts.includeArchived) q = q.where("archived_at", "is", null);
  const pipelines = await q.orderBy("position").orderBy("created_at").execute();
  if (!pipelines.length) return [];
  const stages = await tx
    .selectFrom("pipeline_stages")
    .select(["id", "pipeline_id", "name", "position", "probability", "is_won", "is_lost", "restricted_roles", stageTeams])
    .where(
      "pipeline_id",
      "in",
      pipelines.map((p) => p.id),
    )
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  return pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    nounSingular: p.noun_singular,
    nounPlural: p.noun_plural,
    numbered: p.numbered,
    personRequired: p.person_required,
    position: p.position,
    archivedAt: p.archived_at,
    stages: stages.filter((s) => s.pipeline_id === p.id).map(toStage),
  }));
}

export function toStage(s: {
  id: string;
  pipeline_id: string;
  name: string;
  position: number;
  probability: number;
  is_won: boolean;
  is_lost: boolean;
  restricted_roles: string[] | string;
  restricted_team_ids: string[];
}): Stage {
  return {
    id: s.id,
    pipelineId: s.pipeline_id,
    name: s.name,
    position: s.position,
    probability: s.probability,
    isWon: s.is_won,
    isLost: s.is_lost,
    restrictedRoles: parseRoleArray(s.restricted_roles),
    restrictedTeamIds: s.restricted_team_ids,
  };
}

// postgres.js hands enum arrays back as their text form ("{member,manager}").
function parseRoleArray(v: string[] | string): Role[] {
  if (Array.isArray(v)) return v as Role[];
  const inner = v.replace(/^\{|\}$/g, "");
  return (inner ? inner.split(",") : []) as Role[];
}

/** Who a restricted stage lets move deals, in words: "managers", "the Intake team" (owners and admins go without saying). */
export function stageRestrictionWords(stage: Pick<Stage, "restrictedRoles" | "restrictedTeamIds">, teams: readonly { id: string; name: string }[]): string[] {
  const teamWords = teams.filter((t) => stage.restrictedTeamIds.includes(t.id)).map((t) => (/\bteam$/i.test(t.name) ? `the ${t.name}` : `the ${t.name} team`));
  return [...stage.restrictedRoles.map((r) => `${r}s`), ...teamWords];
}

/** A pipeline by id, or the first active one when the id is missing or unknown. */
export async function getPipelineOrDefault(tx: Tx, id: string | undefined): Promise<Pipeline | null> {
  const pipelines = await listPipelines(tx, { includeArchived: true });
  return (
    (id ? pipelines.find((p) => p.id === id) : undefined) ?? pipelines.find((p) => !p.archivedAt) ?? null
  );
}

/**
 * Whether a member with `role`, in the active teams `teamIds`, may move deals
 * into and out of `stage`, as private.guard_deal_stage decides: owners and
 * admins always; anyone when the stage names no role and no team; else a
 * member whose role or one of whose teams it names.
 */
export function canUseStage(role: Role, teamIds: readonly string[], stage: Pick<Stage, "restrictedRoles" | "restrictedTeamIds">): boolean {
  if (role === "owner" || role === "admin") return true;
  if (!stage.restrictedRoles.length && !stage.restrictedTeamIds.length) return true;
  return stage.restrictedRoles.includes(role) || stage.restrictedTeamIds.some((t) => teamIds.includes(t));
}

/** The org's active pipelines' nouns, in order: what navigation names deals by. */
export function listPipelineNouns(tx: Tx) {
  return tx
    .selectFrom("pipelines")
    .select(["id", "noun_singular as nounSingular", "noun_plural as nounPlural"])
    .where("archived_at", "is", null)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
}
