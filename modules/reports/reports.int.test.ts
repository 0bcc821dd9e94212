import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createReportCsvHandler } from "./http";
import { runReport } from "./service";

const t = useTestDatabase();
let owner: TestUser;
let manager: TestUser;
let member: TestUser;
let other: TestUser;
let pipelineId: string;
let otherPipelineId: string;
const stage: Record<string, string> = {};

const NOW = new Date("2026-12-07T15:00:00Z");
const NY = "America/New_York";

const run = (slug: string, query: string, timeZone = "UTC", user = manager) =>
  t.db.asUser(user.claims, (tx) => runReport(tx, slug, new URLSearchParams(query), timeZone, NOW));
/** The report's rows, each cell as the table shows it, keyed by column label. */
async function table(slug: string, query: string, timeZone = "UTC") {
  const { result } = await run(slug, query, timeZone);
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c) => [c.label, row[c.key]])));
}

const csvHandler = (u: TestUser, role: Role, timeZone = "UTC") =>
  createReportCsvHandler({ session: async () => ({ claims: u.claims, role }), database: () => t.db, timeZone: async () => timeZone });

async function deal(name: string, stageKey: string, opts: { owner?: string; value?: number; createdAt?: string; closedAt?: string; org?: string; pipeline?: string } = {}) {
  const [row] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, currency, value_minor, owner_id)
    values (${opts.org ?? owner.orgId}, ${name}, ${opts.pipeline ?? pipelineId}, ${stage[stageKey]}, 'USD', ${opts.value ?? 0}, ${opts.owner ?? null})
    returning id`;
  if (opts.createdAt) await t.admin`update deals set created_at = ${opts.createdAt} where id = ${row.id}`;
  if (opts.closedAt) await t.admin`update deals set closed_at = ${opts.closedAt} where id = ${row.id}`;
  return row.id as string;
}

/** Replaces the deal's stage history with entries into `stays` (stage, instant) in order. */
async function history(dealId: string, stays: [string, string][]) {
  await t.admin`delete from deal_stage_history where deal_id = ${dealId}`;
  for (const [key, at] of stays) {
    await t.admin`insert into deal_stage_history (org_id, deal_id, to_stage_id, to_status, changed_at)
                  values (${owner.orgId}, ${dealId}, ${stage[key]}, 'open', ${at})`;
  }
}

async function lead(email: string, createdAt: string, opts: { source?: string; status?: string; dealId?: string; campaign?: string; org?: string } = {}) {
  await t.admin`
    insert into leads (org_id, email, source, status, deal_id, attribution, created_at)
    values (${opts.org ?? owner.orgId}, ${email}, ${opts.source ?? "manual"}, ${opts.status ?? "new"}, ${opts.dealId ?? null},
            ${t.admin.json(opts.campaign ? { campaign_id: opts.campaign } : {})}, ${createdAt})`;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Reporters", fullName: "Olive Owner" });
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  await t.admin`update profiles set full_name = 'Mona Manager' where user_id = ${manager.id}`;
  other = await createUser(t, { orgName: "Other org" });
  // Report pipelines first, before the sign-up's own.
  const [p] = await t.admin`insert into pipelines (org_id, name, position) values (${owner.orgId}, 'Cases', -1) returning id`;
  pipelineId = p.id;
  for (const [key, position, won, lost] of [
    ["new", 0, false, false],
    ["contacted", 1, false, false],
    ["approved", 2, false, false],
    ["won", 3, true, false],
    ["lost", 4, false, true],
  ] as const) {
    const [s] = await t.admin`insert into pipeline_stages (org_id, pipeline_id, name, position, is_won, is_lost)
                              values (${owner.orgId}, ${pipelineId}, ${key[0].toUpperCase() + key.slice(1)}, ${position}, ${won}, ${lost}) returning id`;
    stage[key] = s.id;
  }
  const [op] = await t.admin`insert into pipelines (org_id, name) values (${other.orgId}, 'Theirs') returning id`;
  otherPipelineId = op.id;
  const [os] = await t.admin`insert into pipeline_stages (org_id, pipeline_id, name, position) values (${other.orgId}, ${otherPipelineId}, 'New', 0) returning id`;
  stage.otherNew = os.id;
  // Another org's deals and leads, in the same days: never counted.
  for (let i = 0; i < 3; i++) {
    await deal(`Theirs ${i}`, "otherNew", { org: other.orgId, pipeline: otherPipelineId, value: 999_00, createdAt: "2026-12-01T12:00:00Z" });
    await lead(`theirs${i}@other.example`, "2026-12-01T12:00:00Z", { org: other.orgId });
  }
});

describe("open deals by stage", () => {
  beforeAll(async () => {
    await deal("A", "new", { owner: owner.id, value: 100_00 });
    await deal("B", "new", { owner: manager.id, value: 250_50 });
    await deal("C", "contacted", { owner: manager.id, value: 1_000_00 });
    await deal("Done", "won", { owner: manager.id, value: 5_000_00, closedAt: "2026-12-02T12:00:00Z" });
    await deal("Dropped", "lost", { owner: owner.id, value: 70_00, closedAt: "2026-12-03T12:00:00Z" });
    const archived = await deal("Archived", "new", { value: 1_00 });
    await t.admin`update deals set archived_at = now() where id = ${archived}`;
  });

  it("counts each open stage's deals and their value, leaving out won, lost, archived and other orgs' deals", async () => {
    expect(await table("by-stage", `pipeline=${pipelineId}`)).toEqual([
      { Stage: "New", "Open deals": 2, Value: [{ currency: "USD", amount: "350.50" }] },
      { Stage: "Contacted", "Open deals": 1, Value: [{ currency: "USD", amount: "1000.00" }] },
      { Stage: "Approved", "Open deals": 0, Value: [] },
    ]);
  });

  it("gives each owner their open deals and value, and what they won and lost in the range", async () => {
    const rows = await table("by-owner", `pipeline=${pipelineId}&from=2026-12-01&to=2026-12-07`);
    expect(rows).toEqual([
      expect.objectContaining({ Owner: "Mona Manager", "Open deals": 2, "Open value": [{ currency: "USD", amount: "1250.50" }], Won: 1, "Won value": [{ currency: "USD", amount: "5000.00" }], Lost: 0 }),
      expect.objectContaining({ Owner: "Olive Owner", "Open deals": 1, Won: 0, "Won value": [], Lost: 1 }),
    ]);
    const before = await table("by-owner", `pipeline=${pipelineId}&from=2026-11-01&to=2026-11-30`);
    expect(before.map((r) => [r.Owner, r.Won, r.Lost])).toEqual([
      ["Mona Manager", 0, 0],
      ["Olive Owner", 0, 0],
    ]);
  });
});

describe("new deals over time", () => {
  beforeAll(async () => {
    // 23:59 on Nov 29 in New York, 04:59 on Nov 30 in UTC.
    await deal("Edge 1", "new", { createdAt: "2026-11-30T04:59:00Z" });
    // 23:30 on Nov 30 in New York, Dec 1 in UTC.
    await deal("Edge 2", "new", { createdAt: "2026-12-01T04:30:00Z" });
    // 00:30 on Dec 1 in New York.
    await deal("Edge 3", "new", { createdAt: "2026-12-01T05:30:00Z" });
    await deal("Later", "new", { createdAt: "2026-12-03T15:00:00Z" });
  });

  it("buckets by the reader's calendar days, empty days included", async () => {
    const q = `pipeline=${pipelineId}&from=2026-11-30&to=2026-12-02&by=day`;
    expect(await table("new", q, NY)).toEqual([
      { Day: "2026-11-30", "New deals": 1 },
      { Day: "2026-12-01", "New deals": 1 },
      { Day: "2026-12-02", "New deals": 0 },
    ]);
    expect(await table("new", q, "UTC")).toEqual([
      { Day: "2026-11-30", "New deals": 1 },
      { Day: "2026-12-01", "New deals": 2 },
      { Day: "2026-12-02", "New deals": 0 },
    ]);
  });

  it("buckets by weeks starting on Monday and by months", async () => {
    const weeks = await table("new", `pipeline=${pipelineId}&from=2026-11-29&to=2026-12-06&by=week`, NY);
    expect(weeks).toEqual([
      { Week: "2026-11-23", "New deals": 1 },
      { Week: "2026-11-30", "New deals": 3 },
    ]);
    const months = await table("new", `pipeline=${pipelineId}&from=2026-10-15&to=2026-11-30&by=month`, NY);
    expect(months).toEqual([
      { Month: "2026-10-01", "New deals": 0 },
      { Month: "2026-11-01", "New deals": 2 },
    ]);
  });
});

describe("won and lost", () => {
  it("counts and sums the deals closed in each bucket", async () => {
    const rows = await table("won-lost", `pipeline=${pipelineId}&from=2026-12-01&to=2026-12-03&by=day`);
    expect(rows).toEqual([
      { Day: "2026-12-01", Won: 0, "Won value": [], Lost: 0, "Lost value": [] },
      { Day: "2026-12-02", Won: 1, "Won value": [{ currency: "USD", amount: "5000.00" }], Lost: 0, "Lost value": [] },
      { Day: "2026-12-03", Won: 0, "Won value": [], Lost: 1, "Lost value": [{ currency: "USD", amount: "70.00" }] },
    ]);
  });
});

describe("time in stage", () => {
  beforeAll(async () => {
    const x = await deal("Stays X", "approved");
    const y = await deal("Stays Y", "contacted");
    const z = await deal("Stays Z", "contacted");
    const old = await deal("Stays old", "contacted");
    // New for 2 days, Contacted for 3 (a status change on the way does not end the stay).
    await history(x, [
      ["new", "2026-11-01T00:00:00Z"],
      ["contacted", "2026-11-03T00:00:00Z"],
      ["contacted", "2026-11-04T00:00:00Z"],
      ["approved", "2026-11-06T00:00:00Z"],
    ]);
    await history(y, [
      ["new", "2026-11-01T00:00:00Z"],
      ["contacted", "2026-11-05T00:00:00Z"],
    ]);
    await history(z, [
      ["new", "2026-11-10T00:00:00Z"],
      ["contacted", "2026-11-19T00:00:00Z"],
    ]);
    // Left New before the range: not counted.
    await history(old, [
      ["new", "2026-10-01T00:00:00Z"],
      ["contacted", "2026-10-21T00:00:00Z"],
    ]);
  });

  it("averages and takes the median of the stays that ended in the range", async () => {
    const rows = await table("time-in-stage", `pipeline=${pipelineId}&from=2026-11-01&to=2026-11-30`);
    expect(rows.slice(0, 2)).toEqual([
      // 2, 4 and 9 days.
      { Stage: "New", "Stays ended": 3, "Average days": 5, "Median days": 4, "In stage now": expect.any(Number) },
      { Stage: "Contacted", "Stays ended": 1, "Average days": 3, "Median days": 3, "In stage now": expect.any(Number) },
    ]);
    expect(rows[2]).toMatchObject({ Stage: "Approved", "Stays ended": 0, "Average days": null, "Median days": null });
  });
});

describe("lead funnel", () => {
  beforeAll(async () => {
    const far = await deal("Funnel far", "approved");
    const mid = await deal("Funnel mid", "contacted");
    const start = await deal("Funnel start", "new");
    const skipped = await deal("Funnel lost", "lost");
    await history(far, [["new", "2026-10-02T00:00:00Z"], ["contacted", "2026-10-03T00:00:00Z"], ["approved", "2026-10-04T00:00:00Z"]]);
    await history(mid, [["new", "2026-10-02T00:00:00Z"], ["contacted", "2026-10-03T00:00:00Z"]]);
    await history(start, [["new", "2026-10-02T00:00:00Z"]]);
    // Went from New straight to Lost: reached New only.
    await history(skipped, [["new", "2026-10-02T00:00:00Z"], ["lost", "2026-10-05T00:00:00Z"]]);
    await lead("far@x.example", "2026-10-01T12:00:00Z", { dealId: far });
    await lead("mid@x.example", "2026-10-01T12:00:00Z", { dealId: mid });
    await lead("start@x.example", "2026-10-01T12:00:00Z", { dealId: start });
    await lead("lost@x.example", "2026-10-01T12:00:00Z", { dealId: skipped });
    await lead("open@x.example", "2026-10-01T12:00:00Z");
    await lead("late@x.example", "2026-10-09T12:00:00Z");
  });

  it("follows the range's leads to a deal and through the stages", async () => {
    const rows = await table("funnel", `pipeline=${pipelineId}&from=2026-10-01&to=2026-10-08`);
    expect(rows).toEqual([
      { Step: "Leads", Count: 5, "% of leads": 100, "% of previous step": null },
      { Step: "Converted to deal", Count: 4, "% of leads": 80, "% of previous step": 80 },
      { Step: "Reached New", Count: 4, "% of leads": 80, "% of previous step": 100 },
      { Step: "Reached Contacted", Count: 2, "% of leads": 40, "% of previous step": 50 },
      { Step: "Reached Approved", Count: 1, "% of leads": 20, "% of previous step": 50 },
      { Step: "Reached Won", Count: 0, "% of leads": 0, "% of previous step": 0 },
    ]);
  });

  it("ends at the chosen stage, titled for it", async () => {
    const report = await run("funnel", `pipeline=${pipelineId}&from=2026-10-01&to=2026-10-08&stage=${stage.approved}`);
    expect(report.title).toBe("Lead to approved");
    expect(report.result.rows.map((r) => r.step)).toEqual(["Leads", "Converted to deal", "Reached New", "Reached Contacted", "Reached Approved"]);
  });
});

describe("leads over time", () => {
  beforeAll(async () => {
    await lead("s1@x.example", "2026-09-01T12:00:00Z", { source: "meta", status: "new" });
    await lead("s2@x.example", "2026-09-01T13:00:00Z", { source: "meta", status: "qualified" });
    await lead("s3@x.example", "2026-09-02T12:00:00Z", { source: "web_form", status: "new" });
    // Sep 3, 01:00 UTC is Sep 2 in New York.
    await lead("s4@x.example", "2026-09-03T01:00:00Z", { source: "web_form", status: "new" });
  });

  it("counts each day's leads per source, labelled as Settings names them", async () => {
    expect(await table("leads-by-source", "from=2026-09-01&to=2026-09-03", NY)).toEqual([
      { Day: "2026-09-01", "Web form": 0, Meta: 2, Total: 2 },
      { Day: "2026-09-02", "Web form": 2, Meta: 0, Total: 2 },
      { Day: "2026-09-03", "Web form": 0, Meta: 0, Total: 0 },
    ]);
  });

  it("counts each day's leads per status they have now", async () => {
    const rows = await table("leads-by-status", "from=2026-09-01&to=2026-09-02", "UTC");
    expect(rows).toEqual([
      { Day: "2026-09-01", New: 1, Qualified: 1, Total: 2 },
      { Day: "2026-09-02", New: 1, Qualified: 0, Total: 1 },
    ]);
  });
});

describe("Meta campaign performance", () => {
  beforeAll(async () => {
    const purpose = "meta.ads_token:act_1";
    const sealed = await sealSecret(await parseKeyring(generateKeySpec("k1")), "EAAGreportToken", { orgId: owner.orgId, purpose });
    const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id) values (${owner.orgId}, ${purpose}, ${sealed}, 'k1') returning id`;
    const [account] = await t.admin`insert into meta_ad_accounts (org_id, account_id, name, currency, time_zone, token_secret_id)
                                    values (${owner.orgId}, 'act_1', 'Ads', 'USD', 'UTC', ${secret.id}) returning id`;
    await t.admin`insert into meta_ad_spend (org_id, ad_account_id, campaign_id, campaign_name, date, spend) values
      (${owner.orgId}, ${account.id}, '111', 'Spring', '2026-08-01', 100.00),
      (${owner.orgId}, ${account.id}, '111', 'Spring', '2026-08-02', 50.00),
      (${owner.orgId}, ${account.id}, '222', 'Autumn', '2026-08-01', 40.00),
      (${owner.orgId}, ${account.id}, '111', 'Spring', '2026-07-01', 900.00)`;
    const approved = await deal("Meta approved", "approved");
    const won = await deal("Meta won", "won");
    const early = await deal("Meta early", "new");
    await history(approved, [["new", "2026-08-03T00:00:00Z"], ["approved", "2026-08-04T00:00:00Z"]]);
    await history(won, [["new", "2026-08-03T00:00:00Z"], ["won", "2026-08-05T00:00:00Z"]]);
    await history(early, [["new", "2026-08-03T00:00:00Z"]]);
    await lead("m1@x.example", "2026-08-01T10:00:00Z", { campaign: "111", dealId: approved, source: "meta" });
    await lead("m2@x.example", "2026-08-01T11:00:00Z", { campaign: "111", dealId: won, source: "meta" });
    await lead("m3@x.example", "2026-08-02T11:00:00Z", { campaign: "111", dealId: early, source: "meta" });
    await lead("m4@x.example", "2026-08-02T12:00:00Z", { campaign: "111", source: "meta" });
    await lead("m5@x.example", "2026-08-01T12:00:00Z", { campaign: "222", source: "meta" });
    await lead("m6@x.example", "2026-07-01T12:00:00Z", { campaign: "111", source: "meta" });
  });

  it("gives each campaign's spend, leads, leads that reached the stage, and the cost of each", async () => {
    const rows = await table("meta-campaigns", `pipeline=${pipelineId}&from=2026-08-01&to=2026-08-31&stage=${stage.approved}`);
    const usd = (amount: string) => [{ currency: "USD", amount }];
    expect(rows).toEqual([
      { Campaign: "Spring", Leads: 4, "Reached Approved": 2, Spend: usd("150.00"), "Cost per lead": usd("37.50"), "Cost per approved deal": usd("75.00") },
      { Campaign: "Autumn", Leads: 1, "Reached Approved": 0, Spend: usd("40.00"), "Cost per lead": usd("40.00"), "Cost per approved deal": null },
    ]);
  });
});

describe("the CSV download", () => {
  it("holds the rows the page shows, with the report and range in its name", async () => {
    const res = await csvHandler(manager, "manager", NY)(
      new Request(`http://localhost/api/reports/new/csv?pipeline=${pipelineId}&from=2026-11-30&to=2026-12-02&by=day`),
      "new",
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="new-deals-2026-11-30-to-2026-12-02.csv"');
    const text = (await res.text()).replace(/^\uFEFF/, "");
    expect(Papa.parse(text, { skipEmptyLines: true }).data).toEqual([
      ["Day", "New deals"],
      ["2026-11-30", "1"],
      ["2026-12-01", "1"],
      ["2026-12-02", "0"],
    ]);
  });

  it("writes money as the table shows it and percentages with one decimal", async () => {
    const stages = await csvHandler(owner, "owner")(new Request(`http://localhost/x?pipeline=${pipelineId}`), "by-stage");
    expect(stages.headers.get("content-disposition")).toMatch(/^attachment; filename="deals-by-stage-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = Papa.parse((await stages.text()).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual(["Stage", "Open deals", "Value"]);
    expect(rows[1]).toEqual(["New", expect.any(String), expect.stringMatching(/^\$[\d,]+\.\d\d$/)]);
    const funnel = await csvHandler(owner, "owner")(new Request(`http://localhost/x?pipeline=${pipelineId}&from=2026-10-01&to=2026-10-08`), "funnel");
    const funnelRows = Papa.parse<string[]>((await funnel.text()).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(funnelRows[0]).toEqual(["Step", "Count", "% of leads", "% of previous step"]);
    expect(funnelRows[1]).toEqual(["Leads", "5", "100.0%", ""]);
    expect(funnelRows[4]).toEqual(["Reached Contacted", "2", "40.0%", "50.0%"]);
  });

  it("is refused to members, as the page is", async () => {
    const res = await csvHandler(member, "member")(new Request(`http://localhost/x?pipeline=${pipelineId}`), "by-stage");
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
  });

  it("refuses bad parameters with a 400 naming them, and an unknown report with a 404", async () => {
    const ask = async (slug: string, query: string) => {
      const res = await csvHandler(manager, "manager")(new Request(`http://localhost/x?${query}`), slug);
      return { status: res.status, details: (await res.json()).error.details };
    };
    expect(await ask("new", "from=2026-12-05&to=2026-12-01")).toEqual({ status: 400, details: { from: [expect.stringMatching(/on or before/)] } });
    expect(await ask("new", "from=2026-02-30&to=2026-03-01")).toEqual({ status: 400, details: { from: [expect.any(String)] } });
    expect(await ask("new", "range=fortnight")).toEqual({ status: 400, details: { range: [expect.any(String)] } });
    expect(await ask("new", "by=hour")).toEqual({ status: 400, details: { by: [expect.any(String)] } });
    expect(await ask("new", "from=2024-01-01&to=2026-01-01&by=day")).toEqual({ status: 400, details: { by: [expect.any(String)] } });
    // Another org's pipeline is one this reader cannot see.
    expect(await ask("new", `pipeline=${otherPipelineId}`)).toEqual({ status: 400, details: { pipeline: [expect.any(String)] } });
    expect(await ask("new", "pipeline=not-an-id")).toEqual({ status: 400, details: { pipeline: [expect.any(String)] } });
    expect(await ask("new", `pipeline=${pipelineId}&stage=${stage.otherNew}`)).toEqual({ status: 400, details: { stage: [expect.any(String)] } });
    expect((await csvHandler(manager, "manager")(new Request("http://localhost/x"), "nope")).status).toBe(404);
  });
});

describe("row-level security", () => {
  it("counts only the reader's org, even in reports without a pipeline filter", async () => {
    const mine = await table("leads-by-source", "from=2026-12-01&to=2026-12-01");
    expect(mine).toEqual([{ Day: "2026-12-01", Total: 0 }]);
    const theirs = await t.db.asUser(other.claims, (tx) => runReport(tx, "leads-by-source", new URLSearchParams("from=2026-12-01&to=2026-12-01"), "UTC", NOW));
    expect(theirs.result.rows).toEqual([expect.objectContaining({ total: 3 })]);
  });
});

describe("an agency on the surrogacy template", () => {
  let agency: TestUser;
  const agencyRun = (slug: string, query: string) =>
    t.db.asUser(agency.claims, (tx) => runReport(tx, slug, new URLSearchParams(query), "UTC", NOW));

  beforeAll(async () => {
    agency = await createUser(t, { orgName: "Bloom Reports", template: "surrogacy" });
  });

  it("names its reports by each pipeline's noun", async () => {
    const cases = await agencyRun("by-stage", "");
    expect(cases.title).toBe("Cases by stage");
    expect(cases.result.columns.map((c) => c.label)).toEqual(["Stage", "Open cases", "Value"]);
    expect(cases.result.rows.map((r) => r.stage)).toEqual([
      "New", "Contacted", "Qualified", "Applied", "Under review", "Approved", "Pending handoff", "Pending match", "Matched", "In journey",
    ]);
    expect(cases.fileName).toBe("cases-by-stage-2026-12-07.csv");

    const [parents] = await t.admin`select id from pipelines where org_id = ${agency.orgId} and name = 'Intended parents'`;
    const owners = await agencyRun("by-owner", `pipeline=${parents.id}`);
    expect(owners.title).toBe("Intended parents by owner");
    expect(owners.result.columns.map((c) => c.label)).toContain("Open intended parents");
    expect((await agencyRun("new", `pipeline=${parents.id}`)).title).toBe("New intended parents");
  });

  it("follows leads to an approved case", async () => {
    const [approved] = await t.admin`select s.id from pipeline_stages s join pipelines p on p.id = s.pipeline_id
                                     where p.org_id = ${agency.orgId} and p.name = 'Cases' and s.name = 'Approved'`;
    const funnel = await agencyRun("funnel", `stage=${approved.id}`);
    expect(funnel.title).toBe("Lead to approved");
    expect(funnel.result.rows.map((r) => r.step)).toEqual([
      "Leads", "Converted to case", "Reached New", "Reached Contacted", "Reached Qualified", "Reached Applied", "Reached Under review", "Reached Approved",
    ]);
    const meta = await agencyRun("meta-campaigns", `stage=${approved.id}`);
    expect(meta.result.columns.map((c) => c.label)).toEqual(["Campaign", "Leads", "Reached Approved", "Spend", "Cost per lead", "Cost per approved case"]);
  });
});
