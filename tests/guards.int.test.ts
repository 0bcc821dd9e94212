// The schema's guard triggers with NULL on either side of each comparison:
// a guard written `a <> b` lets a NULL through, since the comparison is
// neither true nor false.
import { CompiledQuery } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createMember, createUser, useTestDatabase, type TestUser } from "@/tests/support/db";

const t = useTestDatabase();
let owner: TestUser;
let manager: TestUser;
let member: TestUser;
let colleague: TestUser;

async function asUser<T>(user: TestUser, query: string, params: unknown[] = []): Promise<T[]> {
  return t.db.asUser(user.claims, async (tx) => (await tx.executeQuery<T>(CompiledQuery.raw(query, params))).rows);
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; hint?: string };
  }
  throw new Error("expected the statement to fail");
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Guards Co" });
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  colleague = await createMember(t, owner.orgId, "member");
});

describe("record owner guard", () => {
  const records = {
    people: `insert into people (org_id, first_name, owner_id) values ($1, 'Unowned', $2) returning id`,
    companies: `insert into companies (org_id, name, owner_id) values ($1, 'Unowned Co', $2) returning id`,
    deals: `insert into deals (org_id, name, pipeline_id, stage_id, owner_id)
            select $1, 'Unowned deal', s.pipeline_id, s.id, $2
            from pipeline_stages s where s.org_id = $1 order by s.position limit 1 returning id`,
  };

  for (const [table, insert] of Object.entries(records)) {
    it(`keeps a member from giving an unowned record (${table}) to someone else, not from claiming it`, async () => {
      const [row] = await asUser<{ id: string }>(owner, insert, [owner.orgId, null]);
      const toOther = await failure(asUser(member, `update ${table} set owner_id = $2 where id = $1`, [row.id, colleague.id]));
      expect(toOther).toMatchObject({ code: "42501", hint: "owner_id" });
      const [after] = await t.admin.unsafe(`select owner_id from ${table} where id = $1`, [row.id]);
      expect(after.owner_id).toBeNull();
      await asUser(member, `update ${table} set owner_id = $2 where id = $1`, [row.id, member.id]);
      const [claimed] = await t.admin.unsafe(`select owner_id from ${table} where id = $1`, [row.id]);
      expect(claimed.owner_id).toBe(member.id);
    });
  }

  it("lets a member hand over or clear a record they own, and not take it back", async () => {
    const [row] = await asUser<{ id: string }>(owner, records.people, [owner.orgId, member.id]);
    await asUser(member, `update people set owner_id = $2 where id = $1`, [row.id, colleague.id]);
    const back = await failure(asUser(member, `update people set owner_id = $2 where id = $1`, [row.id, member.id]));
    expect(back).toMatchObject({ code: "42501", hint: "owner_id" });
    const clear = await failure(asUser(member, `update people set owner_id = null where id = $1`, [row.id]));
    expect(clear).toMatchObject({ code: "42501", hint: "owner_id" });
    await asUser(colleague, `update people set owner_id = null where id = $1`, [row.id]);
    const [cleared] = await t.admin`select owner_id from people where id = ${row.id}`;
    expect(cleared.owner_id).toBeNull();
    await asUser(manager, `update people set owner_id = $2 where id = $1`, [row.id, colleague.id]);
    const [assigned] = await t.admin`select owner_id from people where id = ${row.id}`;
    expect(assigned.owner_id).toBe(colleague.id);
  });

  it("leaves tasks, which have no owner, to the archive rule alone", async () => {
    const [task] = await asUser<{ id: string }>(owner,
      `insert into tasks (org_id, title) values ($1, 'Unassigned') returning id`, [owner.orgId]);
    await asUser(member, `update tasks set title = 'Renamed', assignee_id = $2 where id = $1`, [task.id, colleague.id]);
    const archive = await failure(asUser(member, `update tasks set archived_at = now() where id = $1`, [task.id]));
    expect(archive).toMatchObject({ code: "42501", hint: "archived_at" });
  });
});

describe("restricted stage guard", () => {
  it("lets no unlisted role through when the role list holds a NULL", async () => {
    const stages = await t.admin`select id, pipeline_id from pipeline_stages where org_id = ${owner.orgId} order by position`;
    await t.admin`update pipeline_stages set restricted_roles = array['manager', null]::org_role[] where id = ${stages[2].id}`;
    const [deal] = await asUser<{ id: string }>(member,
      `insert into deals (org_id, name, pipeline_id, stage_id) values ($1, 'Null roles', $2, $3) returning id`,
      [owner.orgId, stages[0].pipeline_id, stages[0].id]);
    const into = await failure(asUser(member, `update deals set stage_id = $2 where id = $1`, [deal.id, stages[2].id]));
    expect(into).toMatchObject({ code: "42501", hint: "stage_restricted" });
    await asUser(manager, `update deals set stage_id = $2 where id = $1`, [deal.id, stages[2].id]);
    const out = await failure(asUser(member, `update deals set stage_id = $2 where id = $1`, [deal.id, stages[1].id]));
    expect(out).toMatchObject({ code: "42501", hint: "stage_restricted" });
    await t.admin`update pipeline_stages set restricted_roles = '{}' where id = ${stages[2].id}`;
  });
});

describe("API key guard", () => {
  it("revokes a key once (NULL to a time) and never un-revokes or re-dates it", async () => {
    const [key] = await t.admin`
      insert into api_keys (org_id, name, prefix, secret_hash, scopes, created_by)
      values (${owner.orgId}, 'Guarded', 'covey_' || substr(md5(random()::text), 1, 8), sha256('guard'),
              '{people:read}', ${owner.id})
      returning id`;
    await asUser(owner, `update api_keys set revoked_at = now() where id = $1`, [key.id]);
    const unrevoke = await failure(asUser(owner, `update api_keys set revoked_at = null where id = $1`, [key.id]));
    expect(unrevoke).toMatchObject({ code: "23514", hint: "revoked_at" });
    const redate = await failure(asUser(owner, `update api_keys set revoked_at = now() + interval '1 day' where id = $1`, [key.id]));
    expect(redate).toMatchObject({ code: "23514", hint: "revoked_at" });
  });
});

describe("invitation and membership guards", () => {
  it("drops NULL and blank allowed domains, so an invitation is checked against the real ones", async () => {
    await t.admin`update orgs set allowed_email_domains = array[null, ' ', 'Guards.Example'] where id = ${owner.orgId}`;
    const [org] = await t.admin`select allowed_email_domains from orgs where id = ${owner.orgId}`;
    expect(org.allowed_email_domains).toEqual(["guards.example"]);
    const elsewhere = await failure(asUser(owner,
      `insert into org_invites (org_id, email, role, token_hash, invited_by) values ($1, 'x@other.example', 'member', 'h1', $2)`,
      [owner.orgId, owner.id]));
    expect(elsewhere).toMatchObject({ code: "23514", hint: "domain_not_allowed" });
    await asUser(owner,
      `insert into org_invites (org_id, email, role, token_hash, invited_by) values ($1, 'x@guards.example', 'member', 'h2', $2)`,
      [owner.orgId, owner.id]);
    await t.admin`update orgs set allowed_email_domains = '{}' where id = ${owner.orgId}`;
  });

  it("refuses a non-owner's owner invitation (role NULL-safe) and keeps the last owner", async () => {
    const admin = await createMember(t, owner.orgId, "admin");
    const invite = await failure(asUser(admin,
      `insert into org_invites (org_id, email, role, token_hash, invited_by) values ($1, 'boss@example.test', 'owner', 'h3', $2)`,
      [owner.orgId, admin.id]));
    expect(invite).toMatchObject({ code: "42501" });
    // No end-user session (trusted server work): the actor rule does not apply, the last-owner rule does.
    const last = await failure(t.admin`update org_members set role = 'admin' where user_id = ${owner.id}`);
    expect(last).toMatchObject({ code: "23514" });
  });
});
