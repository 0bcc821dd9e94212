// Pipelines and their stages, read under RLS. Free of React/Next so the
// REST API and the board loader can share them.
import type { Tx } from "@/lib/db";
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
}

export interface Pipeline {
  id: string;
  name: string;
  position: number;
  archivedAt: Date | null;
  stages: Stage[];
}

/** The org's pipelines in order with their stages; archived ones only when asked. */
export async function listPipelines(tx: Tx, opts: { includeArchived?: boolean } = {}): Promise<Pipeline[]> {
  let q = tx.selectFrom("pipelines").select(["id", "name", "position", "archived_at"]);
  if (!opts.includeArchived) q = q.where("archived_at", "is", null);
  const pipelines = await q.orderBy("position").orderBy("created_at").execute();
  if (!pipelines.length) return [];
  const stages = await tx
    .selectFrom("pipeline_stages")
    .select(["id", "pipeline_id", "name", "position", "probability", "is_won", "is_lost", "restricted_roles"])
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
  };
}

// postgres.js hands enum arrays back as their text form ("{member,manager}").
function parseRoleArray(v: string[] | string): Role[] {
  if (Array.isArray(v)) return v as Role[];
  const inner = v.replace(/^\{|\}$/g, "");
  return (inner ? inner.split(",") : []) as Role[];
}

/** A pipeline by id, or the first active one when the id is missing or unknown. */
export async function getPipelineOrDefault(tx: Tx, id: string | undefined): Promise<Pipeline | null> {
  const pipelines = await listPipelines(tx, { includeArchived: true });
  return (
    (id ? pipelines.find((p) => p.id === id) : undefined) ?? pipelines.find((p) => !p.archivedAt) ?? null
  );
}

/** Whether `role` may move deals into and out of `stage` (owners and admins always may). */
export function canUseStage(role: Role, stage: Pick<Stage, "restrictedRoles">): boolean {
  return role === "owner" || role === "admin" || !stage.restrictedRoles.length || stage.restrictedRoles.includes(role);
}
