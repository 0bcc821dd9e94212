import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "@/lib/db";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { searchRecords } from "./queries";

const t = useTestDatabase();

let owner: TestUser;
let outsider: TestUser;

const words = (user: TestUser) =>
  t.db.asUser(user.claims, async (tx) =>
    (await sql<{ word: string }>`select distinct word from public.search_words order by word`.execute(tx)).rows.map((r) => r.word),
  );
const candidates = (user: TestUser, q: string) =>
  t.db.asUser(user.claims, async (tx) =>
    (await sql<{ kind: string; id: string }>`select kind, id from public.search_candidates(${q})`.execute(tx)).rows,
  );
const search = (user: TestUser, q: string) => t.db.asUser(user.claims, (tx) => searchRecords(tx, q));

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Dictionary Co" });
  outsider = await createUser(t, { orgName: "Other Co" });
});

describe("search dictionary", () => {
  it("learns the words of a many-row insert, without codes holding digits, visible to the org only", async () => {
    await t.admin`
      insert into people (org_id, first_name, last_name, email)
      values (${owner.orgId}, 'Bartholomew', 'Quennell', 'bq1042@quennell-works.example'),
             (${owner.orgId}, 'Ottilie', 'Marchbanks', null)`;
    await t.admin`insert into companies (org_id, name, domain) values (${owner.orgId}, 'Zephyrine Tools', 'zephyrine.example')`;
    await t.admin`
      insert into deals (org_id, name, pipeline_id, stage_id, currency)
      select ${owner.orgId}, 'Harborview expansion', s.pipeline_id, s.id, 'USD'
      from pipeline_stages s where s.org_id = ${owner.orgId} order by s.position limit 1`;

    const mine = await words(owner);
    expect(mine).toEqual(
      expect.arrayContaining(["bartholomew", "quennell", "works", "ottilie", "marchbanks", "zephyrine", "tools", "harborview", "expansion"]),
    );
    expect(mine).toContain("example");
    expect(mine).not.toContain("bq1042");
    expect(await words(outsider)).not.toContain("quennell");
  });

  it("learns renamed names, so a typo of the new name finds the record", async () => {
    const [p] = await t.admin`insert into people (org_id, first_name, last_name) values (${owner.orgId}, 'Ann', 'Lee') returning id`;
    await t.db.asUser(owner.claims, (tx) => sql`update people set last_name = 'Featherstonehaugh' where id = ${p.id}`.execute(tx));
    expect(await words(owner)).toContain("featherstonehaugh");
    expect((await search(owner, "ann featherstonhaugh")).people.map((h) => h.id)).toEqual([p.id]);
  });

  it("matches a typed code exactly even though the dictionary leaves it out", async () => {
    const [c] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Unit 7b Logistics') returning id`;
    expect((await search(owner, "7b")).companies.map((h) => h.id)).toEqual([c.id]);
    expect((await search(owner, "unit 7b")).companies.map((h) => h.id)).toEqual([c.id]);
  });

  it("returns candidates of the caller's org only, and none without an org", async () => {
    const [p] = await t.admin`insert into people (org_id, first_name, last_name) values (${owner.orgId}, 'Wenceslas', 'Ironmonger') returning id`;
    expect(await candidates(owner, "wenceslas ironmongr")).toEqual([{ kind: "person", id: p.id }]);
    expect(await candidates(outsider, "wenceslas ironmongr")).toEqual([]);
    expect(await candidates(outsider, "wenceslas")).toEqual([]);
    const orgless = await t.db.asUser({ sub: "00000000-0000-4000-8000-000000000001", role: "authenticated" }, async (tx) =>
      (await sql`select * from public.search_candidates('wenceslas')`.execute(tx)).rows,
    );
    expect(orgless).toEqual([]);
  });

  it("finds a company by a misspelt name", async () => {
    const r = await search(owner, "zefirine");
    expect(r.companies.map((h) => h.title)).toEqual(["Zephyrine Tools"]);
  });
});
