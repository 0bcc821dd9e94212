// Leads that arrive as deals, against real Postgres, the job queue and the
// Graph API stand-in: a source set to a pipeline stage turns each arriving
// Meta lead (fetched by the real job, delivered twice) and web-form
// submission into one person and one deal at that stage, owned as routing
// decided, with the lead's source and campaign ids kept; a second lead from
// someone whose case is open joins that case. A Meta lead's deal entering a
// stage mapped in meta_conversion_stages queues one Conversions API event,
// sent to the stand-in once however often the deal comes back.
import { sql as kysely } from "kysely";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { DomainError } from "@/lib/errors";
import { receiveSubmission } from "@/modules/forms";
import { runJobs } from "@/modules/jobs/edge";
import { listConversionStages, type MetaDeps } from "@/modules/meta";
import { FETCH_LEAD_JOB, fetchMetaLead, graphClient, handleMetaWebhook, SEND_CONVERSION_JOB, sendMetaConversion, signMetaPayload } from "@/modules/meta/edge";
import { saveConversionStages } from "@/modules/meta/service";
import { issueFillToken } from "@/modules/forms/token";
import { createLeadOperation, listLeadsOperation } from "@/modules/api/resources/leads";
import { callApi, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createMetaGraphStandIn, DEMO_FORMS, DEMO_META, type MetaGraphStandIn, serveMetaGraph } from "@/supabase/local/meta-graph";
import { setLeadSourceDealStage } from "./source-deals";

const t = useTestDatabase();
const app = { appId: "1234567890", appSecret: "leadcases-app-secret", verifyToken: "covey-verify-me" };
const DATASET = "555000333444";
const SITE = "https://agency.example";
let keys: string;
let standIn: MetaGraphStandIn;
let graph: Awaited<ReturnType<typeof serveMetaGraph>>;
let service: postgres.Sql;
let owner: TestUser;
let intake: TestUser;
let other: TestUser;
let stages: Record<"new" | "contacted" | "qualified" | "approved" | "won", string>;
let pipelineId: string;
let form: { id: string; key: string; secret: string };

const env = (name: string) =>
  ({ COVEY_SECRET_KEYS: keys, META_GRAPH_URL: graph.url, META_APP_ID: app.appId, META_APP_SECRET: app.appSecret, META_VERIFY_TOKEN: app.verifyToken })[name] ?? "";
const runQueue = () => runJobs(service, { [FETCH_LEAD_JOB]: fetchMetaLead, [SEND_CONVERSION_JOB]: sendMetaConversion }, { env, fetch });
const as = <T>(u: TestUser, fn: Parameters<typeof t.db.asUser<T>>[1]) => t.db.asUser(u.claims, fn);
const ownerActor = () => ({ userId: owner.id, orgId: owner.orgId, role: "owner" as const });

async function deliver(body: string) {
  const headers = { "content-type": "application/json", "x-hub-signature-256": await signMetaPayload(body, app.appSecret) };
  const req = new Request("http://functions.local/functions/v1/meta-webhook", { method: "POST", headers, body });
  return handleMetaWebhook(req, { sql: service, appSecret: app.appSecret, verifyToken: app.verifyToken });
}

/** A lead typed into the demo form at the stand-in, and the webhook body Meta sends for it. */
async function metaLead(fields: Record<string, string>) {
  const res = await fetch(`${graph.url}/_dev/leads`, {
    method: "POST",
    body: JSON.stringify({ page_id: DEMO_META.pageId, form_id: DEMO_META.formId, fields }),
  });
  const { leadgen_id, webhook } = (await res.json()) as { leadgen_id: string; webhook: unknown };
  return { leadgenId: leadgen_id, body: JSON.stringify(webhook) };
}

async function submitForm(body: Record<string, string>) {
  const token = await issueFillToken(form.secret, form.key, Date.now() - 60_000);
  return receiveSubmission(
    new Request(`http://localhost:3000/f/${form.key}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", origin: SITE, "x-forwarded-for": "198.51.100.7" },
      body: JSON.stringify({ ...body, _covey_t: token }),
    }),
    form.key,
  );
}

const leadByEmail = async (email: string) =>
  (await t.admin`select id, person_id, deal_id, converted_at, owner_id, attribution from leads where org_id = ${owner.orgId} and email = ${email}`)[0];
const dealsOf = (personId: string) =>
  t.admin`select id, name, pipeline_id, stage_id, owner_id, status from deals where person_id = ${personId}`;

beforeAll(async () => {
  keys = generateKeySpec("k1");
  standIn = createMetaGraphStandIn(app);
  graph = await serveMetaGraph(standIn);
  service = postgres(t.appUrl, { max: 4, onnotice: () => {}, connection: { role: "service_role" } });
  owner = await createUser(t, { orgName: "Leads To Cases Agency" });
  intake = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Other Agency" });

  const [p] = await t.admin`insert into pipelines (org_id, name, position) values (${owner.orgId}, 'Cases', 5) returning id`;
  pipelineId = p.id;
  const made = await t.admin`
    insert into pipeline_stages (org_id, pipeline_id, name, position, is_won)
    select ${owner.orgId}, ${pipelineId}, n, i, n = 'won'
    from unnest(array['new', 'contacted', 'qualified', 'approved', 'won']) with ordinality as s (n, i)
    returning id, name`;
  stages = Object.fromEntries(made.map((s) => [s.name, s.id])) as typeof stages;

  const purpose = `meta.page_token:${DEMO_META.pageId}`;
  const sealed = await sealSecret(await parseKeyring(keys), DEMO_META.token, { orgId: owner.orgId, purpose });
  const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id) values (${owner.orgId}, ${purpose}, ${sealed}, 'k1') returning id`;
  const [page] = await t.admin`insert into meta_pages (org_id, page_id, name, token_secret_id, conversions_dataset_id)
                               values (${owner.orgId}, ${DEMO_META.pageId}, ${DEMO_META.pageName}, ${secret.id}, ${DATASET}) returning id`;
  for (const f of DEMO_FORMS) {
    await t.admin`insert into meta_lead_forms (org_id, page_id, form_id, name, questions, creates_leads)
                  values (${owner.orgId}, ${page.id}, ${f.id}, ${f.name}, ${t.admin.json(f.questions)}, ${f.id === DEMO_META.formId})`;
  }
  const fields = [
    { name: "first_name", label: "First name", type: "text", required: true, maps_to: "first_name" },
    { name: "last_name", label: "Last name", type: "text", required: false, maps_to: "last_name" },
    { name: "email", label: "Email", type: "email", required: true, maps_to: "email" },
  ];
  const [madeForm] = await t.admin`insert into web_forms (org_id, name, fields, allowed_origins)
                                values (${owner.orgId}, 'Apply', ${t.admin.json(fields)}, ${[SITE]}) returning id, key, secret`;
  form = madeForm as typeof form;
  // Routing gives every Meta lead to the intake member.
  const [rule] = await t.admin`insert into lead_routing_rules (org_id, name, position, action, sources)
                               values (${owner.orgId}, 'Meta to intake', 0, 'assign', ${["meta"]}) returning id`;
  await t.admin`insert into routing_rule_members (org_id, rule_id, user_id, position) values (${owner.orgId}, ${rule.id}, ${intake.id}, 0)`;
  // Only the stage rows below report to Meta.
  await t.admin`delete from meta_conversion_stages where org_id = ${owner.orgId}`;
});
afterAll(async () => {
  await service?.end();
  await graph?.close();
});

describe("sources whose leads arrive as deals", () => {
  it("are set by owners and admins to an open stage of their own pipelines", async () => {
    const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as DomainError);
    const member = { userId: intake.id, orgId: owner.orgId, role: "member" as const };
    expect(await refusal(as(intake, (tx) => setLeadSourceDealStage(tx, member, { key: "meta", stageId: stages.new })))).toMatchObject({ code: "forbidden" });
    const won = await refusal(as(owner, (tx) => setLeadSourceDealStage(tx, ownerActor(), { key: "meta", stageId: stages.won })));
    expect(won).toMatchObject({ code: "validation_failed", details: { stageId: ["Choose an open stage: a new deal starts open"] } });
    const [theirs] = await t.admin`select s.id from pipeline_stages s where s.org_id = ${other.orgId} limit 1`;
    const foreign = await refusal(as(owner, (tx) => setLeadSourceDealStage(tx, ownerActor(), { key: "meta", stageId: theirs.id })));
    expect(foreign).toMatchObject({ code: "validation_failed", details: { stageId: ["Choose a stage of one of your pipelines"] } });
    // The database holds to the org's own stages too.
    await expect(t.admin`update lead_sources set deal_pipeline_id = (select pipeline_id from pipeline_stages where id = ${theirs.id}),
                                               deal_stage_id = ${theirs.id}
                         where org_id = ${owner.orgId} and key = 'meta'`).rejects.toThrow(/lead_sources_deal_stage_fkey/);

    for (const key of ["meta", "web_form"]) {
      await as(owner, (tx) => setLeadSourceDealStage(tx, ownerActor(), { key, stageId: stages.new }));
    }
    expect(await t.admin`select key, deal_pipeline_id, deal_stage_id from lead_sources where org_id = ${owner.orgId} and deal_stage_id is not null order by key`).toEqual([
      { key: "meta", deal_pipeline_id: pipelineId, deal_stage_id: stages.new },
      { key: "web_form", deal_pipeline_id: pipelineId, deal_stage_id: stages.new },
    ]);
    expect(await t.admin`select 1 from lead_sources where org_id = ${other.orgId} and deal_stage_id is not null`).toHaveLength(0);
  });

  it("turn a Meta lead delivered twice into one lead, one person and one case at the stage, owned as routing decided", async () => {
    const { leadgenId, body } = await metaLead({ full_name: "Grace Hopper", email: "grace@example.com", phone_number: "(212) 736-5001", state: "Texas" });
    expect((await Promise.all([deliver(body), deliver(body)])).map((r) => r.status)).toEqual([200, 200]);
    await Promise.all([runQueue(), runQueue()]);
    await deliver(body);
    await runQueue();

    const leads = await t.admin`select id, person_id, deal_id, converted_at, owner_id, attribution from leads where external_id = ${leadgenId}`;
    expect(leads).toHaveLength(1);
    const [lead] = leads;
    expect(lead).toMatchObject({ person_id: expect.any(String), deal_id: expect.any(String), converted_at: expect.any(Date), owner_id: intake.id });
    expect(lead.attribution).toMatchObject({ campaign_id: expect.any(String), form_id: DEMO_META.formId, page_id: DEMO_META.pageId });
    const [person] = await t.admin`select first_name, last_name, email::text, phone, state, source, owner_id from people where id = ${lead.person_id}`;
    expect(person).toEqual({ first_name: "Grace", last_name: "Hopper", email: "grace@example.com", phone: "+12127365001", state: "TX", source: "Meta", owner_id: intake.id });
    expect(await dealsOf(lead.person_id)).toEqual([
      { id: lead.deal_id, name: "Grace Hopper", pipeline_id: pipelineId, stage_id: stages.new, owner_id: intake.id, status: "open" },
    ]);
    // The case's timeline shows where it came from, and the events say so once.
    const items = await t.admin`select kind, data ->> 'source' as source from timeline_events where deal_id = ${lead.deal_id} and kind = 'converted'`;
    expect(items).toEqual([{ kind: "converted", source: "meta" }]);
    expect(await t.admin`select type from domain_events where object_id = ${lead.deal_id} order by id`).toEqual([{ type: "deal.created" }]);
  });

  it("turn a web-form submission into a case, and a second lead from someone with an open case into activity on it", async () => {
    const first = await submitForm({ first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" });
    expect(first.status).toBe(200);
    const lead = await leadByEmail("ada@example.com");
    const cases = await dealsOf(lead.person_id);
    expect(cases).toEqual([expect.objectContaining({ id: lead.deal_id, name: "Ada Lovelace", stage_id: stages.new, owner_id: null })]);

    const { body } = await metaLead({ full_name: "Ada Lovelace", email: "ADA@example.com" });
    await deliver(body);
    await runQueue();
    const both = await t.admin`select source, person_id, deal_id from leads where email = 'ada@example.com' order by created_at`;
    expect(both).toEqual([
      { source: "web_form", person_id: lead.person_id, deal_id: lead.deal_id },
      { source: "meta", person_id: lead.person_id, deal_id: lead.deal_id },
    ]);
    expect(await dealsOf(lead.person_id)).toHaveLength(1);
    const items = await t.admin`select data ->> 'source' as source from timeline_events where deal_id = ${lead.deal_id} and kind = 'converted' order by id`;
    expect(items).toEqual([{ source: "web_form" }, { source: "meta" }]);
  });

  it("leave leads of other sources, and leads without a name or email, as leads", async () => {
    // RETURNING shows a row as inserted, before the conversion: each is read back.
    const after = async (id: string) => (await t.admin`select deal_id, converted_at from leads where id = ${id}`)[0];
    const [manual] = await t.admin`insert into leads (org_id, source, first_name, email) values (${owner.orgId}, 'manual', 'Hand', 'hand@example.com') returning id`;
    expect(await after(manual.id)).toEqual({ deal_id: null, converted_at: null });
    const [phoneOnly] = await t.admin`insert into leads (org_id, source, external_id, phone) values (${owner.orgId}, 'web_form', 'p-1', '+12127365009') returning id`;
    expect(await after(phoneOnly.id)).toEqual({ deal_id: null, converted_at: null });
    // Another org's Meta leads follow its own sources, which say nothing.
    const [theirs] = await t.admin`insert into leads (org_id, source, external_id, first_name, email) values (${other.orgId}, 'meta', '777', 'Theirs', 'theirs@example.com') returning id`;
    expect(await after(theirs.id)).toEqual({ deal_id: null, converted_at: null });
    // The same web-form lead with a name becomes a case: the checks above could fail.
    const [named] = await t.admin`insert into leads (org_id, source, external_id, first_name, phone) values (${owner.orgId}, 'web_form', 'p-2', 'Named', '+12127365010') returning id`;
    expect(await after(named.id)).toEqual({ deal_id: expect.any(String), converted_at: expect.any(Date) });
  });
});

describe("Conversions API on deal stages", () => {
  it("queues one event when a Meta lead's case enters a mapped stage, by any path, and Meta gets it once", async () => {
    await t.admin`insert into meta_conversion_stages (org_id, stage_id, event_name)
                  values (${owner.orgId}, ${stages.qualified}, 'qualified'), (${owner.orgId}, ${stages.approved}, 'approved')`;
    const { leadgenId, body } = await metaLead({ full_name: "Katherine Johnson", email: "kj@example.com" });
    await deliver(body);
    await runQueue();
    const lead = await leadByEmail("kj@example.com");
    const sent = () => standIn.events.filter((e) => (e.body as { data: { user_data: { lead_id: number } }[] }).data[0].user_data.lead_id === Number(leadgenId));
    expect(sent()).toHaveLength(0);

    // The intake member moves the case as the board does.
    const move = (stage: string) =>
      as(intake, (tx) => kysely`update public.deals set stage_id = ${stage} where id = ${lead.deal_id}`.execute(tx));
    await move(stages.contacted);
    await move(stages.qualified);
    expect(await t.admin`select idempotency_key from jobs where kind = ${SEND_CONVERSION_JOB} and payload ->> 'lead_id' = ${lead.id}`).toEqual([
      { idempotency_key: `${lead.id}:qualified` },
    ]);
    await runQueue();
    await move(stages.contacted);
    await move(stages.qualified);
    await runQueue();
    expect(sent().map((e) => (e.body as { data: { event_name: string; event_id: string }[] }).data[0])).toEqual([
      expect.objectContaining({ event_name: "qualified", event_id: `${lead.id}:qualified`, action_source: "system_generated" }),
    ]);
    expect(await t.admin`select event_name, status from meta_conversion_events where lead_id = ${lead.id}`).toEqual([{ event_name: "qualified", status: "sent" }]);

    // A web-form lead's case sends nothing: Meta knows only its own leads.
    const ada = await leadByEmail("ada@example.com");
    await t.admin`update deals set stage_id = ${stages.approved} where id = ${ada.deal_id}`;
    const queued = await t.admin`select payload ->> 'lead_id' as lead_id from jobs where kind = ${SEND_CONVERSION_JOB} and idempotency_key like '%:approved'`;
    // Ada's case holds her later Meta lead too, which Meta hears about.
    expect(queued.map((j) => j.lead_id)).toEqual([(await t.admin`select id from leads where email = 'ada@example.com' and source = 'meta'`)[0].id]);
  });

  it("queues the stage a Meta lead's case is at when the lead joins it", async () => {
    const [person] = await t.admin`insert into people (org_id, first_name, email) values (${owner.orgId}, 'Dorothy', 'dv@example.com') returning id`;
    const [deal] = await t.admin`insert into deals (org_id, name, pipeline_id, stage_id, person_id, currency)
                                 values (${owner.orgId}, 'Dorothy', ${pipelineId}, ${stages.qualified}, ${person.id}, 'USD') returning id`;
    const { body } = await metaLead({ full_name: "Dorothy Vaughan", email: "dv@example.com" });
    await deliver(body);
    await runQueue();
    const lead = await leadByEmail("dv@example.com");
    expect(lead.deal_id).toBe(deal.id);
    expect(await t.admin`select event_name, status from meta_conversion_events where lead_id = ${lead.id}`).toEqual([{ event_name: "qualified", status: "sent" }]);
  });

  it("keeps a stage of another org out of an org's mapping", async () => {
    const [theirs] = await t.admin`select id from pipeline_stages where org_id = ${other.orgId} limit 1`;
    await expect(t.admin`insert into meta_conversion_stages (org_id, stage_id, event_name) values (${owner.orgId}, ${theirs.id}, 'x')`).rejects.toThrow(
      /meta_conversion_stages_stage_fkey/,
    );
    await expect(
      t.admin`insert into meta_conversion_stages (org_id, status, stage_id, event_name) values (${owner.orgId}, 'qualified', ${stages.new}, 'x')`,
    ).rejects.toThrow(/meta_conversion_stages_one_trigger_check/);
  });
});

describe("Settings → Integrations → Meta's stages", () => {
  it("save deal stages beside lead statuses, and refuse another org's stage by its row", async () => {
    const keyring = await parseKeyring(keys);
    const deps: MetaDeps = { db: t.db, keyring: async () => keyring, graph: () => graphClient({ graphUrl: graph.url, version: "v23.0", ...app }) };
    const actor = { claims: owner.claims, orgId: owner.orgId, role: "owner" as const };
    await saveConversionStages(deps, actor, {
      stages: [
        { status: "won", eventName: "won" },
        { status: null, stageId: stages.approved, eventName: "Approved case" },
        { status: null, stageId: stages.qualified, eventName: "Qualified case" },
      ],
    });
    expect(await t.db.asUser(owner.claims, (tx) => listConversionStages(tx))).toEqual([
      { status: "won", stageId: null, eventName: "won" },
      { status: null, stageId: stages.qualified, eventName: "Qualified case" },
      { status: null, stageId: stages.approved, eventName: "Approved case" },
    ]);
    const [theirs] = await t.admin`select id from pipeline_stages where org_id = ${other.orgId} limit 1`;
    const foreign = await saveConversionStages(deps, actor, { stages: [{ status: null, stageId: theirs.id, eventName: "x" }] }).catch((e: unknown) => e);
    expect(foreign).toMatchObject({ code: "validation_failed", details: { "stages.0.status": ["Choose a stage of one of your pipelines"] } });
    const both = await saveConversionStages(deps, actor, { stages: [{ status: "won", stageId: stages.new, eventName: "x" }] }).catch((e: unknown) => e);
    expect(both).toMatchObject({ code: "validation_failed", details: { "stages.0.status": ["Choose a status or a deal stage, not both"] } });
    expect(await t.db.asUser(owner.claims, (tx) => listConversionStages(tx))).toHaveLength(3);
  });
});

describe("the REST API", () => {
  it("converts a lead sent with a source that arrives as deals, and reads a deal's sources through its leads", async () => {
    const { token } = await createTestKey(t, owner, ["leads:read", "leads:write"]);
    const created = await callApi(createLeadOperation, {
      token,
      body: { first_name: "Mary", last_name: "Jackson", email: "mj@example.com", source: "web_form", utm: { campaign: "spring" } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ deal_id: expect.any(String), converted_at: expect.any(String), person_id: expect.any(String) });
    const meta = await leadByEmail("kj@example.com");
    const listed = await callApi(listLeadsOperation, { token, query: [["f", `deal:eq:${meta.deal_id}`]] });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: meta.id, source: "meta", attribution: expect.objectContaining({ campaign_id: expect.any(String), form_id: DEMO_META.formId }) }),
    ]);
  });
});

describe("the surrogacy template", () => {
  it("makes Meta and web-form leads cases at New on Cases and reports the Qualified and Approved stages; sales keeps leads as leads", async () => {
    const agency = await createUser(t, { orgName: "Template Agency", template: "surrogacy" });
    const targets = await t.admin`
      select s.key, p.name as pipeline, st.name as stage from lead_sources s
      join pipelines p on p.id = s.deal_pipeline_id join pipeline_stages st on st.id = s.deal_stage_id
      where s.org_id = ${agency.orgId} order by s.key`;
    expect(targets).toEqual([
      { key: "meta", pipeline: "Cases", stage: "New" },
      { key: "web_form", pipeline: "Cases", stage: "New" },
    ]);
    expect(await t.admin`select st.name as stage, m.status, m.event_name from meta_conversion_stages m
                         left join pipeline_stages st on st.id = m.stage_id where m.org_id = ${agency.orgId} order by st.position`).toEqual([
      { stage: "Qualified", status: null, event_name: "qualified" },
      { stage: "Approved", status: null, event_name: "approved" },
    ]);
    const [lead] = await t.admin`insert into leads (org_id, source, external_id, first_name, last_name, email, attribution)
                                 values (${agency.orgId}, 'meta', '990000000000001', 'Serena', 'Surrogate', 'serena@example.com',
                                         ${t.admin.json({ campaign_id: "120200000000042", page_id: "1" })})
                                 returning id`;
    // RETURNING shows the row as inserted; the conversion after it is read back.
    const [{ deal_id }] = await t.admin`select deal_id from leads where id = ${lead.id}`;
    const [deal] = await t.admin`select d.name, p.name as pipeline, st.name as stage from deals d
                                 join pipelines p on p.id = d.pipeline_id join pipeline_stages st on st.id = d.stage_id where d.id = ${deal_id}`;
    expect(deal).toEqual({ name: "Serena Surrogate", pipeline: "Cases", stage: "New" });

    const sales = await createUser(t, { orgName: "Template Sales" });
    expect(await t.admin`select 1 from lead_sources where org_id = ${sales.orgId} and deal_stage_id is not null`).toHaveLength(0);
    expect(await t.admin`select status, stage_id, event_name from meta_conversion_stages where org_id = ${sales.orgId} order by event_name`).toEqual([
      { status: null, stage_id: null, event_name: "converted" },
      { status: "qualified", stage_id: null, event_name: "qualified" },
      { status: "won", stage_id: null, event_name: "won" },
    ]);
  });
});
