import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { type ActionResult, failureOf } from "@/lib/action-result";
import type { Tx } from "@/lib/db";
import { isDomainError } from "@/lib/errors";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listTeamOptions, listTeams, myTeamIds, teamNamesByMember } from "./queries";
import { addTeamMember, archiveTeam, createTeam, removeTeamMember, updateTeam } from "./service";

const t = useTestDatabase();

let owner: TestUser;
let admin: TestUser;
let manager: TestUser;
let member: TestUser;
let stranger: TestUser;

const as = <T>(u: TestUser, fn: (tx: Tx) => Promise<T>) => t.db.asUser(u.claims, fn);

async function act<T>(u: TestUser, fn: (tx: Tx) => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await as(u, fn) };
  } catch (e) {
    if (isDomainError(e)) return failureOf(e);
    throw e;
  }
}

async function newTeam(u: TestUser, name: string) {
  const r = await act(u, (tx) => createTeam(tx, u.orgId, { name, description: "" }));
  if (!r.ok) throw new Error(r.error);
  return r.data.id;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Teams Co", fullName: "Olive Owner" });
  admin = await createMember(t, owner.orgId, "admin");
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  stranger = await createUser(t, { orgName: "Elsewhere", fullName: "Sam Stranger" });
});

describe("teams", () => {
  it("lets owners and admins create, rename, staff and archive teams, and every member read them", async () => {
    const intake = await newTeam(owner, "Intake");
    expect(await act(admin, (tx) => updateTeam(tx, { id: intake, name: "  Intake  ", description: "Works new leads" }))).toMatchObject({ ok: true });
    expect(await act(admin, (tx) => addTeamMember(tx, owner.orgId, { teamId: intake, userId: member.id }))).toMatchObject({ ok: true });
    // Adding someone twice changes nothing.
    expect(await act(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: intake, userId: member.id }))).toMatchObject({ ok: true });
    expect(await act(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: intake, userId: manager.id }))).toMatchObject({ ok: true });

    const seen = await as(member, (tx) => listTeams(tx));
    expect(seen).toEqual([
      expect.objectContaining({ name: "Intake", description: "Works new leads", archivedAt: null, members: expect.any(Array) }),
    ]);
    expect(seen[0].members.map((m) => m.userId).sort()).toEqual([manager.id, member.id].sort());
    expect(await as(member, (tx) => myTeamIds(tx))).toEqual([intake]);
    expect(await as(owner, (tx) => myTeamIds(tx))).toEqual([]);
    expect((await as(owner, (tx) => teamNamesByMember(tx)))[member.id]).toEqual(["Intake"]);

    expect(await act(owner, (tx) => removeTeamMember(tx, { teamId: intake, userId: manager.id }))).toMatchObject({ ok: true });
    expect(await act(owner, (tx) => archiveTeam(tx, { id: intake }, true))).toMatchObject({ ok: true });
    // An archived team counts for nothing and is offered to nobody.
    expect(await as(member, (tx) => myTeamIds(tx))).toEqual([]);
    expect(await as(member, (tx) => listTeamOptions(tx))).toEqual([]);
    expect(await act(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: intake, userId: manager.id }))).toMatchObject({
      ok: false,
      error: "This team is archived. Restore it before adding members.",
    });
    expect(await act(owner, (tx) => archiveTeam(tx, { id: intake }, false))).toMatchObject({ ok: true });
    expect(await as(member, (tx) => myTeamIds(tx))).toEqual([intake]);
  });

  it("refuses a duplicate name whatever its case, a bad name, and a member of another org, naming the field", async () => {
    await newTeam(owner, "Case management");
    expect(await act(owner, (tx) => createTeam(tx, owner.orgId, { name: "CASE MANAGEMENT" }))).toMatchObject({
      ok: false,
      error: 'A team called "CASE MANAGEMENT" already exists (archived teams keep their names).',
      fieldErrors: { name: "Another team already has this name" },
    });
    expect(await act(owner, (tx) => createTeam(tx, owner.orgId, { name: "   " }))).toMatchObject({ ok: false, fieldErrors: { name: "Enter a name" } });
    expect(await act(owner, (tx) => createTeam(tx, owner.orgId, { name: "x".repeat(81) }))).toMatchObject({
      ok: false,
      fieldErrors: { name: "At most 80 characters" },
    });
    expect(await act(owner, (tx) => createTeam(tx, owner.orgId, { name: "Nul\u0000team" }))).toMatchObject({ ok: false, fieldErrors: { name: expect.stringContaining("NUL") } });
    const cm = await newTeam(owner, "Closers");
    expect(await act(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: cm, userId: stranger.id }))).toMatchObject({
      ok: false,
      fieldErrors: { userId: "Choose a member of this workspace" },
    });
    expect(await act(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: "nope", userId: member.id }))).toMatchObject({
      ok: false,
      fieldErrors: { teamId: "Not a valid team" },
    });
    // Another org's team does not exist for this org, nor this org's for the other.
    const theirs = await newTeam(stranger, "Theirs");
    expect(await act(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: theirs, userId: member.id }))).toMatchObject({
      ok: false,
      error: "That team no longer exists.",
    });
    expect(await act(stranger, (tx) => updateTeam(tx, { id: cm, name: "Mine" }))).toMatchObject({ ok: false, error: "That team no longer exists." });
    expect((await as(stranger, (tx) => listTeams(tx))).map((x) => x.name)).toEqual(["Theirs"]);
  });

  it("refuses writes by managers and members, in the service and in SQL", async () => {
    const team = await newTeam(owner, "SDR");
    expect(await act(manager, (tx) => createTeam(tx, owner.orgId, { name: "Managers club" }))).toMatchObject({
      ok: false,
      error: "Only owners and admins can change teams.",
    });
    expect(await act(member, (tx) => addTeamMember(tx, owner.orgId, { teamId: team, userId: member.id }))).toMatchObject({
      ok: false,
      error: "Only owners and admins can change teams.",
    });
    await expect(as(member, (tx) => sql`insert into team_members (org_id, team_id, user_id) values (${owner.orgId}, ${team}, ${member.id})`.execute(tx))).rejects.toMatchObject({
      code: "42501",
    });
    const renamed = await as(member, (tx) => sql`update teams set name = 'Hijacked' where id = ${team}`.execute(tx));
    expect(renamed.numAffectedRows).toBe(0n);
    const [row] = await t.admin`select name from teams where id = ${team}`;
    expect(row.name).toBe("SDR");
  });

  it("takes a member out of every team when they leave the org", async () => {
    const leaver = await createMember(t, owner.orgId, "member");
    const a = await newTeam(owner, "Leavers A");
    const b = await newTeam(owner, "Leavers B");
    await as(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: a, userId: leaver.id }));
    await as(owner, (tx) => addTeamMember(tx, owner.orgId, { teamId: b, userId: leaver.id }));
    const [m] = await t.admin`select id from org_members where user_id = ${leaver.id}`;
    await as(owner, (tx) => sql`select public.remove_member(${m.id})`.execute(tx));
    const left = await t.admin`select 1 from team_members where user_id = ${leaver.id}`;
    expect(left.length).toBe(0);
  });
});
