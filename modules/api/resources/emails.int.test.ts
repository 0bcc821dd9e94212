import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { consentUrl, exchangeCode, googleConfig } from "@/modules/gmail/edge";
import { createGoogleStandIn, LOCAL_GOOGLE_CLIENT, serveGoogle } from "@/supabase/local/google";
import { callApi, createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { getEmail, listEmails, sendEmailOperation } from "./emails";

const t = useTestDatabase();
let server: Awaited<ReturnType<typeof serveGoogle>>;
let owner: TestUser;
let other: TestUser;
let token: string;
let readOnly: string;
let personId: string;
let otherEmailId: string;
const saved = { ...process.env };

beforeAll(async () => {
  server = await serveGoogle(createGoogleStandIn(LOCAL_GOOGLE_CLIENT));
  const keys = generateKeySpec("k1");
  Object.assign(process.env, {
    COVEY_SECRET_KEYS: keys,
    GOOGLE_CLIENT_ID: LOCAL_GOOGLE_CLIENT.clientId,
    GOOGLE_CLIENT_SECRET: LOCAL_GOOGLE_CLIENT.clientSecret,
    GOOGLE_AUTH_URL: `${server.url}/o/oauth2/v2/auth`,
    GOOGLE_OAUTH_URL: server.url,
    GOOGLE_API_URL: server.url,
  });
  owner = await createUser(t, { orgName: "Mail API" });
  other = await createUser(t, { orgName: "Elsewhere" });
  token = (await createTestKey(t, owner, ["emails:read", "emails:write"])).token;
  readOnly = (await createTestKey(t, owner, ["emails:read"])).token;
  [{ id: personId }] = await t.admin`insert into people (org_id, first_name, email) values (${owner.orgId}, 'Ada', 'ada@example.com') returning id`;
  [{ id: otherEmailId }] = await t.admin`insert into emails (org_id, direction, provider, from_address, subject, status, received_at)
                                        values (${other.orgId}, 'inbound', 'gmail', 'x@y.z', 'Secret', 'received', now()) returning id`;
});
afterAll(async () => {
  process.env = saved;
  await server?.close();
});

async function connectOwner() {
  const config = googleConfig((n) => process.env[n]);
  const redirectUri = "http://app.test/api/gmail/callback";
  const url = new URL(consentUrl(config, { redirectUri, state: "s" }));
  const form = new URLSearchParams(url.searchParams);
  form.set("account", "demo.covey@gmail.com");
  form.set("decision", "allow");
  const res = await fetch(url, { method: "POST", body: form, redirect: "manual" });
  const tokens = await exchangeCode(config, new URL(res.headers.get("location")!).searchParams.get("code")!, redirectUri);
  const sealed = await sealSecret(await parseKeyring(process.env.COVEY_SECRET_KEYS), tokens.refreshToken, { orgId: owner.orgId, purpose: `gmail.refresh_token:${owner.id}` });
  await t.db.asUser(owner.claims, (tx) => sql`select public.connect_gmail_mailbox('demo.covey@gmail.com', ${sealed}, 'abcd')`.execute(tx));
}

const send = (body: Record<string, unknown>, key = token) => callApi(sendEmailOperation, { token: key, body });
const message = { to: ["ada@example.com"], subject: "Hi {{first_name}}", body_html: "<p>Hello {{first_name}}</p>" };

describe("POST /emails", () => {
  it("refuses with 409 until the key's member has connected Gmail, writing nothing", async () => {
    const r = await send({ ...message, person_id: personId });
    expect(r.status).toBe(409);
    expect((r.body as { error: { message: string } }).error.message).toMatch(/Connect your Gmail/);
    expect(await t.admin`select 1 from emails where org_id = ${owner.orgId}`).toHaveLength(0);
  });

  it("sends from the member's Gmail and answers the logged email with Gmail's ids", async () => {
    await connectOwner();
    const r = await send({ ...message, person_id: personId });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ object: "email", status: "sent", subject: "Hi Ada", body_html: "<p>Hello Ada</p>", person_id: personId, from: "demo.covey@gmail.com" });
    expect((r.body as { provider_thread_id: string }).provider_thread_id).toMatch(/^[0-9a-f]{16}$/);
    const got = await callApi(getEmail, { token: readOnly, params: { id: (r.body as { id: string }).id } });
    expect(got.body).toEqual(r.body);
  });

  it("names the field at fault in the API's names, and needs emails:write", async () => {
    const bad = await send({ ...message, person_id: personId, to: ["nope"], subject: "" });
    expect(bad.status).toBe(422);
    expect(Object.keys((bad.body as { error: { details: object } }).error.details).sort()).toEqual(["subject", "to"]);
    const none = await send({ to: ["a@b.co"], subject: "x", body_html: "x" });
    expect((none.body as { error: { details: object } }).error.details).toHaveProperty("person_id");
    expect((await send({ ...message, person_id: personId }, readOnly)).status).toBe(403);
  });
});

describe("POST /emails with variables", () => {
  it("sends body_text as the plain-text alternative, and refuses a variable the record cannot fill on its field, sending nothing", async () => {
    const [{ id: bea }] = await t.admin`insert into people (org_id, first_name, email) values (${owner.orgId}, 'Bea', 'bea@example.com') returning id`;
    const ok = await send({ to: ["bea@example.com"], person_id: bea, subject: "For {{company|you}}", body_html: "<p>Hi {{first_name}}</p>", body_text: "Hi {{first_name}} (text)" });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ subject: "For you", body_html: "<p>Hi Bea</p>", body_text: "Hi Bea (text)" });
    const details = async (body: Record<string, unknown>) => {
      const r = await send({ to: ["bea@example.com"], person_id: bea, subject: "Hi", body_html: "<p>Hi</p>", ...body });
      expect(r.status).toBe(422);
      return (r.body as { error: { details: Record<string, string[]> } }).error.details;
    };
    expect(await details({ subject: "About {{company}}" })).toEqual({
      subject: ["The subject uses {{company}}, which this person has no value for. Write the text in, or give a fallback like {{company|…}}."],
    });
    expect(await details({ body_html: "<p>{{nickname}}</p>" })).toEqual({ body_html: ["The email uses an unknown variable: {{nickname}}. Use one of the listed variables."] });
    expect(await details({ body_text: "Hi {{deal_name}}" })).toEqual({
      body_text: ["The plain text uses {{deal_name}}, which this person has no value for. Write the text in, or give a fallback like {{deal_name|…}}."],
    });
    expect(await t.admin`select count(*)::int as n from emails where person_id = ${bea}`).toEqual([{ n: 1 }]);
  });
});

describe("GET /emails", () => {
  it("lists the org's emails only, newest first, narrowed by person and paged", async () => {
    await send({ ...message, person_id: personId, subject: "Second" });
    const page = await callApi(listEmails, { token: readOnly, query: [["person_id", personId], ["limit", "1"]] });
    const body = page.body as { data: { subject: string; id: string }[]; next_cursor: string };
    expect(body.data.map((e) => e.subject)).toEqual(["Second"]);
    const next = await callApi(listEmails, { token: readOnly, query: [["person_id", personId], ["limit", "1"], ["cursor", body.next_cursor]] });
    expect((next.body as { data: { subject: string }[] }).data.map((e) => e.subject)).toEqual(["Hi Ada"]);
    const all = await callApi(listEmails, { token: readOnly });
    expect((all.body as { data: { id: string }[] }).data.map((e) => e.id)).not.toContain(otherEmailId);
    expect((await callApi(getEmail, { token: readOnly, params: { id: otherEmailId } })).status).toBe(404);
  });

  it("pages through emails that arrived within the same millisecond, each once", async () => {
    // Microseconds past one millisecond, added in SQL: a JavaScript Date would cut them.
    for (const [i, micros] of [456, 300, 100].entries()) {
      await t.admin`insert into emails (org_id, direction, provider, from_address, subject, status, received_at, provider_thread_id, created_at)
                    values (${owner.orgId}, 'inbound', 'gmail', 'x@y.z', ${`same ms ${i}`}, 'received', now(), 'samems', '2026-12-01 10:00:00.123+00'::timestamptz + ${micros} * interval '1 microsecond')`;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { subject: string }[]; next_cursor: string | null } } = await callApi(listEmails, {
        token: readOnly,
        query: [["thread_id", "samems"], ["limit", "1"], ...(cursor ? [["cursor", cursor] as [string, string]] : [])],
      });
      seen.push(...page.body.data.map((m) => m.subject));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(["same ms 0", "same ms 1", "same ms 2"]);
  });
});
