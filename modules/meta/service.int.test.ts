// Connecting a Meta page against real Postgres and the Graph API stand-in:
// the token is checked with Meta, sealed, never readable back, and the
// page's forms arrive with it.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring } from "@/lib/crypto/envelope";
import { DomainError } from "@/lib/errors";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createMetaGraphStandIn, DEMO_META, type MetaGraphStandIn, serveMetaGraph } from "@/supabase/local/meta-graph";
import { graphClient } from "./graph";
import { listMetaPages } from "./queries";
import { connectPage, disconnectPage, type MetaDeps, saveFormMapping, setConversionsDataset, setFormCreatesLeads, testConnection } from "./service";

const t = useTestDatabase();
const app = { appId: "1234567890", appSecret: "stand-in-app-secret" };
let standIn: MetaGraphStandIn;
let server: Awaited<ReturnType<typeof serveMetaGraph>>;
let deps: MetaDeps;
let owner: TestUser;
let member: TestUser;
let other: TestUser;
const actor = (u: TestUser, role: "owner" | "member" = "owner") => ({ claims: u.claims, orgId: u.orgId, role });

beforeAll(async () => {
  standIn = createMetaGraphStandIn(app);
  server = await serveMetaGraph(standIn);
  const keyring = await parseKeyring(generateKeySpec("k1"));
  deps = { db: t.db, keyring: async () => keyring, graph: () => graphClient({ graphUrl: server.url, version: "v23.0", ...app }) };
  owner = await createUser(t, { orgName: "Agency" });
  member = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Rival agency" });
});
afterAll(async () => {
  await server?.close();
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

describe("connecting a Meta page", () => {
  it("checks the token with Meta, seals it and brings the page's forms", async () => {
    const { id } = await connectPage(deps, actor(owner), { pageId: DEMO_META.pageId, token: DEMO_META.token });
    const [page] = await t.db.asUser(owner.claims, (tx) => listMetaPages(tx));
    expect(page).toMatchObject({ id, pageId: DEMO_META.pageId, name: DEMO_META.pageName, tokenHint: DEMO_META.token.slice(-4), tokenStatus: "valid" });
    expect(page.forms.map((f) => f.formId).sort()).toEqual([DEMO_META.formId, DEMO_META.otherFormId]);
    expect(page.forms.every((f) => !f.createsLeads)).toBe(true);
    expect(page.forms.find((f) => f.formId === DEMO_META.formId)!.questions.map((q) => q.key)).toContain("full_name");
    // Nothing a member can read holds the token.
    const readable = await t.db.asUser(member.claims, async (tx) => ({
      pages: await listMetaPages(tx),
      raw: (await sql`select to_jsonb(p) as p from meta_pages p`.execute(tx)).rows,
      audit: (await sql`select 1`.execute(tx)).rows,
    }));
    expect(JSON.stringify(readable)).not.toContain(DEMO_META.token);
    const audit = await t.admin`select changes::text from audit_log where org_id = ${owner.orgId}`;
    expect(audit.map((r) => r.changes).join()).not.toContain(DEMO_META.token);
  });

  it("refuses members, a token Meta rejects, and a page another workspace connected", async () => {
    expect((await refusal(connectPage(deps, actor(member, "member"), { pageId: DEMO_META.pageId, token: DEMO_META.token }))).code).toBe("forbidden");
    const bad = await refusal(connectPage(deps, actor(owner), { pageId: DEMO_META.pageId, token: "EAAGnotARealToken00000000000" }));
    expect(bad.code).toBe("validation_failed");
    expect(bad.details?.token?.[0]).toMatch(/Meta refused: Invalid OAuth access token/);
    const shape = await refusal(connectPage(deps, actor(owner), { pageId: "my page", token: "short" }));
    expect(Object.keys(shape.details ?? {}).sort()).toEqual(["pageId", "token"]);
    const taken = await refusal(connectPage(deps, actor(other), { pageId: DEMO_META.pageId, token: DEMO_META.token }));
    expect(taken.code).toBe("conflict");
    expect(taken.message).toMatch(/another Covey workspace/);
    expect(await t.admin`select count(*)::int as n from org_secrets where org_id = ${other.orgId}`).toEqual([{ n: 0 }]);
  });

  it("tests the connection with debug_token and the page, and records the verdict", async () => {
    const [page] = await t.db.asUser(owner.claims, (tx) => listMetaPages(tx));
    const result = await testConnection(deps, actor(owner), { id: page.id });
    expect(result).toMatchObject({ ok: true, pageName: DEMO_META.pageName, status: "valid", error: null, forms: 2 });
    expect(result.scopes).toContain("leads_retrieval");

    // The token stops working at Meta: the test says so and the page shows it.
    await fetch(`${server.url}/_dev/tokens`, {
      method: "POST",
      body: JSON.stringify({ token: DEMO_META.token, page_id: DEMO_META.pageId, is_valid: false }),
    });
    const broken = await testConnection(deps, actor(owner), { id: page.id });
    expect(broken).toMatchObject({ ok: false, status: "invalid" });
    const [after] = await t.db.asUser(owner.claims, (tx) => listMetaPages(tx));
    expect(after.tokenStatus).toBe("invalid");
    await fetch(`${server.url}/_dev/tokens`, { method: "POST", body: JSON.stringify({ token: DEMO_META.token, page_id: DEMO_META.pageId }) });
  });

  it("chooses which forms create leads and edits a form's mapping", async () => {
    const [page] = await t.db.asUser(owner.claims, (tx) => listMetaPages(tx));
    const form = page.forms.find((f) => f.formId === DEMO_META.formId)!;
    await setFormCreatesLeads(deps, actor(owner), { id: form.id, createsLeads: true });
    await saveFormMapping(deps, actor(owner), { id: form.id, mapping: { zip_code: "custom:zip", how_did_you_hear: "ignore" } });
    const [after] = await t.db.asUser(owner.claims, (tx) => listMetaPages(tx));
    expect(after.forms.find((f) => f.id === form.id)).toMatchObject({ createsLeads: true, mapping: { zip_code: "custom:zip", how_did_you_hear: "ignore" } });

    const target = await refusal(saveFormMapping(deps, actor(owner), { id: form.id, mapping: { email: "password" } }));
    expect(target.details?.["mapping.email"]?.[0]).toMatch(/not a lead field/);
    const question = await refusal(saveFormMapping(deps, actor(owner), { id: form.id, mapping: { shoe_size: "message" } }));
    expect(question.details?.["mapping.shoe_size"]?.[0]).toMatch(/no question "shoe_size"/);
    expect((await refusal(setFormCreatesLeads(deps, actor(member, "member"), { id: form.id, createsLeads: false }))).code).toBe("forbidden");
    // Another org cannot touch it: to them it does not exist.
    expect((await refusal(setFormCreatesLeads(deps, actor(other), { id: form.id, createsLeads: false }))).code).toBe("not_found");
  });

  it("sets and clears the Conversions API dataset, refusing what is not a Meta id", async () => {
    const [page] = await t.db.asUser(owner.claims, (tx) => listMetaPages(tx));
    await setConversionsDataset(deps, actor(owner), { id: page.id, datasetId: " 555000111222 " });
    expect((await t.db.asUser(owner.claims, (tx) => listMetaPages(tx)))[0].conversionsDatasetId).toBe("555000111222");
    const bad = await refusal(setConversionsDataset(deps, actor(owner), { id: page.id, datasetId: "pixel-1" }));
    expect(bad.details?.datasetId?.[0]).toMatch(/digits only/);
    expect((await refusal(setConversionsDataset(deps, actor(member, "member"), { id: page.id, datasetId: "" }))).code).toBe("forbidden");
    await setConversionsDataset(deps, actor(owner), { id: page.id, datasetId: "" });
    expect((await t.db.asUser(owner.claims, (tx) => listMetaPages(tx)))[0].conversionsDatasetId).toBeNull();
  });

  it("says what to set when the deployment has no secret keys", async () => {
    const unconfigured = { ...deps, keyring: () => parseKeyring(undefined) };
    const e = await refusal(connectPage(unconfigured, actor(owner), { pageId: DEMO_META.pageId, token: DEMO_META.token }));
    expect(e.code).toBe("not_configured");
    expect(e.message).toMatch(/COVEY_SECRET_KEYS/);
  });

  it("disconnecting drops the page, its forms and its sealed token", async () => {
    const [page] = await t.db.asUser(owner.claims, (tx) => listMetaPages(tx));
    await disconnectPage(deps, actor(owner), { id: page.id });
    expect(await t.admin`select count(*)::int as n from org_secrets where org_id = ${owner.orgId}`).toEqual([{ n: 0 }]);
    expect(await t.admin`select count(*)::int as n from meta_lead_forms where org_id = ${owner.orgId}`).toEqual([{ n: 0 }]);
  });
});
