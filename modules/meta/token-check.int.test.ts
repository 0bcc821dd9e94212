// The daily token check against real Postgres and the Graph API stand-in:
// a token about to expire (or revoked) is recorded on the page and its
// owners and admins get one integration alert, not one a day.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { runJobs } from "@/modules/jobs/edge";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createMetaGraphStandIn, DEMO_META, serveMetaGraph } from "@/supabase/local/meta-graph";
import { checkMetaTokens, TOKEN_CHECK_JOB } from "./token-check";

const t = useTestDatabase();
const app = { appId: "1234567890", appSecret: "token-check-secret" };
let keys: string;
let graph: Awaited<ReturnType<typeof serveMetaGraph>>;
let service: postgres.Sql;
let owner: TestUser;
let admin: TestUser;
let member: TestUser;

const env = (name: string) =>
  ({ COVEY_SECRET_KEYS: keys, META_GRAPH_URL: graph.url, META_APP_ID: app.appId, META_APP_SECRET: app.appSecret, META_VERIFY_TOKEN: "v" })[name] ?? "";

async function check() {
  await t.admin`update private.job_schedules set next_run_at = now() where name = ${TOKEN_CHECK_JOB}`;
  return runJobs(service, { [TOKEN_CHECK_JOB]: checkMetaTokens }, { env, fetch });
}
const setToken = (over: Record<string, unknown>) =>
  fetch(`${graph.url}/_dev/tokens`, { method: "POST", body: JSON.stringify({ token: DEMO_META.token, page_id: DEMO_META.pageId, ...over }) });
const alerts = () => t.admin`select user_id, title, link from notifications where type = 'integration_alert' order by id`;

beforeAll(async () => {
  keys = generateKeySpec("k1");
  graph = await serveMetaGraph(createMetaGraphStandIn(app));
  service = postgres(t.appUrl, { max: 2, onnotice: () => {}, connection: { role: "service_role" } });
  owner = await createUser(t, { orgName: "Token Watchers" });
  admin = await createMember(t, owner.orgId, "admin");
  member = await createMember(t, owner.orgId, "member");
  const purpose = `meta.page_token:${DEMO_META.pageId}`;
  const sealed = await sealSecret(await parseKeyring(keys), DEMO_META.token, { orgId: owner.orgId, purpose });
  const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id) values (${owner.orgId}, ${purpose}, ${sealed}, 'k1') returning id`;
  await t.admin`insert into meta_pages (org_id, page_id, name, token_secret_id) values (${owner.orgId}, ${DEMO_META.pageId}, ${DEMO_META.pageName}, ${secret.id})`;
});
afterAll(async () => {
  await service?.end();
  await graph?.close();
});

describe("meta.token_check", () => {
  it("is scheduled daily", async () => {
    expect(await t.admin`select kind, every::text from private.job_schedules where name = ${TOKEN_CHECK_JOB}`).toEqual([
      { kind: TOKEN_CHECK_JOB, every: "1 day" },
    ]);
  });

  it("records a valid token without alerting anyone", async () => {
    const summary = await check();
    expect(summary.succeeded).toBeGreaterThanOrEqual(1);
    expect(await t.admin`select token_status from meta_pages`).toEqual([{ token_status: "valid" }]);
    expect(await alerts()).toEqual([]);
  });

  it("alerts owners and admins, once, when a token expires within 7 days", async () => {
    await setToken({ expires_at: Math.floor(Date.now() / 1000) + 3 * 86400 });
    await check();
    await check();
    const [page] = await t.admin`select token_status, token_expires_at from meta_pages`;
    expect(page.token_status).toBe("expiring");
    expect(page.token_expires_at).toBeInstanceOf(Date);
    const got = await alerts();
    expect(got.map((a) => a.user_id).sort()).toEqual([owner.id, admin.id].sort());
    expect(got[0]).toMatchObject({ title: `Meta token for ${DEMO_META.pageName} expires soon`, link: "/settings/integrations/meta" });
    expect(got.some((a) => a.user_id === member.id)).toBe(false);
  });

  it("alerts again when the token stops working", async () => {
    await setToken({ is_valid: false });
    await check();
    expect(await t.admin`select token_status from meta_pages`).toEqual([{ token_status: "invalid" }]);
    const titles = (await alerts()).map((a) => a.title);
    expect(titles.filter((x) => x.endsWith("no longer works"))).toHaveLength(2);
  });
});
