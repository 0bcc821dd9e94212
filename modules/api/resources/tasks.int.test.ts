import { beforeAll, describe, expect, it } from "vitest";
import { callApi, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import {
  archiveTask,
  completeTask,
  createTask,
  deleteTask,
  getTask,
  listTasks,
  reopenTask,
  restoreTask,
  taskRecord,
  updateTask,
} from "./tasks";

const t = useTestDatabase();

let owner: TestUser;
let other: TestUser;
let teammate: TestUser;
let token: string;
let readOnly: string;
let memberToken: string;
let managerToken: string;
let personId: string;
let dealId: string;
let otherTaskId: string;
let otherPersonId: string;

async function keyWithRole(role: "member" | "manager") {
  const u = await createMember(t, owner.orgId, "admin");
  const k = await createTestKey(t, u, ["tasks:read", "tasks:write"]);
  await t.admin`update org_members set role = ${role} where user_id = ${u.id}`;
  return k.token;
}

async function make(body: Record<string, unknown> = {}) {
  const r = await callApi(createTask, { token, body: { title: "Call back", ...body } });
  expect(r.status).toBe(201);
  return r.body;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Task API Co" });
  other = await createUser(t, { orgName: "Elsewhere" });
  teammate = await createMember(t, owner.orgId, "member");
  token = (await createTestKey(t, owner, ["tasks:read", "tasks:write"])).token;
  readOnly = (await createTestKey(t, owner, ["tasks:read"])).token;
  memberToken = await keyWithRole("member");
  managerToken = await keyWithRole("manager");
  [{ id: personId }] = await t.admin`insert into people (org_id, first_name) values (${owner.orgId}, 'Pat') returning id`;
  [{ id: otherPersonId }] = await t.admin`insert into people (org_id, first_name) values (${other.orgId}, 'Hidden') returning id`;
  const [s] = await t.admin`select id, pipeline_id from pipeline_stages where org_id = ${owner.orgId} limit 1`;
  [{ id: dealId }] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, currency) values (${owner.orgId}, 'Deal', ${s.pipeline_id}, ${s.id}, 'USD') returning id`;
  [{ id: otherTaskId }] = await t.admin`insert into tasks (org_id, title) values (${other.orgId}, 'Secret') returning id`;
});

describe("create and get", () => {
  it("creates a timed task linked to a person, assigned to the key's member, as the API key", async () => {
    const r = await callApi(createTask, {
      token,
      body: { title: " Send proposal ", description: "With pricing", due_at: "2026-03-03T16:30:45+01:00", priority: "high", person_id: personId },
    });
    expect(r.status).toBe(201);
    expect(taskRecord.parse(r.body)).toMatchObject({
      object: "task",
      title: "Send proposal",
      description: "With pricing",
      due_at: "2026-03-03T15:30:00.000Z",
      all_day: false,
      priority: "high",
      status: "todo",
      assignee_id: owner.id,
      person_id: personId,
      company_id: null,
      deal_id: null,
      created_by: owner.id,
    });
    const [ev] = await t.admin`select actor_type, actor_id from domain_events where object_id = ${r.body.id} and type = 'task.created'`;
    expect(ev).toMatchObject({ actor_type: "api_key", actor_id: owner.id });
    const [audit] = await t.admin`select actor_type from audit_log where record_id = ${r.body.id}::text and action = 'insert'`;
    expect(audit.actor_type).toBe("api_key");
    expect((await callApi(getTask, { token: readOnly, params: { id: r.body.id } })).body).toEqual(r.body);
  });

  it("a date alone makes an all-day task; null assignee leaves it unassigned", async () => {
    const d = await make({ due_at: "2026-03-31", assignee_id: null, deal_id: dealId });
    expect(d).toMatchObject({ due_at: "2026-03-31T00:00:00.000Z", all_day: true, assignee_id: null, deal_id: dealId });
    const e = await make({ due_at: "2026-04-01T22:00:00-05:00", all_day: true, assignee_id: teammate.id });
    expect(e).toMatchObject({ due_at: "2026-04-02T00:00:00.000Z", all_day: true, assignee_id: teammate.id });
  });

  it("refuses bad fields with details naming them, writing nothing", async () => {
    const before = (await t.admin`select count(*)::int as n from tasks`)[0].n;
    const types = await callApi(createTask, { token, body: { title: 5, priority: "asap", all_day: "yes" } });
    expect(types.status).toBe(422);
    expect(Object.keys(types.body.error.details).sort()).toEqual(["all_day", "priority", "title"]);

    const values = await callApi(createTask, { token, body: { title: " ", due_at: "2026-02-30" } });
    expect(values.status).toBe(422);
    expect(values.body.error.details).toEqual({ title: ["Enter a title"], due_at: ["Enter a date as YYYY-MM-DD"] });

    const slipped = await callApi(createTask, { token, body: { title: "X", due_at: "0026-08-20" } });
    expect(slipped.status).toBe(422);
    expect(slipped.body.error.details).toEqual({ due_at: ["Enter a year from 1900 to 2999"] });

    const due = await callApi(createTask, { token, body: { title: "X", due_at: "next tuesday" } });
    expect(due.body.error.details).toEqual({ due_at: [expect.stringMatching(/ISO 8601/)] });

    const two = await callApi(createTask, { token, body: { title: "X", person_id: personId, deal_id: dealId } });
    expect(two.status).toBe(422);
    expect(Object.keys(two.body.error.details).sort()).toEqual(["deal_id", "person_id"]);

    const foreign = await callApi(createTask, { token, body: { title: "X", person_id: otherPersonId } });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.details).toEqual({ person_id: [expect.stringMatching(/linked person was not found/)] });

    const stranger = await callApi(createTask, { token, body: { title: "X", assignee_id: other.id } });
    expect(stranger.status).toBe(422);
    expect(stranger.body.error.details).toEqual({ assignee_id: [expect.stringMatching(/not a member/)] });

    const unknown = await callApi(createTask, { token, body: { title: "X", dueDate: "2026-01-01" } });
    expect(unknown.body.error.details).toEqual({ dueDate: ["Unknown field `dueDate`"] });

    expect((await t.admin`select count(*)::int as n from tasks`)[0].n).toBe(before);
  });

  it("needs the write scope, replays an Idempotency-Key, and hides other orgs' tasks", async () => {
    expect((await callApi(createTask, { token: readOnly, body: { title: "No" } })).status).toBe(403);
    const headers = { "idempotency-key": "task-1" };
    const a = await callApi(createTask, { token, body: { title: "Only once" }, headers });
    const b = await callApi(createTask, { token, body: { title: "Only once" }, headers });
    expect(b.body.id).toBe(a.body.id);
    expect((await t.admin`select count(*)::int as n from tasks where title = 'Only once'`)[0].n).toBe(1);
    for (const id of [otherTaskId, "nope", "00000000-0000-4000-8000-000000000000"]) {
      expect((await callApi(getTask, { token, params: { id } })).status).toBe(404);
    }
  });
});

describe("update, complete, archive, delete", () => {
  it("changes only the fields sent", async () => {
    const d = await make({ description: "Keep me", due_at: "2026-05-01T09:15:00Z", person_id: personId, priority: "low" });
    const r = await callApi(updateTask, { token, params: { id: d.id }, body: { title: "Renamed", status: "in_progress" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      title: "Renamed",
      status: "in_progress",
      description: "Keep me",
      due_at: "2026-05-01T09:15:00.000Z",
      all_day: false,
      person_id: personId,
      priority: "low",
      assignee_id: owner.id,
    });
    const allDay = await callApi(updateTask, { token, params: { id: d.id }, body: { all_day: true } });
    expect(allDay.body).toMatchObject({ due_at: "2026-05-01T00:00:00.000Z", all_day: true });
    const relinked = await callApi(updateTask, { token, params: { id: d.id }, body: { deal_id: dealId, due_at: null } });
    expect(relinked.body).toMatchObject({ deal_id: dealId, person_id: null, due_at: null, all_day: false });
    const unlinked = await callApi(updateTask, { token, params: { id: d.id }, body: { person_id: null } });
    expect(unlinked.body.deal_id).toBe(dealId);
    expect((await callApi(updateTask, { token, params: { id: d.id }, body: { deal_id: null } })).body.deal_id).toBeNull();
    const [ev] = await t.admin`select actor_type, changes from domain_events where object_id = ${d.id} and type = 'task.updated' order by occurred_at limit 1`;
    expect(ev.actor_type).toBe("api_key");
    expect(ev.changes.title).toEqual(["Call back", "Renamed"]);
  });

  it("refuses invalid changes and other orgs' tasks, changing nothing", async () => {
    const d = await make();
    const bad = await callApi(updateTask, { token, params: { id: d.id }, body: { title: "", status: "later" } });
    expect(bad.status).toBe(422);
    expect((await callApi(getTask, { token, params: { id: d.id } })).body.title).toBe("Call back");
    const foreign = await callApi(updateTask, { token, params: { id: otherTaskId }, body: { title: "Mine" } });
    expect(foreign.status).toBe(404);
    expect((await t.admin`select title from tasks where id = ${otherTaskId}`)[0].title).toBe("Secret");
  });

  it("completes and reopens, emitting task.completed", async () => {
    const d = await make();
    const done = await callApi(completeTask, { token, params: { id: d.id } });
    expect(done.body).toMatchObject({ status: "done", completed_at: expect.any(String) });
    const [ev] = await t.admin`select actor_type from domain_events where object_id = ${d.id} and type = 'task.completed'`;
    expect(ev.actor_type).toBe("api_key");
    const again = await callApi(completeTask, { token, params: { id: d.id } });
    expect(again.body.completed_at).toBe(done.body.completed_at);
    const open = await callApi(reopenTask, { token, params: { id: d.id } });
    expect(open.body).toMatchObject({ status: "todo", completed_at: null });
    expect((await callApi(completeTask, { token, params: { id: otherTaskId } })).status).toBe(404);
    expect((await t.admin`select status from tasks where id = ${otherTaskId}`)[0].status).toBe("todo");
  });

  it("archives as a manager but not as a member; deletes as an owner only", async () => {
    const d = await make();
    const refused = await callApi(archiveTask, { token: memberToken, params: { id: d.id } });
    expect(refused.status).toBe(403);
    const archived = await callApi(archiveTask, { token: managerToken, params: { id: d.id } });
    expect(archived.body.archived_at).toEqual(expect.any(String));
    expect((await callApi(restoreTask, { token, params: { id: d.id } })).body.archived_at).toBeNull();

    expect((await callApi(deleteTask, { token: managerToken, params: { id: d.id } })).status).toBe(403);
    expect((await callApi(deleteTask, { token, params: { id: otherTaskId } })).status).toBe(404);
    expect((await callApi(archiveTask, { token, params: { id: otherTaskId } })).status).toBe(404);
    const r = await callApi(deleteTask, { token, params: { id: d.id } });
    expect(r.status).toBe(204);
    expect((await callApi(getTask, { token, params: { id: d.id } })).status).toBe(404);
    const [ev] = await t.admin`select actor_type from domain_events where object_id = ${d.id} and type = 'task.deleted'`;
    expect(ev.actor_type).toBe("api_key");
    expect((await t.admin`select count(*)::int as n from tasks where id = ${otherTaskId} and archived_at is null`)[0].n).toBe(1);
  });
});

describe("list", () => {
  it("filters by assignee, status and due date, sorts and pages with cursors", async () => {
    await t.admin`delete from tasks where org_id = ${owner.orgId}`;
    const due = ["2026-06-01T10:00:00Z", "2026-06-02T10:00:00Z", "2026-06-03T10:00:00Z", "2026-06-04T10:00:00Z"];
    for (const [i, d] of due.entries()) await make({ title: `Due ${i}`, due_at: d });
    await make({ title: "Teammate's", assignee_id: teammate.id, due_at: "2026-06-01T08:00:00Z" });
    const done = await make({ title: "Finished", due_at: "2026-06-01T09:00:00Z" });
    await callApi(completeTask, { token, params: { id: done.id } });

    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const query: [string, string][] = [
        ["f", "assignee_id:eq:me"],
        ["f", "status:in:todo,in_progress"],
        ["f", "due_at:before:2026-06-04"],
        ["sort", "due_at"],
        ["limit", "2"],
      ];
      if (cursor) query.push(["cursor", cursor]);
      const r = await callApi(listTasks, { token: readOnly, query });
      expect(r.status).toBe(200);
      r.body.data.forEach((x: unknown) => taskRecord.parse(x));
      titles.push(...r.body.data.map((x: { title: string }) => x.title));
      cursor = r.body.next_cursor;
    } while (cursor);
    expect(titles).toEqual(["Due 0", "Due 1", "Due 2"]);

    const theirs = await callApi(listTasks, { token, query: [["f", `assignee:eq:${teammate.id}`]] });
    expect(theirs.body.data.map((x: { title: string }) => x.title)).toEqual(["Teammate's"]);
    const all = await callApi(listTasks, { token, query: "limit=100" });
    expect(all.body.data.map((x: { id: string }) => x.id)).not.toContain(otherTaskId);
  });

  it("refuses bad cursors and filters with 400", async () => {
    const cursor = await callApi(listTasks, { token, query: "cursor=abc" });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.code).toBe("invalid_cursor");
    const status = await callApi(listTasks, { token, query: "f=due_at:before:soon" });
    expect(status.status).toBe(400);
    expect(status.body.error.details).toHaveProperty("f");
  });
});
