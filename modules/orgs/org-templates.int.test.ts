// A vertical is data: the template an org picks at sign-up seeds its teams,
// pipelines, nouns, stage restrictions, lead statuses and custom fields in
// the sign-up transaction (private.apply_org_template), and the surrogacy
// demo org of supabase/seed.sql is exactly that template plus its records.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { applySeed } from "@/lib/db/migrate";
import { isDomainError } from "@/lib/errors";
import { listPipelines as listPipelinesOp } from "@/modules/api/resources/pipelines";
import { setPipelineNouns } from "@/modules/crm/pipelines";
import { callApi, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();

async function pipelinesOf(orgId: string) {
  const pipelines = await t.admin<{ id: string; name: string; noun_singular: string | null; noun_plural: string | null }[]>`
    select id, name, noun_singular, noun_plural from pipelines where org_id = ${orgId} order by position`;
  return Promise.all(
    pipelines.map(async (p) => ({
      ...p,
      stages: await t.admin<{ name: string; is_won: boolean; is_lost: boolean; roles: string[]; teams: string[] }[]>`
        select s.name, s.is_won, s.is_lost, s.restricted_roles::text[] as roles,
               array(select tm.name from teams tm where tm.id = any (s.restricted_team_ids) order by tm.name) as teams
        from pipeline_stages s where s.pipeline_id = ${p.id} order by s.position`,
    })),
  );
}

const statusesOf = (orgId: string) =>
  t.admin<{ key: string; label: string; category: string }[]>`
    select key, label, category::text from lead_statuses where org_id = ${orgId} order by position`;

const teamsOf = (orgId: string) =>
  t.admin<{ name: string; members: number }[]>`
    select tm.name, (select count(*)::int from team_members x where x.team_id = tm.id) as members
    from teams tm where tm.org_id = ${orgId} order by tm.name`;

describe("org templates", () => {
  it("seeds a sales org as every org was seeded before: one Sales pipeline, the default statuses, no teams", async () => {
    const u = await createUser(t, { orgName: "Sales Co" });
    const [org] = await t.admin`select template from orgs where id = ${u.orgId}`;
    expect(org.template).toBe("sales");
    const [sales, ...others] = await pipelinesOf(u.orgId);
    expect(others).toEqual([]);
    expect(sales).toMatchObject({ name: "Sales", noun_singular: null, noun_plural: null });
    expect(sales.stages.map((s) => s.name)).toEqual(["Qualified", "Contact made", "Proposal sent", "Negotiation", "Won", "Lost"]);
    expect(sales.stages.every((s) => s.roles.length === 0 && s.teams.length === 0)).toBe(true);
    expect((await statusesOf(u.orgId)).map((s) => s.key)).toEqual(["new", "qualified", "routed", "won", "lost"]);
    expect(await teamsOf(u.orgId)).toEqual([]);
    const [counts] = await t.admin`
      select (select count(*)::int from lead_sources where org_id = ${u.orgId}) as sources,
             (select count(*)::int from message_templates where org_id = ${u.orgId}) as templates,
             (select count(*)::int from meta_conversion_stages where org_id = ${u.orgId}) as conversions,
             (select count(*)::int from custom_field_definitions where org_id = ${u.orgId}) as fields`;
    expect(counts).toMatchObject({ sources: 7, templates: 8, conversions: 3, fields: 0 });
  });

  it("seeds a surrogacy agency: Intake and Case management teams, Cases and Intended parents pipelines with their nouns", async () => {
    const u = await createUser(t, { orgName: "Stork & Co", template: "surrogacy" });
    expect(await teamsOf(u.orgId)).toEqual([
      { name: "Case management", members: 0 },
      { name: "Intake", members: 0 },
    ]);
    const [cases, parents, ...others] = await pipelinesOf(u.orgId);
    expect(others).toEqual([]);
    expect(cases).toMatchObject({ name: "Cases", noun_singular: "Case", noun_plural: "Cases" });
    expect(cases.stages.map((s) => s.name)).toEqual([
      "New", "Contacted", "Qualified", "Applied", "Under review", "Approved", "Pending handoff",
      "Pending match", "Matched", "In journey", "Delivered", "Not eligible", "Withdrawn",
    ]);
    const side = (name: string) => cases.stages.find((s) => s.name === name);
    for (const name of ["New", "Under review", "Pending handoff", "Not eligible"]) {
      expect(side(name)).toMatchObject({ roles: ["manager"], teams: ["Intake"] });
    }
    for (const name of ["Pending match", "Matched", "In journey", "Delivered", "Withdrawn"]) {
      expect(side(name)).toMatchObject({ roles: [], teams: ["Case management"] });
    }
    expect(side("Delivered")?.is_won).toBe(true);
    expect(parents).toMatchObject({ name: "Intended parents", noun_singular: "Intended parent", noun_plural: "Intended parents" });
    expect(parents.stages.map((s) => s.name)).toEqual(["New", "Contacted", "In review", "Qualified", "Matched", "Declined", "On hold"]);
    expect(parents.stages.find((s) => s.name === "Declined")?.is_lost).toBe(true);

    const statuses = await statusesOf(u.orgId);
    expect(statuses.map((s) => s.label)).toEqual(["New inquiry", "Contacted", "Pre-qualified", "Assigned", "Became a case", "Not a fit"]);
    const fields = await t.admin`select object_type::text, key from custom_field_definitions where org_id = ${u.orgId} order by object_type, position`;
    expect(fields.map((f) => `${f.object_type}.${f.key}`)).toEqual([
      "deal.embryos_ready", "deal.preferred_states", "deal.expected_compensation", "person.date_of_birth", "person.bmi",
      "person.previous_pregnancies", "person.previous_surrogacies", "person.marital_status",
    ]);
  });

  it("holds the surrogacy stage restrictions on the seeded teams: intake cannot move a case into case management's stages", async () => {
    const owner = await createUser(t, { orgName: "Restricted Surrogacy", template: "surrogacy" });
    const intake = await createMember(t, owner.orgId, "member");
    const caseManager = await createMember(t, owner.orgId, "member");
    await t.admin`
      insert into team_members (org_id, team_id, user_id)
      select ${owner.orgId}, id, case name when 'Intake' then ${intake.id}::uuid else ${caseManager.id}::uuid end
      from teams where org_id = ${owner.orgId}`;
    const stage = async (name: string) =>
      (await t.admin`select s.id from pipeline_stages s join pipelines p on p.id = s.pipeline_id
                     where p.org_id = ${owner.orgId} and p.name = 'Cases' and s.name = ${name}`)[0].id as string;
    const move = (u: TestUser, deal: string, to: string) =>
      t.db.asUser(u.claims, (tx) => sql`update deals set stage_id = ${to} where id = ${deal}`.execute(tx));
    const [deal] = await t.admin`
      insert into deals (org_id, name, pipeline_id, stage_id, currency)
      select ${owner.orgId}, 'Jane Case', pipeline_id, id, 'USD' from pipeline_stages where id = ${await stage("New")}
      returning id`;

    await expect(move(intake, deal.id, await stage("Pending match"))).rejects.toMatchObject({
      code: "42501",
      message: 'Only the Case management team can move deals into the "Pending match" stage',
    });
    // From the handoff stage, only case management accepts (modules/crm/handoffs).
    await move(intake, deal.id, await stage("Pending handoff"));
    await expect(move(intake, deal.id, await stage("Pending match"))).rejects.toMatchObject({
      code: "42501",
      message: 'Only the Case management team can accept or deny handoffs in the "Pending handoff" stage',
    });
    await expect(move(caseManager, deal.id, await stage("Approved"))).rejects.toMatchObject({ code: "42501" });
  });

  it("seeds a lead generation org with the sales pipeline and statuses for routing leads to partners", async () => {
    const u = await createUser(t, { orgName: "Leads R Us", template: "leadgen" });
    const pipelines = await pipelinesOf(u.orgId);
    expect(pipelines.map((p) => p.name)).toEqual(["Sales"]);
    expect((await statusesOf(u.orgId)).map((s) => s.label)).toEqual(["New", "Qualified", "Sent to partner", "Sold", "Lost", "Unreachable"]);
    expect(await teamsOf(u.orgId)).toEqual([]);
  });

  it("refuses an unknown template by name and leaves no account and no org", async () => {
    const email = "unknown-template@example.test";
    await expect(createUser(t, { email, orgName: "Nowhere Inc", template: "dentistry" })).rejects.toMatchObject({
      code: "P0001",
      hint: "template_invalid",
    });
    expect(await t.admin`select 1 from auth.users where email = ${email}`).toHaveLength(0);
    expect(await t.admin`select 1 from orgs where name = 'Nowhere Inc'`).toHaveLength(0);
  });

  it("leaves no org, no account and nothing seeded when the template's seeding fails part way", async () => {
    const email = "half-seeded@example.test";
    // Fails on the last section, after teams, pipelines and statuses were written.
    await t.admin.unsafe(`
      create function public.fail_seeding() returns trigger language plpgsql as $$
      begin raise exception 'seeding broke' using errcode = 'XX001'; end $$;
      create trigger fail_seeding before insert on public.meta_conversion_stages
        for each row execute function public.fail_seeding();`);
    try {
      await expect(createUser(t, { email, orgName: "Half Seeded Agency", template: "surrogacy" })).rejects.toThrow(/seeding broke/);
    } finally {
      await t.admin.unsafe(`drop trigger fail_seeding on public.meta_conversion_stages; drop function public.fail_seeding();`);
    }
    expect(await t.admin`select 1 from auth.users where email = ${email}`).toHaveLength(0);
    expect(await t.admin`select 1 from orgs where name = 'Half Seeded Agency'`).toHaveLength(0);
    expect(await t.admin`select 1 from teams t left join orgs o on o.id = t.org_id where o.id is null`).toHaveLength(0);
    expect(await t.admin`select 1 from pipelines p left join orgs o on o.id = p.org_id where o.id is null`).toHaveLength(0);
    // The same sign-up goes through once the seeding works again.
    const u = await createUser(t, { email, orgName: "Half Seeded Agency", template: "surrogacy" });
    expect((await pipelinesOf(u.orgId)).map((p) => p.name)).toEqual(["Cases", "Intended parents"]);
  });

  it("seeds the surrogacy demo org from the template, with its team, cases and intended parents", async () => {
    await applySeed(t.adminUrl);
    const [bloom] = await t.admin`select id, template from orgs where name = 'Bloom Surrogacy Partners'`;
    expect(bloom.template).toBe("surrogacy");
    const people = await t.admin`
      select u.email, m.role::text,
             array(select tm.name from team_members x join teams tm on tm.id = x.team_id where x.user_id = u.id) as teams
      from org_members m join auth.users u on u.id = m.user_id where m.org_id = ${bloom.id} order by u.email`;
    expect(people).toEqual([
      { email: "bloom@covey.local", role: "owner", teams: [] },
      { email: "carmen.cases@covey.local", role: "manager", teams: ["Case management"] },
      { email: "ivy.intake@covey.local", role: "member", teams: ["Intake"] },
    ]);
    const deals = await t.admin<{ pipeline: string; stage: string; person: boolean }[]>`
      select p.name as pipeline, s.name as stage, d.person_id is not null as person
      from deals d join pipelines p on p.id = d.pipeline_id join pipeline_stages s on s.id = d.stage_id
      where d.org_id = ${bloom.id}`;
    const cases = deals.filter((d) => d.pipeline === "Cases");
    expect(cases).toHaveLength(30);
    expect(deals.filter((d) => d.pipeline === "Intended parents")).toHaveLength(10);
    expect(deals.every((d) => d.person)).toBe(true);
    expect(new Set(cases.map((d) => d.stage))).toEqual(
      new Set(["New", "Contacted", "Qualified", "Applied", "Under review", "Approved", "Pending handoff", "Pending match",
               "Matched", "In journey", "Not eligible"]),
    );
    const [ivy] = await t.admin`select id from auth.users where email = 'ivy.intake@covey.local'`;
    const visible = await t.db.asUser({ sub: ivy.id, email: "ivy.intake@covey.local", role: "authenticated", aud: "authenticated" }, (tx) =>
      tx.selectFrom("deals").select("org_id").execute(),
    );
    expect(visible).toHaveLength(40);
    expect(visible.every((d) => d.org_id === bloom.id)).toBe(true);
  });

  it("lets an admin rename what a pipeline's deals are called, refuses members and half a pair, and shows the nouns in the API", async () => {
    const owner = await createUser(t, { orgName: "Noun Agency", template: "surrogacy" });
    const member = await createMember(t, owner.orgId, "member");
    const [cases] = await t.admin`select id from pipelines where org_id = ${owner.orgId} and name = 'Cases'`;

    await t.db.asUser(owner.claims, (tx) => setPipelineNouns(tx, cases.id, { nounSingular: "Surrogate", nounPlural: "Surrogates" }));
    const refusal = await t.db
      .asUser(member.claims, (tx) => setPipelineNouns(tx, cases.id, { nounSingular: "Mine", nounPlural: "Mine" }))
      .catch((e: unknown) => e);
    expect(isDomainError(refusal) && refusal.code).toBe("not_found");
    await expect(t.admin`update pipelines set noun_plural = null where id = ${cases.id}`).rejects.toMatchObject({
      constraint_name: "pipelines_nouns_together",
    });

    const { token } = await createTestKey(t, owner, ["pipelines:read"]);
    const r = await callApi(listPipelinesOp, { token });
    expect(r.body.data.map((p: { name: string; noun_singular: string | null; noun_plural: string | null }) => [p.name, p.noun_singular, p.noun_plural])).toEqual([
      ["Cases", "Surrogate", "Surrogates"],
      ["Intended parents", "Intended parent", "Intended parents"],
    ]);
  });
});
