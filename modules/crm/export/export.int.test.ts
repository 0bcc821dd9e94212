import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createExportHandler } from "./http";

const t = useTestDatabase();
let owner: TestUser;
let member: TestUser;
let other: TestUser;

const handler = (u: TestUser, role: Role, timeZone?: string) =>
  createExportHandler({
    session: async () => ({ claims: u.claims, user: { id: u.id }, org: { id: u.orgId }, role }),
    database: () => t.db,
    timeZone: timeZone ? async () => timeZone : undefined,
  });

async function csv(res: Response) {
  const bytes = new Uint8Array(await res.arrayBuffer());
  // A UTF-8 byte-order mark, so Excel reads accented names right.
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return Papa.parse<string[]>(new TextDecoder().decode(bytes), { skipEmptyLines: true }).data;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Exporters", fullName: "Erin Exporter" });
  member = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Other org" });
  await t.admin`insert into custom_field_definitions (org_id, object_type, key, label, field_type)
                values (${owner.orgId}, 'person', 'budget', 'Budget', 'number')`;
  const [acme] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Acme') returning id`;
  await t.admin`insert into people (org_id, first_name, last_name, email, title, company_id, owner_id, tags, custom) values
    (${owner.orgId}, 'Ada', 'Formula', 'ada@x.example', '=HYPERLINK("http://evil.example")', ${acme.id}, ${owner.id}, '{vip,hot}', '{"budget": 1200}'),
    (${owner.orgId}, 'Bob', 'Plain', 'bob@x.example', '@SUM(A1)', null, null, '{}', '{}'),
    (${owner.orgId}, 'Cy', 'Archived', 'cy@x.example', 'Gone', null, null, '{}', '{}')`;
  await t.admin`update people set archived_at = now() where email = 'cy@x.example'`;
  await t.admin`insert into people (org_id, first_name, email) values (${other.orgId}, 'Secret', 'secret@other.example')`;
  // Enough rows to need several pages (200 a page).
  await t.admin`insert into people (org_id, first_name, last_name, email)
                select ${owner.orgId}, 'Bulk', 'Person ' || i, 'bulk' || i || '@x.example' from generate_series(1, 450) i`;
});

describe("CSV export", () => {
  it("streams every matching row with names for members and relations, custom fields, and formulas neutralised", async () => {
    const res = await handler(owner, "owner")(new Request("http://localhost/api/crm/export/person?q=formula"), "person");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"/);
    const [header, ...rows] = await csv(res);
    expect(header).toEqual(expect.arrayContaining(["Name", "Email", "Title", "Company", "Owner", "Tags", "Budget"]));
    expect(rows).toHaveLength(1);
    const row = Object.fromEntries(header.map((h, i) => [h, rows[0][i]]));
    expect(row).toMatchObject({ Name: "Ada Formula", Email: "ada@x.example", Company: "Acme", Owner: "Erin Exporter", Tags: "vip, hot", Budget: "1200" });
    expect(row.Title).toBe(`'=HYPERLINK("http://evil.example")`);
  });

  it("honours filters, columns and the archived switch, and walks all pages", async () => {
    const all = await csv(await handler(owner, "owner")(new Request("http://localhost/x?cols=name,email&sort=email"), "person"));
    expect(all[0]).toEqual(["Name", "Email"]);
    expect(all).toHaveLength(1 + 452);
    expect(all.map((r) => r[1])).not.toContain("secret@other.example");
    expect(all.map((r) => r[1])).not.toContain("cy@x.example");
    const archived = await csv(await handler(owner, "owner")(new Request("http://localhost/x?archived=1&cols=email"), "person"));
    expect(archived.slice(1)).toEqual([["cy@x.example"]]);
    const filtered = await csv(await handler(owner, "owner")(new Request(`http://localhost/x?f=${encodeURIComponent("email:contains:bulk1")}&cols=email`), "person"));
    // bulk1, bulk10-19, bulk100-199.
    expect(filtered.length - 1).toBe(1 + 10 + 100);
    const bob = await csv(await handler(owner, "owner")(new Request("http://localhost/x?q=bob&cols=title"), "person"));
    expect(bob[1]).toEqual(["'@SUM(A1)"]);
  });

  it("exports a selection by ids, but never another org's records", async () => {
    const [secret] = await t.admin`select id from people where email = 'secret@other.example'`;
    const [ada] = await t.admin`select id from people where email = 'ada@x.example'`;
    const out = await csv(await handler(owner, "owner")(new Request(`http://localhost/x?ids=${ada.id},${secret.id}&cols=email`), "person"));
    expect(out.slice(1)).toEqual([["ada@x.example"]]);
  });

  it("exports companies and deals", async () => {
    const companies = await csv(await handler(owner, "owner")(new Request("http://localhost/x"), "company"));
    expect(companies.map((r) => r[0])).toContain("Acme");
    await t.admin`insert into deals (org_id, name, pipeline_id, stage_id, value_minor, currency)
                  select ${owner.orgId}, 'Big deal', s.pipeline_id, s.id, 1234567, 'USD'
                  from pipeline_stages s where s.org_id = ${owner.orgId} order by s.position limit 1`;
    const deals = await csv(await handler(owner, "owner")(new Request("http://localhost/x?cols=name,stage,value"), "deal"));
    expect(deals).toEqual([["Name", "Stage", "Value"], ["Big deal", "Qualified", "$12,345.67"]]);
  });

  it("exports tasks like the tasks list shows them: filters, sort, columns, selection, archived, formulas neutralised", async () => {
    const [ada] = await t.admin`select id from people where email = 'ada@x.example'`;
    const tasks = await t.admin`insert into tasks (org_id, title, status, priority, due_at, all_day, assignee_id, person_id) values
      (${owner.orgId}, '=cmd|'' /C calc''!A0', 'todo', 'urgent', '2026-12-01T00:00:00Z', true, ${owner.id}, ${ada.id}),
      (${owner.orgId}, 'Send proposal', 'in_progress', 'normal', '2026-11-25T15:30:00Z', false, null, null),
      (${owner.orgId}, 'Old chore', 'done', 'low', null, false, null, null),
      (${owner.orgId}, 'Archived chore', 'todo', 'low', null, false, null, null)
      returning id, title`;
    await t.admin`update tasks set archived_at = now() where title = 'Archived chore'`;
    await t.admin`insert into tasks (org_id, title) values (${other.orgId}, 'Secret task')`;
    const byTitle = Object.fromEntries(tasks.map((r) => [r.title, r.id]));

    const res = await handler(owner, "owner")(new Request("http://localhost/x?sort=due_at&cols=title,status,priority,due_at,assignee,person"), "task");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/filename="tasks-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(await csv(res)).toEqual([
      ["Title", "Status", "Priority", "Due", "Assignee", "Person"],
      ["Send proposal", "In progress", "Normal", "2026-11-25T15:30:00Z", "", ""],
      ["'=cmd|' /C calc'!A0", "To do", "Urgent", "2026-12-01", "Erin Exporter", "Ada Formula"],
      ["Old chore", "Done", "Low", "", "", ""],
    ]);

    const open = await csv(await handler(owner, "owner")(new Request(`http://localhost/x?f=${encodeURIComponent("status:neq:done")}&cols=title&sort=title`), "task"));
    expect(open.slice(1)).toEqual([["'=cmd|' /C calc'!A0"], ["Send proposal"]]);
    const archived = await csv(await handler(owner, "owner")(new Request("http://localhost/x?archived=1&cols=title"), "task"));
    expect(archived.slice(1)).toEqual([["Archived chore"]]);
    const [secret] = await t.admin`select id from tasks where title = 'Secret task'`;
    const picked = await csv(
      await handler(owner, "owner")(new Request(`http://localhost/x?ids=${byTitle["Old chore"]},${secret.id}&cols=title`), "task"),
    );
    expect(picked.slice(1)).toEqual([["Old chore"]]);
    expect((await handler(member, "member")(new Request("http://localhost/x"), "task")).status).toBe(403);
  });

  it("writes instants in the member's zone with their offset, and all-day dates as dates", async () => {
    const [summer] = await t.admin`
      insert into tasks (org_id, title, due_at, all_day) values (${owner.orgId}, 'Summer call', '2026-07-01T13:00:00Z', false) returning id`;
    const ids = (await t.admin`select id from tasks where title in ('Send proposal', 'Summer call') or all_day`).map((r) => r.id).join(",");
    const url = `http://localhost/x?ids=${ids}&cols=title,due_at&sort=due_at`;

    const auckland = await handler(owner, "owner", "Pacific/Auckland")(new Request(url), "task");
    expect(await csv(auckland)).toEqual([
      ["Title", "Due"],
      ["Summer call", "2026-07-02T01:00:00+12:00"],
      ["Send proposal", "2026-11-26T04:30:00+13:00"],
      ["'=cmd|' /C calc'!A0", "2026-12-01"],
    ]);
    // New York's offset follows its daylight saving time, value by value.
    const newYork = await csv(await handler(owner, "owner", "America/New_York")(new Request(url), "task"));
    expect(newYork.slice(1).map((r) => r[1])).toEqual(["2026-07-01T09:00:00-04:00", "2026-11-25T10:30:00-05:00", "2026-12-01"]);
    await t.admin`delete from tasks where id = ${summer.id}`;
  });

  it("needs the export permission, a known object and a valid list state", async () => {
    expect((await handler(member, "member")(new Request("http://localhost/x"), "person")).status).toBe(403);
    expect((await handler(owner, "owner")(new Request("http://localhost/x"), "secrets")).status).toBe(404);
    const bad = await handler(owner, "owner")(new Request(`http://localhost/x?f=${encodeURIComponent("nope:eq:1")}`), "person");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "invalid_query", message: expect.stringMatching(/Unknown field "nope"/) });
  });
});
