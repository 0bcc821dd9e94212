// Conversions API sends against real Postgres and the Graph API stand-in:
// a Meta lead that is qualified and then won is reported to Meta once per
// stage, with the Meta lead id and hashed email and phone, and every send
// is logged; leads of other sources and pages without a dataset send nothing.
// A status change queues the send itself (a job keyed `<lead>:<event>`, run
// without waiting for the catch-up); the org's stage mapping says which
// statuses send which event name; the log outlives a deleted lead.
import { createHash } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { runJobs } from "@/modules/jobs/edge";
import { DomainError } from "@/lib/errors";
import { addLeadStatus } from "@/modules/leads";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createMetaGraphStandIn, DEMO_META, type MetaGraphStandIn, serveMetaGraph } from "@/supabase/local/meta-graph";
import { SEND_CONVERSION_JOB, SEND_CONVERSIONS_JOB, sendMetaConversion, sendMetaConversions } from "./conversions";
import { graphClient } from "./graph";
import { listConversionStages } from "./queries";
import { type MetaDeps, saveConversionStages } from "./service";

const t = useTestDatabase();
const app = { appId: "1234567890", appSecret: "capi-secret" };
const DATASET = "555000111222";
let keys: string;
let standIn: MetaGraphStandIn;
let graph: Awaited<ReturnType<typeof serveMetaGraph>>;
let service: postgres.Sql;
let owner: TestUser;
let member: TestUser;
let deps: MetaDeps;
const actor = (u: TestUser, role: "owner" | "member" = "owner") => ({ claims: u.claims, orgId: u.orgId, role });

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

const env = (name: string) =>
  ({ COVEY_SECRET_KEYS: keys, META_GRAPH_URL: graph.url, META_APP_ID: app.appId, META_APP_SECRET: app.appSecret, META_VERIFY_TOKEN: "v" })[name] ?? "";
const handlers = { [SEND_CONVERSION_JOB]: sendMetaConversion, [SEND_CONVERSIONS_JOB]: sendMetaConversions };
/** Runs the queue as it stands: the jobs status changes queued, and the catch-up only when it is due. */
const runQueue = () => runJobs(service, handlers, { env, fetch });
/** The catch-up made due, then the queue. */
async function send() {
  await t.admin`update private.job_schedules set next_run_at = now() where name = ${SEND_CONVERSIONS_JOB}`;
  return runQueue();
}
const catchUpLater = () => t.admin`update private.job_schedules set next_run_at = now() + interval '1 hour' where name = ${SEND_CONVERSIONS_JOB}`;
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

async function lead(source: string, externalId: string, email: string) {
  const [row] = await t.admin`
    insert into leads (org_id, source, external_id, first_name, email, phone, attribution)
    values (${owner.orgId}, ${source}, ${externalId}, 'Conv', ${email}, '+12127365000', ${t.admin.json({ page_id: DEMO_META.pageId })})
    returning id`;
  return row.id as string;
}
const setStatus = (id: string, status: string) => t.admin`update leads set status = ${status} where id = ${id}`;

beforeAll(async () => {
  keys = generateKeySpec("k1");
  standIn = createMetaGraphStandIn(app);
  graph = await serveMetaGraph(standIn);
  service = postgres(t.appUrl, { max: 2, onnotice: () => {}, connection: { role: "service_role" } });
  owner = await createUser(t, { orgName: "Conversions Co" });
  member = await createMember(t, owner.orgId, "member");
  const keyring = await parseKeyring(keys);
  deps = { db: t.db, keyring: async () => keyring, graph: () => graphClient({ graphUrl: graph.url, version: "v23.0", ...app }) };
  const purpose = `meta.page_token:${DEMO_META.pageId}`;
  const sealed = await sealSecret(await parseKeyring(keys), DEMO_META.token, { orgId: owner.orgId, purpose });
  const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id) values (${owner.orgId}, ${purpose}, ${sealed}, 'k1') returning id`;
  await t.admin`insert into meta_pages (org_id, page_id, name, token_secret_id) values (${owner.orgId}, ${DEMO_META.pageId}, ${DEMO_META.pageName}, ${secret.id})`;
});
afterAll(async () => {
  await service?.end();
  await graph?.close();
});

describe("meta.send_conversions", () => {
  it("sends nothing while the page has no dataset", async () => {
    const id = await lead("meta", "810000000000001", "Early@Example.com");
    await setStatus(id, "qualified");
    await send();
    expect(standIn.events).toEqual([]);
    expect(await t.admin`select 1 from meta_conversion_events`).toHaveLength(0);
  });

  it("reports each stage a Meta lead reaches once, with hashed identifiers, and logs it", async () => {
    await t.admin`update meta_pages set conversions_dataset_id = ${DATASET}`;
    const id = await lead("meta", "810000000000002", "Rosa@Example.COM");
    await lead("web_form", "form-sub-1", "web@example.com").then((w) => setStatus(w, "qualified"));
    await setStatus(id, "qualified");
    await send();
    await send();
    // The lead qualified before the dataset was set is reported now too.
    const sent = standIn.events.map((e) => (e.body as { data: { event_name: string; user_data: Record<string, unknown> }[] }).data[0]);
    expect(sent.map((e) => [e.event_name, e.user_data.lead_id]).sort()).toEqual([
      ["qualified", 810000000000001],
      ["qualified", 810000000000002],
    ]);
    expect(standIn.events.every((e) => e.datasetId === DATASET)).toBe(true);
    const event = sent.find((e) => e.user_data.lead_id === 810000000000002);
    expect(event).toMatchObject({
      action_source: "system_generated",
      event_id: `${id}:qualified`,
      user_data: { lead_id: 810000000000002, em: [sha("rosa@example.com")], ph: [sha("12127365000")] },
      custom_data: { event_source: "crm", lead_event_source: "Covey" },
    });
    expect(JSON.stringify(standIn.events)).not.toContain("rosa@example.com");

    await setStatus(id, "won");
    await send();
    const log = await t.admin`select event_name, status, events_received, attempts from meta_conversion_events where lead_id = ${id} order by id`;
    expect(log).toEqual([
      { event_name: "qualified", status: "sent", events_received: 1, attempts: 1 },
      { event_name: "won", status: "sent", events_received: 1, attempts: 1 },
    ]);
    expect(standIn.events).toHaveLength(3);
  });

  it("logs a refused send and the queue tries it again", async () => {
    await catchUpLater();
    const id = await lead("meta", "810000000000003", "retry@example.com");
    await setStatus(id, "won");
    await fetch(`${graph.url}/_dev/tokens`, { method: "POST", body: JSON.stringify({ token: DEMO_META.token, page_id: DEMO_META.pageId, is_valid: false }) });
    await runQueue();
    expect(await t.admin`select status, attempts, error from meta_conversion_events where lead_id = ${id}`).toEqual([
      { status: "failed", attempts: 1, error: expect.stringMatching(/expired/) },
    ]);
    expect(await t.admin`select status, attempts from jobs where idempotency_key = ${`${id}:won`}`).toEqual([{ status: "pending", attempts: 1 }]);
    await fetch(`${graph.url}/_dev/tokens`, { method: "POST", body: JSON.stringify({ token: DEMO_META.token, page_id: DEMO_META.pageId }) });
    // The retry's backoff, elapsed.
    await t.admin`update jobs set run_at = now() where idempotency_key = ${`${id}:won`}`;
    await runQueue();
    expect(await t.admin`select status, attempts from meta_conversion_events where lead_id = ${id}`).toEqual([{ status: "sent", attempts: 2 }]);
  });

  it("queues the send in the status change's own transaction, keyed by lead and event, and sends it once without the catch-up", async () => {
    await catchUpLater();
    const id = await lead("meta", "810000000000004", "prompt@example.com");
    expect(await t.admin`select 1 from jobs where kind = ${SEND_CONVERSION_JOB} and idempotency_key like ${`${id}:%`}`).toHaveLength(0);
    // A change that is rolled back queues nothing.
    await t.admin.begin(async (tx) => {
      await tx`update leads set status = 'qualified' where id = ${id}`;
      throw new Error("rolled back");
    }).catch(() => undefined);
    expect(await t.admin`select 1 from jobs where idempotency_key = ${`${id}:qualified`}`).toHaveLength(0);
    const before = standIn.events.length;
    await setStatus(id, "qualified");
    expect(await t.admin`select kind, payload from jobs where idempotency_key = ${`${id}:qualified`}`).toEqual([
      { kind: SEND_CONVERSION_JOB, payload: { lead_id: id, event_name: "qualified" } },
    ]);
    await runQueue();
    expect(standIn.events.slice(before).map((e) => (e.body as { data: { event_id: string }[] }).data[0].event_id)).toEqual([`${id}:qualified`]);
    // Back to new and qualified again: the same key, no second job, nothing sent twice.
    await setStatus(id, "new");
    await setStatus(id, "qualified");
    expect(await t.admin`select count(*)::int as n from jobs where idempotency_key = ${`${id}:qualified`}`).toEqual([{ n: 1 }]);
    await send();
    expect(standIn.events.length).toBe(before + 1);
  });

  it("sends the org's own stages under the event names it chose, and stops sending an unmapped one", async () => {
    await catchUpLater();
    const admin = { userId: owner.id, orgId: owner.orgId, role: "owner" as const };
    const { key } = await t.db.asUser(owner.claims, (tx) => addLeadStatus(tx, admin, { label: "Appointment set" }));
    await saveConversionStages(deps, actor(owner), {
      stages: [
        { status: key, eventName: "Appointment Set" },
        { status: "won", eventName: "Closed Won" },
      ],
    });
    expect(await t.db.asUser(owner.claims, (tx) => listConversionStages(tx))).toEqual([
      { status: "won", stageId: null, eventName: "Closed Won" },
      { status: key, stageId: null, eventName: "Appointment Set" },
    ]);
    const id = await lead("meta", "810000000000005", "stages@example.com");
    const before = standIn.events.length;
    await setStatus(id, "qualified");
    await setStatus(id, key);
    await t.admin`update leads set converted_at = now() where id = ${id}`;
    await setStatus(id, "won");
    await runQueue();
    const names = standIn.events.slice(before).map((e) => (e.body as { data: { event_name: string }[] }).data[0].event_name);
    expect(names.sort()).toEqual(["Appointment Set", "Closed Won"]);
    expect((await t.admin`select event_name from meta_conversion_events where lead_id = ${id} order by event_name`).map((r) => r.event_name)).toEqual([
      "Appointment Set",
      "Closed Won",
    ]);
  });

  it("refuses a stage mapping from members and names the bad row; another org's statuses are not choosable", async () => {
    const e = await refusal(saveConversionStages(deps, actor(member, "member"), { stages: [] }));
    expect(e.code).toBe("forbidden");
    // Past the service's check, the database refuses the member's insert.
    const direct = await t.db
      .asUser(member.claims, (tx) => tx.insertInto("meta_conversion_stages").values({ org_id: owner.orgId, status: "won", event_name: "x" }).execute())
      .catch((err) => err);
    expect(direct).toMatchObject({ code: "42501" });
    const dup = await refusal(
      saveConversionStages(deps, actor(owner), { stages: [{ status: "won", eventName: "A" }, { status: "won", eventName: "B" }] }),
    );
    expect(dup.details).toEqual({ "stages.1.status": ["This stage sends an event already"] });
    const blank = await refusal(saveConversionStages(deps, actor(owner), { stages: [{ status: null, eventName: "  " }] }));
    expect(blank.details).toEqual({ "stages.0.eventName": ["Enter the event name Meta should get"] });
    const rival = await createUser(t, { orgName: "Rival" });
    await t.db.asUser(rival.claims, (tx) => addLeadStatus(tx, { userId: rival.id, orgId: rival.orgId, role: "owner" }, { label: "Rival only" }));
    const foreign = await refusal(saveConversionStages(deps, actor(owner), { stages: [{ status: "rival_only", eventName: "X" }] }));
    expect(foreign.details).toEqual({ "stages.0.status": ["Choose one of your organization's statuses"] });
    // Nothing half-written: the mapping saved before is intact.
    expect(await t.db.asUser(owner.claims, (tx) => listConversionStages(tx))).toHaveLength(2);
    expect(await t.db.asUser(rival.claims, (tx) => listConversionStages(tx))).toEqual([
      { status: "qualified", stageId: null, eventName: "qualified" },
      { status: "won", stageId: null, eventName: "won" },
      { status: null, stageId: null, eventName: "converted" },
    ]);
  });

  it("keeps the log of a deleted lead, without the lead", async () => {
    const [row] = await t.admin`select lead_id from meta_conversion_events where event_name = 'Closed Won'`;
    await t.admin`delete from leads where id = ${row.lead_id}`;
    expect(await t.admin`select lead_id, status from meta_conversion_events where event_name = 'Closed Won'`).toEqual([{ lead_id: null, status: "sent" }]);
  });
});
