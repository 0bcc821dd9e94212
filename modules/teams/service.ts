// Team settings. Plain functions over a transaction so server actions and
// tests share them; RLS limits writes to owners and admins, the actions
// check `members.manage` first for a friendlier answer.
import type { Tx } from "@/lib/db";
import { isUniqueViolation, pgError, pgHint, throwRefusal } from "@/lib/db/errors";
import { conflict, forbidden, invalidFields, notFound, parseInput } from "@/lib/errors";
import { teamCreateSchema, teamIdSchema, teamMemberSchema, teamUpdateSchema } from "./schema";

const teamGone = () => notFound("That team no longer exists.");

function refused(e: unknown, name?: string): never {
  if (isUniqueViolation(e)) {
    throw conflict(`A team called "${name}" already exists (archived teams keep their names).`, {
      details: { name: ["Another team already has this name"] },
    });
  }
  if (pgHint(e) === "team_in_use") throw conflict(pgError(e)!.message!);
  throwRefusal(e, { forbidden: () => forbidden("Only owners and admins can change teams.") });
}

export async function createTeam(tx: Tx, orgId: string, input: unknown): Promise<{ id: string }> {
  const v = parseInput(teamCreateSchema, input);
  try {
    return await tx.insertInto("teams").values({ org_id: orgId, name: v.name, description: v.description }).returning("id").executeTakeFirstOrThrow();
  } catch (e) {
    refused(e, v.name);
  }
}

export async function updateTeam(tx: Tx, input: unknown): Promise<void> {
  const v = parseInput(teamUpdateSchema, input);
  try {
    const row = await tx
      .updateTable("teams")
      .set({ name: v.name, description: v.description })
      .where("id", "=", v.id)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw teamGone();
  } catch (e) {
    refused(e, v.name);
  }
}

/** Archives or restores a team. A team a stage restriction or a number names stays active (the database says which). */
export async function archiveTeam(tx: Tx, input: unknown, archived: boolean): Promise<void> {
  const v = parseInput(teamIdSchema, input);
  try {
    const row = await tx
      .updateTable("teams")
      .set({ archived_at: archived ? new Date() : null })
      .where("id", "=", v.id)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw teamGone();
  } catch (e) {
    refused(e);
  }
}

export async function addTeamMember(tx: Tx, orgId: string, input: unknown): Promise<void> {
  const v = parseInput(teamMemberSchema, input);
  try {
    const team = await tx.selectFrom("teams").select(["id", "archived_at"]).where("id", "=", v.teamId).executeTakeFirst();
    if (!team) throw teamGone();
    if (team.archived_at) throw conflict("This team is archived. Restore it before adding members.");
    const member = await tx.selectFrom("org_members").select("user_id").where("user_id", "=", v.userId).executeTakeFirst();
    if (!member) throw invalidFields({ userId: "Choose a member of this workspace" }, "Choose a member of this workspace.");
    await tx
      .insertInto("team_members")
      .values({ org_id: orgId, team_id: v.teamId, user_id: v.userId })
      .onConflict((oc) => oc.columns(["team_id", "user_id"]).doNothing())
      .execute();
  } catch (e) {
    refused(e);
  }
}

export async function removeTeamMember(tx: Tx, input: unknown): Promise<void> {
  const v = parseInput(teamMemberSchema, input);
  try {
    await tx.deleteFrom("team_members").where("team_id", "=", v.teamId).where("user_id", "=", v.userId).execute();
  } catch (e) {
    refused(e);
  }
}
