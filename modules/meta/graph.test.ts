// The Graph API adapter against the stand-in, which checks tokens and
// appsecret_proof as Meta does and answers in Meta's shapes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetaGraphStandIn, DEMO_AD_ACCOUNT, DEMO_META, type MetaGraphStandIn, serveMetaGraph } from "@/supabase/local/meta-graph";
import { appSecretProof, GraphError, graphClient, metaConfig } from "./graph";

const app = { appId: "1234567890", appSecret: "graph-test-secret" };
let standIn: MetaGraphStandIn;
let server: Awaited<ReturnType<typeof serveMetaGraph>>;
const client = (over: Partial<typeof app> = {}) => graphClient({ graphUrl: server.url, version: "v23.0", ...app, ...over });

beforeAll(async () => {
  standIn = createMetaGraphStandIn(app);
  server = await serveMetaGraph(standIn);
});
afterAll(async () => {
  await server?.close();
});

async function newLead(fields: Record<string, string>) {
  const res = await fetch(`${server.url}/_dev/leads`, { method: "POST", body: JSON.stringify({ page_id: DEMO_META.pageId, form_id: DEMO_META.formId, fields }) });
  return (await res.json()) as { leadgen_id: string; webhook: { entry: { changes: { value: Record<string, unknown> }[] }[] } };
}

describe("Graph API adapter", () => {
  it("computes appsecret_proof as Meta documents: HMAC-SHA256 of the token keyed by the app secret, hex", async () => {
    // Known answer: echo -n token | openssl dgst -sha256 -hmac secret
    expect(await appSecretProof("token", "secret")).toBe("e941110e3d2bfe82621f0e3e1434730d7305d106c5f68c87165d0b27a4611a4a");
  });

  it("fetches a lead in Meta's shape with the page token", async () => {
    const { leadgen_id, webhook } = await newLead({ full_name: "Jane Doe", email: "jane@example.com" });
    expect(webhook.entry[0].changes[0].value).toMatchObject({ leadgen_id, page_id: DEMO_META.pageId, form_id: DEMO_META.formId });
    const lead = await client().getLead(leadgen_id, DEMO_META.token);
    expect(lead).toMatchObject({
      id: leadgen_id,
      form_id: DEMO_META.formId,
      ad_id: expect.stringMatching(/^\d+$/),
      adset_id: expect.stringMatching(/^\d+$/),
      campaign_id: expect.stringMatching(/^\d+$/),
      field_data: [
        { name: "full_name", values: ["Jane Doe"] },
        { name: "email", values: ["jane@example.com"] },
      ],
    });
    expect(lead.created_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
  });

  it("is refused without the right app secret (appsecret_proof) or with a token Meta does not know", async () => {
    const { leadgen_id } = await newLead({ email: "x@example.com" });
    const wrongProof = await client({ appSecret: "not-the-secret" }).getLead(leadgen_id, DEMO_META.token).catch((e) => e);
    expect(wrongProof).toBeInstanceOf(GraphError);
    expect(wrongProof).toMatchObject({ status: 400, code: 100, message: expect.stringMatching(/appsecret_proof/) });
    expect(wrongProof.transient).toBe(false);
    const badToken = await client().getLead(leadgen_id, "EAAGunknown").catch((e) => e);
    expect(badToken).toMatchObject({ code: 190 });
    expect(badToken.tokenProblem).toBe(true);
  });

  it("reports Meta's 500s as transient, so the job retries", async () => {
    const { leadgen_id } = await newLead({ email: "y@example.com" });
    standIn.failLeadFetches = true;
    try {
      const e = await client().getLead(leadgen_id, DEMO_META.token).catch((err) => err);
      expect(e).toMatchObject({ status: 500 });
      expect(e.transient).toBe(true);
    } finally {
      standIn.failLeadFetches = false;
    }
    expect((await client().getLead(leadgen_id, DEMO_META.token)).id).toBe(leadgen_id);
  });

  it("lists a page's forms, checks tokens, sends conversion events and reads spend", async () => {
    const forms = await client().listLeadForms(DEMO_META.pageId, DEMO_META.token);
    expect(forms.map((f) => f.id)).toEqual([DEMO_META.formId, DEMO_META.otherFormId]);
    expect(forms[0].questions?.map((q) => q.key)).toContain("phone_number");

    expect(await client().debugToken(DEMO_META.token)).toMatchObject({ is_valid: true, profile_id: DEMO_META.pageId, app_id: app.appId });
    expect(await client().debugToken("EAAGunknown")).toMatchObject({ is_valid: false });
    // debug_token is asked with the app token: a wrong app secret is refused.
    await expect(client({ appSecret: "nope" }).debugToken(DEMO_META.token)).rejects.toMatchObject({ code: 190 });

    const sent = await client().sendEvents("555000111", DEMO_META.token, [
      { event_name: "Lead", event_time: 1765000000, action_source: "system_generated", event_id: "e1", user_data: { lead_id: 1 } },
    ]);
    expect(sent.events_received).toBe(1);
    expect(standIn.events.at(-1)).toMatchObject({ datasetId: "555000111", body: { data: [{ event_name: "Lead" }] } });

    const account = await client().getAdAccount(DEMO_AD_ACCOUNT.accountId, DEMO_AD_ACCOUNT.token);
    expect(account).toMatchObject({ id: DEMO_AD_ACCOUNT.accountId, currency: "USD", timezone_name: DEMO_AD_ACCOUNT.timeZone });
    const spend = await client().campaignSpend(DEMO_AD_ACCOUNT.accountId, DEMO_AD_ACCOUNT.token, { since: "2026-12-01", until: "2026-12-03" });
    expect(spend.map((s) => s.date_start)).toEqual(["2026-12-01", "2026-12-02", "2026-12-03"].flatMap((d) => DEMO_AD_ACCOUNT.campaigns.map(() => d)));
    expect(spend[0].spend).toMatch(/^\d+\.\d\d$/);
    expect(spend[0].actions?.find((a) => a.action_type === "lead")?.value).toMatch(/^\d+$/);
    // A page token opens no ad account.
    await expect(client().campaignSpend(DEMO_AD_ACCOUNT.accountId, DEMO_META.token, { since: "2026-12-01", until: "2026-12-01" })).rejects.toMatchObject({ code: 100 });
  });

  it("refuses to run without the app's configuration, naming what is missing", () => {
    expect(() => metaConfig(() => undefined)).toThrow(/META_APP_ID, META_APP_SECRET, META_VERIFY_TOKEN/);
    expect(metaConfig((n) => ({ META_APP_ID: "1", META_APP_SECRET: "s", META_VERIFY_TOKEN: "v" })[n]).graphUrl).toBe("https://graph.facebook.com");
  });
});
