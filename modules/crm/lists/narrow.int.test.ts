// Companies and deals lists narrowed through the word indexes
// (public.list_search_ids): name and domain filters, and the deals search
// box while the name is all it reads. The rows must be exactly those of the
// stated condition, computed here from the records as written; the people
// list has its own file (modules/crm/people/search.int.test.ts).

import { beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "@/lib/db";
import { createCompany } from "@/modules/crm/companies/service";
import { listCompanies } from "@/modules/crm/companies/queries";
import { listDeals } from "@/modules/crm/deals/queries";
import { dealSchema } from "@/modules/crm/deals/schema";
import { createDeal } from "@/modules/crm/deals/service";
import { listPipelines } from "@/modules/crm/pipelines/queries";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { DEFAULT_SORT, type Filter, type ListState } from "./state";

const t = useTestDatabase();
let owner: TestUser;
let other: TestUser;

const as = <T>(u: TestUser, fn: (tx: Tx) => Promise<T>) => t.db.asUser(u.claims, fn);
const state = (s: Partial<ListState>): ListState => ({ filters: [], sort: DEFAULT_SORT, ...s });
const filter = (field: string, op: Filter["op"], value: string): Filter => ({ field, op, value });

const COMPANIES = [
  { name: "Acme2 Rockets", domain: "acme2rockets.example" },
  { name: "Globex", domain: "globex.com" },
  { name: "Initech Holdings", domain: "initech-holdings.io" },
  { name: "Rocket Science Ltd" },
];
const DEALS = ["Acme2 renewal", "Globex expansion Q3", "Initech pilot", "Rocketship onboarding"];
const companyIds = new Map<string, string>();
const dealIds = new Map<string, string>();

const sorted = (ids: string[]) => [...ids].sort();

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Narrow Co" });
  other = await createUser(t, { orgName: "Other Narrow Co" });
  const actor = (u: TestUser) => ({ userId: u.id, orgId: u.orgId, role: "owner" as const });
  for (const c of COMPANIES) companyIds.set(c.name, (await as(owner, (tx) => createCompany(tx, actor(owner), c))).id);
  await as(other, (tx) => createCompany(tx, actor(other), { name: "Acme2 Rockets", domain: "acme2rockets.example" }));
  const [pipeline] = await as(owner, (tx) => listPipelines(tx));
  for (const name of DEALS) {
    const input = dealSchema("USD").parse({ name, pipelineId: pipeline.id, stageId: pipeline.stages[0].id, value: "100" });
    const { id } = await as(owner, (tx) => createDeal(tx, { orgId: owner.orgId, userId: owner.id }, input));
    dealIds.set(name, id);
  }
});

describe("companies list filters on the word index", () => {
  const byFilter = async (f: Filter) => sorted((await as(owner, (tx) => listCompanies(tx, state({ filters: [f] })))).rows.map((r) => r.id));
  const expected = (test: (c: (typeof COMPANIES)[number]) => boolean) => sorted(COMPANIES.filter(test).map((c) => companyIds.get(c.name)!));

  it.each(["rocket", "cket", "acme2", "me2 ro", "init", "zebulon", "ro"])("name contains %j", async (part) => {
    expect(await byFilter(filter("name", "contains", part))).toEqual(expected((c) => c.name.toLowerCase().includes(part)));
  });

  it.each(["rockets.ex", "holdings", "globex.com", "nowhere"])("domain contains %j", async (part) => {
    expect(await byFilter(filter("domain", "contains", part))).toEqual(expected((c) => (c.domain ?? "").includes(part)));
  });

  it("matches a whole name with eq, in any case", async () => {
    expect(await byFilter(filter("name", "eq", "GLOBEX"))).toEqual([companyIds.get("Globex")]);
  });
});

describe("deals list search on the word index", () => {
  const found = async (s: Partial<ListState>) => sorted((await as(owner, (tx) => listDeals(tx, state(s)))).rows.map((r) => r.id));
  const expected = (part: string) => sorted(DEALS.filter((d) => d.toLowerCase().includes(part)).map((d) => dealIds.get(d)!));

  it.each(["rocket", "ansion q", "acme2", "e2 ren", "pilot", "zebulon", "q3"])("q %j finds the deals whose name holds it", async (q) => {
    expect(await found({ q })).toEqual(expected(q));
    expect(await found({ filters: [filter("name", "contains", q)] })).toEqual(expected(q));
  });

  it("still searches custom text fields when the org has them (and then does not narrow)", async () => {
    await t.admin`insert into custom_field_definitions (org_id, object_type, key, label, field_type, options)
                  values (${owner.orgId}, 'deal', 'code_name', 'Code name', 'text', '[]')`;
    const id = dealIds.get("Initech pilot")!;
    await t.admin`update deals set custom = '{"code_name": "Zebulon"}' where id = ${id}`;
    try {
      expect(await found({ q: "zebulon" })).toEqual([id]);
    } finally {
      await t.admin`update deals set custom = '{}' where id = ${id}`;
      await t.admin`delete from custom_field_definitions where org_id = ${owner.orgId} and key = 'code_name'`;
    }
  });
});
