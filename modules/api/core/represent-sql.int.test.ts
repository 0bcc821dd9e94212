import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "@/lib/db";
import { representedJson } from "@/modules/api/core/represent-sql";
import { represent, type ObjectType } from "@/modules/api/core/representation";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();
let owner: TestUser;
const ids: Record<string, string[]> = { people: [], companies: [], deals: [] };

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Representation Org" });
  await t.db.asUser(owner.claims, async (tx) => {
    const [company] = await tx
      .insertInto("companies")
      .values({
        org_id: owner.orgId,
        name: "Acme Ünïcode \"Quoted\" \\ Co",
        domain: "acme.example",
        email: "Hello@Acme.example",
        employee_count: 2_147_483_000,
        tags: ["vip", "a,b"],
        owner_id: owner.id,
      })
      .returning("id")
      .execute();
    const [bare] = await tx.insertInto("companies").values({ org_id: owner.orgId, name: "Bare" }).returning("id").execute();
    ids.companies = [company.id, bare.id];
    const people = await tx
      .insertInto("people")
      .values([
        {
          org_id: owner.orgId,
          first_name: "Zoë",
          last_name: "O'Brien",
          email: "Zoe@Example.test",
          additional_emails: ["Second@Example.test", "third@example.test"],
          phone: "+14155550100",
          additional_phones: ["+14155550101"],
          title: "Line\nbreak\ttab",
          company_id: company.id,
          state: "CA",
          tags: ["x"],
          owner_id: owner.id,
        },
        { org_id: owner.orgId, first_name: "Only" },
      ])
      .returning("id")
      .execute();
    ids.people = people.map((p) => p.id);
    // Microseconds and old dates: both renderings keep milliseconds, in UTC.
    await sql`update people set last_contacted_at = '1999-12-31 23:59:59.987654+05', archived_at = '2026-03-01 00:00:00.0005+00'
              where id = ${people[0].id}`.execute(tx);
    const [stage] = await tx.selectFrom("pipeline_stages").select(["id", "pipeline_id"]).orderBy("position").limit(1).execute();
    const [deal] = await tx
      .insertInto("deals")
      .values({
        org_id: owner.orgId,
        name: "Big deal",
        pipeline_id: stage.pipeline_id,
        stage_id: stage.id,
        value_minor: 9_007_199_254_740_991,
        currency: "USD",
        expected_close_date: "2027-02-28",
        person_id: people[0].id,
      })
      .returning("id")
      .execute();
    ids.deals = [deal.id];
  });
});

const TABLES: [ObjectType, keyof typeof ids, string][] = [
  ["person", "people", "people"],
  ["company", "companies", "companies"],
  ["deal", "deals", "deals"],
];

describe("representedJson", () => {
  it.each(TABLES)("renders a %s exactly as represent() does, field for field and in order", async (object, key, table) => {
    for (const id of ids[key]) {
      const [row, rendered] = await t.db.asUser(owner.claims, async (tx) => {
        const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} x where id = ${id}`.execute(tx);
        const { rows: json } = await sql<{ json: string }>`select ${representedJson(object, "x")} as json from ${sql.table(table)} x where id = ${id}`.execute(tx);
        return [rows[0], json[0].json];
      });
      // The citext columns read as text, as the API's single-record reads do.
      for (const c of ["email", "domain"]) if (typeof row[c] === "object" && row[c] !== null) row[c] = String(row[c]);
      const expected = represent(object, row);
      const parsed = JSON.parse(rendered);
      expect(parsed).toEqual(expected);
      expect(Object.keys(parsed)).toEqual(Object.keys(expected));
      // Compact, like JSON.stringify.
      expect(rendered).toBe(JSON.stringify(expected));
    }
  });
});
