import { beforeAll, describe, expect, it } from "vitest";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { searchAsMember, searchRecords } from "./queries";

const t = useTestDatabase();

let owner: TestUser;
let outsider: TestUser;
const ids: Record<string, string> = {};

async function company(orgId: string, name: string, domain: string | null = null, archived = false) {
  const [row] = await t.admin`
    insert into companies (org_id, name, domain, archived_at)
    values (${orgId}, ${name}, ${domain}, ${archived ? new Date() : null}) returning id`;
  return row.id as string;
}

async function person(
  orgId: string,
  first: string,
  last: string,
  opts: { email?: string; phone?: string; companyId?: string; archived?: boolean } = {},
) {
  const [row] = await t.admin`
    insert into people (org_id, first_name, last_name, email, phone, company_id, archived_at)
    values (${orgId}, ${first}, ${last}, ${opts.email ?? null}, ${opts.phone ?? null}, ${opts.companyId ?? null},
            ${opts.archived ? new Date() : null})
    returning id`;
  return row.id as string;
}

async function deal(orgId: string, name: string, valueMinor: number, companyId: string | null = null) {
  const [stage] = await t.admin`
    select s.id, s.pipeline_id from pipeline_stages s join pipelines p on p.id = s.pipeline_id
    where s.org_id = ${orgId} and s.position = 0 limit 1`;
  const [row] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, value_minor, currency, company_id)
    values (${orgId}, ${name}, ${stage.pipeline_id}, ${stage.id}, ${valueMinor}, 'USD', ${companyId}) returning id`;
  return row.id as string;
}

const search = (user: TestUser, q: string) => t.db.asUser(user.claims, (tx) => searchRecords(tx, q));

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Searchers" });
  outsider = await createUser(t, { orgName: "Elsewhere" });
  const org = owner.orgId;

  ids.acme = await company(org, "Acme Rockets", "acme.io");
  ids.globex = await company(org, "Globex", "globex.com");
  ids.oldCo = await company(org, "Acme Archived", null, true);
  ids.john = await person(org, "John", "Smith", { email: "john@acme.io", phone: "+14155550100", companyId: ids.acme });
  ids.smithAdams = await person(org, "Smith", "Adams", { email: "sa@globex.com" });
  ids.smyth = await person(org, "Jane", "Smyth");
  ids.jonathan = await person(org, "Jonathan", "Appleseed", { companyId: ids.globex });
  ids.worker = await person(org, "Wile", "Coyote", { companyId: ids.acme });
  ids.archived = await person(org, "John", "Smithers", { archived: true });
  ids.emailOnly = await t.admin`insert into people (org_id, email) values (${org}, ${"nobody@example.org"}) returning id`.then(
    (r) => r[0].id as string,
  );
  ids.rocketDeal = await deal(org, "Rocket skates", 1_234_500, ids.acme);
  ids.bigDeal = await deal(org, "Enterprise renewal", 990_000, ids.globex);

  ids.outsiderJohn = await person(outsider.orgId, "John", "Smith", { phone: "+14155550100" });
  ids.outsiderCo = await company(outsider.orgId, "Acme Outside");
  await deal(outsider.orgId, "Rocket skates", 100);
});

describe("searchRecords", () => {
  it("finds a person despite typos in first and last name", async () => {
    const r = await search(owner, "jonh smiht");
    expect(r.people[0]?.id).toBe(ids.john);
    expect(r.people[0]).toMatchObject({ title: "John Smith", href: `/people/${ids.john}` });
    expect(r.people[0]?.subtitle).toBe("john@acme.io · Acme Rockets");

    const apple = await search(owner, "jonathn aplseed");
    expect(apple.people[0]?.id).toBe(ids.jonathan);
  });

  it("finds a person by the digits of their phone, however they are typed", async () => {
    for (const q of ["4155550100", "(415) 555-0100", "+1 415 555 0100", "5550100"]) {
      const r = await search(owner, q);
      expect(r.people.map((h) => h.id), q).toEqual([ids.john]);
    }
  });

  it("finds people and deals by their company's name, and companies by name and domain", async () => {
    const r = await search(owner, "acme");
    expect(r.companies.map((h) => h.id)).toEqual([ids.acme]);
    expect(r.companies[0]?.subtitle).toBe("acme.io");
    expect(new Set(r.people.map((h) => h.id))).toEqual(new Set([ids.john, ids.worker]));
    expect(r.deals.map((h) => h.id)).toEqual([ids.rocketDeal]);
    expect(r.deals[0]).toMatchObject({
      subtitle: "$12,345.00 · Qualified",
      match: { field: "company", text: "Acme Rockets" },
    });

    expect((await search(owner, "globex.com")).companies.map((h) => h.id)).toEqual([ids.globex]);
    expect((await search(owner, "enterprise renewl")).deals.map((h) => h.id)).toEqual([ids.bigDeal]);
  });

  it("ranks a name that starts with the query first, then a later word, then look-alikes", async () => {
    const r = await search(owner, "smith");
    expect(r.people.map((h) => h.id).slice(0, 3)).toEqual([ids.smithAdams, ids.john, ids.smyth]);
  });

  it("matches prefixes of two letters and treats LIKE wildcards as text", async () => {
    expect((await search(owner, "Jo")).people.map((h) => h.id)).toEqual(expect.arrayContaining([ids.john, ids.jonathan]));
    expect(await search(owner, "%%")).toMatchObject({ people: [], companies: [], deals: [] });
    expect(await search(owner, "j")).toMatchObject({ people: [], companies: [], deals: [] });
  });

  it("finds a person who has only an email, titled by it", async () => {
    const r = await search(owner, "nobody@");
    expect(r.people).toEqual([expect.objectContaining({ id: ids.emailOnly, title: "nobody@example.org", subtitle: null })]);
  });

  it("leaves archived records out", async () => {
    const r = await search(owner, "john smithers");
    expect(r.people.map((h) => h.id)).not.toContain(ids.archived);
    expect((await search(owner, "acme archived")).companies.map((h) => h.id)).not.toContain(ids.oldCo);
  });

  it("never returns another org's records", async () => {
    const mine = await search(owner, "john smith");
    const theirs = await search(outsider, "john smith");
    expect(mine.people.map((h) => h.id)).not.toContain(ids.outsiderJohn);
    expect(theirs.people.map((h) => h.id)).toEqual([ids.outsiderJohn]);
    expect((await search(outsider, "4155550100")).people.map((h) => h.id)).toEqual([ids.outsiderJohn]);
    const acme = await search(outsider, "acme");
    expect(acme.companies.map((h) => h.id)).toEqual([ids.outsiderCo]);
    expect(acme.deals).toEqual([]);
  });

  it("answers with the caller's role, and finds nothing for someone in no org", async () => {
    const member = await createMember(t, owner.orgId, "member");
    const asMember = await t.db.asUser(member.claims, (tx) => searchAsMember(tx, "jonh smiht"));
    expect(asMember.role).toBe("member");
    expect(asMember.results.people[0]?.id).toBe(ids.john);
    expect((await t.db.asUser(owner.claims, (tx) => searchAsMember(tx, "j"))).role).toBe("owner");

    const nobody = { sub: "00000000-0000-4000-8000-000000000002", role: "authenticated" };
    const none = await t.db.asUser(nobody, (tx) => searchAsMember(tx, "john smith"));
    expect(none).toEqual({ role: null, results: { q: "john smith", people: [], companies: [], deals: [], leads: [] } });
  });

  it("keeps at most eight of a kind, best first, people of a matching company one rank below", async () => {
    const org = owner.orgId;
    const crowd = await company(org, "Quillfeather Holdings");
    for (let i = 0; i < 12; i++) await person(org, `Staffer${"abcdefghijkl"[i]}`, "Plain", { companyId: crowd });
    const named = await person(org, "Quillfeather", "Jones");
    const r = await search(owner, "quillfeather");
    expect(r.companies.map((h) => h.id)).toEqual([crowd]);
    expect(r.people).toHaveLength(8);
    expect(r.people[0]?.id).toBe(named);
    expect(r.people[0]?.match).toBeNull();
    expect(
      r.people.slice(1).every((h) => h.subtitle === null && h.match?.field === "company" && h.match.text === "Quillfeather Holdings"),
    ).toBe(true);
  });
});

describe("searchRecords finds only records that match what was typed", () => {
  let org: TestUser;
  const mine: Record<string, string> = {};

  beforeAll(async () => {
    org = await createUser(t, { orgName: "Foxglove Searchers" });
    mine.foxglove = await company(org.orgId, "Foxglove Family Law", "foxglovelaw.com");
    mine.partner = await person(org.orgId, "Mina", "Okafor", { companyId: mine.foxglove });
    mine.retainer = await deal(org.orgId, "Annual retainer", 500_000, mine.foxglove);
    mine.sofia = await person(org.orgId, "Sofia", "Marin", { email: "sofia@marin.example" });
    mine.membership = await deal(org.orgId, "Membership software", 250_000);
    // An import's undo deletes what it added; its words stay in the search dictionary.
    const [ada] = await t.admin`insert into people (org_id, first_name, last_name) values (${org.orgId}, 'Ada', 'Lovelace') returning id`;
    await t.admin`delete from people where id = ${ada.id}`;
  });

  it("answers nothing for a name no record holds, not records sharing a few letters with it", async () => {
    expect(await search(org, "lovelace")).toMatchObject({ people: [], companies: [], deals: [] });
  });

  it("leaves out records whose words merely look like the query", async () => {
    const r = await search(org, "sofia");
    expect(r.people.map((h) => h.id)).toEqual([mine.sofia]);
    expect(r.deals).toEqual([]);
    expect(r.companies).toEqual([]);
  });

  it("still forgives a typo in a word the record holds", async () => {
    expect((await search(org, "membership softwre")).deals.map((h) => h.id)).toEqual([mine.membership]);
    expect((await search(org, "foxglvoe")).companies.map((h) => h.id)).toEqual([mine.foxglove]);
  });
});

describe("searchRecords says which field a hit matched when it is not the name", () => {
  const matchOf = async (q: string, kind: "people" | "companies" | "deals", id: string) =>
    (await search(owner, q))[kind].find((h) => h.id === id)?.match;

  it("says nothing for a hit found by its name, typos included, even when another field holds the words too", async () => {
    expect(await matchOf("jonh smiht", "people", ids.john)).toBeNull();
    expect(await matchOf("john", "people", ids.john)).toBeNull();
    expect(await matchOf("acme rockets", "companies", ids.acme)).toBeNull();
    expect(await matchOf("rocket skates", "deals", ids.rocketDeal)).toBeNull();
  });

  it("names the email when the name does not hold every typed word", async () => {
    const r = await search(owner, "john@acme");
    expect(r.people[0]).toMatchObject({ id: ids.john, match: { field: "email", text: "john@acme.io" }, subtitle: "Acme Rockets" });
    expect(await matchOf("globex", "people", ids.smithAdams)).toEqual({ field: "email", text: "sa@globex.com" });
    // A typo in the email's words still tells which field was meant.
    expect(await matchOf("acmme", "people", ids.john)).toEqual({ field: "email", text: "john@acme.io" });
  });

  it("names the phone for a phone number, however it is typed", async () => {
    for (const q of ["4155550100", "(415) 555-0100", "5550100"]) {
      expect(await matchOf(q, "people", ids.john), q).toEqual({ field: "phone", text: "+14155550100" });
    }
  });

  it("names the company for people and deals found through it", async () => {
    expect(await matchOf("acme", "people", ids.worker)).toEqual({ field: "company", text: "Acme Rockets" });
    expect(await matchOf("globex", "people", ids.jonathan)).toEqual({ field: "company", text: "Globex" });
    expect(await matchOf("globex", "deals", ids.bigDeal)).toEqual({ field: "company", text: "Globex" });
    // John's own email holds "acme": that is what matched him, not his company.
    expect(await matchOf("acme", "people", ids.john)).toEqual({ field: "email", text: "john@acme.io" });
  });

  it("names a company's domain when its name does not hold every typed word", async () => {
    const r = await search(owner, "globex.com");
    expect(r.companies[0]).toMatchObject({ id: ids.globex, match: { field: "domain", text: "globex.com" }, subtitle: null });
    expect(await matchOf("globex", "companies", ids.globex)).toBeNull();
  });

  it("says nothing more for a person titled by their email", async () => {
    expect(await matchOf("nobody@", "people", ids.emailOnly)).toBeNull();
  });
});
