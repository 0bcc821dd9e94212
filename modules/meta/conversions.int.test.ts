// Conversions API sends against real Postgres and the Graph API stand-in:
// a Meta lead that is qualified and then won is reported to Meta once per
// stage, with the Meta lead id and hashed email and phone, and every send
// is logged; leads of other sources and pages without a dataset send nothing.
import { createHash } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { runJobs } from "@/modules/jobs/edge";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createMetaGraphStandIn, DEMO_META, type MetaGraphStandIn, serveMetaGraph } from "@/supabase/local/meta-graph";
import { SEND_CONVERSIONS_JOB, sendMetaConversions } from "./conversions";

const t = useTestDatabase();
const app = { appId: "1234567890", appSecret: "capi-secret" };
const DATASET = "555000111222";
let keys: string;
let standIn: MetaGraphStandIn;
let graph: Awaited<ReturnType<typeof serveMetaGraph>>;
let service: postgres.Sql;
let owner: TestUser;

const env = (name: string) =>
  ({ COVEY_SECRET_KEYS: keys, META_GRAPH_URL: graph.url, META_APP_ID: app.appId, META_APP_SECRET: app.appSecret, META_VERIFY_TOKEN: "v" })[name] ?? "";
async function send() {
  await t.admin`update private.job_schedules set next_run_at = now() where name = ${SEND_CONVERSIONS_JOB}`;
  return runJobs(service, { [SEND_CONVERSIONS_JOB]: sendMetaConversions }, { env, fetch });
}
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

  it("logs a refused send and tries it again on the next run", async () => {
    const id = await lead("meta", "810000000000003", "retry@example.com");
    await setStatus(id, "won");
    await fetch(`${graph.url}/_dev/tokens`, { method: "POST", body: JSON.stringify({ token: DEMO_META.token, page_id: DEMO_META.pageId, is_valid: false }) });
    await send();
    expect(await t.admin`select status, attempts, error from meta_conversion_events where lead_id = ${id}`).toEqual([
      { status: "failed", attempts: 1, error: expect.stringMatching(/expired/) },
    ]);
    await fetch(`${graph.url}/_dev/tokens`, { method: "POST", body: JSON.stringify({ token: DEMO_META.token, page_id: DEMO_META.pageId }) });
    await send();
    expect(await t.admin`select status, attempts from meta_conversion_events where lead_id = ${id}`).toEqual([{ status: "sent", attempts: 2 }]);
  });
});
