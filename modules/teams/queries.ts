// Teams and who is in them, read under RLS. Free of React/Next so pages, the
// board and other modules' services share them.
import { sql, type Tx } from "@/lib/db";

export interface TeamMember {
  userId: string;
  name: string;
  email: string;
}

export interface Team {
  id: string;
  name: string;
  description: string;
  archivedAt: Date | null;
  members: TeamMember[];
}

/** The org's teams by name, active first, each with its members by name. */
export async function listTeams(tx: Tx): Promise<Team[]> {
  const [teams, members] = await Promise.all([
    tx
      .selectFrom("teams")
      .select(["id", "name", "description", "archived_at"])
      .orderBy(sql`archived_at is not null`)
      .orderBy(sql`lower(name)`)
      .execute(),
    tx
      .selectFrom("team_members as tm")
      .innerJoin("profiles as p", "p.user_id", "tm.user_id")
      .select(["tm.team_id", "tm.user_id", "p.full_name", "p.email"])
      .orderBy(sql`lower(coalesce(nullif(p.full_name, ''), p.email))`)
      .execute(),
  ]);
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    archivedAt: t.archived_at,
    members: members
      .filter((m) => m.team_id === t.id)
      .map((m) => ({ userId: m.user_id, name: m.full_name || m.email, email: m.email })),
  }));
}

/** The active teams a stage, a number or a rule may name: id and name. */
export async function listTeamOptions(tx: Tx): Promise<{ id: string; name: string }[]> {
  return tx
    .selectFrom("teams")
    .select(["id", "name"])
    .where("archived_at", "is", null)
    .orderBy(sql`lower(name)`)
    .execute();
}

/** Each member's active teams by name: user id → team names. */
export async function teamNamesByMember(tx: Tx): Promise<Record<string, string[]>> {
  const rows = await tx
    .selectFrom("team_members as tm")
    .innerJoin("teams as t", "t.id", "tm.team_id")
    .select(["tm.user_id", "t.name"])
    .where("t.archived_at", "is", null)
    .orderBy(sql`lower(t.name)`)
    .execute();
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.user_id] ??= []).push(r.name);
  return out;
}

/** The caller's active teams, as the database's stage rules see them (public.member_teams()). */
export async function myTeamIds(tx: Tx): Promise<string[]> {
  const { rows } = await sql<{ ids: string[] }>`select public.member_teams()::text[] as ids`.execute(tx);
  return rows[0].ids;
}
