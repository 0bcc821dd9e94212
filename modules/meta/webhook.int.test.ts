// The Meta webhook and the fetch job against real Postgres, the job queue
// and the Graph API stand-in. Deliveries are signed as Meta signs them;
// one case runs the meta-webhook Edge Function under real Deno.
import path from "node:path";
import { sql as kysely } from "kysely";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { runJobs } from "@/modules/jobs/edge";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { type DenoFunction, startDenoFunction } from "@/supabase/local/deno";
import { createMetaGraphStandIn, DEMO_FORMS, DEMO_META, type MetaGraphStandIn, serveMetaGraph } from "@/supabase/local/meta-graph";
import { fetchMetaLead } from "./fetch-lead";
import { FETCH_LEAD_JOB, handleMetaWebhook, signMetaPayload } from "./webhook";

const t = useTestDatabase();
const app = { appId: "1234567890", appSecret: "webhook-test-app-secret", verifyToken: "covey-verify-me" };
let keys: string;
let standIn: MetaGraphStandIn;
let graph: Awaited<ReturnType<typeof serveMetaGraph>>;
let service: postgres.Sql;
let owner: TestUser;

const env = (name: string) =>
  ({
    COVEY_SECRET_KEYS: keys,
    META_GRAPH_URL: graph.url,
    META_APP_ID: app.appId,
    META_APP_SECRET: app.appSecret,
    META_VERIFY_TOKEN: app.verifyToken,
  })[name] ?? "";

const deliver = (req: Request) => handleMetaWebhook(req, { sql: service, appSecret: app.appSecret, verifyToken: app.verifyToken });

async function post(body: string, signature?: string | null): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const sig = signature === undefined ? await signMetaPayload(body, app.appSecret) : signature;
  if (sig) headers["x-hub-signature-256"] = sig;
  return deliver(new Request("http://functions.local/functions/v1/meta-webhook", { method: "POST", headers, body }));
}

/** A lead typed into the demo form at the stand-in, and the webhook body Meta would send for it. */
async function submitLead(fields: Record<string, string>): Promise<{ leadgenId: string; body: string }> {
  const res = await fetch(`${graph.url}/_dev/leads`, {
    method: "POST",
    body: JSON.stringify({ page_id: DEMO_META.pageId, form_id: DEMO_META.formId, fields }),
  });
  const { leadgen_id, webhook } = (await res.json()) as { leadgen_id: string; webhook: unknown };
  return { leadgenId: leadgen_id, body: JSON.stringify(webhook) };
}

const runQueue = () => runJobs(service, { [FETCH_LEAD_JOB]: fetchMetaLead }, { env, fetch });
const health = async () => {
  const [h] = await t.admin`select last_success_at, last_error_at, last_error,
                                   (select count(*)::int from integration_errors e where e.integration = 'meta') as errors
                            from integration_health where org_id = ${owner.orgId} and integration = 'meta' and account = ${DEMO_META.pageId}`;
  return h;
};
const counts = async () => {
  const [r] = await t.admin`select (select count(*)::int from private.inbound_events) as events,
                                   (select count(*)::int from jobs where kind = 'meta.fetch_lead') as jobs,
                                   (select count(*)::int from leads where source = 'meta') as leads`;
  return r as { events: number; jobs: number; leads: number };
};

beforeAll(async () => {
  keys = generateKeySpec("k1");
  standIn = createMetaGraphStandIn(app);
  graph = await serveMetaGraph(standIn);
  service = postgres(t.appUrl, { max: 4, onnotice: () => {}, connection: { role: "service_role" } });
  owner = await createUser(t, { orgName: "Lead Ads Agency" });
  // The demo page connected as the settings page would: sealed token, forms, the main form creating leads.
  const purpose = `meta.page_token:${DEMO_META.pageId}`;
  const sealed = await sealSecret(await parseKeyring(keys), DEMO_META.token, { orgId: owner.orgId, purpose });
  const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id, hint)
                                 values (${owner.orgId}, ${purpose}, ${sealed}, 'k1', '0001') returning id`;
  const [page] = await t.admin`insert into meta_pages (org_id, page_id, name, token_secret_id)
                               values (${owner.orgId}, ${DEMO_META.pageId}, ${DEMO_META.pageName}, ${secret.id}) returning id`;
  for (const form of DEMO_FORMS) {
    await t.admin`insert into meta_lead_forms (org_id, page_id, form_id, name, questions, creates_leads, field_mapping)
                  values (${owner.orgId}, ${page.id}, ${form.id}, ${form.name}, ${t.admin.json(form.questions)},
                          ${form.id === DEMO_META.formId}, ${t.admin.json({ zip_code: "message" })})`;
  }
});
afterAll(async () => {
  await service?.end();
  await graph?.close();
});

describe("meta-webhook", () => {
  it("refuses a missing or forged signature with 401 and stores nothing", async () => {
    const { body } = await submitLead({ email: "forged@example.com" });
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, await signMetaPayload(body, "not-the-app-secret"))).status).toBe(401);
    expect((await post(body, "sha256=zz")).status).toBe(401);
    // Signed, then changed in transit.
    const signed = await signMetaPayload(body, app.appSecret);
    expect((await post(body.replace("page", "paGe"), signed)).status).toBe(401);
    expect(await counts()).toEqual({ events: 0, jobs: 0, leads: 0 });
  });

  it("makes one raw event, one job and one lead of the same leadgen id delivered twice at once", async () => {
    const { leadgenId, body } = await submitLead({
      full_name: "Rosa Parks",
      email: "Rosa@Example.com",
      phone_number: "(212) 736-5000",
      state: "Texas",
      zip_code: "73301",
    });
    const answers = await Promise.all([post(body), post(body)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    // The same lead in a different delivery (Meta batches differently on a retry) queues nothing more.
    const rebatched = JSON.parse(body);
    rebatched.entry[0].time += 60;
    expect((await post(JSON.stringify(rebatched))).status).toBe(200);
    expect(await counts()).toEqual({ events: 2, jobs: 1, leads: 0 });

    // Two workers at once: one lead.
    await Promise.all([runQueue(), runQueue()]);
    const leads = await t.admin`select org_id, source, external_id, first_name, last_name, email::text, phone, state, message, attribution
                                from leads where source = 'meta'`;
    expect(leads).toEqual([
      {
        org_id: owner.orgId,
        source: "meta",
        external_id: leadgenId,
        first_name: "Rosa",
        last_name: "Parks",
        email: "rosa@example.com",
        phone: "+12127365000",
        state: "TX",
        message: "ZIP code: 73301",
        attribution: expect.objectContaining({ page_id: DEMO_META.pageId, form_id: DEMO_META.formId, ad_id: expect.any(String), campaign_id: expect.any(String) }),
      },
    ]);
    const [job] = await t.admin`select status, org_id, idempotency_key from jobs where kind = 'meta.fetch_lead'`;
    expect(job).toMatchObject({ status: "succeeded", org_id: owner.orgId });
    // The Meta card in Settings → Integrations shows the page's last success.
    expect(await health()).toMatchObject({ last_success_at: expect.any(Date), last_error_at: null, errors: 0 });
  });

  it("retries while the Graph API is down, dead-letters after the last attempt, and a retry once it is back makes the lead", async () => {
    const { leadgenId, body } = await submitLead({ full_name: "Down Time", email: "down@example.com" });
    expect((await post(body)).status).toBe(200);
    standIn.failLeadFetches = true;
    try {
      for (let attempt = 1; attempt <= 8; attempt++) {
        // Each retry is due at once instead of after its backoff.
        await t.admin`update jobs set run_at = now() where kind = 'meta.fetch_lead' and status = 'pending'`;
        await runQueue();
      }
    } finally {
      standIn.failLeadFetches = false;
    }
    const [dead] = await t.admin`select id, status, attempts from jobs where idempotency_key = ${`meta-lead:${leadgenId}`}`;
    expect(dead).toMatchObject({ status: "dead", attempts: 8 });
    const attempts = await t.admin`select outcome, error from job_attempts where job_id = ${dead.id} order by id`;
    expect(attempts).toHaveLength(8);
    expect(attempts.every((a) => a.outcome === "failed")).toBe(true);
    expect(attempts[0].error).toMatch(/unknown error/);
    expect(await t.admin`select 1 from leads where external_id = ${leadgenId}`).toHaveLength(0);
    const failing = await health();
    expect(failing).toMatchObject({ last_error_at: expect.any(Date), errors: 8 });
    expect(failing.last_error).toMatch(/unknown error/);
    expect(failing.last_error).not.toMatch(/down@example\.com|Down Time/);
    expect(failing.last_error_at > failing.last_success_at).toBe(true);

    // Meta is back; an admin retries the dead job and nothing is lost.
    await t.db.asUser(owner.claims, (tx) => kysely`select public.retry_job(${dead.id})`.execute(tx));
    await runQueue();
    expect(await t.admin`select first_name from leads where external_id = ${leadgenId}`).toEqual([{ first_name: "Down" }]);
    const recovered = await health();
    expect(recovered.last_success_at > recovered.last_error_at).toBe(true);
  });

  it("keeps an answer the CRM cannot store (a phone it cannot read) in the message instead of losing the lead", async () => {
    const { leadgenId, body } = await submitLead({ full_name: "Odd Number", email: "odd@example.com", phone_number: "call me maybe" });
    expect((await post(body)).status).toBe(200);
    await runQueue();
    const [lead] = await t.admin`select email::text, phone, message from leads where external_id = ${leadgenId}`;
    expect(lead).toEqual({ email: "odd@example.com", phone: null, message: "phone: call me maybe" });
  });

  it("dead-letters at once a lead of a page no org connected", async () => {
    const body = JSON.stringify({
      object: "page",
      entry: [{ id: "999999999", time: 1765000000, changes: [{ field: "leadgen", value: { leadgen_id: "777000111", page_id: "999999999", form_id: "1" } }] }],
    });
    expect((await post(body)).status).toBe(200);
    await runQueue();
    const [job] = await t.admin`select status, org_id, attempts, last_error from jobs where idempotency_key = 'meta-lead:777000111'`;
    expect(job).toMatchObject({ status: "dead", org_id: null, attempts: 1 });
  });

  it("makes no lead from a form the org switched off", async () => {
    const res = await fetch(`${graph.url}/_dev/leads`, {
      method: "POST",
      body: JSON.stringify({ page_id: DEMO_META.pageId, form_id: DEMO_META.otherFormId, fields: { email: "news@example.com" } }),
    });
    const { leadgen_id, webhook } = (await res.json()) as { leadgen_id: string; webhook: unknown };
    expect((await post(JSON.stringify(webhook))).status).toBe(200);
    await runQueue();
    expect(await t.admin`select status from jobs where idempotency_key = ${`meta-lead:${leadgen_id}`}`).toEqual([{ status: "succeeded" }]);
    expect(await t.admin`select 1 from leads where external_id = ${leadgen_id}`).toHaveLength(0);
  });
});

describe("meta-webhook under Deno", () => {
  let fn: DenoFunction;
  beforeAll(async () => {
    fn = await startDenoFunction(
      path.resolve(import.meta.dirname, "../../supabase/functions/meta-webhook/index.ts"),
      { DATABASE_URL: t.appUrl, META_APP_SECRET: app.appSecret, META_VERIFY_TOKEN: app.verifyToken },
      () => {},
    );
  }, 90_000);
  afterAll(async () => {
    await fn?.stop();
  });

  it("answers the subscription handshake only with the right verify token", async () => {
    const q = (token: string) => `${fn.url}/?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`;
    const wrong = await fetch(q("guess"));
    expect(wrong.status).toBe(403);
    await wrong.body?.cancel();
    const right = await fetch(q(app.verifyToken));
    expect(right.status).toBe(200);
    expect(await right.text()).toBe("1158201444");
  });

  it("verifies the signature over the raw body and queues the fetch", async () => {
    const { leadgenId, body } = await submitLead({ full_name: "Deno Delivered", email: "deno@example.com" });
    const forged = await fetch(fn.url, { method: "POST", headers: { "x-hub-signature-256": await signMetaPayload(body, "wrong") }, body });
    expect(forged.status).toBe(401);
    await forged.body?.cancel();
    const ok = await fetch(fn.url, { method: "POST", headers: { "x-hub-signature-256": await signMetaPayload(body, app.appSecret) }, body });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: true, leads: 1 });
    expect(await t.admin`select status from jobs where idempotency_key = ${`meta-lead:${leadgenId}`}`).toEqual([{ status: "pending" }]);
  });
});
