import { beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { parseListState } from "@/modules/crm/lists/state";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listOpenTasksFor, listTaskGroups, listTasks } from "./queries";
import { taskSchema, type TaskInput } from "./schema";
import { archiveTasks, assignTasks, createTask, deleteTasks, setTaskDone, updateTask } from "./service";

const t = useTestDatabase();
let owner: TestUser;
let manager: TestUser;
let member: TestUser;
let stranger: TestUser;
let person: { id: string };

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Tasks Co" });
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  stranger = await createUser(t, { orgName: "Elsewhere" });
  [person] = await t.admin`insert into people (org_id, first_name) values (${owner.orgId}, 'Ada') returning id`;
});

const add = (user: TestUser, input: TaskInput) =>
  t.db.asUser(user.claims, (tx) => createTask(tx, { orgId: user.orgId, userId: user.id }, taskSchema.parse(input)));

async function row(id: string) {
  const [r] = await t.admin`select * from tasks where id = ${id}`;
  return r;
}

describe("task input", () => {
  it("needs a title, a real date, and a date for a time", () => {
    const r = taskSchema.safeParse({ title: "  ", dueDate: "2026-02-30", dueTime: "25:00" });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["title", "dueDate", "dueTime"]));
    const noDate = taskSchema.safeParse({ title: "x", dueTime: "09:00" });
    expect(noDate.error?.issues[0]).toMatchObject({ path: ["dueDate"], message: "Choose a date for the time" });
  });

  it("stores a date as an all-day task and a date with time as the instant in the author's zone", async () => {
    const allDay = await add(owner, { title: "All day", dueDate: "2026-03-03" });
    expect(await row(allDay.id)).toMatchObject({ all_day: true, due_at: new Date("2026-03-03T00:00:00Z") });
    const timed = await add(owner, { title: "Call", dueDate: "2026-03-03", dueTime: "09:30", timeZone: "America/New_York" });
    expect(await row(timed.id)).toMatchObject({ all_day: false, due_at: new Date("2026-03-03T14:30:00Z") });
  });

  it("assigns the author by default, nobody when cleared, and refuses a non-member", async () => {
    expect((await row((await add(member, { title: "Mine" })).id)).assignee_id).toBe(member.id);
    expect((await row((await add(member, { title: "Nobody's", assigneeId: "" })).id)).assignee_id).toBeNull();
    const err = await add(owner, { title: "Theirs", assigneeId: stranger.id }).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.details).toEqual({ assigneeId: ["The assignee is not a member of this organization."] });
  });

  it("refuses a link to another org's record as not found", async () => {
    const err = await add(stranger, { title: "Sneaky", link: { type: "person", id: person.id } }).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: "validation_failed", message: "The linked person was not found. It may have been deleted.", details: { link: [expect.any(String)] } });
  });
});

describe("complete and reopen", () => {
  it("sets completed_at, writes task.completed and a timeline item, and clears it on reopen", async () => {
    const { id } = await add(member, { title: "Send quote", link: { type: "person", id: person.id } });
    await t.db.asUser(member.claims, (tx) => setTaskDone(tx, id, true));
    const done = await row(id);
    expect(done.status).toBe("done");
    expect(done.completed_at).toBeInstanceOf(Date);
    const events = await t.admin`select type from domain_events where object_id = ${id} order by id`;
    expect(events.map((e) => e.type)).toEqual(["task.created", "task.completed"]);
    const timeline = await t.admin`select kind, person_id from timeline_events where task_id = ${id} order by id`;
    expect(timeline).toEqual([
      { kind: "task", person_id: person.id },
      { kind: "task_completed", person_id: person.id },
    ]);
    // Completing twice changes nothing.
    await t.db.asUser(member.claims, (tx) => setTaskDone(tx, id, true));
    expect((await row(id)).completed_at).toEqual(done.completed_at);

    await t.db.asUser(member.claims, (tx) => setTaskDone(tx, id, false));
    expect(await row(id)).toMatchObject({ status: "todo", completed_at: null });
    const after = await t.admin`select type from domain_events where object_id = ${id} order by id`;
    expect(after.map((e) => e.type)).toEqual(["task.created", "task.completed", "task.updated"]);
  });

  it("shows open tasks of a record, not done or archived ones", async () => {
    const [p] = await t.admin`insert into people (org_id, first_name) values (${owner.orgId}, 'Grace') returning id`;
    const link = { type: "person" as const, id: p.id };
    const open = await add(member, { title: "Open", link, dueDate: "2026-01-02" });
    const later = await add(member, { title: "Later", link, dueDate: "2026-05-02" });
    const finished = await add(member, { title: "Finished", link });
    const archived = await add(member, { title: "Archived", link });
    await t.db.asUser(member.claims, (tx) => setTaskDone(tx, finished.id, true));
    await t.db.asUser(manager.claims, (tx) => archiveTasks(tx, [archived.id], true));
    const tasks = await t.db.asUser(member.claims, (tx) => listOpenTasksFor(tx, link));
    expect(tasks.map((x) => x.id)).toEqual([open.id, later.id]);
    expect(tasks[0].record).toEqual({ type: "person", id: p.id, name: "Grace" });
  });
});

describe("grouping on /tasks", () => {
  // Wednesday 2026-03-04 23:30 in New York is Thursday 04:30 UTC.
  const now = new Date("2026-03-05T04:30:00Z");
  let user: TestUser;

  beforeAll(async () => {
    user = await createUser(t, { orgName: "Groups Co" });
  });

  const groupsOf = async (timeZone: string, scope: "mine" | "all" = "mine", who: TestUser = user) => {
    const { groups } = await t.db.asUser(who.claims, (tx) => listTaskGroups(tx, { scope, userId: who.id, timeZone, now }));
    return Object.fromEntries(groups.map((g) => [g.group, g.tasks.map((x) => x.title)]));
  };

  it("buckets by the reader's zone, with all-day tasks on their calendar date", async () => {
    const cases: TaskInput[] = [
      { title: "timed past", dueDate: "2026-03-04", dueTime: "23:00", timeZone: "America/New_York" },
      { title: "timed later tonight", dueDate: "2026-03-04", dueTime: "23:45", timeZone: "America/New_York" },
      { title: "all-day yesterday", dueDate: "2026-03-03" },
      { title: "all-day today NY", dueDate: "2026-03-04" },
      { title: "all-day Thursday", dueDate: "2026-03-05" },
      { title: "all-day Sunday", dueDate: "2026-03-08" },
      { title: "all-day next Monday", dueDate: "2026-03-09" },
      { title: "no date" },
    ];
    for (const c of cases) await add(user, c);

    expect(await groupsOf("America/New_York")).toEqual({
      overdue: ["all-day yesterday", "timed past"],
      today: ["all-day today NY", "timed later tonight"],
      tomorrow: ["all-day Thursday"],
      this_week: ["all-day Sunday"],
      later: ["all-day next Monday"],
      none: ["no date"],
    });
    // The same moment in UTC is already Thursday: Wednesday's all-day task is overdue and the
    // timed task due 04:45 UTC is today.
    expect(await groupsOf("UTC")).toEqual({
      overdue: ["all-day yesterday", "all-day today NY", "timed past"],
      today: ["all-day Thursday", "timed later tonight"],
      this_week: ["all-day Sunday"],
      later: ["all-day next Monday"],
      none: ["no date"],
    });
  });

  it("separates my tasks from everyone's and leaves out done and archived tasks", async () => {
    const org = await createUser(t, { orgName: "Scope Co" });
    const colleague = await createMember(t, org.orgId, "manager");
    await add(org, { title: "mine", dueDate: "2026-03-05", priority: "high" });
    await add(org, { title: "theirs", dueDate: "2026-03-05", assigneeId: colleague.id });
    const done = await add(org, { title: "done", dueDate: "2026-03-05" });
    const gone = await add(org, { title: "archived", dueDate: "2026-03-05" });
    await t.db.asUser(org.claims, (tx) => setTaskDone(tx, done.id, true));
    await t.db.asUser(colleague.claims, (tx) => archiveTasks(tx, [gone.id], true));
    expect(await groupsOf("UTC", "mine", org)).toEqual({ today: ["mine"] });
    expect(await groupsOf("UTC", "all", org)).toEqual({ today: ["mine", "theirs"] });
    expect(await groupsOf("UTC", "mine", colleague)).toEqual({ today: ["theirs"] });
  });
});

describe("bulk changes and the list mode", () => {
  it("assigns, archives (managers), restores and deletes (admins) in bulk", async () => {
    const a = await add(member, { title: "Bulk A" });
    const b = await add(member, { title: "Bulk B" });
    const ids = [a.id, b.id];
    expect(await t.db.asUser(manager.claims, (tx) => assignTasks(tx, ids, manager.id))).toBe(2);
    expect((await row(a.id)).assignee_id).toBe(manager.id);

    await expect(t.db.asUser(member.claims, (tx) => archiveTasks(tx, ids, true))).rejects.toThrow(/Only managers/);
    expect(await t.db.asUser(manager.claims, (tx) => archiveTasks(tx, ids, true))).toBe(2);
    expect(await t.db.asUser(manager.claims, (tx) => archiveTasks(tx, ids, false))).toBe(2);

    await expect(t.db.asUser(manager.claims, (tx) => deleteTasks(tx, ids))).rejects.toThrow("Only admins and owners can delete tasks.");
    expect(await t.db.asUser(owner.claims, (tx) => deleteTasks(tx, ids))).toBe(2);
    expect(await row(a.id)).toBeUndefined();
  });

  it("edits a task through the same schema", async () => {
    const { id } = await add(member, { title: "Edit me" });
    await t.db.asUser(member.claims, (tx) =>
      updateTask(tx, { userId: member.id }, id, taskSchema.parse({ title: "Edited", priority: "urgent", status: "waiting", assigneeId: owner.id })),
    );
    expect(await row(id)).toMatchObject({ title: "Edited", priority: "urgent", status: "waiting", assignee_id: owner.id });
  });

  it("filters, sorts and pages tasks with the list engine", async () => {
    const org = await createUser(t, { orgName: "List Co" });
    for (let i = 0; i < 5; i++) await add(org, { title: `Row ${i}`, priority: i % 2 ? "high" : "low", dueDate: `2026-04-0${i + 1}` });
    const state = parseListState(new URLSearchParams("f=priority:eq:high&sort=due_at")).state;
    const page = await t.db.asUser(org.claims, (tx) => listTasks(tx, state, { pageSize: 1, withTotal: true }));
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.title)).toEqual(["Row 1"]);
    // An all-day task's due date is a date, not an instant a reader's zone would move to the day before.
    expect(page.rows[0]).toMatchObject({ all_day: true, due_at: "2026-04-02" });
    const next = await t.db.asUser(org.claims, (tx) => listTasks(tx, { ...state, after: page.nextCursor! }, { pageSize: 1 }));
    expect(next.rows.map((r) => r.title)).toEqual(["Row 3"]);
    expect(next.nextCursor).toBeNull();
    const mine = parseListState(new URLSearchParams("f=assignee:eq:me")).state;
    const all = await t.db.asUser(org.claims, (tx) => listTasks(tx, mine, { userId: org.id }));
    expect(all.rows).toHaveLength(5);
  });
});
