// Money filters read the typed amount in the currency's own minor unit: the
// currency the list is filtered to, else the org's default currency.
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listDeals } from "@/modules/crm/deals/queries";
import { parseListState } from "./state";

const t = useTestDatabase();
let yen: TestUser;
let dollars: TestUser;

async function deal(u: TestUser, name: string, minor: number, currency: string) {
  await t.admin`insert into deals (org_id, name, pipeline_id, stage_id, value_minor, currency)
                select ${u.orgId}, ${name}, s.pipeline_id, s.id, ${minor}, ${currency}
                from pipeline_stages s where s.org_id = ${u.orgId} order by s.position limit 1`;
}

async function names(u: TestUser, ...filters: string[]) {
  const parsed = parseListState({ f: filters, sort: "name" });
  if (!parsed.ok) throw new Error(parsed.error);
  const page = await t.db.asUser(u.claims, (tx) => listDeals(tx, parsed.state, { userId: u.id }));
  return page.rows.map((r) => r.name);
}

beforeAll(async () => {
  yen = await createUser(t, { orgName: "Yen Co" });
  dollars = await createUser(t, { orgName: "Dollar Co" });
  await t.admin`update orgs set default_currency = 'JPY' where id = ${yen.orgId}`;
  await deal(yen, "Tokyo", 1500, "JPY"); // ¥1,500
  await deal(yen, "Manama", 1234, "BHD"); // BHD 1.234
  await deal(yen, "Boston", 1234, "USD"); // $12.34
  await deal(dollars, "Denver", 1234, "USD"); // $12.34
  await deal(dollars, "Osaka", 1500, "JPY"); // ¥1,500
});

describe("money filters", () => {
  it("read a currency-less amount in the org's default currency (zero decimals for JPY)", async () => {
    expect(await names(yen, "value:eq:1500")).toEqual(["Tokyo"]);
    expect(await names(yen, "value:gte:1235")).toEqual(["Tokyo"]);
    expect(await names(dollars, "value:eq:12.34")).toEqual(["Denver"]);
    expect(await names(dollars, "value:gt:12.34")).toEqual(["Osaka"]);
  });

  it("read the amount in the currency the list is filtered to (three decimals for BHD)", async () => {
    expect(await names(yen, "currency:eq:BHD", "value:eq:1.234")).toEqual(["Manama"]);
    expect(await names(yen, "currency:eq:usd", "value:eq:12.34")).toEqual(["Boston"]);
    expect(await names(dollars, "currency:eq:JPY", "value:lt:1501")).toEqual(["Osaka"]);
    expect(await names(dollars, "currency:eq:JPY", "value:neq:1500")).toEqual([]);
  });
});
